package store_test

import (
	"context"
	"testing"

	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestOCOP_OpenEvaluationsOfAMember: a council member's open evaluations (their landing
// page, issue 15.4), with the product's name; nothing for someone on no council.
func TestOCOP_OpenEvaluationsOfAMember(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rules := ocopRules(t)
		p := ocopProduct(t, db, "23575", "2026-01-01", "Bánh tráng")
		council := ocopCouncil(t, db, "52", "2026-01-01", "a", "b", "c")
		e := ocop.Evaluation{ProductID: p.ID, Date: "2026-03-01", Level: ocop.LevelProvince, CouncilID: council.ID}
		if err := rules.CheckEvaluation(&e); err != nil {
			t.Fatal(err)
		}
		e, err := db.OpenOCOPEvaluation(ctx, "lan", e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.OpenOCOPEvaluationsOf(ctx, "b")
		if err != nil || len(got) != 1 || got[0].ID != e.ID || got[0].Product != "Bánh tráng" || got[0].Status != ocop.EvalOpen || got[0].Date != "2026-03-01" {
			t.Fatalf("open evaluations of a member: %+v %v", got, err)
		}
		if got, err := db.OpenOCOPEvaluationsOf(ctx, "lan"); err != nil || len(got) != 0 {
			t.Errorf("open evaluations of someone on no council: %+v %v", got, err)
		}
	})
}
