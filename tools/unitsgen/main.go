// Command unitsgen converts the administrative-units reference data into the files that ntm
// ships in data/units and data/boundaries. It is run by hand when the reference changes:
//
//	go run ./tools/unitsgen -ref ../shared/reference/units -out data
//
// It reads units-2024.csv (pre-reform, valid until 30 June 2025), units-2025.csv (post-reform,
// valid from 1 July 2025), regions.csv (8 source regions → 7 NTM regions) and lineage-2025.csv
// (the official old→new conversion table), writes data/units/units.csv and
// data/units/lineage.csv, copies the TopoJSON boundaries unchanged into data/boundaries, and
// then parses what it wrote with the units package to check it. The program itself never reads
// the reference folder; data/units/README.md documents every choice made here.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/ntm-vn/ntm/internal/units"
)

// The reform's dates: the last day of the old units and the first day of the new ones.
const (
	lastOld  = units.Date("2025-06-30")
	firstNew = units.Date("2025-07-01")
)

// newCodeAliases maps a new-commune code as the conversion table writes it to the code the unit
// list uses. The table (and dvhcvn, VietnamProvinces) give Xã Ba Chẽ 06970; the thanglequoc unit
// list and the boundaries give it 06978.
var newCodeAliases = map[string]string{"06970": "06978"}

// Expected sizes of the reference, checked so that a changed source is noticed.
var (
	want2024 = map[string]int{"province": 63, "district": 696, "commune": 10035}
	want2025 = map[string]int{"province": 34, "commune": 3321}
)

var outHeader = []string{"code", "name", "full_name", "name_en", "level", "type", "parent_code", "region_code", "valid_from", "valid_to", "tags"}

func main() {
	ref := flag.String("ref", "../shared/reference/units", "folder of the units reference data")
	out := flag.String("out", "data", "the repository's data folder")
	hist := flag.Bool("historical", false, "also the units as of every change from 1 January 2019 (snapshots.csv), from -git")
	gitDirs := flag.String("git", "", "owner/name=GITDIR,… the git directories of the repositories snapshots.csv names")
	flag.Parse()
	var gits map[string]string
	if *hist {
		gits = map[string]string{}
		for _, kv := range strings.Split(*gitDirs, ",") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				gits[k] = v
			}
		}
	}
	if err := run(*ref, *out, gits, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "unitsgen:", err)
		os.Exit(1)
	}
}

// run writes the files; with gits (the -historical mode) the units of every change since 2019.
func run(ref, out string, gits map[string]string, log io.Writer) error {
	region7, err := readRegions(filepath.Join(ref, "regions.csv"))
	if err != nil {
		return err
	}
	old, err := readUnits(filepath.Join(ref, "units-2024.csv"), region7, want2024)
	if err != nil {
		return err
	}
	cur, err := readUnits(filepath.Join(ref, "units-2025.csv"), region7, want2025)
	if err != nil {
		return err
	}
	lineage, err := readLineage(filepath.Join(ref, "lineage-2025.csv"), old, cur)
	if err != nil {
		return err
	}

	if gits != nil {
		ub, lb, err := historical(gits, old, cur, lineage, log)
		if err != nil {
			return err
		}
		if err := check(ub, lb, wantCounts); err != nil {
			return fmt.Errorf("checking the generated files: %w", err)
		}
		return write(ref, out, ub, lb)
	}

	// Units: pre-reform rows first, then post-reform, each in the source order.
	var ub bytes.Buffer
	w := csv.NewWriter(&ub)
	w.Write(outHeader)
	for _, r := range old.rows {
		w.Write(append(r, "", string(lastOld), ""))
	}
	for _, r := range cur.rows {
		w.Write(append(r, string(firstNew), "", ""))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}

	var lb bytes.Buffer
	w = csv.NewWriter(&lb)
	w.Write([]string{"old_code", "new_code", "kind", "effective"})
	for _, l := range lineage {
		w.Write([]string{l.OldCode, l.NewCode, string(l.Kind), string(l.Effective)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}

	if err := check(ub.Bytes(), lb.Bytes(), map[units.Date]map[string]int{lastOld: want2024, firstNew: want2025}); err != nil {
		return fmt.Errorf("checking the generated files: %w", err)
	}
	if err := write(ref, out, ub.Bytes(), lb.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(log, "units.csv: %d pre-reform rows %v, %d post-reform rows %v\n", len(old.rows), old.levels, len(cur.rows), cur.levels)
	fmt.Fprintf(log, "lineage.csv: %d rows\n", len(lineage))
	return nil
}

// write puts the units and lineage into out/units and copies the boundaries.
func write(ref, out string, unitsCSV, lineageCSV []byte) error {
	unitsDir := filepath.Join(out, "units")
	boundDir := filepath.Join(out, "boundaries")
	for _, d := range []string{unitsDir, boundDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(unitsDir, "units.csv"), unitsCSV, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(unitsDir, "lineage.csv"), lineageCSV, 0o644); err != nil {
		return err
	}
	for _, name := range []string{"provinces-2025.topo.json", "communes-2025.topo.json"} {
		b, err := os.ReadFile(filepath.Join(ref, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(boundDir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// table is a CSV file read whole, with its columns found by name.
type table struct {
	file   string
	col    map[string]int
	header []string
	rows   [][]string
}

func readTable(file string, want ...string) (*table, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", file)
	}
	t := &table{file: filepath.Base(file), col: map[string]int{}, header: recs[0], rows: recs[1:]}
	for i, h := range recs[0] {
		t.col[h] = i
	}
	for _, c := range want {
		if _, ok := t.col[c]; !ok {
			return nil, fmt.Errorf("%s: no column %q", file, c)
		}
	}
	for _, r := range t.rows {
		for i := range r {
			r[i] = norm.NFC.String(strings.TrimSpace(r[i]))
		}
	}
	return t, nil
}

func (t *table) get(r []string, c string) string { return r[t.col[c]] }

func readRegions(file string) (map[string]string, error) {
	t, err := readTable(file, "region_code", "region7_code")
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, r := range t.rows {
		r7 := t.get(r, "region7_code")
		if _, ok := units.LookupRegion(r7); !ok {
			return nil, fmt.Errorf("%s: region %s maps to unknown region7 %q", t.file, t.get(r, "region_code"), r7)
		}
		m[t.get(r, "region_code")] = r7
	}
	if len(m) != 8 {
		return nil, fmt.Errorf("%s: %d regions, want 8", t.file, len(m))
	}
	return m, nil
}

// unitList is one reference unit list: its rows already in the output's first 8 columns.
type unitList struct {
	rows   [][]string
	level  map[string]string // code → level
	levels map[string]int
}

var unitCols = []string{"code", "name", "full_name", "name_en", "level", "type", "parent_code", "region_code"}

func readUnits(file string, region7 map[string]string, want map[string]int) (*unitList, error) {
	t, err := readTable(file, unitCols...)
	if err != nil {
		return nil, err
	}
	l := &unitList{level: map[string]string{}, levels: map[string]int{}}
	for i, r := range t.rows {
		out := make([]string, 0, len(outHeader))
		for _, c := range unitCols {
			out = append(out, t.get(r, c))
		}
		code, level, reg := out[0], out[4], out[7]
		if reg != "" {
			r7, ok := region7[reg]
			if !ok {
				return nil, fmt.Errorf("%s:%d: unknown region %q", t.file, i+2, reg)
			}
			out[7] = r7
		} else if level != "province" {
			return nil, fmt.Errorf("%s:%d: %s %s has no region", t.file, i+2, level, code)
		}
		if _, dup := l.level[code]; dup {
			return nil, fmt.Errorf("%s:%d: duplicate code %s", t.file, i+2, code)
		}
		l.level[code] = level
		l.levels[level]++
		l.rows = append(l.rows, out)
	}
	if fmt.Sprint(l.levels) != fmt.Sprint(want) {
		return nil, fmt.Errorf("%s: levels %v, want %v", t.file, l.levels, want)
	}
	return l, nil
}

// readLineage turns the conversion table into (old, new) pairs. Rows without an old commune
// code stand for a whole old district (the island districts that had no communes and became
// special zones, kind full) or, for Kim Sơn's coastal alluvial area, a part of one (kind
// partial): their old code is the district's.
func readLineage(file string, old, cur *unitList) ([]units.Lineage, error) {
	t, err := readTable(file, "old_commune_code", "old_commune_name", "old_district_code", "new_commune_code", "kind")
	if err != nil {
		return nil, err
	}
	var out []units.Lineage
	seen := map[[2]string]int{} // (old, new) → index in out
	for i, r := range t.rows {
		line := i + 2
		oldCode, newCode := t.get(r, "old_commune_code"), t.get(r, "new_commune_code")
		kind := units.LineageKind(t.get(r, "kind"))
		if kind != units.LineageFull && kind != units.LineagePartial {
			return nil, fmt.Errorf("%s:%d: kind %q", t.file, line, kind)
		}
		if oldCode == "" {
			oldCode = t.get(r, "old_district_code")
			if t.get(r, "old_commune_name") != "" { // an area of the district, not all of it
				kind = units.LineagePartial
			}
			if old.level[oldCode] != "district" {
				return nil, fmt.Errorf("%s:%d: old district %q is not a 2024 district", t.file, line, oldCode)
			}
		} else if old.level[oldCode] != "commune" {
			return nil, fmt.Errorf("%s:%d: old commune %q is not a 2024 commune", t.file, line, oldCode)
		}
		if a, ok := newCodeAliases[newCode]; ok {
			newCode = a
		}
		if cur.level[newCode] != "commune" {
			return nil, fmt.Errorf("%s:%d: new commune %q is not a 2025 commune", t.file, line, newCode)
		}
		k := [2]string{oldCode, newCode}
		if j, dup := seen[k]; dup {
			if kind == units.LineagePartial { // a pair listed twice is partial if either row says so
				out[j].Kind = units.LineagePartial
			}
			continue
		}
		seen[k] = len(out)
		out = append(out, units.Lineage{OldCode: oldCode, NewCode: newCode, Kind: kind, Effective: firstNew})
	}
	// Every old commune went somewhere and every new commune came from somewhere.
	hasOld, hasNew := map[string]bool{}, map[string]bool{}
	for _, l := range out {
		hasOld[l.OldCode], hasNew[l.NewCode] = true, true
	}
	for _, ul := range []struct {
		list *unitList
		has  map[string]bool
		what string
	}{{old, hasOld, "old"}, {cur, hasNew, "new"}} {
		for code, level := range ul.list.level {
			if level == "commune" && !ul.has[code] {
				return nil, fmt.Errorf("%s: %s commune %s has no lineage row", t.file, ul.what, code)
			}
		}
	}
	return out, nil
}

// check parses the generated files the way the program will and checks the counts by day and
// level and that every lineage code resolves on the right day, the new unit starting there.
func check(unitsCSV, lineageCSV []byte, want map[units.Date]map[string]int) error {
	us, err := units.ParseCSV("units.csv", bytes.NewReader(unitsCSV))
	if err != nil {
		return err
	}
	ls, err := units.ParseLineageCSV("lineage.csv", bytes.NewReader(lineageCSV))
	if err != nil {
		return err
	}
	count := func(d units.Date) map[string]int {
		m := map[string]int{}
		for _, u := range units.AsOf(us, d) {
			m[string(u.Level)]++
		}
		return m
	}
	var errs []error
	days := make([]units.Date, 0, len(want))
	for d := range want {
		days = append(days, d)
	}
	slices.Sort(days)
	for _, d := range days {
		if got := count(d); fmt.Sprint(got) != fmt.Sprint(want[d]) {
			errs = append(errs, fmt.Errorf("on %s: %v, want %v", d, got, want[d]))
		}
	}
	byCode := map[string][]units.Unit{}
	for _, u := range us {
		byCode[u.Code] = append(byCode[u.Code], u)
	}
	for _, l := range ls {
		if o, ok := units.Find(byCode[l.OldCode], l.OldCode, l.Effective.AddDays(-1)); !ok || o.ValidTo != l.Effective.AddDays(-1) {
			errs = append(errs, fmt.Errorf("lineage %s → %s on %s: the old unit does not end the day before", l.OldCode, l.NewCode, l.Effective))
		}
		if n, ok := units.Find(byCode[l.NewCode], l.NewCode, l.Effective); !ok || n.ValidFrom != l.Effective {
			errs = append(errs, fmt.Errorf("lineage %s → %s on %s: the new unit does not start that day", l.OldCode, l.NewCode, l.Effective))
		}
	}
	return errors.Join(errs...)
}
