package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

var sqliteDialect = dialect{
	name: "sqlite",
	time: func(t time.Time) any { return t.UTC().Format(timeText) },
	// The single statement runs under SQLite's write lock, which a purge
	// holds from its first delete to its commit.
	cacheHeld: `INSERT INTO ocr_cache (key, source, data, created_at) SELECT ?1, ?2, ?3, ?4
		WHERE EXISTS (SELECT 1 FROM files WHERE sha256 = ?2)
		ON CONFLICT (key) DO UPDATE SET source = excluded.source, data = excluded.data, created_at = excluded.created_at`,
}

// Open opens (creating if needed) the embedded store in dir: the SQLite
// database dossiers.db and the files under blobs/. The directory and
// everything in it are private to the service's user (0700 directories,
// 0600 files): the database and the blobs hold personal data. SQLite gives
// its -wal and -shm files the database file's mode.
func Open(ctx context.Context, dir string) (*DB, error) {
	return openSQLite(ctx, dir, 1)
}

// openSQLite opens the embedded store with at most writers connections
// for writes (0: reads and writes share one unbounded pool). SQLite
// has one writer at a time: a second connection waiting for the lock
// sleeps in SQLite's busy handler (up to 100 ms a turn), where a single
// writer connection queues the writes in Go and hands over at once; reads
// keep their own connections (WAL readers do not wait for the writer).
func openSQLite(ctx context.Context, dir string, writers int) (*DB, error) {
	b := &dirBlobs{dir: filepath.Join(dir, "blobs"), trash: filepath.Join(dir, "trash")}
	staging, err := privateDirs(dir, b.dir, b.trash)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "dossiers.db")
	if err := privateFile(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// Every transaction is IMMEDIATE: it takes the write lock when it
	// begins, so that what it reads (which dossiers hold a file) cannot
	// change before it writes, and two of them never deadlock upgrading
	// a read lock.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	b.db = db
	w := db
	if writers > 0 {
		if w, err = sql.Open("sqlite", dsn); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: open: %w", err)
		}
		w.SetMaxOpenConns(writers)
	}
	s := &DB{db: db, w: w, dialect: sqliteDialect, blobs: b, staging: staging, name: "sqlite:" + dir}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !os.IsNotExist(err) {
			s.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	return s, nil
}

// privateDirs makes dir, its staging area and the other directories given,
// all 0700 even where they were made wider before (by hand, or by an older
// version).
func privateDirs(dir string, more ...string) (stagingDir, error) {
	stg := stagingDir(filepath.Join(dir, "staging"))
	for _, d := range append([]string{dir, string(stg)}, more...) {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return "", fmt.Errorf("store: %w", err)
		}
		if err := os.Chmod(d, 0o700); err != nil {
			return "", fmt.Errorf("store: %w", err)
		}
	}
	return stg, nil
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

// dirBlobs keeps files in a directory, named by their SHA-256. It relies
// on SQLite's single writer: files are moved in and out only by
// transactions holding the write lock.
type dirBlobs struct {
	dir   string // content-addressed files
	trash string // files of a purge in progress
	db    *sql.DB
}

func (b *dirBlobs) path(sha string) string { return filepath.Join(b.dir, sha[:2], sha) }

func (b *dirBlobs) read(_ context.Context, sha string) ([]byte, error) {
	data, err := os.ReadFile(b.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notExist(sha)
	}
	return data, err
}

// adopt moves a staged file in (a rename: the staging area is on the same
// filesystem). A file already there is kept; one brought in is removed
// again if the transaction fails.
func (b *dirBlobs) adopt(_ context.Context, _ *sql.Tx, src, sha string) (func(), error) {
	dst := b.path(sha)
	if _, err := os.Stat(dst); err == nil {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return nil, err
	}
	if err := os.Rename(src, dst); err != nil {
		return nil, err
	}
	return func() { os.Remove(dst) }, nil
}

// release moves the file to the trash under a unique name when no dossier
// holds it; after the commit the trash is emptied, after a rollback the
// file put back. A file still held but found in the trash (a purge
// interrupted between the two) is put back.
func (b *dirBlobs) release(ctx context.Context, tx *sql.Tx, sha string) (released, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM files WHERE sha256 = ?`, sha).Scan(&n); err != nil {
		return released{}, fmt.Errorf("references to %s: %w", sha[:12], err)
	}
	trashed, _ := filepath.Glob(filepath.Join(b.trash, sha+".*"))
	if n > 0 {
		if _, err := os.Stat(b.path(sha)); os.IsNotExist(err) && len(trashed) > 0 {
			os.MkdirAll(filepath.Dir(b.path(sha)), 0o700)
			os.Rename(trashed[0], b.path(sha))
		}
		return released{}, nil
	}
	r := released{unheld: true}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	p := filepath.Join(b.trash, sha+"."+hex.EncodeToString(suffix))
	if fi, err := os.Stat(b.path(sha)); err == nil {
		if err := os.Rename(b.path(sha), p); err != nil {
			return r, fmt.Errorf("blob %s: %w", sha[:12], err)
		}
		r.blob, r.bytes = true, fi.Size()
	}
	r.after = func(committed bool) {
		if !committed {
			os.Rename(p, b.path(sha))
			return
		}
		os.Remove(p)
		for _, t := range trashed {
			os.Remove(t)
		}
	}
	return r, nil
}

// orphans walks the directory for files older than before that no dossier
// holds, and lists the trash (left by an interrupted purge). Temporary
// files of a crashed older version are removed.
func (b *dirBlobs) orphans(ctx context.Context, before time.Time) ([]string, error) {
	var out []string
	trashed, _ := os.ReadDir(b.trash)
	for _, e := range trashed {
		sha, _, _ := strings.Cut(e.Name(), ".")
		if validSHA(sha) {
			out = append(out, sha)
		} else {
			os.Remove(filepath.Join(b.trash, e.Name()))
		}
	}
	err := filepath.WalkDir(b.dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(before) {
			return nil // removed meanwhile, or young
		}
		if !validSHA(e.Name()) {
			os.Remove(path) // a temporary file of a crashed process
			return nil
		}
		var n int
		if err := b.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM files WHERE sha256 = ?`, e.Name()).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			out = append(out, e.Name())
		}
		return nil
	})
	return out, err
}
