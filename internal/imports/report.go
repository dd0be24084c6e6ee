package imports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/numfmt"
)

// MaxProblems caps the problems a report lists; the rest are counted in MoreProblems.
const MaxProblems = 1000

// Problem kinds: the code of a Problem, for programs; the message is for people.
const (
	BadFile     = "file"          // the file cannot be read (not CSV/XLSX, broken CSV quoting…)
	BadHeader   = "header"        // a column missing, unknown or given twice
	Missing     = "missing"       // an empty unit, set, period, code or value
	UnknownUnit = "unknown_unit"  // no unit with that code during the period
	UnknownSet  = "unknown_set"   // no criteria set with that id
	BadPeriod   = "bad_period"    // not 2024, 2024-H1, 2024-Q1 or 2024-04
	UnknownCode = "unknown_code"  // not an indicator, TC<n> or data element of the set
	NotANumber  = "not_a_number"  // a number was expected
	OutOfRange  = "out_of_range"  // a percent outside 0–100
	BadValue    = "bad_value"     // another unreadable value (a yes/no that is neither)
	Duplicate   = "duplicate"     // the same unit, set, period and code twice in the file
	NotEditable = "not_editable"  // the assessment is submitted, verified or approved
	Forbidden   = "no_permission" // the importing user may not enter data for the unit
)

// Problem is one thing wrong with a file, where it is and why. Line is the CSV line or the
// XLSX row; Column the CSV header name or the XLSX column letter.
type Problem struct {
	File    string `json:"file"`
	Sheet   string `json:"sheet,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.File == "" {
		return p.Message
	}
	return p.File + ": " + p.Message
}

// position says where a problem is, in Vietnamese and in English.
func position(sheet string, line int, column string) (vi, en string) {
	var v, e []string
	if sheet != "" {
		v, e = append(v, "trang tính "+sheet), append(e, "sheet "+sheet)
	}
	if line > 0 {
		n := strconv.Itoa(line)
		if sheet != "" {
			v, e = append(v, "dòng "+n), append(e, "row "+n)
		} else {
			v, e = append(v, "dòng "+n), append(e, "line "+n)
		}
	}
	if column != "" {
		v, e = append(v, "cột "+column), append(e, "column "+column)
	}
	vi, en = strings.Join(v, ", "), strings.Join(e, ", ")
	vi = numfmt.UpperFirst(vi)
	return vi, en
}

// NewProblem builds a problem at a position, its message in Vietnamese first and English
// after: "Dòng 14, cột value: "abc" không phải là số / line 14, column value: "abc" is not
// a number".
func NewProblem(file, sheet string, line int, column, code, vi, en string) Problem {
	pv, pe := position(sheet, line, column)
	msg := vi + " / " + en
	if pv != "" {
		msg = pv + ": " + vi + " / " + pe + ": " + en
	}
	return Problem{File: file, Sheet: sheet, Line: line, Column: column, Code: code, Message: msg}
}

// Report is what an import found: what it would change (or changed), and the problems that
// stopped it. Any problem means nothing was written.
type Report struct {
	File         string    `json:"file"`
	DryRun       bool      `json:"dry_run"`
	Values       int       `json:"values"`              // values in the file
	Assessments  int       `json:"assessments"`         // assessments the file touches
	Created      int       `json:"assessments_created"` // of those, new drafts
	Updated      int       `json:"assessments_updated"` // of those, existing ones whose values change
	Added        int       `json:"values_added"`
	Changed      int       `json:"values_changed"`
	Unchanged    int       `json:"values_unchanged"`
	Problems     []Problem `json:"problems"`
	MoreProblems int       `json:"more_problems"` // problems beyond MaxProblems, counted only

	seen map[Problem]bool
}

// Add records a problem, once: in the wide layout every cell under an unknown code reports
// the header cell, and the report lists it once.
func (r *Report) Add(p Problem) {
	if r.seen == nil {
		r.seen = map[Problem]bool{}
	}
	if r.seen[p] {
		return
	}
	if len(r.Problems) >= MaxProblems {
		r.MoreProblems++
		return
	}
	r.seen[p] = true
	r.Problems = append(r.Problems, p)
}

// Failed reports whether the report holds a problem.
func (r *Report) Failed() bool { return len(r.Problems) > 0 }

// Err returns, when the report holds a problem, the fault of a file with problems: nothing
// was imported (CLI exit code 3). Its Problems is the report (see Rejected).
func (r *Report) Err() error {
	if !r.Failed() {
		return nil
	}
	return &fault.Error{Code: fault.InvalidValue, Text: r.rejection(), Problems: r}
}

// Rejected returns the report of a file refused with its problems (see Report.Err).
func Rejected(err error) (*Report, bool) { return fault.ProblemsOf[*Report](err) }

// rejection says that the file was refused, with its first problems.
func (r *Report) rejection() string {
	n := len(r.Problems) + r.MoreProblems
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d lỗi, không nhập số liệu nào / %d problem(s), nothing imported", r.File, n, n)
	for i, p := range r.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … (%d nữa / %d more)", n-20, n-20)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.Message)
	}
	return b.String()
}

// reject is a report of one file-level problem, as an error.
func reject(file string, p Problem) error {
	r := &Report{File: file}
	r.Add(p)
	return r.Err()
}
