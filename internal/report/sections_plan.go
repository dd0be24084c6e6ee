package report

import (
	"context"

	"github.com/ntm-vn/ntm/internal/app"
)

func init() { sectionFillers = append(sectionFillers, fillPlan) }

// PlanSection is what the plan to the standard (issue 19) adds to a unit's report: the
// communes proposed for the year with their cost, under "Phương hướng, nhiệm vụ", and the
// recognised communes at risk, under "Tồn tại, hạn chế". Each is one sentence from the plan
// catalog, empty when there is nothing to say.
type PlanSection struct {
	TasksAhead string `json:"tasks_ahead,omitempty"`
	AtRisk     string `json:"at_risk,omitempty"`
}

// fillPlan fills the plan's sentences for a unit's report; nil for the whole country (a
// proposal is a province's or a commune group's decision, and the country's would rank every
// commune) and when the plan has nothing to propose or warn of.
func fillPlan(ctx context.Context, src Source, b *Bulletin) error {
	if b.Unit.Code == "" || src.Catalog == nil {
		return nil
	}
	set, err := src.Catalog.Get(ctx, b.Set.ID)
	if err != nil {
		return err
	}
	pb, err := app.PlanForBulletin(ctx, src.DB, set, b.Unit.Code, b.Period.Year(), b.Period.AsOf)
	if err != nil {
		return err
	}
	s := &PlanSection{TasksAhead: pb.TasksAhead, AtRisk: pb.AtRisk}
	if b.Lang == "en" {
		s.TasksAhead, s.AtRisk = pb.TasksEN, pb.AtRiskEN
	}
	if s.TasksAhead != "" || s.AtRisk != "" {
		b.Plan = s
	}
	return nil
}
