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
	for py := range 2 {
		for px := range 2 {
			s := make([]int32, (d.w+1)*(d.h+1))
			for j := 0; j < d.h; j++ {
				y := 2*j + py
				var row int32
				for i := 0; i < d.w; i++ {
					x := 2*i + px
					if y < b.Dy() && x < b.Dx() && g.Pix[y*g.Stride+x] < 128 {
						row++
					}
					s[(j+1)*(d.w+1)+i+1] = s[j*(d.w+1)+i+1] + row
				}
			}
			d.sums[py][px] = s
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
