package forms

import (
	"context"
	"image"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"dossiercheck/classify"
	"dossiercheck/doctext"
	"dossiercheck/fixtures"
	"dossiercheck/fixtures/plainstyle"
	"dossiercheck/ocr"
	"dossiercheck/scan"
)

// A scanned M36 F02, filled by hand in capitals, skewed 2°: once
// deskewed and OCR'd, every field the rules use reads as on its fillable
// twin, and the guide's birth date stays the guide's.
func TestScannedF02(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR")
	}
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	f := fixtures.F02{Candidate: fixtures.Jean, NRN: fixtures.NRN(fixtures.Jean.BirthDate, 17), Model: "M36", TheoryDate: day(2025, 5, 12),
		ReadingTest: true, RequestDate: day(2026, 11, 2), RequestCity: "Namur", Signed: true, NoDisqualification: true,
		Guides: []fixtures.Guide{{Name: "DUPONT Marie", BirthDate: day(1975, 2, 10), CatBSince: day(2001, 3, 1), Declared: true}}}
	st, err := plainstyle.New()
	if err != nil {
		t.Fatal(err)
	}
	e, err := ocr.New(1, ocr.DefaultSettings, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	form := fixtures.PaperForm{Kind: fixtures.FormF02, Values: f.PaperValues()}
	for _, tt := range []struct {
		name string
		page func(r *rand.Rand) *image.Gray
		skew float64
	}{
		{"style 1, by hand", func(r *rand.Rand) *image.Gray { hand := form; hand.Hand = true; return hand.Render(r, 300) }, 2},
		{"style 2, typed", func(r *rand.Rand) *image.Gray { return st.FormPage(r, form, 300) }, -1.5},
	} {
		t.Run(tt.name, func(t *testing.T) { scannedF02(t, e, tt.page(rand.New(rand.NewPCG(3, 4))), tt.skew, f.NRN) })
	}
}

func scannedF02(t *testing.T, e *ocr.Engine, page *image.Gray, skew float64, nrn string) {
	page = fixtures.Scan(page, fixtures.Defects{SkewDeg: skew, Noise: 5, Seed: 1})
	straight, _ := scan.Deskew(page)
	p, _, err := e.Recognize(context.Background(), scan.PGM(straight), "f02")
	if err != nil {
		t.Fatal(err)
	}
	in := classify.Input{Text: p.Text(), Words: p.WordCount(), Pages: 1, Aspect: float64(straight.Rect.Dx()) / float64(straight.Rect.Dy())}
	if k := classify.Classify(in).Kind; k != classify.F02Form {
		t.Errorf("classified as %s", k)
	}
	s := f02(t)
	if os.Getenv("FORMS_DUMP") != "" {
		for _, l := range p.Lines {
			t.Logf("%q", l.Text)
			for _, w := range l.Words {
				t.Logf("   %q %v %.0f", w.Text, w.Box, w.Confidence)
			}
		}
	}
	digits := engineDigits(e, "f02")
	start := time.Now()
	v := FromPageDigits(s, []doctext.Page{p}, []*image.Gray{straight}, digits)
	t.Logf("read in %v", time.Since(start))
	want := map[string]string{
		"candidat_naissance": "03/02/1990", "theorie_date": "12/05/2025", "demande_date": "02/11/2026",
		"guide1_naissance": "10/02/1975", "guide1_cat_b_date": "01/03/2001", "guide2_nom_prenom": "",
		"modele_m18": "", "modele_m36": "true", "modele_m12": "", "test_lecture": "true", "declaration_decheance": "true",
		"guide1_declaration": "true", "signature_demandeur": "signed", "guide1_signature": "signed", "guide2_signature": "",
	}
	for key, w := range want {
		if got := v[key]; got.Text != w || got.Doubt != "" {
			t.Errorf("%s = %q (doubt %q), want %q", key, got.Text, got.Doubt, w)
		}
	}
	// The national number, handwritten, may not read: then it is
	// doubtful, never another number.
	if got := v["candidat_rrn"]; got.Doubt == "" && got.Text != nrn {
		t.Errorf("candidat_rrn = %q without doubt, want %q", got.Text, nrn)
	}
	if name, _, ok := s.Name(v); !ok || !strings.EqualFold(name, "DUPONT Jean Marc") {
		t.Errorf("name %q %v", name, ok)
	}
	births := 0
	for _, d := range s.Dates(v) {
		if d.Role == RoleBirth {
			births++
			if !d.Date.Equal(fixtures.Jean.BirthDate) {
				t.Errorf("birth %v", d.Date)
			}
		}
	}
	if births != 1 {
		t.Errorf("%d birth dates", births)
	}
}

// engineDigits reads crops with the engine's digits whitelist, as the
// pipeline does.
func engineDigits(e *ocr.Engine, source string) Digits {
	return func(crop *image.Gray) (string, float64, error) {
		np, _, err := e.RecognizeNumber(context.Background(), scan.PGM(crop), source)
		text, conf := np.Run()
		return text, conf, err
	}
}
