package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/units"
)

func TestAttribute_ByBodyProvinceAndDistrict(t *testing.T) {
	res := []resolution{
		{day: "2020-01-01", number: "829/UBTVQH14", title: "Sắp xếp các đơn vị hành chính cấp huyện, cấp xã thuộc tỉnh Hà Nam"},
		{day: "2020-01-01", number: "830/NQ-UBTVQH14", title: "Sắp xếp các đơn vị hành chính cấp huyện, cấp xã thuộc tỉnh Hòa Bình"},
		{day: "2021-02-01", number: "1188/NQ-UBTVQH14", title: "thành lập thị trấn Cát Tiến thuộc huyện Phù Cát, tỉnh Bình Định"},
		{day: "2021-02-01", number: "1108/NQ-UBTVQH14", title: "Thành lập các phường thuộc thành phố Thanh Hóa, tỉnh Thanh Hóa"},
		{day: "2021-02-01", number: "1999/NQ-UBTVQH14", title: "Thành lập thị trấn Hà Trung thuộc huyện Hà Trung, tỉnh Thanh Hóa"},
		{day: "2024-11-01", number: "1195/NQ-UBTVQH15", title: "Về việc sắp xếp đơn vị hành chính cấp xã của tỉnh Gia Lao giai đoạn 2023-2025"},
		{day: "2026-04-30", number: "30/2026/QH16", title: "Thành lập thành phố Đồng Nai"},
		{day: "2026-04-30", number: "237/NQ-UBTVQH16", title: "Thành lập 10 phường thuộc tỉnh Đồng Nai"},
	}
	for i := range res {
		res[i].words = words(res[i].title)
		for typo, fix := range titleTypos {
			res[i].words = strings.ReplaceAll(res[i].words, " "+typo+" ", " "+fix+" ")
		}
	}
	tests := []struct {
		day          units.Date
		level        string
		provs, dists []string
		want         string
	}{
		{"2020-01-01", "commune", []string{"Hòa Bình"}, []string{"Kỳ Sơn"}, "830/NQ-UBTVQH14"},
		{"2020-01-01", "commune", []string{"Hà Nội"}, nil, ""},                                     // no act names the province
		{"2021-02-01", "commune", []string{"Thanh Hóa"}, []string{"Hà Trung"}, "1999/NQ-UBTVQH14"}, // two name the province, one the district
		{"2021-02-01", "commune", []string{"Thanh Hóa"}, []string{"Nga Sơn"}, ""},                  // two name the province, none the district
		{"2024-11-01", "commune", []string{"Gia Lai"}, nil, "1195/NQ-UBTVQH15"},                    // the source's typo
		{"2026-04-30", "province", []string{"Đồng Nai"}, nil, "30/2026/QH16"},                      // a province: the National Assembly
		{"2026-04-30", "commune", []string{"Đồng Nai"}, nil, "237/NQ-UBTVQH16"},                    // below: its Standing Committee
	}
	for _, tt := range tests {
		if got := attribute(res, tt.day, tt.level, tt.provs, tt.dists); got != tt.want {
			t.Errorf("attribute(%s, %s, %v, %v) = %q, want %q", tt.day, tt.level, tt.provs, tt.dists, got, tt.want)
		}
	}
}

// snap builds a snapshot of communes under district 001 of province 01: "code=Name" each.
func snap(day units.Date, communes ...string) *snapshot {
	s := &snapshot{day: day, units: map[string]*ustate{}}
	s.add([]string{"01", "Hà Nội", "Thành phố Hà Nội", "Ha Noi", "province", units.TypeCentralCity, "", "DBSH"})
	s.add([]string{"001", "Ba Đình", "Quận Ba Đình", "Ba Dinh", "district", "quận", "01", "DBSH"})
	for _, c := range communes {
		code, name, _ := strings.Cut(c, "=")
		s.add([]string{code, name, "Xã " + name, ascii(name), "commune", units.TypeRuralCommune, "001", "DBSH"})
	}
	return s
}

func TestBuildChain_MergerRenameAndRepairs(t *testing.T) {
	res := []resolution{{day: "2020-01-01", number: "1/NQ-UBTVQH14", title: "Sắp xếp các đơn vị hành chính cấp xã thuộc thành phố Hà Nội"}}
	for i := range res {
		res[i].words = words(res[i].title)
	}
	snaps := []*snapshot{
		snap("", "00001=An", "00002=Bình", "00003=Cát", "00004=Đông"),
		// 00001 and 00002 merged into 00002, renamed Bình An; 00004 left out of this list.
		snap("2020-01-01", "00002=Bình An", "00003=Cát"),
		// 00001 reappears as it was (a stale entry); 00004 is back.
		snap("2021-01-01", "00001=An", "00002=Bình An", "00003=Cát", "00004=Đông"),
		snap("2022-01-01", "00002=Bình An", "00003=Cát", "00004=Đông"),
	}
	out := buildChain(snaps, res, "2025-06-30")
	var rows []string
	for _, r := range out.rows {
		if r[4] == "commune" {
			rows = append(rows, fmt.Sprintf("%s %s %s..%s", r[0], r[2], r[8], r[9]))
		}
	}
	want := []string{
		"00002 Xã Bình ..2019-12-31", "00002 Xã Bình An 2020-01-01..2025-06-30",
		"00003 Xã Cát ..2025-06-30", "00004 Xã Đông ..2025-06-30", "00001 Xã An ..2019-12-31",
	}
	if strings.Join(rows, "; ") != strings.Join(want, "; ") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	wantL := []units.Lineage{
		{OldCode: "00002", NewCode: "00002", Kind: units.LineageFull, Effective: "2020-01-01", Resolution: "1/NQ-UBTVQH14", Basis: units.BasisLists},
		{OldCode: "00001", NewCode: "00002", Kind: units.LineageFull, Effective: "2020-01-01", Resolution: "1/NQ-UBTVQH14", Basis: units.BasisInferred},
	}
	if fmt.Sprint(out.lineage) != fmt.Sprint(wantL) {
		t.Errorf("lineage %+v, want %+v", out.lineage, wantL)
	}
	if len(out.repaired) != 2 || len(out.unresolved) != 0 {
		t.Errorf("repaired %q, unresolved %q", out.repaired, out.unresolved)
	}
}
