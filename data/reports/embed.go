// Package reportdata holds the layouts of the reports (bản tin, báo cáo, bảng biểu) as data:
// one text/template per report kind and language (bulletin.vi.md.tmpl, bulletin.en.md.tmpl),
// the short texts of each language (labels.vi.yaml, labels.en.yaml: column headers, names of
// tiers, metrics and statuses) and the style sheet of the printable HTML (page.css). Package
// internal/report fills and renders them; README.md says what each template receives.
package reportdata

import "embed"

// FS is the layouts, read-only.
//
//go:embed *.tmpl *.yaml *.css
var FS embed.FS
