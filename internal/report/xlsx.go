package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// XLSX writes the document's tables as a workbook: one sheet per table, the header in the
// first row (bold, shaded, wrapped), the first row and the leading columns frozen, numbers
// stored as numbers with a display format (so sums and charts work), widths set, and a last
// sheet saying what the report is about.
func (d *Document) XLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st := &xlsxStyles{f: f, ids: map[string]int{}}
	used := map[string]bool{}
	for i, t := range d.Sheets {
		name := uniqueSheet(t.Sheet, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		if err := d.writeSheet(f, st, name, t); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	if err := d.writeInfo(f, st, uniqueSheet(label(d.Lang, "sheet.info"), used)); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	created := string(d.AsOf) + "T00:00:00Z"
	if _, err := time.Parse(time.DateOnly, string(d.AsOf)); err != nil {
		created = ""
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: d.Title + " — " + d.Heading, Subject: d.Heading, Creator: "ntm",
		LastModifiedBy: "ntm", Language: d.Lang, Created: created, Modified: created}); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func uniqueSheet(name string, used map[string]bool) string {
	name = strings.NewReplacer(":", " ", "\\", " ", "/", " ", "?", " ", "*", " ", "[", "(", "]", ")").Replace(name)
	name = sheetName(name)
	base, n := name, 2
	for used[name] {
		suffix := fmt.Sprintf(" (%d)", n)
		name = sheetName(string([]rune(base)[:min(len([]rune(base)), 31-len(suffix))]) + suffix)
		n++
	}
	used[name] = true
	return name
}

func (d *Document) writeSheet(f *excelize.File, st *xlsxStyles, sheet string, t *Table) error {
	last, _ := excelize.ColumnNumberToName(len(t.Columns))
	for i, c := range t.Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, c.Header); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, t.width(i, d.Lang)); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", st.header()); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 32); err != nil {
		return err
	}
	rows := t.Rows
	if t.Total != nil {
		rows = append(rows[:len(rows):len(rows)], t.Total)
	}
	for ri, r := range rows {
		for ci := range t.Columns {
			var c Cell
			if ci < len(r) {
				c = r[ci]
			}
			cell, _ := excelize.CoordinatesToCellName(ci+1, ri+2)
			var err error
			switch c.Kind {
			case CellText:
				err = f.SetCellStr(sheet, cell, c.Text)
			case CellInt:
				err = f.SetCellInt(sheet, cell, int64(c.Num))
			case CellDecimal, CellPercent:
				err = f.SetCellFloat(sheet, cell, c.Num, -1, 64)
			case CellMark:
				err = f.SetCellStr(sheet, cell, c.String(d.Lang))
			}
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell, cell, st.cell(c, t.Columns[ci])); err != nil {
				return err
			}
		}
	}
	frozen := max(t.Frozen, 1)
	topLeft, _ := excelize.CoordinatesToCellName(frozen+1, 2)
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: frozen, YSplit: 1, TopLeftCell: topLeft, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: "bottomRight"}}}); err != nil {
		return err
	}
	if len(t.Rows) > 0 {
		if err := f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", last, len(t.Rows)+1), nil); err != nil {
			return err
		}
	}
	orientation := "portrait"
	if t.Landscape || len(t.Columns) > 8 {
		orientation = "landscape"
	}
	size, fit, wide, tall := 9, true, 1, 0 // A4, one page wide, as many pages long as needed
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + escapeHF(d.Heading) + "&R" + escapeHF(t.Title),
		OddFooter: "&C" + escapeHF(label(d.Lang, "page")) + " &P/&N",
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet})
}

// escapeHF protects & in the text of a header or footer.
func escapeHF(s string) string { return strings.ReplaceAll(s, "&", "&&") }

func (d *Document) writeInfo(f *excelize.File, st *xlsxStyles, sheet string) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	rows := append([][2]string{{label(d.Lang, "info.report"), d.Title}}, d.Info...)
	for i, r := range rows {
		a, _ := excelize.CoordinatesToCellName(1, i+1)
		b, _ := excelize.CoordinatesToCellName(2, i+1)
		if err := f.SetCellStr(sheet, a, r[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, b, r[1]); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, a, a, st.infoLabel()); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 24); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "B", "B", 80)
}

// xlsxStyles makes each style once.
type xlsxStyles struct {
	f   *excelize.File
	ids map[string]int
}

func borders() []excelize.Border {
	var b []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		b = append(b, excelize.Border{Type: side, Color: "#BFBFBF", Style: 1})
	}
	return b
}

func (s *xlsxStyles) get(key string, build func() *excelize.Style) int {
	if id, ok := s.ids[key]; ok {
		return id
	}
	id, err := s.f.NewStyle(build())
	if err != nil {
		panic(err) // the styles are fixed: a bad one is a bug
	}
	s.ids[key] = id
	return id
}

func (s *xlsxStyles) header() int {
	return s.get("header", func() *excelize.Style {
		return &excelize.Style{Font: &excelize.Font{Bold: true, Color: "#1F3864"},
			Fill:      excelize.Fill{Type: "pattern", Color: []string{"#DDEBF7"}, Pattern: 1},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"},
			Border:    borders()}
	})
}

func (s *xlsxStyles) infoLabel() int {
	return s.get("info", func() *excelize.Style { return &excelize.Style{Font: &excelize.Font{Bold: true}} })
}

func (s *xlsxStyles) cell(c Cell, col Column) int {
	key := fmt.Sprintf("%d/%d/%t/%s/%t", c.Kind, c.Places, c.Bold, c.Tone, col.Wrap)
	return s.get(key, func() *excelize.Style {
		st := &excelize.Style{Border: borders(), Alignment: &excelize.Alignment{Vertical: "top", WrapText: col.Wrap}}
		font := &excelize.Font{Bold: c.Bold}
		switch c.Tone {
		case "met":
			font.Color = "#006E32"
		case "not_met":
			font.Color = "#B41E1E"
		case "muted":
			font.Color = "#6E6E6E"
		}
		st.Font = font
		switch c.Kind {
		case CellInt:
			f := "#,##0"
			st.CustomNumFmt = &f
		case CellDecimal, CellPercent:
			f := "#,##0"
			if c.Places > 0 {
				f += "." + strings.Repeat("0", c.Places)
			}
			st.CustomNumFmt = &f
		case CellMark:
			st.Alignment.Horizontal = "center"
		}
		if c.Tone == "met" && c.Kind == CellMark {
			st.Fill = excelize.Fill{Type: "pattern", Color: []string{"#E2F0D9"}, Pattern: 1}
		}
		if c.Tone == "not_met" && c.Kind == CellMark {
			st.Fill = excelize.Fill{Type: "pattern", Color: []string{"#FBE5E5"}, Pattern: 1}
		}
		return st
	})
}
