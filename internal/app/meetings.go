package app

import (
	"context"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// MeetingTasks is a steering committee's meeting with the tasks it assigned by a day, and how
// many of them were done by then.
type MeetingTasks struct {
	resources.MeetingEntry
	Assigned []resources.TaskEntry `json:"assigned"` // by due day
	Done     int                   `json:"done"`
}

// MeetingsHeld lists the meetings the committee of unit itself held from from to day (the
// period of a report), the earliest first, each with the tasks it assigned by day: a report
// as of day knows neither a later meeting nor a task assigned after it, nor a task done later.
func MeetingsHeld(ctx context.Context, db *store.DB, unit string, from, day units.Date) ([]MeetingTasks, error) {
	ms, err := db.ListMeetings(ctx, store.MeetingFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}, From: from, To: day})
	if err != nil {
		return nil, err
	}
	var out []MeetingTasks
	// Listed the latest first: read backwards.
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.UnitCode != unit {
			continue
		}
		ts, err := db.ListTasks(ctx, store.TaskFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}, MeetingID: m.ID})
		if err != nil {
			return nil, err
		}
		mt := MeetingTasks{MeetingEntry: m, Assigned: []resources.TaskEntry{}}
		for _, t := range ts {
			if t.Assigned > day {
				continue
			}
			mt.Assigned = append(mt.Assigned, t)
			if t.Status == resources.TaskDone && t.DoneOn != "" && t.DoneOn <= day {
				mt.Done++
			}
		}
		out = append(out, mt)
	}
	return out, nil
}
