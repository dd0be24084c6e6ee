package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// progressWorld is Hà Nội at the end of 2025 with eight of its xã assessed on the 2021-2025
// set by their criteria results (TC1…TC19), three of them also for the third quarter (one
// gained, one fell back; the quarter before the reform was another unit's), one recognised,
// and a plan target for the province.
type progressWorld struct {
	srv      *httptest.Server
	db       *store.DB
	communes []units.Unit
	met      []int // criteria met in 2025, per commune of the list
	ids      []int64
}

const progressDay = "2025-12-31"

func newProgressWorld(t *testing.T, db *store.DB) *progressWorld {
	t.Helper()
	w := &progressWorld{srv: newServer(t, db), db: db, met: []int{19, 17, 15, 12, 10, 6, 3, 0}}
	w.communes = ruralCommunes(t, db, "01", progressDay)
	results := func(k int, extra map[string]string) map[string]string {
		vals := map[string]string{}
		for n := 1; n <= 19; n++ {
			vals[fmt.Sprintf("TC%d", n)] = strconv.FormatBool(n <= k)
		}
		for c, v := range extra {
			vals[c] = v
		}
		return vals
	}
	for i, k := range w.met {
		extra := map[string]string{}
		if i < 4 {
			extra["8.1"] = "true"
		}
		if i < 3 {
			approve(t, db, seedAssessment(t, db, "tinh", w.communes[i].Code, "xa-ntm-2021", "2025-Q3", results([]int{18, 19, 10}[i], nil)))
		}
		w.ids = append(w.ids, seedAssessment(t, db, "tinh", w.communes[i].Code, "xa-ntm-2021", "2025", results(k, extra)))
		approve(t, db, w.ids[i])
	}
	ctx := context.Background()
	if _, err := db.ImportRecognitions(ctx, "tinh", []store.RegistryImport{{Row: 2, UnitCode: w.communes[0].Code, Tier: "ntm", SetID: "xa-ntm-2021",
		Decision: recognition.Decision{Number: "123/QĐ-UBND", Date: "2025-10-01", Signer: "Chủ tịch UBND thành phố"}}}, nil, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutTarget(ctx, "tinh", store.Target{UnitCode: "01", Year: 2025, Metric: "units_met", SetID: "xa-ntm-2021", Value: 5}); err != nil {
		t.Fatal(err)
	}
	return w
}

// figure reads a headline figure's plain value (data-value) from a page.
func figure(t *testing.T, body, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(`data-figure="` + name + `" data-value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no figure %s on the page", name)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("figure %s: %v", name, err)
	}
	return v
}

// apiProgress reads GET /api/v1/progress as the admin of the test server.
func apiProgress(t *testing.T, srv *httptest.Server, query string) map[string]any {
	t.Helper()
	var p map[string]any
	if status := get(t, srv, "/api/v1/progress?"+query, &p); status != 200 {
		t.Fatalf("progress?%s: %d %v", query, status, p)
	}
	return p
}

func TestDashboard_FiguresEqualTheAPI(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newProgressWorld(t, db)
		vp := session(t, w.srv, db, "vp", auth.RoleCentral, "")
		for _, c := range []struct{ page, api string }{
			{"/dashboard?unit=01&as_of=" + progressDay, "unit=01&as_of=" + progressDay},
			{"/dashboard?as_of=" + progressDay, "as_of=" + progressDay},
			{"/dashboard?unit=01&as_of=2025-06-30", "unit=01&as_of=2025-06-30"},
		} {
			status, _, body := fetch(t, w.srv, c.page, "", vp)
			if status != 200 {
				t.Fatalf("%s: %d", c.page, status)
			}
			api := apiProgress(t, w.srv, c.api)
			for _, name := range []string{"units_total", "units_met", "units_recognized", "criteria_met_avg", "indicators_met_avg", "indicators_met_pct"} {
				want, _ := api[name].(float64)
				if got := figure(t, body, name); math.Abs(got-want) > 1e-9 {
					t.Errorf("%s: %s on the page %v, in the API %v", c.page, name, got, want)
				}
			}
			// Written the Vietnamese way.
			avg := api["criteria_met_avg"].(float64)
			if want := fmt.Sprintf(`data-value="%s">%s</dd>`, strconv.FormatFloat(avg, 'f', -1, 64), numfmt.Decimal(avg, 2, "vi")); !strings.Contains(body, want) {
				t.Errorf("%s: the average is not written %s", c.page, want)
			}
		}
		// Hand-made: 75 xã in Hà Nội, 8 assessed, 1 meeting all 19, 1 recognised, (19+17+15+12+10+6+3+0)/8 = 10,25.
		_, _, body := fetch(t, w.srv, "/dashboard?unit=01&as_of="+progressDay, "", vp)
		if got := figure(t, body, "units_total"); int(got) != len(w.communes) {
			t.Errorf("units: %v, want %d", got, len(w.communes))
		}
		if figure(t, body, "criteria_met_avg") != 10.25 || figure(t, body, "units_met") != 1 || figure(t, body, "units_recognized") != 1 {
			t.Errorf("hand-made figures: avg %v, met %v, recognised %v", figure(t, body, "criteria_met_avg"), figure(t, body, "units_met"), figure(t, body, "units_recognized"))
		}
		text := words(scripts.ReplaceAllString(body, ""))
		for _, want := range []string{
			"10,25",
			"đã đánh giá: 8",
			"1 đơn vị giảm tiêu chí so với kỳ trước", // the second commune lost 18 and 19
			"Tiêu chí yếu nhất",
			"TC 19. Quốc phòng và An ninh: 1/8 đơn vị đạt (12,5%)",
			"Chỉ tiêu kế hoạch năm 2025 và kết quả",
			"Số xã đạt chuẩn 5 1 5 ✗ Chậm tiến độ", // target 5, actual 1, expected by the end of the year 5
			"Không còn đánh giá nào đang chờ phê duyệt",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the province's dashboard lacks %q", want)
				if i := strings.Index(text, "Tiêu chí yếu nhất"); i >= 0 && strings.HasPrefix(want, "TC") {
					t.Logf("%.600s", text[i:])
				}
			}
		}
		// The change since the previous assessment is the API's.
		api := apiProgress(t, w.srv, "unit=01&as_of="+progressDay)
		d := api["delta"].(map[string]any)["criteria_met_avg"].(float64)
		sign := "+"
		if d < 0 {
			sign = "−"
		}
		if want := "so với kỳ trước: " + sign + numfmt.Decimal(math.Abs(d), 2, "vi"); d != 0 && !strings.Contains(text, want) {
			t.Errorf("delta: no %q", want)
		}
		// The map colours the assessed communes by criteria met, and only them.
		var spec struct {
			Units []struct{ Code, Class, Value string }
		}
		m := regexp.MustCompile(`(?s)<script type="application/json" id="map-spec">(.*?)</script>`).FindStringSubmatch(body)
		if m == nil || json.Unmarshal([]byte(m[1]), &spec) != nil {
			t.Fatal("no map spec")
		}
		classes := map[string]string{}
		for _, u := range spec.Units {
			classes[u.Code] = u.Class
		}
		wantClass := []string{"q5", "q4", "q4", "q3", "q3", "q2", "q1", "q1"}
		for i, cls := range wantClass {
			if got := classes[w.communes[i].Code]; got != cls {
				t.Errorf("commune %d (%d criteria) coloured %q, want %q", i, w.met[i], got, cls)
			}
		}
		if got := classes[w.communes[len(w.met)].Code]; got != "" {
			t.Errorf("a commune with no assessment is coloured %q", got)
		}
		// By tier: the recognised-level set is the basic one here: the commune meeting it is ntm.
		_, _, body = fetch(t, w.srv, "/dashboard?unit=01&metric=tier&as_of="+progressDay, "en", vp)
		if !strings.Contains(body, `"code":"`+w.communes[0].Code+`","name":`) || !strings.Contains(body, `"class":"t-ntm"`) {
			t.Error("tier map: the commune meeting the set is not coloured ntm")
		}
		if !strings.Contains(body, "10.25") {
			t.Error("the English dashboard does not write 10.25")
		}
		// The country's provinces carry their communes' average.
		_, _, body = fetch(t, w.srv, "/dashboard?as_of="+progressDay, "", vp)
		if !strings.Contains(body, `"code":"01","name":"Thành phố Hà Nội","href":"/dashboard?as_of=2025-12-31\u0026unit=01","class":"q3","value":"10,25/19 tiêu chí"`) {
			t.Errorf("country map: Hà Nội is not coloured by its average: %s", regexp.MustCompile(`\{"code":"01"[^}]*\}`).FindString(body))
		}
	})
}

func TestDashboard_Refusals(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		xa := session(t, srv, db, "xa", auth.RoleCommune, ruralCommunes(t, db, "01", units.Today())[0].Code)
		tinh := session(t, srv, db, "tinh", auth.RoleProvince, "01")
		for _, c := range []struct {
			who    *http.Cookie
			path   string
			status int
			text   string
		}{
			{tinh, "/dashboard?unit=79", 403, "Bạn không có quyền xem số liệu của Thành phố Hồ Chí Minh"},
			{xa, "/dashboard?unit=01", 403, "Bạn không có quyền xem số liệu của Thành phố Hà Nội"},
			{tinh, "/dashboard?unit=01&set=khong-co", 400, "Không có bộ tiêu chí “khong-co”"},
			{tinh, "/dashboard?unit=01&as_of=2016-01-01", 200, "Không có bộ tiêu chí xã nông thôn mới nào có hiệu lực ngày 01/01/2016"},
		} {
			status, _, body := fetch(t, srv, c.path, "", c.who)
			if status != c.status || !strings.Contains(body, c.text) || c.status == 403 && strings.Contains(body, "data-figure") {
				t.Errorf("%s: %d, want %d with %q", c.path, status, c.status, c.text)
			}
		}
	})
}

func TestUnitPage_Figures(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newProgressWorld(t, db)
		tinh := session(t, w.srv, db, "tinh2", auth.RoleProvince, "01")
		on := "?as_of=" + progressDay
		// The commune that fell back: its standing, grid and history.
		_, _, body := fetch(t, w.srv, "/units/"+w.communes[1].Code+on, "", tinh)
		text := words(scripts.ReplaceAllString(body, ""))
		for _, want := range []string{
			"Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025: đạt 17/19 tiêu chí — chưa đạt chuẩn (kỳ năm 2025, Đã phê duyệt)",
			"Xã nông thôn mới kiểu mẫu giai đoạn 2021-2025: chưa có đánh giá đến ngày này",
			"Mức đạt chuẩn: Chưa đạt chuẩn · Chưa có quyết định công nhận",
			"Quý III/2025: 19", "năm 2025: 17", // the history chart's points
		} {
			if !strings.Contains(text, want) {
				t.Errorf("commune page lacks %q", want)
			}
		}
		var periods []string
		for _, m := range regexp.MustCompile(`<th scope="col"><a href="/assessments/\d+">([^<]+)</a>`).FindAllStringSubmatch(body, -1) {
			periods = append(periods, m[1])
		}
		if strings.Join(periods, " ") != "Quý III/2025 năm 2025" {
			t.Errorf("the grid's periods: %v, want the quarter then the year", periods)
		}
		cells := regexp.MustCompile(`(?s)<th scope="row">18\. [^<]*</th>(.*?)</tr>`).FindStringSubmatch(body)
		if cells == nil {
			t.Fatal("no grid row for criterion 18")
		}
		states := regexp.MustCompile(`class="cell ([a-z_]+)" tabindex="0" title="([^"]*)"`).FindAllStringSubmatch(cells[1], -1)
		if len(states) != 2 || states[0][1] != "met" || states[1][1] != "not_met" || !strings.Contains(states[1][2], "Tiêu chí 18: chưa đạt") {
			t.Errorf("criterion 18 across the periods: %v", states)
		}
		if !strings.Contains(body, fmt.Sprintf(`href="/assessments/%d"`, w.ids[1])) {
			t.Error("the commune page does not link its assessment")
		}
		// The recognised commune.
		_, _, body = fetch(t, w.srv, "/units/"+w.communes[0].Code+on, "", tinh)
		if text := words(body); !strings.Contains(text, "Mức đạt chuẩn: Nông thôn mới · Đã công nhận Nông thôn mới: quyết định số 123/QĐ-UBND ngày 01/10/2025") {
			t.Errorf("recognised commune: %s", regexp.MustCompile(`Mức đạt chuẩn:[^<]*`).FindString(text))
		}
		// The province: its communes ranked by criteria met, wards at the end.
		_, _, body = fetch(t, w.srv, "/units/01"+on, "", tinh)
		ranked := regexp.MustCompile(`(?s)<table class="list ranked">.*?</table>`).FindString(body)
		rows := regexp.MustCompile(`(?s)<tr><td class="num">([^<]*)</td><td><a href="/units/(\d+)[^"]*">`).FindAllStringSubmatch(ranked, -1)
		if len(rows) < len(w.met) {
			t.Fatalf("ranking: %d rows", len(rows))
		}
		for i := range w.met {
			if rows[i][1] != strconv.Itoa(i+1) || rows[i][2] != w.communes[i].Code {
				t.Errorf("rank %d: %s %s, want %s", i+1, rows[i][1], rows[i][2], w.communes[i].Code)
			}
		}
		text = words(ranked)
		if !strings.Contains(text, "chưa đánh giá") || !strings.Contains(text, "không đánh giá") {
			t.Error("the ranking does not mark unassessed communes and wards")
		}
		if want := fmt.Sprintf("%d xã được đánh giá theo bộ tiêu chí; 8 đã có kết quả, 1 đạt chuẩn; bình quân 10,25/19 tiêu chí/xã.", len(w.communes)); !strings.Contains(words(body), want) {
			t.Errorf("province summary lacks %q", want)
		}
		if strings.Contains(body, `id="h-standing"`) {
			t.Error("a province, which no set assesses, shows a standing")
		}
		// Another commune's officer sees the unit, not its figures.
		other := session(t, w.srv, db, "xa9", auth.RoleCommune, w.communes[9].Code)
		_, _, body = fetch(t, w.srv, "/units/"+w.communes[0].Code+on, "", other)
		if !strings.Contains(body, "Bạn không có quyền xem số liệu của đơn vị này") || strings.Contains(body, "19/19") || strings.Contains(body, "/assessments/") {
			t.Error("another commune's officer sees the figures")
		}
		// Their own commune: no assessment yet, and the way to start one.
		_, _, body = fetch(t, w.srv, "/units/"+w.communes[9].Code, "", other)
		if !strings.Contains(body, "Đơn vị chưa có phiếu đánh giá nào.") || !strings.Contains(body, `href="/assessments/new?unit=`+w.communes[9].Code+`"`) {
			t.Error("own commune without assessments: no word or no way to start one")
		}
		// In English.
		_, _, body = fetch(t, w.srv, "/units/"+w.communes[1].Code+on, "en", tinh)
		if !strings.Contains(words(body), "17 of 19 criteria met — does not meet the set") {
			t.Error("English standing")
		}
	})
}
