package plan

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/resources"
)

// A cost table is read by its header's names, wherever the header row is; every problem is
// named by row and column and refuses the table whole.
func TestReadPrices_HeaderRowsAndProblems(t *testing.T) {
	cat, err := criteria.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	set, _ := cat.Get("xa-ntm-2021")
	good := "Bảng đơn giá\nSTT,Mã chỉ tiêu,Đơn giá (triệu đồng),Ghi chú\n1,2.1,\"1.250,5\",đường xã\n2,17.1,300,\n,,,\n"
	p, err := ReadPrices("dg.csv", []byte(good), set)
	if err != nil || len(p) != 2 || p["2.1"].PerUnit != 1250.5 || p["2.1"].Note != "đường xã" || p["17.1"].PerUnit != 300 {
		t.Fatalf("good table: %v %+v", err, p)
	}
	for name, c := range map[string]struct{ src, want string }{
		"no header":      {"a,b\n1,2\n", "Mã chỉ tiêu"},
		"unknown column": {"Mã chỉ tiêu,Đơn giá,Màu\n2.1,5,đỏ\n", "C: cột \"Màu\""},
		"no cost column": {"Mã chỉ tiêu,Ghi chú\n2.1,x\n", "Đơn giá (triệu đồng)"},
		"bad rows":       {"Mã chỉ tiêu,Đơn giá\n2.1,abc\n99.9,5\n2.1,-1\n", "B: \"abc\" không phải là số"},
		"empty":          {"Mã chỉ tiêu,Đơn giá\n", "không có dòng nào"},
	} {
		_, err := ReadPrices("dg.csv", []byte(c.src), set)
		_, probs, ok := resources.ImportFile(err)
		var text []string
		for _, p := range probs {
			text = append(text, p.Text("vi"))
		}
		if !ok || !strings.Contains(strings.Join(text, "\n"), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err = ReadPrices("dg.csv", []byte("Mã chỉ tiêu,Đơn giá\n2.1,abc\n99.9,5\n2.1,-1\n"), set)
	if _, probs, _ := resources.ImportFile(err); len(probs) != 4 {
		t.Errorf("bad rows: want 4 problems (not a number, unknown code, repeated code, negative): %v", err)
	}
}
