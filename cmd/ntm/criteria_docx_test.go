package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// writeAnnexDocx writes a small annex in Word: two header rows with region columns, a
// criterion spanning two indicator rows, and an unreadable cell (row 5, TDMNPB).
func writeAnnexDocx(t *testing.T, path string) {
	t.Helper()
	tc := func(text, pr string) string {
		return `<w:tc><w:tcPr>` + pr + `</w:tcPr><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:tc>`
	}
	tr := func(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }
	r, c, span := `<w:vMerge w:val="restart"/>`, `<w:vMerge/>`, `<w:gridSpan w:val="2"/>`
	body := "<w:tbl>" +
		tr(tc("TT", r), tc("Tên tiêu chí", r), tc("Nội dung tiêu chí", r), tc("Chỉ tiêu chung", r), tc("Chỉ tiêu theo vùng", span)) +
		tr(tc("", c), tc("", c), tc("", c), tc("", c), tc("TDMNPB", ""), tc("ĐBSH", "")) +
		tr(tc("2", r), tc("Giao thông", r), tc("2.1. Tỷ lệ đường xã được nhựa hóa", ""), tc("100%", ""), tc("", ""), tc("", "")) +
		tr(tc("", c), tc("", c), tc("2.2. Tỷ lệ đường thôn được cứng hóa", ""), tc("", ""), tc("≥ 70%", ""), tc("≥90 %", "")) +
		tr(tc("11", ""), tc("Nghèo đa chiều", ""), tc("Tỷ lệ nghèo đa chiều", ""), tc("≤ 2%", ""), tc("Giảm 1,5%/năm", ""), tc("≤ 1%", "")) +
		"</w:tbl>"
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	zw.Close()
	f.Close()
}

// An office loads a provincial annex from its Word document: a dry run prints the YAML and
// the differences, the import records the file as the source of its thresholds, and a commune
// of the delta is judged against the delta's column.
func TestCriteriaImportDocx(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, _ *store.DB) {
		dsn := storetest.DSN(t, engineOf(t))
		dir := t.TempDir()
		annex := filepath.Join(dir, "phu-luc.docx")
		writeAnnexDocx(t, annex)
		if code, _, _ := ntm(t, "--db", dsn, "criteria", "import", annex); code != 2 {
			t.Errorf("a DOCX without --id: exit %d, want 2", code)
		}
		// A file over the limit is refused naming the file and the limit, as bad input (exit 3).
		big := filepath.Join(dir, "qua-lon.docx")
		if err := os.WriteFile(big, make([]byte, criteria.MaxDocxSize+1), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, errs := ntm(t, "--db", dsn, "criteria", "import", big, "--id", "x"); code != 3 || !strings.Contains(errs, big+": ") || !strings.Contains(errs, "20 MB") {
			t.Errorf("a DOCX over the limit: exit %d %q", code, errs)
		}
		code, out, errs := ntm(t, "--db", dsn, "criteria", "import", annex, "--id", "xa-ntm-2021", "--dry-run")
		if code != 0 || !strings.Contains(out, `id: "xa-ntm-2021"`) || !strings.Contains(out, "# Khác với bộ xa-ntm-2021") ||
			!strings.Contains(out, "→ TDMNPB >= 70; DBSH >= 90") || !strings.Contains(errs, "dòng 5, cột TDMNPB") {
			t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errs)
		}
		if code, out, _ := ntm(t, "--db", dsn, "criteria", "show", "xa-ntm-2021"); code != 0 || strings.Contains(out, "SHA-256") {
			t.Errorf("a dry run stored the set")
		}
		code, _, errs = ntm(t, "--db", dsn, "criteria", "import", annex, "--id", "tinh-thu-2022", "--title", "Bộ tiêu chí xã của tỉnh (thử)",
			"--decision", "12/QĐ-UBND", "--issued", "2022-05-01")
		if code != 0 {
			t.Fatalf("import: exit %d %s", code, errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "criteria", "show", "tinh-thu-2022")
		if code != 0 || !strings.Contains(out, "Ngưỡng đã đối chiếu văn bản: 3/3") || !strings.Contains(out, "theo docx:phu-luc.docx (SHA-256 ") ||
			!strings.Contains(out, "Giảm 1,5%/năm") {
			t.Errorf("show: %s", out)
		}
		values := filepath.Join(dir, "so-lieu.csv")
		os.WriteFile(values, []byte("unit,set,period,code,value\n00376,tinh-thu-2022,2022,2.1,100\n00376,tinh-thu-2022,2022,2.2,85\n00376,tinh-thu-2022,2022,11.1,0.8\n"), 0o644)
		code, out, errs = ntm(t, "--db", dsn, "evaluate", "--set", "tinh-thu-2022", "--unit", "00376", "--values", values, "--region", "DBSH", "--all")
		if code != 0 || !strings.Contains(out, "85 % < 90 %") {
			t.Errorf("evaluate: exit %d\n%s\n%s", code, out, errs)
		}
	})
}
