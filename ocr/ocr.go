// Package ocr runs Tesseract on page images: a bounded pool of clients,
// one per goroutine at a time, one recognition call per page, and a cache
// keyed by page content and settings.
package ocr

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"os"
	"slices"

	"dossiercheck/doctext"
)

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
	PSM       PageSegMode `json:"psm"`
	Whitelist string      `json:"wl,omitempty"`
	// Zone reads with the zone model (ZoneLanguage), not the engine's.
	Zone bool `json:"zone,omitempty"`
}

const mrzAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

var (
	pageMode = mode{PSM: PSMAuto}
	// MRZ characters only, read as one block: the French model alone reads
	// '<' as '«' or 'K' and 4 as A in a zone of capitals.
	mrzMode = mode{PSM: PSMSingleBlock, Whitelist: mrzAlphabet}
	// The same with the zone model.
	zoneMode = mode{PSM: PSMSingleBlock, Whitelist: mrzAlphabet, Zone: true}
	// One word of a date's digits and separators, read as a line of its
	// own.
	numberMode = mode{PSM: PSMSingleLine, Whitelist: "0123456789/.-"}
	// As much text as can be found, in no particular order: a form's
	// lines that the page's layout analysis left out.
	sparseMode = mode{PSM: PSMSparse}
	// A crop read as one block of text: a form's value its page reading
	// missed (a category « B » alone in its frame reads as nothing in
	// page mode, as « B » in this one).
	blockMode = mode{PSM: PSMSingleBlock}
)

// Cache stores recognised pages by key. source names the uploaded file the
// page came from, so that purging a dossier purges its cached text.
type Cache interface {
	GetOCR(ctx context.Context, key string) ([]byte, bool, error)
	PutOCR(ctx context.Context, key, source string, data []byte) error
}

// Engine recognises pages with a pool of Tesseract clients, and a second
// pool for the zone model (ZoneLanguage), whose clients are loaded only
// when a zone is read with it.
type Engine struct {
	main, zone *pool
	settings   Settings
	cache      Cache // may be nil
}

// ZoneLanguage is the model a machine-readable zone is read with again
// when the French model's readings of it fail their check digits: on
// some French cards the French model read the document number
// « T6NT4PFW49 » as « TOENT4PFW4D » at every line height and the English
// one read it right (a zone is capitals, digits and fillers: no accents
// lost).
const ZoneLanguage = "eng"

// pool is a bounded set of clients of one language.
type pool struct {
	lang   string
	idle   chan *client  // clients between pages
	unborn chan struct{} // one token for each client not created yet
}

func newPool(lang string, size int) *pool {
	p := &pool{lang: lang, idle: make(chan *client, size), unborn: make(chan struct{}, size)}
	for range size {
		p.unborn <- struct{}{}
	}
	return p
}

// New prepares an engine of at most size clients (size = cores is right:
// each client is single-threaded). A client, and its model (~0.12 s), is
// loaded when a page finds none idle: a command that reads no scanned
// page loads none, and files read one after another share one. cache may
// be nil.
func New(size int, s Settings, cache Cache) (*Engine, error) {
	size = max(size, 1)
	return &Engine{main: newPool(s.Language, size), zone: newPool(ZoneLanguage, size), settings: s, cache: cache}, nil
}

// Preload loads one client now, so that a service finds a missing model at
// start rather than on its first scanned page.
func (e *Engine) Preload(ctx context.Context) error { return e.main.preload(ctx) }

// PreloadZone loads one client of the zone model (ZoneLanguage) now: a
// worker with its data missing stops at start, rather than leaving every
// zone the French model misreads for a clerk without a word.
func (e *Engine) PreloadZone(ctx context.Context) error { return e.zone.preload(ctx) }

// preload loads one client and leaves it idle.
func (p *pool) preload(ctx context.Context) error {
	c, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	p.idle <- c
	return nil
}

// acquire takes an idle client, or creates one while fewer than size exist,
// or waits for one.
func (p *pool) acquire(ctx context.Context) (*client, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	select {
	case c := <-p.idle:
		return c, nil
	case <-p.unborn:
		c, err := newReadyClient(p.lang)
		if err != nil {
			p.unborn <- struct{}{}
			return nil, err
		}
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// close releases the idle clients.
func (p *pool) close() {
	for {
		select {
		case c := <-p.idle:
			c.close()
		default:
			return
		}
	}
}

func newReadyClient(lang string) (*client, error) {
	c, err := newClient(lang)
	if err != nil {
		return nil, fmt.Errorf("ocr: language %s: %w", lang, err)
	}
	// Tesseract's diagnostics ("Estimating resolution as …") would
	// otherwise go to stderr on every page.
	if err := c.setVariable("debug_file", os.DevNull); err != nil {
		c.close()
		return nil, fmt.Errorf("ocr: %w", err)
	}
	if err := warmUp(c); err != nil {
		c.close()
		return nil, fmt.Errorf("ocr: first recognition: %w", err)
	}
	return c, nil
}

// warmUp runs a client's first recognition on a blank image. A client's
// very first page reads differently from every later one (the same bill
// read at mean confidence 92.6 first, 93.7 ever after, on any client, in
// any order); warmed up, a page reads the same whatever the client read
// before, so a report does not depend on which worker slot took it.
func warmUp(c *client) error {
	const w, h = 200, 80
	if err := c.setGray(bytes.Repeat([]byte{0xff}, w*h), w, h, w); err != nil {
		return err
	}
	_, err := c.recognize()
	return err
}

// Close releases the idle clients.
func (e *Engine) Close() {
	e.main.close()
	e.zone.close()
}

// picture is a page as handed to the engine: gray pixels, or encoded
// bytes. Binary PGM bytes (scan.PGM) are read in place as pixels:
// Leptonica would parse them again, a third of a page's recognition time.
type picture struct {
	gray *image.Gray // nil: enc is another format, for Leptonica
	enc  []byte      // the bytes as received, nil for a gray image
}

func fromBytes(b []byte) picture {
	return picture{gray: parsePGM(b), enc: b}
}

// key is the cache key of a picture under the engine's settings and mode.
// A gray image hashes as its binary PGM encoding (scan.PGM), so a page
// keeps its key whichever way it comes.
func (e *Engine) key(p picture, m mode) string {
	h := sha256.New()
	if p.enc != nil {
		h.Write(p.enc)
	} else {
		writePGM(h, p.gray)
	}
	s, _ := json.Marshal(struct {
		S Settings
		M mode
	}{e.settings, m})
	h.Write(s)
	return hex.EncodeToString(h.Sum(nil))
}

// writePGM writes g as binary PGM: the header scan.PGM writes, then the
// rows.
func writePGM(w io.Writer, g *image.Gray) {
	dx, dy := g.Rect.Dx(), g.Rect.Dy()
	fmt.Fprintf(w, "P5\n%d %d\n255\n", dx, dy)
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		i := g.PixOffset(g.Rect.Min.X, y)
		w.Write(g.Pix[i : i+dx])
	}
}

// parsePGM reads binary 8-bit PGM bytes without copying the pixels; nil if
// b is anything else (another format, comments, a maxval other than 255).
func parsePGM(b []byte) *image.Gray {
	if len(b) < 2 || b[0] != 'P' || b[1] != '5' {
		return nil
	}
	var v [3]int
	i := 2
	for k := range v {
		if i >= len(b) || !isSpace(b[i]) {
			return nil
		}
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-start < 6 {
			v[k] = v[k]*10 + int(b[i]-'0')
			i++
		}
		if i == start {
			return nil
		}
	}
	w, h := v[0], v[1]
	if v[2] != 255 || w == 0 || h == 0 || i >= len(b) || !isSpace(b[i]) || len(b)-i-1 != w*h {
		return nil
	}
	return &image.Gray{Pix: b[i+1:], Stride: w, Rect: image.Rect(0, 0, w, h)}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func (p picture) set(c *client) error {
	if p.gray == nil {
		return c.setEncoded(p.enc)
	}
	g := p.gray
	return c.setGray(g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y):], g.Rect.Dx(), g.Rect.Dy(), g.Stride)
}

// Recognize reads one page image: binary PGM (what the pipeline sends),
// or any other format Leptonica reads. source is recorded with the cache
// entry; hit says whether the cache answered.
func (e *Engine) Recognize(ctx context.Context, img []byte, source string) (p doctext.Page, hit bool, err error) {
	return e.recognize(ctx, fromBytes(img), source, pageMode)
}

// RecognizeMRZ reads a crop around a machine-readable zone.
func (e *Engine) RecognizeMRZ(ctx context.Context, img []byte, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, fromBytes(img), source, mrzMode)
}

// RecognizeNumber reads a crop around one word of digits and date
// separators.
func (e *Engine) RecognizeNumber(ctx context.Context, img []byte, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, fromBytes(img), source, numberMode)
}

// RecognizeImage is Recognize for a gray image, handed to Tesseract as it
// is: no encoding, no copy. Boxes are relative to g.Rect.Min, and the page
// reads, and caches, as scan.PGM(g) does.
func (e *Engine) RecognizeImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, picture{gray: g}, source, pageMode)
}

// RecognizeSparseImage is RecognizeImage finding text anywhere on the
// page (Tesseract's sparse text mode) rather than in laid-out blocks.
func (e *Engine) RecognizeSparseImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, picture{gray: g}, source, sparseMode)
}

// RecognizeBlockImage reads a crop of a page as one block of text.
func (e *Engine) RecognizeBlockImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, picture{gray: g}, source, blockMode)
}

// RecognizeMRZImage is RecognizeMRZ for a gray image.
func (e *Engine) RecognizeMRZImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, picture{gray: g}, source, mrzMode)
}

// RecognizeZoneImage is RecognizeMRZImage with the zone model
// (ZoneLanguage), for a zone the French model did not read.
func (e *Engine) RecognizeZoneImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, picture{gray: g}, source, zoneMode)
}

// RecognizeNumberImage is RecognizeNumber for a gray image.
func (e *Engine) RecognizeNumberImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error) {
	return e.recognize(ctx, picture{gray: g}, source, numberMode)
}

func (e *Engine) recognize(ctx context.Context, pic picture, source string, m mode) (doctext.Page, bool, error) {
	var key string // hashing a page costs a few ms: only for a cache
	if e.cache != nil {
		key = e.key(pic, m)
		b, ok, err := e.cache.GetOCR(ctx, key)
		if err != nil {
			return doctext.Page{}, false, fmt.Errorf("ocr cache: %w", err)
		}
		var p doctext.Page
		if ok && json.Unmarshal(b, &p) == nil {
			return p, true, nil
		}
	}
	pl := e.main
	if m.Zone {
		pl = e.zone
	}
	c, err := pl.acquire(ctx)
	if err != nil {
		return doctext.Page{}, false, err
	}
	defer func() { pl.idle <- c }()
	c.setPageSegMode(m.PSM)
	if err := c.setVariable("tessedit_char_whitelist", m.Whitelist); err != nil {
		return doctext.Page{}, false, fmt.Errorf("ocr: whitelist: %w", err)
	}
	if err := pic.set(c); err != nil {
		return doctext.Page{}, false, fmt.Errorf("ocr: set image: %w", err)
	}
	// One recognition call gives words, confidences, boxes and line
	// numbers.
	words, err := c.recognize()
	if err != nil {
		return doctext.Page{}, false, fmt.Errorf("ocr: recognise: %w", err)
	}
	p := fromWords(words)
	if e.cache != nil {
		b, _ := json.Marshal(p)
		if err := e.cache.PutOCR(ctx, key, source, b); err != nil {
			return p, false, fmt.Errorf("ocr cache: %w", err)
		}
	}
	return p, false, nil
}

func fromWords(boxes []word) doctext.Page {
	type lineKey struct{ block, par, line int }
	var order []lineKey
	words := map[lineKey][]doctext.Word{}
	var sum float64
	var n int
	for _, b := range boxes {
		k := lineKey{b.Block, b.Par, b.Line}
		if _, ok := words[k]; !ok {
			order = append(order, k)
		}
		words[k] = append(words[k], doctext.Word{Text: b.Text, Confidence: b.Confidence, Box: b.Box})
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
