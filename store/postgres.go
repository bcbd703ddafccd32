package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var postgresDialect = dialect{
	name:     "postgres",
	numbered: true,
	time:     func(t time.Time) any { return t.UTC() },
	// One lock number for the migrations of every dossiercheck process.
	migrationLock: `SELECT pg_advisory_xact_lock(4711071901)`,
	// The blob's row is locked (key share) before a dossier holding it is
	// looked for: a purge releasing the file locks the row for update
	// first, so one waits for the other, and a page put after a purge
	// finds no row.
	cacheHeld: `WITH held AS (SELECT 1 FROM blobs WHERE sha256 = $2 FOR KEY SHARE)
		INSERT INTO ocr_cache (key, source, data, created_at) SELECT $1::text, $2::text, $3::bytea, $4::timestamptz FROM held
		WHERE EXISTS (SELECT 1 FROM files WHERE sha256 = $2)
		ON CONFLICT (key) DO UPDATE SET source = excluded.source, data = excluded.data, created_at = excluded.created_at`,
}

// OpenPostgres opens the PostgreSQL store at dsn (a postgres:// URL),
// applying its migrations. Records, reading cache and files are all in the
// database; dir (made 0700) holds only the staging areas of the uploads
// this process receives.
func OpenPostgres(ctx context.Context, dsn, dir string) (*DB, error) {
	staging, err := privateDirs(dir)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", redact(dsn), err)
	}
	// A worker holds one connection per dossier in progress at most, an
	// intake one per upload committing: a few each, so that many hosts
	// stay within the server's max_connections.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &DB{db: db, w: db, dialect: postgresDialect, blobs: &pgBlobs{db}, staging: staging, name: redact(dsn)}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", s.name, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// redact drops the password from a URL for logs and errors.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable store URL)"
	}
	return u.Redacted()
}

// pgBlobs keeps files in the blobs table. Rows lock against each other:
// an upload takes a key-share lock on each blob row it uses (by the
// foreign key of its files, or explicitly for a row already there), and a
// release locks the row for update before it looks for dossiers holding
// it, so it sees every upload that committed meanwhile and blocks the
// ones to come.
type pgBlobs struct{ db *sql.DB }

func (b *pgBlobs) read(ctx context.Context, sha string) ([]byte, error) {
	var data []byte
	err := b.db.QueryRowContext(ctx, `SELECT data FROM blobs WHERE sha256 = $1`, sha).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notExist(sha)
	}
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", sha[:12], err)
	}
	return data, nil
}

// adopt locks the blob's row if it is there; otherwise it inserts the
// staged content (a row inserted meanwhile by another upload is locked
// instead, or waited for).
func (b *pgBlobs) adopt(ctx context.Context, tx *sql.Tx, src, sha string) (func(), error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM blobs WHERE sha256 = $1 FOR KEY SHARE`, sha).Scan(&one)
	if err == nil {
		return nil, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3)
		ON CONFLICT (sha256) DO UPDATE SET sha256 = excluded.sha256`, sha, len(data), data)
	return nil, err
}

// release deletes the blob's row if no dossier holds the file, once it
// holds the row's lock (a new statement: it sees what committed while it
// waited). Without a row no dossier holds the file: the files' foreign
// key would not allow it.
func (b *pgBlobs) release(ctx context.Context, tx *sql.Tx, sha string) (released, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM blobs WHERE sha256 = $1 FOR UPDATE`, sha).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return released{unheld: true}, nil
	}
	if err != nil {
		return released{}, fmt.Errorf("lock blob %s: %w", sha[:12], err)
	}
	var size int64
	err = tx.QueryRowContext(ctx, `DELETE FROM blobs WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM files WHERE sha256 = $1) RETURNING size`, sha).Scan(&size)
	if errors.Is(err, sql.ErrNoRows) {
		return released{}, nil // held
	}
	if err != nil {
		return released{}, fmt.Errorf("blob %s: %w", sha[:12], err)
	}
	return released{unheld: true, blob: true, bytes: size}, nil
}

func (b *pgBlobs) orphans(ctx context.Context, before time.Time) ([]string, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT sha256 FROM blobs WHERE created_at < $1
		AND NOT EXISTS (SELECT 1 FROM files WHERE files.sha256 = blobs.sha256) LIMIT 10000`, before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, err
		}
		out = append(out, sha)
	}
	return out, rows.Err()
}
