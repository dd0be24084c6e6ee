package sheet

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// style is what a cell format says about the numbers it shows.
type style struct {
	percent int // decimals + 1 of a percentage, else 0
	pad     int // width of a zero-padded integer format ("00000"), else 0
	date    bool
}

// readWorkbook finds the sheets, the shared strings and the styles.
func (b *Book) readWorkbook() error {
	wb := "xl/workbook.xml"
	if rels, err := b.rels("_rels/.rels", ""); err != nil {
		return err
	} else if t, ok := rels.byType["officeDocument"]; ok {
		wb = t
	}
	rels, err := b.rels(relsOf(wb), wb)
	if err != nil {
		return err
	}
	found := false
	err = b.each(wb, func(d *xml.Decoder, t xml.StartElement) error {
		if t.Name.Local != "sheet" {
			return nil
		}
		found = true
		name, id := attr(t, "name"), ""
		for _, a := range t.Attr {
			if a.Name.Local == "id" && a.Name.Space != "" {
				id = a.Value
			}
		}
		if part, ok := rels.byID[id]; ok && name != "" {
			b.sheets = append(b.sheets, sheetRef{name: name, part: part})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !found {
		return formatError("no workbook part")
	}
	sst := rels.byType["sharedStrings"]
	if sst == "" {
		sst = "xl/sharedStrings.xml"
	}
	if err := b.readSST(sst); err != nil {
		return err
	}
	st := rels.byType["styles"]
	if st == "" {
		st = "xl/styles.xml"
	}
	return b.readStyles(st)
}

type relations struct{ byID, byType map[string]string }

// rels reads a relationships part; from is the part they belong to ("" for the package).
func (b *Book) rels(name, from string) (relations, error) {
	r := relations{byID: map[string]string{}, byType: map[string]string{}}
	err := b.each(name, func(d *xml.Decoder, t xml.StartElement) error {
		if t.Name.Local != "Relationship" || attr(t, "TargetMode") == "External" {
			return nil
		}
		target := resolve(from, attr(t, "Target"))
		if from == "" {
			target = strings.TrimPrefix(attr(t, "Target"), "/")
		}
		r.byID[attr(t, "Id")] = target
		typ := attr(t, "Type")
		r.byType[typ[strings.LastIndex(typ, "/")+1:]] = target
		return nil
	})
	return r, err
}

// each calls fn with every start element of a part; a missing part has none.
func (b *Book) each(name string, fn func(*xml.Decoder, xml.StartElement) error) error {
	rc, err := b.open(name)
	if err != nil || rc == nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return b.xmlErr(name, err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			if err := fn(d, t); err != nil {
				return b.xmlErr(name, err)
			}
		}
	}
}

// readSST reads the shared strings: the text of each <si>, without its phonetic runs. They
// count as cells.
func (b *Book) readSST(name string) error {
	return b.each(name, func(d *xml.Decoder, t xml.StartElement) error {
		if t.Name.Local != "si" {
			return nil
		}
		if b.cells++; b.cells > b.lim.Cells {
			return LimitFault(LimitCells, int64(b.lim.Cells), "")
		}
		var s strings.Builder
		in, depth := "", 0
		for {
			tok, err := d.RawToken()
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return err
			}
			switch x := tok.(type) {
			case xml.StartElement:
				if x.Name.Local == "rPh" {
					if err := d.Skip(); err != nil {
						return err
					}
					continue
				}
				depth++
				in = x.Name.Local
			case xml.EndElement:
				if depth == 0 {
					b.sst = append(b.sst, s.String())
					return nil
				}
				depth--
				in = ""
			case xml.CharData:
				if in == "t" {
					s.Write(x)
				}
			}
		}
	})
}

// readStyles reads what each cell format (cellXfs) shows numbers as.
func (b *Book) readStyles(name string) error {
	custom := map[int]string{}
	inXfs := false
	var xfs []int
	err := b.each(name, func(d *xml.Decoder, t xml.StartElement) error {
		switch t.Name.Local {
		case "numFmt":
			if id, err := strconv.Atoi(attr(t, "numFmtId")); err == nil {
				custom[id] = attr(t, "formatCode")
			}
		case "cellXfs":
			inXfs = true
		case "cellStyleXfs", "dxfs":
			inXfs = false
		case "xf":
			if inXfs {
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				xfs = append(xfs, id)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range xfs {
		code, ok := custom[id]
		if !ok {
			code = builtin[id]
		}
		b.styles = append(b.styles, styleOf(id, code))
	}
	return nil
}

// builtin are the built-in number formats that matter here.
var builtin = map[int]string{1: "0", 9: "0%", 10: "0.00%",
	14: "d", 15: "d", 16: "d", 17: "d", 18: "h", 19: "h", 20: "h", 21: "h", 22: "d", 45: "h", 46: "h", 47: "h"}

// styleOf reads a format code: a percentage (with its decimals), zeros only, or a date.
func styleOf(id int, code string) style {
	var st style
	// Text between quotes and escaped characters show as they are.
	var plain strings.Builder
	q := false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '"':
			q = !q
		case q:
		case c == '\\' || c == '_' || c == '*':
			i++
		case c == ';':
			i = len(code) // the format of positive numbers is enough
		default:
			plain.WriteByte(c)
		}
	}
	p := strings.ToLower(plain.String())
	if j := strings.IndexByte(p, ']'); strings.HasPrefix(p, "[") && j > 0 {
		p = p[j+1:]
	}
	switch {
	case strings.Contains(p, "%"):
		st.percent = 1
		if dot := strings.IndexByte(p, '.'); dot >= 0 {
			st.percent += strings.Count(p[dot:], "0")
		}
	case len(p) > 1 && strings.Trim(p, "0") == "":
		st.pad = len(p)
	case id >= 14 && id <= 22 || id >= 45 && id <= 47 || strings.ContainsAny(p, "dmyhs"):
		st.date = true
	}
	return st
}
