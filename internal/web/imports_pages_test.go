package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
)

// postValuesFile posts a values file with the import page's fields, from this site's origin unless
// origin says otherwise, and answers the status, the redirect and the body.
func postValuesFile(t *testing.T, srv *httptest.Server, c *http.Cookie, origin, name, content string, fields map[string]string) (int, string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/imports/values", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", origin)
	req.AddCookie(c)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), b.String()
}

// TestPages_ValuesImport: a province officer checks a file with a bad row and sees the row
// and column, nothing written; checks a good one, then imports it; a viewer and a post from
// another site are refused (issue 15.5).
func TestPages_ValuesImport(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	ctx := context.Background()
	tinh := session(t, srv, db, "tinh.nhap", auth.RoleProvince, "01")
	kids, err := db.Children(ctx, "01", "2026-06-30")
	if err != nil {
		t.Fatal(err)
	}
	commune := ""
	for _, k := range kids {
		if k.IsRuralCommune() {
			commune = k.Code
			break
		}
	}
	if status, _, body := fetch(t, srv, "/imports/values", "vi", tinh); status != 200 || !strings.Contains(body, `id="import-form"`) {
		t.Fatalf("the import page: %d", status)
	}
	count := func() int {
		as, err := db.ListAssessments(ctx, store.AssessmentFilter{UnitCode: commune, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	head := "unit,set,period,code,value\n"
	bad := head + commune + ",xa-ntm-2026,2026,TC1,đạt\n" + commune + ",xa-ntm-2026,2026,TC2,không rõ\n"
	status, loc, _ := postValuesFile(t, srv, tinh, srv.URL, "sai.csv", bad, map[string]string{"dry_run": "1", "status": "draft"})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/imports/values?job=") {
		t.Fatalf("post a file: %d %q", status, loc)
	}
	_, _, body := fetch(t, srv, loc, "vi", tinh)
	if !strings.Contains(body, `id="import-problems"`) || !strings.Contains(body, "dòng 3") || !strings.Contains(body, "cột value") {
		t.Errorf("the problems are not listed by row and column:\n%s", body)
	}
	if n := count(); n != 0 {
		t.Errorf("a file with problems wrote %d assessment(s)", n)
	}
	good := head + commune + ",xa-ntm-2026,2026,TC1,đạt\n"
	if _, loc, _ = postValuesFile(t, srv, tinh, srv.URL, "dung.csv", good, map[string]string{"dry_run": "1"}); loc == "" {
		t.Fatal("no result of the check")
	}
	if _, _, body = fetch(t, srv, loc, "vi", tinh); !strings.Contains(body, "Tệp hợp lệ. Chưa ghi gì") || count() != 0 {
		t.Errorf("the check of a good file: %d assessment(s)\n%s", count(), body)
	}
	if _, loc, _ = postValuesFile(t, srv, tinh, srv.URL, "dung.csv", good, nil); loc == "" {
		t.Fatal("no result of the import")
	}
	if _, _, body = fetch(t, srv, loc, "vi", tinh); !strings.Contains(body, "Đã nhập xong") || count() != 1 {
		t.Errorf("the import: %d assessment(s)\n%s", count(), body)
	}
	// Another user does not see this import; a viewer may not import; another site may not post.
	xem := session(t, srv, db, "xem.nhap", auth.RoleViewer, "01")
	if status, _, _ := fetch(t, srv, loc, "vi", xem); status != http.StatusNotFound {
		t.Errorf("another user's import: %d", status)
	}
	if status, _, body := postValuesFile(t, srv, xem, srv.URL, "dung.csv", good, nil); status != http.StatusForbidden || !strings.Contains(body, `role="alert"`) {
		t.Errorf("a viewer's import: %d", status)
	}
	if status, _, _ := postValuesFile(t, srv, tinh, "https://evil.example", "dung.csv", good, nil); status != http.StatusForbidden {
		t.Errorf("a post from another site: %d", status)
	}
}
