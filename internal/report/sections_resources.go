package report

import (
	"context"
	"math"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/resources"
)

func init() {
	sectionFillers = append(sectionFillers, fillFunding, fillWorks, fillModels, fillTasks, fillMeetings)
}

// fillFunding fills the funding of the period's year (app.FundingSummary); nil when no
// funding is entered for the year.
func fillFunding(ctx context.Context, src Source, b *Bulletin) error {
	year := b.Period.Year()
	r, err := app.FundingSummary(ctx, src.DB, b.Unit.Code, year, b.Period.AsOf)
	if err != nil {
		return err
	}
	if r.Entries == 0 {
		return nil
	}
	s := &FundingSection{Year: year, Total: r.Total.Float()}
	if r.ChangePct != nil && r.PrevEntries > 0 {
		c := *r.ChangePct
		s.ChangePct = &c
	}
	for _, f := range r.Sources {
		if f.Amount == 0 {
			continue
		}
		name := f.Name
		if b.Lang == "en" && f.NameEN != "" {
			name = f.NameEN
		}
		s.Sources = append(s.Sources, FundingSource{Source: f.Code, Label: name, Amount: f.Amount.Float(), Share: f.Share})
	}
	for _, f := range r.Flags {
		if f.Reported == nil {
			continue
		}
		s.Mismatches = append(s.Mismatches, FundingMismatch{UnitName: f.UnitName, Year: f.Year, Reported: f.Reported.Float(), Sum: f.Sum.Float(),
			Difference: math.Abs(f.Difference.Float())})
	}
	b.Funding = s
	return nil
}

// fillWorks fills the works of the period's year as of its end (app.WorksSummary); nil when
// the register holds none.
func fillWorks(ctx context.Context, src Source, b *Bulletin) error {
	year := b.Period.Year()
	r, err := app.WorksSummary(ctx, src.DB, b.Unit.Code, year, b.Period.AsOf)
	if err != nil {
		return err
	}
	if r.Works == 0 {
		return nil
	}
	s := &WorksSection{Year: year, Works: r.Works, Done: r.Done, Budget: r.Budget.Float(), Disbursed: r.Disbursed.Float(), Rate: r.Rate}
	for _, k := range r.ByKind {
		if k.Done > 0 {
			s.DoneByKind = append(s.DoneByKind, k.Text(b.Lang))
		}
	}
	b.Works = s
	return nil
}

// fillModels fills the models new in the period's year and cumulative at its end
// (app.ModelsSummary); nil when there is none of any kind.
func fillModels(ctx context.Context, src Source, b *Bulletin) error {
	year := b.Period.Year()
	r, err := app.ModelsSummary(ctx, src.DB, b.Unit.Code, year, year, b.Period.AsOf)
	if err != nil {
		return err
	}
	s := &ModelsSection{Year: year}
	for _, c := range r.Counts {
		if c.Cumulative == 0 && c.New == 0 {
			continue
		}
		m := ModelCount{Kind: c.Kind, Label: c.Name, Noun: c.Noun, Total: c.Cumulative, New: c.New}
		if b.Lang == "en" {
			m.Label, m.Noun = c.NameEN, c.NounEN
		}
		if c.Share != nil {
			m.Share = c.Share.Text(b.Lang)
		}
		s.Kinds = append(s.Kinds, m)
	}
	if len(s.Kinds) > 0 {
		b.Models = s
	}
	return nil
}

// fillTasks fills the steering tasks overdue on the as-of day (app.OverdueTasks) and
// ahead of it (app.OpenTasks); nil when there is no task to do.
func fillTasks(ctx context.Context, src Source, b *Bulletin) error {
	od, err := app.OverdueTasks(ctx, src.DB, b.Unit.Code, b.Period.AsOf)
	if err != nil {
		return err
	}
	ahead, err := app.OpenTasks(ctx, src.DB, b.Unit.Code, b.Period.AsOf)
	if err != nil {
		return err
	}
	if od.Count == 0 && len(ahead) == 0 {
		return nil
	}
	s := &TasksSection{Open: od.Count + len(ahead), OverdueTotal: od.Count, AheadTotal: len(ahead)}
	for i, t := range od.Tasks {
		if i < TasksListed {
			s.Overdue = append(s.Overdue, taskRef(t))
		}
	}
	for i, t := range ahead {
		if i < TasksListed {
			s.Ahead = append(s.Ahead, taskRef(t))
		}
	}
	b.Tasks = s
	return nil
}

// taskRef names a task as a bulletin lists it, its owner by name.
func taskRef(t resources.TaskEntry) TaskRef {
	owner := t.OwnerName
	if owner == "" {
		owner = t.Owner
	}
	return TaskRef{Title: t.Title, Owner: owner, Due: t.Due}
}

// fillMeetings fills the meetings the unit's own committee held within the period and the
// tasks they assigned by its end (app.MeetingsHeld); nil when it held none, and for the
// whole country, which has no committee in the register.
func fillMeetings(ctx context.Context, src Source, b *Bulletin) error {
	if b.Unit.Code == "" {
		return nil
	}
	ms, err := app.MeetingsHeld(ctx, src.DB, b.Unit.Code, b.Period.Start, b.Period.AsOf)
	if err != nil || len(ms) == 0 {
		return err
	}
	u, err := src.DB.Unit(ctx, b.Unit.Code, b.Period.AsOf)
	if err != nil {
		return err
	}
	committee, err := committeeName(u.Code, u.Level, b.Lang)
	if err != nil {
		return err
	}
	s := &MeetingsSection{Committee: committee}
	for _, m := range ms {
		r := MeetingRef{Day: m.Day, Chair: strings.TrimSpace(m.Chair), Conclusions: strings.TrimRight(strings.Join(strings.Fields(m.Conclusions), " "), ".;: "),
			Tasks: len(m.Assigned), Done: m.Done}
		for i, t := range m.Assigned {
			if i < TasksListed {
				r.Listed = append(r.Listed, taskRef(t))
			}
		}
		s.Meetings = append(s.Meetings, r)
	}
	b.Meetings = s
	return nil
}
