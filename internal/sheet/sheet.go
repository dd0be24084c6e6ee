// Package sheet reads the workbooks (XLSX) offices send, within limits: the size of the file,
// of its parts unpacked (each and in all), and the rows, columns and cells of its sheets. It
// reads each sheet as a stream of rows straight from the zip archive, so memory stays within
// a few buffers whatever the file holds, and a file over a limit is refused with a
// *LimitError before it is unpacked when its directory already says so (a "zip bomb": a small
// file that unpacks to gigabytes), or as soon as the limit is passed.
//
// Every import of a spreadsheet goes through it: values (internal/imports), funding, works and
// models (internal/resources), OCOP products, the recognition registry and criteria annexes.
package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
)

// Limits bound what a workbook may hold. Zero means the default's value.
type Limits struct {
	File     int64 // bytes of the file as sent (compressed)
	Unpacked int64 // bytes of all its parts unpacked
	Part     int64 // bytes of one part (a sheet, the shared strings) unpacked
	Parts    int   // parts in the archive
	Rows     int   // the highest row number of a sheet
	Cols     int   // the highest column of a row
	Cells    int   // cells in the whole workbook (those written in it, empty or not)
}

// Default is what an import accepts unless it says otherwise: a sheet as large as Excel's
// (1,048,576 rows), a file of 64 MB unpacking to 256 MB, ten million cells.
var Default = Limits{File: 64 << 20, Unpacked: 256 << 20, Part: 256 << 20, Parts: 10000,
	Rows: 1 << 20, Cols: 16384, Cells: 10_000_000}

// With is l with its zero fields taken from Default.
func (l Limits) With() Limits {
	d := Default
	orDefault(&d.File, l.File)
	orDefault(&d.Unpacked, l.Unpacked)
	orDefault(&d.Part, l.Part)
	orDefault(&d.Parts, l.Parts)
	orDefault(&d.Rows, l.Rows)
	orDefault(&d.Cols, l.Cols)
	orDefault(&d.Cells, l.Cells)
	return d
}

// orDefault sets *d, a default, to v when v is given (above zero).
func orDefault[T int | int64](d *T, v T) {
	if v > 0 {
		*d = v
	}
}

// Names of the limits, as a LimitError gives them.
const (
	LimitFile     = "file"
	LimitUnpacked = "unpacked"
	LimitPart     = "part"
	LimitParts    = "parts"
	LimitRows     = "rows"
	LimitCols     = "columns"
	LimitCells    = "cells"
)

// LimitError says what limit a file passes; it is the cause of a LimitFault, the error the
// package returns.
type LimitError struct {
	Limit string // LimitFile, LimitUnpacked…
	Max   int64
	Where string // the part or the sheet and row, when known
}

func (e *LimitError) Error() string { return e.VI() + " (" + e.EN() + ")" }

// LimitFault is the fault of a file over a limit: TooLarge (HTTP 413, exit status 3) on the
// uploaded file, its message the LimitError's, which it wraps (errors.As finds it, for VI and
// EN). Callers that only test for a limit use fault.Is(err, fault.TooLarge).
func LimitFault(limit string, max int64, where string) *fault.Error {
	e := &LimitError{Limit: limit, Max: max, Where: where}
	return &fault.Error{Code: fault.TooLarge, Text: e.Error(), Field: "file", Err: e}
}

type limitWord struct {
	vi, en string
	bytes  bool
}

// limitWords is what passing each limit is, in Vietnamese and in English; bytes marks a limit
// in bytes, written in MB.
var limitWords = map[string]limitWord{
	LimitFile:     {"tệp lớn hơn %s MB", "the file is larger than %s MB", true},
	LimitUnpacked: {"tệp giải nén ra hơn %s MB", "the file unpacks to more than %s MB", true},
	LimitPart:     {"một phần của tệp giải nén ra hơn %s MB", "a part of the file unpacks to more than %s MB", true},
	LimitParts:    {"tệp có hơn %d phần", "the file has more than %d parts", false},
	LimitRows:     {"trang tính có hơn %d dòng", "a sheet has more than %d rows", false},
	LimitCols:     {"dòng có hơn %d cột", "a row has more than %d columns", false},
	LimitCells:    {"bảng tính có hơn %d ô", "the workbook has more than %d cells", false},
}

// VI says what is over the limit, in Vietnamese.
func (e *LimitError) VI() string {
	return e.say(func(w limitWord) string { return w.vi }, "; hãy chia nhỏ tệp")
}

// EN says what is over the limit, in English.
func (e *LimitError) EN() string {
	return e.say(func(w limitWord) string { return w.en }, "; split the file")
}

// say writes the sentence of the limit in the language lang picks, then advice.
func (e *LimitError) say(lang func(limitWord) string, advice string) string {
	w, ok := limitWords[e.Limit]
	if !ok {
		w = limitWords[LimitCells]
	}
	format := lang(w)
	var s string
	if w.bytes {
		s = fmt.Sprintf(format, mb(e.Max))
	} else {
		s = fmt.Sprintf(format, e.Max)
	}
	if e.Where != "" {
		s += " (" + e.Where + ")"
	}
	return s + advice
}

func mb(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprint(n >> 20)
	}
	return fmt.Sprintf("%.1f", float64(n)/(1<<20))
}

// formatError is the fault of a file that is not a workbook this package can read: the
// user's file (fault.InvalidValue).
func formatError(reason string) *fault.Error {
	return &fault.Error{Code: fault.InvalidValue, Text: "not a readable .xlsx workbook: " + reason}
}

// IsXLSX reports whether the first bytes of a file are those of a zip archive.
func IsXLSX(head []byte) bool { return bytes.HasPrefix(head, []byte("PK\x03\x04")) }

// ReadAll reads r whole, or fails with a *LimitError once it passes max bytes.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, LimitFault(LimitFile, max, "")
	}
	return b, nil
}

// Book is an open workbook.
type Book struct {
	zr       *zip.Reader
	files    map[string]*zip.File // by lower-case name
	lim      Limits
	sheets   []sheetRef
	sst      []string
	styles   []style
	unpacked int64
	cells    int
}

type sheetRef struct{ name, part string }

// Open opens the workbook of size bytes at r. Its directory is checked against the limits
// before anything is unpacked.
func Open(r io.ReaderAt, size int64, lim Limits) (*Book, error) {
	lim = lim.With()
	if size > lim.File {
		return nil, LimitFault(LimitFile, lim.File, "")
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, formatError(err.Error())
	}
	if len(zr.File) > lim.Parts {
		return nil, LimitFault(LimitParts, int64(lim.Parts), "")
	}
	b := &Book{zr: zr, files: map[string]*zip.File{}, lim: lim}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > uint64(lim.Part) {
			return nil, LimitFault(LimitPart, lim.Part, f.Name)
		}
		if total += f.UncompressedSize64; total > uint64(lim.Unpacked) {
			return nil, LimitFault(LimitUnpacked, lim.Unpacked, "")
		}
		b.files[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	if err := b.readWorkbook(); err != nil {
		return nil, err
	}
	return b, nil
}

// OpenBytes opens a workbook held in memory.
func OpenBytes(data []byte, lim Limits) (*Book, error) {
	return Open(bytes.NewReader(data), int64(len(data)), lim)
}

// Sheets are the names of the sheets, in the workbook's order.
func (b *Book) Sheets() []string {
	out := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		out[i] = s.name
	}
	return out
}

// open opens a part for reading, counting what it unpacks against the limits.
func (b *Book) open(name string) (io.ReadCloser, error) {
	f := b.files[strings.ToLower(strings.TrimPrefix(name, "/"))]
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, formatError(name + ": " + err.Error())
	}
	return &counted{rc: rc, b: b, part: f.Name}, nil
}

// counted counts the bytes a part unpacks, so that a lying directory gains nothing.
type counted struct {
	rc   io.ReadCloser
	b    *Book
	part string
	n    int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.n += int64(n)
	c.b.unpacked += int64(n)
	if c.n > c.b.lim.Part {
		return n, LimitFault(LimitPart, c.b.lim.Part, c.part)
	}
	if c.b.unpacked > c.b.lim.Unpacked {
		return n, LimitFault(LimitUnpacked, c.b.lim.Unpacked, "")
	}
	if err != nil && !errors.Is(err, io.EOF) {
		err = formatError(c.part + ": " + err.Error())
	}
	return n, err
}

func (c *counted) Close() error { return c.rc.Close() }

// resolve is the part a relationship of the part from names.
func resolve(from, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(path.Dir(from), target)
}

// relsOf is the relationships part of a part ("xl/workbook.xml" → "xl/_rels/workbook.xml.rels").
func relsOf(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}
