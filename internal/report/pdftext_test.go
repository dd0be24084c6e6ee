package report

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
)

// pdfText extracts the text a PDF written by this package shows: the strings of its content
// streams (fpdf writes UTF-16BE code points for TrueType Unicode fonts), one per line. It
// reads only what fpdf writes; it is not a general PDF parser.
func pdfText(pdf []byte) string {
	var out strings.Builder
	for _, m := range streamRE.FindAllSubmatchIndex(pdf, -1) {
		dict, start := pdf[m[2]:m[3]], m[1]
		end := bytes.Index(pdf[start:], []byte("endstream"))
		if end < 0 {
			continue
		}
		data := pdf[start : start+end]
		if bytes.Contains(dict, []byte("/FlateDecode")) {
			r, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				continue
			}
			if data, err = io.ReadAll(r); err != nil {
				continue
			}
		}
		if !bytes.Contains(data, []byte("Tj")) {
			continue // fonts, images, the CMap
		}
		for _, s := range pdfStrings(data) {
			out.WriteString(s)
			out.WriteString("\n")
		}
	}
	return out.String()
}

var streamRE = regexp.MustCompile(`(?s)<<(.*?)>>\s*stream\r?\n`)

// pdfStrings returns the (…) strings of a content stream, decoded from UTF-16BE.
func pdfStrings(data []byte) []string {
	var out []string
	for i := 0; i < len(data); i++ {
		if data[i] != '(' {
			continue
		}
		var raw []byte
		j := i + 1
		for ; j < len(data) && data[j] != ')'; j++ {
			if data[j] == '\\' && j+1 < len(data) {
				j++
				switch data[j] {
				case 'r':
					raw = append(raw, '\r')
				case 'n':
					raw = append(raw, '\n')
				default:
					raw = append(raw, data[j])
				}
				continue
			}
			raw = append(raw, data[j])
		}
		i = j
		u := make([]uint16, 0, len(raw)/2)
		for k := 0; k+1 < len(raw); k += 2 {
			u = append(u, uint16(raw[k])<<8|uint16(raw[k+1]))
		}
		out = append(out, string(utf16.Decode(u)))
	}
	return out
}
