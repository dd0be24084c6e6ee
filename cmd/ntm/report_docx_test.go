package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// needTool finds a program the test needs (LibreOffice, poppler): with CI set its absence
// fails the test, elsewhere it skips it.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: .ci/run installs it (apt-get install %s)", name, pkg)
		}
		t.Skipf("%s is missing (apt-get install %s)", name, pkg)
	}
	return p
}

// officeMu runs one LibreOffice at a time.
var officeMu sync.Mutex

// officeText converts DOCX files to PDF with LibreOffice headless, as an office would open
// them, and returns the text of each (pdftotext), with white space folded to one space.
func officeText(t *testing.T, files ...string) map[string]string {
	t.Helper()
	soffice := needTool(t, "soffice", "libreoffice-writer-nogui")
	pdftotext := needTool(t, "pdftotext", "poppler-utils")
	out := t.TempDir()
	// A headless LibreOffice on a loaded machine now and then exits 0 without writing every
	// PDF, and two of them at once (the engines' subtests run in parallel) make it likelier:
	// one conversion at a time, each try in a fresh profile, and the files it missed are
	// converted again, up to three times in all.
	pdfOf := func(f string) string {
		return filepath.Join(out, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".pdf")
	}
	officeMu.Lock()
	todo := files
	for try := 0; try < 3 && len(todo) > 0; try++ {
		profile := "file://" + filepath.ToSlash(t.TempDir())
		args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf", "--outdir", out}, todo...)
		cmd := exec.Command(soffice, args...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		if b, err := cmd.CombinedOutput(); err != nil {
			officeMu.Unlock()
			t.Fatalf("soffice: %v\n%s", err, b)
		}
		var missed []string
		for _, f := range todo {
			if _, err := os.Stat(pdfOf(f)); err != nil {
				missed = append(missed, f)
			}
		}
		todo = missed
	}
	officeMu.Unlock()
	texts := map[string]string{}
	for _, f := range files {
		b, err := exec.Command(pdftotext, "-layout", pdfOf(f), "-").Output()
		if err != nil {
			t.Fatalf("LibreOffice did not convert %s: %v", filepath.Base(f), err)
		}
		texts[filepath.Base(f)] = strings.Join(strings.Fields(string(b)), " ")
	}
	return texts
}

// pdfPagesInked draws every page of a PDF with pdftoppm and returns, per page, the share of
// its pixels that are dark.
func pdfPagesInked(t *testing.T, path string) []float64 {
	t.Helper()
	pdftoppm := needTool(t, "pdftoppm", "poppler-utils")
	prefix := filepath.Join(t.TempDir(), "page")
	if b, err := exec.Command(pdftoppm, "-r", "40", "-gray", "-png", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm %s: %v %s", path, err, b)
	}
	files, _ := filepath.Glob(prefix + "*.png")
	sort.Strings(files)
	var out []float64
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		b := img.Bounds()
		dark := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray); g.Y < 128 {
					dark++
				}
			}
		}
		out = append(out, float64(dark)/float64(b.Dx()*b.Dy()))
	}
	return out
}

// TestReportDOCX_OpensInLibreOffice: the bulletin and every table written with --format docx
// open in LibreOffice; the bulletin converted to PDF holds the header block of Nghị định
// 30/2020, the title, the figures of ntm progress --json for the same unit and day, and the
// signature block; the tables their headers and totals.
func TestReportDOCX_OpensInLibreOffice(t *testing.T) {
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := demo.Load(ctx, db, demo.Options{Provinces: []string{"01"}}); err != nil {
			t.Fatal(err)
		}
		code, progOut, errs := ntm(t, "--db", dsn, "progress", "--unit", "01", "--as-of", "2026-06-30", "--json")
		if code != 0 {
			t.Fatalf("progress: exit %d %s", code, errs)
		}
		var prog map[string]any
		if err := json.Unmarshal([]byte(progOut), &prog); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		var files []string
		for _, c := range []struct {
			file string
			args []string
		}{
			{"bulletin.docx", []string{"report", "bulletin"}},
			{"progress.docx", []string{"report", "table", "--table", "progress"}},
			{"criteria.docx", []string{"report", "table", "--table", "criteria"}},
			{"indicators.docx", []string{"report", "table", "--table", "indicators", "--unit", "00430"}},
		} {
			path := filepath.Join(dir, c.file)
			args := append([]string{"--db", dsn}, c.args...)
			if !strings.Contains(strings.Join(args, " "), "--unit") {
				args = append(args, "--unit", "01")
			}
			args = append(args, "--period", "2026-Q2", "--format", "docx", "--out", path)
			if code, _, errs := ntm(t, args...); code != 0 {
				t.Fatalf("%v: exit %d %s", c.args, code, errs)
			}
			files = append(files, path)
		}
		texts := officeText(t, files...)
		// The PDFs: every page drawn (pdftoppm) has ink on it; the signed report is set in
		// Liberation Serif.
		for _, c := range [][]string{{"report", "bulletin"}, {"report", "table", "--table", "criteria"}} {
			path := filepath.Join(dir, c[len(c)-1]+".pdf")
			args := append(append([]string{"--db", dsn}, c...), "--unit", "01", "--period", "2026-Q2", "--out", path)
			if code, _, errs := ntm(t, args...); code != 0 {
				t.Fatalf("%v: exit %d %s", c, code, errs)
			}
			pages := pdfPagesInked(t, path)
			if len(pages) < 2 {
				t.Errorf("%s: %d pages", filepath.Base(path), len(pages))
			}
			for i, ink := range pages {
				if ink < 0.002 {
					t.Errorf("%s: page %d is blank (%.4f of it inked)", filepath.Base(path), i+1, ink)
				}
			}
			if t.Failed() {
				// This has failed once under load and never alone: say what the file was.
				b, _ := os.ReadFile(path)
				t.Logf("%s: %d bytes, starts %q, ends with %%%%EOF: %v", filepath.Base(path), len(b), b[:min(len(b), 8)], bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")))
			}
			if b, _ := os.ReadFile(path); c[1] == "bulletin" && !bytes.Contains(b, []byte("/FontName /utf8liberationserif")) {
				t.Errorf("the signed bulletin's PDF does not embed Liberation Serif")
			}
		}
		n := func(k string) float64 { return prog[k].(float64) }
		bul := texts["bulletin.docx"]
		for _, want := range []string{
			// the header block
			"UBND THÀNH PHỐ HÀ NỘI", "BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MTQG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"Độc lập - Tự do - Hạnh phúc", "Số: /BC-BCĐ", "Hà Nội, ngày tháng năm 2026",
			// the title
			"BÁO CÁO Kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới Quý II/2026",
			// the figures of ntm progress --json
			"Tổng số " + numfmt.Int(int(n("units_total")), "vi") + " xã",
			"Tổng số tiêu chí đạt: " + numfmt.Int(int(n("criteria_met_sum")), "vi") + " tiêu chí, bình quân " + numfmt.Decimal(n("criteria_met_avg"), 2, "vi") + " tiêu chí/xã",
			"Số xã đạt chuẩn nông thôn mới: " + padCount(int(n("units_met"))) + " xã",
			// the signature block
			"Nơi nhận:", "- Lưu: VT, VPĐP.", "TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN",
			// the figures again as an annex table
			"Phụ lục I", "CÁC CHỈ SỐ CHÍNH",
		} {
			if !strings.Contains(bul, want) {
				t.Errorf("the bulletin opened in LibreOffice lacks %q:\n%s", want, bul)
			}
		}
		for file, want := range map[string][]string{
			"progress.docx":   {"Tiến độ thực hiện", "Tổng cộng " + numfmt.Int(int(n("units_total")), "vi")},
			"criteria.docx":   {"TC1", "TC10"},
			"indicators.docx": {"Xã Đa Phúc", "Kết quả thực hiện"},
		} {
			for _, w := range want {
				if !strings.Contains(texts[file], w) {
					t.Errorf("%s opened in LibreOffice lacks %q:\n%s", file, w, texts[file])
				}
			}
		}
	})
}
