package report

import (
	"bytes"
	"image/png"
	"os"
	"testing"
)

// TestChartImage: the DOCX's chart is a real picture: a PNG of the declared size whose bars
// stand in proportion to their values, with text drawn above them.
func TestChartImage(t *testing.T) {
	c := distributionChart("vi", "xã", []Bar{{"≤5", 1}, {"10", 4}, {"15", 2}, {"19", 8}})
	img, ok := chartImage(c, "vi")
	if !ok {
		t.Fatal("no picture")
	}
	if dir := os.Getenv("NTM_CHART_PNG"); dir != "" {
		os.WriteFile(dir, img.PNG, 0o644)
	}
	pic, err := png.Decode(bytes.NewReader(img.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if b := pic.Bounds(); b.Dx() != img.WidthPx || b.Dy() != img.HeightPx || img.WidthMM <= 0 {
		t.Fatalf("picture %v, declared %d×%d px, %v mm", b, img.WidthPx, img.HeightPx, img.WidthMM)
	}
	// The height of each bar: the run of bar colour in the middle of its slot.
	barColumn := func(i int) int {
		slot := float64(chartW-40-130) / 4
		x := 130 + int(float64(i)*slot+slot/2)
		n := 0
		for y := range chartH {
			r, g, b, _ := pic.At(x, y).RGBA()
			if [3]int{int(r >> 8), int(g >> 8), int(b >> 8)} == colBar {
				n++
			}
		}
		return n
	}
	h1, h8 := barColumn(0), barColumn(3)
	if h1 == 0 || h8 < 7*h1 || h8 > 9*h1 {
		t.Errorf("bars of 1 and 8: %d and %d px tall, want 1:8", h1, h8)
	}
	// The title is drawn: dark pixels in its band.
	dark := 0
	for y := 10; y < 60; y++ {
		for x := 0; x < chartW; x++ {
			if r, _, _, _ := pic.At(x, y).RGBA(); r>>8 < 100 {
				dark++
			}
		}
	}
	if dark < 500 {
		t.Errorf("title band has %d dark pixels: no title drawn", dark)
	}
	if _, ok := chartImage(&Chart{Title: "trống"}, "vi"); ok {
		t.Error("a chart without bars drew a picture")
	}
}
