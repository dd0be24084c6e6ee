package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	reportdata "github.com/ntm-vn/ntm/data/reports"
	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Profile is how an office (cơ quan ban hành) writes the header and the signature block of
// the reports it signs, as Nghị định 30/2020/NĐ-CP lays them out: its parent body and its own
// name as written in the header, the place of the date line, the number pattern, the default
// recipients, and the signer. Each office edits its own; until then the defaults of
// data/reports/office.yaml fill it from the unit's name.
type Profile struct {
	UnitCode      string   `json:"unit"`           // "" for the country
	Parent        string   `json:"parent"`         // cơ quan chủ quản: "UBND THÀNH PHỐ HÀ NỘI"
	Body          string   `json:"body"`           // cơ quan ban hành: "BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MTQG"
	Place         string   `json:"place"`          // địa danh: "Hà Nội"
	NumberPattern string   `json:"number_pattern"` // "{n}/BC-BCĐ"
	Recipients    []string `json:"recipients"`     // nơi nhận, one a line
	Authority     string   `json:"authority"`      // thẩm quyền ký: "TM. BAN CHỈ ĐẠO"
	SignerTitle   string   `json:"signer_title"`   // chức vụ: "TRƯỞNG BAN"
	SignerName    string   `json:"signer_name"`    // họ và tên người ký
	// Bands are the office's own grouping of units by criteria met, by criteria set id, written
	// as offices do: "19 / 15-18 / 9-14 / 5-8 / <5". A set without one uses data/reports/bands.yaml.
	Bands   map[string]string `json:"bands,omitempty"`
	Version int               `json:"version"` // 0: the defaults, never saved
}

// profileError is the fault of a profile or draft field that cannot be used; msg names the
// field itself, as the command line prints it.
func profileError(field, msg string) *fault.Error {
	return &fault.Error{Code: fault.InvalidValue, Text: msg, Field: field}
}

// Check tidies a profile (spaces trimmed, empty recipients dropped) and refuses one the header
// cannot be written from.
func (p *Profile) Check() error {
	p.Parent, p.Body, p.Place = strings.TrimSpace(p.Parent), strings.TrimSpace(p.Body), strings.TrimSpace(p.Place)
	p.NumberPattern, p.Authority = strings.TrimSpace(p.NumberPattern), strings.TrimSpace(p.Authority)
	p.SignerTitle, p.SignerName = strings.TrimSpace(p.SignerTitle), strings.TrimSpace(p.SignerName)
	var rs []string
	for _, r := range p.Recipients {
		if r = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(r), "- ")); r != "" {
			rs = append(rs, r)
		}
	}
	p.Recipients = rs
	need := []struct{ field, value, name string }{
		{"body", p.Body, "tên cơ quan ban hành (issuing body)"},
		{"place", p.Place, "địa danh (place)"},
		{"number_pattern", p.NumberPattern, "mẫu số văn bản (number pattern)"},
		{"signer_title", p.SignerTitle, "chức vụ người ký (signer's title)"},
	}
	for _, n := range need {
		if n.value == "" {
			return profileError(n.field, fmt.Sprintf("%s: chưa có %s; hãy nhập (%s is empty)", n.field, n.name, n.field))
		}
	}
	if err := p.checkBands(); err != nil {
		return err
	}
	if strings.Count(p.NumberPattern, "{n}") != 1 {
		return profileError("number_pattern", fmt.Sprintf("number_pattern: mẫu số %q phải có đúng một chỗ {n} cho số văn bản, ví dụ {n}/BC-BCĐ (the pattern needs one {n})", p.NumberPattern))
	}
	for _, f := range []struct{ field, value string }{{"parent", p.Parent}, {"body", p.Body}, {"place", p.Place},
		{"authority", p.Authority}, {"signer_title", p.SignerTitle}, {"signer_name", p.SignerName}} {
		if len([]rune(f.value)) > 200 || strings.ContainsAny(f.value, "\n\r") {
			return profileError(f.field, fmt.Sprintf("%s: dài quá 200 ký tự hoặc có xuống dòng (%s: at most 200 characters on one line)", f.field, f.field))
		}
	}
	if len(p.Recipients) > 30 {
		return profileError("recipients", "recipients: nhiều nhất 30 nơi nhận (at most 30 recipients)")
	}
	return nil
}

// Number writes a document number with the pattern: "125/BC-BCĐ"; n 0 leaves the blank a
// draft shows ("     /BC-BCĐ").
func (p Profile) Number(n int) string {
	if n <= 0 {
		return strings.Replace(p.NumberPattern, "{n}", "     ", 1)
	}
	return strings.Replace(p.NumberPattern, "{n}", fmt.Sprint(n), 1)
}

type officeDefaults struct {
	PlacePrefixes []string `yaml:"place_prefixes"`
	Levels        map[string]struct {
		Parent        string   `yaml:"parent"`
		Body          string   `yaml:"body"`
		Place         string   `yaml:"place"`
		NumberPattern string   `yaml:"number_pattern"`
		Recipients    []string `yaml:"recipients"`
		Authority     string   `yaml:"authority"`
		SignerTitle   string   `yaml:"signer_title"`
		// Committee is the unit's own committee as a sentence names it, by language: a
		// province's Ban Chỉ đạo, a commune's Ban Quản lý.
		Committee map[string]string `yaml:"committee"`
	} `yaml:"levels"`
}

var officeData = sync.OnceValues(func() (officeDefaults, error) {
	var d officeDefaults
	b, err := reportdata.FS.ReadFile("office.yaml")
	if err != nil {
		return d, err
	}
	if err := yaml.Unmarshal(b, &d); err != nil {
		return d, fmt.Errorf("data/reports/office.yaml: %w", err)
	}
	for _, lv := range []string{"country", "province", "district", "commune"} {
		l, ok := d.Levels[lv]
		if !ok {
			return d, fmt.Errorf("data/reports/office.yaml: no defaults for level %s", lv)
		}
		if l.Committee["vi"] == "" || l.Committee["en"] == "" {
			return d, fmt.Errorf("data/reports/office.yaml: level %s: committee needs vi and en", lv)
		}
	}
	return d, nil
})

// DefaultProfile is the profile of an office that has not written its own: from the unit's
// full name and level (code "" is the country).
func DefaultProfile(code, fullName string, level units.Level) (Profile, error) {
	d, err := officeData()
	if err != nil {
		return Profile{}, err
	}
	lv := string(level)
	if code == "" {
		lv = "country"
	} else if _, ok := d.Levels[lv]; !ok {
		lv = "commune"
	}
	place := fullName
	for _, pre := range d.PlacePrefixes {
		if rest, ok := strings.CutPrefix(fullName, pre); ok {
			place = rest
			break
		}
	}
	fill := func(s string) string {
		return strings.NewReplacer("{UNIT}", strings.ToUpper(fullName), "{unit}", fullName, "{place}", place).Replace(s)
	}
	l := d.Levels[lv]
	p := Profile{UnitCode: code, Parent: fill(l.Parent), Body: fill(l.Body), Place: fill(l.Place), NumberPattern: l.NumberPattern,
		Authority: fill(l.Authority), SignerTitle: fill(l.SignerTitle)}
	for _, r := range l.Recipients {
		p.Recipients = append(p.Recipients, fill(r))
	}
	return p, nil
}

// committeeName is the name of the committee of a unit of level (code "" is the country) in
// lang, as a bulletin's sentence names it ("Ban Chỉ đạo", "Ban Quản lý").
func committeeName(code string, level units.Level, lang string) (string, error) {
	d, err := officeData()
	if err != nil {
		return "", err
	}
	lv := string(level)
	if code == "" {
		lv = "country"
	} else if _, ok := d.Levels[lv]; !ok {
		lv = "commune"
	}
	if lang != "en" {
		lang = "vi"
	}
	return d.Levels[lv].Committee[lang], nil
}

// Office is what the header and signature block of one document say: the profile, and once
// the report is issued its number and date.
type Office struct {
	Profile Profile    `json:"profile"`
	Number  int        `json:"number,omitempty"` // 0 while a draft
	Date    units.Date `json:"date,omitempty"`   // "" while a draft
}

// annexIntro is the line under an annex's title that ties it to its report, as offices write
// it: "(Kèm theo Báo cáo số 125/BC-BCĐ ngày 05/07/2026)"; a draft's number and date are left
// blank, like its header's. The issuing body is not repeated: the header names it, in the
// capitals a header uses and a sentence does not.
func (o *Office) annexIntro(lang string) string {
	if o.Number > 0 && o.Date != "" {
		return label(lang, "doc.annex.intro", "number", o.Profile.Number(o.Number), "date", numfmt.Date(string(o.Date), lang))
	}
	return label(lang, "doc.annex.intro.draft", "number", o.Profile.Number(0))
}

// docLayout is data/reports/document.yaml: the page and the type sizes of a signed report.
type docLayout struct {
	Page struct {
		WidthMM          float64 `yaml:"width_mm"`
		HeightMM         float64 `yaml:"height_mm"`
		TopMM            float64 `yaml:"top_mm"`
		BottomMM         float64 `yaml:"bottom_mm"`
		LeftMM           float64 `yaml:"left_mm"`
		RightMM          float64 `yaml:"right_mm"`
		HeaderMM         float64 `yaml:"header_mm"`
		FooterMM         float64 `yaml:"footer_mm"`
		Font             string  `yaml:"font"`
		SizePt           float64 `yaml:"size_pt"`
		LineSpacing      float64 `yaml:"line_spacing"`
		SpaceAfterPt     float64 `yaml:"space_after_pt"`
		FirstLineMM      float64 `yaml:"first_line_mm"`
		PageNumberSizePt float64 `yaml:"page_number_size_pt"`
	} `yaml:"page"`
	HeaderSizePt          float64  `yaml:"header_size_pt"`
	MottoSizePt           float64  `yaml:"motto_size_pt"`
	TableSizePt           float64  `yaml:"table_size_pt"`
	RecipientsTitleSizePt float64  `yaml:"recipients_title_size_pt"`
	RecipientsSizePt      float64  `yaml:"recipients_size_pt"`
	LandscapeColumns      int      `yaml:"landscape_columns"`
	OwnParagraphs         []string `yaml:"own_paragraphs"`
}

var documentLayout = sync.OnceValues(func() (docLayout, error) {
	var d docLayout
	b, err := reportdata.FS.ReadFile("document.yaml")
	if err != nil {
		return d, err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return d, fmt.Errorf("data/reports/document.yaml: %w", err)
	}
	pg := d.Page
	switch {
	case pg.WidthMM <= 0 || pg.HeightMM <= 0 || pg.SizePt <= 0 || pg.Font == "":
		return d, fmt.Errorf("data/reports/document.yaml: page: width_mm, height_mm, font and size_pt are needed")
	case pg.LeftMM+pg.RightMM >= pg.WidthMM || pg.TopMM+pg.BottomMM >= pg.HeightMM:
		return d, fmt.Errorf("data/reports/document.yaml: page: the margins leave no room for text")
	}
	return d, nil
})

// checkBands tidies the office's bands and refuses one that cannot be read or leaves a gap; its
// top must be the set's total, which is checked when a report uses it (BandsFor).
func (p *Profile) checkBands() error {
	for id, spec := range p.Bands {
		id, spec = strings.TrimSpace(id), strings.TrimSpace(spec)
		delete(p.Bands, id)
		if id == "" || spec == "" {
			continue
		}
		top := 0 // the highest number written: the set's total, if the office wrote it right
		for _, num := range strings.FieldsFunc(spec, func(r rune) bool { return r < '0' || r > '9' }) {
			if n, err := strconv.Atoi(num); err == nil {
				top = max(top, n)
			}
		}
		if _, err := progress.ParseBandList(spec, top); err != nil {
			return profileError("bands", fmt.Sprintf("bands: %s: %v", id, err))
		}
		p.Bands[id] = spec
	}
	if len(p.Bands) == 0 {
		p.Bands = nil
	}
	return nil
}

// BandsFor returns the office's bands for set, nil when it has none: the bands its reports
// group units by instead of the set's usual ones.
func (p Profile) BandsFor(set *criteria.Set) ([]progress.Band, error) {
	spec, ok := p.Bands[set.ID]
	if !ok {
		return nil, nil
	}
	bands, err := progress.ParseBandList(spec, len(set.Criteria))
	if err != nil {
		return nil, profileError("bands", fmt.Sprintf("bands: %s: %v", set.ID, err))
	}
	return bands, nil
}

// progressOf is app.ComputeProgress with the bands the unit's office groups units by, when it
// has set its own (c.bands): every figure and table of a report counts the same bands.
func progressOf(ctx context.Context, db *store.DB, c resolved, unit string, day units.Date, approvedOnly bool) (app.Progress, error) {
	p, err := app.ComputeProgress(ctx, db, c.set, unit, day, approvedOnly)
	if err != nil || c.bands == nil {
		return p, err
	}
	p.Report = p.Report.WithBands(c.bands)
	return p, nil
}

// officeBands are the bands the office of unit set for set in its profile, nil when it set
// none (or has no saved profile).
func officeBands(ctx context.Context, db *store.DB, unit string, set *criteria.Set) ([]progress.Band, error) {
	saved, err := db.ReportProfileOf(ctx, unit)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var prof Profile
	if err := json.Unmarshal(saved.Profile, &prof); err != nil {
		return nil, fmt.Errorf("report profile of %q: %w", unit, err)
	}
	return prof.BandsFor(set)
}

// BandLines writes the office's bands one set a line, "xa-ntm-2021: 19 / 15-18 / 9-14 / 5-8 / <5",
// in set order, for a form to edit.
func (p Profile) BandLines() string {
	ids := make([]string, 0, len(p.Bands))
	for id := range p.Bands {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	lines := make([]string, len(ids))
	for i, id := range ids {
		lines[i] = id + ": " + p.Bands[id]
	}
	return strings.Join(lines, "\n")
}

// ParseBandLines reads what BandLines writes (also "id=spec"); a line without a set id is
// refused with its number.
func ParseBandLines(text string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		id, spec, ok := strings.Cut(line, ":")
		if !ok {
			id, spec, ok = strings.Cut(line, "=")
		}
		if !ok || strings.TrimSpace(id) == "" {
			return nil, profileError("bands", fmt.Sprintf("bands: dòng %d: ghi mã bộ tiêu chí, dấu hai chấm, rồi các nhóm, ví dụ xa-ntm-2021: 19 / 15-18 / 10-14 / 5-9 / <5 (line %d: write the set id, a colon, then the bands)", i+1, i+1))
		}
		out[strings.TrimSpace(id)] = strings.TrimSpace(spec)
	}
	return out, nil
}
