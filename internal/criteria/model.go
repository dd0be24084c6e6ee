package criteria

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/ntm-vn/ntm/internal/units"
)

// Kind is what an indicator measures.
type Kind string

const (
	KindBool    Kind = "bool"    // đạt / không đạt, có / không
	KindNumber  Kind = "number"  // a quantity in Indicator.Unit
	KindPercent Kind = "percent" // a rate from 0 to 100
	KindLevel   Kind = "level"   // an ordered grade from Indicator.Levels
)

func validKind(k Kind) bool {
	switch k {
	case KindBool, KindNumber, KindPercent, KindLevel:
		return true
	}
	return false
}

// Op is the comparator between a value and its threshold.
type Op string

const (
	OpAtLeast Op = ">="
	OpAtMost  Op = "<="
	OpEqual   Op = "=="
)

func validOp(o Op) bool { return o == OpAtLeast || o == OpAtMost || o == OpEqual }

// Tiers of recognition (mức đạt chuẩn).
const (
	TierNTM      = "ntm"      // nông thôn mới
	TierNangCao  = "nang-cao" // nông thôn mới nâng cao
	TierKieuMau  = "kieu-mau" // nông thôn mới kiểu mẫu
	TierHienDai  = "hien-dai" // nông thôn mới hiện đại
	VariesRegion = "region"   // thresholds differ by the 7 socio-economic regions
	VariesGroup  = "group"    // thresholds differ by commune group (2026-2030)
	VariesNone   = "none"
)

// Commune groups of the 2026-2030 set (xã nhóm 1/2/3), as written in `by` maps.
var Groups = []string{"nhom-1", "nhom-2", "nhom-3"}

// Aggregate measures: how an indicator of a higher unit is computed from its children.
const (
	ShareRecognized = "share_recognized" // 100 × recognised children / children
	ShareMet        = "share_met"        // 100 × children meeting the set / children
	CountMet        = "count_met"        // children meeting the set
)

// Basis is the legal basis of a set (căn cứ pháp lý).
type Basis struct {
	Decision   string     `json:"decision"` // "318/QĐ-TTg"
	Issued     units.Date `json:"issued"`
	Effective  units.Date `json:"effective"`
	Superseded units.Date `json:"superseded,omitempty"`
}

// Set is a criteria set (bộ tiêu chí): the rules one kind of unit is assessed against.
// A Set returned by Parse or held by a Catalog is read-only and safe for concurrent use.
type Set struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Basis    Basis    `json:"basis"`
	Level    string   `json:"level"` // province | district | commune | village
	Tier     string   `json:"tier"`
	VariesBy string   `json:"varies_by"`
	Requires []string `json:"requires"`
	Extends  string   `json:"extends,omitempty"`
	// RegionFromTags makes units carrying a tag use another region's thresholds
	// (QĐ 318 Điều 1: xã đặc biệt khó khăn, xã an toàn khu use the TDMNPB thresholds).
	RegionFromTags map[string]string `json:"region_from_tags,omitempty"`
	Notes          string            `json:"notes,omitempty"`
	// Partial says the set lists only some of the decision's criteria: it can never be met.
	Partial  bool        `json:"partial,omitempty"`
	Criteria []Criterion `json:"criteria"`

	// File is where the set was loaded from, for messages.
	File string `json:"-"`

	raw *rawSet    // the declarations as parsed, kept to resolve extends
	ev  *Evaluator // compiled when loaded
}

// Criterion is one tiêu chí.
type Criterion struct {
	Number int    `json:"number"`
	Name   string `json:"name"`
	Sector string `json:"sector,omitempty"` // ngành phụ trách
	Group  string `json:"group,omitempty"`  // nhóm tiêu chí
	Note   string `json:"note,omitempty"`
	// Partial says the indicators listed are not all of the criterion's indicators, so the
	// indicators alone can show it failed but never that it is met.
	Partial    bool        `json:"partial,omitempty"`
	Indicators []Indicator `json:"indicators"`
	// Evidence "required": a result entered for the criterion itself (TC17) needs a file of
	// minh chứng (coded TC17 or one of its indicators) before the assessment is submitted.
	Evidence string `json:"evidence,omitempty"`
}

// Indicator is one chỉ tiêu.
type Indicator struct {
	Code string `json:"code"` // "17.1"
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	Unit string `json:"unit,omitempty"`
	Op   Op     `json:"op"`
	// Threshold is the general value; nil when the set does not give one.
	Threshold *Value `json:"threshold,omitempty"`
	// By holds overrides by region code, commune group or unit tag, in file order.
	// An override whose Value has no kind says "differs here, value not known".
	By        Overrides  `json:"by,omitempty"`
	Formula   string     `json:"formula,omitempty"`
	Aggregate *Aggregate `json:"aggregate,omitempty"`
	Dynamic   bool       `json:"dynamic,omitempty"` // tiêu chí động, re-checked every year
	Verified  bool       `json:"verified"`          // thresholds checked against the decision's text
	Source    string     `json:"source,omitempty"`
	Note      string     `json:"note,omitempty"`
	Levels    []string   `json:"levels,omitempty"` // for KindLevel, lowest first
	// Evidence "required": a value entered for this indicator needs a file coded with it.
	Evidence string `json:"evidence,omitempty"`
}

// Override is one entry of an indicator's `by` map.
type Override struct {
	Key   string // TDMNPB…, nhom-1…, or a unit tag
	Value Value
}

// Overrides keeps file order and marshals to a JSON object.
type Overrides []Override

func (o Overrides) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, ov := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(ov.Key)
		v, _ := ov.Value.MarshalJSON()
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// Aggregate computes an indicator from the verdicts of child units on another set.
type Aggregate struct {
	Set     string `json:"set"`
	Measure string `json:"measure"`
}

// KeyKind classifies a `by` key.
type KeyKind uint8

const (
	KeyTag KeyKind = iota
	KeyRegion
	KeyGroup
)

// ClassifyKey says whether a `by` key names a region (upper-case letters only, like DBSH),
// a commune group (nhom-N) or a unit tag (anything else, like dac-biet-kho-khan).
func ClassifyKey(k string) KeyKind {
	if strings.HasPrefix(k, "nhom-") || strings.HasPrefix(k, "nhom_") {
		return KeyGroup
	}
	if k == "" {
		return KeyTag
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 'A' || k[i] > 'Z' {
			return KeyTag
		}
	}
	return KeyRegion
}

// NormalizeGroup maps the spellings offices use ("1", "nhóm 1", "nhom_1", "Nhóm 1") to nhom-N.
func NormalizeGroup(g string) string {
	g = strings.TrimSpace(strings.ToLower(g))
	g = strings.NewReplacer("nhóm", "nhom", "xã", "", "xa ", "", "_", "-", " ", "").Replace(g)
	switch g {
	case "1", "nhom1", "nhom-1":
		return "nhom-1"
	case "2", "nhom2", "nhom-2":
		return "nhom-2"
	case "3", "nhom3", "nhom-3":
		return "nhom-3"
	}
	return g
}

func regionIndex(code string) int {
	for i, r := range units.Regions {
		if r.Code == code {
			return i
		}
	}
	return -1
}

func groupIndex(g string) int {
	switch g {
	case "nhom-1":
		return 0
	case "nhom-2":
		return 1
	case "nhom-3":
		return 2
	}
	return -1
}

// regionName is the Vietnamese name of a region code, or the code.
func regionName(code string) string {
	if r, ok := units.LookupRegion(code); ok {
		return r.NameVI
	}
	return code
}

// Indicator finds an indicator by code.
func (s *Set) Indicator(code string) (*Indicator, *Criterion) {
	for ci := range s.Criteria {
		c := &s.Criteria[ci]
		for ii := range c.Indicators {
			if c.Indicators[ii].Code == code {
				return &c.Indicators[ii], c
			}
		}
	}
	return nil, nil
}

// Criterion finds a criterion by number.
func (s *Set) Criterion(n int) *Criterion {
	for i := range s.Criteria {
		if s.Criteria[i].Number == n {
			return &s.Criteria[i]
		}
	}
	return nil
}

// Stats counts what a set holds, for listings.
type Stats struct {
	Criteria   int `json:"criteria"`
	Indicators int `json:"indicators"`
	Thresholds int `json:"thresholds"` // indicators with at least one threshold
	Unverified int `json:"unverified"` // of those, not checked against the decision's text
	Missing    int `json:"no_threshold"`
}

// Stats counts criteria, indicators and thresholds.
func (s *Set) Stats() Stats {
	st := Stats{Criteria: len(s.Criteria)}
	for _, c := range s.Criteria {
		for _, in := range c.Indicators {
			st.Indicators++
			if in.HasThreshold() {
				st.Thresholds++
				if !in.Verified {
					st.Unverified++
				}
			} else {
				st.Missing++
			}
		}
	}
	return st
}

// SourceCount is how many of a set's thresholds one source verifies.
type SourceCount struct {
	Source     string `json:"source"`
	Thresholds int    `json:"thresholds"`
}

// VerifiedSources lists, for the indicators whose thresholds are verified, the sources they
// were checked against and how many each verifies, most first (then by source).
func (s *Set) VerifiedSources() []SourceCount {
	n := map[string]int{}
	for _, c := range s.Criteria {
		for _, in := range c.Indicators {
			if in.Verified && in.HasThreshold() {
				n[in.Source]++
			}
		}
	}
	out := make([]SourceCount, 0, len(n))
	for src, k := range n {
		out = append(out, SourceCount{Source: src, Thresholds: k})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Thresholds != out[j].Thresholds {
			return out[i].Thresholds > out[j].Thresholds
		}
		return out[i].Source < out[j].Source
	})
	return out
}

// HasThreshold reports whether the indicator has any known threshold.
func (in *Indicator) HasThreshold() bool {
	if in.Threshold != nil && in.Threshold.Kind != ValueNone {
		return true
	}
	for _, o := range in.By {
		if o.Value.Kind != ValueNone {
			return true
		}
	}
	return false
}

// InForce reports whether the set is in force on day d.
func (s *Set) InForce(d units.Date) bool {
	if s.Basis.Effective != "" && d < s.Basis.Effective {
		return false
	}
	return s.Basis.Superseded == "" || d < s.Basis.Superseded
}

// Resolved reports whether the set's criteria are complete: a set that extends another
// is resolved when added to a Catalog.
func (s *Set) Resolved() bool { return s.Extends == "" || s.ev != nil }
