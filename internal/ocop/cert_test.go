package ocop

import (
	"testing"

	"github.com/ntm-vn/ntm/internal/units"
)

func TestValidTo_ThirtySixMonths(t *testing.T) {
	r := shippedRules(t)
	for _, c := range []struct{ issued, want string }{
		{"2023-03-15", "2026-03-15"},
		{"2023-05-31", "2026-05-31"},
		{"2024-02-29", "2027-02-28"}, // no 29 February in 2027: the month's last day
		{"2022-12-31", "2025-12-31"},
		{"2023-11-30", "2026-11-30"},
	} {
		if got := r.ValidTo(units.Date(c.issued)); got != units.Date(c.want) {
			t.Errorf("issued %s: valid to %s, want %s", c.issued, got, c.want)
		}
	}
	if got := AddMonths("2025-01-31", 1); got != "2025-02-28" {
		t.Errorf("31 January + 1 month: %s", got)
	}
}

func TestStatus_ByDates(t *testing.T) {
	r := shippedRules(t)
	c := Certificate{Date: "2023-03-15", ValidTo: r.ValidTo("2023-03-15"), Stars: 4}
	revoked := c
	revoked.RevokedOn, revoked.RevokeReason = "2025-01-10", "không đánh giá lại"
	replaced := c
	replaced.ReplacedOn = "2025-06-01"
	for _, x := range []struct {
		name string
		c    Certificate
		day  string
		want CertStatus
	}{
		{"before its decision", c, "2023-03-14", CertPending},
		{"on its decision day", c, "2023-03-15", CertValid},
		{"31 days before the end", c, "2026-02-12", CertValid},
		{"30 days before the end", c, "2026-02-13", CertExpiring},
		{"acceptance: 2026-02-20", c, "2026-02-20", CertExpiring},
		{"its last day", c, "2026-03-15", CertExpiring},
		{"acceptance: 2026-03-16", c, "2026-03-16", CertExpired},
		{"revoked, before the revocation", revoked, "2025-01-09", CertValid},
		{"revoked, from the revocation", revoked, "2025-01-10", CertRevoked},
		{"revoked stays revoked after its end", revoked, "2027-01-01", CertRevoked},
		{"replaced by a new certificate", replaced, "2025-06-01", CertReplaced},
		{"replaced, before", replaced, "2025-05-31", CertValid},
	} {
		if got := r.Status(x.c, units.Date(x.day)); got != x.want {
			t.Errorf("%s (%s): %s, want %s", x.name, x.day, got, x.want)
		}
	}
	w := r.WithStatus(c, "2026-02-20")
	if w.DaysLeft == nil || *w.DaysLeft != 23 {
		t.Errorf("days left on 2026-02-20: %v", w.DaysLeft)
	}
	if w := r.WithStatus(c, "2026-03-16"); w.DaysLeft != nil {
		t.Error("an expired certificate has days left")
	}
}

func TestCheckCertificate(t *testing.T) {
	r := shippedRules(t)
	c := &Certificate{Decision: " 123/QĐ-UBND ", Date: "2023-03-15", Stars: 4}
	if err := r.CheckCertificate(c); err != nil || c.ValidTo != "2026-03-15" || c.Decision != "123/QĐ-UBND" {
		t.Errorf("%+v %v", c, err)
	}
	for _, bad := range []Certificate{
		{Date: "2023-03-15", Stars: 4},
		{Decision: "1", Date: "15/03/2023", Stars: 4},
		{Decision: "1", Date: "2023-03-15", Stars: 2},
	} {
		if err := r.CheckCertificate(&bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
