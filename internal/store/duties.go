package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/memo"
)

// SetDuties replaces the rules of separation of duties (tests; a deployment's own file).
func (db *DB) SetDuties(d *assessment.Duties) { db.duties = d }

func (db *DB) dutyRules() (*assessment.Duties, error) {
	if db.duties != nil {
		return db.duties, nil
	}
	return assessment.ShippedDuties()
}

// dutyOf maps the audit log's actions on an assessment to the duties they are.
var dutyOf = map[string]assessment.Duty{
	"set_value": assessment.DutyEnter, "import": assessment.DutyEnter,
	"submit": assessment.DutySubmit, "verify": assessment.DutyVerify,
}

// AssessmentDuties returns who did what to an assessment: who entered values (the audit log
// and the values' own entered_by), who submitted it and who verified it.
func (db *DB) AssessmentDuties(ctx context.Context, id int64) (map[assessment.Duty][]string, error) {
	return readOne(ctx, db, func(tx *Tx) (map[assessment.Duty][]string, error) { return assessmentDuties(ctx, tx, id) })
}

func assessmentDuties(ctx context.Context, tx *Tx, id int64) (map[assessment.Duty][]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT action, actor FROM audit_log
		WHERE entity = 'assessment' AND entity_id = $1 AND action IN ('set_value', 'import', 'submit', 'verify')
		UNION SELECT DISTINCT 'set_value', entered_by FROM assessment_values WHERE assessment_id = $2`,
		strconv.FormatInt(id, 10), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[assessment.Duty][]string{}
	for rows.Next() {
		var action, actor string
		if err := rows.Scan(&action, &actor); err != nil {
			return nil, err
		}
		if d, ok := dutyOf[action]; ok && !slices.Contains(out[d], actor) {
			out[d] = append(out[d], actor)
		}
	}
	return out, rows.Err()
}

// checkDuties refuses action by actor on assessment id when a rule of separation of duties
// forbids it (a fault.Duties).
func (db *DB) checkDuties(ctx context.Context, tx *Tx, id int64, action assessment.Action, actor string) error {
	d, err := db.dutyRules()
	if err != nil {
		return err
	}
	if !d.Guards(action) {
		return nil
	}
	done, err := assessmentDuties(ctx, tx, id)
	if err != nil {
		return err
	}
	return d.Check(action, actor, done)
}

// MayTake reports, for each assessment, the rule (if any) that would refuse action by actor:
// the queue shows what a user may do before they try.
func (db *DB) MayTake(ctx context.Context, ids []int64, action assessment.Action, actor string) (map[int64]error, error) {
	out := map[int64]error{}
	d, err := db.dutyRules()
	if err != nil || !d.Guards(action) {
		return out, err
	}
	err = db.Read(ctx, func(tx *Tx) error {
		for _, id := range ids {
			done, err := assessmentDuties(ctx, tx, id)
			if err != nil {
				return err
			}
			if e := d.Check(action, actor, done); e != nil {
				out[id] = e
			}
		}
		return nil
	})
	return out, err
}

// StatusChange is one assessment of a bulk step, at the version the user saw.
type StatusChange struct {
	ID      int64 `json:"id"`
	Version int   `json:"version"`
}

// BulkRefusal is a bulk step refused because of assessment id (err): nothing was changed. The
// fault has the code of the cause and its message naming the assessment, on the field
// "items"; an err that is not a fault stays ours (a 500), with the id for the log.
func BulkRefusal(id int64, err error) error {
	if _, ok := fault.As(err); !ok {
		return fmt.Errorf("assessment %d: %w", id, err)
	}
	return &fault.Error{Code: fault.CodeOf(err), Field: "items", Err: err,
		Text: fmt.Sprintf("phiếu %d: %v — không phiếu nào được chuyển (assessment %d; nothing was changed)", id, err, id)}
}

// ChangeStatuses takes one workflow action on several assessments in one transaction: all of
// them move, or none (a BulkRefusal names the first refused).
func (db *DB) ChangeStatuses(ctx context.Context, actor string, items []StatusChange, action assessment.Action, comment string) ([]Assessment, error) {
	var out []Assessment
	err := db.Write(ctx, func(tx *Tx) error {
		out = out[:0]
		for _, it := range items {
			a, err := db.changeStatus(ctx, tx, actor, it.ID, it.Version, action, comment)
			if err != nil {
				return BulkRefusal(it.ID, err)
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// CountAssessments counts the assessments the filter selects, by status (the queue's counts
// in the header of every page and on the dashboard). The counts are kept under the data
// version (countCache): a count below a province costs tens of milliseconds, every page
// asks for it, and it changes only when assessments or units do.
func (db *DB) CountAssessments(ctx context.Context, f AssessmentFilter) (map[assessment.Status]int, error) {
	prefix, w := assessmentWhere(f)
	q := prefix + `SELECT status, COUNT(*) FROM assessments` + w.sql() + " GROUP BY status"
	args := w.args
	var out map[assessment.Status]int
	err := db.Read(ctx, func(tx *Tx) error {
		version, err := dataVersion(ctx, tx)
		if err != nil {
			return err
		}
		c := &db.counts
		c.once.Do(func() { c.lru = memo.New[map[assessment.Status]int](1024) })
		out, err = c.lru.Do(version+"|"+q+"|"+fmt.Sprintf("%q", args), func() (map[assessment.Status]int, error) {
			return countAssessments(ctx, tx, q, args)
		})
		return err
	})
	return maps.Clone(out), err
}

func countAssessments(ctx context.Context, tx *Tx, q string, args []any) (map[assessment.Status]int, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[assessment.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[assessment.Status(st)] = n
	}
	return out, rows.Err()
}

// countCache keeps the queue's counts by data version and filter (one per home unit and
// role that signed in).
type countCache struct {
	once sync.Once
	lru  *memo.LRU[map[assessment.Status]int]
}
