package progress

import (
	"slices"
	"strings"
	"testing"
)

func TestParseBandList(t *testing.T) {
	tests := []struct {
		spec    string
		total   int
		want    []Band
		wantErr string // part of the error; "" for none
	}{
		{spec: "19 / 15-18 / 9-14 / 5-8 / <5", total: 19, want: []Band{
			{"19", 19, 19}, {"15-18", 15, 18}, {"9-14", 9, 14}, {"5-8", 5, 8}, {"<5", 0, 4}}},
		{spec: "dưới 5; 5 – 9; 10", total: 10, want: []Band{{"10", 10, 10}, {"5-9", 5, 9}, {"<5", 0, 4}}},
		{spec: "10, 0-9", total: 10, want: []Band{{"10", 10, 10}, {"0-9", 0, 9}}},
		{spec: "19 / 15-18 / 5-14", total: 19, wantErr: "0-4"},
		{spec: "19 / 14-18 / 10-15 / <10", total: 19, wantErr: "overlaps"},
		{spec: "20 / <20", total: 19, wantErr: "past"},
		{spec: "18 / <18", total: 19, wantErr: "19"},
		{spec: "19 / mười / <19", total: 19, wantErr: "mười"},
		{spec: "19 / 18-15 / <15", total: 19, wantErr: "18-15"},
		{spec: " / ", total: 19, wantErr: "no bands"},
	}
	for _, tt := range tests {
		got, err := ParseBandList(tt.spec, tt.total)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want one naming %q", tt.spec, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, %v; want %v", tt.spec, got, err, tt.want)
		}
	}
}

// TestReport_WithBands: re-banding counts from the exact distribution, for the root and each
// child, and leaves the shared report as it was.
func TestReport_WithBands(t *testing.T) {
	crits := make([]Criterion, 19)
	var es []Entry
	for i, k := range []int{19, 19, 17, 12, 9, 7, 3} {
		met := make([]int, k)
		for j := range met {
			met[j] = j + 1
		}
		es = append(es, Entry{Unit: Unit{Code: string(rune('a' + i)), Path: []string{"p" + string(rune('0'+i%2))}}, Assessed: true, CriteriaMet: met, CriteriaTotal: 19})
	}
	r := Rollup(Unit{}, crits, es, Options{})
	before := slices.Clone(r.Bands)
	bands, err := ParseBandList("19 / 15-18 / 9-14 / 5-8 / <5", 19)
	if err != nil {
		t.Fatal(err)
	}
	got := r.WithBands(bands)
	var counts []int
	for _, b := range got.Bands {
		counts = append(counts, b.Units)
	}
	if want := []int{2, 1, 2, 1, 1}; !slices.Equal(counts, want) {
		t.Errorf("band counts %v, want %v", counts, want)
	}
	sum := 0
	for _, c := range got.Children {
		for _, b := range c.Bands {
			sum += b.Units
		}
		if len(c.Bands) != 5 {
			t.Errorf("child %s has %d bands, want 5", c.Code, len(c.Bands))
		}
	}
	if len(got.Children) == 0 || sum != len(es) {
		t.Errorf("children's bands hold %d units, want %d", sum, len(es))
	}
	if !slices.Equal(r.Bands, before) {
		t.Errorf("the shared report changed: %v, was %v", r.Bands, before)
	}
}
