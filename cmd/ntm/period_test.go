package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestPeriodsAndDates_OfficesForms (issue 13, point 5): --period takes the offices' words
// and the first months of a year, --as-of takes dd/mm/yyyy; what cannot be read exits 2
// with the accepted forms listed.
func TestPeriodsAndDates_OfficesForms(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		for _, c := range []struct{ period, asOf, code, start, end, day string }{
			{"Quý II/2026", "", "2026-Q2", "2026-04-01", "2026-06-30", "2026-06-30"},
			{"quý I năm 2021", "", "2021-Q1", "2021-01-01", "2021-03-31", "2021-03-31"},
			{"8 tháng đầu năm 2023", "", "2023-M8", "2023-01-01", "2023-08-31", "2023-08-31"},
			{"6 tháng đầu năm 2026", "15/05/2026", "2026-H1", "2026-01-01", "2026-06-30", "2026-05-15"},
			{"tháng 4/2023", "", "2023-04", "2023-04-01", "2023-04-30", "2023-04-30"},
			{"năm 2021", "31/12/2021", "2021", "2021-01-01", "2021-12-31", "2021-12-31"},
		} {
			args := []string{"--db", dsn, "report", "bulletin", "--unit", "01", "--period", c.period, "--json"}
			if c.asOf != "" {
				args = append(args, "--as-of", c.asOf)
			}
			code, out, errs := ntm(t, args...)
			var b struct {
				Basis  string `json:"basis"`
				Period struct {
					Period, Start, End string
					AsOf               string `json:"as_of"`
				} `json:"period"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &b) != nil {
				t.Errorf("--period %q: exit %d %s", c.period, code, errs)
				continue
			}
			if b.Period.Period != c.code || b.Period.Start != c.start || b.Period.End != c.end || b.Period.AsOf != c.day || b.Basis != "approved" {
				t.Errorf("--period %q --as-of %q: %+v basis %q", c.period, c.asOf, b.Period, b.Basis)
			}
		}
		// The Markdown names the period the way offices write it.
		if code, out, errs := ntm(t, "--db", dsn, "report", "bulletin", "--unit", "01", "--period", "2023-M8"); code != 0 ||
			!strings.Contains(out, "8 THÁNG ĐẦU NĂM 2023") {
			t.Errorf("bulletin of 2023-M8: exit %d %s\n%.300s", code, errs, out)
		}
		if code, out, errs := ntm(t, "--db", dsn, "report", "bulletin", "--unit", "01", "--period", "2026-Q2", "--lang", "en"); code != 0 ||
			!strings.Contains(out, "Q2 2026") {
			t.Errorf("English bulletin of 2026-Q2: exit %d %s\n%.300s", code, errs, out)
		}
		for _, c := range []struct {
			args []string
			says string
		}{
			{[]string{"report", "bulletin", "--unit", "01", "--period", "Quý V/2026"}, "8 tháng đầu năm 2026"},
			{[]string{"report", "table", "--unit", "01", "--period", "13 tháng đầu năm 2026"}, "Quý II/2026"},
			{[]string{"report", "bulletin", "--unit", "01", "--period", "2026", "--as-of", "31/06/2026"}, "dd/mm/yyyy"},
			{[]string{"progress", "--unit", "01", "--as-of", "2026/06/30"}, "dd/mm/yyyy"},
		} {
			if code, _, errs := ntm(t, append([]string{"--db", dsn}, c.args...)...); code != 2 || !strings.Contains(errs, c.says) {
				t.Errorf("%v: exit %d, want 2 saying %q: %s", c.args, code, c.says, errs)
			}
		}
		if code, out, errs := ntm(t, "--db", dsn, "progress", "--unit", "01", "--as-of", "30/06/2026", "--json"); code != 0 || !strings.Contains(out, `"as_of": "2026-06-30"`) {
			t.Errorf("progress --as-of 30/06/2026: exit %d %s %.200s", code, errs, out)
		}
	})
}
