package report

import (
	"context"

	"github.com/ntm-vn/ntm/internal/store"
)

func init() { sectionFillers = append(sectionFillers, fillOwnFigures) }

// OwnFiguresSection is the unit's own socio-economic figures of the period's year (a
// district's or province's income per person, poverty rate…), each by the name it was
// entered with (issue 13.8).
type OwnFiguresSection struct {
	Year    int      `json:"year"`
	Figures []string `json:"figures"` // "Thu nhập bình quân đầu người: 72,5 triệu đồng/người/năm"
}

// fillOwnFigures fills the figures entered for the bulletin's unit itself for the period's
// year; nil when there is none (and for the whole country, which has no entry of its own).
func fillOwnFigures(ctx context.Context, src Source, b *Bulletin) error {
	if b.Unit.Code == "" {
		return nil
	}
	year := b.Period.Year()
	xs, err := src.DB.ListUnitIndicators(ctx, store.UnitIndicatorFilter{AsOfScope: store.AsOfScope{Root: b.Unit.Code, AsOf: b.Period.AsOf}, Year: year, OnlyUnit: true})
	if err != nil || len(xs) == 0 {
		return err
	}
	s := &OwnFiguresSection{Year: year}
	for _, x := range xs {
		s.Figures = append(s.Figures, x.Text(b.Lang))
	}
	b.OwnFigures = s
	return nil
}
