package twoddoc_test

import (
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/twoddoc"
)

// A 2D-Doc signed with the FR00 test key, printed on a bill rendered and
// scanned at 200 dpi, is found, decoded and verified.
func TestFindOnScannedBill(t *testing.T) {
	issued := time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)
	code, err := fixtures.TwoDDoc(fixtures.Jean, issued)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := twoddoc.LoadCerts("testdata/certs")
	if err != nil {
		t.Fatal(err)
	}
	certs.AllowTest = true
	for _, dpi := range []float64{200, 300} {
		page := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: issued, TwoDDoc: code}.Render(dpi), fixtures.Defects{Noise: 6, Seed: 5, SkewDeg: 1})
		raw, where, err := twoddoc.Find(page)
		if err != nil {
			t.Fatalf("%v dpi: %v", dpi, err)
		}
		if raw != code {
			t.Fatalf("%v dpi: decoded %q", dpi, raw)
		}
		d, err := twoddoc.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		r := certs.Verify(d)
		// Signed in 2026 with a certificate valid 2012–2015.
		if !r.SignatureOK || r.Status != twoddoc.OutOfPeriod || !d.Issued.Equal(issued) || d.Fields["10"] != "M/DUPONT/JEAN MARC" {
			t.Errorf("%v dpi: %+v %+v", dpi, r, d)
		}
		t.Logf("%v dpi: found at %v", dpi, where)
	}
	if _, _, err := twoddoc.Find(fixtures.Bill{Holder: fixtures.Jean, Issue: issued}.Render(200)); err == nil {
		t.Error("found a 2D-Doc on a bill without one")
	}
}
