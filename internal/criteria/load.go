package criteria

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// Problem is one thing wrong in a criteria-set file: a YAML line, or a workbook cell.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	switch {
	case p.Sheet != "" || p.Row > 0: // a workbook's cell, or a row of a document's table
		sep := ": "
		if p.Sheet != "" {
			fmt.Fprintf(&b, ": sheet %q", p.Sheet)
			sep = ", "
		}
		if p.Row > 0 {
			fmt.Fprintf(&b, "%sdòng %d", sep, p.Row)
		}
		if p.Column != "" {
			fmt.Fprintf(&b, ", cột %s", p.Column)
		}
	case p.Line > 0:
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Field != "" {
		b.WriteString(": ")
		b.WriteString(p.Field)
	}
	b.WriteString(": ")
	b.WriteString(p.Message)
	return b.String()
}

// ValidationFault is the fault of one or more criteria-set files with problems
// (InvalidValue, the user's to fix): its message lists every problem, one a line, each as
// FILE:LINE: field: message (or FILE: sheet "S", dòng R, cột C: … for workbooks); the
// problems are its Problems, a []Problem (read them back with ValidationProblems).
func ValidationFault(ps []Problem) *fault.Error {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return &fault.Error{Code: fault.InvalidValue, Text: strings.Join(lines, "\n"), Problems: ps}
}

// ValidationProblems returns the problems of the ValidationFault in err's chain, if it is one.
func ValidationProblems(err error) ([]Problem, bool) {
	return fault.ProblemsOf[[]Problem](err)
}

// bi joins a Vietnamese message and its English translation.
func bi(vi, en string) string { return vi + " (" + en + ")" }

// cellPos is where a node built from a workbook came from.
type cellPos struct {
	sheet string
	row   int
	col   string
}

// source is one file being read; nodes built from a workbook carry their cells.
type source struct {
	file  string
	cells map[*yaml.Node]cellPos
}

// problems collects problems from every file involved in resolving a set.
type problems struct{ list []Problem }

func (ps *problems) add(src *source, n *yaml.Node, field, msg string) {
	p := Problem{File: src.file, Field: field, Message: msg}
	if src.cells != nil {
		if c, ok := src.cells[n]; ok {
			p.Sheet, p.Row, p.Column = c.sheet, c.row, c.col
		} else if n != nil {
			p.Line = n.Line
		}
	} else if n != nil {
		p.Line = n.Line
	}
	ps.list = append(ps.list, p)
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sort.SliceStable(ps.list, func(i, j int) bool {
		a, b := ps.list[i], ps.list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Line < b.Line
	})
	return ValidationFault(ps.list)
}

// fnode is a field's value node and the file it came from.
type fnode struct {
	n   *yaml.Node
	src *source
}

type fields map[string]fnode

func (f fields) clone() fields {
	g := make(fields, len(f))
	for k, v := range f {
		g[k] = v
	}
	return g
}

// rawSet is a set's declarations as written, before interpretation: extending a set merges
// these field by field, and the merged declarations are interpreted once.
type rawSet struct {
	root  fnode
	f     fields
	crits []*rawCrit
}

type rawCrit struct {
	num  int
	node fnode
	f    fields
	inds []*rawInd
}

type rawInd struct {
	code string
	node fnode
	f    fields
}

var (
	setKeys = []string{"id", "title", "basis", "level", "tier", "varies_by", "requires", "extends",
		"region_from_tags", "notes", "partial", "criteria"}
	basisKeys = []string{"decision", "issued", "effective", "superseded"}
	critKeys  = []string{"number", "name", "sector", "group", "note", "partial", "indicators", "evidence"}
	indKeys   = []string{"code", "name", "kind", "unit", "op", "threshold", "by", "formula", "aggregate",
		"dynamic", "verified", "source", "note", "levels", "evidence"}
	aggKeys = []string{"set", "measure"}
)

var lineRE = regexp.MustCompile(`line (\d+)`)

// Parse reads a criteria set in the YAML format of SPEC §6 and validates it, reporting every
// problem with file, line and field in a ValidationFault. A set that extends another is
// returned unresolved (Resolved() is false): add it to a Catalog to merge it with its parent.
func Parse(filename string, src []byte) (*Set, error) {
	var doc yaml.Node
	s := &source{file: filename}
	ps := &problems{}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		p := Problem{File: filename, Message: bi("YAML không hợp lệ", strings.TrimPrefix(err.Error(), "yaml: "))}
		if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
		}
		return nil, ValidationFault([]Problem{p})
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		ps.add(s, &doc, "", bi("tệp trống", "empty file"))
		return nil, ps.err()
	}
	return parseTree(s, doc.Content[0], ps)
}

// parseTree reads a set from a YAML node tree (from a file or built from a workbook).
func parseTree(s *source, root *yaml.Node, ps *problems) (*Set, error) {
	raw := readRaw(s, root, ps)
	if raw == nil {
		return nil, ps.err()
	}
	if ext, ok := raw.f["extends"]; ok && scalarText(ext.n) != "" {
		// Interpret what can be interpreted alone; the rest waits for the parent.
		set := &Set{File: s.file, raw: raw}
		set.ID, _ = optString(ps, raw.f, "id", "id")
		set.Extends = scalarText(ext.n)
		set.Title, _ = optString(ps, raw.f, "title", "title")
		if err := ps.err(); err != nil {
			return nil, err
		}
		return set, nil
	}
	set := interpret(raw, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	set.File = s.file
	ev, err := Compile(set)
	if err != nil {
		return nil, err
	}
	set.ev = ev
	return set, nil
}

// readRaw checks the shape of the tree (mappings, sequences, known keys, no duplicates) and
// collects the declarations.
func readRaw(s *source, root *yaml.Node, ps *problems) *rawSet {
	if root.Kind != yaml.MappingNode {
		ps.add(s, root, "", bi("bộ tiêu chí phải là một ánh xạ khóa: giá trị", "a criteria set must be a mapping of keys to values"))
		return nil
	}
	raw := &rawSet{root: fnode{root, s}, f: mapping(s, root, "", setKeys, ps)}
	critsN, ok := raw.f["criteria"]
	if !ok {
		return raw
	}
	delete(raw.f, "criteria")
	if critsN.n.Kind != yaml.SequenceNode {
		if !isNull(critsN.n) {
			ps.add(s, critsN.n, "criteria", bi("phải là một danh sách tiêu chí", "must be a list of criteria"))
		}
		return raw
	}
	seenNum := map[int]int{}
	seenCode := map[string]int{}
	for i, cn := range critsN.n.Content {
		field := fmt.Sprintf("criteria[%d]", i)
		if cn.Kind != yaml.MappingNode {
			ps.add(s, cn, field, bi("mỗi tiêu chí phải là một ánh xạ", "each criterion must be a mapping"))
			continue
		}
		rc := &rawCrit{num: -1, node: fnode{cn, s}, f: mapping(s, cn, field, critKeys, ps)}
		if nn, ok := rc.f["number"]; ok {
			n, err := strconv.Atoi(scalarText(nn.n))
			if nn.n.Kind != yaml.ScalarNode || err != nil || n < 1 {
				ps.add(s, nn.n, field+".number", bi(fmt.Sprintf("số thứ tự tiêu chí %q phải là số nguyên dương", scalarText(nn.n)),
					"criterion number must be a positive integer"))
			} else if prev, dup := seenNum[n]; dup {
				ps.add(s, nn.n, field+".number", bi(fmt.Sprintf("tiêu chí %d đã khai báo ở dòng %d", n, prev),
					fmt.Sprintf("criterion %d already declared at line %d", n, prev)))
			} else {
				rc.num = n
				seenNum[n] = nn.n.Line
				field = fmt.Sprintf("criteria[%d]", n)
			}
		} else {
			ps.add(s, cn, field+".number", bi("thiếu số thứ tự tiêu chí", "missing criterion number"))
		}
		raw.crits = append(raw.crits, rc)
		in, ok := rc.f["indicators"]
		if !ok {
			continue
		}
		delete(rc.f, "indicators")
		if in.n.Kind != yaml.SequenceNode {
			if !isNull(in.n) {
				ps.add(s, in.n, field+".indicators", bi("phải là một danh sách chỉ tiêu", "must be a list of indicators"))
			}
			continue
		}
		for j, n := range in.n.Content {
			ifield := fmt.Sprintf("%s.indicators[%d]", field, j)
			if c := strings.TrimSpace(scalarText(mapValue(n, "code"))); c != "" {
				if _, dup := seenCode[c]; !dup {
					ifield = fmt.Sprintf("%s.indicators[%s]", field, c)
				}
			}
			if n.Kind != yaml.MappingNode {
				ps.add(s, n, ifield, bi("mỗi chỉ tiêu phải là một ánh xạ", "each indicator must be a mapping"))
				continue
			}
			ri := &rawInd{node: fnode{n, s}, f: mapping(s, n, ifield, indKeys, ps)}
			cnode, ok := ri.f["code"]
			code := ""
			if ok {
				code = strings.TrimSpace(scalarText(cnode.n))
			}
			switch {
			case !ok || code == "":
				ps.add(s, n, ifield+".code", bi("thiếu mã chỉ tiêu", "missing indicator code"))
				continue
			case cnode.n.Kind != yaml.ScalarNode || strings.ContainsAny(code, " \t\r\n"):
				ps.add(s, cnode.n, ifield+".code", bi(fmt.Sprintf("mã chỉ tiêu %q không hợp lệ (không được có khoảng trắng)", code),
					"invalid indicator code: it must not contain spaces"))
				continue
			}
			if prev, dup := seenCode[code]; dup {
				ps.add(s, cnode.n, ifield+".code", bi(fmt.Sprintf("mã chỉ tiêu %q trùng với chỉ tiêu ở dòng %d", code, prev),
					fmt.Sprintf("duplicate indicator code %q, first declared at line %d", code, prev)))
				continue
			}
			seenCode[code] = cnode.n.Line
			ri.code = code
			rc.inds = append(rc.inds, ri)
		}
	}
	return raw
}

// mapping collects a mapping's fields, reporting unknown and duplicate keys and aliases.
func mapping(s *source, n *yaml.Node, field string, known []string, ps *problems) fields {
	f := fields{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		path := join(field, key)
		if k.Kind != yaml.ScalarNode {
			ps.add(s, k, field, bi("khóa phải là chữ", "keys must be plain text"))
			continue
		}
		if !contains(known, key) {
			ps.add(s, k, path, bi(fmt.Sprintf("trường %q không có trong định dạng; các trường hợp lệ: %s", key, strings.Join(known, ", ")),
				fmt.Sprintf("unknown field %q", key)))
			continue
		}
		if prev, dup := f[key]; dup {
			ps.add(s, k, path, bi(fmt.Sprintf("trường %q lặp lại (đã có ở dòng %d)", key, prev.n.Line),
				fmt.Sprintf("field %q given twice", key)))
			continue
		}
		if hasAlias(v, 0) {
			ps.add(s, v, path, bi("không hỗ trợ alias YAML (*tên)", "YAML aliases are not supported"))
			continue
		}
		f[key] = fnode{v, s}
	}
	return f
}

func hasAlias(n *yaml.Node, depth int) bool {
	if n == nil || depth > 100 {
		return n != nil
	}
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c, depth+1) {
			return true
		}
	}
	return false
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func scalarText(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		return ""
	}
	return n.Value
}

// merge lays child's declarations over parent's: fields given by the child replace the
// parent's; criteria are matched by number and indicators by code. When the child gives an
// indicator's threshold or by, the parent's threshold, overrides and verified flag are all
// dropped for that indicator, so that "threshold: 100" in a provincial set means 100
// everywhere rather than 100 except where the national set had a regional value.
func merge(parent, child *rawSet, ps *problems) *rawSet {
	out := &rawSet{root: child.root, f: parent.f.clone()}
	for _, k := range []string{"id", "title", "basis", "extends", "notes", "partial"} {
		delete(out.f, k)
	}
	for k, v := range child.f {
		out.f[k] = v
	}
	// region_from_tags merges tag by tag, the child's entries winning.
	pt, pok := parent.f["region_from_tags"]
	ct, cok := child.f["region_from_tags"]
	if pok && cok && pt.n.Kind == yaml.MappingNode && ct.n.Kind == yaml.MappingNode {
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: ct.n.Line, Column: ct.n.Column}
		for i := 0; i+1 < len(pt.n.Content); i += 2 {
			if !mapHasKey(ct.n, pt.n.Content[i].Value) {
				m.Content = append(m.Content, pt.n.Content[i], pt.n.Content[i+1])
			}
		}
		m.Content = append(m.Content, ct.n.Content...)
		out.f["region_from_tags"] = fnode{m, ct.src}
	}
	byCode := map[string]int{}
	for _, pc := range parent.crits {
		c := &rawCrit{num: pc.num, node: pc.node, f: pc.f.clone()}
		for _, pi := range pc.inds {
			c.inds = append(c.inds, &rawInd{code: pi.code, node: pi.node, f: pi.f.clone()})
			byCode[pi.code] = pc.num
		}
		out.crits = append(out.crits, c)
	}
	for _, cc := range child.crits {
		var target *rawCrit
		for _, oc := range out.crits {
			if oc.num == cc.num && cc.num > 0 {
				target = oc
			}
		}
		if target == nil {
			target = &rawCrit{num: cc.num, node: cc.node, f: fields{}}
			out.crits = append(out.crits, target)
		}
		target.node = cc.node
		for k, v := range cc.f {
			target.f[k] = v
		}
		for _, ci := range cc.inds {
			if n, ok := byCode[ci.code]; ok && n != cc.num {
				ps.add(ci.node.src, ci.f["code"].n, fmt.Sprintf("criteria[%d].indicators[%s].code", cc.num, ci.code),
					bi(fmt.Sprintf("chỉ tiêu %s thuộc tiêu chí %d của bộ gốc", ci.code, n),
						fmt.Sprintf("indicator %s belongs to criterion %d of the extended set", ci.code, n)))
				continue
			}
			var ti *rawInd
			for _, oi := range target.inds {
				if oi.code == ci.code {
					ti = oi
				}
			}
			if ti == nil {
				ti = &rawInd{code: ci.code, f: fields{}}
				target.inds = append(target.inds, ti)
			} else if _, t := ci.f["threshold"]; t || has(ci.f, "by") {
				delete(ti.f, "threshold")
				delete(ti.f, "by")
				delete(ti.f, "verified")
			}
			ti.node = ci.node
			for k, v := range ci.f {
				ti.f[k] = v
			}
		}
	}
	sort.SliceStable(out.crits, func(i, j int) bool { return out.crits[i].num < out.crits[j].num })
	return out
}

func has(f fields, k string) bool { _, ok := f[k]; return ok }

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func mapHasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
var tagRE = regexp.MustCompile(`^[\p{L}0-9][\p{L}0-9._-]*$`)

// interpret turns merged declarations into a Set, checking every field.
func interpret(raw *rawSet, ps *problems) *Set {
	s := &Set{raw: raw}
	rootSrc, rootN := raw.root.src, raw.root.n
	var ok bool
	if s.ID, ok = reqString(ps, raw, "id"); ok && !idRE.MatchString(s.ID) {
		f := raw.f["id"]
		ps.add(f.src, f.n, "id", bi(fmt.Sprintf("id %q chỉ gồm chữ thường không dấu, chữ số, '-', '.', '_'", s.ID),
			"an id uses lower-case ASCII letters, digits, '-', '.' and '_'"))
	}
	s.Title, _ = reqString(ps, raw, "title")
	s.Extends, _ = optString(ps, raw.f, "extends", "extends")
	s.Notes, _ = optString(ps, raw.f, "notes", "notes")
	s.Partial = optBool(ps, raw.f, "partial", "partial")
	if b, ok := raw.f["basis"]; ok {
		s.Basis = readBasis(ps, b)
	} else {
		ps.add(rootSrc, rootN, "basis", bi("thiếu căn cứ pháp lý (basis: {decision, issued, effective})", "missing basis"))
	}
	if lv, ok := reqString(ps, raw, "level"); ok && !units.ValidLevel(units.Level(lv)) {
		f := raw.f["level"]
		ps.add(f.src, f.n, "level", bi(fmt.Sprintf("cấp %q không hợp lệ; dùng province, district, commune hoặc village", lv),
			"level must be province, district, commune or village"))
	} else {
		s.Level = lv
	}
	if t, ok := reqString(ps, raw, "tier"); ok {
		switch t {
		case TierNTM, TierNangCao, TierKieuMau, TierHienDai:
			s.Tier = t
		default:
			f := raw.f["tier"]
			ps.add(f.src, f.n, "tier", bi(fmt.Sprintf("mức %q không hợp lệ; dùng ntm, nang-cao, kieu-mau hoặc hien-dai", t),
				"tier must be ntm, nang-cao, kieu-mau or hien-dai"))
		}
	}
	s.VariesBy = VariesNone
	if v, ok := optString(ps, raw.f, "varies_by", "varies_by"); ok && v != "" {
		switch v {
		case VariesRegion, VariesGroup, VariesNone:
			s.VariesBy = v
		default:
			f := raw.f["varies_by"]
			ps.add(f.src, f.n, "varies_by", bi(fmt.Sprintf("%q không hợp lệ; dùng region, group hoặc none", v),
				"varies_by must be region, group or none"))
		}
	}
	s.Requires = []string{}
	if r, ok := raw.f["requires"]; ok && !isNull(r.n) {
		if r.n.Kind != yaml.SequenceNode {
			ps.add(r.src, r.n, "requires", bi("phải là danh sách id, ví dụ [xa-ntm-2021]", "must be a list of set ids"))
		} else {
			for _, it := range r.n.Content {
				id := scalarText(it)
				if it.Kind != yaml.ScalarNode || !idRE.MatchString(id) {
					ps.add(r.src, it, "requires", bi(fmt.Sprintf("id %q không hợp lệ", id), "invalid set id"))
					continue
				}
				s.Requires = append(s.Requires, id)
			}
		}
	}
	if rt, ok := raw.f["region_from_tags"]; ok && !isNull(rt.n) {
		if rt.n.Kind != yaml.MappingNode {
			ps.add(rt.src, rt.n, "region_from_tags", bi("phải là ánh xạ nhãn: vùng", "must map unit tags to region codes"))
			rt.n = &yaml.Node{}
		}
		s.RegionFromTags = map[string]string{}
		for i := 0; i+1 < len(rt.n.Content); i += 2 {
			k, v := rt.n.Content[i], rt.n.Content[i+1]
			if !tagRE.MatchString(k.Value) {
				ps.add(rt.src, k, "region_from_tags", bi(fmt.Sprintf("nhãn %q không hợp lệ", k.Value), "invalid tag"))
				continue
			}
			if _, ok := units.LookupRegion(scalarText(v)); !ok {
				ps.add(rt.src, v, "region_from_tags."+k.Value, bi(fmt.Sprintf("vùng %q không có; dùng một trong %s", scalarText(v), regionCodes()),
					fmt.Sprintf("unknown region %q", scalarText(v))))
				continue
			}
			s.RegionFromTags[k.Value] = v.Value
		}
	}

	if len(raw.crits) == 0 {
		if c, ok := raw.f["criteria"]; ok {
			ps.add(c.src, c.n, "criteria", bi("bộ tiêu chí chưa có tiêu chí nào", "the set has no criteria"))
		} else {
			ps.add(rootSrc, rootN, "criteria", bi("thiếu danh sách tiêu chí", "missing criteria"))
		}
	}
	for _, rc := range raw.crits {
		s.Criteria = append(s.Criteria, interpretCriterion(s, rc, ps))
	}
	return s
}

func regionCodes() string {
	c := make([]string, len(units.Regions))
	for i, r := range units.Regions {
		c[i] = r.Code
	}
	return strings.Join(c, ", ")
}

func interpretCriterion(s *Set, rc *rawCrit, ps *problems) Criterion {
	field := fmt.Sprintf("criteria[%d]", rc.num)
	c := Criterion{Number: rc.num, Indicators: []Indicator{}}
	if n, ok := rc.f["name"]; ok && scalarText(n.n) != "" {
		c.Name, _ = optString(ps, rc.f, "name", field+".name")
	} else {
		ps.add(rc.node.src, rc.node.n, field+".name", bi("thiếu tên tiêu chí", "missing criterion name"))
	}
	c.Sector, _ = optString(ps, rc.f, "sector", field+".sector")
	c.Group, _ = optString(ps, rc.f, "group", field+".group")
	c.Note, _ = optString(ps, rc.f, "note", field+".note")
	c.Partial = optBool(ps, rc.f, "partial", field+".partial")
	c.Evidence = optEvidence(ps, rc.f, field+".evidence")
	for _, ri := range rc.inds {
		c.Indicators = append(c.Indicators, interpretIndicator(s, ri, fmt.Sprintf("%s.indicators[%s]", field, ri.code), ps))
	}
	return c
}

func interpretIndicator(s *Set, ri *rawInd, field string, ps *problems) Indicator {
	in := Indicator{Code: ri.code}
	at := ri.at
	if n, ok := ri.f["name"]; ok && scalarText(n.n) != "" {
		in.Name, _ = optString(ps, ri.f, "name", field+".name")
	} else {
		src, n := at("name")
		ps.add(src, n, field+".name", bi("thiếu tên chỉ tiêu", "missing indicator name"))
	}
	kind, _ := optString(ps, ri.f, "kind", field+".kind")
	in.Kind = Kind(kind)
	if !validKind(in.Kind) {
		src, n := at("kind")
		ps.add(src, n, field+".kind", bi(fmt.Sprintf("loại %q không hợp lệ; dùng bool, number, percent hoặc level", kind),
			"kind must be bool, number, percent or level"))
	}
	in.Unit, _ = optString(ps, ri.f, "unit", field+".unit")
	interpretOp(ri, field, &in, ps)
	in.Formula, _ = optString(ps, ri.f, "formula", field+".formula")
	in.Dynamic = optBool(ps, ri.f, "dynamic", field+".dynamic")
	in.Verified = optBool(ps, ri.f, "verified", field+".verified")
	in.Source, _ = optString(ps, ri.f, "source", field+".source")
	in.Note, _ = optString(ps, ri.f, "note", field+".note")
	in.Evidence = optEvidence(ps, ri.f, field+".evidence")

	interpretLevels(ri, field, &in, ps)

	if t, ok := ri.f["threshold"]; ok && !isNull(t.n) && validKind(in.Kind) {
		if v, ok := readThreshold(ps, t, field+".threshold", &in); ok {
			in.Threshold = &v
		}
	}
	if b, ok := ri.f["by"]; ok && !isNull(b.n) && validKind(in.Kind) {
		interpretBy(s, b, field, &in, ps)
	}
	if a, ok := ri.f["aggregate"]; ok && !isNull(a.n) {
		in.Aggregate = interpretAggregate(a, field, ps)
	}
	if in.Formula != "" {
		if in.Aggregate != nil {
			src, n := at("formula")
			ps.add(src, n, field+".formula", bi("chỉ tiêu không thể vừa có công thức vừa tổng hợp từ cấp dưới", "formula and aggregate are exclusive"))
		}
		if _, err := compileFormula(in.Formula); err != nil {
			src, n := at("formula")
			ps.add(src, n, field+".formula", err.Error())
		}
	}
	return in
}

// at is where field k of the indicator is written, or the indicator itself when it is not.
func (ri *rawInd) at(k string) (*source, *yaml.Node) {
	if f, ok := ri.f[k]; ok {
		return f.src, f.n
	}
	return ri.node.src, ri.node.n
}

// interpretOp reads the comparator: == by default for a bool indicator, else required.
func interpretOp(ri *rawInd, field string, in *Indicator, ps *problems) {
	at := ri.at
	op, _ := optString(ps, ri.f, "op", field+".op")
	in.Op = Op(op)
	switch {
	case op == "" && in.Kind == KindBool:
		in.Op = OpEqual
	case op == "":
		src, n := at("op")
		ps.add(src, n, field+".op", bi("thiếu phép so sánh (op: >=, <= hoặc ==)", "missing comparator"))
	case !validOp(in.Op):
		src, n := at("op")
		ps.add(src, n, field+".op", bi(fmt.Sprintf("phép so sánh %q không hợp lệ; dùng >=, <= hoặc ==", op),
			fmt.Sprintf("unknown comparator %q; use >=, <= or ==", op)))
	case in.Kind == KindBool && in.Op != OpEqual:
		src, n := at("op")
		ps.add(src, n, field+".op", bi("chỉ tiêu đạt/không đạt chỉ dùng ==", "a bool indicator uses =="))
	}
}

// interpretLevels reads the grades of a level indicator, lowest first.
func interpretLevels(ri *rawInd, field string, in *Indicator, ps *problems) {
	if lv, ok := ri.f["levels"]; ok && !isNull(lv.n) {
		if lv.n.Kind != yaml.SequenceNode {
			ps.add(lv.src, lv.n, field+".levels", bi("phải là danh sách các mức từ thấp đến cao", "must be a list of grades, lowest first"))
		} else {
			for _, it := range lv.n.Content {
				t := strings.TrimSpace(scalarText(it))
				if t == "" || contains(in.Levels, t) {
					ps.add(lv.src, it, field+".levels", bi(fmt.Sprintf("mức %q trống hoặc lặp lại", t), "empty or repeated grade"))
					continue
				}
				in.Levels = append(in.Levels, t)
			}
		}
		if in.Kind != KindLevel && validKind(in.Kind) {
			ps.add(lv.src, lv.n, field+".levels", bi("chỉ dùng levels cho loại level", "levels are only for kind level"))
		}
	} else if in.Kind == KindLevel {
		src, n := ri.at("levels")
		ps.add(src, n, field+".levels", bi("chỉ tiêu loại level cần danh sách các mức (levels)", "kind level needs levels"))
	}
}

// interpretBy reads the overrides of an indicator's threshold by region, commune group or
// unit tag; a key must be one the set varies by (or a tag).
func interpretBy(s *Set, b fnode, field string, in *Indicator, ps *problems) {
	if b.n.Kind != yaml.MappingNode {
		ps.add(b.src, b.n, field+".by", bi("phải là ánh xạ vùng/nhóm/nhãn: ngưỡng, ví dụ {TDMNPB: 90}", "must map regions, groups or tags to thresholds"))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(b.n.Content); i += 2 {
		k, v := b.n.Content[i], b.n.Content[i+1]
		key := k.Value
		kf := field + ".by." + key
		if seen[key] {
			ps.add(b.src, k, kf, bi(fmt.Sprintf("%q lặp lại", key), "given twice"))
			continue
		}
		seen[key] = true
		if !overrideKeyOK(s, b.src, k, kf, ps) {
			continue
		}
		ov := Override{Key: key}
		if !isNull(v) {
			val, ok := readThreshold(ps, fnode{v, b.src}, kf, in)
			if !ok {
				continue
			}
			ov.Value = val
		}
		in.By = append(in.By, ov)
	}
}

// overrideKeyOK checks the key k of an override: a known region or commune group that the
// set varies by, or a unit tag.
func overrideKeyOK(s *Set, src *source, k *yaml.Node, kf string, ps *problems) bool {
	key := k.Value
	switch ClassifyKey(key) {
	case KeyRegion:
		if _, ok := units.LookupRegion(key); !ok {
			ps.add(src, k, kf, bi(fmt.Sprintf("vùng %q không có; dùng một trong %s", key, regionCodes()),
				fmt.Sprintf("unknown region %q", key)))
			return false
		}
		if s.VariesBy != VariesRegion {
			ps.add(src, k, kf, bi(fmt.Sprintf("ngưỡng theo vùng trong khi bộ tiêu chí có varies_by: %s", s.VariesBy),
				"a region override in a set that does not vary by region"))
			return false
		}
	case KeyGroup:
		if groupIndex(key) < 0 {
			ps.add(src, k, kf, bi(fmt.Sprintf("nhóm xã %q không có; dùng nhom-1, nhom-2 hoặc nhom-3", key),
				fmt.Sprintf("unknown commune group %q", key)))
			return false
		}
		if s.VariesBy != VariesGroup {
			ps.add(src, k, kf, bi(fmt.Sprintf("ngưỡng theo nhóm xã trong khi bộ tiêu chí có varies_by: %s", s.VariesBy),
				"a group override in a set that does not vary by group"))
			return false
		}
	default:
		if !tagRE.MatchString(key) {
			ps.add(src, k, kf, bi(fmt.Sprintf("%q không phải là mã vùng, nhóm xã hay nhãn đơn vị", key),
				"not a region code, commune group or unit tag"))
			return false
		}
	}
	return true
}

// interpretAggregate reads an indicator computed from the children's assessments; nil when
// it is not a mapping.
func interpretAggregate(a fnode, field string, ps *problems) *Aggregate {
	if a.n.Kind != yaml.MappingNode {
		ps.add(a.src, a.n, field+".aggregate", bi("phải là {set: ID, measure: share_recognized|share_met|count_met}", "must be {set, measure}"))
		return nil
	}
	af := mapping(a.src, a.n, field+".aggregate", aggKeys, ps)
	ag := &Aggregate{}
	ag.Set, _ = optString(ps, af, "set", field+".aggregate.set")
	ag.Measure, _ = optString(ps, af, "measure", field+".aggregate.measure")
	if !idRE.MatchString(ag.Set) {
		ps.add(a.src, a.n, field+".aggregate.set", bi("thiếu id bộ tiêu chí của đơn vị cấp dưới", "missing the children's set id"))
	}
	switch ag.Measure {
	case ShareRecognized, ShareMet, CountMet:
	default:
		n := a.n
		if m, ok := af["measure"]; ok {
			n = m.n
		}
		ps.add(a.src, n, field+".aggregate.measure", bi(fmt.Sprintf("cách tổng hợp %q không hợp lệ; dùng share_recognized, share_met hoặc count_met", ag.Measure),
			"measure must be share_recognized, share_met or count_met"))
	}
	return ag
}

// readThreshold reads a threshold for the indicator's kind.
func readThreshold(ps *problems, f fnode, field string, in *Indicator) (Value, bool) {
	n := f.n
	if n.Kind != yaml.ScalarNode {
		ps.add(f.src, n, field, bi("ngưỡng phải là một giá trị", "a threshold must be a single value"))
		return Value{}, false
	}
	text := n.Value
	if in.Kind == KindBool && n.Tag == "!!bool" {
		b, _ := strconv.ParseBool(strings.ToLower(text))
		if lb, ok := ParseBool(text); ok {
			b = lb
		}
		return Bool(b), true
	}
	if (in.Kind == KindNumber || in.Kind == KindPercent) && n.Tag == "!!bool" {
		ps.add(f.src, n, field, bi(fmt.Sprintf("ngưỡng %q không phải là số", text), fmt.Sprintf("threshold %q is not a number", text)))
		return Value{}, false
	}
	v, err := ParseValue(in.Kind, text)
	if err != nil {
		w := ValueWords(err)
		ps.add(f.src, n, field, bi("ngưỡng: "+w.VI, "threshold: "+w.EN))
		return Value{}, false
	}
	if v.Kind == ValueNotApplicable {
		ps.add(f.src, n, field, bi("ngưỡng không thể là 'không áp dụng'", "a threshold cannot be 'not applicable'"))
		return Value{}, false
	}
	if in.Kind == KindLevel && len(in.Levels) > 0 && !contains(in.Levels, v.Level) {
		ps.add(f.src, n, field, bi(fmt.Sprintf("mức %q không có trong levels (%s)", v.Level, strings.Join(in.Levels, ", ")),
			fmt.Sprintf("grade %q is not one of the levels", v.Level)))
		return Value{}, false
	}
	return v, true
}

func readBasis(ps *problems, b fnode) Basis {
	var out Basis
	if b.n.Kind != yaml.MappingNode {
		ps.add(b.src, b.n, "basis", bi("phải là {decision, issued, effective, superseded}", "must be a mapping"))
		return out
	}
	f := mapping(b.src, b.n, "basis", basisKeys, ps)
	if d, _ := optString(ps, f, "decision", "basis.decision"); d != "" {
		out.Decision = d
	} else {
		ps.add(b.src, b.n, "basis.decision", bi("thiếu số quyết định", "missing decision number"))
	}
	date := func(k string) units.Date {
		x, ok := f[k]
		if !ok || isNull(x.n) {
			return ""
		}
		d, err := units.ReadDate(scalarText(x.n))
		if err != nil {
			ps.add(b.src, x.n, "basis."+k, bi(fmt.Sprintf("%q không phải là ngày dạng YYYY-MM-DD", scalarText(x.n)), err.Error()))
			return ""
		}
		return d
	}
	out.Issued = date("issued")
	out.Effective = date("effective")
	out.Superseded = date("superseded")
	// A set's legal basis always has its date issued: a null one (issued: ~) was once
	// accepted, and then the set's own export, which leaves it out, failed to load.
	if x, given := f["issued"]; !given {
		ps.add(b.src, b.n, "basis.issued", bi("thiếu ngày ban hành", "missing date issued"))
	} else if isNull(x.n) {
		ps.add(b.src, x.n, "basis.issued", bi("ngày ban hành để trống; hãy ghi ngày ban hành của quyết định (YYYY-MM-DD)", "date issued is empty"))
	}
	if out.Effective == "" {
		out.Effective = out.Issued
	}
	if out.Issued != "" && out.Effective < out.Issued {
		ps.add(b.src, f["effective"].n, "basis.effective", bi("ngày hiệu lực trước ngày ban hành", "effective before issued"))
	}
	if out.Superseded != "" && out.Superseded <= out.Effective {
		ps.add(b.src, f["superseded"].n, "basis.superseded", bi("ngày hết hiệu lực phải sau ngày hiệu lực", "superseded must come after effective"))
	}
	return out
}

func reqString(ps *problems, raw *rawSet, key string) (string, bool) {
	v, ok := optString(ps, raw.f, key, key)
	if !ok || v == "" {
		if _, given := raw.f[key]; !given {
			ps.add(raw.root.src, raw.root.n, key, bi("thiếu trường bắt buộc", "missing required field"))
		} else if ok {
			f := raw.f[key]
			ps.add(f.src, f.n, key, bi("không được để trống", "must not be empty"))
		}
		return "", false
	}
	return v, true
}

func optString(ps *problems, f fields, key, field string) (string, bool) {
	x, ok := f[key]
	if !ok || isNull(x.n) {
		return "", ok
	}
	if x.n.Kind != yaml.ScalarNode {
		ps.add(x.src, x.n, field, bi("phải là một chuỗi", "must be text"))
		return "", false
	}
	return strings.TrimSpace(x.n.Value), true
}

func optBool(ps *problems, f fields, key, field string) bool {
	x, ok := f[key]
	if !ok || isNull(x.n) {
		return false
	}
	if x.n.Kind == yaml.ScalarNode {
		if x.n.Tag == "!!bool" {
			b, err := strconv.ParseBool(strings.ToLower(x.n.Value))
			if err == nil {
				return b
			}
		}
		if b, ok := ParseBool(x.n.Value); ok && x.n.Tag != "!!int" {
			return b
		}
	}
	ps.add(x.src, x.n, field, bi(fmt.Sprintf("%q phải là true hoặc false", x.n.Value), "must be true or false"))
	return false
}
