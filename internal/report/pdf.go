package report

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"

	fontdata "github.com/ntm-vn/ntm/data/fonts"
	"github.com/ntm-vn/ntm/internal/numfmt"
)

// The PDF: A4, DejaVu Sans embedded (every Vietnamese letter), the unit and the period at
// the top of every page, "Trang 2/5" at the bottom, tables with their header repeated on
// each page, and the distribution drawn as a bar chart with fpdf's lines and rectangles.

const pdfFont = "DejaVu"

// colours, as RGB.
var (
	colText   = [3]int{20, 20, 20}
	colMuted  = [3]int{110, 110, 110}
	colMet    = [3]int{0, 110, 50}
	colNotMet = [3]int{180, 30, 30}
	colHead   = [3]int{221, 235, 247}
	colRule   = [3]int{170, 170, 170}
	colBar    = [3]int{46, 117, 182}
)

// PDF writes the document as an A4 PDF: a report an office signs in its own layout
// (pdf_document.go), the others as below.
func (d *Document) PDF() ([]byte, error) {
	if d.Office != nil {
		return d.signedPDF()
	}
	orient := "P"
	for _, bl := range d.blocks {
		if bl.kind == blockTable && bl.table.Landscape {
			orient = "L"
		}
	}
	pdf := fpdf.New(orient, "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.AliasNbPages("{nb}") // before the fonts: the subsets keep room for the page count
	pdf.AddUTF8FontFromBytes(pdfFont, "", fontdata.Regular)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", fontdata.Bold)
	// The same report gives the same file: dates are the as-of day, not the time of writing.
	day, err := time.Parse(time.DateOnly, string(d.AsOf))
	if err != nil {
		day = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(day)
	pdf.SetModificationDate(day)
	pdf.SetTitle(d.Title+" — "+d.Heading, true)
	pdf.SetSubject(d.Heading, true)
	pdf.SetAuthor("ntm", true)
	pdf.SetCreator("ntm", true)
	pdf.SetLang(d.Lang)
	pdf.SetMargins(18, 18, 15)
	pdf.SetAutoPageBreak(true, 16)
	p := &pdfWriter{pdf: pdf, lang: d.Lang, font: pdfFont}
	pdf.SetHeaderFunc(func() {
		w, _ := pdf.GetPageSize()
		l, _, r, _ := pdf.GetMargins()
		pdf.SetFont(p.font, "", 8)
		p.color(colMuted)
		pdf.SetXY(l, 9)
		pdf.CellFormat((w-l-r)*0.65, 5, d.Heading, "", 0, "L", false, 0, "")
		pdf.CellFormat((w-l-r)*0.35, 5, d.Title, "", 0, "R", false, 0, "")
		p.draw(colRule)
		pdf.SetLineWidth(0.2)
		pdf.Line(l, 14.5, w-r, 14.5)
		pdf.SetXY(l, 18)
		p.color(colText)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-11)
		pdf.SetFont(p.font, "", 8)
		p.color(colMuted)
		pdf.CellFormat(0, 5, label(d.Lang, "page.of", "n", strconv.Itoa(pdf.PageNo()), "total", "{nb}"), "", 0, "C", false, 0, "")
		p.color(colText)
	})
	pdf.AddPage()
	for _, bl := range d.blocks {
		p.block(bl)
	}
	return pdfBytes(pdf)
}

// pdfBytes is the finished document, or the first error met in writing it.
func pdfBytes(pdf *fpdf.Fpdf) ([]byte, error) {
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return out.Bytes(), nil
}

type pdfWriter struct {
	pdf  *fpdf.Fpdf
	lang string
	font string // the family the text is set in
	// tableSize is the text of tables in points; 0 the bulletin's 8.
	tableSize float64
}

func (p *pdfWriter) color(c [3]int) { p.pdf.SetTextColor(c[0], c[1], c[2]) }
func (p *pdfWriter) fill(c [3]int)  { p.pdf.SetFillColor(c[0], c[1], c[2]) }
func (p *pdfWriter) draw(c [3]int)  { p.pdf.SetDrawColor(c[0], c[1], c[2]) }

// room starts a new page when less than h millimetres are left.
func (p *pdfWriter) room(h float64) {
	_, ph := p.pdf.GetPageSize()
	_, bottom := p.pdf.GetAutoPageBreak()
	if p.pdf.GetY()+h > ph-bottom {
		p.pdf.AddPage()
	}
}

// pdfHeadings is how each level of heading is set: the room it needs below it on the page
// (0: none, nor space before), the space before, the size, the line height, the alignment
// and the space after, in millimetres and points.
var pdfHeadings = map[blockKind]struct {
	room, before, size, line float64
	align                    string
	after                    float64
}{
	blockH1: {size: 13, line: 7, align: "C", after: 2},
	blockH2: {room: 24, before: 3, size: 12, line: 6, align: "L", after: 1},
	blockH3: {room: 18, before: 1.5, size: 10.5, line: 5.5, align: "L", after: 0.5},
}

func (p *pdfWriter) block(bl block) {
	pdf := p.pdf
	switch bl.kind {
	case blockH1, blockH2, blockH3:
		h := pdfHeadings[bl.kind]
		if h.room > 0 {
			p.room(h.room)
			pdf.Ln(h.before)
		}
		pdf.SetFont(p.font, "B", h.size)
		pdf.MultiCell(0, h.line, plain(bl.text), "", h.align, false)
		pdf.Ln(h.after)
	case blockPara:
		p.rich(bl.text, 10, 5)
		pdf.Ln(6.5)
	case blockItem:
		l, _, _, _ := pdf.GetMargins()
		pdf.SetFont(p.font, "", 10)
		pdf.SetX(l + 1)
		pdf.CellFormat(4, 5, "•", "", 0, "L", false, 0, "")
		pdf.SetLeftMargin(l + 5)
		pdf.SetX(l + 5)
		p.rich(bl.text, 10, 5)
		pdf.SetLeftMargin(l)
		pdf.Ln(6)
	case blockTable:
		p.table(bl.table)
		pdf.Ln(3)
	case blockChart:
		p.chart(bl.chart)
		pdf.Ln(3)
	}
}

// rich writes inline text with its bold runs, wrapping at the margins.
func (p *pdfWriter) rich(text string, size, lineH float64) {
	for _, sp := range spans(text) {
		style := ""
		if sp.bold {
			style = "B"
		}
		p.pdf.SetFont(p.font, style, size)
		p.pdf.Write(lineH, sp.text)
	}
	p.pdf.SetFont(p.font, "", size)
}

// table draws t across the text width, wrapping long cells and repeating the header on each
// new page.
func (p *pdfWriter) table(t *Table) {
	pdf := p.pdf
	_, ph := pdf.GetPageSize()
	_, bottom := pdf.GetAutoPageBreak()
	tb := p.tableLayout(t)
	pdf.SetCellMargin(cellPad)
	pdf.SetLineWidth(0.15)
	p.draw(colRule)
	headers := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		headers[i] = c.Header
	}
	head, headH := tb.layoutRow(headers, nil, true)
	auto, margin := pdf.GetAutoPageBreak()
	pdf.SetAutoPageBreak(false, margin)
	defer pdf.SetAutoPageBreak(auto, margin)
	if t.Title != "" {
		p.room(headH + 12)
		pdf.SetFont(p.font, "B", 9.5)
		pdf.MultiCell(0, 5, t.Title, "", "L", false)
		pdf.Ln(1)
	}
	if pdf.GetY()+headH+cellLineH+2*cellPad > ph-bottom {
		pdf.AddPage()
	}
	tb.drawRow(head, headH, true)
	rows := t.Rows
	if t.Total != nil {
		rows = append(rows[:len(rows):len(rows)], t.Total)
	}
	for _, r := range rows {
		texts := make([]string, len(r))
		for i, c := range r {
			texts[i] = c.String(p.lang)
		}
		cts, h := tb.layoutRow(texts, r, false)
		if pdf.GetY()+h > ph-bottom {
			pdf.AddPage()
			tb.drawRow(head, headH, true)
		}
		tb.drawRow(cts, h, false)
	}
	pdf.SetFont(p.font, "", 10)
}

// The padding of a table's cells and the height of a line in them, in mm.
const cellPad, cellLineH = 1.0, 3.6

// pdfTable is a table being drawn: its columns' widths across the text width and its size
// of type.
type pdfTable struct {
	p      *pdfWriter
	t      *Table
	widths []float64
	size   float64
}

// cellText is a cell wrapped into lines.
type cellText struct {
	lines []string
	cell  Cell
}

// tableLayout shares the text width among t's columns in proportion to their contents, and
// picks the size of type (smaller for wide tables).
func (p *pdfWriter) tableLayout(t *Table) *pdfTable {
	pw, _ := p.pdf.GetPageSize()
	l, _, r, _ := p.pdf.GetMargins()
	avail := pw - l - r
	size := 8.0
	if p.tableSize > 0 {
		size = p.tableSize
	}
	if len(t.Columns) > 12 {
		size = min(size, 7)
	}
	widths := make([]float64, len(t.Columns))
	sum := 0.0
	for i := range t.Columns {
		widths[i] = t.width(i, p.lang)
		sum += widths[i]
	}
	for i := range widths {
		widths[i] *= avail / sum
	}
	return &pdfTable{p: p, t: t, widths: widths, size: size}
}

// layoutRow wraps a row's texts into their columns and returns the row's height.
func (tb *pdfTable) layoutRow(texts []string, cells []Cell, bold bool) ([]cellText, float64) {
	pdf := tb.p.pdf
	out := make([]cellText, len(tb.widths))
	h := cellLineH + 2*cellPad
	for i := range tb.widths {
		var c Cell
		if i < len(cells) {
			c = cells[i]
		}
		text := ""
		if i < len(texts) {
			text = texts[i]
		}
		style := ""
		if bold || c.Bold {
			style = "B"
		}
		pdf.SetFont(tb.p.font, style, tb.size)
		lines := pdf.SplitText(text, tb.widths[i])
		if len(lines) == 0 {
			lines = []string{""}
		}
		out[i] = cellText{lines: lines, cell: c}
		h = max(h, float64(len(lines))*cellLineH+2*cellPad)
	}
	return out, h
}

// drawRow draws a laid-out row of height h at the current line, boxed, coloured by tone.
func (tb *pdfTable) drawRow(cts []cellText, h float64, header bool) {
	p, pdf := tb.p, tb.p.pdf
	l, _, _, _ := pdf.GetMargins()
	x, y := l, pdf.GetY()
	for i, ct := range cts {
		style := ""
		if header || ct.cell.Bold {
			style = "B"
		}
		pdf.SetFont(p.font, style, tb.size)
		if header {
			p.fill(colHead)
			pdf.Rect(x, y, tb.widths[i], h, "FD")
		} else {
			pdf.Rect(x, y, tb.widths[i], h, "D")
		}
		p.color(toneColor(ct.cell.Tone))
		align := "L"
		switch {
		case header:
			align = "C"
		case ct.cell.Kind == CellMark:
			align = "C"
		case ct.cell.numeric() || tb.t.Columns[i].Right:
			align = "R"
		}
		for j, line := range ct.lines {
			pdf.SetXY(x, y+cellPad+float64(j)*cellLineH)
			pdf.CellFormat(tb.widths[i], cellLineH, line, "", 0, align, false, 0, "")
		}
		x += tb.widths[i]
	}
	p.color(colText)
	pdf.SetXY(l, y+h)
}

// toneColor is the colour of a cell's text: green met, red not met, grey muted.
func toneColor(tone string) [3]int {
	switch tone {
	case "met":
		return colMet
	case "not_met":
		return colNotMet
	case "muted":
		return colMuted
	}
	return colText
}

// chart draws a bar chart with its axes, the value above each bar and the labels below.
func (p *pdfWriter) chart(c *Chart) {
	pdf := p.pdf
	if len(c.Bars) == 0 {
		return
	}
	pw, _ := pdf.GetPageSize()
	l, _, r, _ := pdf.GetMargins()
	const height = 58.0
	p.room(height + 24)
	pdf.Ln(2)
	pdf.SetFont(p.font, "B", 9.5)
	pdf.MultiCell(0, 5, c.Title, "", "L", false)
	pdf.Ln(2)
	top := pdf.GetY() + 4
	left := l + 12
	width := min(pw-l-r-12, 170)
	base := top + height
	peak := c.maxValue()
	if peak == 0 {
		peak = 1
	}
	p.draw(colRule)
	pdf.SetLineWidth(0.2)
	pdf.Line(left, base, left+width, base)
	pdf.Line(left, top-2, left, base)
	slot := width / float64(len(c.Bars))
	p.fill(colBar)
	for i, b := range c.Bars {
		h := height * b.Value / peak
		x := left + float64(i)*slot + slot*0.15
		if h > 0 {
			pdf.Rect(x, base-h, slot*0.7, h, "F")
			pdf.SetFont(p.font, "", 7)
			p.color(colText)
			pdf.SetXY(x-2, base-h-4)
			pdf.CellFormat(slot*0.7+4, 3.5, numfmt.Trim(b.Value, 2, p.lang), "", 0, "C", false, 0, "")
		}
		pdf.SetFont(p.font, "", 7)
		p.color(colMuted)
		pdf.SetXY(x-2, base+1)
		pdf.CellFormat(slot*0.7+4, 3.5, b.Label, "", 0, "C", false, 0, "")
	}
	pdf.SetFont(p.font, "", 8)
	p.color(colMuted)
	pdf.SetXY(left, base+5)
	pdf.CellFormat(width, 4, c.XLabel, "", 0, "C", false, 0, "")
	// The y label, turned a quarter: Text, because SetX takes a negative x from the right.
	cx, cy := l+5, top+height/2
	pdf.TransformBegin()
	pdf.TransformRotate(90, cx, cy)
	pdf.Text(cx-pdf.GetStringWidth(c.YLabel)/2, cy+1, c.YLabel)
	pdf.TransformEnd()
	p.color(colText)
	pdf.SetXY(l, base+11)
}
