package pipeline_test

import (
	"context"
	"fmt"
	"image"
	"os"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"dossiercheck/fixtures"
	"dossiercheck/pipeline"
	"dossiercheck/report"
)

// frenchOnly is the engine without its zone model: only the methods of
// pipeline.Recognizer show.
type frenchOnly struct{ pipeline.Recognizer }

// French cards whose zone the French model misreads at every height (a 6
// read O, a 9 read 0 in the document number, and the number's check digit
// with them) hold every check digit once read with the zone model.
func TestZoneReadWithZoneModel(t *testing.T) {
	p := newPipeline(t)
	expiry := time.Date(2032, 11, 10, 0, 0, 0, 0, time.UTC)
	nguyen := fixtures.Person{LastName: "NGUYEN", FirstNames: "Thi Mai", BirthDate: time.Date(1978, 2, 28, 0, 0, 0, 0, time.UTC), Sex: "F"}
	cards := []struct {
		holder fixtures.Person
		number string
		skew   float64
	}{
		{nguyen, "T6NT4PFW4", 0.4},
		{nguyen, "T6NT4PFW4", -0.6},
		{fixtures.Jean, "U1AT9PFW4", 0.5},
		{fixtures.Jean, "U5QT5PFW6", -0.3},
	}
	birth := func(p *pipeline.Pipeline, i int) report.Outcome {
		c := cards[i]
		img := fixtures.IDCardZone(c.holder, c.number, expiry, fixtures.TD1(c.holder, c.number, expiry), 600)
		jpg := fixtures.JPEG(fixtures.Scan(img, fixtures.Defects{SkewDeg: c.skew, Noise: 4, Seed: uint64(i)}), 90)
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-controle-medical", Submitted: submitted,
			Files: []pipeline.File{{Name: "cni.jpg", Data: jpg}}})
		if err != nil {
			t.Fatal(err)
		}
		if f := findRule(rep, "ID-BIRTH"); f != nil {
			return f.Outcome
		}
		return ""
	}
	french := *p
	french.OCR = frenchOnly{p.OCR}
	for i, c := range cards {
		with, without := birth(p, i), birth(&french, i)
		t.Logf("%s %s: %s with the zone model, %s without", c.holder.LastName, c.number, with, without)
		if with != report.Pass {
			t.Errorf("%s %s: birth date %s, want pass", c.holder.LastName, c.number, with)
		}
	}
}

// A card's zone printed in a monospaced font other than the generators'
// OCR-B (Go Mono, DejaVu Sans Mono: scripts/deps.sh installs it), at 150
// and 300 dpi, is read with every check digit holding and the card's
// birth date established. Without the zone model, 8 of 64 such cards
// (four fonts, 300 and 600 dpi) were a review.
func TestZonesInOtherFonts(t *testing.T) {
	p := newPipeline(t)

	dejavu, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
	if err != nil {
		t.Fatalf("DejaVu Sans Mono (fonts-dejavu-core): %v", err)
	}
	expiry := time.Date(2032, 11, 10, 0, 0, 0, 0, time.UTC)
	nguyen := fixtures.Person{LastName: "NGUYEN", FirstNames: "Thi Mai", BirthDate: time.Date(1978, 2, 28, 0, 0, 0, 0, time.UTC), Sex: "F"}
	paul := fixtures.Person{LastName: "MARTIN-DURAND", FirstNames: "Paul", BirthDate: time.Date(2001, 7, 14, 0, 0, 0, 0, time.UTC), Sex: "M"}
	for name, ttf := range map[string][]byte{"Go Mono": gomono.TTF, "DejaVu Sans Mono": dejavu} {
		parsed, err := opentype.Parse(ttf)
		if err != nil {
			t.Fatal(err)
		}
		for _, dpi := range []float64{150, 300} {
			face, err := opentype.NewFace(parsed, &opentype.FaceOptions{Size: 7.6, DPI: dpi, Hinting: font.HintingFull})
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range []struct {
				p      fixtures.Person
				number string
			}{{nguyen, "T6NT4PFW4"}, {paul, "B7XT4PFW2"}} {
				card := fixtures.NewCanvas(85.6, 54, dpi)
				card.Text(4, 6, 6, "bold", "RÉPUBLIQUE FRANÇAISE")
				card.Text(4, 10, 5, "regular", "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD")
				card.Lines(27, 16, 5, 5, "Nom / Surname : "+c.p.LastName, "Prénoms / Given names : "+c.p.FirstNames,
					"Date de naissance : "+c.p.BirthDate.Format("02/01/2006"), "N° du document : "+c.number)
				for k, l := range fixtures.TD1(c.p, c.number, expiry) {
					d := font.Drawer{Dst: card.Img, Src: image.Black, Face: face, Dot: fixed.P(int(3/25.4*dpi), int((40+float64(k)*4.5)/25.4*dpi))}
					d.DrawString(l)
				}
				jpg := fixtures.JPEG(fixtures.Scan(card.Img, fixtures.Defects{SkewDeg: 0.4 - 0.8*float64(i), Noise: 4, Seed: uint64(i)}), 90)
				rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-controle-medical", Submitted: submitted,
					Files: []pipeline.File{{Name: "cni.jpg", Data: jpg}}})
				if err != nil {
					t.Fatal(err)
				}
				if f := findRule(rep, "ID-BIRTH"); f == nil || f.Outcome != report.Pass {
					t.Errorf("%s at %g dpi, %s: %s", name, dpi, c.number, fmt.Sprint(f))
				}
			}
		}
	}
}
