package resources

import (
	"fmt"
	"testing"
)

// CountAll counts rows and tallies as one count per fact: a unit's tallies stand for the rows
// and tallies below it; a share is counted against a stated total or the villages in the list.
func TestCountAll_OneCountPerFact(t *testing.T) {
	c := MustShipped()
	row := func(kind, unit string, year, revoked int, chain ...string) PlacedModel {
		return PlacedModel{Model: Model{Kind: kind, UnitCode: unit, Name: unit, Year: year, RevokedYear: revoked}, Chain: append([]string{unit}, chain...), Holder: unit}
	}
	tally := func(kind, unit string, year, n, cum, of int, chain ...string) PlacedTally {
		return PlacedTally{ModelTally: ModelTally{Kind: kind, UnitCode: unit, Year: year, New: n, Cumulative: cum, Of: of}, Chain: append([]string{unit}, chain...)}
	}
	for _, tc := range []struct {
		name     string
		rows     []PlacedModel
		tallies  []PlacedTally
		villages map[string]int
		from, to int
		kind     string
		want     string // Before New Revoked Cumulative Entries
		share    string // "" none
	}{
		{"rows only", []PlacedModel{row("vuon-mau", "x1", 2024, 0, "h"), row("vuon-mau", "x2", 2025, 0, "h"), row("vuon-mau", "x3", 2023, 2025, "h")}, nil, nil,
			2025, 2025, "vuon-mau", "2 1 1 2 3", ""},
		{"a tally stands for the rows of its unit", []PlacedModel{row("vuon-mau", "x1", 2025, 0, "h")}, []PlacedTally{tally("vuon-mau", "x1", 2025, 28, 96, 0, "h")}, nil,
			2025, 2025, "vuon-mau", "0 28 0 96 1", ""},
		{"a district's tally stands for its communes' rows and tallies", []PlacedModel{row("vuon-mau", "x1", 2025, 0, "h")},
			[]PlacedTally{tally("vuon-mau", "x2", 2025, 3, 5, 0, "h"), tally("vuon-mau", "h", 2025, 10, 40, 0)}, nil,
			2025, 2025, "vuon-mau", "0 10 0 40 1", ""},
		{"years of tallies: new summed, cumulative of the latest, the drop is revoked", nil,
			[]PlacedTally{tally("vuon-mau", "x1", 2023, 5, 20, 0), tally("vuon-mau", "x1", 2024, 4, 24, 0), tally("vuon-mau", "x1", 2025, 2, 23, 0), tally("vuon-mau", "x1", 2026, 9, 32, 0)}, nil,
			2025, 2025, "vuon-mau", "24 2 3 23 3", ""},
		{"a tally of an earlier year carries its cumulative number", nil, []PlacedTally{tally("vuon-mau", "x1", 2023, 5, 20, 0)}, nil,
			2025, 2025, "vuon-mau", "20 0 0 20 1", ""},
		{"share: a stated total and villages in the list", []PlacedModel{row("thon-ntm", "x2", 2025, 0, "h")},
			[]PlacedTally{tally("thon-ntm", "x1", 2025, 3, 9, 24, "h")}, map[string]int{"x2": 1, "x1": 30},
			2025, 2025, "thon-ntm", "0 4 0 10 2", "10/25 40.0"},
		{"share: units with no known total are left out of it", []PlacedModel{row("thon-ntm", "x2", 2025, 0, "h")},
			[]PlacedTally{tally("thon-ntm", "x1", 2025, 3, 9, 24, "h")}, nil,
			2025, 2025, "thon-ntm", "0 4 0 10 2", "9/24 37.5"},
		{"no total at all: no share", []PlacedModel{row("thon-ntm", "x2", 2025, 0)}, nil, nil, 2025, 2025, "thon-ntm", "0 1 0 1 1", ""},
		{"nothing entered: no entries", nil, nil, nil, 2025, 2025, "thon-ntm", "0 0 0 0 0", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, mc := range c.CountAll(tc.rows, tc.tallies, tc.villages, tc.from, tc.to) {
				if mc.Kind != tc.kind {
					continue
				}
				if got := fmt.Sprintf("%d %d %d %d %d", mc.Before, mc.New, mc.Revoked, mc.Cumulative, mc.Entries); got != tc.want {
					t.Errorf("before new revoked cumulative entries = %s, want %s", got, tc.want)
				}
				share := ""
				if mc.Share != nil {
					share = fmt.Sprintf("%d/%d %.1f", mc.Share.Met, mc.Share.Of, mc.Share.Pct)
				}
				if share != tc.share {
					t.Errorf("share %q, want %q", share, tc.share)
				}
			}
		})
	}
}
