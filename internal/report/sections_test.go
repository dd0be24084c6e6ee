package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// sectionsFromRegisters: each optional section appears when its register holds something
// for the unit, with the register's figures, and is absent otherwise.
func sectionsFromRegisters(t *testing.T, w *world) {
	db := w.db
	ctx := context.Background()
	req := report.Request{Unit: "01", Period: "2026-Q2"}
	b, err := report.Build(ctx, w.src, req)
	if err != nil {
		t.Fatal(err)
	}
	if b.Recognition != nil || b.OCOP != nil || b.Models != nil || b.Funding != nil || b.Tasks != nil || b.Works != nil {
		t.Fatalf("sections without registers: %+v %+v %+v %+v %+v %+v", b.Recognition, b.OCOP, b.Models, b.Funding, b.Tasks, b.Works)
	}
	d, _ := b.Document()
	for _, absent := range []string{"OCOP", "Huy động", "Công nhận đạt chuẩn", "Khu dân cư", "Ban Chỉ đạo", "quá hạn", "công trình"} {
		if strings.Contains(string(d.Markdown), absent) {
			t.Errorf("the bulletin speaks of %q with no such register", absent)
		}
	}

	x, y := w.communes[0], w.communes[2]
	// Recognition: one commune recognised in 2025, one in May 2026.
	if _, err := db.ImportRecognitions(ctx, "t", []store.RegistryImport{
		{Row: 2, UnitCode: x, Tier: "ntm", Decision: recognition.Decision{Number: "12/QĐ-UBND", Date: "2025-12-20", Signer: "Chủ tịch"}},
		{Row: 3, UnitCode: y, Tier: "ntm", Decision: recognition.Decision{Number: "34/QĐ-UBND", Date: "2026-05-10", Signer: "Chủ tịch"}},
	}, func(units.Unit, string, units.Date) string { return "xa-ntm-2026" }, false); err != nil {
		t.Fatal(err)
	}
	// The province's own recognition, decided within Q2; a later one, in August, is not known
	// to the bulletin of Q2.
	if _, err := db.ImportRecognitions(ctx, "t", []store.RegistryImport{
		{Row: 2, UnitCode: "01", Tier: "ntm", Decision: recognition.Decision{Number: "45/QĐ-TTg", Date: "2026-05-20", Signer: "Thủ tướng Chính phủ"}},
		{Row: 3, UnitCode: "01", Tier: "nang-cao", Decision: recognition.Decision{Number: "99/QĐ-TTg", Date: "2026-08-20", Signer: "Thủ tướng Chính phủ"}},
	}, nil, false); err != nil {
		t.Fatal(err)
	}
	// OCOP: a 4-star product certified in 2025, a 3-star one in April 2026.
	rules, _ := ocop.Shipped()
	if _, err := db.ImportOCOP(ctx, "t", "ocop.xlsx", []ocop.ImportRow{
		{Row: 2, UnitCode: x, Stars: 4, Decision: "QĐ 1", Date: "2025-10-01", Producer: ocop.Producer{Name: "HTX Một", Kind: ocop.Household},
			Product: ocop.Product{Name: "Chè Một", ProductSet: "1.2.b"}},
		{Row: 3, UnitCode: y, Stars: 3, Decision: "QĐ 2", Date: "2026-04-15", Producer: ocop.Producer{Name: "HTX Hai", Kind: ocop.Cooperative},
			Product: ocop.Product{Name: "Mật ong Hai", ProductSet: "1.2.b"}},
	}, "2026-06-30", rules); err != nil {
		t.Fatal(err)
	}
	// Funding of 2026, models, and two tasks (one overdue on 30/06/2026).
	// Its reported total is 5 more than its sources: a note for the office, in the annex.
	reported := resources.FromInt(1255)
	if _, err := db.PutFunding(ctx, "t", resources.Funding{UnitCode: x, Year: 2026,
		Parts: map[string]resources.Fixed{"nstw": resources.FromInt(1000), "cong-dong": resources.FromInt(250)}, ReportedTotal: &reported}); err != nil {
		t.Fatal(err)
	}
	// Works of 2026: a road done, paid 2.500 of 10.000 by 30/06/2026 and 3.000 more in
	// July, after the period's end, which the bulletin of Q2 leaves out.
	wk, err := db.CreateWork(ctx, "t", resources.Work{UnitCode: x, Year: 2026, Kind: "duong-lien-xa", Name: "Đường trục xã",
		Quantity: resources.FromInt(12), Measure: "km", Status: resources.WorkDone, Budget: map[string]resources.Fixed{"nstw": resources.FromInt(10000)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, pay := range []resources.Disbursement{{Day: "2026-05-10", Amount: resources.FromInt(2500)}, {Day: "2026-07-15", Amount: resources.FromInt(3000)}} {
		if _, err := db.AddDisbursement(ctx, "t", wk.ID, pay); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []resources.Model{
		{Kind: "vuon-mau", UnitCode: x, Name: "Vườn ông A", Year: 2025},
		{Kind: "vuon-mau", UnitCode: x, Name: "Vườn bà B", Year: 2026},
	} {
		if _, err := db.CreateModel(ctx, "t", m); err != nil {
			t.Fatal(err)
		}
	}
	// The committee's meetings: one in Q2, whose tasks the bulletin reports, one in July, after it.
	var meetings []int64
	for _, m := range []resources.Meeting{
		{UnitCode: "01", Day: "2026-04-01", Chair: "Phó Chủ tịch UBND thành phố", Conclusions: "Đẩy nhanh giải ngân vốn."},
		{UnitCode: "01", Day: "2026-07-10", Chair: "Chủ tịch UBND thành phố", Conclusions: "Sơ kết 6 tháng."},
	} {
		saved, err := db.SaveMeeting(ctx, "t", 0, m)
		if err != nil {
			t.Fatal(err)
		}
		meetings = append(meetings, saved.ID)
	}
	for _, task := range []resources.Task{
		{MeetingID: meetings[0], UnitCode: "01", Title: "Báo cáo tiến độ giải ngân", OwnerKind: resources.OwnerDepartment, Owner: "Sở Tài chính", Assigned: "2026-04-01", Due: "2026-06-15", Status: resources.TaskDone, DoneOn: "2026-06-10"},
		{UnitCode: "01", Title: "Rà soát tiêu chí 8", OwnerKind: resources.OwnerDepartment, Owner: "Sở Xây dựng", Assigned: "2026-03-01", Due: "2026-05-31", Status: resources.TaskOpen},
		{MeetingID: meetings[0], UnitCode: "01", Title: "Thẩm định hồ sơ", OwnerKind: resources.OwnerDepartment, Owner: "Sở Nông nghiệp và Môi trường", Assigned: "2026-04-01", Due: "2026-09-30", Status: resources.TaskOpen},
		// Assigned in November: after the end of Q2, so not in its bulletin (one cut-off).
		{MeetingID: meetings[0], UnitCode: "01", Title: "Tổng kết năm", OwnerKind: resources.OwnerDepartment, Owner: "Văn phòng Điều phối", Assigned: "2026-11-15", Due: "2026-12-31", Status: resources.TaskOpen},
	} {
		if _, err := db.SaveTask(ctx, "t", 0, task); err != nil {
			t.Fatal(err)
		}
	}

	b, err = report.Build(ctx, w.src, req)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case b.Recognition == nil || len(b.Recognition.Tiers) != 1 || b.Recognition.Tiers[0].Total != 2 || b.Recognition.Tiers[0].New != 1:
		t.Errorf("recognition: %+v", b.Recognition)
	case b.OCOP == nil || b.OCOP.Total != 2 || b.OCOP.New != 1 || len(b.OCOP.Stars) != 2:
		t.Errorf("OCOP: %+v", b.OCOP)
	case b.Funding == nil || b.Funding.Total != 1250 || len(b.Funding.Sources) != 2:
		t.Errorf("funding: %+v", b.Funding)
	case b.Models == nil || len(b.Models.Kinds) != 1 || b.Models.Kinds[0].Total != 2 || b.Models.Kinds[0].New != 1:
		t.Errorf("models: %+v", b.Models)
	case b.Tasks == nil || b.Tasks.OverdueTotal != 1 || b.Tasks.AheadTotal != 1:
		t.Errorf("tasks: %+v", b.Tasks)
	case b.Meetings == nil || len(b.Meetings.Meetings) != 1 || b.Meetings.Meetings[0].Tasks != 2 || b.Meetings.Meetings[0].Done != 1:
		t.Errorf("meetings: %+v", b.Meetings)
	case len(b.Recognition.Own) != 1 || !b.Recognition.Own[0].New:
		t.Errorf("the province's own recognition: %+v", b.Recognition.Own)
	case b.OCOP.Producers == nil || len(b.OCOP.Producers) != 2:
		t.Errorf("OCOP by producer: %+v", b.OCOP.Producers)
	case b.Works == nil || b.Works.Works != 1 || b.Works.Done != 1 || b.Works.Disbursed != 2500 || b.Works.Budget != 10000:
		t.Errorf("works: %+v", b.Works)
	}
	d, err = b.Document()
	if err != nil {
		t.Fatal(err)
	}
	md := string(d.Markdown)
	for _, want := range []string{
		"Trong kỳ có thêm 01 xã (Xã Trung Giã) được công nhận đạt chuẩn nông thôn mới, nâng tổng số xã được công nhận lên 02 xã.",
		"Có 02 sản phẩm OCOP đạt từ 3 sao trở lên còn hiệu lực chứng nhận, gồm 01 sản phẩm 4 sao, 01 sản phẩm 3 sao.",
		"Trong kỳ có thêm 01 sản phẩm được công nhận lần đầu, nâng tổng số lên 02 sản phẩm.",
		"Tổng nguồn lực huy động năm 2026: 1.250 triệu đồng",
		"Năm 2026, địa bàn có 01 công trình: hoàn thành 12 km",
		"giải ngân 2.500 triệu đồng",
		"Vườn mẫu: năm 2026 có thêm 01 vườn mẫu, nâng tổng số lên 02 vườn mẫu.",
		"Có 01 nhiệm vụ quá hạn chưa hoàn thành: Rà soát tiêu chí 8 (Sở Xây dựng), hạn 31/05/2026.",
		"- Trong kỳ, thành phố Hà Nội được công nhận hoàn thành nhiệm vụ xây dựng nông thôn mới (Quyết định số 45/QĐ-TTg ngày 20/05/2026).",
		"- Phân theo loại hình chủ thể: hợp tác xã có 01 sản phẩm; hộ sản xuất, kinh doanh có 01 sản phẩm.",
		"- Ngày 01/04/2026, Ban Chỉ đạo họp do Phó Chủ tịch UBND thành phố chủ trì, kết luận: Đẩy nhanh giải ngân vốn. " +
			"Cuộc họp giao 02 nhiệm vụ: Báo cáo tiến độ giải ngân (Sở Tài chính), hạn 15/06/2026; Thẩm định hồ sơ (Sở Nông nghiệp và Môi trường), hạn 30/09/2026; " +
			"đến ngày 30/06/2026, đã hoàn thành 01/02 nhiệm vụ.",
		"Thực hiện 01 nhiệm vụ của Ban Chỉ đạo: Thẩm định hồ sơ (Sở Nông nghiệp và Môi trường), hạn 30/09/2026.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the bulletin lacks %q", want)
		}
	}
	if annex := strings.Index(md, "## PHỤ LỤC"); annex < 0 || !strings.Contains(md[annex:], "tổng số báo cáo 1.255 triệu đồng, tổng các nguồn 1.250 triệu đồng, chênh lệch 5 triệu đồng; đề nghị đơn vị báo cáo xác nhận số liệu đúng.") {
		t.Error("the funding total to check is not in the annex")
	}
	if strings.Contains(md, "Tổng kết năm") {
		t.Error("the bulletin of Q2 lists a task assigned in November")
	}
	for _, later := range []string{"Sơ kết 6 tháng", "99/QĐ-TTg", "nâng cao (Quyết định"} {
		if strings.Contains(md, later) {
			t.Errorf("the bulletin of Q2 speaks of %q, decided after the period", later)
		}
	}
	// The same sections in English.
	req.Lang = "en"
	be, err := report.Build(ctx, w.src, req)
	if err != nil {
		t.Fatal(err)
	}
	de, err := be.Document()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Thành phố Hà Nội was recognised this period as having completed the task of new rural development (Decision No. 45/QĐ-TTg of 2026-05-20).",
		"By kind of producer: cooperative, 1 product; registered household business, 1 product.",
		"On 2026-04-01 the steering committee met, chaired by Phó Chủ tịch UBND thành phố, and concluded: Đẩy nhanh giải ngân vốn. It assigned 2 tasks:",
		"by 2026-06-30, 1 of them was done.",
		"reported total 1,255 million VND, sum of the sources 1,250 million VND, a difference of 5 million VND",
	} {
		if !strings.Contains(string(de.Markdown), want) {
			t.Errorf("the English bulletin lacks %q:\n%s", want, de.Markdown)
		}
	}
	// A commune's committee is its Ban Quản lý, not a Ban Chỉ đạo (data/reports/office.yaml).
	if _, err := db.SaveMeeting(ctx, "t", 0, resources.Meeting{UnitCode: x, Day: "2026-05-05", Chair: "Chủ tịch UBND xã", Conclusions: "Hoàn thành tiêu chí môi trường."}); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"vi": "- Ngày 05/05/2026, Ban Quản lý họp do Chủ tịch UBND xã chủ trì", "en": "- On 2026-05-05 the management board met, chaired by Chủ tịch UBND xã"} {
		bx, err := report.Build(ctx, w.src, report.Request{Unit: x, Period: "2026-Q2", Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		dx, err := bx.Document()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(dx.Markdown), want) {
			t.Errorf("the commune's bulletin (%s) does not name its committee: lacks %q", lang, want)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Log(md)
	}
}
