package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func TestResourcesCLI_ImportListAndOverdue(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		dir := t.TempDir()
		write := func(name, text string) string {
			p := filepath.Join(dir, name)
			os.WriteFile(p, []byte(text), 0o644)
			return p
		}
		// A bad file: every problem with its row and column, exit 3, nothing stored.
		bad := write("von-2025.csv", "Mã đơn vị,Năm,Ngân sách trung ương,Ngân sách địa phương,Tổng số\n"+
			"21607,2025,195.420,abc,\n"+
			"99999,2025,1,,\n")
		code, _, errs := ntm(t, "--db", dsn, "funding", "import", bad)
		if code != 3 || !strings.Contains(errs, `von-2025.csv: Dòng 2, cột D: "abc" không phải là số`) || !strings.Contains(errs, "không nhập dòng nào") {
			t.Errorf("bad file: exit %d\n%s", code, errs)
		}
		good := write("von-2025.csv", "Mã đơn vị,Năm,Ngân sách trung ương,Ngân sách địa phương,Vốn lồng ghép,Vốn tín dụng,Doanh nghiệp,Cộng đồng dân cư,Tổng số\n"+
			"21607,2025,195.420,64.310,2.150,3.900,98.775,6.045,370.601\n"+
			"23575,2024,\"1.000,5\",,,,,,\n")
		if code, out, errs := ntm(t, "--db", dsn, "funding", "import", good, "--user", "lan"); code != 0 || !strings.Contains(out, "thêm mới 2") {
			t.Fatalf("funding import: exit %d %s %s", code, out, errs)
		}
		code, out, _ := ntm(t, "--db", dsn, "funding", "list", "--unit", "52", "--year", "2025", "--as-of", "2026-01-01")
		if code != 0 || !strings.Contains(out, "✗ chênh lệch 1") || !strings.Contains(out, "Năm 2025 huy động 370.600 triệu đồng (tăng") {
			t.Errorf("funding list: exit %d\n%s", code, out)
		}
		code, out, _ = ntm(t, "--db", dsn, "funding", "list", "--unit", "52", "--year", "2025", "--as-of", "2026-01-01", "--json")
		var got struct {
			Funding []resources.FundingEntry
			Summary struct {
				Total float64
				Flags []any
			}
		}
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Funding) != 1 || got.Summary.Total != 370600 || len(got.Summary.Flags) != 1 {
			t.Errorf("funding list --json: exit %d %s", code, out)
		}

		works := write("ct.csv", "Mã đơn vị;Năm;Loại công trình;Tên công trình;Khối lượng;ĐVT;Tình trạng;Ngày hoàn thành;Kế hoạch vốn NSTW;Đã giải ngân\n"+
			"21607;2025;Đường liên xã;Đường Nhơn Châu;104,48;km;Hoàn thành;15/09/2025;10.000;2.500\n")
		if code, _, errs := ntm(t, "--db", dsn, "works", "import", works); code != 0 {
			t.Fatalf("works import: %s", errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "works", "list", "--unit", "52", "--year", "2025", "--as-of", "2026-01-01")
		if code != 0 || !strings.Contains(out, "Hoàn thành 104,48 km đường liên xã; giải ngân 2.500 triệu đồng, đạt 25,0% kế hoạch vốn") ||
			!strings.Contains(out, "hoàn thành (15/09/2025)") {
			t.Errorf("works list: exit %d\n%s", code, out)
		}
		// The day before its completion day, the road is not yet done.
		code, out, _ = ntm(t, "--db", dsn, "works", "list", "--unit", "52", "--year", "2025", "--as-of", "2025-09-14")
		if code != 0 || strings.Contains(out, "Hoàn thành 104,48 km") || !strings.Contains(out, "Đường Nhơn Châu") {
			t.Errorf("works list as of 14/09/2025 counts the road completed on 15/09: exit %d\n%s", code, out)
		}

		models := write("mh.csv", "Loại mô hình,Mã đơn vị,Thôn,Tên mô hình,Năm công nhận\n"+
			"Khu dân cư nông thôn mới kiểu mẫu,21607,Thôn Một,Khu dân cư thôn Một,2024\n"+
			"Khu dân cư nông thôn mới kiểu mẫu,21607,Thôn Hai,Khu dân cư thôn Hai,2025\n")
		if code, _, errs := ntm(t, "--db", dsn, "models", "import", models); code != 0 {
			t.Fatalf("models import: %s", errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "models", "list", "--unit", "52", "--to", "2025", "--as-of", "2026-01-01")
		if code != 0 || !strings.Contains(out, "Năm 2025 có thêm 01 khu dân cư kiểu mẫu, nâng tổng số lên 02 khu dân cư kiểu mẫu.") {
			t.Errorf("models list: exit %d\n%s", code, out)
		}

		// A task due yesterday is overdue; one due today is not.
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		today := units.Today()
		for _, x := range []struct {
			title string
			due   units.Date
		}{{"Hoàn thành chợ", today.AddDays(-1)}, {"Báo cáo quý", today}} {
			if _, err := db.SaveTask(ctx, "lan", 0, resources.Task{UnitCode: "52", Title: x.title, OwnerKind: resources.OwnerDepartment,
				Owner: "Sở Công Thương", Assigned: today.AddDays(-30), Due: x.due, Status: resources.TaskOpen}); err != nil {
				t.Fatal(err)
			}
		}
		code, out, _ = ntm(t, "--db", dsn, "tasks", "overdue", "--unit", "52")
		if code != 0 || !strings.Contains(out, "Sở Công Thương: 01 nhiệm vụ quá hạn — Hoàn thành chợ") || strings.Contains(out, "Báo cáo quý") {
			t.Errorf("tasks overdue: exit %d\n%s", code, out)
		}
		code, out, _ = ntm(t, "--db", dsn, "tasks", "list", "--unit", "52")
		if code != 0 || !strings.Contains(out, "✗ quá hạn 1 ngày") || !strings.Contains(out, "Báo cáo quý") {
			t.Errorf("tasks list: exit %d\n%s", code, out)
		}
	})
}
