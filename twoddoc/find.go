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
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			r := image.Rect(x, y, x+win, y+win).Intersect(b)
			if r.Dx() < win/2 || r.Dy() < win/2 || !inky(g, r) {
				continue
			}
			bmp, err := gozxing.NewBinaryBitmapFromImage(g.SubImage(r))
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

// inky reports whether a window has a block of mixed black and white the
// size of a small symbol: text lines alone rarely reach its density.
func inky(g *image.Gray, r image.Rectangle) bool {
	const cell = 16
	for y := r.Min.Y; y+4*cell <= r.Max.Y; y += 2 * cell {
		for x := r.Min.X; x+4*cell <= r.Max.X; x += 2 * cell {
			dark, n := 0, 0
			for yy := y; yy < y+4*cell; yy += 2 {
				row := g.Pix[(yy-g.Rect.Min.Y)*g.Stride-g.Rect.Min.X:]
				for xx := x; xx < x+4*cell; xx += 2 {
					if row[xx] < 128 {
						dark++
					}
					n++
				}
			}
			if f := float64(dark) / float64(n); f > 0.3 && f < 0.7 {
				return true
			}
		}
	}
	return false
}
