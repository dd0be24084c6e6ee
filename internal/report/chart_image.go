package report

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	fontdata "github.com/ntm-vn/ntm/data/fonts"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/report/docx"
)

// The chart picture of the DOCX: drawn as the PDF draws it (pdf.go, chart), on a canvas of
// chartW × chartH pixels shown chartMM wide, about 250 dots per inch, so it prints sharp.
const (
	chartW, chartH = 1700, 820
	chartMM        = 160.0
)

// chartFonts are the serif faces of the document (Liberation Serif, metric-compatible with
// Times New Roman, data/fonts), parsed once.
var chartFonts = sync.OnceValues(func() (map[string]*opentype.Font, error) {
	out := map[string]*opentype.Font{}
	for name, b := range map[string][]byte{"": fontdata.SerifRegular, "B": fontdata.SerifBold} {
		f, err := opentype.Parse(b)
		if err != nil {
			return nil, err
		}
		out[name] = f
	}
	return out, nil
})

// chartImage draws a chart as a PNG for the DOCX: the title, the axes, a bar per value with
// the value above it and its label below, the x label under the axis and the y label turned a
// quarter. false when there is nothing to draw or the fonts cannot be read; the document then
// goes on without the picture, as it does for a chart with no bars.
func chartImage(c *Chart, lang string) (docx.Image, bool) {
	if c == nil || len(c.Bars) == 0 {
		return docx.Image{}, false
	}
	fonts, err := chartFonts()
	if err != nil {
		return docx.Image{}, false
	}
	face := func(style string, px float64) font.Face {
		f, _ := opentype.NewFace(fonts[style], &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
		return f
	}
	img := image.NewRGBA(image.Rect(0, 0, chartW, chartH))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	text, muted, rule, bar := rgb(colText), rgb(colMuted), rgb(colRule), rgb(colBar)

	title, small, axis := face("B", 38), face("", 26), face("", 29)
	drawText(img, title, text, 20, 48, c.Title)
	left, top, right, base := 130, 120, chartW-40, chartH-120
	fillRect(img, image.Rect(left, base, right, base+3), rule)
	fillRect(img, image.Rect(left-3, top-10, left, base+3), rule)
	peak := c.maxValue()
	if peak == 0 {
		peak = 1
	}
	slot := float64(right-left) / float64(len(c.Bars))
	for i, b := range c.Bars {
		x0 := left + int(float64(i)*slot+slot*0.15)
		x1 := left + int(float64(i)*slot+slot*0.85)
		mid := (x0 + x1) / 2
		h := int(float64(base-top) * b.Value / peak)
		if h > 0 {
			fillRect(img, image.Rect(x0, base-h, x1, base), bar)
			v := numfmt.Trim(b.Value, 2, lang)
			drawText(img, small, text, mid-textWidth(small, v)/2, base-h-10, v)
		}
		drawText(img, small, muted, mid-textWidth(small, b.Label)/2, base+34, b.Label)
	}
	drawText(img, axis, muted, (left+right)/2-textWidth(axis, c.XLabel)/2, base+84, c.XLabel)
	if c.YLabel != "" {
		// Drawn level on a strip of its own, then turned a quarter to the left.
		w := textWidth(axis, c.YLabel) + 8
		strip := image.NewRGBA(image.Rect(0, 0, w, 40))
		draw.Draw(strip, strip.Bounds(), image.White, image.Point{}, draw.Src)
		drawText(strip, axis, muted, 4, 30, c.YLabel)
		cy := (top + base) / 2
		for y := 0; y < 40; y++ {
			for x := 0; x < w; x++ {
				tx, ty := 40+y, cy+w/2-x
				if image.Pt(tx, ty).In(img.Bounds()) {
					img.Set(tx, ty, strip.At(x, y))
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return docx.Image{}, false
	}
	return docx.Image{PNG: buf.Bytes(), WidthPx: chartW, HeightPx: chartH, WidthMM: chartMM, Align: docx.Center, Description: c.Title}, true
}

func rgb(c [3]int) color.RGBA { return color.RGBA{uint8(c[0]), uint8(c[1]), uint8(c[2]), 255} }

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

func drawText(img draw.Image, f font.Face, c color.RGBA, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func textWidth(f font.Face, s string) int { return font.MeasureString(f, s).Ceil() }
