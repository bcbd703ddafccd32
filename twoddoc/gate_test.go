package twoddoc

import (
	"image"
	"testing"
	"time"

	"dossiercheck/fixtures"
)

// The gate lets through bills and tax notices printed with their 2D-Doc
// (0.5 mm modules) at 200 and 300 dpi, and a code alone with the
// specification's recommended 0.4 mm modules at 200 dpi or large 1 mm
// ones at 300 dpi; it turns away the same bills without a code, straight
// or skewed, and a blank page.
func TestGate(t *testing.T) {
	issued := time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)
	code, err := fixtures.TwoDDoc(fixtures.Jean, issued)
	if err != nil {
		t.Fatal(err)
	}
	for _, dpi := range []float64{200, 300} {
		for _, layout := range fixtures.BillLayouts {
			bill := fixtures.Bill{Holder: fixtures.Jean, Issue: issued, Layout: layout}
			for _, skew := range []float64{0, 2} {
				page := fixtures.Scan(bill.Render(dpi), fixtures.Defects{Noise: 6, Seed: 3, SkewDeg: skew})
				if hasArea(page) {
					t.Errorf("%v dpi, layout %q, skew %v°: a page without a code passes the gate", dpi, layout, skew)
				}
			}
			bill.TwoDDoc = code
			coded := fixtures.Scan(bill.Render(dpi), fixtures.Defects{Noise: 6, Seed: 3})
			if raw, _, err := Find(coded); err != nil || raw != code {
				t.Errorf("%v dpi, layout %q: %v", dpi, layout, err)
			}
		}
	}
	for _, tc := range []struct{ dpi, module float64 }{{200, 0.4}, {300, 1}} {
		c := fixtures.A4(tc.dpi)
		if err := c.DataMatrix(150, 12, tc.module, code); err != nil {
			t.Fatal(err)
		}
		if page := fixtures.Scan(c.Img, fixtures.Defects{Noise: 6, Seed: 3}); !hasArea(page) {
			t.Errorf("%v dpi, %v mm modules: the gate turns the code away", tc.dpi, tc.module)
		}
	}
	blank := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range blank.Pix {
		blank.Pix[i] = 250
	}
	if hasArea(blank) {
		t.Error("a blank page passes the gate")
	}
}

func hasArea(g *image.Gray) bool {
	_, ok := codeArea(g)
	return ok
}
