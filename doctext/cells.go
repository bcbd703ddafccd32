package doctext

import (
	"image"
	"slices"
	"unicode/utf8"
)

// Cell is a run of one line's words that stand together: a label, a value,
// a table cell. Tesseract joins into one line the words of things printed
// side by side at the same height (a card's recto and its verso, a form's
// label and its value across the page, the columns of a table), so a line
// is split where the gap between two words is much wider than a space.
type Cell struct {
	Line       int    // index of the line in the slice given to Cells
	Start, End int    // byte offsets of the cell in the line's text
	Text       string // the line's text[Start:End]
	// Box surrounds the cell's words in page pixels. A line without word
	// boxes (a PDF text layer) gets a box in character units instead: x is
	// the rune column ×10, y the line index ×20, so that a text laid out
	// in columns (pdftotext -layout) keeps its geometry. HasBoxes says
	// which.
	Box      image.Rectangle
	HasBoxes bool
	// Height is the typical height of the cell's words (their median), in
	// Box's units: 10 for a text line.
	Height int
}

// Gap thresholds: a gap wider than wideGap times the words' height splits
// a line of words (a space is about half the height, a tab stop or a
// column several heights); a text line splits at textGap spaces or more.
const (
	wideGap = 1.5
	textGap = 3
)

// Text lines get boxes in character units (see Cell.Box).
const (
	charWidth  = 10
	linePitch  = 20
	lineHeight = 10
)

// Cells splits each line into cells, in line order and left to right.
func Cells(lines []Line) []Cell {
	var out []Cell
	for i, l := range lines {
		out = append(out, l.cells(i)...)
	}
	return out
}

// hasBoxes reports whether a line's words carry real boxes (lines built
// from bare words, as in tests of text, have none).
func (l Line) hasBoxes() bool {
	for _, w := range l.Words {
		if !w.Box.Empty() {
			return true
		}
	}
	return false
}

func (l Line) cells(index int) []Cell {
	if !l.hasBoxes() {
		return textCells(l.Text, index)
	}
	h := MedianHeight(l.Words)
	var out []Cell
	first := 0
	for i := 1; i <= len(l.Words); i++ {
		if i < len(l.Words) {
			prev, w := l.Words[i-1].Box, l.Words[i].Box
			gap := w.Min.X - prev.Max.X
			// Words going backwards belong to another column too.
			if float64(gap) <= wideGap*float64(h) && w.Min.X >= prev.Min.X {
				continue
			}
		}
		ws := l.Words[first:i]
		c := Cell{Line: index, Start: ws[0].Start, End: ws[len(ws)-1].End, HasBoxes: true, Height: MedianHeight(ws)}
		for _, w := range ws {
			c.Box = c.Box.Union(w.Box)
		}
		c.Text = l.Text[c.Start:c.End]
		out = append(out, c)
		first = i
	}
	return out
}

// textCells splits a text line at runs of textGap spaces or a tab.
func textCells(s string, index int) []Cell {
	var out []Cell
	start, spaces := -1, 0
	flush := func(end int) {
		if start < 0 {
			return
		}
		col := utf8.RuneCountInString(s[:start])
		n := utf8.RuneCountInString(s[start:end])
		out = append(out, Cell{Line: index, Start: start, End: end, Text: s[start:end], Height: lineHeight,
			Box: image.Rect(col*charWidth, index*linePitch, (col+n)*charWidth, index*linePitch+lineHeight)})
		start = -1
	}
	for i, r := range s {
		switch {
		case r == '\t':
			flush(i - spaces)
			spaces = 0
		case r == ' ':
			spaces++
			if spaces == textGap {
				flush(i + 1 - spaces)
			}
		default:
			if start < 0 {
				start = i
			}
			spaces = 0
		}
	}
	flush(len(s) - spaces)
	return out
}

// MedianHeight is the median height of words' boxes, 1 when none has one:
// a line's text height, which a tall or a clipped word does not sway.
func MedianHeight(ws []Word) int {
	hs := make([]int, 0, len(ws))
	for _, w := range ws {
		if h := w.Box.Dy(); h > 0 {
			hs = append(hs, h)
		}
	}
	if len(hs) == 0 {
		return 1
	}
	slices.Sort(hs)
	return hs[len(hs)/2]
}
