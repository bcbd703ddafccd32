// Package ocr runs Tesseract (through gosseract) on page images: a fixed
// pool of clients, one per goroutine at a time, one recognition call per
// page, and a cache keyed by page content and settings.
package ocr

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"syscall"

	"github.com/otiai10/gosseract/v2"

	"dossiercheck/doctext"
)

// SingleThreadEnv is the variable that must be in the environment before
// libgomp loads: with Tesseract's default OpenMP threading a page takes
// about 6× longer on 2 cores (docs/stack.md).
const SingleThreadEnv = "OMP_THREAD_LIMIT"

// EnsureSingleThread re-executes the running program with
// OMP_THREAD_LIMIT=1 unless it is already set. Call it first in main (and
// in TestMain): setting the variable later has no effect, libgomp has read
// it when the library loaded.
func EnsureSingleThread() error {
	if os.Getenv(SingleThreadEnv) != "" {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("re-exec with %s=1: %w", SingleThreadEnv, err)
	}
	env := append(os.Environ(), SingleThreadEnv+"=1")
	return syscall.Exec(exe, os.Args, env)
}

// Settings are the engine-wide OCR parameters.
type Settings struct {
	Language string `json:"lang"`
	Version  int    `json:"v"` // bump when post-processing of words changes
}

// DefaultSettings reads French.
var DefaultSettings = Settings{Language: "fra", Version: 1}

// mode is what changes between calls on the same client; it is part of the
// cache key with Settings.
type mode struct {
	PSM       gosseract.PageSegMode `json:"psm"`
	Whitelist string                `json:"wl,omitempty"`
}

var (
	pageMode = mode{PSM: gosseract.PSM_AUTO}
	// MRZ characters only, read as one block: the French model alone reads
	// '<' as '«' or 'K' and 4 as A in a zone of capitals.
	mrzMode = mode{PSM: gosseract.PSM_SINGLE_BLOCK, Whitelist: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"}
	// One word of a date's digits and separators, read as a line of its
	// own.
	numberMode = mode{PSM: gosseract.PSM_SINGLE_LINE, Whitelist: "0123456789/.-"}
)

// Cache stores recognised pages by key. source names the uploaded file the
// page came from, so that purging a dossier purges its cached text.
type Cache interface {
	GetOCR(ctx context.Context, key string) ([]byte, bool, error)
	PutOCR(ctx context.Context, key, source string, data []byte) error
}

// Engine recognises pages with a pool of Tesseract clients.
type Engine struct {
	clients  chan *gosseract.Client
	settings Settings
	cache    Cache // may be nil
}

// New starts an engine with size clients (size = cores is right: each
// client is single-threaded). cache may be nil.
func New(size int, s Settings, cache Cache) (*Engine, error) {
	if os.Getenv(SingleThreadEnv) == "" {
		return nil, fmt.Errorf("ocr: %s is not set; call ocr.EnsureSingleThread first in main", SingleThreadEnv)
	}
	e := &Engine{clients: make(chan *gosseract.Client, size), settings: s, cache: cache}
	for range size {
		c := gosseract.NewClient()
		// Tesseract's diagnostics ("Estimating resolution as …") would
		// otherwise go to stderr on every page.
		c.SetVariable("debug_file", "/dev/null")
		if err := c.SetLanguage(s.Language); err != nil {
			c.Close()
			e.Close()
			return nil, fmt.Errorf("ocr: language %s: %w", s.Language, err)
		}
		if err := warmUp(c); err != nil {
			c.Close()
			e.Close()
			return nil, fmt.Errorf("ocr: first recognition: %w", err)
		}
		e.clients <- c
	}
	return e, nil
}

// warmUp runs a client's first recognition on a blank image, in the
// caller's goroutine. A client's very first page reads differently from
// every later one (the same bill read at mean confidence 92.6 first, 93.7
// ever after, on any client, in any order); warmed up, a page reads the
// same whatever the client read before, so a report does not depend on
// which worker slot took it. And gosseract's Init points the process's
// stderr (fd 2) at /dev/null and back again around the call: run by two
// clients at once on their first pages, the second one restores the
// first one's /dev/null and every later log line is lost. Initialised
// here, one client after the other, before the worker logs anything, no
// client initialises again (nothing later changes its language).
func warmUp(c *gosseract.Client) error {
	const w, h = 200, 80
	pgm := append([]byte(fmt.Sprintf("P5\n%d %d\n255\n", w, h)), bytes.Repeat([]byte{0xff}, w*h)...)
	if err := c.SetImageFromBytes(pgm); err != nil {
		return err
	}
	_, err := c.GetBoundingBoxesVerbose()
	return err
}

// Close releases the clients.
func (e *Engine) Close() {
	for {
		select {
		case c := <-e.clients:
			c.Close()
		default:
			return
		}
	}
}

// key is the cache key of an image under the engine's settings and mode.
func (e *Engine) key(img []byte, m mode) string {
	h := sha256.New()
	h.Write(img)
	s, _ := json.Marshal(struct {
		S Settings
		M mode
	}{e.settings, m})
	h.Write(s)
	return hex.EncodeToString(h.Sum(nil))
}

// Recognize reads one page image (any format Leptonica reads; the pipeline
// sends PGM). source is recorded with the cache entry; hit says whether the
// cache answered.
func (e *Engine) Recognize(ctx context.Context, img []byte, source string) (p doctext.Page, hit bool, err error) {
	return e.recognize(ctx, img, source, pageMode)
}

// RecognizeMRZ reads a crop around a machine-readable zone.
func (e *Engine) RecognizeMRZ(ctx context.Context, img []byte, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, img, source, mrzMode)
}

// RecognizeNumber reads a crop around one word of digits and date
// separators.
func (e *Engine) RecognizeNumber(ctx context.Context, img []byte, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, img, source, numberMode)
}

func (e *Engine) recognize(ctx context.Context, img []byte, source string, m mode) (doctext.Page, bool, error) {
	key := e.key(img, m)
	if e.cache != nil {
		b, ok, err := e.cache.GetOCR(ctx, key)
		if err != nil {
			return doctext.Page{}, false, fmt.Errorf("ocr cache: %w", err)
		}
		var p doctext.Page
		if ok && json.Unmarshal(b, &p) == nil {
			return p, true, nil
		}
	}
	var c *gosseract.Client
	select {
	case c = <-e.clients:
	case <-ctx.Done():
		return doctext.Page{}, false, ctx.Err()
	}
	defer func() { e.clients <- c }()
	if err := c.SetPageSegMode(m.PSM); err != nil {
		return doctext.Page{}, false, fmt.Errorf("ocr: page segmentation: %w", err)
	}
	if err := c.SetWhitelist(m.Whitelist); err != nil {
		return doctext.Page{}, false, fmt.Errorf("ocr: whitelist: %w", err)
	}
	if err := c.SetImageFromBytes(img); err != nil {
		return doctext.Page{}, false, fmt.Errorf("ocr: set image: %w", err)
	}
	// One recognition call gives words, confidences, boxes and line
	// numbers; Text() would recognise the page a second time.
	boxes, err := c.GetBoundingBoxesVerbose()
	if err != nil {
		return doctext.Page{}, false, fmt.Errorf("ocr: recognise: %w", err)
	}
	p := fromBoxes(boxes)
	if e.cache != nil {
		b, _ := json.Marshal(p)
		if err := e.cache.PutOCR(ctx, key, source, b); err != nil {
			return p, false, fmt.Errorf("ocr cache: %w", err)
		}
	}
	return p, false, nil
}

func fromBoxes(boxes []gosseract.BoundingBox) doctext.Page {
	type lineKey struct{ block, par, line int }
	var order []lineKey
	words := map[lineKey][]doctext.Word{}
	var sum float64
	var n int
	for _, b := range boxes {
		k := lineKey{b.BlockNum, b.ParNum, b.LineNum}
		if _, ok := words[k]; !ok {
			order = append(order, k)
		}
		words[k] = append(words[k], doctext.Word{Text: b.Word, Confidence: b.Confidence, Box: b.Box})
		sum += b.Confidence
		n++
	}
	// Reading order: by the top of each line, as Tesseract's block order
	// can put a right-hand column before the text beside it.
	slices.SortStableFunc(order, func(a, b lineKey) int {
		return words[a][0].Box.Min.Y - words[b][0].Box.Min.Y
	})
	p := doctext.Page{Source: doctext.FromOCR}
	for _, k := range order {
		p.Lines = append(p.Lines, doctext.LineFromWords(words[k]))
	}
	if n > 0 {
		p.MeanConfidence = sum / float64(n)
	}
	return p
}
