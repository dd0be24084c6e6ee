package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestProgressCommand_AddsTheFundingWhenEntered(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.PutFunding(ctx, "t", resources.Funding{UnitCode: "01", Year: 2026,
			Parts: map[string]resources.Fixed{"nstw": resources.FromInt(1200), "nsdp": resources.FromInt(800)}}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			unit    string
			funding bool
		}{{"01", true}, {"79", false}} {
			code, out, errs := ntm(t, "--db", dsn, "progress", "--unit", c.unit, "--as-of", "2026-06-30", "--json")
			if code != 0 {
				t.Fatal(errs)
			}
			var rep map[string]any
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if _, ok := rep["funding"]; ok != c.funding || rep["units_total"] == nil || rep["works"] != nil {
				t.Errorf("%s: funding %v, want %v; units_total %v; works %v", c.unit, rep["funding"], c.funding, rep["units_total"], rep["works"])
			}
		}
		_, out, _ := ntm(t, "--db", dsn, "progress", "--unit", "01", "--as-of", "2026-06-30")
		if !strings.Contains(out, "Năm 2026 huy động 2.000 triệu đồng") {
			t.Errorf("text lacks the funding:\n%s", out)
		}
	})
}
