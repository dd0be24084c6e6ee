package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// A province imports its decision assigning commune groups; the communes still without a
// group are listed, and a bad file is refused whole with exit 3.
func TestUnitsTagsImportAndUntagged(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		communes := 0
		untagged := func() int {
			code, out, errs := ntm(t, "--db", dsn, "units", "untagged", "--set", "xa-ntm-2026", "--parent", "01", "--as-of", "2026-03-01", "--json")
			var r struct {
				Communes int               `json:"communes"`
				Untagged []json.RawMessage `json:"untagged"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Communes == 0 || r.Communes >= 126 {
				t.Fatalf("untagged (the xã of Hà Nội, not its phường): exit %d %q %s", code, out, errs)
			}
			communes = r.Communes
			return len(r.Untagged)
		}
		if n := untagged(); n != communes {
			t.Errorf("before any decision: %d untagged, want all %d", n, communes)
		}
		// Progress against the 2026-2030 set counts the communes without a group apart.
		progressCounts := func() (total, unassigned int) {
			code, out, errs := ntm(t, "--db", dsn, "progress", "--unit", "01", "--set", "xa-ntm-2026", "--as-of", "2026-03-01", "--json")
			var r struct {
				Total      int `json:"units_total"`
				Unassigned int `json:"group_unassigned"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
				t.Fatalf("progress: exit %d %s", code, errs)
			}
			return r.Total, r.Unassigned
		}
		total, before := progressCounts()
		if total == 0 || before != total {
			t.Errorf("progress before any decision: %d of %d without a group", before, total)
		}
		if code, out, _ := ntm(t, "--db", dsn, "progress", "--unit", "01", "--set", "xa-ntm-2026", "--as-of", "2026-03-01"); code != 0 ||
			!strings.Contains(out, "xã chưa xác định nhóm xã") {
			t.Errorf("progress text: %q", out)
		}
		dir := t.TempDir()
		good := filepath.Join(dir, "nhom.csv")
		os.WriteFile(good, []byte("Mã đơn vị,Nhãn hoặc nhóm,Số quyết định,Ngày quyết định,Hiệu lực từ\n"+
			"00004,Nhóm 1,120/QĐ-UBND,20/02/2026,01/03/2026\n00376,Nhóm 1,120/QĐ-UBND,20/02/2026,01/03/2026\n"), 0o644)
		code, out, errs := ntm(t, "--db", dsn, "units", "tags", "import", good, "--user", "tinh")
		if code != 0 || !strings.Contains(out, "Đã nạp 2 dòng: 2 mới") {
			t.Fatalf("tags import: exit %d %q %s", code, out, errs)
		}
		if n := untagged(); n != communes-1 {
			t.Errorf("after the decision (one xã, one phường): %d untagged, want %d", n, communes-1)
		}
		if _, after := progressCounts(); after != before-1 {
			t.Errorf("progress after grouping Xã Sóc Sơn: %d without a group, want %d", after, before-1)
		}
		code, out, _ = ntm(t, "--db", dsn, "units", "untagged", "--set", "xa-ntm-2026", "--parent", "01", "--as-of", "2026-03-01")
		if code != 0 || !strings.Contains(out, fmt.Sprintf("%d/%d xã chưa đủ thông tin", communes-1, communes)) || strings.Contains(out, "Phường Ba Đình") {
			t.Errorf("untagged text: %q", out)
		}
		bad := filepath.Join(dir, "sai.csv")
		os.WriteFile(bad, []byte("unit_code,tag,decision,decided,valid_from\n00025,Nhóm 9,1/QĐ-UBND,20/02/2026,01/03/2026\n"), 0o644)
		if code, _, errs := ntm(t, "--db", dsn, "units", "tags", "import", bad); code != 3 || !strings.Contains(errs, "dòng 2, cột tag") {
			t.Errorf("bad tags file: exit %d %q", code, errs)
		}
	})
}
