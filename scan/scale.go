package scan

import (
	"image"

	xdraw "golang.org/x/image/draw"
)

// Scale resizes a grey image by factor f (Catmull-Rom: sharp edges for
// OCR).
func Scale(g *image.Gray, f float64) *image.Gray {
	w, h := max(1, int(float64(g.Rect.Dx())*f+0.5)), max(1, int(float64(g.Rect.Dy())*f+0.5))
	dst := image.NewGray(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Rect, g, g.Rect, xdraw.Src, nil)
	return dst
}
