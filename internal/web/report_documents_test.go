package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() {
	profileBody := `{"body": "BAN CHỈ ĐẠO", "place": "Nơi", "number_pattern": "{n}/BC-BCĐ", "signer_title": "TRƯỞNG BAN", "version": {version}}`
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "report profile", method: "GET", action: auth.Read, path: "/api/v1/reports/profile?unit={unit}&as_of={as_of}"},
		accessEndpoint{name: "save report profile", method: "PUT", action: auth.ManageTargets, setup: withProfileVersion,
			path: "/api/v1/reports/profile?unit={unit}&as_of={as_of}", body: profileBody},
		accessEndpoint{name: "report drafts", method: "GET", action: auth.Read, path: "/api/v1/reports/drafts?unit={unit}&as_of={as_of}"},
		accessEndpoint{name: "open report draft", method: "POST", action: auth.ManageTargets, setup: withYear,
			path: "/api/v1/reports/drafts", body: `{"unit": "{unit}", "period": "{year}"}`},
		accessEndpoint{name: "report draft", method: "GET", action: auth.Read, setup: withDraft, path: "/api/v1/reports/drafts/{id}"},
		accessEndpoint{name: "report draft paragraphs", method: "PUT", action: auth.ManageTargets, setup: withDraft,
			path: "/api/v1/reports/drafts/{id}/paragraphs", body: `{"paragraphs": {"general": "Đánh giá."}, "version": {version}}`},
		accessEndpoint{name: "report draft document", method: "GET", action: auth.Read, setup: withDraft, path: "/api/v1/reports/drafts/{id}/document?format=md"},
		accessEndpoint{name: "issue report", method: "POST", action: auth.ManageTargets, setup: withDraft,
			path: "/api/v1/reports/drafts/{id}/issue", body: `{"number": {id}, "version": {version}}`},
	)
}

// withProfileVersion sets {version} to the unit's saved profile version (0 for none).
func withProfileVersion(t *testing.T, m *matrix, unit string, _ units.Date) {
	t.Helper()
	p, err := m.db.ReportProfileOf(context.Background(), unit)
	if err != nil && err != store.ErrNotFound {
		t.Fatal(err)
	}
	m.vars["{version}"] = strconv.Itoa(p.Version)
}

// withDraft opens a report draft of the unit for a month of the year of asOf that has not been
// issued yet, and sets {id} and {version}.
func withDraft(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	month, _ := strconv.Atoi(string(asOf)[5:7])
	for mo := 1; mo <= month; mo++ {
		d, _, err := m.db.OpenReportDraft(context.Background(), "seed", unit, fmt.Sprintf("%s-%02d", string(asOf)[:4], mo), "vi", "xa-ntm-2026")
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == store.DraftOpen {
			m.vars["{id}"] = strconv.FormatInt(d.ID, 10)
			m.vars["{version}"] = strconv.Itoa(d.Version)
			return
		}
	}
	t.Fatalf("no month of %s left to issue a report of %s", string(asOf)[:4], unit)
}

func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a DOCX: %v", err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			x, _ := io.ReadAll(r)
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestAPI_ReportDocuments: an office saves its profile (defaults from its unit's name first,
// a stale version 409), opens the draft of a quarter, writes its own paragraphs with
// If-Match, previews it with the current figures, and issues it with a number and a date;
// the issued report is locked, and its download stays byte for byte the same after the data
// change. A number used twice in a year and other units' reports are refused.
func TestAPI_ReportDocuments(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		communes := reportWorld(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, communes[0], ""))
		req := func(tok, method, path, body string, headers ...string) answer {
			return do(t, srv, call{method, path, body, append([]string{authz(tok)}, headers...)})
		}

		// The profile: defaults from the unit's name, then the office's own.
		a := req(tinh, "GET", "/api/v1/reports/profile?unit=01", "")
		var p map[string]any
		json.Unmarshal(a.body, &p)
		if a.status != 200 || p["parent"] != "UBND THÀNH PHỐ HÀ NỘI" || p["place"] != "Hà Nội" || p["number_pattern"] != "{n}/BC-BCĐ" || p["version"] != 0.0 {
			t.Fatalf("default profile: %d %s", a.status, a.body)
		}
		profile := `{"parent": "UBND THÀNH PHỐ HÀ NỘI", "body": "BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MTQG THÀNH PHỐ", "place": "Hà Nội",
			"number_pattern": "{n}/BC-BCĐ", "recipients": ["Ban Chỉ đạo Trung ương (để b/c);", "", "Lưu: VT, VPĐP."],
			"authority": "KT. TRƯỞNG BAN", "signer_title": "PHÓ TRƯỞNG BAN", "signer_name": "Nguyễn Văn Hùng", "version": 0}`
		if a := req(tinh, "PUT", "/api/v1/reports/profile?unit=01", profile); a.status != 200 || a.header.Get("ETag") != `"1"` {
			t.Fatalf("save profile: %d %s", a.status, a.body)
		}
		if a := req(tinh, "PUT", "/api/v1/reports/profile?unit=01", profile); a.status != 409 || !strings.Contains(string(a.body), "Nguyễn Văn Hùng") {
			t.Errorf("stale profile: %d %s", a.status, a.body)
		}
		if a := req(tinh, "PUT", "/api/v1/reports/profile?unit=01", `{"body": "", "place": "Hà Nội", "number_pattern": "{n}/BC", "signer_title": "X"}`, `If-Match: "1"`); a.status != 422 ||
			!strings.Contains(string(a.body), `"field":"body"`) {
			t.Errorf("empty body name: %d %s", a.status, a.body)
		}
		if a := req(tinh, "PUT", "/api/v1/reports/profile?unit=01", `{"body": "B", "place": "Hà Nội", "number_pattern": "BC", "signer_title": "X"}`, `If-Match: "1"`); a.status != 422 ||
			!strings.Contains(string(a.body), `"field":"number_pattern"`) {
			t.Errorf("pattern without {n}: %d %s", a.status, a.body)
		}

		// The draft of the second quarter, with the office's paragraphs.
		a = req(tinh, "POST", "/api/v1/reports/drafts", `{"unit": "01", "period": "2026-Q2"}`)
		var d struct {
			ID      int64
			Version int
			Status  string
			Number  int
			Slots   []struct{ Key, Title, Text string }
		}
		json.Unmarshal(a.body, &d)
		if a.status != 201 || d.Status != "draft" || len(d.Slots) != 5 || d.Slots[1].Title != "Đánh giá chung" {
			t.Fatalf("open draft: %d %s", a.status, a.body)
		}
		if a := req(tinh, "POST", "/api/v1/reports/drafts", `{"unit": "01", "period": "2026-Q2"}`); a.status != 200 || !strings.Contains(string(a.body), fmt.Sprintf(`"id":%d`, d.ID)) {
			t.Errorf("the same draft again: %d %s", a.status, a.body)
		}
		base := fmt.Sprintf("/api/v1/reports/drafts/%d", d.ID)
		paras := `{"paragraphs": {"general": "Nhìn chung, phong trào xây dựng nông thôn mới tiếp tục được triển khai đồng bộ.", "proposals": "- Đề nghị Trung ương sớm phân bổ vốn năm 2027."}}`
		if a := req(tinh, "PUT", base+"/paragraphs", paras); a.status != 428 {
			t.Errorf("paragraphs without If-Match: %d", a.status)
		}
		if a := req(tinh, "PUT", base+"/paragraphs", `{"paragraphs": {"loi": "x"}}`, `If-Match: "1"`); a.status != 422 || !strings.Contains(string(a.body), "paragraphs.loi") {
			t.Errorf("unknown slot: %d %s", a.status, a.body)
		}
		if a := req(tinh, "PUT", base+"/paragraphs", paras, `If-Match: "1"`); a.status != 200 || a.header.Get("ETag") != `"2"` {
			t.Fatalf("paragraphs: %d %s", a.status, a.body)
		}
		if a := req(tinh, "PUT", base+"/paragraphs", paras, `If-Match: "1"`); a.status != 409 {
			t.Errorf("stale paragraphs: %d %s", a.status, a.body)
		}
		md := string(req(tinh, "GET", base+"/document?format=md", "").body)
		for _, want := range []string{"Đánh giá chung", "tiếp tục được triển khai đồng bộ", "## IV. ĐỀ XUẤT, KIẾN NGHỊ", "- Đề nghị Trung ương sớm phân bổ vốn năm 2027."} {
			if !strings.Contains(md, want) {
				t.Errorf("the draft lacks %q:\n%s", want, md)
			}
		}
		draftDocx := docxText(t, req(tinh, "GET", base+"/document?format=docx", "").body)
		if !strings.Contains(draftDocx, "Nguyễn Văn Hùng") || !strings.Contains(draftDocx, "DỰ THẢO") {
			t.Errorf("the draft DOCX lacks the signer or the draft mark")
		}

		// Issue it: number, date, frozen.
		if a := req(tinh, "POST", base+"/issue", `{"number": 0}`, `If-Match: "2"`); a.status != 422 || !strings.Contains(string(a.body), `"field":"number"`) {
			t.Errorf("number 0: %d %s", a.status, a.body)
		}
		a = req(tinh, "POST", base+"/issue", `{"number": 125, "date": "2026-07-05"}`, `If-Match: "2"`)
		json.Unmarshal(a.body, &d)
		if a.status != 200 || d.Status != "issued" || d.Number != 125 {
			t.Fatalf("issue: %d %s", a.status, a.body)
		}
		docx1 := req(tinh, "GET", base+"/document?format=docx", "")
		pdf1 := req(tinh, "GET", base+"/document?format=pdf", "")
		json1 := req(tinh, "GET", base+"/document?format=json", "")
		if docx1.header.Get("Content-Disposition") != `attachment; filename="bao-cao-01-2026-Q2-so-125.docx"` || docx1.header.Get("X-Checksum-Sha256") == "" {
			t.Errorf("issued download: %q %q", docx1.header.Get("Content-Disposition"), docx1.header.Get("X-Checksum-Sha256"))
		}
		x := docxText(t, docx1.body)
		for _, want := range []string{"Số: 125/BC-BCĐ", "Hà Nội, ngày 05 tháng 7 năm 2026", "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Ban Chỉ đạo Trung ương (để b/c);"} {
			if !strings.Contains(x, want) {
				t.Errorf("the issued DOCX lacks %q", want)
			}
		}
		if strings.Contains(x, "DỰ THẢO") {
			t.Error("the issued DOCX is still marked as a draft")
		}

		// The data change: a commune meets one more criterion in the quarter.
		ctx := context.Background()
		as, err := db.ListAssessments(ctx, store.AssessmentFilter{UnitCode: communes[0]})
		if err != nil || len(as) == 0 {
			t.Fatalf("assessments: %v", err)
		}
		changed := false
		for _, ax := range as {
			if ax.Period != "2026-Q2" {
				continue
			}
			v := "true"
			var ch []store.ValueChange
			for k := 1; k <= 10; k++ {
				ch = append(ch, store.ValueChange{Code: fmt.Sprintf("TC%d", k), Value: &v})
			}
			// The official figures count approved assessments: reopen it, change it, and walk
			// it through three people again (separation of duties).
			a := ax
			if a.Status == assessment.Approved {
				if a, err = db.ChangeStatus(ctx, "phe-duyet", a.ID, a.Version, assessment.Unlock, "sửa số liệu"); err != nil {
					t.Fatal(err)
				}
			}
			if a, err = writer(t, db).SetValues(ctx, app.System("t"), a.ID, a.Version, ch); err != nil {
				t.Fatal(err)
			}
			for _, step := range []struct {
				who string
				act assessment.Action
			}{{"t", assessment.Submit}, {"kiem-tra", assessment.Verify}, {"phe-duyet", assessment.Approve}} {
				if a, err = db.ChangeStatus(ctx, step.who, a.ID, a.Version, step.act, ""); err != nil {
					t.Fatalf("%s: %v", step.act, err)
				}
			}
			changed = true
		}
		if !changed {
			t.Fatal("no assessment of 2026-Q2 to change")
		}
		live := req(tinh, "GET", "/api/v1/reports/bulletin?unit=01&period=2026-Q2&format=json", "")
		for f, before := range map[string]answer{"docx": docx1, "pdf": pdf1, "json": json1} {
			if after := req(tinh, "GET", base+"/document?format="+f, ""); !bytes.Equal(after.body, before.body) {
				t.Errorf("the issued %s changed after the data changed", f)
			}
		}
		var frozen, now struct {
			Progress struct {
				CriteriaMetSum int `json:"criteria_met_sum"`
			} `json:"progress"`
		}
		json.Unmarshal(json1.body, &frozen)
		json.Unmarshal(live.body, &now)
		if frozen.Progress.CriteriaMetSum == now.Progress.CriteriaMetSum {
			t.Errorf("the live figures did not move (%d): the test proves nothing", now.Progress.CriteriaMetSum)
		}

		// Locked; a number used twice in a year; other units' reports.
		if a := req(tinh, "PUT", base+"/paragraphs", paras, `If-Match: "3"`); a.status != 422 {
			t.Errorf("paragraphs of an issued report: %d %s", a.status, a.body)
		}
		a = req(tinh, "POST", "/api/v1/reports/drafts", `{"unit": "01", "period": "2026-Q3"}`)
		json.Unmarshal(a.body, &d)
		if a := req(tinh, "POST", fmt.Sprintf("/api/v1/reports/drafts/%d/issue", d.ID), `{"number": 125, "date": "2026-10-05"}`, `If-Match: "1"`); a.status != 422 ||
			!strings.Contains(string(a.body), "125") {
			t.Errorf("number 125 twice in 2026: %d %s", a.status, a.body)
		}
		list := req(tinh, "GET", "/api/v1/reports/drafts?unit=01", "")
		if !strings.Contains(string(list.body), `"number":125`) || !strings.Contains(string(list.body), `"period":"2026-Q3"`) {
			t.Errorf("the archive: %s", list.body)
		}
		for _, c := range []struct{ method, path, body string }{
			{"GET", base, ""}, {"GET", base + "/document?format=pdf", ""}, {"PUT", "/api/v1/reports/profile?unit=01", profile},
			{"POST", "/api/v1/reports/drafts", `{"unit": "01", "period": "2026-Q4"}`},
		} {
			if a := req(xa, c.method, c.path, c.body); a.status != 403 {
				t.Errorf("commune officer %s %s: %d", c.method, c.path, a.status)
			}
		}
	})
}
