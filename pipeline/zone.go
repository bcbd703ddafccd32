package pipeline

import (
	"context"
	"image"
	"slices"
	"strings"
	"unicode"

	"dossiercheck/doctext"
	"dossiercheck/extract"
	"dossiercheck/mrz"
	"dossiercheck/report"
	"dossiercheck/scan"
)

// readMRZ finds a machine-readable zone on a page and reads it. The
// page's own OCR may already hold a valid zone; otherwise the band is
// found geometrically (mrzBand) and re-read with the MRZ alphabet only
// (the general French model garbles fillers and digits): cropped to the
// band itself at several line heights (recto and verso side by side: the
// recto's text at the same height stays out), then across the page
// width, then line by line. A band seen but not read is recorded too: the
// checks then say the MRZ was not read.
func (p *Pipeline) readMRZ(ctx context.Context, f File, g *image.Gray, page doctext.Page, d *reading) {
	var kept []doctext.Line // the lines d.MRZ was read from
	keep := func(m mrz.MRZ, lines []doctext.Line, box *[4]int) {
		if d.MRZ != nil && d.MRZ.Zone.Valid {
			return
		}
		if m.Valid && d.MRZ != nil && kept != nil {
			m, lines = withSurerLines(m, lines, d.MRZ.Zone, kept)
		}
		if !m.Valid {
			texts := append(printedTexts(d.Pages), printedTexts([]doctext.Page{page})...)
			var ok bool
			printed := func(n string) bool {
				return slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, n) })
			}
			if m, ok = m.Settle(printed); !ok {
				m, ok = m.SettleLoose(texts)
			}
			if !ok {
				m, ok = m.Unsettled()
			}
			if !ok {
				m, _ = m.NumberUnread(printedWords(append(slices.Clone(d.Pages), page)))
			}
		}
		// Of two readings that fail, the one with fewer failed check
		// digits is reported.
		if !m.Valid && d.MRZ != nil && len(d.MRZ.Zone.Errors) <= len(m.Errors) {
			return
		}
		kept = lines
		d.MRZ = &ZoneRead{Zone: m, NameConfidence: mrzNameConfidence(m, lines),
			Evidence: report.Evidence{File: f.Name, Page: page.Number, Text: strings.Join(m.Lines, " / "), BBox: box}}
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
	if d.MRZSeen == nil {
		d.MRZSeen = &report.Evidence{File: f.Name, Page: page.Number, Text: "machine-readable zone seen, not read",
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
	// Then the zone model (ocr.ZoneLanguage): some French cards' number
	// « T6NT4PFW49 » read « TOENT4PFW4D » by the French model at every
	// height, right by the English one. Only a zone that nothing above
	// read pays for it.
	zr, ok := p.OCR.(zoneRecognizer)
	if !ok {
		return
	}
	crop := scan.Gray(g.SubImage(tight))
	for _, scale := range []float64{40 / lh, 30 / lh, 1} {
		if d.MRZ != nil && d.MRZ.Zone.Valid {
			return
		}
		sub := crop
		if scale < 0.9 || scale > 1.1 {
			sub = scan.Scale(crop, scale)
		}
		mp, _, err := zr.RecognizeZoneImage(ctx, sub, f.SHA256)
		if err != nil {
			return
		}
		if m, ok := findMRZ(lineTexts(mp.Lines)); ok {
			keep(m, mp.Lines, &[4]int{tight.Min.X, tight.Min.Y, tight.Max.X, tight.Max.Y})
		}
	}
}

// withSurerLines takes, into a zone read valid (m, from lines), each line
// of an earlier failed reading of it on the page (prev, from prevLines)
// that was read more surely and keeps every check digit holding. Names
// carry no check digit: the page's own reading of an eID's names line,
// « LEFEVRE<<HELENE », beat the zone crop's « DEFEVRESCHELENES » (read at
// confidence 0), and the French model's the English one's « LERPEVRE ».
// A line a check digit covers is taken only when it holds too.
func withSurerLines(m mrz.MRZ, lines []doctext.Line, prev mrz.MRZ, prevLines []doctext.Line) (mrz.MRZ, []doctext.Line) {
	if prev.Format != m.Format || len(prev.Lines) != len(m.Lines) {
		return m, lines
	}
	conf := func(ls []doctext.Line, i int) float64 {
		if c, ok := lineConfidence(ls, i); ok {
			return c
		}
		return -1 // no line: any line read is surer
	}
	lines = slices.Clone(lines)
	for i := range m.Lines {
		a, b := m.At+i, prev.At+i
		if prev.Lines[i] == m.Lines[i] || conf(prevLines, b) <= conf(lines, a) {
			continue
		}
		cand := slices.Clone(m.Lines)
		cand[i] = prev.Lines[i]
		c, ok := findMRZ(cand)
		if !ok || !c.Valid || c.Format != m.Format {
			continue
		}
		// What was repaired in the reading taken stays said.
		c.At, c.Repaired = m.At, append(slices.Clone(m.Repaired), c.Repaired...)
		m, lines[a] = c, prevLines[b]
	}
	return m, lines
}

// zoneRecognizer reads a zone crop with the zone model
// (ocr.Engine.RecognizeZoneImage).
type zoneRecognizer interface {
	RecognizeZoneImage(ctx context.Context, g *image.Gray, source string) (doctext.Page, bool, error)
}

// wordsOf is the words of lines, in order: a strip read as one line.
func wordsOf(lines []doctext.Line) []doctext.Word {
	var out []doctext.Word
	for _, l := range lines {
		out = append(out, l.Words...)
	}
	return out
}

// printedTexts are the pages' lines in upper case, spaces removed: where
// a document number printed beside the zone is looked for.
func printedTexts(pages []doctext.Page) []string {
	var out []string
	for _, pg := range pages {
		for _, l := range pg.Lines {
			out = append(out, strings.ToUpper(strings.ReplaceAll(l.Text, " ", "")))
		}
	}
	return out
}

// printedWords are the pages' words in upper case, without the
// punctuation around them: where a document number is printed as a word.
func printedWords(pages []doctext.Page) []string {
	var out []string
	for _, pg := range pages {
		for _, l := range pg.Lines {
			for _, w := range l.Words {
				out = append(out, strings.ToUpper(strings.TrimFunc(w.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })))
			}
		}
	}
	return out
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
	c, _ := lineConfidence(lines, i)
	return c
}

// lineConfidence is the OCR confidence of line i of ls; ok is false when
// there is no such line or it has no word.
func lineConfidence(ls []doctext.Line, i int) (float64, bool) {
	if i < 0 || i >= len(ls) || len(ls[i].Words) == 0 {
		return 0, false
	}
	_, c := ls[i].Span(0, len(ls[i].Text))
	return c, true
}

// findMRZ is mrz.Find with one more check for Belgian cards: their 12-digit
// number carries a mod-97 key (RULES.md §2.4). ICAO's check digits can
// miss a dropped digit (an eID's "<829" read "<29" kept both the number's
// and the composite check digit), the key does not.
func findMRZ(lines []string) (mrz.MRZ, bool) {
	m, ok := mrz.Find(lines)
	if ok && len(m.Ambiguous) > 0 && m.Country == "BEL" && m.DocCode == "ID" {
		// Of a Belgian card's look-alike repairs, only numbers whose key
		// holds are candidates.
		m.Ambiguous = slices.DeleteFunc(m.Ambiguous, func(a mrz.MRZ) bool { return !extract.ValidBelgianCardNumber(a.Number) })
		if len(m.Ambiguous) == 1 {
			m = m.Ambiguous[0]
			m.Repaired = append(m.Repaired, "document number settled by its key (RULES.md §2.4)")
		}
	}
	if ok && m.Country == "BEL" && m.DocCode == "ID" && !extract.ValidBelgianCardNumber(m.Number) {
		m.Valid = false
		m.Errors = append(m.Errors, "Belgian card number key")
	}
	return m, ok
}
