package report

import (
	"bytes"
	"regexp"
	"strings"
)

// A report is written as blocks: the bulletin's layout produces Markdown, which is read back
// into blocks for HTML and PDF; a table report is built as blocks and written out as
// Markdown. Only the Markdown the layouts use is read: headings (#, ##, ###), paragraphs,
// list items ("- "), pipe tables, **bold**, and the chart marker <!-- chart: NAME -->.

type blockKind int

const (
	blockH1 blockKind = iota + 1
	blockH2
	blockH3
	blockPara
	blockItem
	blockTable
	blockChart
)

type block struct {
	kind  blockKind
	text  string // inline text, with **bold**
	table *Table
	chart *Chart
}

var chartMarker = regexp.MustCompile(`^<!--\s*chart:\s*([a-z0-9_-]+)\s*-->$`)

// parseMarkdown reads Markdown into blocks; charts names the charts markers may place.
func parseMarkdown(src []byte, charts map[string]*Chart) []block {
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	var out []block
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, block{kind: blockPara, text: strings.Join(para, " ")})
			para = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		trim := strings.TrimSpace(line)
		switch {
		case trim == "":
			flush()
		case strings.HasPrefix(trim, "### "):
			flush()
			out = append(out, block{kind: blockH3, text: strings.TrimSpace(trim[4:])})
		case strings.HasPrefix(trim, "## "):
			flush()
			out = append(out, block{kind: blockH2, text: strings.TrimSpace(trim[3:])})
		case strings.HasPrefix(trim, "# "):
			flush()
			out = append(out, block{kind: blockH1, text: strings.TrimSpace(trim[2:])})
		case strings.HasPrefix(trim, "- "):
			flush()
			item := strings.TrimSpace(trim[2:])
			// A continuation line (indented, not a new item) belongs to the item.
			for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "  ") && !strings.HasPrefix(strings.TrimSpace(lines[i+1]), "- ") &&
				strings.TrimSpace(lines[i+1]) != "" {
				i++
				item += " " + strings.TrimSpace(lines[i])
			}
			out = append(out, block{kind: blockItem, text: item})
		case strings.HasPrefix(trim, "|"):
			flush()
			j := i
			for j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "|") {
				j++
			}
			if t := parseTable(lines[i:j]); t != nil {
				out = append(out, block{kind: blockTable, table: t})
			}
			i = j - 1
		case chartMarker.MatchString(trim):
			flush()
			if c := charts[chartMarker.FindStringSubmatch(trim)[1]]; c != nil {
				out = append(out, block{kind: blockChart, chart: c})
			}
		default:
			para = append(para, trim)
		}
	}
	flush()
	return out
}

// splitRow splits a pipe-table row into its cells.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	parts := strings.Split(line, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

var separatorCell = regexp.MustCompile(`^:?-{3,}:?$`)

func parseTable(lines []string) *Table {
	if len(lines) < 2 {
		return nil
	}
	head, sep := splitRow(lines[0]), splitRow(lines[1])
	if len(sep) != len(head) {
		return nil
	}
	t := &Table{Columns: make([]Column, len(head))}
	for i, h := range head {
		if !separatorCell.MatchString(sep[i]) {
			return nil
		}
		t.Columns[i] = Column{Header: h, Right: strings.HasSuffix(sep[i], ":")}
	}
	for _, l := range lines[2:] {
		cells := splitRow(l)
		row := make([]Cell, len(head))
		for i := range row {
			if i < len(cells) {
				row[i] = Cell{Kind: CellText, Text: mdUnescape(cells[i])}
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// span is a run of inline text, bold or not.
type span struct {
	text string
	bold bool
}

// spans splits inline text at its ** marks (an escaped \* is not one).
func spans(s string) []span {
	parts := strings.Split(s, "**")
	out := make([]span, 0, len(parts))
	for i, p := range parts {
		if p != "" {
			out = append(out, span{text: mdUnescape(p), bold: i%2 == 1})
		}
	}
	return out
}

// plain is inline text without its marks.
func plain(s string) string { return mdUnescape(strings.ReplaceAll(s, "**", "")) }

// mdSpecial are the characters escaped in text users wrote (task titles, names of criteria
// sets…) so that it stays text in the Markdown: no HTML (<script>), no bold, links, code
// or table cells of its own.
const mdSpecial = "\\`*_[]<>|&#"

// mdEscape makes user text literal Markdown text on one line (the layouts' md helper).
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case strings.ContainsRune(mdSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdUnescape reads back what mdEscape wrote, for HTML and PDF.
func mdUnescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(mdSpecial, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// writeMarkdown writes blocks as Markdown.
func writeMarkdown(blocks []block, lang string) []byte {
	var b bytes.Buffer
	for i, bl := range blocks {
		if i > 0 && !(bl.kind == blockItem && blocks[i-1].kind == blockItem) {
			b.WriteString("\n")
		}
		switch bl.kind {
		case blockH1:
			b.WriteString("# " + bl.text + "\n")
		case blockH2:
			b.WriteString("## " + bl.text + "\n")
		case blockH3:
			b.WriteString("### " + bl.text + "\n")
		case blockPara:
			b.WriteString(bl.text + "\n")
		case blockItem:
			b.WriteString("- " + bl.text + "\n")
		case blockTable:
			writeMarkdownTable(&b, bl.table, lang)
		case blockChart:
			b.WriteString("<!-- chart: " + bl.chart.Name + " -->\n")
		}
	}
	return b.Bytes()
}

func writeMarkdownTable(b *bytes.Buffer, t *Table, lang string) {
	cell := func(s string) string { return strings.ReplaceAll(s, "|", "/") }
	b.WriteString("|")
	for _, c := range t.Columns {
		b.WriteString(" " + cell(c.Header) + " |")
	}
	b.WriteString("\n|")
	for _, c := range t.Columns {
		if c.Right {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	row := func(r []Cell) {
		b.WriteString("|")
		for _, c := range r {
			s := cell(c.String(lang))
			if c.Bold && s != "" {
				s = "**" + s + "**"
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteString("\n")
	}
	for _, r := range t.Rows {
		row(r)
	}
	if t.Total != nil {
		row(t.Total)
	}
}

// tidy removes the blank lines a layout's actions leave: at most one empty line in a row,
// none at the start, trailing spaces trimmed, one final newline.
func tidy(src []byte) []byte {
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	var out []string
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		// A list item or table row right after another needs no blank line between them.
		if len(out) > 1 && out[len(out)-1] == "" && sameRun(out[len(out)-2], l) {
			out = out[:len(out)-1]
		}
		out = append(out, l)
		blank = false
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

func sameRun(prev, next string) bool {
	p, n := strings.TrimSpace(prev), strings.TrimSpace(next)
	return strings.HasPrefix(p, "- ") && strings.HasPrefix(n, "- ") || strings.HasPrefix(p, "|") && strings.HasPrefix(n, "|")
}

// withoutChartMarkers drops the chart markers' lines from Markdown, and the blank line each
// leaves behind.
func withoutChartMarkers(md []byte) []byte {
	var out [][]byte
	for _, line := range bytes.Split(md, []byte("\n")) {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("<!-- chart: ")) {
			continue
		}
		out = append(out, line)
	}
	return tidy(bytes.Join(out, []byte("\n")))
}
