package imports

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
)

// Checker reads codes and values against the criteria sets of a catalog, as
// catalog.CheckValue does for one value, with what each set's codes are worked out once:
// an import checks a million values. It is not safe for concurrent use.
type Checker struct {
	cat  *criteria.Catalog
	sets map[string]*setCodes
}

// setCodes is what each code of one set stands for.
type setCodes struct {
	set   *criteria.Set
	codes map[string]codeKind
	keys  []string // the keys values are stored under, by slot (in key order)
}

type codeKind struct {
	key     string // the key values are stored under (TC17 for tc17)
	slot    int    // the key's number within the set, from 0
	kind    criteria.Kind
	element bool // a data element of a formula: a number, or a yes/no
}

// NewChecker returns a checker over the sets of cat.
func NewChecker(cat *criteria.Catalog) *Checker {
	return &Checker{cat: cat, sets: map[string]*setCodes{}}
}

func (c *Checker) codes(setID string) *setCodes {
	if sc, ok := c.sets[setID]; ok {
		return sc
	}
	set, ok := c.cat.Get(setID)
	if !ok {
		c.sets[setID] = nil
		return nil
	}
	sc := &setCodes{set: set, codes: map[string]codeKind{}}
	for _, e := range set.Elements() {
		sc.codes[e] = codeKind{key: e, kind: criteria.KindNumber, element: true}
	}
	for _, cr := range set.Criteria {
		k := criteria.DirectKey(cr.Number)
		sc.codes[k] = codeKind{key: k, kind: criteria.KindBool}
	}
	for _, cr := range set.Criteria {
		for _, in := range cr.Indicators {
			sc.codes[in.Code] = codeKind{key: in.Code, kind: in.Kind}
		}
	}
	// Number the keys, in a fixed order: an import keeps one place per key and assessment.
	keys := make([]string, 0, len(sc.codes))
	for k := range sc.codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		ck := sc.codes[k]
		ck.slot = i
		sc.codes[k] = ck
	}
	sc.keys = keys
	c.sets[setID] = sc
	return sc
}

// Slots is how many keys the set stores values under (0 for a set the catalog lacks): the
// slot Check gives is below it.
func (c *Checker) Slots(setID string) int { return len(c.Keys(setID)) }

// Keys are the keys the set stores values under, by slot, in key order (nil for a set the
// catalog lacks); they are the checker's: not to be changed.
func (c *Checker) Keys(setID string) []string {
	if sc := c.codes(setID); sc != nil {
		return sc.keys
	}
	return nil
}

// HasSet reports whether the catalog has the set.
func (c *Checker) HasSet(setID string) bool { return c.codes(setID) != nil }

// Bad is a code or value the checker refuses: which field, the problem kind, and why.
type Bad struct {
	Field  string // FieldSet, FieldCode or FieldValue
	Kind   string // UnknownSet, UnknownCode, NotANumber, OutOfRange, BadValue, Missing
	VI, EN string
}

// Check reads text entered for code in the set and returns the key it is stored under and
// the value normalised for storage ("tc3" → "TC3", "92,5" → "92.5", "đạt" → "true"), or
// why it cannot be.
func (c *Checker) Check(setID, code, text string) (key, value string, bad *Bad) {
	key, value, _, bad = c.CheckSlot(setID, code, text)
	return key, value, bad
}

// CheckSlot is Check, also giving the key's slot in the set (see Slots).
func (c *Checker) CheckSlot(setID, code, text string) (key, value string, slot int, bad *Bad) {
	sc := c.codes(setID)
	if sc == nil {
		return "", "", 0, &Bad{Field: FieldSet, Kind: UnknownSet,
			VI: fmt.Sprintf("không có bộ tiêu chí %q", setID), EN: fmt.Sprintf("no criteria set %q", setID)}
	}
	if code == "" {
		return "", "", 0, &Bad{Field: FieldCode, Kind: Missing, VI: "thiếu mã chỉ tiêu", EN: "missing code"}
	}
	ck, ok := sc.codes[code]
	if !ok && len(code) > 2 && strings.EqualFold(code[:2], "tc") {
		if n, err := strconv.Atoi(code[2:]); err == nil {
			ck, ok = sc.codes[criteria.DirectKey(n)]
		}
	}
	if !ok {
		return "", "", 0, &Bad{Field: FieldCode, Kind: UnknownCode,
			VI: fmt.Sprintf("mã %q không phải là chỉ tiêu, tiêu chí (TC<số>) hay phần tử dữ liệu của bộ %s", code, setID),
			EN: fmt.Sprintf("code %q is not an indicator, criterion (TC<n>) or data element of set %s", code, setID)}
	}
	v, err := criteria.ParseValue(ck.kind, text)
	if err != nil && ck.element {
		if b, ok := criteria.ParseBool(text); ok {
			v, err = criteria.Bool(b), nil
		}
	}
	if err != nil {
		ve := criteria.ValueWords(err)
		kind := BadValue
		switch {
		case strings.TrimSpace(text) == "":
			kind = Missing
		case ck.kind == criteria.KindPercent:
			kind = NotANumber
			if _, err := criteria.ParseValue(criteria.KindNumber, strings.TrimSuffix(strings.TrimSpace(text), "%")); err == nil {
				kind = OutOfRange
			}
		case ck.kind == criteria.KindNumber:
			kind = NotANumber
		}
		return "", "", 0, &Bad{Field: FieldValue, Kind: kind, VI: ve.VI, EN: ve.EN}
	}
	return ck.key, Canonical(v), ck.slot, nil
}

// Canonical is a value as stored, as it is written by an import and by app.CheckValue.
func Canonical(v criteria.Value) string {
	switch v.Kind {
	case criteria.ValueNumber:
		return strconv.FormatFloat(v.Num, 'f', -1, 64)
	case criteria.ValueBool:
		return strconv.FormatBool(v.Bool)
	case criteria.ValueLevel:
		return v.Level
	case criteria.ValueNotApplicable:
		return "n/a"
	}
	return ""
}
