package demo

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// recognized is a commune the demo history recognises, and when.
type recognized struct {
	unit units.Unit
	tier string
	set  string
	date units.Date
}

// loadRecognitions records the demo recognitions through the registry import, as an office
// would load its existing registry.
func loadRecognitions(ctx context.Context, db *store.DB, rs []recognized) (int, error) {
	rows := make([]store.RegistryImport, len(rs))
	for i, r := range rs {
		rows[i] = store.RegistryImport{Row: i + 2, UnitCode: r.unit.Code, Tier: r.tier, SetID: r.set,
			Decision: recognition.Decision{Number: fmt.Sprintf("%d/QĐ-UBND", 100+i%900), Date: r.date, Signer: "Chủ tịch UBND tỉnh (dữ liệu mẫu)"}}
	}
	if len(rows) == 0 {
		return 0, nil
	}
	st, err := db.ImportRecognitions(ctx, "demo", rows, nil, false)
	return st.Inserted, err
}

// kindLabels are the producer kinds as an office writes them in its list.
var kindLabels = []string{"hợp tác xã", "hộ kinh doanh", "doanh nghiệp", "tổ hợp tác"}

// loadOCOP writes a product list of a few products per province — through the same
// workbook reader offices use — and imports it.
func loadOCOP(ctx context.Context, cur []units.Unit, db *store.DB) (int, error) {
	rules, err := ocop.Shipped()
	if err != nil {
		return 0, err
	}
	var sets []*ocop.ProductSet
	for _, g := range rules.Taxonomy.Groups {
		for _, sg := range g.SubGroups {
			sets = append(sets, sg.Sets...)
		}
	}
	byProvince := map[string][]units.Unit{}
	var provinces []string
	for _, u := range cur {
		if u.IsRuralCommune() {
			if len(byProvince[u.ParentCode]) == 0 {
				provinces = append(provinces, u.ParentCode)
			}
			byProvince[u.ParentCode] = append(byProvince[u.ParentCode], u)
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Mã xã", "Tên sản phẩm", "Chủ thể", "Loại chủ thể", "Bộ sản phẩm", "Số sao", "Số quyết định", "Ngày quyết định"})
	row := 2
	for _, p := range provinces {
		r := seed(p, "ocop")
		xs := byProvince[p]
		for i, n := 0, 4+r.IntN(9); i < n; i++ {
			x := xs[r.IntN(len(xs))]
			set := sets[r.IntN(len(sets))]
			stars := []int{3, 3, 3, 4, 4, 5}[r.IntN(6)]
			if stars == 5 && r.IntN(3) > 0 {
				stars = 4 // five stars are rare
			}
			date := fmt.Sprintf("%04d-%02d-%02d", 2023+r.IntN(4), 1+r.IntN(12), 1+r.IntN(28))
			if date > "2026-10-31" {
				date = "2026-10-31"
			}
			kind := kindLabels[r.IntN(len(kindLabels))]
			producer := map[string]string{"hợp tác xã": "HTX ", "hộ kinh doanh": "Hộ kinh doanh ", "doanh nghiệp": "Công ty TNHH ", "tổ hợp tác": "Tổ hợp tác "}[kind] + x.Name
			name := set.Name
			if names := productNames[set.Code]; len(names) > 0 {
				name = names[r.IntN(len(names))]
			}
			f.SetSheetRow("Sheet1", "A"+strconv.Itoa(row), &[]any{x.Code, name + " " + x.Name, producer, kind, set.Code, stars,
				fmt.Sprintf("%d/QĐ-UBND", 200+row), date})
			row++
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return 0, err
	}
	rows, err := rules.ReadImport("ocop-demo.xlsx", bytes.NewReader(buf.Bytes()), "2026-11-01")
	if err != nil {
		return 0, fmt.Errorf("demo OCOP list: %w", err)
	}
	st, err := db.ImportOCOP(ctx, "demo", "ocop-demo.xlsx", rows, "2026-11-01", rules)
	return st.Products, err
}

// productNames are the synthetic names the demo gives products of each product set, as
// producers name theirs ("Mật ong hoa nhãn", then the commune's name), so that lists read like
// a province's (issue 15.10); a set not listed is named by its category.
var productNames = map[string][]string{
	"1.1.a": {"Bưởi đỏ", "Cam sành", "Nhãn lồng", "Rau an toàn"},
	"1.1.b": {"Trứng gà đồi", "Cá trắm giòn", "Sữa bò tươi"},
	"1.2.a": {"Gạo nếp cái hoa vàng", "Gạo tám thơm", "Gạo lứt đỏ"},
	"1.2.b": {"Mật ong hoa nhãn", "Mật ong rừng", "Tinh bột nghệ"},
	"1.3.a": {"Nem chua", "Bánh chưng"},
	"1.3.b": {"Bún khô", "Bánh đa nem", "Miến dong"},
	"1.3.c": {"Mứt gừng", "Chuối sấy dẻo", "Vải sấy khô"},
	"1.3.d": {"Giò lụa", "Ruốc cá", "Chả cá"},
	"1.4.a": {"Nước mắm cốt", "Tương bần"},
	"1.4.b": {"Tiêu đen", "Ớt bột", "Muối vừng"},
	"1.5.a": {"Chè búp", "Chè Shan tuyết"},
	"1.5.b": {"Trà hoa vàng", "Trà sen"},
	"1.6.a": {"Cà phê rang xay", "Ca cao bột"},
	"2.1.a": {"Rượu nếp cẩm", "Rượu ngô men lá"},
	"2.1.b": {"Rượu sim", "Vang mơ"},
	"2.2.a": {"Nước khoáng thiên nhiên"},
	"2.2.b": {"Nước cốt chanh leo", "Nước ép dứa"},
	"3.1.a": {"Cát sâm", "Đinh lăng"},
	"3.1.b": {"Cao đinh lăng", "Viên nghệ mật ong"},
	"3.1.c": {"Dầu gội bồ kết", "Xà phòng sả chanh"},
	"3.1.d": {"Tinh dầu sả chanh", "Trà túi lọc đinh lăng"},
	"4.1.a": {"Mây tre đan", "Gốm men lam", "Chiếu cói"},
	"4.1.b": {"Khăn lụa tơ tằm", "Thổ cẩm dệt tay"},
	"5.1.a": {"Hoa lan hồ điệp", "Đào cảnh"},
	"5.1.b": {"Quất cảnh", "Bonsai sanh"},
	"5.2.a": {"Cá chép Koi", "Chim cảnh"},
}

// loadCouncil sets up Hà Nội's OCOP council (issue 16) with the demo users ocop, ocop2 and
// ocop3, so that the ocop user scores and the council can close an evaluation.
func loadCouncil(ctx context.Context, db *store.DB, cur []units.Unit) error {
	if !slices.ContainsFunc(cur, func(u units.Unit) bool { return u.Code == "01" || u.ParentCode == "01" }) {
		return nil
	}
	c := ocop.Council{UnitCode: "01", Name: "Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội", Decision: "Quyết định mẫu (dữ liệu mẫu)",
		From: "2025-07-01", Members: []ocop.CouncilMember{{Username: "ocop"}, {Username: "ocop2"}, {Username: "ocop3"}}}
	c, err := db.CreateOCOPCouncil(ctx, "demo", c)
	if err != nil {
		return err
	}
	// An evaluation the council has open, so that its members land on work to do (issue
	// 15.4): the first of Hà Nội's products, re-evaluated in November 2026.
	ps, err := db.OCOPProducts(ctx, store.OCOPQuery{Root: "01", Day: "2026-11-01"})
	if err != nil || len(ps) == 0 {
		return err
	}
	rules, err := ocop.Shipped()
	if err != nil {
		return err
	}
	e := ocop.Evaluation{ProductID: ps[0].ID, Date: "2026-11-20", CouncilID: c.ID}
	if err := rules.CheckEvaluation(&e); err != nil {
		return fmt.Errorf("demo OCOP evaluation: %w", err)
	}
	_, err = db.OpenOCOPEvaluation(ctx, "demo", e)
	return err
}
