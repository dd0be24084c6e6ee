package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The showcase (issue 15.10): in the demo province (Hà Nội) a visitor sees each feature at
// work without entering anything — recognition dossiers at every step of the workflow and in
// every status, assessments returned to their commune with a reason, and a report issued
// with its number. Each is made through the same store calls the pages use, as the demo
// users (tinh, xa), so that it is what an office's history would leave; the files and words
// are marked as samples ("dữ liệu mẫu").

// ShowcaseProvince is the province whose offices the showcase fills.
const ShowcaseProvince = "01"

// ShowcaseReport is the number and day of the demo province's issued report.
const (
	ShowcaseReportPeriod = "2026-Q3"
	ShowcaseReportNumber = 215
)

// samplePDF is the file the showcase attaches to each checklist item: a one-page PDF that
// says it is a sample.
var samplePDF = []byte("%PDF-1.4\n" +
	"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>endobj\n" +
	"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Tai lieu mau - du lieu mau) Tj ET\nendstream endobj\n" +
	"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n" +
	"trailer<</Root 1 0 R>>\n%%EOF\n")

// dossierAct ends a dossier's current step: after days from the previous one (a posting
// step ends the day after its window instead), with a comment for a return or rejection.
type dossierAct struct {
	outcome recognition.Outcome
	days    int
	comment string
}

// showDossier is one dossier of the showcase: when it was opened, the steps it has been
// through, and how many of its current step's required files are already uploaded.
type showDossier struct {
	opened units.Date
	acts   []dossierAct
	files  int  // required files of the current step already uploaded
	vote   bool // the council's vote recorded at the current step
	public bool // a public comment received during the posting
}

var (
	pass         = dossierAct{outcome: recognition.Pass, days: 7}
	passAppraise = dossierAct{outcome: recognition.Pass, days: 14}
)

// showDossiers walk the commune workflow of 2025 (xa-2025: lập hồ sơ → tỉnh thẩm định →
// công khai → hội đồng → quyết định) as far as each status shows; the first is recognised,
// so it goes to a commune meeting the criteria.
var showDossiers = []showDossier{
	{opened: "2026-07-20", acts: []dossierAct{pass, passAppraise, pass, pass, pass}},                      // recognised
	{opened: "2026-08-03", acts: []dossierAct{pass, passAppraise, pass, pass}},                            // at the decision
	{opened: "2026-08-24", acts: []dossierAct{pass, passAppraise, pass}, vote: true, files: 1},            // at the council, voted
	{opened: "2026-10-05", acts: []dossierAct{pass, {outcome: recognition.Pass, days: 38}}, public: true}, // in public posting
	{opened: "2026-10-26", acts: []dossierAct{passAppraise}},                                              // at the province's appraisal
	{opened: "2026-09-21", acts: []dossierAct{pass, {recognition.Return, 14, "Hồ sơ còn thiếu biên bản lấy ý kiến của Ủy ban MTTQ xã về kết quả xây dựng nông thôn mới; đề nghị xã bổ sung (dữ liệu mẫu)."}}}, // returned
	{opened: "2026-11-16", files: 2}, // being prepared
	{opened: "2026-07-27", acts: []dossierAct{pass, passAppraise, pass, {recognition.Reject, 10, "Hội đồng thẩm định biểu quyết chưa đạt: tiêu chí Môi trường chưa bền vững, tỷ lệ thu gom rác thải còn thấp (dữ liệu mẫu)."}}}, // rejected
}

// loadShowcase fills the showcase province, when the demo has it. demoXa is the demo commune
// officer's commune, left without a dossier for the visitor to open one.
func loadShowcase(ctx context.Context, db *store.DB, cat *app.Catalog, cur []units.Unit, demoXa string) error {
	if !slices.ContainsFunc(cur, func(u units.Unit) bool { return u.Code == ShowcaseProvince }) {
		return nil
	}
	if err := showcaseDossiers(ctx, db, cur, demoXa); err != nil {
		return fmt.Errorf("dossiers: %w", err)
	}
	if err := showcaseReturns(ctx, db, cat); err != nil {
		return fmt.Errorf("returned assessments: %w", err)
	}
	if err := showcaseReport(ctx, db, cat); err != nil {
		return fmt.Errorf("issued report: %w", err)
	}
	return nil
}

// dossierCommunes are the province's rural communes not yet recognised under the sets of
// 2026, those meeting all 10 criteria in the third quarter first, the demo commune left out.
func dossierCommunes(cur []units.Unit, demoXa string) []units.Unit {
	h := history(nil, inProvinces(cur, []string{ShowcaseProvince}))
	recognised := map[string]bool{}
	for _, r := range h.recs {
		recognised[r.unit.Code] = true
	}
	var meeting, others []units.Unit
	for _, u := range inProvinces(cur, []string{ShowcaseProvince}) {
		switch {
		case !u.IsRuralCommune() || recognised[u.Code] || u.Code == demoXa:
		case h.meets2026Q3[u.Code]:
			meeting = append(meeting, u)
		default:
			others = append(others, u)
		}
	}
	return append(meeting, others...)
}

func showcaseDossiers(ctx context.Context, db *store.DB, cur []units.Unit, demoXa string) error {
	lib, err := recognition.Shipped()
	if err != nil {
		return err
	}
	communes := dossierCommunes(cur, demoXa)
	if len(communes) < len(showDossiers) {
		return fmt.Errorf("%d communes for %d dossiers", len(communes), len(showDossiers))
	}
	for i, sd := range showDossiers {
		wf, err := lib.For(units.LevelCommune, "ntm", sd.opened)
		if err != nil {
			return err
		}
		u := communes[i]
		d, err := db.CreateDossier(ctx, "xa", store.NewDossier{UnitCode: u.Code, Tier: "ntm", SetID: "xa-ntm-2026", WorkflowID: wf.ID,
			FirstStep: wf.Steps[0].ID, Opened: sd.opened})
		if err != nil {
			return err
		}
		if err := walkDossier(ctx, db, wf, d, sd, i); err != nil {
			return fmt.Errorf("dossier of %s: %w", u.Code, err)
		}
	}
	return nil
}

// walkDossier takes a dossier through its acts, each step by the role the workflow names,
// with the step's files uploaded, the posting's window kept and the council's vote recorded.
func walkDossier(ctx context.Context, db *store.DB, wf *recognition.Workflow, d store.Dossier, sd showDossier, n int) error {
	actor := func(s recognition.Step) string {
		if s.Role == "commune" {
			return "xa"
		}
		return "tinh"
	}
	upload := func(s recognition.Step, max int) error {
		for _, doc := range s.Documents {
			if !doc.Required || max == 0 {
				continue
			}
			max--
			if _, err := db.AddDossierDocument(ctx, actor(s), d.ID, s.ID, store.DocumentUpload{Item: doc.ID, Filename: doc.ID + "-mau.pdf",
				ContentType: "application/pdf", Content: samplePDF}); err != nil {
				return err
			}
		}
		return nil
	}
	vote := func(s recognition.Step, on units.Date, yes int) error {
		_, err := db.RecordVote(ctx, "tinh", d.ID, s.ID, recognition.Vote{Members: 9, Yes: yes, No: 9 - yes - 1, Abstain: 1, On: on,
			Note: "Biểu quyết tại phiên họp Hội đồng thẩm định (dữ liệu mẫu)"})
		return err
	}
	on := d.Opened
	for _, a := range sd.acts {
		s := wf.Steps[d.Step]
		on = on.AddDays(a.days)
		if s.Kind == recognition.KindPosting {
			on = d.PostingTo.AddDays(1)
		}
		if a.outcome == recognition.Pass {
			if err := upload(s, -1); err != nil {
				return err
			}
		}
		if s.Kind == recognition.KindCouncil {
			if err := vote(s, on, map[bool]int{true: 8, false: 3}[a.outcome == recognition.Pass]); err != nil {
				return err
			}
		}
		act := store.StepAction{Step: s.ID, Outcome: a.outcome, On: on, Today: units.Today(), Comment: a.comment}
		if a.outcome == recognition.Pass && s.Kind == recognition.KindDecision {
			act.Decision = &recognition.Decision{Number: fmt.Sprintf("%d/QĐ-UBND", 2391+n), Date: on, Signer: "Chủ tịch UBND thành phố (dữ liệu mẫu)"}
		}
		var err error
		if d, err = db.TakeStep(ctx, actor(s), d.ID, wf, act); err != nil {
			return fmt.Errorf("%s %s on %s: %w", s.ID, a.outcome, on, err)
		}
	}
	if d.Status.Closed() {
		return nil
	}
	s := wf.Steps[d.Step]
	if err := upload(s, sd.files); err != nil {
		return err
	}
	if sd.vote {
		if err := vote(s, d.StepStarted.AddDays(10), 8); err != nil {
			return err
		}
	}
	if sd.public {
		_, err := db.AddDossierComment(ctx, "tinh", d.ID, s.ID, store.DossierComment{Kind: store.CommentPublic,
			Author: "Ông Nguyễn Văn Bình, thôn Đông (dữ liệu mẫu)", Body: "Đề nghị xã công khai thêm kết quả làm đường giao thông nội đồng.",
			Day: d.StepStarted.AddDays(3)})
		return err
	}
	return nil
}

// showcaseReturns returns two of the province's submitted assessments of the third quarter
// to their communes, with the reason, so that the queue shows every status.
func showcaseReturns(ctx context.Context, db *store.DB, cat *app.Catalog) error {
	tinh, err := db.UserByUsername(ctx, "tinh")
	if err != nil {
		return err
	}
	as, err := db.ListAssessments(ctx, store.AssessmentFilter{Within: ShowcaseProvince, SetID: "xa-ntm-2026", Period: "2026-Q3",
		Status: assessment.Submitted, Limit: 2})
	if err != nil {
		return err
	}
	for _, a := range as {
		if _, err := cat.ChangeStatus(ctx, &tinh, a.ID, a.Version, assessment.Return,
			"Đề nghị xã bổ sung minh chứng cho tiêu chí Thu nhập (báo cáo của Chi cục Thống kê) rồi gửi lại (dữ liệu mẫu)."); err != nil {
			return err
		}
	}
	return nil
}

// showcaseReport issues the province's report of the third quarter, with its own paragraphs.
func showcaseReport(ctx context.Context, db *store.DB, cat *app.Catalog) error {
	d, _, err := db.OpenReportDraft(ctx, "tinh", ShowcaseProvince, ShowcaseReportPeriod, "vi", "")
	if err != nil {
		return err
	}
	d, err = report.SetParagraphs(ctx, db, "tinh", d, d.Version, map[string]string{
		"general":      "Trong quý, phong trào xây dựng nông thôn mới tiếp tục được triển khai đồng bộ; các xã tập trung hoàn thiện hồ sơ đề nghị xét công nhận theo bộ tiêu chí giai đoạn 2026-2030 (dữ liệu mẫu).",
		"shortcomings": "Tiêu chí Thu nhập và Môi trường còn là khó khăn ở một số xã; việc cập nhật minh chứng còn chậm (dữ liệu mẫu).",
		"proposals":    "- Đề nghị Trung ương sớm ban hành hướng dẫn trình tự xét công nhận sau sắp xếp đơn vị hành chính (dữ liệu mẫu).",
	})
	if err != nil {
		return err
	}
	_, err = report.IssueDraft(ctx, report.Source{DB: db, Catalog: cat}, "tinh", d, d.Version, ShowcaseReportNumber, "2026-10-12")
	return err
}
