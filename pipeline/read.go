package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode"

	"dossiercheck/classify"
	"dossiercheck/doctext"
	"dossiercheck/dossier"
	"dossiercheck/extract"
	"dossiercheck/forms"
	"dossiercheck/mrz"
	"dossiercheck/pdfread"
	"dossiercheck/report"
	"dossiercheck/scan"
	"dossiercheck/twoddoc"
)

// ReadingVersion names what the reading stage does. A stored reading of
// another version is not used: the file is read again. Raise it whenever
// the reading's output for the same bytes may change (OCR settings, page
// handling, MRZ or 2D-Doc search, the kinds that get a 2D-Doc search, a
// form's reading).
const ReadingVersion = 12

// Reading is what the reading stage made of one file: its pages (words
// with their boxes), its form fields, and what the enrichers found on
// them (the MRZ, a 2D-Doc, a photo's EXIF date, pages turned). It depends
// on the file's bytes and name and on the reading code only, never on the
// procedure or the rules, so it is stored (Pipeline.Readings) and a
// re-check after a rules update starts from it (stored as codec.go
// writes it).
type Reading struct {
	Version int    `json:"version"`
	File    string `json:"file"`
	// Unread says why the file could not be read ("" when it was).
	Unread string `json:"unread,omitempty"`
	// Problems are what is wrong with the file rather than the dossier
	// (DOC-* findings, a 2D-Doc that cannot be trusted).
	Problems []report.Finding  `json:"problems,omitempty"`
	Pages    []doctext.Page    `json:"pages,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"` // AcroForm values (personal data)
	PDF      *pdfread.Info     `json:"pdf,omitempty"`
	Aspect   float64           `json:"aspect,omitempty"` // page 1's width over height
	Shot     time.Time         `json:"shot,omitzero"`    // EXIF shot date of a JPEG
	Turned   []int             `json:"turned,omitempty"` // pages read turned 180°
	Quarter  []int             `json:"quarter,omitempty"`
	// Straightened lists the pages found on a background (a phone photo)
	// and read cropped and straightened (scan.Straighten).
	Straightened []int `json:"straightened,omitempty"`
	// MRZ is the best machine-readable zone read, valid or not; MRZSeen
	// where a zone was seen on a page, read or not.
	MRZ     *ZoneRead        `json:"mrz,omitempty"`
	MRZSeen *report.Evidence `json:"mrz_seen,omitempty"`
	// Code is the 2D-Doc found on page 1 and its verification.
	Code *CodeRead `json:"code,omitempty"`
	// Form is the form's canonical fields when the file is a form of a
	// known schema.
	Form *FormRead `json:"form,omitempty"`
	// Piece lists the file's pages this reading holds when the file holds
	// several pieces (Pieces); nil for a whole file.
	Piece []int `json:"piece,omitempty"`
}

// ZoneRead is a machine-readable zone as read on a page.
type ZoneRead struct {
	Zone     mrz.MRZ         `json:"zone"`
	Evidence report.Evidence `json:"evidence"`
	// NameConfidence is the OCR confidence of the zone's names line
	// (names carry no check digit).
	NameConfidence float64 `json:"name_confidence"`
}

// CodeRead is a 2D-Doc, its verification and where it is printed.
type CodeRead struct {
	Doc    twoddoc.Doc     `json:"doc"`
	Result twoddoc.Result  `json:"result"`
	At     image.Rectangle `json:"at"`
}

// Text is the text of every page.
func (r Reading) Text() string {
	var b strings.Builder
	for _, pg := range r.Pages {
		b.WriteString(pg.Text())
	}
	return b.String()
}

// Classify says what kind of document the reading is.
func (r Reading) Classify() classify.Result {
	words := 0
	for _, pg := range r.Pages {
		words += pg.WordCount()
	}
	in := classify.Input{Text: r.Text(), Fields: r.Fields, Words: words, Aspect: r.Aspect, Pages: len(r.Pages)}
	if r.MRZ != nil && r.MRZ.Zone.Valid {
		in.MRZFormat, in.MRZCode = string(r.MRZ.Zone.Format), r.MRZ.Zone.DocCode
	}
	return classify.Classify(in)
}

// reading is a Reading being made, with what only the stage needs.
type reading struct {
	Reading
	first *image.Gray // page 1 as an image, for the 2D-Doc search
	// failed: reading the file met an internal error (readEnriched).
	failed bool
	// images are the first OCR'd pages as read (deskewed, turned: the
	// frame of their word boxes) by page number, for a paper form's tick
	// boxes and signatures; dropped once the file is read.
	images map[int]*image.Gray
}

// maxFormPages is how many page images a file keeps until it is
// classified (the F02 and the Cerfa forms are 1 or 2 pages).
const maxFormPages = 4

// FormRead is a form of a known schema (forms.For: the F02, the Cerfa
// 14004 and 14880) read into its canonical fields, whether it came
// fillable (our field names or a portal's) or as a scan.
type FormRead struct {
	Kind   string       `json:"kind"`
	Values forms.Values `json:"values"`
}

// codeKinds are the kinds whose 2D-Doc fields are used: the search costs
// about 0.1 s a page, so other documents are not searched.
var codeKinds = []string{classify.ProofOfAddress, classify.TaxNotice, classify.IdentityCard, classify.Passport, classify.ResidencePermit}

// read is the reading stage for one file: the stored reading when there
// is one of this version, else the file read and enriched (and stored).
func (p *Pipeline) read(ctx context.Context, f File, st *Stats) (Reading, error) {
	key := readingKey(f)
	if p.Readings != nil && key != "" {
		if b, ok, err := p.Readings.GetOCR(ctx, key); err != nil {
			return Reading{}, fmt.Errorf("reading cache: %w", err)
		} else if ok {
			if r, err := decodeReading(b); err == nil && r.Version == ReadingVersion {
				st.ReadingHits++
				return r, nil
			}
		}
	}
	if p.RulesOnly {
		return Reading{}, fmt.Errorf("%s: %w", f.Name, ErrNotRead)
	}
	d := p.readEnriched(ctx, f, st)
	if err := ctx.Err(); err != nil {
		return Reading{}, err // cancelled mid-file: not a finding
	}
	if d.failed {
		return d.Reading, nil // not stored: a fixed reader reads it again
	}
	r := d.Reading
	if p.Readings != nil && key != "" {
		b, err := encodeReading(r)
		if err != nil {
			return Reading{}, fmt.Errorf("reading of %s: %w", f.Name, err)
		}
		if err := p.Readings.PutOCR(ctx, key, f.SHA256, b); err != nil {
			return Reading{}, fmt.Errorf("reading cache: %w", err)
		}
	}
	return r, nil
}

// readEnriched reads a file and runs the enrichers its kind calls for.
// It never panics: a bug met on some input (a slice out of range in a
// zone's repair, once) makes the file unread, a finding for a clerk, and
// is logged with its stack; the worker and the dossier's other files go
// on.
func (p *Pipeline) readEnriched(ctx context.Context, f File, st *Stats) (d *reading) {
	defer func() {
		if r := recover(); r != nil {
			if p.Log != nil {
				p.Log.Error("reading a file failed", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
			d = &reading{Reading: Reading{Version: ReadingVersion, File: f.Name, Unread: "internal error while reading the file"}, failed: true}
			d.problem(ruleUnreadable, "file could not be read: internal error (logged); a clerk must read it", 1, "")
		}
	}()
	d = p.readFile(ctx, f, st)
	if ctx.Err() != nil {
		return d
	}
	kind := d.Classify().Kind
	if d.Unread == "" && slices.Contains(codeKinds, kind) {
		t := time.Now()
		p.read2DDoc(ctx, f, d)
		st.PDF += time.Since(t)
	}
	if d.Unread == "" {
		// A form page's second readings, in this order: each merges into
		// what the ones before left.
		for _, again := range []func(context.Context, File, string, *reading, *Stats) error{
			p.readWithoutLeaders, p.readMissedLines, p.readUnreadInk,
		} {
			if err := again(ctx, f, kind, d, st); err != nil {
				d.problem(ruleUnreadable, fmt.Sprintf("form page could not be read again: %v", err), 1, "")
			}
		}
		p.readForm(ctx, f, kind, d)
	}
	d.first, d.images = nil, nil
	return d
}

// ErrNotRead: a rules-only run met a file with no stored reading of this
// version; it must be read again.
var ErrNotRead = errors.New("no stored reading of this version: the file must be read again")

// readingKey names a file's reading in the cache: its content, its name
// (evidence quotes it) and the reading version. A file without a hash
// (dossier check on local files) is not cached.
func readingKey(f File) string {
	if f.SHA256 == "" {
		return ""
	}
	n := sha256.Sum256([]byte(f.Name))
	return fmt.Sprintf("reading/v%d/%s/%s", ReadingVersion, f.SHA256, hex.EncodeToString(n[:8]))
}

// An upside-down page: at least this many words read below this mean
// confidence, and turning it must gain this much confidence. Measured on
// generated bills: upside down ~45, the right way ~85; blurred pages that
// also read below 60 gain nothing when turned.
const (
	upsideDownMinWords = 5
	upsideDownBelow    = 60
	upsideDownGain     = 15
)

func (d *reading) problem(rule, msg string, page int, text string) {
	d.Problems = append(d.Problems, fileProblem(d.File, rule, msg, page, text))
}

var extType = map[string]dossier.Type{".pdf": dossier.PDF, ".jpg": dossier.JPEG, ".jpeg": dossier.JPEG,
	".png": dossier.PNG, ".tif": dossier.TIFF, ".tiff": dossier.TIFF}

// readFile produces the pages of one file. It never fails: whatever goes
// wrong becomes the document's problem, so one bad file cannot stop the
// dossier or the worker.
func (p *Pipeline) readFile(ctx context.Context, f File, st *Stats) *reading {
	d := &reading{Reading: Reading{Version: ReadingVersion, File: f.Name}, images: map[int]*image.Gray{}}
	typ := dossier.DetectType(f.Data)
	if want, ok := extType[strings.ToLower(filepath.Ext(f.Name))]; ok && typ != dossier.Unknown && want != typ {
		d.problem(ruleType, fmt.Sprintf("file is named %s but its content is %s; read as %s", filepath.Ext(f.Name), typ, typ), 1, "")
	}
	var err error
	switch typ {
	case dossier.PDF:
		err = p.readPDF(ctx, f, d, st)
	case dossier.JPEG, dossier.PNG, dossier.TIFF:
		err = p.readImages(ctx, f, typ, d, st)
	default:
		err = errors.New("unsupported file type: not a PDF, JPEG, PNG or TIFF")
	}
	if err != nil && ctx.Err() == nil {
		d.Unread = err.Error()
		d.problem(ruleUnreadable, "file could not be read: "+err.Error(), 1, "")
	}
	return d
}

func (p *Pipeline) readImages(ctx context.Context, f File, typ dossier.Type, d *reading, st *Stats) error {
	blobs := [][]byte{f.Data}
	if typ == dossier.TIFF {
		var err error
		if blobs, err = scan.SplitTIFF(ctx, f.Data); err != nil {
			return fmt.Errorf("split TIFF: %w", err)
		}
		if len(blobs) > maxPages {
			d.problem(ruleUnreadable, fmt.Sprintf("TIFF has %d pages; only the first %d were read", len(blobs), maxPages), maxPages, "")
			blobs = blobs[:maxPages]
		}
	}
	if typ == dossier.JPEG {
		d.Shot, _ = scan.ExifDate(f.Data) // absent is common: no date
	}
	for i, b := range blobs {
		g, err := scan.Decode(b, p.MaxPixels)
		if err != nil {
			return fmt.Errorf("page %d: %w", i+1, err)
		}
		if err := p.ocrPage(ctx, f, g, i+1, d, st); err != nil {
			return err
		}
	}
	return nil
}

func (p *Pipeline) readPDF(ctx context.Context, f File, d *reading, st *Stats) error {
	t := time.Now()
	info, err := pdfread.Inspect(f.Data)
	if errors.Is(err, pdfread.ErrEncrypted) {
		return errors.New("encrypted PDF: it needs a password; upload it without protection")
	}
	if err != nil {
		return fmt.Errorf("corrupt PDF: %w", err)
	}
	d.PDF, d.Fields = &info, info.Fields
	for _, r := range info.Risks {
		d.problem(rulePDFRisk, r.Error(), 1, "")
	}
	if info.XFA && len(info.Fields) == 0 {
		d.problem(ruleUnreadable, "XFA-only form: its fields cannot be read; a clerk must read it", 1, "")
	}
	path, cleanup, err := pdfread.WriteTemp(f.Data)
	if err != nil {
		return fmt.Errorf("temporary file: %w", err)
	}
	defer cleanup()
	texts, err := p.PDF.Text(ctx, path)
	if err != nil {
		return fmt.Errorf("PDF text: %w", err)
	}
	// A portal's own field names, without tooltips, are mapped by the
	// label printed beside each widget (pdftotext -bbox): one more poppler
	// run, for those forms only.
	if unnamed(info.FormFields) {
		if err := p.PDF.Labels(ctx, path, info.FormFields); err != nil {
			return fmt.Errorf("PDF form labels: %w", err)
		}
	}
	st.PDF += time.Since(t)
	pages := info.Pages
	if pages > maxPages {
		// A dossier piece is a few pages; thousands would hold a worker
		// for hours. Read the first ones and say so.
		d.problem(ruleUnreadable, fmt.Sprintf("PDF has %d pages; only the first %d were read", pages, maxPages), maxPages, "")
		pages = maxPages
	}
	for n := 1; n <= pages; n++ {
		text := ""
		if n <= len(texts) {
			text = texts[n-1]
		}
		// A page with a real text layer is read as text; a scanned page
		// carries at most a few stray characters.
		if len(strings.Join(strings.Fields(text), "")) >= 20 {
			st.Pages++
			d.Pages = append(d.Pages, doctext.Page{Number: n, Source: doctext.FromTextLayer, Lines: doctext.PlainLines(text), MeanConfidence: 100})
			continue
		}
		t := time.Now()
		g, err := p.PDF.Rasterize(ctx, path, n)
		st.PDF += time.Since(t)
		if err != nil {
			return fmt.Errorf("rasterize page %d: %w", n, err)
		}
		if err := p.ocrPage(ctx, f, g, n, d, st); err != nil {
			return err
		}
	}
	return nil
}

// ocrPage deskews, measures and recognises one page image.
func (p *Pipeline) ocrPage(ctx context.Context, f File, g *image.Gray, n int, d *reading, st *Stats) error {
	st.Pages++
	// A document photographed on a table is cropped, its perspective
	// corrected and its light evened before anything else looks at it
	// (scan.Straighten: a scan comes back as it is).
	t := time.Now()
	g, sg := scan.Straighten(g)
	st.OCR += time.Since(t)
	if sg.Found {
		d.Straightened = append(d.Straightened, n)
	}
	if n == 1 {
		d.Aspect = float64(g.Rect.Dx()) / float64(g.Rect.Dy())
	}
	q := scan.Measure(g)
	if q.Blank {
		d.problem(ruleQuality, fmt.Sprintf("page %d is blank", n), n, "")
		d.Pages = append(d.Pages, doctext.Page{Number: n, Source: doctext.FromOCR})
		return nil
	}
	t = time.Now()
	straight, _ := scan.Deskew(g)
	area := scan.ReadArea(straight, g.Rect.Dx(), g.Rect.Dy())
	st.OCR += time.Since(t)
	page, err := p.recognizeArea(ctx, f, straight, area, st)
	if err != nil {
		return fmt.Errorf("ocr page %d: %w", n, err)
	}
	// A portrait page scanned in landscape reads as words standing on
	// end: turned a quarter each way, the upright reading with the better
	// confidence is kept when it beats the sideways one or reads well
	// (60 or more). Tried before the half turn: Tesseract reads text that
	// runs down the page as vertical lines, at confidence 93 on a
	// landscape F02, which a half turn kept, its words' boxes and lines
	// no longer the page's layout.
	quarter := false
	if sideways(page) {
		var best doctext.Page
		var bestImg *image.Gray
		for _, cw := range []bool{true, false} {
			turned, _ := scan.Deskew(scan.Rotate90(straight, cw))
			tp, err := p.recognize(ctx, f, turned, st)
			if err != nil {
				return fmt.Errorf("ocr page %d turned 90°: %w", n, err)
			}
			upright := tp.WordCount() > 0 && !sideways(tp) && (tp.MeanConfidence > page.MeanConfidence || tp.MeanConfidence >= upsideDownBelow)
			if upright && (bestImg == nil || tp.MeanConfidence > best.MeanConfidence) {
				best, bestImg = tp, turned
			}
		}
		if bestImg != nil {
			straight, page, quarter = bestImg, best, true
			d.Quarter = append(d.Quarter, n)
		}
	}
	// A page fed upside down reads as words of low confidence. Deskewing
	// works on line directions only, so such a page is read once more
	// turned 180° and kept that way if it reads clearly better. Pages that
	// read well never pay for this.
	if !quarter && page.WordCount() >= upsideDownMinWords && page.MeanConfidence < upsideDownBelow {
		turned := scan.Rotate180(straight)
		tp, err := p.recognize(ctx, f, turned, st)
		if err != nil {
			return fmt.Errorf("ocr page %d turned 180°: %w", n, err)
		}
		if tp.MeanConfidence >= page.MeanConfidence+upsideDownGain {
			straight, page = turned, tp
			d.Turned = append(d.Turned, n)
		}
	}
	t = time.Now()
	if err := p.rereadDates(ctx, f, straight, &page); err != nil {
		return fmt.Errorf("ocr page %d: %w", n, err)
	}
	if err := p.readTableHeads(ctx, f, straight, &page); err != nil {
		return fmt.Errorf("ocr page %d: %w", n, err)
	}
	st.OCR += time.Since(t)
	page.Number, page.Width, page.Height = n, straight.Rect.Dx(), straight.Rect.Dy()
	d.Pages = append(d.Pages, page)
	if n == 1 {
		d.first = straight // searched for a 2D-Doc once the file is read
	}
	if n <= maxFormPages {
		d.images[n] = straight // a paper form's boxes and signatures are read on it
	}
	switch {
	case q.Blurry:
		d.problem(ruleQuality, fmt.Sprintf("page %d is too blurry to read reliably (sharpness %.0f)", n, q.Sharpness), n, "")
	case page.WordCount() > 20 && page.MeanConfidence < 50:
		d.problem(ruleQuality, fmt.Sprintf("page %d read with low OCR confidence (%.0f)", n, page.MeanConfidence), n, "")
	}
	if d.MRZ == nil || !d.MRZ.Zone.Valid {
		t := time.Now()
		p.readMRZ(ctx, f, straight, page, d)
		if err := p.readCards(ctx, f, straight, page, d); err != nil {
			return fmt.Errorf("ocr page %d: %w", n, err)
		}
		st.OCR += time.Since(t)
	}
	return nil
}

// readCards reads the cards laid on a page one by one, each straightened
// on its own, when the page looks like an identity document and no valid
// MRZ was read on it whole: a recto and a verso scanned side by side lie
// at angles of their own, and deskewing the page straightens one of them
// at best (the other's zone, 3° off, read as noise). Only the MRZ is taken
// from the cards: the page's own reading stays the text of the document.
func (p *Pipeline) readCards(ctx context.Context, f File, g *image.Gray, page doctext.Page, d *reading) error {
	if d.MRZ != nil && d.MRZ.Zone.Valid {
		return nil
	}
	switch classify.Classify(classify.Input{Text: page.Text(), Words: page.WordCount(), Pages: 1}).Kind {
	case classify.IdentityCard, classify.Passport, classify.ResidencePermit:
	default:
		if d.MRZSeen == nil {
			return nil
		}
	}
	for _, card := range scan.Cards(g) {
		margin := card.Dy() / 20
		crop := scan.Gray(g.SubImage(card.Inset(-margin).Intersect(g.Rect)))
		straight, _ := scan.Deskew(crop)
		cp, _, err := p.ocrImage(ctx, straight, f.SHA256)
		if err != nil {
			return fmt.Errorf("card at %v: %w", card.Min, err)
		}
		cp.Number = page.Number
		read, seen := d.MRZ, d.MRZSeen
		p.readMRZ(ctx, f, straight, cp, d)
		// Boxes found on the card are in its own straightened frame:
		// the page's evidence gives the card's box.
		box := &[4]int{card.Min.X, card.Min.Y, card.Max.X, card.Max.Y}
		if d.MRZ != read {
			d.MRZ.Evidence.BBox = box
		}
		if d.MRZSeen != seen {
			d.MRZSeen.BBox = box
		}
		if d.MRZ != nil && d.MRZ.Zone.Valid {
			return nil
		}
	}
	return nil
}

// sideways: most words of three letters or more are taller than wide (at
// least 5 of them): the text runs up or down the page.
func sideways(p doctext.Page) bool {
	tall, n := 0, 0
	for _, l := range p.Lines {
		for _, w := range l.Words {
			if len([]rune(w.Text)) < 3 {
				continue
			}
			n++
			if w.Box.Dy() > w.Box.Dx() {
				tall++
			}
		}
	}
	return n >= 5 && tall*2 > n
}

// imageRecognizer is a Recognizer that also takes a grey image as it is
// (ocr.Engine), read and cached as its PGM bytes would be: a deskewed
// 300 dpi page is not copied into 11 MB of PGM first.
type imageRecognizer interface {
	RecognizeImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error)
	RecognizeNumberImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error)
}

// ocrImage reads a page image: as it is where the recognizer takes one,
// else as PGM bytes.
func (p *Pipeline) ocrImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error) {
	if r, ok := p.OCR.(imageRecognizer); ok {
		return r.RecognizeImage(ctx, g, source)
	}
	return p.OCR.Recognize(ctx, scan.PGM(g), source)
}

// recognize OCRs one page image and counts it in the stats.
func (p *Pipeline) recognize(ctx context.Context, f File, g *image.Gray, st *Stats) (doctext.Page, error) {
	t := time.Now()
	page, hit, err := p.ocrImage(ctx, g, f.SHA256)
	st.OCR += time.Since(t)
	if err != nil {
		return page, err
	}
	st.OCRPages++
	if hit {
		st.CacheHits++
	}
	return page, nil
}

// recognizeArea OCRs the area r of a page image (scan.ReadArea: the
// white a turn added around the page is not read), the words' boxes in
// the whole image's frame, the frame every later stage and the review
// screen use.
func (p *Pipeline) recognizeArea(ctx context.Context, f File, g *image.Gray, r image.Rectangle, st *Stats) (doctext.Page, error) {
	if r == g.Rect {
		return p.recognize(ctx, f, g, st)
	}
	page, err := p.recognize(ctx, f, g.SubImage(r).(*image.Gray), st)
	if err != nil {
		return page, err
	}
	off := r.Min.Sub(g.Rect.Min)
	for _, l := range page.Lines {
		for j := range l.Words {
			l.Words[j].Box = l.Words[j].Box.Add(off)
		}
	}
	return page, nil
}

// rereadDates reads the digits of every date on the page (extract.DateWords)
// once more, each word on its own, and keeps the new reading when only
// digits changed. Within a whole page the French model read the "10" of
// a date as "19" on about one bill in five of the eval set, and which ones
// depended on the pages the same Tesseract client had read before; read
// alone, such words mostly came back right. A second reading that leaves
// the line with fewer valid dates is dropped (README, "How it works").
//
// A count of points ("8 points", a licence's balance) is read again the
// same way, set on white paper (a digit alone in its own crop reads as
// nothing); when the two readings differ, nothing says which is right,
// so the count is marked unread ("?"): a 0 read as 9 must not make a
// licence valid.
func (p *Pipeline) rereadDates(ctx context.Context, f File, g *image.Gray, page *doctext.Page) error {
	for i, l := range page.Lines {
		changed := false
		for _, j := range extract.DateWords(l) {
			w := l.Words[j]
			got, conf, err := p.readDigits(ctx, f, g, w.Box, false)
			if err != nil {
				return fmt.Errorf("re-read date: %w", err)
			}
			if got == w.Text && conf > w.Confidence {
				// Read the same alone, more surely: the second reading's
				// confidence is the date's, as it would be had it differed.
				l.Words[j].Confidence = conf
				changed = true
				continue
			}
			if got == "" || got == w.Text || digitShape(got) != digitShape(w.Text) {
				continue
			}
			// A reading that unmakes a date (02/10/2026 read 02/19/2026)
			// is the worse one.
			before := len(extract.Dates([]doctext.Line{doctext.LineFromWords(l.Words)}))
			l.Words[j].Text, l.Words[j].Confidence = got, conf
			if len(extract.Dates([]doctext.Line{doctext.LineFromWords(l.Words)})) < before {
				l.Words[j] = w
				continue
			}
			changed = true
		}
		for _, j := range countWords(l) {
			got, _, err := p.readDigits(ctx, f, g, l.Words[j].Box, true)
			if err != nil {
				return fmt.Errorf("re-read count: %w", err)
			}
			// A second reading of nothing neither confirms nor
			// contradicts: the first stands.
			if got != "" && got != l.Words[j].Text {
				l.Words[j].Text, l.Words[j].Confidence = "?", 0
				changed = true
			}
		}
		if changed {
			page.Lines[i] = doctext.LineFromWords(l.Words)
		}
	}
	return nil
}

// countWords are the words of a line that count points: one or two
// digits before "point", "points" or "pts".
func countWords(l doctext.Line) []int {
	var out []int
	for j := 0; j+1 < len(l.Words); j++ {
		t := l.Words[j].Text
		if len(t) == 0 || len(t) > 2 || strings.Trim(t, "0123456789") != "" {
			continue
		}
		switch strings.ToLower(strings.Trim(l.Words[j+1].Text, ".,:;()")) {
		case "point", "points", "pts":
			out = append(out, j)
		}
	}
	return out
}

// readDigits reads the word in box alone with the digits whitelist: its
// text and mean confidence ("" when nothing was read). Half the word's
// height above and below, a quarter beside: a word space is about that
// wide, so a neighbour stays out. A count's one or two digits, alone in a
// crop their own width, read as nothing: they are set on white paper a
// line height wide. A date's zeros that carry a slash or a dot (a
// monospace face's) are erased first (forms.PlainZeros): read alone, Go
// Mono's dotted zero of "2026-08-20" still came back as a 9, giving a
// wrong date that holds; a crop without such zeros is left as it is.
func (p *Pipeline) readDigits(ctx context.Context, f File, g *image.Gray, box image.Rectangle, count bool) (string, float64, error) {
	zone := image.Rect(box.Min.X-box.Dy()/4, box.Min.Y-box.Dy()/2, box.Max.X+box.Dy()/4, box.Max.Y+box.Dy()/2).Intersect(g.Rect)
	if zone.Empty() {
		return "", 0, nil
	}
	crop := scan.Gray(g.SubImage(zone))
	if count {
		crop = scan.Pad(crop, box.Dy(), 255)
	} else {
		crop = forms.PlainZeros(crop)
	}
	return p.digitsOf(ctx, f, crop)
}

// digitsOf reads an image with the digits whitelist: the text of its
// words run together and their mean confidence.
func (p *Pipeline) digitsOf(ctx context.Context, f File, g *image.Gray) (string, float64, error) {
	var np doctext.Page
	var err error
	if r, ok := p.OCR.(imageRecognizer); ok {
		np, _, err = r.RecognizeNumberImage(ctx, g, f.SHA256)
	} else {
		np, _, err = p.OCR.RecognizeNumber(ctx, scan.PGM(g), f.SHA256)
	}
	if err != nil {
		return "", 0, err
	}
	text, conf := np.Run()
	return text, conf, nil
}

// digitShape is s with every digit written 9.
func digitShape(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = '9'
		}
	}
	return string(b)
}

// codeSource is the source a 2D-Doc's findings cite.
const codeSource = "ANTS, spécifications techniques des codes 2D-Doc v3.2.6 §3.5; docs/verdict-policy.md"

// read2DDoc looks for a 2D-Doc on page 1, decodes and verifies it. A code
// that cannot be trusted is a finding; one whose certificate is simply not
// configured is recorded and not used.
func (p *Pipeline) read2DDoc(ctx context.Context, f File, d *reading) {
	if d.first == nil && d.Unread == "" && dossier.DetectType(f.Data) == dossier.PDF {
		// Page 1 had a text layer: render it for the search (an e-invoice
		// prints its code as vector graphics).
		if path, cleanup, err := pdfread.WriteTemp(f.Data); err == nil {
			d.first, _ = p.PDF.Rasterize(ctx, path, 1)
			cleanup()
		}
	}
	if d.first == nil || ctx.Err() != nil {
		return
	}
	raw, at, err := twoddoc.Find(d.first)
	d.first = nil // free the page
	if errors.Is(err, twoddoc.ErrUnreadable) {
		// A code printed and not read proves nothing, and a scribbled one
		// is how an altered piece hides its code: the printed data stand
		// unchecked (docs/verdict-policy.md).
		d.Problems = append(d.Problems, report.Finding{Rule: rule2DDoc, Outcome: report.NeedsLook,
			Message: "a 2D-Doc seems printed but could not be decoded: the printed data could not be checked against it",
			Evidence: []report.Evidence{{File: f.Name, Page: 1, Text: "2D-Doc (not decoded)",
				BBox: &[4]int{at.Min.X, at.Min.Y, at.Max.X, at.Max.Y}}}, Source: codeSource})
		return
	}
	if err != nil {
		return
	}
	code, err := twoddoc.Parse(raw)
	if err != nil {
		d.problem(rule2DDoc, "a 2D-Doc is printed but could not be parsed: "+err.Error(), 1, "")
		return
	}
	res := twoddoc.Result{Status: twoddoc.Unknown, Message: "no 2D-Doc certificates configured"}
	if p.Certs != nil {
		res = p.Certs.Verify(code)
	}
	d.Code = &CodeRead{Doc: code, Result: res, At: at}
	if res.Status == twoddoc.Valid && (d.MRZ == nil || !d.MRZ.Zone.Valid) {
		// A type-08 code carries the MRZ itself: no OCR doubt.
		if lines, ok := code.MRZ(); ok {
			if m, ok := mrz.Find(lines); ok && m.Valid {
				d.MRZ = &ZoneRead{Zone: m, NameConfidence: 100, Evidence: report.Evidence{File: f.Name, Page: 1,
					Text: "2D-Doc (signature valid) MRZ: " + strings.Join(m.Lines, " / "), BBox: &[4]int{at.Min.X, at.Min.Y, at.Max.X, at.Max.Y}}}
			}
		}
	}
	switch res.Status {
	case twoddoc.BadSignature, twoddoc.OutOfPeriod, twoddoc.TestRefused:
		d.Problems = append(d.Problems, report.Finding{Rule: rule2DDoc, Outcome: report.NeedsLook, Message: res.Message,
			Evidence: []report.Evidence{{File: f.Name, Page: 1, Text: fmt.Sprintf("2D-Doc %s/%s type %s", code.CA, code.CertID, code.Type),
				BBox: &[4]int{at.Min.X, at.Min.Y, at.Max.X, at.Max.Y}}}, Source: codeSource})
	}
}

// sureWords counts a page's words read surely that hold a letter or a
// digit: a leader's dots read as words do not count.
func sureWords(p doctext.Page) int {
	n := 0
	for _, l := range p.Lines {
		for _, w := range l.Words {
			if w.Confidence >= sure && strings.IndexFunc(w.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				n++
			}
		}
	}
	return n
}

// readWithoutLeaders reads a scanned form's pages again with their dotted
// leaders erased (scan.EraseLeaders), keeping the second reading when it
// holds more words read surely: Tesseract drops a line a long leader runs
// through — the label and the value written on it — as a picture, or
// reads the dots into the value's words.
func (p *Pipeline) readWithoutLeaders(ctx context.Context, f File, kind string, d *reading, st *Stats) error {
	if _, ok := forms.For(kind); !ok {
		return nil
	}
	for i, pg := range d.Pages {
		img := d.images[pg.Number]
		if img == nil {
			continue
		}
		erased, n := scan.EraseLeaders(img)
		if n == 0 {
			continue
		}
		again, err := p.recognize(ctx, f, erased, st)
		if err != nil {
			return fmt.Errorf("page %d without its leaders: %w", pg.Number, err)
		}
		if sureWords(again) <= sureWords(pg) {
			// The page reading stays, but a line the dots made noise of
			// (« ..BIUXEUES le/op..99/1UCUcO. ») takes the second reading
			// where it is sure (missedLines).
			if d.Pages[i], err = p.withMissed(ctx, f, erased, pg, again); err != nil {
				return fmt.Errorf("page %d without its leaders: %w", pg.Number, err)
			}
			continue
		}
		if err := p.rereadDates(ctx, f, erased, &again); err != nil {
			return fmt.Errorf("page %d without its leaders: %w", pg.Number, err)
		}
		again.Number, again.Width, again.Height = pg.Number, pg.Width, pg.Height
		d.Pages[i] = again
		d.images[pg.Number] = erased
	}
	return nil
}

// sparseRecognizer is a Recognizer that also finds text anywhere on a
// page, in no particular order (ocr.Engine).
type sparseRecognizer interface {
	RecognizeSparseImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error)
}

// readMissedLines reads a scanned form's pages once more in Tesseract's
// sparse text mode and adds the lines the page reading left out or read
// as noise (missedLines): its layout analysis drops a line of text beside
// a framed box (« Fait à Bruxelles le 05/11/2026 » next to the signature's
// frame) as part of a picture, and reads a date written across a printed
// translation as a few unsure glyphs.
func (p *Pipeline) readMissedLines(ctx context.Context, f File, kind string, d *reading, st *Stats) error {
	sr, ok := p.OCR.(sparseRecognizer)
	if _, form := forms.For(kind); !form || !ok {
		return nil
	}
	for i, pg := range d.Pages {
		img := d.images[pg.Number]
		if img == nil || pg.Source != doctext.FromOCR {
			continue
		}
		t := time.Now()
		sparse, hit, err := sr.RecognizeSparseImage(ctx, img, f.SHA256)
		st.OCR += time.Since(t)
		if err != nil {
			return fmt.Errorf("page %d in sparse mode: %w", pg.Number, err)
		}
		st.OCRPages++
		if hit {
			st.CacheHits++
		}
		if d.Pages[i], err = p.withMissed(ctx, f, img, pg, sparse); err != nil {
			return fmt.Errorf("page %d in sparse mode: %w", pg.Number, err)
		}
	}
	return nil
}

// withMissed is page pg with what a second reading of its image g adds
// to it (missedLines), the added dates read again.
func (p *Pipeline) withMissed(ctx context.Context, f File, g *image.Gray, pg, second doctext.Page) (doctext.Page, error) {
	kept, mended, missed := missedLines(pg, second)
	for _, i := range mended {
		missed.Lines = append(missed.Lines, kept.Lines[i])
	}
	if len(missed.Lines) == 0 {
		return kept, nil
	}
	if err := p.rereadDates(ctx, f, g, &missed); err != nil {
		return pg, err
	}
	// The mended lines, their dates read again, go back in their place.
	n := len(missed.Lines) - len(mended)
	for k, i := range mended {
		kept.Lines[i] = missed.Lines[n+k]
	}
	kept.Lines = append(kept.Lines, missed.Lines[:n]...)
	return kept, nil
}

// missedLines splits a second reading of page pg (sparse, or with its
// leaders erased) into what pg lacks. Words of the two readings that lie
// on one another make groups. A group of the second reading's words alone
// was missed by pg: added, when its line holds a word read surely (else
// it is noise, a signature's strokes). A group whose pg words were read
// mostly unsurely (by their area) is replaced by the second reading's
// words when those read surely (their mean confidence, by width) and
// span half as wide or more: the second reading saw text where pg saw glyphs
// it could not place (« SAIù 2 2 » for a date written across a printed
// translation; « le/op..99/1UCUcO. », a date on a dotted leader), in the
// line of pg they lay on when they lay on one. Any other group is a second
// reading of what pg read: left out. kept is pg with the words replaced,
// mended the indexes of its lines that took words in.
func missedLines(pg doctext.Page, second doctext.Page) (kept doctext.Page, mended []int, missed doctext.Page) {
	type at struct{ line, word int }
	var pages, seconds []at
	for li, l := range pg.Lines {
		for wi := range l.Words {
			pages = append(pages, at{li, wi})
		}
	}
	for li, l := range second.Lines {
		for wi := range l.Words {
			seconds = append(seconds, at{li, wi})
		}
	}
	pw := func(i int) doctext.Word { return pg.Lines[pages[i].line].Words[pages[i].word] }
	sw := func(j int) doctext.Word { return second.Lines[seconds[j].line].Words[seconds[j].word] }
	// Groups: page words 0…len(pages)-1, second words after them.
	group := make([]int, len(pages)+len(seconds))
	for i := range group {
		group[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if group[i] != i {
			group[i] = find(group[i])
		}
		return group[i]
	}
	for j := range seconds {
		for i := range pages {
			if overlaps(pw(i).Box, sw(j).Box) {
				group[find(i)] = find(len(pages) + j)
			}
		}
	}
	members := map[int][]int{}
	for i := range group {
		members[find(i)] = append(members[find(i)], i)
	}
	replaced := map[at]bool{}
	taken := map[at]bool{}           // second words added as lines of their own
	into := map[int][]doctext.Word{} // second words put into a line of pg
	for _, m := range members {
		var ps, ss []int
		for _, i := range m {
			if i < len(pages) {
				ps = append(ps, i)
			} else {
				ss = append(ss, i-len(pages))
			}
		}
		if len(ss) == 0 {
			continue
		}
		if len(ps) > 0 {
			sureArea, unsureArea := 0, 0
			var pageSpan, span image.Rectangle
			for _, i := range ps {
				w := pw(i)
				if w.Confidence >= sure {
					sureArea += w.Box.Dx() * w.Box.Dy()
				} else {
					unsureArea += w.Box.Dx() * w.Box.Dy()
				}
				pageSpan = pageSpan.Union(w.Box)
			}
			width, confWidth := 0, 0.0
			var words []doctext.Word
			for _, j := range ss {
				w := sw(j)
				width += w.Box.Dx()
				confWidth += w.Confidence * float64(w.Box.Dx())
				words = append(words, w)
				span = span.Union(w.Box)
			}
			sureRead := sureWords(doctext.Page{Lines: []doctext.Line{doctext.LineFromWords(words)}}) > 0
			if sureArea >= unsureArea || !sureRead || confWidth < sure*float64(width) || 2*span.Dx() < pageSpan.Dx() {
				continue // a second reading of pg's words
			}
			lines := map[int]bool{}
			for _, i := range ps {
				replaced[pages[i]] = true
				lines[pages[i].line] = true
			}
			if len(lines) == 1 {
				// In the line it mends, in place: a label's word read
				// again (« le » of « le / op ») stays in its cell.
				li := pages[ps[0]].line
				into[li] = append(into[li], words...)
				continue
			}
		}
		for _, j := range ss {
			taken[seconds[j]] = true
		}
	}
	for li, l := range second.Lines {
		var ws []doctext.Word
		for wi, w := range l.Words {
			if taken[at{li, wi}] {
				ws = append(ws, w)
			}
		}
		if nl := doctext.LineFromWords(ws); len(nl.Words) > 0 && sureWords(doctext.Page{Lines: []doctext.Line{nl}}) > 0 {
			missed.Lines = append(missed.Lines, nl)
		}
	}
	kept = pg
	if len(replaced) == 0 {
		return kept, nil, missed
	}
	kept.Lines = nil
	for li, pl := range pg.Lines {
		var ws []doctext.Word
		for wi, w := range pl.Words {
			if !replaced[at{li, wi}] {
				ws = append(ws, w)
			}
		}
		if len(into[li]) > 0 {
			ws = append(ws, into[li]...)
			slices.SortStableFunc(ws, func(a, b doctext.Word) int { return a.Box.Min.X - b.Box.Min.X })
			mended = append(mended, len(kept.Lines))
		}
		if len(ws) > 0 {
			kept.Lines = append(kept.Lines, doctext.LineFromWords(ws))
		}
	}
	return kept, mended, missed
}

// overlaps: the boxes share a tenth of the smaller one or more (a digit
// read alone on the edge of a longer reading of its date lies on it).
func overlaps(a, b image.Rectangle) bool {
	in := a.Intersect(b)
	small := min(a.Dx()*a.Dy(), b.Dx()*b.Dy())
	return !in.Empty() && 10*in.Dx()*in.Dy() >= small
}

// readForm reads a form of a known schema into its canonical fields: a
// fillable one from its fields (our names, or a portal's mapped by
// tooltip, label and value type), a paper one from its words' boxes and
// its pages' ink (forms.Read). Its dates and its holder's name come from
// those fields only (facts.go): a guide's birth date printed on the same
// page must never be the candidate's.
func (p *Pipeline) readForm(ctx context.Context, f File, kind string, d *reading) {
	if _, ok := forms.For(kind); !ok {
		return
	}
	fields := forms.FieldsOf(d.Fields)
	if d.PDF != nil && d.PDF.FormFields != nil {
		fields = d.PDF.FormFields
	}
	images := make([]*image.Gray, len(d.Pages))
	for i, pg := range d.Pages {
		images[i] = d.images[pg.Number]
	}
	_, vals, ok := forms.Read(kind, fields, d.Pages, images, forms.Rereads{Digits: p.digits(ctx, f), Text: p.blockText(ctx, f)})
	if ok {
		d.Form = &FormRead{Kind: kind, Values: vals}
	}
}

// digits reads a form value's crop again with the digits whitelist
// (forms.Digits).
func (p *Pipeline) digits(ctx context.Context, f File) forms.Digits {
	return func(crop *image.Gray) (string, float64, error) {
		text, conf, err := p.digitsOf(ctx, f, crop)
		if err != nil {
			return "", 0, fmt.Errorf("re-read form value: %w", err)
		}
		return text, conf, nil
	}
}

// blockRecognizer is a Recognizer that reads a crop as one block of text
// (ocr.Engine).
type blockRecognizer interface {
	RecognizeBlockImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error)
}

// blockText reads a form value's crop again as a block of text
// (forms.Rereads.Text): its words and the least sure one's confidence; nil
// where the recognizer cannot.
func (p *Pipeline) blockText(ctx context.Context, f File) forms.Reader {
	br, ok := p.OCR.(blockRecognizer)
	if !ok {
		return nil
	}
	return func(crop *image.Gray) (string, float64, error) {
		pg, _, err := br.RecognizeBlockImage(ctx, crop, f.SHA256)
		if err != nil {
			return "", 0, fmt.Errorf("re-read form value: %w", err)
		}
		var ws []string
		conf := 100.0
		for _, l := range pg.Lines {
			for _, w := range l.Words {
				ws = append(ws, w.Text)
				conf = min(conf, w.Confidence)
			}
		}
		if len(ws) == 0 {
			conf = 0
		}
		return strings.Join(ws, " "), conf, nil
	}
}

// unnamed: a filled field has neither one of the schemas' names nor a
// tooltip to map it by.
func unnamed(fields []pdfread.Field) bool {
	for _, f := range fields {
		if strings.TrimSpace(f.Value) != "" && f.Tooltip == "" && !forms.Known(f.Name) {
			return true
		}
	}
	return false
}
