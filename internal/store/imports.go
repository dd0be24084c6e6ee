package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/units"
)

// Bulk imports of values (SPEC §1.3, §5: a million values in under 10 s on SQLite, all or
// nothing). One pass over the rows, read as a stream in batches (the units of each batch
// looked up at once), checks everything — unit during the period, criteria set, period, code
// and value, repeats, whether the assessment may still be edited, the importer's scope — and
// collects every problem; any problem and nothing is written. What stays in memory is each
// assessment's checked values, not the rows. Then, in the same transaction, missing
// assessments are created as drafts, values written in multi-row statements (SQLite: one
// prepared INSERT of 100 values run again and again; PostgreSQL: COPY for new assessments,
// multi-row upserts for the others), each touched assessment evaluated once (in parallel)
// and its version bumped once, and one audit entry written per assessment rather than one
// per value. A process killed at any point leaves the transaction uncommitted: nothing.

// ImportOptions says how to import.
type ImportOptions struct {
	Filename string           // names the file in problems and in the audit log
	DryRun   bool             // check everything and count what would change; write nothing
	User     *auth.User       // whose scope applies; nil: the system, with every unit in scope
	Check    *imports.Checker // the criteria sets' codes and values
	// Evaluate evaluates each assessment the import writes (required unless DryRun); it is
	// called from several goroutines at once.
	Evaluate Evaluate
	// Status is the status the imported assessments take: draft (the default), or submitted,
	// verified or approved for figures already approved on paper. Beyond draft the user must
	// be allowed to approve (auth.Verify) every unit of the file, checked before anything is
	// written; each assessment's audit entry names the status, the user and the file.
	Status assessment.Status
}

// StatusFault is the fault of an import status that is not one of draft, submitted, verified,
// approved.
func StatusFault(status string) *fault.Error {
	return fault.Newf(fault.InvalidValue, "trạng thái %q không dùng được khi nhập: dùng draft, submitted, verified hoặc approved (status %q: use draft, submitted, verified or approved)", status, status)
}

// importTarget is one assessment a file writes to: a unit version, a set, a period.
type importTarget struct {
	unit    units.Unit
	set     string
	period  assessment.Period
	bads    []imports.Bad // problems of the unit, set, period, scope or status: every row's
	id      int64         // the existing assessment, or 0
	status  assessment.Status
	version int
	entries []importEntry
	keys    []string   // the set's keys by slot
	first   []rowPlace // where each key's value came from, by slot (see imports.Checker.Slots)
	old     map[string]storedValue

	added, changed, unchanged int
	eval                      *Evaluation
}

// importEntry is one checked value. A million are held at once, so the key is its slot in
// the set (slots are numbered in key order: see imports.Checker) and the note a number in
// importer.notes: 24 bytes.
type importEntry struct {
	value    string
	note     uint32 // 0: no note
	slot     uint16
	keepNote bool // the file has no note column: a stored note stays
}

// rowPlace is where a row sits in the file: its line, and its sheet's number in
// importer.sheets.
type rowPlace struct {
	line  int32
	sheet uint16
}

type storedValue struct{ value, note string }

// writes reports whether the import changes the assessment.
func (t *importTarget) writes() bool { return t.id == 0 || t.added+t.changed > 0 }

func (t *importTarget) unitDay() units.Date {
	if t.unit.ValidFrom > t.period.Start {
		return t.unit.ValidFrom
	}
	return t.period.Start
}

// progressEvery is how many rows pass between calls of the progress function.
const progressEvery = 16384

// ImportValues imports rows held in memory (see ImportFrom).
func (db *DB) ImportValues(ctx context.Context, actor string, rows []imports.Row, opt ImportOptions, progress func(done, total int)) (imports.Report, error) {
	return db.ImportFrom(ctx, actor, imports.Rows(rows), opt, progress)
}

// ImportFrom imports the rows of src as actor in one transaction: all of them, or — when any
// row has a problem — none, and the result lists the problems (at most imports.MaxProblems,
// the rest counted) with an imports.Rejected fault; problems of the file itself (src's
// imports.Rejected fault) stop it the same way. The rows are read once, in batches, and not
// kept: what stays in memory is, for each assessment the file names, its checked values. A
// user whose role may not import at all gets an auth.Refusal. progress, when not
// nil, is called now and then with the steps done and the total: each row is checked, then
// written (while the file is read the total is an estimate when src cannot say its length).
func (db *DB) ImportFrom(ctx context.Context, actor string, src imports.Source, opt ImportOptions, progress func(done, total int)) (imports.Report, error) {
	if opt.Check == nil {
		return imports.Report{}, errors.New("import: no criteria sets to check values against")
	}
	if opt.Evaluate == nil && !opt.DryRun {
		return imports.Report{}, errNoEvaluation
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	switch opt.Status {
	case "", assessment.Draft, assessment.Submitted, assessment.Verified, assessment.Approved:
	default:
		return imports.Report{}, StatusFault(string(opt.Status))
	}
	spans, err := db.importScope(ctx, opt.User)
	if err != nil {
		return imports.Report{}, err
	}
	if u := opt.User; u != nil && opt.Status != "" && opt.Status != assessment.Draft {
		// Entering figures as submitted, verified or approved is the level above's to do:
		// the user must be allowed to approve every unit the file names.
		reach := u.Role.Reach(auth.Verify)
		if reach == auth.Nowhere || reach == auth.Subtree && u.UnitCode == "" {
			return imports.Report{}, auth.Refusal(u.Role, auth.Verify, "")
		}
		if reach == auth.Subtree && spans == nil {
			if spans, err = db.spansOf(ctx, u.UnitCode); err != nil {
				return imports.Report{}, err
			}
		}
	}
	if actor == "" && opt.User != nil {
		actor = opt.User.Username
	}
	if actor == "" {
		actor = "system"
	}
	var res imports.Report
	run := func(tx *Tx) error {
		imp := &importer{db: db, tx: tx, ctx: ctx, actor: actor, src: src, opt: opt, spans: spans, progress: progress}
		err := imp.run()
		res = *imp.rep
		return err
	}
	if opt.DryRun {
		err = db.Read(ctx, run)
	} else {
		err = db.Write(ctx, run)
	}
	return res, err
}

// importScope returns the spans of the units u may import into, by code (nil: every unit),
// or an auth.Refusal when u may not import at all. The map is the scope cache's:
// read it, never change it.
func (db *DB) importScope(ctx context.Context, u *auth.User) (map[string][]span, error) {
	if u == nil {
		return nil, nil
	}
	reach := u.Role.Reach(auth.Import)
	if u.Disabled || reach == auth.Nowhere || reach == auth.Subtree && u.UnitCode == "" {
		return nil, auth.Refusal(u.Role, auth.Import, "")
	}
	if reach != auth.Subtree {
		return nil, nil
	}
	return db.spansOf(ctx, u.UnitCode)
}

// ImportScope checks, before an import is queued, that u may import into every unit the rows
// of src name, as ImportFrom checks again when it runs: the result lists each row whose unit
// is out of u's scope (a Forbidden problem); rows naming no known unit or period are left
// for the import to report, and problems of the file come back as its imports.Rejected fault
// (or a *sheet.LimitError), whatever u's scope. A role that may not import at
// all gets an auth.Refusal.
func (db *DB) ImportScope(ctx context.Context, u *auth.User, src imports.Source, filename string) (imports.Report, error) {
	rep := imports.Report{File: filename}
	spans, err := db.importScope(ctx, u)
	if err != nil {
		return rep, err
	}
	if spans == nil {
		// Every unit is in scope; the file is still read, so that its own problems (and a
		// file over a limit) come back now, not from the import.
		err := src.Each(func(*imports.Row) error { rep.Values++; return ctx.Err() })
		return rep, err
	}
	err = db.Read(ctx, func(tx *Tx) error {
		rep = imports.Report{File: filename}
		imp := &importer{ctx: ctx, tx: tx}
		type key struct{ unit, period string }
		out := map[key]*units.Unit{} // nil: in scope or not for this check
		err := imp.batches(src, func(r *imports.Row) error {
			rep.Values++
			k := key{r.Unit, r.Period}
			u, seen := out[k]
			if !seen {
				if p, err := assessment.ParsePeriod(r.Period); err == nil {
					if unit, ok := unitFor(imp.units[r.Unit], p); ok {
						t := importTarget{unit: unit, period: p}
						if !covered(spans[unit.Code], t.unitDay()) {
							u = &unit
						}
					}
				}
				out[k] = u
			}
			if u != nil {
				b := forbidden(*u)
				rep.Add(r.Problem(filename, b.Field, b.Kind, b.VI, b.EN))
			}
			return nil
		})
		return err
	})
	return rep, err
}

// importBatch is how many rows are read before the units they name are looked up at once.
const importBatch = 4096

// batches reads src in batches of rows, loads the units each batch names, then calls fn
// with each of its rows in order.
func (imp *importer) batches(src imports.Source, fn func(r *imports.Row) error) error {
	batch := make([]imports.Row, 0, importBatch)
	flush := func() error {
		if err := imp.loadUnits(batch); err != nil {
			return err
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return imp.ctx.Err()
	}
	err := src.Each(func(r *imports.Row) error {
		batch = append(batch, *r)
		if len(batch) < importBatch {
			return nil
		}
		return flush()
	})
	if err != nil {
		return err
	}
	return flush()
}

// importer is one run of ImportValues inside its transaction.
type importer struct {
	db       *DB
	tx       *Tx
	ctx      context.Context
	actor    string
	src      imports.Source
	opt      ImportOptions
	spans    map[string][]span
	progress func(done, total int)

	rep      *imports.Report
	units    map[string][]units.Unit       // versions of each unit code in the file
	existing map[string]map[string]current // set|period → unit code|valid_from → assessment
	targets  []*importTarget
	n        int               // rows read
	values   map[string]string // checked values, each text held once
	notes    []string          // the notes of entries, by number ("" first)
	sheets   []string          // the sheets rows came from, by number ("" first)
}

type current struct {
	id      int64
	status  assessment.Status
	version int
}

func (imp *importer) run() error {
	imp.rep = &imports.Report{File: imp.opt.Filename, DryRun: imp.opt.DryRun}
	known := 0
	if l, ok := imp.src.(interface{ Len() int }); ok {
		known = l.Len()
	}
	imp.progress(0, 2*known)
	type rawKey struct{ unit, set, period string }
	byRaw := map[rawKey]int32{}
	byID := map[string]int32{}
	imp.values = map[string]string{}
	imp.sheets = []string{""}
	imp.notes = []string{""}
	err := imp.batches(imp.src, func(r *imports.Row) error {
		if imp.n%progressEvery == 0 && imp.n > 0 {
			imp.progress(imp.n, 2*max(known, imp.n+progressEvery))
		}
		imp.n++
		k := rawKey{r.Unit, r.Set, r.Period}
		ti, ok := byRaw[k]
		if !ok {
			t, err := imp.target(r)
			if err != nil {
				return err
			}
			// Spellings that name one assessment ("2024-q1", "2024-Q1") share a target.
			id := t.unit.Code + "|" + string(t.unit.ValidFrom) + "|" + t.set + "|" + t.period.Text
			if len(t.bads) > 0 {
				id = fmt.Sprintf("bad|%d", len(imp.targets))
			}
			if ti, ok = byID[id]; !ok {
				ti = int32(len(imp.targets))
				imp.targets = append(imp.targets, t)
				byID[id] = ti
			}
			byRaw[rawKey{strings.Clone(r.Unit), strings.Clone(r.Set), strings.Clone(r.Period)}] = ti
		}
		imp.checkRow(r, imp.targets[ti])
		return nil
	})
	imp.rep.Values = imp.n
	if rep, ok := imports.Rejected(err); ok {
		// The file itself is wrong: its problems, not those of the rows read so far.
		imp.rep = rep
		return err
	}
	if err != nil {
		return err
	}
	imp.values = nil
	for _, t := range imp.targets {
		t.first = nil // repeats are found while reading
	}
	total := 2 * imp.n
	imp.progress(imp.n, total)
	if imp.rep.Failed() {
		return imp.rep.Err()
	}
	if err := imp.loadValues(); err != nil {
		return err
	}
	imp.count()
	if imp.opt.DryRun {
		imp.progress(total, total)
		return nil
	}
	if err := imp.write(); err != nil {
		return err
	}
	imp.progress(total, total)
	return nil
}

// checkRow checks a row's code and value and keeps the value with its assessment, or adds
// the row's problems to the report: those of its assessment, its code or value, or its
// being a repeat of an earlier row.
func (imp *importer) checkRow(r *imports.Row, t *importTarget) {
	file := imp.opt.Filename
	for _, b := range t.bads {
		imp.rep.Add(r.Problem(file, b.Field, b.Kind, b.VI, b.EN))
	}
	if r.Set == "" || !imp.opt.Check.HasSet(r.Set) {
		return
	}
	key, val, slot, bad := imp.opt.Check.CheckSlot(r.Set, r.Code, r.Value)
	if bad != nil {
		imp.rep.Add(r.Problem(file, bad.Field, bad.Kind, bad.VI, bad.EN))
		return
	}
	if len(t.bads) > 0 {
		return
	}
	slots := imp.opt.Check.Slots(t.set)
	if t.first == nil {
		t.first = make([]rowPlace, slots)
		t.keys = imp.opt.Check.Keys(t.set)
	}
	if first := t.first[slot]; first.line > 0 {
		imp.repeat(r, key, first)
		return
	}
	t.first[slot] = rowPlace{line: int32(r.Line), sheet: imp.sheet(r.Sheet)}
	if v, ok := imp.values[val]; ok {
		val = v
	} else if len(imp.values) < 1<<16 {
		val = strings.Clone(val)
		imp.values[val] = val
	}
	if len(t.entries) == cap(t.entries) {
		// Grow by half, never past the set's slots: a full assessment holds one entry per
		// slot, not the next power of two (a million values are held at once).
		t.entries = slices.Grow(t.entries, min(max(8, len(t.entries)/2), slots-len(t.entries)))
	}
	t.entries = append(t.entries, importEntry{value: val, note: imp.addNote(r.Note),
		slot: uint16(slot), keepNote: r.Columns == nil || r.Columns.Note == ""})
}

// repeat reports a row giving a value its assessment already has from the row at first.
func (imp *importer) repeat(r *imports.Row, key string, first rowPlace) {
	line, sheet := strconv.Itoa(int(first.line)), imp.sheets[first.sheet]
	where, whereEN := "dòng "+line, "line "+line
	if sheet != "" {
		where, whereEN = "trang tính "+sheet+", dòng "+line, "sheet "+sheet+", row "+line
	}
	field := imports.FieldCode
	if r.Columns != nil && r.Columns.CodeLine > 0 {
		field = imports.FieldValue // the wide layout: the repeated cell, not the code's header
	}
	imp.rep.Add(r.Problem(imp.opt.Filename, field, imports.Duplicate,
		fmt.Sprintf("mã %s của đơn vị %s, bộ %s, kỳ %s đã có ở %s", key, r.Unit, r.Set, r.Period, where),
		fmt.Sprintf("code %s of unit %s, set %s, period %s already given at %s", key, r.Unit, r.Set, r.Period, whereEN)))
}

// addNote gives a note its number in imp.notes.
func (imp *importer) addNote(note string) uint32 {
	if note == "" {
		return 0
	}
	imp.notes = append(imp.notes, strings.Clone(note))
	return uint32(len(imp.notes) - 1)
}

// sheet is the number of a sheet's name in imp.sheets.
func (imp *importer) sheet(name string) uint16 {
	for i, s := range imp.sheets {
		if s == name {
			return uint16(i)
		}
	}
	imp.sheets = append(imp.sheets, name)
	return uint16(len(imp.sheets) - 1)
}

// loadUnits reads every version of the unit codes the rows name that it has not read yet.
func (imp *importer) loadUnits(rows []imports.Row) error {
	if imp.units == nil {
		imp.units = map[string][]units.Unit{}
	}
	var codes []string
	for i := range rows {
		if c := rows[i].Unit; c != "" {
			if _, seen := imp.units[c]; !seen {
				c = strings.Clone(c)
				imp.units[c] = nil
				codes = append(codes, c)
			}
		}
	}
	for start := 0; start < len(codes); start += 500 {
		chunk := codes[start:min(start+500, len(codes))]
		args := make([]any, len(chunk))
		ph := make([]string, len(chunk))
		for i, c := range chunk {
			args[i], ph[i] = c, "$"+strconv.Itoa(i+1)
		}
		us, err := queryUnits(imp.ctx, imp.tx, `SELECT `+unitColumns+` FROM units WHERE code IN (`+strings.Join(ph, ", ")+`)`, args...)
		if err != nil {
			return err
		}
		for _, u := range us {
			imp.units[u.Code] = append(imp.units[u.Code], u)
		}
	}
	return nil
}

// target works out the assessment a row writes to, and what is wrong with it for every row.
func (imp *importer) target(r *imports.Row) (*importTarget, error) {
	t := &importTarget{set: strings.Clone(r.Set)}
	bad := func(field, kind, vi, en string) {
		t.bads = append(t.bads, imports.Bad{Field: field, Kind: kind, VI: vi, EN: en})
	}
	periodOK := false
	switch p, err := assessment.ParsePeriod(r.Period); {
	case r.Period == "":
		bad(imports.FieldPeriod, imports.Missing, "thiếu kỳ báo cáo", "missing period")
	case err != nil:
		bad(imports.FieldPeriod, imports.BadPeriod,
			fmt.Sprintf("kỳ %q không hợp lệ: dùng 2024, 2024-H1, 2024-Q1 hoặc 2024-04", r.Period),
			fmt.Sprintf("period %q is malformed: use 2024, 2024-H1, 2024-Q1 or 2024-04", r.Period))
	default:
		t.period, periodOK = p, true
	}
	switch {
	case r.Set == "":
		bad(imports.FieldSet, imports.Missing, "thiếu mã bộ tiêu chí", "missing criteria set")
	case !imp.opt.Check.HasSet(r.Set):
		bad(imports.FieldSet, imports.UnknownSet, fmt.Sprintf("không có bộ tiêu chí %q", r.Set), fmt.Sprintf("no criteria set %q", r.Set))
	}
	unitOK := false
	switch {
	case r.Unit == "":
		bad(imports.FieldUnit, imports.Missing, "thiếu mã đơn vị", "missing unit code")
	case periodOK:
		if u, ok := unitFor(imp.units[r.Unit], t.period); ok {
			t.unit, unitOK = u, true
		} else {
			bad(imports.FieldUnit, imports.UnknownUnit,
				fmt.Sprintf("không có đơn vị mã %q trong kỳ %s", r.Unit, t.period.Text),
				fmt.Sprintf("no unit with code %q during %s", r.Unit, t.period.Text))
		}
	}
	if !unitOK {
		return t, nil
	}
	if imp.spans != nil && !covered(imp.spans[t.unit.Code], t.unitDay()) {
		t.bads = append(t.bads, forbidden(t.unit))
		return t, nil
	}
	if len(t.bads) > 0 {
		return t, nil
	}
	cur, err := imp.current(t)
	if err != nil {
		return nil, err
	}
	if cur.id != 0 {
		t.id, t.status, t.version = cur.id, cur.status, cur.version
		if !cur.status.Editable() {
			bad(imports.FieldUnit, imports.NotEditable,
				fmt.Sprintf("đánh giá %d (đơn vị %s, bộ %s, kỳ %s) đang ở trạng thái %q, không sửa được số liệu", cur.id, t.unit.Code, t.set, t.period.Text, cur.status.Label()),
				fmt.Sprintf("assessment %d (unit %s, set %s, period %s) is %s and cannot be edited", cur.id, t.unit.Code, t.set, t.period.Text, cur.status))
		}
	}
	return t, nil
}

func forbidden(u units.Unit) imports.Bad {
	return imports.Bad{Field: imports.FieldUnit, Kind: imports.Forbidden,
		VI: fmt.Sprintf("không có quyền nhập số liệu của đơn vị %s (%s)", u.Code, u.Name),
		EN: fmt.Sprintf("no permission to import values for unit %s (%s)", u.Code, u.Name)}
}

// unitFor is the version of a unit an assessment for p is about: the one valid at the end of
// the period, else the latest one valid during it (as resolveUnit).
func unitFor(versions []units.Unit, p assessment.Period) (units.Unit, bool) {
	var best units.Unit
	found := false
	for _, u := range versions {
		if u.ValidFrom <= p.End && u.ValidTo >= p.End {
			return u, true
		}
		if u.ValidFrom <= p.End && u.ValidTo >= p.Start && (!found || u.ValidFrom > best.ValidFrom) {
			best, found = u, true
		}
	}
	return best, found
}

func covered(spans []span, day units.Date) bool {
	for _, s := range spans {
		if s.from <= day && s.to >= day {
			return true
		}
	}
	return false
}

// current finds the stored assessment of t, reading those of its set and period at once.
func (imp *importer) current(t *importTarget) (current, error) {
	if imp.existing == nil {
		imp.existing = map[string]map[string]current{}
	}
	sp := t.set + "|" + t.period.Text
	m, ok := imp.existing[sp]
	if !ok {
		m = map[string]current{}
		rows, err := imp.tx.QueryContext(imp.ctx, `SELECT id, unit_code, unit_from, status, version FROM assessments WHERE set_id = $1 AND period = $2`, t.set, t.period.Text)
		if err != nil {
			return current{}, err
		}
		for rows.Next() {
			var c current
			var code, from, status string
			if err := rows.Scan(&c.id, &code, &from, &status, &c.version); err != nil {
				rows.Close()
				return current{}, err
			}
			c.status = assessment.Status(status)
			m[code+"|"+from] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return current{}, err
		}
		imp.existing[sp] = m
	}
	return m[t.unit.Code+"|"+string(t.unit.ValidFrom)], nil
}

// loadValues reads the stored values of the existing assessments the file touches.
func (imp *importer) loadValues() error {
	byID := map[int64]*importTarget{}
	var ids []int64
	for _, t := range imp.targets {
		if t.id != 0 {
			byID[t.id] = t
			ids = append(ids, t.id)
			t.old = map[string]storedValue{}
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			args[i], ph[i] = id, "$"+strconv.Itoa(i+1)
		}
		rows, err := imp.tx.QueryContext(imp.ctx, `SELECT assessment_id, code, value, note FROM assessment_values WHERE assessment_id IN (`+strings.Join(ph, ", ")+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var code string
			var v storedValue
			if err := rows.Scan(&id, &code, &v.value, &v.note); err != nil {
				rows.Close()
				return err
			}
			byID[id].old[code] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// count works out what changes: values added, changed and unchanged, and assessments. A
// file without a note column keeps the notes already stored.
func (imp *importer) count() {
	rep := imp.rep
	for _, t := range imp.targets {
		if len(t.entries) == 0 {
			continue
		}
		for j := range t.entries {
			e := &t.entries[j]
			old, had := t.old[t.keys[e.slot]]
			if had && e.keepNote {
				e.note = imp.addNote(old.note)
			}
			switch {
			case !had:
				t.added++
			case old.value == e.value && old.note == imp.notes[e.note]:
				t.unchanged++
			default:
				t.changed++
			}
		}
		rep.Assessments++
		if t.id == 0 {
			rep.Created++
		} else if t.writes() {
			rep.Updated++
		}
		rep.Added += t.added
		rep.Changed += t.changed
		rep.Unchanged += t.unchanged
	}
}

// write stores what count found: evaluations first (they go into the new rows), then new
// assessments, values, bumped versions and the audit entries.
func (imp *importer) write() error {
	ctx, tx := imp.ctx, imp.tx
	var touched []*importTarget
	for _, t := range imp.targets {
		if len(t.entries) > 0 && t.writes() {
			touched = append(touched, t)
		}
	}
	if err := imp.evaluate(touched); err != nil {
		return err
	}
	at := now()
	// New assessments, as drafts at version 1 with their evaluation, a few thousand rows
	// at a time (not all of them held at once).
	fresh := make([][]any, 0, writeChunk)
	created := 0
	for i, t := range touched {
		if t.id == 0 {
			row := []any{t.unit.Code, string(t.unit.ValidFrom), t.set, t.period.Text, string(t.period.Start), string(t.period.End),
				imp.actor, at, imp.actor, at}
			fresh = append(fresh, append(row, evalColumns(t.eval, at)...))
		}
		if len(fresh) < writeChunk && i < len(touched)-1 {
			continue
		}
		if err := execBatch(ctx, tx, `INSERT INTO assessments (unit_code, unit_from, set_id, period, period_start, period_end,
			created_by, created_at, updated_by, updated_at, eval_at, eval_met, eval_criteria_met, eval_criteria_total,
			eval_indicators_met, eval_indicators_total, eval_criteria)`, "", fresh); err != nil {
			return fmt.Errorf("import: assessments: %w", err)
		}
		created += len(fresh)
		fresh = fresh[:0]
	}
	if created > 0 {
		imp.existing = nil // read again, with the new ids
		for _, t := range touched {
			if t.id != 0 {
				continue
			}
			cur, err := imp.current(t)
			if err != nil {
				return err
			}
			if cur.id == 0 {
				return fmt.Errorf("import: assessment of %s %s %s not found after insert", t.unit.Code, t.set, t.period.Text)
			}
			t.id, t.version = cur.id, 0 // version 0 → 1 below means "created"
		}
	}
	if err := imp.writeValues(touched, at); err != nil {
		return fmt.Errorf("import: values: %w", err)
	}
	// Versions of existing assessments, once each, with their evaluation.
	var upd *sql.Stmt
	for _, t := range touched {
		if t.version == 0 {
			t.version = 1
			continue
		}
		if upd == nil {
			var err error
			upd, err = tx.PrepareContext(ctx, `UPDATE assessments SET version = version + 1, updated_by = $1, updated_at = $2,
				eval_at = $3, eval_met = $4, eval_criteria_met = $5, eval_criteria_total = $6, eval_indicators_met = $7,
				eval_indicators_total = $8, eval_criteria = $9 WHERE id = $10 AND version = $11`)
			if err != nil {
				return err
			}
			defer upd.Close()
		}
		args := append([]any{imp.actor, at}, evalColumns(t.eval, at)...)
		res, err := upd.ExecContext(ctx, append(args, t.id, t.version)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			cur, err := getAssessment(ctx, tx, t.id)
			if err != nil {
				return err
			}
			return Stale(cur, t.version)
		}
		t.version++
	}
	status := imp.opt.Status
	if status == "" {
		status = assessment.Draft
	}
	if status != assessment.Draft {
		for _, t := range touched {
			if _, err := tx.ExecContext(ctx, `UPDATE assessments SET status = $1 WHERE id = $2`, string(status), t.id); err != nil {
				return fmt.Errorf("import: status: %w", err)
			}
		}
	}
	if len(touched) > 0 {
		if err := tx.Touch(ctx, VersionAssessments); err != nil {
			return err
		}
	}
	audit := make([]AuditEntry, 0, writeChunk)
	for i, t := range touched {
		audit = append(audit, AuditEntry{Actor: imp.actor, Action: "import", Entity: "assessment",
			EntityID: strconv.FormatInt(t.id, 10), UnitCode: t.unit.Code, UnitDate: t.unitDay(), Detail: imp.opt.Filename,
			New: importAudit{File: imp.opt.Filename, Created: t.old == nil, Version: t.version, Set: t.set, Period: t.period.Text,
				Added: t.added, Changed: t.changed, Unchanged: t.unchanged, Status: string(status)}})
		if len(audit) == writeChunk || i == len(touched)-1 {
			if err := tx.AuditAll(ctx, audit); err != nil {
				return err
			}
			audit = audit[:0]
		}
	}
	return nil
}

// writeChunk is how many assessments' rows (new assessments, audit entries) are made and
// written at a time.
const writeChunk = 2048

// importAudit is what an import's audit entry says of an assessment; its fields in the
// order of their names, as a map would be written (the entries of older imports read alike).
type importAudit struct {
	Added     int    `json:"added"`
	Changed   int    `json:"changed"`
	Created   bool   `json:"created"`
	File      string `json:"file"`
	Period    string `json:"period"`
	Set       string `json:"set"`
	Status    string `json:"status"`
	Unchanged int    `json:"unchanged"`
	Version   int    `json:"version"`
}

// evalColumns are the eval_* columns of an assessment (all NULL without an evaluator).
func evalColumns(ev *Evaluation, at string) []any {
	if ev == nil {
		return []any{nil, nil, nil, nil, nil, nil, ""}
	}
	return []any{at, ev.Met, ev.CriteriaMetN, ev.CriteriaTotal, ev.IndicatorsMet, ev.IndicatorsTotal, joinInts(ev.CriteriaMet)}
}

// evaluate evaluates each touched assessment once, with its stored values and the file's,
// spreading the work over the processors.
func (imp *importer) evaluate(touched []*importTarget) error {
	if len(touched) == 0 {
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), len(touched))
	next := make(chan *importTarget)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals := map[string]string{} // one per worker, emptied for each assessment
			for t := range next {
				if errs[w] != nil {
					continue
				}
				clear(vals)
				for k, v := range t.old {
					vals[k] = v.value
				}
				for _, e := range t.entries {
					vals[t.keys[e.slot]] = e.value
				}
				ev, err := imp.opt.Evaluate(t.set, t.unit, vals)
				if err != nil {
					errs[w] = fmt.Errorf("evaluate %s %s %s: %w", t.unit.Code, t.set, t.period.Text, err)
					continue
				}
				sort.Ints(ev.CriteriaMet)
				ev.CriteriaMetN = len(ev.CriteriaMet)
				t.eval = &ev
				// In key order the values go into the (assessment_id, code) key at its end.
				if !slices.IsSortedFunc(t.entries, bySlot) {
					slices.SortFunc(t.entries, bySlot)
				}
			}
		}()
	}
	for _, t := range touched {
		next <- t
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// bySlot orders entries by slot, which is key order.
func bySlot(a, b importEntry) int { return int(a.slot) - int(b.slot) }

// writeValues upserts the added and changed values: on PostgreSQL those of new assessments
// with COPY, the others in multi-row statements; on SQLite see writeValuesSQLite.
func (imp *importer) writeValues(touched []*importTarget, at string) error {
	ctx, tx := imp.ctx, imp.tx
	total := 2 * imp.n
	done := imp.n + imp.rep.Unchanged
	if tx.engine == SQLite {
		return imp.writeValuesSQLite(touched, at, done, total)
	}
	// The values of new assessments cannot conflict: they go in with COPY.
	var fresh, rest []*importTarget
	for _, t := range touched {
		if t.old == nil {
			fresh = append(fresh, t)
		} else {
			rest = append(rest, t)
		}
	}
	src := &entryRows{targets: fresh, notes: imp.notes, j: -1, actor: imp.actor, at: at, tick: func(n int) {
		imp.progress(done+n, total)
	}}
	if err := copyRows(ctx, tx, "assessment_values", []string{"assessment_id", "code", "value", "note", "entered_by", "entered_at"}, src); err != nil {
		return err
	}
	done += src.n
	touched = rest
	// Multi-row upserts of per values (6,000 parameters, well under 65,535).
	const per = 1000
	const cols = `INSERT INTO assessment_values (assessment_id, code, value, note, entered_by, entered_at) VALUES `
	const tail = ` ON CONFLICT (assessment_id, code) DO UPDATE SET value = excluded.value, note = excluded.note,
		entered_by = excluded.entered_by, entered_at = excluded.entered_at`
	var actor, stamp any = imp.actor, at
	args := make([]any, 0, 6*per)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		n := len(args) / 6
		if _, err := tx.ExecContext(ctx, cols+valuesList(n, 6)+tail, args...); err != nil {
			return err
		}
		done += n
		imp.progress(done, total)
		args = args[:0]
		return nil
	}
	for _, t := range touched {
		var id any = t.id
		for _, e := range imp.changes(t) {
			args = append(args, id, t.keys[e.slot], e.value, imp.notes[e.note], actor, stamp)
			if len(args) == cap(args) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// changes are the entries the import adds or changes (all of them for a new assessment).
func (imp *importer) changes(t *importTarget) []importEntry {
	if t.old == nil {
		return t.entries
	}
	out := make([]importEntry, 0, t.added+t.changed)
	for _, e := range t.entries {
		if old, had := t.old[t.keys[e.slot]]; had && old.value == e.value && old.note == imp.notes[e.note] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// writeValuesSQLite upserts the added and changed values on SQLite with a statement of
// sqlitePer rows prepared once and run again and again (a statement per row spends most
// of its time in database/sql and the driver, not in SQLite). The driver copies every text
// parameter into C memory, so the actor and the time are bound once per statement, and a
// note only in statements whose rows have one: an id, a code and a value per row.
func (imp *importer) writeValuesSQLite(touched []*importTarget, at string, done, total int) error {
	ctx, tx := imp.ctx, imp.tx
	type shape struct {
		rows  int
		notes bool
	}
	prepared := map[shape]*sql.Stmt{}
	defer func() {
		for _, st := range prepared {
			st.Close()
		}
	}()
	chunk := make([]importEntry, 0, sqlitePer)
	ids := make([]any, 0, sqlitePer) // boxed once per assessment
	keys := make([][]string, 0, sqlitePer)
	args := make([]any, 0, 2+4*sqlitePer)
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		sh := shape{rows: len(chunk)}
		for _, e := range chunk {
			sh.notes = sh.notes || e.note != 0
		}
		st := prepared[sh]
		if st == nil {
			var err error
			if st, err = tx.PrepareContext(ctx, sqliteValuesStatement(sh.rows, sh.notes)); err != nil {
				return err
			}
			prepared[sh] = st
		}
		args = append(args[:0], imp.actor, at)
		for i, e := range chunk {
			args = append(args, ids[i], keys[i][e.slot], e.value)
			if sh.notes {
				args = append(args, imp.notes[e.note])
			}
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
		done += len(chunk)
		imp.progress(done, total)
		chunk, ids, keys = chunk[:0], ids[:0], keys[:0]
		return nil
	}
	for _, t := range touched {
		var id any = t.id
		for _, e := range imp.changes(t) {
			chunk, ids, keys = append(chunk, e), append(ids, id), append(keys, t.keys)
			if len(chunk) == sqlitePer {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		t.entries = nil // written (or in chunk): the memory can go
	}
	return flush()
}

// sqliteValuesStatement is the upsert of n values on SQLite: the actor and the time are its
// first two parameters, then each row's id, code, value and, when notes, note.
func sqliteValuesStatement(n int, notes bool) string {
	width, note := 3, "''"
	if notes {
		width, note = 4, "column4"
	}
	// "WHERE true" tells SQLite's parser that ON CONFLICT starts the upsert, not a join.
	return anonymous(`INSERT INTO assessment_values (assessment_id, code, value, note, entered_by, entered_at)
		SELECT column1, column2, column3, ` + note + `, $1, $2 FROM (VALUES ` + valuesList(n, width) + `) WHERE true
		ON CONFLICT (assessment_id, code) DO UPDATE SET value = excluded.value, note = excluded.note,
		entered_by = excluded.entered_by, entered_at = excluded.entered_at`)
}

// entryRows are the values of new assessments as pgx.CopyFromSource.
type entryRows struct {
	targets   []*importTarget
	notes     []string // importer.notes
	t, j      int      // the target and entry at hand
	n         int      // rows given
	actor, at string
	tick      func(rows int)
	row       [6]any
}

func (e *entryRows) Next() bool {
	for e.t < len(e.targets) {
		if e.j++; e.j < len(e.targets[e.t].entries) {
			if e.n++; e.n%progressEvery == 0 {
				e.tick(e.n)
			}
			return true
		}
		e.t, e.j = e.t+1, -1
	}
	return false
}

func (e *entryRows) Values() ([]any, error) {
	t := e.targets[e.t]
	en := &t.entries[e.j]
	e.row = [6]any{t.id, t.keys[en.slot], en.value, e.notes[en.note], e.actor, e.at}
	return e.row[:], nil
}

func (e *entryRows) Err() error { return nil }

// sqlitePer is how many values one INSERT writes on SQLite (at most 1,002 parameters).
const sqlitePer = 250

// Import jobs: imports run by the server in the background.

// Import job statuses.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// ImportJob is one import run by the server (POST /api/v1/imports).
type ImportJob struct {
	ID         int64           `json:"id"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  time.Time       `json:"created_at"`
	Filename   string          `json:"filename"`
	Status     string          `json:"status"`
	DryRun     bool            `json:"dry_run"`
	Total      int             `json:"total"`
	Done       int             `json:"done"`
	Report     json.RawMessage `json:"report,omitempty"`
	UpdatedAt  time.Time       `json:"updated_at"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
}

// CreateImportJob records a queued import.
func (db *DB) CreateImportJob(ctx context.Context, createdBy, filename string, dryRun bool) (ImportJob, error) {
	var j ImportJob
	err := db.Write(ctx, func(tx *Tx) error {
		t := now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO import_jobs (created_by, created_at, filename, status, dry_run, updated_at)
			VALUES ($1, $2, $3, $4, $5, $2) RETURNING id`, createdBy, t, filename, JobQueued, dryRun).Scan(&id); err != nil {
			return err
		}
		var err error
		j, err = getImportJob(ctx, tx, id)
		return err
	})
	return j, err
}

// ImportJob returns one import job.
func (db *DB) ImportJob(ctx context.Context, id int64) (ImportJob, error) {
	var j ImportJob
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		j, err = getImportJob(ctx, tx, id)
		return err
	})
	return j, err
}

func getImportJob(ctx context.Context, tx *Tx, id int64) (ImportJob, error) {
	var j ImportJob
	var created, updated, report string
	var finished sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT id, created_by, created_at, filename, status, dry_run, total, done, report, updated_at, finished_at
		FROM import_jobs WHERE id = $1`, id).Scan(&j.ID, &j.CreatedBy, &created, &j.Filename, &j.Status, &j.DryRun, &j.Total, &j.Done,
		&report, &updated, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return j, ErrNotFound
	}
	if err != nil {
		return j, err
	}
	j.CreatedAt, j.UpdatedAt = parseTime(created), parseTime(updated)
	if finished.Valid {
		t := parseTime(finished.String)
		j.FinishedAt = &t
	}
	if report != "" {
		j.Report = json.RawMessage(report)
	}
	return j, nil
}

// UpdateImportJob records a job's status and progress.
func (db *DB) UpdateImportJob(ctx context.Context, id int64, status string, done, total int) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE import_jobs SET status = $1, done = $2, total = $3, updated_at = $4 WHERE id = $5`,
			status, done, total, now(), id)
		return err
	})
}

// FinishImportJob records a job's end: done or failed, with its report (JSON).
func (db *DB) FinishImportJob(ctx context.Context, id int64, status string, done, total int, report []byte) error {
	return db.Write(ctx, func(tx *Tx) error {
		t := now()
		_, err := tx.ExecContext(ctx, `UPDATE import_jobs SET status = $1, done = $2, total = $3, report = $4, updated_at = $5, finished_at = $5
			WHERE id = $6`, status, done, total, string(report), t, id)
		return err
	})
}
