package units

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/ntm-vn/ntm/internal/fault"
)

// MaxProblems is how many problems a parse collects before it stops reading.
const MaxProblems = 50

// Problem is one thing wrong in an input file, at a line (1 is the header; 0 when the whole file
// is concerned) and, where it applies, in a named column.
type Problem struct {
	Line    int
	Column  string
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteString(": ")
	}
	if p.Column != "" {
		b.WriteString("column ")
		b.WriteString(p.Column)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// problems collects a file's problems up to MaxProblems.
type problems struct {
	file      string
	list      []Problem
	truncated bool // more problems were found than MaxProblems; reading stopped
}

func (ps *problems) add(line int, column, format string, args ...any) {
	if len(ps.list) >= MaxProblems {
		ps.truncated = true
		return
	}
	ps.list = append(ps.list, Problem{Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) full() bool { return ps.truncated }

// result is nil, or the fault listing the problems of a units or lineage CSV file: the user
// fixes the file. Problems is the []Problem, one a line of the message.
func (ps *problems) result() error {
	if len(ps.list) == 0 {
		return nil
	}
	var b strings.Builder
	for i, p := range ps.list {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(ps.file)
		if p.Line > 0 {
			b.WriteByte(':')
		} else {
			b.WriteString(": ")
		}
		b.WriteString(p.String())
	}
	if ps.truncated {
		fmt.Fprintf(&b, "\n%s: stopped after %d problems", ps.file, MaxProblems)
	}
	return &fault.Error{Code: fault.InvalidValue, Text: b.String(), Problems: ps.list, Truncated: ps.truncated}
}

// csvFile reads a CSV file whose columns are found by header name.
type csvFile struct {
	r       *csv.Reader
	col     map[string]int // column name → index
	ncols   int
	ps      *problems
	line    int // line of the current record
	ioError error
}

// openCSV reads the header and checks it against the required and optional columns. ok is false
// when the header is unusable (the problems say why).
func openCSV(r io.Reader, ps *problems, required, optional []string) (f *csvFile, ok bool) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	f = &csvFile{r: csv.NewReader(br), col: map[string]int{}, ps: ps}
	f.r.FieldsPerRecord = -1
	f.r.ReuseRecord = true
	header, err := f.r.Read()
	if err == io.EOF {
		ps.add(0, "", "the file is empty; it needs a header row %s", strings.Join(required, ","))
		return f, false
	}
	if err != nil {
		f.readError(err)
		return f, false
	}
	f.ncols = len(header)
	hline, _ := f.r.FieldPos(0)
	known := append(slices.Clone(required), optional...)
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
			ps.add(hline, "", "column %d has no name", i+1)
		case !slices.Contains(known, h):
			ps.add(hline, h, "unknown column; the columns are %s", strings.Join(known, ", "))
		default:
			if _, dup := f.col[h]; dup {
				ps.add(hline, h, "column appears twice in the header")
			}
			f.col[h] = i
		}
	}
	ok = true
	for _, c := range required {
		if _, found := f.col[c]; !found {
			ps.add(hline, c, "missing required column (the header must include %s)", strings.Join(required, ","))
			ok = false
		}
	}
	return f, ok
}

// next reads the next record; it returns nil at the end of the file or on a syntax error.
func (f *csvFile) next() []string {
	for !f.ps.full() {
		rec, err := f.r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			f.readError(err)
			return nil
		}
		f.line, _ = f.r.FieldPos(0)
		if len(rec) != f.ncols {
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue // a line of blanks
			}
			f.ps.add(f.line, "", "the row has %d fields but the header has %d", len(rec), f.ncols)
			continue
		}
		return rec
	}
	return nil
}

func (f *csvFile) readError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		f.ps.add(pe.Line, "", "%v; reading stopped here", pe.Err)
		return
	}
	f.ioError = err
}

// get returns the trimmed value of column c in rec, "" when the column is absent.
func (f *csvFile) get(rec []string, c string) string {
	i, ok := f.col[c]
	if !ok {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func (f *csvFile) finish(filename string) error {
	if f.ioError != nil {
		return fmt.Errorf("%s: %w", filename, f.ioError)
	}
	f.ps.file = filename
	return f.ps.result()
}

var (
	unitColumns     = []string{"code", "name", "full_name", "name_en", "level", "type", "parent_code", "region_code"}
	unitOptional    = []string{"valid_from", "valid_to", "tags"}
	lineageColumns  = []string{"old_code", "new_code", "kind", "effective"}
	lineageOptional = []string{"resolution", "basis"}
)

// ParseCSVOptions tunes ParseCSV.
type ParseCSVOptions struct {
	// AllowExternalParents accepts a parent_code that has no row in the file valid at the same
	// time, for a file that adds units below ones already known (e.g. villages for existing
	// communes); the caller then checks those parents against its own units. A parent that is
	// in the file must still be of a higher level.
	AllowExternalParents bool
}

// ParseCSV reads a units CSV file (SPEC §6: header code,name,full_name,name_en,level,type,
// parent_code,region_code, optional valid_from,valid_to,tags) and checks it as a whole: every
// non-province has a parent of a higher level in the file, valid at some time the child is,
// and no code has two rows whose validity overlaps. filename is used in messages only. Bad
// content is reported as a fault naming each line and column.
func ParseCSV(filename string, r io.Reader) ([]Unit, error) {
	return ParseCSVOptions{}.Parse(filename, r)
}

// unitRow is a parsed unit with where it came from. bad rows had a problem of their own; they
// are kept for looking up parents but spared the whole-file checks to avoid echoes.
type unitRow struct {
	Unit
	line int
	bad  bool
}

// Parse is ParseCSV with options.
func (o ParseCSVOptions) Parse(filename string, r io.Reader) ([]Unit, error) {
	ps := &problems{}
	f, ok := openCSV(r, ps, unitColumns, unitOptional)
	if !ok {
		return nil, f.finish(filename)
	}
	var rows []unitRow
	for rec := f.next(); rec != nil; rec = f.next() {
		rows = append(rows, parseUnitRow(f, rec))
	}
	if !ps.full() {
		checkUnits(rows, ps, o.AllowExternalParents)
	}
	if err := f.finish(filename); err != nil {
		return nil, err
	}
	out := make([]Unit, len(rows))
	for i, r := range rows {
		out[i] = r.Unit
	}
	return out, nil
}

func parseUnitRow(f *csvFile, rec []string) unitRow {
	line := f.line
	nproblems := len(f.ps.list)
	bad := func(column, format string, args ...any) { f.ps.add(line, column, format, args...) }
	u := Unit{
		Code:       f.get(rec, "code"),
		Name:       norm.NFC.String(f.get(rec, "name")),
		FullName:   norm.NFC.String(f.get(rec, "full_name")),
		NameEN:     norm.NFC.String(f.get(rec, "name_en")),
		Level:      Level(f.get(rec, "level")),
		Type:       strings.ToLower(norm.NFC.String(f.get(rec, "type"))),
		ParentCode: f.get(rec, "parent_code"),
		Region:     f.get(rec, "region_code"),
		ValidFrom:  Beginning,
		ValidTo:    Forever,
	}
	if msg := checkCode(u.Code); msg != "" {
		bad("code", "%s", msg)
	}
	if u.Name == "" {
		bad("name", "the name is empty")
	}
	if !ValidLevel(u.Level) {
		bad("level", "%q is not one of province, district, commune, village", u.Level)
	}
	switch {
	case u.Level == LevelProvince && u.ParentCode != "":
		bad("parent_code", "a province has no parent, found %q", u.ParentCode)
	case u.ParentCode == "" && u.Level != LevelProvince && ValidLevel(u.Level):
		bad("parent_code", "a %s needs the code of the unit it belongs to", u.Level)
	case u.ParentCode != "":
		if msg := checkCode(u.ParentCode); msg != "" {
			bad("parent_code", "%s", msg)
		} else if u.ParentCode == u.Code {
			bad("parent_code", "a unit cannot be its own parent")
		}
	}
	if _, ok := LookupRegion(u.Region); u.Region != "" && !ok {
		bad("region_code", "%q is not one of TDMNPB, DBSH, BTB, DHNTB, TN, DNB, DBSCL (or empty)", u.Region)
	}
	datesOK := true
	for _, c := range []struct {
		column string
		d      *Date
	}{{"valid_from", &u.ValidFrom}, {"valid_to", &u.ValidTo}} {
		s := f.get(rec, c.column)
		if s == "" {
			continue
		}
		d, err := ReadDate(s)
		if err != nil {
			bad(c.column, "%v", err)
			datesOK = false
			continue
		}
		*c.d = d
	}
	if datesOK && u.ValidFrom > u.ValidTo {
		bad("valid_to", "%s is before valid_from %s", u.ValidTo, u.ValidFrom)
	}
	for _, t := range strings.Split(f.get(rec, "tags"), ";") {
		if t = norm.NFC.String(strings.TrimSpace(t)); t != "" && !slices.Contains(u.Tags, t) {
			u.Tags = append(u.Tags, t)
		}
	}
	return unitRow{Unit: u, line: line, bad: len(f.ps.list) > nproblems}
}

// checkCode says what is wrong with a GSO code, "" if nothing.
func checkCode(code string) string {
	if code == "" {
		return "the code is empty"
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return fmt.Sprintf("%q is not a code: codes are digits only (keep the leading zeros)", code)
		}
	}
	return ""
}

func overlaps(a, b Unit) bool { return a.ValidFrom <= b.ValidTo && b.ValidFrom <= a.ValidTo }

// checkUnits runs the checks that need the whole file: duplicates and parents.
func checkUnits(rows []unitRow, ps *problems, externalParents bool) {
	byCode := map[string][]int{}
	for i, r := range rows {
		if checkCode(r.Code) == "" {
			byCode[r.Code] = append(byCode[r.Code], i)
		}
	}

	// Duplicates: within one code, sorted by start, a row overlaps an earlier one exactly when
	// it starts before the latest end so far.
	var dups []Problem
	for _, idx := range byCode {
		if len(idx) < 2 {
			continue
		}
		good := slices.DeleteFunc(slices.Clone(idx), func(i int) bool { return rows[i].bad })
		slices.SortFunc(good, func(a, b int) int {
			return strings.Compare(string(rows[a].ValidFrom), string(rows[b].ValidFrom))
		})
		latest := 0 // the row among good[:k] that ends last
		for k := 1; k < len(good); k++ {
			cur, prev := rows[good[k]], rows[good[latest]]
			if overlaps(cur.Unit, prev.Unit) {
				dups = append(dups, Problem{Line: max(cur.line, prev.line), Column: "code",
					Message: fmt.Sprintf("duplicate code %s: line %d has it too, and both rows are valid from %s to %s; give each row of a code its own valid_from..valid_to",
						cur.Code, min(cur.line, prev.line), max(cur.ValidFrom, prev.ValidFrom), min(cur.ValidTo, prev.ValidTo))})
			}
			if cur.ValidTo > prev.ValidTo {
				latest = k
			}
		}
	}
	slices.SortFunc(dups, func(a, b Problem) int { return a.Line - b.Line })
	for _, p := range dups {
		ps.add(p.Line, p.Column, "%s", p.Message)
	}

	for _, r := range rows {
		if ps.full() {
			return
		}
		if r.bad || r.ParentCode == "" {
			continue
		}
		found, overlapping, above := false, false, false
		for _, j := range byCode[r.ParentCode] {
			found = true
			p := rows[j]
			if !overlaps(r.Unit, p.Unit) {
				continue
			}
			overlapping = true
			if p.bad || (p.Level.Depth() > 0 && p.Level.Depth() < r.Level.Depth()) {
				above = true
				break
			}
		}
		switch {
		case above:
		case overlapping:
			ps.add(r.line, "parent_code", "parent %s is not a level above a %s", r.ParentCode, r.Level)
		case externalParents:
		case found:
			ps.add(r.line, "parent_code", "parent %s has no row valid between %s and %s", r.ParentCode, r.ValidFrom, r.ValidTo)
		default:
			ps.add(r.line, "parent_code", "parent %s is not in the file", r.ParentCode)
		}
	}
}

// ParseLineageCSV reads a lineage CSV file (header old_code,new_code,kind,effective; kind full
// or partial; effective a date; optional resolution and basis: table, lists or inferred) and
// reports bad content as a fault listing them. It does not check the codes against units; the caller
// does, with the units valid on each side of Effective.
func ParseLineageCSV(filename string, r io.Reader) ([]Lineage, error) {
	ps := &problems{}
	f, ok := openCSV(r, ps, lineageColumns, lineageOptional)
	if !ok {
		return nil, f.finish(filename)
	}
	var out []Lineage
	seen := map[Lineage]int{} // with Kind cleared → line
	for rec := f.next(); rec != nil; rec = f.next() {
		line := f.line
		n := len(ps.list)
		l := Lineage{
			OldCode:    f.get(rec, "old_code"),
			NewCode:    f.get(rec, "new_code"),
			Kind:       LineageKind(f.get(rec, "kind")),
			Resolution: norm.NFC.String(f.get(rec, "resolution")),
			Basis:      LineageBasis(f.get(rec, "basis")),
		}
		if msg := checkCode(l.OldCode); msg != "" {
			ps.add(line, "old_code", "%s", msg)
		}
		if msg := checkCode(l.NewCode); msg != "" {
			ps.add(line, "new_code", "%s", msg)
		}
		if l.Kind != LineageFull && l.Kind != LineagePartial {
			ps.add(line, "kind", "%q is not one of full, partial", l.Kind)
		}
		if !ValidBasis(l.Basis) {
			ps.add(line, "basis", "%q is not one of table, lists, inferred (or empty)", l.Basis)
		}
		d, err := ReadDate(f.get(rec, "effective"))
		if err != nil {
			ps.add(line, "effective", "%v", err)
		}
		l.Effective = d
		if len(ps.list) > n {
			continue
		}
		k := Lineage{OldCode: l.OldCode, NewCode: l.NewCode, Effective: l.Effective}
		if first, dup := seen[k]; dup {
			ps.add(line, "old_code", "%s → %s on %s is already on line %d", l.OldCode, l.NewCode, l.Effective, first)
			continue
		}
		seen[k] = line
		out = append(out, l)
	}
	if err := f.finish(filename); err != nil {
		return nil, err
	}
	return out, nil
}
