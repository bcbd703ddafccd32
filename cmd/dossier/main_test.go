package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"dossiercheck/ocr"
)

var update = flag.Bool("update", false, "rewrite the golden reports")

func TestMain(m *testing.M) {
	if err := ocr.EnsureSingleThread(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// Golden reports of the demo dossiers: any change to what the pipeline
// reads or decides shows up as a diff (go test ./cmd/dossier -update
// rewrites them after a deliberate change).
func TestGoldenReports(t *testing.T) {
	dir := t.TempDir()
	if err := run(context.Background(), []string{"fixtures", dir}, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	f := func(n string) string { return filepath.Join(dir, n) }
	tests := []struct {
		golden string
		args   []string
	}{
		{"ants-reject.json", []string{"--procedure", "fr-ants-permis", "--submitted", "2026-11-10", f("bill-old.jpg"), f("id.jpg"), f("photo.jpg")}},
		{"ants-accept.json", []string{"--procedure", "fr-ants-permis", "--submitted", "2026-11-10", f("bill-recent.jpg"), f("id.jpg"), f("photo.jpg")}},
		{"m36-accept.json", []string{"--procedure", "be-pcp-m36", "--submitted", "2026-11-10", f("f02-m36.pdf")}},
		{"m36-reject.json", []string{"--procedure", "be-pcp-m36", "--submitted", "2026-11-10", f("f02-m36-old-theory.pdf")}},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"check", "--format", "json"}, tt.args...), &out); err != nil {
			t.Fatalf("%s: %v", tt.golden, err)
		}
		path := filepath.Join("testdata", tt.golden)
		if *update {
			os.WriteFile(path, out.Bytes(), 0o644)
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%s differs from the golden file:\n%s", tt.golden, out.String())
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope"},
		{"check", "x.pdf"},
		{"check", "--procedure", "fr-nope", "x.pdf"},
		{"check", "--procedure", "fr-ants-permis"},
		{"check", "--procedure", "fr-ants-permis", "--format", "xml", "x.pdf"},
		{"check", "--procedure", "fr-ants-permis", "--submitted", "10/11/2026", "x.pdf"},
		{"check", "--procedure", "fr-ants-permis", "/no/such/file.pdf"},
	} {
		var ue usageError
		if err := run(context.Background(), args, new(bytes.Buffer)); !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

// The fast evaluation subset CI runs on every change: one dossier of each
// scenario. No false accept is tolerated; the rest are floors to keep.
func TestEvalFastSubset(t *testing.T) {
	dir := t.TempDir()
	if err := gen([]string{"--count", "16", "--seed", "7", dir}, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	m, err := evaluate(context.Background(), dir, 2, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.FalseAccepts) > 0 {
		t.Errorf("false accepts: %v", m.FalseAccepts)
	}
	if m.Accuracy < 0.9 || m.Fields["issue_date"].Rate < 1 || m.Fields["birth_date"].Rate < 0.95 {
		var b bytes.Buffer
		printMetrics(&b, m)
		t.Errorf("below the floors:\n%s", b.String())
	}
}
