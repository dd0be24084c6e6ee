package main

// The -historical mode: the units as of every change from 1 January 2019, from snapshots of the
// statistics office's list that public repositories committed each time it changed
// (snapshots.csv names them; resolutions.csv the acts each snapshot's source lists). Two
// consecutive snapshots give the changes of the second one's first day: a code that goes on
// with another name, type or parent becomes a new row of that code, a code that is gone ends.
// The lineage, of communes and provinces only, is what the two lists show (a unit going on
// under its code, basis "lists") or, for a commune that is gone, the only commune of its district that
// changed or appeared that day (basis "inferred", unverified); a commune gone with no such
// commune has no lineage. data/units/README.md says what each choice means.

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/ntm-vn/ntm/internal/units"
)

//go:embed snapshots.csv
var snapshotsCSV []byte

//go:embed resolutions.csv
var resolutionsCSV []byte

// The official counts that the generated data must give, by day and level; README's
// "Official counts" names their sources.
var wantCounts = map[units.Date]map[string]int{
	"2019-06-30": {"province": 63, "district": 713, "commune": 11160},
	"2021-06-30": {"province": 63, "district": 705, "commune": 10603},
	"2025-06-30": {"province": 63, "district": 696, "commune": 10035},
	"2025-07-01": {"province": 34, "commune": 3321},
}

// titleTypos corrects misspelt province names in the sources' resolution titles, folded, so
// that the act can be matched to its province ("Gia Lao" in dvhcvn's changelog is Gia Lai).
var titleTypos = map[string]string{"gia lao": "gia lai"}

// ustate is one unit in one snapshot.
type ustate struct {
	level, fullName, typ, parent string
	row                          []string // the first 8 output columns
}

type snapshot struct {
	day   units.Date // first day of this list; empty for the list in force before 2019
	repo  string
	units map[string]*ustate
	order []string
}

type resolution struct {
	day           units.Date
	number, title string
	words         string // folded title, words separated by single spaces and padded
}

// historicalSources reads the snapshots and resolutions named in the embedded tables, from the
// git directories of gits (owner/name → git dir) and from the reference (old, cur).
func historicalSources(gits map[string]string, old, cur *unitList) ([][]*snapshot, []resolution, error) {
	recs, err := csv.NewReader(bytes.NewReader(snapshotsCSV)).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("snapshots.csv: %w", err)
	}
	provRegion := map[string]string{}
	for _, r := range old.rows {
		if r[4] == "province" {
			provRegion[r[0]] = r[7]
		}
	}
	curRows := map[string][]string{}
	for _, r := range cur.rows {
		curRows[r[0]] = r
	}
	var pre, post []*snapshot
	for i, r := range recs[1:] {
		day, repo, commit, path := units.Date(r[0]), r[1], r[2], r[3]
		s := &snapshot{day: day, repo: repo, units: map[string]*ustate{}}
		switch {
		case repo == "reference":
			l := old
			if path == "units-2025.csv" {
				l = cur
			} else if path != "units-2024.csv" {
				return nil, nil, fmt.Errorf("snapshots.csv:%d: unknown reference file %s", i+2, path)
			}
			for _, row := range l.rows {
				s.add(row)
			}
		default:
			dir, ok := gits[repo]
			if !ok {
				return nil, nil, fmt.Errorf("snapshots.csv:%d: no -git directory for %s", i+2, repo)
			}
			b, err := exec.Command("git", "--git-dir", dir, "show", commit+":"+path).Output()
			if err != nil {
				return nil, nil, fmt.Errorf("snapshots.csv:%d: git show %s:%s in %s: %w", i+2, commit, path, dir, err)
			}
			if strings.HasPrefix(repo, "thanglequoc/") {
				err = s.readProvinceWards(b, curRows)
			} else {
				err = s.readGSOTree(b, provRegion)
			}
			if err != nil {
				return nil, nil, fmt.Errorf("snapshots.csv:%d: %s@%s: %w", i+2, repo, commit, err)
			}
		}
		if provs := r[4]; provs != "" {
			// Only these provinces as this list has them; the rest as in the list before: a
			// change the list shows among others that took effect earlier.
			s = mixed(pre[len(pre)-1], s, strings.Split(provs, " "))
		}
		if day != "" && day >= firstNew {
			post = append(post, s)
		} else {
			pre = append(pre, s)
		}
	}
	recs, err = csv.NewReader(bytes.NewReader(resolutionsCSV)).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("resolutions.csv: %w", err)
	}
	var res []resolution
	for _, r := range recs[1:] {
		w := words(r[2])
		for typo, fix := range titleTypos {
			w = strings.ReplaceAll(w, " "+typo+" ", " "+fix+" ")
		}
		res = append(res, resolution{day: units.Date(r[0]), number: r[1], title: r[2], words: w})
	}
	return [][]*snapshot{pre, post}, res, nil
}

// mixed is prev with the units of provinces taken from s instead.
func mixed(prev, s *snapshot, provinces []string) *snapshot {
	out := &snapshot{day: s.day, repo: s.repo, units: map[string]*ustate{}}
	for _, code := range prev.order {
		if !slices.Contains(provinces, prev.provinceOf(code)) {
			out.add(prev.units[code].row)
		}
	}
	for _, code := range s.order {
		if slices.Contains(provinces, s.provinceOf(code)) {
			out.add(s.units[code].row)
		}
	}
	return out
}

// provinceOf is the code of the province the unit lies in, "" if it is not in the list.
func (s *snapshot) provinceOf(code string) string {
	for u := s.units[code]; u != nil; u = s.units[u.parent] {
		if u.level == "province" {
			return code
		}
		code = u.parent
	}
	return ""
}

func (s *snapshot) add(row []string) {
	s.units[row[0]] = &ustate{level: row[4], fullName: row[2], typ: row[5], parent: row[6], row: row}
	s.order = append(s.order, row[0])
}

// readGSOTree reads the statistics office's three-level tree as dvhcvn stores it.
func (s *snapshot) readGSOTree(b []byte, provRegion map[string]string) error {
	type node struct {
		Level1 string `json:"level1_id"`
		Level2 string `json:"level2_id"`
		Level3 string `json:"level3_id"`
		Name   string `json:"name"`
		Type   string `json:"type"`
		Kids2  []node `json:"level2s"`
		Kids3  []node `json:"level3s"`
	}
	var tree []node
	if err := json.Unmarshal(b, &tree); err != nil {
		var wrapped struct{ Data []node }
		if err2 := json.Unmarshal(b, &wrapped); err2 != nil {
			return err
		}
		tree = wrapped.Data
	}
	var bad []string
	row := func(code, level, full, typ, parent, region string) {
		full = strings.Join(strings.Fields(norm.NFC.String(full)), " ")
		t, ok := gsoTypes[level][strings.ToLower(norm.NFC.String(typ))]
		if !ok {
			bad = append(bad, fmt.Sprintf("%s %s: type %q", level, code, typ))
		}
		if level == "district" && t == "thành phố thuộc tỉnh" && s.units[parent].typ == units.TypeCentralCity {
			t = "thành phố thuộc thành phố trung ương"
		}
		name := shortName(full)
		s.add([]string{code, name, full, ascii(name), level, t, parent, region})
	}
	for _, p := range tree {
		region, ok := provRegion[p.Level1]
		if !ok {
			return fmt.Errorf("province %s is not in units-2024.csv", p.Level1)
		}
		row(p.Level1, "province", p.Name, p.Type, "", region)
		for _, d := range p.Kids2 {
			row(d.Level2, "district", d.Name, d.Type, p.Level1, region)
			for _, c := range d.Kids3 {
				row(c.Level3, "commune", c.Name, c.Type, d.Level2, region)
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("unknown unit types: %s", strings.Join(bad, "; "))
	}
	return nil
}

// gsoTypes maps the office's type names, lower case, to the types of units.csv.
var gsoTypes = map[string]map[string]string{
	"province": {"tỉnh": units.TypeProvince, "thành phố trung ương": units.TypeCentralCity},
	"district": {"quận": "quận", "huyện": "huyện", "thị xã": "thị xã", "thành phố": "thành phố thuộc tỉnh"},
	"commune":  {"xã": units.TypeRuralCommune, "phường": units.TypeWard, "thị trấn": units.TypeTownlet},
}

// readProvinceWards reads thanglequoc's two-level list (after the reform), whose types are the
// first words of the full names; the region is the reference's for the same code.
func (s *snapshot) readProvinceWards(b []byte, curRows map[string][]string) error {
	type ward struct{ Code, Name, NameEn, FullName, ProvinceCode string }
	var tree []struct {
		ward
		Wards []ward
	}
	if err := json.Unmarshal(b, &tree); err != nil {
		return err
	}
	row := func(w ward, level, parent string) error {
		full := norm.NFC.String(w.FullName)
		t := ""
		for prefix, typ := range prefixTypes[level] {
			if strings.HasPrefix(full, prefix+" ") {
				t = typ
			}
		}
		ref, ok := curRows[w.Code]
		if t == "" || !ok {
			return fmt.Errorf("%s %s %q: unknown type or not in units-2025.csv", level, w.Code, full)
		}
		s.add([]string{w.Code, norm.NFC.String(w.Name), full, w.NameEn, level, t, parent, ref[7]})
		return nil
	}
	for _, p := range tree {
		if err := row(p.ward, "province", ""); err != nil {
			return err
		}
		for _, w := range p.Wards {
			if err := row(w, "commune", p.Code); err != nil {
				return err
			}
		}
	}
	return nil
}

var prefixTypes = map[string]map[string]string{
	"province": {"Tỉnh": units.TypeProvince, "Thành phố": units.TypeCentralCity},
	"commune":  {"Xã": units.TypeRuralCommune, "Phường": units.TypeWard, "Đặc khu": units.TypeSpecialZone},
}

// typePrefixes are the words a full name starts with, longest first.
var typePrefixes = []string{"thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "quận", "huyện", "tỉnh", "xã"}

// shortName is a full name without its type: "Thị Xã Mường Lay" → "Mường Lay".
func shortName(full string) string {
	low := strings.ToLower(full)
	for _, p := range typePrefixes {
		if strings.HasPrefix(low, p+" ") {
			return strings.TrimSpace(full[len(p)+1:])
		}
	}
	return full
}

// ascii is a name without its diacritics, as the sources write name_en ("Sóc Sơn" → "Soc Son").
func ascii(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// words folds s for matching names inside titles: " thanh lap thi xa tu son tinh bac ninh ".
func words(s string) string {
	f := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, units.Fold(s))
	return " " + strings.Join(strings.Fields(f), " ") + " "
}

// chainResult is the rows and lineage built from one chain of snapshots.
type chainResult struct {
	rows       [][]string // 11 output columns
	lineage    []units.Lineage
	repaired   []string // what repair changed in the lists
	unresolved []string // units gone with no lineage: "2020-01-01 16387 Xã Đông Khê (Thanh Hóa)"
	noAct      int      // lineage rows whose resolution is not known
}

// buildChain turns a chain of snapshots into effective-dated rows and lineage. end is the last
// day of the last snapshot ("" when it is still in force).
func buildChain(snaps []*snapshot, res []resolution, end units.Date) chainResult {
	var out chainResult
	out.repaired = repair(snaps)
	// real[i][code]: the unit changed on snaps[i].day.
	real := make([]map[string]bool, len(snaps))
	for i := 1; i < len(snaps); i++ {
		real[i] = out.step(snaps[i-1], snaps[i], res)
	}
	out.addRows(snaps, real, end)
	return out
}

// step compares two consecutive lists: it adds the lineage of the day b took effect and
// returns the codes of the units that really changed that day.
func (out *chainResult) step(a, b *snapshot, res []resolution) map[string]bool {
	day := b.day
	real := map[string]bool{}
	// Names of the provinces and districts of a unit, on both sides, to find its act.
	names := func(code string) (level string, provs, dists []string) {
		for _, s := range []*snapshot{a, b} {
			u := s.units[code]
			if u == nil {
				continue
			}
			level = u.level
			if p := s.units[s.provinceOf(code)]; p != nil {
				provs = append(provs, shortName(p.fullName))
			}
			switch u.level {
			case "district":
				dists = append(dists, shortName(u.fullName))
			case "commune":
				if d := s.units[u.parent]; d != nil && d.level == "district" {
					dists = append(dists, shortName(d.fullName))
				}
			}
		}
		return level, provs, dists
	}
	act := func(codes ...string) string {
		var level string
		var provs, dists []string
		for _, c := range codes {
			l, p, d := names(c)
			if level == "" || l == "province" {
				level = l
			}
			provs, dists = append(provs, p...), append(dists, d...)
		}
		return attribute(res, day, level, provs, dists)
	}
	// Provinces where something certain happened that day: a unit gone, new or moved.
	active := map[string]bool{}
	structural := func(code string) bool {
		x, y := a.units[code], b.units[code]
		return x == nil || y == nil || x.level != y.level || x.parent != y.parent
	}
	for _, s := range []*snapshot{a, b} {
		for _, code := range s.order {
			if structural(code) {
				active[a.provinceOf(code)], active[b.provinceOf(code)] = true, true
			}
		}
	}
	// A name or a type alone changes only where the province saw other changes or has an
	// act that day; elsewhere it is a source correcting its spelling ("Thị Xã" → "Thị xã").
	for _, code := range b.order {
		x, y := a.units[code], b.units[code]
		if x == nil {
			continue
		}
		switch {
		case structural(code):
			real[code] = true
		case x.typ != y.typ || units.Fold(x.fullName) != units.Fold(y.fullName):
			real[code] = active[a.provinceOf(code)] || active[b.provinceOf(code)] || act(code) != ""
		}
	}
	changedOrNew := func(code string) bool { return a.units[code] == nil || real[code] }
	add := func(l units.Lineage) {
		if l.Resolution == "" {
			out.noAct++
		}
		out.lineage = append(out.lineage, l)
	}
	// A unit that goes on under its code.
	for _, code := range b.order {
		if a.units[code] != nil && real[code] && b.units[code].level != "district" {
			add(units.Lineage{OldCode: code, NewCode: code, Kind: units.LineageFull, Effective: day,
				Resolution: act(code), Basis: units.BasisLists})
		}
	}
	// A commune that is gone: the one commune of its district changed or new that day.
	for _, code := range a.order {
		x := a.units[code]
		if b.units[code] != nil || x.level != "commune" {
			continue
		}
		var cands []string
		for _, c := range b.order {
			y := b.units[c]
			if y.level != "commune" || !changedOrNew(c) {
				continue
			}
			if y.parent == x.parent || (a.units[c] != nil && a.units[c].parent == x.parent) {
				cands = append(cands, c)
			}
		}
		if len(cands) != 1 {
			out.unresolved = append(out.unresolved, fmt.Sprintf("%s %s %s (%d candidates)", day, code, x.fullName, len(cands)))
			continue
		}
		add(units.Lineage{OldCode: code, NewCode: cands[0], Kind: units.LineageFull, Effective: day,
			Resolution: act(code, cands[0]), Basis: units.BasisInferred})
	}
	// Districts get no lineage rows, as in the 2025 table: what became of a district is
	// read from its communes' rows (each commune that moved has a new row under its new
	// district, with a lineage row of its code), and the program reads a lineage row of a
	// district as the place its communes went (scope, rollups). A province that goes on
	// under its code (Huế in 2025, Đồng Nai in 2026) has one, above.
	return real
}

// addRows adds one row per unit and per run of lists in which it stayed the same.
func (out *chainResult) addRows(snaps []*snapshot, real []map[string]bool, end units.Date) {
	n := len(snaps)
	// Codes in the order of the last list that has them, newest list first.
	var order []string
	seen := map[string]bool{}
	for i := n - 1; i >= 0; i-- {
		for _, c := range snaps[i].order {
			if !seen[c] {
				seen[c] = true
				order = append(order, c)
			}
		}
	}
	for _, code := range order {
		start := -1
		flush := func(last int) {
			from, to := string(snaps[start].day), string(end)
			if last < n-1 {
				to = string(snaps[last+1].day.AddDays(-1))
			}
			// The row is the unit as the newest list of the run spells it.
			out.rows = append(out.rows, append(slices.Clone(snaps[last].units[code].row), from, to, ""))
		}
		for i := 0; i < n; i++ {
			_, here := snaps[i].units[code]
			split := here && i > 0 && real[i][code]
			if start >= 0 && (!here || split) {
				flush(i - 1)
				start = -1
			}
			if here && start < 0 {
				start = i
			}
		}
		if start >= 0 {
			flush(n - 1)
		}
	}
}

// repair mends two faults of the scraped lists, in place, and says what it did:
//   - a code that is gone, comes back with the name it had and is gone again before the last
//     list is a stale entry of the lists where it came back (11 communes merged in 2019-2020
//     reappear in the list of 2025-01-01 only): it is taken out of them;
//   - a code missing from one list between two that have it was left out of that list: it is
//     put back, as the list after has it if that differs from the list before (the change
//     then dates from the list that left it out), else as the list before has it.
func repair(snaps []*snapshot) []string {
	var done []string
	n := len(snaps)
	var codes []string
	seen := map[string]bool{}
	for _, s := range snaps {
		for _, c := range s.order {
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
	}
	remove := func(s *snapshot, code string) {
		delete(s.units, code)
		s.order = slices.DeleteFunc(s.order, func(c string) bool { return c == code })
	}
	for _, code := range codes {
		lastName := "" // the name of the code's last run that ended
		for i := 0; i < n; {
			if snaps[i].units[code] == nil {
				i++
				continue
			}
			j := i
			for j+1 < n && snaps[j+1].units[code] != nil {
				j++
			}
			name := units.Fold(snaps[i].units[code].fullName)
			if i > 0 && j < n-1 && name == lastName && snaps[i-1].units[code] == nil {
				done = append(done, fmt.Sprintf("%s %s: stale in the lists of %s to %s, taken out", code, snaps[i].units[code].fullName, snaps[i].day, snaps[j].day))
				for k := i; k <= j; k++ {
					remove(snaps[k], code)
				}
			} else {
				lastName = units.Fold(snaps[j].units[code].fullName)
			}
			i = j + 1
		}
	}
	for _, code := range codes {
		for i := 1; i+1 < n; i++ {
			before, after := snaps[i-1].units[code], snaps[i+1].units[code]
			if snaps[i].units[code] != nil || before == nil || after == nil {
				continue
			}
			u := before
			if before.level != after.level || before.parent != after.parent || before.typ != after.typ || units.Fold(before.fullName) != units.Fold(after.fullName) {
				u = after
			}
			if snaps[i].units[u.parent] == nil && u.parent != "" {
				continue
			}
			snaps[i].add(u.row)
			done = append(done, fmt.Sprintf("%s %s: missing from the list of %s, put back", code, u.fullName, snaps[i].day))
		}
	}
	return done
}

// attribute names the act of a change on day: among the acts listed for that day, those of the
// right body (the National Assembly for a province, its Standing Committee below) that name one
// of provs; if several, those that also name one of dists. "" unless exactly one remains.
func attribute(res []resolution, day units.Date, level string, provs, dists []string) string {
	var pool []resolution
	for _, r := range res {
		if r.day != day {
			continue
		}
		ubt := strings.Contains(r.number, "UBTVQH")
		if (level == "province") == ubt {
			continue
		}
		pool = append(pool, r)
	}
	naming := func(rs []resolution, names []string) []resolution {
		var out []resolution
		for _, r := range rs {
			for _, nm := range names {
				if w := words(nm); len(w) > 4 && strings.Contains(r.words, w) {
					out = append(out, r)
					break
				}
			}
		}
		return out
	}
	pool = naming(pool, provs)
	if len(pool) > 1 {
		pool = naming(pool, dists)
	}
	if len(pool) != 1 {
		return ""
	}
	return pool[0].number
}

// writeCSV writes a header and rows.
func writeCSV(header []string, rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows)
	return b.Bytes(), w.Error()
}

var lineageHeader = []string{"old_code", "new_code", "kind", "effective", "resolution", "basis"}

func lineageRows(ls []units.Lineage) [][]string {
	var rows [][]string
	for _, l := range ls {
		rows = append(rows, []string{l.OldCode, l.NewCode, string(l.Kind), string(l.Effective), l.Resolution, string(l.Basis)})
	}
	return rows
}

// historical builds units.csv and lineage.csv from every snapshot, with the 2025 conversion
// table in between, and reports what it could not establish.
func historical(gits map[string]string, old, cur *unitList, table []units.Lineage, log io.Writer) (unitsCSV, lineageCSV []byte, err error) {
	chains, res, err := historicalSources(gits, old, cur)
	if err != nil {
		return nil, nil, err
	}
	pre := buildChain(chains[0], res, lastOld)
	post := buildChain(chains[1], res, "")
	rows := append(pre.rows, post.rows...)
	var ls []units.Lineage
	ls = append(ls, pre.lineage...)
	for _, l := range table {
		l.Basis = units.BasisTable
		ls = append(ls, l)
	}
	ls = append(ls, post.lineage...)
	slices.SortStableFunc(ls, func(a, b units.Lineage) int { return strings.Compare(string(a.Effective), string(b.Effective)) })
	if unitsCSV, err = writeCSV(outHeader, rows); err != nil {
		return nil, nil, err
	}
	if lineageCSV, err = writeCSV(lineageHeader, lineageRows(ls)); err != nil {
		return nil, nil, err
	}
	for _, c := range []chainResult{pre, post} {
		for _, r := range c.repaired {
			fmt.Fprintln(log, "repaired:", r)
		}
		for _, u := range c.unresolved {
			fmt.Fprintln(log, "no lineage:", u)
		}
	}
	fmt.Fprintf(log, "units.csv: %d rows; lineage.csv: %d rows (%d from the 2025 table); %d units gone without lineage; %d lineage rows without a known act\n",
		len(rows), len(ls), len(table), len(pre.unresolved)+len(post.unresolved), pre.noAct+post.noAct)
	return unitsCSV, lineageCSV, nil
}
