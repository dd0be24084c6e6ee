package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// Acceptance of issue 6 on the demo data: the demo commune officer's commune meets
// xa-ntm-2026; the demo users xa (commune) and tinh (province) take its dossier from the
// commune to the decision, and it then counts as recognised in Hà Nội's progress.
func TestDemo_DossierToDecision(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.Options{Provinces: []string{"01"}}); err != nil {
			t.Fatal(err)
		}
		tokenOf := func(username string) string {
			u, err := db.UserByUsername(ctx, username)
			if err != nil {
				t.Fatal(err)
			}
			return newToken(t, db, u)
		}
		all, _, _ := units.Shipped()
		commune := demo.DemoCommune(all)
		xa := recActor{t, srv, tokenOf("xa")}
		tinh := recActor{t, srv, tokenOf("tinh")}
		lib, _ := recognition.Shipped()
		wf, _ := lib.Workflow("xa-2025")

		var before struct {
			UnitsMet        int `json:"units_met"`
			UnitsRecognized int `json:"units_recognized"`
		}
		recMust(t, tinh.call("GET", "/api/v1/progress?unit=01&set=xa-ntm-2026&as_of=2026-10-01", ""), 200, &before)

		var d dossierBody
		recMust(t, xa.call("POST", "/api/v1/dossiers", fmt.Sprintf(`{"unit":%q,"tier":"ntm","opened":"2026-10-01"}`, commune)), 201, &d)
		var det struct {
			Dossier struct {
				Assessment *struct{ Met bool }
			}
		}
		recMust(t, xa.call("GET", fmt.Sprintf("/api/v1/dossiers/%d", d.ID), ""), 200, &det)
		if det.Dossier.Assessment == nil || !det.Dossier.Assessment.Met {
			t.Fatalf("the demo commune %s does not meet xa-ntm-2026: %+v", commune, det.Dossier.Assessment)
		}
		recChecklist(t, xa, d.ID, wf, "lap-ho-so")
		d = recAct(t, xa, d.ID, `{"outcome":"pass","on":"2026-10-02","step":"lap-ho-so"}`)
		recChecklist(t, tinh, d.ID, wf, "tham-dinh-tinh")
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2026-10-09"}`)
		d = recAct(t, tinh, d.ID, fmt.Sprintf(`{"outcome":"pass","on":%q}`, units.Date(d.PostingTo).AddDays(1)))
		recMust(t, tinh.call("POST", fmt.Sprintf("/api/v1/dossiers/%d/vote", d.ID), `{"members":9,"yes":9,"no":0,"abstain":0,"on":"2026-10-30"}`), 200, nil)
		recChecklist(t, tinh, d.ID, wf, "hoi-dong-tinh")
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2026-10-30"}`)
		d = recAct(t, tinh, d.ID, `{"outcome":"pass","on":"2026-11-05","decision":{"number":"2468/QĐ-UBND","date":"2026-11-05","signer":"Chủ tịch UBND thành phố"}}`)
		if d.Status != "recognized" {
			t.Fatalf("decided: %+v", d)
		}
		var after struct {
			UnitsRecognized int `json:"units_recognized"`
		}
		recMust(t, tinh.call("GET", "/api/v1/progress?unit=01&set=xa-ntm-2026&as_of=2026-11-10", ""), 200, &after)
		if after.UnitsRecognized != before.UnitsRecognized+1 {
			t.Errorf("recognised in Hà Nội: %d before, %d after the decision", before.UnitsRecognized, after.UnitsRecognized)
		}
	})
}
