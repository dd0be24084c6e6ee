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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/store"
)

// Imports of values (SPEC §1.3, §6): POST /api/v1/imports takes a CSV or XLSX file and
// answers 202 with a job; the import runs in this process, all or nothing, and
// GET /api/v1/imports/{id} shows its progress, what it changed, or the problems that stopped
// it (status failed, HTTP 200). Whether the user may import into the units the file names is
// answered at once (403); everything else about the file is in the job's report.
//
// Progress lives in memory while the job runs here; on PostgreSQL it is also written to
// import_jobs every second, for the other server processes. (On SQLite the import holds the
// one writer connection until it commits, and a job runs in the process that was asked.)

const (
	maxImportSize   = 50 << 20        // bytes of an uploaded file
	importWait      = 1 * time.Second // how long POST waits for a small import to finish
	jobFlushEvery   = 1 * time.Second
	jobStaleAfter   = 2 * time.Minute // a running job not heard of for this long has died
	mediaTypeXLSX   = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	defaultFilename = "upload"
)

func init() {
	documentAPI(map[string]APIDoc{
		"POST /api/v1/imports": {
			Summary: "import values from a CSV (unit,set,period,code,value[,note]) or XLSX file (long, or wide: one row per unit, one column per code), all or nothing",
			Params: []APIParam{
				{Name: "dry_run", Description: "1: check everything and report what would change, without writing"},
				{Name: "status", Description: "status of the imported assessments: draft (default), submitted, verified or approved (figures approved on paper; 403 unless the user may approve every unit of the file)"},
				{Name: "filename", Description: "the file's name, for a raw body (Content-Type text/csv or the xlsx type)"},
			},
			Body:    "multipart/form-data with the file in field \"file\", or the file itself as the body; at most 50 MB",
			Returns: "202 with the job: {id, status queued|running|done|failed, total, done, counts, problems}; 403 when the file names units outside the user's scope",
		},
		"GET /api/v1/imports/{id}": {
			Summary: "an import job: its progress, what it changed (or would change), or the problems that stopped it, each with file, sheet, line, column, code and message",
			Returns: "the job; status failed with problems when the file had bad rows (nothing was written)",
		},
	})
}

// importRunner keeps the jobs this process runs.
type importRunner struct {
	mu   sync.Mutex
	jobs map[int64]*runningJob
}

type runningJob struct {
	done, total atomic.Int64
	finished    chan struct{}
}

func (s *Server) importRoutes() {
	s.imports = &importRunner{jobs: map[int64]*runningJob{}}
}

// importJob is a job as the API shows it: the job, its counts and its problems.
type importJob struct {
	ID         int64      `json:"id"`
	Status     string     `json:"status"`
	Filename   string     `json:"filename"`
	DryRun     bool       `json:"dry_run"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	Total      int        `json:"total"` // steps: each value is checked, then written
	Done       int        `json:"done"`
	jobReport
}

// jobReport is what import_jobs.report holds: the import's report, or why it failed besides
// the file's problems.
type jobReport struct {
	imports.Report
	Error string `json:"error,omitempty"`
}

func (s *Server) createImport(r *http.Request, u *auth.User) (any, error) {
	q := r.URL.Query()
	dry, status, err := importOptions(u, q.Get("dry_run"), q.Get("status"))
	if err != nil {
		return nil, err
	}
	name, file, err := spoolImportFile(writerOf(r), r)
	if err != nil {
		return nil, uploadFault(err)
	}
	ctx := r.Context()
	id, refused, err := s.beginImport(ctx, u, name, file, dry, status)
	if err != nil {
		return nil, err
	}
	if refused != nil {
		n := len(refused.Problems) + refused.MoreProblems
		return withStatus{http.StatusForbidden, map[string]any{
			"error": apiError{Code: "forbidden", Message: fmt.Sprintf(
				"tệp có %d dòng của đơn vị ngoài phạm vi của bạn; không nhập gì (%d row(s) name units outside your scope; nothing imported)", n, n)},
			"problems": refused.Problems, "more_problems": refused.MoreProblems,
		}}, nil
	}
	view, err := s.importJob(ctx, id)
	return located{"/api/v1/imports/" + strconv.FormatInt(id, 10), view}, err
}

// importOptions reads an import's dry_run and status, as the API's query or the page's form
// gives them, and refuses before anything is read a user who may not import, or may not
// enter the status asked.
func importOptions(u *auth.User, dryText, statusText string) (bool, assessment.Status, error) {
	if reach := u.Role.Reach(auth.Import); reach == auth.Nowhere || reach == auth.Subtree && u.UnitCode == "" {
		return false, "", auth.Refusal(u.Role, auth.Import, "")
	}
	dry := false
	switch dryText {
	case "", "0", "false":
	case "1", "true", "on":
		dry = true
	default:
		return false, "", badField("dry_run", "dry_run là 1 hoặc 0 (dry_run is 1 or 0)")
	}
	status := assessment.Status(statusText)
	switch status {
	case "", assessment.Draft:
		status = assessment.Draft
	case assessment.Submitted, assessment.Verified, assessment.Approved:
		// Figures approved on paper: the level above's to enter, refused before anything is
		// read or written for a role that may not approve (ImportValues checks each unit).
		if reach := u.Role.Reach(auth.Verify); reach == auth.Nowhere || reach == auth.Subtree && u.UnitCode == "" {
			return false, "", auth.Refusal(u.Role, auth.Verify, "")
		}
	default:
		return false, "", badField("status", store.StatusFault(string(status)).Error())
	}
	return dry, status, nil
}

// uploadFault is an upload that could not be read: over the size limit, or a malformed form.
func uploadFault(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &fault.Error{Code: fault.TooLarge, Text: fmt.Sprintf("tệp lớn hơn %d MB; hãy chia nhỏ (the file is larger than %d MB; split it)", maxImportSize>>20, maxImportSize>>20), Field: "file"}
	}
	return err
}

// beginImport checks that u may write every unit the file names, and starts the job, waiting
// up to importWait for a small one to finish; the API and the page share it. The file is the
// job's from then on: read again by the import, removed when the job ends. A file naming
// units outside u's scope is refused whole: refused holds those rows, and no job is made.
func (s *Server) beginImport(ctx context.Context, u *auth.User, name string, file *os.File, dry bool, status assessment.Status) (id int64, refused *imports.Report, err error) {
	started := false
	defer func() {
		if !started {
			dropSpool(file)
		}
	}()
	src := imports.Open(name, file)
	scope, err := s.db.ImportScope(ctx, u, src, name)
	rejected, _ := imports.Rejected(err)
	if err != nil && rejected == nil {
		return 0, nil, err
	}
	if scope.Failed() {
		return 0, &scope, nil
	}
	job, err := s.db.CreateImportJob(ctx, u.Username, name, dry)
	if err != nil {
		return 0, nil, err
	}
	if rejected != nil {
		s.finishJob(job.ID, store.JobFailed, 0, 0, jobReport{Report: *rejected})
		return job.ID, nil, nil
	}
	run := s.imports.start(job.ID)
	started = true
	go func() {
		defer dropSpool(file)
		s.runImport(job, *u, src, run, status)
	}()
	select {
	case <-run.finished:
	case <-time.After(importWait):
	case <-ctx.Done():
	}
	return job.ID, nil, nil
}

// spool copies an uploaded file to a temporary file (memory holds no more than a buffer of
// it, whatever its size), ready to be read from its start; the caller drops it.
func spool(sink func(w io.Writer) (int64, error)) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "ntm-import-*")
	if err != nil {
		return nil, 0, err
	}
	n, err := sink(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		dropSpool(f)
		return nil, 0, err
	}
	return f, n, nil
}

// dropSpool closes and removes a temporary file made by spool.
func dropSpool(f *os.File) {
	if f != nil {
		f.Close()
		os.Remove(f.Name())
	}
}

// readImportFile reads the uploaded file: the "file" field of a multipart form, or the body.
func readImportFile(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	var buf bytes.Buffer
	name, err := importUpload(w, r, func(src io.Reader) (int64, error) { return buf.ReadFrom(src) })
	return name, buf.Bytes(), err
}

// spoolImportFile copies the uploaded file, as readImportFile finds it, to a temporary file
// (see spool); the caller drops it.
func spoolImportFile(w http.ResponseWriter, r *http.Request) (string, *os.File, error) {
	var f *os.File
	name, err := importUpload(w, r, func(src io.Reader) (int64, error) {
		var n int64
		var err error
		f, n, err = spool(func(w io.Writer) (int64, error) { return io.Copy(w, src) })
		return n, err
	})
	if err != nil {
		dropSpool(f)
		return "", nil, err
	}
	return name, f, nil
}

// importUpload finds the uploaded file and hands it to sink, within maxImportSize.
func importUpload(w http.ResponseWriter, r *http.Request, sink func(io.Reader) (int64, error)) (string, error) {
	body := http.MaxBytesReader(w, r.Body, maxImportSize+64<<10)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	name := r.URL.Query().Get("filename")
	var n int64
	if mt == "multipart/form-data" {
		r.Body = body
		mr, err := r.MultipartReader()
		if err != nil {
			return "", badField("file", "biểu mẫu multipart không hợp lệ (bad multipart form): "+err.Error())
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return "", badField("file", "thiếu trường file (no form field \"file\")")
			}
			if err != nil {
				return "", maxBytesOr(err, badField("file", "biểu mẫu multipart không hợp lệ (bad multipart form): "+err.Error()))
			}
			if part.FormName() != "file" {
				continue
			}
			if part.FileName() != "" {
				name = part.FileName()
			}
			n, err = sink(part)
			if err != nil {
				return "", maxBytesOr(err, badField("file", err.Error()))
			}
			break
		}
	} else {
		var err error
		if n, err = sink(body); err != nil {
			return "", maxBytesOr(err, badField("file", err.Error()))
		}
	}
	if n > maxImportSize {
		return "", &http.MaxBytesError{Limit: maxImportSize}
	}
	if n == 0 {
		return "", badField("file", "tệp trống (the file is empty)")
	}
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, "\\", "/")))
	if name == "" || name == "." || name == "/" {
		name = defaultFilename
		if mt == mediaTypeXLSX {
			name += ".xlsx"
		} else if mt == "text/csv" {
			name += ".csv"
		}
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return name, nil
}

func maxBytesOr(err error, other error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return err
	}
	return other
}

func (ir *importRunner) start(id int64) *runningJob {
	ir.mu.Lock()
	defer ir.mu.Unlock()
	j := &runningJob{finished: make(chan struct{})}
	ir.jobs[id] = j
	return j
}

func (ir *importRunner) running(id int64) *runningJob {
	ir.mu.Lock()
	defer ir.mu.Unlock()
	return ir.jobs[id]
}

func (ir *importRunner) end(id int64) {
	ir.mu.Lock()
	defer ir.mu.Unlock()
	if j := ir.jobs[id]; j != nil {
		delete(ir.jobs, id)
		close(j.finished)
	}
}

// runImport runs a job to its end. It outlives the request that started it.
func (s *Server) runImport(job store.ImportJob, u auth.User, src imports.Source, run *runningJob, status assessment.Status) {
	ctx := context.Background()
	defer s.imports.end(job.ID)
	if err := s.db.UpdateImportJob(ctx, job.ID, store.JobRunning, 0, 0); err != nil {
		s.log.Error("import job", "id", job.ID, "err", err)
	}
	// On PostgreSQL, progress goes to the table every second for other processes to show.
	stop := make(chan struct{})
	var flusher sync.WaitGroup
	if s.db.Engine() == store.Postgres {
		flusher.Add(1)
		go func() {
			defer flusher.Done()
			t := time.NewTicker(jobFlushEvery)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if err := s.db.UpdateImportJob(ctx, job.ID, store.JobRunning, int(run.done.Load()), int(run.total.Load())); err != nil {
						s.log.Warn("import job progress", "id", job.ID, "err", err)
					}
				}
			}
		}()
	}
	rep, err := s.importValues(ctx, job, &u, src, status, func(done, total int) {
		run.total.Store(int64(total))
		run.done.Store(int64(done))
	})
	close(stop)
	flusher.Wait()
	total := int(run.total.Load())
	rejected, isRejected := imports.Rejected(err)
	switch {
	case err == nil:
		s.finishJob(job.ID, store.JobDone, total, total, jobReport{Report: rep})
	case isRejected:
		s.finishJob(job.ID, store.JobFailed, int(run.done.Load()), total, jobReport{Report: *rejected})
	default:
		msg := "lỗi hệ thống, không nhập số liệu nào (internal error, nothing imported)"
		if isForbidden(err) {
			msg = err.Error()
		} else {
			s.log.Error("import job", "id", job.ID, "file", job.Filename, "err", err)
		}
		s.finishJob(job.ID, store.JobFailed, int(run.done.Load()), total, jobReport{Report: rep, Error: msg})
	}
}

func (s *Server) importValues(ctx context.Context, job store.ImportJob, u *auth.User, src imports.Source, status assessment.Status, progress func(int, int)) (imports.Report, error) {
	rules, err := s.rules(ctx)
	if err != nil {
		return imports.Report{}, err
	}
	return rules.ImportFrom(ctx, u.Username, src, store.ImportOptions{Filename: job.Filename, DryRun: job.DryRun, User: u,
		Status: status}, progress)
}

func (s *Server) finishJob(id int64, status string, done, total int, rep jobReport) {
	if rep.Problems == nil {
		rep.Problems = []imports.Problem{}
	}
	b, err := json.Marshal(rep)
	if err == nil {
		err = s.db.FinishImportJob(context.Background(), id, status, done, total, b)
	}
	if err != nil {
		s.log.Error("import job: finish", "id", id, "err", err)
	}
}

// importJob reads a job, with the progress of this process when it runs here.
func (s *Server) importJob(ctx context.Context, id int64) (importJob, error) {
	j, err := s.db.ImportJob(ctx, id)
	if err != nil {
		return importJob{}, err
	}
	v := importJob{ID: j.ID, Status: j.Status, Filename: j.Filename, DryRun: j.DryRun, CreatedBy: j.CreatedBy,
		CreatedAt: j.CreatedAt, FinishedAt: j.FinishedAt, Total: j.Total, Done: j.Done}
	if len(j.Report) > 0 {
		if err := json.Unmarshal(j.Report, &v.jobReport); err != nil {
			return importJob{}, fmt.Errorf("import job %d: report: %w", id, err)
		}
	}
	v.File = j.Filename
	if v.Problems == nil {
		v.Problems = []imports.Problem{}
	}
	if j.Status == store.JobQueued || j.Status == store.JobRunning {
		if run := s.imports.running(id); run != nil {
			v.Done, v.Total = int(run.done.Load()), int(run.total.Load())
		} else if time.Since(j.UpdatedAt) > jobStaleAfter {
			v.Status = store.JobFailed
			v.Error = "máy chủ đã dừng khi đang nhập; không có số liệu nào được ghi, hãy nhập lại tệp " +
				"(the server stopped during the import; nothing was written, import the file again)"
		}
	}
	return v, nil
}

// getImport shows a job to the user who made it, or to an administrator.
func (s *Server) getImport(r *http.Request, u *auth.User) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.importJob(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if v.CreatedBy != u.Username && u.Role != auth.RoleAdmin {
		return nil, auth.Refusal(u.Role, auth.Import, "")
	}
	return v, nil
}
