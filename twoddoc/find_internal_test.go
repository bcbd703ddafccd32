package twoddoc

import (
	"errors"
	"image"
	"image/draw"
	_ "image/jpeg"
	"os"
	"strings"
	"testing"
	"time"

	"dossiercheck/fixtures"

	"github.com/makiuchi-d/gozxing"
)

// testdata/histogram-only.jpg is a generated tax notice's code as scanned
// (at its place on a 2499×3521 page): a symbol that gozxing's local
// binariser never reads in any window, and its page-wide one does. Find
// reads it.
func TestHistogramBinarizerFallback(t *testing.T) {
	f, err := os.Open("testdata/histogram-only.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	crop, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	page := image.NewGray(image.Rect(0, 0, 2499, 3521))
	for i := range page.Pix {
		page.Pix[i] = 0xff
	}
	at := image.Pt(1912, 88)
	draw.Draw(page, crop.Bounds().Sub(crop.Bounds().Min).Add(at), crop, crop.Bounds().Min, draw.Src)
	if _, _, err := search(page, inkyWindows(page), gozxing.NewHybridBinarizer); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the local binariser reads the symbol (%v): the test no longer shows the fallback", err)
	}
	raw, where, err := Find(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(raw, "DC03FR99") || !where.Overlaps(image.Rectangle{at, at.Add(crop.Bounds().Size())}) {
		t.Errorf("read %q at %v", raw, where)
	}
}

// A code scribbled over is no code read, nor a page without one: Find
// says where it seems printed.
func TestDamagedCodeIsUnreadable(t *testing.T) {
	issued := time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)
	code, err := fixtures.TwoDDoc(fixtures.Jean, issued)
	if err != nil {
		t.Fatal(err)
	}
	page := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: issued, TwoDDoc: code}.Render(200), fixtures.Defects{Noise: 6, Seed: 5})
	area, ok := codeArea(page)
	if !ok {
		t.Fatal("no code area on a coded bill")
	}
	// Ink the symbol's modules over its upper half the other way round.
	for y := area.Min.Y; y < area.Min.Y+area.Dy()/2; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			i := page.PixOffset(x, y)
			page.Pix[i] = 255 - page.Pix[i]
		}
	}
	_, where, err := Find(page)
	if !errors.Is(err, ErrUnreadable) || !where.Overlaps(area) {
		t.Errorf("damaged code: %v at %v (code at %v)", err, where, area)
	}
}
