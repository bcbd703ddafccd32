package scan_test

import (
	"context"
	"errors"
	"image"
	"math"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/scan"
)

var (
	page0Issue = time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)
	page       = fixtures.Bill{Holder: fixtures.Jean, Issue: page0Issue}.Render(300)
)

func TestDeskewStraightens(t *testing.T) {
	for _, deg := range []float64{-5, -2, 0, 3, 5} {
		skewed := fixtures.Scan(page, fixtures.Defects{SkewDeg: deg, Noise: 6, Seed: 2})
		straight, corrected := scan.Deskew(skewed)
		if math.Abs(corrected+deg) > 0.4 {
			t.Errorf("skew %v°: corrected by %v°", deg, corrected)
		}
		if left := scan.Skew(straight); math.Abs(left) > 0.3 {
			t.Errorf("skew %v°: %v° left after deskew", deg, left)
		}
	}
}

// The thresholds of scan.Measure, on both sides.
func TestQuality(t *testing.T) {
	tests := []struct {
		name          string
		img           func() *scan.Quality
		blank, blurry bool
	}{
		{"sharp scan", q(fixtures.Scan(page, fixtures.Defects{Noise: 6, Seed: 1})), false, false},
		{"slightly soft scan", q(fixtures.Scan(page, fixtures.Defects{Blur: 1, Noise: 4, Seed: 1})), false, false},
		{"blurred", q(fixtures.Scan(page, fixtures.Defects{Blur: 6})), false, true},
		{"blank", q(fixtures.A4(300).Img), true, false},
		{"blank with scanner noise", q(fixtures.Scan(fixtures.A4(300).Img, fixtures.Defects{Noise: 3, Seed: 1})), true, false},
		{"photo", q(fixtures.Photo(300)), false, false},
	}
	for _, tt := range tests {
		got := tt.img()
		if got.Blank != tt.blank || got.Blurry != tt.blurry {
			t.Errorf("%s: %+v", tt.name, *got)
		}
	}
}

func q(g *image.Gray) func() *scan.Quality {
	return func() *scan.Quality {
		r := scan.Measure(g)
		return &r
	}
}

func TestDecodeLimits(t *testing.T) {
	g, err := scan.Decode(fixtures.PNG(fixtures.Photo(100)), scan.DefaultMaxPixels)
	if err != nil || g.Rect.Dx() == 0 {
		t.Fatalf("photo: %v", err)
	}
	if _, err := scan.Decode(fixtures.BombPNG(30000, 30000), scan.DefaultMaxPixels); !errors.Is(err, scan.ErrTooLarge) {
		t.Errorf("bomb: %v", err)
	}
	if _, err := scan.Decode([]byte("\x89PNG\r\n\x1a\ngarbage"), scan.DefaultMaxPixels); err == nil {
		t.Error("garbage decoded")
	}
}

func TestPGMRoundTrip(t *testing.T) {
	g := fixtures.Photo(100)
	back, err := scan.ParsePGM(scan.PGM(g), scan.DefaultMaxPixels)
	if err != nil || back.Rect != g.Rect || string(back.Pix) != string(g.Pix) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := scan.ParsePGM(scan.PGM(g), 10); !errors.Is(err, scan.ErrTooLarge) {
		t.Errorf("limit: %v", err)
	}
	if _, err := scan.ParsePGM([]byte("P5\n10 10\n255\nshort"), 1000); err == nil {
		t.Error("truncated PGM accepted")
	}
}

func TestSplitTIFF(t *testing.T) {
	p1, p2 := fixtures.Photo(100), fixtures.NewCanvas(50, 30, 100).Img
	pages, err := scan.SplitTIFF(context.Background(), fixtures.TIFF(p1, p2))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	for i, want := range []*image.Gray{p1, p2} {
		g, err := scan.Decode(pages[i], scan.DefaultMaxPixels)
		if err != nil || g.Rect.Dx() != want.Rect.Dx() || g.Rect.Dy() != want.Rect.Dy() {
			t.Errorf("page %d: %v %v", i+1, err, g)
		}
	}
}

func TestRotate90(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(g.Pix, []byte{1, 2, 3, 4, 5, 6}) // 1 2 3 / 4 5 6
	cw := scan.Rotate90(g, true)          // 4 1 / 5 2 / 6 3
	if cw.Rect.Dx() != 2 || cw.Rect.Dy() != 3 || string(cw.Pix) != string([]byte{4, 1, 5, 2, 6, 3}) {
		t.Errorf("clockwise: %v", cw.Pix)
	}
	back := scan.Rotate90(cw, false)
	if string(back.Pix) != string(g.Pix) {
		t.Errorf("a quarter turn back: %v", back.Pix)
	}
}

func TestPad(t *testing.T) {
	g := image.NewGray(image.Rect(10, 20, 13, 22)) // a sub-image's origin need not be 0
	for i := range g.Pix {
		g.Pix[i] = 7
	}
	p := scan.Pad(g, 2, 255)
	if p.Rect.Dx() != 7 || p.Rect.Dy() != 6 {
		t.Fatalf("padded size %v", p.Rect)
	}
	if p.GrayAt(0, 0).Y != 255 || p.GrayAt(2, 2).Y != 7 || p.GrayAt(4, 3).Y != 7 || p.GrayAt(5, 3).Y != 255 {
		t.Errorf("padding or content misplaced: %v", p.Pix)
	}
}
