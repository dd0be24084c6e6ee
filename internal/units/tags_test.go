package units

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
)

func TestParseTagRows_NamesEveryBadCell(t *testing.T) {
	rows := [][]string{
		{"unit_code", "tag", "decision", "decided", "valid_from"},
		{"09022", "Nhóm 3", "120/QĐ-UBND", "20/02/2026", "2026-03-01"},
		{"9a", "nhóm 4", "", "31/02/2026", "01/01/2026"},
		{"09022", "nhom-3", "121/QĐ-UBND", "2026-02-20", "01/03/2026"},
	}
	_, err := ParseTagRows("t.csv", rows, []int{1, 2, 3, 4})
	ps, ok := fault.ProblemsOf[[]TagProblem](err)
	if !ok || !fault.Is(err, fault.InvalidFile) || len(ps) == 0 {
		t.Fatalf("%v", err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Column))
	}
	if strings.Join(got, "; ") != "3 unit_code; 3 tag; 3 decision; 3 decided; 4 " {
		t.Errorf("problems: %v\n%v", got, err)
	}
	if _, err := ParseTagRows("t.csv", [][]string{{"ma", "tag"}}, []int{1}); err == nil || !strings.Contains(err.Error(), "thiếu cột decision") {
		t.Errorf("missing columns: %v", err)
	}
	as, err := ParseTagRows("t.csv", rows[:2], []int{1, 2})
	if err != nil || as[0].Tag != "nhom-3" || as[0].Decided != "2026-02-20" || as[0].ValidFrom != "2026-03-01" {
		t.Errorf("%+v %v", as, err)
	}
}

func TestParseTagDate_SpreadsheetDayNumbers(t *testing.T) {
	for in, want := range map[string]Date{"46082": "2026-03-01", "01/03/2026": "2026-03-01", "1/3/2026": "2026-03-01", "2026-03-01": "2026-03-01"} {
		if got, err := ParseTagDate(in); got != want || err != nil {
			t.Errorf("%s: %s %v", in, got, err)
		}
	}
	if _, err := ParseTagDate("32/01/2026"); err == nil {
		t.Error("32/01/2026 accepted")
	}
}
