package resources

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
	"github.com/ntm-vn/ntm/internal/units"
)

// workbook builds an XLSX whose first sheet holds rows (numbers stay numbers, strings text).
func workbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadFunding_XLSXWithTitleRowsAndNumbersBothWays(t *testing.T) {
	c := MustShipped()
	b := workbook(t, [][]any{
		{"BIỂU TỔNG HỢP VỐN HUY ĐỘNG XÂY DỰNG NÔNG THÔN MỚI NĂM 2025"},
		{"(Đơn vị tính: triệu đồng)"},
		{"STT", "Mã đơn vị", "Tên đơn vị", "Năm", "Ngân sách trung ương", "NSĐP", "Vốn lồng ghép", "Vốn tín dụng", "Doanh nghiệp", "Cộng đồng dân cư", "Tổng số", "Ghi chú"},
		{1, "23575", "Phường Pleiku", 2025, 195420, "64.310", 2150, 3900, 98775, "6.045", "370.601", "số liệu 6 tháng"},
		{2, "21607", "Xã Nhơn Châu", "2025", 10.5, nil, nil, nil, nil, nil, nil, nil},
	})
	tab, err := ReadTable("von-2025.xlsx", b)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := c.ReadFunding(tab)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Line != 4 || rows[0].UnitCode != "23575" || rows[0].Year != 2025 || rows[0].Note != "số liệu 6 tháng" {
		t.Fatalf("rows: %+v", rows)
	}
	ch := rows[0].Check()
	if ch.Sum != FromInt(370600) || !ch.Flagged || ch.Difference != FromInt(1) {
		t.Errorf("sum check of the imported row: %+v", ch)
	}
	if rows[0].Parts["nsdp"] != FromInt(64310) || rows[0].Parts["cong-dong"] != FromInt(6045) {
		t.Errorf("text cells read the Vietnamese way: %v", rows[0].Parts)
	}
	if rows[1].Parts["nstw"] != 10500 || rows[1].ReportedTotal != nil || len(rows[1].Parts) != 1 {
		t.Errorf("second row: %+v", rows[1])
	}
}

func TestReadFunding_RowLevelProblems(t *testing.T) {
	c := MustShipped()
	csv := "Mã đơn vị,Năm,nstw,Vốn vay ưu đãi,Tổng số\n" +
		"23575,2025,abc,1,2\n"
	tab, err := ReadTable("von.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ReadFunding(tab)
	_, ieProblems, ok := ImportFile(err)
	if !ok || len(ieProblems) != 1 || ieProblems[0].Column != "D" || ieProblems[0].Line != 1 {
		t.Fatalf("unknown column: %v", err)
	}
	csv = "Mã đơn vị,Năm,nstw,Cộng đồng dân cư,Tiền mặt,Tổng số\n" +
		"23575,2025,abc,1,2,\n" +
		",2025,1,,,\n" +
		"21607,năm nay,1,,,\n" +
		"21607,2025,-5,,,\n" +
		"21608,2025,1,,,\n" +
		"21608,2025,2,,,\n"
	tab, _ = ReadTable("von.csv", []byte(csv))
	_, err = c.ReadFunding(tab)
	_, ieProblems, ok = ImportFile(err)
	if !ok {
		t.Fatalf("no problems: %v", err)
	}
	var got []string
	for _, p := range ieProblems {
		got = append(got, p.Text("vi"))
	}
	want := []string{
		`Dòng 2, cột C: "abc" không phải là số`,
		`Dòng 3, cột A: ô trống; cần điền`,
		`Dòng 4, cột B: "năm nay" không phải là số nguyên`,
		`Dòng 5, cột C: "-5": số không được âm`,
		`Dòng 7, cột A: đơn vị 21608 năm 2025 đã có ở dòng 6`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The whole community and one of its kinds on one row would count it twice.
	tab, _ = ReadTable("von.csv", []byte("Mã đơn vị,Năm,Cộng đồng dân cư,Tiền mặt\n23575,2025,1,2\n"))
	if _, err := c.ReadFunding(tab); err == nil || !strings.Contains(problemText(err), "Dòng 2, cột D") {
		t.Errorf("whole and kind: %v", err)
	}
	if !strings.Contains(err.Error(), "không nhập dòng nào") {
		t.Errorf("message does not say nothing was imported: %v", err)
	}
}

func TestReadWorks_StatusesKindsAndDisbursement(t *testing.T) {
	c := MustShipped()
	b := workbook(t, [][]any{
		{"Mã đơn vị", "Năm", "Loại công trình", "Tên công trình", "Khối lượng", "ĐVT", "Tình trạng", "Bộ tiêu chí", "Tiêu chí", "Kế hoạch vốn NSTW", "Kế hoạch vốn NSĐP", "Đã giải ngân", "Ngày giải ngân"},
		{"21607", 2025, "Đường liên xã", "Đường Nhơn Châu - Nhơn Hải", 12.48, "Km", "Đã hoàn thành", "xa-ntm-2021", 2, 5000, 1500.5, 6000, "30/09/2025"},
		{"21607", 2025, "nha-van-hoa", "Nhà văn hóa thôn Một", 1, nil, "Đang thi công", nil, nil, 800, nil, nil, nil},
		{"21607", 2025, "Sân bay", "?", 1, "m2", "xong", nil, nil, nil, nil, nil, nil},
	})
	tab, _ := ReadTable("ct.xlsx", b)
	_, err := c.ReadWorks(tab)
	_, ieProblems, ok := ImportFile(err)
	if !ok || len(ieProblems) != 2 || ieProblems[0].Column != "C" || ieProblems[1].Column != "G" || ieProblems[0].Line != 4 {
		t.Fatalf("problems: %v", err)
	}
	b = workbook(t, [][]any{
		{"Mã đơn vị", "Năm", "Loại công trình", "Tên công trình", "Khối lượng", "ĐVT", "Tình trạng", "Bộ tiêu chí", "Tiêu chí", "Kế hoạch vốn NSTW", "Kế hoạch vốn NSĐP", "Đã giải ngân", "Ngày giải ngân"},
		{"21607", 2025, "Đường liên xã", "Đường Nhơn Châu - Nhơn Hải", 12.48, "Km", "Đã hoàn thành", "xa-ntm-2021", 2, 5000, 1500.5, 6000, "30/09/2025"},
		{"21607", 2025, "nha-van-hoa", "Nhà văn hóa thôn Một", 1, nil, "Đang thi công", nil, nil, 800, nil, nil, nil},
	})
	tab, _ = ReadTable("ct.xlsx", b)
	rows, err := c.ReadWorks(tab)
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	if r.Kind != "duong-lien-xa" || r.Status != WorkDone || r.Quantity != 12480 || r.Measure != "km" || r.Criterion != 2 ||
		r.Budget["nsdp"] != 1500500 || r.Planned() != 6500500 || *r.Disbursed != FromInt(6000) || r.DisbursedOn != "2025-09-30" {
		t.Errorf("road: %+v", r)
	}
	if r := rows[1]; r.Kind != "nha-van-hoa" || r.Measure != "công trình" || r.Status != WorkUnderConstruction || r.Disbursed != nil {
		t.Errorf("cultural house: %+v", r)
	}
}

func TestReadModels(t *testing.T) {
	c := MustShipped()
	csv := "Loại mô hình;Mã đơn vị;Thôn;Tên mô hình;Năm công nhận;Số quyết định;Ngày quyết định\n" +
		"Khu dân cư nông thôn mới kiểu mẫu;21607;Thôn Một;Khu dân cư thôn Một;2024;123/QĐ-UBND;15/11/2024\n" +
		"vườn mẫu;21607;Thôn Hai;Vườn hộ ông Nguyễn Văn A;2025;;\n" +
		"thon-ntm;21607;;Thôn Ba;2025;45/QĐ-UBND;02/01/2024\n"
	tab, err := ReadTable("mh.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ReadModels(tab)
	_, ieProblems, ok := ImportFile(err)
	if !ok || len(ieProblems) != 1 || ieProblems[0].Line != 4 || ieProblems[0].Column != "G" {
		t.Fatalf("decision date outside the year: %v", err)
	}
	tab, _ = ReadTable("mh.csv", []byte(strings.Replace(csv, "02/01/2024", "02/01/2025", 1)))
	rows, err := c.ReadModels(tab)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Kind != "khu-dan-cu-kieu-mau" || rows[0].DecisionDate != "2024-11-15" || rows[1].Kind != "vuon-mau" || rows[2].Kind != "thon-ntm" {
		t.Errorf("models: %+v", rows)
	}
}

func TestReadTable_NotATable(t *testing.T) {
	for _, b := range [][]byte{[]byte("PK\x03\x04garbage"), {0xff, 0xfe, 0x00}} {
		if _, err := ReadTable("x", b); err == nil {
			t.Errorf("%q read as a table", b)
		}
	}
	tab, err := ReadTable("x.csv", []byte("a,b\n1,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := MustShipped().ReadFunding(tab); err == nil || !strings.Contains(problemText(err), "không tìm thấy dòng tiêu đề") {
		t.Errorf("no header: %v", err)
	}
}

func FuzzReadImport(f *testing.F) {
	f.Add([]byte("Mã đơn vị,Năm,nstw,Tổng số\n23575,2025,195.420,370.600\n"))
	f.Add([]byte("Mã đơn vị;Năm;Loại công trình;Tên công trình;Tình trạng\n1;2025;cho;Chợ;done\n"))
	f.Add([]byte("Loại mô hình,Mã đơn vị,Tên,Năm\nvuon-mau,1,V,2025\n"))
	f.Add(sheettest.Tall(200000))
	f.Add(sheettest.Wide(300))
	c := MustShipped()
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := ReadTable("fuzz", b)
		if err != nil {
			return
		}
		c.ReadFunding(tab)
		c.ReadWorks(tab)
		c.ReadModels(tab)
	})
}

func FuzzParseLocal(f *testing.F) {
	for _, s := range []string{"195.420", "1.234,5", "104.48", "1e3", "-0,5", "9999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range []string{"vi", "en"} {
			v, err := ParseLocal(s, lang)
			if err != nil {
				continue
			}
			// What is written back reads back the same.
			if w, err := ParseLocal(v.Format(lang), lang); err != nil || w != v {
				t.Errorf("%q (%s) → %v → %q → %v %v", s, lang, v, v.Format(lang), w, err)
			}
		}
	})
}

// The completion day is read from "Ngày hoàn thành"; a day on a work not done, or one that is
// not a day, is a problem at that column.
func TestReadWorks_CompletionDay(t *testing.T) {
	c := MustShipped()
	head := []any{"Mã đơn vị", "Năm", "Loại công trình", "Tên công trình", "Tình trạng", "Ngày hoàn thành"}
	for _, tc := range []struct {
		name   string
		row    []any
		want   units.Date
		column string // of the problem; "": none
	}{
		{"done with its day", []any{"21607", 2026, "nha-van-hoa", "Nhà văn hóa", "Hoàn thành", "10/08/2026"}, "2026-08-10", ""},
		{"done without it", []any{"21607", 2026, "nha-van-hoa", "Nhà văn hóa", "Hoàn thành", nil}, "", ""},
		{"not done", []any{"21607", 2026, "nha-van-hoa", "Nhà văn hóa", "Đang thi công", "10/08/2026"}, "", "F"},
		{"not a day", []any{"21607", 2026, "nha-van-hoa", "Nhà văn hóa", "Hoàn thành", "tháng 8"}, "", "F"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, _ := ReadTable("ct.xlsx", workbook(t, [][]any{head, tc.row}))
			rows, err := c.ReadWorks(tab)
			if tc.column != "" {
				_, ieProblems, ok := ImportFile(err)
				if !ok || len(ieProblems) != 1 || ieProblems[0].Column != tc.column || ieProblems[0].Line != 2 {
					t.Fatalf("problems: %v, want one at row 2, column %s", err, tc.column)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rows[0].DoneOn != tc.want {
				t.Errorf("done_on %q, want %q", rows[0].DoneOn, tc.want)
			}
		})
	}
}

// problemText is the problems of err, an ImportFault, in Vietnamese, one per line.
func problemText(err error) string {
	_, probs, _ := ImportFile(err)
	lines := make([]string, len(probs))
	for i, p := range probs {
		lines[i] = p.Text("vi")
	}
	return strings.Join(lines, "\n")
}
