package pipeline_test

import (
	"context"
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
	// The engine loads its client on a first page; a worker has loaded
	// it long before (the CLI pays its model load on every run).
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
