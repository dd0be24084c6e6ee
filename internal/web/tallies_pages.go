package web

import (
	"net/http"
	"strings"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
)

// The aggregate registers' pages (issue 13.8): counts of models are entered on the models
// page (POST /models/counts) and listed there; a unit's own figures have their tab,
// /unit-indicators.

func (s *Server) talliesPageRoutes() {
	s.mux.HandleFunc("POST /models/counts", s.tallyPost)
	s.mux.HandleFunc("GET /unit-indicators", s.unitIndicatorsPage)
	s.mux.HandleFunc("POST /unit-indicators", s.unitIndicatorPost)
}

// POST /models/counts (form: kind, unit, year, new, cumulative, of, note)
func (s *Server) tallyPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	form := r.PostForm
	t := resources.ModelTally{Kind: form.Get("kind"), UnitCode: strings.TrimSpace(form.Get("unit")), Note: strings.TrimSpace(form.Get("note"))}
	var err error
	for _, f := range []struct {
		field, label string
		v            *int
	}{{"year", "resources.field.year", &t.Year}, {"new", "resources.col.new", &t.New}, {"cumulative", "resources.col.cumulative", &t.Cumulative}, {"of", "resources.field.tally_of", &t.Of}} {
		if err == nil {
			*f.v, err = p.resInt(form, f.field, p.T(f.label))
		}
	}
	if err == nil {
		_, err = s.saveTally(r, p.User.user, 0, t)
	}
	if err != nil {
		s.resRefuse(w, r, p, err, s.resRedisplay(w, r, "/models", s.renderModels))
		return
	}
	http.Redirect(w, r, resBack("/models", r, "saved", 0), http.StatusSeeOther)
}

type resIndicatorsData struct {
	resPage
	Indicators []resources.UnitIndicatorEntry
}

// GET /unit-indicators?unit=&year=&as_of= — the figures of the unit and of the units below
// it for the year.
func (s *Server) unitIndicatorsPage(w http.ResponseWriter, r *http.Request) {
	s.renderUnitIndicators(w, r, nil, http.StatusOK)
}

func (s *Server) renderUnitIndicators(w http.ResponseWriter, r *http.Request, extra *resPage, status int) {
	p, rp, ok := s.resStart(w, r, "resources.indicators.title", "unit-indicators")
	if !ok {
		return
	}
	mergeRes(&rp, extra)
	d := resIndicatorsData{resPage: rp}
	var err error
	d.Indicators, err = s.db.ListUnitIndicators(r.Context(), store.UnitIndicatorFilter{AsOfScope: store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}, Year: rp.Year})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if rp.Unit != nil {
		p.Title = p.T("resources.indicators.title_of", p.UnitName(*rp.Unit))
	}
	p.Data = d
	s.render(w, r, status, "resources_unit_indicators", p)
}

// POST /unit-indicators (form: unit, year, code, name, measure, value, note)
func (s *Server) unitIndicatorPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	form := r.PostForm
	x := resources.UnitIndicator{UnitCode: strings.TrimSpace(form.Get("unit")), Code: strings.TrimSpace(form.Get("code")),
		Name: strings.TrimSpace(form.Get("name")), Measure: strings.TrimSpace(form.Get("measure")), Note: strings.TrimSpace(form.Get("note"))}
	var err error
	x.Year, err = p.resInt(form, "year", p.T("resources.field.year"))
	if err == nil {
		var v *resources.Fixed
		if v, err = p.resFixed(form, "value", p.T("resources.field.value")); err == nil && v == nil {
			err = &resFormError{p.T("resources.error.missing", p.T("resources.field.value"))}
		} else if err == nil {
			x.Value = v.Float()
		}
	}
	if err == nil {
		_, err = s.saveUnitIndicator(r, p.User.user, 0, x)
	}
	if err != nil {
		s.resRefuse(w, r, p, err, s.resRedisplay(w, r, "/unit-indicators", s.renderUnitIndicators))
		return
	}
	http.Redirect(w, r, resBack("/unit-indicators", r, "saved", 0), http.StatusSeeOther)
}
