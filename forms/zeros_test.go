package forms

import (
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"dossiercheck/fixtures"
	"dossiercheck/fixtures/plainstyle"
	"dossiercheck/ocr"
	"dossiercheck/scan"
)

// glyphFace draws s at dpi in one of the faces the forms are filled in:
// Go Regular and Go Mono (slashed zero), DejaVu Sans Mono Bold (dotted
// zero), or Go Mono letters placed by a hand; the page is scanned with
// noise and JPEG loss.
func glyphPage(t *testing.T, face, s string, dpi float64) *image.Gray {
	return glyphPageBlur(t, face, s, dpi, 0)
}

// glyphPageBlur is glyphPage scanned with a Gaussian blur of sigma pixels.
func glyphPageBlur(t *testing.T, face, s string, dpi, blur float64) *image.Gray {
	t.Helper()
	c := fixtures.NewCanvas(20+4*float64(len(s)), 14, dpi)
	switch face {
	case "regular", "mono":
		c.Text(5, 10, 11, face, s)
	case "hand":
		c.Written(5, 10, s, true, rand.New(rand.NewPCG(1, 2)))
	case "dejavu":
		b, err := os.ReadFile(filepath.Join(plainstyle.FontDir, "DejaVuSansMono-Bold.ttf"))
		if err != nil {
			t.Skip("no DejaVu fonts")
		}
		ft, err := opentype.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		fc, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: 11, DPI: dpi, Hinting: font.HintingFull})
		if err != nil {
			t.Fatal(err)
		}
		d := font.Drawer{Dst: c.Img, Src: image.Black, Face: fc, Dot: fixed.P(int(5/25.4*dpi), int(10/25.4*dpi))}
		d.DrawString(s)
	}
	img, err := scan.Decode(fixtures.JPEG(fixtures.Scan(c.Img, fixtures.Defects{Noise: 4, Seed: 3, Blur: blur}), 85), scan.DefaultMaxPixels)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// glyphShape: the holes of the crop's largest ink component, and whether
// one holds ink of another component.
func glyphShape(g *image.Gray) (holes int, inked bool) {
	holes, inked, _ = glyphHoles(g)
	return holes, inked
}

// glyphHoles is glyphShape, and whether two holes lie one above the
// other.
func glyphHoles(g *image.Gray) (holes int, inked, stacked bool) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dark := darkLevel(g, g.Rect)
	ink := make([]bool, w*h)
	for y := range h {
		for x := range w {
			ink[y*w+x] = g.Pix[g.PixOffset(g.Rect.Min.X+x, g.Rect.Min.Y+y)] < dark
		}
	}
	var big scan.Region
	for _, c := range scan.Components(ink, w, h, true) {
		if len(c.Pts) > len(big.Pts) {
			big = c
		}
	}
	hs := holesOf(big, ink, w, big.Box)
	for _, x := range hs {
		inked = inked || x.inked
	}
	return len(hs), inked, len(hs) == 2 && !sideBySide(hs[0].Box, hs[1].Box, true)
}

// A zero with a slash or a dot comes out a plain ring, the dot left
// inside its hole or run into the ring by a blur (two holes one above
// the other, as an 8's); every other digit, the 8 first, comes out as it
// was, pixel for pixel.
func TestPlainZeros(t *testing.T) {
	shapes := map[string]bool{}
	for _, face := range []string{"regular", "mono", "hand", "dejavu"} {
		for _, dpi := range []float64{200, 300} {
			for _, blur := range []float64{0, 1.2} {
				name := fmt.Sprintf("%s %v dpi blur %v", face, dpi, blur)
				zero := glyphPageBlur(t, face, "0", dpi, blur)
				n, inked, stacked := glyphHoles(zero)
				if n < 2 && !inked {
					t.Errorf("%s: the zero has no mark (%d holes): the test draws the wrong face", name, n)
				}
				shapes[fmt.Sprintf("%d holes, ink inside %v, stacked %v", n, inked, stacked)] = true
				if n, inked := glyphShape(plainZeros(zero, true)); n != 1 || inked {
					t.Errorf("%s: plain zero has %d holes, ink inside %v; want a ring", name, n, inked)
				}
				// Strict (a date's): a slash across the ring or a dot
				// apart, as printed or written without blur.
				if n, inked := glyphShape(plainZeros(zero, false)); blur == 0 && (n != 1 || inked) {
					t.Errorf("%s: strictly plain zero has %d holes, ink inside %v; want a ring", name, n, inked)
				}
				for _, d := range []string{"8", "6", "9", "4", "1", "3", "5"} {
					g := glyphPageBlur(t, face, d, dpi, blur)
					if out := plainZeros(g, true); !samePixels(out, g) {
						t.Errorf("%s: %s changed", name, d)
					}
				}
			}
		}
	}
	// The three marks: a dot apart, a dot run into the ring, a slash.
	for _, want := range []string{"1 holes, ink inside true, stacked false", "2 holes, ink inside false, stacked true", "2 holes, ink inside false, stacked false"} {
		if !shapes[want] {
			t.Errorf("no zero drawn with %s: %v", want, shapes)
		}
	}
}

// A doubtful national number, date or number is read again by its
// digits: printed national numbers whose zeros are slashed or dotted,
// and a lone digit, read right; a national number whose check digits do
// not hold stays doubtful.
func TestReread(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR")
	}
	e, err := ocr.New(1, ocr.DefaultSettings, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	digits := engineDigits(e, "forms-test")
	s := f02(t)
	nrn, _ := s.Field("candidat_rrn")
	beds := Field{Key: "nombre_lits", Type: Number}
	exam, _ := s.Field("theorie_date")
	for _, tt := range []struct {
		face, text string
		f          Field
		want       string // "" : stays doubtful
	}{
		{"regular", "85113099564", nrn, "85113099564"},
		{"mono", "90020325111", nrn, "90020325111"},
		{"hand", "90020357872", nrn, "90020357872"},
		{"dejavu", "01071490832", nrn, "01071490832"},
		{"mono", "90020325112", nrn, ""}, // check digits off by one
		{"hand", "05/11/2022", exam, "05/11/2022"},
		{"mono", "20/10/2008", exam, "20/10/2008"},
		{"dejavu", "10/02/2025", exam, "10/02/2025"},
		{"hand", "1", beds, "1"},
		{"dejavu", "1", beds, "1"},
		{"mono", "4", beds, "4"},
	} {
		for _, dpi := range []float64{200, 300} {
			g := glyphPage(t, tt.face, tt.text, dpi)
			_, box := ink(g, g.Rect, nil, 0)
			v := reread(Value{Key: tt.f.Key, Doubt: "first reading doubtful", BBox: box}, tt.f, &cell{h: box.Dy() * 3 / 2}, g, digits, image.Rectangle{})
			switch {
			case tt.want == "" && v.Doubt == "":
				t.Errorf("%s %s at %v dpi: read %q without doubt, want a doubt", tt.face, tt.text, dpi, v.Text)
			case tt.want != "" && (v.Doubt != "" || v.Text != tt.want):
				t.Errorf("%s %s at %v dpi: read %q (doubt %q), want %q", tt.face, tt.text, dpi, v.Text, v.Doubt, tt.want)
			}
		}
	}
}

// A date read in pieces (« 5 » of 05/11/2022, the rest dropped) is read
// again whole where its ink lies (wholeDate's zone), and kept when it
// reads as one date.
func TestRereadWholeDate(t *testing.T) {
	e, err := ocr.New(1, ocr.DefaultSettings, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	digits := engineDigits(e, "")
	s := f02(t)
	exam, _ := s.Field("theorie_date")
	g := glyphPage(t, "mono", "05/11/2022", 300)
	_, box := ink(g, g.Rect, nil, 0)
	piece := image.Rect(box.Min.X, box.Min.Y, box.Min.X+box.Dx()/10, box.Max.Y)
	v := Value{Key: exam.Key, Text: "5", Doubt: "no single date read", BBox: piece}
	h := box.Dy() * 3 / 2
	if got := reread(v, exam, &cell{h: h}, g, digits, box.Inset(-h/4)); got.Text != "05/11/2022" || got.Doubt != "" {
		t.Errorf("read whole: %+v", got)
	}
	if got := reread(v, exam, &cell{h: h}, g, digits, image.Rectangle{}); got.Doubt == "" {
		t.Errorf("the piece alone read without doubt: %+v", got)
	}
}

func samePixels(a, b *image.Gray) bool {
	if a.Rect != b.Rect {
		return false
	}
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			if a.GrayAt(x, y) != b.GrayAt(x, y) {
				return false
			}
		}
	}
	return true
}
