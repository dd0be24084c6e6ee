package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Recognition (SPEC §1.6): dossiers that walk through the workflow of data/workflows, the
// registry of decisions, the revocation watch and overdue dossiers.
//
// Who may do what: a commune officer opens and prepares its own commune's dossier and submits
// it (the first step: its role and auth.Enter on the unit); every later step is taken by the
// role the workflow names for it, with auth.ManageRecognition on the unit (an admin may take
// any step); so only the province decides a commune's recognition. Officers with
// ManageRecognition on the unit may comment at any step. Reads need auth.Read on the unit,
// as it was when the dossier was opened (or on the day asked, for the registry).

func (s *Server) recognitionRoutes() {
	s.recognitionPageRoutes()
}

func init() {
	asOf := APIParam{Name: "as_of", Description: "date YYYY-MM-DD (default today)"}
	unit := APIParam{Name: "unit", Description: "unit code; none: the country (or the user's home unit)"}
	step := "step?: the step id the client saw (409 if the dossier has moved on)"
	documentAPI(map[string]APIDoc{
		"GET /api/v1/workflows": {Summary: "The recognition workflows and revocation rules (data/workflows), with what is unverified.",
			Returns: "{workflows, revocation_rules}"},
		"GET /api/v1/dossiers": {Summary: "Recognition dossiers (hồ sơ) of a unit and the units below it.",
			Params:  []APIParam{unit, {Name: "status", Description: "preparing, in_review, returned, rejected or recognized"}, {Name: "open", Description: "1: only dossiers not closed"}, asOf},
			Returns: "{dossiers, count}"},
		"POST /api/v1/dossiers": {Summary: "Open a dossier (the commune's officer for its commune): the workflow is chosen by the unit's level, the tier and the day.",
			Body: "{unit, tier (ntm|nang-cao|kieu-mau|hien-dai), set?, opened? (YYYY-MM-DD, default today)}", Returns: "201 with the dossier; 409 if one is open for the unit and tier"},
		"GET /api/v1/dossiers/overdue": {Summary: "Dossiers that stood, on as_of, at a step past its time limit (time limits marked unverified say so).",
			Params: []APIParam{unit, asOf}, Returns: "{as_of, dossiers: [dossier with step_name, role, lateness]}"},
		"GET /api/v1/dossiers/{id}": {Summary: "A dossier: its checklist and documents, comments, history, attached assessment, deadline, and what the caller may do.",
			Returns: "{dossier, workflow, step, lateness, checklist, can}"},
		"POST /api/v1/dossiers/{id}/documents": {Summary: "Upload a document of the current step's checklist (" + recognition.AllowedExtensions + ", at most 10 MB); its SHA-256 is kept.",
			Body: "multipart/form-data: item (checklist id), file, step?", Returns: "201 with the document"},
		"GET /api/v1/dossiers/{id}/documents/{doc}":    {Summary: "Download a document (its checksum in the Digest header)."},
		"DELETE /api/v1/dossiers/{id}/documents/{doc}": {Summary: "Remove a document uploaded at the current step.", Params: []APIParam{{Name: "step"}}},
		"POST /api/v1/dossiers/{id}/comments":          {Summary: "Comment on the current step.", Body: "{body, " + step + "}"},
		"POST /api/v1/dossiers/{id}/public-comments": {Summary: "Record a comment received during the public posting.",
			Body: "{author, body, received (YYYY-MM-DD), " + step + "}"},
		"POST /api/v1/dossiers/{id}/posting": {Summary: "Record the public posting window (and where it is posted).",
			Body: "{from, to?, where, " + step + "}"},
		"POST /api/v1/dossiers/{id}/vote": {Summary: "Record the appraisal council's vote.",
			Body: "{members, yes, no, abstain, on, note, " + step + "}"},
		"POST /api/v1/dossiers/{id}/actions": {Summary: "End the current step: pass, return (with a comment, to an earlier step) or reject; the decision step's pass records the decision and enters the registry.",
			Body: "{outcome, on? (default today), comment, decision?: {number, date, signer}, " + step + "}", Returns: "the dossier; 422 when the step lacks something (documents, the posting's end, the vote, the decision)"},
		"GET /api/v1/recognitions": {Summary: "The registry of recognitions as of a day, of the units that exist then, with revocations dated by then.",
			Params:  []APIParam{unit, asOf, {Name: "tier"}, {Name: "in_force", Description: "1: only those not revoked"}},
			Returns: "{as_of, recognitions, count, in_force}"},
		"GET /api/v1/recognitions/summary": {Summary: "Units recognised for a tier: new in a period and in all (\"có thêm 01 xã đạt chuẩn NTM, nâng tổng số lên 21 xã\").",
			Params: []APIParam{unit, {Name: "tier", Description: "default ntm"}, {Name: "level", Description: "default commune"}, {Name: "from", Description: "default 1 January of to's year"}, {Name: "to", Description: "default today"}}},
		"POST /api/v1/recognitions/import": {Summary: "Import an existing registry, all or nothing, with row-level problems: an .xlsx (Mã đơn vị, Mức đạt chuẩn, Số quyết định, Ngày quyết định, Người ký?, Bộ tiêu chí?) or JSON rows.",
			Params: []APIParam{{Name: "dry_run", Description: "1: check and count, store nothing"}},
			Body:   "multipart field file (.xlsx), the .xlsx as the body, or JSON {rows: [{unit, tier, decision, date, signer?, set?}], dry_run?}", Returns: "{rows, inserted, unchanged, dry_run}; 422 {problems: [{row, column, message}]}"},
		"POST /api/v1/recognitions/{id}/revoke": {Summary: "Record the decision revoking a recognition (the province; never automatic).",
			Body: "{number, date, signer, reason}"},
		"GET /api/v1/recognition/watch": {Summary: "The revocation watch: recognised units whose latest assessment falls under the QĐ 18/2022 rule, with the failing criteria.",
			Params: []APIParam{unit, asOf, {Name: "approved_only", Description: "1: compare approved assessments only"}}, Returns: "{unit, as_of, checked, at_risk, not_assessed, no_rule}"},
	})
}

// workflows returns the shipped workflows and rules.
func workflows() (*recognition.Library, error) { return recognition.Shipped() }

// stepRefusal is the fault of a step taken by another role than the step's (HTTP 403);
// Current is the step.
func stepRefusal(step recognition.Step, role auth.Role) *fault.Error {
	return fault.Newf(fault.Forbidden, "bước “%s” do vai trò %s thực hiện, không phải %s (this step is taken by the %s role, not %s)",
		step.Name, step.Role, role, step.Role, role).With(step)
}

// mayAct says whether u may take the step of dossier d: the step's role (or admin), with
// auth.Enter on the unit for the first step (the unit preparing its own dossier) and
// auth.ManageRecognition for the others.
func (s *Server) mayAct(r *http.Request, u *auth.User, d store.Dossier, step recognition.Step) error {
	if u.Role != auth.RoleAdmin && u.Role != step.Role {
		return stepRefusal(step, u.Role)
	}
	action := auth.ManageRecognition
	if step.Kind == recognition.KindPrepare {
		action = auth.Enter
	}
	return s.allow(r, u, action, d.UnitCode, d.Opened)
}

// mayComment: whoever may take the current step, or manages recognition on the unit.
func (s *Server) mayComment(r *http.Request, u *auth.User, d store.Dossier, step recognition.Step) error {
	if err := s.mayAct(r, u, d, step); err == nil {
		return nil
	}
	return s.allow(r, u, auth.ManageRecognition, d.UnitCode, d.Opened)
}

// dossierAt reads the dossier id for u (auth.Read on its unit) with its workflow and current step.
func (s *Server) dossierAt(r *http.Request, u *auth.User, id string) (store.Dossier, *recognition.Workflow, recognition.Step, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return store.Dossier{}, nil, recognition.Step{}, store.ErrNotFound
	}
	d, err := s.db.Dossier(r.Context(), n)
	if err != nil {
		return d, nil, recognition.Step{}, err
	}
	// A unit out of reach is a refusal that says nothing about the dossier.
	if err := s.allow(r, u, auth.Read, d.UnitCode, d.Opened); err != nil {
		return store.Dossier{}, nil, recognition.Step{}, err
	}
	lib, err := workflows()
	if err != nil {
		return d, nil, recognition.Step{}, err
	}
	wf, ok := lib.Workflow(d.WorkflowID)
	if !ok {
		return d, nil, recognition.Step{}, fmt.Errorf("dossier %d: workflow %s is not shipped", d.ID, d.WorkflowID)
	}
	step, _, _ := wf.Step(d.StepID)
	return d, wf, step, nil
}

// parseDay reads an optional day (YYYY-MM-DD or dd/mm/yyyy) of a field; empty gives def.
func dayField(field, v string, def units.Date) (units.Date, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	d, err := recognition.ParseDay(v)
	if err != nil {
		return "", badField(field, fmt.Sprintf("%q không phải là ngày (YYYY-MM-DD hoặc dd/mm/yyyy) (not a date)", v))
	}
	return d, nil
}

// notFuture refuses a day after today.
func notFuture(field string, d units.Date) error {
	if d > units.Today() {
		return badField(field, fmt.Sprintf("ngày %s chưa tới (the date is in the future)", d))
	}
	return nil
}

// ---------------------------------------------------------------------------------------
// The operations, shared by the API and the pages

// dossierInput opens a dossier.
type dossierInput struct {
	Unit   string `json:"unit"`
	Tier   string `json:"tier"`
	Set    string `json:"set"`
	Opened string `json:"opened"`
}

func (s *Server) openDossier(r *http.Request, u *auth.User, in dossierInput) (store.Dossier, error) {
	ctx := r.Context()
	opened, err := dayField("opened", in.Opened, units.Today())
	if err != nil {
		return store.Dossier{}, err
	}
	if err := notFuture("opened", opened); err != nil {
		return store.Dossier{}, err
	}
	tier := in.Tier
	if tier == "" {
		tier = "ntm"
	}
	if t, ok := recognition.ParseTier(tier); ok {
		tier = t
	} else {
		return store.Dossier{}, badField("tier", "mức là ntm, nang-cao, kieu-mau hoặc hien-dai (tier is ntm, nang-cao, kieu-mau or hien-dai)")
	}
	unit, err := s.db.Unit(ctx, strings.TrimSpace(in.Unit), opened)
	if errors.Is(err, store.ErrNotFound) {
		return store.Dossier{}, badField("unit", fmt.Sprintf("không có đơn vị %s ngày %s (no unit %s on %s)", in.Unit, opened, in.Unit, opened))
	}
	if err != nil {
		return store.Dossier{}, err
	}
	lib, err := workflows()
	if err != nil {
		return store.Dossier{}, err
	}
	wf, err := lib.For(unit.Level, tier, opened)
	if err != nil {
		return store.Dossier{}, err
	}
	if err := s.mayAct(r, u, store.Dossier{UnitCode: unit.Code, Opened: opened}, wf.Steps[0]); err != nil {
		return store.Dossier{}, err
	}
	if unit.Level == units.LevelCommune && !unit.IsRuralCommune() {
		return store.Dossier{}, recognition.RuleFault(fmt.Sprintf("%s là %s, không xét công nhận theo bộ tiêu chí xã (only xã are recognised against commune sets)", unit.FullName, unit.Type))
	}
	setID := strings.TrimSpace(in.Set)
	cat, err := s.rules(ctx)
	if err != nil {
		return store.Dossier{}, err
	}
	if setID != "" {
		set, err := cat.Get(ctx, setID)
		if err != nil {
			return store.Dossier{}, badField("set", err.Error())
		}
		if set.Level != string(unit.Level) || set.Tier != tier {
			return store.Dossier{}, badField("set", fmt.Sprintf("bộ %s dành cho cấp %s, mức %s (set %s is for %s units, tier %s)", set.ID, set.Level, set.Tier, set.ID, set.Level, set.Tier))
		}
	} else {
		setID = s.setInForce(ctx, unit.Level, tier, opened)
	}
	return s.db.CreateDossier(ctx, u.Username, store.NewDossier{UnitCode: unit.Code, Tier: tier, SetID: setID, WorkflowID: wf.ID,
		FirstStep: wf.Steps[0].ID, Opened: opened})
}

// setInForce is the id of the criteria set of a level and tier in force on day, or "".
func (s *Server) setInForce(ctx context.Context, level units.Level, tier string, day units.Date) string {
	cat, err := s.rules(ctx)
	if err != nil {
		return ""
	}
	return app.SetInForce(ctx, cat, level, tier, day)
}

// actionInput ends a step.
type actionInput struct {
	Step     string                `json:"step"`
	Outcome  recognition.Outcome   `json:"outcome"`
	On       string                `json:"on"`
	Comment  string                `json:"comment"`
	Decision *recognition.Decision `json:"decision"`
}

func (s *Server) takeAction(r *http.Request, u *auth.User, id string, in actionInput) (store.Dossier, error) {
	d, wf, step, err := s.dossierAt(r, u, id)
	if err != nil {
		return d, err
	}
	if err := s.mayAct(r, u, d, step); err != nil {
		return d, err
	}
	on, err := dayField("on", in.On, units.Today())
	if err != nil {
		return d, err
	}
	switch in.Outcome {
	case recognition.Pass, recognition.Return, recognition.Reject:
	default:
		return d, badField("outcome", "kết quả là pass, return hoặc reject (outcome is pass, return or reject)")
	}
	if in.Decision != nil && (in.Outcome != recognition.Pass || step.Kind != recognition.KindDecision) {
		in.Decision = nil
	}
	if len(in.Comment) > 4000 {
		return d, badField("comment", "ý kiến quá dài (tối đa 4000 ký tự) (comment too long)")
	}
	return s.db.TakeStep(r.Context(), u.Username, d.ID, wf, store.StepAction{Step: in.Step, Outcome: in.Outcome, On: on,
		Today: units.Today(), Comment: strings.TrimSpace(in.Comment), Decision: in.Decision})
}

func (s *Server) uploadDocument(r *http.Request, u *auth.User, id, stepSeen, item, filename string, data []byte) (store.DossierDocument, error) {
	d, _, step, err := s.dossierAt(r, u, id)
	if err != nil {
		return store.DossierDocument{}, err
	}
	if err := s.mayAct(r, u, d, step); err != nil {
		return store.DossierDocument{}, err
	}
	if _, ok := step.Document(item); !ok {
		var ids []string
		for _, doc := range step.Documents {
			ids = append(ids, doc.ID)
		}
		return store.DossierDocument{}, badField("item", fmt.Sprintf("bước hiện tại không có giấy tờ %q; chọn một trong: %s (not an item of the current step's checklist)", item, strings.Join(ids, ", ")))
	}
	name, ct, err := recognition.CheckFile(filename, data)
	if err != nil {
		return store.DossierDocument{}, err
	}
	return s.db.AddDossierDocument(r.Context(), u.Username, d.ID, stepSeen, store.DocumentUpload{Item: item, Filename: name, ContentType: ct, Content: data})
}

func (s *Server) addComment(r *http.Request, u *auth.User, id, stepSeen, body string) (store.DossierComment, error) {
	d, _, step, err := s.dossierAt(r, u, id)
	if err != nil {
		return store.DossierComment{}, err
	}
	if err := s.mayComment(r, u, d, step); err != nil {
		return store.DossierComment{}, err
	}
	body = strings.TrimSpace(body)
	if body == "" || len(body) > 4000 {
		return store.DossierComment{}, badField("body", "ý kiến không được trống và tối đa 4000 ký tự (a comment is 1 to 4000 characters)")
	}
	return s.db.AddDossierComment(r.Context(), u.Username, d.ID, stepSeen, store.DossierComment{Kind: store.CommentNote, Body: body, Day: units.Today()})
}

// publicInput is a comment received during the public posting.
type publicInput struct {
	Step     string `json:"step"`
	Author   string `json:"author"`
	Body     string `json:"body"`
	Received string `json:"received"`
}

func (s *Server) addPublicComment(r *http.Request, u *auth.User, id string, in publicInput) (store.DossierComment, error) {
	d, _, step, err := s.dossierAt(r, u, id)
	if err != nil {
		return store.DossierComment{}, err
	}
	if err := s.mayAct(r, u, d, step); err != nil {
		return store.DossierComment{}, err
	}
	if step.Kind != recognition.KindPosting {
		return store.DossierComment{}, recognition.RuleFault("chỉ ghi ý kiến nhân dân khi hồ sơ đang ở bước công khai (public comments are recorded during the posting step)")
	}
	day, err := dayField("received", in.Received, units.Today())
	if err == nil {
		err = notFuture("received", day)
	}
	if err != nil {
		return store.DossierComment{}, err
	}
	body, author := strings.TrimSpace(in.Body), strings.TrimSpace(in.Author)
	if body == "" || len(body) > 4000 || len(author) > 200 {
		return store.DossierComment{}, badField("body", "ý kiến không được trống, tối đa 4000 ký tự; người gửi tối đa 200 (comment 1-4000 characters, author up to 200)")
	}
	return s.db.AddDossierComment(r.Context(), u.Username, d.ID, in.Step, store.DossierComment{Kind: store.CommentPublic, Author: author, Body: body, Day: day})
}

// postingInput is the public posting window.
type postingInput struct {
	Step  string `json:"step"`
	From  string `json:"from"`
	To    string `json:"to"`
	Where string `json:"where"`
}

func (s *Server) recordPosting(r *http.Request, u *auth.User, id string, in postingInput) (store.Dossier, error) {
	d, step, err := s.dossierAtStep(r, u, id, recognition.KindPosting, "hồ sơ không ở bước công khai (the dossier is not at its posting step)")
	if err != nil {
		return d, err
	}
	from, err := dayField("from", in.From, d.StepStarted)
	if err != nil {
		return d, err
	}
	to, err := dayField("to", in.To, "")
	if err != nil {
		return d, err
	}
	if to == "" {
		_, def, ok := step.PostingWindow(from)
		if !ok {
			return d, badField("to", "hãy ghi ngày kết thúc công khai (give the posting's last day)")
		}
		to = def
	}
	if to < from {
		return d, badField("to", "ngày kết thúc trước ngày bắt đầu (the posting ends before it starts)")
	}
	if from < d.StepStarted {
		return d, badField("from", "công khai bắt đầu trước bước công khai (the posting starts before the step)")
	}
	return s.db.SetPosting(r.Context(), u.Username, d.ID, in.Step, from, to, strings.TrimSpace(in.Where))
}

// voteInput is the council's vote.
type voteInput struct {
	Step    string `json:"step"`
	Members int    `json:"members"`
	Yes     int    `json:"yes"`
	No      int    `json:"no"`
	Abstain int    `json:"abstain"`
	On      string `json:"on"`
	Note    string `json:"note"`
}

func (s *Server) recordVote(r *http.Request, u *auth.User, id string, in voteInput) (store.Dossier, error) {
	d, _, err := s.dossierAtStep(r, u, id, recognition.KindCouncil, "hồ sơ không ở bước hội đồng thẩm định (the dossier is not at its council step)")
	if err != nil {
		return d, err
	}
	on, err := dayField("on", in.On, units.Today())
	if err == nil {
		err = notFuture("on", on)
	}
	if err != nil {
		return d, err
	}
	v := recognition.Vote{Members: in.Members, Yes: in.Yes, No: in.No, Abstain: in.Abstain, On: on, Note: strings.TrimSpace(in.Note)}
	if err := v.Check(); err != nil {
		return d, err
	}
	if on < d.StepStarted {
		return d, badField("on", "ngày biểu quyết trước khi hồ sơ đến hội đồng (the vote is dated before the step began)")
	}
	return s.db.RecordVote(r.Context(), u.Username, d.ID, in.Step, v)
}

// revokeInput is a revocation decision.
type revokeInput struct {
	Number string `json:"number"`
	Date   string `json:"date"`
	Signer string `json:"signer"`
	Reason string `json:"reason"`
}

// revoker is the role that revokes a recognition of a unit of the level: the province for
// communes and villages (Chủ tịch UBND tỉnh), the centre for districts (Thủ tướng).
func revoker(l units.Level) auth.Role {
	if l == units.LevelDistrict || l == units.LevelProvince {
		return auth.RoleCentral
	}
	return auth.RoleProvince
}

func (s *Server) revoke(r *http.Request, u *auth.User, id string, in revokeInput) (store.Recognition, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return store.Recognition{}, store.ErrNotFound
	}
	rec, err := s.db.Recognition(r.Context(), n)
	if err != nil {
		return rec, err
	}
	if err := s.allow(r, u, auth.Read, rec.UnitCode, rec.Decision.Date); err != nil {
		return store.Recognition{}, err
	}
	if want := revoker(rec.UnitLevel); u.Role != auth.RoleAdmin && u.Role != want {
		return rec, stepRefusal(recognition.Step{Name: "thu hồi quyết định công nhận", NameEN: "revoking the recognition", Role: want}, u.Role)
	}
	if err := s.allow(r, u, auth.ManageRecognition, rec.UnitCode, rec.Decision.Date); err != nil {
		return rec, err
	}
	date, err := dayField("date", in.Date, "")
	if err == nil {
		err = notFuture("date", date)
	}
	if err != nil {
		return rec, err
	}
	dec := recognition.Decision{Number: strings.TrimSpace(in.Number), Date: date, Signer: strings.TrimSpace(in.Signer)}
	if err := dec.Check(); err != nil {
		return rec, err
	}
	reason := strings.TrimSpace(in.Reason)
	if reason == "" || len(reason) > 4000 {
		return rec, badField("reason", "hãy ghi lý do thu hồi (tối đa 4000 ký tự) (give the reason)")
	}
	return s.db.RevokeRecognition(r.Context(), u.Username, n, dec, reason)
}

// importRegistry checks that u manages recognition on every row's unit, then imports.
func (s *Server) importRegistry(r *http.Request, u *auth.User, rows []recognition.RegistryRow, dry bool) (store.RegistryStats, error) {
	ctx := r.Context()
	var probs []recognition.RowProblem
	var in []store.RegistryImport
	seen := map[string]error{}
	today := units.Today()
	for _, row := range rows {
		if row.Date > today {
			probs = append(probs, recognition.RowProblem{Row: row.Row, Field: "date", Message: fmt.Sprintf("ngày %s chưa tới (the date is in the future)", row.Date)})
			continue
		}
		key := row.Unit + "@" + string(row.Date)
		err, ok := seen[key]
		if !ok {
			err = s.allow(r, u, auth.ManageRecognition, row.Unit, row.Date)
			seen[key] = err
		}
		if err != nil && isForbidden(err) {
			return store.RegistryStats{}, auth.Refusal(u.Role, auth.ManageRecognition, fmt.Sprintf("%s (dòng %d / row %d)", row.Unit, row.Row, row.Row))
		}
		if err != nil {
			return store.RegistryStats{}, err
		}
		in = append(in, store.RegistryImport{Row: row.Row, UnitCode: row.Unit, Tier: row.Tier, SetID: row.Set,
			Decision: recognition.Decision{Number: row.Decision, Date: row.Date, Signer: row.Signer}})
	}
	if len(probs) > 0 {
		return store.RegistryStats{}, recognition.ImportFault(probs)
	}
	cat, err := s.rules(ctx)
	if err != nil {
		return store.RegistryStats{}, err
	}
	for _, row := range in {
		if row.SetID == "" {
			continue
		}
		if _, err := cat.Get(ctx, row.SetID); err != nil {
			probs = append(probs, recognition.RowProblem{Row: row.Row, Field: "set", Message: fmt.Sprintf("không có bộ tiêu chí %s (no criteria set %s)", row.SetID, row.SetID)})
		}
	}
	if len(probs) > 0 {
		return store.RegistryStats{}, recognition.ImportFault(probs)
	}
	return s.db.ImportRecognitions(ctx, u.Username, in, func(unit units.Unit, tier string, day units.Date) string {
		return s.setInForce(ctx, unit.Level, tier, day)
	}, dry)
}

// rootFor is the unit a list is about: the one asked (which u must be able to read on day),
// else for users whose reading stops at their home unit, that unit.
func (s *Server) rootFor(r *http.Request, u *auth.User, code string, day units.Date) (string, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		if u.Role.Reach(auth.Read) == auth.Everywhere {
			return "", nil
		}
		code = u.UnitCode
	}
	if err := s.allow(r, u, auth.Read, code, day); err != nil {
		return "", err
	}
	return code, nil
}

// visibleDossiers keeps the dossiers whose unit u may read as it was when each was opened.
func (s *Server) visibleDossiers(r *http.Request, u *auth.User, ds []store.Dossier) []store.Dossier {
	out := []store.Dossier{}
	seen := map[string]bool{}
	for _, d := range ds {
		key := d.UnitCode + "@" + string(d.Opened)
		ok, checked := seen[key]
		if !checked {
			ok = s.allow(r, u, auth.Read, d.UnitCode, d.Opened) == nil
			seen[key] = ok
		}
		if ok {
			out = append(out, d)
		}
	}
	return out
}

// ---------------------------------------------------------------------------------------
// API handlers

// GET /api/v1/workflows
func (s *Server) listWorkflows(r *http.Request, u *auth.User) (any, error) {
	lib, err := workflows()
	if err != nil {
		return nil, err
	}
	return map[string]any{"workflows": lib.Workflows, "revocation_rules": lib.Rules}, nil
}

// GET /api/v1/dossiers?unit=&status=&open=1&as_of=
func (s *Server) listDossiers(r *http.Request, u *auth.User) (any, error) {
	q := r.URL.Query()
	root, _, err := s.recognitionRoot(r, u, "")
	if err != nil {
		return nil, err
	}
	f := store.DossierFilter{Within: root, Status: recognition.Status(q.Get("status")), Open: q.Get("open") == "1" || q.Get("open") == "true"}
	if f.Status != "" && !f.Status.Valid() {
		return nil, badField("status", "trạng thái là preparing, in_review, returned, rejected hoặc recognized (unknown status)")
	}
	ds, err := s.db.Dossiers(r.Context(), f)
	ds = s.visibleDossiers(r, u, ds)
	return map[string]any{"dossiers": ds, "count": len(ds)}, err
}

// POST /api/v1/dossiers {"unit", "tier", "set"?, "opened"?}
func (s *Server) createDossierAPI(r *http.Request, u *auth.User) (any, error) {
	var in dossierInput
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	d, err := s.openDossier(r, u, in)
	return located{fmt.Sprintf("/api/v1/dossiers/%d", d.ID), d}, err
}

// dossierDetail is GET /api/v1/dossiers/{id}.
type dossierDetail struct {
	Dossier   store.DossierView     `json:"dossier"`
	Workflow  *recognition.Workflow `json:"workflow"`
	Step      recognition.Step      `json:"step"`
	Lateness  recognition.Lateness  `json:"lateness"`
	Checklist []checklistItem       `json:"checklist"`
	Can       dossierCan            `json:"can"`
}

// checklistItem is one document of the workflow with the files uploaded for it.
type checklistItem struct {
	recognition.Document
	StepID string                  `json:"step_id"`
	Files  []store.DossierDocument `json:"files"`
}

// dossierCan says what the caller may do now.
type dossierCan struct {
	Act      bool                  `json:"act"`      // take the current step (upload, outcomes)
	Outcomes []recognition.Outcome `json:"outcomes"` // the current step's outcomes, when Act
	Comment  bool                  `json:"comment"`
	Why      string                `json:"why,omitempty"` // why not Act
}

func (s *Server) dossierDetail(r *http.Request, u *auth.User, id string) (dossierDetail, error) {
	d, wf, step, err := s.dossierAt(r, u, id)
	if err != nil {
		return dossierDetail{}, err
	}
	v, err := s.db.DossierView(r.Context(), d.ID)
	if err != nil {
		return dossierDetail{}, err
	}
	det := dossierDetail{Dossier: v, Workflow: wf, Step: step, Lateness: wf.Late(v.State(), units.Today()), Checklist: []checklistItem{}}
	files := map[string][]store.DossierDocument{}
	for _, doc := range v.Documents {
		files[doc.Item] = append(files[doc.Item], doc)
	}
	for _, st := range wf.Steps {
		for _, doc := range st.Documents {
			fs := files[doc.ID]
			if fs == nil {
				fs = []store.DossierDocument{}
			}
			det.Checklist = append(det.Checklist, checklistItem{Document: doc, StepID: st.ID, Files: fs})
		}
	}
	det.Can.Outcomes = []recognition.Outcome{}
	if !d.Status.Closed() {
		if err := s.mayAct(r, u, d, step); err == nil {
			det.Can.Act, det.Can.Outcomes = true, step.Outcomes
		} else {
			det.Can.Why = err.Error()
		}
		det.Can.Comment = s.mayComment(r, u, d, step) == nil
	}
	return det, nil
}

// GET /api/v1/dossiers/{id}
func (s *Server) getDossier(r *http.Request, u *auth.User) (any, error) {
	return s.dossierDetail(r, u, r.PathValue("id"))
}

// readDocumentForm reads a multipart upload: the fields item and step and the file.
func readDocumentForm(w http.ResponseWriter, r *http.Request) (item, step, filename string, data []byte, err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return "", "", "", nil, badField("file", "gửi tệp bằng multipart/form-data với các trường item và file (send multipart/form-data with item and file)")
	}
	r.Body = http.MaxBytesReader(w, r.Body, recognition.MaxFileSize+1<<20)
	if err := r.ParseMultipartForm(recognition.MaxFileSize + 1<<20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", "", "", nil, recognition.RuleFault(fmt.Sprintf("tệp lớn hơn %d MB (the file is larger than %d MB)", recognition.MaxFileSize>>20, recognition.MaxFileSize>>20))
		}
		return "", "", "", nil, badField("file", "biểu mẫu multipart không hợp lệ (bad multipart form): "+err.Error())
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", "", "", nil, badField("file", "thiếu tệp (trường file) (no file in field \"file\")")
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, recognition.MaxFileSize+1))
	if err != nil {
		return "", "", "", nil, err
	}
	return strings.TrimSpace(r.FormValue("item")), strings.TrimSpace(r.FormValue("step")), hdr.Filename, data, nil
}

// POST /api/v1/dossiers/{id}/documents (multipart: item, file, step?)
func (s *Server) uploadDocumentAPI(r *http.Request, u *auth.User) (any, error) {
	item, step, name, data, err := readDocumentForm(writerOf(r), r)
	if err != nil {
		return nil, err
	}
	return s.uploadDocument(r, u, r.PathValue("id"), step, item, name, data)
}

// GET /api/v1/dossiers/{id}/documents/{doc}
func (s *Server) downloadDocument(r *http.Request, u *auth.User) (any, error) {
	d, _, _, err := s.dossierAt(r, u, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	docID, err := pathNumber(r, "doc")
	if err != nil {
		return nil, err
	}
	doc, content, err := s.db.DossierDocumentContent(r.Context(), d.ID, docID)
	return storedFile{doc.ContentType, doc.Filename, doc.SHA256, doc.UploadedAt, content}, err
}

// DELETE /api/v1/dossiers/{id}/documents/{doc}?step=
func (s *Server) deleteDocumentAPI(r *http.Request, u *auth.User) (any, error) {
	return nil, s.deleteDocument(r, u, r.PathValue("id"), r.PathValue("doc"), r.URL.Query().Get("step"))
}

func (s *Server) deleteDocument(r *http.Request, u *auth.User, id, doc, step string) error {
	d, _, cur, err := s.dossierAt(r, u, id)
	if err != nil {
		return err
	}
	if err := s.mayAct(r, u, d, cur); err != nil {
		return err
	}
	docID, err := strconv.ParseInt(doc, 10, 64)
	if err != nil {
		return store.ErrNotFound
	}
	return s.db.DeleteDossierDocument(r.Context(), u.Username, d.ID, docID, step)
}

// POST /api/v1/dossiers/{id}/comments {"body", "step"?}
func (s *Server) commentAPI(r *http.Request, u *auth.User) (any, error) {
	var in struct {
		Step string `json:"step"`
		Body string `json:"body"`
	}
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	return s.addComment(r, u, r.PathValue("id"), in.Step, in.Body)
}

// GET /api/v1/dossiers/overdue?unit=&as_of=
func (s *Server) overdueDossiers(r *http.Request, u *auth.User) (any, error) {
	root, day, err := s.recognitionRoot(r, u, "")
	if err != nil {
		return nil, err
	}
	lib, err := workflows()
	if err != nil {
		return nil, err
	}
	list, err := app.OverdueDossiers(r.Context(), s.db, lib, root, day)
	out := []app.OverdueDossier{}
	for _, d := range list {
		if s.allow(r, u, auth.Read, d.UnitCode, d.Opened) == nil {
			out = append(out, d)
		}
	}
	return map[string]any{"as_of": day, "unit": root, "dossiers": out, "count": len(out)}, err
}

// GET /api/v1/recognitions?unit=&as_of=&tier=&in_force=1
func (s *Server) listRecognitions(r *http.Request, u *auth.User) (any, error) {
	q := r.URL.Query()
	root, day, err := s.recognitionRoot(r, u, "")
	if err != nil {
		return nil, err
	}
	f := store.RegistryFilter{Root: root, AsOf: day, InForce: q.Get("in_force") == "1" || q.Get("in_force") == "true"}
	if t := q.Get("tier"); t != "" {
		tier, ok := recognition.ParseTier(t)
		if !ok {
			return nil, badField("tier", "mức là ntm, nang-cao, kieu-mau hoặc hien-dai (unknown tier)")
		}
		f.Tier = tier
	}
	rs, err := s.db.Recognitions(r.Context(), f)
	inForce := 0
	for _, x := range rs {
		if x.Revocation == nil {
			inForce++
		}
	}
	return map[string]any{"as_of": day, "unit": root, "recognitions": rs, "count": len(rs), "in_force": inForce}, err
}

// GET /api/v1/recognitions/summary?unit=&tier=&level=&from=&to=
func (s *Server) recognitionSummary(r *http.Request, u *auth.User) (any, error) {
	q := r.URL.Query()
	to, err := dayField("to", q.Get("to"), units.Today())
	if err != nil {
		return nil, err
	}
	from, err := dayField("from", q.Get("from"), units.Date(string(to)[:4]+"-01-01"))
	if err != nil {
		return nil, err
	}
	root, _, err := s.recognitionRoot(r, u, to)
	if err != nil {
		return nil, err
	}
	tier := "ntm"
	if t := q.Get("tier"); t != "" {
		var ok bool
		if tier, ok = recognition.ParseTier(t); !ok {
			return nil, badField("tier", "mức là ntm, nang-cao, kieu-mau hoặc hien-dai (unknown tier)")
		}
	}
	level := units.LevelCommune
	if l := q.Get("level"); l != "" {
		level = units.Level(l)
		if !units.ValidLevel(level) {
			return nil, badField("level", "cấp là province, district, commune hoặc village (unknown level)")
		}
	}
	return app.CountRecognitions(r.Context(), s.db, root, tier, level, from, to)
}

// POST /api/v1/recognitions/import?dry_run=1 — an .xlsx (multipart field file, or the body),
// or JSON {"rows": [{unit, tier, decision, date, signer?, set?}], "dry_run"?}.
func (s *Server) importRegistryAPI(r *http.Request, u *auth.User) (any, error) {
	if reach := u.Role.Reach(auth.ManageRecognition); reach == auth.Nowhere || reach == auth.Subtree && u.UnitCode == "" {
		return nil, auth.Refusal(u.Role, auth.ManageRecognition, "")
	}
	dry := r.URL.Query().Get("dry_run") == "1" || r.URL.Query().Get("dry_run") == "true"
	var rows []recognition.RegistryRow
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/json" {
		var err error
		if rows, dry, err = readRegistryJSON(r, dry); err != nil {
			return nil, err
		}
	} else {
		_, data, err := readImportFile(writerOf(r), r)
		if err != nil {
			return nil, err
		}
		if rows, err = recognition.ReadRegistry(bytes.NewReader(data)); err != nil {
			return nil, err
		}
	}
	st, err := s.importRegistry(r, u, rows, dry)
	return map[string]any{"rows": st.Rows, "inserted": st.Inserted, "unchanged": st.Unchanged, "dry_run": dry}, err
}

// readBodyLarge decodes a JSON body already limited by the caller.
func readBodyLarge(r *http.Request, v any) error {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return badField("body", "nội dung yêu cầu quá lớn hoặc không đọc được (body too large or unreadable): "+err.Error())
	}
	dec := jsonDecoder(&buf)
	if err := dec.Decode(v); err != nil {
		return badField("body", "nội dung yêu cầu không phải JSON hợp lệ (body is not valid JSON): "+err.Error())
	}
	return nil
}

func jsonDecoder(r io.Reader) *json.Decoder {
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	return d
}

// GET /api/v1/recognition/watch?unit=&as_of=&approved_only=1
func (s *Server) watchAPI(r *http.Request, u *auth.User) (any, error) {
	return s.watch(r, u, r.URL.Query().Get("unit"), r.URL.Query().Get("approved_only") == "1")
}

func (s *Server) watch(r *http.Request, u *auth.User, unit string, approvedOnly bool) (app.Watch, error) {
	day, err := asOf(r)
	if err != nil {
		return app.Watch{}, err
	}
	root, err := s.rootFor(r, u, unit, day)
	if err != nil {
		return app.Watch{}, err
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		return app.Watch{}, err
	}
	lib, err := workflows()
	if err != nil {
		return app.Watch{}, err
	}
	return app.RevocationWatch(r.Context(), s.db, cat, lib, root, day, approvedOnly)
}

// readRegistryJSON reads the rows of a registry import sent as JSON {"rows", "dry_run"}
// (dry: dry_run was asked in the query), checking each row's tier, date, unit and decision.
func readRegistryJSON(r *http.Request, dry bool) ([]recognition.RegistryRow, bool, error) {
	var body struct {
		Rows []struct {
			Unit, Tier, Decision, Date, Signer, Set string
		} `json:"rows"`
		DryRun bool `json:"dry_run"`
	}
	r.Body = http.MaxBytesReader(writerOf(r), r.Body, 4<<20)
	if err := readBodyLarge(r, &body); err != nil {
		return nil, dry, err
	}
	dry = dry || body.DryRun
	var rows []recognition.RegistryRow
	var probs []recognition.RowProblem
	for i, x := range body.Rows {
		row := recognition.RegistryRow{Row: i + 1, Unit: strings.TrimSpace(x.Unit), Decision: strings.TrimSpace(x.Decision), Signer: x.Signer, Set: x.Set}
		var ok bool
		if row.Tier, ok = recognition.ParseTier(x.Tier); !ok {
			probs = append(probs, recognition.RowProblem{Row: i + 1, Field: "tier", Message: fmt.Sprintf("mức %q không rõ (unknown tier)", x.Tier)})
		}
		d, err := recognition.ParseDay(x.Date)
		if err != nil {
			probs = append(probs, recognition.RowProblem{Row: i + 1, Field: "date", Message: fmt.Sprintf("%q không phải là ngày (not a date)", x.Date)})
		}
		row.Date = d
		if row.Unit == "" || row.Decision == "" {
			probs = append(probs, recognition.RowProblem{Row: i + 1, Message: "thiếu mã đơn vị hoặc số quyết định (unit or decision missing)"})
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		probs = append(probs, recognition.RowProblem{Message: "không có dòng nào (no rows)"})
	}
	if len(probs) > 0 {
		return nil, dry, recognition.ImportFault(probs)
	}
	return rows, dry, nil
}

// recognitionRoot reads the unit ?unit= a recognition list is about (see rootFor) on day,
// or when day is "", on ?as_of=; it returns the unit and the day.
func (s *Server) recognitionRoot(r *http.Request, u *auth.User, day units.Date) (string, units.Date, error) {
	if day == "" {
		var err error
		if day, err = asOf(r); err != nil {
			return "", "", err
		}
	}
	root, err := s.rootFor(r, u, r.URL.Query().Get("unit"), day)
	return root, day, err
}

// dossierAtStep reads dossier id at its current step, which u must be able to take and which
// must be of kind (else a rule error saying notThere).
func (s *Server) dossierAtStep(r *http.Request, u *auth.User, id string, kind recognition.StepKind, notThere string) (store.Dossier, recognition.Step, error) {
	d, _, step, err := s.dossierAt(r, u, id)
	if err != nil {
		return d, step, err
	}
	if err := s.mayAct(r, u, d, step); err != nil {
		return d, step, err
	}
	if step.Kind != kind {
		return d, step, recognition.RuleFault(notThere)
	}
	return d, step, nil
}
