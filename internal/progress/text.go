package progress

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/period"
)

// WeakestShown is how many of the weakest criteria Text lists.
const WeakestShown = 5

// Text is a short summary of the report in the offices' phrasing, in Vietnamese, or in English
// when lang is "en": the headline ("18 xã; 09 xã đạt chuẩn; tổng 212 tiêu chí, bình quân 11,78
// tiêu chí/xã; 52,11/57 chỉ tiêu, đạt 91,4%"), the distribution, the bands, the weakest
// criteria, the change since the previous assessment, the children, the units not assessed and
// the units that fell back, one line each. Averages have 2 decimals, shares 1; unit counts under
// 10 take a leading zero in Vietnamese.
func (r Report) Text(lang string) string {
	w := writer{en: numfmt.English(lang), lang: lang, noun: r.UnitNoun}
	if w.noun == "" {
		w.noun = "xã"
	}
	var b strings.Builder
	if r.Name != "" {
		b.WriteString(r.Name)
		b.WriteString(": ")
	}
	b.WriteString(w.headline(r))
	b.WriteString("\n")
	if r.UnitsAssessed > 0 {
		w.line(&b, w.distribution(r))
		w.line(&b, w.bands(r))
		w.line(&b, w.weakest(r))
		w.line(&b, w.delta(r))
	}
	if len(r.Children) > 0 {
		b.WriteString(w.pick("Theo đơn vị:", "By unit:"))
		b.WriteString("\n")
		for _, c := range r.Children {
			b.WriteString("- ")
			b.WriteString(w.name(c.Code, c.Name))
			b.WriteString(": ")
			b.WriteString(w.childLine(c))
			b.WriteString("\n")
		}
	}
	w.line(&b, w.notAssessed(r))
	w.line(&b, w.fellBack(r))
	return b.String()
}

type writer struct {
	en   bool
	lang string
	noun string // Vietnamese noun
}

func (w writer) pick(vi, en string) string {
	if w.en {
		return en
	}
	return vi
}

func (w writer) line(b *strings.Builder, s string) {
	if s != "" {
		b.WriteString(s)
		b.WriteString("\n")
	}
}

// units writes a count of units: "03 xã", "3 communes"; none is "0 xã", never "00".
func (w writer) units(n int) string {
	if !w.en {
		switch {
		case n == 0:
			return "0 " + w.noun
		case n >= 1000:
			return numfmt.Int(n, w.lang) + " " + w.noun
		}
		return numfmt.Pad2(n) + " " + w.noun
	}
	noun, ok := englishNouns[w.noun]
	if !ok {
		noun = "unit"
	}
	if n != 1 {
		noun += "s"
	}
	return numfmt.Int(n, w.lang) + " " + noun
}

var englishNouns = map[string]string{"xã": "commune", "huyện": "district", "tỉnh": "province"}

// perUnit is the noun after "/" or "per": "xã", "commune".
func (w writer) perUnit() string {
	if !w.en {
		return w.noun
	}
	if noun, ok := englishNouns[w.noun]; ok {
		return noun
	}
	return "unit"
}

func (w writer) avg(x float64) string { return numfmt.Decimal(x, 2, w.lang) }
func (w writer) pct(x float64) string { return numfmt.Percent(x, 1, w.lang) }

func (w writer) signed(x float64, places int) string {
	s := numfmt.Decimal(x, places, w.lang)
	if x > 0 && strings.Trim(s, "0,.") != "" {
		return "+" + s
	}
	return s
}

func (w writer) name(code, name string) string {
	if name == "" {
		return code
	}
	return name
}

func (w writer) headline(r Report) string {
	var parts []string
	head := w.units(r.UnitsTotal)
	if r.UnitsNotAssessed > 0 {
		head += w.pick(" ("+w.units(r.UnitsAssessed)+" đã đánh giá, "+w.units(r.UnitsNotAssessed)+" chưa đánh giá)",
			" ("+numfmt.Int(r.UnitsAssessed, w.lang)+" assessed, "+numfmt.Int(r.UnitsNotAssessed, w.lang)+" not assessed)")
	}
	parts = append(parts, head)
	if r.UnitsAssessed == 0 {
		if r.UnitsTotal > 0 {
			parts = append(parts, w.pick("chưa có đánh giá", "none assessed yet"))
		}
		return strings.Join(parts, "; ") + "."
	}
	met := w.pick(w.units(r.UnitsMet)+" đạt chuẩn", numfmt.Int(r.UnitsMet, w.lang)+w.meet(r.UnitsMet)+"the set")
	if r.UnitsRecognized > 0 {
		met += w.pick(" ("+w.units(r.UnitsRecognized)+" đã được công nhận)",
			" ("+numfmt.Int(r.UnitsRecognized, w.lang)+" recognised)")
	}
	parts = append(parts, met)
	parts = append(parts, w.pick(
		"tổng "+numfmt.Int(r.CriteriaMetSum, w.lang)+" tiêu chí, bình quân "+w.avg(r.CriteriaMetAvg)+" tiêu chí/"+w.perUnit(),
		numfmt.Int(r.CriteriaMetSum, w.lang)+" criteria met in total, "+w.avg(r.CriteriaMetAvg)+" per "+w.perUnit()+" on average"))
	// Without a single indicator met (offices that enter only criteria results) the clause
	// would read "0,00/55 chỉ tiêu": say nothing rather than suggest indicators were checked.
	if r.IndicatorsTotal > 0 && r.IndicatorsMetSum > 0 {
		frac := w.avg(r.IndicatorsMetAvg) + "/" + numfmt.Int(r.IndicatorsTotal, w.lang)
		parts = append(parts, w.pick(frac+" chỉ tiêu, đạt "+w.pct(r.IndicatorsMetPct),
			frac+" indicators, "+w.pct(r.IndicatorsMetPct)))
	}
	return strings.Join(parts, "; ") + "."
}

func (w writer) distribution(r Report) string {
	ks := make([]int, 0, len(r.Distribution))
	for k := range r.Distribution {
		if n, err := strconv.Atoi(k); err == nil {
			ks = append(ks, n)
		}
	}
	slices.SortFunc(ks, func(a, b int) int { return b - a })
	items := make([]string, 0, len(ks))
	for _, k := range ks {
		n := r.Distribution[strconv.Itoa(k)]
		items = append(items, w.units(n)+w.pick(" đạt ", w.meet(n))+w.criteria(k))
	}
	return w.pick("Phân bố: ", "Distribution: ") + strings.Join(items, ", ") + "."
}

// meet is the English verb after n units.
func (w writer) meet(n int) string {
	if n == 1 {
		return " meets "
	}
	return " meet "
}

func (w writer) criteria(k int) string {
	if w.en {
		if k == 1 {
			return "1 criterion"
		}
		return numfmt.Int(k, w.lang) + " criteria"
	}
	return numfmt.Int(k, w.lang) + " tiêu chí"
}

func (w writer) bands(r Report) string {
	if len(r.Bands) == 0 {
		return ""
	}
	items := make([]string, 0, len(r.Bands))
	for _, b := range r.Bands {
		var rng string
		switch {
		case b.Min == b.Max:
			rng = w.criteria(b.Min)
		case b.Min <= 0 && b.Max < r.CriteriaTotal:
			rng = w.pick("dưới ", "under ") + w.criteria(b.Max+1)
		default:
			rng = strconv.Itoa(b.Min) + "-" + w.criteria(b.Max)
		}
		items = append(items, rng+": "+w.units(b.Units))
	}
	return w.pick("Theo nhóm: ", "Bands: ") + strings.Join(items, "; ") + "."
}

func (w writer) weakest(r Report) string {
	n := min(WeakestShown, len(r.Weakest))
	if n == 0 {
		return ""
	}
	items := make([]string, 0, n)
	for _, c := range r.Weakest[:n] {
		s := strconv.Itoa(c.Number) + "."
		if c.Name != "" {
			s += " " + c.Name
		}
		count := numfmt.Int(c.UnitsMet, w.lang) + "/" + w.units(r.UnitsAssessed)
		if !w.en {
			count = numfmt.Pad2(c.UnitsMet) + "/" + w.units(r.UnitsAssessed)
		}
		items = append(items, s+": "+count+" ("+w.pct(c.Share)+")")
	}
	return w.pick("Tiêu chí đạt thấp nhất: ", "Weakest criteria: ") + strings.Join(items, "; ") + "."
}

func (w writer) delta(r Report) string {
	d := r.Delta
	if d.UnitsMet == 0 && d.CriteriaMetSum == 0 && d.UnitsRecognized == 0 && d.IndicatorsMetSum == 0 &&
		math.Abs(d.CriteriaMetAvg) < 0.005 {
		return ""
	}
	if w.en {
		return "Since the previous assessment: " + w.signed(float64(d.UnitsMet), 0) + " " + w.perUnit() + "s meeting the set, " +
			w.signed(float64(d.UnitsRecognized), 0) + " recognised, " + w.signed(float64(d.CriteriaMetSum), 0) +
			" criteria, " + w.signed(d.CriteriaMetAvg, 2) + " per " + w.perUnit() + " on average, " +
			w.signed(float64(d.IndicatorsMetSum), 0) + " indicators."
	}
	return "So với lần đánh giá trước: " + w.signed(float64(d.UnitsMet), 0) + " " + w.noun + " đạt chuẩn, " +
		w.signed(float64(d.UnitsRecognized), 0) + " " + w.noun + " được công nhận, " +
		w.signed(float64(d.CriteriaMetSum), 0) + " tiêu chí, bình quân " + w.signed(d.CriteriaMetAvg, 2) +
		" tiêu chí/" + w.noun + ", " + w.signed(float64(d.IndicatorsMetSum), 0) + " chỉ tiêu."
}

func (w writer) childLine(c Report) string {
	if c.single {
		return w.unitLine(c)
	}
	parts := []string{w.units(c.UnitsTotal)}
	if c.UnitsAssessed == 0 {
		if c.UnitsTotal > 0 {
			parts = append(parts, w.pick("chưa có đánh giá", "none assessed"))
		}
		return strings.Join(parts, "; ")
	}
	if c.UnitsNotAssessed > 0 {
		parts[0] += w.pick(" ("+w.units(c.UnitsNotAssessed)+" chưa đánh giá)",
			" ("+numfmt.Int(c.UnitsNotAssessed, w.lang)+" not assessed)")
	}
	parts = append(parts,
		w.pick(w.units(c.UnitsMet)+" đạt chuẩn", numfmt.Int(c.UnitsMet, w.lang)+w.meet(c.UnitsMet)+"the set"),
		w.pick("bình quân "+w.avg(c.CriteriaMetAvg)+" tiêu chí/"+w.noun,
			w.avg(c.CriteriaMetAvg)+" criteria per "+w.perUnit()))
	if c.IndicatorsTotal > 0 {
		parts = append(parts, w.pick("chỉ tiêu đạt "+w.pct(c.IndicatorsMetPct),
			w.pct(c.IndicatorsMetPct)+" of indicators"))
	}
	return strings.Join(parts, "; ")
}

func (w writer) notAssessed(r Report) string {
	if len(r.NotAssessed) == 0 {
		return ""
	}
	names := make([]string, len(r.NotAssessed))
	for i, u := range r.NotAssessed {
		names[i] = w.name(u.Code, u.Name)
	}
	return w.pick("Chưa đánh giá ("+w.units(len(names))+"): ",
		"Not assessed ("+numfmt.Int(len(names), w.lang)+"): ") + strings.Join(names, ", ") + "."
}

func (w writer) fellBack(r Report) string {
	if len(r.FellBack) == 0 {
		return ""
	}
	items := make([]string, len(r.FellBack))
	for i, f := range r.FellBack {
		lost := make([]string, len(f.Lost))
		for j, n := range f.Lost {
			lost[j] = strconv.Itoa(n)
		}
		items[i] = w.name(f.Code, f.Name) + w.pick(" (mất tiêu chí ", " (lost criteria ") +
			strings.Join(lost, ", ") + "; " + period.Label(f.PreviousPeriod, w.lang) + " → " + period.Label(f.Period, w.lang) + ")"
	}
	return w.pick("Giảm tiêu chí ("+w.units(len(items))+"): ",
		"Fell back ("+numfmt.Int(len(items), w.lang)+"): ") + strings.Join(items, "; ") + "."
}

// unitLine describes a child that is a single unit: "18/19 tiêu chí; 54/57 chỉ tiêu".
func (w writer) unitLine(c Report) string {
	if c.UnitsAssessed == 0 {
		return w.pick("chưa đánh giá", "not assessed")
	}
	parts := []string{numfmt.Int(c.CriteriaMetSum, w.lang) + "/" + numfmt.Int(c.CriteriaTotal, w.lang) + w.pick(" tiêu chí", " criteria")}
	if c.UnitsMet > 0 {
		parts = append(parts, w.pick("đạt chuẩn", "meets the set"))
	}
	if c.UnitsRecognized > 0 {
		parts = append(parts, w.pick("đã được công nhận", "recognised"))
	}
	if c.IndicatorsTotal > 0 {
		parts = append(parts, numfmt.Int(c.IndicatorsMetSum, w.lang)+"/"+numfmt.Int(c.IndicatorsTotal, w.lang)+w.pick(" chỉ tiêu", " indicators"))
	}
	return strings.Join(parts, "; ")
}
