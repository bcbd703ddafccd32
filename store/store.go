// Package store keeps dossiers durably: SQLite (modernc.org/sqlite, WAL) for
// records, reports and the OCR cache, and a content-addressed directory for
// uploaded files (by SHA-256). Everything personal can be purged.
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"dossiercheck/dossier"
)

// ErrNotFound is returned for an unknown dossier id.
var ErrNotFound = errors.New("dossier not found")

// SQLite is the embedded store.
type SQLite struct {
	db    *sql.DB
	blobs string
}

// migrations are applied in order; each index is a schema version.
var migrations = []string{
	`CREATE TABLE dossiers (
		id TEXT PRIMARY KEY,
		procedure TEXT NOT NULL,
		submitted TEXT NOT NULL,
		declared TEXT NOT NULL,
		status TEXT NOT NULL,
		report TEXT,
		error TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE INDEX dossiers_status ON dossiers(status, updated_at);
	CREATE TABLE files (
		dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
		idx INTEGER NOT NULL,
		name TEXT NOT NULL,
		sha256 TEXT NOT NULL,
		size INTEGER NOT NULL,
		type TEXT NOT NULL,
		PRIMARY KEY (dossier_id, idx)
	);
	CREATE INDEX files_sha ON files(sha256);
	CREATE TABLE ocr_cache (
		key TEXT PRIMARY KEY,
		source TEXT NOT NULL,
		data BLOB NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE INDEX ocr_cache_source ON ocr_cache(source);`,
}

// Open opens (creating if needed) the store in dir.
func Open(ctx context.Context, dir string) (*SQLite, error) {
	blobs := filepath.Join(dir, "blobs")
	if err := os.MkdirAll(blobs, 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	dsn := "file:" + filepath.Join(dir, "dossiers.db") + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	s := &SQLite{db: db, blobs: blobs}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

func (s *SQLite) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("store: schema version: %w", err)
	}
	for i := v; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version VALUES (?)`, i+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migration %d: %w", i+1, err)
		}
	}
	return nil
}

// NewID returns a random dossier id.
func NewID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *SQLite) blobPath(sha string) string { return filepath.Join(s.blobs, sha[:2], sha) }

// PutBlob stores a file by content and returns its SHA-256. It is on disk
// (fsynced) when PutBlob returns.
func (s *SQLite) PutBlob(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	path := s.blobPath(sha)
	if _, err := os.Stat(path); err == nil {
		return sha, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("store blob: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("store blob: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", fmt.Errorf("store blob: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("store blob: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("store blob: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return "", fmt.Errorf("store blob: %w", err)
	}
	return sha, nil
}

// Blob reads a stored file.
func (s *SQLite) Blob(sha string) ([]byte, error) {
	if _, err := hex.DecodeString(sha); err != nil || len(sha) != 64 {
		return nil, fmt.Errorf("store blob: bad hash %q", sha)
	}
	return os.ReadFile(s.blobPath(sha))
}

const timeFormat = time.RFC3339Nano

// Create records a new dossier and its (already stored) files.
func (s *SQLite) Create(ctx context.Context, d *dossier.Dossier) error {
	decl, err := json.Marshal(d.Declared)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	d.CreatedAt, d.UpdatedAt = now, now
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store create: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO dossiers (id, procedure, submitted, declared, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?)`,
		d.ID, d.Procedure, d.Submitted.Format(time.DateOnly), string(decl), d.Status, now.Format(timeFormat), now.Format(timeFormat)); err != nil {
		return fmt.Errorf("store create %s: %w", d.ID, err)
	}
	for i, f := range d.Files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO files VALUES (?,?,?,?,?,?)`, d.ID, i, f.Name, f.SHA256, f.Size, string(f.Type)); err != nil {
			return fmt.Errorf("store create %s file %d: %w", d.ID, i, err)
		}
	}
	return tx.Commit()
}

// Get reads a dossier with its files and report.
func (s *SQLite) Get(ctx context.Context, id string) (dossier.Dossier, error) {
	var d dossier.Dossier
	var submitted, decl, created, updated string
	var rep sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT id, procedure, submitted, declared, status, report, error, created_at, updated_at FROM dossiers WHERE id = ?`, id).
		Scan(&d.ID, &d.Procedure, &submitted, &decl, &d.Status, &rep, &d.Error, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("store get %s: %w", id, err)
	}
	d.Submitted, _ = time.Parse(time.DateOnly, submitted)
	d.CreatedAt, _ = time.Parse(timeFormat, created)
	d.UpdatedAt, _ = time.Parse(timeFormat, updated)
	if err := json.Unmarshal([]byte(decl), &d.Declared); err != nil {
		return d, fmt.Errorf("store get %s: declared: %w", id, err)
	}
	if rep.Valid {
		d.Report = json.RawMessage(rep.String)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name, sha256, size, type FROM files WHERE dossier_id = ? ORDER BY idx`, id)
	if err != nil {
		return d, fmt.Errorf("store get %s files: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f dossier.File
		if err := rows.Scan(&f.Name, &f.SHA256, &f.Size, &f.Type); err != nil {
			return d, err
		}
		d.Files = append(d.Files, f)
	}
	return d, rows.Err()
}

// SetStatus moves a dossier to status, only from one of the given states
// (any state when none is given). It reports whether the row changed.
func (s *SQLite) SetStatus(ctx context.Context, id string, to dossier.Status, from ...dossier.Status) (bool, error) {
	q := `UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ?`
	args := []any{to, time.Now().UTC().Format(timeFormat), id}
	if len(from) > 0 {
		q += ` AND status IN (?` + strings.Repeat(",?", len(from)-1) + `)`
		for _, f := range from {
			args = append(args, f)
		}
	}
	res, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("store status %s: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Finish stores the report (status done) or the error (status failed).
func (s *SQLite) Finish(ctx context.Context, id string, report []byte, failure string) error {
	status, rep := dossier.Done, sql.NullString{String: string(report), Valid: report != nil}
	if failure != "" {
		status = dossier.Failed
	}
	_, err := s.db.ExecContext(ctx, `UPDATE dossiers SET status = ?, report = ?, error = ?, updated_at = ? WHERE id = ?`,
		status, rep, failure, time.Now().UTC().Format(timeFormat), id)
	if err != nil {
		return fmt.Errorf("store finish %s: %w", id, err)
	}
	return nil
}

// Stale lists dossiers in status that have not moved since before.
func (s *SQLite) Stale(ctx context.Context, status dossier.Status, before time.Time, limit int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM dossiers WHERE status = ? AND updated_at < ? ORDER BY updated_at LIMIT ?`,
		status, before.UTC().Format(timeFormat), limit)
	if err != nil {
		return nil, fmt.Errorf("store stale: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Purge deletes a dossier, its report, its files that no other dossier
// shares, and the OCR text cached from them.
func (s *SQLite) Purge(ctx context.Context, id string) error {
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM dossiers WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store purge %s: %w", id, err)
	}
	var orphans []string
	for _, f := range d.Files {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM files WHERE sha256 = ?`, f.SHA256).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			orphans = append(orphans, f.SHA256)
			if _, err := tx.ExecContext(ctx, `DELETE FROM ocr_cache WHERE source = ?`, f.SHA256); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store purge %s: %w", id, err)
	}
	for _, sha := range orphans {
		if err := os.Remove(s.blobPath(sha)); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("store purge %s blob: %w", id, err)
		}
	}
	return nil
}

// GetOCR reads a cached OCR page.
func (s *SQLite) GetOCR(ctx context.Context, key string) ([]byte, bool, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM ocr_cache WHERE key = ?`, key).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("ocr cache get: %w", err)
	}
	return b, true, nil
}

// PutOCR caches an OCR page.
func (s *SQLite) PutOCR(ctx context.Context, key, source string, data []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO ocr_cache VALUES (?,?,?,?)`, key, source, data, time.Now().UTC().Format(timeFormat))
	if err != nil {
		return fmt.Errorf("ocr cache put: %w", err)
	}
	return nil
}
