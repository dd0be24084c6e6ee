package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestAPI_CriteriaListImportVerify(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		admin := newToken(t, db, newUser(t, db, "admin", auth.RoleAdmin, "", ""))
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))

		r := do(t, srv, call{"GET", "/api/v1/criteria", "", []string{authz(tinh)}})
		var list struct {
			Sets []struct {
				ID    string
				Basis struct{ Decision string }
			}
		}
		r.decode(t, &list)
		ids := map[string]string{}
		for _, s := range list.Sets {
			ids[s.ID] = s.Basis.Decision
		}
		for _, id := range []string{"xa-ntm-2016", "xa-ntm-2021", "xa-nang-cao-2021", "xa-kieu-mau-2021", "huyen-ntm-2021", "xa-ntm-2026"} {
			if ids[id] == "" {
				t.Errorf("set %s missing from the list: %s", id, r.body)
			}
		}
		// 2.1 ships unverified.
		indicator := func() map[string]any {
			r := do(t, srv, call{"GET", "/api/v1/criteria/xa-ntm-2021", "", []string{authz(tinh)}})
			var set struct {
				Criteria []struct {
					Indicators []map[string]any
				}
			}
			json.Unmarshal(r.body, &set)
			for _, c := range set.Criteria {
				for _, in := range c.Indicators {
					if in["code"] == "2.1" {
						return in
					}
				}
			}
			t.Fatal("no indicator 2.1")
			return nil
		}
		if indicator()["verified"] != false {
			t.Fatalf("2.1 ships verified?")
		}
		// A province officer may not mark thresholds verified; an admin may, and it is audited.
		if r := do(t, srv, call{"POST", "/api/v1/criteria/xa-ntm-2021/verified", `{"codes":["2.1"]}`, []string{authz(tinh)}}); r.status != 403 {
			t.Errorf("province marks verified: %d", r.status)
		}
		if r := do(t, srv, call{"POST", "/api/v1/criteria/xa-ntm-2021/verified", `{"codes":["2.1","99.9"]}`, []string{authz(admin)}}); r.status != 422 {
			t.Errorf("unknown code: %d %s", r.status, r.body)
		}
		if r := do(t, srv, call{"POST", "/api/v1/criteria/xa-ntm-2021/verified", `{"codes":["2.1"]}`, []string{authz(admin)}}); r.status != 200 {
			t.Fatalf("mark verified: %d %s", r.status, r.body)
		}
		if indicator()["verified"] != true {
			t.Errorf("2.1 not verified after marking")
		}
		r = do(t, srv, call{"GET", "/api/v1/audit?entity=criteria_set&entity_id=xa-ntm-2021", "", []string{authz(admin)}})
		if !strings.Contains(string(r.body), `"action":"verify"`) || !strings.Contains(string(r.body), `"actor":"admin"`) || !strings.Contains(string(r.body), "2.1") {
			t.Errorf("audit of the verification: %s", r.body)
		}
		// Importing a broken set names the line and changes nothing.
		bad := "id: xa-thu\ntitle: Thử\nbasis: {decision: 1/QĐ-UBND, issued: 2026-01-01, effective: 2026-01-01}\nlevel: commune\ntier: ntm\nvaries_by: none\ncriteria:\n  - number: 1\n    name: Quy hoạch\n    indicators:\n      - {code: \"1.1\", name: X, kind: bool, op: \"=>\", threshold: true}\n"
		r = do(t, srv, call{"POST", "/api/v1/criteria?filename=thu.yaml", bad, []string{authz(admin), "Content-Type: application/yaml"}})
		if r.status != 422 || !strings.Contains(string(r.body), "thu.yaml:") {
			t.Errorf("bad set: %d %s", r.status, r.body)
		}
		if r := do(t, srv, call{"GET", "/api/v1/criteria/xa-thu", "", []string{authz(admin)}}); r.status != 404 {
			t.Errorf("a refused set was stored: %d", r.status)
		}
		// XLSX export opens as a workbook.
		r = do(t, srv, call{"GET", "/api/v1/criteria/xa-ntm-2026/export?format=xlsx", "", []string{authz(tinh)}})
		if r.status != 200 || !strings.HasPrefix(string(r.body), "PK") {
			t.Errorf("xlsx export: %d", r.status)
		}
	})
}
