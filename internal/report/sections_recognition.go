package report

import (
	"context"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() { sectionFillers = append(sectionFillers, fillRecognition) }

// fillRecognition fills the recognitions of each tier for the units of the set's level, in
// all on the as-of day and new within the period (app.CountRecognitions), the revocation
// watch list (app.RevocationWatch) and the overdue dossiers (app.OverdueDossiers); it
// stays nil when none of them holds anything for the unit's area.
func fillRecognition(ctx context.Context, src Source, b *Bulletin) error {
	var s RecognitionSection
	own, err := ownRecognitions(ctx, src, b)
	if err != nil {
		return err
	}
	s.Own = own
	for _, tier := range tierOrder {
		r, err := app.CountRecognitions(ctx, src.DB, b.Unit.Code, tier, units.Level(b.Set.Level), b.Period.Start, b.Period.AsOf)
		if err != nil {
			return err
		}
		if r.Total == 0 && r.New == 0 {
			continue
		}
		t := RecognitionTier{Tier: tier, Total: r.Total, New: r.New}
		for _, u := range r.NewUnits {
			t.Units = append(t.Units, UnitRef{Code: u.UnitCode, Name: u.UnitName})
		}
		s.Tiers = append(s.Tiers, t)
	}
	lib, err := recognition.Shipped()
	if err != nil {
		return err
	}
	watch, err := app.RevocationWatch(ctx, src.DB, src.Catalog, lib, b.Unit.Code, b.Period.AsOf, false)
	if err != nil {
		return err
	}
	for _, e := range watch.AtRisk {
		r := e.Recognition
		s.AtRisk = append(s.AtRisk, AtRisk{UnitRef: UnitRef{Code: r.UnitCode, Name: r.UnitName}, Tier: r.Tier, Failing: e.Verdict.Failed})
	}
	late, err := app.OverdueDossiers(ctx, src.DB, lib, b.Unit.Code, b.Period.AsOf)
	if err != nil {
		return err
	}
	for _, d := range late {
		step := d.StepName
		if b.Lang == "en" && d.StepNameEN != "" {
			step = d.StepNameEN
		}
		s.Overdue = append(s.Overdue, DossierRef{UnitRef: UnitRef{Code: d.UnitCode, Name: d.UnitName}, Tier: d.Tier, Step: step, DaysLate: d.Lateness.DaysLate})
	}
	if len(s.Own) > 0 || len(s.Tiers) > 0 || len(s.AtRisk) > 0 || len(s.Overdue) > 0 {
		b.Recognition = &s
	}
	return nil
}

// ownRecognitions are the decisions recognising the report's unit itself that are dated by
// the as-of day and not revoked by then, the latest of each tier, in the order of tierOrder;
// none for the whole country.
func ownRecognitions(ctx context.Context, src Source, b *Bulletin) ([]OwnRecognition, error) {
	if b.Unit.Code == "" {
		return nil, nil
	}
	rs, err := src.DB.Recognitions(ctx, store.RegistryFilter{Root: b.Unit.Code, AsOf: b.Period.AsOf, InForce: true})
	if err != nil {
		return nil, err
	}
	latest := map[string]store.Recognition{}
	for _, r := range rs {
		if r.UnitCode != b.Unit.Code {
			continue
		}
		// By date: the last one read is the latest.
		latest[r.Tier] = r
	}
	var out []OwnRecognition
	for _, tier := range tierOrder {
		r, ok := latest[tier]
		if !ok {
			continue
		}
		key := "tier.own." + string(r.UnitLevel) + "." + tier
		if !hasLabel(b.Lang, key) {
			key = "tier." + tier
		}
		out = append(out, OwnRecognition{Tier: tier, Standard: label(b.Lang, key), Decision: r.Decision.Number, Date: r.Decision.Date,
			New: r.Decision.Date >= b.Period.Start && r.Decision.Date <= b.Period.AsOf})
	}
	return out, nil
}
