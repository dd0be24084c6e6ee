package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// The dashboard page is kept as sent (dashboard_cache.go): asked again it is the same page,
// and whatever it shows that changes — a target (which bumps no data version), an approved
// assessment, who looks, the language — shows at once.
func TestDashboard_KeptPageFollowsWhatItShows(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newProgressWorld(t, db)
		vp := session(t, w.srv, db, "vp", auth.RoleCentral, "")
		path := "/dashboard?unit=01&as_of=" + progressDay
		_, _, first := fetch(t, w.srv, path, "", vp)
		if _, _, again := fetch(t, w.srv, path, "", vp); again != first {
			t.Error("the same dashboard asked twice differs")
		}
		text := func(body string) string { return words(scripts.ReplaceAllString(body, "")) }
		if !strings.Contains(text(first), "Số xã đạt chuẩn 5 1 5") {
			t.Fatal("the dashboard lacks the province's target")
		}

		if _, err := db.PutTarget(ctx, "tinh", store.Target{UnitCode: "01", Year: 2025, Metric: "units_met", SetID: "xa-ntm-2021", Value: 3}); err != nil {
			t.Fatal(err)
		}
		_, _, body := fetch(t, w.srv, path, "", vp)
		if !strings.Contains(text(body), "Số xã đạt chuẩn 3 1 3") {
			t.Error("a changed target does not show on the dashboard")
		}

		vals := map[string]string{}
		for n := 1; n <= 19; n++ {
			vals[fmt.Sprintf("TC%d", n)] = "true"
		}
		approve(t, db, seedAssessment(t, db, "tinh", w.communes[len(w.met)].Code, "xa-ntm-2021", "2025", vals))
		_, _, body = fetch(t, w.srv, path, "", vp)
		if got := figure(t, body, "units_met"); got != 2 {
			t.Errorf("units met after a new approved assessment: %v, want 2", got)
		}

		other := session(t, w.srv, db, "vp2", auth.RoleCentral, "")
		if _, _, body := fetch(t, w.srv, path, "", other); !strings.Contains(body, `<span class="name">Người dùng vp2</span>`) {
			t.Error("another user gets a page that does not name them")
		}
		if _, _, en := fetch(t, w.srv, path, "en", vp); !strings.Contains(en, `<html lang="en">`) {
			t.Error("the English dashboard is not in English")
		}
	})
}
