package criteria

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ntm-vn/ntm/internal/fault"
)

// Catalog holds the criteria sets known to the program, with every `extends` merged and every
// `requires` and aggregate reference checked. It is read-only and safe for concurrent use.
type Catalog struct {
	sets map[string]*Set
	ids  []string
}

// NewCatalog resolves sets into a catalog. A later set replaces an earlier one with the same
// id, so NewCatalog(shipped..., imported...) lets a province's imported version of a set
// replace the shipped one. Every problem is reported in one ValidationFault.
func NewCatalog(sets ...*Set) (*Catalog, error) {
	byID := map[string]*Set{}
	var order []string
	for _, s := range sets {
		if s == nil {
			continue
		}
		if _, ok := byID[s.ID]; !ok {
			order = append(order, s.ID)
		}
		byID[s.ID] = s
	}
	ps := &problems{}
	c := &Catalog{sets: map[string]*Set{}}
	state := map[string]int{} // 1 resolving, 2 done
	var resolve func(id string) *Set
	resolve = func(id string) *Set {
		s := byID[id]
		if state[id] == 2 {
			return c.sets[id]
		}
		if state[id] == 1 {
			src, n := setNode(s, "extends")
			ps.add(src, n, "extends", bi(fmt.Sprintf("vòng lặp extends qua %s", id), "extends forms a cycle"))
			return nil
		}
		state[id] = 1
		defer func() { state[id] = 2 }()
		if s.Extends == "" {
			if s.ev == nil {
				ev, err := Compile(s)
				if err != nil {
					ps.list = append(ps.list, Problem{File: s.File, Message: err.Error()})
					return nil
				}
				s.ev = ev
			}
			c.sets[id] = s
			return s
		}
		if _, ok := byID[s.Extends]; !ok {
			src, n := setNode(s, "extends")
			ps.add(src, n, "extends", bi(fmt.Sprintf("không có bộ tiêu chí %q để kế thừa", s.Extends),
				fmt.Sprintf("unknown set %q", s.Extends)))
			return nil
		}
		parent := resolve(s.Extends)
		if parent == nil {
			return nil
		}
		praw, err := rawOf(parent)
		if err != nil {
			ps.list = append(ps.list, Problem{File: s.File, Message: err.Error()})
			return nil
		}
		own := s.raw
		if own == nil {
			if own, err = rawOf(s); err != nil {
				ps.list = append(ps.list, Problem{File: s.File, Message: err.Error()})
				return nil
			}
		}
		before := len(ps.list)
		merged := merge(praw, own, ps)
		out := interpret(merged, ps)
		if len(ps.list) > before {
			return nil
		}
		out.File = s.File
		ev, err := Compile(out)
		if err != nil {
			ps.list = append(ps.list, Problem{File: s.File, Message: err.Error()})
			return nil
		}
		out.ev = ev
		c.sets[id] = out
		return out
	}
	for _, id := range order {
		resolve(id)
	}
	checkReferences(c.sets, byID, order, ps)
	// A set may not require itself, directly or not.
	for _, id := range order {
		if cyc := requiresCycle(c.sets, id, map[string]bool{}); cyc != "" {
			src, n := setNode(c.sets[id], "requires")
			ps.add(src, n, "requires", bi("vòng lặp requires: "+cyc, "requires forms a cycle: "+cyc))
			break
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	for id := range c.sets {
		c.ids = append(c.ids, id)
	}
	sort.Strings(c.ids)
	return c, nil
}

// checkReferences reports every set named by requires or an aggregate that is not in byID.
func checkReferences(resolved, byID map[string]*Set, order []string, ps *problems) {
	for _, id := range order {
		s := resolved[id]
		if s == nil {
			continue
		}
		for i, r := range s.Requires {
			if _, ok := byID[r]; !ok {
				src, n := setNode(s, "requires")
				if n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
					n = n.Content[i]
				}
				ps.add(src, n, "requires", bi(fmt.Sprintf("không có bộ tiêu chí %q", r), fmt.Sprintf("unknown set %q", r)))
			}
		}
		for _, cr := range s.Criteria {
			for _, in := range cr.Indicators {
				if in.Aggregate != nil {
					if _, ok := byID[in.Aggregate.Set]; !ok {
						src, n := indicatorNode(s, in.Code, "aggregate")
						ps.add(src, n, fmt.Sprintf("criteria[%d].indicators[%s].aggregate.set", cr.Number, in.Code),
							bi(fmt.Sprintf("không có bộ tiêu chí %q", in.Aggregate.Set), fmt.Sprintf("unknown set %q", in.Aggregate.Set)))
					}
				}
			}
		}
	}
}

func requiresCycle(sets map[string]*Set, id string, path map[string]bool) string {
	s := sets[id]
	if s == nil {
		return ""
	}
	if path[id] {
		return id
	}
	path[id] = true
	defer delete(path, id)
	for _, r := range s.Requires {
		if c := requiresCycle(sets, r, path); c != "" {
			return id + " → " + c
		}
	}
	return ""
}

// setNode finds a set-level field's node for messages.
func setNode(s *Set, key string) (*source, *yaml.Node) {
	if s == nil || s.raw == nil {
		return &source{file: fileOf(s)}, nil
	}
	if f, ok := s.raw.f[key]; ok {
		return f.src, f.n
	}
	return s.raw.root.src, s.raw.root.n
}

func indicatorNode(s *Set, code, key string) (*source, *yaml.Node) {
	if s.raw == nil {
		return &source{file: s.File}, nil
	}
	for _, c := range s.raw.crits {
		for _, i := range c.inds {
			if i.code == code {
				if f, ok := i.f[key]; ok {
					return f.src, f.n
				}
				return i.node.src, i.node.n
			}
		}
	}
	return s.raw.root.src, s.raw.root.n
}

func fileOf(s *Set) string {
	if s == nil {
		return ""
	}
	return s.File
}

// rawOf returns a set's declarations, writing and re-reading sets built in code.
func rawOf(s *Set) (*rawSet, error) {
	if s.raw != nil {
		return s.raw, nil
	}
	src, err := Format(s)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	ps := &problems{}
	raw := readRaw(&source{file: s.File}, doc.Content[0], ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return raw, nil
}

// Get returns the set with the given id.
func (c *Catalog) Get(id string) (*Set, bool) {
	s, ok := c.sets[id]
	return s, ok
}

// Sets returns every set, ordered by id.
func (c *Catalog) Sets() []*Set {
	out := make([]*Set, len(c.ids))
	for i, id := range c.ids {
		out[i] = c.sets[id]
	}
	return out
}

// IDs returns every set id, sorted.
func (c *Catalog) IDs() []string { return append([]string(nil), c.ids...) }

// Evaluate judges a unit's values against the set id. Required sets whose result is not in
// opt.Required are evaluated on the same values and unit, so a caller that knows the unit's
// recognitions passes them and one that knows nothing gets an answer from the values alone.
func (c *Catalog) Evaluate(id string, u Unit, vals Values, opt Options) (*Result, error) {
	return c.evaluate(id, u, vals, opt, 0)
}

func (c *Catalog) evaluate(id string, u Unit, vals Values, opt Options, depth int) (*Result, error) {
	s, ok := c.sets[id]
	if !ok {
		return nil, NoSet(id)
	}
	if depth > len(c.sets) {
		return nil, fmt.Errorf("criteria %s: requires too deep", id)
	}
	if len(s.Requires) > 0 {
		req := make(map[string]bool, len(s.Requires)+len(opt.Required))
		for k, v := range opt.Required {
			req[k] = v
		}
		for _, r := range s.Requires {
			if _, known := req[r]; known {
				continue
			}
			rr, err := c.evaluate(r, u, vals, Options{Required: opt.Required, Children: opt.Children}, depth+1)
			if err != nil {
				return nil, err
			}
			req[r] = rr.Met
		}
		opt.Required = req
	}
	return s.ev.Evaluate(u, vals, opt), nil
}

// NoSet is the fault of a set id that no catalog holds; Current is the id.
func NoSet(id string) *fault.Error {
	return fault.Newf(fault.NotFound, "không có bộ tiêu chí %q (criteria set %q not found)", id, id).With(id)
}

// IsNoSet reports whether err is the fault of set id not found (see NoSet).
func IsNoSet(err error, id string) bool {
	f, ok := fault.As(err)
	return ok && f.Code == fault.NotFound && f.Current == id
}

// Describe is a one-line summary of a set, for listings and logs.
func (s *Set) Describe() string {
	st := s.Stats()
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s (%s, %d tiêu chí, %d chỉ tiêu", s.ID, s.Title, s.Basis.Decision, st.Criteria, st.Indicators)
	if st.Unverified > 0 {
		fmt.Fprintf(&b, ", %d ngưỡng %s", st.Unverified, UnverifiedVI)
	}
	b.WriteString(")")
	return b.String()
}
