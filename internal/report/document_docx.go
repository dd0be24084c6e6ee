package report

import (
	"github.com/ntm-vn/ntm/internal/i18n"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/report/docx"
)

// The DOCX of a report: the signed document's layout (data/reports/document.yaml, Nghị định
// 30/2020/NĐ-CP) — the header block as a borderless two-column table, the document type and
// its summary, the text with "-" items, real tables, the recipients and the signature block —
// then the report's tables as annexes, wide ones on landscape pages. The tables alone are
// written with their title and introduction, without a header block.

// FormatDOCX is a WordprocessingML document.
const FormatDOCX = "docx"

// DOCX writes the document as a .docx package.
func (d *Document) DOCX() ([]byte, error) {
	lay, err := documentLayout()
	if err != nil {
		return nil, err
	}
	x := docxWriter{d: d, lay: lay}
	out := x.document()
	return out.Write()
}

type docxWriter struct {
	d        *Document
	lay      docLayout
	sections []docx.Section
}

func (x *docxWriter) page() docx.Page {
	p := x.lay.Page
	return docx.Page{WidthMM: p.WidthMM, HeightMM: p.HeightMM, TopMM: p.TopMM, BottomMM: p.BottomMM, LeftMM: p.LeftMM,
		RightMM: p.RightMM, HeaderMM: p.HeaderMM, FooterMM: p.FooterMM, Font: p.Font, SizePt: p.SizePt,
		LineSpacing: p.LineSpacing, SpaceAfterPt: p.SpaceAfterPt, FirstLineMM: p.FirstLineMM, PageNumberSizePt: p.PageNumberSizePt}
}

// textWidth is the width of the text on a page, in millimetres.
func (x *docxWriter) textWidth(landscape bool) float64 {
	p := x.lay.Page
	if landscape {
		return p.HeightMM - p.LeftMM - p.RightMM
	}
	return p.WidthMM - p.LeftMM - p.RightMM
}

// add puts blocks on pages of the orientation asked, starting a section when it changes.
func (x *docxWriter) add(landscape bool, blocks ...docx.Block) {
	if n := len(x.sections); n == 0 || x.sections[n-1].Landscape != landscape {
		x.sections = append(x.sections, docx.Section{Landscape: landscape})
	}
	s := &x.sections[len(x.sections)-1]
	s.Blocks = append(s.Blocks, blocks...)
}

func (x *docxWriter) document() *docx.Document {
	d := x.d
	day, err := time.Parse(time.DateOnly, string(d.AsOf))
	if err != nil {
		day = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if d.Office != nil && d.Office.Date != "" {
		if t, err := time.Parse(time.DateOnly, string(d.Office.Date)); err == nil {
			day = t
		}
	}
	lang := map[string]string{"vi": "vi-VN", "en": "en-GB"}[d.Lang]
	if d.Office != nil {
		x.add(false, x.header()...)
		for _, bl := range d.blocks {
			if bl.kind == blockH1 {
				continue // the document type and summary stand for it
			}
			x.block(bl, false)
		}
		x.add(false, x.signature())
		for i, t := range d.Sheets {
			x.annex(i+1, t)
		}
	} else {
		for _, bl := range d.blocks {
			x.block(bl, false)
		}
	}
	return &docx.Document{Page: x.page(), Title: d.Title + " — " + d.Heading, Subject: d.Heading, Creator: "ntm", Lang: lang,
		Created: day, Sections: x.sections, PageNumbers: true}
}

func (x *docxWriter) landscape(t *Table) bool {
	return t.Landscape || x.lay.LandscapeColumns > 0 && len(t.Columns) > x.lay.LandscapeColumns
}

func runs(text string) []docx.Run {
	var out []docx.Run
	for _, sp := range spans(text) {
		out = append(out, docx.Run{Text: sp.text, Bold: sp.bold})
	}
	return out
}

func (x *docxWriter) block(bl block, landscape bool) {
	switch bl.kind {
	case blockH1:
		x.add(landscape, docx.Paragraph{Runs: []docx.Run{{Text: plain(bl.text), Bold: true}}, Align: docx.Center, SpaceAfterPt: 6, KeepNext: true})
	case blockH2:
		x.add(landscape, docx.Paragraph{Runs: []docx.Run{{Text: plain(bl.text), Bold: true}}, Align: docx.Justify, FirstLine: true,
			SpaceBeforePt: 6, SpaceAfterPt: -1, KeepNext: true})
	case blockH3:
		x.add(landscape, docx.Paragraph{Runs: []docx.Run{{Text: plain(bl.text), Bold: true}}, Align: docx.Justify, FirstLine: true,
			SpaceAfterPt: -1, KeepNext: true})
	case blockPara:
		x.add(landscape, docx.Paragraph{Runs: runs(bl.text), Align: docx.Justify, FirstLine: true, SpaceAfterPt: -1})
	case blockItem:
		x.add(landscape, docx.Paragraph{Runs: append([]docx.Run{{Text: "- "}}, runs(bl.text)...), Align: docx.Justify, FirstLine: true, SpaceAfterPt: -1})
	case blockTable:
		wide := x.landscape(bl.table)
		if bl.table.Title != "" {
			x.add(wide || landscape, docx.Paragraph{Runs: []docx.Run{{Text: bl.table.Title, Bold: true}}, Align: docx.Center, SpaceBeforePt: 6, SpaceAfterPt: 6, KeepNext: true})
		}
		x.add(wide || landscape, x.table(bl.table, wide || landscape))
	case blockChart:
		if img, ok := chartImage(bl.chart, x.d.Lang); ok {
			x.add(landscape, img)
		}
	}
}

// header is the header block (a borderless table: the issuing body left, the national title
// and motto right, the number and the place and date below them), then the document type
// and its summary.
func (x *docxWriter) header() []docx.Block {
	d, o := x.d, x.d.Office
	lang, size := d.Lang, x.lay.HeaderSizePt
	width := x.textWidth(false)
	left, right := width*0.4, width*0.6
	line := func(text string, bold bool, sz float64) docx.Paragraph {
		return docx.Paragraph{Runs: []docx.Run{{Text: text, Bold: bold, SizePt: sz}}, Align: docx.Center, Compact: true}
	}
	rule := func(cell, length float64) docx.Paragraph {
		in := max((cell-length)/2, 0)
		return docx.Paragraph{Rule: true, Compact: true, IndentLeftMM: in, IndentRightMM: in, Align: docx.Center}
	}
	var leftCell []docx.Paragraph
	if o.Profile.Parent != "" {
		leftCell = append(leftCell, line(o.Profile.Parent, false, size))
	}
	leftCell = append(leftCell, line(o.Profile.Body, true, size), rule(left, left*0.4))
	rightCell := []docx.Paragraph{line(label(lang, "doc.national"), true, size), line(label(lang, "doc.motto"), true, x.lay.MottoSizePt),
		rule(right, right*0.62)}
	number := docx.Paragraph{Runs: []docx.Run{{Text: label(lang, "doc.number", "number", o.Profile.Number(o.Number)), SizePt: size}}, Align: docx.Center, Compact: true}
	date := docx.Paragraph{Runs: []docx.Run{{Text: x.dateLine(), Italic: true, SizePt: x.lay.MottoSizePt}}, Align: docx.Center, Compact: true}
	head := docx.Table{WidthsMM: []float64{left, right}, Borderless: true, Rows: []docx.Row{
		{Cells: []docx.Cell{{Paragraphs: leftCell}, {Paragraphs: rightCell}}},
		{Cells: []docx.Cell{{Paragraphs: []docx.Paragraph{number}}, {Paragraphs: []docx.Paragraph{date}}}},
	}}
	out := []docx.Block{head}
	if o.Number == 0 {
		out = append(out, docx.Paragraph{Runs: []docx.Run{{Text: label(lang, "doc.draft"), Bold: true, SizePt: size}}, Align: docx.Left, Compact: true, SpaceBeforePt: 6})
	}
	out = append(out,
		docx.Paragraph{Runs: []docx.Run{{Text: label(lang, "doc.type."+d.Kind), Bold: true}}, Align: docx.Center, Compact: true, SpaceBeforePt: 18, KeepNext: true},
		docx.Paragraph{Runs: []docx.Run{{Text: d.Summary, Bold: true}}, Align: docx.Center, Compact: true, KeepNext: true},
		rule(width, 40),
		docx.Paragraph{Compact: true, SpaceAfterPt: 6})
	return out
}

// dateLine is the place and date: "Hà Nội, ngày 05 tháng 01 năm 2026" (days below 10 and the
// months January and February with a leading zero), left blank for the day a draft is signed.
func (x *docxWriter) dateLine() string {
	return officeDateLine(x.d)
}

func officeDateLine(d *Document) string {
	o := d.Office
	year := string(d.AsOf)[:4]
	if o.Date == "" {
		return label(d.Lang, "doc.date.blank", "place", o.Profile.Place, "year", year)
	}
	day, _ := strconv.Atoi(string(o.Date)[8:10])
	month, _ := strconv.Atoi(string(o.Date)[5:7])
	ds, ms := strconv.Itoa(day), strconv.Itoa(month)
	if d.Lang != "en" {
		ds = numfmt.Pad2(day)
		if month <= 2 {
			ms = numfmt.Pad2(month)
		}
	}
	return label(d.Lang, "doc.date", "place", o.Profile.Place, "day", ds, "month", ms, "year", string(o.Date)[:4],
		"month_name", i18n.T(d.Lang, "period.month_name."+strconv.Itoa(month)))
}

// signature is the recipients (left) and the signer (right), a borderless table.
func (x *docxWriter) signature() docx.Block {
	o := x.d.Office
	width := x.textWidth(false)
	var rec []docx.Paragraph
	rec = append(rec, docx.Paragraph{Runs: []docx.Run{{Text: label(x.d.Lang, "doc.recipients"), Bold: true, Italic: true, SizePt: x.lay.RecipientsTitleSizePt}}, Compact: true})
	for _, r := range o.Profile.Recipients {
		rec = append(rec, docx.Paragraph{Runs: []docx.Run{{Text: "- " + r, SizePt: x.lay.RecipientsSizePt}}, Compact: true})
	}
	line := func(text string, bold bool) docx.Paragraph {
		return docx.Paragraph{Runs: []docx.Run{{Text: text, Bold: bold}}, Align: docx.Center, Compact: true}
	}
	var sign []docx.Paragraph
	if o.Profile.Authority != "" {
		sign = append(sign, line(o.Profile.Authority, true))
	}
	sign = append(sign, line(o.Profile.SignerTitle, true))
	for range 4 {
		sign = append(sign, line("", false))
	}
	sign = append(sign, line(o.Profile.SignerName, true))
	return docx.Table{WidthsMM: []float64{width * 0.5, width * 0.5}, Borderless: true,
		Rows: []docx.Row{{CantSplit: true, Cells: []docx.Cell{{Paragraphs: rec}, {Paragraphs: sign}}}}}
}

// annex is a table of the report after the signature, on a page of its own: "Phụ lục 1",
// its title, what report it belongs to.
func (x *docxWriter) annex(n int, t *Table) {
	d, o := x.d, x.d.Office
	wide := x.landscape(t)
	intro := o.annexIntro(d.Lang)
	x.add(wide,
		docx.Paragraph{Runs: []docx.Run{{Text: label(d.Lang, "doc.annex", "n", romanNumeral(n)), Bold: true}}, Align: docx.Center, Compact: true, PageBreakBefore: !wide || n > 1 && x.landscape(d.Sheets[n-2]), KeepNext: true},
		docx.Paragraph{Runs: []docx.Run{{Text: strings.ToUpper(t.Title), Bold: true}}, Align: docx.Center, Compact: true, KeepNext: true},
		docx.Paragraph{Runs: []docx.Run{{Text: intro, Italic: true}}, Align: docx.Center, Compact: true, SpaceAfterPt: 6, KeepNext: true},
		x.table(t, wide))
}

// romanNumeral writes an annex number the way documents do: "Phụ lục I", "Phụ lục IV".
func romanNumeral(n int) string {
	var b strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= r.v; n -= r.v {
			b.WriteString(r.s)
		}
	}
	return b.String()
}

// table is a real table: header row repeated on each page, numbers right-aligned, totals bold.
func (x *docxWriter) table(t *Table, landscape bool) docx.Table {
	lang := x.d.Lang
	avail := x.textWidth(landscape)
	widths := make([]float64, len(t.Columns))
	sum := 0.0
	for i := range t.Columns {
		widths[i] = t.width(i, lang)
		sum += widths[i]
	}
	for i := range widths {
		widths[i] *= avail / sum
	}
	size := x.lay.TableSizePt
	if len(t.Columns) > 14 {
		size = max(size-2, 9)
	}
	out := docx.Table{WidthsMM: widths, HeaderRows: 1, SizePt: size}
	head := docx.Row{CantSplit: true}
	for _, c := range t.Columns {
		head.Cells = append(head.Cells, docx.Cell{VCenter: true, Paragraphs: []docx.Paragraph{{Runs: []docx.Run{{Text: c.Header, Bold: true}}, Align: docx.Center, Compact: true}}})
	}
	out.Rows = append(out.Rows, head)
	rows := t.Rows
	if t.Total != nil {
		rows = append(rows[:len(rows):len(rows)], t.Total)
	}
	for _, r := range rows {
		row := docx.Row{CantSplit: true}
		for i := range t.Columns {
			var c Cell
			if i < len(r) {
				c = r[i]
			}
			align := docx.Left
			switch {
			case c.Kind == CellMark:
				align = docx.Center
			case c.numeric() || t.Columns[i].Right:
				align = docx.Right
			}
			row.Cells = append(row.Cells, docx.Cell{VCenter: true, Paragraphs: []docx.Paragraph{{Runs: []docx.Run{{Text: c.String(lang), Bold: c.Bold}}, Align: align, Compact: true}}})
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}
