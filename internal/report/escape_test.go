package report

import (
	"regexp"
	"strings"
	"testing"
)

// Issue 16: text users typed (a task's title, its owner, a set's name) stays text in the
// Markdown bulletin — no raw HTML, no bold, no line of its own — and reads the same in the
// HTML and PDF made from that Markdown.
func TestBulletin_UserTextEscaped(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		b := fixtureBulletin(lang)
		title := `<script>alert("x")</script> **gấp** | [bấm](http://evil.example)` + "\n\n# Tiêu đề giả"
		b.Tasks.Overdue[0].Title = title
		b.Tasks.Overdue[0].Owner = "UBND <b>xã</b>"
		b.Set.Title = "Bộ tiêu chí <img src=x onerror=alert(1)>"
		d, err := b.Document()
		if err != nil {
			t.Fatal(err)
		}
		md := string(d.Markdown)
		for _, raw := range []string{"<script>", "<b>", "<img", "**gấp**", "[bấm](", "\n# Tiêu đề giả"} {
			if regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(raw)).MatchString(md) {
				t.Errorf("%s: the Markdown holds %q as-is:\n%s", lang, raw, md)
			}
		}
		if !strings.Contains(md, `\<script\>alert("x")\</script\> \*\*gấp\*\* \| \[bấm\](http://evil.example)  \# Tiêu đề giả`) {
			t.Errorf("%s: the escaped title is not in the Markdown:\n%s", lang, md)
		}
		html, err := d.HTML()
		if err != nil {
			t.Fatal(err)
		}
		h := string(html)
		if strings.Contains(h, "<script>alert") || strings.Contains(h, "<b>xã") || strings.Contains(h, "<strong>gấp") ||
			!strings.Contains(h, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; **gấp** | [bấm](http://evil.example)`) ||
			!strings.Contains(h, "UBND &lt;b&gt;xã&lt;/b&gt;") {
			t.Errorf("%s: HTML does not show the title as text", lang)
		}
		pdf, err := d.PDF()
		if err != nil {
			t.Fatal(err)
		}
		if text := pdfText(pdf); !strings.Contains(strings.Join(strings.Fields(text), " "), "UBND <b>xã</b>") {
			t.Errorf("%s: the PDF does not show the owner as typed", lang)
		}
	}
}
