package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/units"
)

// PlanEntry is a unit the planner looks at: the unit (for the thresholds that apply to it),
// its latest assessment of the set by the day with its values, the one before it, and
// whether it holds a recognition of the set's tier on the day.
type PlanEntry struct {
	Unit         units.Unit
	Assessed     bool
	AssessmentID int64
	Period       string
	Status       string
	Values       map[string]string
	PreviousID   int64
	PrevPeriod   string
	Previous     map[string]string
	Recognized   bool
}

// PlanEntries returns, for every unit below q.Root on q.AsOf that the set applies to, its
// two latest assessments with their values (chosen as ProgressEntries chooses them) and
// whether it is recognised; and the root's name.
func (db *DB) PlanEntries(ctx context.Context, q ProgressQuery) (root progress.Unit, entries []PlanEntry, err error) {
	err = db.Read(ctx, func(tx *Tx) error {
		var all []units.Unit
		var err error
		if root, all, err = progressUnits(ctx, tx, q); err != nil {
			return err
		}
		index := map[string]int{}
		entries = entries[:0]
		for _, u := range all {
			if u.Level != q.Level || (q.RuralOnly && !u.IsRuralCommune()) {
				continue
			}
			index[u.Code] = len(entries)
			entries = append(entries, PlanEntry{Unit: u})
		}
		if len(entries) == 0 {
			return nil
		}
		status := ""
		if q.ApprovedOnly {
			status = ` AND a.status = 'approved'`
		}
		prefix, cond := underRoot(q.Root, 3)
		ranked := prefix + `, ranked AS (SELECT a.id, a.unit_code, a.period, a.status,
				ROW_NUMBER() OVER (PARTITION BY a.unit_code ORDER BY a.period_end DESC, a.period_start ASC, a.id DESC) AS rn
			FROM assessments a JOIN units u ON u.code = a.unit_code AND u.valid_from = a.unit_from
			WHERE a.set_id = $2 AND a.period_end <= $1 AND ` + cond + ` AND a.eval_at IS NOT NULL` + status + `) `
		if prefix == "" {
			ranked = `WITH` + ranked[1:]
		}
		args := []any{string(q.AsOf), q.SetID}
		if q.Root != "" {
			args = append(args, q.Root)
		}
		byID, err := planAssessments(ctx, tx, ranked, args, index, entries)
		if err != nil {
			return err
		}
		if err := planValues(ctx, tx, ranked, args, byID, entries); err != nil {
			return err
		}
		return planRecognized(ctx, tx, q, entries)
	})
	return root, entries, err
}

// planSlot is where an assessment's values go: its entry, as the latest or the one before.
type planSlot struct {
	entry  int
	latest bool
}

// planAssessments fills entries with the two latest assessments of ranked (a WITH clause
// ranking them per unit) and returns where each one's values go.
func planAssessments(ctx context.Context, tx *Tx, ranked string, args []any, index map[string]int, entries []PlanEntry) (map[int64]planSlot, error) {
	rows, err := tx.QueryContext(ctx, ranked+`SELECT id, unit_code, period, status, rn FROM ranked WHERE rn <= 2`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]planSlot{}
	for rows.Next() {
		var id int64
		var code, period, st string
		var rn int
		if err := rows.Scan(&id, &code, &period, &st, &rn); err != nil {
			return nil, err
		}
		i, ok := index[code]
		if !ok {
			continue
		}
		e := &entries[i]
		if rn == 1 {
			e.Assessed, e.AssessmentID, e.Period, e.Status, e.Values = true, id, period, st, map[string]string{}
		} else {
			e.PreviousID, e.PrevPeriod, e.Previous = id, period, map[string]string{}
		}
		byID[id] = planSlot{i, rn == 1}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close() // before the next query: a transaction has one connection
	return byID, nil
}

// planValues loads the values of the assessments of byID into their entries.
func planValues(ctx context.Context, tx *Tx, ranked string, args []any, byID map[int64]planSlot, entries []PlanEntry) error {
	vrows, err := tx.QueryContext(ctx, ranked+`SELECT v.assessment_id, v.code, v.value FROM assessment_values v
		JOIN ranked r ON r.id = v.assessment_id WHERE r.rn <= 2`, args...)
	if err != nil {
		return err
	}
	defer vrows.Close()
	for vrows.Next() {
		var id int64
		var code, text string
		if err := vrows.Scan(&id, &code, &text); err != nil {
			return err
		}
		s, ok := byID[id]
		if !ok {
			continue
		}
		if s.latest {
			entries[s.entry].Values[code] = text
		} else {
			entries[s.entry].Previous[code] = text
		}
	}
	if err := vrows.Err(); err != nil {
		return err
	}
	vrows.Close()
	return nil
}

// planRecognized marks the entries recognised in the set's tier on the day, read as the
// progress figures read them.
func planRecognized(ctx context.Context, tx *Tx, q ProgressQuery, entries []PlanEntry) error {
	pe := make([]progress.Entry, len(entries))
	for i, e := range entries {
		pe[i].Unit.Code = e.Unit.Code
	}
	if err := markRecognized(ctx, tx, q, pe); err != nil {
		return err
	}
	for i := range entries {
		entries[i].Recognized = pe[i].Recognized
	}
	return nil
}

// PlanCost is a row of a cost table (bảng đơn giá): the unit cost of closing one indicator's
// gap, for a unit, a year and a criteria set.
type PlanCost struct {
	Code      string          `json:"code"`
	PerUnit   resources.Fixed `json:"per_unit"` // triệu đồng
	Note      string          `json:"note,omitempty"`
	UpdatedBy string          `json:"updated_by"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// ReplacePlanCosts replaces the cost table of unit, year and set with rows, in one
// transaction, and audits the change.
func (db *DB) ReplacePlanCosts(ctx context.Context, actor, unit string, year int, setID string, rows []PlanCost) error {
	return db.Write(ctx, func(tx *Tx) error {
		old, err := planCosts(ctx, tx, unit, year, setID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM plan_costs WHERE unit_code = $1 AND year = $2 AND set_id = $3`, unit, year, setID); err != nil {
			return err
		}
		at := now()
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_costs (unit_code, year, set_id, code, per_unit, note, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, unit, year, setID, r.Code, int64(r.PerUnit), r.Note, actor, at); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "import", Entity: "plan_costs", EntityID: fmt.Sprintf("%s/%d/%s", unit, year, setID),
			UnitCode: unit, UnitDate: units.Date(fmt.Sprintf("%04d-12-31", year)), Old: len(old), New: len(rows)})
	})
}

// PlanCosts returns the cost table of unit, year and set, by code (empty when none).
func (db *DB) PlanCosts(ctx context.Context, unit string, year int, setID string) ([]PlanCost, error) {
	return readOne(ctx, db, func(tx *Tx) ([]PlanCost, error) { return planCosts(ctx, tx, unit, year, setID) })
}

func planCosts(ctx context.Context, tx *Tx, unit string, year int, setID string) ([]PlanCost, error) {
	return queryList(ctx, tx, func(row interface{ Scan(...any) error }) (PlanCost, error) {
		var c PlanCost
		var v int64
		var at string
		err := row.Scan(&c.Code, &v, &c.Note, &c.UpdatedBy, &at)
		c.PerUnit, c.UpdatedAt = resources.Fixed(v), parseTime(at)
		return c, err
	}, `SELECT code, per_unit, note, updated_by, updated_at FROM plan_costs
		WHERE unit_code = $1 AND year = $2 AND set_id = $3 ORDER BY code`, unit, year, setID)
}

// Scenario is a named what-if plan of a unit for a year (kịch bản kế hoạch): the assumptions
// the office made and the figures they projected, versioned.
type Scenario struct {
	ID          int64           `json:"id"`
	UnitCode    string          `json:"unit"`
	Year        int             `json:"year"`
	SetID       string          `json:"set"`
	Name        string          `json:"name"`
	Assumptions json.RawMessage `json:"assumptions"`
	Projected   json.RawMessage `json:"projected"`
	Version     int             `json:"version"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedBy   string          `json:"updated_by"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

const scenarioColumns = `id, unit_code, year, set_id, name, assumptions, projected, version, created_by, created_at, updated_by, updated_at`

func scanScenario(row interface{ Scan(...any) error }) (Scenario, error) {
	var s Scenario
	var as, pr, cat, uat string
	err := row.Scan(&s.ID, &s.UnitCode, &s.Year, &s.SetID, &s.Name, &as, &pr, &s.Version, &s.CreatedBy, &cat, &s.UpdatedBy, &uat)
	s.Assumptions, s.Projected, s.CreatedAt, s.UpdatedAt = json.RawMessage(as), json.RawMessage(pr), parseTime(cat), parseTime(uat)
	return s, err
}

// CreateScenario saves a new scenario as version 1.
func (db *DB) CreateScenario(ctx context.Context, actor string, s Scenario) (Scenario, error) {
	var out Scenario
	err := db.Write(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM plan_scenarios WHERE unit_code = $1 AND year = $2 AND name = $3`, s.UnitCode, s.Year, s.Name).Scan(&id)
		if err == nil {
			return &fault.Error{Code: fault.Exists, Current: id,
				Text: "đã có kịch bản cùng tên cho đơn vị và năm này; lưu phiên bản mới của nó (a scenario of that name exists for the unit and year: save a new version of it)"}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		at := now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_scenarios (unit_code, year, set_id, name, assumptions, projected, version,
			created_by, created_at, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id`,
			s.UnitCode, s.Year, s.SetID, s.Name, string(s.Assumptions), string(s.Projected), actor, at).Scan(&id); err != nil {
			return err
		}
		if err := saveScenarioVersion(ctx, tx, id, 1, s, actor, at); err != nil {
			return err
		}
		if out, err = scanScenario(tx.QueryRowContext(ctx, `SELECT `+scenarioColumns+` FROM plan_scenarios WHERE id = $1`, id)); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "plan_scenario", EntityID: fmt.Sprint(id), UnitCode: s.UnitCode,
			UnitDate: units.Date(fmt.Sprintf("%04d-12-31", s.Year)), New: out.Name})
	})
	return out, err
}

// SaveScenario saves new assumptions and figures as the next version of scenario id, if
// version is its latest (else a fault.Conflict carrying the current one).
func (db *DB) SaveScenario(ctx context.Context, actor string, id int64, version int, assumptions, projected json.RawMessage) (Scenario, error) {
	var out Scenario
	err := db.Write(ctx, func(tx *Tx) error {
		cur, err := scanScenario(tx.QueryRowContext(ctx, `SELECT `+scenarioColumns+` FROM plan_scenarios WHERE id = $1`, id))
		if err != nil {
			return notFound(err)
		}
		if cur.Version != version {
			return scenarioConflict(cur, version)
		}
		at := now()
		res, err := tx.ExecContext(ctx, `UPDATE plan_scenarios SET assumptions = $1, projected = $2, version = version + 1, updated_by = $3, updated_at = $4
			WHERE id = $5 AND version = $6`, string(assumptions), string(projected), actor, at, id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return scenarioConflict(cur, version)
		}
		cur.Assumptions, cur.Projected = assumptions, projected
		if err := saveScenarioVersion(ctx, tx, id, version+1, cur, actor, at); err != nil {
			return err
		}
		if out, err = scanScenario(tx.QueryRowContext(ctx, `SELECT `+scenarioColumns+` FROM plan_scenarios WHERE id = $1`, id)); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "update", Entity: "plan_scenario", EntityID: fmt.Sprint(id), UnitCode: cur.UnitCode,
			UnitDate: units.Date(fmt.Sprintf("%04d-12-31", cur.Year)), Detail: fmt.Sprintf("version %d", out.Version)})
	})
	return out, err
}

func saveScenarioVersion(ctx context.Context, tx *Tx, id int64, version int, s Scenario, actor, at string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO plan_scenario_versions (scenario_id, version, assumptions, projected, saved_by, saved_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, version, string(s.Assumptions), string(s.Projected), actor, at)
	return err
}

// Scenario returns one scenario (its latest version).
func (db *DB) Scenario(ctx context.Context, id int64) (Scenario, error) {
	return readOne(ctx, db, func(tx *Tx) (Scenario, error) {
		out, err := scanScenario(tx.QueryRowContext(ctx, `SELECT `+scenarioColumns+` FROM plan_scenarios WHERE id = $1`, id))
		return out, notFound(err)
	})
}

// ScenarioVersion is one saved version of a scenario.
type ScenarioVersion struct {
	Version     int             `json:"version"`
	Assumptions json.RawMessage `json:"assumptions"`
	Projected   json.RawMessage `json:"projected"`
	SavedBy     string          `json:"saved_by"`
	SavedAt     time.Time       `json:"saved_at"`
}

// ScenarioVersions returns every saved version of a scenario, oldest first.
func (db *DB) ScenarioVersions(ctx context.Context, id int64) ([]ScenarioVersion, error) {
	out := []ScenarioVersion{}
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT version, assumptions, projected, saved_by, saved_at FROM plan_scenario_versions
			WHERE scenario_id = $1 ORDER BY version`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v ScenarioVersion
			var as, pr, at string
			if err := rows.Scan(&v.Version, &as, &pr, &v.SavedBy, &at); err != nil {
				return err
			}
			v.Assumptions, v.Projected, v.SavedAt = json.RawMessage(as), json.RawMessage(pr), parseTime(at)
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// Scenarios lists the scenarios of a unit (exactly that code) for a year (0: every year).
func (db *DB) Scenarios(ctx context.Context, unit string, year int) ([]Scenario, error) {
	out := []Scenario{}
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+scenarioColumns+` FROM plan_scenarios
			WHERE unit_code = $1 AND ($2 = 0 OR year = $2) ORDER BY year, name`, unit, year)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanScenario(rows)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}

// scenarioConflict is a save based on a version that is no longer the latest.
func scenarioConflict(cur Scenario, sent int) error {
	return &fault.Error{Code: fault.Conflict, Current: cur, Text: fmt.Sprintf("kịch bản %d đã được lưu lại (phiên bản %d, bạn gửi %d); xem bản hiện tại (scenario %d changed: version %d sent, %d stored)",
		cur.ID, cur.Version, sent, cur.ID, sent, cur.Version)}
}
