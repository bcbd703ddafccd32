package twoddoc

import (
	"errors"
	"image"
	"slices"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
)

// ErrNotFound: the page shows no 2D-Doc.
var ErrNotFound = errors.New("no 2D-Doc found")

// ErrUnreadable: the page shows a square of mixed black and white where a
// 2D-Doc would be (codeArea), but no DataMatrix could be decoded there: a
// code damaged, scribbled over, or printed too small to read. Measured on
// generated pages: no page without a code shows such a square, and every
// printed code decodes with one binariser or the other.
var ErrUnreadable = errors.New("a 2D-Doc seems printed but could not be decoded")

// Find locates and decodes a DataMatrix on a page image. gozxing cannot
// decode a symbol on a whole A4 page (STACK.md), so windows of a quarter of
// the page width slide over it, and only windows dense enough in ink to
// hold a symbol are tried, on pages where a symbol may be at all
// (codeArea). An error other than ErrNotFound comes with the area where a
// code seems printed.
func Find(g *image.Gray) (string, image.Rectangle, error) {
	area, ok := codeArea(g)
	if !ok {
		return "", image.Rectangle{}, ErrNotFound
	}
	// gozxing's local (hybrid) binariser reads most symbols; on some, a
	// large black run inside the symbol darkens its neighbourhood's
	// threshold and only the page-wide (histogram) one reads it.
	wins := inkyWindows(g)
	for _, binarize := range []func(gozxing.LuminanceSource) gozxing.Binarizer{
		gozxing.NewHybridBinarizer, gozxing.NewGlobalHistgramBinarizer,
	} {
		if raw, at, err := search(g, wins, binarize); err == nil {
			return raw, at, nil
		}
	}
	return "", area, ErrUnreadable
}

// inkyWindows are the page's windows dense enough in ink to hold a
// symbol, in Find's order.
func inkyWindows(g *image.Gray) []image.Rectangle {
	wins := windows(g.Rect)
	ink := newDarkCounts(g, wins)
	return slices.DeleteFunc(wins, func(r image.Rectangle) bool { return !ink.inky(r) })
}

// search tries the windows wins of the page in order.
func search(g *image.Gray, wins []image.Rectangle, binarize func(gozxing.LuminanceSource) gozxing.Binarizer) (string, image.Rectangle, error) {
	reader := datamatrix.NewDataMatrixReader()
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	for _, r := range wins {
		bmp, err := window(g, r, binarize)
		if err != nil {
			continue
		}
		res, err := reader.Decode(bmp, hints)
		if err != nil {
			continue
		}
		return res.GetText(), r, nil
	}
	return "", image.Rectangle{}, ErrNotFound
}

// windows are the windows Find looks at on a page b, in its order: a
// quarter of the page wide (200 pixels at least), one every third of
// that, clipped to the page, and none less than half that each way.
func windows(b image.Rectangle) []image.Rectangle {
	win := max(200, b.Dx()/4)
	step := win / 3
	var out []image.Rectangle
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			r := image.Rect(x, y, x+win, y+win).Intersect(b)
			if r.Dx() >= win/2 && r.Dy() >= win/2 {
				out = append(out, r)
			}
		}
	}
	return out
}

// window is a window of the page for the decoder, read in place: a grey
// pixel is its own luminance, and gozxing's generic image path copied
// each window pixel by pixel through image.At (a third of the search).
func window(g *image.Gray, r image.Rectangle, binarize func(gozxing.LuminanceSource) gozxing.Binarizer) (*gozxing.BinaryBitmap, error) {
	rows := (len(g.Pix) + g.Stride - 1) / g.Stride
	src, err := gozxing.NewPlanarYUVLuminanceSource(g.Pix, g.Stride, rows, r.Min.X-g.Rect.Min.X, r.Min.Y-g.Rect.Min.Y, r.Dx(), r.Dy(), false)
	if err != nil {
		return nil, err
	}
	return gozxing.NewBinaryBitmap(binarize(src))
}

// Blocks that inky measures: 64 pixels, a block every 32, each measured
// on every other pixel of every other row.
const (
	blockCell = 16
	blockSize = 4 * blockCell
	blockStep = 2 * blockCell
)

// inky reports whether a window has a block of mixed black and white the
// size of a small symbol: text lines alone rarely reach its density.
// The window must be one newDarkCounts was given.
func (d *darkCounts) inky(r image.Rectangle) bool {
	for y := r.Min.Y; y+blockSize <= r.Max.Y; y += blockStep {
		for x := r.Min.X; x+blockSize <= r.Max.X; x += blockStep {
			const n = (blockSize / 2) * (blockSize / 2)
			if f := float64(d.count(x, y, blockSize/2)) / n; f > 0.3 && f < 0.7 {
				return true
			}
		}
	}
	return false
}

// darkCounts counts a page's dark pixels (under 128) on the grids of
// every other pixel of every other row, one grid per parity of x and y,
// as summed-area tables: a block's count is four lookups instead of a
// thousand pixels, for blocks the overlapping windows measure again and
// again. The tables hold the sums at the blocks' corners only (a few
// hundred rows and columns of each grid, where whole tables took 40 MB
// a page to build and clear).
type darkCounts struct {
	min  image.Point
	w, h int // grid size (half the page's, rounded up)
	// cols[px] are the columns of the grid of x parity px where a block
	// starts or ends, ascending, and colAt[px][i] is column i's place
	// among them (-1 when none starts or ends there); rows alike.
	cols, rows   [2][]int
	colAt, rowAt [2][]int32
	// sums[py][px][r*len(cols[px])+c] counts the dark samples of that
	// grid above row rows[py][r] and left of column cols[px][c].
	sums [2][2][]int32
}

// newDarkCounts measures g for the blocks of the windows wins.
func newDarkCounts(g *image.Gray, wins []image.Rectangle) *darkCounts {
	b := g.Rect
	d := &darkCounts{min: b.Min, w: (b.Dx() + 1) / 2, h: (b.Dy() + 1) / 2}
	var colSet, rowSet [2][]bool
	for p := range 2 {
		colSet[p], rowSet[p] = make([]bool, d.w+1), make([]bool, d.h+1)
	}
	for _, r := range wins {
		for y := r.Min.Y; y+blockSize <= r.Max.Y; y += blockStep {
			ay := y - b.Min.Y
			rowSet[ay%2][ay/2], rowSet[ay%2][min(ay/2+blockSize/2, d.h)] = true, true
		}
		for x := r.Min.X; x+blockSize <= r.Max.X; x += blockStep {
			ax := x - b.Min.X
			colSet[ax%2][ax/2], colSet[ax%2][min(ax/2+blockSize/2, d.w)] = true, true
		}
	}
	index := func(set []bool) ([]int, []int32) {
		var list []int
		at := make([]int32, len(set))
		for i, in := range set {
			at[i] = -1
			if in {
				at[i] = int32(len(list))
				list = append(list, i)
			}
		}
		return list, at
	}
	for p := range 2 {
		d.cols[p], d.colAt[p] = index(colSet[p])
		d.rows[p], d.rowAt[p] = index(rowSet[p])
	}
	// One pass over the page's rows: each row of parity py adds its dark
	// samples to running counts per column interval, one set for each x
	// parity, and the rows where blocks start or end take their prefix
	// sums.
	for py := range 2 {
		rows := d.rows[py]
		var acc [2][]int32
		for px := range 2 {
			acc[px] = make([]int32, len(d.cols[px]))
			d.sums[py][px] = make([]int32, len(rows)*len(d.cols[px]))
		}
		next := 0
		for next < len(rows) && rows[next] == 0 {
			next++ // nothing above the grid's first row
		}
		for j := 0; next < len(rows); j++ {
			if y := 2*j + py; y < b.Dy() {
				pix := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
				for px := range 2 {
					lo := 0
					for c, hi := range d.cols[px] {
						n := 0
						for x := 2*lo + px; x < min(2*hi+px, len(pix)); x += 2 {
							n += int(pix[x]>>7) ^ 1 // 1 under 128
						}
						acc[px][c] += int32(n)
						lo = hi
					}
				}
			}
			for next < len(rows) && rows[next] == j+1 {
				for px := range 2 {
					out := d.sums[py][px][next*len(d.cols[px]) : (next+1)*len(d.cols[px])]
					var run int32
					for c, n := range acc[px] {
						run += n
						out[c] = run
					}
				}
				next++
			}
		}
	}
	return d
}

// count is the number of dark pixels among the k×k samples, every other
// pixel and row, from (x, y) on: a block of one of the windows
// newDarkCounts was given.
func (d *darkCounts) count(x, y, k int) int {
	ax, ay := x-d.min.X, y-d.min.Y
	px, py := ax%2, ay%2
	i0, j0 := ax/2, ay/2
	i1, j1 := min(i0+k, d.w), min(j0+k, d.h)
	s, nc := d.sums[py][px], len(d.cols[px])
	c0, c1 := int(d.colAt[px][i0]), int(d.colAt[px][i1])
	r0, r1 := int(d.rowAt[py][j0]), int(d.rowAt[py][j1])
	at := func(c, r int) int32 { return s[r*nc+c] }
	return int(at(c1, r1) - at(c0, r1) - at(c1, r0) + at(c0, r0))
}
