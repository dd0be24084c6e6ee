package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
)

// TestDocumentPages_FromDashboardToIssued: a province officer goes from the dashboard's report
// links to /reports, saves the office's profile, opens the quarter's draft, writes the
// general assessment, and issues it with a number and a date; a commune officer may read but
// not write the province's; a cross-site post is refused.
func TestDocumentPages_FromDashboardToIssued(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	me := session(t, srv, db, "tinh.ha-noi", auth.RoleProvince, "01")
	if _, _, body := fetch(t, srv, "/dashboard?unit=01", "vi", me); !strings.Contains(body, `href="/reports?unit=01"`) ||
		!strings.Contains(body, "format=docx") {
		t.Fatal("the dashboard does not lead to the reports to sign")
	}
	status, _, body := fetch(t, srv, "/reports?unit=01", "vi", me)
	if status != 200 || !strings.Contains(body, "Báo cáo ban hành") || !strings.Contains(body, "Chưa có báo cáo nào.") {
		t.Fatalf("/reports: %d\n%s", status, body)
	}
	_, _, body = fetch(t, srv, "/reports/profile?unit=01", "vi", me)
	if !strings.Contains(body, `value="UBND THÀNH PHỐ HÀ NỘI"`) || !strings.Contains(body, "giá trị mặc định") {
		t.Fatalf("profile page:\n%s", body)
	}
	profile := url.Values{"unit": {"01"}, "version": {"0"}, "parent": {"UBND THÀNH PHỐ HÀ NỘI"}, "body": {"BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MTQG"},
		"place": {"Hà Nội"}, "number_pattern": {"{n}/BC-BCĐ"}, "recipients": {"Như trên;\r\nLưu: VT."}, "authority": {"TM. BAN CHỈ ĐẠO"},
		"signer_title": {"TRƯỞNG BAN"}, "signer_name": {"Trần Sỹ Thanh"}}
	if status, _, _ := resPostForm(t, srv, "/reports/profile", profile, "http://evil.example", me); status != 403 {
		t.Errorf("cross-site post: %d", status)
	}
	bad := url.Values{}
	for k, v := range profile {
		bad[k] = v
	}
	bad.Set("signer_title", " ")
	if status, _, body := resPostForm(t, srv, "/reports/profile", bad, srv.URL, me); status != 422 || !strings.Contains(body, "chức vụ người ký") || !strings.Contains(body, `value="Trần Sỹ Thanh"`) {
		t.Errorf("empty title: %d\n%s", status, body)
	}
	if status, loc, _ := resPostForm(t, srv, "/reports/profile", profile, srv.URL, me); status != 303 || !strings.Contains(loc, "saved=1") {
		t.Fatalf("save profile: %d %s", status, loc)
	}
	status, loc, _ := resPostForm(t, srv, "/reports", url.Values{"unit": {"01"}, "period": {"2026-Q2"}, "lang": {"vi"}}, srv.URL, me)
	if status != 303 || !strings.HasPrefix(loc, "/reports/") {
		t.Fatalf("open draft: %d %s", status, loc)
	}
	_, _, body = fetch(t, srv, loc, "vi", me)
	if !strings.Contains(body, "Quý II/2026") || !strings.Contains(body, `name="own_general"`) || !strings.Contains(body, `name="version" value="1"`) {
		t.Fatalf("draft page:\n%s", body)
	}
	save := url.Values{"action": {"save"}, "version": {"1"}, "own_general": {"Nhìn chung, các xã đã chủ động rà soát tiêu chí."}}
	if status, l, _ := resPostForm(t, srv, loc, save, srv.URL, me); status != 303 || !strings.Contains(l, "saved=1") {
		t.Fatalf("save draft: %d %s", status, l)
	}
	if status, _, body := resPostForm(t, srv, loc, save, srv.URL, me); status != 409 || !strings.Contains(body, "phiên bản 2") {
		t.Errorf("stale save: %d", status)
	}
	issue := url.Values{"action": {"issue"}, "version": {"2"}, "number": {"37"}, "date": {"05/07/2026"}}
	if status, _, _ := resPostForm(t, srv, loc, issue, srv.URL, me); status != 303 {
		t.Fatalf("issue: %d", status)
	}
	_, _, body = fetch(t, srv, loc, "vi", me)
	if !strings.Contains(body, "Báo cáo đã ban hành số 37 ngày 05/07/2026") || strings.Contains(body, `name="own_general"`) ||
		!strings.Contains(body, "Nhìn chung, các xã đã chủ động rà soát tiêu chí.") {
		t.Errorf("issued page:\n%s", body)
	}
	_, _, body = fetch(t, srv, "/reports?unit=01", "en", me)
	if !strings.Contains(body, "Issued as No. 37 on 2026-07-05") {
		t.Errorf("the archive in English:\n%s", body)
	}
	xa := session(t, srv, db, "xa.soc-son", auth.RoleCommune, "00376")
	if status, _, _ := fetch(t, srv, loc, "vi", xa); status != 403 {
		t.Errorf("a commune officer reads the province's report: %d", status)
	}
	if status, _, _ := resPostForm(t, srv, "/reports", url.Values{"unit": {"01"}, "period": {"2026-Q3"}}, srv.URL, xa); status != 403 {
		t.Errorf("a commune officer opens the province's report: %d", status)
	}
}
