package report

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"

	reportdata "github.com/ntm-vn/ntm/data/reports"
	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/units"
)

// Document is a report ready to be written as Markdown, HTML, PDF or a workbook.
type Document struct {
	Lang  string
	Kind  string // bulletin, progress, criteria, indicators
	Title string
	// Heading is the running header of every page: the unit and the period.
	Heading string
	// Filename is the name to save it under, without extension: "ban-tin-01-2026-Q2".
	Filename string
	AsOf     units.Date
	Markdown []byte  // the text
	blocks   []block // the text, read for HTML and PDF
	// Sheets are the tables of the workbook, in order.
	Sheets []*Table
	// Info describes the report (unit, set, period, as-of day) on the workbook's last sheet.
	Info [][2]string
	// Office is the header and signature block of the signed document (DOCX, PDF of a
	// bulletin): nil for the tables. Summary is its trích yếu, under the document type.
	Office  *Office
	Summary string
}

// Table kinds.
const (
	TableProgress   = "progress"   // progress by unit: the children figures
	TableCriteria   = "criteria"   // the criteria grid, units × criteria, ✓/✗
	TableIndicators = "indicators" // one unit's indicators with values and thresholds
)

// TableKinds lists the table kinds.
var TableKinds = []string{TableProgress, TableCriteria, TableIndicators}

// UnknownTable is the fault of a table kind that does not exist.
func UnknownTable(kind string) *fault.Error {
	return fault.Newf(fault.NotFound, "không có bảng %q; dùng progress, criteria hoặc indicators (no table %q: use progress, criteria or indicators)", kind, kind)
}

func layout(kind, lang, noun string) (*template.Template, error) {
	name := kind + "." + lang + ".md.tmpl"
	src, err := reportdata.FS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("no layout %s: %w", name, err)
	}
	// Parsed per call: the helpers are bound to the language and the noun. Parsing a layout
	// takes well under a millisecond.
	return template.New(name).Funcs(funcs(lang, noun)).Option("missingkey=error").Parse(string(src))
}

// Document writes the bulletin through its layout.
func (b *Bulletin) Document() (*Document, error) {
	t, err := layout("bulletin", b.Lang, b.Noun())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, b); err != nil {
		return nil, fmt.Errorf("bulletin layout: %w", err)
	}
	md := tidy(buf.Bytes())
	d := &Document{Lang: b.Lang, Kind: "bulletin", Title: titled(b.Lang, label(b.Lang, "bulletin.title"), b.Basis), AsOf: b.Period.AsOf,
		Heading:  b.Unit.Name + " — " + b.Period.Name(b.Lang),
		Filename: filename(b.Lang, "bulletin", b.Unit.Code, b.Period.Text), Markdown: md}
	d.blocks = parseMarkdown(md, map[string]*Chart{"distribution": distributionChart(b.Lang, b.Noun(), b.Bars()),
		"trend": trendChart(b.Lang, b.Noun(), b.Trend)})
	// The chart markers told the other formats where to draw; the Markdown an office opens
	// has no chart, and a stray "<!-- chart: … -->" in it is template residue.
	d.Markdown = withoutChartMarkers(md)
	d.Info = info(b.Lang, b.Unit, b.Set.ID, b.Set.Title, b.Period, b.Basis)
	d.Office, d.Summary = b.Office, label(b.Lang, "doc.summary.bulletin", "period", b.Period.Name(b.Lang))
	d.Sheets = append(d.Sheets, figuresTable(b), progressTable(b.Lang, b.Progress), criteriaReachTable(b.Lang, b.Progress))
	if len(b.Targets) > 0 {
		d.Sheets = append(d.Sheets, targetsTable(b))
	}
	return d, nil
}

// filename is the name a report is saved under: ASCII, with the unit and the period.
func filename(lang, kind, unit, period string) string {
	if unit == "" {
		unit = label(lang, "file.country")
	}
	return label(lang, "file."+kind) + "-" + unit + "-" + period
}

// titled is a report's title, which says when its figures include unapproved assessments.
func titled(lang, title string, basis app.Basis) string {
	if basis.ApprovedOnly() {
		return title
	}
	return title + " (" + basis.Label(lang) + ")"
}

func info(lang string, u UnitRef, setID, setTitle string, p Period, basis app.Basis) [][2]string {
	unit := u.Name
	if u.Code != "" {
		unit += " (" + u.Code + ")"
	}
	return [][2]string{
		{label(lang, "info.unit"), unit},
		{label(lang, "info.set"), setTitle + " (" + setID + ")"},
		{label(lang, "info.period"), p.Name(lang) + " (" + numfmt.Date(string(p.Start), lang) + " – " + numfmt.Date(string(p.End), lang) + ")"},
		{label(lang, "info.as_of"), numfmt.Date(string(p.AsOf), lang)},
		{label(lang, "info.basis"), basis.Label(lang)},
		{label(lang, "info.source"), label(lang, "info.source.text")},
	}
}

// BuildTable gathers a table report of the given kind.
func BuildTable(ctx context.Context, src Source, req Request, kind string) (*Document, error) {
	switch kind {
	case TableProgress, TableCriteria, TableIndicators:
	default:
		return nil, UnknownTable(kind)
	}
	c, err := resolve(ctx, src, req)
	if err != nil {
		return nil, err
	}
	lang, per := c.lang, c.period
	basis := app.BasisOf(req.IncludeUnapproved)
	d := &Document{Lang: lang, Kind: kind, Title: titled(lang, label(lang, "table."+kind+".title"), basis), AsOf: per.AsOf,
		Heading:  c.unit.Name + " — " + per.Name(lang),
		Filename: filename(lang, kind, c.unit.Code, per.Text), Info: info(lang, c.unit, c.set.ID, c.set.Title, per, basis)}
	intro := label(lang, "table.intro", "unit", c.unit.Name, "set", c.set.Title, "period", per.Name(lang),
		"date", numfmt.Date(string(per.AsOf), lang))
	d.blocks = []block{{kind: blockH1, text: d.Title}, {kind: blockPara, text: intro}}
	var t *Table
	switch kind {
	case TableProgress:
		p, err := progressOf(ctx, src.DB, c, req.Unit, per.AsOf, !req.IncludeUnapproved)
		if err != nil {
			return nil, err
		}
		t = progressTable(lang, p)
		d.blocks = append(d.blocks, block{kind: blockTable, table: t})
		if p.UnitsAssessed > 0 {
			d.blocks = append(d.blocks, block{kind: blockChart, chart: distributionChart(lang, nounOf(p), distributionBars(p.Report))})
		}
	case TableCriteria:
		g, err := app.CriteriaGrid(ctx, src.DB, c.set, req.Unit, per.AsOf, !req.IncludeUnapproved)
		if err != nil {
			return nil, err
		}
		t = gridTable(lang, g, app.Noun(units.Level(c.set.Level)))
		d.blocks = append(d.blocks, block{kind: blockTable, table: t})
	case TableIndicators:
		if req.Unit == "" {
			return nil, periodError("unit", label(lang, "error.indicators_unit"))
		}
		s, err := app.LatestSheet(ctx, src.DB, src.Catalog, c.set, req.Unit, per.AsOf)
		if err != nil {
			return nil, err
		}
		t = indicatorTable(lang, s)
		r := s.Result
		summary := label(lang, "table.indicators.summary", "period", s.Assessment.Period,
			"status", label(lang, "status."+string(s.Assessment.Status)),
			"criteria", numfmt.Int(r.CriteriaMet, lang)+"/"+numfmt.Int(r.CriteriaTotal, lang),
			"indicators", numfmt.Int(r.IndicatorsMet, lang)+"/"+numfmt.Int(r.IndicatorsTotal, lang))
		if r.Met {
			summary += " " + label(lang, "table.indicators.met")
		}
		d.blocks = append(d.blocks, block{kind: blockPara, text: summary}, block{kind: blockTable, table: t})
		if r.Unverified > 0 {
			d.blocks = append(d.blocks, block{kind: blockPara, text: label(lang, "table.indicators.unverified", "n", numfmt.Int(r.Unverified, lang))})
		}
	}
	d.Sheets = []*Table{t}
	// The page's heading already names the table: no caption repeats it.
	for i, bl := range d.blocks {
		if bl.kind == blockTable && bl.table.Title == d.Title {
			untitled := *bl.table
			untitled.Title = ""
			d.blocks[i].table = &untitled
		}
	}
	d.Markdown = writeMarkdown(d.blocks, lang)
	return d, nil
}

func nounOf(p app.Progress) string {
	if p.UnitNoun == "" {
		return "xã"
	}
	return p.UnitNoun
}

// ---------------------------------------------------------------------------------------
// The tables

// progressTable is progress by unit: one row per child of the root (or the root alone when it
// has none), and the root's figures as the total.
func progressTable(lang string, p app.Progress) *Table {
	noun := nounOf(p)
	withInd := p.IndicatorsTotal > 0
	withRec := p.UnitsRecognized > 0
	cols := []Column{
		{Header: label(lang, "col.code"), Width: 9},
		{Header: label(lang, "col.unit"), Width: 34, Wrap: true},
		{Header: label(lang, "col.units", "noun", nounFor(lang, noun, 2)), Width: 10, Right: true},
		{Header: label(lang, "col.assessed"), Width: 11, Right: true},
		{Header: label(lang, "col.met"), Width: 11, Right: true},
		{Header: label(lang, "col.share_met"), Width: 13, Right: true},
	}
	if withRec {
		cols = append(cols, Column{Header: label(lang, "col.recognized"), Width: 12, Right: true})
	}
	cols = append(cols,
		Column{Header: label(lang, "col.criteria_sum"), Width: 13, Right: true},
		Column{Header: label(lang, "col.criteria_avg", "noun", nounFor(lang, noun, 1)), Width: 14, Right: true})
	if withInd {
		cols = append(cols, Column{Header: label(lang, "col.indicators_pct"), Width: 13, Right: true})
	}
	row := func(r progress.Report, code, name string) []Cell {
		share := 0.0
		if r.UnitsTotal > 0 {
			share = 100 * float64(r.UnitsMet) / float64(r.UnitsTotal)
		}
		cells := []Cell{textCell(code), textCell(name), intCell(r.UnitsTotal), intCell(r.UnitsAssessed), intCell(r.UnitsMet), pctCell(share, 1)}
		if withRec {
			cells = append(cells, intCell(r.UnitsRecognized))
		}
		cells = append(cells, intCell(r.CriteriaMetSum), decCell(r.CriteriaMetAvg, 2))
		if withInd {
			cells = append(cells, pctCell(r.IndicatorsMetPct, 1))
		}
		if r.UnitsAssessed == 0 {
			for i := 6; i < len(cells); i++ {
				cells[i] = Cell{Kind: CellText, Text: "—", Tone: "muted"}
			}
		}
		return cells
	}
	t := &Table{Sheet: sheetName(label(lang, "sheet.progress")), Title: label(lang, "table.progress.title"), Columns: cols, Frozen: 2}
	kids := p.Children
	if len(kids) == 0 {
		kids = []progress.Report{p.Report}
	}
	for _, c := range kids {
		name := c.Name
		if name == "" {
			name = c.Code
		}
		t.Rows = append(t.Rows, row(c, c.Code, name))
	}
	total := row(p.Report, "", label(lang, "total"))
	for i := range total {
		total[i].Bold = true
	}
	t.Total = total
	return t
}

// criteriaReachTable is how many units meet each criterion.
func criteriaReachTable(lang string, p app.Progress) *Table {
	noun := nounOf(p)
	t := &Table{Sheet: sheetName(label(lang, "sheet.by_criterion")), Title: label(lang, "table.by_criterion.title"), Frozen: 1,
		Columns: []Column{
			{Header: label(lang, "col.criterion"), Width: 9, Right: true},
			{Header: label(lang, "col.criterion_name"), Width: 44, Wrap: true},
			{Header: label(lang, "col.units_met", "noun", nounFor(lang, noun, 2)), Width: 12, Right: true},
			{Header: label(lang, "col.units_not_met", "noun", nounFor(lang, noun, 2)), Width: 12, Right: true},
			{Header: label(lang, "col.share"), Width: 12, Right: true},
		}}
	for _, c := range p.ByCriterion {
		t.Rows = append(t.Rows, []Cell{intCell(c.Number), textCell(c.Name), intCell(c.UnitsMet), intCell(c.UnitsNotMet), pctCell(c.Share, 1)})
	}
	return t
}

// figuresTable is the bulletin's headline figures: now, at the start of the period, change.
func figuresTable(b *Bulletin) *Table {
	lang := b.Lang
	noun := b.Noun()
	t := &Table{Sheet: sheetName(label(lang, "sheet.figures")), Title: label(lang, "table.figures.title"), Frozen: 1,
		Columns: []Column{
			{Header: label(lang, "col.figure"), Width: 44, Wrap: true},
			{Header: label(lang, "col.now", "date", numfmt.Date(string(b.Period.AsOf), lang)), Width: 16, Right: true},
		}}
	compared := b.Compared()
	if compared {
		t.Columns = append(t.Columns,
			Column{Header: label(lang, "col.start", "date", numfmt.Date(string(b.Period.Before), lang)), Width: 16, Right: true},
			Column{Header: label(lang, "col.change"), Width: 12, Right: true})
	}
	add := func(key string, now, start float64, cell func(float64) Cell) {
		r := []Cell{textCell(label(lang, key, "noun", nounFor(lang, noun, 2), "noun1", nounFor(lang, noun, 1))), cell(now)}
		if compared {
			r = append(r, cell(start), cell(now-start))
		}
		t.Rows = append(t.Rows, r)
	}
	p := b.Progress
	var s app.Progress
	if compared {
		s = *b.Start
	}
	ints := func(x float64) Cell { return intCell(int(math.Round(x))) }
	add("fig.units_total", float64(p.UnitsTotal), float64(s.UnitsTotal), ints)
	add("fig.units_assessed", float64(p.UnitsAssessed), float64(s.UnitsAssessed), ints)
	add("fig.units_met", float64(p.UnitsMet), float64(s.UnitsMet), ints)
	if p.UnitsRecognized > 0 || s.UnitsRecognized > 0 {
		add("fig.units_recognized", float64(p.UnitsRecognized), float64(s.UnitsRecognized), ints)
	}
	add("fig.criteria_sum", float64(p.CriteriaMetSum), float64(s.CriteriaMetSum), ints)
	add("fig.criteria_avg", p.CriteriaMetAvg, s.CriteriaMetAvg, func(x float64) Cell { return decCell(x, 2) })
	if p.IndicatorsTotal > 0 {
		add("fig.indicators_pct", p.IndicatorsMetPct, s.IndicatorsMetPct, func(x float64) Cell { return pctCell(x, 1) })
	}
	for _, tr := range b.Tiers[1:] {
		r := []Cell{textCell(label(lang, "fig.tier_met", "tier", label(lang, "tier."+tr.Tier), "noun", nounFor(lang, noun, 2))), intCell(tr.UnitsMet)}
		if compared {
			if tr.StartMet != nil {
				r = append(r, intCell(*tr.StartMet), intCell(tr.New()))
			} else {
				r = append(r, Cell{}, Cell{})
			}
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// targetsTable is the plan targets with their actual figures.
func targetsTable(b *Bulletin) *Table {
	lang := b.Lang
	t := &Table{Sheet: sheetName(label(lang, "sheet.targets")), Title: label(lang, "table.targets.title", "year", strconv.Itoa(b.Period.Year())), Frozen: 1,
		Columns: []Column{
			{Header: label(lang, "col.metric"), Width: 40, Wrap: true},
			{Header: label(lang, "col.set"), Width: 16},
			{Header: label(lang, "col.target"), Width: 12, Right: true},
			{Header: label(lang, "col.actual"), Width: 12, Right: true},
			{Header: label(lang, "col.expected"), Width: 12, Right: true},
			{Header: label(lang, "col.on_track"), Width: 18},
		}}
	for _, ts := range b.Targets {
		actual := Cell{Kind: CellText, Text: "—", Tone: "muted"}
		if ts.Status.Actual != nil {
			actual = decCell(*ts.Status.Actual, 2)
		}
		tone := map[string]string{progress.StatusMet: "met", progress.StatusOffTrack: "not_met"}[ts.Status.OnTrack]
		t.Rows = append(t.Rows, []Cell{textCell(metricName(lang, b.Noun(), ts.Metric)), textCell(ts.SetID), decCell(ts.Value, 2), actual,
			decCell(ts.Status.Expected, 2), {Kind: CellText, Text: label(lang, "target."+ts.Status.OnTrack), Tone: tone}})
	}
	return t
}

// gridTable is the criteria grid: one row per unit, a ✓ or ✗ per criterion.
func gridTable(lang string, g app.Grid, noun string) *Table {
	cols := []Column{{Header: label(lang, "col.code"), Width: 9}, {Header: label(lang, "col.unit"), Width: 30, Wrap: true}}
	for _, c := range g.Criteria {
		cols = append(cols, Column{Header: label(lang, "col.tc", "n", strconv.Itoa(c.Number)), Width: 5.5, Right: true})
	}
	cols = append(cols,
		Column{Header: label(lang, "col.criteria_met"), Width: 10, Right: true},
		Column{Header: label(lang, "col.set_met"), Width: 10},
		Column{Header: label(lang, "col.period"), Width: 10})
	t := &Table{Sheet: sheetName(label(lang, "sheet.criteria")), Title: label(lang, "table.criteria.title"), Columns: cols,
		Landscape: len(g.Criteria) > 6, Frozen: 2}
	counts := make([]int, len(g.Criteria))
	assessed, met := 0, 0
	for _, r := range g.Rows {
		row := []Cell{textCell(r.Code), textCell(r.Name)}
		if !r.Assessed {
			for range g.Criteria {
				row = append(row, Cell{Kind: CellText, Text: "", Tone: "muted"})
			}
			row = append(row, Cell{}, Cell{}, Cell{Kind: CellText, Text: label(lang, "not_assessed"), Tone: "muted"})
			t.Rows = append(t.Rows, row)
			continue
		}
		assessed++
		for i, m := range r.Met {
			row = append(row, markCell(m))
			if m {
				counts[i]++
			}
		}
		setMet := Cell{Kind: CellText, Text: label(lang, "set_met.no")}
		if r.SetMet {
			setMet = Cell{Kind: CellText, Text: label(lang, "set_met.yes"), Tone: "met"}
			met++
		}
		row = append(row, intCell(r.CriteriaMet), setMet, textCell(r.Period))
		t.Rows = append(t.Rows, row)
	}
	total := []Cell{textCell(""), textCell(label(lang, "grid.total", "noun", nounFor(lang, noun, 2)))}
	for _, n := range counts {
		total = append(total, intCell(n))
	}
	total = append(total, textCell(""), intCell(met), textCell(label(lang, "grid.assessed", "n", numfmt.Int(assessed, lang))))
	for i := range total {
		total[i].Bold = true
	}
	t.Total = total
	return t
}

// indicatorTable is one unit's criteria and indicators with values, thresholds and verdicts.
func indicatorTable(lang string, s app.UnitSheet) *Table {
	t := &Table{Sheet: sheetName(label(lang, "sheet.indicators")), Title: label(lang, "table.indicators.title"), Frozen: 1,
		Columns: []Column{
			{Header: label(lang, "col.ind_code"), Width: 8},
			{Header: label(lang, "col.ind_name"), Width: 50, Wrap: true},
			{Header: label(lang, "col.ind_unit"), Width: 10},
			{Header: label(lang, "col.value"), Width: 12, Right: true},
			{Header: label(lang, "col.required"), Width: 14},
			{Header: label(lang, "col.verdict"), Width: 16},
			{Header: label(lang, "col.note"), Width: 30, Wrap: true},
		}}
	r := s.Result
	tone := func(st criteria.Status) string {
		switch st {
		case criteria.StatusMet:
			return "met"
		case criteria.StatusNotMet:
			return "not_met"
		}
		return "muted"
	}
	for _, cv := range r.Criteria {
		note := ""
		if cv.Direct {
			note = label(lang, "note.direct")
		}
		row := []Cell{
			{Kind: CellText, Text: label(lang, "col.tc", "n", strconv.Itoa(cv.Number)), Bold: true},
			{Kind: CellText, Text: cv.Name, Bold: true}, {}, {}, {},
			{Kind: CellText, Text: label(lang, "verdict."+cv.Status.String()), Bold: true, Tone: tone(cv.Status)},
			textCell(note),
		}
		t.Rows = append(t.Rows, row)
		for i := range r.Indicators {
			v := &r.Indicators[i]
			if v.Criterion != cv.Number {
				continue
			}
			name, unit := "", ""
			op := criteria.OpAtLeast
			if in := v.Indicator(); in != nil {
				name, unit, op = in.Name, in.Unit, in.Op
			}
			var notes []string
			if v.Threshold.IsSet() && !v.Verified {
				notes = append(notes, label(lang, "note.unverified"))
			}
			if v.Status == criteria.StatusError || v.Status == criteria.StatusMissing && v.Detail != "" {
				notes = append(notes, v.Reason(lang))
			}
			t.Rows = append(t.Rows, []Cell{textCell(v.Code), textCell(name), textCell(unit), valueCell(v.Value, lang),
				textCell(required(op, v.Threshold, lang)),
				{Kind: CellText, Text: label(lang, "verdict."+v.Status.String()), Tone: tone(v.Status)},
				textCell(strings.Join(notes, "; "))})
		}
	}
	return t
}

// valueCell is an indicator's value: a number stays a number.
func valueCell(v criteria.Value, lang string) Cell {
	switch v.Kind {
	case criteria.ValueNumber:
		return decCell(v.Num, places(v.Num))
	case criteria.ValueNone:
		return Cell{}
	}
	return textCell(v.Text(lang))
}

// places is how many decimals show a value as entered (at most 2).
func places(x float64) int {
	for p := 0; p < 2; p++ {
		if math.Abs(x*math.Pow10(p)-math.Round(x*math.Pow10(p))) < 1e-9 {
			return p
		}
	}
	return 2
}

// required writes a threshold with its comparator: "≥ 95", "đạt".
func required(op criteria.Op, th criteria.Value, lang string) string {
	if !th.IsSet() {
		return ""
	}
	if th.Kind == criteria.ValueBool {
		return th.Text(lang)
	}
	sym := map[criteria.Op]string{criteria.OpAtLeast: "≥ ", criteria.OpAtMost: "≤ ", criteria.OpEqual: "= "}[op]
	return sym + th.Text(lang)
}
