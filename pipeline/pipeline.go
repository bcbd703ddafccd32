// Package pipeline turns an uploaded dossier into a report: each file is
// typed from its content, read (PDF text layer, form fields, or OCR of
// deskewed page images), judged for quality, classified and mined for
// dated fields; then the procedure's checks run and the verdict follows.
package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"dossiercheck/checks"
	"dossiercheck/dates"
	"dossiercheck/doctext"
	"dossiercheck/dossier"
	"dossiercheck/mrz"
	"dossiercheck/pdfread"
	"dossiercheck/report"
	"dossiercheck/scan"
	"dossiercheck/twoddoc"
)

// Recognizer is the OCR the pipeline needs.
type Recognizer interface {
	Recognize(ctx context.Context, img []byte, source string) (doctext.Page, bool, error)
	RecognizeMRZ(ctx context.Context, img []byte, source string) (doctext.Page, bool, error)
	RecognizeNumber(ctx context.Context, img []byte, source string) (doctext.Page, bool, error)
}

// Pipeline holds the stages' tools. It is safe for concurrent use.
type Pipeline struct {
	OCR       Recognizer
	PDF       pdfread.Reader
	Checker   *checks.Checker
	Certs     *twoddoc.Certs // 2D-Doc certificates; nil: codes are read but not verifiable
	MaxPixels int
	Log       *slog.Logger
	// Readings, when not nil, keeps each file's Reading (by content, name
	// and ReadingVersion): a file read once is not read again.
	Readings Cache
	// RulesOnly runs from stored readings only: a file without one is an
	// error (ErrNotRead) rather than read again.
	RulesOnly bool
}

// Cache keeps readings by key; source names the file they come from, so
// that purging the file purges them (the store's reading cache).
type Cache interface {
	GetOCR(ctx context.Context, key string) ([]byte, bool, error)
	PutOCR(ctx context.Context, key, source string, data []byte) error
}

// New assembles a pipeline with the defaults every command uses: the
// 60-megapixel image budget and a 2-minute limit per poppler run. certs may
// be nil (2D-Docs are then read but not verified).
func New(ocr Recognizer, checker *checks.Checker, certs *twoddoc.Certs) *Pipeline {
	return &Pipeline{OCR: ocr, Checker: checker, Certs: certs, MaxPixels: scan.DefaultMaxPixels,
		PDF: pdfread.Reader{Timeout: 2 * time.Minute, MaxPixels: scan.DefaultMaxPixels}}
}

// File is one uploaded file.
type File struct {
	Name   string
	SHA256 string // names the file in the OCR cache, for purging
	Data   []byte
}

// Request is a dossier to check.
type Request struct {
	Procedure string
	Submitted time.Time
	Declared  dossier.Declared
	Files     []File
}

// Stats are the time spent per stage, for benchmarks and eval.
type Stats struct {
	PDF, OCR, Extract, Checks time.Duration
	Pages, OCRPages           int
	CacheHits                 int
	ReadingHits               int // files whose stored reading was used
}

// maxPages bounds the pages read from one PDF.
const maxPages = 50

// Internal finding IDs for what is wrong with a file rather than with the
// dossier (docs/verdict-policy.md).
const (
	ruleUnreadable = "DOC-UNREADABLE"
	ruleQuality    = "DOC-QUALITY"
	ruleType       = "DOC-TYPE"
	ruleUnknown    = "DOC-UNKNOWN"
	rulePDFRisk    = "DOC-PDF" // readable, but encrypted without a password or active content
	rule2DDoc      = "2DDOC"
	policySource   = "dossiercheck verdict policy (docs/verdict-policy.md)"
)

// Run checks one dossier: each file is read (or its stored reading
// taken), its facts extracted, then the procedure's checks run over the
// facts of every file and the verdict follows.
func (p *Pipeline) Run(ctx context.Context, req Request) (report.Report, Stats, error) {
	var st Stats
	if !p.Checker.Known(req.Procedure) {
		return report.Report{}, st, fmt.Errorf("unknown procedure %q", req.Procedure)
	}
	rep := report.Report{Procedure: req.Procedure, Submitted: dates.Format(req.Submitted),
		RulesVersion: p.Checker.Version(), Documents: []report.Document{}, Findings: []report.Finding{}}
	in := checks.Input{Procedure: req.Procedure, Submitted: req.Submitted, Declared: req.Declared}
	// The report depends on the files, not on the order they came in:
	// they are read and reported by name (then content).
	files := slices.Clone(req.Files)
	slices.SortStableFunc(files, func(a, b File) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), bytes.Compare(a.Data, b.Data))
	})
	var zones []*mrz.MRZ // each document's zone, for joinSides
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return report.Report{}, st, err
		}
		r, err := p.read(ctx, f, &st)
		if err != nil {
			return report.Report{}, st, err
		}
		t := time.Now()
		for _, piece := range Pieces(r) {
			facts := Extract(piece, req.Submitted)
			rep.Documents = append(rep.Documents, describe(piece, facts))
			rep.Findings = append(rep.Findings, piece.Problems...)
			rep.Findings = append(rep.Findings, facts.Problems...)
			in.Docs = append(in.Docs, facts.Doc)
			var zone *mrz.MRZ
			if piece.MRZ != nil {
				zone = &piece.MRZ.Zone
			}
			zones = append(zones, zone)
		}
		st.Extract += time.Since(t)
	}
	in.Docs = joinSides(in.Docs, zones)
	t := time.Now()
	fs, err := p.Checker.Check(in)
	if err != nil {
		return report.Report{}, st, err
	}
	st.Checks = time.Since(t)
	rep.Findings = append(rep.Findings, fs...)
	rep.Verdict = report.Decide(rep.Findings)
	return rep, st, nil
}

// MemoryCache is a Cache in memory, for a process that checks the same
// files more than once (benchmarks, tests).
type MemoryCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// GetOCR returns what is kept under key.
func (c *MemoryCache) GetOCR(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok, nil
}

// PutOCR keeps data under key.
func (c *MemoryCache) PutOCR(_ context.Context, key, _ string, data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	c.m[key] = data
	return nil
}

// Len is the number of entries kept.
func (c *MemoryCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Entries is a copy of what is kept, by key.
func (c *MemoryCache) Entries() map[string][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}
