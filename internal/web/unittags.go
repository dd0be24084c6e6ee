package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Commune groups and lists from the provinces' decisions (issue 17): the import of a decision
// file (API and page) and the communes a set cannot place yet. Importing needs auth.Import on
// the unit the file is for; every row must name a commune within it. The list is reference data
// (units are public to signed-in users).

func init() {
	documentAPI(map[string]APIDoc{
		"GET /api/v1/units/untagged": {Summary: "Communes a criteria set cannot place yet: without a commune group (sets by group) or a region (sets by region)",
			Params: []APIParam{{Name: "set", Description: "criteria set id (required), e.g. xa-ntm-2026"},
				{Name: "unit", Description: "only the communes below this unit (default: the country)"},
				{Name: "as_of", Description: "the day, YYYY-MM-DD (default today)"}},
			Returns: "{set, as_of, communes, untagged: [{unit, missing: group|region}]}"},
		"POST /api/v1/units/{code}/tags": {Summary: "Import a province's decision assigning commune groups or lists (đặc biệt khó khăn, an toàn khu, biên giới) to communes within the unit, all rows or none",
			Params: []APIParam{{Name: "filename", Description: "the file's name, recorded as the source"},
				{Name: "as_of", Description: "the day the unit code is taken on, YYYY-MM-DD (default today)"}},
			Body:    "the CSV or XLSX file: columns unit_code, tag, decision, decided, valid_from (or Mã đơn vị, Nhãn hoặc nhóm, Số quyết định, Ngày quyết định, Hiệu lực từ)",
			Returns: "{rows, new, unchanged, units, pending}; 422 with problems by row and column; 403 naming rows outside the unit"},
	})
}

func (s *Server) unitTagRoutes() {
	s.mux.HandleFunc("GET /units/tags", s.unitTagsPage)
	s.mux.HandleFunc("POST /units/tags", s.unitTagsPost)
}

// untaggedList is the body of GET /api/v1/units/untagged.
type untaggedList struct {
	Set      string         `json:"set"`
	SetTitle string         `json:"set_title"`
	AsOf     units.Date     `json:"as_of"`
	Communes int            `json:"communes"`
	Untagged []app.Untagged `json:"untagged"`
}

func (s *Server) untagged(ctx context.Context, setID, root string, day units.Date) (untaggedList, error) {
	cat, err := s.rules(ctx)
	if err != nil {
		return untaggedList{}, err
	}
	set, err := cat.Get(ctx, setID)
	if err != nil {
		return untaggedList{}, err
	}
	roots := []string{root}
	if root == "" {
		ps, err := s.db.Children(ctx, "", day)
		if err != nil {
			return untaggedList{}, err
		}
		roots = roots[:0]
		for _, p := range ps {
			roots = append(roots, p.Code)
		}
	} else if _, err := s.db.Unit(ctx, root, day); err != nil {
		return untaggedList{}, err
	}
	var all []units.Unit
	for _, r := range roots {
		us, err := s.db.Descendants(ctx, r, day)
		if err != nil {
			return untaggedList{}, err
		}
		all = append(all, us...)
	}
	out := untaggedList{Set: set.ID, SetTitle: set.Title, AsOf: day, Untagged: app.UntaggedFor(set, all)}
	for _, u := range all {
		if u.IsRuralCommune() {
			out.Communes++
		}
	}
	if out.Untagged == nil {
		out.Untagged = []app.Untagged{}
	}
	return out, nil
}

// GET /api/v1/units/untagged?set=&unit=&as_of=
func (s *Server) getUntagged(r *http.Request, u *auth.User) (any, error) {
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	setID := r.URL.Query().Get("set")
	if setID == "" {
		return nil, badField("set", "thiếu bộ tiêu chí (set is required)")
	}
	list, err := s.untagged(r.Context(), setID, r.URL.Query().Get("unit"), day)
	if criteria.IsNoSet(err, setID) {
		return nil, badField("set", err.Error())
	}
	return list, err
}

// importTags checks that u may import for root and that every row names a commune within it,
// then stores the rows (all or none).
func (s *Server) importTags(r *http.Request, u *auth.User, root string, day units.Date, name string, data []byte) (store.UnitTagStats, error) {
	ctx := r.Context()
	today := units.Today()
	if err := s.allow(r, u, auth.Import, root, day); err != nil {
		return store.UnitTagStats{}, err
	}
	rows, err := parseTagFile(name, data)
	if err != nil {
		return store.UnitTagStats{}, err
	}
	if root != "" {
		var outside []string
		for _, x := range rows {
			in, err := s.db.InScope(ctx, root, x.UnitCode, x.ValidFrom)
			if err != nil {
				return store.UnitTagStats{}, err
			}
			if !in {
				outside = append(outside, fmt.Sprintf("%d (%s)", x.Line, x.UnitCode))
			}
		}
		if len(outside) > 0 {
			return store.UnitTagStats{}, rowsRefused(u, outside)
		}
	}
	return s.db.ImportUnitTags(ctx, rows, name, u.Username, today)
}

func parseTagFile(name string, data []byte) ([]units.TagAssignment, error) {
	t, err := resources.ReadTable(name, data)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	var lines []int
	for _, r := range t.Rows {
		cells := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			cells[i] = c.Text
		}
		rows = append(rows, cells)
		lines = append(lines, r.Line)
	}
	return units.ParseTagRows(name, rows, lines)
}

// POST /api/v1/units/{code}/tags?filename=NAME — the body is the file.
func (s *Server) postUnitTags(r *http.Request, u *auth.User) (any, error) {
	data, err := readFileBody(r, maxResourceImport, "gửi tệp CSV hoặc XLSX trong nội dung yêu cầu (send the CSV or XLSX file as the request body)")
	if err != nil {
		return nil, err
	}
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = "nhan-xa.csv"
	}
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	st, err := s.importTags(r, u, r.PathValue("code"), day, name, data)
	return st, err
}

// ---------------------------------------------------------------------------------------
// The page

type unitTagsData struct {
	List      untaggedList
	Shown     []app.Untagged // the first rows of the list
	More      int
	Sets      []*criteria.Set
	UnitParam string
	CanImport bool
	Flash     string
	Error     string
	Problems  []string
}

const untaggedShown = 300

// GET /units/tags?set=&unit=&as_of=
func (s *Server) unitTagsPage(w http.ResponseWriter, r *http.Request) {
	s.renderUnitTags(w, r, unitTagsData{}, http.StatusOK)
}

func (s *Server) renderUnitTags(w http.ResponseWriter, r *http.Request, d unitTagsData, status int) {
	p, ok := s.startPage(w, r, "tags.title")
	if !ok {
		return
	}
	p.Nav = "units"
	q := r.URL.Query()
	if day, err := units.ReadDate(q.Get("as_of")); err == nil {
		p.AsOf, p.asOfSet = day, true
	}
	u := p.User.user
	d.UnitParam = strings.TrimSpace(q.Get("unit"))
	if d.UnitParam == "" && r.Method == http.MethodGet && u.Role.Reach(auth.Import) != auth.Everywhere {
		d.UnitParam = u.UnitCode
	}
	setID := q.Get("set")
	if setID == "" {
		setID = "xa-ntm-2026"
	}
	cur, err := s.currentCriteria(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	for _, set := range cur.Sets() {
		if set.Level == string(units.LevelCommune) && set.VariesBy != criteria.VariesNone {
			d.Sets = append(d.Sets, set)
		}
	}
	d.List, err = s.untagged(r.Context(), setID, d.UnitParam, p.AsOf)
	switch {
	case criteria.IsNoSet(err, setID), errors.Is(err, store.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	case err != nil:
		s.internalError(w, r, err)
		return
	}
	d.Shown = d.List.Untagged
	if len(d.Shown) > untaggedShown {
		d.More, d.Shown = len(d.Shown)-untaggedShown, d.Shown[:untaggedShown]
	}
	d.CanImport = s.allow(r, u, auth.Import, d.UnitParam, units.Today()) == nil
	if n := q.Get("imported"); n != "" && d.Flash == "" {
		d.Flash = p.T("tags.imported", q.Get("imported"), q.Get("new"), q.Get("unchanged"), q.Get("units"))
	}
	p.Data = d
	s.render(w, r, status, "units_tags", p)
}

// POST /units/tags (multipart: unit, file)
func (s *Server) unitTagsPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPost(w, r, "tags.title")
	if !ok {
		return
	}
	root := strings.TrimSpace(r.FormValue("unit"))
	back := "/units/tags?unit=" + root
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.renderUnitTags(w, r, unitTagsData{Error: p.T("resources.error.no_file")}, http.StatusUnprocessableEntity)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxResourceImport+1))
	if err != nil || len(data) > maxResourceImport {
		s.renderUnitTags(w, r, unitTagsData{Error: p.T("resources.error.no_file")}, http.StatusUnprocessableEntity)
		return
	}
	st, err := s.importTags(r, p.User.user, root, units.Today(), hdr.Filename, data)
	switch ps, ok := fault.ProblemsOf[[]units.TagProblem](err); {
	case ok:
		d := unitTagsData{Error: p.T("tags.rejected", hdr.Filename, len(ps))}
		for _, pr := range ps {
			d.Problems = append(d.Problems, pr.String())
		}
		s.renderUnitTags(w, r, d, http.StatusUnprocessableEntity)
		return
	case isForbidden(err):
		s.renderUnitTags(w, r, unitTagsData{Error: err.Error()}, http.StatusForbidden)
		return
	case err != nil:
		if _, probs, ok := resources.ImportFile(err); ok {
			d := unitTagsData{Error: err.Error()}
			for _, pr := range probs {
				d.Problems = append(d.Problems, pr.Text(p.Lang))
			}
			s.renderUnitTags(w, r, d, http.StatusUnprocessableEntity)
			return
		}
		s.internalError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("%s&imported=%d&new=%d&unchanged=%d&units=%d", back, st.Rows, st.New, st.Unchanged, st.Units), http.StatusSeeOther)
}
