package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCatalogs_SameKeys(t *testing.T) {
	vi, en := Keys(VI), Keys(EN)
	for _, k := range vi {
		if !Has(EN, k) {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for _, k := range en {
		if !Has(VI, k) {
			t.Errorf("vi.json lacks %q", k)
		}
	}
	if len(vi) < 50 {
		t.Errorf("only %d keys", len(vi))
	}
}

var placeholder = regexp.MustCompile(`\{\d+\}`)

func TestCatalogs_SamePlaceholdersNoEmpty(t *testing.T) {
	for _, k := range Keys(VI) {
		v, e := catalogs[VI][k], catalogs[EN][k]
		if strings.TrimSpace(v) == "" || strings.TrimSpace(e) == "" {
			t.Errorf("%s: empty text", k)
		}
		pv, pe := placeholder.FindAllString(v, -1), placeholder.FindAllString(e, -1)
		// The same placeholders, each used any number of times: a language may repeat an
		// argument where another needs it once.
		slices.Sort(pv)
		slices.Sort(pe)
		if !slices.Equal(slices.Compact(pv), slices.Compact(pe)) {
			t.Errorf("%s: placeholders vi %v, en %v", k, pv, pe)
		}
	}
}

// Vietnamese text is written with its diacritics: a catalog without them would be a sign
// of text typed without a Vietnamese keyboard.
func TestCatalogs_VietnameseHasDiacritics(t *testing.T) {
	for _, k := range []string{"nav.units", "signin.title", "no_data", "map.no_data", "country", "dashboard.title"} {
		v := T(VI, k)
		if !strings.ContainsAny(v, "ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐ") {
			t.Errorf("%s: %q has no Vietnamese letters", k, v)
		}
	}
	if T(VI, "no_data") != "Chưa có dữ liệu." || T(VI, "map.no_data") != "Chưa có số liệu" {
		t.Errorf("no data: %q, %q", T(VI, "no_data"), T(VI, "map.no_data"))
	}
}

func TestT(t *testing.T) {
	if got := T(VI, "units.results", 356410, "soc son"); got != "Kết quả tìm “soc son”: 356.410 đơn vị" {
		t.Errorf("vi: %q", got)
	}
	if got := T(EN, "units.results", 356410, "soc son"); got != "Results for “soc son”: 356,410" {
		t.Errorf("en: %q", got)
	}
	if got := T(VI, "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
	if got := T("fr", "nav.units"); got != "Đơn vị hành chính" {
		t.Errorf("unknown language falls back to Vietnamese: %q", got)
	}
	if got := T(EN, "map.band.range", 5); got != "5–{1} criteria" {
		t.Errorf("missing argument: %q", got)
	}
	// An optional field reaches a sentence as a pointer (a template's {{with}}): the value,
	// not the address, is what the reader sees.
	id := int64(17)
	if got := T(VI, "recognition.dossier.number", &id); got != "Số 17" {
		t.Errorf("pointer argument: %q", got)
	}
}

func TestFormat(t *testing.T) {
	cases := []struct{ got, want string }{
		{Int(356410, VI), "356.410"},
		{Int(356410, EN), "356,410"},
		{Int(-1234567, VI), "-1.234.567"},
		{Int(999, VI), "999"},
		{Int(0, EN), "0"},
		{Decimal(11.78, 2, VI), "11,78"},
		{Decimal(11.78, 2, EN), "11.78"},
		{Decimal(52.1052, 2, VI), "52,11"},
		{Decimal(12345.5, 1, VI), "12.345,5"},
		{Decimal(-0.25, 1, VI), "-0,3"},
		{Decimal(11.775, 2, VI), "11,78"},
		{Decimal(3, 0, VI), "3"},
		{Percent(91.4, 1, VI), "91,4%"},
		{Percent(91.4, 1, EN), "91.4%"},
		{Date("2025-07-01", VI), "01/07/2025"},
		{Date("2025-07-01", EN), "2025-07-01"},
		{Date("nonsense", VI), "nonsense"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: %q, want %q", i, c.got, c.want)
		}
	}
}
