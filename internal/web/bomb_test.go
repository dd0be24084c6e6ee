package web_test

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestImports_XLSXBomb posts a workbook of about a megabyte that unpacks to more than 400 MB
// to every import endpoint as every role: a role that may import gets 413 naming the limit,
// one that may not gets 403 before the body is read; what the server allocates
// answering stays far below what the sheet unpacks to, and its heap does not grow with the bomb (issue 16.1).
//
// Not parallel: the allocation it bounds is read from the whole process (runtime.MemStats), so
// it runs while no other test of the package does.
func TestImports_XLSXBomb(t *testing.T) {
	bomb := sheettest.Bomb()
	if len(bomb) > 2<<20 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		roles := []struct {
			role auth.Role
			unit string
		}{
			{auth.RoleAdmin, ""}, {auth.RoleCentral, ""}, {auth.RoleProvince, "52"}, {auth.RoleCommune, "23575"},
			{auth.RoleViewer, "52"}, {auth.RoleOCOPCouncil, "52"},
		}
		endpoints := []struct {
			path   string
			action auth.Action
		}{
			{"/api/v1/imports?filename=bomb.xlsx", auth.Import},
			{"/api/v1/funding/import?filename=bomb.xlsx", auth.Import},
			{"/api/v1/works/import?filename=bomb.xlsx", auth.Import},
			{"/api/v1/models/import?filename=bomb.xlsx", auth.Import},
			{"/api/v1/ocop/import?filename=bomb.xlsx", auth.ManageRecognition},
			{"/api/v1/recognitions/import", auth.ManageRecognition},
			{"/api/v1/criteria?filename=bomb.xlsx", auth.ManageCriteria},
		}
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for _, r := range roles {
			token := newToken(t, db, newUser(t, db, "bomb-"+string(r.role), r.role, r.unit, ""))
			for _, e := range endpoints {
				var start runtime.MemStats
				runtime.ReadMemStats(&start)
				req, _ := http.NewRequest("POST", srv.URL+e.path, bytes.NewReader(bomb))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var end runtime.MemStats
				runtime.ReadMemStats(&end)
				want := http.StatusRequestEntityTooLarge
				if reach := r.role.Reach(e.action); reach == auth.Nowhere || reach == auth.Subtree && r.unit == "" {
					want = http.StatusForbidden
				}
				if resp.StatusCode != want {
					t.Errorf("%s as %s: %d %s, want %d", e.path, r.role, resp.StatusCode, body, want)
				}
				if want == http.StatusRequestEntityTooLarge && !bytes.Contains(body, []byte("MB")) {
					t.Errorf("%s as %s: the answer does not name the limit: %s", e.path, r.role, body)
				}
				// Allocated while answering (the client's copy of the bomb included): nothing
				// near the 400 MB the sheet unpacks to.
				if alloc := (end.TotalAlloc - start.TotalAlloc) >> 20; alloc > 64 {
					t.Errorf("%s as %s: %d MB allocated", e.path, r.role, alloc)
				}
			}
		}
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		t.Logf("heap in use before %d MB, after %d MB", before.HeapInuse>>20, after.HeapInuse>>20)
		if after.HeapInuse > before.HeapInuse+32<<20 {
			t.Errorf("heap grew from %d MB to %d MB", before.HeapInuse>>20, after.HeapInuse>>20)
		}
	})
}
