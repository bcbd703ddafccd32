package store

import (
	"context"
	"fmt"
	"time"

	"dossiercheck/dossier"
)

// Swept is what one sweep removed.
type Swept struct {
	Blobs     int   // files no dossier holds
	Bytes     int64 // their size
	CacheRows int   // OCR pages of files no dossier holds
	Staged    int   // staging areas of uploads that never finished
	IdemKeys  int   // idempotency keys older than IdempotencyTTL
}

// Sweep removes what no dossier references: blobs older than grace and
// OCR cache rows, the staging areas of uploads older than grace (a crashed
// intake leaves them), the trash of interrupted purges and expired
// idempotency keys. Each blob is
// checked again and removed in its own transaction, which excludes an
// upload committing it meanwhile (SQLite's write lock, a PostgreSQL row
// lock); grace spares what an upload in progress may be about to use.
func (s *DB) Sweep(ctx context.Context, grace time.Duration) (Swept, error) {
	before := time.Now().Add(-grace)
	sw, err := s.sweepBlobs(ctx, before)
	sw.Staged = s.staging.sweep(before)
	if err != nil {
		return sw, err
	}
	sw.IdemKeys, err = s.sweepKeys(ctx, time.Now())
	return sw, err
}

// sweepBlobs removes the blobs older than before and the cache rows that no
// dossier references.
func (s *DB) sweepBlobs(ctx context.Context, before time.Time) (Swept, error) {
	var sw Swept
	candidates, err := s.blobs.orphans(ctx, before)
	if err != nil {
		return sw, fmt.Errorf("store sweep: %w", err)
	}
	for _, sha := range candidates {
		r, err := s.sweepOne(ctx, sha)
		if err != nil {
			return sw, fmt.Errorf("store sweep: %w", err)
		}
		sw.CacheRows += r.cacheRows
		if r.blob {
			sw.Blobs++
			sw.Bytes += r.bytes
		}
	}
	res, err := s.w.ExecContext(ctx, `DELETE FROM ocr_cache WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.sha256 = ocr_cache.source)`)
	if err != nil {
		return sw, fmt.Errorf("store sweep cache: %w", err)
	}
	n, _ := res.RowsAffected()
	sw.CacheRows += int(n)
	return sw, nil
}

// sweepOne releases one file if no dossier holds it.
func (s *DB) sweepOne(ctx context.Context, sha string) (r released, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return r, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
		if r.after != nil {
			r.after(err == nil)
		}
	}()
	if r, err = s.release(ctx, tx, sha); err != nil {
		return r, err
	}
	return r, tx.Commit()
}

// Retention says how long a dossier is kept after its report (or its
// failure): Default, or the procedure's own period. Zero keeps for ever.
type Retention struct {
	Default     time.Duration
	ByProcedure map[string]time.Duration
}

// For is the period of one procedure.
func (r Retention) For(procedure string) time.Duration {
	if d, ok := r.ByProcedure[procedure]; ok {
		return d
	}
	return r.Default
}

// Expired lists finished dossiers (done or failed) whose retention period
// has run out at now, at most limit of them.
func (s *DB) Expired(ctx context.Context, r Retention, now time.Time, limit int) ([]string, error) {
	shortest := r.Default
	for _, d := range r.ByProcedure {
		if d > 0 && (shortest == 0 || d < shortest) {
			shortest = d
		}
	}
	if shortest == 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, procedure, updated_at FROM dossiers WHERE status IN (?, ?) AND updated_at < ? ORDER BY updated_at`),
		string(dossier.Done), string(dossier.Failed), s.dialect.time(now.Add(-shortest)))
	if err != nil {
		return nil, fmt.Errorf("store expired: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() && len(ids) < limit {
		var id, proc string
		var updated time.Time
		if err := rows.Scan(&id, &proc, scanTime{&updated}); err != nil {
			return nil, fmt.Errorf("store expired: %w", err)
		}
		if keep := r.For(proc); keep > 0 && updated.Before(now.Add(-keep)) {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// PurgeExpired purges the dossiers whose retention period has run out and
// returns how many.
func (s *DB) PurgeExpired(ctx context.Context, r Retention, now time.Time) (int, error) {
	ids, err := s.Expired(ctx, r, now, 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := s.Purge(ctx, id); err != nil && err != ErrNotFound {
			return n, err
		}
		n++
	}
	return n, nil
}
