package pipeline_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/ocr"
	"dossiercheck/ocr/ocrtest"
	"dossiercheck/pipeline"
)

// BenchmarkScannedPage runs the whole pipeline (decode, quality, deskew,
// OCR, MRZ search, extraction, checks) on one scanned 300 dpi bill and the
// plain tesseract CLI on the same page, in the same process, and reports
// seconds per page for both and their ratio. The OCR cache is off.
func BenchmarkScannedPage(b *testing.B) {
	p := newPipeline(b)
	page := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)}.Render(300),
		fixtures.Defects{SkewDeg: 3, Noise: 6, Seed: 1})
	jpg := fixtures.JPEG(page, 85)
	req := pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted, Files: []pipeline.File{{Name: "bill.jpg", Data: jpg}}}
	runVersusCLI(b, p, req, jpg)
}

// BenchmarkScannedFormPage is BenchmarkScannedPage for a paper F02 filled
// by hand and scanned: the form path reads the page again with its leaders
// erased, in sparse mode, and where ink is left unread.
func BenchmarkScannedFormPage(b *testing.B) {
	p := newPipeline(b)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	f := fixtures.F02{Candidate: fixtures.Jean, NRN: fixtures.NRN(fixtures.Jean.BirthDate, 17), Model: "M36", TheoryDate: day(2025, 5, 12),
		ReadingTest: true, RequestDate: day(2026, 11, 2), RequestCity: "Namur", Signed: true, NoDisqualification: true,
		Guides: []fixtures.Guide{{Name: "DUPONT Marie", BirthDate: day(1975, 2, 10), CatBSince: day(2001, 3, 1), Declared: true}}}
	form := fixtures.PaperForm{Kind: fixtures.FormF02, Values: f.PaperValues(), Hand: true}
	page := fixtures.Scan(form.Render(rand.New(rand.NewPCG(3, 4)), 300), fixtures.Defects{SkewDeg: 2, Noise: 6, Seed: 1})
	jpg := fixtures.JPEG(page, 85)
	req := pipeline.Request{Procedure: "be-pcp-m36", Submitted: submitted, Files: []pipeline.File{{Name: "f02.jpg", Data: jpg}}}
	runVersusCLI(b, p, req, jpg)
}

// runVersusCLI times the pipeline on req against the tesseract CLI on jpg.
// The engine loads its client on a first page; a worker has loaded it long
// before (the CLI pays its model load on every run).
func runVersusCLI(b *testing.B, p *pipeline.Pipeline, req pipeline.Request, jpg []byte) {
	if e, ok := p.OCR.(*ocr.Engine); ok {
		if err := e.Preload(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	ocrtest.VersusCLI(b, "pipeline", jpg, func() error {
		_, _, err := p.Run(context.Background(), req)
		return err
	})
}
