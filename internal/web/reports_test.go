package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "bulletin", method: "GET", action: auth.Read, setup: withYear,
			path: "/api/v1/reports/bulletin?unit={unit}&period={year}&as_of={as_of}&set=xa-ntm-2026&format=md"},
		accessEndpoint{name: "progress table", method: "GET", action: auth.Read, setup: withYear,
			path: "/api/v1/reports/tables/progress?unit={unit}&period={year}&as_of={as_of}&set=xa-ntm-2026&format=xlsx"},
		accessEndpoint{name: "criteria grid", method: "GET", action: auth.Read, setup: withYear,
			path: "/api/v1/reports/tables/criteria?unit={unit}&period={year}&as_of={as_of}&set=xa-ntm-2026&format=md"},
		accessEndpoint{name: "indicators table", method: "GET", action: auth.Read, setup: withMonthBefore,
			path: "/api/v1/reports/tables/indicators?unit={unit}&period={year}&as_of={as_of}&set=xa-ntm-2026&format=md"},
	)
}

// withMonthBefore gives the unit an assessment of xa-ntm-2026 for the month before asOf (so
// that it is the latest by asOf) and sets {year}.
func withMonthBefore(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	withYear(t, m, unit, asOf)
	p, err := assessment.ParsePeriod(string(asOf.AddDays(-int(dayOfMonth(asOf))))[:7])
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.db.CreateAssessment(context.Background(), "seed", unit, "xa-ntm-2026", p, store.Evaluation{}) // a fixture: the store assesses any unit
	if _, exists := store.ExistingID(err); err != nil && !exists {
		t.Fatalf("assessment of %s for %s: %v", unit, p.Text, err)
	}
}

func dayOfMonth(d units.Date) int {
	var n int
	fmt.Sscanf(string(d)[8:], "%d", &n)
	return n
}

// reportWorld is the Hà Nội communes of TestAPI_Reports: four assessed against xa-ntm-2026
// in the second quarter of 2026, two of them in the first quarter too.
func reportWorld(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	var codes []string
	for i, c := range ruralCommunes(t, db, "01", "2026-06-30")[:4] {
		codes = append(codes, c.Code)
		for _, q := range []struct {
			period string
			met    int
		}{{"2026-Q1", 6 + i}, {"2026-Q2", 7 + i}} {
			if q.period == "2026-Q1" && i >= 2 {
				continue
			}
			p, _ := assessment.ParsePeriod(q.period)
			a, err := writer(t, db).CreateAssessment(ctx, app.System("t"), c.Code, "xa-ntm-2026", p)
			if err != nil {
				t.Fatal(err)
			}
			var ch []store.ValueChange
			for k := 1; k <= 10; k++ {
				v := fmt.Sprint(k <= q.met)
				ch = append(ch, store.ValueChange{Code: fmt.Sprintf("TC%d", k), Value: &v})
			}
			if _, err := writer(t, db).SetValues(ctx, app.System("t"), a.ID, a.Version, ch); err != nil {
				t.Fatal(err)
			}
			approve(t, db, a.ID)
		}
	}
	return codes
}

// TestAPI_Reports: the bulletin's figures are those of GET /api/v1/progress for the same
// unit, set and day; every format comes with its type and a file name naming the unit and
// the period; mistakes are 400 naming the parameter, missing things 404, other units 403.
func TestAPI_Reports(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		communes := reportWorld(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, communes[0], ""))
		get := func(tok, path string) answer { return do(t, srv, call{"GET", path, "", []string{authz(tok)}}) }

		prog := get(tinh, "/api/v1/progress?unit=01&as_of=2026-06-30")
		bul := get(tinh, "/api/v1/reports/bulletin?unit=01&period=2026-Q2&format=json")
		if prog.status != 200 || bul.status != 200 {
			t.Fatalf("progress %d, bulletin %d: %s", prog.status, bul.status, bul.body)
		}
		var p map[string]any
		var b struct {
			Progress map[string]any `json:"progress"`
			Start    map[string]any `json:"start"`
		}
		prog.decode(t, &p)
		bul.decode(t, &b)
		if !reflect.DeepEqual(b.Progress, p) {
			t.Errorf("the bulletin's figures differ from /api/v1/progress:\n%s\n%s", bul.body, prog.body)
		}
		if p["units_assessed"].(float64) != 4 || p["criteria_met_sum"].(float64) != 7+8+9+10 {
			t.Errorf("progress: %s", prog.body)
		}
		start := get(tinh, "/api/v1/progress?unit=01&as_of=2026-03-31")
		var s map[string]any
		start.decode(t, &s)
		if !reflect.DeepEqual(b.Start, s) {
			t.Errorf("the bulletin's start differs from /api/v1/progress as of 2026-03-31")
		}

		for _, c := range []struct {
			path, ctype, disposition, magic string
		}{
			{"/api/v1/reports/bulletin?unit=01&period=2026-Q2", "text/markdown; charset=utf-8", `inline; filename="bao-cao-01-2026-Q2.md"`, "# BÁO CÁO"},
			{"/api/v1/reports/bulletin?unit=01&period=2026-Q2&format=html&lang=en", "text/html; charset=utf-8", `inline; filename="report-01-2026-Q2.html"`, "<!DOCTYPE html>"},
			{"/api/v1/reports/bulletin?unit=01&period=2026-Q2&format=pdf", "application/pdf", `attachment; filename="bao-cao-01-2026-Q2.pdf"`, "%PDF-"},
			{"/api/v1/reports/bulletin?unit=01&period=2026-Q2&format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `attachment; filename="bao-cao-01-2026-Q2.xlsx"`, "PK"},
			{"/api/v1/reports/bulletin?unit=01&period=2026-Q2&format=docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", `attachment; filename="bao-cao-01-2026-Q2.docx"`, "PK"},
			{"/api/v1/reports/tables/criteria?unit=01&period=2026-Q2&format=docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", `attachment; filename="tieu-chi-01-2026-Q2.docx"`, "PK"},
			{"/api/v1/reports/tables/progress?unit=01&period=2026-Q2&format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `attachment; filename="tien-do-01-2026-Q2.xlsx"`, "PK"},
			{"/api/v1/reports/tables/criteria?unit=01&period=2026-H1&format=pdf", "application/pdf", `attachment; filename="tieu-chi-01-2026-H1.pdf"`, "%PDF-"},
			{"/api/v1/reports/tables/indicators?unit=" + communes[0] + "&period=2026-Q2&format=html", "text/html; charset=utf-8", `inline; filename="chi-tieu-` + communes[0] + `-2026-Q2.html"`, "<!DOCTYPE html>"},
			{"/api/v1/reports/tables/criteria?unit=" + communes[0] + "&period=2026-Q2", "text/markdown; charset=utf-8", `inline; filename="tieu-chi-` + communes[0] + `-2026-Q2.md"`, "# "},
		} {
			a := get(tinh, c.path)
			if a.status != 200 || a.header.Get("Content-Type") != c.ctype || a.header.Get("Content-Disposition") != c.disposition ||
				!bytes.HasPrefix(a.body, []byte(c.magic)) {
				t.Errorf("%s: %d %q %q %.80q", c.path, a.status, a.header.Get("Content-Type"), a.header.Get("Content-Disposition"), a.body)
			}
			if c.ctype == "text/html; charset=utf-8" && !strings.Contains(a.header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("%s: the printable page is served without a CSP that forbids fetching", c.path)
			}
		}

		// The workbook of the progress table: numbers stored as numbers.
		a := get(tinh, "/api/v1/reports/tables/progress?unit=01&period=2026-Q2&format=xlsx")
		f, err := excelize.OpenReader(bytes.NewReader(a.body))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetList()[0]
		rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		total := rows[len(rows)-1]
		if total[1] != "Tổng cộng" || total[3] != "4" {
			t.Errorf("total row %v", total)
		}
		typ, _ := f.GetCellType(sheet, fmt.Sprintf("D%d", len(rows)))
		if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Error("the number of units assessed is stored as text")
		}
		f.Close()

		for _, c := range []struct {
			tok, path string
			status    int
			field     string
		}{
			{tinh, "/api/v1/reports/bulletin?unit=01&period=2026-Q7", 400, "period"},
			{tinh, "/api/v1/reports/bulletin?unit=01&period=2026-Q1&as_of=2026-06-30", 400, "as_of"},
			{tinh, "/api/v1/reports/bulletin?unit=01&as_of=30-06-2026", 400, "as_of"},
			{tinh, "/api/v1/reports/bulletin?unit=01&format=odt", 400, "format"},
			{tinh, "/api/v1/reports/tables/progress?unit=01&format=json", 400, "format"},
			{tinh, "/api/v1/reports/bulletin?unit=01&lang=fr", 400, "lang"},
			{tinh, "/api/v1/reports/bulletin?unit=01&set=nope", 400, "set"},
			{tinh, "/api/v1/reports/tables/indicators?period=2026", 403, ""}, // the country is not the province's
			{tinh, "/api/v1/reports/tables/map?unit=01", 404, ""},
			{tinh, "/api/v1/reports/tables/indicators?unit=01&period=2026-Q2", 404, ""},
			{xa, "/api/v1/reports/bulletin?unit=01&period=2026-Q2", 403, ""},
			{xa, "/api/v1/reports/bulletin?unit=" + communes[1] + "&period=2026-Q2", 403, ""},
			{xa, "/api/v1/reports/tables/indicators?unit=" + communes[0] + "&period=2026-Q2&format=pdf", 200, ""},
		} {
			a := get(c.tok, c.path)
			var e struct {
				Error struct{ Code, Message, Field string }
			}
			json.Unmarshal(a.body, &e)
			if a.status != c.status || c.field != "" && e.Error.Field != c.field || c.status >= 400 && e.Error.Message == "" {
				t.Errorf("%s: %d %s, want %d naming %q", c.path, a.status, a.body, c.status, c.field)
			}
		}
		// Whoever reads everywhere gets the country's indicators refusal as a missing unit.
		if a := get(bearerOf(srv), "/api/v1/reports/tables/indicators?period=2026"); a.status != 400 || !strings.Contains(string(a.body), `"field":"unit"`) {
			t.Errorf("indicators of the country: %d %s", a.status, a.body)
		}
	})
}
