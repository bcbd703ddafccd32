package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dossiercheck/dossier"
	"dossiercheck/store/pgtest"
)

// Every test of the store's behaviour runs against both backends: the
// embedded SQLite store and PostgreSQL (a fresh database per test).

// backend opens a store; open again gives the same store (reopened).
type backend struct {
	name string
	open func(t *testing.T, dir string) *DB
}

func backends() []backend {
	return []backend{
		{"sqlite", func(t *testing.T, dir string) *DB {
			return opened(t)(Open(context.Background(), dir))
		}},
		{"postgres", func(t *testing.T, dir string) *DB {
			// One database per test, made on the first open.
			url, ok := pgURLs.Load(t)
			if !ok {
				url, _ = pgURLs.LoadOrStore(t, pgtest.Database(t))
			}
			return opened(t)(OpenPostgres(context.Background(), url.(string), dir))
		}},
	}
}

var pgURLs sync.Map // *testing.T → its database

func opened(t *testing.T) func(*DB, error) *DB {
	return func(s *DB, err error) *DB {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

// forEach runs test against each backend, with a store in a new data
// directory.
func forEach(t *testing.T, test func(t *testing.T, b backend, s *DB, dir string)) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "var")
			test(t, b, b.open(t, dir), dir)
		})
	}
}

// create stores a dossier of one file per content, through staging as
// intake does.
func create(t *testing.T, s *DB, contents ...string) dossier.Dossier {
	t.Helper()
	stg, err := s.Stage()
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	d := dossier.Dossier{ID: NewID(), Procedure: "fr-ants-permis", Submitted: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC),
		Declared: dossier.Declared{Hosted: &yes}, Status: dossier.Received}
	for i, c := range contents {
		sha, n, err := stg.Put(strings.NewReader(c), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		d.Files = append(d.Files, dossier.File{Name: fmt.Sprintf("%d.pdf", i), SHA256: sha, Size: n, Type: dossier.PDF})
	}
	if err := s.CreateStaged(context.Background(), &d, stg); err != nil {
		t.Fatal(err)
	}
	return d
}

// blobGone says whether the blob store no longer holds sha.
func blobGone(t *testing.T, s *DB, sha string) bool {
	t.Helper()
	_, err := s.Blob(context.Background(), sha)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("blob %s: %v", sha[:12], err)
	}
	return err != nil
}

// blobCount counts the files in the blob store.
func blobCount(t *testing.T, s *DB, dir string) int {
	t.Helper()
	if s.dialect.name == "sqlite" {
		return filesIn(t, filepath.Join(dir, "blobs"))
	}
	return count(t, s, `SELECT COUNT(*) FROM blobs`)
}

func count(t *testing.T, s *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(s.q(q), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// filesIn counts the regular files under dir.
func filesIn(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

func TestLifecycle(t *testing.T) {
	forEach(t, func(t *testing.T, b backend, s *DB, dir string) {
		ctx := context.Background()
		d := create(t, s, "%PDF-1.4 one")
		got, err := s.Get(ctx, d.ID)
		if err != nil || got.Status != dossier.Received || !got.Declared.Flag("hosted") || len(got.Files) != 1 ||
			!got.Submitted.Equal(d.Submitted) || got.Files[0] != d.Files[0] || got.CreatedAt.IsZero() {
			t.Fatalf("get: %+v %v", got, err)
		}
		if ok, _ := s.SetStatus(ctx, d.ID, dossier.Queued, dossier.Processing); ok {
			t.Error("status moved from a state it was not in")
		}
		if ok, _ := s.SetStatus(ctx, d.ID, dossier.Queued, dossier.Received, dossier.Failed); !ok {
			t.Error("received → queued refused")
		}
		// The report comes back byte for byte.
		report := `{"verdict":"accept", "findings":[]}`
		if err := s.Finish(ctx, d.ID, []byte(report), ""); err != nil {
			t.Fatal(err)
		}
		// Reopening runs no migration twice and keeps the data.
		s.Close()
		s = b.open(t, dir)
		got, _ = s.Get(ctx, d.ID)
		if got.Status != dossier.Done || string(got.Report) != report || got.Error != "" {
			t.Errorf("after reopen: %s %s", got.Status, got.Report)
		}
		ms, _ := migrations(s.dialect.name)
		if n := count(t, s, `SELECT COUNT(*) FROM schema_migrations`); n != len(ms) {
			t.Errorf("%d migrations recorded, want %d", n, len(ms))
		}
		if _, err := s.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
		f := create(t, s, "%PDF-1.4 two")
		if err := s.Finish(ctx, f.ID, nil, "unreadable"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, f.ID); got.Status != dossier.Failed || got.Error != "unreadable" || got.Report != nil {
			t.Errorf("failed dossier: %+v", got)
		}
	})
}

func TestStale(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, _ string) {
		ctx := context.Background()
		d := create(t, s, "x")
		e := create(t, s, "y")
		ids, err := s.Stale(ctx, dossier.Received, time.Now().Add(time.Second), 10)
		if err != nil || len(ids) != 2 || ids[0] != d.ID || ids[1] != e.ID {
			t.Fatalf("stale: %v %v, want oldest first", ids, err)
		}
		if ids, _ := s.Stale(ctx, dossier.Received, time.Now().Add(-time.Hour), 10); len(ids) != 0 {
			t.Errorf("grace ignored: %v", ids)
		}
		if ids, _ := s.Stale(ctx, dossier.Received, time.Now().Add(time.Second), 1); len(ids) != 1 {
			t.Errorf("limit ignored: %v", ids)
		}
	})
}

// Purging removes the dossier, the files no other dossier holds, and OCR
// text cached from them; a file shared with another dossier stays.
func TestPurge(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, _ string) {
		ctx := context.Background()
		a := create(t, s, "shared", "own a")
		b := create(t, s, "shared")
		c := create(t, s, "own")
		shared, ownA, own := b.Files[0].SHA256, a.Files[1].SHA256, c.Files[0].SHA256
		s.PutOCR(ctx, "k-shared", shared, []byte("text"))
		s.PutOCR(ctx, "k-own", own, []byte("text"))
		if err := s.Purge(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if blobGone(t, s, shared) || !blobGone(t, s, ownA) {
			t.Error("purge of a: the shared file must stay, its own go")
		}
		if err := s.Purge(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if !blobGone(t, s, own) {
			t.Error("own file kept")
		}
		if _, ok, _ := s.GetOCR(ctx, "k-own"); ok {
			t.Error("OCR text of a purged file kept")
		}
		if _, ok, _ := s.GetOCR(ctx, "k-shared"); !ok {
			t.Error("OCR text of a file still held was purged")
		}
		if _, err := s.Get(ctx, a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("purged dossier still there: %v", err)
		}
		if err := s.Purge(ctx, a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("second purge: %v", err)
		}
	})
}

func TestBlobContentAddressed(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, _ string) {
		ctx := context.Background()
		a, b := create(t, s, "abc"), create(t, s, "abc")
		if x, y := a.Files[0].SHA256, b.Files[0].SHA256; x != y || x != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
			t.Errorf("hashes %s %s", x, y)
		}
		if data, err := s.Blob(ctx, a.Files[0].SHA256); err != nil || string(data) != "abc" {
			t.Errorf("blob: %q %v", data, err)
		}
		if _, err := s.Blob(ctx, "../../etc/passwd"); err == nil {
			t.Error("path outside the store accepted")
		}
		if !blobGone(t, s, strings.Repeat("0", 64)) {
			t.Error("unknown blob found")
		}
	})
}

// Staged files reach the blob store only with their dossier; a discarded
// staging area leaves nothing.
func TestStagingCommitsWithTheDossier(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, dir string) {
		ctx := context.Background()
		stg, _ := s.Stage()
		dropped, _, err := stg.Put(strings.NewReader("%PDF-1.4 dropped"), 100)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := stg.Put(strings.NewReader(strings.Repeat("x", 101)), 100); !errors.Is(err, ErrTooLarge) {
			t.Errorf("over the limit: %v", err)
		}
		stg.Discard()
		if n := blobCount(t, s, dir) + filesIn(t, filepath.Join(dir, "staging")); n != 0 || !blobGone(t, s, dropped) {
			t.Fatalf("discarded upload left %d files", n)
		}
		d := create(t, s, "%PDF-1.4 kept")
		if b, err := s.Blob(ctx, d.Files[0].SHA256); err != nil || string(b) != "%PDF-1.4 kept" {
			t.Errorf("blob after commit: %q %v", b, err)
		}
		if n := filesIn(t, filepath.Join(dir, "staging")); n != 0 {
			t.Errorf("%d files left in staging", n)
		}
		// A dossier that cannot be recorded (its id is taken) takes its
		// new blobs away again, and leaves those it shares.
		stg, _ = s.Stage()
		kept, _, _ := stg.Put(strings.NewReader("%PDF-1.4 kept"), 100)
		other, n, _ := stg.Put(strings.NewReader("%PDF-1.4 other"), 100)
		dup := d
		dup.Files = []dossier.File{{Name: "b.pdf", SHA256: other, Size: n, Type: dossier.PDF}, {Name: "a.pdf", SHA256: kept, Size: 13, Type: dossier.PDF}}
		if err := s.CreateStaged(ctx, &dup, stg); err == nil {
			t.Fatal("duplicate id recorded")
		}
		if !blobGone(t, s, other) || blobGone(t, s, kept) {
			t.Error("a failed create must take its new blob away and leave the shared one")
		}
		if n := filesIn(t, filepath.Join(dir, "staging")); n != 0 {
			t.Errorf("%d files left in staging", n)
		}
	})
}

// Data on disk is private: 0700 directories, 0600 database (and WAL) and
// blobs, even where the directory was made wider before.
func TestPrivateModes(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "var")
			os.MkdirAll(filepath.Join(dir, "staging"), 0o755)
			os.Chmod(dir, 0o755)
			s := b.open(t, dir)
			create(t, s, "%PDF-1.4 private")
			stg, _ := s.Stage() // an upload in progress
			stg.Put(strings.NewReader("%PDF-1.4 staged"), 100)
			defer stg.Discard()
			err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				fi, _ := e.Info()
				want := fs.FileMode(0o600)
				if e.IsDir() {
					want = 0o700
				}
				if fi.Mode().Perm() != want {
					t.Errorf("%s: %v, want %v", p, fi.Mode().Perm(), want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, "dossiers.db-wal")); err != nil && b.name == "sqlite" {
				t.Errorf("no WAL checked: %v", err)
			}
		})
	}
}

// The worker's cache keeps no page of a file no dossier holds (a dossier
// purged while it was read), and a dossier is finished once.
func TestFileCacheAndFinishOnce(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, _ string) {
		ctx := context.Background()
		d := create(t, s, "%PDF-1.4 a")
		c := s.FileCache()
		if err := c.PutOCR(ctx, "k1", d.Files[0].SHA256, []byte("page")); err != nil {
			t.Fatal(err)
		}
		c.PutOCR(ctx, "k1", d.Files[0].SHA256, []byte("page again"))
		if b, ok, _ := c.GetOCR(ctx, "k1"); !ok || string(b) != "page again" {
			t.Errorf("page of a held file: %q %v", b, ok)
		}
		if err := c.PutOCR(ctx, "k0", strings.Repeat("0", 64), []byte("page")); err != nil {
			t.Error(err)
		}
		if _, ok, _ := c.GetOCR(ctx, "k0"); ok {
			t.Error("page of a file no dossier holds cached")
		}
		if err := s.Finish(ctx, d.ID, []byte(`{}`), ""); err != nil {
			t.Fatal(err)
		}
		if err := s.Finish(ctx, d.ID, []byte(`{}`), ""); !errors.Is(err, ErrFinished) {
			t.Errorf("second finish: %v", err)
		}
		s.Purge(ctx, d.ID)
		if err := c.PutOCR(ctx, "k2", d.Files[0].SHA256, []byte("page")); err != nil {
			t.Error(err)
		}
		if _, ok, _ := c.GetOCR(ctx, "k2"); ok {
			t.Error("page of a purged file cached")
		}
		if err := s.Finish(ctx, d.ID, []byte(`{}`), ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("finish after purge: %v", err)
		}
		if ok, _ := s.Exists(ctx, d.ID); ok {
			t.Error("purged dossier exists")
		}
	})
}

// The sweep removes blobs and cache rows no dossier holds, and abandoned
// staging areas; retention purges finished dossiers past their period,
// per procedure.
func TestSweepAndRetention(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, dir string) {
		ctx := context.Background()
		kept := create(t, s, "%PDF-1.4 kept")
		// A dossier's rows deleted behind the store's back leave its
		// blob unreferenced.
		lost := create(t, s, "%PDF-1.4 orphan")
		orphan := lost.Files[0].SHA256
		s.PutOCR(ctx, "k-orphan", orphan, []byte("page"))
		if _, err := s.db.Exec(s.q(`DELETE FROM dossiers WHERE id = ?`), lost.ID); err != nil {
			t.Fatal(err)
		}
		stg, _ := s.Stage()
		stg.Put(strings.NewReader("half an upload"), 100)
		if sw, err := s.Sweep(ctx, time.Hour); err != nil || sw.Blobs != 0 || sw.Staged != 0 || sw.CacheRows != 1 {
			t.Errorf("sweep within grace: %+v %v; only the cache row may go", sw, err)
		}
		s.PutOCR(ctx, "k-orphan", orphan, []byte("page"))
		time.Sleep(10 * time.Millisecond)
		sw, err := s.Sweep(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if sw.Blobs != 1 || sw.Bytes != 15 || sw.CacheRows != 1 || sw.Staged != 1 {
			t.Errorf("swept %+v", sw)
		}
		if blobGone(t, s, kept.Files[0].SHA256) {
			t.Error("held blob swept")
		}
		if !blobGone(t, s, orphan) {
			t.Error("orphan kept")
		}

		old := create(t, s, "%PDF-1.4 old")
		s.Finish(ctx, old.ID, []byte(`{}`), "")
		s.Finish(ctx, kept.ID, nil, "failed")
		other := create(t, s, "%PDF-1.4 other")
		s.db.Exec(s.q(`UPDATE dossiers SET procedure = 'be-pcp-m36' WHERE id = ?`), other.ID)
		s.Finish(ctx, other.ID, []byte(`{}`), "")
		waiting := create(t, s, "%PDF-1.4 waiting") // not finished: never expires
		r := Retention{Default: 90 * 24 * time.Hour, ByProcedure: map[string]time.Duration{"be-pcp-m36": 10 * 24 * time.Hour}}
		in := func(days int) time.Time { return time.Now().Add(time.Duration(days) * 24 * time.Hour) }
		if n, _ := s.PurgeExpired(ctx, r, in(9)); n != 0 {
			t.Errorf("%d purged within 9 days", n)
		}
		if ids, _ := s.Expired(ctx, r, in(89), 10); len(ids) != 1 {
			t.Errorf("expired after 89 days: %v, want the M36 one only", ids)
		}
		if ids, _ := s.Expired(ctx, r, in(11), 10); len(ids) != 1 || ids[0] != other.ID {
			t.Errorf("expired after 11 days: %v, want the M36 one", ids)
		}
		if n, err := s.PurgeExpired(ctx, r, in(91)); n != 3 || err != nil {
			t.Errorf("purged %d after 91 days (%v), want 3", n, err)
		}
		if ok, _ := s.Exists(ctx, waiting.ID); !ok {
			t.Error("an unfinished dossier was purged")
		}
		if n := blobCount(t, s, dir); n != 1 {
			t.Errorf("%d blobs left, want the waiting dossier's", n)
		}
	})
}

// Uploads, purges, sweeps and the worker's cache race on one shared file:
// whatever the interleaving, a stored dossier can read its file, and the
// file and its cached pages go with the last dossier holding it.
func TestConcurrentSharedFile(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, _ string) {
		ctx := context.Background()
		for round := range 8 {
			content := fmt.Sprintf("%%PDF-1.4 shared %d", round)
			first := create(t, s, content)
			sha := first.Files[0].SHA256
			var wg sync.WaitGroup
			var second dossier.Dossier
			wg.Go(func() { second = create(t, s, content, "own") })
			wg.Go(func() {
				if err := s.Purge(ctx, first.ID); err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() {
				// Not the staging areas: the second upload's is in use.
				if _, err := s.sweepBlobs(ctx, time.Now()); err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() { s.FileCache().PutOCR(ctx, "k"+sha, sha, []byte("page")) })
			wg.Wait()
			if t.Failed() {
				return
			}
			if b, err := s.Blob(ctx, sha); err != nil || string(b) != content {
				t.Fatalf("round %d: the second dossier's file: %q %v", round, b, err)
			}
			wg.Go(func() {
				if err := s.Purge(ctx, second.ID); err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() { s.FileCache().PutOCR(ctx, "k2"+sha, sha, []byte("page")) })
			wg.Wait()
			_, ok1, _ := s.GetOCR(ctx, "k"+sha)
			_, ok2, _ := s.GetOCR(ctx, "k2"+sha)
			if !blobGone(t, s, sha) || ok1 || ok2 {
				t.Fatalf("round %d: after the last purge: blob or pages kept (%v %v)", round, ok1, ok2)
			}
		}
	})
}

// Intake and workers start at once on one database: the migrations run
// once, whoever comes first.
func TestConcurrentOpen(t *testing.T) {
	forEach(t, func(t *testing.T, b backend, s *DB, dir string) {
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if t := b.open(t, dir); t == nil {
					panic("unreachable")
				}
			})
		}
		wg.Wait()
		ms, _ := migrations(s.dialect.name)
		if n := count(t, s, `SELECT COUNT(*) FROM schema_migrations`); n != len(ms) {
			t.Errorf("%d migrations recorded, want %d", n, len(ms))
		}
	})
}

// A database made before numbered migrations (schema_version) opens with
// its data, and records its schema as migration 1.
func TestLegacySQLite(t *testing.T) {
	dir := t.TempDir()
	s := opened(t)(Open(context.Background(), dir))
	d := create(t, s, "%PDF-1.4 legacy")
	// Back to the schema of that time: migration 1 only.
	for _, q := range []string{`DROP TABLE schema_migrations`, `CREATE TABLE schema_version (version INTEGER NOT NULL)`, `INSERT INTO schema_version VALUES (1)`,
		`DROP TABLE deliveries`, `DROP TABLE idempotency_keys`, `DROP TABLE portals`, `DROP INDEX dossiers_portal_created`,
		`ALTER TABLE dossiers DROP COLUMN portal`, `ALTER TABLE dossiers DROP COLUMN verdict`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = opened(t)(Open(context.Background(), dir))
	if got, err := s.Get(context.Background(), d.ID); err != nil || len(got.Files) != 1 {
		t.Errorf("legacy dossier: %+v %v", got, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_version'`); n != 0 {
		t.Error("schema_version kept")
	}
}

func TestConnect(t *testing.T) {
	ctx := context.Background()
	if _, err := Connect(ctx, "mysql://u:secret@h/db", t.TempDir()); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("unknown store: %v (and no password in errors)", err)
	}
	_, err := Connect(ctx, "postgres://u:secret@127.0.0.1:1/db?connect_timeout=2", t.TempDir())
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("unreachable server: %v (and no password in errors)", err)
	}
	s, err := Connect(ctx, "", t.TempDir())
	if err != nil || s.dialect.name != "sqlite" {
		t.Fatalf("default store: %v", err)
	}
	s.Close()
}
