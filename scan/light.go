package scan

import (
	"image"
	"slices"
)

// Light falling unevenly on a page (a desk lamp from one side, a lens's
// vignette, the shadow of the phone taking the picture) leaves paper in
// one corner darker than ink in another: Tesseract's global Otsu threshold
// then blackens that corner or drops faint print elsewhere. EvenLight
// estimates the paper's brightness everywhere and divides it out.
//
// The paper's brightness is estimated on block averages about lightBlocks
// on the page's long side: the brightest block within a window of
// lightWindow of the long side each way (wider than a shaded box, a
// portrait or a line of bold print, narrower than the light's changes),
// then the darkest of those (a closing), smoothed.
const (
	lightBlocks = 200
	lightWindow = 0.04
	// paperWhite is the grey the paper is brought to: the level of paper
	// on the generated clean scans, below saturation so that noise stays
	// noise.
	paperWhite = 240
)

// Unevenness is how much darker the dimmest paper of a page is than its
// brightest: 0 for even light, 0.5 when some paper gets half the light of
// the rest (robust 5th and 95th percentiles of the estimated paper
// brightness).
func Unevenness(g *image.Gray) float64 { return paperLevel(g).unevenness() }

// unevenness: see Unevenness.
func (p paper) unevenness() float64 {
	bg := p.level
	if len(bg) == 0 {
		return 0
	}
	s := slices.Clone(bg)
	slices.Sort(s)
	lo, hi := s[len(s)*5/100], s[len(s)*95/100]
	if hi <= 0 {
		return 0
	}
	return 1 - lo/hi
}

// EvenLight divides g by its estimated paper brightness, bringing paper
// to paperWhite everywhere and ink in proportion.
func EvenLight(g *image.Gray) *image.Gray { return paperLevel(g).even(g) }

// even divides g by the paper level p, measured on g.
func (p paper) even(g *image.Gray) *image.Gray {
	bg, bw, bh, block := p.level, p.w, p.h, p.block
	if len(bg) == 0 {
		return g
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	gain := make([]float64, len(bg))
	for i, v := range bg {
		gain[i] = paperWhite / max(v, 8)
	}
	// Gains at block centres, interpolated bilinearly in between.
	row := make([]float64, bw)
	for y := range h {
		fy := (float64(y)+0.5)/float64(block) - 0.5
		y0 := min(bh-1, max(0, int(fy)))
		y1 := min(bh-1, y0+1)
		ty := min(1, max(0, fy-float64(y0)))
		for x := range bw {
			row[x] = gain[y0*bw+x]*(1-ty) + gain[y1*bw+x]*ty
		}
		src := g.Pix[y*g.Stride : y*g.Stride+w]
		dst := out.Pix[y*out.Stride : y*out.Stride+w]
		for x, v := range src {
			fx := (float64(x)+0.5)/float64(block) - 0.5
			x0 := min(bw-1, max(0, int(fx)))
			x1 := min(bw-1, x0+1)
			tx := min(1, max(0, fx-float64(x0)))
			k := row[x0]*(1-tx) + row[x1]*tx
			dst[x] = uint8(min(255, float64(v)*k+0.5))
		}
	}
	return out
}

// paper is the estimated brightness of a page's paper, per block of
// block×block pixels, on a w×h grid.
type paper struct {
	level       []float64
	w, h, block int
}

// paperLevel estimates the paper's brightness over g.
func paperLevel(g *image.Gray) paper {
	block := max(1, max(g.Rect.Dx(), g.Rect.Dy())/lightBlocks)
	sum, bw, bh := blockMeans(g, block)
	if bw < 8 || bh < 8 {
		return paper{}
	}
	r := max(1, int(lightWindow*float64(max(bw, bh))+0.5))
	// A closing (the brightest within the window, then the darkest of
	// those): print and anything dark narrower than the window give way
	// to the paper around them, while the light's own edges (a shadow's
	// penumbra) stay where they are; a box of half the window smooths
	// the steps.
	level := boxFilter(minFilter(maxFilter(sum, bw, bh, r), bw, bh, r), bw, bh, max(1, r/2))
	return paper{level, bw, bh, block}
}

// maxFilter takes the maximum over a (2r+1)² window, rows then columns.
func maxFilter(v []float64, w, h, r int) []float64 {
	return separable(v, w, h, r, func(win []float64) float64 { return slices.Max(win) })
}

// minFilter takes the minimum over a (2r+1)² window.
func minFilter(v []float64, w, h, r int) []float64 {
	return separable(v, w, h, r, func(win []float64) float64 { return slices.Min(win) })
}

// boxFilter averages over a (2r+1)² window (clamped at the edges).
func boxFilter(v []float64, w, h, r int) []float64 {
	return separable(v, w, h, r, func(win []float64) float64 {
		var s float64
		for _, x := range win {
			s += x
		}
		return s / float64(len(win))
	})
}

// separable applies f to each pixel's window of radius r along rows, then
// along columns, the window cut at the image's edges.
func separable(v []float64, w, h, r int, f func([]float64) float64) []float64 {
	rows := transpose(rowPass(v, w, h, r, f), w, h)
	return transpose(rowPass(rows, h, w, r, f), h, w)
}

// rowPass applies f to each pixel's window of radius r along its row.
func rowPass(v []float64, w, h, r int, f func([]float64) float64) []float64 {
	out := make([]float64, len(v))
	for y := range h {
		row := v[y*w : (y+1)*w]
		for x := range w {
			out[y*w+x] = f(row[max(0, x-r):min(w, x+r+1)])
		}
	}
	return out
}

// transpose turns a w×h grid into its h×w transpose.
func transpose(v []float64, w, h int) []float64 {
	out := make([]float64, len(v))
	for y := range h {
		for x := range w {
			out[x*h+y] = v[y*w+x]
		}
	}
	return out
}
