package pipeline_test

import (
	"context"
	"testing"
	"time"

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
