package store

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"dossiercheck/dossier"
)

func open(t *testing.T, dir string) *SQLite {
	t.Helper()
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newDossier(t *testing.T, s *SQLite, content string) dossier.Dossier {
	t.Helper()
	sha, err := s.PutBlob([]byte(content))
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	d := dossier.Dossier{ID: NewID(), Procedure: "fr-ants-permis", Submitted: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC),
		Declared: dossier.Declared{Hosted: &yes}, Status: dossier.Received,
		Files: []dossier.File{{Name: "a.pdf", SHA256: sha, Size: int64(len(content)), Type: dossier.PDF}}}
	if err := s.Create(context.Background(), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	d := newDossier(t, s, "%PDF-1.4 one")
	got, err := s.Get(ctx, d.ID)
	if err != nil || got.Status != dossier.Received || !got.Declared.Flag("hosted") || len(got.Files) != 1 || !got.Submitted.Equal(d.Submitted) {
		t.Fatalf("get: %+v %v", got, err)
	}
	if ok, _ := s.SetStatus(ctx, d.ID, dossier.Queued, dossier.Processing); ok {
		t.Error("status moved from a state it was not in")
	}
	if ok, _ := s.SetStatus(ctx, d.ID, dossier.Queued, dossier.Received); !ok {
		t.Error("received → queued refused")
	}
	if err := s.Finish(ctx, d.ID, []byte(`{"verdict":"accept"}`), ""); err != nil {
		t.Fatal(err)
	}
	// Reopening runs no migration twice and keeps the data.
	s.Close()
	s = open(t, dir)
	got, _ = s.Get(ctx, d.ID)
	if got.Status != dossier.Done || string(got.Report) != `{"verdict":"accept"}` {
		t.Errorf("after reopen: %s %s", got.Status, got.Report)
	}
	if _, err := s.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestStale(t *testing.T) {
	s := open(t, t.TempDir())
	d := newDossier(t, s, "x")
	ids, err := s.Stale(context.Background(), dossier.Received, time.Now().Add(time.Second), 10)
	if err != nil || len(ids) != 1 || ids[0] != d.ID {
		t.Fatalf("stale: %v %v", ids, err)
	}
	if ids, _ := s.Stale(context.Background(), dossier.Received, time.Now().Add(-time.Hour), 10); len(ids) != 0 {
		t.Errorf("grace ignored: %v", ids)
	}
}

// Purging removes the dossier, the files no other dossier holds, and OCR
// text cached from them; a file shared with another dossier stays.
func TestPurge(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	a := newDossier(t, s, "shared")
	b := newDossier(t, s, "shared")
	c := newDossier(t, s, "own")
	s.PutOCR(ctx, "k-shared", a.Files[0].SHA256, []byte("text"))
	s.PutOCR(ctx, "k-own", c.Files[0].SHA256, []byte("text"))
	if err := s.Purge(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blob(a.Files[0].SHA256); err != nil {
		t.Error("shared file deleted while b still holds it")
	}
	if err := s.Purge(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blob(c.Files[0].SHA256); !os.IsNotExist(err) {
		t.Errorf("own file kept: %v", err)
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
	_ = b
}

func TestBlobContentAddressed(t *testing.T) {
	s := open(t, t.TempDir())
	x, _ := s.PutBlob([]byte("abc"))
	y, _ := s.PutBlob([]byte("abc"))
	if x != y || x != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("hashes %s %s", x, y)
	}
	if _, err := s.Blob("../../etc/passwd"); err == nil {
		t.Error("path outside the store accepted")
	}
}
