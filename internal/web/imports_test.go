package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// jobAnswer is an import job as the API shows it.
type jobAnswer struct {
	ID        int64  `json:"id"`
	Status    string `json:"status"`
	Filename  string `json:"filename"`
	DryRun    bool   `json:"dry_run"`
	CreatedBy string `json:"created_by"`
	Total     int    `json:"total"`
	Done      int    `json:"done"`
	Values    int    `json:"values"`
	Created   int    `json:"assessments_created"`
	Updated   int    `json:"assessments_updated"`
	Added     int    `json:"values_added"`
	Changed   int    `json:"values_changed"`
	Problems  []struct {
		File, Sheet, Column, Code, Message string
		Line                               int
	} `json:"problems"`
	Error string `json:"error"`
}

// upload posts a file as a multipart form.
func upload(t *testing.T, srv *httptest.Server, token, path, filename string, data []byte) answer {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: body, resp: resp}
}

// waitJob polls a job until it has finished.
func waitJob(t *testing.T, srv *httptest.Server, token string, id int64) jobAnswer {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		a := do(t, srv, call{"GET", "/api/v1/imports/" + strconv.FormatInt(id, 10), "", []string{"Authorization: Bearer " + token}})
		if a.status != 200 {
			t.Fatalf("GET job %d: %d %s", id, a.status, a.body)
		}
		var j jobAnswer
		a.decode(t, &j)
		if j.Status == store.JobDone || j.Status == store.JobFailed {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still %s", id, j.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func accepted(t *testing.T, a answer) jobAnswer {
	t.Helper()
	if a.status != http.StatusAccepted {
		t.Fatalf("POST import: %d %s", a.status, a.body)
	}
	var j jobAnswer
	a.decode(t, &j)
	if j.ID == 0 || a.header.Get("Location") != "/api/v1/imports/"+strconv.FormatInt(j.ID, 10) {
		t.Fatalf("job %s, Location %q", a.body, a.header.Get("Location"))
	}
	return j
}

func TestImports_JobFlow(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		admin := bearerOf(srv)
		ctx := context.Background()
		csv := "unit,set,period,code,value\n" +
			"23575,xa-ntm-2021,2025-Q4,17.1,92.5\n" +
			"23575,xa-ntm-2021,2025-Q4,TC1,đạt\n" +
			"21607,xa-ntm-2021,2025-Q4,TC1,0\n"

		// A dry run: counts, nothing written.
		j := accepted(t, do(t, srv, call{"POST", "/api/v1/imports?dry_run=1&filename=v.csv", csv,
			[]string{"Authorization: Bearer " + admin, "Content-Type: text/csv"}}))
		j = waitJob(t, srv, admin, j.ID)
		if j.Status != store.JobDone || !j.DryRun || j.Added != 3 || j.Created != 2 || j.Filename != "v.csv" || j.CreatedBy != "admin-test" || j.Done != j.Total {
			t.Errorf("dry run job %+v", j)
		}
		if as, _ := db.ListAssessments(ctx, store.AssessmentFilter{}); len(as) != 0 {
			t.Fatalf("a dry run wrote %d assessments", len(as))
		}
		// The import.
		j = waitJob(t, srv, admin, accepted(t, upload(t, srv, admin, "/api/v1/imports", "v.csv", []byte(csv))).ID)
		if j.Status != store.JobDone || j.DryRun || j.Added != 3 || j.Values != 3 || len(j.Problems) != 0 || j.Total != 6 || j.Done != 6 {
			t.Errorf("import job %+v", j)
		}
		as, _ := db.ListAssessments(ctx, store.AssessmentFilter{})
		if len(as) != 2 || as[0].Evaluation == nil || as[0].CreatedBy != "admin-test" {
			t.Fatalf("assessments after import: %+v", as)
		}
		// A bad row: the job fails (HTTP 200) with the row named; nothing changes.
		bad := strings.Replace(csv, "92.5", "abc", 1)
		j = waitJob(t, srv, admin, accepted(t, upload(t, srv, admin, "/api/v1/imports", "bad.csv", []byte(bad))).ID)
		if j.Status != store.JobFailed || len(j.Problems) != 1 {
			t.Fatalf("bad file: %+v", j)
		}
		p := j.Problems[0]
		if p.File != "bad.csv" || p.Line != 2 || p.Column != "value" || p.Code != "not_a_number" ||
			p.Message != `Dòng 2, cột value: "abc" không phải là số / line 2, column value: "abc" is not a number` {
			t.Errorf("problem %+v", p)
		}
		// A file that cannot be read fails the same way.
		j = waitJob(t, srv, admin, accepted(t, upload(t, srv, admin, "/api/v1/imports", "x.csv", []byte("unit,set\n"))).ID)
		if j.Status != store.JobFailed || len(j.Problems) == 0 || j.Problems[0].Code != "header" {
			t.Errorf("unreadable file: %+v", j)
		}
		// The wide layout of a workbook, from a raw body.
		wide := workbookBytes(t, [][]any{{"unit", "set", "period", "17.1", "2.1"}, {"23575", "xa-ntm-2021", "2025-Q4", 95, 80}})
		j = waitJob(t, srv, admin, accepted(t, do(t, srv, call{"POST", "/api/v1/imports?filename=bieu.xlsx", string(wide),
			[]string{"Authorization: Bearer " + admin}})).ID)
		if j.Status != store.JobDone || j.Changed != 1 || j.Added != 1 || j.Updated != 1 {
			t.Errorf("workbook job %+v", j)
		}
		if a := do(t, srv, call{"POST", "/api/v1/imports?dry_run=maybe", csv, []string{"Authorization: Bearer " + admin}}); a.status != 400 || a.errorCode() != "invalid" {
			t.Errorf("dry_run=maybe: %d %s", a.status, a.body)
		}
		if a := do(t, srv, call{"GET", "/api/v1/imports/999999", "", []string{"Authorization: Bearer " + admin}}); a.status != 404 {
			t.Errorf("unknown job: %d", a.status)
		}
		if a := do(t, srv, call{"GET", "/api/v1/imports/" + strconv.FormatInt(j.ID, 10), "", nil}); a.status != 401 {
			t.Errorf("anonymous: %d", a.status)
		}
	})
}

// Scope: a province officer may import into the province's communes; a file that names
// another province's commune is refused at once, naming the rows; a job is its maker's.
func TestImports_Scope(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		gialai := newToken(t, db, newUser(t, db, "gialai", auth.RoleProvince, "52", ""))
		danang := newToken(t, db, newUser(t, db, "danang", auth.RoleProvince, "48", ""))
		viewer := newToken(t, db, newUser(t, db, "xem", auth.RoleViewer, "52", ""))
		csv := "unit,set,period,code,value\n23575,xa-ntm-2021,2025-Q4,17.1,92.5\n20335,xa-ntm-2021,2025-Q4,17.1,90\n"
		a := upload(t, srv, gialai, "/api/v1/imports", "v.csv", []byte(csv))
		var refused struct {
			Error    struct{ Code string }
			Problems []struct {
				Line    int
				Code    string
				Message string
			}
		}
		a.decode(t, &refused)
		if a.status != 403 || refused.Error.Code != "forbidden" || len(refused.Problems) != 1 || refused.Problems[0].Line != 3 ||
			refused.Problems[0].Code != "no_permission" || !strings.Contains(refused.Problems[0].Message, "đơn vị 20335") {
			t.Errorf("out of scope: %d %s", a.status, a.body)
		}
		if a := upload(t, srv, viewer, "/api/v1/imports", "v.csv", []byte(csv)); a.status != 403 || a.errorCode() != "forbidden" {
			t.Errorf("viewer: %d %s", a.status, a.body)
		}
		own := strings.Split(csv, "20335")[0]
		j := waitJob(t, srv, gialai, accepted(t, upload(t, srv, gialai, "/api/v1/imports", "v.csv", []byte(own))).ID)
		if j.Status != store.JobDone || j.Added != 1 {
			t.Fatalf("own province: %+v", j)
		}
		path := "/api/v1/imports/" + strconv.FormatInt(j.ID, 10)
		if a := do(t, srv, call{"GET", path, "", []string{"Authorization: Bearer " + danang}}); a.status != 403 {
			t.Errorf("another officer's job: %d", a.status)
		}
		if a := do(t, srv, call{"GET", path, "", []string{"Authorization: Bearer " + bearerOf(srv)}}); a.status != 200 {
			t.Errorf("admin: %d", a.status)
		}
	})
}

func workbookBytes(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Rows of the access matrix (access_test.go).

// withImportPeriod sets {period}: the month of the subject's day, so that the unit is the
// one the subject sees on that day.
func withImportPeriod(t *testing.T, m *matrix, unit string, asOf units.Date) {
	m.vars["{period}"] = string(asOf)[:7]
}

// importJobDone checks that an accepted import also passed the job's own scope check.
func importJobDone(t *testing.T, m *matrix, body []byte, unit string, asOf units.Date) {
	t.Helper()
	var j jobAnswer
	if err := json.Unmarshal(body, &j); err != nil {
		t.Fatal(err)
	}
	if j = waitJob(t, m.srv, bearerOf(m.srv), j.ID); j.Status != store.JobDone {
		t.Errorf("import into %s as of %s: %+v", unit, asOf, j)
	}
}

// withImportJob sets {job}: a finished job made by someone else.
func withImportJob(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	ctx := context.Background()
	j, err := m.db.CreateImportJob(ctx, "seed", "v.csv", true)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.db.FinishImportJob(ctx, j.ID, store.JobDone, 2, 2, []byte(`{"problems":[]}`)); err != nil {
		t.Fatal(err)
	}
	m.vars["{job}"] = strconv.FormatInt(j.ID, 10)
}
