package forms

import (
	"fmt"
	"image"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"dossiercheck/doctext"
	"dossiercheck/edit"
	"dossiercheck/extract"
	"dossiercheck/scan"
)

// lowConfidence is the OCR word confidence under which a value read on a
// scan is doubtful: the figure checks uses for the dates that decide a
// rule (checks.lowConfidence: a misread digit typically scores below 60).
const lowConfidence = 60

// cell is one run of words on a page (doctext.Cells) with its tokens.
type cell struct {
	page    int // index in the pages given
	box     image.Rectangle
	h       int
	words   []doctext.Word
	toks    []string
	tokWord []int // the word each token comes from

	keys      []string // fields whose label this cell starts with
	labelToks int      // tokens of the best label
	labelFrom int      // first word of the label (after numbering)
	// fuzzy: the label was known by its colon, its word read one letter
	// off (« Le : » read « re: ») — weaker than a label read as printed.
	fuzzy     bool
	valueWord int // first word after the label
	// labelBox surrounds the label's own words: a tick box or a signature
	// read as words of the cell is outside it.
	labelBox image.Rectangle
	heading  string // the section this cell heads
}

func (c *cell) text(from int) string {
	var ws []string
	for _, w := range c.words[from:] {
		ws = append(ws, w.Text)
	}
	return strings.Join(ws, " ")
}

// FromPage reads a scanned form: pages are its OCR'd pages (word boxes in
// page pixels) and images the same pages as grey images in the same
// frame (deskewed, turned as the words were read), images[i] for
// pages[i], nil when not at hand (tick boxes and signatures are then
// doubtful). Sections are found by their printed headings, each label
// is paired with the value to its right on the same line or just below
// it within its own section, tick boxes and signatures are read by their
// ink. Every field of the schema gets a value; one that could not be read
// confidently carries a Doubt.
func FromPage(s Schema, pages []doctext.Page, images []*image.Gray) Values {
	return FromPageDigits(s, pages, images, nil)
}

// Reader reads one value's crop again: the text read and its confidence.
type Reader func(crop *image.Gray) (text string, confidence float64, err error)

// Digits is a Reader of digits (the pipeline's OCR with a whitelist of
// digits and date separators, ocr.Engine.RecognizeNumber).
type Digits = Reader

// Rereads read one value's crop again: Digits by its digits, Text as a
// block of any text (ocr.Engine.RecognizeBlockImage). Either may be nil.
type Rereads struct {
	Digits Digits
	Text   Reader
}

// FromPageDigits is FromPage with a second reading, by digits, of every
// date, number and national number that the page's reading left doubtful
// or that has ink but no word (a lone digit OCR dropped). The second
// reading is kept only when it is confident and holds: one date, digits,
// a national number whose check digits hold.
func FromPageDigits(s Schema, pages []doctext.Page, images []*image.Gray, digits Digits) Values {
	return FromPageRead(s, pages, images, Rereads{Digits: digits})
}

// FromPageRead is FromPageDigits, and a free-text value whose ink was seen
// but no word read there is read again as a block (Rereads.Text).
func FromPageRead(s Schema, pages []doctext.Page, images []*image.Gray, r Rereads) Values {
	digits := r.Digits
	pages, images = slices.Clone(pages), slices.Clone(images)
	for i := range pages {
		var img *image.Gray
		if i < len(images) {
			img = images[i]
		}
		pages[i], img = upright(pages[i], img)
		if i < len(images) {
			images[i] = img
		}
	}
	cells := pageCells(s, pages)
	heads := headings(cells)
	secAt := sectionFinder(s, heads)
	out := Values{}
	var unlabelled []Field
	for _, f := range s.Fields {
		var hits []*cell
		for _, c := range cells {
			if slices.Contains(c.keys, f.Key) && secAt(c) == f.Section {
				hits = append(hits, c)
			}
		}
		hits = printedOnly(unnumbered(retitled(translated(f, readTwice(hits)))))
		if len(hits) == 0 {
			hits = uniqueLabel(f, cells)
		}
		if len(hits) == 0 {
			out[f.Key] = Value{Key: f.Key, Doubt: fmt.Sprintf("label of %s not found in its section (%s)", f.Key, f.Section)}
			if f.Type == Date {
				unlabelled = append(unlabelled, f)
			}
			continue
		}
		lc := hits[0] // the first in reading order
		var img *image.Gray
		if lc.page < len(images) {
			img = images[lc.page]
		}
		v := Value{Key: f.Key, Page: pages[lc.page].Number, Label: lc.text(0)}
		switch f.Type {
		case Checkbox:
			v = tickValue(v, lc, cells, img)
		case Signature:
			v = signatureValue(v, lc, cells, img)
		default:
			v = textValue(v, f, lc, cells, secAt, img, r.Text)
			v = reread(v, f, lc, img, digits, wholeDate(v, f, lc, cells, img))
		}
		if len(hits) > 1 && v.Doubt == "" {
			// Two labels of the same field in one section: which is meant
			// is not read, it is a guess.
			v.Doubt = fmt.Sprintf("label of %s printed %d times in its section", f.Key, len(hits))
		}
		out[f.Key] = v
	}
	for _, f := range unlabelled {
		if v, c, ok := unlabelledDate(f, pages, cells, secAt, out); ok {
			var img *image.Gray
			if c.page < len(images) {
				img = images[c.page]
			}
			out[f.Key] = reread(v, f, c, img, digits, image.Rectangle{}) // read unsurely: by its digits again
		}
	}
	for _, f := range s.Fields {
		if v := out[f.Key]; f.Type == Date && v.Doubt == "" && v.Text != "" {
			out[f.Key] = dated(v)
		}
	}
	return out
}

// dated writes a date value that reads as one date only once mended
// (oneDate: digits split, a slash read as a 1) as that date, dd/mm/yyyy,
// so that every later reader of the text reads the same date.
func dated(v Value) Value {
	if refs := extract.Dates(doctext.PlainLines(v.Text)); len(refs) == 1 {
		return v
	}
	if d, ok := oneDate(v.Text); ok {
		v.Text = d.Format("02/01/2006")
	}
	return v
}

// dateAlone: the cell is one date and nothing else (three words at most:
// « 2 novembre 2026 »).
func dateAlone(c *cell) bool {
	_, ok := oneDate(c.text(0))
	return ok && len(c.words) <= 3
}

// afterUnread is where a cell's date alone begins: at its start, or after
// up to two words read unsurely without a digit or with a letter — its
// label read as nothing (« le / op » read « op » at confidence 0, then a
// leader's stroke; « e/0op »).
func afterUnread(c *cell) (int, bool) {
	n := 0
	for n < 2 && n+1 < len(c.words) && c.words[n].Confidence < lowConfidence &&
		(!strings.ContainsFunc(c.words[n].Text, unicode.IsDigit) || strings.ContainsFunc(c.words[n].Text, unicode.IsLetter)) {
		n++
	}
	return n, dateAlone(newCell(c.page, c.words[n:], c.h))
}

// unlabelledDate is the value of a date field whose label was not read
// (« Le : » read « Ées » at confidence 22): the one date of its section
// that no other label holds, a cell of a date alone on the line of
// another label of the section, to its right (« Fait à : Bruxelles  Ées
// 10/11/2026 »). A date elsewhere in the section is not taken: were the
// sections misread, it could be another part's (a guide's date under its
// label). None, or two, and the field stays unread: which date is meant
// is then a guess.
func unlabelledDate(f Field, pages []doctext.Page, cells []*cell, secAt func(*cell) string, out Values) (Value, *cell, bool) {
	var found *cell
	from := 0
	for _, c := range cells {
		if len(c.keys) > 0 || c.heading != "" || secAt(c) != f.Section {
			continue
		}
		n, ok := afterUnread(c)
		if !ok {
			continue
		}
		if !slices.ContainsFunc(cells, func(l *cell) bool { return len(l.keys) > 0 && secAt(l) == f.Section && rightOf(l, c) }) {
			continue
		}
		held := false
		for _, v := range out {
			held = held || v.Page == pages[c.page].Number && v.BBox.Overlaps(c.box)
		}
		if held {
			continue
		}
		if found != nil {
			return Value{}, nil, false
		}
		found, from = c, n
	}
	if found == nil {
		return Value{}, nil, false
	}
	v := Value{Key: f.Key, Text: found.text(from), Confidence: 100, Page: pages[found.page].Number, Label: "(label not read)"}
	for _, w := range found.words[from:] {
		v.Confidence = min(v.Confidence, w.Confidence)
		v.BBox = v.BBox.Union(w.Box)
	}
	if v.Confidence < lowConfidence {
		v.Doubt = fmt.Sprintf("%s: label not read, and the section's one date read with low OCR confidence (%.0f)", f.Key, v.Confidence)
	}
	return v, found, true
}

// unnumbered leaves out of a field's label cells, when some are left, those
// that begin with a section's number (« 2 Catégories concernées »): a
// part's title, the field's label printed under it.
func unnumbered(hits []*cell) []*cell {
	plain := slices.DeleteFunc(slices.Clone(hits), func(c *cell) bool { return c.labelFrom > 0 && numbering(c.toks[0]) })
	if len(plain) == 0 {
		return hits
	}
	return plain
}

// readTwice leaves out of a field's label cells those lying over an
// earlier one (half the smaller box or more): OCR gave two readings of
// one printed line (« le] op 07/1 1/2026 » over « le/op 07/11/2026. »);
// or those just beside one on its line (less than a line height apart):
// one label read in two pieces (« le / » and « op » from two readings),
// of which the last piece, the value's neighbour, is kept.
func readTwice(hits []*cell) []*cell {
	var out []*cell
	for _, c := range hits {
		i := slices.IndexFunc(out, func(o *cell) bool {
			in := o.box.Intersect(c.box)
			small := min(o.box.Dx()*o.box.Dy(), c.box.Dx()*c.box.Dy())
			return o.page == c.page && 2*in.Dx()*in.Dy() >= small
		})
		j := slices.IndexFunc(out, func(o *cell) bool {
			return o.page == c.page && overlapY(o.box, c.box) && gapX(o.box, c.box) < max(o.h, c.h)
		})
		switch {
		case i >= 0:
		case j >= 0:
			if c.box.Min.X > out[j].box.Min.X {
				out[j] = c
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

// translated leaves out of a field's label cells those printed under
// another of them, within three lines (the first may wrap onto a second):
// the label's translation (« Nom et prénom » over « Naam
// en voornaam », « Signature du guide » over « Handtekening van de
// begeleider »), not the label printed twice.
func translated(f Field, hits []*cell) []*cell {
	return slices.DeleteFunc(slices.Clone(hits), func(c *cell) bool {
		if c.valueWord < len(c.words) && f.Type != Signature && f.Type != Checkbox {
			return false // a value of its own: a label (a box or a signature has no words)
		}
		return slices.ContainsFunc(hits, func(o *cell) bool {
			return over(o, c) && !slices.Equal(o.toks, c.toks)
		})
	})
}

// over: o is printed right over c (three of o's lines at most between
// them), the two overlapping across.
func over(o, c *cell) bool {
	gap := c.box.Min.Y - o.box.Max.Y
	return o != c && o.page == c.page && gap >= -o.h/4 && gap <= o.h*3 && c.box.Min.X < o.box.Max.X && o.box.Min.X < c.box.Max.X
}

// retitled leaves out of a field's label cells those printed right over
// another: a part's title (« B  Adresse du meublé », its letter unread;
// « Catégories concernées ») over the field's own label, nearest its
// value — the same words, or a title with nothing written after it over a
// label with its value or printed in a smaller type (a title's type is a
// quarter taller or more: 39 px over 22 on a scanned 14880).
func retitled(hits []*cell) []*cell {
	return slices.DeleteFunc(slices.Clone(hits), func(o *cell) bool {
		return slices.ContainsFunc(hits, func(c *cell) bool {
			if !over(o, c) {
				return false
			}
			title := !written(o.words[o.valueWord:])
			return slices.Equal(o.toks, c.toks) || title && (written(c.words[c.valueWord:]) || 4*o.h >= 5*c.h)
		})
	})
}

// written: some of the words looks written in, not printed in a
// sentence: a digit, or a word starting with a capital.
func written(words []doctext.Word) bool {
	return slices.ContainsFunc(words, func(w doctext.Word) bool {
		r, _ := utf8.DecodeRuneInString(w.Text)
		return unicode.IsUpper(r) || strings.ContainsFunc(w.Text, unicode.IsDigit)
	})
}

// uniqueLabel is the one cell of the page labelled for this field alone,
// wherever it lies, when none lies in the field's section: a label no
// other field shares (« M36 – avec guide » printed in the candidate's part
// rather than the exam centre's) names its field whatever section holds
// it. A label several fields share (a name, a birth date) is read only in
// its own section: another's could be a guide's.
func uniqueLabel(f Field, cells []*cell) []*cell {
	var hits []*cell
	for _, c := range cells {
		// A label several fields share, or one known by its colon alone,
		// names nothing outside its section.
		if slices.Contains(c.keys, f.Key) && len(c.keys) == 1 && !c.fuzzy {
			hits = append(hits, c)
		}
	}
	if hits = unnumbered(retitled(translated(f, hits))); len(hits) != 1 {
		return nil
	}
	return hits
}

// printedOnly keeps, of a field's label cells, those whose label was read
// as printed when there is one: a label known only by its colon beside a
// word one letter off (« de: ») is as often a signature's scrawl read as
// text as a misread label, and the label printed in full elsewhere in the
// section is the field's. A lone fuzzy label still counts.
func printedOnly(hits []*cell) []*cell {
	printed := slices.DeleteFunc(slices.Clone(hits), func(c *cell) bool { return c.fuzzy })
	if len(printed) == 0 {
		return hits
	}
	return printed
}

// labeler matches cells against the schema's label variants.
type labeler struct {
	labels []variant
	byKey  map[string][][]string
}

type variant struct {
	key    string
	toks   []string
	strict bool
	typ    Type
}

func newLabeler(s Schema) labeler {
	lb := labeler{byKey: map[string][][]string{}}
	for _, f := range s.Fields {
		for _, l := range f.Labels {
			t := tokens(l)
			lb.byKey[f.Key] = append(lb.byKey[f.Key], t)
			// A label of one short word ("Le", "Nom", "Date") is a label
			// only when a colon or nothing follows it: otherwise any
			// sentence starting with the word would be one.
			strict := len(t) == 1 && len(t[0]) <= 4 && f.Type != Checkbox && f.Type != Signature
			lb.labels = append(lb.labels, variant{f.Key, t, strict, f.Type})
		}
	}
	return lb
}

// newCell is a run of words; a tick box printed just before a label and
// read as a word of it ("[]", "X]", "C]") is left out: it is not text.
func newCell(page int, words []doctext.Word, h int) *cell {
	for len(words) > 1 && boxGlyph(words[0].Text) {
		words = words[1:]
	}
	c := &cell{page: page, h: max(1, h), words: words}
	for wi, w := range words {
		c.box = c.box.Union(w.Box)
		for _, t := range tokens(w.Text) {
			c.toks = append(c.toks, t)
			c.tokWord = append(c.tokWord, wi)
		}
	}
	return c
}

// match marks the longest labels the cell starts with.
func (lb labeler) match(c *cell) {
	c.keys, c.labelToks, c.fuzzy = nil, 0, false
	if len(c.toks) == 0 {
		return
	}
	for _, l := range lb.labels {
		n := prefixMatch(c.toks, l.toks)
		start := n - len(l.toks) // the label's first token, after numbering
		if n == 0 {
			n, start = looseMatch(c, l.toks), 0
		}
		fuzzy := n == 0
		if n == 0 && l.strict && len(c.toks[0]) == len(l.toks[0]) && edit.Distance(c.toks[0], l.toks[0]) == 1 && (colonAfter(c, 1) || valueAfter(c, c.tokWord[0]+1, l.typ)) {
			// « Le : » read « re: »: a short label is known by its colon,
			// or by its value (« ke 09/11/2026 »).
			n = 1
		}
		colonRead := n == 0 && l.strict && misreadColon(c, l.toks[0])
		if colonRead {
			n = 1
		}
		if n == 0 || len(l.toks) < c.labelToks {
			continue
		}
		next := c.tokWord[n-1] + 1
		tail := l.strict && l.typ == Text && labelTail(c, next)
		if l.strict && !colonRead && !colonOrEnd(c, n, next) && !translationOf(c, start) && !valueAfter(c, next, l.typ) && !tail {
			continue
		}
		if len(l.toks) > c.labelToks {
			c.keys, c.labelToks, c.fuzzy = nil, len(l.toks), fuzzy
		}
		if !slices.Contains(c.keys, l.key) {
			c.keys = append(c.keys, l.key)
			c.fuzzy = c.fuzzy && fuzzy
		}
		c.valueWord = continued(c, bilingual(c, n, next, lb.byKey[l.key]), l.typ)
		if tail && !written(c.words[c.valueWord:]) {
			c.valueWord = len(c.words) // the whole cell is the label
		}
		c.labelFrom = c.tokWord[max(0, start)]
	}
}

// valueAfter: what follows a short label in its cell is a value of the
// field's kind, set apart from the label — a date alone after « le », a
// word in capitals after « Nom » in small letters (« Nom  LEFÈVRE »): a
// label without its colon, where a sentence goes on in small letters.
func valueAfter(c *cell, next int, typ Type) bool {
	if next >= len(c.words) || next == 0 || !strings.ContainsFunc(c.words[next-1].Text, unicode.IsLower) {
		return false
	}
	rest := newCell(c.page, c.words[next:], c.h)
	switch typ {
	case Date:
		return dateAlone(rest)
	case Text:
		t := rest.text(0)
		return strings.ContainsFunc(t, unicode.IsLetter) && !strings.ContainsFunc(t, unicode.IsLower)
	}
	return false
}

// continued skips the words in small letters that go on with the label
// past the variant matched (« Nombre de pièces du meublé  5 », « Période(s)
// prévisionnelle(s) de location  JUILLET ET AOÛT »): a value is written in
// capitals or starts with a digit or a capital. Only when a word follows
// them in the cell, or the field holds a date or a number, which such
// words never are: a value in small letters alone stays the value.
func continued(c *cell, from int, typ Type) int {
	end := from
	for end < len(c.words) && translationWord(c.words[end].Text, false) && !strings.ContainsAny(c.words[end].Text, slashLike+colonLike) {
		end++
	}
	if end < len(c.words) || typ == Date || typ == Number {
		return end
	}
	return from
}

// labelTail: one or two words in small letters go on after a short
// label, then the cell ends or a value in capitals or digits follows
// (« Nom de famille », the value under it; « Nom de famille LEFÈVRE »):
// the label goes on, as no sentence stops that soon.
func labelTail(c *cell, next int) bool {
	end := next
	for end < len(c.words) && end-next < 2 && translationWord(c.words[end].Text, false) {
		end++
	}
	if next == 0 || end == next {
		return false
	}
	if end == len(c.words) {
		return true
	}
	w := c.words[end].Text
	return !strings.ContainsFunc(w, unicode.IsLower) && (strings.ContainsFunc(w, unicode.IsUpper) || strings.ContainsFunc(w, unicode.IsDigit))
}

// looseMatch matches a label of two words or more its first word read
// with its space lost and one letter off (« Fait à » read « Fata »), or
// one word printed inside it (« Nombre total de lits » for « Nombre de
// lits »): how many of the cell's tokens it covers, 0 when none.
func looseMatch(c *cell, label []string) int {
	if len(label) < 2 || len(c.toks) == 0 {
		return 0
	}
	if joined := strings.Join(label, ""); len(joined) >= 4 && len(c.toks) > 1 && c.tokWord[1] != c.tokWord[0] && c.toks[0] != label[0] && edit.Distance(c.toks[0], joined) <= 1 {
		return 1
	}
	if len(label) >= 3 && len(c.toks) > len(label) && sameToken(c.toks[0], label[0]) {
		for skip := 1; skip < len(label); skip++ {
			read := slices.Concat(c.toks[:skip], c.toks[skip+1:len(label)+1])
			if slices.EqualFunc(read, label, sameToken) {
				return len(label) + 1
			}
		}
	}
	return 0
}

// split cuts a cell where a label starts inside it: OCR joins « Fait à :
// Namur  Le : 02/11/2026 » into one cell when the gap is narrow. Only
// labels of two words or more, or a short one with its colon, cut.
func (lb labeler) split(c *cell) []*cell {
	lb.match(c)
	from := 1
	if len(c.keys) > 0 {
		from = max(1, c.valueWord) // not within the cell's own label
	}
	for j := from; j < len(c.words); j++ {
		rest := newCell(c.page, c.words[j:], c.h)
		lb.match(rest)
		// A short label cuts with its colon, or before a date alone
		// (« Fait à MARSEILLE… te 07/11/2026 »).
		if len(rest.keys) == 0 || rest.labelFrom != 0 || (rest.labelToks < 2 && !colonAfter(rest, 1) && !valueAfter(rest, rest.tokWord[0]+1, Date)) {
			continue
		}
		head := newCell(c.page, c.words[:j], c.h)
		lb.match(head)
		return append([]*cell{head}, lb.split(rest)...)
	}
	return []*cell{c}
}

// withoutLeaderRows is the page less its words a third of a line tall or
// less and read unsurely: a dotted leader read as text with what is
// written on it (« 08/11/2026... » 4 px high along the leader), which the
// value written above it, read on its own, must not be confused with.
func withoutLeaderRows(pg doctext.Page) doctext.Page {
	var all []doctext.Word
	for _, l := range pg.Lines {
		all = append(all, l.Words...)
	}
	h := doctext.MedianHeight(all)
	thin := func(w doctext.Word) bool { return 3*w.Box.Dy() <= h && w.Confidence < lowConfidence && !w.Box.Empty() }
	if !slices.ContainsFunc(all, thin) {
		return pg
	}
	lines := make([]doctext.Line, 0, len(pg.Lines))
	for _, l := range pg.Lines {
		lines = append(lines, doctext.LineFromWords(slices.DeleteFunc(slices.Clone(l.Words), thin)))
	}
	pg.Lines = lines
	return pg
}

// pageCells splits the pages into cells and marks each cell's best label
// and the section headings.
func pageCells(s Schema, pages []doctext.Page) []*cell {
	lb := newLabeler(s)
	var out []*cell
	for pi, pg := range pages {
		pg = withoutLeaderRows(pg)
		for _, dc := range doctext.Cells(pg.Lines) {
			if !dc.HasBoxes {
				continue
			}
			var words []doctext.Word
			for _, w := range pg.Lines[dc.Line].Words {
				if w.Start >= dc.Start && w.End <= dc.End {
					words = append(words, w)
				}
			}
			whole := newCell(pi, words, dc.Height)
			lb.match(whole)
			if len(whole.keys) == 0 && len(whole.words) > 1 && boxRead(whole.words[0]) {
				// A ticked box read as letters before a label.
				rest := newCell(pi, whole.words[1:], dc.Height)
				if lb.match(rest); len(rest.keys) > 0 {
					whole = rest
				}
			}
			parts := []*cell{whole}
			if headingOf(s, whole) == "" {
				// A heading is not cut where a label starts in it
				// (« Déclaration et signature du candidat »).
				parts = lb.split(whole)
			}
			for _, c := range parts {
				if len(c.toks) > 0 {
					out = append(out, c)
				}
			}
		}
	}
	scrawls(out)
	for _, c := range out {
		if c.heading = headingOf(s, c); c.heading != "" {
			c.keys = nil
		}
		c.labelBox = c.box
		if len(c.keys) > 0 {
			c.labelBox = image.Rectangle{}
			end := c.valueWord
			for end < len(c.words) && strings.Trim(c.words[end].Text, ":.…_ ") == "" {
				end++ // the label's colon or leaders: not a value's ink
			}
			for _, w := range c.words[c.labelFrom:end] {
				c.labelBox = c.labelBox.Union(w.Box)
			}
		}
	}
	return out
}

// scrawls unlabels the cells read unsurely at half as tall again as a
// page's text or more: a signature's strokes read as letters (« OP »,
// taken for the label « Op »), which must neither bound a value's area
// nor be a label printed twice.
func scrawls(cells []*cell) {
	heights := map[int][]int{}
	for _, c := range cells {
		if meanConfidence(c) >= lowConfidence {
			heights[c.page] = append(heights[c.page], c.h)
		}
	}
	median := map[int]int{}
	for page, hs := range heights {
		slices.Sort(hs)
		median[page] = hs[len(hs)/2]
	}
	for _, c := range cells {
		m, ok := median[c.page]
		if len(c.keys) > 0 && ok && meanConfidence(c) < lowConfidence && 2*c.h >= 3*m {
			c.keys = nil
		}
	}
}

// misreadColon: the cell's first word is a short label's word and one
// letter more, read with low confidence: Tesseract joins the colon set
// close after a short label to it as a letter of the word (« Le : » read
// « Les » at confidence 49). The letters are those a colon's two dots
// read as (s, i, j, l); the low confidence is the sign of the misread: a
// word read clearly ("Les informations…") is a word. The value read next
// to it still has to be a date or whatever the field holds, else the
// field is doubtful.
func misreadColon(c *cell, label string) bool {
	w := c.words[0]
	t := tokens(w.Text)
	if w.Confidence >= lowConfidence || len(t) != 1 || len(t[0]) != len(label)+1 || !strings.HasPrefix(t[0], label) {
		return false
	}
	return strings.ContainsRune("sijl", rune(t[0][len(label)]))
}

// colonAfter: the n-th token's word ends with a colon or the next word
// starts with one, or with a translation's slash (« le / op »).
func colonAfter(c *cell, n int) bool {
	if n > len(c.toks) {
		return false
	}
	w := c.tokWord[n-1]
	if t := strings.TrimSpace(c.words[w].Text); strings.ContainsAny(lastByte(t), colonLike) || strings.HasSuffix(t, "/") {
		return true
	}
	return w+1 < len(c.words) && strings.IndexAny(c.words[w+1].Text, colonLike+slashLike) == 0
}

// bilingual skips the translation that follows a label after a slash
// ("Nom et prénom / Naam en voornaam :"): it returns the first word of
// the value, next when there is no translation.
func bilingual(c *cell, n, next int, variants [][]string) int {
	if next >= len(c.words) || strings.IndexAny(c.words[next].Text, slashLike) != 0 && !strings.HasSuffix(c.words[next-1].Text, "/") {
		return next
	}
	for _, v := range variants {
		if m := prefixMatch(c.toks[n:], v); m > 0 {
			return c.tokWord[n+m-1] + 1
		}
	}
	// A translation the schema does not know (« Fait à / Opgemaakt te »):
	// its first word, not in capitals, then the words in small letters
	// after it. A value starts with a capital or a digit (« Namur »,
	// « DUPONT », « 4 rue »), and one in capitals alone after a slash
	// stays one.
	i := next
	if strings.Trim(c.words[i].Text, slashLike) == "" {
		i++ // the slash as a word of its own
	}
	if i >= len(c.words) || !translationWord(c.words[i].Text, true) {
		return next
	}
	for i++; i < len(c.words) && translationWord(c.words[i].Text, false); i++ {
	}
	return i
}

// translationWord: a word of a label's translation, without a digit; the
// first one not in capitals, the others starting in small letters.
func translationWord(w string, first bool) bool {
	w = strings.TrimLeft(w, slashLike)
	if w == "" || strings.ContainsFunc(w, unicode.IsDigit) {
		return false
	}
	if first {
		return strings.ContainsFunc(w, unicode.IsLower)
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r)
}

// translationOf: the token at t follows a slash in its own word (« e/op »,
// the first letter of « le/op » lost): a short label's translation after
// the label, which marks it as a colon would.
func translationOf(c *cell, t int) bool {
	if t <= 0 || t >= len(c.toks) || c.tokWord[t] != c.tokWord[t-1] {
		return false
	}
	w := strings.ToLower(extract.Fold(c.words[c.tokWord[t]].Text))
	i := strings.LastIndex(w, c.toks[t])
	return i > 0 && strings.ContainsRune(slashLike, rune(w[i-1]))
}

// slashLike are the signs OCR reads a translation's slash as (« le] op »).
const slashLike = "/]|!"

// colonLike are a label's colon and what OCR reads it as: « Le; op » on
// a scanned F02.
const colonLike = ":;"

// lastByte is t's last byte as a string, "" for "".
func lastByte(t string) string { return t[max(len(t)-1, 0):] }

// colonOrEnd: the label's last token (the n-th) ends its word with a
// colon, the next word starts with one or with a translation's slash, or
// nothing follows.
func colonOrEnd(c *cell, n, next int) bool {
	if n < len(c.toks) && c.tokWord[n] == c.tokWord[n-1] {
		// The word goes on: "Lebrun" — unless by a translation's slash,
		// OCR having closed the gap (« le/op », « le]op »).
		w := strings.ToLower(extract.Fold(c.words[c.tokWord[n-1]].Text))
		i := strings.Index(w, c.toks[n-1]) + len(c.toks[n-1])
		return i >= len(c.toks[n-1]) && i < len(w) && strings.ContainsRune(slashLike, rune(w[i]))
	}
	if t := strings.TrimSpace(c.words[next-1].Text); strings.ContainsAny(lastByte(t), colonLike+slashLike) || next >= len(c.words) {
		return true
	}
	// « le / op » : the label's translation stands where its colon would.
	return strings.IndexAny(c.words[next].Text, colonLike+slashLike) == 0
}

// headingOf is the section the cell heads, "" when it is no heading: it
// starts with one of the section's headings, longer than any label it
// starts with, and stands alone on its line: a few more words at most
// before a translation (« GUIDE 1 – BEGELEIDER 1 »), never a sentence.
// The cell's labels must have been matched.
func headingOf(s Schema, c *cell) string {
	name, best := "", 0
	badge := badgeToks(c)
	for _, sec := range s.Sections {
		for _, h := range sec.Headings {
			t := tokens(h)
			// A section's number before it (« 2 Adresse du meublé »)
			// makes a heading of words a label also starts with.
			longer := len(t) > c.labelToks || len(t) == c.labelToks && len(c.toks) > 0 && numbering(c.toks[0])
			if n := prefixMatch(c.toks[badge:], t); n > 0 && longer && untranslated(c) <= badge+n+4 && len(t) > best {
				name, best = sec.Name, len(t)
			}
			if c.labelToks == 0 && len(t) >= titleWords && len(t) > best && withinTitle(c, t) {
				name, best = sec.Name, len(t)
			}
		}
	}
	return name
}

// badgeToks is how many of a cell's first tokens come from a first word
// read as junk: short, unsure (under 30) and followed by others. A part's
// mark printed in a badge (« G1 » in a circle) reads « (e1R » before
// « Guide 1 / Begeleider 1 ».
func badgeToks(c *cell) int {
	if len(c.words) < 2 || c.words[0].Confidence >= 30 || utf8.RuneCountInString(c.words[0].Text) > 4 {
		return 0
	}
	n := 0
	for n < len(c.toks) && c.tokWord[n] == 0 {
		n++
	}
	return n
}

// titleWords is how many words a heading needs to be found inside a
// part's title rather than at its start: « centre d'examen » ends « 1.
// Partie à compléter par le centre d'examen », and a one-word heading
// (« Candidat ») would end « Signature du candidat » too.
const titleWords = 3

// withinTitle: the heading's words end the title before its translation
// (« 1. Partie à compléter par le centre d'examen / … ») or begin the
// translation (« … / In te vullen door het examencentrum »); the title
// holds no more than titleWords+4 words before them.
func withinTitle(c *cell, t []string) bool {
	u := untranslated(c)
	if u >= len(t) && u <= len(t)+titleWords+4 && slices.EqualFunc(c.toks[u-len(t):u], t, sameToken) {
		return true
	}
	return u > 0 && u < len(c.toks) && u <= titleWords+4 && len(c.toks)-u >= len(t) && slices.EqualFunc(c.toks[u:u+len(t)], t, sameToken)
}

// untranslated is how many of the cell's tokens come before a translation
// (« Le candidat / De kandidaat », « GUIDE 1 – BEGELEIDER 1 »).
func untranslated(c *cell) int {
	for i, w := range c.words {
		if i > 0 && (strings.HasPrefix(w.Text, "/") || w.Text == "-" || w.Text == "–") {
			// The first token from that word on: a slash alone holds none.
			if j := slices.IndexFunc(c.tokWord, func(tw int) bool { return tw >= i }); j >= 0 {
				return j
			}
			return len(c.toks)
		}
	}
	return len(c.toks)
}

// headings are the heading cells in reading order. A heading printed
// right under another, no label between them, opens no section of its
// own: it is the first one's introduction (« 2. Le candidat » then « Je
// soussigné(e) », which elsewhere heads the declaration).
func headings(cells []*cell) []*cell {
	var all []*cell
	for _, c := range cells {
		if c.heading != "" {
			all = append(all, c)
		}
	}
	slices.SortStableFunc(all, func(a, b *cell) int {
		if a.page != b.page {
			return a.page - b.page
		}
		return a.box.Min.Y - b.box.Min.Y
	})
	var out []*cell
	for _, h := range all {
		if len(out) > 0 {
			prev := out[len(out)-1]
			between := slices.ContainsFunc(cells, func(c *cell) bool {
				return len(c.keys) > 0 && c.page == h.page && c.box.Min.Y > prev.box.Min.Y && c.box.Min.Y < h.box.Min.Y
			})
			sameLine := h.box.Min.Y < prev.box.Max.Y // two columns' headings
			if prev.page == h.page && prev.heading != h.heading && !between && !sameLine {
				continue
			}
		}
		out = append(out, h)
	}
	return out
}

// sectionFinder returns the section a cell lies in: that of the nearest
// heading above it. Above the first heading lies the default section,
// unless its own heading was found elsewhere.
func sectionFinder(s Schema, heads []*cell) func(*cell) string {
	def := ""
	for _, sec := range s.Sections {
		if sec.Default && !slices.ContainsFunc(heads, func(h *cell) bool { return h.heading == sec.Name }) {
			def = sec.Name
		}
	}
	return func(c *cell) string {
		// The last line of headings above the cell (a heading's own line
		// tolerance: half a word height)…
		var band []*cell
		for _, h := range heads {
			if h.page < c.page || (h.page == c.page && h.box.Min.Y <= c.box.Min.Y+c.h/2) {
				if len(band) > 0 && (h.page != band[0].page || h.box.Min.Y >= band[0].box.Max.Y) {
					band = band[:0]
				}
				band = append(band, h)
			}
		}
		if len(band) == 0 {
			return def
		}
		// …and of two columns' headings side by side (« Guide 1 »,
		// « Guide 2 »), the one whose column holds the cell: columns part
		// halfway between one heading's end and the next one's start.
		slices.SortFunc(band, func(a, b *cell) int { return a.box.Min.X - b.box.Min.X })
		for i, h := range band[:len(band)-1] {
			if c.page != h.page || c.box.Min.X < (h.box.Max.X+band[i+1].box.Min.X)/2 {
				return h.heading
			}
		}
		return band[len(band)-1].heading
	}
}

// sameLine: b is on a's line (their boxes overlap by half the smaller
// height) and to its right.
func rightOf(a, b *cell) bool {
	if a.page != b.page || b == a || b.box.Min.X < a.box.Max.X-a.h/2 {
		return false
	}
	top, bottom := max(a.box.Min.Y, b.box.Min.Y), min(a.box.Max.Y, b.box.Max.Y)
	return bottom-top >= min(a.box.Dy(), b.box.Dy())/2
}

// textValue pairs a text, date or number label with its value: the rest of
// its own cell, else the cells to its right on the same line up to the
// next label, else the cell just below it in the same section.
func textValue(v Value, f Field, lc *cell, cells []*cell, secAt func(*cell) string, img *image.Gray, text Reader) Value {
	var ws []doctext.Word
	var box image.Rectangle
	add := func(words []doctext.Word) {
		for _, w := range words {
			if strings.Trim(w.Text, ":.…_ ") == "" {
				continue // the colon after a label, dotted leaders
			}
			if f.Type == Date && !strings.ContainsAny(w.Text, "0123456789") {
				// A date's words, not what OCR read around it (« Res »,
				// a leader read as letters, a translation « op »): its
				// confidence is theirs.
				continue
			}
			ws = append(ws, w)
			box = box.Union(w.Box)
		}
	}
	add(lc.words[lc.valueWord:])
	// Words in small letters after a label going on past its variant
	// (« Catégorie(s) du permis de conduire », « B » under it) are the
	// label's when a value is written beside or under it; else they are
	// the value.
	var small []doctext.Word
	var smallBox image.Rectangle
	if len(ws) > 0 && !written(ws) {
		small, smallBox, ws, box = ws, box, nil, image.Rectangle{}
	}
	if len(ws) == 0 {
		var right []*cell
		for _, c := range cells {
			if rightOf(lc, c) {
				right = append(right, c)
			}
		}
		slices.SortFunc(right, func(a, b *cell) int { return a.box.Min.X - b.box.Min.X })
		for _, c := range right {
			if len(c.keys) > 0 || c.heading != "" || f.Type != Date && len(ws) > 0 && dateAlone(c) {
				// The next label; or a date alone after a place or a
				// name read already: the value of a date label that
				// was not read (« Fait à : Namur  Le : 02/11/2026 »).
				break
			}
			add(c.words)
		}
	}
	if len(ws) == 0 {
		// The cells under the label, nearest first: the first that is
		// neither a label nor a heading is the value, but for a date or
		// a number a line without a digit is passed over (a label's
		// translation printed under it, « Geslaagd op »).
		var below []*cell
		for _, c := range cells {
			gap := c.box.Min.Y - lc.box.Max.Y
			overlap := min(c.box.Max.X, lc.box.Max.X+4*lc.h) - max(c.box.Min.X, lc.box.Min.X)
			// Two lines' height of the taller of the two: a label
			// printed small over its value.
			if c.page == lc.page && gap >= 0 && gap <= 2*max(lc.h, c.h) && overlap > 0 {
				below = append(below, c)
			}
		}
		slices.SortFunc(below, func(a, b *cell) int { return a.box.Min.Y - b.box.Min.Y })
		for _, c := range below {
			if sharesLabel(c, lc) {
				continue // the label's translation
			}
			if len(c.keys) > 0 && nextColumn(c, lc) {
				continue // the next column's label, its part staggered lower
			}
			// The label's section: a unique label may lie outside its
			// field's (uniqueLabel).
			if len(c.keys) > 0 || c.heading != "" || secAt(c) != secAt(lc) {
				break
			}
			if digitValue(f) && !strings.ContainsAny(c.text(0), "0123456789") {
				continue
			}
			add(c.words)
			break
		}
	}
	if len(small) > 0 && !written(ws) {
		ws, box = small, smallBox
	}
	if len(ws) > 0 && img != nil && !slices.ContainsFunc(ws, func(w doctext.Word) bool { return w.Confidence >= lowConfidence }) {
		// Words read unsurely where no stroke stands: a dotted leader
		// read as letters (« nu creer pee »), the field left empty.
		if share, _ := strokeInk(img, box, nil, stemRun(lc), ruleLen(lc)); share == 0 {
			ws, box = nil, image.Rectangle{}
		}
	}
	v.Confidence = 100
	var texts []string
	best := 0.0
	for _, w := range ws {
		texts = append(texts, w.Text)
		v.Confidence = min(v.Confidence, w.Confidence)
		best = max(best, w.Confidence)
	}
	v.Text = strings.Join(texts, " ")
	v.BBox = box
	if len(ws) == 0 {
		v.BBox, v.Confidence = lc.labelBox, 100
		// Read as empty: the label is there, no word beside or under it.
		// OCR drops a lone handwritten digit: ink where the value goes
		// means something was written that was not read.
		if img != nil {
			// Some ink, or strokes as tall as half a line: a lone
			// digit is a thousandth of a wide area.
			if share, area := valueInk(lc, cells, img); share > blankInk || 2*area.Dy() >= lc.h {
				if t, conf, ok := readInk(f, lc, img, area, text); ok {
					v.Text, v.Confidence, v.BBox = t, conf, area
					return v
				}
				v.Doubt = fmt.Sprintf("%s: ink beside its label (%.1f%% of the area) but no text read", f.Key, 100*share)
				v.BBox = area
			} else if share, area := unreadAbove(lc, cells, img); share > signedInk {
				v.Doubt = fmt.Sprintf("%s: a line above its label (%.1f%% ink) was not read: the label may be its translation and the value there", f.Key, 100*share)
				v.BBox = area
			}
		}
		return v
	}
	// Free text that no check reads but for its presence (an address,
	// the rental periods) is filled once one of its words is read with
	// confidence; a value whose content counts (a date, a number) is only
	// as sure as its least sure word. A holder's name is read as it is,
	// its confidence with it: the identity rules weigh a name's confidence
	// against the other pieces' as they do for every printed name (a
	// mismatch read with low confidence is a clerk's look, never a
	// reject; checks.agree), and the form rules only ask that it be there.
	presence := f.Type == Text && (f.Role == "" && best >= lowConfidence || nameRole(f.Role) && hasLetters(v.Text))
	// A national number carries check digits: on a scan, one that fails
	// them was misread far more often than written wrong, so it is a
	// doubt (review), never a wrong number (reject).
	if f.Role == RoleNRN && !validNRN(v.Text) {
		v.Doubt = fmt.Sprintf("%s read does not hold its check digits: misread or wrong", f.Key)
		return v
	}
	if v.Confidence < lowConfidence && !presence && !(f.Role == RoleNRN && validNRN(v.Text)) {
		// A national number carries its own check digits (RULES.md §2.3):
		// one misread digit breaks them, so a valid one is read right.
		v.Doubt = fmt.Sprintf("%s read with low OCR confidence (%.0f)", f.Key, v.Confidence)
	}
	if f.Type == Date {
		if _, ok := oneDate(v.Text); !ok {
			v.Doubt = fmt.Sprintf("%s: no single date read in %q", f.Key, v.Text)
		}
	}
	return v
}

// readInk reads again, as a block of text, the ink seen where a free-text
// field's value goes but no word was read (a category « B » alone in its
// frame, read with the frame's side as one « | » word): kept when a few
// words at most read surely (every word lowConfidence or more) and hold a
// letter or a digit. A name or a date is never read so: their rules weigh
// what the page reading made of them.
func readInk(f Field, lc *cell, img *image.Gray, area image.Rectangle, text Reader) (string, float64, bool) {
	if text == nil || f.Type != Text || f.Role != "" || area.Empty() || area.Dx() > 20*lc.h || area.Dy() > 3*lc.h {
		return "", 0, false
	}
	h := lc.h
	crop := scan.Pad(scan.Gray(img.SubImage(area.Inset(-h/4).Intersect(img.Rect))), h, 255)
	t, conf, err := text(crop)
	t = strings.Join(strings.Fields(t), " ")
	alnum := strings.ContainsFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	if err != nil || conf < lowConfidence || !alnum || len(strings.Fields(t)) > 4 {
		return "", 0, false
	}
	return t, conf, true
}

// sameDate: both texts hold one date, the same.
func sameDate(a, b string) bool {
	da, oka := oneDate(a)
	db, okb := oneDate(b)
	return oka && okb && da.Equal(db)
}

// digitValue: the field's value is written in digits (a date, a number, a
// national number).
func digitValue(f Field) bool {
	return f.Type == Date || f.Type == Number || f.Role == RoleNRN
}

// nameRole: the field holds the holder's name or part of it.
func nameRole(role string) bool {
	return role == RoleName || role == RoleLastName || role == RoleFirstNames
}

// hasLetters: two letters or more, a name's least (not a stray mark).
func hasLetters(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2
}

// boxGlyph: a short word made only of what OCR makes of a tick box,
// empty or crossed.
func boxGlyph(w string) bool {
	n := 0
	for _, r := range w {
		if !strings.ContainsRune("[]{}()|/\\XxCcOoDdUuLlIi1!0☐☑☒□■", r) {
			return false
		}
		n++
	}
	return n <= 3
}

// boxRead: a word of three characters at most, read unsurely, whose box
// is square: a ticked box read as letters (« DY4 »).
func boxRead(w doctext.Word) bool {
	dx, dy := w.Box.Dx(), w.Box.Dy()
	return len([]rune(w.Text)) <= 3 && w.Confidence < lowConfidence && dy > 0 && 5*dx >= 3*dy && 3*dx <= 5*dy
}

// validNRN: the text holds a Belgian national number whose check digits
// hold.
func validNRN(text string) bool {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == ' ' || r == '.' || r == '-' {
			return -1
		}
		return 'x'
	}, text)
	_, _, ok := extract.ValidNRN(digits)
	return ok
}

// upright turns a page whose words stand on end a quarter turn, its image
// with it, so that its lines run left to right: Tesseract reads a page
// lying on its side without turning it, its word boxes tall and narrow,
// and a form's geometry (right of, under) is then the page's turned.
func upright(p doctext.Page, img *image.Gray) (doctext.Page, *image.Gray) {
	tall, n, down := 0, 0, 0
	w, h := p.Width, p.Height
	if img != nil {
		w, h = img.Rect.Dx(), img.Rect.Dy()
	}
	for _, l := range p.Lines {
		for _, wd := range l.Words {
			if len([]rune(wd.Text)) >= 3 {
				n++
				if wd.Box.Dy() > wd.Box.Dx() {
					tall++
				}
			}
			w, h = max(w, wd.Box.Max.X), max(h, wd.Box.Max.Y)
		}
		if k := len(l.Words); k > 1 {
			if l.Words[k-1].Box.Min.Y > l.Words[0].Box.Min.Y {
				down++
			} else {
				down--
			}
		}
	}
	if n < 5 || tall*2 <= n {
		return p, img
	}
	// Text running down the page turns anticlockwise, up the page
	// clockwise (scan.Rotate90's frames).
	cw := down < 0
	turn := func(r image.Rectangle) image.Rectangle {
		if cw {
			return image.Rect(h-r.Max.Y, r.Min.X, h-r.Min.Y, r.Max.X)
		}
		return image.Rect(r.Min.Y, w-r.Max.X, r.Max.Y, w-r.Min.X)
	}
	out := p
	out.Lines = make([]doctext.Line, len(p.Lines))
	for i, l := range p.Lines {
		out.Lines[i] = l
		out.Lines[i].Words = make([]doctext.Word, len(l.Words))
		for j, wd := range l.Words {
			wd.Box = turn(wd.Box)
			out.Lines[i].Words[j] = wd
		}
	}
	out.Width, out.Height = h, w
	if img != nil {
		img = scan.Rotate90(img, cw)
	}
	return out, img
}

// digitHeight is the height in pixels a national number's digits are
// brought to for its last reading (reread).
const digitHeight = 24

// reread reads a doubtful date, number or national number again by its
// digits, and keeps the second reading when it is confident and holds.
//
// whole, when not empty, is where the value's whole date seems written
// (wholeDate): tried last, a date read in pieces read as one.
func reread(v Value, f Field, lc *cell, img *image.Gray, digits Digits, whole image.Rectangle) Value {
	if v.Doubt == "" || digits == nil || img == nil || v.BBox.Empty() || (f.Type != Date && f.Type != Number && f.Role != RoleNRN) {
		return v
	}
	// Half a line above and below, a quarter beside, as the page's own
	// second reading of dates does.
	h := lc.h
	zone := image.Rect(v.BBox.Min.X-h/4, v.BBox.Min.Y-h/2, v.BBox.Max.X+h/4, v.BBox.Max.Y+h/2).Intersect(img.Rect)
	if zone.Empty() {
		return v
	}
	crop := scan.Gray(img.SubImage(zone))
	// The crop is set on a line height of white paper all round: cut
	// that close, Tesseract reads a lone digit as nothing. If that fails,
	// its zeros' slash or dot is erased (plainZeros: Tesseract reads a
	// printed national number with a doubled digit at confidence 0, a
	// handwritten date at 15, otherwise); a national number, whose check
	// digits catch a misread digit, is then tried with its digits brought
	// to 24 px high (the one height at which every national number of
	// TestReread and of the measured scans of both styles reads; 20 and
	// 28 px each miss some). The first reading that is confident and
	// holds is kept (TestReread).
	nrn := f.Role == RoleNRN
	plain := plainZeros(crop, nrn)
	tries := []*image.Gray{scan.Pad(crop, h, 255), scan.Pad(plain, h, 255)}
	// The digits brought to 24 px, on white: nil when they already are.
	var scaled *image.Gray
	if _, box := ink(plain, plain.Rect, nil, 0); (nrn || f.Type == Date) && box.Dy() > 0 && box.Dy() != digitHeight {
		scaled = scan.Pad(scan.Scale(plain, float64(digitHeight)/float64(box.Dy())), digitHeight, 255)
	}
	if nrn && scaled != nil {
		tries = append(tries, scaled)
	}
	var text string
	var conf float64
	ok := false
	for _, g := range tries {
		if text, conf, ok = readDigits(f, g, digits); ok {
			break
		}
	}
	if !ok && f.Type == Date && scaled != nil {
		// A typed date read alike but unsurely at its own size (23 px:
		// confidence 10 and 19) reads surely at the national number's
		// 24 px (96). A date has no check digit: this reading is kept
		// only when it is the page's own, confirmed.
		if t, c, held := readDigits(f, scaled, digits); held && sameDate(t, v.Text) {
			text, conf, ok = t, c, true
		}
	}
	if !ok && !whole.Empty() {
		if text, conf, ok = readDigits(f, scan.Pad(scan.Gray(img.SubImage(whole)), h, 255), digits); ok {
			v.BBox = whole
		}
	}
	if !ok && f.Type == Number {
		// A value of one or two digits alone gives Tesseract's line
		// reader no context: it reads a lone 1 as nothing or at
		// confidence 58. Its ink is read again as three copies in a
		// row, and kept only when the reading is three times the same.
		row, n := repeated(crop, 3)
		if row == nil {
			return v // the first reading's doubt stands
		}
		text, conf, ok = readDigits(f, scan.Pad(row, h, 255), digits)
		if !ok || len(text)%n != 0 || strings.Repeat(text[:len(text)/n], n) != text {
			return v
		}
		text = text[:len(text)/n]
	}
	if !ok {
		return v // the first reading's doubt stands
	}
	v.Text, v.Confidence, v.Doubt = text, conf, ""
	return v
}

// wholeDate is where a date value read in pieces seems written whole: a
// typed date in a frame read « 5 » and « 22 » (05/11/2022, the rest
// dropped) is read again from the ink on its line, as far as that ink
// goes in the value's area (valueAreas: up to the next label or column,
// labels and rules left out). Empty when the value reads as a date, or
// no wider ink is there.
func wholeDate(v Value, f Field, lc *cell, cells []*cell, img *image.Gray) image.Rectangle {
	if f.Type != Date || v.Doubt == "" || img == nil || v.BBox.Empty() {
		return image.Rectangle{}
	}
	if _, ok := oneDate(v.Text); ok {
		return image.Rectangle{}
	}
	right, below, skip := valueAreas(lc, cells, img)
	area := below
	if v.BBox.Overlaps(right) {
		area = right
	}
	h := lc.h
	band := image.Rect(area.Min.X, v.BBox.Min.Y-h/3, area.Max.X, v.BBox.Max.Y+h/3)
	_, box := strokeInk(img, band, skip, stemRun(lc), ruleLen(lc))
	if box.Empty() || box.Dx() <= v.BBox.Dx()+h {
		return image.Rectangle{}
	}
	return box.Union(v.BBox).Inset(-h / 4).Intersect(img.Rect)
}

// readDigits reads a crop by its digits and says whether the reading is
// confident and holds as the field's value: a national number whose
// check digits hold, one date, or digits only.
func readDigits(f Field, crop *image.Gray, digits Digits) (string, float64, bool) {
	text, conf, err := digits(crop)
	text = strings.TrimSpace(text)
	if err != nil || text == "" || conf < lowConfidence {
		return "", 0, false
	}
	switch {
	case f.Role == RoleNRN:
		return text, conf, validNRN(text)
	case f.Type == Date:
		_, ok := oneDate(text)
		return text, conf, ok
	}
	return text, conf, strings.Trim(text, "0123456789") == ""
}
