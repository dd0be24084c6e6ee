package store_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// importWorld is a migrated database with the shipped units and the catalog's evaluator.
type importWorld struct {
	db  *store.DB
	cat *app.Catalog
}

func newImportWorld(t *testing.T, db *store.DB) *importWorld {
	t.Helper()
	cat, err := app.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return &importWorld{db: db, cat: cat}
}

// run imports a file (CSV or XLSX) as user (nil: the system).
func (w *importWorld) run(t *testing.T, name string, data []byte, user *auth.User, dry bool) (imports.Report, error) {
	t.Helper()
	rows, err := imports.Read(name, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	actor := "tester"
	if user != nil {
		actor = user.Username
	}
	return w.cat.ImportValues(context.Background(), actor, rows, store.ImportOptions{Filename: name, DryRun: dry, User: user}, nil)
}

func (w *importWorld) assessments(t *testing.T) []store.Assessment {
	t.Helper()
	as, err := w.db.ListAssessments(context.Background(), store.AssessmentFilter{Limit: 5000})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func problemsOf(t *testing.T, err error) []imports.Problem {
	t.Helper()
	rep, ok := imports.Rejected(err)
	if !ok {
		t.Fatalf("want a file rejected with its problems, got %v", err)
	}
	return rep.Problems
}

// The acceptance test of issue 4: one bad row among 10,000 changes nothing and the report
// names that row and its column; without it, the file imports whole.
func TestImportValues_OneBadRowAmongTenThousand(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		good := nationalCSV(t, 10_000)
		lines := strings.Split(string(good), "\n")
		// One assessment per unit, set and period in the file; how many follows from the
		// number of indicators of the shipped set.
		keys := map[string]bool{}
		for _, l := range lines[1:] {
			if f := strings.Split(l, ","); len(f) == 5 {
				keys[f[0]+"|"+f[1]+"|"+f[2]] = true
			}
		}
		wantAssessments := len(keys)
		bad := 0
		for i := 5000; i < len(lines); i++ {
			if f := strings.Split(lines[i], ","); len(f) == 5 && f[3] == "17.1" {
				f[4] = "abc"
				lines[i], bad = strings.Join(f, ","), i+1
				break
			}
		}
		_, err := w.run(t, "values.csv", []byte(strings.Join(lines, "\n")), nil, false)
		ps := problemsOf(t, err)
		want := fmt.Sprintf(`Dòng %d, cột value: "abc" không phải là số / line %d, column value: "abc" is not a number`, bad, bad)
		if len(ps) != 1 || ps[0].Line != bad || ps[0].Column != "value" || ps[0].Code != imports.NotANumber || ps[0].Message != want || ps[0].File != "values.csv" {
			t.Fatalf("problems %+v, want one at line %d: %s", ps, bad, want)
		}
		if as := w.assessments(t); len(as) != 0 {
			t.Fatalf("a rejected import left %d assessments", len(as))
		}
		var steps []int
		rows, _ := imports.Read("values.csv", bytes.NewReader(good))
		res, err := w.cat.ImportValues(context.Background(), "tester", rows, store.ImportOptions{Filename: "values.csv"},
			func(done, total int) { steps = append(steps, done); _ = total })
		// 10,000 values of the 73 codes of xa-ntm-2021 (its 12.1/14.3 duplicate listed once) fill 137 communes.
		if err != nil {
			t.Fatal(err)
		}
		if res.Values != 10_000 || res.Added != 10_000 || res.Created != wantAssessments || res.Assessments != wantAssessments {
			t.Errorf("result %+v", res)
		}
		if steps[len(steps)-1] != 20_000 {
			t.Errorf("progress ended at %v", steps)
		}
		as := w.assessments(t)
		if len(as) != wantAssessments {
			t.Fatalf("%d assessments", len(as))
		}
		for _, a := range as {
			if a.Version != 1 || a.Status != assessment.Draft || a.Evaluation == nil || a.Evaluation.CriteriaTotal != 19 || a.CreatedBy != "tester" {
				t.Fatalf("assessment %+v, evaluation %+v", a, a.Evaluation)
			}
		}
		audit, err := db.AuditLog(context.Background(), store.AuditFilter{Actor: "tester", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) != wantAssessments || audit[0].Action != "import" || audit[0].Detail != "values.csv" {
			t.Errorf("%d audit entries, first %+v", len(audit), audit[0])
		}
	})
}

// Every reason a row is refused gives a message naming its line and column.
func TestImportValues_EachReason(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		ctx := context.Background()
		// Nhơn Châu's assessment is submitted, so it cannot take values.
		a := newAssessmentOf(t, db, "21607", "xa-ntm-2021", "2025-Q4")
		if _, err := db.ChangeStatus(ctx, "xa", a.ID, a.Version, assessment.Submit, ""); err != nil {
			t.Fatal(err)
		}
		province := &auth.User{Username: "tinh.gialai", Role: auth.RoleProvince, UnitCode: "52"}
		src := "unit,set,period,code,value\n" +
			"23575,xa-ntm-2021,2025-Q4,17.1,92.5\n" + // 2 fine
			"99999,xa-ntm-2021,2025-Q4,17.1,90\n" + // 3
			"23575,xa-ntm-2099,2025-Q4,17.1,90\n" + // 4
			"23575,xa-ntm-2021,2025-Q5,17.1,90\n" + // 5
			"23575,xa-ntm-2021,2025-Q4,99.9,90\n" + // 6
			"23575,xa-ntm-2021,2025-Q4,2.1,abc\n" + // 7
			"23575,xa-ntm-2021,2025-Q4,2.2,120\n" + // 8
			"23575,xa-ntm-2021,2025-Q4,17.1,93\n" + // 9
			"21607,xa-ntm-2021,2025-Q4,17.1,90\n" + // 10
			"20335,xa-ntm-2021,2025-Q4,17.1,90\n" + // 11: Đà Nẵng, not Gia Lai
			"23575,xa-ntm-2021,2025-Q4,1.1,có lẽ\n" + // 12
			",xa-ntm-2021,2025-Q4,1.2,1\n" // 13
		_, err := w.run(t, "v.csv", []byte(src), province, false)
		ps := problemsOf(t, err)
		want := []struct {
			line   int
			column string
			code   string
			vi, en string
		}{
			{3, "unit", imports.UnknownUnit, `không có đơn vị mã "99999" trong kỳ 2025-Q4`, `no unit with code "99999" during 2025-Q4`},
			{4, "set", imports.UnknownSet, `không có bộ tiêu chí "xa-ntm-2099"`, `no criteria set "xa-ntm-2099"`},
			{5, "period", imports.BadPeriod, `kỳ "2025-Q5" không hợp lệ`, `period "2025-Q5" is malformed`},
			{6, "code", imports.UnknownCode, `mã "99.9" không phải là chỉ tiêu`, `code "99.9" is not an indicator`},
			{7, "value", imports.NotANumber, `"abc" không phải là số`, `"abc" is not a number`},
			{8, "value", imports.OutOfRange, "tỷ lệ 120 không nằm trong khoảng 0–100", "rate 120 is not between 0 and 100"},
			{9, "code", imports.Duplicate, "mã 17.1 của đơn vị 23575, bộ xa-ntm-2021, kỳ 2025-Q4 đã có ở dòng 2", "already given at line 2"},
			{10, "unit", imports.NotEditable, `đang ở trạng thái "đã gửi", không sửa được số liệu`, "is submitted and cannot be edited"},
			{11, "unit", imports.Forbidden, "không có quyền nhập số liệu của đơn vị 20335", "no permission to import values for unit 20335"},
			{12, "value", imports.BadValue, "không phải là đạt/không đạt", "is not a yes/no value"},
			{13, "unit", imports.Missing, "thiếu mã đơn vị", "missing unit code"},
		}
		got := map[int]imports.Problem{}
		for _, p := range ps {
			if _, dup := got[p.Line]; dup {
				t.Errorf("two problems at line %d: %+v", p.Line, ps)
			}
			got[p.Line] = p
		}
		if len(ps) != len(want) {
			t.Errorf("%d problems, want %d: %+v", len(ps), len(want), ps)
		}
		for _, w := range want {
			p, ok := got[w.line]
			prefix := fmt.Sprintf("Dòng %d, cột %s: ", w.line, w.column)
			enPrefix := fmt.Sprintf(" / line %d, column %s: ", w.line, w.column)
			if !ok || p.Column != w.column || p.Code != w.code || !strings.HasPrefix(p.Message, prefix) ||
				!strings.Contains(p.Message, w.vi) || !strings.Contains(p.Message, enPrefix) || !strings.Contains(p.Message, w.en) {
				t.Errorf("line %d: %+v, want %s %s %q / %q", w.line, p, w.column, w.code, w.vi, w.en)
			}
		}
		if as := w.assessments(t); len(as) != 1 {
			t.Errorf("%d assessments after a rejected import", len(as))
		}
	})
}

func newAssessmentOf(t *testing.T, db *store.DB, unit, set, period string) store.Assessment {
	t.Helper()
	p, err := assessment.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(context.Background(), "xa", unit, set, p, empty)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A dry run reports what would change and writes nothing; the import then does exactly that,
// bumping each changed assessment's version once; an identical second import changes nothing.
func TestImportValues_DryRunUpdateAndRepeat(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		ctx := context.Background()
		a := newAssessmentOf(t, db, "23575", "xa-ntm-2021", "2025-Q4")
		a, err := setValues(db, ctx, "xa", a.ID, a.Version, []store.ValueChange{
			{Code: "17.1", Value: str("90")}, {Code: "TC1", Value: str("true")}, {Code: "1.1", Value: str("true"), Note: "biên bản số 3"}})
		if err != nil {
			t.Fatal(err)
		}
		src := []byte("unit,set,period,code,value\n" +
			"23575,xa-ntm-2021,2025-q4,17.1,\"92,5\"\n" + // changed
			"23575,xa-ntm-2021,2025-Q4,tc1,đạt\n" + // unchanged: stored as true
			"23575,xa-ntm-2021,2025-Q4,1.1,1\n" + // unchanged, and its note kept (the file has none)
			"23575,xa-ntm-2021,2025-Q4,2.1,80\n" + // added
			"21607,xa-ntm-2021,2025-Q4,TC2,1\n" + // a new assessment
			"21607,xa-ntm-2021,2025-Q4,17.1,100\n")
		want := [7]int{6, 2, 1, 1, 3, 1, 2}
		counts := func(r imports.Report) [7]int {
			return [7]int{r.Values, r.Assessments, r.Created, r.Updated, r.Added, r.Changed, r.Unchanged}
		}
		res, err := w.run(t, "v.csv", src, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		if !res.DryRun || counts(res) != want {
			t.Errorf("dry run: %+v, want %+v", res, want)
		}
		if as := w.assessments(t); len(as) != 1 || as[0].Version != a.Version {
			t.Fatalf("a dry run wrote: %+v", as)
		}
		res, err = w.run(t, "v.csv", src, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if res.DryRun || counts(res) != want {
			t.Errorf("import: %+v, want %+v", res, want)
		}
		got, err := db.Assessment(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != a.Version+1 || got.Values["17.1"].Value != "92.5" || got.Values["17.1"].EnteredBy != "tester" ||
			got.Values["2.1"].Value != "80" || got.Values["1.1"].Note != "biên bản số 3" || got.Values["TC1"].EnteredBy != "xa" {
			t.Errorf("after import: version %d, values %+v", got.Version, got.Values)
		}
		if got.Evaluation == nil || got.Evaluation.CriteriaMetN != 1 || got.UpdatedBy != "tester" {
			t.Errorf("evaluation %+v, updated by %s", got.Evaluation, got.UpdatedBy)
		}
		as := w.assessments(t)
		if len(as) != 2 {
			t.Fatalf("%d assessments", len(as))
		}
		audit, _ := db.AuditLog(ctx, store.AuditFilter{Actor: "tester"})
		if len(audit) != 2 {
			t.Errorf("%d audit entries, want one per assessment: %+v", len(audit), audit)
		}
		res, err = w.run(t, "v.csv", src, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if res.Unchanged != 6 || res.Updated != 0 || res.Created != 0 || res.Added+res.Changed != 0 {
			t.Errorf("repeat: %+v", res)
		}
		again, _ := db.Assessment(ctx, a.ID)
		audit, _ = db.AuditLog(ctx, store.AuditFilter{Actor: "tester"})
		if again.Version != got.Version || len(audit) != 2 {
			t.Errorf("a repeat bumped the version to %d or audited (%d entries)", again.Version, len(audit))
		}
	})
}

// A role that may not import is refused before anything is read; a user in scope imports.
func TestImportValues_Roles(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		src := []byte("unit,set,period,code,value\n23575,xa-ntm-2021,2025-Q4,17.1,92.5\n")
		for _, u := range []*auth.User{
			{Username: "xem", Role: auth.RoleViewer, UnitCode: "23575"},
			{Username: "tw", Role: auth.RoleCentral},
			{Username: "tinh.tat", Role: auth.RoleProvince, UnitCode: "52", Disabled: true},
		} {
			_, err := w.run(t, "v.csv", src, u, false)
			if !fault.Is(err, fault.Forbidden) {
				t.Errorf("%s: %v, want refused", u.Role, err)
			}
		}
		res, err := w.run(t, "v.csv", src, &auth.User{Username: "xa.pleiku", Role: auth.RoleCommune, UnitCode: "23575"}, false)
		if err != nil || res.Added != 1 {
			t.Fatalf("commune import: %+v %v", res, err)
		}
		if as := w.assessments(t); len(as) != 1 || as[0].CreatedBy != "xa.pleiku" {
			t.Errorf("%+v", as)
		}
	})
}

// The wide layout: each cell is a value of its column's code, and an unknown code is
// reported once, at its header cell.
func TestImportValues_WideWorkbook(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		sheet := [][]any{
			{"unit", "tên", "set", "period", "17.1", "TC1", "99.9"},
			{"23575", "Phường Pleiku", "xa-ntm-2021", "2025-Q4", 92.5, "đạt", 1},
			{"21607", "Xã Nhơn Châu", "xa-ntm-2021", "2025-Q4", 88, "không đạt", 2},
		}
		_, err := w.run(t, "bieu.xlsx", wideWorkbook(t, "Biểu 1", sheet), nil, false)
		ps := problemsOf(t, err)
		if len(ps) != 1 || ps[0].Sheet != "Biểu 1" || ps[0].Line != 1 || ps[0].Column != "G" || ps[0].Code != imports.UnknownCode ||
			!strings.HasPrefix(ps[0].Message, `Trang tính Biểu 1, dòng 1, cột G: mã "99.9"`) {
			t.Fatalf("problems %+v", ps)
		}
		for _, row := range sheet {
			row[6] = nil
		}
		sheet[2][4] = "tám mươi"
		_, err = w.run(t, "bieu.xlsx", wideWorkbook(t, "Biểu 1", sheet), nil, false)
		ps = problemsOf(t, err)
		if len(ps) != 1 || ps[0].Line != 3 || ps[0].Column != "E" || ps[0].Code != imports.NotANumber {
			t.Fatalf("problems %+v", ps)
		}
		sheet[2][4] = 88
		// The same unit twice: each repeated cell is named.
		twice := [][]any{sheet[0], sheet[1], sheet[1]}
		_, err = w.run(t, "bieu.xlsx", wideWorkbook(t, "Biểu 1", twice), nil, false)
		ps = problemsOf(t, err)
		if len(ps) != 2 || ps[0].Line != 3 || ps[0].Code != imports.Duplicate || ps[0].Column != "E" && ps[0].Column != "F" ||
			!strings.Contains(ps[0].Message, "đã có ở trang tính Biểu 1, dòng 2") {
			t.Fatalf("repeated row: %+v", ps)
		}
		res, err := w.run(t, "bieu.xlsx", wideWorkbook(t, "Biểu 1", sheet[:3]), nil, false)
		if err != nil || res.Added != 4 || res.Created != 2 {
			t.Fatalf("%+v %v", res, err)
		}
		for _, a := range w.assessments(t) {
			got, _ := db.Assessment(context.Background(), a.ID)
			want := map[string]string{"23575": "92.5|true", "21607": "88|false"}[a.UnitCode]
			if v := got.Values["17.1"].Value + "|" + got.Values["TC1"].Value; v != want {
				t.Errorf("%s: %s, want %s", a.UnitCode, v, want)
			}
		}
	})
}

func wideWorkbook(t *testing.T, name string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", name)
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue(name, cell, v)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
