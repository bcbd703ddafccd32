package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dossiercheck/dossier"
)

// BenchmarkUploads8 is the store's part of intake's uploads, 8 at once:
// stage a 1 MB file, commit its dossier, mark it queued, read it back (a
// portal polling). It reports the latency of one upload, median and 99th
// percentile, with the writes sharing the readers' pool (as before) and
// with one writer connection (the embedded store's default).
//
//	go test -run - -bench Uploads8 -benchtime 400x ./store
func BenchmarkUploads8(b *testing.B) {
	file := make([]byte, 1<<20)
	rand.Read(file)
	for _, c := range []struct {
		name    string
		writers int
	}{{"shared-pool", 0}, {"one-writer", 1}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := openSQLite(ctx, b.TempDir(), c.writers)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			took := make([]time.Duration, b.N)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for range 8 {
				wg.Go(func() {
					for i := int(next.Add(1) - 1); i < b.N; i = int(next.Add(1) - 1) {
						start := time.Now()
						if err := upload(ctx, s, append([]byte(fmt.Sprint(i)), file...)); err != nil {
							b.Error(err)
							return
						}
						took[i] = time.Since(start)
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			slices.Sort(took)
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
			b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
		})
	}
}

func upload(ctx context.Context, s *DB, data []byte) error {
	stg, err := s.Stage()
	if err != nil {
		return err
	}
	sha, n, err := stg.Put(bytes.NewReader(data), 2<<20)
	if err != nil {
		stg.Discard()
		return err
	}
	d := dossier.Dossier{ID: NewID(), Procedure: "fr-ants-permis", Status: dossier.Received,
		Files: []dossier.File{{Name: "a.pdf", SHA256: sha, Size: n, Type: dossier.PDF}}}
	if err := s.CreateStaged(ctx, &d, stg); err != nil {
		return err
	}
	if _, err := s.SetStatus(ctx, d.ID, dossier.Queued, dossier.Received); err != nil {
		return err
	}
	_, err = s.Get(ctx, d.ID)
	return err
}
