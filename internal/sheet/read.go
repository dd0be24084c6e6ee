package sheet

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
)

// Kind is what a cell holds.
type Kind uint8

// Kinds of cells.
const (
	Empty Kind = iota
	Number
	Text // a shared or inline string, or a formula's text result
	Bool
	Error
)

// Cell is one cell: its stored value (a number as written, "1.5"; a text; "1" or "0" for a
// yes/no) and how the sheet shows it.
type Cell struct {
	Raw     string
	Kind    Kind
	Percent int  // for a number shown as a percentage, its decimals + 1; else 0
	Pad     int  // for a number shown with leading zeros ("00123"), the width; else 0
	Date    bool // a number shown as a date or time
}

// Shown is the cell as the sheet shows it, for what the offices read off the screen: a
// percentage with its sign ("92.50%"), a code with its leading zeros, TRUE or FALSE. Other
// numbers are their stored value.
func (c Cell) Shown() string {
	switch c.Kind {
	case Bool:
		if c.Raw == "1" || strings.EqualFold(c.Raw, "true") {
			return "TRUE"
		}
		return "FALSE"
	case Number:
		f, err := strconv.ParseFloat(c.Raw, 64)
		if err != nil {
			return c.Raw
		}
		switch {
		case c.Percent > 0:
			return strconv.FormatFloat(f*100, 'f', c.Percent-1, 64) + "%"
		case c.Pad > 0 && f >= 0 && f == float64(int64(f)):
			s := strconv.FormatInt(int64(f), 10)
			if len(s) < c.Pad {
				s = strings.Repeat("0", c.Pad-len(s)) + s
			}
			return s
		}
	}
	return c.Raw
}

// Row is one row of a sheet that holds at least one cell: its number (from 1) and its cells
// by column (from 0); columns without a cell are Empty.
type Row struct {
	Line  int
	Cells []Cell
}

// Rows calls fn with each row of the sheet in order, streaming it from the archive; fn's
// row is reused for the next one. An error from fn stops the reading and is returned.
func (b *Book) Rows(sheet string, fn func(*Row) error) error {
	part := ""
	for _, s := range b.sheets {
		if s.name == sheet {
			part = s.part
		}
	}
	if part == "" {
		return formatError("no sheet " + strconv.Quote(sheet))
	}
	rc, err := b.open(part)
	if err != nil {
		return err
	}
	if rc == nil {
		return formatError("missing part " + part)
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	row := &Row{}
	inRow := false
	line, col := 0, 0
	flush := func() error {
		if !inRow {
			return nil
		}
		inRow = false
		if len(row.Cells) == 0 {
			return nil
		}
		return fn(row)
	}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return b.xmlErr(part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				if err := flush(); err != nil {
					return err
				}
				n := line + 1
				if v := attr(t, "r"); v != "" {
					if n, err = strconv.Atoi(v); err != nil || n < 1 {
						return formatError(part + ": bad row number " + strconv.Quote(v))
					}
				}
				if n <= line {
					return formatError(part + ": rows out of order at " + strconv.Itoa(n))
				}
				if n > b.lim.Rows {
					return LimitFault(LimitRows, int64(b.lim.Rows), sheet)
				}
				line, col, inRow = n, 0, true
				row.Line, row.Cells = n, row.Cells[:0]
			case "c":
				if !inRow {
					return formatError(part + ": a cell outside a row")
				}
				if b.cells++; b.cells > b.lim.Cells {
					return LimitFault(LimitCells, int64(b.lim.Cells), "")
				}
				c := col + 1
				if ref := attr(t, "r"); ref != "" {
					if c = column(ref); c < 1 {
						return formatError(part + ": bad cell reference " + strconv.Quote(ref))
					}
				}
				if c > b.lim.Cols {
					return LimitFault(LimitCols, int64(b.lim.Cols), sheet+", "+strconv.Itoa(line))
				}
				if c <= col {
					return formatError(part + ": cells out of order in row " + strconv.Itoa(line))
				}
				col = c
				cell, err := b.cell(d, t)
				if err != nil {
					return b.xmlErr(part, err)
				}
				if cell.Kind == Empty {
					continue
				}
				for len(row.Cells) < c-1 {
					row.Cells = append(row.Cells, Cell{})
				}
				row.Cells = append(row.Cells, cell)
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				return flush()
			}
		}
	}
	return flush()
}

// xmlErr keeps a limit passed while decoding, else says the part is broken.
func (b *Book) xmlErr(part string, err error) error {
	var le *LimitError
	if errors.As(err, &le) || fault.Is(err, fault.InvalidValue) {
		return err
	}
	return formatError(part + ": " + err.Error())
}

// cell reads the cell that starts with t, up to its end.
func (b *Book) cell(d *xml.Decoder, t xml.StartElement) (Cell, error) {
	typ := attr(t, "t")
	var v, inline strings.Builder
	in := ""
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return Cell{}, err
		}
		switch x := tok.(type) {
		case xml.StartElement:
			depth++
			in = x.Name.Local
			if in == "rPh" {
				if err := d.Skip(); err != nil {
					return Cell{}, err
				}
				depth--
				in = ""
			}
		case xml.EndElement:
			if depth == 0 {
				return b.makeCell(typ, attr(t, "s"), v.String(), inline.String())
			}
			depth--
			in = ""
		case xml.CharData:
			switch in {
			case "v":
				v.Write(x)
			case "t":
				inline.Write(x)
			}
		}
	}
}

func (b *Book) makeCell(typ, style, v, inline string) (Cell, error) {
	switch typ {
	case "s":
		if v == "" {
			return Cell{}, nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(b.sst) {
			return Cell{}, formatError("shared string " + strconv.Quote(v) + " not found")
		}
		return textCell(b.sst[i]), nil
	case "inlineStr":
		return textCell(inline), nil
	case "str", "d":
		return textCell(v), nil
	case "b":
		if v == "" {
			return Cell{}, nil
		}
		return Cell{Raw: v, Kind: Bool}, nil
	case "e":
		return Cell{Raw: v, Kind: Error}, nil
	}
	if v == "" {
		return Cell{}, nil
	}
	c := Cell{Raw: v, Kind: Number}
	if style != "" {
		if i, err := strconv.Atoi(style); err == nil && i >= 0 && i < len(b.styles) {
			st := b.styles[i]
			c.Percent, c.Pad, c.Date = st.percent, st.pad, st.date
		}
	}
	return c, nil
}

func textCell(s string) Cell {
	if s == "" {
		return Cell{}
	}
	return Cell{Raw: s, Kind: Text}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// column is the column number of a cell reference ("AB12" → 28), or 0.
func column(ref string) int {
	n := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			if i == 0 {
				return 0
			}
			break
		}
		if n = n*26 + int(c-'a') + 1; n > 1<<20 {
			return 1 << 20
		}
	}
	return n
}

// ColumnName is the letters of a column from 0 (0 → "A", 27 → "AB").
func ColumnName(i int) string {
	var b []byte
	for n := i + 1; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// Grid reads a whole sheet as rows of raw and shown texts, row i being the sheet's row i+1
// (rows without cells are empty), as small lists (criteria annexes, registries) are read.
// The limits bound it like Rows.
func (b *Book) Grid(sheet string) (raw, shown [][]string, err error) {
	err = b.Rows(sheet, func(r *Row) error {
		for len(raw) < r.Line-1 {
			raw, shown = append(raw, nil), append(shown, nil)
		}
		rr, ss := make([]string, len(r.Cells)), make([]string, len(r.Cells))
		for i, c := range r.Cells {
			rr[i], ss[i] = c.Raw, c.Shown()
		}
		raw, shown = append(raw, rr), append(shown, ss)
		return nil
	})
	return raw, shown, err
}
