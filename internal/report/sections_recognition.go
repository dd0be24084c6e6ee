package report

import (
	"context"

	"github.com/ntm-vn/ntm/internal/rollup"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() { sectionFillers = append(sectionFillers, fillRecognition) }

// fillRecognition fills the recognitions of each tier for the units of the set's level, in
// all on the as-of day and new within the period (rollup.CountRecognitions); it stays nil
// when the registry holds no recognition for the unit's area.
func fillRecognition(ctx context.Context, src Source, b *Bulletin) error {
	var s RecognitionSection
	for _, tier := range tierOrder {
		r, err := rollup.CountRecognitions(ctx, src.DB, b.Unit.Code, tier, units.Level(b.Set.Level), b.Period.Start, b.Period.AsOf)
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
	if len(s.Tiers) > 0 {
		b.Recognition = &s
	}
	return nil
}
