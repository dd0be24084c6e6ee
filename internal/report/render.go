package report

import (
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
)

// Formats a report is written in.
const (
	FormatMarkdown = "md"
	FormatHTML     = "html"
	FormatPDF      = "pdf"
	FormatXLSX     = "xlsx"
)

// Formats lists the formats.
var Formats = []string{FormatMarkdown, FormatHTML, FormatPDF, FormatXLSX, FormatDOCX}

// formatError is the fault of a format reports are not written in.
func formatError(format string) *fault.Error {
	return fault.Newf(fault.InvalidValue, "không có định dạng %q; dùng md, html, pdf, xlsx hoặc docx (no format %q: use md, html, pdf, xlsx or docx)", format, format)
}

// CheckFormat returns the format named, "md" for "".
func CheckFormat(f string) (string, error) {
	f = strings.ToLower(strings.TrimSpace(f))
	if f == "" || f == "markdown" {
		return FormatMarkdown, nil
	}
	for _, x := range Formats {
		if f == x {
			return f, nil
		}
	}
	return "", formatError(f)
}

// ContentType is the media type of a format.
func ContentType(format string) string {
	switch format {
	case FormatHTML:
		return "text/html; charset=utf-8"
	case FormatPDF:
		return "application/pdf"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatDOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case "json":
		return "application/json; charset=utf-8"
	}
	return "text/markdown; charset=utf-8"
}

// Render writes the document in format.
func (d *Document) Render(format string) ([]byte, error) {
	switch format {
	case FormatMarkdown:
		return d.Markdown, nil
	case FormatHTML:
		return d.HTML()
	case FormatPDF:
		return d.PDF()
	case FormatXLSX:
		return d.XLSX()
	case FormatDOCX:
		return d.DOCX()
	}
	return nil, formatError(format)
}

// FileName is the name to save the document under in format.
func (d *Document) FileName(format string) string { return d.Filename + "." + format }
