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
	db       *sql.DB
	blobs    string // content-addressed files
	staging  string // uploads not yet committed with their dossier
	trashDir string // files of a purge in progress
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

// Open opens (creating if needed) the store in dir. The directory and
// everything in it are private to the service's user (0700 directories,
// 0600 files): the database and the blobs hold personal data. SQLite gives
// its -wal and -shm files the database file's mode.
func Open(ctx context.Context, dir string) (*SQLite, error) {
	s := &SQLite{blobs: filepath.Join(dir, "blobs"), staging: filepath.Join(dir, "staging"), trashDir: filepath.Join(dir, "trash")}
	for _, d := range []string{dir, s.blobs, s.staging, s.trashDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		// A directory made earlier (by hand, or by an older version)
		// may be wider.
		if err := os.Chmod(d, 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	path := filepath.Join(dir, "dossiers.db")
	if err := privateFile(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	s.db = db
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !os.IsNotExist(err) {
			db.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	return s, nil
}

// privateFile creates path empty with mode 0600 if it is missing, and
// narrows its mode to 0600 if it exists.
func privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	return os.Chmod(path, 0o600)
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

// Create records a new dossier whose files are already stored blobs.
func (s *SQLite) Create(ctx context.Context, d *dossier.Dossier) error {
	return s.create(ctx, d, nil)
}

// CreateStaged records a new dossier and moves its files, streamed into
// stg, into the blob store. The staging area is discarded in any case.
func (s *SQLite) CreateStaged(ctx context.Context, d *dossier.Dossier, stg *Staging) error {
	defer stg.Discard()
	return s.create(ctx, d, stg)
}

// create records the dossier and, when stg is not nil, moves its staged
// files into the blob store inside the same write transaction: SQLite holds
// the write lock from the first INSERT to the commit, so a purge or a sweep
// (which take the same lock) never sees a blob on disk whose dossier is half
// recorded. If the commit fails, the blobs this call brought in are removed
// again: no dossier can hold them.
func (s *SQLite) create(ctx context.Context, d *dossier.Dossier, stg *Staging) (err error) {
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
	var added []string
	defer func() {
		if err != nil {
			tx.Rollback()
			for _, sha := range added {
				os.Remove(s.blobPath(sha))
			}
		}
	}()
	if _, err := tx.ExecContext(ctx, `INSERT INTO dossiers (id, procedure, submitted, declared, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?)`,
		d.ID, d.Procedure, d.Submitted.Format(time.DateOnly), string(decl), d.Status, now.Format(timeFormat), now.Format(timeFormat)); err != nil {
		return fmt.Errorf("store create %s: %w", d.ID, err)
	}
	for i, f := range d.Files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO files VALUES (?,?,?,?,?,?)`, d.ID, i, f.Name, f.SHA256, f.Size, string(f.Type)); err != nil {
			return fmt.Errorf("store create %s file %d: %w", d.ID, i, err)
		}
	}
	if stg != nil {
		for _, f := range d.Files {
			isNew, err := s.adopt(stg, f.SHA256)
			if err != nil {
				return fmt.Errorf("store create %s: %w", d.ID, err)
			}
			if isNew {
				added = append(added, f.SHA256)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store create %s: commit: %w", d.ID, err)
	}
	return nil
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

// ErrFinished is returned by Finish when the dossier was already done:
// another delivery of the same task got there first.
var ErrFinished = errors.New("dossier already done")

// Finish stores the report (status done) or the error (status failed). A
// dossier is done once: Finish on a done dossier changes nothing and
// returns ErrFinished; on a purged one it returns ErrNotFound.
func (s *SQLite) Finish(ctx context.Context, id string, report []byte, failure string) error {
	status, rep := dossier.Done, sql.NullString{String: string(report), Valid: report != nil}
	if failure != "" {
		status = dossier.Failed
	}
	res, err := s.db.ExecContext(ctx, `UPDATE dossiers SET status = ?, report = ?, error = ?, updated_at = ? WHERE id = ? AND status != ?`,
		status, rep, failure, time.Now().UTC().Format(timeFormat), id, dossier.Done)
	if err != nil {
		return fmt.Errorf("store finish %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var st string
	err = s.db.QueryRowContext(ctx, `SELECT status FROM dossiers WHERE id = ?`, id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store finish %s: %w", id, err)
	}
	return ErrFinished
}

// Exists says whether a dossier is still stored (not purged).
func (s *SQLite) Exists(ctx context.Context, id string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM dossiers WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store exists %s: %w", id, err)
	}
	return n > 0, nil
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
// shares, and the OCR text cached from them. The files are moved to the
// trash inside the write transaction (so that no upload can take them over
// between the count and the removal) and deleted after the commit; if the
// commit fails they are put back.
func (s *SQLite) Purge(ctx context.Context, id string) (err error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	trashed := map[string]string{} // sha → trash path
	defer func() {
		if err != nil {
			tx.Rollback()
			for sha, p := range trashed {
				os.Rename(p, s.blobPath(sha))
			}
		}
	}()
	res, err := tx.ExecContext(ctx, `DELETE FROM dossiers WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store purge %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound // purged meanwhile by another request
	}
	for _, f := range d.Files {
		if _, done := trashed[f.SHA256]; done {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM files WHERE sha256 = ?`, f.SHA256).Scan(&n); err != nil {
			return fmt.Errorf("store purge %s: %w", id, err)
		}
		if n > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ocr_cache WHERE source = ?`, f.SHA256); err != nil {
			return fmt.Errorf("store purge %s: %w", id, err)
		}
		p, err := s.trash(f.SHA256)
		if err != nil {
			return fmt.Errorf("store purge %s blob: %w", id, err)
		}
		if p != "" {
			trashed[f.SHA256] = p
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store purge %s: %w", id, err)
	}
	for _, p := range trashed {
		os.Remove(p)
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

// FileCache is the OCR cache of the worker: it writes a page only while a
// stored dossier holds the file it came from, in the same statement, so
// that a worker still reading a dossier that was just purged cannot put
// its text back.
func (s *SQLite) FileCache() FileCache { return FileCache{s} }

// FileCache: see SQLite.FileCache.
type FileCache struct{ s *SQLite }

// GetOCR reads a cached OCR page.
func (c FileCache) GetOCR(ctx context.Context, key string) ([]byte, bool, error) {
	return c.s.GetOCR(ctx, key)
}

// PutOCR caches an OCR page if a dossier holds source.
func (c FileCache) PutOCR(ctx context.Context, key, source string, data []byte) error {
	_, err := c.s.db.ExecContext(ctx, `INSERT OR REPLACE INTO ocr_cache SELECT ?,?,?,? WHERE EXISTS (SELECT 1 FROM files WHERE sha256 = ?)`,
		key, source, data, time.Now().UTC().Format(timeFormat), source)
	if err != nil {
		return fmt.Errorf("ocr cache put: %w", err)
	}
	return nil
}

// PutOCR caches an OCR page.
func (s *SQLite) PutOCR(ctx context.Context, key, source string, data []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO ocr_cache VALUES (?,?,?,?)`, key, source, data, time.Now().UTC().Format(timeFormat))
	if err != nil {
		return fmt.Errorf("ocr cache put: %w", err)
	}
	return nil
}
