package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

var (
	evidencePDF = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	evidencePNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
)

// withEvidence is withAssessment(Draft) with one evidence file attached, whose id is {eid}.
func withEvidence(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	withAssessment(assessment.Draft)(t, m, unit, asOf)
	id, _ := strconv.ParseInt(m.vars["{id}"], 10, 64)
	ev, err := m.db.AddEvidence(context.Background(), "seed", id, store.EvidenceUpload{Filename: "bien-ban.pdf", Content: evidencePDF})
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{eid}"] = strconv.FormatInt(ev.ID, 10)
}

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "evidence of an assessment", method: "GET", path: "/api/v1/assessments/{id}/evidence", action: auth.Read,
			setup: withAssessment(assessment.Draft)},
		accessEndpoint{name: "download evidence", method: "GET", path: "/api/v1/assessments/{id}/evidence/{eid}", action: auth.Read,
			setup: withEvidence},
		accessEndpoint{name: "remove evidence", method: "DELETE", path: "/api/v1/assessments/{id}/evidence/{eid}", action: auth.Enter,
			setup: withEvidence},
	)
}

// multipartBody is a form with a file in field "file" and the other fields given.
func multipartBody(t *testing.T, filename string, content []byte, fields map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

// uploadAPI posts a file to the evidence of assessment id with a bearer token.
func uploadAPI(t *testing.T, srv *httptest.Server, token string, id int64, filename, code string, content []byte) answer {
	t.Helper()
	ct, body := multipartBody(t, filename, content, map[string]string{"code": code})
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/assessments/%d/evidence", srv.URL, id), body)
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

type evidenceList struct {
	Evidence []store.Evidence `json:"evidence"`
}

func TestEvidenceAPI_UploadListDownloadDelete(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		commune := ruralCommunes(t, db, "01", "2025-12-31")[0].Code
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, commune, ""))
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		id := seedAssessment(t, db, "xa", commune, "xa-ntm-2021", "2025", nil)
		base := fmt.Sprintf("/api/v1/assessments/%d/evidence", id)

		a := uploadAPI(t, srv, xa, id, "biên bản nghiệm thu.pdf", "2.1", evidencePDF)
		if a.status != 201 {
			t.Fatalf("upload: %d %s", a.status, a.body)
		}
		var ev store.Evidence
		a.decode(t, &ev)
		sum := sha256.Sum256(evidencePDF)
		if ev.Filename != "biên bản nghiệm thu.pdf" || ev.Code != "2.1" || ev.SHA256 != hex.EncodeToString(sum[:]) || ev.UploadedBy != "xa" {
			t.Errorf("uploaded: %+v", ev)
		}
		if a := uploadAPI(t, srv, xa, id, "anh.png", "TC2", evidencePNG); a.status != 201 {
			t.Fatalf("second upload: %d %s", a.status, a.body)
		}

		// The province reads the list and downloads the file as it was uploaded.
		var list evidenceList
		do(t, srv, call{"GET", base, "", []string{"Authorization: Bearer " + tinh}}).decode(t, &list)
		if len(list.Evidence) != 2 || list.Evidence[0].ID != ev.ID || list.Evidence[1].ContentType != "image/png" {
			t.Fatalf("list: %+v", list)
		}
		if bytes.Contains(do(t, srv, call{"GET", base, "", []string{"Authorization: Bearer " + tinh}}).body, []byte("PDF-1.4")) {
			t.Error("the list carries the content")
		}
		got := do(t, srv, call{"GET", fmt.Sprintf("%s/%d", base, ev.ID), "", []string{"Authorization: Bearer " + tinh}})
		gotSum := sha256.Sum256(got.body)
		if got.status != 200 || !bytes.Equal(got.body, evidencePDF) || hex.EncodeToString(gotSum[:]) != got.header.Get("X-Checksum-Sha256") {
			t.Fatalf("download: %d, %d bytes, checksum %s", got.status, len(got.body), got.header.Get("X-Checksum-Sha256"))
		}
		_, params, _ := mime.ParseMediaType(got.header.Get("Content-Disposition"))
		if got.header.Get("Content-Type") != "application/pdf" || got.header.Get("X-Content-Type-Options") != "nosniff" ||
			params["filename"] != "biên bản nghiệm thu.pdf" {
			t.Errorf("download headers: %v", got.header)
		}

		// Removing it leaves the other; a second removal finds nothing.
		if a := do(t, srv, call{"DELETE", fmt.Sprintf("%s/%d", base, ev.ID), "", []string{"Authorization: Bearer " + xa}}); a.status != 204 {
			t.Fatalf("delete: %d %s", a.status, a.body)
		}
		if a := do(t, srv, call{"DELETE", fmt.Sprintf("%s/%d", base, ev.ID), "", []string{"Authorization: Bearer " + xa}}); a.status != 404 {
			t.Errorf("second delete: %d, want 404", a.status)
		}
		if a := do(t, srv, call{"GET", fmt.Sprintf("%s/%d", base, ev.ID), "", []string{"Authorization: Bearer " + xa}}); a.status != 404 {
			t.Errorf("download of a removed file: %d, want 404", a.status)
		}
		list = evidenceList{}
		do(t, srv, call{"GET", base, "", []string{"Authorization: Bearer " + xa}}).decode(t, &list)
		if len(list.Evidence) != 1 || list.Evidence[0].Filename != "anh.png" {
			t.Errorf("after delete: %+v", list)
		}

		// Each change is in the audit log of the assessment, by whom and of which file.
		log, err := db.AuditLog(context.Background(), store.AuditFilter{Entity: "assessment", EntityID: strconv.FormatInt(id, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, e := range log {
			if strings.HasSuffix(e.Action, "_evidence") {
				seen = append(seen, e.Actor+" "+e.Action+" "+e.Detail)
			}
		}
		want := "xa remove_evidence biên bản nghiệm thu.pdf (2.1)|xa attach_evidence anh.png (TC2)|xa attach_evidence biên bản nghiệm thu.pdf (2.1)"
		if strings.Join(seen, "|") != want {
			t.Errorf("audit:\n%s\nwant\n%s", strings.Join(seen, "|"), want)
		}
	})
}

func TestEvidenceAPI_Refusals(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		communes := ruralCommunes(t, db, "01", "2025-12-31")
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, communes[0].Code, ""))
		other := newToken(t, db, newUser(t, db, "xa2", auth.RoleCommune, communes[1].Code, ""))
		viewer := newToken(t, db, newUser(t, db, "xem", auth.RoleViewer, "01", ""))
		draft := seedAssessment(t, db, "xa", communes[0].Code, "xa-ntm-2021", "2025", nil)
		submitted := seedAssessment(t, db, "xa", communes[0].Code, "xa-ntm-2021", "2024", nil)
		approved := seedAssessment(t, db, "xa", communes[0].Code, "xa-ntm-2021", "2023", nil)
		ctx := context.Background()
		walk := func(id int64, actions ...assessment.Action) {
			a, err := db.Assessment(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, act := range actions {
				// One person per step: separation of duties (data/assessment/duties.yaml).
				if a, err = db.ChangeStatus(ctx, "seed."+string(act), id, a.Version, act, ""); err != nil {
					t.Fatalf("%s: %v", act, err)
				}
			}
		}
		walk(submitted, assessment.Submit)
		walk(approved, assessment.Submit, assessment.Verify, assessment.Approve)
		big := append(append([]byte{}, evidencePDF...), make([]byte, store.MaxEvidenceSize)...)

		tests := []struct {
			name, token string
			id          int64
			file, code  string
			content     []byte
			status      int
			says        string
		}{
			{"submitted assessment", xa, submitted, "bien-ban.pdf", "", evidencePDF, 422, "không thêm hoặc xóa được minh chứng"},
			{"approved assessment", xa, approved, "bien-ban.pdf", "", evidencePDF, 422, "không thêm hoặc xóa được minh chứng"},
			{"larger than 10 MB", xa, draft, "quet.pdf", "", big, 413, "lớn hơn 10 MB"},
			{"an executable", xa, draft, "setup.exe", "", []byte("MZ\x90\x00\x03"), 422, "không được nhận"},
			{"text named .pdf", xa, draft, "gia.pdf", "", []byte("<html>not a pdf</html>"), 422, "không phải là tệp .pdf"},
			{"a code the set does not have", xa, draft, "bien-ban.pdf", "99.9", evidencePDF, 400, "không có chỉ tiêu hay tiêu chí"},
			{"no file", xa, draft, "", "", nil, 400, "chưa chọn tệp"},
			{"another commune's officer", other, draft, "bien-ban.pdf", "", evidencePDF, 403, ""},
			{"a viewer", viewer, draft, "bien-ban.pdf", "", evidencePDF, 403, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				a := uploadAPI(t, srv, tt.token, tt.id, tt.file, tt.code, tt.content)
				if a.status != tt.status || !strings.Contains(string(a.body), tt.says) {
					t.Errorf("%d %s; want %d saying %q", a.status, a.body, tt.status, tt.says)
				}
			})
		}
		for _, id := range []int64{draft, submitted, approved} {
			var list evidenceList
			do(t, srv, call{"GET", fmt.Sprintf("/api/v1/assessments/%d/evidence", id), "", []string{"Authorization: Bearer " + xa}}).decode(t, &list)
			if len(list.Evidence) != 0 {
				t.Errorf("assessment %d: refused uploads were stored: %+v", id, list.Evidence)
			}
		}
		// Another commune cannot read or remove either.
		ev, err := db.AddEvidence(ctx, "xa", draft, store.EvidenceUpload{Filename: "bien-ban.pdf", Content: evidencePDF})
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/assessments/%d/evidence/%d", draft, ev.ID)
		for _, method := range []string{"GET", "DELETE"} {
			if a := do(t, srv, call{method, path, "", []string{"Authorization: Bearer " + other}}); a.status != 403 {
				t.Errorf("%s by another commune: %d, want 403", method, a.status)
			}
		}
		// Through another assessment's id, the file is not found.
		if a := do(t, srv, call{"GET", fmt.Sprintf("/api/v1/assessments/%d/evidence/%d", submitted, ev.ID), "", []string{"Authorization: Bearer " + xa}}); a.status != 404 {
			t.Errorf("through another assessment: %d, want 404", a.status)
		}
	})
}

// postMultipartPage posts a multipart form as the browser does (same origin).
func postMultipartPage(t *testing.T, srv *httptest.Server, path, lang string, c *http.Cookie, filename string, content []byte, fields map[string]string) (int, string, string) {
	t.Helper()
	ct, body := multipartBody(t, filename, content, fields)
	req, _ := http.NewRequest("POST", srv.URL+path, body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(c)
	if lang != "" {
		req.AddCookie(&http.Cookie{Name: "ntm_lang", Value: lang})
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// evidenceSection is the text of the form's evidence section.
func evidenceSection(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `<section class="evidence"`)
	if i < 0 {
		t.Fatalf("no evidence section in the form: %s", brief(body))
	}
	part := body[i:]
	return part[:strings.Index(part, "</section>")]
}

func TestFormPage_EvidenceSection(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newFormWorld(t, db)
		form := fmt.Sprintf("/assessments/%d", w.id)

		// Upload through the page: back to the form, which lists the file.
		status, loc, body := postMultipartPage(t, w.srv, form+"/evidence", "", w.xa, "biên bản.pdf", evidencePDF, map[string]string{"code": "2.1"})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, form+"?evidence=added") {
			t.Fatalf("upload through the page: %d %q %s", status, loc, brief(body))
		}
		texts := map[string][]string{
			"vi": {"Minh chứng", "biên bản.pdf", "2.1", "byte", "xa", "Tải lên minh chứng", "Mã chỉ tiêu hoặc tiêu chí", "Xóa", "Đã tải lên tệp minh chứng."},
			"en": {"Evidence", "biên bản.pdf", "2.1", "bytes", "xa", "Upload evidence", "Indicator or criterion code", "Remove", "The evidence file was uploaded."},
		}
		for _, lang := range []string{"vi", "en"} {
			status, _, page := fetch(t, w.srv, loc, lang, w.xa)
			if status != 200 {
				t.Fatalf("form (%s): %d", lang, status)
			}
			sec := evidenceSection(t, page)
			text := words(sec)
			for _, want := range texts[lang] {
				if !strings.Contains(text, want) {
					t.Errorf("evidence section (%s) lacks %q: %s", lang, want, text)
				}
			}
			if !strings.Contains(sec, `enctype="multipart/form-data"`) || !strings.Contains(sec, fmt.Sprintf(`href="/api/v1/assessments/%d/evidence/`, w.id)) {
				t.Errorf("evidence section (%s): no upload form or download link", lang)
			}
			if m := leftover.FindString(text); m != "" {
				t.Errorf("evidence section (%s): untranslated %q", lang, m)
			}
		}

		// The page's download link works with the session cookie.
		_, _, page := fetch(t, w.srv, form, "vi", w.xa)
		href := regexp.MustCompile(`href="(/api/v1/assessments/\d+/evidence/\d+)"`).FindStringSubmatch(page)
		if href == nil {
			t.Fatal("no download link")
		}
		if status, h, got := fetch(t, w.srv, href[1], "", w.xa); status != 200 || got != string(evidencePDF) || h.Get("Content-Type") != "application/pdf" {
			t.Errorf("download from the page: %d %q", status, h.Get("Content-Type"))
		}

		// A wrong type comes back as the form with the reason, in the page's language.
		status, _, body = postMultipartPage(t, w.srv, form+"/evidence", "en", w.xa, "note.txt", []byte("hello"), nil)
		if status != 422 || !strings.Contains(words(evidenceSection(t, body)), "file type \".txt\" not accepted") {
			t.Errorf("wrong type through the page: %d %s", status, words(evidenceSection(t, body)))
		}

		// A viewer of the province reads the list but gets no upload form, and cannot post one.
		viewer := session(t, w.srv, db, "xem", auth.RoleViewer, "01")
		_, _, page = fetch(t, w.srv, form, "vi", viewer)
		if sec := evidenceSection(t, page); !strings.Contains(sec, "biên bản.pdf") || strings.Contains(sec, "<form") {
			t.Errorf("viewer's view of the evidence: %s", words(sec))
		}
		if status, _, _ := postMultipartPage(t, w.srv, form+"/evidence", "", viewer, "b.pdf", evidencePDF, nil); status != 403 {
			t.Errorf("viewer uploads through the page: %d, want 403", status)
		}

		// Remove through the page.
		list, err := db.ListEvidence(context.Background(), w.id)
		if err != nil || len(list) != 1 {
			t.Fatalf("stored: %+v %v", list, err)
		}
		status, loc, _ = postMultipartPage(t, w.srv, fmt.Sprintf("%s/evidence/%d/remove", form, list[0].ID), "", w.xa, "", nil, nil)
		if status != http.StatusSeeOther || !strings.Contains(loc, "evidence=removed") {
			t.Fatalf("remove through the page: %d %q", status, loc)
		}
		_, _, page = fetch(t, w.srv, loc, "vi", w.xa)
		if text := words(evidenceSection(t, page)); strings.Contains(text, "biên bản.pdf") || !strings.Contains(text, "Chưa có tệp minh chứng nào.") {
			t.Errorf("after removal: %s", text)
		}

		// Once submitted, the commune sees why it cannot attach files.
		a, err := db.Assessment(context.Background(), w.id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ChangeStatus(context.Background(), "xa", w.id, a.Version, assessment.Submit, ""); err != nil {
			t.Fatal(err)
		}
		_, _, page = fetch(t, w.srv, form, "vi", w.xa)
		if sec := evidenceSection(t, page); strings.Contains(sec, "<form") || !strings.Contains(words(sec), "khi phiếu còn là bản nháp hoặc bị trả lại") {
			t.Errorf("submitted: %s", words(sec))
		}
		if status, _, body := postMultipartPage(t, w.srv, form+"/evidence", "vi", w.xa, "b.pdf", evidencePDF, nil); status != 422 ||
			!strings.Contains(words(evidenceSection(t, body)), "không thêm hoặc xóa được minh chứng") {
			t.Errorf("upload to a submitted assessment through the page: %d %s", status, words(evidenceSection(t, body)))
		}
	})
}
