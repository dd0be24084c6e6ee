package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	fontdata "github.com/ntm-vn/ntm/data/fonts"
)

// The PDF of a report an office signs, in the layout of its DOCX (data/reports/document.yaml,
// Nghị định 30/2020/NĐ-CP): A4 with the decree's margins, Liberation Serif (the metrics of
// Times New Roman, every Vietnamese letter), the header block in two columns, the document
// type and summary, the text with first lines indented and "-" items, the recipients and the
// signature block, the page number at the top centre from the second page, then the tables as
// annexes, wide ones on landscape pages.

const serifFont = "LiberationSerif"

const ptToMM = 25.4 / 72

func (d *Document) signedPDF() ([]byte, error) {
	lay, err := documentLayout()
	if err != nil {
		return nil, err
	}
	pg := lay.Page
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.AddUTF8FontFromBytes(serifFont, "", fontdata.SerifRegular)
	pdf.AddUTF8FontFromBytes(serifFont, "B", fontdata.SerifBold)
	pdf.AddUTF8FontFromBytes(serifFont, "I", fontdata.SerifItalic)
	day, err := time.Parse(time.DateOnly, string(d.AsOf))
	if err != nil {
		day = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if d.Office.Date != "" {
		if t, err := time.Parse(time.DateOnly, string(d.Office.Date)); err == nil {
			day = t
		}
	}
	pdf.SetCreationDate(day)
	pdf.SetModificationDate(day)
	pdf.SetTitle(label(d.Lang, "doc.type."+d.Kind)+" — "+d.Summary, true)
	pdf.SetSubject(d.Heading, true)
	pdf.SetAuthor(d.Office.Profile.Body, true)
	pdf.SetCreator("ntm", true)
	pdf.SetLang(d.Lang)
	pdf.SetMargins(pg.LeftMM, pg.TopMM, pg.RightMM)
	pdf.SetAutoPageBreak(true, pg.BottomMM)
	p := &pdfWriter{pdf: pdf, lang: d.Lang, font: serifFont, tableSize: lay.TableSizePt - 1}
	size := pg.SizePt
	lineH := size * ptToMM * max(pg.LineSpacing, 1) * 1.15
	// The page number: top centre, from the second page on.
	pdf.SetHeaderFunc(func() {
		if n := pdf.PageNo(); n > 1 {
			w, _ := pdf.GetPageSize()
			pdf.SetFont(serifFont, "", pg.PageNumberSizePt)
			pdf.SetXY(0, pg.HeaderMM)
			pdf.CellFormat(w, 5, strconv.Itoa(n), "", 0, "C", false, 0, "")
		}
		l, t, _, _ := pdf.GetMargins()
		pdf.SetXY(l, t)
	})
	pdf.AddPage()
	s := signedWriter{p: p, d: d, lay: lay, size: size, lineH: lineH}
	s.header()
	for _, bl := range d.blocks {
		if bl.kind != blockH1 {
			s.block(bl)
		}
	}
	s.signature()
	for i, t := range d.Sheets {
		s.annex(i+1, t)
	}
	return pdfBytes(pdf)
}

type signedWriter struct {
	p     *pdfWriter
	d     *Document
	lay   docLayout
	size  float64
	lineH float64
}

func (s *signedWriter) width() float64 {
	w, _ := s.p.pdf.GetPageSize()
	l, _, r, _ := s.p.pdf.GetMargins()
	return w - l - r
}

// column writes centred lines in a column from x, y; it returns the y below them.
func (s *signedWriter) column(x, y, w float64, lines []pdfLine) float64 {
	pdf := s.p.pdf
	for _, ln := range lines {
		if ln.rule > 0 {
			pdf.SetLineWidth(0.3)
			pdf.Line(x+(w-ln.rule)/2, y+0.8, x+(w+ln.rule)/2, y+0.8)
			y += 2.5
			continue
		}
		pdf.SetFont(serifFont, ln.style, ln.size)
		pdf.SetXY(x, y)
		h := ln.size * ptToMM * 1.2
		pdf.MultiCell(w, h, ln.text, "", "C", false)
		y = pdf.GetY()
	}
	return y
}

type pdfLine struct {
	text, style string
	size, rule  float64
}

func (s *signedWriter) header() {
	pdf, d, o := s.p.pdf, s.d, s.d.Office
	l, top, _, _ := pdf.GetMargins()
	w := s.width()
	lw, rw := w*0.4, w*0.6
	hs := s.lay.HeaderSizePt
	var left []pdfLine
	if o.Profile.Parent != "" {
		left = append(left, pdfLine{text: o.Profile.Parent, size: hs})
	}
	left = append(left, pdfLine{text: o.Profile.Body, style: "B", size: hs}, pdfLine{rule: lw * 0.35})
	right := []pdfLine{{text: label(d.Lang, "doc.national"), style: "B", size: hs}, {text: label(d.Lang, "doc.motto"), style: "B", size: s.lay.MottoSizePt},
		{rule: rw * 0.55}}
	y := max(s.column(l, top, lw, left), s.column(l+lw, top, rw, right))
	y2 := s.column(l, y+1, lw, []pdfLine{{text: label(d.Lang, "doc.number", "number", o.Profile.Number(o.Number)), size: hs}})
	y3 := s.column(l+lw, y+1, rw, []pdfLine{{text: officeDateLine(d), style: "I", size: s.lay.MottoSizePt}})
	y = max(y2, y3)
	if o.Number == 0 {
		pdf.SetFont(serifFont, "B", hs)
		pdf.SetXY(l, y+1)
		pdf.CellFormat(30, 6, label(d.Lang, "doc.draft"), "1", 0, "C", false, 0, "")
		y += 8
	}
	y = s.column(l, y+8, w, []pdfLine{{text: label(d.Lang, "doc.type."+d.Kind), style: "B", size: s.size}, {text: d.Summary, style: "B", size: s.size}, {rule: 40}})
	pdf.SetXY(l, y+4)
}

func (s *signedWriter) para(text string, bold, item bool) {
	pdf := s.p.pdf
	l, _, _, _ := pdf.GetMargins()
	_, ph := pdf.GetPageSize()
	_, bottom := pdf.GetAutoPageBreak()
	if pdf.GetY()+s.lineH > ph-bottom {
		pdf.AddPage()
	}
	pdf.SetX(l + s.lay.Page.FirstLineMM)
	if item {
		text = "- " + text
	}
	for _, sp := range spans(text) {
		style := ""
		if sp.bold || bold {
			style = "B"
		}
		pdf.SetFont(serifFont, style, s.size)
		pdf.Write(s.lineH, sp.text)
	}
	pdf.Ln(s.lineH + s.lay.Page.SpaceAfterPt*ptToMM)
}

func (s *signedWriter) block(bl block) {
	pdf := s.p.pdf
	switch bl.kind {
	case blockH2, blockH3:
		_, ph := pdf.GetPageSize()
		_, bottom := pdf.GetAutoPageBreak()
		if pdf.GetY()+3*s.lineH > ph-bottom {
			pdf.AddPage()
		}
		s.para(plain(bl.text), true, false)
	case blockPara:
		s.para(bl.text, false, false)
	case blockItem:
		s.para(bl.text, false, true)
	case blockTable:
		s.p.table(bl.table)
		pdf.Ln(3)
	case blockChart:
		s.p.chart(bl.chart)
		pdf.Ln(3)
	}
}

// signature is the recipients (left) and the signer (right), kept on one page.
func (s *signedWriter) signature() {
	pdf, o := s.p.pdf, s.d.Office
	l, _, _, _ := pdf.GetMargins()
	_, ph := pdf.GetPageSize()
	_, bottom := pdf.GetAutoPageBreak()
	need := 12 + float64(max(len(o.Profile.Recipients), 6))*5
	if pdf.GetY()+need > ph-bottom {
		pdf.AddPage()
	}
	w := s.width()
	y := pdf.GetY() + 4
	rs := s.lay.RecipientsSizePt
	left := []string{}
	for _, r := range o.Profile.Recipients {
		left = append(left, "- "+r)
	}
	pdf.SetFont(serifFont, "B", s.lay.RecipientsTitleSizePt)
	pdf.SetXY(l, y)
	pdf.CellFormat(w/2, 5, label(s.d.Lang, "doc.recipients"), "", 1, "L", false, 0, "")
	pdf.SetFont(serifFont, "", rs)
	for _, r := range left {
		pdf.SetX(l)
		pdf.MultiCell(w/2, rs*ptToMM*1.25, r, "", "L", false)
	}
	endLeft := pdf.GetY()
	var right []pdfLine
	if o.Profile.Authority != "" {
		right = append(right, pdfLine{text: o.Profile.Authority, style: "B", size: s.size})
	}
	right = append(right, pdfLine{text: o.Profile.SignerTitle, style: "B", size: s.size})
	yr := s.column(l+w/2, y, w/2, right)
	yr = s.column(l+w/2, yr+22, w/2, []pdfLine{{text: o.Profile.SignerName, style: "B", size: s.size}})
	pdf.SetXY(l, max(endLeft, yr)+2)
}

// annex is a table of the report on pages of its own.
func (s *signedWriter) annex(n int, t *Table) {
	pdf, d, o := s.p.pdf, s.d, s.d.Office
	orient := "P"
	if t.Landscape || s.lay.LandscapeColumns > 0 && len(t.Columns) > s.lay.LandscapeColumns {
		orient = "L"
	}
	pdf.AddPageFormat(orient, pdf.GetPageSizeStr("A4"))
	intro := o.annexIntro(d.Lang)
	l, top, _, _ := pdf.GetMargins()
	y := s.column(l, top, s.width(), []pdfLine{
		{text: label(d.Lang, "doc.annex", "n", romanNumeral(n)), style: "B", size: s.size},
		{text: strings.ToUpper(t.Title), style: "B", size: s.size},
		{text: intro, style: "I", size: s.size - 1},
	})
	pdf.SetXY(l, y+3)
	untitled := *t
	untitled.Title = ""
	s.p.table(&untitled)
}
