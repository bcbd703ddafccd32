package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/pipeline"
)

// Same files, same report: a report depends only on the files and the
// declared data, not on their order, on the worker slot, or on what the
// Tesseract clients of a warm, shared engine read before. Two dossiers
// run several times, in shuffled orders, two at a time on a two-client
// engine, and every report of a dossier is byte for byte the first one.
func TestSameFilesSameReport(t *testing.T) {
	if testing.Short() {
		t.Skip("OCRs 8 dossiers")
	}
	p := newPipelineN(t, 2)
	dossiers := [][]pipeline.File{
		antsFiles(time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC), 2),
		append(antsFiles(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), -3), pipeline.File{Name: "attestation.jpg",
			Data: fixtures.JPEG(fixtures.Scan(fixtures.HostingAttestation(fixtures.Jean, fixtures.Jean, day(2024, 9, 1), day(2026, 11, 2)).Render(300),
				fixtures.Defects{SkewDeg: 1, Noise: 4, Seed: 3}), 85)}),
	}
	r := rand.New(rand.NewPCG(1, 2))
	run := func(files []pipeline.File) []byte {
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted, Files: files})
		if err != nil {
			t.Error(err)
			return nil
		}
		b, _ := json.Marshal(rep)
		return b
	}
	first := make([][]byte, len(dossiers))
	for i, files := range dossiers {
		first[i] = run(files)
	}
	for round := range 3 {
		var wg sync.WaitGroup
		for i, files := range dossiers {
			shuffled := append([]pipeline.File(nil), files...)
			r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
			wg.Go(func() {
				if got := run(shuffled); !bytes.Equal(got, first[i]) {
					t.Errorf("round %d, dossier %d: the report changed:\nfirst %s\nnow   %s", round, i, first[i], got)
				}
			})
		}
		wg.Wait()
	}
}
