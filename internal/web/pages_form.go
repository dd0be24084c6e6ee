package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/period"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The data-entry form of an assessment (phiếu đánh giá): the set's indicators grouped by
// criterion, beside each the threshold that applies to this unit (chosen by the engine on
// the server, with whether it is checked against the decision's text), a direct result per
// criterion (TC<n>), and the verdicts. form.js re-evaluates as values are typed (POST
// /api/v1/evaluate: the thresholds never leave the server) and saves through the API (PATCH
// …/values with If-Match, POST …/status). Without script the form posts here, and this
// handler goes through the same API endpoints (forward), so the rules are applied once.

// formData is the form page.
type formData struct {
	A               store.Assessment
	Unit            units.Unit
	UnitHref        string
	SetTitle        string
	Criteria        []formCriterion
	Summary         formSummary
	Can             formActions
	Editable        bool // values can change in this status and the user may enter them
	Flash           string
	Error           string
	Conflict        *formConflict
	Comment         string // the comment typed, kept when the form comes back
	Config          formConfig
	Inconsistencies []string
	History         []historyEntry
	SetNote         string // the set lists only part of the decision's criteria, etc.
	Evidence        []evidenceRow
	CanAttach       bool   // the user may attach and remove evidence files now
	DutyNote        string // a step a rule of separation of duties keeps from the user, and why
	ConfirmApprove  bool   // approve was pressed once: ask to confirm
	EvidenceError   string // why the last evidence change was refused
	EvidenceTypes   string // the file types accepted, for the upload form
	EvidenceMaxMB   int
	EvidenceFlash   string
}

// formConfig is what form.js needs, as JSON in the page.
type formConfig struct {
	ID      int64  `json:"id"`
	Version int    `json:"version"`
	Set     string `json:"set"`
	Unit    string `json:"unit"`
	AsOf    string `json:"as_of"` // a day on which the assessment's unit exists in the period
	Lang    string `json:"lang"`
}

// formActions are the buttons the user gets.
type formActions struct {
	Save, Submit, Verify, Return, Approve, Unlock bool
}

// Review reports whether any action of the level above is offered (they take a comment).
func (a formActions) Review() bool { return a.Verify || a.Return || a.Approve || a.Unlock }

// Any reports whether the user can do anything with the form.
func (a formActions) Any() bool { return a.Save || a.Submit || a.Review() }

type formSummary struct {
	CriteriaMet, CriteriaTotal     int
	IndicatorsMet, IndicatorsTotal int
	Met                            bool
	Unverified                     int
}

type formCriterion struct {
	Number     int
	Name       string
	Sector     string
	Note       string
	Partial    bool
	Direct     formField // TC<n>: the criterion's result entered directly
	Verdict    formVerdict
	Indicators []formIndicator
}

type formIndicator struct {
	Code, Name, Unit string
	Kind             string
	Field            formField
	// Threshold is the requirement that applies to this unit ("≥ 95 %"); Scope says why it
	// is that one ("vùng Đồng bằng sông Hồng"); Unverified marks a threshold not yet checked
	// against the decision's text. NoThreshold explains why there is none.
	Threshold   string
	Scope       string
	Unverified  bool
	NoThreshold string
	Formula     string
	Elements    []formField // the data elements of its formula
	Note        string
	Verdict     formVerdict
}

// formField is one value with its note.
type formField struct {
	ID        string // of the value's control; the note's is ID+"-note"
	Code      string
	Label     string
	Value     string // as shown
	Saved     string // as stored, shown the same way (form.js sends only what changed)
	Note      string
	SavedNote string
	Options   []fieldOption // a select; none: a text field
	Numeric   bool
	Error     string
	By        string // who entered the stored value, and when
}

type fieldOption struct {
	Value, Label string
}

// formVerdict is a verdict as the page shows it: a sign, the word and the sentence.
type formVerdict struct {
	State  string // the engine's status: met, not_met, missing, no_threshold, incomplete, error, not_applicable
	Reason string
}

// formConflict is a save refused because someone else changed the assessment meanwhile.
type formConflict struct {
	By, At  string
	Status  string
	Version int
	Rows    []conflictRow
}

type conflictRow struct {
	Code, Label   string
	Yours, Theirs string
	TheirsBy      string
}

type historyEntry struct {
	At, Actor, Action, Detail string
}

// workflowActions are the audit actions the form's history lists.
var workflowActions = []string{"create", "submit", "verify", "return", "approve", "unlock", "seed_statuses"}

// loadFormAssessment reads the assessment of the URL for a page, checking that the user may
// read it; it answers the error page itself and returns false when it cannot.
func (s *Server) loadFormAssessment(w http.ResponseWriter, r *http.Request, p *page) (store.Assessment, units.Unit, *criteria.Set, bool) {
	fail := func(status int, key string, args ...any) (store.Assessment, units.Unit, *criteria.Set, bool) {
		s.errorPage(w, r, status, key, args...)
		return store.Assessment{}, units.Unit{}, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fail(http.StatusNotFound, "error.no_assessment", r.PathValue("id"))
	}
	a, err := s.db.Assessment(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return fail(http.StatusNotFound, "error.no_assessment", r.PathValue("id"))
	}
	if err != nil {
		s.internalError(w, r, err)
		return a, units.Unit{}, nil, false
	}
	if err := s.allow(r, p.User.user, auth.Read, a.UnitCode, unitDay(a)); err != nil {
		if isForbidden(err) {
			return fail(http.StatusForbidden, "error.forbidden_assessment")
		}
		s.internalError(w, r, err)
		return a, units.Unit{}, nil, false
	}
	unit, err := s.unitVersion(r, a)
	if err == nil {
		var cat *app.Catalog
		if cat, err = s.rules(r.Context()); err == nil {
			var set *criteria.Set
			if set, err = cat.Get(r.Context(), a.SetID); err == nil {
				return a, unit, set, true
			}
		}
	}
	s.internalError(w, r, err)
	return a, unit, nil, false
}

// GET /assessments/{id}?done=ACTION
func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "form.title")
	if !ok {
		return
	}
	p.Nav = "units"
	a, unit, set, ok := s.loadFormAssessment(w, r, p)
	if !ok {
		return
	}
	shown := storedFields(a, set, p.Lang)
	d, err := s.buildForm(r, p, a, unit, set, shown)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d.Flash = p.doneFlash(r, "form.done.")
	if done := r.URL.Query().Get("evidence"); done == "added" || done == "removed" {
		d.EvidenceFlash = p.T("form.evidence." + done)
	}
	s.renderForm(w, r, p, http.StatusOK, d)
}

func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, p *page, status int, d *formData) {
	p.Title = p.T("form.title_of", p.UnitName(d.Unit), d.A.Period)
	p.Data = d
	p.Scripts = append(p.Scripts, "form.js")
	s.render(w, r, status, "assessment", p)
}

// shownValue is a value and note as a field shows them.
type shownValue struct{ Value, Note string }

// storedFields are the assessment's stored values as the form shows them.
func storedFields(a store.Assessment, set *criteria.Set, lang string) map[string]shownValue {
	out := make(map[string]shownValue, len(a.Values))
	for code, v := range a.Values {
		out[code] = shownValue{Value: displayValue(set, code, v.Value, lang), Note: v.Note}
	}
	return out
}

// displayValue writes a stored value for its field: yes/no, grades and "n/a" as the
// select's values; numbers with a decimal comma in Vietnamese when that reads back the same
// ("92,5"; but "0.125", which would read as a thousands separator, stays as stored).
func displayValue(set *criteria.Set, code, stored, lang string) string {
	if stored == "n/a" {
		return stored
	}
	numeric := true
	if in, _ := set.Indicator(code); in != nil {
		numeric = in.Kind == criteria.KindNumber || in.Kind == criteria.KindPercent
	} else if strings.HasPrefix(strings.ToUpper(code), "TC") {
		numeric = false
	}
	if !numeric || lang != i18n.VI {
		return stored
	}
	if i := strings.IndexByte(stored, '.'); i >= 0 && len(stored)-i-1 != 3 {
		return strings.Replace(stored, ".", ",", 1)
	}
	return stored
}

var identifier = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// buildForm lays out the form of a with the values shown (stored, or as posted when the
// form comes back), evaluated by the engine for this unit.
func (s *Server) buildForm(r *http.Request, p *page, a store.Assessment, unit units.Unit, set *criteria.Set, shown map[string]shownValue) (*formData, error) {
	ctx := r.Context()
	cat, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	// The thresholds that apply to this unit do not depend on the values: an evaluation of
	// no values gives them, with the reason when there is none.
	bare, err := cat.Evaluate(ctx, set.ID, unit, nil)
	if err != nil {
		return nil, err
	}
	texts := map[string]string{}
	for code, v := range shown {
		if strings.TrimSpace(v.Value) != "" {
			texts[code] = v.Value
		}
	}
	res, err := cat.Evaluate(ctx, set.ID, unit, texts)
	if err != nil {
		// A value typed into the form that does not read: judge the stored values.
		stored := map[string]string{}
		for k, v := range a.Values {
			stored[k] = v.Value
		}
		if res, err = cat.Evaluate(ctx, set.ID, unit, stored); err != nil {
			return nil, err
		}
	}
	d, err := s.formFrame(r, p, a, unit, set)
	if err != nil {
		return nil, err
	}
	if set.Partial {
		d.SetNote = p.T("form.set_partial")
	}
	d.Summary = formSummary{CriteriaMet: res.CriteriaMet, CriteriaTotal: res.CriteriaTotal, IndicatorsMet: res.IndicatorsMet,
		IndicatorsTotal: res.IndicatorsTotal, Met: res.Met, Unverified: res.Unverified}
	for _, in := range res.Inconsistencies {
		if p.Lang == i18n.VI {
			d.Inconsistencies = append(d.Inconsistencies, in.MessageVI())
		} else {
			d.Inconsistencies = append(d.Inconsistencies, in.MessageEN())
		}
	}
	d.Criteria = formCriteria(p, a, set, shown, bare, res)
	if err := s.formEvidence(ctx, p, d); err != nil {
		return nil, err
	}
	if d.History, err = s.formHistory(ctx, p, a.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// formFrame is the form of a without its criteria: who may do what to it, and why a step
// separation of duties keeps from the user is not offered.
func (s *Server) formFrame(r *http.Request, p *page, a store.Assessment, unit units.Unit, set *criteria.Set) (*formData, error) {
	ctx := r.Context()
	user := p.User.user
	day := unitDay(a)
	canEnter := s.allow(r, user, auth.Enter, a.UnitCode, day) == nil
	canVerify := s.allow(r, user, auth.Verify, a.UnitCode, day) == nil
	d := &formData{A: a, Unit: unit, SetTitle: set.Title, UnitHref: p.UnitLinkOn(unit.Code, day),
		Config: formConfig{ID: a.ID, Version: a.Version, Set: a.SetID, Unit: a.UnitCode, AsOf: string(day), Lang: p.Lang}}
	d.Editable = canEnter && a.Status.Editable()
	d.Can = formActions{
		Save: d.Editable, Submit: d.Editable,
		Verify:  canVerify && a.Status == assessment.Submitted,
		Return:  canVerify && (a.Status == assessment.Submitted || a.Status == assessment.Verified),
		Approve: canVerify && a.Status == assessment.Verified,
		Unlock:  canVerify && a.Status == assessment.Approved,
	}
	// A step separation of duties keeps from the user is not offered; the form says why.
	for _, step := range []struct {
		on  *bool
		act assessment.Action
	}{{&d.Can.Verify, assessment.Verify}, {&d.Can.Approve, assessment.Approve}} {
		if !*step.on {
			continue
		}
		refused, err := s.db.MayTake(ctx, []int64{a.ID}, step.act, user.Username)
		if err != nil {
			return nil, err
		}
		if e := refused[a.ID]; e != nil {
			*step.on, d.DutyNote = false, e.Error()
		}
	}
	return d, nil
}

// formCriteria lays out the criteria of set with the values shown, the thresholds that apply
// to the unit (bare: an evaluation of no values) and the verdicts on the values (res).
func formCriteria(p *page, a store.Assessment, set *criteria.Set, shown map[string]shownValue, bare, res *criteria.Result) []formCriterion {
	var out []formCriterion
	verdicts := map[string]*criteria.IndicatorVerdict{}
	for i := range res.Indicators {
		verdicts[res.Indicators[i].Code] = &res.Indicators[i]
	}
	required := map[string]*criteria.IndicatorVerdict{}
	for i := range bare.Indicators {
		required[bare.Indicators[i].Code] = &bare.Indicators[i]
	}
	critVerdicts := map[int]*criteria.CriterionVerdict{}
	for i := range res.Criteria {
		critVerdicts[res.Criteria[i].Number] = &res.Criteria[i]
	}
	elements := set.Elements()
	n := 0
	field := func(code, label string) formField {
		n++
		v := shown[code]
		f := formField{ID: "f" + strconv.Itoa(n), Code: code, Label: label, Value: v.Value, Note: v.Note}
		if sv, ok := a.Values[code]; ok {
			f.Saved, f.SavedNote = displayValue(set, code, sv.Value, p.Lang), sv.Note
			f.By = p.T("form.entered_by", sv.EnteredBy, p.Time(sv.EnteredAt))
		}
		return f
	}
	// A stored value a select does not offer (a grade no longer listed, "n/a" for a criterion)
	// is offered as it is: a select must never drop a value nobody touched.
	keep := func(f *formField) {
		for _, v := range []string{f.Value, f.Saved} {
			if v != "" && !slices.ContainsFunc(f.Options, func(o fieldOption) bool { return o.Value == v }) {
				f.Options = append(f.Options, fieldOption{v, v})
			}
		}
	}
	for _, c := range set.Criteria {
		fc := formCriterion{Number: c.Number, Name: c.Name, Sector: c.Sector, Note: c.Note, Partial: c.Partial}
		key := criteria.DirectKey(c.Number)
		fc.Direct = field(key, p.T("form.direct", c.Number))
		fc.Direct.Options = []fieldOption{{"", p.T("form.direct.by_indicators")}, {"true", p.T("form.direct.met")}, {"false", p.T("form.direct.not_met")}}
		keep(&fc.Direct)
		if cv := critVerdicts[c.Number]; cv != nil {
			fc.Verdict = formVerdict{State: cv.Status.String(), Reason: cv.Reason(p.Lang)}
		}
		for _, in := range c.Indicators {
			fi := formIndicator{Code: in.Code, Name: in.Name, Unit: in.Unit, Kind: string(in.Kind), Formula: in.Formula, Note: in.Note}
			fi.Field = field(in.Code, in.Code+". "+in.Name)
			switch in.Kind {
			case criteria.KindBool:
				fi.Field.Options = []fieldOption{{"", p.T("form.value.empty")}, {"true", p.T("form.value.yes")}, {"false", p.T("form.value.no")}, {"n/a", p.T("form.value.na")}}
			case criteria.KindLevel:
				fi.Field.Options = []fieldOption{{"", p.T("form.value.empty")}}
				for _, l := range in.Levels {
					fi.Field.Options = append(fi.Field.Options, fieldOption{l, l})
				}
				fi.Field.Options = append(fi.Field.Options, fieldOption{"n/a", p.T("form.value.na")})
			default:
				fi.Field.Numeric = true
			}
			if fi.Field.Options != nil {
				keep(&fi.Field)
			}
			if rv := required[in.Code]; rv != nil {
				if rv.Threshold.IsSet() {
					fi.Threshold = p.threshold(&in, rv.Threshold)
					fi.Scope = p.scope(rv.Scope)
					fi.Unverified = !rv.Verified
				} else {
					fi.NoThreshold = strings.TrimPrefix(rv.Reason(p.Lang), in.Code+": ")
				}
			}
			if in.Formula != "" {
				for _, name := range identifier.FindAllString(in.Formula, -1) {
					if slices.Contains(elements, name) && !slices.ContainsFunc(fi.Elements, func(f formField) bool { return f.Code == name }) {
						ef := field(name, name)
						ef.Numeric = true
						fi.Elements = append(fi.Elements, ef)
					}
				}
			}
			if v := verdicts[in.Code]; v != nil {
				fi.Verdict = formVerdict{State: v.Status.String(), Reason: v.Reason(p.Lang)}
			}
			fc.Indicators = append(fc.Indicators, fi)
		}
		out = append(out, fc)
	}
	return out
}

// formHistory is the workflow steps of assessment id, from the audit log.
func (s *Server) formHistory(ctx context.Context, p *page, id int64) ([]historyEntry, error) {
	var out []historyEntry
	log, err := s.db.AuditLog(ctx, store.AuditFilter{Entity: "assessment", EntityID: strconv.FormatInt(id, 10), Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, e := range log {
		if !slices.Contains(workflowActions, e.Action) {
			continue
		}
		out = append(out, historyEntry{At: p.Time(e.At), Actor: e.Actor, Action: p.T("form.history." + e.Action), Detail: e.Detail})
	}
	return out, nil
}

// threshold writes the requirement of an indicator: "≥ 95 %", "có", "≤ 3 %".
func (p *page) threshold(in *criteria.Indicator, t criteria.Value) string {
	if in.Kind == criteria.KindBool {
		return p.T("form.requires", t.Text(p.Lang))
	}
	op := map[criteria.Op]string{criteria.OpAtLeast: "≥", criteria.OpAtMost: "≤", criteria.OpEqual: "="}[in.Op]
	v := t.Text(p.Lang)
	if in.Unit != "" && t.Kind == criteria.ValueNumber {
		v += " " + in.Unit
	}
	return op + " " + v
}

// scope says whose threshold applied: the general one, the unit's region or group, or a tag.
func (p *page) scope(sc criteria.Scope) string {
	switch sc.Kind {
	case criteria.ScopeRegion:
		if sc.Via != "" {
			return p.T("form.scope.region_via", p.RegionName(sc.Key), sc.Via)
		}
		return p.T("form.scope.region", p.RegionName(sc.Key))
	case criteria.ScopeGroup:
		return p.T("form.scope.group", strings.TrimPrefix(sc.Key, "nhom-"))
	case criteria.ScopeTag:
		return p.T("form.scope.tag", sc.Key)
	}
	return p.T("form.scope.general")
}

// Time writes a moment in Vietnam's time: "15/02/2026 08:30" (vi), "2026-02-15 08:30" (en).
func (p *page) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(vietnamTime)
	return i18n.Date(t.Format(time.DateOnly), p.Lang) + " " + t.Format("15:04")
}

var vietnamTime = time.FixedZone("ICT", 7*60*60)

// VerdictSymbol is the sign of a verdict; the word beside it says the same, so that colour
// and sign are never the only signal.
func (p *page) VerdictSymbol(state string) string {
	switch state {
	case "met":
		return "✓"
	case "not_met":
		return "✗"
	case "not_applicable":
		return "–"
	case "error":
		return "!"
	}
	return "?"
}

// ---------------------------------------------------------------------------------------
// The form posted without script

// formActionsAll lists the buttons' values.
var formActionsAll = []string{"save", "submit", "verify", "return", "approve", "unlock"}

// POST /assessments/{id} (form: version, action, comment, v:CODE, n:CODE) — saves the values
// that changed (app.SetValues at version) and takes the action (app.ChangeStatus), as the API
// does; a conflict, a bad value or a refused step brings the form back with the values typed
// and what went wrong.
func (s *Server) assessmentPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.postForm(w, r, "form.title", 1<<20)
	if !ok {
		return
	}
	p.Nav = "units"
	a, unit, set, ok := s.loadFormAssessment(w, r, p)
	if !ok {
		return
	}
	form := r.PostForm
	action := form.Get("action")
	if !slices.Contains(formActionsAll, action) {
		action = "save"
	}
	// Saving and submitting are the unit's data entry; the other steps the level above's.
	need := auth.Verify
	if action == "save" || action == "submit" {
		need = auth.Enter
	}
	if err := s.allow(r, p.User.user, need, a.UnitCode, unitDay(a)); err != nil {
		if isForbidden(err) {
			s.errorPage(w, r, http.StatusForbidden, "error.forbidden_action")
			return
		}
		s.internalError(w, r, err)
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	fp := &formPost{s: s, w: w, r: r, p: p, cat: cat, a: a, unit: unit, set: set, comment: strings.TrimSpace(form.Get("comment"))}
	fp.version, _ = strconv.Atoi(form.Get("version"))
	fp.shown, fp.changes = formChanges(form, a, set, p.Lang)
	// Approving locks the assessment: the first press asks to confirm (issue 15).
	fp.confirmApprove = action == "approve" && form.Get("confirm") != "1"
	if len(fp.changes) > 0 && !fp.save() {
		return
	}
	switch {
	case action == "save":
		done := "save"
		if len(fp.changes) == 0 {
			done = "nothing"
		}
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d?done=%s", fp.a.ID, done), http.StatusSeeOther)
	case fp.confirmApprove:
		fp.back(http.StatusOK, "", nil, nil)
	default:
		fp.step(assessment.Action(action))
	}
}

// formPost is a post of the assessment form on its way.
type formPost struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	p    *page
	cat  *app.Catalog
	a    store.Assessment
	unit units.Unit
	set  *criteria.Set

	shown          map[string]shownValue // what the form shows: the stored values, then those typed
	changes        []store.ValueChange   // what changed from the stored values, by code
	version        int
	comment        string
	confirmApprove bool
	savedValues    bool // the values went through, whatever the step after does
}

// formChanges reads the values typed into the form: what it shows, and what changed from the
// stored values (by code; a value typed as stored, in any form the set reads, is no change).
func formChanges(form url.Values, a store.Assessment, set *criteria.Set, lang string) (map[string]shownValue, []store.ValueChange) {
	shown := storedFields(a, set, lang)
	var changes []store.ValueChange
	for key, vals := range form {
		code, ok := strings.CutPrefix(key, "v:")
		if !ok || len(vals) == 0 {
			continue
		}
		text := strings.TrimSpace(vals[0])
		note := strings.TrimSpace(form.Get("n:" + code))
		shown[code] = shownValue{Value: text, Note: note}
		stored, had := a.Values[code]
		switch {
		case text == "" && had:
			changes = append(changes, store.ValueChange{Code: code})
		case text == "":
		case had && (text == stored.Value || text == displayValue(set, code, stored.Value, lang) || sameValue(set, code, text, stored.Value)):
			if note != stored.Note {
				v := stored.Value
				changes = append(changes, store.ValueChange{Code: code, Value: &v, Note: note})
			}
		default:
			changes = append(changes, store.ValueChange{Code: code, Value: &text, Note: note})
		}
	}
	slices.SortFunc(changes, func(x, y store.ValueChange) int { return strings.Compare(x.Code, y.Code) })
	return shown, changes
}

// back brings the form back with the values typed and what went wrong.
func (fp *formPost) back(status int, msg string, conflict *formConflict, fieldErrs map[string]string) {
	d, err := fp.s.buildForm(fp.r, fp.p, fp.a, fp.unit, fp.set, fp.shown)
	if err != nil {
		fp.s.internalError(fp.w, fp.r, err)
		return
	}
	d.Error, d.Conflict, d.Comment = msg, conflict, fp.comment
	d.ConfirmApprove = fp.confirmApprove
	if conflict != nil {
		// A second press saves the values typed over the current ones, knowingly.
		d.Config.Version = conflict.Version
	} else {
		d.Config.Version = fp.version
	}
	for i := range d.Criteria {
		c := &d.Criteria[i]
		c.Direct.Error = fieldErrs[c.Direct.Code]
		for j := range c.Indicators {
			c.Indicators[j].Field.Error = fieldErrs[c.Indicators[j].Code]
			for k := range c.Indicators[j].Elements {
				c.Indicators[j].Elements[k].Error = fieldErrs[c.Indicators[j].Elements[k].Code]
			}
		}
	}
	fp.s.renderForm(fp.w, fp.r, fp.p, status, d)
}

// formFault reads err as the API answers it: its status, message and field, and for a
// conflict the assessment as it now stands; ok is false for an error that is ours.
func formFault(err error, lang string) (status int, msg, field string, current store.Assessment, ok bool) {
	f, ok := fault.As(err)
	if !ok || errorStatus[f.Code] == 0 {
		return 0, "", "", store.Assessment{}, false
	}
	current, _ = f.Current.(store.Assessment)
	return errorStatus[f.Code], f.Message(lang), f.Field, current, true
}

// save stores the values that changed; false when the form has been answered instead.
func (fp *formPost) save() bool {
	a, err := fp.cat.SetValues(fp.r.Context(), fp.p.User.user, fp.a.ID, fp.version, fp.changes)
	if err == nil {
		fp.a, fp.version, fp.savedValues = a, a.Version, true
		return true
	}
	status, msg, field, cur, ok := formFault(err, fp.p.Lang)
	switch {
	case !ok:
		fp.s.internalError(fp.w, fp.r, err)
	case status == http.StatusConflict:
		fp.back(status, "", fp.p.conflictOf(fp.set, cur, func(code string) (string, bool) {
			for _, c := range fp.changes {
				if c.Code == code {
					if c.Value == nil {
						return "", true
					}
					return *c.Value, true
				}
			}
			return "", false
		}), nil)
	default:
		errs := map[string]string{}
		if i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(field, "values["), "]")); err == nil && i >= 0 && i < len(fp.changes) {
			errs[fp.changes[i].Code] = msg
			msg = fp.p.T("form.error.value", fp.changes[i].Code)
		}
		fp.back(status, msg, nil, errs)
	}
	return false
}

// step takes the workflow action, then shows the assessment, or the form with why not.
func (fp *formPost) step(action assessment.Action) {
	a, err := fp.cat.ChangeStatus(fp.r.Context(), fp.p.User.user, fp.a.ID, fp.version, action, fp.comment)
	if err == nil {
		http.Redirect(fp.w, fp.r, fmt.Sprintf("/assessments/%d?done=%s", a.ID, action), http.StatusSeeOther)
		return
	}
	status, msg, _, cur, ok := formFault(err, fp.p.Lang)
	switch {
	case !ok:
		fp.s.internalError(fp.w, fp.r, err)
	case status == http.StatusConflict:
		fp.back(status, "", fp.p.conflictOf(fp.set, cur, func(string) (string, bool) { return "", false }), nil)
	default:
		if fp.savedValues {
			msg = fp.p.T("form.error.saved_but", msg)
		}
		fp.back(status, msg, nil, nil)
	}
}

// sameValue reports whether text reads as the stored value of code.
func sameValue(set *criteria.Set, code, text, stored string) bool {
	_, v, err := app.CheckValue(set, code, text)
	return err == nil && v == stored
}

// apiMessage is the message and field of an API error answer.
func apiMessage(rec *recorder) (string, string) {
	var e struct {
		Error apiError `json:"error"`
	}
	if json.Unmarshal(rec.body.Bytes(), &e) != nil || e.Error.Message == "" {
		return http.StatusText(rec.status), ""
	}
	return e.Error.Message, e.Error.Field
}

// conflictOf lays out a conflict: the assessment as it now stands (cur), and for each value
// the user changed (yours) how it differs from the current one.
func (p *page) conflictOf(set *criteria.Set, cur store.Assessment, yours func(code string) (string, bool)) *formConflict {
	c := &formConflict{By: cur.UpdatedBy, At: p.Time(cur.UpdatedAt), Status: p.StatusName(string(cur.Status)), Version: cur.Version}
	codes := map[string]bool{}
	for code := range cur.Values {
		codes[code] = true
	}
	for _, crit := range set.Criteria {
		codes[criteria.DirectKey(crit.Number)] = true
		for _, in := range crit.Indicators {
			codes[in.Code] = true
		}
	}
	for _, e := range set.Elements() {
		codes[e] = true
	}
	var sorted []string
	for code := range codes {
		sorted = append(sorted, code)
	}
	slices.Sort(sorted)
	for _, code := range sorted {
		mine, changed := yours(code)
		if !changed {
			continue
		}
		theirs, has := cur.Values[code]
		row := conflictRow{Code: code, Label: code, Yours: mine, Theirs: "—"}
		if in, _ := set.Indicator(code); in != nil {
			row.Label = code + ". " + in.Name
		}
		if has {
			row.Theirs = displayValue(set, code, theirs.Value, p.Lang)
			row.TheirsBy = p.T("form.entered_by", theirs.EnteredBy, p.Time(theirs.EnteredAt))
		}
		if row.Yours == "" {
			row.Yours = p.T("form.conflict.removed")
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}

// ValueText writes a value of a field in words (a select's label, else the text).
func (f formField) ValueText(v string) string {
	for _, o := range f.Options {
		if o.Value == v && v != "" {
			return o.Label
		}
	}
	return v
}

// ---------------------------------------------------------------------------------------
// Starting an assessment

type newFormData struct {
	Unit    units.Unit
	Sets    []newSetChoice
	Period  string
	Periods []periodYear // the picker's choices, by year
	Error   string
	Field   string // the field the error is about
}

// newSetChoice is a set the form offers: by its title, the sets in force first (issue 15.7).
type newSetChoice struct {
	ID, Title         string
	Selected, InForce bool
}

// periodYear is a year of the period picker with its periods.
type periodYear struct {
	Year    int
	Periods []periodChoice
}

// periodChoice is a period of the picker: its code (what the form posts) and its name.
type periodChoice struct {
	Code, Label string
	Selected    bool
}

// periodPicker offers the periods of the years around today's, the one typed selected; a
// period typed that is not among them (an old year from a link) comes first.
func periodPicker(selected string, today units.Date, lang string) []periodYear {
	year, _ := strconv.Atoi(string(today)[:4])
	sel, err := period.Parse(selected)
	code := selected
	if err == nil {
		code = sel.Code()
	}
	var out []periodYear
	found := false
	// This year first, the two before it, then next year (a plan's period).
	for _, y := range []int{year, year - 1, year - 2, year + 1} {
		py := periodYear{Year: y}
		for _, pd := range period.OfYear(y) {
			c := periodChoice{Code: pd.Code(), Label: pd.Label(lang), Selected: pd.Code() == code}
			found = found || c.Selected
			py.Periods = append(py.Periods, c)
		}
		out = append(out, py)
	}
	if !found && err == nil {
		out = append([]periodYear{{Year: sel.Year, Periods: []periodChoice{{Code: code, Label: sel.Label(lang), Selected: true}}}}, out...)
	}
	return out
}

// GET /assessments/new?unit=CODE&set=ID&period=P — the form that starts an assessment.
func (s *Server) newAssessmentPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "new.title")
	if !ok {
		return
	}
	q := r.URL.Query()
	if strings.TrimSpace(q.Get("unit")) == "" {
		s.pickAssessmentUnit(w, r, p)
		return
	}
	s.newAssessmentForm(w, r, p, http.StatusOK, q.Get("unit"), q.Get("set"), q.Get("period"), "", "")
}

func (s *Server) newAssessmentForm(w http.ResponseWriter, r *http.Request, p *page, status int, code, setID, period, msg, field string) {
	ctx := r.Context()
	p.Nav = "units"
	today := units.Today()
	u, ok := s.pageUnit(w, r, p, code, today)
	if !ok {
		return
	}
	if err := s.allow(r, p.User.user, auth.Enter, u.Code, today); err != nil {
		if isForbidden(err) {
			s.errorPage(w, r, http.StatusForbidden, "error.forbidden_enter", p.UnitName(u))
			return
		}
		s.internalError(w, r, err)
		return
	}
	cur, err := s.currentCriteria(ctx)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d := newFormData{Unit: u, Period: period, Error: msg, Field: field}
	if d.Period == "" {
		d.Period = string(today)[:4]
	}
	d.Periods = periodPicker(d.Period, today, p.Lang)
	for _, set := range cur.Sets() {
		if !setApplies(set, u) {
			continue
		}
		d.Sets = append(d.Sets, newSetChoice{ID: set.ID, Title: set.Title, Selected: set.ID == setID, InForce: set.InForce(today)})
	}
	slices.SortStableFunc(d.Sets, func(a, b newSetChoice) int {
		switch {
		case a.InForce == b.InForce:
			return 0
		case a.InForce:
			return -1
		}
		return 1
	})
	if setID == "" {
		// The basic set in force today first.
		for i, sc := range d.Sets {
			if set, ok := cur.Get(sc.ID); ok && set.InForce(today) && set.Tier == criteria.TierNTM {
				d.Sets[i].Selected = true
				break
			}
		}
	}
	p.Title = p.T("new.title_of", p.UnitName(u))
	p.Data = d
	s.render(w, r, status, "assessment_new", p)
}

// POST /assessments/new (form: unit, set, period) — starts the assessment through the API
// and opens its form; one that exists already is opened instead.
func (s *Server) newAssessmentPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.postForm(w, r, "new.title", 64<<10)
	if !ok {
		return
	}
	code, setID, period := r.PostForm.Get("unit"), r.PostForm.Get("set"), strings.TrimSpace(r.PostForm.Get("period"))
	body, _ := json.Marshal(map[string]string{"unit": code, "set": setID, "period": period})
	rec := s.forward(r, http.MethodPost, "/api/v1/assessments", body)
	var got struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(rec.body.Bytes(), &got)
	switch {
	case rec.status == http.StatusCreated:
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d?done=created", got.ID), http.StatusSeeOther)
	case rec.status == http.StatusConflict && got.ID != 0:
		http.Redirect(w, r, fmt.Sprintf("/assessments/%d?done=exists", got.ID), http.StatusSeeOther)
	default:
		msg, field := apiMessage(rec)
		status := rec.status
		if status < 400 {
			status = http.StatusInternalServerError
		}
		s.newAssessmentForm(w, r, p, status, code, setID, period, msg, field)
	}
}

// newAssessmentLink is the form that starts an assessment of code.
func newAssessmentLink(code string) string { return "/assessments/new?unit=" + url.QueryEscape(code) }
