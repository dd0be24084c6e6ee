package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestReportIssueCommands: from the command line an office shows and changes its profile,
// writes its paragraphs into the draft of a quarter, issues it with a number and a date, and
// writes the issued DOCX and PDF, the same bytes each time; the issued report is locked.
func TestReportIssueCommands(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		if code, out, errs := ntm(t, "--db", dsn, "report", "profile", "--unit", "01"); code != 0 ||
			!strings.Contains(out, "UBND THÀNH PHỐ HÀ NỘI") || !strings.Contains(out, "mặc định") {
			t.Fatalf("profile: exit %d %s %s", code, out, errs)
		}
		if code, out, errs := ntm(t, "--db", dsn, "report", "profile", "set", "--unit", "01", "--signer-name", "Nguyễn Văn Hùng",
			"--recipient", "Như trên;", "--recipient", "Lưu: VT."); code != 0 || !strings.Contains(out, "phiên bản 1") || !strings.Contains(out, "- Lưu: VT.") {
			t.Fatalf("profile set: exit %d %s %s", code, out, errs)
		}
		if code, _, errs := ntm(t, "--db", dsn, "report", "profile", "set", "--unit", "01", "--number-pattern", "BC-BCĐ"); code != 2 || !strings.Contains(errs, "--number-pattern") {
			t.Errorf("a pattern without {n}: exit %d %s", code, errs)
		}
		// The office's own bands: kept, shown, and refused with a gap.
		if code, out, errs := ntm(t, "--db", dsn, "report", "profile", "set", "--unit", "01", "--bands", "xa-ntm-2021=19 / 15-18 / 9-14 / 5-8 / <5"); code != 0 ||
			!strings.Contains(out, "xa-ntm-2021: 19 / 15-18 / 9-14 / 5-8 / <5") {
			t.Errorf("bands: exit %d %s %s", code, out, errs)
		}
		if code, _, errs := ntm(t, "--db", dsn, "report", "profile", "set", "--unit", "01", "--bands", "xa-ntm-2021=19 / 15-18 / <9"); code != 2 || !strings.Contains(errs, "--bands") || !strings.Contains(errs, "9-14") {
			t.Errorf("bands with a gap: exit %d %s", code, errs)
		}
		dir := t.TempDir()
		text := filepath.Join(dir, "general.txt")
		os.WriteFile(text, []byte("Nhìn chung, các xã đã chủ động rà soát tiêu chí.\n"), 0o644)
		if code, out, errs := ntm(t, "--db", dsn, "report", "draft", "--unit", "01", "--period", "2026-Q2", "--text", "general="+text); code != 0 ||
			!strings.Contains(out, "Đánh giá chung") {
			t.Fatalf("draft: exit %d %s %s", code, out, errs)
		}
		if code, _, errs := ntm(t, "--db", dsn, "report", "draft", "--unit", "01", "--period", "2026-Q2", "--text", "chung="+text); code != 2 || !strings.Contains(errs, "paragraphs.chung") {
			t.Errorf("unknown slot: exit %d %s", code, errs)
		}
		if code, out, errs := ntm(t, "--db", dsn, "report", "issue", "--unit", "01", "--period", "2026-Q2", "--number", "125", "--date", "2026-07-05"); code != 0 ||
			!strings.Contains(out, "số 125 ngày 05/07/2026") {
			t.Fatalf("issue: exit %d %s %s", code, out, errs)
		}
		if code, _, errs := ntm(t, "--db", dsn, "report", "draft", "--unit", "01", "--period", "2026-Q2", "--text", "general="+text); code == 0 || !strings.Contains(errs, "đã ban hành") {
			t.Errorf("an issued report changed: exit %d %s", code, errs)
		}
		code, list, _ := ntm(t, "--db", dsn, "report", "issued", "--unit", "01")
		if code != 0 || !strings.Contains(list, "số 125, ngày 05/07/2026") {
			t.Fatalf("issued: exit %d %s", code, list)
		}
		id := strings.Fields(list)[0]
		for _, f := range []string{"a.docx", "b.docx", "a.pdf"} {
			if code, _, errs := ntm(t, "--db", dsn, "report", "issued", "--id", id, "--out", filepath.Join(dir, f)); code != 0 {
				t.Fatalf("issued --id %s --out %s: exit %d %s", id, f, code, errs)
			}
		}
		a, _ := os.ReadFile(filepath.Join(dir, "a.docx"))
		b, _ := os.ReadFile(filepath.Join(dir, "b.docx"))
		p, _ := os.ReadFile(filepath.Join(dir, "a.pdf"))
		if !bytes.HasPrefix(a, []byte("PK")) || !bytes.Equal(a, b) || !bytes.HasPrefix(p, []byte("%PDF-")) {
			t.Errorf("issued files: docx %d/%d bytes, equal %v; pdf %.5q", len(a), len(b), bytes.Equal(a, b), p)
		}
	})
}
