package app_test

import (
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
)

// TestBandsOf: every shipped set has bands that cover its criteria from 0 to its total, and
// those of data/reports/bands.yaml name shipped sets.
func TestBandsOf(t *testing.T) {
	sets, err := criteria.ShippedSets()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*criteria.Set{}
	for _, s := range sets {
		byID[s.ID] = s
		bands, err := app.BandsOf(s)
		if err != nil {
			t.Errorf("%s: %v", s.ID, err)
			continue
		}
		if len(bands) == 0 || bands[0].Max != len(s.Criteria) || bands[len(bands)-1].Min != 0 {
			t.Errorf("%s (%d criteria): bands %v", s.ID, len(s.Criteria), bands)
		}
	}
	if b, err := app.BandsOf(byID["xa-ntm-2021"]); err != nil || len(b) != 5 || b[1].Label != "15-18" {
		t.Errorf("xa-ntm-2021: %v, %v; want 19 / 15-18 / 10-14 / 5-9 / <5", b, err)
	}
}
