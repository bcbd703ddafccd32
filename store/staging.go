package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Staging holds the files of one upload until its dossier is created: an
// upload refused half-way (a bad field after the files, too many files, a
// client gone) leaves nothing in the blob store. Files are written and
// fsynced here, on the intake's own disk whatever the backend, then
// brought into the blob store by CreateStaged.
type Staging struct {
	dir string
}

// ErrTooLarge is returned by Staging.Put when a file exceeds its limit.
var ErrTooLarge = errors.New("file exceeds its size limit")

// SweepGrace is the age under which Sweep and SweepStaging spare staged
// uploads and blobs: an upload still being received is not an orphan.
const SweepGrace = time.Hour

// stagingDir holds the staging areas of the uploads in progress.
type stagingDir string

// Stage opens a staging area for one upload. Discard it when done, whether
// the dossier was created or not.
func (s *DB) Stage() (*Staging, error) {
	dir, err := os.MkdirTemp(string(s.staging), "up-")
	if err != nil {
		return nil, fmt.Errorf("store staging: %w", err)
	}
	return &Staging{dir: dir}, nil
}

// sweep removes the staging areas last written before before (a crashed
// intake leaves them) and returns how many.
func (d stagingDir) sweep(before time.Time) int {
	n := 0
	areas, _ := os.ReadDir(string(d))
	for _, a := range areas {
		if fi, err := a.Info(); err == nil && fi.ModTime().Before(before) {
			if os.RemoveAll(filepath.Join(string(d), a.Name())) == nil {
				n++
			}
		}
	}
	return n
}

// SweepStaging removes the staging areas of uploads that never finished
// (a crashed intake leaves them) last written longer than grace ago, and
// returns how many. Sweep does it too; an intake whose workers run on
// other hosts calls it for its own disk.
func (s *DB) SweepStaging(grace time.Duration) int {
	return s.staging.sweep(time.Now().Add(-grace))
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
	if err := os.Rename(f.Name(), st.path(sha)); err != nil {
		return "", n, fmt.Errorf("store staging: %w", err)
	}
	return sha, n, nil
}

func (st *Staging) path(sha string) string { return filepath.Join(st.dir, sha) }

// Discard removes the staging area and whatever is left in it.
func (st *Staging) Discard() error { return os.RemoveAll(st.dir) }
