// Package imports reads files of values that offices send (SPEC §6 "Values CSV"), checks
// their codes and values against the criteria sets, and keeps the report of what an import
// found: every bad row or column with its position and reason, in Vietnamese and English.
//
// Files are CSV in the long layout (header unit,set,period,code,value[,note], one value per
// row), or XLSX in the same long layout or in the wide layout offices fill in by hand (header
// unit,set,period,<code>,<code>…, one row per unit, one column per code). A File gives one
// Row per value either way, each knowing where it came from.
//
// The package knows no database: the store resolves units, assessments and the importer's
// scope in the same pass over the rows, and writes everything in one transaction or nothing.
//
// Files are read as a stream (File, a Source): an import holds one batch of rows at a time,
// whatever the file's size. Performance: see BenchmarkImportCSV in internal/store and README
// "Performance".
package imports

// Row is one value of an import file.
type Row struct {
	Sheet  string // XLSX sheet; empty for CSV
	Line   int    // CSV line or XLSX row, from 1
	Unit   string // unit code (GSO)
	Set    string // criteria-set id
	Period string // 2024, 2024-H1, 2024-Q1, 2024-04
	Code   string // indicator code, TC<n>, or a data element of a formula
	Value  string
	Note   string
	// Columns says where each field sits; rows of one layout share it.
	Columns *Columns
}

// Columns names the columns of a row's fields: the CSV header names or the XLSX letters.
type Columns struct {
	Unit, Set, Period, Code, Value, Note string
	// CodeLine is the line of the code when it sits in a header row (the wide layout), so
	// that an unknown code is reported once, at its header cell; 0 when the code is in the row.
	CodeLine int
}

// Fields of a Row, for Problem positions.
const (
	FieldUnit   = "unit"
	FieldSet    = "set"
	FieldPeriod = "period"
	FieldCode   = "code"
	FieldValue  = "value"
	FieldNote   = "note"
)

// Problem builds a problem about one field of the row ("" for the whole row) in file.
func (r *Row) Problem(file, field, code, vi, en string) Problem {
	line, col := r.Line, ""
	if c := r.Columns; c != nil {
		switch field {
		case FieldUnit:
			col = c.Unit
		case FieldSet:
			col = c.Set
		case FieldPeriod:
			col = c.Period
		case FieldCode:
			col = c.Code
			if c.CodeLine > 0 {
				line = c.CodeLine
			}
		case FieldValue:
			col = c.Value
		case FieldNote:
			col = c.Note
		}
	}
	return NewProblem(file, r.Sheet, line, col, code, vi, en)
}
