package app

import (
	"context"
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// OpenTasks lists the steering tasks at or below unit ("" the country) that are still to do
// on day and not yet overdue — the tasks ahead of a bulletin, assigned by day — the soonest due first.
// OverdueTasks lists the others.
func OpenTasks(ctx context.Context, db *store.DB, unit string, day units.Date) ([]resources.TaskEntry, error) {
	ts, err := db.ListTasks(ctx, store.TaskFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}})
	if err != nil {
		return nil, err
	}
	out := []resources.TaskEntry{}
	for _, t := range ts {
		done := t.Status == resources.TaskDone && t.DoneOn != "" && t.DoneOn <= day
		// A task assigned after day was not there yet: a report as of day leaves it out.
		later := t.Assigned != "" && t.Assigned > day
		if !done && !later && !t.Task.Overdue(day) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b resources.TaskEntry) int { return strings.Compare(string(a.Due), string(b.Due)) })
	return out, nil
}
