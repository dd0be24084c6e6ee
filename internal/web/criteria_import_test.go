package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func init() {
	// The body is the DOCX itself, the identity in the query: a dry run stores nothing, an
	// import stores the set (both only for the roles that manage criteria).
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "criteria import from a DOCX, dry run", method: "POST", action: auth.ManageCriteria,
			path: "/api/v1/criteria/import?id=tinh-thu-2022&dry_run=1&filename=phu-luc.docx", body: string(annexDocx())},
		accessEndpoint{name: "criteria import from a DOCX", method: "POST", action: auth.ManageCriteria,
			path: "/api/v1/criteria/import?id=tinh-thu-matrix&issued=01/05/2022&filename=phu-luc.docx", body: string(annexDocx())},
	)
}

// docxCell is a table cell of WordprocessingML: span > 1 spans columns, merge is "",
// "restart" or "continue" (a vertical merge).
func docxCell(text string, span int, merge string) string {
	pr := ""
	if span > 1 {
		pr += fmt.Sprintf(`<w:gridSpan w:val="%d"/>`, span)
	}
	switch merge {
	case "restart":
		pr += `<w:vMerge w:val="restart"/>`
	case "continue":
		pr += `<w:vMerge/>`
	}
	return `<w:tc><w:tcPr>` + pr + `</w:tcPr><w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p></w:tc>`
}

func docxRow(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }

// docxWith is a Word document whose body holds the rows given as one table.
func docxWith(rows ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>PHỤ LỤC — BỘ TIÊU CHÍ XÃ (thử)</w:t></w:r></w:p><w:tbl>` + strings.Join(rows, "") + `</w:tbl></w:body></w:document>`))
	zw.Close()
	return buf.Bytes()
}

// annexDocx is an annex as decisions publish it: the region columns under one spanning
// header, criterion 2's number and name merged over its two indicators, and one cell (row 7,
// column TDMNPB) that no parser can read.
func annexDocx() []byte {
	c, r, m := "continue", "restart", ""
	return docxWith(
		docxRow(docxCell("TT", 1, r), docxCell("Tên tiêu chí", 1, r), docxCell("Nội dung tiêu chí", 1, r), docxCell("Chỉ tiêu chung", 1, r), docxCell("Chỉ tiêu theo vùng", 2, m)),
		docxRow(docxCell("", 1, c), docxCell("", 1, c), docxCell("", 1, c), docxCell("", 1, c), docxCell("TDMNPB", 1, m), docxCell("Đồng bằng sông Hồng", 1, m)),
		docxRow(docxCell("2", 1, r), docxCell("Giao thông", 1, r), docxCell("2.1. Tỷ lệ đường xã được nhựa hóa", 1, m), docxCell("100%", 1, m), docxCell("", 1, m), docxCell("", 1, m)),
		docxRow(docxCell("", 1, c), docxCell("", 1, c), docxCell("2.2. Tỷ lệ đường thôn được cứng hóa", 1, m), docxCell("", 1, m), docxCell("≥ 70%", 1, m), docxCell("≥90 %", 1, m)),
		docxRow(docxCell("8", 1, m), docxCell("Thông tin và Truyền thông", 1, m), docxCell("8.1. Xã có điểm phục vụ bưu chính", 1, m), docxCell("Đạt", 1, m), docxCell("", 1, m), docxCell("", 1, m)),
		docxRow(docxCell("10", 1, m), docxCell("Thu nhập", 1, m), docxCell("Thu nhập bình quân đầu người", 1, m), docxCell("≥ 45 triệu đồng/người", 1, m), docxCell("≥ 36 triệu đồng/người", 1, m), docxCell("≥ 50 triệu đồng/người", 1, m)),
		docxRow(docxCell("11", 1, m), docxCell("Nghèo đa chiều", 1, m), docxCell("Tỷ lệ nghèo đa chiều", 1, m), docxCell("≤ 2%", 1, m), docxCell("Giảm bình quân 1,5%/năm", 1, m), docxCell("≤ 1%", 1, m)),
	)
}

// postDocx posts a DOCX to the import API as a multipart form with the fields given.
func postDocx(t *testing.T, srv *httptest.Server, token, filename string, content []byte, fields map[string]string) answer {
	t.Helper()
	ct, body := multipartBody(t, filename, content, fields)
	req, err := http.NewRequest("POST", srv.URL+"/api/v1/criteria/import", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, resp: resp}
}

type docxImportAnswer struct {
	ID           string              `json:"id"`
	DryRun       bool                `json:"dry_run"`
	Source       string              `json:"source"`
	VariesBy     string              `json:"varies_by"`
	Stats        criteria.Stats      `json:"stats"`
	Unreadable   []criteria.DocxCell `json:"unreadable"`
	YAML         string              `json:"yaml"`
	Set          json.RawMessage     `json:"set"`
	ComparedWith string              `json:"compared_with"`
	Differences  []string            `json:"differences"`
	Replaces     bool                `json:"replaces"`
	Reevaluated  int                 `json:"reevaluated"`
}

// A central office previews the annex (the set, the unreadable cell by row and column, the
// differences from the set it completes), nothing stored; then imports it, and a commune of
// the Red River delta is judged against the delta's column.
func TestCriteriaImportAPI_DryRunThenImportAndEvaluate(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		central := newToken(t, db, newUser(t, db, "tw", auth.RoleCentral, "", ""))
		ident := map[string]string{"id": "tinh-thu-2022", "title": "Bộ tiêu chí xã của tỉnh (thử)", "decision": "12/QĐ-UBND",
			"issued": "01/05/2022", "dry_run": "1"}

		a := postDocx(t, srv, central, "phụ lục 1.docx", annexDocx(), ident)
		if a.status != 200 {
			t.Fatalf("dry run: %d %s", a.status, a.body)
		}
		var got docxImportAnswer
		a.decode(t, &got)
		if !got.DryRun || got.ID != "tinh-thu-2022" || got.VariesBy != criteria.VariesRegion || got.Stats.Criteria != 4 || got.Stats.Indicators != 5 ||
			!strings.HasPrefix(got.Source, "phụ lục 1.docx (SHA-256 ") || !strings.Contains(got.YAML, "verified: true") || len(got.Set) < 10 || got.Replaces {
			t.Errorf("dry run answered %+v", got)
		}
		if len(got.Unreadable) != 1 || got.Unreadable[0].Row != 7 || got.Unreadable[0].Column != "TDMNPB" || got.Unreadable[0].Text != "Giảm bình quân 1,5%/năm" {
			t.Errorf("unreadable cells: %+v", got.Unreadable)
		}
		if got.ComparedWith != "" {
			t.Errorf("compared with %q, but no set of that id is in force", got.ComparedWith)
		}
		if a := do(t, srv, call{"GET", "/api/v1/criteria/tinh-thu-2022", "", []string{"Authorization: Bearer " + central}}); a.status != 404 {
			t.Fatalf("a dry run stored the set: %d", a.status)
		}

		// Compared with the set it completes.
		ident["extends"] = "xa-ntm-2021"
		a = postDocx(t, srv, central, "phu-luc-1.docx", annexDocx(), ident)
		a.decode(t, &got)
		if a.status != 200 || got.ComparedWith != "xa-ntm-2021" || len(got.Differences) == 0 || got.Differences[0] == "không khác" {
			t.Errorf("dry run extending xa-ntm-2021: %d %+v", a.status, got.Differences)
		}

		// The import, stored as the command line stores it.
		delete(ident, "extends")
		delete(ident, "dry_run")
		a = postDocx(t, srv, central, "phu-luc-1.docx", annexDocx(), ident)
		if a.status != 200 {
			t.Fatalf("import: %d %s", a.status, a.body)
		}
		srcs, err := db.CriteriaSetSources(t.Context())
		if err != nil || len(srcs) != 1 || srcs[0].ID != "tinh-thu-2022" || srcs[0].Filename != "phu-luc-1.docx" || !bytes.Contains(srcs[0].Source, []byte("docx:phu-luc-1.docx (SHA-256 ")) {
			t.Fatalf("stored: %v %+v", err, srcs)
		}

		commune := ruralCommunes(t, db, "01", "2025-12-31")[0].Code
		body := fmt.Sprintf(`{"set":"tinh-thu-2022","unit":%q,"as_of":"2025-12-31","values":{"2.1":"100","2.2":"85","8.1":"true","10.1":"48","11.1":"1.5"}}`, commune)
		a = do(t, srv, call{"POST", "/api/v1/evaluate", body, []string{"Authorization: Bearer " + central}})
		var res struct {
			Indicators []struct {
				Code     string `json:"code"`
				Status   string `json:"status"`
				Verified bool   `json:"verified"`
			} `json:"indicators"`
		}
		a.decode(t, &res)
		want := map[string]string{"2.1": "met", "2.2": "not_met", "8.1": "met", "10.1": "not_met", "11.1": "not_met"}
		for _, in := range res.Indicators {
			if w, ok := want[in.Code]; ok && (in.Status != w || !in.Verified) {
				t.Errorf("%s in %s: %s (verified %v), want %s against the document's delta column", in.Code, commune, in.Status, in.Verified, w)
			}
			delete(want, in.Code)
		}
		if a.status != 200 || len(want) > 0 {
			t.Errorf("evaluate: %d, not judged: %v; %s", a.status, want, a.body)
		}
	})
}

// Bad input changes nothing: a role that may not manage criteria, a file that is not a DOCX,
// a DOCX without the annex table (the error names what was looked for and what was found),
// missing or bad identity fields, a file over the limit, and a set that fails validation
// (every problem by row and column).
func TestCriteriaImportAPI_BadInput(t *testing.T) {
	t.Parallel()
	db := storetest.Units.Open(t, store.SQLite)
	srv := newServer(t, db)
	central := newToken(t, db, newUser(t, db, "tw", auth.RoleCentral, "", ""))
	province := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
	id := map[string]string{"id": "tinh-thu"}
	m := ""
	duplicate := docxWith(
		docxRow(docxCell("TT", 1, m), docxCell("Tên tiêu chí", 1, m), docxCell("Nội dung tiêu chí", 1, m), docxCell("Chỉ tiêu chung", 1, m)),
		docxRow(docxCell("2", 1, m), docxCell("Giao thông", 1, m), docxCell("2.1. Đường xã", 1, m), docxCell("100%", 1, m)),
		docxRow(docxCell("2", 1, m), docxCell("Giao thông", 1, m), docxCell("2.1. Đường thôn", 1, m), docxCell("≥ 70%", 1, m)))
	for _, c := range []struct {
		name    string
		token   string
		file    []byte
		fields  map[string]string
		status  int
		code    string
		field   string
		message string
	}{
		{"province office", province, annexDocx(), id, 403, "forbidden", "", ""},
		{"not a DOCX", central, []byte("xin chào"), id, 422, "invalid_value", "", "không phải tệp Word"},
		{"no annex table", central, docxWith(docxRow(docxCell("Họ và tên", 1, m), docxCell("Chức vụ", 1, m))), id, 422, "invalid_value", "",
			"cần các cột TT | Tên tiêu chí | Nội dung tiêu chí | Chỉ tiêu chung; các bảng có tiêu đề: Họ và tên | Chức vụ"},
		{"no id", central, annexDocx(), map[string]string{"title": "x"}, 400, "invalid", "id", ""},
		{"bad date", central, annexDocx(), map[string]string{"id": "x", "issued": "31/02/2022"}, 400, "invalid", "issued", "31/02/2022"},
		{"no file", central, nil, id, 400, "invalid", "file", ""},
		{"too large", central, make([]byte, criteria.MaxDocxSize+1), id, 413, "too_large", "file", ""},
		{"duplicate code", central, duplicate, id, 422, "invalid_value", "file", ""},
	} {
		a := postDocx(t, srv, c.token, "phu-luc.docx", c.file, c.fields)
		var e struct {
			Error    struct{ Code, Message, Field string }
			Problems []criteria.Problem
		}
		json.Unmarshal(a.body, &e)
		if a.status != c.status || e.Error.Code != c.code || e.Error.Field != c.field || !strings.Contains(e.Error.Message, c.message) {
			t.Errorf("%s: %d %s", c.name, a.status, a.body)
		}
		if c.name == "duplicate code" && (len(e.Problems) == 0 || e.Problems[0].Row != 3 || e.Problems[0].Column != "Nội dung tiêu chí") {
			t.Errorf("duplicate code: problems not by row and column: %+v", e.Problems)
		}
	}
	if srcs, err := db.CriteriaSetSources(t.Context()); err != nil || len(srcs) != 0 {
		t.Errorf("refused imports stored %+v (%v)", srcs, err)
	}
}

// The page: a central officer uploads the DOCX, sees the preview with every unreadable cell by
// row and column, and imports what was previewed without choosing the file again; a province
// officer is refused.
func TestCriteriaImportPage_PreviewAndImport(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	tw := session(t, srv, db, "tw", auth.RoleCentral, "")
	prov := session(t, srv, db, "tinh", auth.RoleProvince, "01")
	if status, _, body := fetch(t, srv, "/criteria/import", "vi", tw); status != 200 || !strings.Contains(body, `name="file"`) || !strings.Contains(body, "nav-criteria-import") {
		t.Fatalf("page: %d", status)
	}
	if status, _, body := fetch(t, srv, "/criteria/import", "vi", prov); status != 403 || strings.Contains(body, "nav-criteria-import") {
		t.Errorf("province officer: %d", status)
	}
	post := func(fields map[string]string, file []byte) (int, string, string) {
		ct, body := multipartBody(t, "phu-luc-1.docx", file, fields)
		if file == nil {
			ct, body = multipartBody(t, "", nil, fields)
		}
		req, _ := http.NewRequest("POST", srv.URL+"/criteria/import", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Origin", srv.URL)
		req.AddCookie(tw)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(b)
	}
	status, _, body := post(map[string]string{"id": "tinh-thu-2022", "issued": "01/05/2022", "action": "preview"}, annexDocx())
	for _, want := range []string{"Xem trước bộ tinh-thu-2022", "BỘ TIÊU CHÍ XÃ (thử)", "Ngày ban hành 01/05/2022", "<td class=\"num\">7</td><td>TDMNPB</td><td>Giảm bình quân 1,5%/năm</td>", "4 tiêu chí, 5 chỉ tiêu", `name="docx"`} {
		if !strings.Contains(body, want) {
			t.Errorf("preview (%d) lacks %q", status, want)
		}
	}
	m := regexp.MustCompile(`name="docx" value="([^"]+)"`).FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("preview: %d", status)
	}
	kept := html.UnescapeString(m[1])
	if raw, err := base64.StdEncoding.DecodeString(kept); err != nil || !bytes.Equal(raw, annexDocx()) {
		t.Fatalf("the preview does not keep the file: %v", err)
	}
	status, loc, _ := post(map[string]string{"id": "tinh-thu-2022", "issued": "01/05/2022", "action": "import", "docx": kept, "filename": "phu-luc-1.docx"}, nil)
	if status != 303 || !strings.Contains(loc, "imported=tinh-thu-2022") {
		t.Fatalf("import: %d %s", status, loc)
	}
	if _, _, body := fetch(t, srv, loc, "vi", tw); !strings.Contains(body, "Đã nhập bộ tiêu chí tinh-thu-2022") {
		t.Errorf("no word of the import")
	}
	// An error is shown on the page, nothing stored.
	status, _, body = post(map[string]string{"id": "khac", "action": "import"}, []byte("xin chào"))
	if status != 422 || !strings.Contains(body, "không phải tệp Word") {
		t.Errorf("bad file: %d", status)
	}
	if srcs, _ := db.CriteriaSetSources(t.Context()); len(srcs) != 1 {
		t.Errorf("stored %d sets, want 1", len(srcs))
	}
}
