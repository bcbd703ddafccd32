package forms

import (
	"fmt"
	"image"
	"slices"

	"dossiercheck/scan"
)

// Ink thresholds: the share of dark pixels in an area. Chosen here, no
// text sets them: on a clean scan an empty tick box's inside or a blank
// signature line holds no dark pixel, and specks or JPEG ringing stay
// under a few in a thousand; a cross or a tick drawn with a 0.4 mm pen
// covers 20–50% of the inside of a 3–5 mm box, and a signature 2–5% of
// its band. Between the two bounds the field is doubtful, never guessed.
const (
	tickedInk = 0.08  // a box's inside above this is ticked
	emptyInk  = 0.02  // under this, empty
	signedInk = 0.01  // a signature band above this is signed
	blankInk  = 0.002 // under this, blank
)

// darkLevel is the grey under which a pixel is ink in area r: 100 levels
// below the paper (the area's 90th percentile), so that a grey
// background or uneven light does not read as ink.
func darkLevel(img *image.Gray, r image.Rectangle) uint8 {
	var hist [256]int
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			hist[img.Pix[img.PixOffset(x, y)]]++
			n++
		}
	}
	paper, seen := 255, 0
	for v := 0; v < 256; v++ {
		seen += hist[v]
		if seen*10 >= n*9 {
			paper = v
			break
		}
	}
	return uint8(max(0, paper-100))
}

// box is a drawn square found on the page.
type box struct {
	r image.Rectangle
}

// findBoxes lists the square outlines in area r whose side is between lo
// and hi pixels: connected dark components whose four sides are mostly
// drawn (a letter's are not: O touches its box at four points).
func findBoxes(img *image.Gray, r image.Rectangle, lo, hi int) []box {
	r = r.Intersect(img.Rect)
	if r.Empty() {
		return nil
	}
	dark := darkLevel(img, r)
	w, h := r.Dx(), r.Dy()
	mask := make([]bool, w*h)
	for y := range h {
		row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):]
		for x := range w {
			mask[y*w+x] = row[x] < dark
		}
	}
	var out []box
	for _, c := range scan.Components(mask, w, h, true) {
		side, other := c.Box.Dx(), c.Box.Dy()
		if side < lo || side > hi || other < lo || other > hi || 10*side < 7*other || 10*other < 7*side {
			continue
		}
		for i := range c.Pts {
			c.Pts[i] = c.Pts[i].Add(r.Min)
		}
		if comp := c.Box.Add(r.Min); outlined(comp, c.Pts) {
			out = append(out, box{r: comp})
		}
	}
	return out
}

// outlined: each side of the component's box is drawn along 70% of its
// length or more (within a band of a tenth of the side). The box is first
// trimmed of edge rows and columns holding under a fifth of their length:
// a stroke of a heavy cross ending past the frame's corner (a box ticked
// « ☒ »), or a frame's grey shadow, would set a side where nothing is
// drawn.
func outlined(b image.Rectangle, pts []image.Point) bool {
	b = trimmed(b, pts)
	if b.Empty() {
		return false
	}
	band := max(1, min(b.Dx(), b.Dy())/10)
	top, bottom := make([]bool, b.Dx()), make([]bool, b.Dx())
	left, right := make([]bool, b.Dy()), make([]bool, b.Dy())
	for _, p := range pts {
		if !p.In(b) {
			continue
		}
		x, y := p.X-b.Min.X, p.Y-b.Min.Y
		if y < band {
			top[x] = true
		}
		if y >= b.Dy()-band {
			bottom[x] = true
		}
		if x < band {
			left[y] = true
		}
		if x >= b.Dx()-band {
			right[y] = true
		}
	}
	for _, side := range [][]bool{top, bottom, left, right} {
		n := 0
		for _, on := range side {
			if on {
				n++
			}
		}
		if 10*n < 7*len(side) {
			return false
		}
	}
	return true
}

// trimmed is b less its edge rows and columns holding under a fifth of
// their length in points.
func trimmed(b image.Rectangle, pts []image.Point) image.Rectangle {
	cols, rows := make([]int, b.Dx()), make([]int, b.Dy())
	for _, p := range pts {
		cols[p.X-b.Min.X]++
		rows[p.Y-b.Min.Y]++
	}
	x0, x1, y0, y1 := 0, len(cols), 0, len(rows)
	for x0 < x1 && 5*cols[x0] < b.Dy() {
		x0++
	}
	for x1 > x0 && 5*cols[x1-1] < b.Dy() {
		x1--
	}
	for y0 < y1 && 5*rows[y0] < b.Dx() {
		y0++
	}
	for y1 > y0 && 5*rows[y1-1] < b.Dx() {
		y1--
	}
	return image.Rect(b.Min.X+x0, b.Min.Y+y0, b.Min.X+x1, b.Min.Y+y1)
}

// inkShare is the share of dark pixels in r, leaving out the areas in
// skip (printed labels) and, when ruleLen > 0, the form's rules and
// frames (ink's ruled).
func inkShare(img *image.Gray, r image.Rectangle, skip []image.Rectangle, ruleLen int) float64 {
	share, _ := ink(img, r, skip, ruleLen)
	return share
}

// ruleLen is the shortest straight run of ink that is a printed rule or a
// frame's side next to a label, not a hand's: 4 line heights across (no
// letter is that wide; a signature's strokes curve), 3 down.
func ruleLen(lc *cell) int { return 4 * lc.h }

// ink is inkShare and the box around the ink it counted.
func ink(img *image.Gray, r image.Rectangle, skip []image.Rectangle, ruleLen int) (float64, image.Rectangle) {
	r = r.Intersect(img.Rect)
	if r.Empty() {
		return 0, image.Rectangle{}
	}
	dark := darkLevel(img, r)
	skipped := within(r, skip)
	in := func(x, y int) bool { return !skipped(x, y) && img.Pix[img.PixOffset(x, y)] < dark }
	w := r.Dx()
	ruled := ruled(img, r, dark, ruleLen)
	inked, area := 0, 0
	var box image.Rectangle
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ruled != nil && ruled[(y-r.Min.Y)*w+x-r.Min.X] {
				continue
			}
			area++
			if in(x, y) {
				inked++
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if area == 0 {
		return 0, box
	}
	return float64(inked) / float64(area), box
}

// within reports whether a point of r lies in one of the areas of skip
// (printed labels), those reaching into r looked at only.
func within(r image.Rectangle, skip []image.Rectangle) func(x, y int) bool {
	var near []image.Rectangle
	for _, s := range skip {
		if s.Overlaps(r) {
			near = append(near, s)
		}
	}
	return func(x, y int) bool {
		p := image.Pt(x, y)
		for _, s := range near {
			if p.In(s) {
				return true
			}
		}
		return false
	}
}

// ruled marks, in r, the pixels of straight runs of ink ruleLen long or
// more across, or three quarters of it down, measured on the whole image
// (a frame's side that r cuts near its corner is still a frame): a
// printed rule, a box's frame, however much of the area they cross. nil
// when ruleLen is 0.
func ruled(img *image.Gray, r image.Rectangle, dark uint8, ruleLen int) []bool {
	if ruleLen <= 0 {
		return nil
	}
	b := img.Rect
	// A thin printed line scans grey, lighter than ink: its run is
	// followed at half the contrast ink needs.
	level := uint8(min(255, int(dark)+50))
	dk := func(x, y int) bool { return img.Pix[img.PixOffset(x, y)] < level }
	w := r.Dx()
	out := make([]bool, w*r.Dy())
	mark := func(x, y int) {
		if (image.Point{x, y}).In(r) {
			out[(y-r.Min.Y)*w+x-r.Min.X] = true
		}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		longRuns(max(b.Min.X, r.Min.X-ruleLen), min(b.Max.X, r.Max.X+ruleLen), b.Max.X, ruleLen,
			func(x int) bool { return dk(x, y) }, func(x int) { mark(x, y) })
	}
	down := ruleLen * 3 / 4
	for x := r.Min.X; x < r.Max.X; x++ {
		longRuns(max(b.Min.Y, r.Min.Y-down), min(b.Max.Y, r.Max.Y+down), b.Max.Y, down,
			func(y int) bool { return dk(x, y) }, func(y int) { mark(x, y) })
	}
	return out
}

// ruleGap is the gap, in pixels, a rule's run goes on through: a scanned
// rule's pixels are not all dark (noise, JPEG).
const ruleGap = 2

// longRuns marks the runs of dark positions starting in [from, to) (and
// going on up to end) that are minLen long or more, gaps of ruleGap
// included.
func longRuns(from, to, end, minLen int, dark func(int) bool, mark func(int)) {
	for i := from; i < to; {
		if !dark(i) {
			i++
			continue
		}
		e, last := i, i
		for e < end && e-last <= ruleGap {
			if dark(e) {
				last = e
			}
			e++
		}
		if last+1-i >= minLen {
			for k := i; k <= last; k++ {
				mark(k)
			}
		}
		i = last + 1
	}
}

// strokeInk is ink's share and box counting only the dark pixels of
// vertical runs minRun long or more: a letter's or a digit's stem, not
// the dots of a leader (« Nom ........ ») nor specks, which would make an
// empty field look written; rules and frames left out as ink does.
func strokeInk(img *image.Gray, r image.Rectangle, skip []image.Rectangle, minRun, ruleLen int) (float64, image.Rectangle) {
	r = r.Intersect(img.Rect)
	if r.Empty() {
		return 0, image.Rectangle{}
	}
	dark := darkLevel(img, r)
	rules := ruled(img, r, dark, ruleLen)
	inSkip := within(r, skip)
	skipped := func(x, y int) bool {
		return rules != nil && rules[(y-r.Min.Y)*r.Dx()+x-r.Min.X] || inSkip(x, y)
	}
	inked, area := 0, r.Dx()*r.Dy()
	var box image.Rectangle
	for x := r.Min.X; x < r.Max.X; x++ {
		run := 0
		for y := r.Min.Y; y <= r.Max.Y; y++ {
			if y < r.Max.Y && !skipped(x, y) && img.Pix[img.PixOffset(x, y)] < dark {
				run++
				continue
			}
			if run >= minRun {
				inked += run
				box = box.Union(image.Rect(x, y-run, x+1, y))
			}
			run = 0
		}
	}
	return float64(inked) / float64(area), box
}

// gapX is the horizontal distance between two boxes (0 when they overlap).
func gapX(a, b image.Rectangle) int {
	switch {
	case b.Min.X >= a.Max.X:
		return b.Min.X - a.Max.X
	case a.Min.X >= b.Max.X:
		return a.Min.X - b.Max.X
	}
	return 0
}

func overlapY(a, b image.Rectangle) bool {
	return min(a.Max.Y, b.Max.Y) > max(a.Min.Y, b.Min.Y)
}

// tickValue finds the box of a checkbox label, on its line to its left or
// right (the nearest, and only one nearer to this label than to any other
// text), and reads its ink.
func tickValue(v Value, lc *cell, cells []*cell, img *image.Gray) Value {
	v.BBox = lc.labelBox
	if img == nil {
		v.Doubt = v.Key + ": no page image to read the tick box on"
		return v
	}
	h := lc.h
	area := image.Rect(lc.labelBox.Min.X-10*h, lc.labelBox.Min.Y-h, lc.labelBox.Max.X+30*h, lc.labelBox.Max.Y+h)
	// The label's first words OCR set apart (« Résultat | test de
	// lecture ») stand between it and its box: they are the label's.
	label, own := lc.labelBox, []*cell{lc}
	for grown := true; grown; {
		grown = false
		for _, c := range cells {
			if !slices.Contains(own, c) && c.page == lc.page && len(c.keys) == 0 && c.heading == "" && overlapY(c.box, label) &&
				c.box.Max.X <= label.Min.X && label.Min.X-c.box.Max.X < 3*h {
				label, own, grown = label.Union(c.box), append(own, c), true
			}
		}
	}
	// The nearest box beside the label, and the nearest on it.
	var best, onLabel *box
	bestGap, onGap := 0, 0
	for _, b := range findBoxes(img, area, h*6/10, h*7/2) {
		// OCR may read a ticked box as part of the label's first word
		// ("☒ B" read " B"): a box at either end of the label is still
		// beside it; one inside the label is a letter's. A box-like
		// letter at the label's end (the « B » of « ☐ B M12 » at 130
		// dpi, its middle bar read as a tick) is one too when a box
		// stands beside the label: only without one is a box on the
		// label taken.
		inside := b.r.Min.X > lc.labelBox.Min.X+h/2 && b.r.Max.X < lc.labelBox.Max.X-h/2
		if !overlapY(b.r, lc.labelBox) || b.r.Overlaps(lc.labelBox) && inside {
			continue
		}
		gap := gapX(b.r, label)
		nearer := false
		for _, c := range cells {
			if !slices.Contains(own, c) && c.page == lc.page && overlapY(c.box, b.r) && !c.box.Overlaps(b.r) && gapX(c.box, b.r) < gap {
				nearer = true
				break
			}
		}
		switch {
		case nearer:
		case b.r.Overlaps(lc.labelBox):
			if onLabel == nil || gap < onGap {
				onLabel, onGap = &b, gap
			}
		case best == nil || gap < bestGap:
			best, bestGap = &b, gap
		}
	}
	if best == nil {
		best = onLabel
	}
	if best == nil {
		v.Doubt = v.Key + ": no tick box found beside its label"
		return v
	}
	inset := max(2, best.r.Dx()/5)
	share := inkShare(img, best.r.Inset(inset), nil, 0)
	v.BBox = best.r
	return inkValue(v, share, tickedInk, emptyInk, "true", "tick box neither clearly ticked nor empty")
}

// inkValue sets v from an ink share: on at or over full, empty at or
// under none, doubtful between.
func inkValue(v Value, share, full, none float64, on, doubt string) Value {
	v.Confidence = 100
	switch {
	case share >= full:
		v.Text = on
	case share <= none:
		v.Text = ""
	default:
		v.Doubt = fmt.Sprintf("%s: %s (%.1f%% ink)", v.Key, doubt, 100*share)
	}
	return v
}

// valueAreas are where a label's value is written: to its right on its
// line up to the next label or heading (or 40 heights), and under it, as
// wide, down to the next label (its translation printed under it, « Geslaagd
// op », is passed over) or 4 heights; skip holds the label cells of the
// page.
func valueAreas(lc *cell, cells []*cell, img *image.Gray) (right, below image.Rectangle, skip []image.Rectangle) {
	h, lb := lc.h, lc.labelBox
	right = image.Rect(lb.Max.X+h/2, lb.Min.Y-h, min(img.Rect.Max.X, lb.Max.X+40*h), lb.Max.Y+h)
	below = image.Rect(lb.Min.X, lb.Max.Y+h/4, min(img.Rect.Max.X, lb.Min.X+40*h), lb.Max.Y+4*h)
	for _, c := range cells {
		if c.page != lc.page {
			continue
		}
		if len(c.keys) == 0 && c.heading == "" || c.fuzzy && c.heading == "" {
			continue // a label known by its colon alone may be a scrawl read « LES. »
		}
		if c == lc {
			skip = append(skip, c.labelBox.Inset(-2))
		} else {
			// Another label's whole cell: what follows its label is its
			// own value, or the label's translation read as one
			// (« Handtekening | van de kandidaat »), never this value.
			skip = append(skip, c.box.Inset(-2))
		}
		if rightOf(lc, c) {
			right.Max.X = min(right.Max.X, c.box.Min.X-h/2) // the next label on the line
			below.Max.X = min(below.Max.X, c.box.Min.X-h/2) // the next column
		}
		if !sharesLabel(c, lc) && c.box.Min.Y > lb.Max.Y && c.box.Max.X > below.Min.X && c.box.Min.X < below.Max.X {
			if nextColumn(c, lc) {
				// The next column's label, its part staggered lower: it
				// bounds the value across, not down.
				below.Max.X = min(below.Max.X, c.box.Min.X-h/2)
			} else {
				// The next label down, and half a line above it: its tick
				// box or its ascenders are not this value's ink.
				below.Max.Y = min(below.Max.Y, c.box.Min.Y-h/2)
			}
		}
	}
	return right, below, skip
}

// nextColumn: the label cell c, lower than lc by two lines at most and
// starting half a line or more past lc's label, is the next column's, its
// part staggered (two guides side by side, the second a line lower) —
// not a label under lc's value, which bounds it down.
func nextColumn(c, lc *cell) bool {
	return c.page == lc.page && c.box.Min.Y > lc.labelBox.Max.Y && c.box.Min.Y < lc.labelBox.Max.Y+2*lc.h &&
		c.box.Min.X >= lc.labelBox.Max.X+lc.h/2
}

// sharesLabel: c is labelled for one of lc's fields — lc's translation
// printed near it (« Geslaagd op » under « Réussi le »), not another
// field's label.
func sharesLabel(c, lc *cell) bool {
	return slices.ContainsFunc(c.keys, func(k string) bool { return slices.Contains(lc.keys, k) })
}

// stemRun is the shortest vertical run of ink that counts as writing next
// to a label: a quarter of its line's height (a digit's or a letter's stem
// is half or more; a leader's dot, a tenth).
func stemRun(lc *cell) int { return max(3, lc.h/4) }

// printed: the cell is text read surely at the height of lc's line (the
// rest of a label OCR cut off, « Signature | du | guide »; a footer), not a
// hand's scrawl, which reads as junk, unsurely, and taller.
func printed(c, lc *cell) bool {
	return meanConfidence(c) >= lowConfidence && 2*c.h <= 3*lc.h
}

// valueInk is the share of ink where a text value would be written, the
// form's rules and frames left out, and the box around that ink: the more
// inked of the label's line to its right and the line under it. Only
// strokes count (strokeInk): a leader's dots are no value.
func valueInk(lc *cell, cells []*cell, img *image.Gray) (float64, image.Rectangle) {
	right, below, skip := valueAreas(lc, cells, img)
	right.Min.Y, right.Max.Y = lc.labelBox.Min.Y-lc.h/3, lc.labelBox.Max.Y+lc.h/3
	r, rbox := strokeInk(img, right, skip, stemRun(lc), ruleLen(lc))
	b, bbox := strokeInk(img, below, skip, stemRun(lc), ruleLen(lc))
	if r >= b {
		return r, rbox
	}
	return b, bbox
}

// unreadAbove is the share of ink in the two lines above a label that no
// word read covers, strokes only (a leader's dots are not a line) and the
// form's rules left out: a line OCR dropped whole
// (a label, its value and their dotted leader taken for a picture) leaves
// only the translation printed under it to be found as the label, and
// the value read as missing would be a wrong « not filled in ».
func unreadAbove(lc *cell, cells []*cell, img *image.Gray) (float64, image.Rectangle) {
	h, lb := lc.h, lc.labelBox
	area := image.Rect(lb.Min.X, lb.Min.Y-2*h, min(img.Rect.Max.X, lb.Min.X+40*h), lb.Min.Y-h/4)
	var read []image.Rectangle
	for _, c := range cells {
		switch {
		case c.page != lc.page:
		case c.heading != "":
			// A part's title is read; its mark printed before it, white
			// on a black badge taller than the words (« G2 »), is no line
			// OCR dropped.
			b := c.box
			read = append(read, image.Rect(img.Rect.Min.X, b.Min.Y-c.h/2, b.Max.X+2, b.Max.Y+c.h/2))
		default:
			read = append(read, c.box.Inset(-2))
		}
	}
	return strokeInk(img, area, read, stemRun(lc), ruleLen(lc))
}

// signatureBlank is how far under its label, in line heights, a signature
// may be drawn in the blank space left for it: a signature box is 20 to
// 30 mm high, 8 to 12 lines of 10-point text.
const signatureBlank = 12

// blankUnder is the band of the blank space under a signature's label
// (down to the next label, heading or text read clearly, or
// signatureBlank lines) where ink lies, and its share of ink: measured
// over the rows the ink spans, not the whole space, so that a signature
// low in a tall box is not diluted by the blank above it.
func blankUnder(lc *cell, cells []*cell, below image.Rectangle, img *image.Gray, skip []image.Rectangle) (image.Rectangle, float64) {
	h := lc.h
	r := below
	r.Max.Y = lc.labelBox.Max.Y + signatureBlank*h
	for _, c := range cells {
		if c == lc || c.page != lc.page || c.box.Min.Y <= lc.labelBox.Max.Y || c.box.Max.X <= r.Min.X || c.box.Min.X >= r.Max.X {
			continue
		}
		if !sharesLabel(c, lc) && (len(c.keys) > 0 || c.heading != "" || meanConfidence(c) >= lowConfidence) {
			r.Max.Y = min(r.Max.Y, c.box.Min.Y-h/2)
		}
	}
	_, box := ink(img, r, skip, ruleLen(lc))
	if box.Empty() {
		return r, 0
	}
	band := image.Rect(r.Min.X, max(r.Min.Y, box.Min.Y-h/2), r.Max.X, min(r.Max.Y, box.Max.Y+h/2))
	return band, inkShare(img, band, skip, ruleLen(lc))
}

// meanConfidence is the mean OCR confidence of the cell's words.
func meanConfidence(c *cell) float64 {
	sum := 0.0
	for _, w := range c.words {
		sum += w.Confidence
	}
	return sum / float64(max(1, len(c.words)))
}

// signatureValue reads the ink of the signature area: to the right of its
// label on its line, up to the next label, or below it, whichever holds
// more.
func signatureValue(v Value, lc *cell, cells []*cell, img *image.Gray) Value {
	v.BBox = lc.labelBox
	if img == nil {
		v.Doubt = v.Key + ": no page image to read the signature on"
		return v
	}
	// Beside the label, else under it (a form whose values go under
	// their labels).
	area, below, skip := valueAreas(lc, cells, img)
	for _, c := range cells {
		// Text printed around the label (the rest of it OCR cut off,
		// « Signature | du | guide »; a footer) is no signature.
		if c.page == lc.page && len(c.keys) == 0 && c.heading == "" && printed(c, lc) {
			skip = append(skip, c.box.Inset(-2))
		}
	}
	// Words read surely after the label in its own cell are typed (a
	// name typed where the signature goes): no hand's ink.
	var typed image.Rectangle
	for _, w := range lc.words[lc.valueWord:] {
		if w.Confidence >= lowConfidence && 2*w.Box.Dy() <= 3*lc.h && hasLetters(w.Text) {
			typed = typed.Union(w.Box)
		}
	}
	if !typed.Empty() {
		skip = append(skip, typed.Inset(-2))
	}
	share := inkShare(img, area, skip, ruleLen(lc))
	if b := inkShare(img, below, skip, ruleLen(lc)); below.Dy() > lc.h && b > share {
		// Under the label rather than beside it (a box with the label
		// in its corner): the more inked of the two.
		area, share = below, b
	}
	if a, b := blankUnder(lc, cells, below, img, skip); b > share {
		area, share = a, b
	}
	v.BBox = area.Intersect(img.Rect)
	if !typed.Empty() && share < signedInk {
		v.BBox, v.Doubt = typed, v.Key+": text typed where the signature goes, no handwriting: a clerk checks"
		return v
	}
	return inkValue(v, share, signedInk, blankInk, "signed", "too little ink to tell a signature")
}
