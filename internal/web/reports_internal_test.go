package web

import (
	"html/template"
	"strings"
	"testing"
)

// TestReportLinks: the partial the pages include renders, in both languages, plain links to
// every report of the unit as of the page's day — the indicators only when asked.
func TestReportLinks(t *testing.T) {
	tmpl := template.Must(template.New("x").Funcs(templateFuncs).ParseFS(templateFS, "templates/reports_links.html"))
	for _, c := range []struct {
		lang       string
		indicators bool
		want, not  []string
	}{
		{"vi", false, []string{"Báo cáo", "/api/v1/reports/bulletin?as_of=2026-05-20&amp;format=pdf&amp;lang=vi&amp;period=2026&amp;unit=01",
			"/api/v1/reports/tables/criteria?", "Kỳ báo cáo năm 2026, số liệu đến ngày 20/05/2026."}, []string{"tables/indicators", "reports."}},
		{"en", true, []string{"Reports", "tables/indicators?as_of=2026-05-20&amp;format=xlsx&amp;lang=en", "figures as of 2026-05-20"}, []string{"reports."}},
	} {
		p := &page{Lang: c.lang, AsOf: "2026-05-20"}
		var b strings.Builder
		if err := tmpl.ExecuteTemplate(&b, "report-links", p.ReportLinks("01", c.indicators)); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: lacks %q:\n%s", c.lang, w, out)
			}
		}
		for _, w := range c.not {
			if strings.Contains(out, w) {
				t.Errorf("%s: holds %q:\n%s", c.lang, w, out)
			}
		}
	}
}
