package report

import "github.com/ntm-vn/ntm/internal/numfmt"

// CellKind says what a table cell holds: numbers stay numbers in a workbook and are
// written the language's way everywhere else.
type CellKind int

const (
	CellEmpty   CellKind = iota
	CellText             // Text
	CellInt              // Num, a whole number
	CellDecimal          // Num with Places decimals
	CellPercent          // Num, already × 100, with Places decimals
	CellMark             // Met: ✓ or ✗
)

// Cell is one cell of a table.
type Cell struct {
	Kind   CellKind
	Text   string
	Num    float64
	Places int
	Met    bool // for CellMark
	Bold   bool
	// Tone colours the cell: "met", "not_met", "muted" or "".
	Tone string
}

// Marks of the criteria grid.
const (
	MarkMet    = "✓"
	MarkNotMet = "✗"
)

func textCell(s string) Cell        { return Cell{Kind: CellText, Text: s} }
func intCell(n int) Cell            { return Cell{Kind: CellInt, Num: float64(n)} }
func decCell(x float64, p int) Cell { return Cell{Kind: CellDecimal, Num: x, Places: p} }
func pctCell(x float64, p int) Cell { return Cell{Kind: CellPercent, Num: x, Places: p} }
func markCell(met bool) Cell {
	if met {
		return Cell{Kind: CellMark, Met: true, Tone: "met"}
	}
	return Cell{Kind: CellMark, Tone: "not_met"}
}

// String writes the cell for people in lang.
func (c Cell) String(lang string) string {
	switch c.Kind {
	case CellText:
		return c.Text
	case CellInt:
		return numfmt.Int(int(c.Num), lang)
	case CellDecimal:
		return numfmt.Decimal(c.Num, c.Places, lang)
	case CellPercent:
		return numfmt.Decimal(c.Num, c.Places, lang)
	case CellMark:
		if c.Met {
			return MarkMet
		}
		return MarkNotMet
	}
	return ""
}

// numeric reports whether the cell is a number (right-aligned, stored as a number).
func (c Cell) numeric() bool {
	return c.Kind == CellInt || c.Kind == CellDecimal || c.Kind == CellPercent
}

// Column is a column of a table.
type Column struct {
	Header string
	// Width is the column's width in characters (a workbook's unit); 0 picks one from the
	// header and the cells.
	Width float64
	Right bool // numbers: right-aligned
	Wrap  bool // long text that may wrap
}

// Table is a table of a report: a sheet of a workbook, a table of a PDF or an HTML page.
type Table struct {
	Sheet   string // the workbook's sheet name (at most 31 characters)
	Title   string
	Columns []Column
	Rows    [][]Cell
	Total   []Cell // a closing row in bold ("Tổng cộng"), or nil
	// Landscape prints the table across an A4 page (many columns).
	Landscape bool
	// Frozen is how many leading columns stay in view when scrolling sideways: 1 or more.
	Frozen int
}

// width returns the width of column i in characters.
func (t *Table) width(i int, lang string) float64 {
	if w := t.Columns[i].Width; w > 0 {
		return w
	}
	w := 6.0
	longest := func(s string) float64 {
		n := 0
		for range s {
			n++
		}
		return float64(n)
	}
	w = max(w, min(longest(t.Columns[i].Header), 24)+2)
	for _, r := range append(t.Rows, t.Total) {
		if i < len(r) {
			w = max(w, min(longest(r[i].String(lang)), 48)+2)
		}
	}
	return w
}

// Chart is a bar chart: the distribution of units by criteria met.
type Chart struct {
	Name   string
	Title  string
	XLabel string
	YLabel string
	Bars   []Bar
}

// Bar is one bar of a chart.
type Bar struct {
	Label string
	Value float64
}

// maxValue is the largest bar.
func (c *Chart) maxValue() float64 {
	m := 0.0
	for _, b := range c.Bars {
		m = max(m, b.Value)
	}
	return m
}

// distributionChart is the chart of how many units meet each number of criteria.
func distributionChart(lang, noun string, bars []Bar) *Chart {
	return &Chart{Name: "distribution", Title: label(lang, "chart.distribution.title", "noun", nounFor(lang, noun, 2)),
		XLabel: label(lang, "chart.distribution.x"), YLabel: label(lang, "chart.distribution.y", "noun", nounFor(lang, noun, 2)), Bars: bars}
}

// trendChart is the chart of how many units met the set at each year's end and on the
// period's end; nil without bars.
func trendChart(lang, noun string, bars []Bar) *Chart {
	if len(bars) == 0 {
		return nil
	}
	return &Chart{Name: "trend", Title: label(lang, "chart.trend.title", "noun", nounFor(lang, noun, 2)),
		XLabel: label(lang, "chart.trend.x"), YLabel: label(lang, "chart.trend.y", "noun", nounFor(lang, noun, 2)), Bars: bars}
}

// nounFor is the noun of units for n of them in lang (labels noun.xã, noun.xã.many); a noun
// without a label is written as given.
func nounFor(lang, noun string, n int) string {
	key := "noun." + noun
	if n != 1 {
		key += ".many"
	}
	if hasLabel(lang, key) {
		return label(lang, key)
	}
	return noun
}

// sheetName cuts a name to what a workbook allows.
func sheetName(s string) string {
	r := []rune(s)
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}
