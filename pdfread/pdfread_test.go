package pdfread_test

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"

	"dossiercheck/pdfread"
)

// maxAlloc bounds what reading one PDF may allocate in all: a dossier
// piece is at most 20 MB and one stream expands to at most 32 MB.
const maxAlloc = 512 << 20

// inspect runs Inspect and measures what it allocated.
func inspect(data []byte) (pdfread.Info, error, uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	info, err := pdfread.Inspect(data)
	runtime.ReadMemStats(&after)
	return info, err, after.TotalAlloc - before.TotalAlloc
}

// FuzzRead feeds PDF reading damaged and hostile files: it must never
// panic, never allocate without bound, and say what is wrong in the
// clerk's words (a Problem with a known code), never in the library's.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err, alloc := inspect(data)
		if alloc > maxAlloc {
			t.Errorf("allocated %d MB reading %d bytes", alloc>>20, len(data))
		}
		if err != nil {
			var p *pdfread.Problem
			if !errors.As(err, &p) {
				t.Fatalf("error is not a Problem: %v", err)
			}
			checkProblem(t, p)
			return
		}
		for _, r := range info.Risks {
			checkProblem(t, r)
		}
		if info.Pages < 0 || info.Increments < 0 {
			t.Errorf("info %+v", info)
		}
	})
}

func checkProblem(t *testing.T, p *pdfread.Problem) {
	t.Helper()
	for _, msg := range []string{p.Error(), p.EN, p.FR} {
		if msg == "" || strings.Contains(msg, "pdfcpu") || strings.Contains(msg, "panic") || strings.Contains(msg, "runtime error") {
			t.Errorf("problem %s says %q", p.Code, msg)
		}
	}
	if !strings.HasPrefix(p.Code, "pdf-") || pdfread.French(p.Code) != p.FR {
		t.Errorf("unknown code %q", p.Code)
	}
}

// An object stream compressed twice that expands to 1 GB is refused at
// pdfcpu's decode limit, with its own code, having allocated little.
func TestBombIsRefused(t *testing.T) {
	data := readSeed(t, "objstm-bomb-1gb")
	_, err, alloc := inspect(data)
	var p *pdfread.Problem
	if !errors.As(err, &p) || p.Code != pdfread.CodeTooLarge {
		t.Errorf("error %v, want a %s problem", err, pdfread.CodeTooLarge)
	}
	if alloc > 256<<20 {
		t.Errorf("reading a %d-byte bomb allocated %d MB", len(data), alloc>>20)
	}
}

// Damaged, encrypted and hostile PDFs: each gets its code; readable ones
// carry their risks.
func TestProblemsAndRisks(t *testing.T) {
	tests := []struct {
		seed  string
		code  string   // the error's, "" when readable
		risks []string // codes
	}{
		{"form-ok", "", nil},
		{"text-ok", "", nil},
		{"form-truncated-half", pdfread.CodeDamaged, nil},
		{"form-encrypted", pdfread.CodeEncrypted, nil},
		{"form-encrypted-empty-pw", "", []string{pdfread.CodeOpenCrypt}},
		{"form-openaction-js", "", []string{pdfread.CodeActive}},
		{"classic-js-openaction", "", []string{pdfread.CodeActive}},
		{"header-only", pdfread.CodeDamaged, nil},
	}
	for _, tt := range tests {
		info, err := pdfread.Inspect(readSeed(t, tt.seed))
		var p *pdfread.Problem
		switch {
		case tt.code == "" && err != nil:
			t.Errorf("%s: %v", tt.seed, err)
		case tt.code != "" && (!errors.As(err, &p) || p.Code != tt.code):
			t.Errorf("%s: error %v, want %s", tt.seed, err, tt.code)
		}
		var got []string
		for _, r := range info.Risks {
			got = append(got, r.Code)
		}
		if !slices.Equal(got, tt.risks) {
			t.Errorf("%s: risks %v, want %v", tt.seed, got, tt.risks)
		}
	}
	// An encrypted PDF is still recognised as such by callers.
	if _, err := pdfread.Inspect(readSeed(t, "form-encrypted")); !errors.Is(err, pdfread.ErrEncrypted) {
		t.Errorf("encrypted: %v does not match ErrEncrypted", err)
	}
}
