package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// approve walks an assessment through submit, verify and approve: the official figures
// count approved assessments only.
func approve(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	ctx := context.Background()
	a, err := db.Assessment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// Three people, as separation of duties requires: who enters, who checks, who approves.
	actors := map[assessment.Action]string{assessment.Submit: "seed", assessment.Verify: "kiem-tra", assessment.Approve: "phe-duyet"}
	for _, act := range []assessment.Action{assessment.Submit, assessment.Verify, assessment.Approve} {
		if a, err = db.ChangeStatus(ctx, actors[act], a.ID, a.Version, act, ""); err != nil {
			t.Fatalf("%s %d: %v", act, id, err)
		}
	}
}

// TestFigures_ApprovedByDefault (issue 13, point 1): the official figures count approved
// assessments; a newer draft is on its way — counted by the dashboard beside the figure,
// listed behind its link, named on the commune's page — and include_unapproved=1 counts it.
func TestFigures_ApprovedByDefault(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newProgressWorld(t, db)
		// A commune not assessed yet has a draft for the year meeting 5 criteria: it is on
		// its way, not in the official figures.
		values := map[string]string{}
		for n := 1; n <= 19; n++ {
			values[fmt.Sprintf("TC%d", n)] = strconv.FormatBool(n <= 5)
		}
		draft := seedAssessment(t, db, "tinh", w.communes[8].Code, "xa-ntm-2021", "2025", values)
		var p struct {
			Basis          string  `json:"basis"`
			UnitsMet       int     `json:"units_met"`
			CriteriaMetAvg float64 `json:"criteria_met_avg"`
			Pending        struct {
				Draft int `json:"draft"`
			} `json:"pending"`
		}
		if status := get(t, w.srv, "/api/v1/progress?unit=01&set=xa-ntm-2021&as_of="+progressDay, &p); status != 200 ||
			p.Basis != "approved" || p.UnitsMet != 1 || p.CriteriaMetAvg != 10.25 || p.Pending.Draft != 1 {
			t.Errorf("official progress: %d %+v", status, p)
		}
		p.Pending.Draft = 0
		if status := get(t, w.srv, "/api/v1/progress?include_unapproved=1&unit=01&set=xa-ntm-2021&as_of="+progressDay, &p); status != 200 ||
			p.Basis != "all" || p.CriteriaMetAvg != (82.0+5)/9 || p.Pending.Draft != 0 {
			t.Errorf("progress with unapproved: %d %+v", status, p)
		}
		var e struct {
			Error struct{ Field string } `json:"error"`
		}
		if status := get(t, w.srv, "/api/v1/progress?include_unapproved=yes&unit=01", &e); status != 400 || e.Error.Field != "include_unapproved" {
			t.Errorf("include_unapproved=yes: %d %+v", status, e)
		}
		var b struct {
			Basis string `json:"basis"`
		}
		if status := get(t, w.srv, "/api/v1/reports/bulletin?format=json&unit=01&period=2025&include_unapproved=1", &b); status != 200 || b.Basis != "all" {
			t.Errorf("bulletin with unapproved: %d %+v", status, b)
		}

		vp := session(t, w.srv, db, "vp", auth.RoleCentral, "")
		_, _, body := fetch(t, w.srv, "/dashboard?unit=01&set=xa-ntm-2021&as_of="+progressDay, "", vp)
		text := words(body)
		if figure(t, body, "units_met") != 1 || figure(t, body, "pending") != 1 ||
			!strings.Contains(text, "Số liệu tính theo các đánh giá đã phê duyệt.") ||
			!strings.Contains(text, "Còn 1 đơn vị có đánh giá mới nhất chưa được phê duyệt: 1 nháp") {
			t.Errorf("dashboard: %s", regexp.MustCompile(`(?s)Số liệu tính.{0,400}`).FindString(text))
		}
		link := regexp.MustCompile(`<a href="(/assessments/pending\?[^"]*status=draft[^"]*)">`).FindStringSubmatch(body)
		if link == nil {
			t.Fatal("the dashboard does not link the drafts")
		}
		_, _, body = fetch(t, w.srv, strings.ReplaceAll(link[1], "&amp;", "&"), "", vp)
		if rows := regexp.MustCompile(`data-assessment="(\d+)"`).FindAllStringSubmatch(body, -1); len(rows) != 1 || rows[0][1] != strconv.FormatInt(draft, 10) {
			t.Errorf("the pending list: %v, want the draft %d", rows, draft)
		}
		// A commune's officer may not list Hà Nội's.
		other := session(t, w.srv, db, "xa9", auth.RoleCommune, w.communes[9].Code)
		if status, _, _ := fetch(t, w.srv, "/assessments/pending?unit=01", "", other); status != 403 {
			t.Errorf("a commune's officer lists the province's pending assessments: %d", status)
		}
		// The commune's page: no official standing yet, the draft named beside it.
		_, _, body = fetch(t, w.srv, "/units/"+w.communes[8].Code+"?as_of="+progressDay, "", vp)
		if text := words(body); !strings.Contains(text, "2021-2025: chưa có đánh giá được phê duyệt đến ngày này · đánh giá kỳ năm 2025 đang chờ phê duyệt: Nháp") {
			t.Errorf("commune page: %s", regexp.MustCompile(`(?s)2021-2025:.{0,200}`).FindString(text))
		}
	})
}

// TestImports_Status (issue 13, point 2): the API import takes status=approved for figures
// approved on paper; a role that may not approve is refused before anything is written, an
// unknown status is 400 naming the parameter.
func TestImports_Status(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		gialai := newToken(t, db, newUser(t, db, "gialai", auth.RoleProvince, "52", ""))
		commune := ruralCommunes(t, db, "52", "2025-12-31")[0].Code
		xa := newToken(t, db, newUser(t, db, "xa52", auth.RoleCommune, commune, ""))
		csv := "unit,set,period,code,value\n" + commune + ",xa-ntm-2021,Quý IV/2025,TC1,đạt\n"
		if a := upload(t, srv, xa, "/api/v1/imports?status=approved", "v.csv", []byte(csv)); a.status != 403 || a.errorCode() != "forbidden" {
			t.Errorf("commune officer, status=approved: %d %s", a.status, a.body)
		}
		if list, _ := db.ListAssessments(context.Background(), store.AssessmentFilter{UnitCode: commune}); len(list) != 0 {
			t.Errorf("a refused import wrote %d assessments", len(list))
		}
		if a := upload(t, srv, gialai, "/api/v1/imports?status=signed", "v.csv", []byte(csv)); a.status != 400 || !strings.Contains(string(a.body), `"field":"status"`) {
			t.Errorf("status=signed: %d %s", a.status, a.body)
		}
		j := waitJob(t, srv, gialai, accepted(t, upload(t, srv, gialai, "/api/v1/imports?status=approved", "v.csv", []byte(csv))).ID)
		if j.Status != store.JobDone {
			t.Fatalf("province officer, status=approved: %+v", j)
		}
		list, err := db.ListAssessments(context.Background(), store.AssessmentFilter{UnitCode: commune})
		if err != nil || len(list) != 1 || list[0].Status != assessment.Approved || list[0].Period != "2025-Q4" {
			t.Errorf("imported: %+v %v", list, err)
		}
	})
}
