package criteria

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// officeWorkbook builds, as an office would, a 19-criteria set with every threshold filled:
// per criterion N, N.1 a percent (general 80, Đồng bằng sông Hồng 90, Tây Nguyên 70), N.2 a
// đạt/không đạt, N.3 a number (≥ 10). The values are obviously test values.
func officeWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", SheetCriteria)
	f.NewSheet(SheetInfo)
	info := [][]any{{"Trường", "Giá trị"}, {"id", "xa-thu-19"}, {"title", "Bộ tiêu chí thử 19 tiêu chí"},
		{"decision", "999/QĐ-UBND"}, {"issued", "2023-01-02"}, {"effective", "2023-01-15"}, {"level", "commune"},
		{"tier", "ntm"}, {"varies_by", "region"}, {"region_from_tags", "dac-biet-kho-khan=TDMNPB"}}
	for i, r := range info {
		f.SetSheetRow(SheetInfo, fmt.Sprintf("A%d", i+1), &r)
	}
	head := []any{"TT", "Tên tiêu chí", "Mã chỉ tiêu", "Nội dung chỉ tiêu", "Đơn vị tính", "Loại", "So sánh", "Chỉ tiêu chung",
		"Trung du và miền núi phía Bắc", "Đồng bằng sông Hồng", "Bắc Trung Bộ", "Duyên hải Nam Trung Bộ", "Tây Nguyên",
		"Đông Nam Bộ", "Đồng bằng sông Cửu Long", "Đối chiếu văn bản"}
	f.SetSheetRow(SheetCriteria, "A1", &head)
	row := 2
	for n := 1; n <= 19; n++ {
		rows := [][]any{
			{n, fmt.Sprintf("Tiêu chí thử %d", n), fmt.Sprintf("%d.1", n), "Tỷ lệ thử", "%", "tỷ lệ %", ">=", 80, nil, 90, nil, nil, 70, nil, nil, "đã đối chiếu"},
			{nil, nil, fmt.Sprintf("%d.2", n), "Có công trình thử", "", "đạt/không đạt", "==", "Đạt", nil, nil, nil, nil, nil, nil, nil, "đã đối chiếu"},
			{nil, nil, fmt.Sprintf("%d.3", n), "Số thử", "công trình", "số", ">=", 10, nil, nil, nil, nil, nil, nil, nil, "đã đối chiếu"},
		}
		for _, r := range rows {
			f.SetSheetRow(SheetCriteria, fmt.Sprintf("A%d", row), &r)
			row++
		}
		f.MergeCell(SheetCriteria, fmt.Sprintf("A%d", row-3), fmt.Sprintf("A%d", row-1))
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The acceptance case of issue 3: a full set imported from XLSX, a values file meeting every
// indicator but one, for a commune of a region with an override.
func TestAcceptance_Full19CriteriaSetFromXLSX(t *testing.T) {
	s, err := ImportXLSX("tinh.xlsx", bytes.NewReader(officeWorkbook(t)))
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Criteria != 19 || st.Indicators != 57 || st.Unverified != 0 || st.Missing != 0 {
		t.Fatalf("imported set: %+v", st)
	}
	var csv strings.Builder
	csv.WriteString("unit,set,period,code,value\n")
	for n := 1; n <= 19; n++ {
		v := "92.5"
		if n == 17 {
			v = "88" // meets the general 80, not the 90 of Đồng bằng sông Hồng
		}
		fmt.Fprintf(&csv, "00001,xa-thu-19,2024,%d.1,%s\n", n, v)
		fmt.Fprintf(&csv, "00001,xa-thu-19,2024,%d.2,đạt\n", n)
		fmt.Fprintf(&csv, "00001,xa-thu-19,2024,%d.3,12\n", n)
	}
	rows, err := ReadValuesCSV("values.csv", strings.NewReader(csv.String()))
	if err != nil {
		t.Fatal(err)
	}
	vals, err := s.Values("values.csv", rows)
	if err != nil {
		t.Fatal(err)
	}
	unit := Unit{Code: "00001", Region: "DBSH"}
	r, _ := Evaluate(s, unit, vals, Options{})
	if r.CriteriaMet != 18 || r.CriteriaTotal != 19 || r.Met || r.IndicatorsMet != 56 || r.IndicatorsTotal != 57 {
		t.Fatalf("want 18/19 criteria, 56/57 indicators: %d/%d, %d/%d", r.CriteriaMet, r.CriteriaTotal, r.IndicatorsMet, r.IndicatorsTotal)
	}
	status, reason := find(t, r, "17.1")
	if status != StatusNotMet || reason != "17.1: 88 % < 90 % yêu cầu tại vùng Đồng bằng sông Hồng" {
		t.Errorf("17.1: %s %q", status, reason)
	}
	if en := r.Indicators[16*3].ReasonEN(); en != "17.1: 88 % < 90 % required in Đồng bằng sông Hồng" {
		t.Errorf("english: %q", en)
	}
	// In Tây Nguyên the same values meet everything.
	if r, _ := Evaluate(s, Unit{Region: "TN"}, vals, Options{}); !r.Met || r.CriteriaMet != 19 {
		t.Errorf("Tây Nguyên: %d/19", r.CriteriaMet)
	}
	// The same file with an indicator left out.
	delete(vals, "5.3")
	r, _ = Evaluate(s, unit, vals, Options{})
	if status, reason := find(t, r, "5.3"); status != StatusMissing || !strings.Contains(reason, "chưa có số liệu") {
		t.Errorf("5.3 left out: %s %q", status, reason)
	}
	if status, _ := find(t, r, "TC5"); status != StatusIncomplete || r.CriteriaMet != 17 {
		t.Errorf("criterion 5 with a missing indicator: %s, %d met", status, r.CriteriaMet)
	}
	// A shipped indicator without a threshold.
	r, _ = Evaluate(shippedSet(t, "xa-ntm-2021"), unit, Values{"2.2": Number(100)}, Options{})
	if status, _ := find(t, r, "2.2"); status != StatusNoThreshold {
		t.Errorf("shipped 2.2: %s", status)
	}
}

func TestXLSX_RoundTripsEveryShippedSet(t *testing.T) {
	sets, err := ShippedSets()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		t.Run(s.ID, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ExportXLSX(s, &buf); err != nil {
				t.Fatal(err)
			}
			back, err := ImportXLSX(s.ID+".xlsx", &buf)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffSets(s, back); d != "" {
				t.Errorf("round trip differs: %s", d)
			}
		})
	}
}

func TestImportXLSX_ProblemsNameSheetRowAndColumn(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(f *excelize.File)
		sheet string
		row   int
		col   string
		msg   string
	}{
		{"text in a number threshold", func(f *excelize.File) { f.SetCellValue(SheetCriteria, "H4", "abc") },
			SheetCriteria, 4, "H", `"abc" is not a number`},
		{"unknown comparator", func(f *excelize.File) { f.SetCellValue(SheetCriteria, "G2", "=>") },
			SheetCriteria, 2, "G", `unknown comparator "=>"`},
		{"duplicate code", func(f *excelize.File) { f.SetCellValue(SheetCriteria, "C3", "1.1") },
			SheetCriteria, 3, "C", "duplicate indicator code"},
		{"unknown column", func(f *excelize.File) { f.SetCellValue(SheetCriteria, "Q1", "Hà Nội") },
			SheetCriteria, 1, "Q", "unknown column"},
		{"bad date", func(f *excelize.File) { f.SetCellValue(SheetInfo, "B5", "31/02/2023") },
			SheetInfo, 5, "B", "YYYY-MM-DD"},
		{"unknown kind", func(f *excelize.File) { f.SetCellValue(SheetCriteria, "F5", "chữ") },
			SheetCriteria, 5, "F", "kind must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := excelize.OpenReader(bytes.NewReader(officeWorkbook(t)))
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(f)
			var buf bytes.Buffer
			f.WriteTo(&buf)
			_, err = ImportXLSX("tinh.xlsx", &buf)
			ps, ok := ValidationProblems(err)
			if !ok {
				t.Fatalf("want a ValidationFault, got %v", err)
			}
			for _, p := range ps {
				if p.Sheet == tt.sheet && p.Row == tt.row && p.Column == tt.col && strings.Contains(p.Message, tt.msg) {
					want := fmt.Sprintf("tinh.xlsx: sheet %q, dòng %d, cột %s", tt.sheet, tt.row, tt.col)
					if !strings.HasPrefix(p.String(), want) {
						t.Errorf("%q does not start with %q", p.String(), want)
					}
					return
				}
			}
			t.Errorf("no problem at %s %d %s with %q in:\n%v", tt.sheet, tt.row, tt.col, tt.msg, err)
		})
	}
}

func TestImportXLSX_NotAWorkbook(t *testing.T) {
	_, err := ImportXLSX("x.xlsx", strings.NewReader("id: not a workbook"))
	if _, ok := ValidationProblems(err); !ok {
		t.Fatalf("want a ValidationFault, got %v", err)
	}
}

func TestImportXLSX_PercentFormattedCells(t *testing.T) {
	f, _ := excelize.OpenReader(bytes.NewReader(officeWorkbook(t)))
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
	f.SetCellValue(SheetCriteria, "H2", 0.95)
	f.SetCellStyle(SheetCriteria, "H2", "H2", style)
	var buf bytes.Buffer
	f.WriteTo(&buf)
	s, err := ImportXLSX("pct.xlsx", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if in, _ := s.Indicator("1.1"); in.Threshold.Num != 95 {
		t.Errorf("a cell shown as 95%% is 95, got %v", in.Threshold.Num)
	}
}
