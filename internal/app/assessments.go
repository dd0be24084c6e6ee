// The writes of assessments, one function each, in one order: authorise (internal/auth),
// check, evaluate with the sets in force, then store. The store receives the evaluation; it
// knows no rules, and nothing has to be installed in it first.

package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// System is a user who may take every action everywhere: the system itself writing for a
// loader (demo data, histories, tests), named in the audit log as name.
func System(name string) *auth.User { return &auth.User{Username: name, Role: auth.RoleAdmin} }

// allow refuses u action on the unit code as it was on day (auth.Refusal).
func (c *Catalog) allow(ctx context.Context, u *auth.User, action auth.Action, code string, day units.Date) error {
	return auth.Authorize(u, action, code, func() (bool, error) {
		return c.db.InScope(ctx, u.UnitCode, code, day)
	})
}

// UnitDay is a day on which an assessment's unit exists during its period: scope checks ask
// about the unit as it was then.
func UnitDay(a store.Assessment) units.Date {
	if a.UnitFrom > a.PeriodStart {
		return a.UnitFrom
	}
	return a.PeriodStart
}

// Assessment reads assessment id for u, who must be allowed action on its unit. A unit out
// of reach is answered as a refusal even for reads, so that ids cannot be probed for another
// unit's data: the error says nothing of the assessment.
func (c *Catalog) Assessment(ctx context.Context, u *auth.User, action auth.Action, id int64) (store.Assessment, error) {
	a, err := c.db.Assessment(ctx, id)
	if err != nil {
		return a, err
	}
	if err := c.allow(ctx, u, action, a.UnitCode, UnitDay(a)); err != nil {
		return store.Assessment{}, err
	}
	return a, nil
}

// summary evaluates the value texts of the assessment of unit against set id.
func (c *Catalog) summary(ctx context.Context, setID string, u units.Unit, texts map[string]string) (store.Evaluation, error) {
	r, err := c.Evaluate(ctx, setID, u, texts)
	if err != nil {
		return store.Evaluation{}, err
	}
	return Summary(r), nil
}

// CreateAssessment starts u's empty draft assessment of the unit code against set setID for
// period p. Errors: an unknown set (Invalid on "set"), no such unit during p (NotFound on
// "unit"), a unit out of u's reach (auth.Refusal), a set that does not assess the unit
// (Rule), an assessment that exists (an Exists fault carrying its id).
func (c *Catalog) CreateAssessment(ctx context.Context, u *auth.User, code, setID string, p assessment.Period) (store.Assessment, error) {
	set, err := c.Get(ctx, setID)
	if err != nil {
		return store.Assessment{}, &fault.Error{Code: fault.Invalid, Text: err.Error(), Field: "set", Err: err}
	}
	unit, err := c.db.UnitForPeriod(ctx, code, p)
	if errors.Is(err, store.ErrNotFound) {
		return store.Assessment{}, &fault.Error{Code: fault.NotFound, Field: "unit", Err: err,
			Text: fmt.Sprintf("không có đơn vị %s trong kỳ %s (no unit %s during %s)", code, p.Text, code, p.Text)}
	}
	if err != nil {
		return store.Assessment{}, err
	}
	if err := c.allow(ctx, u, auth.Enter, unit.Code, max(unit.ValidFrom, p.Start)); err != nil {
		return store.Assessment{}, err
	}
	if err := appliesTo(set, unit); err != nil {
		return store.Assessment{}, err
	}
	ev, err := c.summary(ctx, set.ID, unit, nil)
	if err != nil {
		return store.Assessment{}, err
	}
	return c.db.CreateAssessment(ctx, u.Username, unit.Code, set.ID, p, ev)
}

// appliesTo refuses an assessment of a unit that the set does not assess: another level, or
// a ward or townlet for a commune set (only xã are assessed as rural communes).
func appliesTo(set *criteria.Set, u units.Unit) error {
	if string(u.Level) != set.Level {
		return fault.Newf(fault.Rule, "bộ tiêu chí %s áp dụng cho cấp %s, %s là cấp %s (set %s applies to %s units, %s is a %s)",
			set.ID, set.Level, u.FullName, u.Level, set.ID, set.Level, u.Code, u.Level)
	}
	if u.Level == units.LevelCommune && !u.IsRuralCommune() {
		return fault.Newf(fault.Rule, "%s là %s, không đánh giá theo bộ tiêu chí xã (only xã are assessed against commune sets)", u.FullName, u.Type)
	}
	return nil
}

// SetValues changes values of assessment id, at version, for u: a nil Value removes one.
// Each text is read as the set reads it and stored normalised ("92,5" → "92.5"). Errors: no
// such assessment (store.ErrNotFound), out of reach (auth.Refusal), a value the set
// cannot read (InvalidValue on "values[i]"), a stale version (Conflict, with the
// current values), an assessment that is not editable (Rule).
func (c *Catalog) SetValues(ctx context.Context, u *auth.User, id int64, version int, in []store.ValueChange) (store.Assessment, error) {
	a, err := c.Assessment(ctx, u, auth.Enter, id)
	if err != nil {
		return a, err
	}
	set, err := c.Get(ctx, a.SetID)
	if err != nil {
		return a, err
	}
	changes := make([]store.ValueChange, 0, len(in))
	for i, ch := range in {
		if ch.Value == nil {
			changes = append(changes, ch)
			continue
		}
		key, val, err := CheckValue(set, ch.Code, *ch.Value)
		if err != nil {
			return a, &fault.Error{Code: fault.InvalidValue, Text: strings.TrimSpace(err.Error()), Field: fmt.Sprintf("values[%d]", i), Err: err}
		}
		changes = append(changes, store.ValueChange{Code: key, Value: &val, Note: ch.Note})
	}
	if a.Version != version {
		return a, store.Stale(a, version)
	}
	if err := a.Status.CheckEditable(); err != nil {
		return a, err
	}
	unit, err := c.db.Unit(ctx, a.UnitCode, UnitDay(a))
	if err != nil {
		return a, err
	}
	// The store writes only at this version, so the values evaluated are the values stored.
	ev, err := c.summary(ctx, a.SetID, unit, a.Merged(changes))
	if err != nil {
		return a, err
	}
	return c.db.SetValues(ctx, u.Username, a.ID, version, changes, ev)
}

// ChangeStatus takes a workflow action on assessment id, at version, for u: submit (the
// commune's side, auth.Enter; the set's required evidence must be there), verify, return,
// approve or unlock (the level above, auth.Verify). Errors: out of reach, a step the
// workflow does not allow or without its comment (Rule), missing evidence (Rule), separation
// of duties (Duties), a stale version (Conflict).
func (c *Catalog) ChangeStatus(ctx context.Context, u *auth.User, id int64, version int, action assessment.Action, comment string) (store.Assessment, error) {
	need := auth.Verify
	if action.Permission() == "enter" {
		need = auth.Enter
	}
	a, err := c.Assessment(ctx, u, need, id)
	if err != nil {
		return a, err
	}
	if action == assessment.Submit {
		if err := c.checkEvidence(ctx, a); err != nil {
			return a, err
		}
	}
	return c.db.ChangeStatus(ctx, u.Username, a.ID, version, action, comment)
}

// checkEvidence refuses to submit an assessment whose set requires evidence (evidence:
// required in its data) for values entered without a file: a fault.Rule listing them.
func (c *Catalog) checkEvidence(ctx context.Context, a store.Assessment) error {
	set, err := c.Get(ctx, a.SetID)
	if err != nil {
		return err
	}
	files, err := c.db.ListEvidence(ctx, a.ID)
	if err != nil {
		return err
	}
	have := make([]string, len(files))
	for i, f := range files {
		have[i] = f.Code
	}
	values := make(map[string]string, len(a.Values))
	for k, v := range a.Values {
		values[k] = v.Value
	}
	if missing := set.MissingEvidence(values, have); len(missing) > 0 {
		list := strings.Join(missing, ", ")
		return fault.Newf(fault.Rule, "chưa có minh chứng cho: %s — bộ tiêu chí %s yêu cầu tệp minh chứng trước khi gửi (evidence required before submitting: %s)", list, set.ID, list)
	}
	return nil
}

// MaxBulk is the most assessments one bulk step takes.
const MaxBulk = 500

// ChangeStatuses verifies or approves several assessments for u in one step: all of them
// move, or none, and the first refused is named (store.BulkRefusal: out of reach or
// separation of duties, a stale version, a workflow rule). A bulk step is verify or approve,
// on 1 to MaxBulk assessments each named once (Invalid otherwise).
func (c *Catalog) ChangeStatuses(ctx context.Context, u *auth.User, items []store.StatusChange, action assessment.Action, comment string) ([]store.Assessment, error) {
	if action != assessment.Verify && action != assessment.Approve {
		return nil, &fault.Error{Code: fault.Invalid, Field: "action", Text: "thao tác hàng loạt chỉ là verify hoặc approve (bulk steps are verify or approve)"}
	}
	if len(items) == 0 || len(items) > MaxBulk {
		return nil, &fault.Error{Code: fault.Invalid, Field: "items", Text: "chọn từ 1 đến 500 phiếu (choose 1 to 500 assessments)"}
	}
	seen := map[int64]bool{}
	for i, it := range items {
		if seen[it.ID] {
			return nil, &fault.Error{Code: fault.Invalid, Field: fmt.Sprintf("items[%d]", i),
				Text: fmt.Sprintf("phiếu %d chọn hai lần (assessment %d twice)", it.ID, it.ID)}
		}
		seen[it.ID] = true
		if _, err := c.Assessment(ctx, u, auth.Verify, it.ID); err != nil {
			return nil, store.BulkRefusal(it.ID, err)
		}
	}
	return c.db.ChangeStatuses(ctx, u.Username, items, action, comment)
}

// ImportValues imports rows held in memory (see ImportFrom).
func (c *Catalog) ImportValues(ctx context.Context, actor string, rows []imports.Row, opt store.ImportOptions, progress func(done, total int)) (imports.Report, error) {
	return c.ImportFrom(ctx, actor, imports.Rows(rows), opt, progress)
}

// ImportFrom imports the rows of src as actor (see store.ImportFrom: opt.User's scope
// applies, all rows or none, read as a stream), checking them against the sets in force and
// evaluating every assessment it writes with them.
func (c *Catalog) ImportFrom(ctx context.Context, actor string, src imports.Source, opt store.ImportOptions, progress func(done, total int)) (imports.Report, error) {
	cat, err := c.Current(ctx)
	if err != nil {
		return imports.Report{}, err
	}
	opt.Check, opt.Evaluate = imports.NewChecker(cat), evaluator(cat)
	return c.db.ImportFrom(ctx, actor, src, opt, progress)
}
