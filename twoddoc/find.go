package twoddoc

import (
	"errors"
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
)

// ErrNotFound: no DataMatrix could be decoded on the page.
var ErrNotFound = errors.New("no 2D-Doc found")

// Find locates and decodes a DataMatrix on a page image. gozxing cannot
// decode a symbol on a whole A4 page (STACK.md), so windows of a quarter of
// the page width slide over it, and only windows dense enough in ink to
// hold a symbol are tried.
func Find(g *image.Gray) (string, image.Rectangle, error) {
	b := g.Rect
	win := max(200, b.Dx()/4)
	step := win / 3
	reader := datamatrix.NewDataMatrixReader()
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	ink := newDarkCounts(g)
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			r := image.Rect(x, y, x+win, y+win).Intersect(b)
			if r.Dx() < win/2 || r.Dy() < win/2 || !ink.inky(r) {
				continue
			}
			bmp, err := window(g, r)
			if err != nil {
				continue
			}
			res, err := reader.Decode(bmp, hints)
			if err != nil {
				continue
			}
			return res.GetText(), r, nil
		}
	}
	return "", image.Rectangle{}, ErrNotFound
}

// window is a window of the page for the decoder, read in place: a grey
// pixel is its own luminance, and gozxing's generic image path copied
// each window pixel by pixel through image.At (a third of the search).
func window(g *image.Gray, r image.Rectangle) (*gozxing.BinaryBitmap, error) {
	rows := (len(g.Pix) + g.Stride - 1) / g.Stride
	src, err := gozxing.NewPlanarYUVLuminanceSource(g.Pix, g.Stride, rows, r.Min.X-g.Rect.Min.X, r.Min.Y-g.Rect.Min.Y, r.Dx(), r.Dy(), false)
	if err != nil {
		return nil, err
	}
	return gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
}

// inky reports whether a window has a block of mixed black and white the
// size of a small symbol: text lines alone rarely reach its density.
// Blocks of 64 pixels, a block every 32, each measured on every other
// pixel of every other row.
func (d *darkCounts) inky(r image.Rectangle) bool {
	const cell = 16
	for y := r.Min.Y; y+4*cell <= r.Max.Y; y += 2 * cell {
		for x := r.Min.X; x+4*cell <= r.Max.X; x += 2 * cell {
			const n = (4 * cell / 2) * (4 * cell / 2)
			if f := float64(d.count(x, y, 4*cell/2)) / n; f > 0.3 && f < 0.7 {
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
// again.
type darkCounts struct {
	min  image.Point
	w, h int           // grid size (half the page's, rounded up)
	sums [2][2][]int32 // [y parity][x parity], (w+1)×(h+1)
}

func newDarkCounts(g *image.Gray) *darkCounts {
	b := g.Rect
	d := &darkCounts{min: b.Min, w: (b.Dx() + 1) / 2, h: (b.Dy() + 1) / 2}
	stride := d.w + 1
	for py := range 2 {
		for px := range 2 {
			d.sums[py][px] = make([]int32, stride*(d.h+1))
		}
	}
	// One pass over the page, row by row: a row of parity py adds to the
	// two tables of that parity, its even pixels to one, odd to the other.
	dark := func(v uint8) int32 {
		if v < 128 {
			return 1
		}
		return 0
	}
	for y := range b.Dy() {
		j := y / 2
		even, odd := d.sums[y%2][0], d.sums[y%2][1]
		prevE, rowE := even[j*stride:(j+1)*stride], even[(j+1)*stride:(j+2)*stride]
		prevO, rowO := odd[j*stride:(j+1)*stride], odd[(j+1)*stride:(j+2)*stride]
		pix := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
		var re, ro int32
		for i := range d.w {
			re += dark(pix[2*i])
			rowE[i+1] = prevE[i+1] + re
			if 2*i+1 < len(pix) {
				ro += dark(pix[2*i+1])
			}
			rowO[i+1] = prevO[i+1] + ro
		}
	}
	if b.Dy()%2 == 1 {
		// The odd rows' tables have one row fewer on the page: their
		// last row of sums repeats the one before.
		j := d.h - 1
		for px := range 2 {
			s := d.sums[1][px]
			copy(s[(j+1)*stride:(j+2)*stride], s[j*stride:(j+1)*stride])
		}
	}
	return d
}

// count is the number of dark pixels among the k×k samples, every other
// pixel and row, from (x, y) on.
func (d *darkCounts) count(x, y, k int) int {
	ax, ay := x-d.min.X, y-d.min.Y
	s := d.sums[ay%2][ax%2]
	i0, j0 := ax/2, ay/2
	i1, j1 := min(i0+k, d.w), min(j0+k, d.h)
	at := func(i, j int) int32 { return s[j*(d.w+1)+i] }
	return int(at(i1, j1) - at(i0, j1) - at(i1, j0) + at(i0, j0))
}
