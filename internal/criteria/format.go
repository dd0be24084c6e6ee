package criteria

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Format writes a set in the YAML format of SPEC §6, self-contained: a set that extended
// another is written with its inherited criteria and without `extends`. Parse(Format(s))
// gives back an equal set.
func Format(s *Set) ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	root.HeadComment = "Bộ tiêu chí " + s.ID + " — " + s.Basis.Decision + "\nghi bởi ntm (written by ntm)"
	add := func(m *yaml.Node, k string, v *yaml.Node) {
		m.Content = append(m.Content, str(k), v)
	}
	add(root, "id", str(s.ID))
	add(root, "title", str(s.Title))
	basis := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
	add(basis, "decision", str(s.Basis.Decision))
	if s.Basis.Issued != "" {
		add(basis, "issued", plain(string(s.Basis.Issued)))
	}
	if s.Basis.Effective != "" {
		add(basis, "effective", plain(string(s.Basis.Effective)))
	}
	if s.Basis.Superseded != "" {
		add(basis, "superseded", plain(string(s.Basis.Superseded)))
	}
	add(root, "basis", basis)
	add(root, "level", str(s.Level))
	add(root, "tier", str(s.Tier))
	vb := s.VariesBy
	if vb == "" {
		vb = VariesNone
	}
	add(root, "varies_by", str(vb))
	req := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	for _, r := range s.Requires {
		req.Content = append(req.Content, str(r))
	}
	add(root, "requires", req)
	if len(s.RegionFromTags) > 0 {
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
		keys := make([]string, 0, len(s.RegionFromTags))
		for k := range s.RegionFromTags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(m, k, str(s.RegionFromTags[k]))
		}
		add(root, "region_from_tags", m)
	}
	if s.Partial {
		add(root, "partial", boolean(true))
	}
	if s.Notes != "" {
		add(root, "notes", text(s.Notes))
	}
	crits := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, c := range s.Criteria {
		cm := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		add(cm, "number", plain(strconv.Itoa(c.Number)))
		add(cm, "name", str(c.Name))
		if c.Sector != "" {
			add(cm, "sector", str(c.Sector))
		}
		if c.Group != "" {
			add(cm, "group", str(c.Group))
		}
		if c.Partial {
			add(cm, "partial", boolean(true))
		}
		if c.Note != "" {
			add(cm, "note", text(c.Note))
		}
		inds := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if len(c.Indicators) == 0 {
			inds.Style = yaml.FlowStyle
		}
		for i := range c.Indicators {
			inds.Content = append(inds.Content, indicatorNodeOut(&c.Indicators[i]))
		}
		add(cm, "indicators", inds)
		crits.Content = append(crits.Content, cm)
	}
	add(root, "criteria", crits)

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func indicatorNodeOut(in *Indicator) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(k string, v *yaml.Node) { m.Content = append(m.Content, str(k), v) }
	add("code", quoted(in.Code))
	add("name", str(in.Name))
	add("kind", str(string(in.Kind)))
	if in.Unit != "" {
		add("unit", quoted(in.Unit))
	}
	op := in.Op
	if op == "" {
		op = OpEqual
	}
	add("op", quoted(string(op)))
	if in.Threshold != nil && in.Threshold.Kind != ValueNone {
		add("threshold", valueNode(*in.Threshold))
	}
	if len(in.By) > 0 {
		by := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
		for _, o := range in.By {
			by.Content = append(by.Content, str(o.Key), valueNode(o.Value))
		}
		add("by", by)
	}
	if len(in.Levels) > 0 {
		l := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, x := range in.Levels {
			l.Content = append(l.Content, quoted(x))
		}
		add("levels", l)
	}
	if in.Formula != "" {
		add("formula", str(in.Formula))
	}
	if in.Aggregate != nil {
		a := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
		a.Content = append(a.Content, str("set"), str(in.Aggregate.Set), str("measure"), str(in.Aggregate.Measure))
		add("aggregate", a)
	}
	if in.Dynamic {
		add("dynamic", boolean(true))
	}
	add("verified", boolean(in.Verified))
	if in.Source != "" {
		add("source", str(in.Source))
	}
	if in.Note != "" {
		add("note", text(in.Note))
	}
	return m
}

func valueNode(v Value) *yaml.Node {
	switch v.Kind {
	case ValueNumber:
		s := strconv.FormatFloat(v.Num, 'f', -1, 64)
		tag := "!!int"
		if strings.ContainsAny(s, ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}
	case ValueBool:
		return boolean(v.Bool)
	case ValueLevel:
		return quoted(v.Level)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func quoted(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
}

func plain(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

func text(s string) *yaml.Node {
	n := str(s)
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}
