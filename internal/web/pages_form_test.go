package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
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

// formWorld is a server with the shipped units, the officer of a rural commune of Hà Nội,
// the province's officer, and a draft assessment of the commune on the 2021-2025 set for
// 2025 (the set with indicators; the 2026-2030 set has none yet).
type formWorld struct {
	srv      *httptest.Server
	db       *store.DB
	commune  string
	xa, tinh *http.Cookie
	tinh2    *http.Cookie // a second province officer: verify and approve are two people
	id       int64
}

func newFormWorld(t *testing.T, db *store.DB) *formWorld {
	t.Helper()
	w := &formWorld{srv: newServer(t, db), db: db}
	w.commune = ruralCommunes(t, db, "01", "2025-12-31")[0].Code
	w.xa = session(t, w.srv, db, "xa", auth.RoleCommune, w.commune)
	w.tinh = session(t, w.srv, db, "tinh", auth.RoleProvince, "01")
	w.tinh2 = session(t, w.srv, db, "tinh2", auth.RoleProvince, "01")
	w.id = seedAssessment(t, db, "xa", w.commune, "xa-ntm-2021", "2025", map[string]string{"2.1": "90", "8.1": "true"})
	return w
}

// seedAssessment stores an assessment with values through the store and returns its id.
func seedAssessment(t *testing.T, db *store.DB, actor, unit, set, period string, values map[string]string) int64 {
	t.Helper()
	ctx := context.Background()
	p, err := assessment.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	// The store assesses any unit (a test may want a thị trấn), with the evaluation app gives.
	cat := writer(t, db)
	u, err := db.UnitForPeriod(ctx, unit, p)
	if err != nil {
		t.Fatalf("unit %s: %v", unit, err)
	}
	bare, err := cat.Evaluate(ctx, set, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(ctx, actor, unit, set, p, app.Summary(bare))
	if err != nil {
		t.Fatalf("assessment of %s: %v", unit, err)
	}
	if len(values) > 0 {
		var changes []store.ValueChange
		for code, v := range values {
			v := v
			changes = append(changes, store.ValueChange{Code: code, Value: &v})
		}
		if a, err = cat.SetValues(ctx, app.System(actor), a.ID, a.Version, changes); err != nil {
			t.Fatal(err)
		}
	}
	return a.ID
}

// postPage posts a form as the browser does (same origin) and returns status, headers, body.
func postPage(t *testing.T, srv *httptest.Server, path string, cookie *http.Cookie, form url.Values) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(cookie)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

var (
	tags       = regexp.MustCompile(`<[^>]+>`)
	inlineTags = regexp.MustCompile(`</?(?:strong|span|a|em|b)\b[^>]*>`)
)

// brief is the start of a page's text, for failure messages.
func brief(page string) string {
	w := words(scripts.ReplaceAllString(page, ""))
	if len(w) > 400 {
		w = w[:400] + "…"
	}
	return w
}

// words is the text of an HTML fragment, with its spaces collapsed.
func words(fragment string) string {
	fragment = inlineTags.ReplaceAllString(fragment, "")
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(fragment, " "))), " ")
}

// indicatorBlock is the text of the form's row of an indicator.
func indicatorBlock(t *testing.T, body, code string) string {
	t.Helper()
	for _, part := range strings.Split(body, `<div class="indicator"`)[1:] {
		if strings.Contains(part, `<span class="code">`+code+`</span>`) {
			if i := strings.Index(part, `<div class="direct">`); i >= 0 {
				part = part[:i]
			}
			return part
		}
	}
	t.Fatalf("no row for indicator %s in the form", code)
	return ""
}

// verdictOf is the state and the words of a verdict shown for an indicator (data-verdict)
// or a criterion (data-cverdict).
func verdictOf(t *testing.T, body, attr, key string) (string, string) {
	t.Helper()
	m := regexp.MustCompile(`class="verdict (?:crit )?([a-z_]+)" ` + attr + `="` + regexp.QuoteMeta(key) + `"[^>]*>(.*?)</p>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no verdict %s=%q in the page", attr, key)
	}
	return m[1], words(m[2])
}

func TestFormPage_ThresholdsOfTheUnit(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		ctx := context.Background()
		// Before the reform: a commune of Hà Nội (Đồng bằng sông Hồng) and one of Hà Giang
		// (Trung du và miền núi phía Bắc), on the 2016-2020 set whose indicator 14.2 has a
		// threshold per region.
		day := units.Date("2019-12-31")
		pick := func(province string) string {
			districts, err := db.Children(ctx, province, day)
			if err != nil || len(districts) == 0 {
				t.Fatalf("districts of %s: %v", province, err)
			}
			return ruralCommunes(t, db, districts[len(districts)-1].Code, day)[0].Code
		}
		delta, mountain := pick("01"), pick("02")
		admin := session(t, srv, db, "vp", auth.RoleAdmin, "")
		for _, c := range []struct {
			unit, threshold, region string
		}{
			{delta, "≥ 90 %", "vùng Đồng bằng sông Hồng"},
			{mountain, "≥ 70 %", "vùng Trung du và miền núi phía Bắc"},
		} {
			id := seedAssessment(t, db, "vp", c.unit, "xa-ntm-2016", "2019", map[string]string{"14.2": "80"})
			status, _, body := fetch(t, srv, fmt.Sprintf("/assessments/%d", id), "", admin)
			if status != 200 {
				t.Fatalf("form of %s: %d", c.unit, status)
			}
			row := words(indicatorBlock(t, body, "14.2"))
			if !strings.Contains(row, c.threshold+" ("+c.region+")") {
				t.Errorf("%s: 14.2 shows %q, want %s (%s)", c.unit, row, c.threshold, c.region)
			}
			// A verified threshold carries no warning.
			if strings.Contains(row, "chưa đối chiếu văn bản") {
				t.Errorf("%s: a verified threshold marked unverified: %q", c.unit, row)
			}
			state, text := verdictOf(t, body, "data-verdict", "14.2")
			want := map[string]string{delta: "not_met", mountain: "met"}[c.unit]
			if state != want || !strings.Contains(text, "80 %") {
				t.Errorf("%s: 14.2 at 80 %%: %s %q, want %s", c.unit, state, text, want)
			}
		}
	})
}

func TestFormPage_ShowsVerdictsAndUnverifiedThresholds(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newFormWorld(t, db)
		for _, lang := range []string{"vi", "en"} {
			status, h, body := fetch(t, w.srv, fmt.Sprintf("/assessments/%d", w.id), lang, w.xa)
			if status != 200 || h.Get("Content-Security-Policy") == "" {
				t.Fatalf("form (%s): %d", lang, status)
			}
			if m := leftover.FindString(scripts.ReplaceAllString(body, "")); m != "" {
				t.Errorf("form (%s): untranslated %q", lang, m)
			}
			if !strings.Contains(body, "/static/dist/form-") {
				t.Errorf("form (%s) does not load form.js", lang)
			}
			row := words(indicatorBlock(t, body, "2.1"))
			unverified := map[string]string{"vi": "chưa đối chiếu văn bản", "en": "not yet checked against the decision's text"}[lang]
			if !strings.Contains(row, "≥ 100 %") || !strings.Contains(row, unverified) {
				t.Errorf("form (%s): 2.1 row %q lacks its threshold or the unverified mark", lang, row)
			}
			state, text := verdictOf(t, body, "data-verdict", "2.1")
			if state != "not_met" || !strings.Contains(text, "✗") || !strings.Contains(text, map[string]string{"vi": "Chưa đạt", "en": "Not met"}[lang]) ||
				!strings.Contains(text, "2.1: 90 % < 100 %") {
				t.Errorf("form (%s): 2.1 verdict %s %q", lang, state, text)
			}
			if state, text := verdictOf(t, body, "data-verdict", "8.1"); state != "met" || !strings.Contains(text, "✓") {
				t.Errorf("form (%s): 8.1 verdict %s %q", lang, state, text)
			}
			// An indicator the set gives no threshold for says so, and why.
			if row := words(indicatorBlock(t, body, "2.2")); !strings.Contains(row, map[string]string{"vi": "Chưa có ngưỡng", "en": "No threshold"}[lang]) {
				t.Errorf("form (%s): 2.2 row %q", lang, row)
			}
		}
		// A stored value the select does not list is offered as it is, selected, so that
		// saving the form cannot drop it.
		a, _ := db.Assessment(context.Background(), w.id)
		na := "n/a"
		if _, err := writer(t, db).SetValues(context.Background(), app.System("xa"), w.id, a.Version, []store.ValueChange{{Code: "TC5", Value: &na}}); err != nil {
			t.Fatal(err)
		}
		_, _, body := fetch(t, w.srv, fmt.Sprintf("/assessments/%d", w.id), "", w.xa)
		if sel := regexp.MustCompile(`(?s)<select [^>]*name="v:TC5".*?</select>`).FindString(body); !strings.Contains(sel, `<option value="n/a" selected>`) {
			t.Errorf("TC5 stored as n/a: %s", sel)
		}
		// Every criterion can be given its result directly, labelled.
		for n := 1; n <= 19; n++ {
			if !strings.Contains(body, fmt.Sprintf(`name="v:TC%d"`, n)) {
				t.Errorf("no direct result field for criterion %d", n)
			}
		}
		if state, _ := verdictOf(t, body, "data-cverdict", "2"); state != "not_met" {
			t.Errorf("criterion 2: %s", state)
		}
		// Every field has its label.
		ids := regexp.MustCompile(`<(?:input|select|textarea) id="([^"]+)"`).FindAllStringSubmatch(body, -1)
		for _, id := range ids {
			if id[1] != "as_of" && !strings.Contains(body, `<label for="`+id[1]+`"`) {
				t.Errorf("field %s has no label", id[1])
			}
		}
		if len(ids) < 100 {
			t.Errorf("only %d fields", len(ids))
		}
		// The commune may save and submit, not verify.
		for _, want := range []string{`value="save"`, `value="submit"`} {
			if !strings.Contains(body, want) {
				t.Errorf("commune's form lacks the button %s", want)
			}
		}
		if strings.Contains(body, `value="verify"`) || strings.Contains(body, `value="approve"`) {
			t.Error("the commune is offered to verify its own assessment")
		}
	})
}

func TestFormPage_SaveWithoutScript(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newFormWorld(t, db)
		path := fmt.Sprintf("/assessments/%d", w.id)
		before, _ := db.Assessment(context.Background(), w.id)
		// The whole form comes back, as a browser sends it: unchanged fields too.
		form := url.Values{"version": {strconv.Itoa(before.Version)}, "action": {"save"},
			"v:2.1": {"100"}, "n:2.1": {"biên bản kiểm tra 12/5"}, "v:8.1": {"true"}, "v:8.2": {""}, "v:TC7": {"true"}, "v:TC8": {""}}
		status, h, _ := postPage(t, w.srv, path, w.xa, form)
		if status != 303 || h.Get("Location") != path+"?done=save" {
			t.Fatalf("save: %d → %s", status, h.Get("Location"))
		}
		a, _ := db.Assessment(context.Background(), w.id)
		if a.Version != before.Version+1 || a.Values["2.1"].Value != "100" || a.Values["2.1"].Note != "biên bản kiểm tra 12/5" ||
			a.Values["TC7"].Value != "true" || a.Values["8.1"].EnteredAt != before.Values["8.1"].EnteredAt {
			t.Errorf("after saving: version %d, values %+v", a.Version, a.Values)
		}
		_, _, body := fetch(t, w.srv, path+"?done=save", "", w.xa)
		if !strings.Contains(body, "Đã lưu nháp.") {
			t.Error("no word that the draft was saved")
		}
		if state, _ := verdictOf(t, body, "data-verdict", "2.1"); state != "met" {
			t.Errorf("2.1 at 100: %s", state)
		}
		if !strings.Contains(body, "nhập bởi xa lúc") {
			t.Error("the form does not say who entered a value")
		}
		// Nothing changed: nothing written.
		status, h, _ = postPage(t, w.srv, path, w.xa, url.Values{"version": {strconv.Itoa(a.Version)}, "action": {"save"}, "v:2.1": {"100"}, "n:2.1": {"biên bản kiểm tra 12/5"}})
		if again, _ := db.Assessment(context.Background(), w.id); status != 303 || h.Get("Location") != path+"?done=nothing" || again.Version != a.Version {
			t.Errorf("unchanged save: %d → %s, version %d", status, h.Get("Location"), again.Version)
		}
		// A value that does not read names its field and keeps what was typed.
		status, _, body = postPage(t, w.srv, path, w.xa, url.Values{"version": {strconv.Itoa(a.Version)}, "action": {"save"}, "v:2.1": {"chín mươi"}})
		if status != 422 || !strings.Contains(body, `value="chín mươi"`) || !strings.Contains(body, `aria-invalid="true"`) ||
			!strings.Contains(body, "Giá trị của 2.1 không đọc được") {
			t.Errorf("bad value: %d", status)
		}
		// Another site cannot post the form.
		req, _ := http.NewRequest("POST", w.srv.URL+path, strings.NewReader("action=save&version=1&v:2.1=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.AddCookie(w.xa)
		if resp, err := noRedirect.Do(req); err != nil || resp.StatusCode != 403 {
			t.Errorf("cross-site post: %v %v", resp.StatusCode, err)
		}
	})
}

func TestFormPage_ConflictShowsBothValues(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newFormWorld(t, db)
		path := fmt.Sprintf("/assessments/%d", w.id)
		a, _ := db.Assessment(context.Background(), w.id)
		v := strconv.Itoa(a.Version)
		// Both officers opened the form at the same version; the commune saves first.
		if status, _, _ := postPage(t, w.srv, path, w.xa, url.Values{"version": {v}, "action": {"save"}, "v:2.1": {"100"}}); status != 303 {
			t.Fatalf("first save: %d", status)
		}
		status, _, body := postPage(t, w.srv, path, w.tinh, url.Values{"version": {v}, "action": {"save"}, "v:2.1": {"95"}})
		if status != 409 {
			t.Fatalf("second save on the old version: %d, want 409", status)
		}
		m := regexp.MustCompile(`(?s)<section class="conflict".*?</section>`).FindString(body)
		text := words(m)
		for _, want := range []string{"Phiếu đã bị người khác sửa", "xa", "95", "100", "Tải lại số liệu hiện tại"} {
			if !strings.Contains(text, want) {
				t.Errorf("conflict notice %q lacks %q", text, want)
			}
		}
		if !strings.Contains(body, `value="95"`) {
			t.Error("the value typed is lost")
		}
		if cur, _ := db.Assessment(context.Background(), w.id); cur.Values["2.1"].Value != "100" {
			t.Errorf("the stale write went through: %s", cur.Values["2.1"].Value)
		}
		// Pressing save again writes over, knowingly: the form now carries the current version.
		cur := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)
		if cur == nil || cur[1] != strconv.Itoa(a.Version+1) {
			t.Fatalf("version in the form after the conflict: %v", cur)
		}
		if status, _, _ := postPage(t, w.srv, path, w.tinh, url.Values{"version": {cur[1]}, "action": {"save"}, "v:2.1": {"95"}}); status != 303 {
			t.Errorf("knowing overwrite: %d", status)
		}
		if after, _ := db.Assessment(context.Background(), w.id); after.Values["2.1"].Value != "95" || after.Values["2.1"].EnteredBy != "tinh" {
			t.Errorf("after the overwrite: %+v", after.Values["2.1"])
		}
	})
}

func TestFormPage_Workflow(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newFormWorld(t, db)
		path := fmt.Sprintf("/assessments/%d", w.id)
		version := func() string {
			a, _ := db.Assessment(context.Background(), w.id)
			return strconv.Itoa(a.Version)
		}
		step := func(who *http.Cookie, action, comment string, wantStatus int) string {
			t.Helper()
			status, h, body := postPage(t, w.srv, path, who, url.Values{"version": {version()}, "action": {action}, "comment": {comment}})
			if status != wantStatus {
				t.Fatalf("%s: %d, want %d\n%s", action, status, wantStatus, brief(body))
			}
			if status == 303 && h.Get("Location") != path+"?done="+action {
				t.Errorf("%s leads to %s", action, h.Get("Location"))
			}
			return body
		}
		buttons := func(who *http.Cookie) string {
			_, _, body := fetch(t, w.srv, path, "", who)
			var got []string
			for _, m := range regexp.MustCompile(`name="action" value="([a-z]+)"`).FindAllStringSubmatch(body, -1) {
				got = append(got, m[1])
			}
			return strings.Join(got, " ")
		}
		step(w.xa, "submit", "", 303)
		if got := buttons(w.xa); got != "" {
			t.Errorf("commune's buttons once submitted: %q", got)
		}
		if got := buttons(w.tinh); got != "verify return" {
			t.Errorf("province's buttons on a submitted assessment: %q", got)
		}
		// The commune cannot verify, even by posting the form.
		if status, _, _ := postPage(t, w.srv, path, w.xa, url.Values{"version": {version()}, "action": {"verify"}}); status != 403 {
			t.Errorf("commune verifies: %d", status)
		}
		// Returning needs a reason.
		if body := step(w.tinh, "return", "", 422); !strings.Contains(body, "cần ghi lý do") {
			t.Error("a return without a comment does not say a comment is needed")
		}
		step(w.tinh, "return", "Thiếu biên bản chỉ tiêu 2.1", 303)
		_, _, body := fetch(t, w.srv, path, "", w.xa)
		if !strings.Contains(body, "Thiếu biên bản chỉ tiêu 2.1") || !strings.Contains(body, `value="save"`) {
			t.Error("the returned form does not show the comment, or cannot be edited")
		}
		step(w.xa, "submit", "", 303)
		step(w.tinh, "verify", "", 303)
		// Whoever verified is not offered to approve, and is told why; posting it anyway is
		// refused naming the rule.
		_, _, body = fetch(t, w.srv, path, "", w.tinh)
		if got := buttons(w.tinh); got != "return" || !strings.Contains(body, `id="duty-note"`) || !strings.Contains(body, "tham-tra-khac-phe-duyet") {
			t.Errorf("the verifier's buttons on a verified assessment: %q", got)
		}
		if status, _, body := postPage(t, w.srv, path, w.tinh, url.Values{"version": {version()}, "action": {"approve"}, "confirm": {"1"}}); status != 403 || !strings.Contains(body, "tham-tra-khac-phe-duyet") {
			t.Errorf("the verifier approves: %d", status)
		}
		if got := buttons(w.tinh2); got != "approve return" {
			t.Errorf("second officer's buttons on a verified assessment: %q", got)
		}
		// Approving asks to confirm first; nothing moves until then.
		if body := step(w.tinh2, "approve", "", 200); !strings.Contains(body, `id="confirm-approve"`) || !strings.Contains(body, "Phiếu đã phê duyệt sẽ bị khóa") {
			t.Errorf("approve without confirmation: %s", brief(body))
		}
		if a, _ := db.Assessment(context.Background(), w.id); a.Status != assessment.Verified {
			t.Fatalf("the first press moved the assessment to %s", a.Status)
		}
		if status, h, _ := postPage(t, w.srv, path, w.tinh2, url.Values{"version": {version()}, "action": {"approve"}, "confirm": {"1"}}); status != 303 || h.Get("Location") != path+"?done=approve" {
			t.Fatalf("confirmed approval: %d %s", status, h.Get("Location"))
		}
		_, _, body = fetch(t, w.srv, path+"?done=approve", "", w.tinh)
		field := regexp.MustCompile(`<input [^>]*name="v:2.1"[^>]*>`).FindString(body)
		if !strings.Contains(body, "Đã phê duyệt phiếu") || !strings.Contains(body, `value="unlock"`) || !strings.Contains(field, " disabled") {
			t.Errorf("approved: no word, no unlock, or an editable field %s", field)
		}
		_, _, body = fetch(t, w.srv, path, "", w.xa)
		if !strings.Contains(body, "Phiếu đã phê duyệt và khóa") {
			t.Error("the commune is not told the assessment is locked")
		}
		// The history lists each step with who took it.
		hist := words(regexp.MustCompile(`(?s)<section aria-labelledby="h-history">.*?</section>`).FindString(body))
		for _, want := range []string{"gửi cấp trên", "trả lại", "Thiếu biên bản chỉ tiêu 2.1", "thẩm tra", "phê duyệt", "tinh"} {
			if !strings.Contains(hist, want) {
				t.Errorf("history %q lacks %q", hist, want)
			}
		}
	})
}

func TestNewAssessmentPage(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		today := units.Today()
		communes := ruralCommunes(t, db, "01", today)
		xa := session(t, srv, db, "xa", auth.RoleCommune, communes[0].Code)
		path := "/assessments/new?unit=" + communes[0].Code
		status, _, body := fetch(t, srv, path, "", xa)
		if status != 200 || !strings.Contains(body, `name="period"`) || !strings.Contains(body, `<option value="xa-ntm-2026" selected>`) {
			t.Fatalf("new assessment page: %d", status)
		}
		// Issue 15.7: the period is picked among the offices' names, posting its code; the
		// sets go by their titles, without internal ids, the sets in force first.
		y := string(today)[:4]
		for _, want := range []string{`<select id="period" name="period"`, `<optgroup label="Năm ` + y + `">`, `<option value="` + y + `" selected>năm ` + y + `</option>`,
			`<option value="` + y + `-Q2">Quý II/` + y + `</option>`, `<option value="` + y + `-H1">6 tháng đầu năm ` + y + `</option>`,
			`<option value="` + y + `-04">tháng 4/` + y + `</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("new assessment page: no %q", want)
			}
		}
		if old := strings.Index(body, "không còn hiệu lực"); strings.Contains(body, "(xa-ntm-2026)") || old >= 0 && old < strings.Index(body, `value="xa-ntm-2026"`) {
			t.Error("the sets show their ids, or a set no longer in force comes first")
		}
		if _, _, en := fetch(t, srv, path+"&period="+y+"-H1", "en", xa); !strings.Contains(en, `<option value="`+y+`-H1" selected>first half of `+y+`</option>`) {
			t.Error("the English picker does not name the half chosen")
		}
		form := url.Values{"unit": {communes[0].Code}, "set": {"xa-ntm-2026"}, "period": {"2026-Q2"}}
		status, h, _ := postPage(t, srv, "/assessments/new", xa, form)
		loc := h.Get("Location")
		if status != 303 || !strings.HasPrefix(loc, "/assessments/") || !strings.HasSuffix(loc, "?done=created") {
			t.Fatalf("create: %d → %s", status, loc)
		}
		_, _, body = fetch(t, srv, loc, "", xa)
		if !strings.Contains(body, "Đã tạo phiếu đánh giá") || !strings.Contains(body, "Kết quả tiêu chí 10 (nhập trực tiếp)") {
			t.Error("the new form does not show")
		}
		// The same again opens the one there is.
		status, h, _ = postPage(t, srv, "/assessments/new", xa, form)
		if status != 303 || h.Get("Location") != strings.Replace(loc, "created", "exists", 1) {
			t.Errorf("again: %d → %s", status, h.Get("Location"))
		}
		// A bad period is said in the form.
		form.Set("period", "quý 2")
		if status, _, body := postPage(t, srv, "/assessments/new", xa, form); status != 400 || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, "không đọc được") {
			t.Errorf("bad period: %d", status)
		}
		// Another commune is not theirs; a ward is not assessed.
		if status, _, _ := fetch(t, srv, "/assessments/new?unit="+communes[1].Code, "", xa); status != 403 {
			t.Errorf("another commune: %d", status)
		}
		tinh := session(t, srv, db, "tinh", auth.RoleProvince, "01")
		if _, _, body := fetch(t, srv, "/assessments/new?unit=00004", "", tinh); !strings.Contains(body, "Không có bộ tiêu chí nào đánh giá đơn vị này") {
			t.Error("a ward is offered an assessment")
		}
	})
}

func TestFormPage_NotFoundAndRefused(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newFormWorld(t, db)
		other := ruralCommunes(t, db, "01", "2025-12-31")[1].Code
		stranger := session(t, w.srv, db, "xa2", auth.RoleCommune, other)
		for _, c := range []struct {
			path   string
			who    *http.Cookie
			status int
			text   string
		}{
			{fmt.Sprintf("/assessments/%d", w.id), stranger, 403, "Bạn không có quyền xem phiếu đánh giá này"},
			{"/assessments/999999", w.xa, 404, "Không có phiếu đánh giá số 999999"},
			{"/assessments/abc", w.xa, 404, "Không có phiếu đánh giá số abc"},
		} {
			status, _, body := fetch(t, w.srv, c.path, "", c.who)
			if status != c.status || !strings.Contains(body, c.text) || strings.Contains(body, `data-verdict="2.1"`) {
				t.Errorf("%s: %d", c.path, status)
			}
		}
		if status, h, _ := fetch(t, w.srv, fmt.Sprintf("/assessments/%d", w.id), ""); status != 303 || !strings.HasPrefix(h.Get("Location"), "/sign-in") {
			t.Errorf("anonymous: %d", status)
		}
	})
}

// TestPageAccess: the pages of the form answer each role and unit as the API does: the
// form to those who may read the unit, the new-assessment page and saving to those who may
// enter its data; everyone else gets 403, and no figure.
func TestPageAccess(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		rows := []struct {
			name, method, path string
			form               url.Values
			action             auth.Action
		}{
			{"form", "GET", "/assessments/{id}", nil, auth.Read},
			{"save the form", "POST", "/assessments/{id}", url.Values{"action": {"save"}, "version": {"{version}"}, "v:TC1": {"1"}}, auth.Enter},
			{"new assessment", "GET", "/assessments/new?unit={unit}&as_of={as_of}", nil, auth.Enter},
		}
		for _, row := range rows {
			for _, s := range m.subjects {
				if s.asOf != units.Today() {
					continue // the pages of new assessments work on today's units
				}
				for _, rel := range []struct{ name, unit string }{{"own", s.own}, {"child", s.child}, {"sibling", s.sibling}, {"parent", s.parent}} {
					if rel.unit == "" {
						continue
					}
					reach := specReach(s.role, row.action)
					allowed := reach == "all" || reach == "subtree" && (rel.name == "own" || rel.name == "child")
					m.vars = map[string]string{}
					withAssessment(assessment.Draft)(t, m, rel.unit, s.asOf)
					fill := strings.NewReplacer("{unit}", rel.unit, "{as_of}", string(s.asOf), "{id}", m.vars["{id}"], "{version}", m.vars["{version}"]).Replace
					var body string
					if row.form != nil {
						f := url.Values{}
						for k, v := range row.form {
							f.Set(k, fill(v[0]))
						}
						body = f.Encode()
					}
					req, _ := http.NewRequest(row.method, m.srv.URL+fill(row.path), strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+s.token)
					if body != "" {
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					}
					resp, err := noRedirect.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					what := fmt.Sprintf("%s: %s on %s %s", row.name, s.name, rel.name, rel.unit)
					ok := resp.StatusCode == 200 || resp.StatusCode == 303
					switch {
					case allowed && !ok:
						t.Errorf("%s: %d, want 200 or 303: %s", what, resp.StatusCode, brief(string(b)))
					case !allowed && resp.StatusCode != 403:
						t.Errorf("%s: %d, want 403", what, resp.StatusCode)
					case !allowed && strings.Contains(string(b), "data-verdict"):
						t.Errorf("%s: a refusal shows verdicts", what)
					}
				}
			}
		}
	})
}

// writer is the use cases over db: assessments written through it are evaluated.
func writer(t testing.TB, db *store.DB) *app.Catalog {
	t.Helper()
	c, err := app.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
