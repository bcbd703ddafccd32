package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossiercheck/dossier"
)

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

// Staged files reach the blob store only with their dossier; a discarded
// staging area leaves nothing.
func TestStagingCommitsWithTheDossier(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	stg, _ := s.Stage()
	if _, _, err := stg.Put(strings.NewReader("%PDF-1.4 dropped"), 100); err != nil {
		t.Fatal(err)
	}
	if _, _, err := stg.Put(strings.NewReader(strings.Repeat("x", 101)), 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	stg.Discard()
	if n := filesIn(t, dir+"/blobs") + filesIn(t, dir+"/staging"); n != 0 {
		t.Fatalf("discarded upload left %d files", n)
	}
	stg, _ = s.Stage()
	sha, n, err := stg.Put(strings.NewReader("%PDF-1.4 kept"), 100)
	if err != nil || n != 13 {
		t.Fatal(n, err)
	}
	d := dossier.Dossier{ID: NewID(), Procedure: "fr-ants-permis", Status: dossier.Received,
		Files: []dossier.File{{Name: "a.pdf", SHA256: sha, Size: n, Type: dossier.PDF}}}
	if err := s.CreateStaged(ctx, &d, stg); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Blob(sha); err != nil || string(b) != "%PDF-1.4 kept" {
		t.Errorf("blob after commit: %q %v", b, err)
	}
	if n := filesIn(t, dir+"/staging"); n != 0 {
		t.Errorf("%d files left in staging", n)
	}
	// A dossier that cannot be recorded (its id is taken) takes its new
	// blobs away again.
	stg, _ = s.Stage()
	sha2, n2, _ := stg.Put(strings.NewReader("%PDF-1.4 other"), 100)
	dup := d
	dup.Files = []dossier.File{{Name: "b.pdf", SHA256: sha2, Size: n2, Type: dossier.PDF}}
	if err := s.CreateStaged(ctx, &dup, stg); err == nil {
		t.Fatal("duplicate id recorded")
	}
	if _, err := s.Blob(sha2); !os.IsNotExist(err) {
		t.Errorf("blob of a failed create kept: %v", err)
	}
}

// Data is private: 0700 directories, 0600 database (and WAL) and blobs,
// even where the directory was made wider before.
func TestPrivateModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var")
	os.MkdirAll(dir, 0o755)
	s := open(t, dir)
	newDossier(t, s, "%PDF-1.4 private")
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
	if _, err := os.Stat(filepath.Join(dir, "dossiers.db-wal")); err != nil {
		t.Errorf("no WAL checked: %v", err)
	}
}

// The worker's cache keeps no page of a file no dossier holds (a dossier
// purged while it was read), and a dossier is finished once.
func TestFileCacheAndFinishOnce(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	d := newDossier(t, s, "%PDF-1.4 a")
	c := s.FileCache()
	c.PutOCR(ctx, "k1", d.Files[0].SHA256, []byte("page"))
	if _, ok, _ := c.GetOCR(ctx, "k1"); !ok {
		t.Error("page of a held file not cached")
	}
	if err := s.Finish(ctx, d.ID, []byte(`{}`), ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, d.ID, []byte(`{}`), ""); !errors.Is(err, ErrFinished) {
		t.Errorf("second finish: %v", err)
	}
	s.Purge(ctx, d.ID)
	c.PutOCR(ctx, "k2", d.Files[0].SHA256, []byte("page"))
	if _, ok, _ := c.GetOCR(ctx, "k2"); ok {
		t.Error("page of a purged file cached")
	}
	if err := s.Finish(ctx, d.ID, []byte(`{}`), ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("finish after purge: %v", err)
	}
	if ok, _ := s.Exists(ctx, d.ID); ok {
		t.Error("purged dossier exists")
	}
}

// The sweep removes blobs and cache rows no dossier holds, and abandoned
// staging areas; retention purges finished dossiers past their period,
// per procedure.
func TestSweepAndRetention(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	kept := newDossier(t, s, "%PDF-1.4 kept")
	orphan, _ := s.PutBlob([]byte("%PDF-1.4 orphan"))
	s.PutOCR(ctx, "k-orphan", orphan, []byte("page"))
	stg, _ := s.Stage()
	stg.Put(strings.NewReader("half an upload"), 100)
	sw, err := s.Sweep(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sw.Blobs != 1 || sw.CacheRows != 1 || sw.Staged != 1 {
		t.Errorf("swept %+v", sw)
	}
	if _, err := s.Blob(kept.Files[0].SHA256); err != nil {
		t.Errorf("held blob swept: %v", err)
	}
	if _, err := s.Blob(orphan); !os.IsNotExist(err) {
		t.Errorf("orphan kept: %v", err)
	}

	old := newDossier(t, s, "%PDF-1.4 old")
	s.Finish(ctx, old.ID, []byte(`{}`), "")
	s.Finish(ctx, kept.ID, []byte(`{}`), "")
	other := newDossier(t, s, "%PDF-1.4 other")
	s.db.Exec(`UPDATE dossiers SET procedure = 'be-pcp-m36' WHERE id = ?`, other.ID)
	s.Finish(ctx, other.ID, []byte(`{}`), "")
	waiting := newDossier(t, s, "%PDF-1.4 waiting") // not finished: never expires
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
	if n := filesIn(t, dir+"/blobs"); n != 1 {
		t.Errorf("%d blobs left, want the waiting dossier's", n)
	}
}
