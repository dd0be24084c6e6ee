// Package recognition holds how a unit is recognised (xét, công nhận) as meeting a tier of the
// new rural standard and how it can lose it: the appraisal workflows as data (who acts at each
// step, the documents each step needs, its time limit, what it may decide), the rules a dossier
// (hồ sơ) follows from one step to the next, the revocation rule of QĐ 18/2022/QĐ-TTg, and the
// registry workbook offices keep of their past decisions.
//
// Everything here is pure: the store keeps dossiers and the registry, the web layer and the
// command line call these functions. Legal facts live in data/workflows, each marked verified
// or not; a time limit the sources do not give is either absent or marked unverified, never
// presented as law.
package recognition

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	workflowdata "github.com/ntm-vn/ntm/data/workflows"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// StepKind says what happens at a step, and so what it needs before it can pass.
type StepKind string

const (
	KindPrepare  StepKind = "prepare"  // lập hồ sơ: the unit assesses itself and submits
	KindAppraise StepKind = "appraise" // thẩm tra, thẩm định
	KindPosting  StepKind = "posting"  // công khai lấy ý kiến: a window for public comments
	KindCouncil  StepKind = "council"  // hội đồng thẩm định: the council votes
	KindDecision StepKind = "decision" // quyết định công nhận: number, date, signer
)

var stepKinds = []StepKind{KindPrepare, KindAppraise, KindPosting, KindCouncil, KindDecision}

// Outcome is what the acting role decides at a step.
type Outcome string

const (
	Pass   Outcome = "pass"   // đạt, chuyển bước sau (at the last step: recognised)
	Return Outcome = "return" // trả lại kèm ý kiến, to an earlier step
	Reject Outcome = "reject" // không công nhận: the dossier is closed
)

// Tiers a unit can be recognised for (the criteria sets' tiers).
var Tiers = []string{"ntm", "nang-cao", "kieu-mau", "hien-dai"}

// Document is one item of a step's checklist (thành phần hồ sơ).
type Document struct {
	ID       string `json:"id" yaml:"id"`
	Name     string `json:"name" yaml:"name"`
	NameEN   string `json:"name_en" yaml:"name_en"`
	Required bool   `json:"required" yaml:"required"`
	// Condition, when set, makes the item a condition of recognition (điều kiện công nhận, e.g.
	// QĐ 18/2022/QĐ-TTg): the condition in words, the item being the evidence it needs. It is
	// always required, so the step (and the dossier) cannot pass while it is unmet.
	Condition   string `json:"condition,omitempty" yaml:"condition"`
	ConditionEN string `json:"condition_en,omitempty" yaml:"condition_en"`
	Verified    bool   `json:"verified,omitempty" yaml:"verified"` // the condition checked against the decision's text
	Source      string `json:"source,omitempty" yaml:"source"`
}

// Step is one step of a workflow.
type Step struct {
	ID     string    `json:"id" yaml:"id"`
	Name   string    `json:"name" yaml:"name"`
	NameEN string    `json:"name_en" yaml:"name_en"`
	Kind   StepKind  `json:"kind" yaml:"kind"`
	Role   auth.Role `json:"role" yaml:"role"` // who acts
	// Days is the time limit counted in calendar days from the step's start; 0 means none.
	Days         int  `json:"days,omitempty" yaml:"days"`
	DaysVerified bool `json:"days_verified" yaml:"days_verified"`
	// WindowDays is the length of a public posting (kind posting); 0 means not known.
	WindowDays        int        `json:"window_days,omitempty" yaml:"window_days"`
	WindowVerified    bool       `json:"window_verified" yaml:"window_verified"`
	Documents         []Document `json:"documents,omitempty" yaml:"documents"`
	DocumentsVerified bool       `json:"documents_verified" yaml:"documents_verified"`
	Outcomes          []Outcome  `json:"outcomes" yaml:"outcomes"`
	ReturnsTo         string     `json:"returns_to,omitempty" yaml:"returns_to"` // a return goes here; default the first step
	Note              string     `json:"note,omitempty" yaml:"note"`
}

// Allows reports whether the step may end with outcome o.
func (s Step) Allows(o Outcome) bool {
	for _, x := range s.Outcomes {
		if x == o {
			return true
		}
	}
	return false
}

// Document returns the checklist item id of the step.
func (s Step) Document(id string) (Document, bool) {
	for _, d := range s.Documents {
		if d.ID == id {
			return d, true
		}
	}
	return Document{}, false
}

// Deadline is the last day of the step's time limit when it started on start; false when the
// step has none.
func (s Step) Deadline(start units.Date) (units.Date, bool) {
	if s.Days <= 0 || start == "" {
		return "", false
	}
	return start.AddDays(s.Days), true
}

// Basis is the legal basis of a workflow or a rule.
type Basis struct {
	Decision  string     `json:"decision" yaml:"decision"`
	Issued    units.Date `json:"issued,omitempty" yaml:"issued"`
	Effective units.Date `json:"effective,omitempty" yaml:"effective"`
}

// Workflow is the procedure a dossier follows, for units of one level, some tiers and the
// dossiers opened within its validity.
type Workflow struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	TitleEN   string      `json:"title_en"`
	Basis     Basis       `json:"basis"`
	ValidFrom units.Date  `json:"valid_from"`
	ValidTo   units.Date  `json:"valid_to"`
	Level     units.Level `json:"level"`
	Tiers     []string    `json:"tiers"`
	Verified  bool        `json:"verified"`
	Source    string      `json:"source,omitempty"`
	Note      string      `json:"note,omitempty"`
	Steps     []Step      `json:"steps"`
	File      string      `json:"-"`
}

// Step returns the step with the id and its index.
func (w *Workflow) Step(id string) (Step, int, bool) {
	for i, s := range w.Steps {
		if s.ID == id {
			return s, i, true
		}
	}
	return Step{}, -1, false
}

// Applies reports whether the workflow is the one for a dossier of a unit of level for tier
// opened on day.
func (w *Workflow) Applies(level units.Level, tier string, day units.Date) bool {
	return w.Level == level && day >= w.ValidFrom && day <= w.ValidTo && slices.Contains(w.Tiers, tier)
}

// Library is the workflows and revocation rules in force, as shipped.
type Library struct {
	Workflows []*Workflow
	Rules     []*RevocationRule
}

// For returns the workflow of a dossier for a unit of level, tier, opened on day.
func (l *Library) For(level units.Level, tier string, day units.Date) (*Workflow, error) {
	for _, w := range l.Workflows {
		if w.Applies(level, tier, day) {
			return w, nil
		}
	}
	// No workflow covers the dossier: the user's to fix (HTTP 422).
	return nil, fault.Newf(fault.InvalidValue, "không có quy trình xét công nhận cho đơn vị cấp %s, mức %s, ngày %s (no recognition workflow for a %s unit, tier %s, on %s)",
		level, tier, day, level, tier, day)
}

// Workflow returns the workflow with the id.
func (l *Library) Workflow(id string) (*Workflow, bool) {
	for _, w := range l.Workflows {
		if w.ID == id {
			return w, true
		}
	}
	return nil, false
}

// Shipped returns the workflows and rules of data/workflows. They are validated when the
// package's tests run, so an error here means a broken build.
var Shipped = sync.OnceValues(func() (*Library, error) { return Load(workflowdata.FS, ".") })

// Problem is one thing wrong in a workflow file.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	s := p.File
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
	}
	if p.Field != "" {
		s += ": " + p.Field
	}
	return s + ": " + p.Message
}

// invalidFiles is the fault listing the problems found in workflow files, each naming file,
// line and field; Problems is the []Problem.
func invalidFiles(ps []Problem) *fault.Error {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return &fault.Error{Code: fault.InvalidValue, Text: strings.Join(lines, "\n"), Problems: ps}
}

// Load reads every *.yaml file of dir in fsys: workflows (kind: workflow) and revocation rules
// (kind: revocation), and checks them, alone and together (no two workflows cover the same
// level, tier and day; no two rules the same set).
func Load(fsys fs.FS, dir string) (*Library, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	lib := &Library{}
	ps := &problems{}
	for _, n := range names {
		src, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		w, r := parse("data/workflows/"+path.Base(n), src, ps)
		if w != nil {
			lib.Workflows = append(lib.Workflows, w)
		}
		if r != nil {
			lib.Rules = append(lib.Rules, r)
		}
	}
	lib.check(ps)
	if len(ps.list) > 0 {
		return nil, invalidFiles(ps.list)
	}
	return lib, nil
}

// Parse reads one file: a workflow or a revocation rule.
func Parse(filename string, src []byte) (*Workflow, *RevocationRule, error) {
	ps := &problems{}
	w, r := parse(filename, src, ps)
	if len(ps.list) > 0 {
		return nil, nil, invalidFiles(ps.list)
	}
	return w, r, nil
}

type problems struct{ list []Problem }

func (ps *problems) add(file string, line int, field, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

var (
	lineRE    = regexp.MustCompile(`line (\d+)`)
	unknownRE = regexp.MustCompile(`field (\S+) not found`)
)

// rawDate reads a YAML date (or null) as text.
type rawDate struct {
	v    string
	line int
}

func (d *rawDate) UnmarshalYAML(n *yaml.Node) error {
	d.line = n.Line
	if n.Tag == "!!null" {
		return nil
	}
	d.v = n.Value
	return nil
}

// rawInt reads a number of days, or null (none).
type rawInt struct {
	v    int
	set  bool
	line int
	bad  string
}

func (x *rawInt) UnmarshalYAML(n *yaml.Node) error {
	x.line = n.Line
	if n.Tag == "!!null" {
		return nil
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < 1 || v > 3650 {
		x.bad = n.Value
		return nil
	}
	x.v, x.set = v, true
	return nil
}

type rawBasis struct {
	Decision  string  `yaml:"decision"`
	Issued    rawDate `yaml:"issued"`
	Effective rawDate `yaml:"effective"`
}

type rawStep struct {
	ID                string     `yaml:"id"`
	Name              string     `yaml:"name"`
	NameEN            string     `yaml:"name_en"`
	Kind              string     `yaml:"kind"`
	Role              string     `yaml:"role"`
	Days              rawInt     `yaml:"days"`
	DaysVerified      bool       `yaml:"days_verified"`
	WindowDays        rawInt     `yaml:"window_days"`
	WindowVerified    bool       `yaml:"window_verified"`
	Documents         []Document `yaml:"documents"`
	DocumentsVerified bool       `yaml:"documents_verified"`
	Outcomes          []string   `yaml:"outcomes"`
	ReturnsTo         string     `yaml:"returns_to"`
	Note              string     `yaml:"note"`
}

type rawFile struct {
	ID       string                     `yaml:"id"`
	Kind     string                     `yaml:"kind"`
	Title    string                     `yaml:"title"`
	TitleEN  string                     `yaml:"title_en"`
	Basis    rawBasis                   `yaml:"basis"`
	Valid    struct{ From, To rawDate } `yaml:"valid"`
	Level    string                     `yaml:"level"`
	Tiers    []string                   `yaml:"tiers"`
	Verified bool                       `yaml:"verified"`
	Source   string                     `yaml:"source"`
	Note     string                     `yaml:"note"`
	Steps    []rawStep                  `yaml:"steps"`
	// Revocation rules.
	FailedPct          int       `yaml:"failed_pct"`
	FailedPctWithKey   int       `yaml:"failed_pct_with_key"`
	ChildrenRevokedPct int       `yaml:"children_revoked_pct"`
	Sets               []SetRule `yaml:"sets"`
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

func parse(file string, src []byte, ps *problems) (*Workflow, *RevocationRule) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line := 0
		if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		ps.add(file, line, "", "YAML không hợp lệ (invalid YAML): %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, nil
	}
	if len(doc.Content) == 0 {
		ps.add(file, 0, "", "tệp trống (empty file)")
		return nil, nil
	}
	root := doc.Content[0]
	var raw rawFile
	dec := yaml.NewDecoder(strings.NewReader(string(src)))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		for _, msg := range strings.Split(strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n"), "\n") {
			msg = strings.TrimSpace(msg)
			if msg == "" {
				continue
			}
			line := 0
			if m := lineRE.FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
			}
			if m := unknownRE.FindStringSubmatch(msg); m != nil {
				ps.add(file, line, m[1], "khóa %q không có trong định dạng quy trình (unknown field)", m[1])
				continue
			}
			ps.add(file, line, "", "%s", strings.TrimPrefix(msg, fmt.Sprintf("line %d: ", line)))
		}
		return nil, nil
	}
	at := func(keys ...any) int { return lineOf(root, keys...) }
	if !idRE.MatchString(raw.ID) {
		ps.add(file, at("id"), "id", "mã %q không hợp lệ: chữ thường, số và dấu gạch ngang (id: lower-case letters, digits and -)", raw.ID)
	}
	if strings.TrimSpace(raw.Title) == "" {
		ps.add(file, at("title"), "title", "thiếu tên (title is required)")
	}
	level := units.Level(raw.Level)
	if !units.ValidLevel(level) {
		ps.add(file, at("level"), "level", "cấp %q không hợp lệ; dùng province, district, commune hoặc village (unknown level)", raw.Level)
	}
	basis := Basis{Decision: raw.Basis.Decision}
	for _, d := range []struct {
		raw   rawDate
		out   *units.Date
		field string
	}{{raw.Basis.Issued, &basis.Issued, "basis.issued"}, {raw.Basis.Effective, &basis.Effective, "basis.effective"}} {
		if d.raw.v == "" {
			continue
		}
		v, err := units.ReadDate(d.raw.v)
		if err != nil {
			ps.add(file, d.raw.line, d.field, "ngày %q không hợp lệ (YYYY-MM-DD) (bad date)", d.raw.v)
		}
		*d.out = v
	}
	switch raw.Kind {
	case "workflow":
		return parseWorkflow(file, &raw, root, basis, level, ps), nil
	case "revocation":
		return nil, parseRule(file, &raw, root, basis, level, ps)
	}
	ps.add(file, at("kind"), "kind", "loại %q không hợp lệ; dùng workflow hoặc revocation (kind is workflow or revocation)", raw.Kind)
	return nil, nil
}

func parseWorkflow(file string, raw *rawFile, root *yaml.Node, basis Basis, level units.Level, ps *problems) *Workflow {
	at := func(keys ...any) int { return lineOf(root, keys...) }
	w := &Workflow{ID: raw.ID, Title: raw.Title, TitleEN: raw.TitleEN, Basis: basis, Level: level, Tiers: raw.Tiers,
		Verified: raw.Verified, Source: raw.Source, Note: raw.Note, File: file, ValidFrom: units.Beginning, ValidTo: units.Forever}
	if raw.Valid.From.v != "" {
		d, err := units.ReadDate(raw.Valid.From.v)
		if err != nil {
			ps.add(file, raw.Valid.From.line, "valid.from", "ngày %q không hợp lệ (YYYY-MM-DD) (bad date)", raw.Valid.From.v)
		}
		w.ValidFrom = d
	}
	if raw.Valid.To.v != "" {
		d, err := units.ReadDate(raw.Valid.To.v)
		if err != nil {
			ps.add(file, raw.Valid.To.line, "valid.to", "ngày %q không hợp lệ (YYYY-MM-DD) (bad date)", raw.Valid.To.v)
		}
		w.ValidTo = d
	}
	if w.ValidTo < w.ValidFrom {
		ps.add(file, at("valid"), "valid", "hiệu lực kết thúc trước khi bắt đầu (valid.to is before valid.from)")
	}
	if len(w.Tiers) == 0 {
		ps.add(file, at("tiers"), "tiers", "cần ít nhất một mức đạt chuẩn (at least one tier)")
	}
	for i, t := range w.Tiers {
		if !validTier(t) {
			ps.add(file, at("tiers", i), "tiers", "mức %q không hợp lệ; dùng %s (unknown tier)", t, strings.Join(Tiers, ", "))
		}
	}
	if len(raw.Steps) < 2 {
		ps.add(file, at("steps"), "steps", "quy trình cần ít nhất hai bước (a workflow needs at least two steps)")
		return w
	}
	seen := map[string]bool{}
	docs := map[string]bool{}
	for i, rs := range raw.Steps {
		w.Steps = append(w.Steps, parseStep(file, rs, i, len(raw.Steps), at, seen, docs, ps))
	}
	return w
}

// parseStep reads step i of n and checks it: its id new in the workflow, its kind in its
// place (the first prepares, the last decides), its role, time limits, outcomes, the step it
// returns to among those before it (seen) and its documents (ids new in docs).
func parseStep(file string, rs rawStep, i, n int, at func(keys ...any) int, seen, docs map[string]bool, ps *problems) Step {
	field := fmt.Sprintf("steps[%d]", i)
	line := func(k string) int { return at("steps", i, k) }
	s := Step{ID: rs.ID, Name: rs.Name, NameEN: rs.NameEN, Kind: StepKind(rs.Kind), Role: auth.Role(rs.Role),
		Days: rs.Days.v, DaysVerified: rs.DaysVerified, WindowDays: rs.WindowDays.v, WindowVerified: rs.WindowVerified,
		Documents: rs.Documents, DocumentsVerified: rs.DocumentsVerified, ReturnsTo: rs.ReturnsTo, Note: rs.Note}
	if !idRE.MatchString(s.ID) {
		ps.add(file, line("id"), field+".id", "mã bước %q không hợp lệ (bad step id)", s.ID)
	} else if seen[s.ID] {
		ps.add(file, line("id"), field+".id", "mã bước %q trùng (step id used twice)", s.ID)
	}
	seen[s.ID] = true
	if strings.TrimSpace(s.Name) == "" || strings.TrimSpace(s.NameEN) == "" {
		ps.add(file, at("steps", i), field, "bước cần tên tiếng Việt và tiếng Anh (name and name_en are required)")
	}
	if !validKind(s.Kind) {
		ps.add(file, line("kind"), field+".kind", "loại bước %q không hợp lệ; dùng prepare, appraise, posting, council hoặc decision (unknown step kind)", rs.Kind)
	}
	if _, err := auth.ParseRole(rs.Role); err != nil || s.Role == auth.RoleViewer || s.Role == auth.RoleOCOPCouncil {
		ps.add(file, line("role"), field+".role", "vai trò %q không thể thực hiện bước xét công nhận (role cannot act on a dossier)", rs.Role)
	}
	if rs.Days.bad != "" {
		ps.add(file, rs.Days.line, field+".days", "thời hạn %q không hợp lệ: số ngày từ 1 đến 3650 hoặc null (days: 1-3650 or null)", rs.Days.bad)
	}
	if rs.WindowDays.bad != "" {
		ps.add(file, rs.WindowDays.line, field+".window_days", "thời gian công khai %q không hợp lệ (window_days: 1-3650 or null)", rs.WindowDays.bad)
	}
	if s.WindowDays > 0 && s.Kind != KindPosting {
		ps.add(file, rs.WindowDays.line, field+".window_days", "chỉ bước công khai (posting) có thời gian công khai (only a posting step has a window)")
	}
	if len(rs.Outcomes) == 0 {
		ps.add(file, at("steps", i), field+".outcomes", "bước cần ít nhất kết quả pass (a step needs outcomes, at least pass)")
	}
	for j, o := range rs.Outcomes {
		switch Outcome(o) {
		case Pass, Return, Reject:
			s.Outcomes = append(s.Outcomes, Outcome(o))
		default:
			ps.add(file, at("steps", i, "outcomes", j), field+".outcomes", "kết quả %q không hợp lệ; dùng pass, return hoặc reject (unknown outcome)", o)
		}
	}
	if len(rs.Outcomes) > 0 && !s.Allows(Pass) {
		ps.add(file, line("outcomes"), field+".outcomes", "bước nào cũng phải có kết quả pass (every step can pass)")
	}
	checkStepPlace(file, s, i, n, at, ps)
	if s.ReturnsTo != "" {
		if !seen[s.ReturnsTo] || s.ReturnsTo == s.ID {
			ps.add(file, line("returns_to"), field+".returns_to", "bước %q không phải là một bước trước đó (returns_to must name an earlier step)", s.ReturnsTo)
		}
		if !s.Allows(Return) {
			ps.add(file, line("returns_to"), field+".returns_to", "bước không có kết quả return (returns_to without the return outcome)")
		}
	}
	checkDocuments(file, s.Documents, i, at, docs, ps)
	return s
}

// checkStepPlace checks that step i of n is of the kind its place needs: the first prepares
// the dossier and can only pass, the last (and only the last) decides.
func checkStepPlace(file string, s Step, i, n int, at func(keys ...any) int, ps *problems) {
	field := fmt.Sprintf("steps[%d]", i)
	kindLine := at("steps", i, "kind")
	if i == 0 && (s.Kind != KindPrepare || s.Allows(Return) || s.Allows(Reject)) {
		ps.add(file, at("steps", i), field, "bước đầu là bước lập hồ sơ (prepare) và chỉ có kết quả pass (the first step prepares the dossier and can only pass)")
	}
	if i > 0 && s.Kind == KindPrepare {
		ps.add(file, kindLine, field+".kind", "chỉ bước đầu là bước lập hồ sơ (only the first step prepares)")
	}
	if i == n-1 && s.Kind != KindDecision {
		ps.add(file, kindLine, field+".kind", "bước cuối là bước quyết định (decision) (the last step is the decision)")
	}
	if i < n-1 && s.Kind == KindDecision {
		ps.add(file, kindLine, field+".kind", "chỉ bước cuối là bước quyết định (only the last step decides)")
	}
}

// checkDocuments checks the documents of step i: ids valid and new in the workflow (docs),
// names in both languages, a condition required and translated, verified with a source.
func checkDocuments(file string, documents []Document, i int, at func(keys ...any) int, docs map[string]bool, ps *problems) {
	field := fmt.Sprintf("steps[%d]", i)
	for j, d := range documents {
		dl := at("steps", i, "documents", j)
		switch {
		case !idRE.MatchString(d.ID):
			ps.add(file, dl, field+".documents", "mã giấy tờ %q không hợp lệ (bad document id)", d.ID)
		case docs[d.ID]:
			ps.add(file, dl, field+".documents", "mã giấy tờ %q trùng trong quy trình (document id used twice)", d.ID)
		}
		docs[d.ID] = true
		if strings.TrimSpace(d.Name) == "" || strings.TrimSpace(d.NameEN) == "" {
			ps.add(file, dl, field+".documents", "giấy tờ %q cần tên tiếng Việt và tiếng Anh (name and name_en are required)", d.ID)
		}
		if d.Condition != "" && (!d.Required || strings.TrimSpace(d.ConditionEN) == "") {
			ps.add(file, dl, field+".documents", "điều kiện %q phải bắt buộc (required: true) và có condition_en (a condition is required and has an English text)", d.ID)
		}
		if d.Verified && !strings.HasPrefix(d.Source, "http") {
			ps.add(file, dl, field+".documents", "điều kiện %q ghi verified nhưng không có nguồn (verified needs a source URL)", d.ID)
		}
	}
}

func validTier(t string) bool {
	for _, x := range Tiers {
		if x == t {
			return true
		}
	}
	return false
}

func validKind(k StepKind) bool {
	for _, x := range stepKinds {
		if x == k {
			return true
		}
	}
	return false
}

// check looks at the files together.
func (l *Library) check(ps *problems) {
	ids := map[string]string{}
	for _, w := range l.Workflows {
		if f, dup := ids[w.ID]; dup {
			ps.add(w.File, 0, "id", "mã %q đã dùng trong %s (id already used)", w.ID, f)
		}
		ids[w.ID] = w.File
	}
	for _, r := range l.Rules {
		if f, dup := ids[r.ID]; dup {
			ps.add(r.File, 0, "id", "mã %q đã dùng trong %s (id already used)", r.ID, f)
		}
		ids[r.ID] = r.File
	}
	for i, a := range l.Workflows {
		for _, b := range l.Workflows[i+1:] {
			if a.Level != b.Level || a.ValidTo < b.ValidFrom || b.ValidTo < a.ValidFrom {
				continue
			}
			for _, t := range a.Tiers {
				for _, u := range b.Tiers {
					if t == u {
						ps.add(b.File, 0, "valid", "trùng thời gian với %s cho cấp %s, mức %s (overlaps %s)", a.ID, a.Level, t, a.ID)
					}
				}
			}
		}
	}
	sets := map[string]string{}
	for _, r := range l.Rules {
		for _, s := range r.Sets {
			if other, dup := sets[s.Set]; dup {
				ps.add(r.File, 0, "sets", "bộ %s đã có quy tắc thu hồi trong %s (set already has a rule)", s.Set, other)
			}
			sets[s.Set] = r.ID
		}
	}
}

// lineOf finds the line of the node at a path of mapping keys (string) and sequence indexes
// (int) below n; the deepest node found when the path stops early.
func lineOf(n *yaml.Node, path ...any) int {
	line := n.Line
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						line = n.Content[i].Line
						next = n.Content[i+1]
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}
