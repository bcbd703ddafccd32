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

// Pad is g set on a margin of n pixels of the value v all round (white
// paper around a crop too tight for Tesseract to find a line in).
func Pad(g *image.Gray, n int, v uint8) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, g.Rect.Dx()+2*n, g.Rect.Dy()+2*n))
	for i := range out.Pix {
		out.Pix[i] = v
	}
	for y := 0; y < g.Rect.Dy(); y++ {
		src := g.Pix[(y)*g.Stride : y*g.Stride+g.Rect.Dx()]
		copy(out.Pix[(y+n)*out.Stride+n:], src)
	}
	return out
}
