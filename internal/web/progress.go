package web

import (
	"context"
	"net/http"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/catalog"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

func (s *Server) progressRoutes() {
	s.mux.HandleFunc("GET /api/v1/progress", s.authed(s.getProgress))
}

// ProgressResponse is GET /api/v1/progress: the rollup with what it was computed for.
type ProgressResponse struct {
	progress.Report
	Set          string     `json:"set"`
	SetTitle     string     `json:"set_title"`
	AsOf         units.Date `json:"as_of"`
	ApprovedOnly bool       `json:"approved_only"`
}

// GET /api/v1/progress?unit=CODE&set=ID&as_of=DATE&approved_only=1&format=json|text&lang=vi|en
//
// Without unit: the whole country (roles that read everywhere). Without set: the commune
// NTM set in force on the date.
func (s *Server) getProgress(w http.ResponseWriter, r *http.Request, u *auth.User) {
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	unit := q.Get("unit")
	if err := s.allow(r, u, auth.Read, unit, day); err != nil {
		s.fail(w, r, err)
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := pickSet(r.Context(), cat, q.Get("set"), day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := Progress(r.Context(), s.db, set, unit, day, q.Get("approved_only") == "1" || q.Get("approved_only") == "true")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if q.Get("format") == "text" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		lang := q.Get("lang")
		if lang == "" {
			lang = "vi"
		}
		w.Write([]byte(rep.Text(lang)))
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// pickSet returns the set named id, or without one the commune NTM set in force on day.
func pickSet(ctx context.Context, cat *catalog.Catalog, id string, day units.Date) (*criteria.Set, error) {
	if id != "" {
		set, err := cat.Get(ctx, id)
		if err != nil {
			return nil, &fieldError{"set", err.Error()}
		}
		return set, nil
	}
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	for _, set := range cur.Sets() {
		if set.Level == string(units.LevelCommune) && set.Tier == criteria.TierNTM && set.Basis.Effective <= day &&
			(set.Basis.Superseded == "" || day < set.Basis.Superseded) {
			return set, nil
		}
	}
	return nil, &fieldError{"set", "không có bộ tiêu chí xã NTM hiệu lực ngày " + string(day) + " (no commune NTM set in force on that day): name one with set"}
}

// Progress computes the rollup of set over the units below unit ("" for the country) as of
// day. The API, the command line and the reports all call it, so their figures agree.
func Progress(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool) (ProgressResponse, error) {
	level := units.Level(set.Level)
	root, children, entries, err := db.ProgressEntries(ctx, store.ProgressQuery{Root: unit, SetID: set.ID, Level: level,
		RuralOnly: level == units.LevelCommune, AsOf: day, ApprovedOnly: approvedOnly})
	if err != nil {
		return ProgressResponse{}, err
	}
	crits := make([]progress.Criterion, len(set.Criteria))
	for i, c := range set.Criteria {
		crits[i] = progress.Criterion{Number: c.Number, Name: c.Name}
	}
	noun := "xã"
	switch level {
	case units.LevelDistrict:
		noun = "huyện"
	case units.LevelProvince:
		noun = "tỉnh"
	}
	rep := progress.Rollup(root, crits, entries, progress.Options{Children: children, UnitNoun: noun})
	return ProgressResponse{Report: rep, Set: set.ID, SetTitle: set.Title, AsOf: day, ApprovedOnly: approvedOnly}, nil
}
