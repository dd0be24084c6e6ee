package report

import "github.com/ntm-vn/ntm/internal/report/docx"

// chartImage draws a chart as a PNG for the DOCX; false when it cannot.
func chartImage(c *Chart, font string) (docx.Image, bool) {
	return docx.Image{}, false
}
