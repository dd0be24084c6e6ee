package report

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"strings"

	reportdata "github.com/ntm-vn/ntm/data/reports"
	"github.com/ntm-vn/ntm/internal/numfmt"
)

// HTML writes the document as one printable page: standalone, its style sheet inline, A4
// print rules, nothing fetched from anywhere.
func (d *Document) HTML() ([]byte, error) {
	page, err := reportdata.FS.ReadFile("page.html.tmpl")
	if err != nil {
		return nil, err
	}
	css, err := reportdata.FS.ReadFile("page.css")
	if err != nil {
		return nil, err
	}
	t, err := template.New("page").Parse(string(page))
	if err != nil {
		return nil, fmt.Errorf("data/reports/page.html.tmpl: %w", err)
	}
	var body strings.Builder
	writeHTMLBlocks(&body, d.blocks, d.Lang)
	data := struct {
		Lang, Title, Heading, PageWord, Footer string
		CSS                                    template.CSS
		Body                                   template.HTML
	}{
		Lang: d.Lang, Title: d.Title, Heading: d.Heading, PageWord: label(d.Lang, "page"),
		Footer: label(d.Lang, "footer", "date", numfmt.Date(string(d.AsOf), d.Lang)),
		CSS:    template.CSS(css), Body: template.HTML(body.String()),
	}
	var out bytes.Buffer
	if err := t.Execute(&out, data); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func writeHTMLBlocks(b *strings.Builder, blocks []block, lang string) {
	for i, bl := range blocks {
		switch bl.kind {
		case blockH1:
			b.WriteString("<h1>" + inlineHTML(bl.text) + "</h1>\n")
		case blockH2:
			b.WriteString("<h2>" + inlineHTML(bl.text) + "</h2>\n")
		case blockH3:
			b.WriteString("<h3>" + inlineHTML(bl.text) + "</h3>\n")
		case blockPara:
			b.WriteString("<p>" + inlineHTML(bl.text) + "</p>\n")
		case blockItem:
			if i == 0 || blocks[i-1].kind != blockItem {
				b.WriteString("<ul>\n")
			}
			b.WriteString("<li>" + inlineHTML(bl.text) + "</li>\n")
			if i == len(blocks)-1 || blocks[i+1].kind != blockItem {
				b.WriteString("</ul>\n")
			}
		case blockTable:
			writeHTMLTable(b, bl.table, lang)
		case blockChart:
			writeSVGChart(b, bl.chart, lang)
		}
	}
}

// inlineHTML escapes text and turns **bold** into <strong>.
func inlineHTML(s string) string {
	var b strings.Builder
	for _, sp := range spans(s) {
		if sp.bold {
			b.WriteString("<strong>" + html.EscapeString(sp.text) + "</strong>")
		} else {
			b.WriteString(html.EscapeString(sp.text))
		}
	}
	return b.String()
}

func writeHTMLTable(b *strings.Builder, t *Table, lang string) {
	class := "data"
	if t.Landscape {
		class += " wide"
	}
	b.WriteString(`<div class="table"><table class="` + class + `">` + "\n")
	if t.Title != "" {
		b.WriteString("<caption>" + html.EscapeString(t.Title) + "</caption>\n")
	}
	b.WriteString("<thead><tr>")
	for _, c := range t.Columns {
		cls := ""
		if c.Right {
			cls = ` class="num"`
		}
		b.WriteString("<th scope=\"col\"" + cls + ">" + html.EscapeString(c.Header) + "</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	row := func(r []Cell) {
		b.WriteString("<tr>")
		for i, c := range r {
			var cls []string
			if c.numeric() || c.Kind == CellMark || i < len(t.Columns) && t.Columns[i].Right {
				cls = append(cls, "num")
			}
			if c.Tone != "" {
				cls = append(cls, c.Tone)
			}
			attr := ""
			if len(cls) > 0 {
				attr = ` class="` + strings.Join(cls, " ") + `"`
			}
			text := inlineHTML(c.String(lang))
			if c.Bold {
				text = "<strong>" + text + "</strong>"
			}
			b.WriteString("<td" + attr + ">" + text + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	for _, r := range t.Rows {
		row(r)
	}
	b.WriteString("</tbody>\n")
	if t.Total != nil {
		b.WriteString("<tfoot>")
		row(t.Total)
		b.WriteString("</tfoot>\n")
	}
	b.WriteString("</table></div>\n")
}

// writeSVGChart draws a bar chart as inline SVG.
func writeSVGChart(b *strings.Builder, c *Chart, lang string) {
	const w, h, left, bottom, top = 640.0, 240.0, 40.0, 40.0, 24.0
	n := len(c.Bars)
	if n == 0 {
		return
	}
	top0 := c.maxValue()
	if top0 == 0 {
		top0 = 1
	}
	slot := (w - left - 10) / float64(n)
	plotH := h - bottom - top
	fmt.Fprintf(b, `<figure class="chart"><svg viewBox="0 0 %g %g" role="img" aria-label="%s">`+"\n",
		w, h, html.EscapeString(c.Title))
	fmt.Fprintf(b, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="axis"/>`+"\n", left, h-bottom, w-10, h-bottom)
	for i, bar := range c.Bars {
		bh := plotH * bar.Value / top0
		x := left + float64(i)*slot + slot*0.15
		y := h - bottom - bh
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, x, y, slot*0.7, bh)
		if bar.Value > 0 {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" class="value">%s</text>`, x+slot*0.35, y-4, numfmt.Trim(bar.Value, 2, lang))
		}
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" class="tick">%s</text>`+"\n", x+slot*0.35, h-bottom+14, html.EscapeString(bar.Label))
	}
	fmt.Fprintf(b, `<text x="%g" y="%g" class="xlabel">%s</text>`+"\n", left+(w-left)/2, h-6, html.EscapeString(c.XLabel))
	fmt.Fprintf(b, `<text x="12" y="%g" class="ylabel" transform="rotate(-90 12 %g)">%s</text>`+"\n", top+plotH/2, top+plotH/2, html.EscapeString(c.YLabel))
	b.WriteString("</svg><figcaption>" + html.EscapeString(c.Title) + "</figcaption></figure>\n")
}
