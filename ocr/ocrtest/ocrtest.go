// Package ocrtest holds what benchmarks of the OCR need: the plain
// tesseract CLI as the baseline a page's cost is compared with.
package ocrtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// CLI reads the image file at path with the tesseract command in French,
// single-threaded as the engine is (OMP_THREAD_LIMIT=1), and returns how
// long the process took, model load included.
func CLI(tb testing.TB, path string) time.Duration {
	tb.Helper()
	cmd := exec.Command("tesseract", path, "-", "-l", "fra")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	t := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("tesseract: %v\n%s", err, out)
	}
	return time.Since(t)
}

// VersusCLI times read and the tesseract CLI on the same page, given as a
// JPEG file, one after the other in each round so that both share the
// machine's load, and reports seconds per page for each ("name-s/page",
// "tesseract-cli-s/page") and their ratio.
func VersusCLI(b *testing.B, name string, jpeg []byte, read func() error) {
	path := filepath.Join(b.TempDir(), "page.jpg")
	if err := os.WriteFile(path, jpeg, 0o600); err != nil {
		b.Fatal(err)
	}
	var own, cli time.Duration
	for b.Loop() {
		t := time.Now()
		if err := read(); err != nil {
			b.Fatal(err)
		}
		own += time.Since(t)
		cli += CLI(b, path)
	}
	b.ReportMetric(own.Seconds()/float64(b.N), name+"-s/page")
	b.ReportMetric(cli.Seconds()/float64(b.N), "tesseract-cli-s/page")
	b.ReportMetric(own.Seconds()/cli.Seconds(), "ratio")
}
