package ocop

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	ocopdata "github.com/ntm-vn/ntm/data/ocop"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// Rules are the OCOP rules as data: the scoring rules of each decision, who evaluates by
// date, how long a certificate lasts, and the product taxonomy.
type Rules struct {
	Validity Validity       `yaml:"validity" json:"validity"`
	Versions []*Version     `yaml:"versions" json:"versions"`
	Levels   []*LevelPeriod `yaml:"levels" json:"levels"`
	Taxonomy *Taxonomy      `yaml:"-" json:"-"`
}

// Validity is how long a certificate lasts and when its holder is warned.
type Validity struct {
	Months     int    `yaml:"months" json:"months"`
	NoticeDays int    `yaml:"notice_days" json:"notice_days"`
	Verified   bool   `yaml:"verified" json:"verified"`
	Source     string `yaml:"source" json:"source,omitempty"`
}

// Version is the scoring rules of one decision over the days it was in force.
type Version struct {
	ID         string      `yaml:"id" json:"id"`
	Decision   string      `yaml:"decision" json:"decision"`
	Title      string      `yaml:"title" json:"title"`
	TitleEN    string      `yaml:"title_en" json:"title_en"`
	Issued     units.Date  `yaml:"issued" json:"issued"`
	Effective  units.Date  `yaml:"effective" json:"effective"`
	Superseded units.Date  `yaml:"superseded" json:"superseded,omitempty"` // first day no longer in force
	Verified   bool        `yaml:"verified" json:"verified"`
	Source     string      `yaml:"source" json:"source,omitempty"`
	Parts      []Part      `yaml:"parts" json:"parts"`
	Bands      []Band      `yaml:"bands" json:"bands"`
	Conditions []Condition `yaml:"conditions" json:"conditions"`
	Council    CouncilRule `yaml:"council" json:"council"`
}

// CouncilRule is how many scoresheets a council needs to close an evaluation (số thành viên
// tối thiểu): Quorum of its members ("2/3"), and at least MinSheets.
type CouncilRule struct {
	Quorum    string `yaml:"quorum" json:"quorum"`
	MinSheets int    `yaml:"min_sheets" json:"min_sheets"`
	Verified  bool   `yaml:"verified" json:"verified"`
	Note      string `yaml:"note" json:"note,omitempty"`
	num, den  int
}

// parse reads Quorum ("2/3").
func (c *CouncilRule) parse() error {
	a, b, ok := strings.Cut(c.Quorum, "/")
	n, err1 := strconv.Atoi(strings.TrimSpace(a))
	d, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n <= 0 || d <= 0 || n > d || c.MinSheets < 1 {
		return fmt.Errorf("council: quorum %q must be a share such as 2/3 and min_sheets at least 1", c.Quorum)
	}
	c.num, c.den = n, d
	return nil
}

// Needed is how many sheets a council of members members needs: the quorum's share of the
// members rounded up, and at least MinSheets (a smaller council cannot close).
func (c CouncilRule) Needed(members int) int {
	if c.den == 0 {
		c.parse()
	}
	need := 1
	if c.den > 0 {
		need = (members*c.num + c.den - 1) / c.den
	}
	return max(need, c.MinSheets, 1)
}

// Part is one part of the scoresheet and its maximum points.
type Part struct {
	ID       string  `yaml:"id" json:"id"` // A, B, C
	Name     string  `yaml:"name" json:"name"`
	NameEN   string  `yaml:"name_en" json:"name_en"`
	Max      float64 `yaml:"max" json:"max"`
	Verified bool    `yaml:"verified" json:"verified"`
}

// Band is the range of total points that gives a star level: [Min, Max), or [Min, Max]
// when MaxInclusive.
type Band struct {
	Stars        int     `yaml:"stars" json:"stars"`
	Min          float64 `yaml:"min" json:"min"`
	Max          float64 `yaml:"max" json:"max"`
	MaxInclusive bool    `yaml:"max_inclusive" json:"max_inclusive,omitempty"`
	Verified     bool    `yaml:"verified" json:"verified"`
}

// Condition is a mandatory condition (điều kiện bắt buộc) of a star level: a product that
// does not meet it cannot be ranked at that level or above. Groups, when given, limits it to
// products of those groups.
type Condition struct {
	ID       string   `yaml:"id" json:"id"`
	Stars    int      `yaml:"stars" json:"stars"`
	Name     string   `yaml:"name" json:"name"`
	NameEN   string   `yaml:"name_en" json:"name_en"`
	Groups   []string `yaml:"groups" json:"groups,omitempty"`
	Verified bool     `yaml:"verified" json:"verified"`
}

// AppliesTo reports whether the condition applies to a product of group.
func (c Condition) AppliesTo(group string) bool {
	return len(c.Groups) == 0 || slices.Contains(c.Groups, group)
}

// LevelPeriod says which level evaluates and recognises each star level between two days.
type LevelPeriod struct {
	From     units.Date    `yaml:"from" json:"from"`
	To       units.Date    `yaml:"to" json:"to,omitempty"` // last day; empty: still in force
	Decision string        `yaml:"decision" json:"decision"`
	Stars    map[int]Level `yaml:"stars" json:"stars"`
	Verified bool          `yaml:"verified" json:"verified"`
	Source   string        `yaml:"source" json:"source,omitempty"`
	Note     string        `yaml:"note" json:"note,omitempty"`
}

// Taxonomy is the product classification: groups → sub-groups → product sets.
type Taxonomy struct {
	Groups []*Group `yaml:"groups" json:"groups"`
	sets   map[string]*ProductSet
}

// Group is one of the 6 product groups (nhóm sản phẩm).
type Group struct {
	Code      string      `yaml:"code" json:"code"`
	Name      string      `yaml:"name" json:"name"`
	NameEN    string      `yaml:"name_en" json:"name_en"`
	Verified  bool        `yaml:"verified" json:"verified"`
	Source    string      `yaml:"source" json:"source,omitempty"`
	SubGroups []*SubGroup `yaml:"subgroups" json:"subgroups"`
}

// SubGroup is a sub-group of a group (nhóm).
type SubGroup struct {
	Code     string        `yaml:"code" json:"code"`
	Name     string        `yaml:"name" json:"name"`
	NameEN   string        `yaml:"name_en" json:"name_en"`
	Verified bool          `yaml:"verified" json:"verified"`
	Source   string        `yaml:"source" json:"source,omitempty"`
	Sets     []*ProductSet `yaml:"sets" json:"sets"`
}

// ProductSet is a product set (phân nhóm, bộ sản phẩm), the unit of the taxonomy a product
// belongs to.
type ProductSet struct {
	Code     string `yaml:"code" json:"code"`
	Name     string `yaml:"name" json:"name"`
	NameEN   string `yaml:"name_en" json:"name_en"`
	Verified bool   `yaml:"verified" json:"verified"`
	Source   string `yaml:"source" json:"source,omitempty"`
	Group    string `yaml:"-" json:"group"`
	SubGroup string `yaml:"-" json:"subgroup"`
}

// Set returns the product set with the code.
func (t *Taxonomy) Set(code string) (*ProductSet, bool) {
	s, ok := t.sets[strings.TrimSpace(code)]
	return s, ok
}

// Group returns the group with the code.
func (t *Taxonomy) Group(code string) (*Group, bool) {
	for _, g := range t.Groups {
		if g.Code == code {
			return g, true
		}
	}
	return nil, false
}

// FindSet finds a product set by its code or, ignoring case and diacritics, its name, as
// offices write it in their lists.
func (t *Taxonomy) FindSet(s string) (*ProductSet, bool) {
	if set, ok := t.Set(s); ok {
		return set, true
	}
	f := units.Fold(strings.TrimSpace(s))
	if f == "" {
		return nil, false
	}
	for _, g := range t.Groups {
		for _, sg := range g.SubGroups {
			for _, set := range sg.Sets {
				if units.Fold(set.Name) == f {
					return set, true
				}
			}
		}
	}
	return nil, false
}

// Version returns the rule version with the id.
func (r *Rules) Version(id string) (*Version, bool) {
	for _, v := range r.Versions {
		if v.ID == id {
			return v, true
		}
	}
	return nil, false
}

// VersionOn returns the rule version in force on day.
func (r *Rules) VersionOn(day units.Date) (*Version, error) {
	for _, v := range r.Versions {
		if v.Effective <= day && (v.Superseded == "" || day < v.Superseded) {
			return v, nil
		}
	}
	return nil, fieldErr("date", fmt.Sprintf("không có bộ tiêu chí OCOP nào hiệu lực ngày %s (bộ đầu tiên: QĐ 1048/QĐ-TTg, 21/8/2019)", day),
		fmt.Sprintf("no OCOP criteria were in force on %s (the first: Decision 1048/QĐ-TTg, 2019-08-21)", day))
}

// LevelOn returns the period of the evaluation levels in force on day.
func (r *Rules) LevelOn(day units.Date) (*LevelPeriod, error) {
	for _, p := range r.Levels {
		if p.From <= day && (p.To == "" || day <= p.To) {
			return p, nil
		}
	}
	return nil, fieldErr("date", fmt.Sprintf("không có quy định cấp đánh giá OCOP ngày %s", day),
		fmt.Sprintf("no rule on who evaluates OCOP products on %s", day))
}

// RecognisedBy returns the level that evaluates and recognises a product of stars (3 to 5)
// on day, and the decision that says so.
func (r *Rules) RecognisedBy(stars int, day units.Date) (Level, string, error) {
	p, err := r.LevelOn(day)
	if err != nil {
		return "", "", err
	}
	l, ok := p.Stars[stars]
	if !ok {
		return "", p.Decision, fmt.Errorf("ocop: no level for %d stars on %s", stars, day)
	}
	return l, p.Decision, nil
}

// ---------------------------------------------------------------------------------------
// Loading

var shipped = sync.OnceValues(func() (*Rules, error) { return Load(ocopdata.FS) })

// Shipped returns the rules and taxonomy shipped in the binary (data/ocop).
func Shipped() (*Rules, error) { return shipped() }

// loadError is the fault of what is wrong in the OCOP data files: Problems lists each as
// FILE:LINE: message.
func loadError(ps []string) *fault.Error {
	return &fault.Error{Code: fault.InvalidValue, Text: "ocop data:\n" + strings.Join(ps, "\n"), Problems: ps}
}

// Load reads rules.yaml and taxonomy.yaml from fsys and checks them.
func Load(fsys fs.FS) (*Rules, error) {
	var ps []string
	r := &Rules{Taxonomy: &Taxonomy{}}
	rulesDoc, err := decode(fsys, "rules.yaml", r)
	if err != nil {
		return nil, err
	}
	taxDoc, err := decode(fsys, "taxonomy.yaml", r.Taxonomy)
	if err != nil {
		return nil, err
	}
	add := func(file string, doc *yaml.Node, path []any, format string, args ...any) {
		ps = append(ps, fmt.Sprintf("%s:%d: %s", file, lineOf(doc, path...), fmt.Sprintf(format, args...)))
	}
	const rf, tf = "rules.yaml", "taxonomy.yaml"

	if r.Validity.Months <= 0 || r.Validity.NoticeDays < 0 {
		add(rf, rulesDoc, []any{"validity"}, "validity: months must be positive and notice_days not negative")
	}
	if len(r.Versions) == 0 {
		add(rf, rulesDoc, nil, "no versions")
	}
	ids := map[string]bool{}
	for i, v := range r.Versions {
		at := []any{"versions", i}
		if v.ID == "" || ids[v.ID] {
			add(rf, rulesDoc, at, "version id %q empty or used twice", v.ID)
		}
		ids[v.ID] = true
		if _, err := units.ParseDate(string(v.Effective)); err != nil {
			add(rf, rulesDoc, at, "%s: effective: %v", v.ID, err)
		}
		if v.Superseded != "" && v.Superseded <= v.Effective {
			add(rf, rulesDoc, at, "%s: superseded %s is not after effective %s", v.ID, v.Superseded, v.Effective)
		}
		if i > 0 && r.Versions[i-1].Superseded != v.Effective {
			add(rf, rulesDoc, at, "%s: starts on %s, the version before ends on %s: versions must follow each other", v.ID, v.Effective, r.Versions[i-1].Superseded)
		}
		total := 0.0
		for j, want := range []string{"A", "B", "C"} {
			if j >= len(v.Parts) || v.Parts[j].ID != want || v.Parts[j].Max <= 0 {
				add(rf, rulesDoc, append(at, "parts"), "%s: parts must be A, B, C with positive maxima", v.ID)
				break
			}
			total += v.Parts[j].Max
		}
		if len(v.Parts) == 3 && total != 100 {
			add(rf, rulesDoc, append(at, "parts"), "%s: part maxima add up to %g, not 100", v.ID, total)
		}
		// Bands: 1 to 5 stars, each starting where the one before ends, from 0 to 100.
		if len(v.Bands) != 5 {
			add(rf, rulesDoc, append(at, "bands"), "%s: want 5 bands, have %d", v.ID, len(v.Bands))
		} else {
			for k, b := range v.Bands {
				switch {
				case b.Stars != k+1:
					add(rf, rulesDoc, append(at, "bands", k), "%s: band %d has %d stars", v.ID, k+1, b.Stars)
				case k == 0 && b.Min != 0, k > 0 && b.Min != v.Bands[k-1].Max, b.Max <= b.Min:
					add(rf, rulesDoc, append(at, "bands", k), "%s: band of %d stars [%g, %g) does not follow the one before", v.ID, b.Stars, b.Min, b.Max)
				case k == 4 && (b.Max != 100 || !b.MaxInclusive):
					add(rf, rulesDoc, append(at, "bands", k), "%s: the 5-star band must end at 100 inclusive", v.ID)
				}
			}
		}
		if err := v.Council.parse(); err != nil {
			add(rf, rulesDoc, append(at, "council"), "%s: %v", v.ID, err)
		}
		cids := map[string]bool{}
		for k, c := range v.Conditions {
			if c.ID == "" || cids[c.ID] || c.Stars < 3 || c.Stars > 5 || c.Name == "" {
				add(rf, rulesDoc, append(at, "conditions", k), "%s: condition %q: needs a unique id, a name and stars 3 to 5", v.ID, c.ID)
			}
			cids[c.ID] = true
		}
	}
	for i, p := range r.Levels {
		at := []any{"levels", i}
		if i > 0 && r.Levels[i-1].To.AddDays(1) != p.From {
			add(rf, rulesDoc, at, "levels: period from %s does not follow the one before (to %s)", p.From, r.Levels[i-1].To)
		}
		for s := 3; s <= 5; s++ {
			if p.Stars[s].rank() == 0 {
				add(rf, rulesDoc, at, "levels from %s: %d stars: level %q is not district, province or central", p.From, s, p.Stars[s])
			}
		}
	}

	tx := r.Taxonomy
	tx.sets = map[string]*ProductSet{}
	if len(tx.Groups) != 6 {
		add(tf, taxDoc, []any{"groups"}, "want 6 groups, have %d", len(tx.Groups))
	}
	for i, g := range tx.Groups {
		if g.Code == "" || g.Name == "" || len(g.SubGroups) == 0 {
			add(tf, taxDoc, []any{"groups", i}, "group %q needs a code, a name and sub-groups", g.Code)
		}
		for j, sg := range g.SubGroups {
			if !strings.HasPrefix(sg.Code, g.Code+".") || sg.Name == "" || len(sg.Sets) == 0 {
				add(tf, taxDoc, []any{"groups", i, "subgroups", j}, "sub-group %q: code must start with %q, and it needs a name and product sets", sg.Code, g.Code+".")
			}
			for k, s := range sg.Sets {
				if !strings.HasPrefix(s.Code, sg.Code+".") || s.Name == "" || tx.sets[s.Code] != nil {
					add(tf, taxDoc, []any{"groups", i, "subgroups", j, "sets", k}, "product set %q: code must start with %q, be unique, and have a name", s.Code, sg.Code+".")
				}
				s.Group, s.SubGroup = g.Code, sg.Code
				tx.sets[s.Code] = s
			}
		}
	}
	if len(ps) > 0 {
		return nil, loadError(ps)
	}
	return r, nil
}

// decode reads a YAML file strictly (unknown fields are errors) into v and returns its node
// tree, for the lines of later problems.
func decode(fsys fs.FS, name string, v any) (*yaml.Node, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return nil, loadError([]string{name + ": " + err.Error()})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// lineOf follows path (mapping keys and sequence indexes) from the document's root and returns
// the line of the node reached, or of the last node found on the way.
func lineOf(doc *yaml.Node, path ...any) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, step := range path {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		var next *yaml.Node
		switch s := step.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == s {
						next = n.Content[i+1]
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && s < len(n.Content) {
				next = n.Content[s]
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return n.Line
}

// ---------------------------------------------------------------------------------------
// Lists for the interfaces

// SetName is the product set's name in lang with its sub-group, "Thực phẩm chế biến › Đồ ăn
// nhanh", or the code when unknown.
func (t *Taxonomy) SetName(code, lang string) string {
	s, ok := t.Set(code)
	if !ok {
		return code
	}
	var sg *SubGroup
	if g, ok := t.Group(s.Group); ok {
		for _, x := range g.SubGroups {
			if x.Code == s.SubGroup {
				sg = x
			}
		}
	}
	name := Message{s.Name, s.NameEN}.In(lang)
	if sg != nil && sg.Name != s.Name {
		name = Message{sg.Name, sg.NameEN}.In(lang) + " › " + name
	}
	return name
}

// Sets lists every product set by code.
func (t *Taxonomy) Sets() []*ProductSet {
	out := make([]*ProductSet, 0, len(t.sets))
	for _, s := range t.sets {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// round2 rounds to hundredths of a point, the precision of scores.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
