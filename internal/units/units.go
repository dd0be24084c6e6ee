// Package units holds Vietnam's administrative units (đơn vị hành chính) as effective-dated
// records, the 7 socio-economic regions used by the criteria sets, and the lineage that links
// the units abolished on 1 July 2025 to the units that replaced them.
//
// GSO codes were reused across the reform (52 was Bình Định, is now Gia Lai), so a code alone
// does not name a unit over time: a unit is a code plus its validity interval, and every
// question is asked "as of" a date.
package units

import (
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
)

// Level is a unit's place in the hierarchy.
type Level string

const (
	LevelProvince Level = "province"
	LevelDistrict Level = "district" // abolished on 1 July 2025
	LevelCommune  Level = "commune"  // xã, phường, thị trấn, đặc khu
	LevelVillage  Level = "village"  // thôn, bản, ấp
)

// ValidLevel reports whether l is one of the four levels.
func ValidLevel(l Level) bool {
	switch l {
	case LevelProvince, LevelDistrict, LevelCommune, LevelVillage:
		return true
	}
	return false
}

// Depth orders levels from the top: province 1 … village 4.
func (l Level) Depth() int {
	switch l {
	case LevelProvince:
		return 1
	case LevelDistrict:
		return 2
	case LevelCommune:
		return 3
	case LevelVillage:
		return 4
	}
	return 0
}

// Types of unit, in the lower-case Vietnamese the sources use.
const (
	TypeProvince     = "tỉnh"
	TypeCentralCity  = "thành phố trung ương"
	TypeRuralCommune = "xã" // the only type assessed against commune criteria sets
	TypeWard         = "phường"
	TypeTownlet      = "thị trấn"
	TypeSpecialZone  = "đặc khu"
)

// Date is a calendar day, kept as "YYYY-MM-DD" so that it sorts and compares as text in both
// SQLite and PostgreSQL.
type Date string

// Open-ended validity is stored with these sentinels rather than NULL so that "as of" queries
// stay a plain range comparison.
const (
	Beginning Date = "0001-01-01"
	Forever   Date = "9999-12-31"
)

// ParseDate reads a real calendar day written YYYY-MM-DD, the form stored and exchanged; an
// unreadable one is a fault naming the forms a person may type. Checks of stored fields
// use it: a field that passed must already be in the stored form.
func ParseDate(s string) (Date, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil && t.Format(time.DateOnly) == s {
		return Date(s), nil
	}
	return "", dateError(s)
}

// ReadDate reads a day a person typed: YYYY-MM-DD or, as offices write it, dd/mm/yyyy
// ("30/06/2026"), and returns it in the stored form; an unreadable one is a fault naming
// both forms. Use the value it returns, never the text it was given.
func ReadDate(s string) (Date, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return Date(t.Format(time.DateOnly)), nil
	}
	// dd/mm/yyyy as offices write it (also with . between, and d/m without zeros); not with -,
	// which would read 2026-06-30's cousin 30-06-2026 one way and 06-30-2026 another.
	parts := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == '/' || r == '.' })
	if len(parts) == 3 && len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
		dd, e1 := strconv.Atoi(parts[0])
		mm, e2 := strconv.Atoi(parts[1])
		yy, e3 := strconv.Atoi(parts[2])
		if e1 == nil && e2 == nil && e3 == nil {
			t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
			if t.Day() == dd && int(t.Month()) == mm && t.Year() == yy {
				return Date(t.Format(time.DateOnly)), nil
			}
		}
	}
	return "", dateError(s)
}

// dateError is the fault of a day that cannot be read; its message names the accepted forms.
func dateError(s string) *fault.Error {
	return fault.Newf(fault.InvalidValue, "%q is not a date of the form YYYY-MM-DD or dd/mm/yyyy (ngày phải viết dạng dd/mm/yyyy, ví dụ 30/06/2026, hoặc 2026-06-30)", s)
}

// Today is the current day in Vietnam (UTC+7), where every office works.
func Today() Date {
	return Date(time.Now().In(vietnam).Format(time.DateOnly))
}

var vietnam = time.FixedZone("ICT", 7*60*60)

// AddDays returns the day n days after d (n may be negative).
func (d Date) AddDays(n int) Date {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return d
	}
	return Date(t.AddDate(0, 0, n).Format(time.DateOnly))
}

// Region codes of the 7 socio-economic regions used by the 2016-2025 criteria sets.
const (
	RegionTDMNPB = "TDMNPB" // Trung du và miền núi phía Bắc
	RegionDBSH   = "DBSH"   // Đồng bằng sông Hồng
	RegionBTB    = "BTB"    // Bắc Trung Bộ
	RegionDHNTB  = "DHNTB"  // Duyên hải Nam Trung Bộ
	RegionTN     = "TN"     // Tây Nguyên
	RegionDNB    = "DNB"    // Đông Nam Bộ
	RegionDBSCL  = "DBSCL"  // Đồng bằng sông Cửu Long
)

// Region is one of the 7 regions.
type Region struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

// Regions lists the 7 regions in the order the decisions' annexes use.
var Regions = []Region{
	{RegionTDMNPB, "Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"},
	{RegionDBSH, "Đồng bằng sông Hồng", "Red River Delta"},
	{RegionBTB, "Bắc Trung Bộ", "North Central Coast"},
	{RegionDHNTB, "Duyên hải Nam Trung Bộ", "South Central Coast"},
	{RegionTN, "Tây Nguyên", "Central Highlands"},
	{RegionDNB, "Đông Nam Bộ", "Southeast"},
	{RegionDBSCL, "Đồng bằng sông Cửu Long", "Mekong River Delta"},
}

// LookupRegion returns the region with the given code.
func LookupRegion(code string) (Region, bool) {
	for _, r := range Regions {
		if r.Code == code {
			return r, true
		}
	}
	return Region{}, false
}

// Unit is one administrative unit over one validity interval.
type Unit struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`      // "Sóc Sơn"
	FullName   string   `json:"full_name"` // "Huyện Sóc Sơn"
	NameEN     string   `json:"name_en"`
	Level      Level    `json:"level"`
	Type       string   `json:"type"`
	ParentCode string   `json:"parent_code,omitempty"`
	Region     string   `json:"region,omitempty"` // one of the 7 codes; empty when a unit spans several
	Tags       []string `json:"tags,omitempty"`   // e.g. dac-biet-kho-khan, bien-gioi, khu-vuc-III
	ValidFrom  Date     `json:"valid_from"`
	ValidTo    Date     `json:"valid_to"`
}

// ValidOn reports whether u exists on day d.
func (u Unit) ValidOn(d Date) bool {
	return u.ValidFrom <= d && d <= u.ValidTo
}

// IsRuralCommune reports whether u is a xã, the only kind of unit that commune criteria sets
// assess (wards and townlets are urban).
func (u Unit) IsRuralCommune() bool {
	return u.Level == LevelCommune && u.Type == TypeRuralCommune
}

// HasTag reports whether u carries tag t.
func (u Unit) HasTag(t string) bool {
	for _, x := range u.Tags {
		if x == t {
			return true
		}
	}
	return false
}

// LineageKind says whether the whole old unit went into the new one or only part of it.
type LineageKind string

const (
	LineageFull    LineageKind = "full"
	LineagePartial LineageKind = "partial"
)

// LineageBasis says how a lineage row is known, so that a deduction is never shown as a fact.
type LineageBasis string

const (
	// BasisTable: an official conversion table names the pair (the 1 July 2025 reform).
	BasisTable LineageBasis = "table"
	// BasisLists: two consecutive official unit lists show it: the code went on with another
	// name, type or parent.
	BasisLists LineageBasis = "lists"
	// BasisInferred: UNVERIFIED. The lists show the old unit gone and exactly one unit of its
	// district changed or new that day; no source names the pair, and whether all of the old
	// unit went there is not known.
	BasisInferred LineageBasis = "inferred"
)

// ValidBasis reports whether b is one of the bases, or empty (not said).
func ValidBasis(b LineageBasis) bool {
	switch b {
	case "", BasisTable, BasisLists, BasisInferred:
		return true
	}
	return false
}

// Lineage links a unit that ceased to exist to a unit that took over (all or part of) it.
// The old unit is the one with OldCode valid on the day before Effective; the new one is the
// unit with NewCode valid on Effective. They may have the same code: a unit renamed, changed
// in type or moved to another parent goes on under its code as a new row.
type Lineage struct {
	OldCode   string      `json:"old_code"`
	NewCode   string      `json:"new_code"`
	Kind      LineageKind `json:"kind"`
	Effective Date        `json:"effective"`
	// Resolution is the act that made the change ("1194/NQ-UBTVQH15"), empty where the
	// sources do not say which.
	Resolution string       `json:"resolution,omitempty"`
	Basis      LineageBasis `json:"basis,omitempty"`
}
