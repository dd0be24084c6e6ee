package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// Units of Hà Nội used below. 00382 was Xã Minh Trí (Huyện Sóc Sơn, 016) until 30/6/2025 and
// is Xã Kim Anh since 1/7/2025: the code was reused for another commune.
const (
	minhTri  = "00382" // before the reform
	bacSon   = "00379" // before the reform, same district
	kimAnh   = "00382" // after the reform
	trungGia = "00385"
)

func workflow(t *testing.T, id string) *recognition.Workflow {
	t.Helper()
	lib, err := recognition.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	w, ok := lib.Workflow(id)
	if !ok {
		t.Fatalf("no workflow %s", id)
	}
	return w
}

// pdf is a tiny PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// walkDossier takes dossier d of workflow w through every step from its current one, a step
// every few days from day, uploading each step's required documents, recording the posting
// window's end, the vote and the decision. It returns the dossier as it ends.
func walkDossier(t *testing.T, db *store.DB, w *recognition.Workflow, d store.Dossier, day units.Date) store.Dossier {
	t.Helper()
	ctx := context.Background()
	for !d.Status.Closed() {
		step, _, _ := w.Step(d.StepID)
		for _, doc := range step.Documents {
			if !doc.Required {
				continue
			}
			if _, err := db.AddDossierDocument(ctx, "tester", d.ID, d.StepID, store.DocumentUpload{Item: doc.ID, Filename: doc.ID + ".pdf",
				ContentType: "application/pdf", Content: pdf}); err != nil {
				t.Fatalf("upload %s: %v", doc.ID, err)
			}
		}
		a := store.StepAction{Step: d.StepID, Outcome: recognition.Pass, On: day, Today: units.Today()}
		switch step.Kind {
		case recognition.KindPosting:
			a.On = d.PostingTo.AddDays(1)
		case recognition.KindCouncil:
			var err error
			if d, err = db.RecordVote(ctx, "tester", d.ID, d.StepID, recognition.Vote{Members: 9, Yes: 9, On: day}); err != nil {
				t.Fatal(err)
			}
		case recognition.KindDecision:
			a.Decision = &recognition.Decision{Number: "123/QĐ-UBND", Date: day, Signer: "Chủ tịch UBND tỉnh"}
		}
		next, err := db.TakeStep(ctx, "tester", d.ID, w, a)
		if err != nil {
			t.Fatalf("%s: pass step %s on %s: %v", w.ID, d.StepID, a.On, err)
		}
		d = next
		day = a.On.AddDays(3)
	}
	return d
}

func open(t *testing.T, db *store.DB, w *recognition.Workflow, code, tier, set string, opened units.Date) store.Dossier {
	t.Helper()
	d, err := db.CreateDossier(context.Background(), "xa.tester", store.NewDossier{UnitCode: code, Tier: tier, SetID: set,
		WorkflowID: w.ID, FirstStep: w.Steps[0].ID, Opened: opened})
	if err != nil {
		t.Fatalf("open dossier of %s: %v", code, err)
	}
	return d
}

func TestDossier_EveryStepOfBothWorkflows(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// A commune before the reform (district appraisal) and one after it (province appraisal).
		for _, c := range []struct {
			workflow, code, set string
			opened              units.Date
			name                string
		}{
			{"xa-2022", minhTri, "xa-ntm-2021", "2024-03-01", "Xã Minh Trí"},
			{"xa-2025", kimAnh, "xa-ntm-2026", "2026-03-02", "Xã Kim Anh"},
		} {
			w := workflow(t, c.workflow)
			p, _ := assessment.ParsePeriod(string(c.opened)[:4])
			a, err := db.CreateAssessment(ctx, "xa.tester", c.code, c.set, p, empty)
			if err != nil {
				t.Fatal(err)
			}
			d := open(t, db, w, c.code, "ntm", c.set, c.opened)
			if d.UnitName != c.name || d.Status != recognition.Preparing || d.StepID != "lap-ho-so" || d.AssessmentID == nil || *d.AssessmentID != a.ID {
				t.Fatalf("%s: opened %+v", c.workflow, d)
			}
			// A second open dossier for the same unit and tier is refused.
			_, err = db.CreateDossier(ctx, "xa.tester", store.NewDossier{UnitCode: c.code, Tier: "ntm", WorkflowID: w.ID, FirstStep: "lap-ho-so", Opened: c.opened})
			if id, ok := store.ExistingID(err); !ok || id != d.ID {
				t.Errorf("%s: second dossier: %v", c.workflow, err)
			}
			d = walkDossier(t, db, w, d, c.opened.AddDays(5))
			if d.Status != recognition.Recognized || d.RecognitionID == nil || d.Closed == "" {
				t.Fatalf("%s: ends %+v", c.workflow, d)
			}
			v, err := db.DossierView(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.History) != len(w.Steps) || v.Recognition == nil || v.Recognition.Decision.Number != "123/QĐ-UBND" || v.Assessment == nil {
				t.Errorf("%s: view %d steps, recognition %+v", c.workflow, len(v.History), v.Recognition)
			}
			for i, h := range v.History {
				if h.StepID != w.Steps[i].ID || h.Outcome != "pass" || h.Actor != "tester" || h.Ended < h.Started {
					t.Errorf("%s: history %d: %+v", c.workflow, i, h)
				}
			}
			sum := sha256.Sum256(pdf)
			if len(v.Documents) == 0 || v.Documents[0].SHA256 != hex.EncodeToString(sum[:]) || v.Documents[0].Size != int64(len(pdf)) {
				t.Errorf("%s: documents %+v", c.workflow, v.Documents)
			}
			doc, content, err := db.DossierDocumentContent(ctx, d.ID, v.Documents[0].ID)
			if err != nil || string(content) != string(pdf) || doc.ContentType != "application/pdf" {
				t.Errorf("%s: content %q %v", c.workflow, content, err)
			}
			// Every step is in the audit log.
			log, _ := db.AuditLog(ctx, store.AuditFilter{Entity: "dossier", EntityID: strconv.FormatInt(d.ID, 10), Limit: 1000})
			var passes int
			for _, e := range log {
				if e.Action == "pass" {
					passes++
				}
				if e.UnitCode != c.code || e.UnitDate != c.opened {
					t.Errorf("%s: audit entry about %s on %s", c.workflow, e.UnitCode, e.UnitDate)
				}
			}
			if passes != len(w.Steps) {
				t.Errorf("%s: %d passes audited, want %d", c.workflow, passes, len(w.Steps))
			}
			// Nothing more can be done to a closed dossier.
			if _, err := db.AddDossierComment(ctx, "tester", d.ID, "", store.DossierComment{Body: "x", Day: "2026-10-01"}); err == nil {
				t.Errorf("%s: comment on a closed dossier", c.workflow)
			}
		}
	})
}

func TestDossier_ReturnAndResubmit(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := workflow(t, "xa-2025")
		d := open(t, db, w, kimAnh, "ntm", "xa-ntm-2026", "2026-03-02")
		// Submitting without the required documents is refused, naming what is missing.
		_, err := db.TakeStep(ctx, "xa", d.ID, w, store.StepAction{Step: "lap-ho-so", Outcome: recognition.Pass, On: "2026-03-03"})
		if !fault.Is(err, fault.InvalidValue) || !strings.Contains(err.Error(), "Tờ trình") {
			t.Fatalf("submit without documents: %v", err)
		}
		for _, doc := range w.Steps[0].Documents {
			db.AddDossierDocument(ctx, "xa", d.ID, "lap-ho-so", store.DocumentUpload{Item: doc.ID, Filename: "a.pdf", ContentType: "application/pdf", Content: pdf})
		}
		d, err = db.TakeStep(ctx, "xa", d.ID, w, store.StepAction{Step: "lap-ho-so", Outcome: recognition.Pass, On: "2026-03-03"})
		if err != nil || d.StepID != "tham-dinh-tinh" || d.Status != recognition.InReview {
			t.Fatalf("submit: %+v %v", d, err)
		}
		// The province returns it with a comment; an officer who still sees the old step gets
		// a conflict, not a silent second action.
		d, err = db.TakeStep(ctx, "tinh", d.ID, w, store.StepAction{Step: "tham-dinh-tinh", Outcome: recognition.Return, On: "2026-03-10", Comment: "Bổ sung biên bản họp"})
		if err != nil || d.StepID != "lap-ho-so" || d.Status != recognition.Returned || d.StepStarted != "2026-03-10" {
			t.Fatalf("return: %+v %v", d, err)
		}
		_, err = db.TakeStep(ctx, "tinh", d.ID, w, store.StepAction{Step: "tham-dinh-tinh", Outcome: recognition.Pass, On: "2026-03-10"})
		if f, ok := fault.As(err); !ok || f.Code != fault.Conflict || f.Current.(store.Dossier).StepID != "lap-ho-so" {
			t.Errorf("stale action: %v", err)
		}
		// The commune adds the missing document and resubmits: the documents uploaded before
		// the return still count.
		if _, err := db.AddDossierDocument(ctx, "xa", d.ID, "lap-ho-so", store.DocumentUpload{Item: "bien-ban-hop-xa", Filename: "bien-ban-2.pdf", ContentType: "application/pdf", Content: pdf}); err != nil {
			t.Fatal(err)
		}
		d, err = db.TakeStep(ctx, "xa", d.ID, w, store.StepAction{Step: "lap-ho-so", Outcome: recognition.Pass, On: "2026-03-12"})
		if err != nil || d.StepID != "tham-dinh-tinh" || d.Status != recognition.InReview {
			t.Fatalf("resubmit: %+v %v", d, err)
		}
		v, _ := db.DossierView(ctx, d.ID)
		var outcomes []string
		for _, h := range v.History {
			outcomes = append(outcomes, h.StepID+":"+h.Outcome)
		}
		if got := strings.Join(outcomes, " "); got != "lap-ho-so:pass tham-dinh-tinh:return lap-ho-so:pass tham-dinh-tinh:" {
			t.Errorf("history: %s", got)
		}
		if v.History[1].Comment != "Bổ sung biên bản họp" {
			t.Errorf("the return's comment is lost: %+v", v.History[1])
		}
	})
}

func TestDossier_OverdueOnADay(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := workflow(t, "xa-2025")
		d := open(t, db, w, trungGia, "ntm", "xa-ntm-2026", "2026-03-02")
		for _, doc := range w.Steps[0].Documents {
			db.AddDossierDocument(ctx, "xa", d.ID, "lap-ho-so", store.DocumentUpload{Item: doc.ID, Filename: "a.pdf", ContentType: "application/pdf", Content: pdf})
		}
		if _, err := db.TakeStep(ctx, "xa", d.ID, w, store.StepAction{Step: "lap-ho-so", Outcome: recognition.Pass, On: "2026-03-05"}); err != nil {
			t.Fatal(err)
		}
		// The province's appraisal started on 5/3 with 20 days: due 25/3, late from 26/3.
		for _, c := range []struct {
			day     units.Date
			step    string
			overdue bool
			late    int
		}{
			{"2026-03-04", "lap-ho-so", false, 0},
			{"2026-03-25", "tham-dinh-tinh", false, 0},
			{"2026-03-26", "tham-dinh-tinh", true, 1},
			{"2026-04-30", "tham-dinh-tinh", true, 36},
		} {
			ds, err := db.DossiersOn(ctx, "01", c.day)
			if err != nil || len(ds) != 1 {
				t.Fatalf("%s: %d dossiers %v", c.day, len(ds), err)
			}
			_, i, _ := w.Step(ds[0].StepID)
			st := ds[0].State()
			st.Step = i
			l := w.Late(st, c.day)
			if ds[0].StepID != c.step || l.Overdue != c.overdue || l.DaysLate != c.late {
				t.Errorf("%s: at %s, %+v", c.day, ds[0].StepID, l)
			}
		}
		if ds, _ := db.DossiersOn(ctx, "01", "2026-03-01"); len(ds) != 0 {
			t.Errorf("a dossier before it was opened: %+v", ds)
		}
		if ds, _ := db.DossiersOn(ctx, "48", "2026-04-01"); len(ds) != 0 {
			t.Errorf("a dossier of Hà Nội under Đà Nẵng: %+v", ds)
		}
	})
}

func TestRegistry_AsOfADayAndRevocation(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st, err := db.ImportRecognitions(ctx, "tinh", []store.RegistryImport{
			{Row: 2, UnitCode: minhTri, Tier: "ntm", Decision: recognition.Decision{Number: "10/QĐ-UBND", Date: "2019-12-20", Signer: "Chủ tịch"}},
			{Row: 3, UnitCode: bacSon, Tier: "ntm", Decision: recognition.Decision{Number: "11/QĐ-UBND", Date: "2023-06-01"}},
			{Row: 4, UnitCode: minhTri, Tier: "nang-cao", Decision: recognition.Decision{Number: "12/QĐ-UBND", Date: "2024-05-01"}},
			{Row: 5, UnitCode: kimAnh, Tier: "ntm", Decision: recognition.Decision{Number: "90/QĐ-UBND", Date: "2026-05-01"}},
		}, func(u units.Unit, tier string, day units.Date) string { return "set-of-" + tier }, false)
		if err != nil || st.Inserted != 4 {
			t.Fatalf("import: %+v %v", st, err)
		}
		codes := func(f store.RegistryFilter) string {
			rs, err := db.Recognitions(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rs {
				s := r.UnitCode + "/" + r.Tier
				if r.Revocation != nil {
					s += "(thu hồi)"
				}
				out = append(out, s)
			}
			return strings.Join(out, " ")
		}
		cases := []struct {
			f    store.RegistryFilter
			want string
		}{
			{store.RegistryFilter{AsOf: "2019-12-19"}, ""},
			{store.RegistryFilter{AsOf: "2019-12-20"}, minhTri + "/ntm"},
			{store.RegistryFilter{Root: "016", AsOf: "2024-12-31"}, minhTri + "/ntm " + bacSon + "/ntm " + minhTri + "/nang-cao"},
			{store.RegistryFilter{Root: "016", AsOf: "2024-12-31", Tier: "ntm", Since: "2023-01-01"}, bacSon + "/ntm"},
			{store.RegistryFilter{Root: "48", AsOf: "2024-12-31"}, ""},
			// After the reform, 00382 names Xã Kim Anh: Minh Trí's decisions are not its own.
			{store.RegistryFilter{Root: "01", AsOf: "2026-04-30"}, ""},
			{store.RegistryFilter{Root: "01", AsOf: "2026-06-30"}, kimAnh + "/ntm"},
		}
		for _, c := range cases {
			if got := codes(c.f); got != c.want {
				t.Errorf("%+v: %q, want %q", c.f, got, c.want)
			}
		}
		// Revocation: a decision, dated; the registry before it is unchanged.
		rs, _ := db.Recognitions(ctx, store.RegistryFilter{Root: bacSon, AsOf: "2024-01-01"})
		if len(rs) != 1 || rs[0].SetID != "set-of-ntm" || rs[0].Source != "import" {
			t.Fatalf("Bắc Sơn: %+v", rs)
		}
		if _, err := db.RevokeRecognition(ctx, "tinh", rs[0].ID, recognition.Decision{Number: "5/QĐ-UBND", Date: "2023-01-01", Signer: "Chủ tịch"}, "x"); err == nil {
			t.Error("a revocation dated before the recognition")
		}
		r, err := db.RevokeRecognition(ctx, "tinh", rs[0].ID, recognition.Decision{Number: "77/QĐ-UBND", Date: "2024-09-01", Signer: "Chủ tịch"}, "Không còn đạt 10/19 tiêu chí")
		if err != nil || r.Revocation == nil || r.Revocation.Reason == "" {
			t.Fatalf("revoke: %+v %v", r, err)
		}
		if _, err := db.RevokeRecognition(ctx, "tinh", rs[0].ID, recognition.Decision{Number: "78/QĐ-UBND", Date: "2024-10-01", Signer: "Chủ tịch"}, ""); err == nil {
			t.Error("revoked twice")
		}
		if got := codes(store.RegistryFilter{Root: bacSon, AsOf: "2024-08-31"}); got != bacSon+"/ntm" {
			t.Errorf("before the revocation: %q", got)
		}
		if got := codes(store.RegistryFilter{Root: bacSon, AsOf: "2024-09-01"}); got != bacSon+"/ntm(thu hồi)" {
			t.Errorf("after the revocation: %q", got)
		}
		if got := codes(store.RegistryFilter{Root: bacSon, AsOf: "2024-09-01", InForce: true}); got != "" {
			t.Errorf("in force after the revocation: %q", got)
		}
		log, _ := db.AuditLog(ctx, store.AuditFilter{Entity: "recognition"})
		if len(log) != 5 || log[0].Action != "revoke" {
			t.Errorf("audit of the registry: %d entries, first %+v", len(log), log[0])
		}
	})
}

func TestRegistry_ImportAllOrNothing(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rows := []store.RegistryImport{
			{Row: 2, UnitCode: minhTri, Tier: "ntm", Decision: recognition.Decision{Number: "10/QĐ-UBND", Date: "2019-12-20"}},
			{Row: 3, UnitCode: "99999", Tier: "ntm", Decision: recognition.Decision{Number: "11/QĐ-UBND", Date: "2019-12-20"}},
			{Row: 4, UnitCode: kimAnh, Tier: "ntm", Decision: recognition.Decision{Number: "12/QĐ-UBND", Date: "2025-01-01"}}, // Minh Trí then: fine
			{Row: 5, UnitCode: "00376", Tier: "ntm", Decision: recognition.Decision{Number: "13/QĐ-UBND", Date: "2026-01-01"}},
			{Row: 6, UnitCode: "016001", Tier: "ntm", Decision: recognition.Decision{Number: "14/QĐ-UBND", Date: "2026-01-01"}}, // no such unit
		}
		_, err := db.ImportRecognitions(ctx, "tinh", rows, nil, false)
		probs, _ := fault.ProblemsOf[[]recognition.RowProblem](err)
		if len(probs) != 2 || probs[0].Row != 3 || probs[1].Row != 6 ||
			!strings.Contains(probs[0].String(), "Dòng 3: không có đơn vị mã 99999 vào ngày 20/12/2019") {
			t.Fatalf("import with bad rows: %v", err)
		}
		if rs, _ := db.Recognitions(ctx, store.RegistryFilter{AsOf: "2030-01-01"}); len(rs) != 0 {
			t.Fatalf("a failed import stored %d rows", len(rs))
		}
		good := []store.RegistryImport{rows[0], rows[2], rows[3]}
		st, err := db.ImportRecognitions(ctx, "tinh", good, nil, true)
		if err != nil || st.Inserted != 3 {
			t.Fatalf("dry run: %+v %v", st, err)
		}
		if rs, _ := db.Recognitions(ctx, store.RegistryFilter{AsOf: "2030-01-01"}); len(rs) != 0 {
			t.Fatalf("a dry run stored %d rows", len(rs))
		}
		if st, err := db.ImportRecognitions(ctx, "tinh", good, nil, false); err != nil || st.Inserted != 3 {
			t.Fatalf("import: %+v %v", st, err)
		}
		if st, err := db.ImportRecognitions(ctx, "tinh", good, nil, false); err != nil || st.Inserted != 0 || st.Unchanged != 3 {
			t.Errorf("import again: %+v %v", st, err)
		}
	})
}

func TestProgress_UnitsRecognizedFromTheRegistry(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Trung Giã is assessed, Kim Anh is not: a recognised unit counts either way.
		p, _ := assessment.ParsePeriod("2026")
		if _, err := db.CreateAssessment(ctx, "xa", trungGia, "xa-ntm-2026", p, empty); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportRecognitions(ctx, "tinh", []store.RegistryImport{
			{Row: 2, UnitCode: trungGia, Tier: "ntm", Decision: recognition.Decision{Number: "1/QĐ", Date: "2026-03-01"}},
			{Row: 3, UnitCode: kimAnh, Tier: "ntm", Decision: recognition.Decision{Number: "2/QĐ", Date: "2026-05-01"}},
			{Row: 4, UnitCode: kimAnh, Tier: "nang-cao", Decision: recognition.Decision{Number: "3/QĐ", Date: "2026-06-01"}},
			{Row: 5, UnitCode: bacSon, Tier: "ntm", Decision: recognition.Decision{Number: "4/QĐ", Date: "2020-01-01"}}, // a pre-reform unit
		}, nil, false); err != nil {
			t.Fatal(err)
		}
		recognized := func(set string, day units.Date) []string {
			_, _, entries, err := db.ProgressEntries(ctx, store.ProgressQuery{Root: "01", SetID: set, Level: units.LevelCommune, RuralOnly: true, AsOf: day})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range entries {
				if e.Recognized {
					out = append(out, e.Unit.Code)
				}
			}
			return out
		}
		for _, c := range []struct {
			set  string
			day  units.Date
			want string
		}{
			{"xa-ntm-2026", "2026-02-28", "[]"},
			{"xa-ntm-2026", "2026-04-01", "[" + trungGia + "]"},
			{"xa-ntm-2026", "2026-12-31", "[" + kimAnh + " " + trungGia + "]"},
			{"xa-nang-cao-2021", "2026-12-31", "[" + kimAnh + "]"}, // the set's tier decides
			{"no-such-set", "2026-12-31", "[]"},
		} {
			if got := fmt.Sprint(nonNilStrings(recognized(c.set, c.day))); got != c.want {
				t.Errorf("%s on %s: recognised %s, want %s", c.set, c.day, got, c.want)
			}
		}
		// Before the reform the same code was another commune, which has its own decision.
		if got := fmt.Sprint(recognized("xa-ntm-2021", "2024-01-01")); got != "["+bacSon+"]" {
			t.Errorf("before the reform: %s", got)
		}
		// A revocation ends it.
		rs, _ := db.Recognitions(ctx, store.RegistryFilter{Root: trungGia, AsOf: "2026-12-31"})
		if _, err := db.RevokeRecognition(ctx, "tinh", rs[0].ID, recognition.Decision{Number: "9/QĐ", Date: "2026-10-01", Signer: "Chủ tịch"}, "thu hồi"); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(recognized("xa-ntm-2026", "2026-12-31")); got != "["+kimAnh+"]" {
			t.Errorf("after the revocation: %s", got)
		}
	})
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
