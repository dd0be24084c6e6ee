package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
)

// recLeftover is a catalog key of the recognition pages left in a page untranslated.
var recLeftover = regexp.MustCompile(`\brecognition\.[a-z_.-]+\b`)

// formPost posts a form as a browser does (same origin, the session cookie) and returns the
// status, the redirect and the body.
func formPost(t *testing.T, srv *httptest.Server, c *http.Cookie, path string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(c)
	return send(t, req)
}

// fileFormPost posts a multipart form with a file, as a browser does.
func fileFormPost(t *testing.T, srv *httptest.Server, c *http.Cookie, path string, fields map[string]string, filename string, content []byte) (int, string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(c)
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (int, string, string) {
	t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// The acceptance, in the web interface: a commune that meets xa-ntm-2026 is taken from its
// dossier to the decision by the commune's and the province's officers through the pages'
// forms, and then counts as recognised in its province's progress.
func TestPages_DossierToDecisionThroughTheForms(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	ctx := context.Background()
	xaUnit := ruralCommunes(t, db, "01", "2026-06-30")[0]
	// The commune meets all 10 criteria (entered through the store: the form is tested elsewhere).
	p, _ := assessment.ParsePeriod("2026-Q1")
	a, err := writer(t, db).CreateAssessment(ctx, app.System("xa"), xaUnit.Code, "xa-ntm-2026", p)
	if err != nil {
		t.Fatal(err)
	}
	var ch []store.ValueChange
	for n := 1; n <= 10; n++ {
		v := "true"
		ch = append(ch, store.ValueChange{Code: fmt.Sprintf("TC%d", n), Value: &v})
	}
	if _, err := writer(t, db).SetValues(ctx, app.System("xa"), a.ID, a.Version, ch); err != nil {
		t.Fatal(err)
	}
	xa := session(t, srv, db, "xa.page", auth.RoleCommune, xaUnit.Code)
	tinh := session(t, srv, db, "tinh.page", auth.RoleProvince, "01")
	lib, _ := recognition.Shipped()
	wf, _ := lib.Workflow("xa-2025")

	// The commune opens its dossier from the list page.
	_, _, body := fetch(t, srv, "/dossiers", "", xa)
	if !strings.Contains(body, `action="/dossiers"`) || !strings.Contains(body, `value="`+xaUnit.Code+`"`) {
		t.Fatalf("the commune's list page has no form to open its dossier")
	}
	status, loc, body := formPost(t, srv, xa, "/dossiers", url.Values{"unit": {xaUnit.Code}, "tier": {"ntm"}, "opened": {"01/04/2026"}})
	if status != 303 || !strings.HasPrefix(loc, "/dossiers/") {
		t.Fatalf("open: %d %s\n%s", status, loc, body)
	}
	page := strings.SplitN(strings.TrimPrefix(loc, "/dossiers/"), "?", 2)[0]
	path := "/dossiers/" + page
	_, _, body = fetch(t, srv, loc, "", xa)
	for _, want := range []string{"Đã lập hồ sơ", xaUnit.FullName, "Đạt chuẩn", "còn thiếu", `enctype="multipart/form-data"`, "Tờ trình của UBND xã"} {
		if !strings.Contains(body, want) && !(want == "Đạt chuẩn" && strings.Contains(body, "đạt chuẩn")) {
			t.Errorf("the new dossier's page lacks %q", want)
		}
	}
	// Submitting before the documents are there: the page says what is missing, and stays.
	status, _, body = formPost(t, srv, xa, path+"/actions", url.Values{"step": {"lap-ho-so"}, "outcome": {"pass"}, "on": {"02/04/2026"}})
	if status != 422 || !strings.Contains(body, "còn thiếu giấy tờ") {
		t.Errorf("submit without documents: %d", status)
	}
	step := func(stepID string, c *http.Cookie) {
		t.Helper()
		s, _, _ := wf.Step(stepID)
		for _, d := range s.Documents {
			if !d.Required {
				continue
			}
			if status, loc, body := fileFormPost(t, srv, c, path+"/documents", map[string]string{"step": stepID, "item": d.ID}, d.ID+".pdf", recPDF); status != 303 {
				t.Fatalf("upload %s: %d %s\n%s", d.ID, status, loc, body)
			}
		}
	}
	passOn := func(c *http.Cookie, stepID, on string, extra url.Values) {
		t.Helper()
		f := url.Values{"step": {stepID}, "outcome": {"pass"}, "on": {on}}
		for k, v := range extra {
			f[k] = v
		}
		if status, loc, body := formPost(t, srv, c, path+"/actions", f); status != 303 || !strings.Contains(loc, "done=action_pass") {
			t.Fatalf("pass %s: %d %s\n%s", stepID, status, loc, body)
		}
	}
	step("lap-ho-so", xa)
	passOn(xa, "lap-ho-so", "02/04/2026", nil)
	// Now the commune sees whose step it is, and no form to take it.
	_, _, body = fetch(t, srv, path, "", xa)
	if !strings.Contains(body, "Bước hiện tại do cấp tỉnh thực hiện") || strings.Contains(body, `action="`+path+`/actions"`) {
		t.Errorf("the commune's view of the province's step")
	}
	if status, _, body := formPost(t, srv, xa, path+"/actions", url.Values{"step": {"tham-dinh-tinh"}, "outcome": {"pass"}}); status != 403 || !strings.Contains(body, "cấp tỉnh") {
		t.Errorf("the commune posts the province's step: %d", status)
	}
	// The province appraises, posts, takes the council's vote and decides.
	_, _, body = fetch(t, srv, path, "en", tinh)
	if !strings.Contains(body, "Your step: The province appraises the dossier and the standing") || !strings.Contains(body, "not yet checked against the decision") {
		t.Errorf("the province's English view lacks its step or the unverified time limit")
	}
	formPost(t, srv, tinh, path+"/comments", url.Values{"step": {"tham-dinh-tinh"}, "body": {"Đã nhận đủ hồ sơ"}})
	step("tham-dinh-tinh", tinh)
	passOn(tinh, "tham-dinh-tinh", "10/04/2026", nil)
	if status, _, _ := formPost(t, srv, tinh, path+"/posting", url.Values{"step": {"cong-khai"}, "from": {"10/04/2026"}, "to": {"24/04/2026"}, "where": {"Cổng thông tin điện tử thành phố"}}); status != 303 {
		t.Errorf("posting: %d", status)
	}
	if status, _, _ := formPost(t, srv, tinh, path+"/public-comments", url.Values{"step": {"cong-khai"}, "author": {"Bà Trần Thị B"}, "received": {"20/04/2026"}, "body": {"Đồng ý công nhận"}}); status != 303 {
		t.Errorf("public comment: %d", status)
	}
	passOn(tinh, "cong-khai", "25/04/2026", nil)
	if status, _, body := formPost(t, srv, tinh, path+"/vote", url.Values{"step": {"hoi-dong-tinh"}, "members": {"11"}, "yes": {"11"}, "on": {"28/04/2026"}}); status != 303 {
		t.Errorf("vote: %d\n%s", status, body)
	}
	step("hoi-dong-tinh", tinh)
	passOn(tinh, "hoi-dong-tinh", "28/04/2026", nil)
	passOn(tinh, "quyet-dinh", "05/05/2026", url.Values{"decision_number": {"1234/QĐ-UBND"}, "decision_date": {"05/05/2026"}, "decision_signer": {"Chủ tịch UBND thành phố"}})
	_, _, body = fetch(t, srv, path, "", tinh)
	for _, want := range []string{"Đã công nhận", "số 1234/QĐ-UBND ngày 05/05/2026", "Bà Trần Thị B", "Đã nhận đủ hồ sơ", "11 thành viên: 11 đồng ý"} {
		if !strings.Contains(body, want) {
			t.Errorf("the decided dossier's page lacks %q", want)
		}
	}
	// It counts as recognised in Hà Nội's progress, and shows in the registry page.
	var prog struct {
		UnitsRecognized int `json:"units_recognized"`
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/progress?unit=01&set=xa-ntm-2026&as_of=2026-06-30", nil)
	req.AddCookie(tinh)
	if status, _, b := send(t, req); status != 200 || json.Unmarshal([]byte(b), &prog) != nil || prog.UnitsRecognized != 1 {
		t.Errorf("progress after the decision: %d %s", status, b)
	}
	_, _, body = fetch(t, srv, "/recognitions?unit=01&as_of=2026-06-30", "", tinh)
	if !strings.Contains(body, "1234/QĐ-UBND") || !strings.Contains(body, "có thêm 01 xã đạt chuẩn NTM, nâng tổng số lên 01 xã") || !strings.Contains(body, "Ghi quyết định thu hồi") {
		t.Errorf("the registry page lacks the decision, the sentence or the revocation form")
	}
	// The decision links to the dossier it came from, named by its number (not an address).
	if id := path[strings.LastIndex(path, "/")+1:]; !strings.Contains(body, `<a href="/dossiers/`+id+`">Số `+id+`</a>`) {
		t.Errorf("the registry page does not link the decision to its dossier by number")
	}
	// Each decision names the criteria set it was made under (issue 13.4).
	if !strings.Contains(body, "Bộ tiêu chí</th>") || !strings.Contains(body, `<span class="code">xa-ntm-2026</span>`) {
		t.Errorf("the registry page does not name the decision's criteria set")
	}
	// A commune officer sees the registry but may not revoke.
	if _, _, body := fetch(t, srv, "/recognitions?unit=01&as_of=2026-06-30", "", xa); strings.Contains(body, "Ghi quyết định thu hồi") {
		t.Errorf("the commune is offered the revocation form")
	}
}

func TestPages_RecognitionRenderBothLanguages(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	ctx := context.Background()
	tinh := session(t, srv, db, "tinh.render", auth.RoleProvince, "01")
	// A recognised commune of Sóc Sơn failing 10 of 19 criteria in 2024; a dossier overdue.
	if _, err := db.ImportRecognitions(ctx, "tinh", []store.RegistryImport{{Row: 2, UnitCode: "00379", Tier: "ntm",
		Decision: recognition.Decision{Number: "10/QĐ-UBND", Date: "2019-12-20", Signer: "Chủ tịch"}}}, nil, false); err != nil {
		t.Fatal(err)
	}
	p, _ := assessment.ParsePeriod("2024")
	a, _ := writer(t, db).CreateAssessment(ctx, app.System("xa"), "00379", "xa-ntm-2021", p)
	var ch []store.ValueChange
	for n := 1; n <= 19; n++ {
		v := "true"
		if n <= 10 {
			v = "false"
		}
		ch = append(ch, store.ValueChange{Code: fmt.Sprintf("TC%d", n), Value: &v})
	}
	if _, err := writer(t, db).SetValues(ctx, app.System("xa"), a.ID, a.Version, ch); err != nil {
		t.Fatal(err)
	}
	lib, _ := recognition.Shipped()
	wf, _ := lib.Workflow("xa-2022")
	d, err := db.CreateDossier(ctx, "xa", store.NewDossier{UnitCode: "00385", Tier: "ntm", SetID: "xa-ntm-2021", WorkflowID: wf.ID, FirstStep: "lap-ho-so", Opened: "2024-03-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range wf.Steps[0].Documents {
		db.AddDossierDocument(ctx, "xa", d.ID, "lap-ho-so", store.DocumentUpload{Item: doc.ID, Filename: doc.ID + ".pdf", ContentType: "application/pdf", Content: recPDF})
	}
	db.TakeStep(ctx, "xa", d.ID, wf, store.StepAction{Outcome: recognition.Pass, On: "2024-03-04"})
	dossier := fmt.Sprintf("/dossiers/%d", d.ID)
	pages := []struct {
		path   string
		vi, en []string
	}{
		{"/dossiers?unit=016&as_of=2024-04-01", []string{"Hồ sơ quá hạn (1)", "hạn 19/03/2024, quá hạn 13 ngày", "chưa đối chiếu văn bản", "Xã Hồng Kỳ"},
			[]string{"Overdue dossiers (1)", "due 2024-03-19, 13 days late", "not yet checked", "Hồng Kỳ"}},
		{dossier, []string{"Hồ sơ số " + fmt.Sprint(d.ID), "UBND huyện thẩm tra hồ sơ", "Thành phần hồ sơ", "✓", "Bước hiện tại do cấp huyện thực hiện"},
			[]string{"Dossier " + fmt.Sprint(d.ID), "The district appraises the dossier", "Dossier checklist", "The current step is taken by the district"}},
		{"/recognitions?unit=016&as_of=2024-12-31", []string{"Sổ công nhận", "10/QĐ-UBND", "20/12/2019", "còn hiệu lực", "Nhập sổ công nhận từ Excel"},
			[]string{"Registry of recognitions", "10/QĐ-UBND", "2019-12-20", "in force", "Import a registry from Excel"}},
		{"/recognitions/watch?unit=016&as_of=2025-01-01", []string{"Có nguy cơ bị thu hồi (1)", "Xã Bắc Sơn", "10/19 tiêu chí không đạt (52,6%)", "TC 10. Thu nhập", "tiêu chí then chốt"},
			[]string{"At risk of revocation (1)", "10 of 19 criteria not met (52.6%)", "C10. Thu nhập", "key criterion"}},
	}
	for _, pg := range pages {
		for _, lang := range []string{"vi", "en"} {
			status, h, body := fetch(t, srv, pg.path, lang, tinh)
			want := pg.vi
			if lang == "en" {
				want = pg.en
			}
			if status != 200 || h.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s (%s): %d %s", pg.path, lang, status, h.Get("Content-Type"))
				continue
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s (%s): no %q in the page", pg.path, lang, w)
				}
			}
			if m := recLeftover.FindString(scripts.ReplaceAllString(body, "")); m != "" {
				t.Errorf("%s (%s): untranslated %q", pg.path, lang, m)
			}
			if !strings.Contains(body, `href="/dossiers" aria-current="page"`) {
				t.Errorf("%s (%s): the navigation does not mark the recognition section", pg.path, lang)
			}
		}
	}
	// Another province's officer sees none of it.
	dn := session(t, srv, db, "tinh.dn.render", auth.RoleProvince, "48")
	for _, path := range []string{dossier, "/recognitions?unit=016&as_of=2024-12-31", "/recognitions/watch?unit=016&as_of=2025-01-01"} {
		if status, _, body := fetch(t, srv, path, "", dn); status != 403 || strings.Contains(body, "Xã Bắc Sơn") || strings.Contains(body, "Xã Hồng Kỳ") {
			t.Errorf("%s for another province: %d", path, status)
		}
	}
	// A form post from another site is refused.
	req, _ := http.NewRequest("POST", srv.URL+dossier+"/comments", strings.NewReader("body=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.AddCookie(tinh)
	if status, _, _ := send(t, req); status != 403 {
		t.Errorf("cross-site form post: %d", status)
	}
}

// The registry's forms that fail come back to the registry with why: an import without a
// file, and a revocation of a recognition that does not exist.
func TestPages_RegistryFormsSayWhyNot(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	tinh := session(t, srv, db, "tinh.registry", auth.RoleProvince, "01")
	status, _, body := fileFormPost(t, srv, tinh, "/recognitions/import", map[string]string{"dry_run": "1"}, "", nil)
	if status != 400 || !strings.Contains(body, "Hãy chọn một tệp .xlsx.") || !strings.Contains(body, "Sổ công nhận") {
		t.Errorf("import without a file: %d\n%s", status, body)
	}
	status, _, body = formPost(t, srv, tinh, "/recognitions/999999/revoke", url.Values{"number": {"1/QĐ"}, "date": {"01/04/2026"}, "reason": {"x"}})
	if status != 404 || !strings.Contains(body, "Sổ công nhận") {
		t.Errorf("revoking a recognition that does not exist: %d\n%s", status, body)
	}
}
