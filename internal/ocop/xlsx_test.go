package ocop

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
)

// workbook builds an XLSX file of rows (the first row is the header) on a sheet.
func workbook(t testing.TB, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", sheet)
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellValue(sheet, cell, v)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var importHeader = []any{"STT", "Mã xã", "Tên sản phẩm", "Chủ thể", "Loại chủ thể", "Bộ sản phẩm", "Số sao", "Số quyết định", "Ngày quyết định", "Điểm"}

func TestReadImport_Reads(t *testing.T) {
	r := shippedRules(t)
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Danh sách")
	f.SetSheetRow("Danh sách", "A1", &[]any{"DANH SÁCH SẢN PHẨM OCOP TỈNH GIA LAI"})
	f.SetSheetRow("Danh sách", "A3", &importHeader)
	f.SetSheetRow("Danh sách", "A4", &[]any{1, "23575", "Cà phê bột", "HTX Cà phê Pleiku", "HTX", "1.6.a", "4 sao", "123/QĐ-UBND", "15/03/2023", 75.5})
	f.SetSheetRow("Danh sách", "A6", &[]any{2, 4, "Chè xanh", "Công ty TNHH Chè", "Doanh nghiệp", "Chè tươi, chè chế biến", 3, "45/QĐ-UBND", "2024-01-10"})
	// A date typed as a date cell comes as Excel's serial number.
	f.SetCellValue("Danh sách", "I6", 45301.0) // 2024-01-10
	buf, _ := f.WriteToBuffer()
	rows, err := r.ReadImport("ds.xlsx", bytes.NewReader(buf.Bytes()), "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	a, b := rows[0], rows[1]
	if a.Row != 4 || a.UnitCode != "23575" || a.Producer.Kind != Cooperative || a.Product.ProductSet != "1.6.a" || a.Stars != 4 ||
		a.Date != "2023-03-15" || a.Score == nil || *a.Score != 75.5 || a.Level != LevelProvince {
		t.Errorf("row 4: %+v", a)
	}
	if b.Row != 6 || b.UnitCode != "00004" || b.Producer.Kind != Enterprise || b.Product.ProductSet != "1.5.a" || b.Date != "2024-01-10" || b.Level != LevelDistrict {
		t.Errorf("row 6: %+v", b)
	}
}

func TestReadImport_ProblemsNameSheetRowAndColumn(t *testing.T) {
	r := shippedRules(t)
	good := []any{1, "23575", "Cà phê bột", "HTX Cà phê", "HTX", "1.6.a", 4, "1/QĐ-UBND", "15/03/2023", ""}
	for _, c := range []struct {
		name   string
		change func(row []any)
		want   string // in the error
	}{
		{"stars", func(row []any) { row[6] = 6 }, `dòng 2, cột G: "6": số sao phải từ 3 đến 5`},
		{"two stars", func(row []any) { row[6] = "2 sao" }, "cột G"},
		{"date", func(row []any) { row[8] = "31/02/2023" }, `dòng 2, cột I: "31/02/2023" không phải là ngày`},
		{"future date", func(row []any) { row[8] = "2027-01-01" }, "cột I: ngày quyết định 2027-01-01 sau hôm nay"},
		{"product set", func(row []any) { row[5] = "9.9.z" }, `cột F: bộ sản phẩm "9.9.z" không có`},
		{"kind", func(row []any) { row[4] = "công xã" }, "cột E: loại chủ thể"},
		{"missing product", func(row []any) { row[2] = "" }, "cột C: thiếu Tên sản phẩm"},
		{"unit", func(row []any) { row[1] = "xã A" }, "cột B"},
		{"score against stars", func(row []any) { row[9] = 65 }, "cột J: điểm 65 ứng với 3 sao theo 148/QĐ-TTg, không phải 4 sao"},
	} {
		row := append([]any(nil), good...)
		c.change(row)
		buf := workbook(t, "Sản phẩm", [][]any{importHeader, row, good})
		_, err := r.ReadImport("ds.xlsx", bytes.NewReader(buf), "2026-01-01")
		if msg := problemLines(err); !fault.Is(err, fault.InvalidFile) || !strings.Contains(msg, c.want) || !strings.Contains(msg, `sheet "Sản phẩm"`) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// A repeated row is named with the row it repeats.
	buf := workbook(t, "Sản phẩm", [][]any{importHeader, good, good})
	if _, err := r.ReadImport("ds.xlsx", bytes.NewReader(buf), "2026-01-01"); err == nil || !strings.Contains(problemLines(err), "trùng với dòng 2") {
		t.Errorf("duplicate: %v", err)
	}
	// A sheet without the required columns says which are missing.
	buf = workbook(t, "Sheet", [][]any{{"Mã xã", "Tên sản phẩm"}, {"23575", "x"}})
	if _, err := r.ReadImport("ds.xlsx", bytes.NewReader(buf), "2026-01-01"); err == nil || !strings.Contains(problemLines(err), "thiếu: Chủ thể, Loại chủ thể, Bộ sản phẩm, Số sao") {
		t.Errorf("no header: %v", err)
	}
	if _, err := r.ReadImport("x.xlsx", strings.NewReader("not a workbook"), "2026-01-01"); err == nil || !strings.Contains(problemLines(err), "không đọc được") {
		t.Errorf("not a workbook: %v", err)
	}
}

func TestTemplate_ReadsBack(t *testing.T) {
	r := shippedRules(t)
	b, err := Template()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := r.ReadImport("mau.xlsx", bytes.NewReader(b), "2026-01-01")
	if err != nil || len(rows) != 1 || rows[0].Stars != 4 {
		t.Errorf("template: %v %+v", err, rows)
	}
}

func FuzzReadImport(f *testing.F) {
	r, err := Shipped()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(workbook(f, "S", [][]any{importHeader, {1, "23575", "Cà phê", "HTX", "HTX", "1.6.a", 4, "1", "15/03/2023", 80}}))
	f.Add([]byte("PK\x03\x04"))
	f.Add(sheettest.Tall(200000))
	f.Add(sheettest.Wide(300))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := r.ReadImport("f.xlsx", bytes.NewReader(b), "2026-01-01")
		if err == nil {
			for _, row := range rows {
				if row.Stars < 3 || row.Stars > 5 || row.Decision == "" || row.Product.ProductSet == "" {
					t.Fatalf("accepted a bad row: %+v", row)
				}
			}
		}
	})
}

// problemLines is the problems of err, an import fault, one per line.
func problemLines(err error) string {
	probs, _ := fault.ProblemsOf[[]Problem](err)
	lines := make([]string, len(probs))
	for i, p := range probs {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
