package criteria

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/sheet"
)

// docxCell writes a table cell: span > 1 spans columns, merge is "", "restart" or "continue".
func docxTC(text string, span int, merge string) string {
	var pr strings.Builder
	if span > 1 {
		fmt.Fprintf(&pr, `<w:gridSpan w:val="%d"/>`, span)
	}
	switch merge {
	case "restart":
		pr.WriteString(`<w:vMerge w:val="restart"/>`)
	case "continue":
		pr.WriteString(`<w:vMerge/>`)
	}
	body := ""
	for _, line := range strings.Split(text, "\n") {
		body += `<w:p><w:r><w:t xml:space="preserve">` + line + `</w:t></w:r></w:p>`
	}
	return `<w:tc><w:tcPr>` + pr.String() + `</w:tcPr>` + body + `</w:tc>`
}

func docxTR(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }

// buildDocx makes a Word document holding the given body XML.
func buildDocx(t testing.TB, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>PHỤ LỤC I — BỘ TIÊU CHÍ XÃ (thử)</w:t></w:r></w:p>` + body + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// annexDocx is an annex table as decisions publish it: two header rows (the region columns
// under one spanning "Chỉ tiêu theo vùng"), a criterion whose number and name span two
// indicator rows, and a cell no parser can read.
func annexDocx(t testing.TB) []byte {
	c, r, m := "continue", "restart", ""
	return buildDocx(t, "<w:tbl>"+
		docxTR(docxTC("TT", 1, r), docxTC("Tên tiêu chí", 1, r), docxTC("Nội dung tiêu chí", 1, r), docxTC("Chỉ tiêu chung", 1, r), docxTC("Chỉ tiêu theo vùng", 2, m))+
		docxTR(docxTC("", 1, c), docxTC("", 1, c), docxTC("", 1, c), docxTC("", 1, c), docxTC("TDMNPB", 1, m), docxTC("Đồng bằng sông Hồng", 1, m))+
		docxTR(docxTC("2", 1, r), docxTC("Giao thông", 1, r), docxTC("2.1. Tỷ lệ đường xã được nhựa hóa", 1, m), docxTC("100%", 1, m), docxTC("", 1, m), docxTC("", 1, m))+
		docxTR(docxTC("", 1, c), docxTC("", 1, c), docxTC("2.2. Tỷ lệ đường thôn được cứng hóa", 1, m), docxTC("", 1, m), docxTC("≥ 70%", 1, m), docxTC("≥90 %", 1, m))+
		docxTR(docxTC("8", 1, m), docxTC("Thông tin và Truyền thông", 1, m), docxTC("8.1. Xã có điểm phục vụ bưu chính", 1, m), docxTC("Đạt", 1, m), docxTC("", 1, m), docxTC("", 1, m))+
		docxTR(docxTC("10", 1, m), docxTC("Thu nhập", 1, m), docxTC("Thu nhập bình quân đầu người", 1, m), docxTC("≥ 45 triệu đồng/người", 1, m), docxTC("≥ 36 triệu đồng/người", 1, m), docxTC("≥ 50 triệu đồng/người", 1, m))+
		docxTR(docxTC("11", 1, m), docxTC("Nghèo đa chiều", 1, m), docxTC("Tỷ lệ nghèo đa chiều", 1, m), docxTC("≤ 2%", 1, m), docxTC("Giảm bình quân 1,5%/năm", 1, m), docxTC("≤ 1%", 1, m))+
		"</w:tbl>")
}

func TestParseThresholdVI(t *testing.T) {
	for in, want := range map[string]string{
		"≥ 90%": ">= 90 percent %", "≥90 %": ">= 90 percent %", "100%": ">= 100 percent %", "Đạt": "== true bool ", "Có": "== true bool ",
		"≤ 2%": "<= 2 percent %", "≥ 45 triệu đồng/người": ">= 45 number triệu đồng/người", "≤ 13,9%": "<= 13.9 percent %",
	} {
		p, ok := ParseThresholdVI(in)
		got := fmt.Sprintf("%s %s %s %s", p.Op, valueYAML(p.Value), p.Kind, p.Unit)
		if !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"Giảm bình quân 1,5%/năm", "theo quy định", "≥ 120%", "dưới 5%", ""} {
		if _, ok := ParseThresholdVI(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// A DOCX annex with merged cells and region columns becomes a set that records the file as the
// source of its thresholds; an unreadable cell is kept as text and listed; a commune of the
// delta is judged against the delta's column.
func TestImportDocx_AnnexWithMergedCellsAndRegions(t *testing.T) {
	data := annexDocx(t)
	res, err := ImportDocx("phu-luc-1.docx", data, DocxIdentity{ID: "tinh-thu-2022", Title: "Bộ tiêu chí xã của tỉnh (thử)",
		Decision: "12/QĐ-UBND", Issued: "2022-05-01", Effective: "2022-05-01", Extends: ""})
	if err != nil {
		t.Fatal(err)
	}
	if res.VariesBy != VariesRegion || len(res.Unreadable) != 1 || res.Unreadable[0].Row != 7 || res.Unreadable[0].Column != "TDMNPB" ||
		!strings.Contains(res.Unreadable[0].String(), "dòng 7, cột TDMNPB") {
		t.Fatalf("varies %s, unreadable %+v", res.VariesBy, res.Unreadable)
	}
	s, err := Parse("phu-luc-1.yaml", res.YAML)
	if err != nil {
		t.Fatalf("%v\n%s", err, res.YAML)
	}
	if st := s.Stats(); st.Criteria != 4 || st.Indicators != 5 || st.Unverified != 0 {
		t.Errorf("stats %+v\n%s", st, res.YAML)
	}
	in, c := s.Indicator("2.2")
	if in == nil || c.Name != "Giao thông" || !strings.Contains(in.Source, "phu-luc-1.docx (SHA-256 ") || !in.Verified {
		t.Fatalf("2.2: %+v in %+v", in, c)
	}
	if in, _ := s.Indicator("11.1"); in == nil || !strings.Contains(in.Note, "Giảm bình quân 1,5%/năm") {
		t.Errorf("11.1 keeps the unreadable text: %+v", in)
	}
	vals := Values{"2.1": Number(100), "2.2": Number(85), "8.1": Bool(true), "10.1": Number(48), "11.1": Number(1.5)}
	delta, _ := Evaluate(s, Unit{Region: "DBSH"}, vals, Options{})
	mountain, _ := Evaluate(s, Unit{Region: "TDMNPB"}, vals, Options{})
	for _, tt := range []struct {
		r          *Result
		code       string
		want       Status
		reasonPart string
	}{
		{delta, "2.2", StatusNotMet, "85 % < 90 %"}, {mountain, "2.2", StatusMet, "≥ 70 %"},
		{delta, "10.1", StatusNotMet, "< 50 triệu đồng/người"}, {mountain, "10.1", StatusMet, "≥ 36"},
		{delta, "11.1", StatusNotMet, "> 1 %"}, {mountain, "11.1", StatusNoThreshold, ""},
		{delta, "8.1", StatusMet, ""},
	} {
		st, reason := find(t, tt.r, tt.code)
		if st != tt.want || !strings.Contains(reason, tt.reasonPart) {
			t.Errorf("%s %s: %s %q", tt.r.Unit.Region, tt.code, st, reason)
		}
	}
}

func TestImportDocx_BadDocuments(t *testing.T) {
	id := DocxIdentity{ID: "x"}
	other := buildDocx(t, "<w:tbl>"+docxTR(docxTC("Họ và tên", 1, ""), docxTC("Chức vụ", 1, ""))+"</w:tbl>")
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"not a zip": {[]byte("xin chào"), "không phải tệp Word"},
		"zip without word": {func() []byte {
			var b bytes.Buffer
			z := zip.NewWriter(&b)
			z.Create("a.txt")
			z.Close()
			return b.Bytes()
		}(), "word/document.xml"},
		"broken xml":     {buildDocx(t, "<w:tbl><w:tr>"), "XML"},
		"no annex table": {other, "cần các cột TT | Tên tiêu chí | Nội dung tiêu chí | Chỉ tiêu chung; các bảng có tiêu đề: Họ và tên | Chức vụ"},
		"too large":      {make([]byte, MaxDocxSize+1), "lớn hơn"},
	} {
		_, err := ImportDocx("t.docx", tc.data, id)
		if f, ok := fault.As(err); !ok || (f.Code != fault.InvalidValue && f.Code != fault.TooLarge) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ImportDocx("t.docx", annexDocx(t), DocxIdentity{}); err == nil || !strings.Contains(err.Error(), "--id") {
		t.Errorf("no id: %v", err)
	}
}

func FuzzParseThresholdVI(f *testing.F) {
	for _, s := range []string{"≥ 90%", "≥90 %", "100%", "Đạt", "≤ 2%", "≥ 45 triệu đồng/người", "Giảm 1,5%/năm", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := ParseThresholdVI(s)
		if ok && p.Kind == KindPercent && (p.Value.Num < 0 || p.Value.Num > 100) {
			t.Errorf("%q: percent %v", s, p.Value.Num)
		}
	})
}

func FuzzImportDocx(f *testing.F) {
	f.Add(annexDocx(f))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ImportDocx("f.docx", data, DocxIdentity{ID: "f"})
		if err == nil {
			Parse("f.yaml", res.YAML) // must not panic; validation errors are fine
		}
	})
}

// A set that fails validation is refused with its problems named by the table's row and
// column, not by the lines of the YAML written from it; a file over the limit says which.
func TestImportDocx_ProblemsByRowAndColumn(t *testing.T) {
	m := ""
	data := buildDocx(t, "<w:tbl>"+
		docxTR(docxTC("TT", 1, m), docxTC("Tên tiêu chí", 1, m), docxTC("Nội dung tiêu chí", 1, m), docxTC("Chỉ tiêu chung", 1, m))+
		docxTR(docxTC("2", 1, m), docxTC("Giao thông", 1, m), docxTC("2.1. Đường xã", 1, m), docxTC("100%", 1, m))+
		docxTR(docxTC("2", 1, m), docxTC("Giao thông", 1, m), docxTC("2.1. Đường thôn", 1, m), docxTC("≥ 70%", 1, m))+
		"</w:tbl>")
	res, err := ImportDocx("phu-luc.docx", data, DocxIdentity{ID: "tinh-thu"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = res.Parse()
	ps, ok := ValidationProblems(err)
	if !ok {
		t.Fatalf("duplicate code accepted: %v\n%s", err, res.YAML)
	}
	found := false
	for _, p := range ps {
		if p.Row == 3 && p.Column == "Nội dung tiêu chí" && p.Line == 0 {
			found = true
			if s := p.String(); !strings.HasPrefix(s, "phu-luc.docx: dòng 3, cột Nội dung tiêu chí") {
				t.Errorf("problem reads %q", s)
			}
		}
	}
	if !found {
		t.Errorf("problems not located in the table: %+v", ps)
	}
	_, err = ImportDocx("t.docx", make([]byte, MaxDocxSize+1), DocxIdentity{ID: "x"})
	var le *sheet.LimitError
	if !errors.As(err, &le) || le.Limit != sheet.LimitFile || !fault.Is(err, fault.TooLarge) {
		t.Errorf("too large: %v", err)
	}
}

// The set's identity comes from the document's title lines where the caller gives none: the
// decision's number and date from the header block or the annex's "Kèm theo Quyết định số …",
// the title from "BỘ TIÊU CHÍ …"; what the caller gives wins, and nothing else is inferred.
func TestImportDocx_IdentityFromTitleLines(t *testing.T) {
	m := ""
	table := "<w:tbl>" +
		docxTR(docxTC("TT", 1, m), docxTC("Tên tiêu chí", 1, m), docxTC("Nội dung tiêu chí", 1, m), docxTC("Chỉ tiêu chung", 1, m)) +
		docxTR(docxTC("1", 1, m), docxTC("Quy hoạch", 1, m), docxTC("1.1. Có quy hoạch chung xã", 1, m), docxTC("Đạt", 1, m)) + "</w:tbl>"
	para := func(s string) string { return `<w:p><w:r><w:t>` + s + `</w:t></w:r></w:p>` }
	header := "<w:tbl>" + docxTR(docxTC("ỦY BAN NHÂN DÂN TỈNH THỬ", 1, m), docxTC("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1, m)) +
		docxTR(docxTC("Số: 3098/QĐ-UBND", 1, m), docxTC("Thử, ngày 15 tháng 5 năm 2022", 1, m)) + "</w:tbl>"
	for name, c := range map[string]struct {
		body  string
		given DocxIdentity
		want  DocxIdentity
	}{
		"annex heading": {para("PHỤ LỤC I") + para("BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ  NÔNG THÔN MỚI GIAI ĐOẠN 2021 - 2025") +
			para("(Kèm theo Quyết định số 318/QĐ-TTg ngày 08 tháng 3 năm 2022 của Thủ tướng Chính phủ)") + table,
			DocxIdentity{ID: "a"}, DocxIdentity{ID: "a", Title: "BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ NÔNG THÔN MỚI GIAI ĐOẠN 2021 - 2025", Decision: "318/QĐ-TTg", Issued: "2022-03-08"}},
		"header block": {header + para("QUYẾT ĐỊNH") + para("Ban hành Bộ tiêu chí xã nông thôn mới nâng cao tỉnh Thử") + table,
			DocxIdentity{ID: "b", Title: "Của tỉnh"}, DocxIdentity{ID: "b", Title: "Của tỉnh", Decision: "3098/QĐ-UBND", Issued: "2022-05-15"}},
		// buildDocx's own heading, "PHỤ LỤC I — BỘ TIÊU CHÍ XÃ (thử)", names no decision.
		"no decision stated": {table, DocxIdentity{ID: "c"}, DocxIdentity{ID: "c", Title: "BỘ TIÊU CHÍ XÃ (thử)"}},
	} {
		res, err := ImportDocx("qd.docx", buildDocx(t, c.body), c.given)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Identity != c.want {
			t.Errorf("%s: identity %+v, want %+v", name, res.Identity, c.want)
		}
		s, err := res.Parse()
		if err != nil || (c.want.Decision != "" && s.Basis.Decision != c.want.Decision) {
			t.Errorf("%s: set %v %+v", name, err, s)
		}
	}
}
