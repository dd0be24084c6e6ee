// Package sheettest makes hostile workbooks for tests: a small file that unpacks to a huge
// sheet (a "zip bomb"), and one whose sheet passes a row or column limit.
package sheettest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"sync"
)

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`
	rootRels     = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbook     = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`
	wbRels       = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
)

// Workbook writes a workbook of one sheet, "Sheet1", whose sheetData is what body writes.
func Workbook(body func(w io.Writer) error) ([]byte, error) {
	return build(func(zw *zip.Writer) error {
		w, err := zw.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			return err
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		if err := body(w); err != nil {
			return err
		}
		_, err = io.WriteString(w, `</sheetData></worksheet>`)
		return err
	})
}

// build writes the parts of a one-sheet workbook, and the sheet with sheet.
func build(sheet func(*zip.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range [][2]string{{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", wbRels}} {
		w, err := zw.Create(p[0])
		if err != nil {
			return nil, err
		}
		io.WriteString(w, p[1])
	}
	if err := sheet(zw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var (
	bombOnce sync.Once
	bomb     []byte
)

// Bomb is a workbook of well under a megabyte whose sheet unpacks to more than 400 MB: a
// header-like first row, then the same rows again and again. It is built once, in a moment:
// one compressed chunk repeated (deflate blocks ending on a byte boundary concatenate).
func Bomb() []byte {
	bombOnce.Do(func() {
		head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c><c r="B1" t="inlineStr"><is><t>set</t></is></c></row>`
		row := bytes.Repeat([]byte(`<c t="inlineStr"><is><t>0000000000</t></is></c>`), 100)
		chunk := bytes.Repeat([]byte("<row>"+string(row)+"</row>"), 200)
		tail := `</sheetData></worksheet>`
		deflate := func(p []byte, final bool) []byte {
			var out bytes.Buffer
			fw, _ := flate.NewWriter(&out, flate.BestCompression)
			fw.Write(p)
			if final {
				fw.Close()
			} else {
				fw.Flush()
			}
			return out.Bytes()
		}
		n := (410<<20)/len(chunk) + 1
		zc := deflate(chunk, false)
		var data bytes.Buffer
		data.Write(deflate([]byte(head), false))
		crc := crc32.NewIEEE()
		crc.Write([]byte(head))
		for range n {
			data.Write(zc)
			crc.Write(chunk)
		}
		data.Write(deflate([]byte(tail), true))
		crc.Write([]byte(tail))
		size := uint64(len(head) + n*len(chunk) + len(tail))
		var err error
		bomb, err = build(func(zw *zip.Writer) error {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
				CRC32: crc.Sum32(), CompressedSize64: uint64(data.Len()), UncompressedSize64: size})
			if err != nil {
				return err
			}
			_, err = w.Write(data.Bytes())
			return err
		})
		if err != nil {
			panic(err)
		}
	})
	return bomb
}

// Wide is a workbook whose one row reaches column n.
func Wide(n int) []byte {
	b, err := Workbook(func(w io.Writer) error {
		_, err := fmt.Fprintf(w, `<row r="1"><c r="A1"><v>1</v></c><c r="%s1"><v>2</v></c></row>`, colName(n))
		return err
	})
	if err != nil {
		panic(err)
	}
	return b
}

// Tall is a workbook whose sheet has a row numbered n.
func Tall(n int) []byte {
	b, err := Workbook(func(w io.Writer) error {
		_, err := fmt.Fprintf(w, `<row r="1"><c r="A1"><v>1</v></c></row><row r="%d"><c r="A%d"><v>2</v></c></row>`, n, n)
		return err
	})
	if err != nil {
		panic(err)
	}
	return b
}

func colName(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}
