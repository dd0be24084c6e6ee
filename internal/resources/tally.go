package resources

import (
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
)

// ModelTally is models entered as counts (số liệu tổng hợp) rather than one row per model:
// for a unit, a kind and a year, the number recognised in the year and the number counted at
// its end, as offices report them ("28 vườn mẫu mới, lũy kế 96"). Of is what a share of
// the kind is counted against (24 in "9/24 thôn"), when the office states it; 0 takes the
// villages the unit list holds below the unit.
type ModelTally struct {
	Kind       string `json:"kind"`
	UnitCode   string `json:"unit"`
	Year       int    `json:"year"`
	New        int    `json:"new"`
	Cumulative int    `json:"cumulative"`
	Of         int    `json:"of,omitempty"`
	Note       string `json:"note,omitempty"`
}

// CheckTally checks a tally: a known kind, a unit, a year, counts not negative, the
// cumulative number at least the new one, and a stated total not below the cumulative number.
func (c *Catalog) CheckTally(t ModelTally) error {
	if err := c.checkModelKind(t.Kind); err != nil {
		return err
	}
	if strings.TrimSpace(t.UnitCode) == "" {
		return fieldErr("unit", "thiếu mã đơn vị", "the unit code is missing")
	}
	if err := checkYear("year", t.Year); err != nil {
		return err
	}
	for _, f := range []struct {
		field string
		v     int
	}{{"new", t.New}, {"cumulative", t.Cumulative}, {"of", t.Of}} {
		if f.v < 0 {
			return fieldErr(f.field, "số %d không được âm", "a count cannot be negative (%d)", f.v)
		}
	}
	if t.Cumulative < t.New {
		return fieldErr("cumulative", "lũy kế %d nhỏ hơn số mới trong năm %d", "the cumulative number %d is below the year's new %d", t.Cumulative, t.New)
	}
	if t.Of != 0 && t.Of < t.Cumulative {
		return fieldErr("of", "tổng số %d nhỏ hơn lũy kế %d", "the total %d is below the cumulative number %d", t.Of, t.Cumulative)
	}
	return nil
}

// ModelTallyEntry is a tally as stored.
type ModelTallyEntry struct {
	ID int64 `json:"id"`
	ModelTally
	OnUnit
}

// Share is a cumulative number as a share of its total: "9/24 thôn (37,5%)".
type Share struct {
	Met    int     `json:"met"`
	Of     int     `json:"of"`
	Pct    float64 `json:"pct"`
	Noun   string  `json:"noun"`
	NounEN string  `json:"noun_en"`
}

// Text writes the share as reports do: "9/24 thôn (37,5%)", "9/24 villages (37.5%)".
func (s Share) Text(lang string) string {
	noun := s.Noun
	if lang == i18n.EN {
		noun = s.NounEN
	}
	return i18n.T(lang, "prose.models.share", numfmt.Int(s.Met, lang), numfmt.Int(s.Of, lang), noun, numfmt.Percent(s.Pct, 1, lang))
}

// PlacedModel is a model with where it stands on the day counted: Chain is its unit and the
// units above it, nearest first; Holder the unit whose villages a share counts it against
// (its commune, for a model on a village).
type PlacedModel struct {
	Model
	Chain  []string
	Holder string
}

// PlacedTally is a tally with Chain, its unit on the day counted and the units above it.
type PlacedTally struct {
	ModelTally
	Chain []string
}

// CountAll counts the models of each kind over the years from..to from rows and tallies
// together, one count per fact: a unit's tallies of a kind stand for everything of that kind
// below it, so the rows and tallies of the units below a tallied unit are left out. From a
// unit's tallies, New is the sum of the years from..to, Cumulative the number of the latest
// year up to to and Before that of the latest year before from; Revoked is what the drop
// between them implies. For a kind with ShareOf, Share is the cumulative number against the
// villages of each unit counted (a tally's stated total, else villages[unit]), over the units
// where that is known. Tallies after to are not read.
func (c *Catalog) CountAll(rows []PlacedModel, tallies []PlacedTally, villages map[string]int, from, to int) []ModelCount {
	out := make([]ModelCount, 0, len(c.ModelKinds))
	for _, k := range c.ModelKinds {
		mc := ModelCount{Kind: k.Code, Name: k.Name, NameEN: k.NameEN, Noun: k.Noun, NounEN: k.NounEN, From: from, To: to}
		tallied := map[string][]ModelTally{}
		for _, t := range tallies {
			if t.Kind == k.Code && t.Year <= to && len(t.Chain) > 0 {
				tallied[t.Chain[0]] = append(tallied[t.Chain[0]], t.ModelTally)
			}
		}
		below := func(chain []string) bool {
			return slices.ContainsFunc(chain, func(u string) bool { return tallied[u] != nil })
		}
		held := map[string]int{} // cumulative per unit a share counts against
		var of map[string]int    // stated totals
		for _, m := range rows {
			if m.Kind != k.Code || below(m.Chain) {
				continue
			}
			mc.add(countRow(m.Model, from, to))
			if m.CountedIn(to) {
				held[m.Holder]++
			} else if _, ok := held[m.Holder]; !ok {
				held[m.Holder] = 0
			}
		}
		done := map[string]bool{} // a unit's tallies are counted once, whatever the number of its years
		for _, t := range tallies {
			if t.Kind != k.Code || t.Year > to || len(t.Chain) == 0 || below(t.Chain[1:]) || done[t.Chain[0]] {
				continue
			}
			unit := t.Chain[0]
			done[unit] = true
			n, total := countTallies(tallied[unit], from)
			mc.add(n)
			held[unit] = n.Cumulative
			if total > 0 {
				if of == nil {
					of = map[string]int{}
				}
				of[unit] = total
			}
		}
		if k.ShareOf != "" {
			mc.Share = share(k, held, of, villages)
		}
		out = append(out, mc)
	}
	return out
}

// add adds another unit's count.
func (mc *ModelCount) add(n ModelCount) {
	mc.Before += n.Before
	mc.New += n.New
	mc.Revoked += n.Revoked
	mc.Cumulative += n.Cumulative
	mc.Entries += n.Entries
}

// countRow is one model's part of a count.
func countRow(m Model, from, to int) ModelCount {
	n := ModelCount{Entries: 1}
	if m.Year >= from && m.Year <= to {
		n.New = 1
	}
	if m.RevokedYear != 0 && m.RevokedYear >= from && m.RevokedYear <= to {
		n.Revoked = 1
	}
	if m.CountedIn(from - 1) {
		n.Before = 1
	}
	if m.CountedIn(to) {
		n.Cumulative = 1
	}
	return n
}

// countTallies counts one unit's tallies of a kind (none after the period's end), and the
// total its latest stated one gives a share.
func countTallies(ts []ModelTally, from int) (ModelCount, int) {
	slices.SortFunc(ts, func(a, b ModelTally) int { return a.Year - b.Year })
	n := ModelCount{Entries: len(ts)}
	total := 0
	for _, t := range ts {
		if t.Year >= from {
			n.New += t.New
		} else {
			n.Before = t.Cumulative
		}
		n.Cumulative = t.Cumulative
		if t.Of > 0 {
			total = t.Of
		}
	}
	if r := n.Before + n.New - n.Cumulative; r > 0 {
		n.Revoked = r
	}
	return n, total
}

// share is the held numbers against their totals, over the units whose total is known; nil
// when none is.
func share(k ModelKind, held, of, villages map[string]int) *Share {
	s := Share{Noun: k.ShareOf, NounEN: k.ShareOfEN}
	for unit, n := range held {
		total := of[unit]
		if total == 0 {
			total = villages[unit]
		}
		if total > 0 {
			s.Met += n
			s.Of += total
		}
	}
	if s.Of == 0 {
		return nil
	}
	s.Pct = 100 * float64(s.Met) / float64(s.Of)
	return &s
}
