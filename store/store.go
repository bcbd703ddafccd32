// Package store keeps dossiers durably, in one of two backends:
//
//   - embedded (the default): SQLite (modernc.org/sqlite, WAL) for records
//     and the reading cache, and a content-addressed directory for the
//     uploaded files; intake and workers share one filesystem;
//   - PostgreSQL (jackc/pgx): records, reading cache and files (bytea) in
//     one database; intake and workers may run on separate hosts.
//
// Records are dossiers, their statuses and reports; blobs are the files'
// contents by SHA-256; the reading cache keeps OCR pages by key. The three
// share transactions where a rule spans them: a dossier is committed with
// its files, a purge removes the files no other dossier holds and the text
// read from them, and the cache takes no page of a file no dossier holds.
// Everything personal can be purged.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"dossiercheck/dossier"
)

// ErrNotFound is returned for an unknown dossier id.
var ErrNotFound = errors.New("dossier not found")

// ErrFinished is returned by Finish when the dossier was already done:
// another delivery of the same task got there first.
var ErrFinished = errors.New("dossier already done")

// DB is a store: records and reading cache in a SQL database, blobs where
// the backend keeps them.
type DB struct {
	db      *sql.DB // reads
	w       *sql.DB // writes and transactions: db itself but for SQLite
	dialect dialect
	blobs   blobStore
	staging stagingDir
	name    string // for logs: no password
}

// dialect is what differs between the SQL of the two backends.
type dialect struct {
	name string // also the directory of its migrations
	// numbered placeholders ($1, $2…) instead of ?
	numbered bool
	// time encodes a timestamp as a query argument.
	time func(time.Time) any
	// migrationLock, run first in the migrations' transaction, keeps
	// other processes out until it commits ("" when the transaction
	// itself does).
	migrationLock string
	// cacheHeld writes a cache row (key, source, data, created_at: the
	// dialect's numbered placeholders) only while a dossier holds source,
	// excluding a purge of that file.
	cacheHeld string
}

// blobStore keeps the files' contents. Its writes take part in the
// records' transactions (tx) so that files and records never disagree.
type blobStore interface {
	// read returns a file's content; an unknown file is fs.ErrNotExist.
	read(ctx context.Context, sha string) ([]byte, error)
	// adopt brings a staged file (at path) in within tx. undo, when not
	// nil, is run if tx does not commit.
	adopt(ctx context.Context, tx *sql.Tx, path, sha string) (undo func(), err error)
	// release removes a file within tx if no dossier holds it (once the
	// rows of a purged dossier are deleted in tx), and says so.
	release(ctx context.Context, tx *sql.Tx, sha string) (released, error)
	// orphans lists files older than before that seem held by no
	// dossier; each is released (and so checked again) in its own
	// transaction.
	orphans(ctx context.Context, before time.Time) ([]string, error)
}

// released is what blobStore.release did.
type released struct {
	unheld bool  // no dossier holds the file (its cached pages go too)
	bytes  int64 // size of the content removed (0 when none was)
	blob   bool  // a content was removed
	// cacheRows is the number of cached pages removed with it.
	cacheRows int
	// after, when not nil, is run once tx ended, with whether it committed.
	after func(committed bool)
}

// Connect opens the store that spec names: "" (or "sqlite") for the
// embedded store in dir, a postgres:// URL for PostgreSQL, which keeps in
// dir only the uploads being received.
func Connect(ctx context.Context, spec, dir string) (*DB, error) {
	switch {
	case spec == "" || spec == "sqlite":
		return Open(ctx, dir)
	case strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://"):
		return OpenPostgres(ctx, spec, dir)
	}
	return nil, fmt.Errorf("store: %q is neither sqlite nor a postgres:// URL", redact(spec))
}

// String names the store for logs, without credentials.
func (s *DB) String() string { return s.name }

// Close closes the database.
func (s *DB) Close() error {
	if s.w != s.db {
		s.w.Close()
	}
	return s.db.Close()
}

// q adapts a query written with ? placeholders to the dialect.
func (s *DB) q(query string) string {
	if !s.dialect.numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NewID returns a random dossier id.
func NewID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// validSHA says whether sha is a SHA-256 in hex: a blob's name, never a
// path elsewhere.
func validSHA(sha string) bool {
	_, err := hex.DecodeString(sha)
	return err == nil && len(sha) == 64
}

// Blob reads a stored file. An unknown one is fs.ErrNotExist.
func (s *DB) Blob(ctx context.Context, sha string) ([]byte, error) {
	if !validSHA(sha) {
		return nil, fmt.Errorf("store blob: bad hash %q", sha)
	}
	return s.blobs.read(ctx, sha)
}

// timeText is how the embedded store writes a timestamp: fixed width, so
// that the text orders as the time does.
const timeText = "2006-01-02T15:04:05.000000000Z07:00"

// scanTime reads a timestamp or a date as either backend stores it (text
// in SQLite, a time in PostgreSQL).
type scanTime struct{ t *time.Time }

func (st scanTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*st.t = v.UTC()
		return nil
	case string:
		return st.parse(v)
	case []byte:
		return st.parse(string(v))
	}
	return fmt.Errorf("store: time of type %T", v)
}

func (st scanTime) parse(v string) error {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			*st.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("store: bad time %q", v)
}

// CreateStaged records a new dossier and brings its files, streamed into
// stg, into the blob store, in one transaction: an upload is stored whole
// or not at all, and a purge or a sweep never sees a file of a half
// recorded dossier. The staging area is discarded in any case. The
// dossier belongs to no portal (CreateFrom names one).
func (s *DB) CreateStaged(ctx context.Context, d *dossier.Dossier, stg *Staging) error {
	_, err := s.CreateFrom(ctx, d, stg, Origin{})
	return err
}

// CreateFrom is CreateStaged for a portal's upload, under its idempotency
// key when o has one: the key is recorded in the dossier's transaction.
// A key the portal used in the last IdempotencyTTL returns the dossier it
// created (Prior) and ErrReplay when the request hash is the same,
// ErrIdempotencyConflict when it differs; nothing is created then.
func (s *DB) CreateFrom(ctx context.Context, d *dossier.Dossier, stg *Staging, o Origin) (prior Prior, err error) {
	defer stg.Discard()
	decl, err := json.Marshal(d.Declared)
	if err != nil {
		return prior, err
	}
	now := time.Now().UTC()
	d.CreatedAt, d.UpdatedAt = now, now
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return prior, fmt.Errorf("store create: %w", err)
	}
	var undo []func()
	defer func() {
		if err != nil {
			tx.Rollback()
			for _, u := range undo {
				u()
			}
		}
	}()
	if o.IdemKey != "" {
		if prior, err = s.priorUpload(ctx, tx, o, now); err != nil {
			return prior, err
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO dossiers (id, procedure, submitted, declared, status, created_at, updated_at, portal) VALUES (?,?,?,?,?,?,?,?)`),
		d.ID, d.Procedure, d.Submitted.Format(time.DateOnly), string(decl), string(d.Status), s.dialect.time(now), s.dialect.time(now), o.Portal); err != nil {
		return prior, fmt.Errorf("store create %s: %w", d.ID, err)
	}
	for _, sha := range shas(d.Files) {
		u, err := s.blobs.adopt(ctx, tx, stg.path(sha), sha)
		if err != nil {
			return prior, fmt.Errorf("store create %s: blob %s: %w", d.ID, sha[:12], err)
		}
		if u != nil {
			undo = append(undo, u)
		}
	}
	for i, f := range d.Files {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO files (dossier_id, idx, name, sha256, size, type) VALUES (?,?,?,?,?,?)`),
			d.ID, i, f.Name, f.SHA256, f.Size, string(f.Type)); err != nil {
			return prior, fmt.Errorf("store create %s file %d: %w", d.ID, i, err)
		}
	}
	if o.IdemKey != "" {
		if err := s.recordKey(ctx, tx, o, d.ID, now); err != nil {
			if errors.Is(err, errKeyTaken) {
				// Another upload with the key committed meanwhile
				// (PostgreSQL; SQLite's write lock serialises them):
				// this one is its replay.
				tx.Rollback()
				if prior, err = s.priorUpload(ctx, s.db, o, now); err == nil {
					err = fmt.Errorf("store create %s: idempotency key %w but not found", d.ID, errKeyTaken)
				}
				return prior, err
			}
			return prior, fmt.Errorf("store create %s: %w", d.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return prior, fmt.Errorf("store create %s: commit: %w", d.ID, err)
	}
	return prior, nil
}

// shas lists the distinct files of a dossier in hash order: transactions
// that lock several files lock them in one order, and cannot deadlock.
func shas(files []dossier.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.SHA256)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Get reads a dossier with its files and report.
func (s *DB) Get(ctx context.Context, id string) (dossier.Dossier, error) {
	var d dossier.Dossier
	var decl string
	var rep sql.NullString
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, procedure, submitted, declared, status, report, error, created_at, updated_at FROM dossiers WHERE id = ?`), id).
		Scan(&d.ID, &d.Procedure, scanTime{&d.Submitted}, &decl, &d.Status, &rep, &d.Error, scanTime{&d.CreatedAt}, scanTime{&d.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("store get %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(decl), &d.Declared); err != nil {
		return d, fmt.Errorf("store get %s: declared: %w", id, err)
	}
	if rep.Valid {
		d.Report = json.RawMessage(rep.String)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT name, sha256, size, type FROM files WHERE dossier_id = ? ORDER BY idx`), id)
	if err != nil {
		return d, fmt.Errorf("store get %s files: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f dossier.File
		if err := rows.Scan(&f.Name, &f.SHA256, &f.Size, &f.Type); err != nil {
			return d, fmt.Errorf("store get %s files: %w", id, err)
		}
		d.Files = append(d.Files, f)
	}
	return d, rows.Err()
}

// SetStatus moves a dossier to status, only from one of the given states
// (any state when none is given). It reports whether the row changed.
func (s *DB) SetStatus(ctx context.Context, id string, to dossier.Status, from ...dossier.Status) (bool, error) {
	q := `UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ?`
	args := []any{string(to), s.dialect.time(time.Now()), id}
	if len(from) > 0 {
		q += ` AND status IN (?` + strings.Repeat(",?", len(from)-1) + `)`
		for _, f := range from {
			args = append(args, string(f))
		}
	}
	res, err := s.w.ExecContext(ctx, s.q(q), args...)
	if err != nil {
		return false, fmt.Errorf("store status %s: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Finish stores the report (status done) or the error (status failed). A
// dossier is done once: Finish on a done dossier changes nothing and
// returns ErrFinished; on a purged one it returns ErrNotFound.
func (s *DB) Finish(ctx context.Context, id string, report []byte, failure string) error {
	status, rep := dossier.Done, sql.NullString{String: string(report), Valid: report != nil}
	if failure != "" {
		status = dossier.Failed
	}
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE dossiers SET status = ?, report = ?, error = ?, verdict = ?, updated_at = ? WHERE id = ? AND status != ?`),
		string(status), rep, failure, verdictOf(report), s.dialect.time(time.Now()), id, string(dossier.Done))
	if err != nil {
		return fmt.Errorf("store finish %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	ok, err := s.Exists(ctx, id)
	switch {
	case err != nil:
		return fmt.Errorf("store finish %s: %w", id, err)
	case !ok:
		return ErrNotFound
	}
	return ErrFinished
}

// verdictOf reads a report's verdict, which has a column of its own for
// listings by verdict ("" when there is none).
func verdictOf(report []byte) string {
	var v struct {
		Verdict string `json:"verdict"`
	}
	if report != nil {
		json.Unmarshal(report, &v)
	}
	return v.Verdict
}

// Exists says whether a dossier is still stored (not purged).
func (s *DB) Exists(ctx context.Context, id string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM dossiers WHERE id = ?`), id).Scan(&n); err != nil {
		return false, fmt.Errorf("store exists %s: %w", id, err)
	}
	return n > 0, nil
}

// Stale lists dossiers in status that have not moved since before.
func (s *DB) Stale(ctx context.Context, status dossier.Status, before time.Time, limit int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id FROM dossiers WHERE status = ? AND updated_at < ? ORDER BY updated_at LIMIT ?`),
		string(status), s.dialect.time(before), limit)
	if err != nil {
		return nil, fmt.Errorf("store stale: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store stale: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Purge deletes a dossier, its report, its files that no other dossier
// shares, and the pages read from them, in one transaction. Where the
// blob store cannot take part in it (files on disk), a file is moved aside
// inside the transaction and deleted after the commit, or put back.
func (s *DB) Purge(ctx context.Context, id string) (err error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store purge %s: %w", id, err)
	}
	var after []func(bool)
	defer func() {
		if err != nil {
			tx.Rollback()
		}
		for _, f := range after {
			f(err == nil)
		}
	}()
	res, err := tx.ExecContext(ctx, s.q(`DELETE FROM dossiers WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("store purge %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound // purged meanwhile by another request
	}
	for _, sha := range shas(d.Files) {
		r, err := s.release(ctx, tx, sha)
		if r.after != nil {
			after = append(after, r.after)
		}
		if err != nil {
			return fmt.Errorf("store purge %s: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store purge %s: %w", id, err)
	}
	return nil
}

// release removes a file no dossier holds any more, and its cached pages.
func (s *DB) release(ctx context.Context, tx *sql.Tx, sha string) (released, error) {
	r, err := s.blobs.release(ctx, tx, sha)
	if err != nil || !r.unheld {
		return r, err
	}
	res, err := tx.ExecContext(ctx, s.q(`DELETE FROM ocr_cache WHERE source = ?`), sha)
	if err != nil {
		return r, fmt.Errorf("cache of %s: %w", sha[:12], err)
	}
	n, _ := res.RowsAffected()
	r.cacheRows = int(n)
	return r, nil
}

// GetOCR reads a cached page.
func (s *DB) GetOCR(ctx context.Context, key string) ([]byte, bool, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT data FROM ocr_cache WHERE key = ?`), key).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("ocr cache get: %w", err)
	}
	return b, true, nil
}

// PutOCR caches a page, whether or not a dossier holds its source (a
// check of files outside the service).
func (s *DB) PutOCR(ctx context.Context, key, source string, data []byte) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO ocr_cache (key, source, data, created_at) VALUES (?,?,?,?)
		ON CONFLICT (key) DO UPDATE SET source = excluded.source, data = excluded.data, created_at = excluded.created_at`),
		key, source, data, s.dialect.time(time.Now()))
	if err != nil {
		return fmt.Errorf("ocr cache put: %w", err)
	}
	return nil
}

// FileCache is the reading cache of the worker: it writes a page only
// while a stored dossier holds the file it came from, excluding a purge
// of that file, so that a worker still reading a dossier that was just
// purged cannot put its text back.
func (s *DB) FileCache() FileCache { return FileCache{s} }

// FileCache: see DB.FileCache.
type FileCache struct{ s *DB }

// GetOCR reads a cached page.
func (c FileCache) GetOCR(ctx context.Context, key string) ([]byte, bool, error) {
	return c.s.GetOCR(ctx, key)
}

// PutOCR caches a page if a dossier holds source.
func (c FileCache) PutOCR(ctx context.Context, key, source string, data []byte) error {
	_, err := c.s.w.ExecContext(ctx, c.s.dialect.cacheHeld, key, source, data, c.s.dialect.time(time.Now()))
	if err != nil {
		return fmt.Errorf("ocr cache put: %w", err)
	}
	return nil
}

// notExist is the error of an unknown blob, whichever the backend.
func notExist(sha string) error {
	return &fs.PathError{Op: "read", Path: "blob " + sha[:12], Err: fs.ErrNotExist}
}
