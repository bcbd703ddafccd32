package pipeline_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"dossiercheck/pipeline"
)

func hashed(files []pipeline.File) []pipeline.File {
	for i := range files {
		s := sha256.Sum256(files[i].Data)
		files[i].SHA256 = hex.EncodeToString(s[:])
	}
	return files
}

// A re-check from stored readings gives the report a full reading gave,
// without OCR; a file with no stored reading is refused, not guessed.
func TestRulesOnlyFromStoredReadings(t *testing.T) {
	ctx := context.Background()
	cache := &pipeline.MemoryCache{}
	p := newPipeline(t)
	p.Readings = cache
	req := pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted,
		Files: hashed(antsFiles(time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC), 2))}
	full, st, err := p.Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if st.ReadingHits != 0 || cache.Len() != len(req.Files) {
		t.Fatalf("first run: %d reading hits, %d readings stored", st.ReadingHits, cache.Len())
	}
	rules := *p
	rules.OCR, rules.RulesOnly = nil, true
	again, st, err := rules.Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if st.ReadingHits != len(req.Files) || st.OCRPages != 0 {
		t.Errorf("rules-only run: %d reading hits, %d pages OCR'd", st.ReadingHits, st.OCRPages)
	}
	a, _ := json.Marshal(full)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Errorf("reports differ:\n%s\n%s", a, b)
	}
	// Renamed, the same bytes are another reading: evidence quotes names.
	req.Files[0].Name = "facture.jpg"
	if _, _, err := rules.Run(ctx, req); !errors.Is(err, pipeline.ErrNotRead) {
		t.Errorf("file without a stored reading: err = %v, want ErrNotRead", err)
	}
}
