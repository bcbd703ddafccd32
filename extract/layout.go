package extract

import (
	"strings"
	"unicode"

	"dossiercheck/doctext"
)

// layout is a page's cells (doctext.Cells) with the geometric questions
// label→value association asks: what stands below a label, to its right,
// above a value. Values are found by position, not by line order: lines
// are ordered by their top, so the line after a label may well be the
// other side of a card scanned next to it.
type layout struct {
	lines []doctext.Line
	cells []doctext.Cell
}

func newLayout(lines []doctext.Line) layout {
	return layout{lines: lines, cells: doctext.Cells(lines)}
}

// cellAt returns the index of the cell holding byte off of line li.
func (lo layout) cellAt(li, off int) int {
	for i, c := range lo.cells {
		if c.Line == li && off >= c.Start && off < c.End {
			return i
		}
	}
	return -1
}

// overlapX reports whether two cells share some horizontal extent.
func overlapX(a, b doctext.Cell) bool {
	return a.Box.Min.X < b.Box.Max.X && b.Box.Min.X < a.Box.Max.X
}

// sameRow reports whether b's vertical centre lies within a's height.
func sameRow(a, b doctext.Cell) bool {
	cy := (b.Box.Min.Y + b.Box.Max.Y) / 2
	return cy >= a.Box.Min.Y-a.Height/2 && cy <= a.Box.Max.Y+a.Height/2
}

// reach is how far below (or above) a label its value may stand: two
// lines of the label's height plus the value's own. A label and its value
// are printed close together; anything further is another field.
func reach(label, value doctext.Cell) int { return 2*label.Height + value.Height }

// below returns the nearest cell under cell i that overlaps it
// horizontally and starts no further left than a couple of heights: the
// value printed under its label. -1 when there is none within reach.
func (lo layout) below(i int) int {
	c := lo.cells[i]
	best, bestGap := -1, 0
	for j, d := range lo.cells {
		if j == i || d.HasBoxes != c.HasBoxes || d.Box.Min.Y <= c.Box.Min.Y+c.Height/2 || !overlapX(c, d) ||
			d.Box.Min.X < c.Box.Min.X-2*c.Height {
			continue
		}
		gap := d.Box.Min.Y - c.Box.Max.Y
		if gap > reach(c, d) {
			continue
		}
		if best < 0 || gap < bestGap || gap == bestGap && abs(d.Box.Min.X-c.Box.Min.X) < abs(lo.cells[best].Box.Min.X-c.Box.Min.X) {
			best, bestGap = j, gap
		}
	}
	return best
}

// above returns the nearest cell over cell i that overlaps it
// horizontally, within reach: the label of a value printed under it (a
// table's column header). -1 when there is none; gap is in heights of i.
func (lo layout) above(i int) (int, float64) {
	c := lo.cells[i]
	best, bestGap := -1, 0
	for j, d := range lo.cells {
		if j == i || d.HasBoxes != c.HasBoxes || d.Box.Max.Y >= c.Box.Max.Y-c.Height/2 || !overlapX(c, d) {
			continue
		}
		gap := c.Box.Min.Y - d.Box.Max.Y
		if gap > reach(d, c) {
			continue
		}
		if best < 0 || gap < bestGap {
			best, bestGap = j, gap
		}
	}
	return best, float64(max(bestGap, 0)) / float64(max(c.Height, 1))
}

// right returns the nearest cell on cell i's row to its right, and left
// the nearest to its left; gap is in heights of i.
func (lo layout) right(i int) (int, float64) { return lo.beside(i, 1) }
func (lo layout) left(i int) (int, float64)  { return lo.beside(i, -1) }

func (lo layout) beside(i, dir int) (int, float64) {
	c := lo.cells[i]
	best, bestGap := -1, 0
	for j, d := range lo.cells {
		if j == i || d.HasBoxes != c.HasBoxes || !sameRow(c, d) {
			continue
		}
		gap := d.Box.Min.X - c.Box.Max.X
		if dir < 0 {
			gap = c.Box.Min.X - d.Box.Max.X
		}
		if gap < 0 {
			continue
		}
		if best < 0 || gap < bestGap {
			best, bestGap = j, gap
		}
	}
	return best, float64(bestGap) / float64(max(c.Height, 1))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// filler reports whether cell i holds neither letter nor digit: a table's
// rule read as "|" or "____", leaders "......", a lone colon.
func (lo layout) filler(i int) bool {
	return !strings.ContainsFunc(lo.cells[i].Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

// pastFillers steps from cell i with step (left, above) over up to three
// filler cells: the label of a value may stand beyond a table's rule or a
// row of leaders. It returns the cell found, -1 when there is none, and
// its distance from i (dist) in heights of i.
func (lo layout) pastFillers(i int, step func(int) (int, float64), dist func(c, d doctext.Cell) int) (int, float64) {
	j, _ := step(i)
	for n := 0; j >= 0 && lo.filler(j) && n < 3; n++ {
		j, _ = step(j)
	}
	if j < 0 || lo.filler(j) {
		return -1, 0
	}
	c := lo.cells[i]
	return j, float64(max(dist(c, lo.cells[j]), 0)) / float64(max(c.Height, 1))
}

// leftPast is left over filler cells, abovePast above.
func (lo layout) leftPast(i int) (int, float64) {
	return lo.pastFillers(i, lo.left, func(c, d doctext.Cell) int { return c.Box.Min.X - d.Box.Max.X })
}

func (lo layout) abovePast(i int) (int, float64) {
	return lo.pastFillers(i, lo.above, func(c, d doctext.Cell) int { return c.Box.Min.Y - d.Box.Max.Y })
}
