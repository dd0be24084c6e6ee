package criteria

import (
	"fmt"
	"strings"
)

// Diff lists in words what b changes from a: criteria and indicators added or missing, and
// indicators whose thresholds (general or by region or group) differ.
func Diff(a, b *Set) []string {
	var out []string
	for _, c := range b.Criteria {
		if a.Criterion(c.Number) == nil {
			out = append(out, fmt.Sprintf("thêm tiêu chí %d. %s", c.Number, c.Name))
		}
	}
	for _, c := range a.Criteria {
		if b.Criterion(c.Number) == nil {
			out = append(out, fmt.Sprintf("thiếu tiêu chí %d. %s", c.Number, c.Name))
		}
	}
	for _, c := range b.Criteria {
		for i := range c.Indicators {
			in := &c.Indicators[i]
			old, _ := a.Indicator(in.Code)
			if old == nil {
				out = append(out, fmt.Sprintf("thêm chỉ tiêu %s: %s (%s)", in.Code, in.Name, thresholdsText(in)))
				continue
			}
			if o, n := thresholdsText(old), thresholdsText(in); o != n {
				out = append(out, fmt.Sprintf("chỉ tiêu %s: %s → %s", in.Code, o, n))
			}
		}
	}
	for _, c := range a.Criteria {
		for _, in := range c.Indicators {
			if x, _ := b.Indicator(in.Code); x == nil {
				out = append(out, fmt.Sprintf("thiếu chỉ tiêu %s: %s", in.Code, in.Name))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, "không khác")
	}
	return out
}

// thresholdsText writes an indicator's thresholds compactly: "≥ 100; DBSH ≥ 90; TN —".
func thresholdsText(in *Indicator) string {
	var parts []string
	if in.Threshold != nil && in.Threshold.Kind != ValueNone {
		parts = append(parts, string(in.Op)+" "+valueYAML(*in.Threshold))
	}
	for _, o := range in.By {
		v := "—"
		if o.Value.Kind != ValueNone {
			v = string(in.Op) + " " + valueYAML(o.Value)
		}
		parts = append(parts, o.Key+" "+v)
	}
	if len(parts) == 0 {
		return "chưa có ngưỡng"
	}
	return strings.Join(parts, "; ")
}
