package web_test

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// OCOP counts for a province appear in its progress (JSON and text).
func TestAPI_ProgressCarriesOCOP(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "52", ""))
		r := do(t, srv, call{"GET", "/api/v1/progress?unit=52&as_of=2026-06-30", "", []string{authz(tinh)}})
		if strings.Contains(string(r.body), `"ocop"`) {
			t.Errorf("no product yet, but progress has OCOP figures: %s", r.body)
		}
		book := ocopWorkbook(t,
			[]any{"23575", "Cà phê bột", "HTX Cà phê", "HTX", "1.6.a", 3, "15/QĐ-UBND", "2025-09-15"},
			[]any{"21607", "Nước mắm", "Hộ ông Ba", "Hộ kinh doanh", "1.4.a", 4, "16/QĐ-UBND", "2026-01-10"},
		)
		if r := postFile(t, srv.URL+"/api/v1/ocop/import?filename=ds.xlsx", tinh, book); r.status != 200 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		r = do(t, srv, call{"GET", "/api/v1/progress?unit=52&as_of=2026-06-30", "", []string{authz(tinh)}})
		var p struct {
			OCOP *struct {
				Products  int `json:"products"`
				Certified map[string]any
			} `json:"ocop"`
		}
		r.decode(t, &p)
		if p.OCOP == nil || p.OCOP.Products != 2 {
			t.Fatalf("progress OCOP: %s", r.body)
		}
		r = do(t, srv, call{"GET", "/api/v1/progress?unit=52&as_of=2026-06-30&format=text", "", []string{authz(tinh)}})
		if !strings.Contains(string(r.body), "OCOP") || !strings.Contains(string(r.body), "4 sao") {
			t.Errorf("progress text lacks the OCOP counts: %s", r.body)
		}
	})
}
