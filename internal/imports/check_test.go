package imports_test

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	. "github.com/ntm-vn/ntm/internal/imports"
)

func shippedCatalog(t testing.TB) *criteria.Catalog {
	t.Helper()
	sets, err := criteria.ShippedSets()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := criteria.NewCatalog(sets...)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// The checker reads what app.CheckValue reads, the same way: it is that function with
// each set's codes worked out once.
func TestChecker_AgreesWithCheckValue(t *testing.T) {
	cat := shippedCatalog(t)
	c := NewChecker(cat)
	cases := []struct{ set, code, text string }{
		{"xa-ntm-2021", "17.1", "92,5"},
		{"xa-ntm-2021", "17.1", "92.5 %"},
		{"xa-ntm-2021", "17.1", "100"},
		{"xa-ntm-2021", "1.1", "đạt"},
		{"xa-ntm-2021", "1.1", "Không đạt"},
		{"xa-ntm-2021", "tc3", "1"},
		{"xa-ntm-2021", "TC19", "chưa đạt"},
		{"xa-ntm-2021", "10", "65.000.000"},
		{"xa-ntm-2021", "10", "không áp dụng"},
		{"xa-kieu-mau-2021", "thu_nhap_binh_quan", "1.234,5"},
		{"xa-kieu-mau-2021", "thu_nhap_binh_quan", "có"},
	}
	for _, k := range cases {
		set, _ := cat.Get(k.set)
		wantKey, wantVal, err := app.CheckValue(set, k.code, k.text)
		if err != nil {
			t.Fatalf("CheckValue(%s, %s, %q): %v", k.set, k.code, k.text, err)
		}
		key, val, bad := c.Check(k.set, k.code, k.text)
		if bad != nil || key != wantKey || val != wantVal {
			t.Errorf("Check(%s, %s, %q) = %s, %s, %+v; CheckValue says %s, %s", k.set, k.code, k.text, key, val, bad, wantKey, wantVal)
		}
	}
}

func TestChecker_Problems(t *testing.T) {
	c := NewChecker(shippedCatalog(t))
	cases := []struct {
		set, code, text string
		field, kind     string
		vi, en          string
	}{
		{"xa-ntm-2099", "17.1", "1", FieldSet, UnknownSet, `không có bộ tiêu chí "xa-ntm-2099"`, "no criteria set"},
		{"xa-ntm-2021", "99.9", "1", FieldCode, UnknownCode, `mã "99.9" không phải là chỉ tiêu`, `code "99.9" is not an indicator`},
		{"xa-ntm-2021", "TC20", "1", FieldCode, UnknownCode, `mã "TC20"`, "set xa-ntm-2021"},
		{"xa-ntm-2021", "", "1", FieldCode, Missing, "thiếu mã chỉ tiêu", "missing code"},
		{"xa-ntm-2021", "17.1", "abc", FieldValue, NotANumber, `"abc" không phải là số`, `"abc" is not a number`},
		{"xa-ntm-2021", "17.1", "120", FieldValue, OutOfRange, "không nằm trong khoảng 0–100", "not between 0 and 100"},
		{"xa-ntm-2021", "10", "nhiều", FieldValue, NotANumber, "không phải là số", "is not a number"},
		{"xa-ntm-2021", "1.1", "có lẽ", FieldValue, BadValue, "không phải là đạt/không đạt", "not a yes/no value"},
		{"xa-ntm-2021", "1.1", " ", FieldValue, Missing, "giá trị trống", "empty value"},
	}
	for _, k := range cases {
		_, _, bad := c.Check(k.set, k.code, k.text)
		if bad == nil || bad.Field != k.field || bad.Kind != k.kind || !strings.Contains(bad.VI, k.vi) || !strings.Contains(bad.EN, k.en) {
			t.Errorf("Check(%s, %q, %q) = %+v, want %s %s %q / %q", k.set, k.code, k.text, bad, k.field, k.kind, k.vi, k.en)
		}
	}
}
