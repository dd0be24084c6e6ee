package app

import (
	"context"
	"strings"

	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// OCOPFigures are the OCOP figures of a unit ("" for the country) on a day: products holding a
// certificate by stars, certified in the period, expiring soon. Its JSON is the body of
// GET /api/v1/ocop/figures and of ntm ocop figures --json.
type OCOPFigures struct {
	ocop.Figures
	Unit      string      `json:"unit"`
	UnitName  string      `json:"unit_name"`
	UnitLevel units.Level `json:"unit_level,omitempty"`
}

// OCOP works out the OCOP figures of the products at or below unit on day (each product's
// commune as it was on that day, through the lineage of the 2025 reform), for the period
// from from (default: 1 January of day's year) to day.
func OCOP(ctx context.Context, db *store.DB, unit string, day, from units.Date) (OCOPFigures, error) {
	if from == "" {
		from = units.Date(string(day)[:4] + "-01-01")
	}
	out := OCOPFigures{Unit: unit}
	if unit != "" {
		u, err := db.Unit(ctx, unit, day)
		if err != nil {
			return out, err
		}
		out.UnitName, out.UnitLevel = u.FullName, u.Level
	}
	rules, err := ocop.Shipped()
	if err != nil {
		return out, err
	}
	products, err := db.OCOPProducts(ctx, store.OCOPQuery{Root: unit, Day: day})
	if err != nil {
		return out, err
	}
	out.Figures = rules.Tally(products, day, from)
	return out, nil
}

// Metrics of the OCOP register that targets can be set on (SPEC §1.5, "≥ 8 sản phẩm đạt 3
// sao trở lên"), read from OCOPFigures by OCOPMetric. The targets and progress code wires
// them in; a target's period runs from 1 January of its year.
const (
	MetricOCOP3StarPlus  = "ocop_3star_plus"      // products holding a certificate of 3 stars or more
	MetricOCOPProducts3  = "ocop_products_3star"  // … of 3 stars
	MetricOCOPProducts4  = "ocop_products_4star"  // … of 4 stars
	MetricOCOPProducts5  = "ocop_products_5star"  // … of 5 stars
	MetricOCOPCertified  = "ocop_certified_year"  // certificates decided from 1 January (new and renewed)
	MetricOCOPFirstTimes = "ocop_first_certified" // products certified for the first time in the period
	MetricOCOPExpiring   = "ocop_expiring"        // certificates within 30 days of their end
	// Certificates decided from 1 January by stars (new and renewed): "thêm 5 sản phẩm 3 sao".
	MetricOCOPCertified3 = "ocop_certified_3star"
	MetricOCOPCertified4 = "ocop_certified_4star"
	MetricOCOPCertified5 = "ocop_certified_5star"
)

// OCOPMetrics lists the OCOP metric names.
var OCOPMetrics = []string{MetricOCOP3StarPlus, MetricOCOPProducts3, MetricOCOPProducts4, MetricOCOPProducts5,
	MetricOCOPCertified, MetricOCOPFirstTimes, MetricOCOPExpiring, MetricOCOPCertified3, MetricOCOPCertified4, MetricOCOPCertified5}

// IsOCOPMetric reports whether name is an OCOP metric.
func IsOCOPMetric(name string) bool {
	for _, m := range OCOPMetrics {
		if m == name {
			return true
		}
	}
	return false
}

// OCOPMetric reads a metric from the figures; false for a name that is not an OCOP metric.
// Counts of an empty register are 0, not missing: no product is a figure offices report.
func OCOPMetric(f OCOPFigures, name string) (float64, bool) {
	switch name {
	case MetricOCOP3StarPlus:
		return float64(f.Certified.Total()), true
	case MetricOCOPProducts3:
		return float64(f.Certified.Three), true
	case MetricOCOPProducts4:
		return float64(f.Certified.Four), true
	case MetricOCOPProducts5:
		return float64(f.Certified.Five), true
	case MetricOCOPCertified:
		return float64(f.InPeriod.Total()), true
	case MetricOCOPFirstTimes:
		return float64(f.FirstInPeriod), true
	case MetricOCOPExpiring:
		return float64(f.Expiring), true
	case MetricOCOPCertified3:
		return float64(f.InPeriod.Three), true
	case MetricOCOPCertified4:
		return float64(f.InPeriod.Four), true
	case MetricOCOPCertified5:
		return float64(f.InPeriod.Five), true
	}
	return 0, false
}

// count writes a count as offices do in prose: "08", "27", "1.234".
func count(n int, lang string) string {
	if lang == "vi" {
		if n < 10 {
			return numfmt.Pad2(n)
		}
		return numfmt.Int(n, "vi")
	}
	return numfmt.Int(n, lang)
}

// OCOPText is the OCOP paragraph of a bulletin or of the progress output, in lang ("vi" or
// "en"), worded as offices write it: "Có 35 sản phẩm OCOP còn hiệu lực chứng nhận, gồm 27
// sản phẩm 4 sao, 08 sản phẩm 3 sao…". It says so when there is no product.
func OCOPText(f OCOPFigures, lang string) string {
	if f.Products == 0 {
		return i18n.T(lang, "prose.ocop.none")
	}
	var parts []string
	for _, s := range []int{5, 4, 3} {
		if n := f.Certified.Of(s); n > 0 {
			parts = append(parts, i18n.T(lang, "prose.ocop.stars", count(n, lang), s))
		}
	}
	var b strings.Builder
	if total := f.Certified.Total(); total == 0 {
		b.WriteString(i18n.T(lang, "prose.ocop.none_valid", count(f.Products, lang)))
	} else {
		b.WriteString(i18n.T(lang, "prose.ocop.valid", count(total, lang), strings.Join(parts, ", ")))
	}
	from, to := numfmt.Date(string(f.From), lang), numfmt.Date(string(f.AsOf), lang)
	b.WriteString(" ")
	if n := f.InPeriod.Total(); n > 0 {
		b.WriteString(i18n.T(lang, "prose.ocop.certified", from, to, count(n, lang), count(f.FirstInPeriod, lang)))
	} else {
		b.WriteString(i18n.T(lang, "prose.ocop.none_certified", from, to))
	}
	if f.Expiring > 0 {
		b.WriteString(" " + i18n.T(lang, "prose.ocop.expiring", count(f.Expiring, lang)))
	}
	return b.String()
}
