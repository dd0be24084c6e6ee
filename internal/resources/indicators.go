package resources

import (
	"math"
	"regexp"
	"strings"

	"github.com/ntm-vn/ntm/internal/numfmt"
)

// UnitIndicator is a unit's own socio-economic figure for a year (chỉ tiêu kinh tế - xã hội):
// the income per person or the poverty rate of a district or a province itself, as its
// reports cite them, rather than an average of its communes. Code is how targets name it
// ("own:thu-nhap"); Name is what every output prints.
type UnitIndicator struct {
	UnitCode string  `json:"unit"`
	Year     int     `json:"year"`
	Code     string  `json:"code"`
	Name     string  `json:"name"`              // "Thu nhập bình quân đầu người"
	Measure  string  `json:"measure,omitempty"` // "triệu đồng/người/năm", "%"
	Value    float64 `json:"value"`
	Note     string  `json:"note,omitempty"`
}

var indicatorCode = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)

// CheckUnitIndicator checks a figure: a unit, a year, a code of small letters, digits, '.',
// '-' or '_', a name and a finite value.
func CheckUnitIndicator(x UnitIndicator) error {
	if strings.TrimSpace(x.UnitCode) == "" {
		return fieldErr("unit", "thiếu mã đơn vị", "the unit code is missing")
	}
	if err := checkYear("year", x.Year); err != nil {
		return err
	}
	if !indicatorCode.MatchString(x.Code) {
		return fieldErr("code", "mã chỉ tiêu %q không hợp lệ: chữ thường không dấu, số, '.', '-' hoặc '_' (như thu-nhap)", "indicator code %q is not valid: small letters, digits, '.', '-' or '_' (such as thu-nhap)", x.Code)
	}
	if strings.TrimSpace(x.Name) == "" {
		return fieldErr("name", "thiếu tên chỉ tiêu (như Thu nhập bình quân đầu người)", "the indicator's name is missing (such as Income per person)")
	}
	if math.IsNaN(x.Value) || math.IsInf(x.Value, 0) {
		return fieldErr("value", "giá trị không phải là số", "the value is not a number")
	}
	return nil
}

// Text writes the figure for prose and tables: "Thu nhập bình quân đầu người: 72,5 triệu
// đồng/người/năm".
func (x UnitIndicator) Text(lang string) string {
	s := x.Name + ": " + numfmt.Decimal(x.Value, decimals(x.Value), lang)
	if x.Measure != "" {
		s += " " + x.Measure
	}
	return s
}

// decimals is how many places a figure needs, up to two.
func decimals(v float64) int {
	for p := 0; p < 2; p++ {
		if s := math.Pow(10, float64(p)); math.Abs(v*s-math.Round(v*s)) < 1e-9 {
			return p
		}
	}
	return 2
}

// UnitIndicatorEntry is a unit's figure as stored.
type UnitIndicatorEntry struct {
	ID int64 `json:"id"`
	UnitIndicator
	OnUnit
}
