package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

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

// officeTries is how many times a DOCX is converted before the test gives up on it, and
// officeTryLimit how long one conversion may take before it is killed and tried again (a
// watchdog against a hung soffice, not a timing the test asserts).
const (
	officeTries    = 3
	officeTryLimit = 5 * time.Minute
)

// officeText converts DOCX files to PDF with LibreOffice headless, as an office would open
// them, and returns the text of each (pdftotext), with white space folded to one space.
// Each DOCX is first checked as a package (docxValid), so that a broken file fails as such
// and not as a LibreOffice hiccup.
func officeText(t *testing.T, files ...string) map[string]string {
	t.Helper()
	soffice := needTool(t, "soffice", "libreoffice-writer-nogui")
	pdftotext := needTool(t, "pdftotext", "poppler-utils")
	for _, f := range files {
		docxValid(t, f)
	}
	out := t.TempDir()
	officeMu.Lock()
	pdfs := officeConvert(t, soffice, files, out)
	officeMu.Unlock()
	texts := map[string]string{}
	for _, f := range files {
		b, err := exec.Command(pdftotext, "-layout", pdfs[f], "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", pdfs[f], err)
		}
		texts[filepath.Base(f)] = strings.Join(strings.Fields(string(b)), " ")
	}
	return texts
}

// officeConvert converts DOCX files to PDF in dir and returns each one's PDF. A headless
// LibreOffice on a loaded machine now and then exits 0 without writing a PDF, or writes an
// empty one: each try runs in a fresh profile, and the files whose PDF is missing or empty
// are tried again after a pause, up to officeTries times. What soffice said on each failed
// try is logged, with each DOCX's path and size, so that a failure in CI says which of the
// two was at fault.
func officeConvert(t *testing.T, soffice string, files []string, dir string) map[string]string {
	t.Helper()
	pdfOf := func(f string) string {
		return filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".pdf")
	}
	var said []string
	todo := files
	for try := 1; try <= officeTries && len(todo) > 0; try++ {
		if try > 1 {
			time.Sleep(time.Duration(try) * time.Second) // let the machine settle; nothing is timed
		}
		for _, f := range todo {
			os.Remove(pdfOf(f))
		}
		ctx, cancel := context.WithTimeout(context.Background(), officeTryLimit)
		profile := "file://" + filepath.ToSlash(t.TempDir())
		args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf", "--outdir", dir}, todo...)
		cmd := exec.CommandContext(ctx, soffice, args...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		var missed []string
		for _, f := range todo {
			if fi, err := os.Stat(pdfOf(f)); err != nil || fi.Size() == 0 {
				missed = append(missed, f)
			}
		}
		if len(missed) > 0 {
			said = append(said, fmt.Sprintf("try %d: soffice exit %v; no PDF or an empty one for %s\nstdout: %s\nstderr: %s",
				try, err, docxSizes(missed), stdout.String(), stderr.String()))
		} else if try > 1 {
			t.Logf("LibreOffice converted every file at try %d; before:\n%s", try, strings.Join(said, "\n"))
		}
		todo = missed
	}
	if len(todo) > 0 {
		t.Fatalf("LibreOffice did not convert %s in %d tries:\n%s", docxSizes(todo), officeTries, strings.Join(said, "\n"))
	}
	out := map[string]string{}
	for _, f := range files {
		out[f] = pdfOf(f)
	}
	return out
}

// docxSizes names files with their sizes: "/tmp/…/bulletin.docx (48213 bytes)".
func docxSizes(files []string) string {
	var s []string
	for _, f := range files {
		size := int64(-1)
		if fi, err := os.Stat(f); err == nil {
			size = fi.Size()
		}
		s = append(s, fmt.Sprintf("%s (%d bytes)", f, size))
	}
	return strings.Join(s, ", ")
}

// docxValid checks a DOCX as a package, as unzip -t and Word would: every part reads back
// whole (the zip's checksums), the main parts are there, every relationship's target is in the
// package, and every picture the document draws names a relationship that exists.
func docxValid(t *testing.T, path string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s is not a zip package: %v", path, err)
	}
	defer z.Close()
	parts := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %s: %v", path, f.Name, err)
		}
		b, err := io.ReadAll(r) // a checksum error shows at the end of the read
		r.Close()
		if err != nil {
			t.Fatalf("%s: %s does not read back: %v", path, f.Name, err)
		}
		parts[f.Name] = b
	}
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		if _, ok := parts[p]; !ok {
			t.Errorf("%s lacks %s", path, p)
		}
	}
	type rels struct {
		Rel []struct {
			ID         string `xml:"Id,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	ids := map[string]bool{}
	for name, b := range parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		var rs rels
		if err := xml.Unmarshal(b, &rs); err != nil {
			t.Errorf("%s: %s: %v", path, name, err)
			continue
		}
		// word/_rels/document.xml.rels names targets from word/.
		base := strings.TrimSuffix(strings.TrimSuffix(name, filepath.Base(name)), "_rels/")
		for _, r := range rs.Rel {
			if r.TargetMode == "External" {
				continue
			}
			target := strings.TrimPrefix(r.Target, "/")
			if !strings.HasPrefix(r.Target, "/") {
				target = base + r.Target
			}
			if _, ok := parts[target]; !ok {
				t.Errorf("%s: %s names %s (%s), which the package lacks", path, name, r.Target, r.ID)
			}
			if name == "word/_rels/document.xml.rels" {
				ids[r.ID] = true
			}
		}
	}
	for _, m := range regexp.MustCompile(`r:embed="([^"]+)"`).FindAllSubmatch(parts["word/document.xml"], -1) {
		if !ids[string(m[1])] {
			t.Errorf("%s: the document draws the picture %s, which no relationship names", path, m[1])
		}
	}
	if t.Failed() {
		t.Logf("%s: %d parts", path, len(parts))
	}
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
	t.Parallel()
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
			// (the issuing body wraps in its column, and pdftotext -layout reads the motto of
			// the right-hand column between its two lines)
			"UBND THÀNH PHỐ HÀ NỘI", "BAN CHỈ ĐẠO CÁC CHƯƠNG", "TRÌNH MTQG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
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
			"Phụ lục I", "CÁC CHỈ SỐ CHÍNH", "(Kèm theo Báo cáo số /BC-BCĐ ngày )",
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
