package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"dossiercheck/checks"
	"dossiercheck/ocr"
	"dossiercheck/pipeline"
	"dossiercheck/twoddoc"
)

// BenchmarkRecheck measures a rules-only re-check (classification,
// extraction and checks from stored readings, readings decoded from their
// stored JSON) on eval dossiers, one goroutine: dossiers/s per core. The
// dossiers are those of DOSSIER_EVAL_DIR (a `dossier gen` directory), or
// 20 generated ones of each style; they are read once, with OCR, before
// the timer starts. It reports the full reading of the same dossiers as
// the baseline.
//
//	go test -run '^$' -bench Recheck -benchtime 20x ./cmd/dossier
func BenchmarkRecheck(b *testing.B) {
	ctx := context.Background()
	dir := os.Getenv("DOSSIER_EVAL_DIR")
	if dir == "" {
		dir = b.TempDir()
		for _, style := range []string{"1", "2"} {
			if err := gen([]string{"--style", style, "--seed", "5", "--count", "20", dir}, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
	labels, _ := filepath.Glob(filepath.Join(dir, "*", "label.json"))
	sort.Strings(labels)
	if len(labels) == 0 {
		b.Fatalf("no dossier in %s", dir)
	}
	checker, err := checks.Load()
	if err != nil {
		b.Fatal(err)
	}
	eng, err := ocr.New(1, ocr.DefaultSettings, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	var certs *twoddoc.Certs
	if certs, err = twoddoc.LoadCerts(filepath.Join(dir, "certs")); err != nil {
		certs = nil
	}
	cache := &pipeline.MemoryCache{}
	// A directory given is read once: its readings are kept beside it.
	saved := ""
	if os.Getenv("DOSSIER_EVAL_DIR") != "" {
		saved = filepath.Join(dir, "readings.json")
		if data, err := os.ReadFile(saved); err == nil {
			var m map[string][]byte
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
			for k, v := range m {
				cache.PutOCR(ctx, k, "", v)
			}
		}
	}
	full := pipeline.New(eng, checker, certs)
	full.Readings = cache
	var reqs []pipeline.Request
	wasRead := cache.Len() == 0
	start := time.Now()
	for _, l := range labels {
		c, err := loadCase(filepath.Dir(l))
		if err != nil {
			b.Fatal(err)
		}
		for i, f := range c.req.Files {
			s := sha256.Sum256(f.Data)
			c.req.Files[i].SHA256 = hex.EncodeToString(s[:])
		}
		if _, _, err := full.Run(ctx, c.req); err != nil {
			b.Fatal(err)
		}
		reqs = append(reqs, c.req)
	}
	read := time.Since(start)
	if saved != "" {
		data, _ := json.Marshal(cache.Entries())
		if err := os.WriteFile(saved, data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	rules := pipeline.New(nil, checker, nil)
	rules.Readings, rules.RulesOnly = cache, true
	b.ResetTimer()
	for b.Loop() {
		for _, req := range reqs {
			if _, _, err := rules.Run(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	}
	per := b.Elapsed().Seconds() / float64(b.N*len(reqs))
	b.ReportMetric(1/per, "dossiers/s")
	if wasRead {
		b.ReportMetric(float64(len(reqs))/read.Seconds(), "full-reading-dossiers/s")
		b.ReportMetric(read.Seconds()/float64(len(reqs))/per, "speedup")
	}
}
