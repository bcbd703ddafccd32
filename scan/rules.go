package scan

import "image"

// shadeLevel: grey lighter than this is a cell's shading or the paper,
// never ink (print is under 100, a table header's fill about 220).
const shadeLevel = 160

// Unruled is a copy of g for reading a ruled, shaded table row: grey
// lighter than shadeLevel turned white, and every dark run longer than a
// text line can draw erased: across, over 4 line heights (a rule; no
// letter is that wide), down, over 1.5 (a cell's border; no letter is that
// tall). h is the text's line height in pixels. Tesseract takes a shaded
// cell framed by rules for a picture and reads nothing in it.
func Unruled(g *image.Gray, h int) *image.Gray {
	b := g.Rect
	out := image.NewGray(b)
	flat := func(x, y int) uint8 {
		if v := g.Pix[g.PixOffset(x, y)]; v < shadeLevel {
			return v
		}
		return 255
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Pix[out.PixOffset(x, y)] = flat(x, y)
		}
	}
	dark := func(x, y int) bool { return flat(x, y) < shadeLevel }
	erase := func(x, y int) { out.Pix[out.PixOffset(x, y)] = 255 }
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; {
			e := x
			for e < b.Max.X && dark(e, y) {
				e++
			}
			if e-x > 4*h {
				for i := x; i < e; i++ {
					erase(i, y)
				}
			}
			x = max(e, x+1)
		}
	}
	for x := b.Min.X; x < b.Max.X; x++ {
		for y := b.Min.Y; y < b.Max.Y; {
			e := y
			for e < b.Max.Y && dark(x, e) {
				e++
			}
			if 2*(e-y) > 3*h {
				for i := y; i < e; i++ {
					erase(x, i)
				}
			}
			y = max(e, y+1)
		}
	}
	return out
}
