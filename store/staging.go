package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Staging holds the files of one upload until its dossier is created: an
// upload refused half-way (a bad field after the files, too many files, a
// client gone) leaves nothing in the blob store. Files are written and
// fsynced here, then moved into the blob store by CreateStaged.
type Staging struct {
	dir string
}

// ErrTooLarge is returned by Staging.Put when a file exceeds its limit.
var ErrTooLarge = errors.New("file exceeds its size limit")

// Stage opens a staging area for one upload. Discard it when done, whether
// the dossier was created or not.
func (s *SQLite) Stage() (*Staging, error) {
	dir, err := os.MkdirTemp(s.staging, "up-")
	if err != nil {
		return nil, fmt.Errorf("store staging: %w", err)
	}
	return &Staging{dir: dir}, nil
}

// Put streams one file into the staging area, at most limit bytes, and
// returns its SHA-256 and size. Beyond limit it returns ErrTooLarge.
func (st *Staging) Put(r io.Reader, limit int64) (string, int64, error) {
	f, err := os.CreateTemp(st.dir, ".part-*")
	if err != nil {
		return "", 0, fmt.Errorf("store staging: %w", err)
	}
	defer os.Remove(f.Name()) // after the rename below, a no-op
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("store staging: %w", cerr)
	}
	if err != nil {
		return "", n, err
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if err := os.Rename(f.Name(), filepath.Join(st.dir, sha)); err != nil {
		return "", n, fmt.Errorf("store staging: %w", err)
	}
	return sha, n, nil
}

// Discard removes the staging area and whatever is left in it.
func (st *Staging) Discard() error { return os.RemoveAll(st.dir) }

// adopt moves a staged file into the blob store. isNew says whether the
// blob store did not hold it before. Called with SQLite's write lock held.
func (s *SQLite) adopt(st *Staging, sha string) (isNew bool, err error) {
	src, dst := filepath.Join(st.dir, sha), s.blobPath(sha)
	if _, err := os.Stat(dst); err == nil {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return false, fmt.Errorf("blob %s: %w", sha[:12], err)
	}
	if err := os.Rename(src, dst); err != nil {
		return false, fmt.Errorf("blob %s: %w", sha[:12], err)
	}
	return true, nil
}

// trash moves a blob out of the store under a unique name and returns that
// name ("" when the blob was not there). Called with SQLite's write lock
// held.
func (s *SQLite) trash(sha string) (string, error) {
	b := make([]byte, 6)
	rand.Read(b)
	p := filepath.Join(s.trashDir, sha+"."+hex.EncodeToString(b))
	err := os.Rename(s.blobPath(sha), p)
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return p, nil
}
