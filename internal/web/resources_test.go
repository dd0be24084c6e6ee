package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// seq makes names unique across the matrix's requests (a work or model of the same name in
// the same unit would be a 409).
var seq atomic.Int64

func withSeq(t *testing.T, m *matrix, unit string, asOf units.Date) {
	withYear(t, m, unit, asOf)
	m.vars["{n}"] = strconv.FormatInt(seq.Add(1), 10)
}

func matrixYear(asOf units.Date) int { y, _ := strconv.Atoi(string(asOf)[:4]); return y }

func withFunding(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	withYear(t, m, unit, asOf)
	f, err := m.db.PutFunding(context.Background(), "seed", resources.Funding{UnitCode: unit, Year: matrixYear(asOf), Parts: map[string]resources.Fixed{"nstw": resources.FromInt(5)}})
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{id}"] = strconv.FormatInt(f.ID, 10)
}

func withWork(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	withSeq(t, m, unit, asOf)
	ctx := context.Background()
	w, err := m.db.CreateWork(ctx, "seed", resources.Work{UnitCode: unit, Year: matrixYear(asOf), Kind: "cho", Name: "Chợ " + m.vars["{n}"],
		Quantity: resources.FromInt(1), Measure: "công trình", Status: resources.WorkPlanned, Budget: map[string]resources.Fixed{"nstw": resources.FromInt(10)}})
	if err == nil {
		w, err = m.db.AddDisbursement(ctx, "seed", w.ID, resources.Disbursement{Day: asOf, Amount: resources.FromInt(1)})
	}
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{id}"] = strconv.FormatInt(w.ID, 10)
	m.vars["{did}"] = strconv.FormatInt(w.Disbursements[0].ID, 10)
}

func withModel(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	withSeq(t, m, unit, asOf)
	x, err := m.db.CreateModel(context.Background(), "seed", resources.Model{Kind: "vuon-mau", UnitCode: unit, Name: "Vườn " + m.vars["{n}"], Year: matrixYear(asOf)})
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{id}"] = strconv.FormatInt(x.ID, 10)
}

func withMeeting(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	x, err := m.db.SaveMeeting(context.Background(), "seed", 0, resources.Meeting{UnitCode: unit, Day: asOf, Chair: "Chủ tịch", Conclusions: "Kết luận"})
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{id}"] = strconv.FormatInt(x.ID, 10)
}

func withTask(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	x, err := m.db.SaveTask(context.Background(), "seed", 0, resources.Task{UnitCode: unit, Title: "Nhiệm vụ", OwnerKind: resources.OwnerDepartment,
		Owner: "Sở Nông nghiệp và Môi trường", Assigned: asOf, Due: asOf, Status: resources.TaskOpen})
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{id}"] = strconv.FormatInt(x.ID, 10)
}

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "funding below a unit", method: "GET", path: "/api/v1/funding?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "funding summary", method: "GET", path: "/api/v1/funding/summary?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "enter funding", method: "POST", path: "/api/v1/funding", action: auth.Enter, setup: withYear,
			body: `{"unit":"{unit}","year":{year},"parts":{"nstw":195.42,"cong-dong-ngay-cong":3},"reported_total":198.42}`},
		accessEndpoint{name: "funding entry", method: "GET", path: "/api/v1/funding/{id}", action: auth.Read, setup: withFunding},
		accessEndpoint{name: "change funding", method: "PUT", path: "/api/v1/funding/{id}", action: auth.Enter, setup: withFunding, body: `{"parts":{"nsdp":1}}`},
		accessEndpoint{name: "delete funding", method: "DELETE", path: "/api/v1/funding/{id}", action: auth.Enter, setup: withFunding},
		accessEndpoint{name: "import funding", method: "POST", path: "/api/v1/funding/import?filename=von.csv", action: auth.Import, setup: withYear,
			body: "Mã đơn vị,Năm,Ngân sách trung ương,Tổng số\n{unit},{year},\"1,5\",\"1,5\"\n"},

		accessEndpoint{name: "works below a unit", method: "GET", path: "/api/v1/works?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "works summary", method: "GET", path: "/api/v1/works/summary?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "add a work", method: "POST", path: "/api/v1/works", action: auth.Enter, setup: withSeq,
			body: `{"unit":"{unit}","year":{year},"kind":"duong-lien-xa","name":"Đường {n}","quantity":1.25,"status":"under_construction","budget":{"nstw":100}}`},
		accessEndpoint{name: "work", method: "GET", path: "/api/v1/works/{id}", action: auth.Read, setup: withWork},
		accessEndpoint{name: "change a work", method: "PUT", path: "/api/v1/works/{id}", action: auth.Enter, setup: withWork,
			body: `{"unit":"{unit}","year":{year},"kind":"cho","name":"Chợ {n}","quantity":1,"status":"done"}`},
		accessEndpoint{name: "delete a work", method: "DELETE", path: "/api/v1/works/{id}", action: auth.Enter, setup: withWork},
		accessEndpoint{name: "record a disbursement", method: "POST", path: "/api/v1/works/{id}/disbursements", action: auth.Enter, setup: withWork,
			body: `{"day":"{as_of}","amount":2.5,"source":"nstw"}`},
		accessEndpoint{name: "delete a disbursement", method: "DELETE", path: "/api/v1/works/{id}/disbursements/{did}", action: auth.Enter, setup: withWork},
		accessEndpoint{name: "import works", method: "POST", path: "/api/v1/works/import?filename=ct.csv", action: auth.Import, setup: withYear,
			body: "Mã đơn vị,Năm,Loại công trình,Tên công trình,Tình trạng,Kế hoạch vốn NSTW,Đã giải ngân\n{unit},{year},Chợ,Chợ trung tâm,Đang thi công,100,40\n"},

		accessEndpoint{name: "models below a unit", method: "GET", path: "/api/v1/models?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "models summary", method: "GET", path: "/api/v1/models/summary?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "add a model", method: "POST", path: "/api/v1/models", action: auth.Enter, setup: withSeq,
			body: `{"kind":"khu-dan-cu-kieu-mau","unit":"{unit}","name":"Khu dân cư {n}","year":{year}}`},
		accessEndpoint{name: "model", method: "GET", path: "/api/v1/models/{id}", action: auth.Read, setup: withModel},
		accessEndpoint{name: "change a model", method: "PUT", path: "/api/v1/models/{id}", action: auth.Enter, setup: withModel,
			body: `{"kind":"vuon-mau","unit":"{unit}","name":"Vườn {n}","year":{year},"decision":"12/QĐ-UBND"}`},
		accessEndpoint{name: "delete a model", method: "DELETE", path: "/api/v1/models/{id}", action: auth.Enter, setup: withModel},
		accessEndpoint{name: "import models", method: "POST", path: "/api/v1/models/import?filename=mh.csv", action: auth.Import, setup: withYear,
			body: "Loại mô hình,Mã đơn vị,Tên mô hình,Năm công nhận\nVườn mẫu,{unit},Vườn hộ ông A,{year}\n"},

		accessEndpoint{name: "meetings below a unit", method: "GET", path: "/api/v1/meetings?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "record a meeting", method: "POST", path: "/api/v1/meetings", action: auth.ManageTargets,
			body: `{"unit":"{unit}","day":"{as_of}","chair":"Phó Chủ tịch UBND","conclusions":"Đẩy nhanh giải ngân"}`},
		accessEndpoint{name: "meeting", method: "GET", path: "/api/v1/meetings/{id}", action: auth.Read, setup: withMeeting},
		accessEndpoint{name: "change a meeting", method: "PUT", path: "/api/v1/meetings/{id}", action: auth.ManageTargets, setup: withMeeting,
			body: `{"unit":"{unit}","day":"{as_of}","chair":"Chủ tịch UBND","conclusions":"Kết luận mới"}`},
		accessEndpoint{name: "delete a meeting", method: "DELETE", path: "/api/v1/meetings/{id}", action: auth.ManageTargets, setup: withMeeting},

		accessEndpoint{name: "tasks below a unit", method: "GET", path: "/api/v1/tasks?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "overdue tasks", method: "GET", path: "/api/v1/tasks/overdue?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "assign a task", method: "POST", path: "/api/v1/tasks", action: auth.ManageTargets,
			body: `{"unit":"{unit}","title":"Hoàn thành chợ","owner_kind":"department","owner":"Sở Công Thương","assigned":"{as_of}","due":"{as_of}"}`},
		accessEndpoint{name: "task", method: "GET", path: "/api/v1/tasks/{id}", action: auth.Read, setup: withTask},
		accessEndpoint{name: "change a task", method: "PUT", path: "/api/v1/tasks/{id}", action: auth.ManageTargets, setup: withTask,
			body: `{"unit":"{unit}","title":"Nhiệm vụ","owner_kind":"department","owner":"Sở Tài chính","assigned":"{as_of}","due":"{as_of}","status":"in_progress"}`},
		accessEndpoint{name: "delete a task", method: "DELETE", path: "/api/v1/tasks/{id}", action: auth.ManageTargets, setup: withTask},
		accessEndpoint{name: "note on a department's task", method: "POST", path: "/api/v1/tasks/{id}/notes", action: auth.ManageTargets, setup: withTask,
			body: `{"day":"{as_of}","note":"Đã hoàn thành 50 %"}`},
	)
}

func TestFundingAPI_ReportedTotalIsFlaggedNotCorrected(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tok := newToken(t, db, newUser(t, db, "tinh.gia-lai", auth.RoleProvince, "52", ""))
		h := []string{"Authorization: Bearer " + tok}
		post := func(total string) (int, map[string]any) {
			body := `{"unit":"21607","year":2025,"parts":{"nstw":195420,"nsdp":64310,"long-ghep":2150,"tin-dung":3900,"doanh-nghiep":98775,"cong-dong":6045},"reported_total":` + total + `}`
			a := do(t, srv, call{"POST", "/api/v1/funding", body, h})
			var got map[string]any
			json.Unmarshal(a.body, &got)
			return a.status, got
		}
		status, got := post("370600")
		check, _ := got["check"].(map[string]any)
		if status != 200 || check["flagged"] != false || check["sum"] != 370600.0 || got["reported_total"] != 370600.0 {
			t.Errorf("370600: %d %v", status, got)
		}
		status, got = post("370601")
		check, _ = got["check"].(map[string]any)
		if status != 200 || check["flagged"] != true || check["difference"] != 1.0 || got["reported_total"] != 370601.0 {
			t.Errorf("370601: %d %v", status, got)
		}
		// The summary carries the flag; its text says it in words.
		a := do(t, srv, call{"GET", "/api/v1/funding/summary?unit=52&year=2025", "", h})
		var sum struct {
			Total float64
			Flags []struct {
				Unit       string
				Difference float64
			}
		}
		a.decode(t, &sum)
		if a.status != 200 || sum.Total != 370600 || len(sum.Flags) != 1 || sum.Flags[0].Unit != "21607" || sum.Flags[0].Difference != 1 {
			t.Errorf("summary: %d %s", a.status, a.body)
		}
		a = do(t, srv, call{"GET", "/api/v1/funding/summary?unit=52&year=2025&format=text", "", h})
		if !strings.Contains(string(a.body), "Năm 2025 huy động 370.600 triệu đồng") || !strings.Contains(string(a.body), "Có 01 báo cáo có tổng số không khớp") {
			t.Errorf("summary text: %s", a.body)
		}
		// Bad input names its field.
		for _, c := range []struct{ body, field string }{
			{`{"unit":"21607","year":2025,"parts":{"vay":1}}`, "parts.vay"},
			{`{"unit":"21607","year":2025,"parts":{"nstw":0.0001}}`, "body"},
			{`{"unit":"21607","year":1890,"parts":{"nstw":1}}`, "year"},
			{`{"unit":"21607","year":2025,"parts":{"nstw":-5}}`, "parts.nstw"},
		} {
			a := do(t, srv, call{"POST", "/api/v1/funding", c.body, h})
			var e errorBody
			json.Unmarshal(a.body, &e)
			if a.status != 400 || e.Error.Field != c.field {
				t.Errorf("%s: %d %s", c.body, a.status, a.body)
			}
		}
		if a := do(t, srv, call{"POST", "/api/v1/funding", `{"unit":"99999","year":2025,"parts":{"nstw":1}}`, h}); a.status != 422 {
			t.Errorf("unknown unit: %d %s", a.status, a.body)
		}
	})
}

func xlsxBody(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	return buf.String()
}

func TestImportAPI_RowProblemsAndScope(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tok := newToken(t, db, newUser(t, db, "xa.nhon-chau", auth.RoleCommune, "21607", ""))
		h := []string{"Authorization: Bearer " + tok}
		// Problems by row and column; nothing stored.
		body := xlsxBody(t, [][]any{
			{"DANH SÁCH CÔNG TRÌNH NĂM 2025"},
			{"Mã đơn vị", "Năm", "Loại công trình", "Tên công trình", "Khối lượng", "ĐVT", "Tình trạng", "Kế hoạch vốn NSTW", "Đã giải ngân"},
			{"21607", 2025, "Đường liên xã", "Đường Nhơn Châu", 12.48, "km", "Hoàn thành", 5000, 4000},
			{"21607", 2025, "Đường liên xã", "Đường ven biển", "mười", "km", "Hoàn thành", 5000, nil},
			{"21607", 2025, "Sân golf", "Sân", 1, "cái", "Kế hoạch", nil, nil},
		})
		a := do(t, srv, call{"POST", "/api/v1/works/import?filename=ct-2025.xlsx", body, h})
		var got struct {
			Error    struct{ Code string }
			Problems []resources.Problem
		}
		a.decode(t, &got)
		if a.status != 422 || got.Error.Code != "invalid_file" || len(got.Problems) != 2 ||
			got.Problems[0].Line != 4 || got.Problems[0].Column != "E" || got.Problems[1].Line != 5 || got.Problems[1].Column != "C" {
			t.Fatalf("problems: %d %s", a.status, a.body)
		}
		if ws, _ := db.ListWorks(context.Background(), store.WorkFilter{}); len(ws) != 0 {
			t.Errorf("a refused file stored %d works", len(ws))
		}
		// A row of another commune: the whole file is refused with 403.
		body = xlsxBody(t, [][]any{
			{"Mã đơn vị", "Năm", "Loại công trình", "Tên công trình", "Khối lượng", "ĐVT", "Tình trạng", "Kế hoạch vốn NSTW", "Đã giải ngân"},
			{"21607", 2025, "Đường liên xã", "Đường Nhơn Châu", 12.48, "km", "Hoàn thành", 5000, 4000},
			{"23575", 2025, "Chợ", "Chợ Pleiku", 1, nil, "Kế hoạch", nil, nil},
		})
		if a := do(t, srv, call{"POST", "/api/v1/works/import", body, h}); a.status != 403 || !strings.Contains(string(a.body), "3 (23575)") {
			t.Errorf("out of scope: %d %s", a.status, a.body)
		}
		// Good rows: stored, with the disbursement as of the end of the year.
		body = xlsxBody(t, [][]any{
			{"Mã đơn vị", "Năm", "Loại công trình", "Tên công trình", "Khối lượng", "ĐVT", "Tình trạng", "Kế hoạch vốn NSTW", "Đã giải ngân"},
			{"21607", 2025, "Đường liên xã", "Đường Nhơn Châu", 12.48, "km", "Hoàn thành", 5000, 4000},
		})
		a = do(t, srv, call{"POST", "/api/v1/works/import", body, h})
		var n store.ListImport
		a.decode(t, &n)
		if a.status != 200 || n.Inserted != 1 {
			t.Fatalf("import: %d %s", a.status, a.body)
		}
		a = do(t, srv, call{"GET", "/api/v1/works/summary?year=2025&as_of=2026-01-01", "", h})
		var sum struct {
			Lines []string
			Rate  float64 `json:"disbursement_pct"`
		}
		a.decode(t, &sum)
		if a.status != 200 || len(sum.Lines) != 1 || sum.Lines[0] != "12,48 km đường liên xã" || sum.Rate != 80 {
			t.Errorf("works summary of the commune: %d %s", a.status, a.body)
		}
	})
}

func TestTasksAPI_OwnerNotesAndOverdue(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		prov := []string{"Authorization: Bearer " + newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "52", ""))}
		xa := []string{"Authorization: Bearer " + newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, "21607", ""))}
		other := []string{"Authorization: Bearer " + newToken(t, db, newUser(t, db, "xa2", auth.RoleCommune, "23575", ""))}
		today := units.Today()
		a := do(t, srv, call{"POST", "/api/v1/meetings", fmt.Sprintf(`{"unit":"52","day":"%s","chair":"Phó Chủ tịch UBND tỉnh","conclusions":"Giao các xã hoàn thành chợ"}`, today.AddDays(-10)), prov})
		var m struct{ ID int64 }
		a.decode(t, &m)
		if a.status != 201 {
			t.Fatalf("meeting: %d %s", a.status, a.body)
		}
		a = do(t, srv, call{"POST", "/api/v1/tasks", fmt.Sprintf(`{"meeting_id":%d,"unit":"52","title":"Hoàn thành chợ Nhơn Châu","owner_kind":"unit","owner":"21607","due":"%s"}`, m.ID, today.AddDays(-1)), prov})
		var task struct {
			ID       int64
			Assigned string
			Overdue  bool
		}
		a.decode(t, &task)
		if a.status != 201 || task.Assigned != string(today.AddDays(-10)) || !task.Overdue {
			t.Fatalf("task: %d %s", a.status, a.body)
		}
		// A commune of another province cannot be given the province's task.
		if a := do(t, srv, call{"POST", "/api/v1/tasks", `{"unit":"52","title":"x","owner_kind":"unit","owner":"20335","due":"2030-01-01"}`, prov}); a.status != 400 || a.errorCode() != "invalid" {
			t.Errorf("owner outside the province: %d %s", a.status, a.body)
		}
		// The owner commune sees it overdue and reports progress; another commune cannot.
		a = do(t, srv, call{"GET", "/api/v1/tasks/overdue", "", xa})
		var od struct {
			Count   int
			ByOwner []struct{ Owner string } `json:"by_owner"`
		}
		a.decode(t, &od)
		if a.status != 200 || od.Count != 1 || len(od.ByOwner) != 1 || od.ByOwner[0].Owner != "Xã Nhơn Châu" {
			t.Errorf("overdue for the owner: %d %s", a.status, a.body)
		}
		path := fmt.Sprintf("/api/v1/tasks/%d/notes", task.ID)
		if a := do(t, srv, call{"POST", path, `{"note":"Đang thi công"}`, other}); a.status != 403 {
			t.Errorf("another commune's note: %d", a.status)
		}
		if a := do(t, srv, call{"POST", path, `{}`, xa}); a.status != 400 {
			t.Errorf("an empty note: %d", a.status)
		}
		a = do(t, srv, call{"POST", path, `{"note":"Đã hoàn thành, bàn giao","status":"done"}`, xa})
		var done struct {
			Status  string
			DoneOn  string `json:"done_on"`
			Overdue bool
			Notes   []struct{ Note string }
		}
		a.decode(t, &done)
		if a.status != 200 || done.Status != "done" || done.Overdue || len(done.Notes) != 1 {
			t.Errorf("done by the owner: %d %s", a.status, a.body)
		}
		if a := do(t, srv, call{"GET", "/api/v1/tasks/overdue?unit=52", "", prov}); !strings.Contains(string(a.body), `"count":0`) {
			t.Errorf("overdue after done: %s", a.body)
		}
		if a := do(t, srv, call{"DELETE", fmt.Sprintf("/api/v1/meetings/%d", m.ID), "", prov}); a.status != 422 {
			t.Errorf("delete a meeting with tasks: %d %s", a.status, a.body)
		}
		// The owner may not change or delete the committee's task.
		if a := do(t, srv, call{"DELETE", fmt.Sprintf("/api/v1/tasks/%d", task.ID), "", xa}); a.status != 403 {
			t.Errorf("owner deletes: %d", a.status)
		}
	})
}
