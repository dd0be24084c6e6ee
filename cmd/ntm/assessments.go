package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The queue from the command line (issue 15): what waits for a user of the database, and the
// bulk verify and approve — as that user, within their scope and under the rules of
// separation of duties (data/assessment/duties.yaml), all the assessments or none.

// actingUser opens the database and reads the user a command acts as (--user).
func (e *env) actingUser(ctx context.Context, username string) (*store.DB, *auth.User, error) {
	if username == "" {
		return nil, nil, usageError{"--user là bắt buộc: lệnh này làm thay một người dùng (--user is required)"}
	}
	db, err := e.store(ctx)
	if err != nil {
		return nil, nil, err
	}
	u, err := db.UserByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("không có người dùng %q (no user %q): %w", username, username, store.ErrNotFound)
	}
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, fmt.Errorf("người dùng %s đã bị khóa (user %s is disabled)", u.Username, u.Username)
	}
	return db, &u, nil
}

// allowCLI is the web's scope check for a user of the command line.
func allowCLI(ctx context.Context, db *store.DB, u *auth.User, action auth.Action, code string, day units.Date) error {
	return auth.Authorize(u, action, code, func() (bool, error) { return db.InScope(ctx, u.UnitCode, code, day) })
}

func init() {
	register(assessmentsQueueCmd)

	for _, act := range []assessment.Action{assessment.Verify, assessment.Approve} {
		register(func() *command { return assessmentsStepCmd(act) })
	}
}

// assessmentsQueueCmd is `ntm assessments queue`.
func assessmentsQueueCmd() *command {
	var qUser, qStatus, qUnit, qSet, qPeriod string
	return &command{
		name:  "assessments queue",
		usage: "--user USERNAME [--status S] [--unit CODE] [--set ID] [--period P]",
		flags: []flagDef{{"user", &qUser}, {"status", &qStatus}, {"unit", &qUnit}, {"set", &qSet}, {"period", &qPeriod}},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"assessments queue chỉ nhận cờ (takes flags only)"}
			}
			db, u, err := e.actingUser(ctx, qUser)
			if err != nil {
				return err
			}
			verifies := u.Role.Reach(auth.Verify) != auth.Nowhere
			if !verifies && u.Role.Reach(auth.Enter) == auth.Nowhere {
				return fmt.Errorf("vai trò %s không xử lý phiếu đánh giá (role %s takes no step on assessments)", u.Role, u.Role)
			}
			f := store.AssessmentFilter{Statuses: assessment.Waiting(verifies), SetID: qSet, Within: qUnit, Oldest: true, Limit: 1000}
			if qStatus != "" {
				if !slices.Contains(f.Statuses, assessment.Status(qStatus)) {
					return usageError{fmt.Sprintf("--status %q không chờ %s xử lý (does not wait for this user)", qStatus, u.Username)}
				}
				f.Statuses = []assessment.Status{assessment.Status(qStatus)}
			}
			if qPeriod != "" {
				p, err := assessment.ParsePeriod(qPeriod)
				if err != nil {
					return usageError{err.Error()}
				}
				f.Period = p.Text
			}
			if f.Within != "" {
				if err := allowCLI(ctx, db, u, auth.Read, f.Within, units.Today()); err != nil {
					return err
				}
			} else if u.Role.Reach(auth.Read) != auth.Everywhere {
				f.Within = u.UnitCode
			}
			list, err := db.ListAssessments(ctx, f)
			if err != nil {
				return err
			}
			need := auth.Enter
			if verifies {
				need = auth.Verify
			}
			var rows []store.Assessment
			for _, a := range list {
				day := a.PeriodStart
				if a.UnitFrom > day {
					day = a.UnitFrom
				}
				if allowCLI(ctx, db, u, need, a.UnitCode, day) == nil {
					rows = append(rows, a)
				}
			}
			if e.json {
				if rows == nil {
					rows = []store.Assessment{}
				}
				return e.printJSON(map[string]any{"assessments": rows, "count": len(rows)})
			}
			tw := e.table("PHIẾU\tĐƠN VỊ\tBỘ TIÊU CHÍ\tKỲ\tTRẠNG THÁI\tCHỜ TỪ\tNGƯỜI CHUYỂN")
			for _, a := range rows {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.UnitCode, a.SetID, a.Period, a.Status.Label(), a.UpdatedAt.Local().Format("02/01/2006"), a.UpdatedBy)
			}
			tw.Flush()
			fmt.Fprintf(e.stdout, "%d phiếu chờ %s xử lý\n", len(rows), u.Username)
			return nil
		},
	}
}

// assessmentsStepCmd is `ntm assessments verify` or `ntm assessments approve`.
func assessmentsStepCmd(act assessment.Action) *command {
	var user string
	var yes bool
	label := map[assessment.Action]string{assessment.Verify: "thẩm tra", assessment.Approve: "phê duyệt"}[act]
	return &command{
		name:  "assessments " + string(act),
		usage: "ID... --user USERNAME [--yes]",
		flags: []flagDef{{"user", &user}, {"yes", &yes}},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return usageError{"cho ít nhất một mã phiếu (give at least one assessment id)"}
			}
			db, u, err := e.actingUser(ctx, user)
			if err != nil {
				return err
			}
			cat, err := app.Open(ctx, db)
			if err != nil {
				return err
			}
			var items []store.StatusChange
			var list []store.Assessment
			for _, arg := range args {
				id, err := strconv.ParseInt(arg, 10, 64)
				if err != nil {
					return usageError{fmt.Sprintf("%q không phải mã phiếu (not an assessment id)", arg)}
				}
				a, err := cat.Assessment(ctx, u, auth.Verify, id)
				if fault.Is(err, fault.Forbidden) {
					return fmt.Errorf("phiếu %d: %w — không phiếu nào được chuyển (nothing was changed)", id, err)
				}
				if err != nil {
					return fmt.Errorf("phiếu %d: %w", id, err)
				}
				items = append(items, store.StatusChange{ID: a.ID, Version: a.Version})
				list = append(list, a)
			}
			if !yes {
				fmt.Fprintf(e.stdout, "Sẽ %s %d phiếu:\n", label, len(list))
				for _, a := range list {
					fmt.Fprintf(e.stdout, "  %d  %s  %s  %s  %s\n", a.ID, a.UnitCode, a.SetID, a.Period, a.Status.Label())
				}
				return usageError{"thêm --yes để xác nhận (add --yes to confirm)"}
			}
			done, err := cat.ChangeStatuses(ctx, u, items, act, "")
			if err != nil {
				return err
			}
			return e.answer(map[string]any{"assessments": done, "count": len(done)}, "Đã %s %d phiếu.\n", label, len(done))
		},
	}
}
