// Package pipeline turns an uploaded dossier into a report: each file is
// typed from its content, read (PDF text layer, form fields, or OCR of
// deskewed page images), judged for quality, classified and mined for
// dated fields; then the procedure's checks run and the verdict follows.
package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"dossiercheck/checks"
	"dossiercheck/classify"
	"dossiercheck/dates"
	"dossiercheck/doctext"
	"dossiercheck/dossier"
	"dossiercheck/extract"
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
	PDF, OCR, Checks time.Duration
	Pages, OCRPages  int
	CacheHits        int
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

// docState gathers what the stages learn about one file.
type docState struct {
	file   string
	pages  []doctext.Page
	fields map[string]string // AcroForm values
	info   *pdfread.Info
	mrz    *mrz.MRZ
	mrzEv  report.Evidence
	// mrzNameConf is the OCR confidence of the zone's name line.
	mrzNameConf float64
	// mrzSeen is where a zone was seen on a page, read or not.
	mrzSeen  *report.Evidence
	aspect   float64
	problems []report.Finding
	unread   string
	first    *image.Gray // page 1 as an image, for the 2D-Doc search
	code     *twoddoc.Doc
	codeRes  twoddoc.Result
	codeAt   image.Rectangle
	shot     time.Time // EXIF shot date of a JPEG; used for photos only
	turned   []int     // pages read turned 180°
	quarter  []int     // pages read turned a quarter
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

func (d *docState) problem(rule, msg string, page int, text string) {
	d.problems = append(d.problems, report.Finding{Rule: rule, Outcome: report.NeedsLook, Message: msg,
		Evidence: []report.Evidence{{File: d.file, Page: page, Text: text}}, Source: policySource})
}

// Run checks one dossier.
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
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return report.Report{}, st, err
		}
		d := p.readFile(ctx, f, &st)
		if err := ctx.Err(); err != nil {
			return report.Report{}, st, err // cancelled mid-file: not a finding
		}
		doc, cdoc := p.understand(ctx, f, d, &st)
		rep.Documents = append(rep.Documents, doc)
		rep.Findings = append(rep.Findings, d.problems...)
		in.Docs = append(in.Docs, cdoc)
	}
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

var extType = map[string]dossier.Type{".pdf": dossier.PDF, ".jpg": dossier.JPEG, ".jpeg": dossier.JPEG,
	".png": dossier.PNG, ".tif": dossier.TIFF, ".tiff": dossier.TIFF}

// readFile produces the pages of one file. It never fails: whatever goes
// wrong becomes the document's problem, so one bad file cannot stop the
// dossier or the worker.
func (p *Pipeline) readFile(ctx context.Context, f File, st *Stats) *docState {
	d := &docState{file: f.Name}
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
		d.unread = err.Error()
		d.problem(ruleUnreadable, "file could not be read: "+err.Error(), 1, "")
	}
	return d
}

func (p *Pipeline) readImages(ctx context.Context, f File, typ dossier.Type, d *docState, st *Stats) error {
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
		d.shot, _ = scan.ExifDate(f.Data) // absent is common: no date
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

func (p *Pipeline) readPDF(ctx context.Context, f File, d *docState, st *Stats) error {
	t := time.Now()
	info, err := pdfread.Inspect(f.Data)
	if errors.Is(err, pdfread.ErrEncrypted) {
		return errors.New("encrypted PDF: it needs a password; upload it without protection")
	}
	if err != nil {
		return fmt.Errorf("corrupt PDF: %w", err)
	}
	d.info, d.fields = &info, info.Fields
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
	st.PDF += time.Since(t)
	if err != nil {
		return fmt.Errorf("PDF text: %w", err)
	}
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
			d.pages = append(d.pages, doctext.Page{Number: n, Source: doctext.FromTextLayer, Lines: doctext.PlainLines(text), MeanConfidence: 100})
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
func (p *Pipeline) ocrPage(ctx context.Context, f File, g *image.Gray, n int, d *docState, st *Stats) error {
	st.Pages++
	if n == 1 {
		d.aspect = float64(g.Rect.Dx()) / float64(g.Rect.Dy())
	}
	q := scan.Measure(g)
	if q.Blank {
		d.problem(ruleQuality, fmt.Sprintf("page %d is blank", n), n, "")
		d.pages = append(d.pages, doctext.Page{Number: n, Source: doctext.FromOCR})
		return nil
	}
	t := time.Now()
	straight, _ := scan.Deskew(g)
	st.OCR += time.Since(t)
	page, err := p.recognize(ctx, f, straight, st)
	if err != nil {
		return fmt.Errorf("ocr page %d: %w", n, err)
	}
	// A page fed upside down reads as words of low confidence. Deskewing
	// works on line directions only, so such a page is read once more
	// turned 180° and kept that way if it reads clearly better. Pages that
	// read well never pay for this.
	if page.WordCount() >= upsideDownMinWords && page.MeanConfidence < upsideDownBelow {
		turned := scan.Rotate180(straight)
		tp, err := p.recognize(ctx, f, turned, st)
		if err != nil {
			return fmt.Errorf("ocr page %d turned 180°: %w", n, err)
		}
		if tp.MeanConfidence >= page.MeanConfidence+upsideDownGain {
			straight, page = turned, tp
			d.turned = append(d.turned, n)
		}
	}
	// A portrait page scanned in landscape reads as words standing on
	// end: turned a quarter each way, the reading with the better
	// confidence is kept.
	if sideways(page) {
		for _, cw := range []bool{true, false} {
			turned, _ := scan.Deskew(scan.Rotate90(straight, cw))
			tp, err := p.recognize(ctx, f, turned, st)
			if err != nil {
				return fmt.Errorf("ocr page %d turned 90°: %w", n, err)
			}
			if tp.WordCount() > 0 && tp.MeanConfidence > page.MeanConfidence && !sideways(tp) {
				straight, page = turned, tp
				d.quarter = append(d.quarter, n)
				break
			}
		}
	}
	t = time.Now()
	if err := p.rereadDates(ctx, f, straight, &page); err != nil {
		return fmt.Errorf("ocr page %d: %w", n, err)
	}
	st.OCR += time.Since(t)
	page.Number, page.Width, page.Height = n, straight.Rect.Dx(), straight.Rect.Dy()
	d.pages = append(d.pages, page)
	if n == 1 {
		d.first = straight // searched for a 2D-Doc once the file is read
	}
	switch {
	case q.Blurry:
		d.problem(ruleQuality, fmt.Sprintf("page %d is too blurry to read reliably (sharpness %.0f)", n, q.Sharpness), n, "")
	case page.WordCount() > 20 && page.MeanConfidence < 50:
		d.problem(ruleQuality, fmt.Sprintf("page %d read with low OCR confidence (%.0f)", n, page.MeanConfidence), n, "")
	}
	if d.mrz == nil || !d.mrz.Valid {
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
func (p *Pipeline) readCards(ctx context.Context, f File, g *image.Gray, page doctext.Page, d *docState) error {
	if d.mrz != nil && d.mrz.Valid {
		return nil
	}
	switch classify.Classify(classify.Input{Text: page.Text(), Words: page.WordCount(), Pages: 1}).Kind {
	case classify.IdentityCard, classify.Passport, classify.ResidencePermit:
	default:
		if d.mrzSeen == nil {
			return nil
		}
	}
	for _, card := range scan.Cards(g) {
		margin := card.Dy() / 20
		crop := scan.Gray(g.SubImage(card.Inset(-margin).Intersect(g.Rect)))
		straight, _ := scan.Deskew(crop)
		cp, _, err := p.OCR.Recognize(ctx, scan.PGM(straight), f.SHA256)
		if err != nil {
			return fmt.Errorf("card at %v: %w", card.Min, err)
		}
		cp.Number = page.Number
		read, seen := d.mrz, d.mrzSeen
		p.readMRZ(ctx, f, straight, cp, d)
		// Boxes found on the card are in its own straightened frame:
		// the page's evidence gives the card's box.
		box := &[4]int{card.Min.X, card.Min.Y, card.Max.X, card.Max.Y}
		if d.mrz != read {
			d.mrzEv.BBox = box
		}
		if d.mrzSeen != seen {
			d.mrzSeen.BBox = box
		}
		if d.mrz != nil && d.mrz.Valid {
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

// recognize OCRs one page image and counts it in the stats.
func (p *Pipeline) recognize(ctx context.Context, f File, g *image.Gray, st *Stats) (doctext.Page, error) {
	t := time.Now()
	page, hit, err := p.OCR.Recognize(ctx, scan.PGM(g), f.SHA256)
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

// rereadDates reads the digits of every date on the page (extract.DateWords)
// once more, each word on its own, and keeps the new reading when only
// digits changed. Within a whole page the French model read the "10" of
// a date as "19" on about one bill in five of the eval set, and which ones
// depended on the pages the same Tesseract client had read before; read
// alone, such words mostly came back right. A second reading that leaves
// the line with fewer valid dates is dropped (README, "How it works").
func (p *Pipeline) rereadDates(ctx context.Context, f File, g *image.Gray, page *doctext.Page) error {
	for i, l := range page.Lines {
		changed := false
		for _, j := range extract.DateWords(l) {
			w := l.Words[j]
			// Half the height above and below, a quarter beside: a word
			// space is about that wide, so a neighbour stays out.
			zone := image.Rect(w.Box.Min.X-w.Box.Dy()/4, w.Box.Min.Y-w.Box.Dy()/2,
				w.Box.Max.X+w.Box.Dy()/4, w.Box.Max.Y+w.Box.Dy()/2).Intersect(g.Rect)
			if zone.Empty() {
				continue
			}
			np, _, err := p.OCR.RecognizeNumber(ctx, scan.PGM(scan.Gray(g.SubImage(zone))), f.SHA256)
			if err != nil {
				return fmt.Errorf("re-read date: %w", err)
			}
			var got strings.Builder
			var conf float64
			var n int
			for _, nl := range np.Lines {
				for _, nw := range nl.Words {
					got.WriteString(nw.Text)
					conf += nw.Confidence
					n++
				}
			}
			if got.String() == w.Text || digitShape(got.String()) != digitShape(w.Text) {
				continue
			}
			// A reading that unmakes a date (02/10/2026 read 02/19/2026)
			// is the worse one.
			before := len(extract.Dates([]doctext.Line{doctext.LineFromWords(l.Words)}))
			l.Words[j].Text, l.Words[j].Confidence = got.String(), conf/float64(n)
			if len(extract.Dates([]doctext.Line{doctext.LineFromWords(l.Words)})) < before {
				l.Words[j] = w
				continue
			}
			changed = true
		}
		if changed {
			page.Lines[i] = doctext.LineFromWords(l.Words)
		}
	}
	return nil
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

// readMRZ finds a machine-readable zone on a page and reads it. The
// page's own OCR may already hold a valid zone; otherwise the band is
// found geometrically (mrzBand) and re-read with the MRZ alphabet only
// (the general French model garbles fillers and digits): cropped to the
// band itself at several line heights (recto and verso side by side: the
// recto's text at the same height stays out), then across the page
// width, then line by line. A band seen but not read is recorded too: the
// checks then say the MRZ was not read.
func (p *Pipeline) readMRZ(ctx context.Context, f File, g *image.Gray, page doctext.Page, d *docState) {
	keep := func(m mrz.MRZ, lines []doctext.Line, box *[4]int) {
		if d.mrz != nil && d.mrz.Valid {
			return
		}
		if !m.Valid {
			m, _ = m.Settle(func(n string) bool { return printedOn(n, append(d.pages, page)...) })
		}
		// Of two readings that fail, the one with fewer failed check
		// digits is reported.
		if !m.Valid && d.mrz != nil && len(d.mrz.Errors) <= len(m.Errors) {
			return
		}
		d.mrz = &m
		d.mrzEv = report.Evidence{File: f.Name, Page: page.Number, Text: strings.Join(m.Lines, " / "), BBox: box}
		d.mrzNameConf = mrzNameConfidence(m, lines)
	}
	if m, ok := findMRZ(lineTexts(page.Lines)); ok {
		var zone image.Rectangle
		for _, l := range page.Lines[m.At:min(m.At+len(m.Lines), len(page.Lines))] {
			for _, w := range l.Words {
				zone = zone.Union(w.Box)
			}
		}
		var box *[4]int
		if !zone.Empty() {
			box = &[4]int{zone.Min.X, zone.Min.Y, zone.Max.X, zone.Max.Y}
		}
		keep(m, page.Lines, box)
		if m.Valid {
			return
		}
	}
	band, segs := mrzBand(page.Lines)
	n := len(segs)
	if band.Empty() {
		return
	}
	if d.mrzSeen == nil {
		d.mrzSeen = &report.Evidence{File: f.Name, Page: page.Number, Text: "machine-readable zone seen, not read",
			BBox: &[4]int{band.Min.X, band.Min.Y, band.Max.X, band.Max.Y}}
	}
	lineH := band.Dy() / n
	pad := lineH / 2
	tight := image.Rect(band.Min.X-4*pad, band.Min.Y-pad, band.Max.X+4*pad, band.Max.Y+pad).Intersect(g.Rect)
	wide := image.Rect(0, band.Min.Y-pad, g.Rect.Dx(), band.Max.Y+pad).Intersect(g.Rect)
	// Tesseract reads a zone best at a line height of 30 to 50 pixels, and
	// which one varies with the font and the scan: a 600 dpi card's zone
	// (90 pixels a line) read at its own size misread a 7 as H on one scan
	// in two; a passport's "<<00" lost its zeros at 40 and 50 and kept
	// them at 30. Each reading costs a strip's OCR and the first whose
	// check digits all hold ends the search.
	type try struct {
		zone  image.Rectangle
		scale float64
	}
	lh := float64(lineH)
	for _, try := range []try{{tight, 40 / lh}, {tight, 30 / lh}, {tight, 50 / lh}, {tight, 1}, {wide, 1}} {
		sub := scan.Gray(g.SubImage(try.zone))
		if try.scale < 0.9 || try.scale > 1.1 {
			sub = scan.Scale(sub, try.scale)
		}
		mp, _, err := p.OCR.RecognizeMRZ(ctx, scan.PGM(sub), f.SHA256)
		if err != nil {
			return // the page text is still there; the MRZ is only extra evidence
		}
		if m, ok := findMRZ(lineTexts(mp.Lines)); ok {
			z := try.zone
			keep(m, mp.Lines, &[4]int{z.Min.X, z.Min.Y, z.Max.X, z.Max.Y})
			if m.Valid {
				return
			}
		}
	}
	// Last, each line of the band alone: read as a block, a phone photo's
	// passport zone lost the "00" that ends its second line at every
	// scale; read alone, the line kept it.
	var lines []doctext.Line
	for _, seg := range segs {
		h := seg.Dy()
		strip := image.Rect(seg.Min.X-h, seg.Min.Y-h/3, seg.Max.X+3*h, seg.Max.Y+h/3).Intersect(g.Rect)
		mp, _, err := p.OCR.RecognizeMRZ(ctx, scan.PGM(scan.Scale(scan.Gray(g.SubImage(strip)), 40/float64(h))), f.SHA256)
		if err != nil {
			return
		}
		lines = append(lines, doctext.LineFromWords(wordsOf(mp.Lines)))
	}
	if m, ok := findMRZ(lineTexts(lines)); ok {
		keep(m, lines, &[4]int{tight.Min.X, tight.Min.Y, tight.Max.X, tight.Max.Y})
	}
}

// wordsOf is the words of lines, in order: a strip read as one line.
func wordsOf(lines []doctext.Line) []doctext.Word {
	var out []doctext.Word
	for _, l := range lines {
		out = append(out, l.Words...)
	}
	return out
}

// printedOn reports whether a document number is printed on the pages
// (spaces left out, case folded).
func printedOn(number string, pages ...doctext.Page) bool {
	for _, pg := range pages {
		for _, l := range pg.Lines {
			if strings.Contains(strings.ToUpper(strings.ReplaceAll(l.Text, " ", "")), number) {
				return true
			}
		}
	}
	return false
}

func lineTexts(lines []doctext.Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Text
	}
	return out
}

// mrzBand is the box of the likeliest machine-readable zone on a page and
// the boxes of its lines: the largest stack of MRZ-like line segments
// (mrzSegment) whose gaps are under two line heights and which overlap
// horizontally; empty when there is none.
func mrzBand(lines []doctext.Line) (image.Rectangle, []image.Rectangle) {
	var best, cur image.Rectangle
	var bestSegs, segs []image.Rectangle
	for _, l := range lines {
		box, ok := mrzSegment(l)
		if !ok {
			continue
		}
		if len(segs) > 0 && box.Min.Y-cur.Max.Y < 2*box.Dy() && box.Min.X < cur.Max.X && box.Max.X > cur.Min.X {
			cur, segs = cur.Union(box), append(segs, box)
		} else {
			cur, segs = box, []image.Rectangle{box}
		}
		if len(segs) > len(bestSegs) {
			best, bestSegs = cur, slices.Clone(segs)
		}
	}
	return best, bestSegs
}

// mrzSegment finds in a line a cell (doctext.Cells: words without a
// wide gap between them) that looks like a zone line, whatever the
// general model made of its fillers ('<' read as «, K, E or L): 20
// characters or more, nearly all capitals, digits and fillers, with a run
// of fillers or of one repeated letter, or a third of digits. A line may
// also hold text printed beside the zone (the recto of a card scanned
// next to its verso): only the cell counts.
func mrzSegment(l doctext.Line) (image.Rectangle, bool) {
	for _, c := range doctext.Cells([]doctext.Line{l}) {
		// Case folded: the general model reads fillers as c or e too.
		t := strings.ToUpper(strings.ReplaceAll(c.Text, " ", ""))
		if !c.HasBoxes || len(t) < 20 {
			continue
		}
		good, all := 0, 0
		for _, r := range t {
			all++
			if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("<«‹", r) {
				good++
			}
		}
		if good*10 >= all*9 && (fillerRun(t) || codeLine(t)) {
			return c.Box, true
		}
	}
	return image.Rectangle{}, false
}

// codeLine: a zone line without fillers (TD1's second line is often
// full): 25 characters or more, a third of them digits or more.
func codeLine(t string) bool {
	digits := 0
	for _, c := range t {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	return len(t) >= 25 && digits*3 >= len(t)
}

// fillerRun: three fillers or more, or a run of four of one letter (the
// fillers as the French model reads them).
func fillerRun(t string) bool {
	if strings.Count(t, "<")+strings.Count(t, "«") >= 3 {
		return true
	}
	run := 1
	for i := 1; i < len(t); i++ {
		if t[i] == t[i-1] && t[i] >= 'A' && t[i] <= 'Z' {
			if run++; run >= 4 {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

// mrzNameConfidence is the OCR confidence of the zone line that holds the
// names (line 3 of TD1, line 1 otherwise): names carry no check digit, so
// they are only as sure as their reading.
func mrzNameConfidence(m mrz.MRZ, lines []doctext.Line) float64 {
	i := m.At
	if m.Format == mrz.TD1 {
		i += 2
	}
	if i < 0 || i >= len(lines) || len(lines[i].Words) == 0 {
		return 0
	}
	_, c := lines[i].Span(0, len(lines[i].Text))
	return c
}

// findMRZ is mrz.Find with one more check for Belgian cards: their 12-digit
// number carries a mod-97 key (RULES.md §2.4). ICAO's check digits can
// miss a dropped digit (an eID's "<829" read "<29" kept both the number's
// and the composite check digit), the key does not.
func findMRZ(lines []string) (mrz.MRZ, bool) {
	m, ok := mrz.Find(lines)
	if ok && m.Country == "BEL" && m.DocCode == "ID" && !extract.ValidBelgianCardNumber(m.Number) {
		m.Valid = false
		m.Errors = append(m.Errors, "Belgian card number key")
	}
	return m, ok
}

// read2DDoc looks for a 2D-Doc on page 1, decodes and verifies it. A code
// that cannot be trusted is a finding; one whose certificate is simply not
// configured is recorded and not used.
func (p *Pipeline) read2DDoc(ctx context.Context, f File, d *docState) {
	if d.first == nil && d.unread == "" && dossier.DetectType(f.Data) == dossier.PDF {
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
	d.code, d.codeRes, d.codeAt = &code, res, at
	switch res.Status {
	case twoddoc.BadSignature, twoddoc.OutOfPeriod, twoddoc.TestRefused:
		d.problems = append(d.problems, report.Finding{Rule: rule2DDoc, Outcome: report.NeedsLook, Message: res.Message,
			Evidence: []report.Evidence{{File: f.Name, Page: 1, Text: fmt.Sprintf("2D-Doc %s/%s type %s", code.CA, code.CertID, code.Type),
				BBox: &[4]int{at.Min.X, at.Min.Y, at.Max.X, at.Max.Y}}}, Source: "ANTS, spécifications techniques des codes 2D-Doc v3.2.6 §3.5; docs/verdict-policy.md"})
	}
}
