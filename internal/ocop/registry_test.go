package ocop

import (
	"testing"

	"github.com/ntm-vn/ntm/internal/units"
)

func cert(r *Rules, id int64, date string, stars int) Certificate {
	d := units.Date(date)
	return Certificate{ID: id, Date: d, ValidTo: r.ValidTo(d), Stars: stars}
}

func registry(r *Rules) []Product {
	renewed := []Certificate{cert(r, 1, "2021-04-01", 3), cert(r, 2, "2024-04-01", 4)}
	renewed[0].ReplacedOn, renewed[0].ReplacedBy = "2024-04-01", 2
	revoked := cert(r, 5, "2023-01-10", 3)
	revoked.RevokedOn = "2025-12-01"
	return []Product{
		{ID: 1, Name: "Chè Tân Cương", Producer: "HTX Chè Hảo Đạt", ProducerKind: Cooperative, Group: "1", SubGroup: "1.5", ProductSet: "1.5.a", Certificates: renewed},
		{ID: 2, Name: "Rượu ngô", Producer: "Hộ ông A", ProducerKind: Household, Group: "2", SubGroup: "2.1", ProductSet: "2.1.a", Certificates: []Certificate{cert(r, 3, "2023-03-15", 3)}},
		{ID: 3, Name: "Nón lá", Producer: "Tổ hợp tác nón", ProducerKind: CooperativeGroup, Group: "4", SubGroup: "4.1", ProductSet: "4.1.a", Certificates: []Certificate{cert(r, 4, "2026-01-05", 5)}},
		{ID: 4, Name: "Mật ong", Producer: "Hộ bà B", ProducerKind: Household, Group: "1", SubGroup: "1.2", ProductSet: "1.2.b", Certificates: []Certificate{revoked}},
		{ID: 5, Name: "Gạo thơm", Producer: "HTX Gạo", ProducerKind: Cooperative, Group: "1", SubGroup: "1.2", ProductSet: "1.2.a"},
		{ID: 6, Name: "Bánh tráng", Producer: "Hộ ông C", ProducerKind: Household, Group: "1", SubGroup: "1.3", ProductSet: "1.3.b", Certificates: []Certificate{cert(r, 6, "2022-01-10", 4)}},
	}
}

func TestTally_FiguresOnADay(t *testing.T) {
	r := shippedRules(t)
	f := r.Tally(registry(r), "2026-02-20", "2026-01-01")
	want := StarCounts{Three: 1, Four: 1, Five: 1} // Rượu ngô (expiring), Chè (renewed), Nón lá
	if f.Products != 6 || f.Certified != want || f.Certified.Total() != 3 || f.Expiring != 1 || f.Expired != 1 || f.Revoked != 1 {
		t.Errorf("figures: %+v", f)
	}
	if f.InPeriod != (StarCounts{Five: 1}) || f.FirstInPeriod != 1 || f.ByGroup["1"] != 1 || f.ByGroup["2"] != 1 || f.ByGroup["4"] != 1 {
		t.Errorf("period: %+v", f)
	}
	// By who makes them: the products in force, not the revoked honey nor the lapsed rice paper.
	if len(f.ByKind) != 3 || f.ByKind[Cooperative] != 1 || f.ByKind[Household] != 1 || f.ByKind[CooperativeGroup] != 1 {
		t.Errorf("by producer kind: %v", f.ByKind)
	}
	// Before the renewal the tea held 3 stars.
	f = r.Tally(registry(r), "2023-12-31", "2023-01-01")
	if f.Certified != (StarCounts{Three: 3, Four: 1}) || f.InPeriod != (StarCounts{Three: 2}) || f.FirstInPeriod != 2 {
		t.Errorf("2023: %+v", f)
	}
}

func TestList_FiltersAndExpiring(t *testing.T) {
	r := shippedRules(t)
	ps := registry(r)
	names := func(ls []Listed) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Name)
		}
		return out
	}
	for _, c := range []struct {
		name string
		f    Filter
		want []string
	}{
		{"all", Filter{}, []string{"Bánh tráng", "Chè Tân Cương", "Gạo thơm", "Mật ong", "Nón lá", "Rượu ngô"}},
		{"group", Filter{Group: "1"}, []string{"Bánh tráng", "Chè Tân Cương", "Gạo thơm", "Mật ong"}},
		{"stars", Filter{Stars: 4}, []string{"Bánh tráng", "Chè Tân Cương"}},
		{"valid", Filter{Status: CertValid}, []string{"Chè Tân Cương", "Nón lá"}},
		{"expired", Filter{Status: CertExpired}, []string{"Bánh tráng"}},
		{"never certified", Filter{Status: NotCertified}, []string{"Gạo thơm"}},
		{"text without diacritics", Filter{Text: "hao dat"}, []string{"Chè Tân Cương"}},
	} {
		got := names(r.List(ps, "2026-02-20", c.f))
		if len(got) != len(c.want) || len(got) > 0 && !equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	exp := r.Expiring(ps, "2026-02-20")
	if len(exp) != 1 || exp[0].Name != "Rượu ngô" || exp[0].Standing.Certificate.ValidTo != "2026-03-15" || *exp[0].Standing.Certificate.DaysLeft != 23 {
		t.Errorf("expiring: %+v", exp)
	}
	st := r.StandingOf(ps[3].Certificates, "2026-02-20")
	if st.Status != CertRevoked || st.Stars != 0 || st.LastStars != 3 {
		t.Errorf("revoked standing: %+v", st)
	}
}

func equal(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
