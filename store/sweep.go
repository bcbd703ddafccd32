package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dossiercheck/dossier"
)

// Swept is what one sweep removed.
type Swept struct {
	Blobs     int   // files no dossier holds
	Bytes     int64 // their size
	CacheRows int   // OCR pages of files no dossier holds
	Staged    int   // staging areas of uploads that never finished
}

// Sweep removes what no dossier references: blobs and OCR cache rows, the
// staging areas of uploads older than grace (a crashed intake leaves them)
// and the trash of interrupted purges. Blobs are checked with SQLite's
// write lock held, which uploads hold while they move their files in, so a
// blob being committed is never taken for an orphan; grace spares blobs
// written by the older PutBlob-then-Create path.
func (s *SQLite) Sweep(ctx context.Context, grace time.Duration) (Swept, error) {
	var sw Swept
	cutoff := time.Now().Add(-grace)
	areas, _ := os.ReadDir(s.staging)
	for _, a := range areas {
		if fi, err := a.Info(); err == nil && fi.ModTime().Before(cutoff) {
			if os.RemoveAll(filepath.Join(s.staging, a.Name())) == nil {
				sw.Staged++
			}
		}
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return sw, fmt.Errorf("store sweep: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return sw, fmt.Errorf("store sweep: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	held := func(sha string) (bool, error) {
		var n int
		err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM files WHERE sha256 = ?`, sha).Scan(&n)
		return n > 0, err
	}
	// A purge interrupted between moving its files to the trash and its
	// commit rolled back: the dossier still holds them, put them back.
	trashed, _ := os.ReadDir(s.trashDir)
	for _, e := range trashed {
		p := filepath.Join(s.trashDir, e.Name())
		sha, _, _ := strings.Cut(e.Name(), ".")
		ok, err := held(sha)
		if err != nil {
			return sw, fmt.Errorf("store sweep: %w", err)
		}
		if ok && len(sha) == 64 {
			if _, err := os.Stat(s.blobPath(sha)); os.IsNotExist(err) {
				os.MkdirAll(filepath.Dir(s.blobPath(sha)), 0o700)
				os.Rename(p, s.blobPath(sha))
				continue
			}
		}
		os.Remove(p)
	}
	err = filepath.WalkDir(s.blobs, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		name := e.Name()
		if strings.HasPrefix(name, ".tmp-") { // PutBlob of a crashed process
			if fi.ModTime().Before(cutoff) {
				os.Remove(path)
			}
			return nil
		}
		if !fi.ModTime().Before(cutoff) {
			return nil
		}
		ok, err := held(name)
		if err != nil || ok {
			return err
		}
		if err := os.Remove(path); err == nil {
			sw.Blobs++
			sw.Bytes += fi.Size()
		}
		return nil
	})
	if err != nil {
		return sw, fmt.Errorf("store sweep: %w", err)
	}
	res, err := conn.ExecContext(ctx, `DELETE FROM ocr_cache WHERE source NOT IN (SELECT sha256 FROM files)`)
	if err != nil {
		return sw, fmt.Errorf("store sweep cache: %w", err)
	}
	n, _ := res.RowsAffected()
	sw.CacheRows = int(n)
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return sw, fmt.Errorf("store sweep: %w", err)
	}
	committed = true
	return sw, nil
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
func (s *SQLite) Expired(ctx context.Context, r Retention, now time.Time, limit int) ([]string, error) {
	shortest := r.Default
	for _, d := range r.ByProcedure {
		if d > 0 && (shortest == 0 || d < shortest) {
			shortest = d
		}
	}
	if shortest == 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, procedure, updated_at FROM dossiers WHERE status IN (?, ?) AND updated_at < ? ORDER BY updated_at`,
		dossier.Done, dossier.Failed, now.Add(-shortest).UTC().Format(timeFormat))
	if err != nil {
		return nil, fmt.Errorf("store expired: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() && len(ids) < limit {
		var id, proc, updated string
		if err := rows.Scan(&id, &proc, &updated); err != nil {
			return nil, err
		}
		t, err := time.Parse(timeFormat, updated)
		if keep := r.For(proc); err == nil && keep > 0 && t.Before(now.Add(-keep)) {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// PurgeExpired purges the dossiers whose retention period has run out and
// returns how many.
func (s *SQLite) PurgeExpired(ctx context.Context, r Retention, now time.Time) (int, error) {
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
