// Package demo loads a deterministic, synthetic history into a database so that a new user
// of `ntm serve --demo` sees a living country: every rural commune (xã) assessed against the
// NTM sets over several years — the pre-reform communes for 2022-2024 and the current ones
// for 2025 and the quarters of 2026 — improving over time with some regressions, and one
// demo user per role.
//
// Every figure is invented and labelled so: the values are direct criterion results
// (TC<n> = đạt/chưa đạt), because most shipped indicators have no verified threshold yet, and
// the same seed always gives the same data. Older assessments are approved, the latest
// quarter is still moving through the workflow. Statuses are seeded directly (one audit
// entry per status), not walked step by step: this is demo data, not an office's history.
package demo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Password is the password of every demo user (the README names it).
const Password = "ntm-demo-2026"

// User is a demo account.
type User struct {
	Username string
	Role     auth.Role
	Unit     string
	Name     string
}

// Users are the demo accounts: one per role, around Hà Nội. The commune officer's commune
// is DemoCommune: one that meets every criterion of 2026 but holds no recognition yet, so
// the demo can walk a dossier from the commune to the province's decision.
func Users(firstXa string) []User {
	return []User{
		{"admin", auth.RoleAdmin, "", "Quản trị hệ thống"},
		{"trunguong", auth.RoleCentral, "", "Văn phòng Điều phối NTM Trung ương"},
		{"tinh", auth.RoleProvince, "01", "Văn phòng Điều phối NTM thành phố Hà Nội"},
		{"huyen", auth.RoleDistrict, "016", "Văn phòng Điều phối NTM huyện Sóc Sơn (trước 01/7/2025)"},
		{"xa", auth.RoleCommune, firstXa, "Cán bộ xã"},
		{"xem", auth.RoleViewer, "01", "Người xem (Hà Nội)"},
		{"ocop", auth.RoleOCOPCouncil, "01", "Hội đồng OCOP Hà Nội"},
		// Two more members of Hà Nội's OCOP council, so that it reaches its quorum.
		{"ocop2", auth.RoleOCOPCouncil, "01", "Thành viên Hội đồng OCOP Hà Nội (2)"},
		{"ocop3", auth.RoleOCOPCouncil, "01", "Thành viên Hội đồng OCOP Hà Nội (3)"},
	}
}

// Stats says what Load wrote.
type Stats struct {
	Users, Assessments, Values int
	Recognitions, OCOPProducts int
}

// Options narrow the demo data.
type Options struct {
	// Provinces, when set, limits the history to the communes of these province codes
	// (before and after the reform), for tests.
	Provinces []string
	// Progress, if set, is told how far the load has come.
	Progress func(done, total int)
}

// Load writes the demo users and history unless the database already has assessments.
// The administrative units must be loaded first.
func Load(ctx context.Context, db *store.DB, opt Options) (Stats, error) {
	var st Stats
	existing, err := db.ListAssessments(ctx, store.AssessmentFilter{Limit: 1})
	if err != nil {
		return st, err
	}
	if len(existing) > 0 {
		return st, nil
	}
	cat, err := app.Open(ctx, db)
	if err != nil {
		return st, err
	}
	all, _, err := units.Shipped()
	if err != nil {
		return st, err
	}
	old := inProvinces(units.AsOf(all, "2025-06-30"), opt.Provinces)
	cur := inProvinces(units.AsOf(all, "2025-07-01"), opt.Provinces)
	h := history(old, cur)
	rows, statuses, recs := h.rows, h.statuses, h.recs
	if st.Users, err = loadUsers(ctx, db, DemoCommune(all)); err != nil {
		return st, err
	}
	// The rows are made as the import reads them, through the same batch path as a file.
	res, err := cat.ImportFrom(ctx, "demo", rows, store.ImportOptions{Filename: "demo"}, opt.Progress)
	if err != nil {
		return st, err
	}
	if len(res.Problems) > 0 {
		return st, fmt.Errorf("demo data: %d problems, first: %+v", len(res.Problems), res.Problems[0])
	}
	st.Values = rows.Len()
	n, err := db.SeedStatuses(ctx, "demo", statuses)
	st.Assessments = n
	if err != nil {
		return st, err
	}
	if st.Recognitions, err = loadRecognitions(ctx, db, recs); err != nil {
		return st, fmt.Errorf("demo recognitions: %w", err)
	}
	if st.OCOPProducts, err = loadOCOP(ctx, cur, db); err != nil {
		return st, fmt.Errorf("demo OCOP: %w", err)
	}
	if err := loadCouncil(ctx, db, cur); err != nil {
		return st, fmt.Errorf("demo OCOP council: %w", err)
	}
	if err := loadResources(ctx, db, old, cur, DemoCommune(all)); err != nil {
		return st, fmt.Errorf("demo resources: %w", err)
	}
	if err := loadShowcase(ctx, db, cat, cur, DemoCommune(all)); err != nil {
		return st, fmt.Errorf("demo showcase: %w", err)
	}
	return st, nil
}

// inProvinces keeps the units below the given provinces (all units when none is given).
func inProvinces(us []units.Unit, provinces []string) []units.Unit {
	if len(provinces) == 0 {
		return us
	}
	parent := map[string]string{}
	for _, u := range us {
		parent[u.Code] = u.ParentCode
	}
	keep := map[string]bool{}
	for _, p := range provinces {
		keep[p] = true
	}
	var out []units.Unit
	for _, u := range us {
		top := u.Code
		for parent[top] != "" {
			top = parent[top]
		}
		if keep[top] {
			out = append(out, u)
		}
	}
	return out
}

func loadUsers(ctx context.Context, db *store.DB, firstXa string) (int, error) {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range Users(firstXa) {
		_, err := db.CreateUser(ctx, auth.User{Username: u.Username, Name: u.Name, Role: u.Role, UnitCode: u.Unit, PasswordHash: hash}, "demo")
		if errors.Is(err, store.ErrUserExists) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		n++
	}
	return n, nil
}

// difficulty orders the 19 criteria of 2021-2025 from the easiest to the hardest, as
// national reports describe them (income, poverty, environment and production organisation
// come last). The 10 criteria of 2026 are ordered the same way.
var difficulty19 = []int{1, 4, 8, 19, 9, 6, 7, 3, 2, 16, 15, 5, 14, 12, 18, 11, 10, 13, 17}
var difficulty10 = []int{1, 10, 9, 5, 2, 4, 6, 7, 3, 8}

// seed gives each commune its own random stream.
func seed(code string, salt string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(code + "/" + salt))
	v := h.Sum64()
	return rand.New(rand.NewPCG(v, v>>7|1))
}

// level is how many criteria of 19 a pre-reform commune met at the end of 2022: lower in the
// mountains and the highlands, higher in the deltas.
func level2022(u units.Unit) int {
	r := seed(u.Code, "base")
	base := 13
	switch u.Region {
	case units.RegionTDMNPB, units.RegionTN:
		base = 10
	case units.RegionDBSH, units.RegionDNB:
		base = 16
	}
	return clamp(base+r.IntN(7)-3, 3, 19)
}

// step moves a level one year on: mostly up, sometimes down.
func step(level int, r *rand.Rand) int {
	switch x := r.IntN(100); {
	case x < 8:
		return clamp(level-1-r.IntN(2), 0, 19)
	case x < 35:
		return level
	default:
		return clamp(level+1+r.IntN(2), 0, 19)
	}
}

func clamp(x, lo, hi int) int { return max(lo, min(hi, x)) }

// metCriteria picks which criteria a commune with level k meets: the easiest ones in the
// national order, with the commune's own strengths swapping a few places.
func metCriteria(code string, k int, order []int) map[int]bool {
	r := seed(code, "order")
	o := append([]int(nil), order...)
	for i := 0; i < 4; i++ {
		j := r.IntN(len(o) - 1)
		o[j], o[j+1] = o[j+1], o[j]
	}
	met := map[int]bool{}
	for _, c := range o[:clamp(k, 0, len(o))] {
		met[c] = true
	}
	return met
}

// DemoCommune is the commune of the demo commune officer: the first xã of Hà Nội, in code
// order, that meets all 10 criteria of 2026 by the third quarter and holds no recognition
// (the first xã of Hà Nội when none does).
func DemoCommune(all []units.Unit) string {
	cur := inProvinces(units.AsOf(all, "2025-07-01"), []string{"01"})
	h := history(nil, cur)
	recognizedNow := map[string]bool{}
	for _, r := range h.recs {
		recognizedNow[r.unit.Code] = true
	}
	first := ""
	for _, u := range cur {
		if !u.IsRuralCommune() {
			continue
		}
		if first == "" {
			first = u.Code
		}
		if !recognizedNow[u.Code] && h.meets2026Q3[u.Code] {
			return u.Code
		}
	}
	return first
}

// plan is the demo history: value rows, the status each assessment ends in, the
// recognitions, and the current xã meeting all 10 criteria of 2026 in the third quarter.
type plan struct {
	rows        historyRows
	statuses    []store.SeedStatus
	recs        []recognized
	meets2026Q3 map[string]bool
}

// planned is one assessment of the history: the direct results TC1…TCn, 1 for the
// criteria met (bit c of met) and 0 for the others.
type planned struct {
	unit, set, period string
	n                 int
	met               uint32
}

// historyRows are the planned assessments as an import's rows, made one at a time as the
// import reads them (half a million rows held at once cost more than the import itself).
type historyRows []planned

// tcCodes are the codes TC1…TC19 (index 0 unused).
var tcCodes = func() []string {
	cs := make([]string, 20)
	for c := 1; c < len(cs); c++ {
		cs[c] = "TC" + strconv.Itoa(c)
	}
	return cs
}()

// Len is how many rows there are.
func (h historyRows) Len() int {
	n := 0
	for _, a := range h {
		n += a.n
	}
	return n
}

// Each calls fn with each row, in order.
func (h historyRows) Each(fn func(*imports.Row) error) error {
	var r imports.Row
	line := 0
	for _, a := range h {
		for c := 1; c <= a.n; c++ {
			line++
			v := "0"
			if a.met&(1<<c) != 0 {
				v = "1"
			}
			r = imports.Row{Line: line, Unit: a.unit, Set: a.set, Period: a.period, Code: tcCodes[c], Value: v}
			if err := fn(&r); err != nil {
				return err
			}
		}
	}
	return nil
}

// history builds the value rows, the status each assessment should end in, and the
// recognitions: a commune meeting every criterion is recognised in December of that year
// (2026: those meeting all 10 in the first quarter, in June; others that reach 10 later are
// left for a dossier).
func history(old, cur []units.Unit) plan {
	var rows historyRows
	var statuses []store.SeedStatus
	var recs []recognized
	meets2026Q3 := map[string]bool{}
	add := func(code, set, period string, n int, met map[int]bool, status assessment.Status) {
		a := planned{unit: code, set: set, period: period, n: n}
		for c := range met {
			if met[c] {
				a.met |= 1 << c
			}
		}
		rows = append(rows, a)
		statuses = append(statuses, store.SeedStatus{Unit: code, Set: set, Period: period, Status: status})
	}
	// Pre-reform communes, 2022-2024.
	for _, u := range old {
		if !u.IsRuralCommune() {
			continue
		}
		r := seed(u.Code, "steps")
		k := level2022(u)
		done := false
		for year := 2022; year <= 2024; year++ {
			if year > 2022 {
				k = step(k, r)
			}
			add(u.Code, "xa-ntm-2021", strconv.Itoa(year), 19, metCriteria(u.Code, k, difficulty19), assessment.Approved)
			if k == 19 && !done {
				recs = append(recs, recognized{u, "ntm", "xa-ntm-2021", units.Date(fmt.Sprintf("%d-12-20", year))})
				done = true
			}
		}
	}
	// Current communes: start from the level typical of their region's old communes.
	for _, u := range cur {
		if !u.IsRuralCommune() {
			continue
		}
		r := seed(u.Code, "steps-2025")
		k := clamp(level2022(u)+2+r.IntN(3)-1, 3, 19)
		met := metCriteria(u.Code, k, difficulty19)
		add(u.Code, "xa-ntm-2021", "2025", 19, met, assessment.Approved)
		if k == 19 {
			recs = append(recs, recognized{u, "ntm", "xa-ntm-2021", "2025-12-20"})
			// Communes meeting NTM were also assessed against the advanced set.
			add(u.Code, "xa-nang-cao-2021", "2025", 19, metCriteria(u.Code, clamp(k-4-r.IntN(6), 0, 19), difficulty19), assessment.Approved)
		}
		// 2026-2030: 10 criteria, stricter; the quarters improve slowly.
		k10 := clamp(k*10/19-2+r.IntN(3), 0, 10)
		quarters := []struct {
			period string
			status assessment.Status
		}{{"2026-Q1", assessment.Approved}, {"2026-Q2", assessment.Approved}, {"2026-Q3", assessment.Verified}}
		for i, q := range quarters {
			if i > 0 && r.IntN(100) < 30 {
				k10 = clamp(k10+1, 0, 10)
			}
			if i == 2 && r.IntN(100) < 5 {
				k10 = clamp(k10-1, 0, 10) // a few fall back
			}
			st := q.status
			if i == 2 {
				st = []assessment.Status{assessment.Draft, assessment.Submitted, assessment.Verified, assessment.Approved}[r.IntN(4)]
			}
			add(u.Code, "xa-ntm-2026", q.period, 10, metCriteria(u.Code, k10, difficulty10), st)
			if i == 2 && k10 == 10 {
				meets2026Q3[u.Code] = true
			}
			if i == 0 && k10 == 10 {
				recs = append(recs, recognized{u, "ntm", "xa-ntm-2026", "2026-06-15"})
			}
		}
	}
	sort.SliceStable(statuses, func(i, j int) bool { return statuses[i].Unit < statuses[j].Unit })
	return plan{rows, statuses, recs, meets2026Q3}
}
