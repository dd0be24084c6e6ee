// Package resources holds what steering committees discuss besides the criteria (SPEC §1.8):
// funding mobilised by source, works (công trình) with their budget and disbursement, models
// (khu dân cư kiểu mẫu, vườn mẫu, thôn đạt chuẩn NTM) and the tasks that the conclusions of
// steering meetings assign.
//
// The lists of funding sources, kinds of works and kinds of models are data
// (data/resources/*.yaml). Money and quantities are Fixed, exact to the thousandth, so that
// sums and the check of a reported total against its parts never drift. The package holds the
// pure rules — validation, the sum check, shares, year-on-year change, disbursement rates, new
// and cumulative counts, overdue tasks — and reads import files; it knows no database.
package resources

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	resourcesdata "github.com/ntm-vn/ntm/data/resources"
)

// Source is a funding source (nguồn vốn). A source with kinds (cộng đồng dân cư: tiền, ngày
// công, hiến đất) is entered either as a whole or by its kinds.
type Source struct {
	Code        string   `yaml:"code" json:"code"`
	Name        string   `yaml:"name" json:"name"`
	NameEN      string   `yaml:"name_en" json:"name_en"`
	StateBudget bool     `yaml:"state_budget" json:"state_budget,omitempty"`
	Kinds       []Source `yaml:"kinds" json:"kinds,omitempty"`
	Parent      string   `yaml:"-" json:"parent,omitempty"` // the source a kind belongs to
}

// WorkGroup groups kinds of works as reports do (giao thông, thủy lợi…).
type WorkGroup struct {
	Code   string `yaml:"code" json:"code"`
	Name   string `yaml:"name" json:"name"`
	NameEN string `yaml:"name_en" json:"name_en"`
}

// WorkKind is a kind of work (loại công trình) with the measure its quantity usually has.
type WorkKind struct {
	Code    string `yaml:"code" json:"code"`
	Name    string `yaml:"name" json:"name"`
	NameEN  string `yaml:"name_en" json:"name_en"`
	Group   string `yaml:"group" json:"group"`
	Measure string `yaml:"measure" json:"measure"`
}

// ModelKind is a kind of model (loại mô hình).
type ModelKind struct {
	Code   string `yaml:"code" json:"code"`
	Name   string `yaml:"name" json:"name"`
	NameEN string `yaml:"name_en" json:"name_en"`
	Noun   string `yaml:"noun" json:"noun"`       // "khu dân cư kiểu mẫu", as counts are written
	NounEN string `yaml:"noun_en" json:"noun_en"` // "model residential areas"
	// ShareOf, when set, is what a share of this kind is counted against, in the reports'
	// words ("thôn": 9/24 thôn); its denominator is the villages of the commune or a stated total.
	ShareOf   string `yaml:"share_of" json:"share_of,omitempty"`
	ShareOfEN string `yaml:"share_of_en" json:"share_of_en,omitempty"`
}

// Catalog is the lists: sources, kinds of works and of models.
type Catalog struct {
	Sources    []Source    `json:"sources"`
	Measures   []string    `json:"measures"`
	WorkGroups []WorkGroup `json:"work_groups"`
	WorkKinds  []WorkKind  `json:"work_kinds"`
	ModelKinds []ModelKind `json:"model_kinds"`

	leaf map[string]*Source // every enterable source: top-level sources and kinds
}

// Source returns the source or kind with the code.
func (c *Catalog) Source(code string) (Source, bool) {
	s, ok := c.leaf[code]
	if !ok {
		return Source{}, false
	}
	return *s, true
}

// WorkKind returns the kind of work with the code.
func (c *Catalog) WorkKind(code string) (WorkKind, bool) { return byCode(c.WorkKinds, code) }

// WorkGroup returns the group with the code.
func (c *Catalog) WorkGroup(code string) (WorkGroup, bool) { return byCode(c.WorkGroups, code) }

// ModelKind returns the kind of model with the code.
func (c *Catalog) ModelKind(code string) (ModelKind, bool) { return byCode(c.ModelKinds, code) }

// coded is an entry of a list that has a code: a kind or a group.
type coded interface{ code() string }

func (k WorkKind) code() string  { return k.Code }
func (g WorkGroup) code() string { return g.Code }
func (k ModelKind) code() string { return k.Code }

// byCode returns the entry of list with the code.
func byCode[T coded](list []T, code string) (T, bool) {
	for _, x := range list {
		if x.code() == code {
			return x, true
		}
	}
	var zero T
	return zero, false
}

// codeList lists the codes of list, for a message: "a, b, c".
func codeList[T coded](list []T) string {
	codes := make([]string, len(list))
	for i, x := range list {
		codes[i] = x.code()
	}
	return strings.Join(codes, ", ")
}

// checkModelKind refuses a kind of model the catalog does not have.
func (c *Catalog) checkModelKind(kind string) error {
	if _, ok := c.ModelKind(kind); ok {
		return nil
	}
	return fieldErr("kind", "không có loại mô hình %q; các loại: %s", "no kind of model %q; the kinds are: %s", kind, codeList(c.ModelKinds))
}

// SourceCodes lists the codes that can carry an amount, in the reports' order (each source,
// then its kinds).
func (c *Catalog) SourceCodes() []string {
	var out []string
	for _, s := range c.Sources {
		out = append(out, s.Code)
		for _, k := range s.Kinds {
			out = append(out, k.Code)
		}
	}
	return out
}

// SourceName names a source in lang ("vi" or "en").
func (c *Catalog) SourceName(code, lang string) string {
	s, ok := c.leaf[code]
	switch {
	case !ok:
		return code
	case lang == "en":
		return s.NameEN
	}
	return s.Name
}

var shipped = sync.OnceValues(func() (*Catalog, error) { return Load(resourcesdata.FS) })

// Shipped returns the lists shipped in the binary (data/resources).
func Shipped() (*Catalog, error) { return shipped() }

// MustShipped is Shipped for callers that cannot go on without the lists; the shipped files
// are checked by the tests, so it does not panic in a released binary.
func MustShipped() *Catalog {
	c, err := Shipped()
	if err != nil {
		panic(err)
	}
	return c
}

// LoadError is a problem in a data file, at a line.
type LoadError struct {
	File string
	Line int
	Msg  string
}

func (e *LoadError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Load reads funding-sources.yaml, work-kinds.yaml and model-kinds.yaml from fsys and checks
// them: codes present and unique, names in both languages, groups and measures known.
func Load(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{leaf: map[string]*Source{}}
	var src struct {
		Sources yaml.Node `yaml:"sources"`
	}
	var works workKindsFile
	var models struct {
		Kinds yaml.Node `yaml:"kinds"`
	}
	for _, f := range []struct {
		name string
		v    any
	}{{"funding-sources.yaml", &src}, {"work-kinds.yaml", &works}, {"model-kinds.yaml", &models}} {
		b, err := fs.ReadFile(fsys, f.name)
		if err != nil {
			return nil, fmt.Errorf("resources: %w", err)
		}
		if err := yaml.Unmarshal(b, f.v); err != nil {
			return nil, fmt.Errorf("data/resources/%s: %w", f.name, err)
		}
	}
	if err := c.loadSources(&src.Sources); err != nil {
		return nil, err
	}
	if err := c.loadWorks(&works); err != nil {
		return nil, err
	}
	if err := c.loadModels(&models.Kinds); err != nil {
		return nil, err
	}
	if len(c.Sources) == 0 || len(c.WorkKinds) == 0 || len(c.ModelKinds) == 0 {
		return nil, fmt.Errorf("data/resources: sources, work kinds and model kinds must not be empty")
	}
	return c, nil
}

// The files, as errors name them.
const (
	sourcesFile = "data/resources/funding-sources.yaml"
	worksFile   = "data/resources/work-kinds.yaml"
	modelsFile  = "data/resources/model-kinds.yaml"
)

// workKindsFile is work-kinds.yaml.
type workKindsFile struct {
	Measures []string  `yaml:"measures"`
	Groups   yaml.Node `yaml:"groups"`
	Kinds    yaml.Node `yaml:"kinds"`
}

// checkNamed checks an entry's code (lower-case words joined by -) and its names in both
// languages.
func checkNamed(file string, line int, code, name, nameEN string) error {
	switch {
	case code == "" || strings.ToLower(code) != code || strings.ContainsAny(code, " _"):
		return &LoadError{file, line, fmt.Sprintf("code %q: want lower-case words joined by -", code)}
	case name == "" || nameEN == "":
		return &LoadError{file, line, fmt.Sprintf("%s: name and name_en are required", code)}
	}
	return nil
}

// loadSources reads the funding sources and their kinds; every code is unique across both.
func (c *Catalog) loadSources(list *yaml.Node) error {
	const sf = sourcesFile
	seen := map[string]bool{}
	for _, n := range items(list) {
		var s Source
		if err := n.Decode(&s); err != nil {
			return &LoadError{sf, n.Line, err.Error()}
		}
		if err := checkNamed(sf, n.Line, s.Code, s.Name, s.NameEN); err != nil {
			return err
		}
		if seen[s.Code] {
			return &LoadError{sf, n.Line, fmt.Sprintf("source %s listed twice", s.Code)}
		}
		seen[s.Code] = true
		for i := range s.Kinds {
			k := &s.Kinds[i]
			if err := checkNamed(sf, n.Line, k.Code, k.Name, k.NameEN); err != nil {
				return err
			}
			if seen[k.Code] || len(k.Kinds) > 0 {
				return &LoadError{sf, n.Line, fmt.Sprintf("kind %s: listed twice or has kinds of its own", k.Code)}
			}
			seen[k.Code] = true
			k.Parent, k.StateBudget = s.Code, s.StateBudget
		}
		c.Sources = append(c.Sources, s)
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		c.leaf[s.Code] = s
		for j := range s.Kinds {
			c.leaf[s.Kinds[j].Code] = &s.Kinds[j]
		}
	}
	return nil
}

// loadWorks reads the measures, groups and kinds of works; a kind names a known group and
// measure.
func (c *Catalog) loadWorks(works *workKindsFile) error {
	const wf = worksFile
	c.Measures = works.Measures
	for _, n := range items(&works.Groups) {
		var g WorkGroup
		if err := n.Decode(&g); err != nil {
			return &LoadError{wf, n.Line, err.Error()}
		}
		if err := checkNamed(wf, n.Line, g.Code, g.Name, g.NameEN); err != nil {
			return err
		}
		if _, dup := c.WorkGroup(g.Code); dup {
			return &LoadError{wf, n.Line, fmt.Sprintf("group %s listed twice", g.Code)}
		}
		c.WorkGroups = append(c.WorkGroups, g)
	}
	for _, n := range items(&works.Kinds) {
		var k WorkKind
		if err := n.Decode(&k); err != nil {
			return &LoadError{wf, n.Line, err.Error()}
		}
		if err := checkNamed(wf, n.Line, k.Code, k.Name, k.NameEN); err != nil {
			return err
		}
		if _, dup := c.WorkKind(k.Code); dup {
			return &LoadError{wf, n.Line, fmt.Sprintf("kind %s listed twice", k.Code)}
		}
		if _, ok := c.WorkGroup(k.Group); !ok {
			return &LoadError{wf, n.Line, fmt.Sprintf("kind %s: group %q is not in groups", k.Code, k.Group)}
		}
		if !slices.Contains(c.Measures, k.Measure) {
			return &LoadError{wf, n.Line, fmt.Sprintf("kind %s: measure %q is not in measures", k.Code, k.Measure)}
		}
		c.WorkKinds = append(c.WorkKinds, k)
	}
	return nil
}

// loadModels reads the kinds of models, each with its noun in both languages.
func (c *Catalog) loadModels(list *yaml.Node) error {
	const mf = modelsFile
	for _, n := range items(list) {
		var k ModelKind
		if err := n.Decode(&k); err != nil {
			return &LoadError{mf, n.Line, err.Error()}
		}
		if err := checkNamed(mf, n.Line, k.Code, k.Name, k.NameEN); err != nil {
			return err
		}
		if _, dup := c.ModelKind(k.Code); dup {
			return &LoadError{mf, n.Line, fmt.Sprintf("kind %s listed twice", k.Code)}
		}
		if k.Noun == "" || k.NounEN == "" {
			return &LoadError{mf, n.Line, fmt.Sprintf("kind %s: noun and noun_en are required", k.Code)}
		}
		if (k.ShareOf == "") != (k.ShareOfEN == "") {
			return &LoadError{mf, n.Line, fmt.Sprintf("kind %s: share_of and share_of_en go together", k.Code)}
		}
		c.ModelKinds = append(c.ModelKinds, k)
	}
	return nil
}

func items(n *yaml.Node) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// sortedKeys returns the keys of m in the catalog's order of sources, unknown ones last.
func (c *Catalog) sortedKeys(m map[string]Fixed) []string {
	order := map[string]int{}
	for i, code := range c.SourceCodes() {
		order[code] = i
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		oi, iok := order[keys[i]]
		oj, jok := order[keys[j]]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return keys[i] < keys[j]
	})
	return keys
}
