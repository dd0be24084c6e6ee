package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// Evaluation is the part of an assessment's evaluation that is kept beside it.
type Evaluation struct {
	Met             bool  `json:"met"`
	CriteriaMet     []int `json:"criteria_met_list"`
	CriteriaMetN    int   `json:"criteria_met"`
	CriteriaTotal   int   `json:"criteria_total"`
	IndicatorsMet   int   `json:"indicators_met"`
	IndicatorsTotal int   `json:"indicators_total"`
}

// Evaluate evaluates values of unit against a criteria set. The store knows no rules: a
// write that changes values receives the evaluation from its caller (internal/app), as a
// value for one assessment, or as an Evaluate for a bulk write (an import, a set's
// re-evaluation) that learns the values inside its transaction and calls it there, so that
// the kept summary never lags the values. values stays the caller's (an import fills the same
// map again for the next assessment): Evaluate must not keep it.
type Evaluate func(setID string, unit units.Unit, values map[string]string) (Evaluation, error)

// errNoEvaluation is a bulk write called without its evaluation (a programming error).
var errNoEvaluation = errors.New("store: a write of values needs its evaluation")

// Assessment is one unit's values against one criteria set for one period.
type Assessment struct {
	ID          int64             `json:"id"`
	UnitCode    string            `json:"unit"`
	UnitFrom    units.Date        `json:"unit_valid_from"`
	SetID       string            `json:"set"`
	Period      string            `json:"period"`
	PeriodStart units.Date        `json:"period_start"`
	PeriodEnd   units.Date        `json:"period_end"`
	Status      assessment.Status `json:"status"`
	Version     int               `json:"version"`
	Comment     string            `json:"comment"`
	CreatedBy   string            `json:"created_by"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedBy   string            `json:"updated_by"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Evaluation  *Evaluation       `json:"evaluation,omitempty"`
	Values      map[string]Value  `json:"values,omitempty"`
}

// Value is one entered value with who entered it and when.
type Value struct {
	Value     string    `json:"value"`
	Note      string    `json:"note,omitempty"`
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
}

// Stale is a write of an assessment made against an older version (sent) than the stored
// one: a conflict whose answer carries the assessment as stored now (cur).
func Stale(cur Assessment, sent int) *fault.Error {
	return &fault.Error{Code: fault.Conflict, Current: cur,
		Text: "đánh giá đã được người khác sửa; xem số liệu hiện tại (the assessment was changed by someone else; see the current values)",
		Err:  fmt.Errorf("assessment %d changed: version %d sent, %d stored", cur.ID, sent, cur.Version)}
}

// exists is the creation of a record that already exists: a fault carrying its id
// (ExistingID reads it), what names it ("phiếu đánh giá", "công trình"…) in the message.
func exists(what, whatEN string, id int64) error {
	return &fault.Error{Code: fault.Exists, Current: id,
		Text: fmt.Sprintf("đã có %s này (mã %d) (the %s already exists, id %d)", what, id, whatEN, id)}
}

// unitDay is a day on which the assessment's unit exists and the period runs, for scope
// checks of its audit entries.
func (a Assessment) unitDay() units.Date {
	if a.UnitFrom > a.PeriodStart {
		return a.UnitFrom
	}
	return a.PeriodStart
}

const assessmentColumns = `id, unit_code, unit_from, set_id, period, period_start, period_end, status, version, comment,
	created_by, created_at, updated_by, updated_at, eval_at, eval_met, eval_criteria_met, eval_criteria_total,
	eval_indicators_met, eval_indicators_total, eval_criteria`

func scanAssessment(row interface{ Scan(...any) error }) (Assessment, error) {
	var a Assessment
	var from, ps, pe, status, cat, uat string
	var evalAt sql.NullString
	var met sql.NullBool
	var cm, ct, im, it sql.NullInt64
	var list string
	err := row.Scan(&a.ID, &a.UnitCode, &from, &a.SetID, &a.Period, &ps, &pe, &status, &a.Version, &a.Comment,
		&a.CreatedBy, &cat, &a.UpdatedBy, &uat, &evalAt, &met, &cm, &ct, &im, &it, &list)
	if err != nil {
		return a, err
	}
	a.UnitFrom, a.PeriodStart, a.PeriodEnd, a.Status = units.Date(from), units.Date(ps), units.Date(pe), assessment.Status(status)
	a.CreatedAt, a.UpdatedAt = parseTime(cat), parseTime(uat)
	if evalAt.Valid {
		a.Evaluation = &Evaluation{Met: met.Bool, CriteriaMetN: int(cm.Int64), CriteriaTotal: int(ct.Int64),
			IndicatorsMet: int(im.Int64), IndicatorsTotal: int(it.Int64), CriteriaMet: parseInts(list)}
	}
	return a, nil
}

func parseInts(s string) []int {
	if s == "" {
		return []int{}
	}
	parts := strings.Split(s, ",")
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		if n, err := strconv.Atoi(p); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// resolveUnit finds the version of code that an assessment for period p is about: the one
// valid at the end of the period, else the latest one valid during it.
func resolveUnit(ctx context.Context, tx *Tx, code string, p assessment.Period) (units.Unit, error) {
	u, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units
		WHERE code = $1 AND valid_from <= $3 AND valid_to >= $2 ORDER BY valid_from DESC LIMIT 1`,
		code, string(p.Start), string(p.End)))
	if errors.Is(err, sql.ErrNoRows) {
		return units.Unit{}, ErrNotFound
	}
	return u, err
}

// UnitForPeriod returns the version of the unit code that an assessment for period p is about.
func (db *DB) UnitForPeriod(ctx context.Context, code string, p assessment.Period) (units.Unit, error) {
	return readOne(ctx, db, func(tx *Tx) (units.Unit, error) { return resolveUnit(ctx, tx, code, p) })
}

// CreateAssessment starts an empty draft assessment with ev, the evaluation of no values.
func (db *DB) CreateAssessment(ctx context.Context, actor, unitCode, setID string, p assessment.Period, ev Evaluation) (Assessment, error) {
	var a Assessment
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		a, err = createAssessment(ctx, tx, actor, unitCode, setID, p)
		if err != nil {
			return err
		}
		if err := keepEvaluation(ctx, tx, &a, ev); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "assessment",
			EntityID: strconv.FormatInt(a.ID, 10), UnitCode: a.UnitCode, UnitDate: a.unitDay(),
			New: map[string]string{"set": setID, "period": p.Text, "status": string(assessment.Draft)}})
	})
	return a, err
}

func createAssessment(ctx context.Context, tx *Tx, actor, unitCode, setID string, p assessment.Period) (Assessment, error) {
	u, err := resolveUnit(ctx, tx, unitCode, p)
	if err != nil {
		return Assessment{}, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM assessments WHERE unit_code = $1 AND unit_from = $2 AND set_id = $3 AND period = $4`,
		u.Code, string(u.ValidFrom), setID, p.Text).Scan(&id)
	if err == nil {
		return Assessment{}, exists("phiếu đánh giá", "assessment", id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Assessment{}, err
	}
	if err := tx.Touch(ctx, VersionAssessments); err != nil {
		return Assessment{}, err
	}
	t := now()
	err = tx.QueryRowContext(ctx, `INSERT INTO assessments (unit_code, unit_from, set_id, period, period_start, period_end,
		status, version, created_by, created_at, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'draft', 1, $7, $8, $7, $8) RETURNING id`,
		u.Code, string(u.ValidFrom), setID, p.Text, string(p.Start), string(p.End), actor, t).Scan(&id)
	if err != nil {
		return Assessment{}, err
	}
	return getAssessment(ctx, tx, id)
}

func getAssessment(ctx context.Context, tx *Tx, id int64) (Assessment, error) {
	a, err := scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	if err != nil {
		return a, err
	}
	a.Values, err = loadValues(ctx, tx, id)
	return a, err
}

func loadValues(ctx context.Context, tx *Tx, id int64) (map[string]Value, error) {
	rows, err := tx.QueryContext(ctx, `SELECT code, value, note, entered_by, entered_at FROM assessment_values WHERE assessment_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := map[string]Value{}
	for rows.Next() {
		var code, at string
		var v Value
		if err := rows.Scan(&code, &v.Value, &v.Note, &v.EnteredBy, &at); err != nil {
			return nil, err
		}
		v.EnteredAt = parseTime(at)
		vals[code] = v
	}
	return vals, rows.Err()
}

// Assessment returns one assessment with its values.
func (db *DB) Assessment(ctx context.Context, id int64) (Assessment, error) {
	return readOne(ctx, db, func(tx *Tx) (Assessment, error) { return getAssessment(ctx, tx, id) })
}

// AssessmentFilter selects assessments.
type AssessmentFilter struct {
	UnitCode string // exactly this unit
	Within   string // or any unit at or below this one (as of the period's end)
	SetID    string
	Period   string
	Status   assessment.Status
	Statuses []assessment.Status // any of these (the queue: what waits for a user)
	Oldest   bool                // oldest change first (the queue) instead of newest period first
	Limit    int
}

// assessmentWhere is the filter as a WITH prefix and WHERE conditions with their arguments.
func assessmentWhere(f AssessmentFilter) (string, filter) {
	var w filter
	w.add(f.UnitCode != "", "unit_code = $%d", f.UnitCode)
	w.add(f.SetID != "", "set_id = $%d", f.SetID)
	w.add(f.Period != "", "period = $%d", f.Period)
	w.add(f.Status != "", "status = $%d", string(f.Status))
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			st[i] = string(s)
		}
		w.conds = append(w.conds, "status IN ("+inList(&w.args, st)+")")
	}
	prefix := w.within(f.Within, "assessments.unit_code", "assessments.unit_from")
	return prefix, w
}

// ListAssessments returns assessments without their values, newest period first.
func (db *DB) ListAssessments(ctx context.Context, f AssessmentFilter) ([]Assessment, error) {
	prefix, w := assessmentWhere(f)
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	q := prefix + `SELECT ` + assessmentColumns + ` FROM assessments` + w.sql()
	order := "period_end DESC, unit_code, set_id"
	if f.Oldest {
		order = "updated_at, id"
	}
	q += fmt.Sprintf(" ORDER BY %s LIMIT %d", order, limit)
	rows, err := db.r.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, scanAssessment)
}

// ValueChange sets (Value non-nil) or removes (Value nil) one value.
type ValueChange struct {
	Code  string
	Value *string
	Note  string
}

// SetValues changes values of an editable assessment whose stored version is version, keeps
// ev (the evaluation of its values after the changes: the version makes sure they are the
// values the caller evaluated), and returns it as it now stands. A stale version gives a
// conflict (Stale) carrying the current values; an assessment that is not editable gives a
// fault.Rule.
func (db *DB) SetValues(ctx context.Context, actor string, id int64, version int, changes []ValueChange, ev Evaluation) (Assessment, error) {
	var a Assessment
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		a, err = getAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Version != version {
			return Stale(a, version)
		}
		if err := a.Status.CheckEditable(); err != nil {
			return err
		}
		if err := applyValues(ctx, tx, actor, &a, changes, true); err != nil {
			return err
		}
		if err := db.bump(ctx, tx, actor, &a); err != nil {
			return err
		}
		return keepEvaluation(ctx, tx, &a, ev)
	})
	return a, err
}

// Merged returns the value texts of a after changes, as SetValues would leave them: what
// the caller evaluates before it writes.
func (a Assessment) Merged(changes []ValueChange) map[string]string {
	vals := make(map[string]string, len(a.Values)+len(changes))
	for k, v := range a.Values {
		vals[k] = v.Value
	}
	for _, c := range changes {
		if c.Value == nil {
			delete(vals, c.Code)
		} else {
			vals[c.Code] = *c.Value
		}
	}
	return vals
}

// applyValues writes changes into a (and the database), auditing each one when audit is set.
func applyValues(ctx context.Context, tx *Tx, actor string, a *Assessment, changes []ValueChange, audit bool) error {
	t := now()
	for _, c := range changes {
		old, had := a.Values[c.Code]
		switch {
		case c.Value == nil && !had:
			continue
		case c.Value == nil:
			if _, err := tx.ExecContext(ctx, `DELETE FROM assessment_values WHERE assessment_id = $1 AND code = $2`, a.ID, c.Code); err != nil {
				return err
			}
			delete(a.Values, c.Code)
		case had && old.Value == *c.Value && old.Note == c.Note:
			continue
		default:
			if _, err := tx.ExecContext(ctx, `INSERT INTO assessment_values (assessment_id, code, value, note, entered_by, entered_at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (assessment_id, code) DO UPDATE SET value = excluded.value,
				note = excluded.note, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
				a.ID, c.Code, *c.Value, c.Note, actor, t); err != nil {
				return err
			}
			if a.Values == nil {
				a.Values = map[string]Value{}
			}
			a.Values[c.Code] = Value{Value: *c.Value, Note: c.Note, EnteredBy: actor, EnteredAt: parseTime(t)}
		}
		if audit {
			e := AuditEntry{Actor: actor, Action: "set_value", Entity: "assessment", EntityID: strconv.FormatInt(a.ID, 10),
				UnitCode: a.UnitCode, UnitDate: a.unitDay(), Detail: c.Code}
			if had {
				e.Old = old.Value
			}
			if c.Value != nil {
				e.New = *c.Value
			} else {
				e.Action = "delete_value"
			}
			if err := tx.Audit(ctx, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// bump stores a's new version.
func (db *DB) bump(ctx context.Context, tx *Tx, actor string, a *Assessment) error {
	a.Version++
	a.UpdatedBy = actor
	t := now()
	a.UpdatedAt = parseTime(t)
	res, err := tx.ExecContext(ctx, `UPDATE assessments SET version = $1, updated_by = $2, updated_at = $3, status = $4, comment = $5
		WHERE id = $6 AND version = $7`, a.Version, actor, t, string(a.Status), a.Comment, a.ID, a.Version-1)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		cur, err := getAssessment(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		return Stale(cur, a.Version-1)
	}
	return tx.Touch(ctx, VersionAssessments)
}

// reevaluate recomputes a's evaluation summary with eval and stores it.
func reevaluate(ctx context.Context, tx *Tx, a *Assessment, eval Evaluate) error {
	u, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE code = $1 AND valid_from = $2`, a.UnitCode, string(a.UnitFrom)))
	if err != nil {
		return fmt.Errorf("assessment %d: unit %s: %w", a.ID, a.UnitCode, err)
	}
	vals := make(map[string]string, len(a.Values))
	for k, v := range a.Values {
		vals[k] = v.Value
	}
	ev, err := eval(a.SetID, u, vals)
	if err != nil {
		return err
	}
	return keepEvaluation(ctx, tx, a, ev)
}

// keepEvaluation stores ev as a's evaluation summary.
func keepEvaluation(ctx context.Context, tx *Tx, a *Assessment, ev Evaluation) error {
	ev.CriteriaMet = slices.Clone(ev.CriteriaMet)
	sort.Ints(ev.CriteriaMet)
	ev.CriteriaMetN = len(ev.CriteriaMet)
	a.Evaluation = &ev
	_, err := tx.ExecContext(ctx, `UPDATE assessments SET eval_at = $1, eval_met = $2, eval_criteria_met = $3, eval_criteria_total = $4,
		eval_indicators_met = $5, eval_indicators_total = $6, eval_criteria = $7 WHERE id = $8`,
		now(), ev.Met, ev.CriteriaMetN, ev.CriteriaTotal, ev.IndicatorsMet, ev.IndicatorsTotal, joinInts(ev.CriteriaMet), a.ID)
	return err
}

// ChangeStatus takes a workflow action on the assessment whose stored version is version.
func (db *DB) ChangeStatus(ctx context.Context, actor string, id int64, version int, action assessment.Action, comment string) (Assessment, error) {
	var a Assessment
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		a, err = db.changeStatus(ctx, tx, actor, id, version, action, comment)
		return err
	})
	return a, err
}

func (db *DB) changeStatus(ctx context.Context, tx *Tx, actor string, id int64, version int, action assessment.Action, comment string) (Assessment, error) {
	a, err := getAssessment(ctx, tx, id)
	if err != nil {
		return a, err
	}
	if a.Version != version {
		return a, Stale(a, version)
	}
	to, err := assessment.Transition(a.Status, action, comment)
	if err != nil {
		return a, err
	}
	if err := db.checkDuties(ctx, tx, a.ID, action, actor); err != nil {
		return a, err
	}
	from := a.Status
	a.Status, a.Comment = to, comment
	if err := db.bump(ctx, tx, actor, &a); err != nil {
		return a, err
	}
	return a, tx.Audit(ctx, AuditEntry{Actor: actor, Action: string(action), Entity: "assessment",
		EntityID: strconv.FormatInt(a.ID, 10), UnitCode: a.UnitCode, UnitDate: a.unitDay(), Old: string(from), New: string(to), Detail: comment})
}

// ReevaluateSet refreshes, with eval, the kept evaluation of every assessment of a criteria
// set, after the set itself changed (an office imported a new version).
func (db *DB) ReevaluateSet(ctx context.Context, setID string, eval Evaluate) (int, error) {
	if eval == nil {
		return 0, errNoEvaluation
	}
	n := 0
	err := db.Write(ctx, func(tx *Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, `SELECT id FROM assessments WHERE set_id = $1`, setID)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			a, err := getAssessment(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := reevaluate(ctx, tx, &a, eval); err != nil {
				return err
			}
			n++
		}
		return tx.Touch(ctx, VersionAssessments)
	})
	return n, err
}

// SeedStatus is the status one assessment (a unit code, a set, a period) should have.
type SeedStatus struct {
	Unit, Set, Period string
	Status            assessment.Status
}

// SeedStatuses sets assessments' statuses directly, without walking the workflow, for
// loading demo data and histories from before the system. It writes one audit entry for
// the whole batch and reports how many assessments it changed.
func (db *DB) SeedStatuses(ctx context.Context, actor string, ss []SeedStatus) (int, error) {
	n := 0
	err := db.Write(ctx, func(tx *Tx) error {
		n = 0
		stmt, err := tx.PrepareContext(ctx, `UPDATE assessments SET status = $1, version = version + 1, updated_by = $2, updated_at = $3
			WHERE unit_code = $4 AND set_id = $5 AND period = $6 AND status <> $1`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		t := now()
		for _, s := range ss {
			res, err := stmt.ExecContext(ctx, string(s.Status), actor, t, s.Unit, s.Set, s.Period)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		if err := tx.Touch(ctx, VersionAssessments); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "seed_statuses", Entity: "assessment",
			Detail: fmt.Sprintf("%d assessments", n)})
	})
	return n, err
}
