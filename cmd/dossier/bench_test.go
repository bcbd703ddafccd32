package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/ocr/ocrtest"
)

// BenchmarkCheckProcess times `dossier check` as a process, built from
// this tree, on a fillable F02 and on one scanned 300 dpi bill, against
// the same command built from another tree (DOSSIER_BASELINE=path to its
// binary, e.g. main's build in /tmp; skipped when unset) and, for the
// scanned page, against the plain tesseract CLI (with OMP_THREAD_LIMIT=1)
// on the same file. Runs alternate, so that both sides share the
// machine's load; ratios are steadier than times.
//
//	go build -o /tmp/dossier-main ./cmd/dossier   # in a checkout of main
//	DOSSIER_BASELINE=/tmp/dossier-main go test -run '^$' -bench CheckProcess -benchtime=5x ./cmd/dossier
func BenchmarkCheckProcess(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "dossier")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	baseline := os.Getenv("DOSSIER_BASELINE")
	f02, err := fixtures.F02{Candidate: fixtures.Jean, Model: "M36"}.PDF()
	if err != nil {
		b.Fatal(err)
	}
	bill := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)}.Render(300),
		fixtures.Defects{SkewDeg: 3, Noise: 6, Seed: 1})
	for _, tc := range []struct {
		name, file, procedure string
		data                  []byte
		cli                   bool
	}{
		{"f02", "f02.pdf", "be-pcp-m36", f02, false},
		{"scanned", "bill.jpg", "fr-ants-permis", fixtures.JPEG(bill, 85), true},
	} {
		path := filepath.Join(dir, tc.file)
		if err := os.WriteFile(path, tc.data, 0o600); err != nil {
			b.Fatal(err)
		}
		run := func(name string, args ...string) time.Duration {
			t := time.Now()
			if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", name, err, out)
			}
			return time.Since(t)
		}
		check := []string{"check", "--procedure", tc.procedure, "--submitted", "2026-11-10", path}
		b.Run(tc.name, func(b *testing.B) {
			var cur, base, cli time.Duration
			for b.Loop() {
				cur += run(bin, check...)
				if baseline != "" {
					base += run(baseline, check...)
				}
				if tc.cli {
					cli += ocrtest.CLI(b, path)
				}
			}
			n := float64(b.N)
			b.ReportMetric(cur.Seconds()*1000/n, "ms/check")
			if baseline != "" {
				b.ReportMetric(base.Seconds()*1000/n, "baseline-ms/check")
				b.ReportMetric(cur.Seconds()/base.Seconds(), "ratio-to-baseline")
			}
			if tc.cli {
				b.ReportMetric(cli.Seconds()*1000/n, "tesseract-cli-ms")
				b.ReportMetric(cur.Seconds()/cli.Seconds(), "ratio-to-cli")
			}
		})
	}
}
