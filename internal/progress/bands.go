package progress

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParseBands reads bands as offices write them, most criteria first: "19", "15-18", "<5"
// (also "dưới 5"), for a set of total criteria. Together they must cover every number from 0 to
// total once; a band that overlaps another, leaves a gap or goes past total is refused with the
// band named, so a report never miscounts a unit.
func ParseBands(items []string, total int) ([]Band, error) {
	var bands []Band
	for _, raw := range items {
		item := strings.TrimSpace(raw)
		if item == "" {
			continue
		}
		b, err := parseBand(item)
		if err != nil {
			return nil, err
		}
		bands = append(bands, b)
	}
	if len(bands) == 0 {
		return nil, fmt.Errorf("chưa có nhóm nào (no bands)")
	}
	slices.SortFunc(bands, func(a, b Band) int { return b.Max - a.Max })
	next := total
	for _, b := range bands {
		switch {
		case b.Max > next && b.Max > total:
			return nil, fmt.Errorf("nhóm “%s” vượt quá %d tiêu chí của bộ (band %q goes past the set's %d criteria)", b.Label, total, b.Label, total)
		case b.Max > next:
			return nil, fmt.Errorf("nhóm “%s” trùng với nhóm khác (band %q overlaps another)", b.Label, b.Label)
		case b.Max < next:
			return nil, fmt.Errorf("thiếu nhóm cho %s tiêu chí (no band holds %s criteria)", span(b.Max+1, next), span(b.Max+1, next))
		}
		next = b.Min - 1
	}
	if next >= 0 {
		return nil, fmt.Errorf("thiếu nhóm cho %s tiêu chí (no band holds %s criteria)", span(0, next), span(0, next))
	}
	return bands, nil
}

// ParseBandList reads bands written on one line, separated by "/", ";" or ",":
// "19 / 15-18 / 9-14 / 5-8 / <5".
func ParseBandList(s string, total int) ([]Band, error) {
	return ParseBands(strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ';' || r == ',' }), total)
}

func span(lo, hi int) string {
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return strconv.Itoa(lo) + "-" + strconv.Itoa(hi)
}

func parseBand(item string) (Band, error) {
	bad := fmt.Errorf("không đọc được nhóm “%s”: ghi một số (19), một khoảng (15-18) hoặc <5 (cannot read band %q: write a number, a range or <N)", item, item)
	s := strings.Join(strings.Fields(item), "")
	for _, p := range []string{"<", "dưới", "duoi", "under"} {
		if rest, ok := strings.CutPrefix(strings.ToLower(s), p); ok {
			n, err := strconv.Atoi(rest)
			if err != nil || n < 1 {
				return Band{}, bad
			}
			return Band{Label: "<" + rest, Min: 0, Max: n - 1}, nil
		}
	}
	lo, hi, isRange := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
	a, err := strconv.Atoi(lo)
	if err != nil || a < 0 {
		return Band{}, bad
	}
	if !isRange {
		return Band{Label: lo, Min: a, Max: a}, nil
	}
	b, err := strconv.Atoi(hi)
	if err != nil || b < a {
		return Band{}, bad
	}
	return Band{Label: span(a, b), Min: a, Max: b}, nil
}

// WithBands returns a copy of r whose band counts, its children's and its previous
// figures' aside, are those of bands, counted from the exact distribution. r itself is left as
// it is (reports are shared from a cache).
func (r Report) WithBands(bands []Band) Report {
	out := r
	out.Bands = make([]BandCount, len(bands))
	for i, b := range bands {
		out.Bands[i].Band = b
		for k := max(b.Min, 0); k <= b.Max; k++ {
			out.Bands[i].Units += r.Distribution[strconv.Itoa(k)]
		}
	}
	if r.Children != nil {
		out.Children = make([]Report, len(r.Children))
		for i, c := range r.Children {
			out.Children[i] = c.WithBands(bands)
		}
	}
	return out
}
