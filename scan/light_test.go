package scan_test

import (
	"image"
	"math"
	"testing"

	"dossiercheck/fixtures"
	"dossiercheck/scan"
)

// A page lit from one side measures uneven; evened, its paper is level
// again and its print still dark.
func TestEvenLight(t *testing.T) {
	lit := image.NewGray(page.Rect)
	w := float64(page.Rect.Dx())
	for y := range page.Rect.Dy() {
		for x := range page.Rect.Dx() {
			f := 1 - 0.5*float64(x)/w // half the light on the right
			lit.Pix[y*lit.Stride+x] = uint8(float64(page.Pix[y*page.Stride+x]) * f)
		}
	}
	if u := scan.Unevenness(lit); u < 0.4 || u > 0.55 {
		t.Errorf("page lit from one side: unevenness %.2f, want about 0.5", u)
	}
	even := scan.EvenLight(lit)
	if u := scan.Unevenness(even); u > 0.05 {
		t.Errorf("evened page: unevenness %.2f", u)
	}
	// Paper on both sides near white, ink on the dim side still ink.
	for _, x := range []int{40, page.Rect.Dx() - 40} {
		if v := even.GrayAt(x, 40).Y; math.Abs(float64(v)-240) > 12 {
			t.Errorf("paper at x=%d: %d, want about 240", x, v)
		}
	}
	dark, n := 0, 0
	for i, v := range page.Pix {
		if v < 60 {
			n++
			if even.Pix[i] < 100 {
				dark++
			}
		}
	}
	if dark*10 < n*9 {
		t.Errorf("only %d of %d ink pixels still dark", dark, n)
	}
	// Flatbed scans are evenly lit: below the level that evens a page.
	for _, g := range []*image.Gray{fixtures.Scan(page, fixtures.Defects{SkewDeg: 2, Noise: 6, Seed: 1}), fixtures.Fax(page, 300, 1)} {
		if u := scan.Unevenness(g); u > 0.1 {
			t.Errorf("flatbed scan: unevenness %.2f", u)
		}
	}
}

// Text size: a 300 dpi page needs no scaling, nor does a 150 dpi fax
// (x-height above Tesseract's 10 px floor); a 75 dpi page does, to about
// 20 px.
func TestTextScale(t *testing.T) {
	tests := []struct {
		name   string
		g      *image.Gray
		lo, hi float64 // x-height
		scaled bool
	}{
		{"300 dpi", page, 20, 32, false},
		{"150 dpi fax", fixtures.Fax(page, 300, 1), 10, 16, false},
		{"75 dpi", scan.Scale(page, 0.25), 4, 9.9, true},
	}
	for _, tt := range tests {
		xh, f := scan.XHeight(tt.g), scan.TextScale(tt.g)
		if xh < tt.lo || xh > tt.hi || (f > 1) != tt.scaled {
			t.Errorf("%s: x-height %.0f, scale %.2f", tt.name, xh, f)
		}
		if f > 1 && (xh*f < 18 || xh*f > 22) {
			t.Errorf("%s: scaled x-height %.1f, want about 20", tt.name, xh*f)
		}
	}
}

func TestSideways(t *testing.T) {
	tests := []struct {
		name string
		g    *image.Gray
		want bool
	}{
		{"upright scan", fixtures.Scan(page, fixtures.Defects{SkewDeg: 4, Noise: 5, Seed: 1}), false},
		{"upright fax", fixtures.Fax(page, 300, 2), false},
		{"turned clockwise", scan.Rotate90(page, true), true},
		{"landscape scan", fixtures.Landscape(page, 3), true},
		{"blank", fixtures.A4(150).Img, false},
	}
	for _, tt := range tests {
		if got := scan.Sideways(tt.g); got != tt.want {
			t.Errorf("%s: Sideways = %v", tt.name, got)
		}
	}
}
