package scan_test

import (
	"errors"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/scan"
)

func TestExifDate(t *testing.T) {
	plain := fixtures.JPEG(fixtures.Photo(100), 80)
	shot := time.Date(2026, 9, 1, 14, 30, 0, 0, time.UTC)
	got, err := scan.ExifDate(fixtures.WithExifDate(plain, shot))
	if err != nil || !got.Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ExifDate = %v, %v; want 2026-09-01", got, err)
	}
	if _, err := scan.ExifDate(plain); !errors.Is(err, scan.ErrNoExifDate) {
		t.Errorf("JPEG without EXIF: %v, want ErrNoExifDate", err)
	}
	// The segment still decodes as an image.
	if _, err := scan.Decode(fixtures.WithExifDate(plain, shot), scan.DefaultMaxPixels); err != nil {
		t.Errorf("decode JPEG with EXIF: %v", err)
	}
}

func FuzzExifDate(f *testing.F) {
	f.Add(fixtures.WithExifDate(fixtures.JPEG(fixtures.Photo(20), 50), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)))
	f.Add([]byte("\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00MM\x00*\x00\x00\x00\x08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		scan.ExifDate(b) // must not panic or hang
	})
}
