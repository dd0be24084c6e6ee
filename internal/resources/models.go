package resources

import (
	"fmt"
	"strings"

	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/units"
)

// Model is a recognised model (mô hình): a model residential area, a model garden or a
// village meeting the NTM standard, on a village, or on a commune with the village's name
// when the village is not in the unit list. Year is the year of the recognition decision;
// RevokedYear, when not 0, the year it was withdrawn.
type Model struct {
	Kind         string     `json:"kind"`
	UnitCode     string     `json:"unit"`
	Village      string     `json:"village,omitempty"` // thôn, when UnitCode is the commune
	Name         string     `json:"name"`
	Year         int        `json:"year"`
	Decision     string     `json:"decision,omitempty"`      // số quyết định công nhận
	DecisionDate units.Date `json:"decision_date,omitempty"` // ngày quyết định
	RevokedYear  int        `json:"revoked_year,omitempty"`
	Note         string     `json:"note,omitempty"`
}

// CheckModel checks a model: a known kind, a name, a recognition year, a decision date in
// that year when given, and a revocation not before the recognition.
func (c *Catalog) CheckModel(m Model) error {
	if err := c.checkModelKind(m.Kind); err != nil {
		return err
	}
	if strings.TrimSpace(m.UnitCode) == "" {
		return fieldErr("unit", "thiếu mã đơn vị", "the unit code is missing")
	}
	if strings.TrimSpace(m.Name) == "" {
		return fieldErr("name", "thiếu tên mô hình (tên thôn, tên vườn)", "the model's name (village, garden) is missing")
	}
	if err := checkYear("year", m.Year); err != nil {
		return err
	}
	if m.DecisionDate != "" {
		if _, err := units.ParseDate(string(m.DecisionDate)); err != nil {
			return fieldErr("decision_date", "ngày quyết định %q không hợp lệ (YYYY-MM-DD)", "decision date %q is not a date (YYYY-MM-DD)", m.DecisionDate)
		}
		if string(m.DecisionDate)[:4] != fmt.Sprint(m.Year) {
			return fieldErr("decision_date", "ngày quyết định %s không thuộc năm công nhận %d", "decision date %s is not in the year of recognition %d", m.DecisionDate, m.Year)
		}
	}
	if m.RevokedYear != 0 && m.RevokedYear < m.Year {
		return fieldErr("revoked_year", "năm thu hồi %d trước năm công nhận %d", "revoked in %d, before recognition in %d", m.RevokedYear, m.Year)
	}
	return nil
}

// CountedIn reports whether the model counts in the cumulative number at the end of year y:
// recognised by then and not withdrawn by then.
func (m Model) CountedIn(y int) bool {
	return m.Year <= y && (m.RevokedYear == 0 || m.RevokedYear > y)
}

// ModelCount is the models of one kind over a period of years [From, To]: New recognised in
// it, Revoked withdrawn in it, Cumulative counted at its end (lũy kế). Before is the
// cumulative number at the end of the year before From, so Before + New − Revoked =
// Cumulative.
type ModelCount struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	NameEN     string `json:"name_en"`
	Noun       string `json:"noun"`
	NounEN     string `json:"noun_en"`
	From       int    `json:"from"`
	To         int    `json:"to"`
	Before     int    `json:"before"`
	New        int    `json:"new"`
	Revoked    int    `json:"revoked"`
	Cumulative int    `json:"cumulative"`
	// Entries is how many rows and tallies the count was taken from: 0 is no data, not a zero.
	Entries int `json:"entries"`
	// Share is the cumulative number against the villages, for a kind that reports one.
	Share *Share `json:"share,omitempty"`
}

// CountModels counts the models of each kind over the years from..to, in the lists' order
// (rows only, with no share: CountAll counts tallies too).
func (c *Catalog) CountModels(ms []Model, from, to int) []ModelCount {
	rows := make([]PlacedModel, len(ms))
	for i, m := range ms {
		rows[i] = PlacedModel{Model: m, Chain: []string{m.UnitCode}, Holder: m.UnitCode}
	}
	out := c.CountAll(rows, nil, nil, from, to)
	for i := range out {
		out[i].Share = nil
	}
	return out
}

// Count writes a count for prose: thousands grouped, and in Vietnamese 0 to 9 with a leading
// zero, as offices write them ("05 khu dân cư", "115").
func Count(n int, lang string) string {
	if lang != "en" && n >= 0 && n <= 9 {
		return numfmt.Pad2(n)
	}
	return numfmt.Int(n, lang)
}

// Text writes the count as reports do: "có thêm 35 khu dân cư kiểu mẫu, nâng tổng số lên
// 115" (vi), "35 more model residential areas, 115 in all" (en); "chưa có … mới" when none.
func (mc ModelCount) Text(lang string) string {
	noun := mc.Noun
	if lang == i18n.EN {
		noun = mc.NounEN
	}
	s := i18n.T(lang, "prose.models.new", Count(mc.New, lang), noun, Count(mc.Cumulative, lang))
	if mc.New == 0 {
		s = i18n.T(lang, "prose.models.none_new", noun, Count(mc.Cumulative, lang))
	}
	if mc.Share != nil {
		s = i18n.T(lang, "prose.models.with_share", s, mc.Share.Text(lang))
	}
	return s
}
