package ocop

import (
	"fmt"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/units"
)

// CertStatus is where a certificate stands on a day.
type CertStatus string

const (
	CertPending  CertStatus = "pending"  // the decision is dated after the day asked
	CertValid    CertStatus = "valid"    // còn hiệu lực
	CertExpiring CertStatus = "expiring" // sắp hết hạn: within the notice period (30 days)
	CertExpired  CertStatus = "expired"  // hết hạn
	CertRevoked  CertStatus = "revoked"  // bị thu hồi
	CertReplaced CertStatus = "replaced" // thay thế bởi giấy chứng nhận sau (đánh giá lại)
)

// CertStatuses lists the statuses a list can be filtered by.
var CertStatuses = []CertStatus{CertValid, CertExpiring, CertExpired, CertRevoked, CertReplaced}

// Holds reports whether a certificate of this status makes its product an OCOP product on
// the day: valid or expiring.
func (s CertStatus) Holds() bool { return s == CertValid || s == CertExpiring }

// certLabels names the statuses.
var certLabels = map[CertStatus]Message{
	CertPending:  {"chưa có hiệu lực", "not yet in force"},
	CertValid:    {"còn hiệu lực", "valid"},
	CertExpiring: {"sắp hết hạn", "expiring"},
	CertExpired:  {"hết hạn", "expired"},
	CertRevoked:  {"đã thu hồi", "revoked"},
	CertReplaced: {"đã thay thế", "replaced"},
}

// Label names the status.
func (s CertStatus) Label() Message {
	if m, ok := certLabels[s]; ok {
		return m
	}
	return Message{"chưa được chứng nhận", "not certified"}
}

// AddMonths returns the day months after d. When that month is shorter (31 March + 36
// months), the period ends on the month's last day, as the Civil Code counts periods of
// months (Bộ luật Dân sự 2015, Điều 148).
func AddMonths(d units.Date, months int) units.Date {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return d
	}
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	day := t.Day()
	if day > last {
		day = last
	}
	return units.Date(time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
}

// ValidTo is the last day of a certificate decided on issued: 36 months later (the
// certificate issued on 15/3/2023 is valid up to and including 15/3/2026).
func (r *Rules) ValidTo(issued units.Date) units.Date { return AddMonths(issued, r.Validity.Months) }

// Status says where c stands on day, from its dates alone: revoked from the day of
// revocation; replaced from the day a later certificate of the product was decided; expired
// after its last day; expiring within notice days of its last day; valid otherwise.
func Status(c Certificate, day units.Date, noticeDays int) CertStatus {
	switch {
	case day < c.Date:
		return CertPending
	case c.RevokedOn != "" && c.RevokedOn <= day:
		return CertRevoked
	case c.ReplacedOn != "" && c.ReplacedOn <= day:
		return CertReplaced
	case day > c.ValidTo:
		return CertExpired
	case DaysBetween(day, c.ValidTo) <= noticeDays:
		return CertExpiring
	}
	return CertValid
}

// Status is Status with the shipped notice period.
func (r *Rules) Status(c Certificate, day units.Date) CertStatus {
	return Status(c, day, r.Validity.NoticeDays)
}

// DaysBetween is the number of days from a to b (negative when b is before a).
func DaysBetween(a, b units.Date) int {
	ta, err1 := time.Parse(time.DateOnly, string(a))
	tb, err2 := time.Parse(time.DateOnly, string(b))
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// WithStatus returns c with its status and, while it holds, its days left as of day.
func (r *Rules) WithStatus(c Certificate, day units.Date) Certificate {
	c.Status = r.Status(c, day)
	c.DaysLeft = nil
	if c.Status.Holds() {
		n := DaysBetween(day, c.ValidTo)
		c.DaysLeft = &n
	}
	return c
}

// CheckCertificate checks the fields of a certificate to issue: a decision number and date,
// stars 3 to 5. It fills ValidTo.
func (r *Rules) CheckCertificate(c *Certificate) error {
	c.Decision, c.Issuer = strings.TrimSpace(c.Decision), strings.TrimSpace(c.Issuer)
	switch {
	case c.Decision == "":
		return fieldErr("decision", "cần số quyết định công nhận", "the recognition decision's number is required")
	case len(c.Decision) > 100 || len(c.Issuer) > 300:
		return fieldErr("decision", "số quyết định hoặc cơ quan ban hành quá dài", "the decision number or the issuer is too long")
	case c.Stars < 3 || c.Stars > 5:
		return fieldErr("stars", fmt.Sprintf("chỉ sản phẩm 3 đến 5 sao được cấp giấy chứng nhận, không phải %d sao", c.Stars),
			fmt.Sprintf("only products of 3 to 5 stars are certified, not %d", c.Stars))
	}
	if _, err := units.ParseDate(string(c.Date)); err != nil {
		return fieldErr("date", "ngày quyết định phải có dạng YYYY-MM-DD", "the decision date must be YYYY-MM-DD")
	}
	c.ValidTo = r.ValidTo(c.Date)
	return nil
}
