package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

var a4 = Page{WidthMM: 210, HeightMM: 297, TopMM: 20, BottomMM: 20, LeftMM: 30, RightMM: 15, HeaderMM: 10, FooterMM: 10,
	Font: "Times New Roman", SizePt: 14, LineSpacing: 1, SpaceAfterPt: 6, FirstLineMM: 10, PageNumberSizePt: 13}

func sample() *Document {
	return &Document{Page: a4, Title: "Báo cáo <quý II>", Lang: "vi-VN", PageNumbers: true, Sections: []Section{
		{Blocks: []Block{
			Table{WidthsMM: []float64{66, 99}, Borderless: true, Rows: []Row{{Cells: []Cell{
				{Paragraphs: []Paragraph{{Runs: []Run{Bold("BAN CHỈ ĐẠO")}, Align: Center, Compact: true}}},
				{Paragraphs: []Paragraph{{Runs: []Run{Bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")}}, {Rule: true, IndentLeftMM: 20, IndentRightMM: 20}}},
			}}}},
			Paragraph{Runs: []Run{Text("- Tổng số 75 xã & 3 < 4"), {Text: "in nghiêng\nxuống dòng", Italic: true, Underline: true, SizePt: 12}}, Align: Justify, FirstLine: true, SpaceAfterPt: -1},
		}},
		{Landscape: true, Blocks: []Block{Table{WidthsMM: []float64{100, 300}, HeaderRows: 1, Rows: []Row{
			{Cells: []Cell{{Paragraphs: []Paragraph{{Runs: []Run{Bold("Mã")}}}, Shade: "DDEBF7"}, {Span: 1}}},
			{Cells: []Cell{{Span: 2, Paragraphs: []Paragraph{{Runs: []Run{Text("Tổng cộng")}}}}}},
		}}}},
	}}
}

func parts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range z.File {
		r, _ := f.Open()
		c, _ := io.ReadAll(r)
		out[f.Name] = string(c)
	}
	return out
}

// TestWrite_Package: the package has the parts Word needs, each well-formed XML; the font and
// size are named in the styles; text is escaped; the second section is landscape A4; wide
// columns are scaled into the text width; the header holds the PAGE field, the first page none.
func TestWrite_Package(t *testing.T) {
	b, err := sample().Write()
	if err != nil {
		t.Fatal(err)
	}
	ps := parts(t, b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
		"word/header1.xml", "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"} {
		s, ok := ps[name]
		if !ok {
			t.Errorf("no part %s", name)
			continue
		}
		d := xml.NewDecoder(strings.NewReader(s))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s is not well-formed: %v", name, err)
				break
			}
		}
	}
	doc := ps["word/document.xml"]
	for _, want := range []string{
		`Tổng số 75 xã &amp; 3 &lt; 4`, `<w:br/>`, `<w:u w:val="single"/>`, `<w:sz w:val="24"/>`,
		`<w:pgSz w:w="11906" w:h="16838"/>`, `<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>`,
		`w:top="1134" w:right="850" w:bottom="1134" w:left="1701"`, `<w:tblHeader/>`, `<w:gridSpan w:val="2"/>`,
		`<w:top w:val="nil"/>`, `<w:shd w:val="clear" w:color="auto" w:fill="DDEBF7"/>`, `<w:ind w:firstLine="567"/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	// 100 + 300 mm scaled into 297 − 45 = 252 mm: 63 and 189 mm.
	if !strings.Contains(doc, `<w:gridCol w:w="3572"/><w:gridCol w:w="10715"/>`) {
		t.Errorf("the wide table is not scaled to the landscape text width:\n%s", doc)
	}
	if !strings.Contains(ps["word/styles.xml"], `w:ascii="Times New Roman"`) || !strings.Contains(ps["word/styles.xml"], `<w:sz w:val="28"/>`) {
		t.Error("the styles do not name Times New Roman 14 pt")
	}
	if !strings.Contains(ps["word/header1.xml"], " PAGE ") {
		t.Error("no page number in the footer")
	}
	if !strings.Contains(ps["docProps/core.xml"], "Báo cáo &lt;quý II&gt;") {
		t.Error("the title is not escaped in the core properties")
	}
}

// TestWrite_SameBytes: the same document gives the same bytes (an issued report downloads
// identically), and a picture is stored as a PNG part with its relationship.
func TestWrite_SameBytes(t *testing.T) {
	d := sample()
	d.Sections[0].Blocks = append(d.Sections[0].Blocks, Image{PNG: []byte("\x89PNG fake"), WidthPx: 200, HeightPx: 100, WidthMM: 100})
	a, err := d.Write()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.Write()
	if !bytes.Equal(a, b) {
		t.Error("two writes of one document differ")
	}
	ps := parts(t, a)
	if ps["word/media/image1.png"] != "\x89PNG fake" || !strings.Contains(ps["word/_rels/document.xml.rels"], "media/image1.png") ||
		!strings.Contains(ps["[Content_Types].xml"], `Extension="png"`) {
		t.Error("the picture is not in the package")
	}
	if !strings.Contains(ps["word/document.xml"], `<wp:extent cx="3600000" cy="1800000"/>`) {
		t.Error("the picture is not 100 × 50 mm")
	}
}
