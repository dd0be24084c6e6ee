package ocop

import (
	"fmt"
	"math"
	"strings"

	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/units"
)

// Scores are kept to hundredths of a point; the arithmetic is done in whole hundredths so
// that a total of 70 is 70, not 69.99999.
func hundredths(x float64) int64 { return int64(math.Round(x * 100)) }

// CheckSheet checks a member's scoresheet against the version's part maxima: each part is a
// number from 0 to its maximum, with at most two decimals. The error names the part.
func (v *Version) CheckSheet(s *Sheet) error {
	s.Member, s.MemberName, s.Note = strings.TrimSpace(s.Member), strings.TrimSpace(s.MemberName), strings.TrimSpace(s.Note)
	if s.Member == "" {
		return fieldErr("member", "phiếu chấm cần tên thành viên hội đồng", "a scoresheet needs the council member's name")
	}
	if len(s.Member) > 200 || len(s.MemberName) > 200 || len(s.Note) > 2000 {
		return fieldErr("member", "tên thành viên hoặc ghi chú quá dài", "the member's name or the note is too long")
	}
	for _, p := range v.Parts {
		x := s.Part(p.ID)
		field := strings.ToLower(p.ID)
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			return fieldErr(field, fmt.Sprintf("Phần %s (%s): không phải là số", p.ID, p.Name), fmt.Sprintf("part %s (%s): not a number", p.ID, p.NameEN))
		case x < 0:
			return fieldErr(field, fmt.Sprintf("Phần %s (%s): %s điểm là số âm; điểm từ 0 đến %s", p.ID, p.Name, numfmt.Trim(x, 2, "vi"), numfmt.Trim(p.Max, 2, "vi")),
				fmt.Sprintf("part %s (%s): %s points is negative; points run from 0 to %s", p.ID, p.NameEN, numfmt.Trim(x, 2, "en"), numfmt.Trim(p.Max, 2, "en")))
		case hundredths(x) > hundredths(p.Max):
			return fieldErr(field, fmt.Sprintf("Phần %s (%s): %s điểm vượt điểm tối đa %s theo %s", p.ID, p.Name, numfmt.Trim(x, 2, "vi"), numfmt.Trim(p.Max, 2, "vi"), v.Decision),
				fmt.Sprintf("part %s (%s): %s points is above its maximum of %s under %s", p.ID, p.NameEN, numfmt.Trim(x, 2, "en"), numfmt.Trim(p.Max, 2, "en"), v.Decision))
		case math.Abs(x*100-math.Round(x*100)) > 1e-6:
			return fieldErr(field, fmt.Sprintf("Phần %s: điểm %v có quá hai chữ số thập phân", p.ID, x), fmt.Sprintf("part %s: %v has more than two decimals", p.ID, x))
		}
	}
	s.A, s.B, s.C = round2(s.A), round2(s.B), round2(s.C)
	s.Total = float64(hundredths(s.A)+hundredths(s.B)+hundredths(s.C)) / 100
	return nil
}

// starsFor is the star band of an average total given as a sum of hundredths over n sheets:
// the comparison is exact, so 69.995 is 3 stars, not rounded up to 70.
func (v *Version) starsFor(sum int64, n int64) int {
	if n <= 0 {
		return 0
	}
	stars := 0
	for _, b := range v.Bands {
		lo, hi := hundredths(b.Min)*n, hundredths(b.Max)*n
		if sum >= lo && (sum < hi || b.MaxInclusive && sum <= hi) {
			stars = b.Stars
		}
	}
	return stars
}

// Stars is the star band of a total: 1★ under 30, 2★ 30 to under 50, 3★ 50 to under 70, 4★
// 70 to under 90, 5★ 90 to 100 (the bands of the version); 0 outside 0-100.
func (v *Version) Stars(total float64) int { return v.starsFor(hundredths(total), 1) }

// BandsVerified reports whether the version's star bands were checked against its text.
func (v *Version) BandsVerified() bool {
	for _, b := range v.Bands {
		if !b.Verified {
			return false
		}
	}
	return true
}

// Outcome is what an evaluation comes to: the council's average, the stars, the mandatory
// conditions that held them back, and whether a certificate can be issued at this level.
type Outcome struct {
	Rules    string             `json:"rules"`
	Decision string             `json:"decision"`
	Members  int                `json:"members"`
	PartsAvg map[string]float64 `json:"parts_avg"` // A, B, C: the members' average, rounded
	// Total is the average of the members' totals rounded down to hundredths, so that it
	// never shows a band the product did not reach (69.9967 shows 69.99, 3 stars); the stars
	// come from the exact average.
	Total     float64 `json:"total"`
	BandStars int     `json:"band_stars"` // stars of the total alone
	Stars     int     `json:"stars"`      // after the mandatory conditions
	Capped    bool    `json:"capped"`
	// Missing are the mandatory conditions that are not met at the level that capped the
	// stars.
	Missing []Condition `json:"missing_conditions,omitempty"`
	Level   Level       `json:"level"`
	// RecognisedBy is the level that evaluates and recognises Stars on the day (3 stars and
	// above); Forward is set when that is above the council's level.
	RecognisedBy Level `json:"recognised_by,omitempty"`
	Forward      Level `json:"forward_to,omitempty"`
	Certifiable  bool  `json:"certifiable"`
	// Unverified is set when the stars rest on a fact not checked against the decision's text
	// (its bands or the conditions used), shown as "chưa đối chiếu văn bản".
	Unverified bool      `json:"unverified"`
	Reasons    []Message `json:"reasons"`
}

// Summary is the outcome in one sentence.
func (o *Outcome) Summary() Message {
	var vi, en []string
	for _, r := range o.Reasons {
		vi, en = append(vi, r.VI), append(en, r.EN)
	}
	return Message{strings.Join(vi, " "), strings.Join(en, " ")}
}

// Evaluate works out the outcome of an evaluation from its sheets and confirmed conditions,
// under its rule version (or the one in force on its date), for a product of the
// evaluation's product set. It refuses sheets outside the part maxima.
func (r *Rules) Evaluate(e *Evaluation) (*Outcome, error) {
	v, err := r.versionFor(e)
	if err != nil {
		return nil, err
	}
	o := &Outcome{Rules: v.ID, Decision: v.Decision, Level: e.Level, PartsAvg: map[string]float64{}, Unverified: !v.BandsVerified()}
	var sum int64
	parts := map[string]int64{}
	for i := range e.Sheets {
		s := e.Sheets[i]
		if err := v.CheckSheet(&s); err != nil {
			return nil, err
		}
		for _, p := range v.Parts {
			parts[p.ID] += hundredths(s.Part(p.ID))
		}
		sum += hundredths(s.Total)
	}
	n := int64(len(e.Sheets))
	o.Members = int(n)
	if n == 0 {
		o.Reasons = append(o.Reasons, Message{"Chưa có phiếu chấm nào.", "No scoresheet yet."})
		return o, nil
	}
	for _, p := range v.Parts {
		o.PartsAvg[p.ID] = math.Round(float64(parts[p.ID])/float64(n)) / 100
	}
	o.Total = float64(sum/n) / 100
	o.BandStars = v.starsFor(sum, n)
	o.Stars = o.BandStars
	avg := Message{
		fmt.Sprintf("Điểm bình quân của %d thành viên: %s/100, hạng %d sao.", n, numfmt.Trim(o.Total, 2, "vi"), o.BandStars),
		fmt.Sprintf("Average of %d members: %s/100, %d stars.", n, numfmt.Trim(o.Total, 2, "en"), o.BandStars),
	}
	if o.Unverified {
		avg.VI += " (Ngưỡng hạng sao theo " + v.Decision + " chưa đối chiếu văn bản.)"
		avg.EN += " (The star bands of " + v.Decision + " are not yet checked against its text.)"
	}
	o.Reasons = append(o.Reasons, avg)

	// Mandatory conditions: the stars stop below the first level whose conditions fail.
	met := map[string]bool{}
	for _, id := range e.Conditions {
		met[id] = true
	}
	group := ""
	if tx := r.Taxonomy; tx != nil {
		if s, ok := tx.Set(e.ProductSet); ok {
			group = s.Group
		}
	}
	for level := 3; level <= o.BandStars; level++ {
		var missing []Condition
		for _, c := range v.Conditions {
			if c.Stars == level && c.AppliesTo(group) && !met[c.ID] {
				missing = append(missing, c)
			}
		}
		if len(missing) == 0 {
			continue
		}
		o.Stars, o.Capped, o.Missing = level-1, true, missing
		var names, namesEN []string
		for _, c := range missing {
			names, namesEN = append(names, c.Name), append(namesEN, c.NameEN)
			if !c.Verified {
				o.Unverified = true
			}
		}
		note := Message{}
		for _, c := range missing {
			if !c.Verified {
				note = Message{" (Điều kiện chưa đối chiếu văn bản.)", " (Condition not yet checked against the decision's text.)"}
				break
			}
		}
		o.Reasons = append(o.Reasons, Message{
			fmt.Sprintf("Chưa đạt điều kiện bắt buộc của hạng %d sao: %s; kết quả giữ ở %d sao.%s", level, strings.Join(names, "; "), o.Stars, note.VI),
			fmt.Sprintf("Mandatory %d-star conditions not met: %s; the result stays at %d stars.%s", level, strings.Join(namesEN, "; "), o.Stars, note.EN),
		})
		break
	}

	if o.Stars < 3 {
		o.Reasons = append(o.Reasons, Message{
			fmt.Sprintf("Sản phẩm đạt %d sao, dưới 3 sao: không được công nhận là sản phẩm OCOP, không cấp giấy chứng nhận.", o.Stars),
			fmt.Sprintf("The product has %d stars, below 3: it is not recognised as an OCOP product and gets no certificate.", o.Stars),
		})
		return o, nil
	}
	by, decision, err := r.RecognisedBy(o.Stars, e.Date)
	if err != nil {
		return nil, err
	}
	o.RecognisedBy = by
	if e.Level.rank() < by.rank() {
		o.Forward = by
		o.Reasons = append(o.Reasons, Message{
			fmt.Sprintf("Hạng %d sao do %s đánh giá, công nhận (%s): chuyển hồ sơ lên %s; chưa cấp giấy chứng nhận ở %s.", o.Stars, by.Label().VI, decision, by.Label().VI, e.Level.Label().VI),
			fmt.Sprintf("%d stars are evaluated and recognised at %s (%s): forward the dossier there; no certificate at %s.", o.Stars, by.Label().EN, decision, e.Level.Label().EN),
		})
		return o, nil
	}
	o.Certifiable = true
	o.Reasons = append(o.Reasons, Message{
		fmt.Sprintf("Đủ điều kiện công nhận sản phẩm OCOP %d sao và cấp giấy chứng nhận.", o.Stars),
		fmt.Sprintf("The product can be recognised as a %d-star OCOP product and certified.", o.Stars),
	})
	return o, nil
}

func (r *Rules) versionFor(e *Evaluation) (*Version, error) {
	if e.Rules != "" {
		v, ok := r.Version(e.Rules)
		if !ok {
			return nil, fieldErr("rules", fmt.Sprintf("không có bộ quy tắc OCOP %q", e.Rules), fmt.Sprintf("no OCOP rule version %q", e.Rules))
		}
		return v, nil
	}
	return r.VersionOn(e.Date)
}

// CheckEvaluation checks the fields of a new or changed evaluation and fills its rule
// version from its date when not given. A district council cannot sit after 30 June 2025,
// when the districts were abolished.
func (r *Rules) CheckEvaluation(e *Evaluation) error {
	if _, err := units.ParseDate(string(e.Date)); err != nil {
		return fieldErr("date", "ngày đánh giá phải có dạng YYYY-MM-DD", "the evaluation date must be YYYY-MM-DD")
	}
	v, err := r.versionFor(e)
	if err != nil {
		return err
	}
	e.Rules = v.ID
	if e.Level == "" {
		if e.Level, _, err = r.RecognisedBy(3, e.Date); err != nil {
			return err
		}
	}
	if e.Level.rank() == 0 {
		if _, err := ParseLevel(string(e.Level)); err != nil {
			return err
		}
		e.Level, _ = ParseLevel(string(e.Level))
	}
	if e.Level == LevelDistrict && e.Date >= "2025-07-01" {
		return fieldErr("level", "từ 01/7/2025 không còn cấp huyện; hội đồng cấp tỉnh đánh giá sản phẩm 3-4 sao",
			"districts were abolished on 2025-07-01; provincial councils evaluate 3 and 4-star products")
	}
	known := map[string]bool{}
	for _, c := range v.Conditions {
		known[c.ID] = true
	}
	seen := map[string]bool{}
	var conds []string
	for _, id := range e.Conditions {
		id = strings.TrimSpace(id)
		if !known[id] {
			return fieldErr("conditions", fmt.Sprintf("điều kiện %q không có trong %s", id, v.Decision), fmt.Sprintf("condition %q is not one of %s", id, v.Decision))
		}
		if !seen[id] {
			conds = append(conds, id)
			seen[id] = true
		}
	}
	e.Conditions = conds
	e.Council = strings.TrimSpace(e.Council)
	if len(e.Council) > 500 {
		return fieldErr("council", "tên hội đồng quá dài (tối đa 500 ký tự)", "the council's name is too long (500 characters at most)")
	}
	return nil
}
