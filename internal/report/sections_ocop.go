package report

import (
	"context"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/ocop"
)

func init() { sectionFillers = append(sectionFillers, fillOCOP) }

// fillOCOP fills the OCOP section from app.OCOP over the period; it stays nil when the
// register holds no product in the unit's area.
func fillOCOP(ctx context.Context, src Source, b *Bulletin) error {
	f, err := app.OCOP(ctx, src.DB, b.Unit.Code, b.Period.AsOf, b.Period.Start)
	if err != nil {
		return err
	}
	if f.Products == 0 {
		return nil
	}
	s := &OCOPSection{Products: f.Products, Total: f.Certified.Total(), New: f.FirstInPeriod, Decided: f.InPeriod.Total(),
		Expiring: f.Expiring}
	for _, stars := range []int{5, 4, 3} {
		if n := f.Certified.Of(stars); n > 0 {
			s.Stars = append(s.Stars, StarCount{Stars: stars, Total: n})
		}
	}
	for _, k := range ocop.ProducerKinds {
		if n := f.ByKind[k]; n > 0 {
			label := k.Label().VI
			if b.Lang == "en" {
				label = k.Label().EN
			}
			s.Producers = append(s.Producers, ProducerCount{Kind: string(k), Label: label, Total: n})
		}
	}
	b.OCOP = s
	return nil
}
