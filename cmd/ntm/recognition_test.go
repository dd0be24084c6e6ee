package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func registryXLSX(t *testing.T, path string, rows ...[]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{"Mã đơn vị", "Tên đơn vị", "Mức đạt chuẩn", "Số quyết định", "Ngày quyết định", "Người ký"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRecognitionCommands(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		dir := t.TempDir()
		// A registry with a bad row: refused whole, naming the row and column.
		bad := registryXLSX(t, filepath.Join(dir, "bad.xlsx"),
			[]any{"00379", "Xã Bắc Sơn", "NTM", "10/QĐ-UBND", "20/12/2019", "Chủ tịch UBND thành phố"},
			[]any{"00382", "Xã Minh Trí", "NTM", "11/QĐ-UBND", "31/02/2020", ""})
		code, _, errs := ntm(t, "--db", dsn, "recognition", "import", bad)
		if code != 3 || !strings.Contains(errs, "bad.xlsx") || !strings.Contains(errs, "Dòng 3, cột E") {
			t.Errorf("bad registry: exit %d %q", code, errs)
		}
		good := registryXLSX(t, filepath.Join(dir, "so-cong-nhan.xlsx"),
			[]any{"00379", "Xã Bắc Sơn", "NTM", "10/QĐ-UBND", "20/12/2019", "Chủ tịch UBND thành phố"},
			[]any{"00382", "Xã Minh Trí", "NTM nâng cao", "11/QĐ-UBND", "2023-05-02", ""})
		if code, out, errs := ntm(t, "--db", dsn, "recognition", "import", good, "--dry-run"); code != 0 || !strings.Contains(out, "chạy thử") {
			t.Errorf("dry run: exit %d %q %q", code, out, errs)
		}
		if code, out, _ := ntm(t, "--db", dsn, "recognition", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
			t.Errorf("after a dry run: %q", out)
		}
		code, out, errs := ntm(t, "--db", dsn, "recognition", "import", good, "--user", "tinh.hn")
		if code != 0 || !strings.Contains(out, "2 dòng, đã nhập 2 quyết định mới") {
			t.Fatalf("import: exit %d %q %q", code, out, errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "recognition", "list", "--unit", "016", "--as-of", "2022-12-31")
		if code != 0 || !strings.Contains(out, "Xã Bắc Sơn") || strings.Contains(out, "Xã Minh Trí") || !strings.Contains(out, "20/12/2019") {
			t.Errorf("list as of 2022: exit %d\n%s", code, out)
		}
		var list []store.Recognition
		code, out, _ = ntm(t, "--db", dsn, "recognition", "list", "--as-of", "2024-01-01", "--tier", "nang-cao", "--json")
		if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0].UnitCode != "00382" || list[0].SetID != "xa-nang-cao-2021" {
			t.Errorf("list --tier nang-cao: exit %d %s", code, out)
		}
		// Bắc Sơn's 2024 assessment fails 10 of 19 criteria: on the watch list.
		var csv strings.Builder
		csv.WriteString("unit,set,period,code,value\n")
		for n := 1; n <= 19; n++ {
			v := "1"
			if n <= 10 {
				v = "0"
			}
			fmt.Fprintf(&csv, "00379,xa-ntm-2021,2024,TC%d,%s\n", n, v)
		}
		values := filepath.Join(dir, "values.csv")
		os.WriteFile(values, []byte(csv.String()), 0o644)
		if code, _, errs := ntm(t, "--db", dsn, "values", "import", values); code != 0 {
			t.Fatalf("values import: exit %d %s", code, errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "recognition", "watch", "--unit", "016", "--as-of", "2025-01-01")
		if code != 0 || !strings.Contains(out, "00379 Xã Bắc Sơn") || !strings.Contains(out, "không đạt 10/19 tiêu chí (52,6%)") || !strings.Contains(out, "10*") {
			t.Errorf("watch: exit %d\n%s", code, out)
		}
		// A dossier, overdue at the district's appraisal.
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		lib, _ := recognition.Shipped()
		wf, _ := lib.Workflow("xa-2022")
		ctx := context.Background()
		d, err := db.CreateDossier(ctx, "xa", store.NewDossier{UnitCode: "00385", Tier: "ntm", SetID: "xa-ntm-2021", WorkflowID: wf.ID, FirstStep: "lap-ho-so", Opened: "2024-03-01"})
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range wf.Steps[0].Documents {
			db.AddDossierDocument(ctx, "xa", d.ID, "lap-ho-so", store.DocumentUpload{Item: doc.ID, Filename: doc.ID + ".pdf", ContentType: "application/pdf", Content: []byte("%PDF-1.4")})
		}
		if _, err := db.TakeStep(ctx, "xa", d.ID, wf, store.StepAction{Outcome: recognition.Pass, On: "2024-03-04", Comment: ""}); err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(d.ID, 10)
		code, out, _ = ntm(t, "--db", dsn, "dossier", "show", id)
		if code != 0 || !strings.Contains(out, "Xã Hồng Kỳ") || !strings.Contains(out, "UBND huyện thẩm tra") || !strings.Contains(out, "QUÁ HẠN") ||
			!strings.Contains(out, "✓ Tờ trình") || !strings.Contains(out, "chưa đối chiếu văn bản") {
			t.Errorf("dossier show: exit %d\n%s", code, out)
		}
		code, out, _ = ntm(t, "--db", dsn, "recognition", "overdue", "--unit", "016", "--as-of", "2024-03-20")
		if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "19/03/2024") || !strings.Contains(out, "1 ngày") {
			t.Errorf("overdue: exit %d\n%s", code, out)
		}
		if code, _, _ := ntm(t, "--db", dsn, "dossier", "show", "99999"); code != 4 {
			t.Errorf("an unknown dossier: exit %d, want 4", code)
		}
		if code, _, _ := ntm(t, "--db", dsn, "dossier", "show", "abc"); code != 2 {
			t.Errorf("a bad id: exit %d, want 2", code)
		}
	})
}
