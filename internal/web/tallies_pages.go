package web

import (
	"net/http"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
)

// The aggregate registers' pages (issue 13.8): counts of models are entered on the models
// page (POST /models/counts) and listed there; a unit's own figures have their tab,
// /unit-indicators.

func (s *Server) talliesPageRoutes() {
	s.mux.HandleFunc("POST /models/counts", s.resPostTo(modelsView, "saved", s.tallySave))
	s.mux.HandleFunc("GET /unit-indicators", s.resGet(unitIndicatorsView))
	s.mux.HandleFunc("POST /unit-indicators", s.resPostTo(unitIndicatorsView, "saved", s.unitIndicatorSave))
}

// POST /models/counts (form: kind, unit, year, new, cumulative, of, note)
func (s *Server) tallySave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	t := resources.ModelTally{Kind: fm.form.Get("kind"), UnitCode: fm.text("unit"), Note: fm.text("note")}
	t.Year = fm.int("year", p.T("resources.field.year"))
	t.New = fm.int("new", p.T("resources.col.new"))
	t.Cumulative = fm.int("cumulative", p.T("resources.col.cumulative"))
	t.Of = fm.int("of", p.T("resources.field.tally_of"))
	return resSave(r, p, fm, s.saveTally, t)
}

type resIndicatorsData struct {
	resPage
	Indicators []resources.UnitIndicatorEntry
}

// GET /unit-indicators?unit=&year=&as_of= — the figures of the unit and of the units below
// it for the year.
var unitIndicatorsView = resView{path: "/unit-indicators", key: "indicators", tab: "unit-indicators", template: "resources_unit_indicators",
	load: (*Server).unitIndicatorsData}

func (s *Server) unitIndicatorsData(r *http.Request, p *page, rp resPage) (any, error) {
	d := resIndicatorsData{resPage: rp}
	var err error
	d.Indicators, err = s.db.ListUnitIndicators(r.Context(), store.UnitIndicatorFilter{AsOfScope: store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}, Year: rp.Year})
	return d, err
}

// POST /unit-indicators (form: unit, year, code, name, measure, value, note)
func (s *Server) unitIndicatorSave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	x := resources.UnitIndicator{UnitCode: fm.text("unit"), Code: fm.text("code"),
		Name: fm.text("name"), Measure: fm.text("measure"), Note: fm.text("note")}
	x.Year = fm.int("year", p.T("resources.field.year"))
	if v := fm.fixed("value", p.T("resources.field.value")); v != nil {
		x.Value = v.Float()
	} else {
		fm.fail(&resFormError{p.T("resources.error.missing", p.T("resources.field.value"))})
	}
	return resSave(r, p, fm, s.saveUnitIndicator, x)
}
