package criteria

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Unverified marks, appended to every sentence that rests on a threshold not yet checked
// against the decision's text.
const (
	UnverifiedVI = "chưa đối chiếu văn bản"
	UnverifiedEN = "not yet checked against the decision's text"
)

// ReasonVI explains the verdict in Vietnamese, e.g.
// "17.1: 92 % < 95 % yêu cầu tại vùng Đồng bằng sông Hồng".
func (v *IndicatorVerdict) ReasonVI() string { return v.Reason("vi") }

// ReasonEN explains the verdict in English, e.g.
// "17.1: 92 % < 95 % required in Đồng bằng sông Hồng".
func (v *IndicatorVerdict) ReasonEN() string { return v.Reason("en") }

// Reason explains the verdict in lang ("vi" or "en").
func (v *IndicatorVerdict) Reason(lang string) string {
	vi := lang == "vi"
	pick := func(a, b string) string {
		if vi {
			return a
		}
		return b
	}
	var b strings.Builder
	b.WriteString(v.Code)
	b.WriteString(": ")
	unit := ""
	op := OpEqual
	kind := KindNumber
	if v.ind != nil {
		unit, op, kind = v.ind.Unit, v.ind.Op, v.ind.Kind
	}
	switch v.Status {
	case StatusMissing:
		switch v.prob {
		case probMissingElems:
			b.WriteString(pick("chưa có số liệu để tính ("+v.Detail+")", "no data to compute it ("+v.Detail+")"))
		case probMissingChildren:
			b.WriteString(pick("chưa có kết quả của các đơn vị cấp dưới theo bộ "+v.Detail,
				"no results of the child units on set "+v.Detail))
		default:
			b.WriteString(pick("chưa có số liệu", "no value entered"))
			if v.Threshold.IsSet() {
				b.WriteString(pick(" (cần ", " (needs "))
				if kind != KindBool {
					b.WriteString(symbol(op, true))
					b.WriteByte(' ')
				}
				b.WriteString(withUnit(v.Threshold, unit, lang))
				b.WriteString(", ")
				b.WriteString(scopeRequired(v.Scope, lang))
				b.WriteString(")")
			}
		}
		return b.String()
	case StatusNotApplicable:
		b.WriteString(pick("không áp dụng", "not applicable"))
		return b.String()
	case StatusError:
		switch v.prob {
		case probDivZero:
			b.WriteString(pick("không tính được công thức: chia cho 0", "cannot compute the formula: division by zero"))
		case probUnknownElem:
			b.WriteString(pick("không tính được công thức: thiếu số liệu của "+v.Detail,
				"cannot compute the formula: it names "+v.Detail+", which has no value"))
		case probFormulaType:
			b.WriteString(pick("công thức cho kết quả không đúng loại chỉ tiêu ("+v.Detail+")",
				"the formula's result does not fit the indicator's kind ("+v.Detail+")"))
		case probValueType:
			b.WriteString(pick(fmt.Sprintf("giá trị %s không đúng loại chỉ tiêu (%s)", v.Value.Text("vi"), kindVI(kind)),
				fmt.Sprintf("value %s does not fit the indicator's kind (%s)", v.Value.Text("en"), kind)))
		case probLevel:
			b.WriteString(pick(fmt.Sprintf("mức %q không có trong danh sách mức của chỉ tiêu", v.Value.Level),
				fmt.Sprintf("grade %q is not one of the indicator's levels", v.Value.Level)))
		case probNoChildren:
			b.WriteString(pick("không có đơn vị cấp dưới nào để tổng hợp", "no child units to aggregate"))
		default:
			b.WriteString(pick("không tính được: "+v.Detail, "cannot be computed: "+v.Detail))
		}
		return b.String()
	case StatusGroupUnassigned:
		b.WriteString(pick("chưa xác định nhóm xã — ngưỡng khác nhau theo nhóm xã; nhập quyết định phân nhóm (ntm units tags import)",
			"commune group not assigned — thresholds differ by commune group; import the decision assigning groups (ntm units tags import)"))
		return b.String()
	case StatusNoThreshold:
		if v.Value.IsSet() {
			b.WriteString(withUnit(v.Value, unit, lang))
			b.WriteString("; ")
		}
		switch {
		case v.Scope.Unknown:
			b.WriteString(pick("có ngưỡng riêng "+scopeWhere(v.Scope, true)+" nhưng bộ tiêu chí chưa có giá trị",
				"the set has a separate threshold "+scopeWhere(v.Scope, false)+" but not its value"))
		case v.Scope.Kind == ScopeRegion && v.Scope.Key == "":
			b.WriteString(pick("chưa biết vùng của đơn vị để chọn ngưỡng", "the unit's region is not known, so no threshold can be chosen"))
		case v.Scope.Kind == ScopeGroup && groupIndex(v.Scope.Key) < 0:
			b.WriteString(pick("chưa biết nhóm xã của đơn vị để chọn ngưỡng", "the unit's commune group is not known, so no threshold can be chosen"))
		case v.Scope.Kind != ScopeNone:
			b.WriteString(pick("bộ tiêu chí chưa có ngưỡng "+scopeWhere(v.Scope, true),
				"the set gives no threshold "+scopeWhere(v.Scope, false)))
		default:
			b.WriteString(pick("bộ tiêu chí chưa có ngưỡng cho chỉ tiêu này", "the set gives no threshold for this indicator"))
		}
		b.WriteString(pick(" — chưa đánh giá được", " — cannot be assessed"))
		return b.String()
	}
	met := v.Status == StatusMet
	if kind == KindBool {
		// "8.1: không, yêu cầu chung: có"
		b.WriteString(v.Value.Text(lang))
		b.WriteString(", ")
		b.WriteString(scopeRequired(v.Scope, lang))
		b.WriteString(": ")
		b.WriteString(v.Threshold.Text(lang))
	} else {
		b.WriteString(withUnit(v.Value, unit, lang))
		b.WriteByte(' ')
		b.WriteString(symbol(op, met))
		b.WriteByte(' ')
		b.WriteString(withUnit(v.Threshold, unit, lang))
		b.WriteByte(' ')
		b.WriteString(scopeRequired(v.Scope, lang))
	}
	if v.Computed {
		b.WriteString(pick(" (tính từ số liệu)", " (computed)"))
	}
	if !v.Verified {
		b.WriteString(pick(" ("+UnverifiedVI+")", " ("+UnverifiedEN+")"))
	}
	return b.String()
}

func kindVI(k Kind) string {
	switch k {
	case KindBool:
		return "đạt/không đạt"
	case KindNumber:
		return "số"
	case KindPercent:
		return "tỷ lệ %"
	case KindLevel:
		return "mức"
	}
	return string(k)
}

func withUnit(v Value, unit, lang string) string {
	s := v.Text(lang)
	if unit != "" && v.Kind == ValueNumber {
		return s + " " + unit
	}
	return s
}

func symbol(op Op, met bool) string {
	switch op {
	case OpAtLeast:
		if met {
			return "≥"
		}
		return "<"
	case OpAtMost:
		if met {
			return "≤"
		}
		return ">"
	}
	if met {
		return "="
	}
	return "≠"
}

func groupLabel(g string) string {
	return strings.Replace(g, "nhom-", "", 1)
}

// scopeRequired names the threshold that applied: "yêu cầu tại vùng Đồng bằng sông Hồng".
func scopeRequired(s Scope, lang string) string {
	vi := lang == "vi"
	switch s.Kind {
	case ScopeRegion:
		if vi {
			r := "yêu cầu tại vùng " + regionName(s.Key)
			if s.Via != "" {
				r += " (áp dụng cho đơn vị có nhãn " + s.Via + ")"
			}
			return r
		}
		r := "required in " + regionName(s.Key)
		if s.Via != "" {
			r += " (applied to units tagged " + s.Via + ")"
		}
		return r
	case ScopeGroup:
		if vi {
			return "yêu cầu cho xã nhóm " + groupLabel(s.Key)
		}
		return "required for commune group " + groupLabel(s.Key)
	case ScopeTag:
		if vi {
			return "yêu cầu cho đơn vị có nhãn " + s.Key
		}
		return "required for units tagged " + s.Key
	}
	if vi {
		return "yêu cầu chung"
	}
	return "required (general threshold)"
}

// scopeWhere is "cho vùng Đồng bằng sông Hồng" / "for Đồng bằng sông Hồng".
func scopeWhere(s Scope, vi bool) string {
	switch s.Kind {
	case ScopeRegion:
		if vi {
			return "cho vùng " + regionName(s.Key)
		}
		return "for " + regionName(s.Key)
	case ScopeGroup:
		if vi {
			return "cho xã nhóm " + groupLabel(s.Key)
		}
		return "for commune group " + groupLabel(s.Key)
	case ScopeTag:
		if vi {
			return "cho đơn vị có nhãn " + s.Key
		}
		return "for units tagged " + s.Key
	}
	if vi {
		return "chung"
	}
	return "in general"
}

func (v IndicatorVerdict) MarshalJSON() ([]byte, error) {
	type out struct {
		Code      string `json:"code"`
		Criterion int    `json:"criterion"`
		Name      string `json:"name"`
		Status    Status `json:"status"`
		Value     Value  `json:"value"`
		Unit      string `json:"unit,omitempty"`
		Computed  bool   `json:"computed,omitempty"`
		Op        Op     `json:"op,omitempty"`
		Threshold Value  `json:"threshold"`
		Scope     Scope  `json:"scope"`
		Verified  bool   `json:"verified"`
		Detail    string `json:"detail,omitempty"`
		ReasonVI  string `json:"reason_vi"`
		ReasonEN  string `json:"reason_en"`
	}
	o := out{Code: v.Code, Criterion: v.Criterion, Status: v.Status, Value: v.Value, Computed: v.Computed,
		Threshold: v.Threshold, Scope: v.Scope, Verified: v.Verified, Detail: v.Detail,
		ReasonVI: v.ReasonVI(), ReasonEN: v.ReasonEN()}
	if v.ind != nil {
		o.Name, o.Unit, o.Op = v.ind.Name, v.ind.Unit, v.ind.Op
	}
	return json.Marshal(o)
}

// ReasonVI explains the criterion's verdict in Vietnamese.
func (c *CriterionVerdict) ReasonVI() string { return c.Reason("vi") }

// ReasonEN explains the criterion's verdict in English.
func (c *CriterionVerdict) ReasonEN() string { return c.Reason("en") }

// Reason explains the criterion's verdict in lang ("vi" or "en").
func (c *CriterionVerdict) Reason(lang string) string {
	vi := lang == "vi"
	var b strings.Builder
	if vi {
		fmt.Fprintf(&b, "Tiêu chí %d: ", c.Number)
	} else {
		fmt.Fprintf(&b, "Criterion %d: ", c.Number)
	}
	b.WriteString(statusText(c.Status, vi))
	if c.Direct {
		if vi {
			b.WriteString(" (kết quả nhập trực tiếp cho tiêu chí)")
		} else {
			b.WriteString(" (result entered for the criterion itself)")
		}
		return b.String()
	}
	codes := func(pred func(Status) bool) string {
		var cs []string
		for i := range c.inds {
			if pred(c.inds[i].Status) {
				cs = append(cs, c.inds[i].Code)
			}
		}
		return strings.Join(cs, ", ")
	}
	key := fmt.Sprintf("TC%d", c.Number)
	switch c.Status {
	case StatusMissing:
		if vi {
			fmt.Fprintf(&b, " (bộ tiêu chí chưa có chỉ tiêu nào của tiêu chí này; nhập kết quả tiêu chí %s)", key)
		} else {
			fmt.Fprintf(&b, " (the set lists no indicators for it; enter the criterion's result as %s)", key)
		}
	case StatusMet, StatusNotMet:
		if vi {
			fmt.Fprintf(&b, " (%d/%d chỉ tiêu đạt", c.IndicatorsMet, c.IndicatorsTotal)
		} else {
			fmt.Fprintf(&b, " (%d/%d indicators met", c.IndicatorsMet, c.IndicatorsTotal)
		}
		if c.Status == StatusNotMet {
			if vi {
				b.WriteString("; chưa đạt: ")
			} else {
				b.WriteString("; not met: ")
			}
			b.WriteString(codes(func(s Status) bool { return s == StatusNotMet }))
		}
		b.WriteString(")")
	case StatusIncomplete:
		undecided := codes(func(s Status) bool {
			return s == StatusMissing || s == StatusNoThreshold || s == StatusError || s == StatusGroupUnassigned
		})
		if vi {
			fmt.Fprintf(&b, " (%d/%d chỉ tiêu đạt", c.IndicatorsMet, c.IndicatorsTotal)
			if undecided != "" {
				b.WriteString("; chưa đánh giá được: " + undecided)
			}
			if c.Partial {
				fmt.Fprintf(&b, "; danh mục chỉ tiêu của tiêu chí chưa đầy đủ, nhập kết quả tiêu chí %s", key)
			}
		} else {
			fmt.Fprintf(&b, " (%d/%d indicators met", c.IndicatorsMet, c.IndicatorsTotal)
			if undecided != "" {
				b.WriteString("; cannot be assessed: " + undecided)
			}
			if c.Partial {
				fmt.Fprintf(&b, "; the set lists only part of the criterion's indicators, enter its result as %s", key)
			}
		}
		b.WriteString(")")
	}
	return b.String()
}

func statusText(s Status, vi bool) string {
	if vi {
		switch s {
		case StatusMet:
			return "đạt"
		case StatusNotMet:
			return "chưa đạt"
		case StatusNotApplicable:
			return "không áp dụng"
		case StatusIncomplete:
			return "chưa đủ căn cứ đánh giá"
		case StatusMissing:
			return "chưa có kết quả"
		case StatusNoThreshold:
			return "chưa có ngưỡng"
		case StatusGroupUnassigned:
			return "chưa xác định nhóm xã"
		case StatusError:
			return "lỗi"
		}
	}
	switch s {
	case StatusMet:
		return "met"
	case StatusNotMet:
		return "not met"
	case StatusIncomplete:
		return "not decided"
	case StatusMissing:
		return "no result"
	case StatusGroupUnassigned:
		return "group not assigned"
	}
	return strings.ReplaceAll(s.String(), "_", " ")
}

// StatusText is a status in the offices' words ("đạt", "chưa đạt"…) or in English.
func StatusText(s Status, lang string) string { return statusText(s, lang == "vi") }

func (c CriterionVerdict) MarshalJSON() ([]byte, error) {
	type out struct {
		Number          int    `json:"number"`
		Name            string `json:"name"`
		Status          Status `json:"status"`
		Direct          bool   `json:"direct"`
		FromIndicators  Status `json:"from_indicators"`
		IndicatorsMet   int    `json:"indicators_met"`
		IndicatorsTotal int    `json:"indicators_total"`
		Partial         bool   `json:"partial,omitempty"`
		ReasonVI        string `json:"reason_vi"`
		ReasonEN        string `json:"reason_en"`
	}
	return json.Marshal(out{c.Number, c.Name, c.Status, c.Direct, c.FromIndicators, c.IndicatorsMet,
		c.IndicatorsTotal, c.Partial, c.ReasonVI(), c.ReasonEN()})
}
