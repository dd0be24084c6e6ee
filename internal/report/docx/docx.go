// Package docx writes WordprocessingML documents (.docx, ECMA-376) that Word and LibreOffice
// open and edit: paragraphs of runs, real tables (bordered, or borderless for the header and
// signature blocks of an administrative document), PNG images, page numbers at the top,
// and sections in portrait or landscape. It writes the few parts such a package needs —
// [Content_Types].xml, the relationships, document.xml, styles.xml, settings.xml, a header,
// the media and the core properties — with archive/zip and encoding/xml, nothing else.
//
// The same Document gives the same bytes: parts are written in a fixed order with a fixed
// time stamp, so an issued report downloads identically every time.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Page is the paper, margins and type of a document.
type Page struct {
	WidthMM, HeightMM                float64 // portrait: A4 is 210 × 297
	TopMM, BottomMM, LeftMM, RightMM float64
	HeaderMM, FooterMM               float64 // distance of the header and footer from the edge
	Font                             string  // "Times New Roman"
	SizePt                           float64 // body text
	LineSpacing                      float64 // 1.0 single; 1.15…
	SpaceAfterPt                     float64 // after each body paragraph
	FirstLineMM                      float64 // first-line indent of body paragraphs
	PageNumberSizePt                 float64
}

// Document is what a .docx holds: sections of blocks.
type Document struct {
	Page     Page
	Title    string // core properties
	Subject  string
	Creator  string
	Lang     string    // "vi-VN"
	Created  time.Time // written as the core properties' dates; the same for the same document
	Sections []Section
	// PageNumbers puts the page number at the top centre of every page but the first, as
	// Nghị định 30/2020 places it.
	PageNumbers bool
}

// Section is a run of blocks on pages of one orientation.
type Section struct {
	Landscape bool
	Blocks    []Block
}

// Block is a Paragraph, a Table or an Image.
type Block interface{ block() }

// Align is a paragraph's alignment.
type Align string

const (
	Left    Align = "left"
	Center  Align = "center"
	Right   Align = "right"
	Justify Align = "both"
)

// Paragraph is a paragraph of runs.
type Paragraph struct {
	Runs  []Run
	Align Align
	// FirstLine indents the first line by the page's FirstLineMM.
	FirstLine bool
	// SpaceBeforePt and SpaceAfterPt; a negative SpaceAfterPt means the page's default.
	SpaceBeforePt, SpaceAfterPt float64
	KeepNext                    bool // keep with the next paragraph (headings)
	PageBreakBefore             bool
	// Compact sets single spacing with nothing after: lines of a header block or a cell.
	Compact bool
	// IndentLeftMM and IndentRightMM narrow the paragraph; with Rule it is a line drawn
	// across that width (the short rule under a header's names).
	IndentLeftMM, IndentRightMM float64
	Rule                        bool
}

// Run is text in one style. A "\n" in Text breaks the line.
type Run struct {
	Text                    string
	Bold, Italic, Underline bool
	SizePt                  float64 // 0: the document's size
}

// Table is a table: widths in millimetres, rows of cells.
type Table struct {
	WidthsMM []float64
	Rows     []Row
	// Borderless draws no lines: the header and signature blocks.
	Borderless bool
	// HeaderRows repeat at the top of each page.
	HeaderRows int
	SizePt     float64 // text of the cells; 0 the document's size
}

// Row is a row of a table.
type Row struct {
	Cells []Cell
	// CantSplit keeps the row on one page.
	CantSplit bool
}

// Cell is a cell: paragraphs, a shade ("DDEBF7"), and how many grid columns it spans.
type Cell struct {
	Paragraphs []Paragraph
	Shade      string
	Span       int
	// VCenter centres the content vertically.
	VCenter bool
}

// Image is a PNG picture shown at a width in millimetres (the height follows its aspect).
type Image struct {
	PNG               []byte
	WidthPx, HeightPx int
	WidthMM           float64
	Align             Align
	Description       string
}

func (Paragraph) block() {}
func (Table) block()     {}
func (Image) block()     {}

// Text is a paragraph of plain runs.
func Text(s string) Run { return Run{Text: s} }

// Bold is a bold run.
func Bold(s string) Run { return Run{Text: s, Bold: true} }

const twipsPerMM = 1440 / 25.4

func twips(mm float64) int { return int(math.Round(mm * twipsPerMM)) }

func halfPoints(pt float64) int { return int(math.Round(pt * 2)) }

// esc escapes text for XML character data and attributes.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// Write returns the .docx package.
func (d *Document) Write() ([]byte, error) {
	w := &writer{doc: d}
	body := w.body()
	created := d.Created.UTC()
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", w.contentTypes()},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", d.core(created)},
		{"docProps/app.xml", appXML},
		{"word/document.xml", body},
		{"word/styles.xml", d.styles()},
		{"word/settings.xml", settingsXML},
		{"word/header1.xml", d.pageHeader()},
		{"word/_rels/document.xml.rels", w.rels()},
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, content []byte) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: created})
		if err != nil {
			return err
		}
		_, err = f.Write(content)
		return err
	}
	for _, p := range parts {
		if err := add(p.name, []byte(p.body)); err != nil {
			return nil, fmt.Errorf("docx: %s: %w", p.name, err)
		}
	}
	for i, img := range w.images {
		if err := add(fmt.Sprintf("word/media/image%d.png", i+1), img.PNG); err != nil {
			return nil, fmt.Errorf("docx: image %d: %w", i+1, err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return buf.Bytes(), nil
}

type writer struct {
	doc    *Document
	images []Image
	b      strings.Builder
}

func (w *writer) body() string {
	b := &w.b
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`)
	secs := w.doc.Sections
	if len(secs) == 0 {
		secs = []Section{{}}
	}
	for i, s := range secs {
		for _, bl := range s.Blocks {
			w.block(bl, w.doc.Page.width(s.Landscape))
		}
		if i < len(secs)-1 {
			b.WriteString(`<w:p><w:pPr>`)
			b.WriteString(w.sectPr(s, i == 0))
			b.WriteString(`</w:pPr></w:p>`)
		} else {
			// A section cannot end in a table: Word wants a paragraph after it.
			if n := len(s.Blocks); n > 0 {
				if _, ok := s.Blocks[n-1].(Table); ok {
					b.WriteString(`<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>`)
				}
			}
			b.WriteString(w.sectPr(s, i == 0))
		}
	}
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

// width is the text width in millimetres.
func (p Page) width(landscape bool) float64 {
	if landscape {
		return p.HeightMM - p.LeftMM - p.RightMM
	}
	return p.WidthMM - p.LeftMM - p.RightMM
}

// sectPr is a section's page; the first section keeps its first page free of a number.
func (w *writer) sectPr(s Section, first bool) string {
	p := w.doc.Page
	wd, ht, orient := twips(p.WidthMM), twips(p.HeightMM), ""
	if s.Landscape {
		wd, ht, orient = ht, wd, ` w:orient="landscape"`
	}
	header, titlePg := "", ""
	if w.doc.PageNumbers {
		header = `<w:headerReference w:type="default" r:id="rIdHeader1"/>`
		if first {
			titlePg = `<w:titlePg/>`
		}
	}
	return fmt.Sprintf(`<w:sectPr>%s<w:pgSz w:w="%d" w:h="%d"%s/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/><w:cols w:space="720"/>%s</w:sectPr>`,
		header, wd, ht, orient, twips(p.TopMM), twips(p.RightMM), twips(p.BottomMM), twips(p.LeftMM), twips(p.HeaderMM), twips(p.FooterMM), titlePg)
}

func (w *writer) block(bl Block, widthMM float64) {
	switch x := bl.(type) {
	case Paragraph:
		w.paragraph(x)
	case Table:
		w.table(x, widthMM)
	case Image:
		w.image(x, widthMM)
	}
}

func (w *writer) paragraph(p Paragraph) {
	b := &w.b
	pg := w.doc.Page
	// The children of w:pPr in the order the schema wants them.
	b.WriteString(`<w:p><w:pPr>`)
	if p.KeepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if p.PageBreakBefore {
		b.WriteString(`<w:pageBreakBefore/>`)
	}
	if p.Rule {
		b.WriteString(`<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	if p.Compact {
		fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d" w:line="240" w:lineRule="auto"/>`, int(p.SpaceBeforePt*20), int(max(p.SpaceAfterPt, 0)*20))
	} else {
		after := p.SpaceAfterPt
		if after < 0 {
			after = pg.SpaceAfterPt
		}
		fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d" w:line="%d" w:lineRule="auto"/>`, int(p.SpaceBeforePt*20), int(after*20), int(math.Round(240*max(pg.LineSpacing, 1))))
	}
	if p.FirstLine || p.IndentLeftMM > 0 || p.IndentRightMM > 0 {
		b.WriteString(`<w:ind`)
		if p.IndentLeftMM > 0 {
			fmt.Fprintf(b, ` w:left="%d"`, twips(p.IndentLeftMM))
		}
		if p.IndentRightMM > 0 {
			fmt.Fprintf(b, ` w:right="%d"`, twips(p.IndentRightMM))
		}
		if p.FirstLine {
			fmt.Fprintf(b, ` w:firstLine="%d"`, twips(pg.FirstLineMM))
		}
		b.WriteString(`/>`)
	}
	if p.Align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.Align)
	}
	if p.Rule {
		b.WriteString(`<w:rPr><w:sz w:val="4"/></w:rPr>`)
	}
	b.WriteString(`</w:pPr>`)
	for _, r := range p.Runs {
		w.run(r)
	}
	b.WriteString(`</w:p>`)
}

func (w *writer) run(r Run) {
	b := &w.b
	b.WriteString(`<w:r>`)
	if r.Bold || r.Italic || r.Underline || r.SizePt > 0 {
		b.WriteString(`<w:rPr>`)
		if r.Bold {
			b.WriteString(`<w:b/><w:bCs/>`)
		}
		if r.Italic {
			b.WriteString(`<w:i/><w:iCs/>`)
		}
		if r.SizePt > 0 {
			fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, halfPoints(r.SizePt), halfPoints(r.SizePt))
		}
		if r.Underline {
			b.WriteString(`<w:u w:val="single"/>`)
		}
		b.WriteString(`</w:rPr>`)
	}
	for i, line := range strings.Split(r.Text, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		if line != "" {
			fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t>`, esc(line))
		}
	}
	b.WriteString(`</w:r>`)
}

func (w *writer) table(t Table, widthMM float64) {
	b := &w.b
	widths := t.WidthsMM
	total := 0.0
	for _, x := range widths {
		total += x
	}
	// Columns wider than the text are scaled down to it.
	scale := 1.0
	if total > widthMM && total > 0 {
		scale = widthMM / total
	}
	tw := make([]int, len(widths))
	sum := 0
	for i, x := range widths {
		tw[i] = twips(x * scale)
		sum += tw[i]
	}
	b.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/>`, sum)
	if !t.Borderless {
		b.WriteString(`<w:jc w:val="center"/>`)
	}
	if t.Borderless {
		b.WriteString(`<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`)
	} else {
		b.WriteString(`<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>`)
	}
	b.WriteString(`<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>`)
	for _, x := range tw {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, x)
	}
	b.WriteString(`</w:tblGrid>`)
	for ri, r := range t.Rows {
		b.WriteString(`<w:tr>`)
		if ri < t.HeaderRows || r.CantSplit {
			b.WriteString(`<w:trPr>`)
			if r.CantSplit {
				b.WriteString(`<w:cantSplit/>`)
			}
			if ri < t.HeaderRows {
				b.WriteString(`<w:tblHeader/>`)
			}
			b.WriteString(`</w:trPr>`)
		}
		col := 0
		for _, c := range r.Cells {
			span := max(c.Span, 1)
			cw := 0
			for k := col; k < col+span && k < len(tw); k++ {
				cw += tw[k]
			}
			col += span
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, cw)
			if span > 1 {
				fmt.Fprintf(b, `<w:gridSpan w:val="%d"/>`, span)
			}
			if c.Shade != "" {
				fmt.Fprintf(b, `<w:shd w:val="clear" w:color="auto" w:fill="%s"/>`, esc(c.Shade))
			}
			if c.VCenter {
				b.WriteString(`<w:vAlign w:val="center"/>`)
			}
			b.WriteString(`</w:tcPr>`)
			if len(c.Paragraphs) == 0 {
				c.Paragraphs = []Paragraph{{Compact: true}}
			}
			for _, p := range c.Paragraphs {
				if t.SizePt > 0 {
					runs := make([]Run, len(p.Runs))
					for i, r := range p.Runs {
						if r.SizePt == 0 {
							r.SizePt = t.SizePt
						}
						runs[i] = r
					}
					p.Runs = runs
				}
				w.paragraph(p)
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

const emuPerMM = 36000

func (w *writer) image(img Image, widthMM float64) {
	if img.WidthPx <= 0 || img.HeightPx <= 0 || len(img.PNG) == 0 {
		return
	}
	w.images = append(w.images, img)
	n := len(w.images)
	wmm := min(img.WidthMM, widthMM)
	if wmm <= 0 {
		wmm = widthMM
	}
	cx := int64(wmm * emuPerMM)
	cy := int64(wmm * emuPerMM * float64(img.HeightPx) / float64(img.WidthPx))
	align := img.Align
	if align == "" {
		align = Center
	}
	fmt.Fprintf(&w.b, `<w:p><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/><w:jc w:val="%s"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Picture %d" descr="%s"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImage%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		align, cx, cy, n, n, esc(img.Description), n, n, n, cx, cy)
}

func (w *writer) contentTypes() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	b.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	if len(w.images) > 0 {
		b.WriteString(`<Default Extension="png" ContentType="image/png"/>`)
	}
	b.WriteString(`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`)
	b.WriteString(`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>`)
	b.WriteString(`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>`)
	b.WriteString(`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>`)
	b.WriteString(`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`)
	b.WriteString(`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`)
	b.WriteString(`</Types>`)
	return b.String()
}

func (w *writer) rels() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	b.WriteString(`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	b.WriteString(`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`)
	b.WriteString(`<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>`)
	for i := range w.images {
		fmt.Fprintf(&b, `<Relationship Id="rIdImage%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`, i+1, i+1)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

const rootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const appXML = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>ntm</Application></Properties>`

const settingsXML = xml.Header + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

func (d *Document) core(created time.Time) string {
	t := created.Format("2006-01-02T15:04:05Z")
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.Title) + `</dc:title><dc:subject>` + esc(d.Subject) + `</dc:subject><dc:creator>` + esc(d.Creator) + `</dc:creator>` +
		`<dc:language>` + esc(d.Lang) + `</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + t + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + t + `</dcterms:modified></cp:coreProperties>`
}

// styles names the font and size of the whole document: Word and LibreOffice show them as
// the text's font ("Times New Roman", 14).
func (d *Document) styles() string {
	font := esc(d.Page.Font)
	size := strconv.Itoa(halfPoints(d.Page.SizePt))
	lang := esc(d.Lang)
	return xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr>` +
		`<w:rFonts w:ascii="` + font + `" w:hAnsi="` + font + `" w:eastAsia="` + font + `" w:cs="` + font + `"/>` +
		`<w:sz w:val="` + size + `"/><w:szCs w:val="` + size + `"/><w:lang w:val="` + lang + `" w:eastAsia="` + lang + `" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/></w:style>` +
		`</w:styles>`
}

// pageHeader is the page number at the top centre.
func (d *Document) pageHeader() string {
	size := strconv.Itoa(halfPoints(max(d.Page.PageNumberSizePt, 8)))
	rpr := `<w:rPr><w:sz w:val="` + size + `"/><w:szCs w:val="` + size + `"/></w:rPr>`
	return xml.Header + `<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>` +
		`<w:r>` + rpr + `<w:fldChar w:fldCharType="begin"/></w:r><w:r>` + rpr + `<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r>` + rpr + `<w:fldChar w:fldCharType="separate"/></w:r><w:r>` + rpr + `<w:t>1</w:t></w:r><w:r>` + rpr + `<w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>`
}
