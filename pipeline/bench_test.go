package pipeline_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/ocr"
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
	path := filepath.Join(b.TempDir(), "page.jpg")
	if err := os.WriteFile(path, jpg, 0o600); err != nil {
		b.Fatal(err)
	}
	req := pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted, Files: []pipeline.File{{Name: "bill.jpg", Data: jpg}}}
	// The engine loads its client on a first page; a worker has loaded
	// it long before (the CLI pays its model load on every run).
	if e, ok := p.OCR.(*ocr.Engine); ok {
		if err := e.Preload(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	var pipe, cli time.Duration
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		if _, _, err := p.Run(context.Background(), req); err != nil {
			b.Fatal(err)
		}
		pipe += time.Since(t)
		t = time.Now()
		cmd := exec.Command("tesseract", path, "-", "-l", "fra")
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("tesseract: %v %s", err, out)
		}
		cli += time.Since(t)
	}
	b.ReportMetric(pipe.Seconds()/float64(b.N), "pipeline-s/page")
	b.ReportMetric(cli.Seconds()/float64(b.N), "tesseract-cli-s/page")
	b.ReportMetric(pipe.Seconds()/cli.Seconds(), "ratio")
}
