package progress

import (
	"fmt"
	"strings"
	"testing"
)

func TestText_LargeCountsAndCriteriaOnlyEntries(t *testing.T) {
	// 1.200 communes that entered only criteria results (no indicator met).
	var es []Entry
	for i := 0; i < 1200; i++ {
		es = append(es, Entry{Unit: Unit{Code: fmt.Sprintf("%05d", i), Name: "Xã", Path: []string{"01"}}, Assessed: true,
			CriteriaMet: []int{1, 2}, CriteriaTotal: 19, IndicatorsTotal: 55})
	}
	text := Rollup(Unit{Code: "01", Name: "Tỉnh"}, nil, es, Options{ChildLevel: -1}).Text("vi")
	if !strings.Contains(text, "1.200 xã") {
		t.Errorf("a count over a thousand is written with a dot: %s", text)
	}
	if strings.Contains(text, "chỉ tiêu") {
		t.Errorf("no indicator was met, yet the text speaks of indicators: %s", text)
	}
}
