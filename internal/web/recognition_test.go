package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// The recognition endpoints in the access matrix. Taking a step needs the role the workflow
// names for it besides the action, which the matrix cannot express: those are tested below
// (TestAPI_RecognitionRoles). Commenting needs auth.ManageRecognition (or the step's role):
// the matrix's dossier stands at the district's appraisal, where a commune cannot act.
func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "recognition workflows", method: "GET", path: "/api/v1/workflows"},
		accessEndpoint{name: "dossiers of a unit", method: "GET", path: "/api/v1/dossiers?unit={unit}&as_of={as_of}", action: auth.Read, setup: withDossier},
		accessEndpoint{name: "a dossier", method: "GET", path: "/api/v1/dossiers/{dossier}", action: auth.Read, setup: withDossier},
		accessEndpoint{name: "a dossier's document", method: "GET", path: "/api/v1/dossiers/{dossier}/documents/{document}", action: auth.Read, setup: withDossier},
		accessEndpoint{name: "comment on a dossier", method: "POST", path: "/api/v1/dossiers/{dossier}/comments", action: auth.ManageRecognition,
			setup: withDossier, body: `{"body":"Đề nghị bổ sung ảnh chụp"}`},
		accessEndpoint{name: "overdue dossiers", method: "GET", path: "/api/v1/dossiers/overdue?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "registry of recognitions", method: "GET", path: "/api/v1/recognitions?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "recognitions summary", method: "GET", path: "/api/v1/recognitions/summary?unit={unit}&to={as_of}", action: auth.Read},
		accessEndpoint{name: "revocation watch", method: "GET", path: "/api/v1/recognition/watch?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "import a registry (dry run)", method: "POST", path: "/api/v1/recognitions/import", action: auth.ManageRecognition,
			body: `{"rows":[{"unit":"{unit}","tier":"ntm","decision":"M-{unit}","date":"{as_of}"}],"dry_run":true}`},
	)
}

var recPDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// withDossier makes sure the unit has an ntm dossier (workflow xa-2022, opened on asOf) at the
// district's appraisal, with one document, and sets {dossier} and {document}.
func withDossier(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	ctx := context.Background()
	lib, _ := recognition.Shipped()
	w, _ := lib.Workflow("xa-2022")
	d, err := m.db.CreateDossier(ctx, "seed", store.NewDossier{UnitCode: unit, Tier: "ntm", WorkflowID: w.ID, FirstStep: w.Steps[0].ID, Opened: asOf})
	if id, ok := store.ExistingID(err); ok {
		d, err = m.db.Dossier(ctx, id)
	}
	if err != nil {
		t.Fatalf("dossier of %s: %v", unit, err)
	}
	if d.StepID == w.Steps[0].ID {
		for _, doc := range w.Steps[0].Documents {
			if _, err := m.db.AddDossierDocument(ctx, "seed", d.ID, d.StepID, store.DocumentUpload{Item: doc.ID, Filename: doc.ID + ".pdf", ContentType: "application/pdf", Content: recPDF}); err != nil {
				t.Fatal(err)
			}
		}
		if d, err = m.db.TakeStep(ctx, "seed", d.ID, w, store.StepAction{Outcome: recognition.Pass, On: asOf, Today: units.Today()}); err != nil {
			t.Fatal(err)
		}
	}
	v, err := m.db.DossierView(ctx, d.ID)
	if err != nil || len(v.Documents) == 0 {
		t.Fatalf("dossier view: %v", err)
	}
	m.vars["{dossier}"] = strconv.FormatInt(d.ID, 10)
	m.vars["{document}"] = strconv.FormatInt(v.Documents[0].ID, 10)
}

// upload posts a multipart form with a file.
func recUpload(t *testing.T, srv *httptest.Server, headers []string, path string, fields map[string]string, filename string, content []byte) answer {
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
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Add(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, resp: resp}
}

type dossierBody struct {
	ID            int64
	Unit          string
	Status        string
	StepID        string `json:"step_id"`
	StepStarted   string `json:"step_started"`
	PostingTo     string `json:"posting_to"`
	RecognitionID *int64 `json:"recognition_id"`
}

// recActor is a user of one role acting on a dossier through the API.
type recActor struct {
	t     *testing.T
	srv   *httptest.Server
	token string
}

func (a recActor) call(method, path, body string) answer {
	a.t.Helper()
	return do(a.t, a.srv, call{method, path, body, []string{authz(a.token)}})
}

// must asserts a status and decodes the answer into v (if not nil).
func recMust(t *testing.T, a answer, status int, v any) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	if v != nil {
		a.decode(t, v)
	}
}

// uploadChecklist uploads a PDF for every required document of the dossier's current step.
func recChecklist(t *testing.T, a recActor, id int64, wf *recognition.Workflow, stepID string) {
	t.Helper()
	step, _, _ := wf.Step(stepID)
	for _, doc := range step.Documents {
		if !doc.Required {
			continue
		}
		r := recUpload(t, a.srv, []string{authz(a.token)}, fmt.Sprintf("/api/v1/dossiers/%d/documents", id), map[string]string{"item": doc.ID, "step": stepID}, doc.ID+".pdf", recPDF)
		recMust(t, r, 201, nil)
	}
}

func recAct(t *testing.T, a recActor, id int64, body string) dossierBody {
	t.Helper()
	var d dossierBody
	recMust(t, a.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", id), body), 200, &d)
	return d
}

// The acceptance: a commune that meets xa-ntm-2026 is taken from dossier to decision by the
// right roles, and then counts as recognised in its province's progress; nobody else can take
// its steps.
func TestAPI_DossierToDecisionAfterTheReform(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		xaUnit := ruralCommunes(t, db, "01", "2026-06-30")[0].Code
		xa := recActor{t, srv, newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, xaUnit, ""))}
		tinh := recActor{t, srv, newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))}
		otherTinh := recActor{t, srv, newToken(t, db, newUser(t, db, "tinh.dn", auth.RoleProvince, "48", ""))}
		viewer := recActor{t, srv, newToken(t, db, newUser(t, db, "xem", auth.RoleViewer, "01", ""))}
		lib, _ := recognition.Shipped()
		wf, _ := lib.Workflow("xa-2025")

		// The commune meets all 10 criteria as of Q1 2026.
		var a assessmentBody
		recMust(t, xa.call("POST", "/api/v1/assessments", fmt.Sprintf(`{"unit":%q,"set":"xa-ntm-2026","period":"2026-Q1"}`, xaUnit)), 201, &a)
		vals := []string{}
		for n := 1; n <= 10; n++ {
			vals = append(vals, fmt.Sprintf(`{"code":"TC%d","value":"1"}`, n))
		}
		recMust(t, do(t, srv, call{"PATCH", fmt.Sprintf("/api/v1/assessments/%d/values", a.ID), `{"values":[` + strings.Join(vals, ",") + `]}`,
			[]string{authz(xa.token), `If-Match: "1"`}}), 200, nil)

		// Only the commune's own officer opens its dossier.
		if r := tinh.call("POST", "/api/v1/dossiers", fmt.Sprintf(`{"unit":%q,"tier":"ntm","opened":"2026-04-01"}`, xaUnit)); r.status != 403 || r.errorCode() != "forbidden" {
			t.Errorf("the province opens the commune's dossier: %d %s", r.status, r.body)
		}
		var d dossierBody
		recMust(t, xa.call("POST", "/api/v1/dossiers", fmt.Sprintf(`{"unit":%q,"tier":"ntm","opened":"2026-04-01"}`, xaUnit)), 201, &d)
		if d.StepID != "lap-ho-so" || d.Status != "preparing" {
			t.Fatalf("opened: %+v", d)
		}
		if r := xa.call("POST", "/api/v1/dossiers", fmt.Sprintf(`{"unit":%q,"tier":"ntm","opened":"2026-04-02"}`, xaUnit)); r.status != 409 || r.errorCode() != "exists" {
			t.Errorf("second dossier: %d %s", r.status, r.body)
		}
		var det struct {
			Dossier struct {
				Assessment *struct {
					ID  int64
					Met bool
				}
			}
			Can struct {
				Act      bool
				Outcomes []string
			}
		}
		recMust(t, xa.call("GET", fmt.Sprintf("/api/v1/dossiers/%d", d.ID), ""), 200, &det)
		if det.Dossier.Assessment == nil || det.Dossier.Assessment.ID != a.ID || !det.Dossier.Assessment.Met || !det.Can.Act {
			t.Errorf("the latest assessment is not attached, or the commune cannot act: %+v", det)
		}
		// Uploads: the checklist's items, accepted types only.
		if r := recUpload(t, srv, []string{authz(xa.token)}, fmt.Sprintf("/api/v1/dossiers/%d/documents", d.ID), map[string]string{"item": "to-trinh-xa"}, "to-trinh.exe", []byte("MZ")); r.status != 422 {
			t.Errorf("an .exe: %d %s", r.status, r.body)
		}
		if r := recUpload(t, srv, []string{authz(xa.token)}, fmt.Sprintf("/api/v1/dossiers/%d/documents", d.ID), map[string]string{"item": "quyet-dinh-cong-nhan"}, "qd.pdf", recPDF); r.status != 400 {
			t.Errorf("an item of another step: %d %s", r.status, r.body)
		}
		// Submitting without the documents says what is missing.
		if r := xa.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"pass","on":"2026-04-02"}`); r.status != 422 || !strings.Contains(string(r.body), "còn thiếu giấy tờ") {
			t.Errorf("submit without documents: %d %s", r.status, r.body)
		}
		recChecklist(t, xa, d.ID, wf, "lap-ho-so")
		d = recAct(t, xa, d.ID, `{"outcome":"pass","on":"2026-04-02","step":"lap-ho-so"}`)
		if d.StepID != "tham-dinh-tinh" || d.Status != "in_review" {
			t.Fatalf("submitted: %+v", d)
		}
		// The commune cannot appraise; another province cannot even see it; a viewer cannot comment.
		if r := xa.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"pass","on":"2026-04-03"}`); r.status != 403 {
			t.Errorf("the commune appraises: %d %s", r.status, r.body)
		}
		for _, path := range []string{"", "/actions", "/comments"} {
			method, body := "POST", `{"outcome":"pass"}`
			if path == "" {
				method, body = "GET", ""
			}
			if path == "/comments" {
				body = `{"body":"x"}`
			}
			if r := otherTinh.call(method, fmt.Sprintf("/api/v1/dossiers/%d%s", d.ID, path), body); r.status != 403 || r.errorCode() != "forbidden" {
				t.Errorf("another province %s %s: %d %s", method, path, r.status, r.body)
			}
		}
		if r := viewer.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/comments", d.ID), `{"body":"x"}`); r.status != 403 {
			t.Errorf("a viewer comments: %d", r.status)
		}
		recMust(t, tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/comments", d.ID), `{"body":"Đã nhận hồ sơ, đang thẩm định"}`), 201, nil)
		recChecklist(t, tinh, d.ID, wf, "tham-dinh-tinh")
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2026-04-10"}`)
		if d.StepID != "cong-khai" || d.PostingTo != "2026-04-24" {
			t.Fatalf("appraised: %+v", d)
		}
		// Public posting: comments received, and no passing before the window ends.
		recMust(t, tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/public-comments", d.ID), `{"author":"Ông Nguyễn Văn A, thôn 3","body":"Đường thôn 3 chưa có đèn","received":"2026-04-15"}`), 201, nil)
		if r := tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"pass","on":"2026-04-24"}`); r.status != 422 || !strings.Contains(string(r.body), "24/04/2026") {
			t.Errorf("pass during the posting: %d %s", r.status, r.body)
		}
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2026-04-25"}`)
		// The council votes.
		if r := tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"pass","on":"2026-04-28"}`); r.status != 422 {
			t.Errorf("council without a vote: %d %s", r.status, r.body)
		}
		recMust(t, tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/vote", d.ID), `{"members":11,"yes":10,"no":0,"abstain":1,"on":"2026-04-28"}`), 200, nil)
		recChecklist(t, tinh, d.ID, wf, "hoi-dong-tinh")
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2026-04-28"}`)
		if d.StepID != "quyet-dinh" {
			t.Fatalf("council: %+v", d)
		}
		// Only the province decides.
		if r := xa.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"pass","on":"2026-05-05","decision":{"number":"1/QĐ","date":"2026-05-05","signer":"x"}}`); r.status != 403 {
			t.Errorf("the commune decides: %d %s", r.status, r.body)
		}
		if r := tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"pass","on":"2026-05-05"}`); r.status != 422 || !strings.Contains(string(r.body), "số, ngày và người ký") {
			t.Errorf("a decision without its number: %d %s", r.status, r.body)
		}
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2026-05-05","decision":{"number":"1234/QĐ-UBND","date":"2026-05-05","signer":"Chủ tịch UBND thành phố"}}`)
		if d.Status != "recognized" || d.RecognitionID == nil {
			t.Fatalf("decided: %+v", d)
		}
		// It is in the registry and in the province's progress from that day.
		var reg struct {
			Recognitions []struct {
				Unit     string
				Decision recognition.Decision
			}
			InForce int `json:"in_force"`
		}
		recMust(t, tinh.call("GET", "/api/v1/recognitions?unit=01&as_of=2026-06-30", ""), 200, &reg)
		if len(reg.Recognitions) != 1 || reg.Recognitions[0].Unit != xaUnit || reg.Recognitions[0].Decision.Number != "1234/QĐ-UBND" || reg.InForce != 1 {
			t.Errorf("registry: %+v", reg)
		}
		for _, c := range []struct {
			day  string
			want int
		}{{"2026-05-04", 0}, {"2026-06-30", 1}} {
			var p struct {
				UnitsRecognized int `json:"units_recognized"`
			}
			recMust(t, tinh.call("GET", "/api/v1/progress?unit=01&set=xa-ntm-2026&as_of="+c.day, ""), 200, &p)
			if p.UnitsRecognized != c.want {
				t.Errorf("progress of Hà Nội on %s: units_recognized %d, want %d", c.day, p.UnitsRecognized, c.want)
			}
		}
		var sum struct {
			New, Total int
			Text       string
		}
		recMust(t, tinh.call("GET", "/api/v1/recognitions/summary?unit=01&to=2026-06-30", ""), 200, &sum)
		if sum.New != 1 || sum.Total != 1 || sum.Text != "có thêm 01 xã đạt chuẩn NTM, nâng tổng số lên 01 xã" {
			t.Errorf("summary: %+v", sum)
		}
		// The commune cannot revoke; the province can, and then the commune stops counting.
		if r := xa.call("POST", fmt.Sprintf("/api/v1/recognitions/%d/revoke", *d.RecognitionID), `{"number":"9/QĐ","date":"2026-09-01","signer":"x","reason":"y"}`); r.status != 403 {
			t.Errorf("the commune revokes: %d %s", r.status, r.body)
		}
		recMust(t, tinh.call("POST", fmt.Sprintf("/api/v1/recognitions/%d/revoke", *d.RecognitionID), `{"number":"99/QĐ-UBND","date":"2026-09-01","signer":"Chủ tịch UBND thành phố","reason":"Không còn đạt tiêu chí 8"}`), 200, nil)
		var p struct {
			UnitsRecognized int `json:"units_recognized"`
		}
		recMust(t, tinh.call("GET", "/api/v1/progress?unit=01&set=xa-ntm-2026&as_of=2026-09-01", ""), 200, &p)
		if p.UnitsRecognized != 0 {
			t.Errorf("after the revocation: %d recognised", p.UnitsRecognized)
		}
		// The dossier's history is audited, step by step.
		var hist struct{ Entries []store.AuditEntry }
		recMust(t, tinh.call("GET", fmt.Sprintf("/api/v1/audit?entity=dossier&entity_id=%d", d.ID), ""), 200, &hist)
		if len(hist.Entries) < 12 {
			t.Errorf("audit of the dossier: %d entries", len(hist.Entries))
		}
	})
}

// The workflow before the reform: the district appraises and posts, the province's council
// and chairman decide; a return sends the dossier back and the commune resubmits.
func TestAPI_DossierBeforeTheReform(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		const minhTri = "00382" // Xã Minh Trí, Huyện Sóc Sơn (016), until 30/6/2025
		xa := recActor{t, srv, newToken(t, db, newUser(t, db, "xa.minhtri", auth.RoleCommune, minhTri, ""))}
		huyen := recActor{t, srv, newToken(t, db, newUser(t, db, "huyen", auth.RoleDistrict, "016", ""))}
		otherHuyen := recActor{t, srv, newToken(t, db, newUser(t, db, "huyen.khac", auth.RoleDistrict, "017", ""))}
		tinh := recActor{t, srv, newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))}
		lib, _ := recognition.Shipped()
		wf, _ := lib.Workflow("xa-2022")

		var d dossierBody
		recMust(t, xa.call("POST", "/api/v1/dossiers", fmt.Sprintf(`{"unit":%q,"tier":"ntm","opened":"2024-03-01"}`, minhTri)), 201, &d)
		recChecklist(t, xa, d.ID, wf, "lap-ho-so")
		d = recAct(t, xa, d.ID, `{"outcome":"pass","on":"2024-03-04"}`)
		if d.StepID != "tham-tra-huyen" {
			t.Fatalf("submitted: %+v", d)
		}
		// The province cannot do the district's appraisal, nor another district.
		if r := tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"return","on":"2024-03-05","comment":"x"}`); r.status != 403 || !strings.Contains(string(r.body), "district") {
			t.Errorf("the province at the district's step: %d %s", r.status, r.body)
		}
		if r := otherHuyen.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"return","on":"2024-03-05","comment":"x"}`); r.status != 403 {
			t.Errorf("another district: %d %s", r.status, r.body)
		}
		// Returned with a comment, resubmitted.
		d = recAct(t, huyen, d.ID, `{"outcome":"return","on":"2024-03-08","comment":"Biên bản họp thiếu chữ ký"}`)
		if d.StepID != "lap-ho-so" || d.Status != "returned" {
			t.Fatalf("returned: %+v", d)
		}
		r := recUpload(t, srv, []string{authz(xa.token)}, fmt.Sprintf("/api/v1/dossiers/%d/documents", d.ID), map[string]string{"item": "bien-ban-hop-xa"}, "bien-ban-co-chu-ky.pdf", recPDF)
		recMust(t, r, 201, nil)
		d = recAct(t, xa, d.ID, `{"outcome":"pass","on":"2024-03-11"}`)
		recChecklist(t, huyen, d.ID, wf, "tham-tra-huyen")
		d = recAct(t, huyen, d.ID, `{"outcome":"pass","on":"2024-03-20"}`)
		if d.StepID != "cong-khai-huyen" {
			t.Fatalf("appraised: %+v", d)
		}
		recMust(t, huyen.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/posting", d.ID), `{"from":"2024-03-21","to":"2024-04-04","where":"Cổng thông tin huyện Sóc Sơn"}`), 200, nil)
		d = recAct(t, huyen, d.ID, `{"outcome":"pass","on":"2024-04-05"}`)
		recMust(t, tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/vote", d.ID), `{"members":9,"yes":9,"on":"2024-04-15"}`), 200, nil)
		recChecklist(t, tinh, d.ID, wf, "hoi-dong-tinh")
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2024-04-15"}`)
		if r := huyen.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"pass","on":"2024-04-20","decision":{"number":"1/QĐ","date":"2024-04-20","signer":"x"}}`); r.status != 403 {
			t.Errorf("the district decides: %d %s", r.status, r.body)
		}
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2024-04-20","decision":{"number":"2001/QĐ-UBND","date":"2024-04-19","signer":"Chủ tịch UBND thành phố Hà Nội"}}`)
		if d.Status != "recognized" {
			t.Fatalf("decided: %+v", d)
		}
		var reg struct{ Count int }
		recMust(t, huyen.call("GET", "/api/v1/recognitions?unit=016&as_of=2024-12-31", ""), 200, &reg)
		if reg.Count != 1 {
			t.Errorf("the district's registry in 2024: %d", reg.Count)
		}
		// After the reform the code names Xã Kim Anh: Minh Trí's decision is not its own.
		recMust(t, tinh.call("GET", "/api/v1/recognitions?unit=01&as_of=2026-01-01", ""), 200, &reg)
		if reg.Count != 0 {
			t.Errorf("Hà Nội's registry in 2026 holds the old commune's decision")
		}
	})
}

func TestAPI_OverdueDossiers(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		xaUnit := ruralCommunes(t, db, "01", "2026-06-30")[1].Code
		xa := recActor{t, srv, newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, xaUnit, ""))}
		tinh := recActor{t, srv, newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))}
		lib, _ := recognition.Shipped()
		wf, _ := lib.Workflow("xa-2025")
		var d dossierBody
		recMust(t, xa.call("POST", "/api/v1/dossiers", fmt.Sprintf(`{"unit":%q,"opened":"2026-05-01"}`, xaUnit)), 201, &d)
		recChecklist(t, xa, d.ID, wf, "lap-ho-so")
		recAct(t, xa, d.ID, `{"outcome":"pass","on":"2026-05-04"}`)
		var got struct {
			Dossiers []struct {
				ID       int64
				StepID   string `json:"step_id"`
				StepName string `json:"step_name"`
				Lateness recognition.Lateness
			}
		}
		recMust(t, tinh.call("GET", "/api/v1/dossiers/overdue?unit=01&as_of=2026-05-24", ""), 200, &got)
		if len(got.Dossiers) != 0 {
			t.Errorf("overdue on the last day: %+v", got.Dossiers)
		}
		recMust(t, tinh.call("GET", "/api/v1/dossiers/overdue?unit=01&as_of=2026-06-03", ""), 200, &got)
		if len(got.Dossiers) != 1 || got.Dossiers[0].StepID != "tham-dinh-tinh" || got.Dossiers[0].Lateness.DaysLate != 10 ||
			got.Dossiers[0].Lateness.Deadline != "2026-05-24" || got.Dossiers[0].Lateness.Verified {
			t.Errorf("overdue on 3/6: %+v", got.Dossiers)
		}
	})
}

// registryWorkbook is a registry .xlsx with the given rows under the header.
func registryWorkbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{"Mã đơn vị", "Tên đơn vị", "Mức đạt chuẩn", "Số quyết định", "Ngày quyết định", "Người ký"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	return buf.Bytes()
}

func TestAPI_RegistryImportAndWatch(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := recActor{t, srv, newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))}
		tinhDN := recActor{t, srv, newToken(t, db, newUser(t, db, "tinh.dn", auth.RoleProvince, "48", ""))}
		path := "/api/v1/recognitions/import"
		// Row-level problems, nothing stored.
		bad := registryWorkbook(t,
			[]any{"00379", "Xã Bắc Sơn", "NTM", "10/QĐ-UBND", "20/12/2019", "Chủ tịch"},
			[]any{"99999", "?", "NTM", "11/QĐ-UBND", "20/12/2019", ""},
			[]any{"00382", "Xã Minh Trí", "vàng", "12/QĐ-UBND", "2020-01-01", ""},
		)
		r := recUpload(t, srv, []string{authz(tinh.token)}, path, nil, "so-cong-nhan.xlsx", bad)
		var probs struct {
			Problems []recognition.RowProblem
		}
		recMust(t, r, 422, &probs)
		if len(probs.Problems) != 1 || probs.Problems[0].Row != 4 || probs.Problems[0].Column != "C" {
			t.Errorf("parse problems: %+v", probs.Problems)
		}
		bad = registryWorkbook(t,
			[]any{"00379", "Xã Bắc Sơn", "NTM", "10/QĐ-UBND", "20/12/2019", "Chủ tịch"},
			[]any{"00376", "?", "NTM", "11/QĐ-UBND", "20/12/2016", ""},
			[]any{"01", "Hà Nội", "NTM", "12/QĐ-UBND", "2030-01-01", ""},
		)
		recMust(t, recUpload(t, srv, []string{authz(tinh.token)}, path, nil, "so.xlsx", bad), 422, &probs)
		if len(probs.Problems) != 1 || probs.Problems[0].Row != 4 || !strings.Contains(probs.Problems[0].Message, "chưa tới") {
			t.Errorf("a future date: %+v", probs.Problems)
		}
		// Another province's officer may not import Hà Nội's communes.
		good := registryWorkbook(t,
			[]any{"00379", "Xã Bắc Sơn", "NTM", "10/QĐ-UBND", "20/12/2019", "Chủ tịch UBND thành phố"},
			[]any{"00385", "Xã Hồng Kỳ", "NTM", "11/QĐ-UBND", "20/12/2019", ""},
		)
		if r := recUpload(t, srv, []string{authz(tinhDN.token)}, path, nil, "so.xlsx", good); r.status != 403 {
			t.Errorf("another province imports: %d %s", r.status, r.body)
		}
		var st struct{ Rows, Inserted, Unchanged int }
		recMust(t, recUpload(t, srv, []string{authz(tinh.token)}, path, nil, "so.xlsx", good), 200, &st)
		if st.Rows != 2 || st.Inserted != 2 {
			t.Errorf("import: %+v", st)
		}
		recMust(t, recUpload(t, srv, []string{authz(tinh.token)}, path, nil, "so.xlsx", good), 200, &st)
		if st.Inserted != 0 || st.Unchanged != 2 {
			t.Errorf("import again: %+v", st)
		}
		// Bắc Sơn's latest assessment fails 10 of 19 criteria: it is on the watch list with them.
		ctx := context.Background()
		p, _ := assessment.ParsePeriod("2024")
		a, err := writer(t, db).CreateAssessment(ctx, app.System("xa"), "00379", "xa-ntm-2021", p)
		if err != nil {
			t.Fatal(err)
		}
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
		var w struct {
			Checked int
			AtRisk  []struct {
				Recognition struct{ Unit string }
				Verdict     recognition.Verdict
				Failing     []struct {
					Number int
					Name   string
					Key    bool
				}
			} `json:"at_risk"`
			NotAssessed []struct{ Unit string } `json:"not_assessed"`
		}
		recMust(t, tinh.call("GET", "/api/v1/recognition/watch?unit=016&as_of=2025-01-01", ""), 200, &w)
		if w.Checked != 2 || len(w.AtRisk) != 1 || w.AtRisk[0].Recognition.Unit != "00379" || len(w.AtRisk[0].Failing) != 10 ||
			w.AtRisk[0].Failing[9].Number != 10 || w.AtRisk[0].Failing[9].Name != "Thu nhập" || !w.AtRisk[0].Failing[9].Key || len(w.NotAssessed) != 1 {
			t.Errorf("watch: %+v", w)
		}
		if r := tinhDN.call("GET", "/api/v1/recognition/watch?unit=016&as_of=2025-01-01", ""); r.status != 403 {
			t.Errorf("another province's watch list: %d", r.status)
		}
	})
}

// Roles at every step, against the workflow's names: the matrix above checks actions and
// scope; this checks the role named by the step.
func TestAPI_RecognitionRoles(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		xaUnit := ruralCommunes(t, db, "01", "2026-06-30")[2].Code
		ward := "00004" // a ward (phường) of Hà Nội is not recognised against a commune set
		xa := recActor{t, srv, newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, xaUnit, ""))}
		phuong := recActor{t, srv, newToken(t, db, newUser(t, db, "phuong", auth.RoleCommune, ward, ""))}
		admin := recActor{t, srv, bearerOf(srv)}
		if r := phuong.call("POST", "/api/v1/dossiers", `{"unit":"00004","tier":"ntm"}`); r.status != 422 {
			t.Errorf("a ward's dossier: %d %s", r.status, r.body)
		}
		if r := xa.call("POST", "/api/v1/dossiers", fmt.Sprintf(`{"unit":%q,"tier":"ntm","opened":"2099-01-01"}`, xaUnit)); r.status != 400 {
			t.Errorf("opened in the future: %d %s", r.status, r.body)
		}
		if r := xa.call("POST", "/api/v1/dossiers", `{"unit":"00382","tier":"ntm","opened":"2020-01-01"}`); r.status != 422 && r.status != 403 {
			t.Errorf("a dossier before any workflow: %d %s", r.status, r.body)
		}
		// An admin may take any step (recording a paper process).
		var d dossierBody
		recMust(t, admin.call("POST", "/api/v1/dossiers", fmt.Sprintf(`{"unit":%q,"tier":"ntm","opened":"2026-06-01"}`, xaUnit)), 201, &d)
		if r := xa.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/actions", d.ID), `{"outcome":"reject","comment":"x"}`); r.status != 422 {
			t.Errorf("the commune rejects its own dossier: %d %s", r.status, r.body)
		}
		// A stale step is a conflict.
		if r := xa.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/comments", d.ID), `{"body":"x","step":"quyet-dinh"}`); r.status != 409 || r.errorCode() != "conflict" {
			t.Errorf("a stale step: %d %s", r.status, r.body)
		}
		// Downloads carry the file as stored, with its checksum.
		lib, _ := recognition.Shipped()
		wf, _ := lib.Workflow("xa-2025")
		recChecklist(t, xa, d.ID, wf, "lap-ho-so")
		var det struct {
			Dossier struct {
				Documents []store.DossierDocument
			}
		}
		recMust(t, xa.call("GET", fmt.Sprintf("/api/v1/dossiers/%d", d.ID), ""), 200, &det)
		doc := det.Dossier.Documents[0]
		r := xa.call("GET", fmt.Sprintf("/api/v1/dossiers/%d/documents/%d", d.ID, doc.ID), "")
		if r.status != 200 || !bytes.Equal(r.body, recPDF) || r.header.Get("X-Checksum-Sha256") != doc.SHA256 || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %d %v", r.status, r.header)
		}
		if r := xa.call("DELETE", fmt.Sprintf("/api/v1/dossiers/%d/documents/%d?step=lap-ho-so", d.ID, doc.ID), ""); r.status != 204 {
			t.Errorf("delete: %d %s", r.status, r.body)
		}
	})
}
