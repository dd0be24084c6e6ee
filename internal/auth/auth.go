// Package auth holds who may do what in ntm (SPEC §3): the users, their roles, the actions a
// role may take and where (everywhere, or in the subtree of the user's home unit), and the
// secrets that prove who a user is — argon2id password hashes, session and API tokens that
// the database keeps only as SHA-256 hashes.
//
// The permissions are data: a table of role → action → reach. Whether a unit lies below a
// user's home unit is a question for the store (units are effective-dated and were
// reorganised on 1 July 2025), so Authorize takes it as a function.
package auth

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// Role is what a user does in the program.
type Role string

const (
	RoleAdmin       Role = "admin"        // quản trị hệ thống: everything, everywhere
	RoleCentral     Role = "central"      // Văn phòng Điều phối Trung ương: reads all, manages criteria sets
	RoleProvince    Role = "province"     // cán bộ tỉnh: reads, verifies, plans in the province
	RoleDistrict    Role = "district"     // cán bộ huyện (before 1 July 2025): the same in the district
	RoleCommune     Role = "commune"      // cán bộ xã: enters and submits the commune's data
	RoleViewer      Role = "viewer"       // reads a subtree
	RoleOCOPCouncil Role = "ocop-council" // hội đồng đánh giá OCOP: scores products in scope
)

// Roles lists the roles from the widest reach down.
var Roles = []Role{RoleAdmin, RoleCentral, RoleProvince, RoleDistrict, RoleCommune, RoleViewer, RoleOCOPCouncil}

// ParseRole checks that s names a role.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if slices.Contains(Roles, r) {
		return r, nil
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return "", fmt.Errorf("vai trò %q không có; chọn một trong: %s (role %q unknown)", s, strings.Join(names, ", "), s)
}

// Action is something a user asks to do to a unit's data.
type Action string

const (
	Read              Action = "read"               // see a unit's data
	Enter             Action = "enter"              // edit values, save drafts, submit assessments
	Import            Action = "import"             // import values from files (as Enter)
	Verify            Action = "verify"             // verify, return, approve, unlock assessments
	ManageTargets     Action = "manage_targets"     // plans and targets (chỉ tiêu kế hoạch)
	ManageRecognition Action = "manage_recognition" // recognition dossiers (hồ sơ công nhận)
	OCOPScore         Action = "ocop_score"         // score OCOP products
	ManageCriteria    Action = "manage_criteria"    // import and edit criteria sets (national)
	ManageUsers       Action = "manage_users"       // create users, change roles
	ReadAudit         Action = "read_audit"         // read the audit log (nhật ký thay đổi)
	ManageAccounts    Action = "manage_accounts"    // disable, reset, re-role users of a unit's subtree (never above one's own role)
)

// Actions lists every action.
var Actions = []Action{Read, Enter, Import, Verify, ManageTargets, ManageRecognition, OCOPScore, ManageCriteria, ManageUsers, ReadAudit, ManageAccounts}

// Reach says where a role may take an action.
type Reach int

const (
	Nowhere    Reach = iota // not at all
	Subtree                 // on the home unit and the units below it
	Everywhere              // on every unit, and on national things that belong to no unit
)

func (r Reach) String() string {
	switch r {
	case Subtree:
		return "subtree"
	case Everywhere:
		return "everywhere"
	}
	return "nowhere"
}

// MarshalText writes a reach as its name in JSON.
func (r Reach) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// permissions is SPEC §3 as a table. An action a role does not list is refused.
var permissions = map[Role]map[Action]Reach{
	RoleAdmin: {
		Read: Everywhere, Enter: Everywhere, Import: Everywhere, Verify: Everywhere,
		ManageTargets: Everywhere, ManageRecognition: Everywhere, OCOPScore: Everywhere,
		ManageCriteria: Everywhere, ManageUsers: Everywhere, ReadAudit: Everywhere, ManageAccounts: Everywhere,
	},
	RoleCentral: {Read: Everywhere, ManageCriteria: Everywhere},
	RoleProvince: {
		Read: Subtree, Enter: Subtree, Import: Subtree, Verify: Subtree,
		ManageTargets: Subtree, ManageRecognition: Subtree, OCOPScore: Subtree, ReadAudit: Subtree,
		ManageAccounts: Subtree,
	},
	RoleDistrict: {
		Read: Subtree, Enter: Subtree, Import: Subtree, Verify: Subtree,
		ManageTargets: Subtree, ManageRecognition: Subtree, OCOPScore: Subtree, ReadAudit: Subtree,
	},
	RoleCommune:     {Read: Subtree, Enter: Subtree, Import: Subtree},
	RoleViewer:      {Read: Subtree},
	RoleOCOPCouncil: {Read: Subtree, OCOPScore: Subtree},
}

// Reach says where the role may take the action.
func (r Role) Reach(a Action) Reach { return permissions[r][a] }

// Permissions returns the actions the role may take and where, for showing to the user.
func (r Role) Permissions() map[Action]Reach {
	out := map[Action]Reach{}
	for a, reach := range permissions[r] {
		out[a] = reach
	}
	return out
}

// homeLevel is the level of unit a role's home must be; roles not listed take any level,
// and admin and central may have none (the whole country).
var homeLevel = map[Role]units.Level{
	RoleProvince: units.LevelProvince,
	RoleDistrict: units.LevelDistrict,
	RoleCommune:  units.LevelCommune,
}

// CheckHome checks that a unit of the given level (empty: no unit) can be the home of a user
// with the role.
func CheckHome(r Role, level units.Level) error {
	if level == "" {
		if r == RoleAdmin || r == RoleCentral {
			return nil
		}
		return fmt.Errorf("vai trò %s cần một đơn vị (--unit) (role %s needs a home unit)", r, r)
	}
	if want, ok := homeLevel[r]; ok && level != want {
		return fmt.Errorf("vai trò %s cần đơn vị cấp %s, không phải cấp %s (role %s needs a %s home unit, not a %s)", r, want, level, r, want, level)
	}
	return nil
}

// User is a person or, through an API token, a machine acting as that person.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	UnitCode     string    `json:"unit_code"` // home unit; empty for national roles
	CreatedAt    time.Time `json:"created_at"`
	Disabled     bool      `json:"disabled"`
	PasswordHash string    `json:"-"` // argon2id PHC string; empty: cannot sign in with a password
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// NormalizeUsername lower-cases a user name and checks its form: 2 to 64 of a-z, 0-9 and
// . _ @ -, starting with a letter or digit.
func NormalizeUsername(s string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(s))
	if !usernameRE.MatchString(n) {
		return "", fmt.Errorf("tên đăng nhập %q không hợp lệ: 2-64 ký tự a-z, 0-9, . _ @ - (username %q: use 2-64 of a-z, 0-9, . _ @ -)", s, s)
	}
	return n, nil
}

// Refusal is the fault of a role that may not take an action on a unit (empty for national
// things, or the rows of a file); Current is the unit, when there is one.
func Refusal(role Role, a Action, unit string) *fault.Error {
	where := "toàn quốc (national)"
	if unit != "" {
		where = "đơn vị " + unit
	}
	f := fault.Newf(fault.Forbidden, "không có quyền %s tại %s (role %s may not %s here)", a, where, role, a)
	if unit != "" {
		f.Current = unit
	}
	return f
}

// RefusedUnit returns the unit a refusal (see Refusal) names, if err is one that names one.
func RefusedUnit(err error) (string, bool) {
	f, ok := fault.As(err)
	if !ok || f.Code != fault.Forbidden {
		return "", false
	}
	unit, ok := f.Current.(string)
	return unit, ok
}

// Authorize returns nil when u may take action a on the unit (empty: something national,
// such as a criteria set), or a Refusal. inScope answers whether the unit lies in
// u's home subtree; it is asked only when that decides.
func Authorize(u *User, a Action, unit string, inScope func() (bool, error)) error {
	if u == nil || u.Disabled {
		return Refusal("", a, unit)
	}
	no := Refusal(u.Role, a, unit)
	switch u.Role.Reach(a) {
	case Everywhere:
		return nil
	case Subtree:
		if unit == "" || u.UnitCode == "" {
			return no
		}
		ok, err := inScope()
		if err != nil {
			return fmt.Errorf("scope of %s for %s: %w", u.Username, unit, err)
		}
		if ok {
			return nil
		}
	}
	return no
}

// rank orders the roles for managing accounts: a manager never gives or touches a role
// above their own (a province officer manages province officers and those below).
var rank = map[Role]int{RoleAdmin: 4, RoleCentral: 3, RoleProvince: 2, RoleDistrict: 1, RoleCommune: 1, RoleViewer: 1, RoleOCOPCouncil: 1}

// CheckManage returns a Refusal when manager may not change an account of the role
// (its current role, and the role it is to get): never above the manager's own.
func CheckManage(manager *User, roles ...Role) error {
	if manager == nil {
		return Refusal("", ManageAccounts, "")
	}
	for _, r := range roles {
		if rank[r] > rank[manager.Role] {
			return Refusal(manager.Role, ManageAccounts, "vai trò "+string(r))
		}
	}
	return nil
}
