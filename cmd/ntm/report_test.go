package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestReportCommand: for the demo data of a province, ntm report bulletin writes the figures
// of ntm progress --json for the same unit, set and day; tables and files come out in every
// format; mistakes on the command line exit 2, a unit not found 4.
func TestReportCommand(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := demo.Load(ctx, db, demo.Options{Provinces: []string{"01"}}); err != nil {
			t.Fatal(err)
		}

		// The bulletin's data carries exactly the progress figures.
		code, progOut, errs := ntm(t, "--db", dsn, "progress", "--unit", "01", "--as-of", "2026-06-30", "--json")
		if code != 0 {
			t.Fatalf("progress: exit %d %s", code, errs)
		}
		code, bulOut, errs := ntm(t, "--db", dsn, "report", "bulletin", "--unit", "01", "--period", "2026-Q2", "--json")
		if code != 0 {
			t.Fatalf("report bulletin --json: exit %d %s", code, errs)
		}
		var prog map[string]any
		var bul struct {
			Progress map[string]any `json:"progress"`
			OCOP     map[string]any `json:"ocop"`
			Funding  map[string]any `json:"funding"`
		}
		if err := json.Unmarshal([]byte(progOut), &prog); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(bulOut), &bul); err != nil {
			t.Fatal(err)
		}
		// progress --json carries the unit's OCOP counts beside the figures; the bulletin
		// has them in a section of their own, with the same numbers.
		if ocop, ok := prog["ocop"].(map[string]any); ok {
			delete(prog, "ocop")
			certified := 0.0
			for _, n := range ocop["certified"].(map[string]any) {
				certified += n.(float64)
			}
			if bul.OCOP == nil || bul.OCOP["total"] != certified {
				t.Errorf("OCOP products certified: bulletin %v, progress %v", bul.OCOP["total"], certified)
			}
		}
		// So do the registers (funding, works, models, overdue tasks); the bulletin's funding
		// section holds the same total.
		if f, ok := prog["funding"].(map[string]any); !ok || bul.Funding == nil || bul.Funding["total"] != f["total"] {
			t.Errorf("funding of 2026: bulletin %v, progress %v", bul.Funding["total"], prog["funding"])
		}
		for _, k := range []string{"funding", "works", "models", "tasks_overdue"} {
			delete(prog, k)
		}
		if !reflect.DeepEqual(bul.Progress, prog) {
			t.Errorf("the bulletin's figures differ from ntm progress --json:\n%s\n%s", bulOut[:min(len(bulOut), 2000)], progOut[:min(len(progOut), 2000)])
		}
		if prog["units_assessed"].(float64) == 0 {
			t.Fatal("the demo data assessed no commune of Hà Nội by 30/06/2026")
		}

		// The text says the same numbers, written the Vietnamese way.
		code, md, errs := ntm(t, "--db", dsn, "report", "bulletin", "--unit", "01", "--period", "2026-Q2")
		if code != 0 {
			t.Fatalf("report bulletin: exit %d %s", code, errs)
		}
		n := func(k string) float64 { return prog[k].(float64) }
		for _, want := range []string{
			"Thành phố Hà Nội",
			"Tổng số " + numfmt.Int(int(n("units_total")), "vi") + " xã",
			"Tổng số tiêu chí đạt: " + numfmt.Int(int(n("criteria_met_sum")), "vi") + " tiêu chí, bình quân " + numfmt.Decimal(n("criteria_met_avg"), 2, "vi") + " tiêu chí/xã.",
		} {
			if !strings.Contains(md, want) {
				t.Errorf("the bulletin lacks %q:\n%s", want, md)
			}
		}
		if met := int(n("units_met")); met > 0 && !strings.Contains(md, "Số xã đạt chuẩn nông thôn mới: "+padCount(met)+" xã") {
			t.Errorf("the bulletin does not say %d xã meet the set:\n%s", met, md)
		}
		if code, en, _ := ntm(t, "--db", dsn, "report", "bulletin", "--unit", "01", "--period", "2026-Q2", "--lang", "en", "--format", "html"); code != 0 ||
			!strings.Contains(en, `<html lang="en">`) || !strings.Contains(en, "RESULTS") {
			t.Errorf("English HTML: exit %d", code)
		}

		// Files: the format follows --out's extension.
		dir := t.TempDir()
		for _, c := range []struct {
			args  []string
			file  string
			magic string
		}{
			{[]string{"report", "bulletin", "--unit", "01", "--period", "2026-Q2"}, "bulletin.pdf", "%PDF-"},
			{[]string{"report", "bulletin", "--unit", "01", "--period", "2026-Q2"}, "bulletin.xlsx", "PK"},
			{[]string{"report", "table", "--table", "criteria", "--unit", "01", "--period", "2026-Q2"}, "grid.xlsx", "PK"},
			{[]string{"report", "table", "--unit", "01", "--period", "2026-Q2", "--format", "pdf"}, "progress.bin", "%PDF-"},
			{[]string{"report", "table", "--table", "progress", "--unit", "01", "--period", "2026-Q2"}, "progress.html", "<!DOCTYPE html>"},
		} {
			path := filepath.Join(dir, c.file)
			args := append([]string{"--db", dsn}, append(c.args, "--out", path)...)
			if code, _, errs := ntm(t, args...); code != 0 {
				t.Errorf("%v: exit %d %s", c.args, code, errs)
				continue
			}
			b, _ := os.ReadFile(path)
			if !bytes.HasPrefix(b, []byte(c.magic)) {
				t.Errorf("%s does not start with %q", c.file, c.magic)
			}
		}

		for _, c := range []struct {
			args []string
			code int
			says string
		}{
			{[]string{"report", "bulletin", "--unit", "01", "--format", "pdf"}, 2, "--out"},
			{[]string{"report", "bulletin", "--unit", "01", "--period", "2026-Q5"}, 2, "--period"},
			{[]string{"report", "bulletin", "--unit", "01", "--period", "2026-Q1", "--as-of", "2026-05-01"}, 2, "--as-of"},
			{[]string{"report", "bulletin", "--unit", "01", "--lang", "fr"}, 2, "--lang"},
			{[]string{"report", "bulletin", "--unit", "01", "--format", "docx"}, 2, "--out"},
			{[]string{"report", "bulletin", "--unit", "01", "--format", "odt"}, 2, "--format"},
			{[]string{"report", "table", "--table", "map", "--unit", "01"}, 2, "--table"},
			{[]string{"report", "table", "--table", "indicators", "--period", "2026"}, 2, "--unit"},
			{[]string{"report", "bulletin", "--unit", "99999", "--period", "2026"}, 4, "99999"},
			{[]string{"report", "bulletin", "--unit", "01", "--set", "nope", "--period", "2026"}, 4, "nope"},
		} {
			code, _, errs := ntm(t, append([]string{"--db", dsn}, c.args...)...)
			if code != c.code || !strings.Contains(errs, c.says) {
				t.Errorf("%v: exit %d, want %d; stderr %q", c.args, code, c.code, errs)
			}
		}
	})
}

func padCount(n int) string {
	if n < 10 {
		return numfmt.Pad2(n)
	}
	return numfmt.Int(n, "vi")
}
