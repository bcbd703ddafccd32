package twoddoc

import "image"

// A page without a 2D-Doc is told apart before the window search (about
// 50 ms on a 300 dpi page, most of it the decoder binarising windows that
// hold a bold heading): a DataMatrix is a square of mixed black and white
// with no white row or column across it, while text, however bold, is
// lines with white between them.
//
// The smallest 2D-Doc is about 36×36 modules (a 64-byte signature and a
// header already need 86 bytes, the capacity of 36×36), and the ANTS
// specification (v3.2.6 §4.4) recommends modules of 0.4 mm: 14.4 mm, 113
// pixels at 200 dpi. gateSide mixed blocks of the finest scale, each 32
// pixels a side and one every 16, fit in 112 pixels wherever the symbol
// lies. Coarser scales keep large modules (a block a few modules wide is
// not mixed) let through. Measured on generated pages: codes of 0.4 to
// 0.5 mm modules at 200 to 300 dpi hold squares of 6 to 14 such blocks;
// bills, tax notices, letters, forms and identity cards without one 4 at
// most (a bill's bold title at 300 dpi).
const (
	gateCell = 16 // pixels a side of the cells counted
	gateSide = 5  // mixed blocks a side of the square looked for
)

// gateScales are the block sizes tried, in cells: 32, 64 and 128 pixels,
// each block measured every half block.
var gateScales = []int{2, 4, 8}

// codeArea reports whether g has, at some scale, a square of gateSide by
// gateSide overlapping blocks that are each between 30% and 70% dark (as
// Find's inky blocks are): where a symbol could be, and the largest such
// square of the finest scale that has one.
func codeArea(g *image.Gray) (image.Rectangle, bool) {
	c := newCellCounts(g)
	for _, k := range gateScales {
		if side, at := c.square(k); side >= gateSide {
			return at.Add(g.Rect.Min), true
		}
	}
	return image.Rectangle{}, false
}

// cellCounts holds a summed-area table of the dark samples (under 128,
// every other pixel of every other row) of a page's gateCell cells.
type cellCounts struct {
	w, h int     // cells a row and a column
	sum  []int32 // (w+1)×(h+1): dark samples above and left of each corner
}

func newCellCounts(g *image.Gray) *cellCounts {
	b := g.Rect
	c := &cellCounts{w: b.Dx() / gateCell, h: b.Dy() / gateCell}
	c.sum = make([]int32, (c.w+1)*(c.h+1))
	row := make([]int32, c.w)
	for cy := range c.h {
		clear(row)
		for y := cy * gateCell; y < (cy+1)*gateCell; y += 2 {
			i := g.PixOffset(b.Min.X, b.Min.Y+y)
			pix := g.Pix[i : i+c.w*gateCell]
			for x := 0; x < len(pix); x += 2 {
				row[x/gateCell] += int32(pix[x]>>7) ^ 1 // 1 under 128
			}
		}
		above, out := c.sum[cy*(c.w+1):(cy+1)*(c.w+1)], c.sum[(cy+1)*(c.w+1):(cy+2)*(c.w+1)]
		var run int32
		for cx, n := range row {
			run += n
			out[cx+1] = above[cx+1] + run
		}
	}
	return c
}

// dark is the number of dark samples in the k×k cells from cell (x, y).
func (c *cellCounts) dark(x, y, k int) int32 {
	s, w := c.sum, c.w+1
	return s[(y+k)*w+x+k] - s[y*w+x+k] - s[(y+k)*w+x] + s[y*w+x]
}

// square is the side of the largest square of adjacent mixed blocks of
// k×k cells, a block every k/2 cells, and its place in pixels from the
// page's corner.
func (c *cellCounts) square(k int) (int, image.Rectangle) {
	step := k / 2
	if c.w < k || c.h < k {
		return 0, image.Rectangle{}
	}
	nx, ny := (c.w-k)/step+1, (c.h-k)/step+1
	samples := float64(k * k * (gateCell / 2) * (gateCell / 2))
	// side[i] is the largest square of mixed blocks ending at block i of
	// this row; prev, the row above's.
	prev, side := make([]int, nx), make([]int, nx)
	best, at := 0, image.Rectangle{}
	for j := range ny {
		for i := range nx {
			side[i] = 0
			if f := float64(c.dark(i*step, j*step, k)) / samples; f <= 0.3 || f >= 0.7 {
				continue
			}
			side[i] = 1
			if i > 0 {
				side[i] = 1 + min(side[i-1], prev[i], prev[i-1])
			}
			if side[i] > best {
				best = side[i]
				first := image.Pt(i-best+1, j-best+1).Mul(step * gateCell)
				at = image.Rectangle{first, image.Pt(i, j).Mul(step * gateCell).Add(image.Pt(k*gateCell, k*gateCell))}
			}
		}
		prev, side = side, prev
	}
	return best, at
}
