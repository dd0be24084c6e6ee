package ocop

import (
	"fmt"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// Council is an OCOP evaluation council (hội đồng đánh giá, phân hạng sản phẩm OCOP) of a
// unit for a period: its members, users with the ocop-council role, enter their own
// scoresheets, and an evaluation closes when enough of them have (CouncilRule).
type Council struct {
	ID        int64           `json:"id"`
	UnitCode  string          `json:"unit"`
	Name      string          `json:"name"`
	Decision  string          `json:"decision,omitempty"` // the decision that set it up
	From      units.Date      `json:"from"`
	To        units.Date      `json:"to,omitempty"` // last day; empty: no end set
	Members   []CouncilMember `json:"members"`
	CreatedBy string          `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
}

// CouncilMember is a member of a council (thành viên hội đồng).
type CouncilMember struct {
	Username string `json:"username"`
	Name     string `json:"name"`
}

// Check checks what can be checked without the database.
func (c *Council) Check() error {
	c.Name, c.Decision, c.UnitCode = strings.TrimSpace(c.Name), strings.TrimSpace(c.Decision), strings.TrimSpace(c.UnitCode)
	switch {
	case c.UnitCode == "":
		return fieldErr("unit", "thiếu đơn vị của hội đồng", "the council's unit is missing")
	case c.Name == "":
		return fieldErr("name", "thiếu tên hội đồng", "the council's name is missing")
	case c.From == "":
		return fieldErr("from", "thiếu ngày bắt đầu của hội đồng", "the council's first day is missing")
	case c.To != "" && c.To < c.From:
		return fieldErr("to", fmt.Sprintf("ngày kết thúc %s trước ngày bắt đầu %s", c.To, c.From), "the council ends before it starts")
	}
	seen := map[string]bool{}
	for _, m := range c.Members {
		if seen[m.Username] {
			return fieldErr("members", fmt.Sprintf("thành viên %s ghi hai lần", m.Username), fmt.Sprintf("member %s given twice", m.Username))
		}
		seen[m.Username] = true
	}
	return nil
}

// InForce reports whether the council sits on day.
func (c Council) InForce(day units.Date) bool {
	return c.From <= day && (c.To == "" || day <= c.To)
}

// Member reports whether username is a member.
func (c Council) Member(username string) bool {
	for _, m := range c.Members {
		if m.Username == username {
			return true
		}
	}
	return false
}

// MemberNames lists the members' names, for a certificate.
func (c Council) MemberNames() []string {
	out := make([]string, len(c.Members))
	for i, m := range c.Members {
		out[i] = m.Name
		if out[i] == "" {
			out[i] = m.Username
		}
	}
	return out
}

// NotMemberError refuses a scoresheet from someone who is not a member of the council.
func NotMemberError(council string) *fault.Error {
	return RuleFault(fmt.Sprintf("chỉ thành viên hội đồng %s mới nhập phiếu chấm, và nhập phiếu của chính mình", council),
		fmt.Sprintf("only a member of council %s enters a scoresheet, and only their own", council))
}

// QuorumError refuses to close an evaluation below the council's quorum.
func QuorumError(have, need, members int, rule CouncilRule) *fault.Error {
	return RuleFault(fmt.Sprintf("mới có %d/%d phiếu chấm; cần ít nhất %d phiếu (%s số thành viên, tối thiểu %d) để kết thúc phiên đánh giá",
		have, members, need, rule.Quorum, rule.MinSheets),
		fmt.Sprintf("%d of %d scoresheets; closing needs at least %d (%s of the members, at least %d)", have, members, need, rule.Quorum, rule.MinSheets))
}
