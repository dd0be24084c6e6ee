package units

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
)

const header = "code,name,full_name,name_en,level,type,parent_code,region_code,valid_from,valid_to,tags\n"

func TestParseCSV_Reads(t *testing.T) {
	in := "\uFEFF" + strings.ReplaceAll(header+
		"01,Hà Nội,Thành phố Hà Nội,Ha Noi,province,thành phố trung ương,,DBSH,,2025-06-30,\n"+
		"001,Ba Đình,Quận Ba Đình,Ba Dinh,district,Quận,01,DBSH,,2025-06-30,\n"+
		"01,Hà Nội,Thành phố Hà Nội,Hanoi,province,thành phố trung ương,,DBSH,2025-07-01,,\n"+
		"00004,Ba Đình,Phường Ba Đình,Ba Dinh,commune,phường,01,,2025-07-01,, bien-gioi ; dac-biet-kho-khan;;bien-gioi\n"+
		"\"00005\",\"Hoa\u0300 \"\"B\"\"\",\"Xã Hoà, B\",,commune,xã,01,DBSH,2025-07-01,,\n",
		"\n", "\r\n")
	got, err := ParseCSV("units.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Unit{
		{Code: "01", Name: "Hà Nội", FullName: "Thành phố Hà Nội", NameEN: "Ha Noi", Level: LevelProvince, Type: TypeCentralCity, Region: RegionDBSH, ValidFrom: Beginning, ValidTo: "2025-06-30"},
		{Code: "001", Name: "Ba Đình", FullName: "Quận Ba Đình", NameEN: "Ba Dinh", Level: LevelDistrict, Type: "quận", ParentCode: "01", Region: RegionDBSH, ValidFrom: Beginning, ValidTo: "2025-06-30"},
		{Code: "01", Name: "Hà Nội", FullName: "Thành phố Hà Nội", NameEN: "Hanoi", Level: LevelProvince, Type: TypeCentralCity, Region: RegionDBSH, ValidFrom: "2025-07-01", ValidTo: Forever},
		{Code: "00004", Name: "Ba Đình", FullName: "Phường Ba Đình", NameEN: "Ba Dinh", Level: LevelCommune, Type: TypeWard, ParentCode: "01", ValidFrom: "2025-07-01", ValidTo: Forever, Tags: []string{"bien-gioi", "dac-biet-kho-khan"}},
		{Code: "00005", Name: "Hoà \"B\"", FullName: "Xã Hoà, B", Level: LevelCommune, Type: TypeRuralCommune, ParentCode: "01", Region: RegionDBSH, ValidFrom: "2025-07-01", ValidTo: Forever},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
	if got[4].Name != "Ho\u00e0 \"B\"" {
		t.Errorf("name not NFC: %q", got[4].Name)
	}
}

func TestParseCSV_RequiredColumnsOnly(t *testing.T) {
	in := "Level,code,name,full_name,name_en,type,parent_code,region_code\n" +
		"province,01,Hà Nội,Thành phố Hà Nội,Ha Noi,thành phố trung ương,,DBSH\n"
	got, err := ParseCSV("u.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Level != LevelProvince || got[0].ValidFrom != Beginning || got[0].ValidTo != Forever {
		t.Errorf("got %+v", got)
	}
}

func TestParseCSV_Problems(t *testing.T) {
	const prov = "01,Hà Nội,Thành phố Hà Nội,Ha Noi,province,thành phố trung ương,,DBSH,,,\n"
	tests := []struct {
		name   string
		in     string
		line   int
		column string
		msg    string
	}{
		{"bad level", header + prov + "001,Ba Đình,Quận Ba Đình,,tinh,quận,01,,,,\n",
			3, "level", `"tinh" is not one of province, district, commune, village`},
		{"bad date", header + prov + "001,Ba Đình,Quận Ba Đình,,district,quận,01,,2025-02-30,,\n",
			3, "valid_from", `"2025-02-30" is not a date`},
		{"date order", header + prov + "001,Ba Đình,Quận Ba Đình,,district,quận,01,,2025-07-01,2025-06-30,\n",
			3, "valid_to", "2025-06-30 is before valid_from 2025-07-01"},
		{"unknown region", header + "01,Hà Nội,Thành phố Hà Nội,,province,tỉnh,,DB,,,\n",
			2, "region_code", `"DB" is not one of TDMNPB`},
		{"missing parent code", header + prov + "001,Ba Đình,Quận Ba Đình,,district,quận,,,,,\n",
			3, "parent_code", "a district needs the code of the unit it belongs to"},
		{"parent not in file", header + prov + "001,Ba Đình,Quận Ba Đình,,district,quận,02,,,,\n",
			3, "parent_code", "parent 02 is not in the file"},
		{"parent not valid then", header + "01,Hà Nội,Thành phố Hà Nội,,province,tỉnh,,,,2025-06-30,\n" +
			"00004,Ba Đình,Phường Ba Đình,,commune,phường,01,,2025-07-01,,\n",
			3, "parent_code", "parent 01 has no row valid between 2025-07-01 and 9999-12-31"},
		{"parent not above", header + prov + "001,Ba Đình,Quận Ba Đình,,district,quận,01,,,,\n" +
			"002,Hoàn Kiếm,Quận Hoàn Kiếm,,district,quận,001,,,,\n",
			4, "parent_code", "parent 001 is not a level above a district"},
		{"province with parent", header + prov + "02,Hà Giang,Tỉnh Hà Giang,,province,tỉnh,01,,,,\n",
			3, "parent_code", "a province has no parent"},
		{"duplicate code", header + prov + "01,Hà Nội,Thành phố Hà Nội,Hanoi,province,tỉnh,,,2025-07-01,,\n",
			3, "code", "duplicate code 01: line 2 has it too, and both rows are valid from 2025-07-01 to 9999-12-31"},
		{"duplicate code, bounded", header + "01,A,A,,province,tỉnh,,,2020-01-01,2025-12-31,\n" + "01,B,B,,province,tỉnh,,,2021-01-01,2021-12-31,\n" + "01,C,C,,province,tỉnh,,,2023-01-01,,\n",
			4, "code", "line 2 has it too, and both rows are valid from 2023-01-01 to 2025-12-31"},
		{"code not digits", header + "H01,Hà Nội,Thành phố Hà Nội,,province,tỉnh,,,,,\n",
			2, "code", `"H01" is not a code`},
		{"empty code", header + ",Hà Nội,Thành phố Hà Nội,,province,tỉnh,,,,,\n",
			2, "code", "the code is empty"},
		{"empty name", header + "01,,Thành phố Hà Nội,,province,tỉnh,,,,,\n",
			2, "name", "the name is empty"},
		{"missing header column", "code,name,full_name,name_en,type,parent_code,region_code\n01,Hà Nội,,,tỉnh,,\n",
			1, "level", "missing required column"},
		{"unknown header column", strings.Replace(header, "valid_from", "valid_form", 1) + prov,
			1, "valid_form", "unknown column"},
		{"duplicate header column", "code,code,name,full_name,name_en,level,type,parent_code,region_code\n",
			1, "code", "column appears twice"},
		{"field count", header + "01,Hà Nội\n", 2, "", "the row has 2 fields but the header has 11"},
		{"bad quoting", header + prov + "02,\"Hà \"Giang\",,,province,tỉnh,,,,,\n", 3, "", "reading stopped here"},
		{"empty file", "", 0, "", "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV("units.csv", strings.NewReader(tt.in))
			ps, ok := fault.ProblemsOf[[]Problem](err)
			if !ok {
				t.Fatalf("err = %v, want a fault listing problems", err)
			}
			if !strings.HasPrefix(err.Error(), "units.csv") || !fault.Is(err, fault.InvalidValue) {
				t.Errorf("err %q, code %q", err, fault.CodeOf(err))
			}
			for _, p := range ps {
				if p.Line == tt.line && p.Column == tt.column && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no problem at line %d, column %q, containing %q; got:\n%v", tt.line, tt.column, tt.msg, err)
		})
	}
}

func TestParseCSV_OneProblemPerCause(t *testing.T) {
	// A bad parent row must not make its children fail too.
	in := header +
		"01,Hà Nội,Thành phố Hà Nội,,province,tỉnh,,XX,,,\n" +
		"001,Ba Đình,Quận Ba Đình,,district,quận,01,,,,\n" +
		"00001,Phúc Xá,Phường Phúc Xá,,commune,phường,001,,,,\n"
	_, err := ParseCSV("units.csv", strings.NewReader(in))
	if ps, _ := fault.ProblemsOf[[]Problem](err); len(ps) != 1 {
		t.Fatalf("want exactly one problem, got %v", err)
	}
}

func TestParseCSV_ErrorText(t *testing.T) {
	in := header + "01,Hà Nội,Thành phố Hà Nội,,tinh,tỉnh,,,,,\n" + "02,Hà Giang,Tỉnh Hà Giang,,province,tỉnh,,,2025-13-01,,\n"
	_, err := ParseCSV("units.csv", strings.NewReader(in))
	want := `units.csv:2: column level: "tinh" is not one of province, district, commune, village` + "\n" +
		`units.csv:3: column valid_from: "2025-13-01" is not a date of the form YYYY-MM-DD or dd/mm/yyyy (ngày phải viết dạng dd/mm/yyyy, ví dụ 30/06/2026, hoặc 2026-06-30)`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestParseCSV_ProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for i := range 200 {
		fmt.Fprintf(&b, "%02d,X,X,,tinh,tỉnh,,,,,\n", i)
	}
	_, err := ParseCSV("units.csv", strings.NewReader(b.String()))
	f, _ := fault.As(err)
	if ps, _ := fault.ProblemsOf[[]Problem](err); len(ps) != MaxProblems || !f.Truncated {
		t.Fatalf("got %d problems, truncated %v", len(ps), f.Truncated)
	}
	if !strings.HasSuffix(err.Error(), "stopped after 50 problems") {
		t.Errorf("error does not say it stopped: %q", err.Error()[len(err.Error())-60:])
	}
}

func TestParseCSVOptions_AllowExternalParents(t *testing.T) {
	in := header +
		"00004001,Thôn 1,Thôn 1,,village,thôn,00004,,,,\n" +
		"00004002,Thôn 2,Thôn 2,,village,thôn,00004001,,,,\n"
	_, err := ParseCSVOptions{AllowExternalParents: true}.Parse("villages.csv", strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "villages.csv:3: column parent_code: parent 00004001 is not a level above a village") {
		t.Errorf("a parent in the file must still be above: got %v", err)
	}
	in = header + "00004001,Thôn 1,Thôn 1,,village,thôn,00004,,,,\n"
	if _, err := (ParseCSVOptions{AllowExternalParents: true}).Parse("villages.csv", strings.NewReader(in)); err != nil {
		t.Errorf("external parent refused: %v", err)
	}
	if _, err := ParseCSV("villages.csv", strings.NewReader(in)); err == nil {
		t.Error("ParseCSV accepted a parent that is not in the file")
	}
}

func TestParseLineageCSV(t *testing.T) {
	got, err := ParseLineageCSV("lineage.csv", strings.NewReader("\uFEFFold_code,new_code,kind,effective\r\n00004,00004,full,2025-07-01\r\n376,14698,partial,2025-07-01\r\n"))
	want := []Lineage{
		{OldCode: "00004", NewCode: "00004", Kind: LineageFull, Effective: "2025-07-01"},
		{OldCode: "376", NewCode: "14698", Kind: LineagePartial, Effective: "2025-07-01"},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, %v", got, err)
	}
	// The resolution and the basis are optional columns.
	got, err = ParseLineageCSV("lineage.csv", strings.NewReader("old_code,new_code,kind,effective,resolution,basis\n"+
		"16387,16408,full,2020-01-01,786/NQ-UBTVQH14,inferred\n00004,00004,full,2025-07-01,,table\n"))
	want = []Lineage{
		{OldCode: "16387", NewCode: "16408", Kind: LineageFull, Effective: "2020-01-01", Resolution: "786/NQ-UBTVQH14", Basis: BasisInferred},
		{OldCode: "00004", NewCode: "00004", Kind: LineageFull, Effective: "2025-07-01", Basis: BasisTable},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("with resolution and basis: got %v, %v", got, err)
	}

	const h = "old_code,new_code,kind,effective\n"
	tests := []struct {
		name, in, column, msg string
		line                  int
	}{
		{"bad kind", h + "00004,00004,merged,2025-07-01\n", "kind", `"merged" is not one of full, partial`, 2},
		{"bad date", h + "00004,00004,full,31/6/2025\n", "effective", `"31/6/2025" is not a date`, 2},
		{"empty date", h + "00004,00004,full,\n", "effective", `"" is not a date`, 2},
		{"bad old code", h + "4a,00004,full,2025-07-01\n", "old_code", `"4a" is not a code`, 2},
		{"empty new code", h + "00004,,full,2025-07-01\n", "new_code", "the code is empty", 2},
		{"duplicate pair", h + "00004,00004,full,2025-07-01\n00004,00004,partial,2025-07-01\n", "old_code", "already on line 2", 3},
		{"missing column", "old_code,new_code,kind\n", "effective", "missing required column", 1},
		{"bad basis", "old_code,new_code,kind,effective,basis\n00004,00004,full,2025-07-01,guessed\n", "basis", `"guessed" is not one of table, lists, inferred`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLineageCSV("lineage.csv", strings.NewReader(tt.in))
			ps, ok := fault.ProblemsOf[[]Problem](err)
			if !ok {
				t.Fatalf("err = %v, want a fault listing problems", err)
			}
			for _, p := range ps {
				if p.Line == tt.line && p.Column == tt.column && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no problem at line %d, column %q, containing %q; got:\n%v", tt.line, tt.column, tt.msg, err)
		})
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(header + "01,Hà Nội,Thành phố Hà Nội,Ha Noi,province,tỉnh,,DBSH,,2025-06-30,\n001,Ba Đình,Quận Ba Đình,,district,quận,01,DBSH,,2025-06-30,a;b\n"))
	f.Add([]byte("\uFEFFcode,name,full_name,name_en,level,type,parent_code,region_code\r\n01,X,X,,province,tỉnh,,\r\n01,X,X,,province,tỉnh,,\r\n"))
	f.Add([]byte(header + "\"01,\"x\n"))
	f.Add([]byte(header + "01,X,X,,province,tỉnh,,,2025-07-01,2025-06-30,\n02,Y,Y,,commune,xã,01,,,,\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, in []byte) {
		us, err := ParseCSV("fuzz.csv", strings.NewReader(string(in)))
		if err != nil {
			if ps, _ := fault.ProblemsOf[[]Problem](err); len(ps) == 0 || len(ps) > MaxProblems {
				t.Fatalf("bad error %#v", err)
			}
			_ = err.Error()
			return
		}
		for _, u := range us {
			if checkCode(u.Code) != "" || !ValidLevel(u.Level) || u.ValidFrom > u.ValidTo || u.Name == "" {
				t.Fatalf("accepted a bad unit %+v", u)
			}
			if (u.Level == LevelProvince) != (u.ParentCode == "") {
				t.Fatalf("accepted a bad parent %+v", u)
			}
		}
	})
}

// TestParseDate_OfficesForm: days a person types are read as ISO or dd/mm/yyyy and come back
// in the stored form; impossible days are refused with both forms named; ParseDate, which
// checks stored fields, takes the stored form only.
func TestParseDate_OfficesForm(t *testing.T) {
	for in, want := range map[string]Date{"2026-06-30": "2026-06-30", "30/06/2026": "2026-06-30", "1/7/2025": "2025-07-01", "01.07.2025": "2025-07-01"} {
		if got, err := ReadDate(in); err != nil || got != want {
			t.Errorf("ReadDate(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "31/06/2026", "2026-02-30", "30/06/26", "abc", "2026/06/30"} {
		if _, err := ReadDate(in); err == nil || !strings.Contains(err.Error(), "dd/mm/yyyy") {
			t.Errorf("ReadDate(%q): %v, want an error naming dd/mm/yyyy", in, err)
		}
	}
	for _, in := range []string{"30/06/2026", "1/7/2025", "2026-6-30"} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted a day not in the stored form", in)
		}
	}
}
