// Package ocop holds the One Commune One Product program (Chương trình Mỗi xã một sản phẩm,
// SPEC §1.7): producers (chủ thể) and their products, the scoring rules of each decision as
// data (data/ocop), the evaluation of a product by a council (members' scoresheets → average
// → stars, capped by mandatory conditions), certificates and their validity, and the figures
// offices report ("08 sản phẩm đạt 3 sao trở lên").
//
// Everything here is pure: no database, no HTTP. The store keeps the records; this package
// says what they mean on a given day.
package ocop

import (
	"fmt"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// Message is a text in Vietnamese and English.
type Message struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// String joins the two languages, Vietnamese first, for logs and API error messages.
func (m Message) String() string {
	if m.EN == "" || m.EN == m.VI {
		return m.VI
	}
	return m.VI + " (" + m.EN + ")"
}

// In returns the text in lang ("vi" or "en").
func (m Message) In(lang string) string {
	if lang == "en" && m.EN != "" {
		return m.EN
	}
	return m.VI
}

// FieldFault is the fault of a value the user must correct (HTTP 422 naming the field, CLI
// exit 3), its words in both languages.
func FieldFault(field, vi, en string) *fault.Error {
	return fault.Both(fault.InvalidValue, vi, en).OnField(field)
}

// FieldOf returns the fault of a value the user must correct (see FieldFault) in err's chain.
func FieldOf(err error) (*fault.Error, bool) {
	f, ok := fault.As(err)
	if !ok || f.Code != fault.InvalidValue || f.Field == "" || f.Words == nil {
		return nil, false
	}
	return f, true
}
func fieldErr(field, vi, en string) error { return FieldFault(field, vi, en) }

// RuleFault is the fault of a request the rules refuse: scoring a closed evaluation,
// certifying a product below 3 stars (HTTP 422); its words are in both languages.
func RuleFault(vi, en string) *fault.Error { return fault.Both(fault.Rule, vi, en) }

// ---------------------------------------------------------------------------------------
// Producers (chủ thể OCOP)

// ProducerKind is the legal form of a producer.
type ProducerKind string

const (
	Enterprise       ProducerKind = "doanh-nghiep"  // doanh nghiệp
	Cooperative      ProducerKind = "hop-tac-xa"    // hợp tác xã
	CooperativeGroup ProducerKind = "to-hop-tac"    // tổ hợp tác
	Household        ProducerKind = "ho-kinh-doanh" // hộ sản xuất, kinh doanh có đăng ký kinh doanh
)

// ProducerKinds lists the kinds in the order the guidance names them.
var ProducerKinds = []ProducerKind{Enterprise, Cooperative, CooperativeGroup, Household}

var kindLabels = map[ProducerKind]Message{
	Enterprise:       {"Doanh nghiệp", "Enterprise"},
	Cooperative:      {"Hợp tác xã", "Cooperative"},
	CooperativeGroup: {"Tổ hợp tác", "Cooperative group"},
	Household:        {"Hộ sản xuất, kinh doanh", "Registered household business"},
}

// Label names the kind.
func (k ProducerKind) Label() Message { return kindLabels[k] }

// kindWords are the ways offices write the kinds (folded: no diacritics, lower case).
var kindWords = map[string]ProducerKind{
	"doanh-nghiep": Enterprise, "doanh nghiep": Enterprise, "dn": Enterprise, "cong ty": Enterprise, "enterprise": Enterprise,
	"hop-tac-xa": Cooperative, "hop tac xa": Cooperative, "htx": Cooperative, "cooperative": Cooperative,
	"to-hop-tac": CooperativeGroup, "to hop tac": CooperativeGroup, "tht": CooperativeGroup, "cooperative group": CooperativeGroup,
	"ho-kinh-doanh": Household, "ho kinh doanh": Household, "hkd": Household, "ho san xuat": Household,
	"ho san xuat, kinh doanh": Household, "ho san xuat kinh doanh": Household, "household": Household,
}

// ParseProducerKind reads a kind written as its code or as offices write it ("HTX", "Hợp tác
// xã", "Công ty TNHH …" is an enterprise).
func ParseProducerKind(s string) (ProducerKind, error) {
	f := units.Fold(strings.TrimSpace(s))
	if k, ok := kindWords[f]; ok {
		return k, nil
	}
	for _, p := range []string{"cong ty", "doanh nghiep"} {
		if strings.HasPrefix(f, p) {
			return Enterprise, nil
		}
	}
	if strings.HasPrefix(f, "hop tac xa") || strings.HasPrefix(f, "htx") {
		return Cooperative, nil
	}
	if strings.HasPrefix(f, "to hop tac") {
		return CooperativeGroup, nil
	}
	if strings.HasPrefix(f, "ho ") {
		return Household, nil
	}
	return "", fieldErr("kind", fmt.Sprintf("loại chủ thể %q không có; dùng: doanh nghiệp, hợp tác xã, tổ hợp tác, hộ kinh doanh", s),
		fmt.Sprintf("producer kind %q unknown; use doanh-nghiep, hop-tac-xa, to-hop-tac or ho-kinh-doanh", s))
}

// Producer is a producer (chủ thể OCOP) located in a commune.
type Producer struct {
	ID             int64        `json:"id"`
	Name           string       `json:"name"`
	Kind           ProducerKind `json:"kind"`
	RegistrationNo string       `json:"registration_no"` // mã số doanh nghiệp / HTX / hộ kinh doanh
	Address        string       `json:"address"`
	UnitCode       string       `json:"unit"`
	UnitFrom       units.Date   `json:"unit_valid_from"`
	UnitName       string       `json:"unit_name,omitempty"`
	Products       int          `json:"products"`
	Version        int          `json:"version"`
	CreatedBy      string       `json:"created_by"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedBy      string       `json:"updated_by"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

// Check checks what a producer must have.
func (p *Producer) Check() error {
	p.Name, p.RegistrationNo, p.Address = strings.TrimSpace(p.Name), strings.TrimSpace(p.RegistrationNo), strings.TrimSpace(p.Address)
	switch {
	case p.Name == "":
		return fieldErr("name", "chủ thể cần có tên", "a producer needs a name")
	case len(p.Name) > 300:
		return fieldErr("name", "tên chủ thể quá dài (tối đa 300 ký tự)", "the producer's name is too long (300 characters at most)")
	case len(p.RegistrationNo) > 50:
		return fieldErr("registration_no", "số đăng ký quá dài (tối đa 50 ký tự)", "the registration number is too long (50 characters at most)")
	case len(p.Address) > 500:
		return fieldErr("address", "địa chỉ quá dài (tối đa 500 ký tự)", "the address is too long (500 characters at most)")
	case strings.TrimSpace(p.UnitCode) == "":
		return fieldErr("unit", "cần mã xã nơi chủ thể đặt trụ sở", "the producer's commune code is required")
	}
	if _, ok := kindLabels[p.Kind]; !ok {
		k, err := ParseProducerKind(string(p.Kind))
		if err != nil {
			return err
		}
		p.Kind = k
	}
	return nil
}

// ---------------------------------------------------------------------------------------
// Products

// Product is an OCOP product of a producer, located in a commune, in a product set of the
// taxonomy. Certificates and Evaluations are its history, oldest first, when loaded.
type Product struct {
	ID           int64         `json:"id"`
	Name         string        `json:"name"`
	ProducerID   int64         `json:"producer_id"`
	Producer     string        `json:"producer,omitempty"`
	ProducerKind ProducerKind  `json:"producer_kind,omitempty"`
	UnitCode     string        `json:"unit"`
	UnitFrom     units.Date    `json:"unit_valid_from"`
	UnitName     string        `json:"unit_name,omitempty"`
	ProductSet   string        `json:"product_set"` // "1.3.b"
	Group        string        `json:"group"`       // "1"
	SubGroup     string        `json:"subgroup"`    // "1.3"
	Description  string        `json:"description"`
	Photos       []Photo       `json:"photos"`
	Version      int           `json:"version"`
	CreatedBy    string        `json:"created_by"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedBy    string        `json:"updated_by"`
	UpdatedAt    time.Time     `json:"updated_at"`
	Certificates []Certificate `json:"certificates,omitempty"`
	Evaluations  []Evaluation  `json:"evaluations,omitempty"`
}

// Photo is a picture of a product, kept in the database.
type Photo struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// PhotoTypes are the picture formats a product photo may have.
var PhotoTypes = []string{"image/jpeg", "image/png", "image/webp"}

// MaxPhotoBytes is the largest photo kept: offices work over weak connections.
const MaxPhotoBytes = 2 << 20

// MaxPhotos is how many photos a product may have.
const MaxPhotos = 10

// Check checks a product's own fields against the taxonomy and fills Group and SubGroup.
func (p *Product) Check(tx *Taxonomy) error {
	p.Name, p.Description, p.ProductSet = strings.TrimSpace(p.Name), strings.TrimSpace(p.Description), strings.TrimSpace(p.ProductSet)
	switch {
	case p.Name == "":
		return fieldErr("name", "sản phẩm cần có tên", "a product needs a name")
	case len(p.Name) > 300:
		return fieldErr("name", "tên sản phẩm quá dài (tối đa 300 ký tự)", "the product's name is too long (300 characters at most)")
	case len(p.Description) > 5000:
		return fieldErr("description", "mô tả quá dài (tối đa 5.000 ký tự)", "the description is too long (5,000 characters at most)")
	case p.ProducerID <= 0:
		return fieldErr("producer_id", "cần chủ thể của sản phẩm", "the product's producer is required")
	case strings.TrimSpace(p.UnitCode) == "":
		return fieldErr("unit", "cần mã xã nơi sản xuất sản phẩm", "the product's commune code is required")
	}
	set, ok := tx.Set(p.ProductSet)
	if !ok {
		return fieldErr("product_set", fmt.Sprintf("bộ sản phẩm %q không có trong danh mục; dùng mã như 1.3.b (xem /api/v1/ocop/taxonomy)", p.ProductSet),
			fmt.Sprintf("product set %q is not in the taxonomy; use a code such as 1.3.b (see /api/v1/ocop/taxonomy)", p.ProductSet))
	}
	p.ProductSet, p.SubGroup, p.Group = set.Code, set.SubGroup, set.Group
	return nil
}

// ---------------------------------------------------------------------------------------
// Evaluations

// Level is the level of the council that evaluates, or of the authority that recognises.
type Level string

const (
	LevelDistrict Level = "district" // cấp huyện (until 30 June 2025)
	LevelProvince Level = "province" // cấp tỉnh
	LevelCentral  Level = "central"  // cấp trung ương (quốc gia)
)

// Levels lists the levels from the bottom up.
var Levels = []Level{LevelDistrict, LevelProvince, LevelCentral}

func (l Level) rank() int {
	switch l {
	case LevelDistrict:
		return 1
	case LevelProvince:
		return 2
	case LevelCentral:
		return 3
	}
	return 0
}

// levelLabels names the levels.
var levelLabels = map[Level]Message{
	LevelDistrict: {"cấp huyện", "district level"},
	LevelProvince: {"cấp tỉnh", "province level"},
	LevelCentral:  {"cấp trung ương", "central level"},
}

// Label names the level.
func (l Level) Label() Message {
	if m, ok := levelLabels[l]; ok {
		return m
	}
	return Message{string(l), string(l)}
}

// ParseLevel reads a level: district, province, central, or the Vietnamese words.
func ParseLevel(s string) (Level, error) {
	switch f := strings.TrimPrefix(units.Fold(strings.TrimSpace(s)), "cap "); f {
	case "district", "huyen":
		return LevelDistrict, nil
	case "province", "tinh":
		return LevelProvince, nil
	case "central", "trung uong", "quoc gia", "trung-uong":
		return LevelCentral, nil
	}
	return "", fieldErr("level", fmt.Sprintf("cấp đánh giá %q không có; dùng district (huyện), province (tỉnh) hoặc central (trung ương)", s),
		fmt.Sprintf("level %q unknown; use district, province or central", s))
}

// EvalStatus is where an evaluation stands.
type EvalStatus string

const (
	EvalOpen   EvalStatus = "open"   // đang chấm: members enter their scoresheets
	EvalClosed EvalStatus = "closed" // đã kết thúc: the outcome is kept
)

// Evaluation is the scoring of one product by one council on one day (đánh giá, phân hạng).
// A product evaluated again has a new evaluation; the old ones are its history.
type Evaluation struct {
	ID         int64      `json:"id"`
	ProductID  int64      `json:"product_id"`
	Product    string     `json:"product,omitempty"`
	UnitCode   string     `json:"unit"`
	UnitFrom   units.Date `json:"unit_valid_from"`
	ProductSet string     `json:"product_set"`
	Level      Level      `json:"level"`
	Council    string     `json:"council"` // the council's name or the decision that set it up
	CouncilID  int64      `json:"council_id,omitempty"`
	// Members are the council's members (filled on reading when it has a council).
	Members []CouncilMember `json:"members,omitempty"`
	Date    units.Date      `json:"date"`
	Rules   string          `json:"rules"` // rule version id, e.g. qd148-2023
	// Conditions are the mandatory conditions the council confirmed as met (ids).
	Conditions []string   `json:"conditions"`
	Status     EvalStatus `json:"status"`
	Sheets     []Sheet    `json:"sheets"`
	// Outcome is kept when the evaluation is closed; for an open one it is worked out on
	// reading, from the sheets so far (Provisional).
	Outcome     *Outcome   `json:"outcome,omitempty"`
	Provisional bool       `json:"provisional,omitempty"`
	Version     int        `json:"version"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	ClosedBy    string     `json:"closed_by,omitempty"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
}

// Sheet is one council member's scoresheet (phiếu chấm): the points of parts A, B and C.
type Sheet struct {
	Member     string    `json:"member"`      // user name, or the member's name for a paper sheet
	MemberName string    `json:"member_name"` // as shown
	A          float64   `json:"a"`
	B          float64   `json:"b"`
	C          float64   `json:"c"`
	Total      float64   `json:"total"`
	Note       string    `json:"note,omitempty"`
	EnteredBy  string    `json:"entered_by"`
	EnteredAt  time.Time `json:"entered_at"`
}

// Part returns the points of part id (A, B or C).
func (s Sheet) Part(id string) float64 {
	switch id {
	case "A":
		return s.A
	case "B":
		return s.B
	}
	return s.C
}

// ---------------------------------------------------------------------------------------
// Certificates

// Certificate is the recognition of a product at a star level (giấy chứng nhận sản phẩm
// OCOP): a decision number and date, valid for 36 months.
type Certificate struct {
	ID           int64      `json:"id"`
	ProductID    int64      `json:"product_id"`
	EvaluationID int64      `json:"evaluation_id,omitempty"` // 0 for an imported certificate
	UnitCode     string     `json:"unit"`
	UnitFrom     units.Date `json:"unit_valid_from"`
	Stars        int        `json:"stars"`
	Decision     string     `json:"decision"` // số quyết định công nhận
	Date         units.Date `json:"date"`     // ngày quyết định
	ValidTo      units.Date `json:"valid_to"` // last day of validity
	Issuer       string     `json:"issuer"`   // e.g. UBND tỉnh Gia Lai
	// Council and CouncilMembers name the council that scored the product and its members
	// as they were when the certificate was issued (empty for an imported one).
	Council        string     `json:"council,omitempty"`
	CouncilMembers []string   `json:"council_members,omitempty"`
	Level          Level      `json:"level,omitempty"`
	RevokedOn      units.Date `json:"revoked_on,omitempty"`
	RevokeReason   string     `json:"revoke_reason,omitempty"`
	ReplacedOn     units.Date `json:"replaced_on,omitempty"` // a later certificate of the product took over
	ReplacedBy     int64      `json:"replaced_by,omitempty"`
	Imported       bool       `json:"imported,omitempty"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	// Status and DaysLeft are as of the day asked (Status), filled by whoever reads.
	Status   CertStatus `json:"status,omitempty"`
	DaysLeft *int       `json:"days_left,omitempty"`
}
