package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestBulletin_PDF: an A4 PDF with the Vietnamese text intact, the font embedded, the
// unit and period at the top of each page and numbered pages.
func TestBulletin_PDF(t *testing.T) {
	d, err := fixtureBulletin("vi").Document()
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := d.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("%%EOF")) {
		t.Fatal("not a PDF")
	}
	pages := regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(pdf, -1)
	if len(pages) < 2 {
		t.Errorf("%d pages, want the bulletin on 2 or more", len(pages))
	}
	if !regexp.MustCompile(`/MediaBox \[0 0 595\.28 841\.89\]`).Match(pdf) && !bytes.Contains(pdf, []byte("/MediaBox [0 0 595.28 841.89]")) {
		t.Errorf("not A4 portrait")
	}
	for _, want := range []string{"/FontFile2", "/BaseFont /utf8dejavu", "/BaseFont /utf8dejavuB", "/ToUnicode"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("the PDF lacks %s: the font is not embedded", want)
		}
	}
	text := pdfText(pdf)
	for _, want := range []string{"I. KẾT QUẢ ĐẠT ĐƯỢC", "II. TỒN TẠI, HẠN CHẾ", "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
		"Thành phố Hà Nội — Quý II/2025", "Trang 1/", "Xã Tân Hưng", "Huyện Đông Anh", "Số xã theo số tiêu chí đạt"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	if strings.Contains(text, "{nb}") {
		t.Error("the page count was not filled in")
	}
	// With poppler's pdftotext at hand, the text a reader extracts has the diacritics too.
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		path := filepath.Join(t.TempDir(), "b.pdf")
		os.WriteFile(path, pdf, 0o644)
		out, err := exec.Command(bin, "-layout", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		for _, want := range []string{"KẾT QUẢ ĐẠT ĐƯỢC", "Đông Anh", "Trang 2/"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("pdftotext finds no %q in:\n%s", want, out)
			}
		}
	}
}

// TestBulletin_HTML: one standalone printable page: no external resource of any kind; the
// chart is drawn on the page, and the Markdown of the same bulletin holds no marker for it.
func TestBulletin_HTML(t *testing.T) {
	d, err := fixtureBulletin("vi").Document()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(d.Markdown), "<!--") {
		t.Errorf("the Markdown holds template residue:\n%s", d.Markdown)
	}
	page, err := d.HTML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, bad := range []string{"http://", "https://", "src=", "<link", "<script", "url(", "@import", "//cdn"} {
		if strings.Contains(strings.ToLower(s), bad) {
			t.Errorf("the page holds %q: it must not fetch anything", bad)
		}
	}
	for _, want := range []string{`<html lang="vi">`, "@page", "size: A4", "<h2>I. KẾT QUẢ ĐẠT ĐƯỢC</h2>",
		"<strong>Thành phố Hà Nội</strong>", "<svg", "<table", "Huyện Đông Anh", "<li>"} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestBulletin_XLSX: the workbook of a bulletin's figures: numbers are numbers, the header
// row and first column are frozen, headers are Vietnamese, widths are set.
func TestBulletin_XLSX(t *testing.T) {
	d, err := fixtureBulletin("vi").Document()
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.XLSX()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Tổng hợp", "Theo đơn vị", "Theo tiêu chí", "Chỉ tiêu kế hoạch", "Thông tin"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %v, want %v", got, want)
	}
	checkSheet(t, f, "Theo đơn vị", []string{"Mã", "Đơn vị", "Số xã", "Đã đánh giá", "Đạt chuẩn"}, 2)
	// Huyện Sóc Sơn: 8 xã, 3 meeting the set, 16 criteria each on average.
	for cell, want := range map[string]string{"B2": "Huyện Sóc Sơn", "C2": "8", "E2": "3", "G2": "128", "H2": "16", "B4": "Tổng cộng", "C4": "16"} {
		got, _ := f.GetCellValue("Theo đơn vị", cell, excelize.Options{RawCellValue: true})
		if got != want {
			t.Errorf("Theo đơn vị!%s = %q, want %q", cell, got, want)
		}
	}
	for _, cell := range []string{"C2", "F2", "H2", "I3", "G4"} {
		if typ, _ := f.GetCellType("Theo đơn vị", cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("Theo đơn vị!%s is text, want a number", cell)
		}
	}
	avg, _ := f.GetCellValue("Theo đơn vị", "H3", excelize.Options{RawCellValue: true})
	if !strings.HasPrefix(avg, "11.125") {
		t.Errorf("the average of Huyện Đông Anh is stored as %q, want 11.125 unrounded", avg)
	}
}

// checkSheet checks the header row, the frozen panes and the widths of a sheet.
func checkSheet(t *testing.T, f *excelize.File, sheet string, headers []string, frozenCols int) {
	t.Helper()
	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if got, _ := f.GetCellValue(sheet, cell); got != h {
			t.Errorf("%s!%s = %q, want the header %q", sheet, cell, got, h)
		}
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != frozenCols {
		t.Errorf("%s: panes %+v (%v), want the first row and %d columns frozen", sheet, panes, err, frozenCols)
	}
	style, _ := f.GetCellStyle(sheet, "A1")
	if st, err := f.GetStyle(style); err != nil || st.Font == nil || !st.Font.Bold || len(st.Fill.Color) == 0 {
		t.Errorf("%s: the header is not styled: %+v", sheet, st)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w < 20 {
		t.Errorf("%s: column B is %.1f wide, want its width set", sheet, w)
	}
}
