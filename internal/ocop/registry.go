package ocop

import (
	"sort"
	"strings"

	"github.com/ntm-vn/ntm/internal/units"
)

// NotCertified is the standing of a product that has never been certified (as of the day).
const NotCertified CertStatus = "none"

// Standing is a product's place on a day: its latest certificate decided by then, that
// certificate's status, and the stars it holds (0 when it holds none).
type Standing struct {
	Status      CertStatus   `json:"status"`
	Stars       int          `json:"stars"`      // held on the day: 3 to 5, or 0
	LastStars   int          `json:"last_stars"` // of the latest certificate, held or not
	Certificate *Certificate `json:"certificate,omitempty"`
}

// Current returns the certificate that decides the product's standing on day: the latest
// decided on or before day (by date, then by id), or nil.
func Current(certs []Certificate, day units.Date) *Certificate {
	var cur *Certificate
	for i := range certs {
		c := &certs[i]
		if c.Date > day {
			continue
		}
		if cur == nil || c.Date > cur.Date || c.Date == cur.Date && c.ID > cur.ID {
			cur = c
		}
	}
	return cur
}

// StandingOf works out the product's standing on day from its certificates.
func (r *Rules) StandingOf(certs []Certificate, day units.Date) Standing {
	c := Current(certs, day)
	if c == nil {
		return Standing{Status: NotCertified}
	}
	cc := r.WithStatus(*c, day)
	st := Standing{Status: cc.Status, LastStars: cc.Stars, Certificate: &cc}
	if cc.Status.Holds() {
		st.Stars = cc.Stars
	}
	return st
}

// Listed is a product in a list with its standing on the list's day; its history is left out.
type Listed struct {
	Product
	Standing Standing `json:"standing"`
}

// Filter selects products of a list.
type Filter struct {
	Group    string     // "1": products of the group
	SubGroup string     // "1.3"
	Set      string     // "1.3.b"
	Stars    int        // the stars of the latest certificate (held or not)
	Status   CertStatus // the standing's status, or NotCertified
	Text     string     // in the product's or the producer's name, without regard to diacritics or case
}

// Empty reports whether the filter selects everything.
func (f Filter) Empty() bool { return f == Filter{} }

// List returns the products that match f with their standing on day, by commune then name.
func (r *Rules) List(products []Product, day units.Date, f Filter) []Listed {
	text := units.Fold(strings.TrimSpace(f.Text))
	out := []Listed{}
	for _, p := range products {
		st := r.StandingOf(p.Certificates, day)
		switch {
		case f.Group != "" && p.Group != f.Group,
			f.SubGroup != "" && p.SubGroup != f.SubGroup,
			f.Set != "" && p.ProductSet != f.Set,
			f.Stars != 0 && st.LastStars != f.Stars,
			f.Status != "" && st.Status != f.Status,
			text != "" && !strings.Contains(units.Fold(p.Name), text) && !strings.Contains(units.Fold(p.Producer), text):
			continue
		}
		p.Certificates, p.Evaluations = nil, nil
		out = append(out, Listed{Product: p, Standing: st})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.UnitCode != b.UnitCode {
			return a.UnitCode < b.UnitCode
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	return out
}

// Expiring lists the products whose certificate is expiring on day (its last day is within
// the notice period), the soonest first: the holders to warn.
func (r *Rules) Expiring(products []Product, day units.Date) []Listed {
	out := r.List(products, day, Filter{Status: CertExpiring})
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Standing.Certificate.ValidTo < out[j].Standing.Certificate.ValidTo
	})
	return out
}

// StarCounts counts products by stars.
type StarCounts struct {
	Three int `json:"3"`
	Four  int `json:"4"`
	Five  int `json:"5"`
}

// Add counts one product of stars (3 to 5).
func (s *StarCounts) Add(stars int) {
	switch stars {
	case 3:
		s.Three++
	case 4:
		s.Four++
	case 5:
		s.Five++
	}
}

// Total is the number of products of 3 stars or more.
func (s StarCounts) Total() int { return s.Three + s.Four + s.Five }

// Of returns the count of stars.
func (s StarCounts) Of(stars int) int {
	switch stars {
	case 3:
		return s.Three
	case 4:
		return s.Four
	case 5:
		return s.Five
	}
	return 0
}

// Figures are the OCOP figures of a unit on a day, for reports and targets: how many
// products hold a certificate and at how many stars, what was certified in the period, what
// is about to expire.
type Figures struct {
	AsOf units.Date `json:"as_of"`
	From units.Date `json:"from"`
	// Products counts the products in the registry on the day: a product whose every
	// certificate was decided after the day did not yet exist as an OCOP product then.
	Products int `json:"products"`
	// Certified counts the products holding a valid certificate on the day, by stars;
	// Certified.Total() is "sản phẩm đạt 3 sao trở lên".
	Certified StarCounts `json:"certified"`
	// InPeriod counts the certificates decided from From to AsOf, by stars; FirstInPeriod the
	// products certified for the first time then (the rest were evaluated again).
	InPeriod      StarCounts `json:"certified_in_period"`
	FirstInPeriod int        `json:"first_certified_in_period"`
	Expiring      int        `json:"expiring"` // certificates within the notice period
	Expired       int        `json:"expired"`  // products whose latest certificate lapsed
	Revoked       int        `json:"revoked"`  // products whose latest certificate was revoked
	// ByGroup counts the products holding a certificate by product group ("1" … "6").
	ByGroup map[string]int `json:"by_group"`
	// ByKind counts the same products by the legal form of their producer (doanh nghiệp, hợp
	// tác xã…), as offices report who makes them.
	ByKind map[ProducerKind]int `json:"by_producer_kind"`
}

// Tally works out the figures of products (with their certificates) on day, for the period
// from from to day.
func (r *Rules) Tally(products []Product, day, from units.Date) Figures {
	f := Figures{AsOf: day, From: from, ByGroup: map[string]int{}, ByKind: map[ProducerKind]int{}}
	for _, p := range products {
		if firstCertified(p.Certificates) > day {
			continue
		}
		f.Products++
		st := r.StandingOf(p.Certificates, day)
		switch st.Status {
		case CertValid, CertExpiring:
			f.Certified.Add(st.Stars)
			f.ByGroup[p.Group]++
			if p.ProducerKind != "" {
				f.ByKind[p.ProducerKind]++
			}
			if st.Status == CertExpiring {
				f.Expiring++
			}
		case CertExpired:
			f.Expired++
		case CertRevoked:
			f.Revoked++
		}
		for _, c := range p.Certificates {
			if c.Date >= from && c.Date <= day {
				f.InPeriod.Add(c.Stars)
			}
		}
		if first := firstCertified(p.Certificates); first != "" && first >= from {
			f.FirstInPeriod++
		}
	}
	return f
}

// firstCertified is the day of the earliest certificate ("" for none).
func firstCertified(certs []Certificate) units.Date {
	first := units.Date("")
	for _, c := range certs {
		if first == "" || c.Date < first {
			first = c.Date
		}
	}
	return first
}
