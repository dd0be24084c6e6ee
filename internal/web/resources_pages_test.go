package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

var resLeftover = regexp.MustCompile(`resources\.[a-z_]+\.?[a-z_]*|<no value>|[^\\d]\{\d\}|%!|ZgotmplZ`)

// seedResources enters what the pages show: funding whose reported total is off by 1, a
// road, a model residential area in 2024 and one in 2025, a meeting with a task due yesterday.
func seedResources(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	tr := resources.FromInt
	wrong := tr(370601)
	if _, err := db.PutFunding(ctx, "seed", resources.Funding{UnitCode: "21607", Year: 2025, ReportedTotal: &wrong, Parts: map[string]resources.Fixed{
		"nstw": tr(195420), "nsdp": tr(64310), "long-ghep": tr(2150), "tin-dung": tr(3900), "doanh-nghiep": tr(98775), "cong-dong-ngay-cong": tr(6045)}}); err != nil {
		t.Fatal(err)
	}
	w, err := db.CreateWork(ctx, "seed", resources.Work{UnitCode: "21607", Year: 2025, Kind: "duong-lien-xa", Name: "Đường Nhơn Châu – Nhơn Hải",
		Quantity: 104480, Measure: "km", Status: resources.WorkDone, Budget: map[string]resources.Fixed{"nstw": tr(10000)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddDisbursement(ctx, "seed", w.ID, resources.Disbursement{Day: "2025-10-01", Amount: tr(2500)}); err != nil {
		t.Fatal(err)
	}
	for i, y := range []int{2024, 2025} {
		if _, err := db.CreateModel(ctx, "seed", resources.Model{Kind: "khu-dan-cu-kieu-mau", UnitCode: "21607", Village: "Thôn " + string(rune('A'+i)),
			Name: "Khu dân cư thôn " + string(rune('A'+i)), Year: y}); err != nil {
			t.Fatal(err)
		}
	}
	today := units.Today()
	m, err := db.SaveMeeting(ctx, "seed", 0, resources.Meeting{UnitCode: "52", Day: today.AddDays(-15), Chair: "Phó Chủ tịch UBND tỉnh", Conclusions: "Hoàn thành chợ xã"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveTask(ctx, "seed", 0, resources.Task{MeetingID: m.ID, UnitCode: "52", Title: "Hoàn thành chợ Nhơn Châu", OwnerKind: resources.OwnerUnit,
		Owner: "21607", Assigned: m.Day, Due: today.AddDays(-1), Status: resources.TaskOpen}); err != nil {
		t.Fatal(err)
	}
}

func TestResourcePages_RenderInBothLanguages(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	seedResources(t, db)
	me := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
	pages := []struct {
		path   string
		vi, en []string
	}{
		{"/funding?year=2025", []string{"Vốn huy động: Tỉnh Gia Lai", "Năm 2025 huy động 370.600 triệu đồng", "chênh lệch 1 triệu đồng", "✗", "Ngày công (quy đổi)", "Nhập vốn huy động"},
			[]string{"Funding: Gia Lai", "In 2025, 370,600 million VND was mobilised", "differs by 1 million VND", "✗", "Labour days (converted)", "Enter funding"}},
		{"/works?year=2025", []string{"Hoàn thành 104,48 km đường liên xã", "đạt 25,0% kế hoạch vốn", "✓</span> hoàn thành", "Ghi giải ngân"},
			[]string{"Completed 104.48 km of inter-commune road", "25.0% of the planned", "✓</span> done", "Record a disbursement"}},
		{"/models?year=2025", []string{"Năm 2025 có thêm 01 khu dân cư kiểu mẫu, nâng tổng số lên 02 khu dân cư kiểu mẫu.", "Thôn A, Xã Nhơn Châu", "Lũy kế"},
			[]string{"In 2025: 1 more model residential areas, 2 in all.", "Cumulative"}},
		{"/tasks", []string{"Nhiệm vụ của Ban Chỉ đạo: Tỉnh Gia Lai", "Xã Nhơn Châu", "quá 1 ngày", "Hoàn thành chợ Nhơn Châu", "Phó Chủ tịch UBND tỉnh", "Giao nhiệm vụ"},
			[]string{"Steering committee tasks: Gia Lai", "1 days overdue", "Assign a task"}},
	}
	for _, pg := range pages {
		for _, lang := range []string{"vi", "en"} {
			status, _, body := fetch(t, srv, pg.path, lang, me)
			want := pg.vi
			if lang == "en" {
				want = pg.en
			}
			if status != 200 || !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s (%s): %d", pg.path, lang, status)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s (%s): no %q in the page", pg.path, lang, w)
				}
			}
			if m := resLeftover.FindString(scripts.ReplaceAllString(body, "")); m != "" {
				t.Errorf("%s (%s): untranslated %q", pg.path, lang, m)
			}
			if !strings.Contains(body, `href="/funding"`) || !strings.Contains(body, `href="/tasks"`) {
				t.Errorf("%s (%s): the navigation lacks the register", pg.path, lang)
			}
		}
	}
	// A viewer reads, and is offered no entry form.
	viewer := session(t, srv, db, "xem", auth.RoleViewer, "21607")
	if _, _, body := fetch(t, srv, "/funding?year=2025", "vi", viewer); !strings.Contains(body, "370.600") || strings.Contains(body, `method="post" action="/funding"`) {
		t.Errorf("viewer's funding page")
	}
	// Another province is out of reach.
	if status, _, _ := fetch(t, srv, "/funding?unit=48", "vi", me); status != 403 {
		t.Errorf("another province: %d", status)
	}
}

// Acceptance: the owner of a task due yesterday sees it among their reminders.
func TestResourcePages_OwnerSeesOverdueReminder(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	seedResources(t, db)
	owner := session(t, srv, db, "xa.nhon-chau", auth.RoleCommune, "21607")
	_, _, body := fetch(t, srv, "/tasks", "vi", owner)
	i := strings.Index(body, "Nhắc việc")
	if i < 0 || !strings.Contains(body[i:], "Hoàn thành chợ Nhơn Châu") || !strings.Contains(body[i:], "quá 1 ngày") {
		t.Errorf("no reminder for the owner:\n%s", body)
	}
	other := session(t, srv, db, "phuong.pleiku", auth.RoleCommune, "23575")
	if _, _, body := fetch(t, srv, "/tasks", "vi", other); !strings.Contains(body, "Không có nhiệm vụ quá hạn của bạn.") {
		t.Errorf("a reminder for another commune")
	}
}

// resPostForm posts a form (from this site unless origin says otherwise) without following the
// redirect.
func resPostForm(t *testing.T, srv *httptest.Server, path string, form url.Values, origin string, c *http.Cookie) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", origin)
	req.AddCookie(c)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func TestResourcePages_Forms(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	me := session(t, srv, db, "xa.nhon-chau", auth.RoleCommune, "21607")
	form := url.Values{"unit": {"21607"}, "year": {"2025"}, "part.nstw": {"195.420"}, "part.nsdp": {"64.310"}, "part.long-ghep": {"2.150"},
		"part.tin-dung": {"3.900"}, "part.doanh-nghiep": {"98.775"}, "part.cong-dong": {"6.045"}, "reported_total": {"370.601"},
		"back_year": {"2025"}}
	// A bad number: the page again, the reason in words, the values kept.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("part.nsdp", "sáu mươi")
	status, _, body := resPostForm(t, srv, "/funding", bad, srv.URL, me)
	if status != 422 || !strings.Contains(body, "Ngân sách địa phương: “sáu mươi” không phải là số") || !strings.Contains(body, `value="195.420"`) || !strings.Contains(body, `role="alert"`) {
		t.Errorf("bad number: %d\n%s", status, body)
	}
	if status, _, _ := resPostForm(t, srv, "/funding", form, "http://evil.example", me); status != 403 {
		t.Errorf("cross-origin post: %d", status)
	}
	// Another commune's unit: refused, in words.
	other := url.Values{"unit": {"23575"}, "year": {"2025"}, "part.nstw": {"1"}}
	if status, _, body := resPostForm(t, srv, "/funding", other, srv.URL, me); status != 403 || !strings.Contains(body, "không có quyền nhập") {
		t.Errorf("another commune: %d", status)
	}
	status, loc, _ := resPostForm(t, srv, "/funding", form, srv.URL, me)
	if status != 303 || !strings.HasPrefix(loc, "/funding?") || !strings.Contains(loc, "done=saved") {
		t.Fatalf("save: %d → %s", status, loc)
	}
	_, _, body = fetch(t, srv, loc, "vi", me)
	if !strings.Contains(body, "Đã lưu.") || !strings.Contains(body, "chênh lệch 1 triệu đồng") {
		t.Errorf("after saving:\n%s", body)
	}
	// A work, a disbursement, a model through their forms.
	status, _, body = resPostForm(t, srv, "/works", url.Values{"unit": {"21607"}, "year": {"2025"}, "kind": {"duong-lien-xa"}, "name": {"Đường ven biển"},
		"quantity": {"12,5"}, "status": {"under_construction"}, "budget.nstw": {"1.000"}}, srv.URL, me)
	if status != 303 {
		t.Fatalf("work: %d\n%s", status, body)
	}
	ws, _ := db.ListWorks(context.Background(), store.WorkFilter{})
	if len(ws) != 1 || ws[0].Quantity != 12500 || ws[0].Measure != "km" || ws[0].Planned != resources.FromInt(1000) {
		t.Fatalf("work stored: %+v", ws)
	}
	if status, _, body := resPostForm(t, srv, "/works/disbursements", url.Values{"work": {"1"}, "day": {"15/10/2025"}, "amount": {"250"}}, srv.URL, me); status != 303 {
		t.Errorf("disbursement: %d\n%s", status, body)
	}
	if status, _, body := resPostForm(t, srv, "/models", url.Values{"kind": {"vuon-mau"}, "unit": {"21607"}, "village": {"Thôn Một"}, "name": {"Vườn hộ ông A"},
		"year": {"2025"}, "decision_date": {"02/03/2025"}}, srv.URL, me); status != 303 {
		t.Errorf("model: %d\n%s", status, body)
	}
	if _, _, body := fetch(t, srv, "/works?year=2025&as_of=2026-01-01", "vi", me); !strings.Contains(body, "25,0%") {
		t.Errorf("works page after the disbursement lacks the rate")
	}
	// A work's completion day: refused on a work not done, kept and shown on one done.
	done := url.Values{"unit": {"21607"}, "year": {"2025"}, "kind": {"nha-van-hoa"}, "name": {"Nhà văn hóa thôn Hai"}, "status": {"under_construction"}, "done_on": {"10/08/2025"}}
	if status, _, body := resPostForm(t, srv, "/works", done, srv.URL, me); status != 422 || !strings.Contains(body, "chỉ công trình đã hoàn thành mới có ngày hoàn thành") {
		t.Errorf("completion day on a work under construction: %d\n%s", status, body)
	}
	done.Set("status", "done")
	if status, _, body := resPostForm(t, srv, "/works", done, srv.URL, me); status != 303 {
		t.Fatalf("work done: %d\n%s", status, body)
	}
	if ws, _ := db.ListWorks(context.Background(), store.WorkFilter{Kind: "nha-van-hoa"}); len(ws) != 1 || ws[0].DoneOn != "2025-08-10" {
		t.Errorf("work done stored: %+v", ws)
	}
	if _, _, body := fetch(t, srv, "/works?year=2025", "vi", me); !strings.Contains(body, "hoàn thành (10/08/2025)") {
		t.Errorf("the works page does not show the completion day")
	}
	// A commune officer does not manage steering meetings.
	if status, _, _ := resPostForm(t, srv, "/meetings", url.Values{"unit": {"21607"}, "day": {"01/03/2026"}, "chair": {"x"}, "conclusions": {"y"}}, srv.URL, me); status != 403 {
		t.Errorf("commune records a meeting: %d", status)
	}
}

func TestResourcePages_ImportAndTasks(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	prov := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
	upload := func(path, name, content string) (int, string, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("back_unit", "52")
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+path, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", srv.URL)
		req.AddCookie(prov)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(b)
	}
	status, _, body := upload("/models/import", "mh.csv", "Loại mô hình,Mã đơn vị,Tên mô hình,Năm công nhận\nVườn mẫu,21607,Vườn A,hai nghìn\n")
	if status != 422 || !strings.Contains(body, "Dòng 2, cột D: “hai nghìn” không phải là số nguyên") && !strings.Contains(body, "Dòng 2, cột D: &#34;hai nghìn&#34; không phải là số nguyên") {
		t.Errorf("bad import: %d\n%s", status, body)
	}
	status, loc, _ := upload("/models/import", "mh.csv", "Loại mô hình,Mã đơn vị,Tên mô hình,Năm công nhận\nVườn mẫu,21607,Vườn A,2025\nVườn mẫu,21607,Vườn B,2025\n")
	if status != 303 || !strings.Contains(loc, "done=imported") || !strings.Contains(loc, "n=2") {
		t.Fatalf("import: %d → %s", status, loc)
	}
	if _, _, body := fetch(t, srv, loc, "vi", prov); !strings.Contains(body, "Đã nhập 2 dòng.") {
		t.Errorf("no flash after import")
	}
	// A meeting, then a task from it owned by a commune, then the owner's progress note.
	if status, _, body := resPostForm(t, srv, "/meetings", url.Values{"unit": {"52"}, "day": {"05/01/2026"}, "chair": {"Phó Chủ tịch UBND tỉnh"},
		"conclusions": {"Giao xã Nhơn Châu hoàn thành chợ"}}, srv.URL, prov); status != 303 {
		t.Fatalf("meeting: %d\n%s", status, body)
	}
	status, _, body = resPostForm(t, srv, "/tasks", url.Values{"meeting": {"1"}, "unit": {"52"}, "title": {"Hoàn thành chợ Nhơn Châu"}, "owner_kind": {"unit"},
		"owner": {"21607"}, "due": {"31/01/2026"}}, srv.URL, prov)
	if status != 303 {
		t.Fatalf("task: %d\n%s", status, body)
	}
	xa := session(t, srv, db, "xa.nhon-chau", auth.RoleCommune, "21607")
	if status, _, body := resPostForm(t, srv, "/tasks/notes", url.Values{"task": {"1"}, "day": {"02/02/2026"}, "note": {"Đã bàn giao chợ"}, "status": {"done"}}, srv.URL, xa); status != 303 {
		t.Fatalf("note: %d\n%s", status, body)
	}
	_, _, body = fetch(t, srv, "/tasks?unit=52", "vi", prov)
	if !strings.Contains(body, "✓</span> hoàn thành (02/02/2026)") || !strings.Contains(body, "Đã bàn giao chợ") {
		t.Errorf("task after the owner's note:\n%s", body)
	}
	// A task without a due date is refused in words.
	if status, _, body := resPostForm(t, srv, "/tasks", url.Values{"unit": {"52"}, "title": {"x"}, "owner": {"Sở Xây dựng"}}, srv.URL, prov); status != 422 || !strings.Contains(body, "Hãy ghi hạn hoàn thành") {
		t.Errorf("no due date: %d", status)
	}
}
