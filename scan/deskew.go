package scan

import (
	"image"
	"math"
)

// Skew estimates a page's skew in degrees by projection profile: text lines
// make the row histogram of dark pixels spiky when the page is straight. It
// looks within ±maxSkew degrees, on a downscaled copy (about 100 ms a page).
func Skew(g *image.Gray) float64 {
	const maxSkew = 8.0
	pts, w := darkPoints(g, 900)
	if len(pts) < 50 {
		return 0
	}
	score := func(deg float64) float64 { return profileScore(pts, w, deg) }
	best, bestScore := 0.0, score(0)
	search := func(from, to, step float64) {
		for a := from; a <= to+1e-9; a += step {
			if sc := score(a); sc > bestScore {
				best, bestScore = a, sc
			}
		}
	}
	search(-maxSkew, maxSkew, 0.5)
	search(best-0.5, best+0.5, 0.1)
	return best
}

// profileScore is the sum of squares of the histogram of pts projected
// on rows turned by deg: largest when the rows follow the lines of text.
func profileScore(pts []image.Point, w int, deg float64) float64 {
	rad := deg * math.Pi / 180
	s, c := math.Sin(rad), math.Cos(rad)
	n := 2 * (w + len(pts)) // rows are bounded by the diagonal
	bins := make([]int32, n)
	for _, p := range pts {
		y := int(float64(p.Y)*c-float64(p.X)*s) + n/2
		if y >= 0 && y < n {
			bins[y]++
		}
	}
	var sum float64
	for _, b := range bins {
		sum += float64(b) * float64(b)
	}
	return sum
}

// darkPoints samples the page to about width columns and returns the dark
// pixels' coordinates.
func darkPoints(g *image.Gray, width int) ([]image.Point, int) {
	b := g.Rect
	step := max(1, b.Dx()/width)
	var sum, n int
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			sum += int(g.Pix[(y-b.Min.Y)*g.Stride+x-b.Min.X])
			n++
		}
	}
	if n == 0 {
		return nil, 0
	}
	thr := uint8(sum / n * 6 / 10) // well below the paper's grey
	var pts []image.Point
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			if g.Pix[(y-b.Min.Y)*g.Stride+x-b.Min.X] < thr {
				pts = append(pts, image.Point{(x - b.Min.X) / step, (y - b.Min.Y) / step})
			}
		}
	}
	return pts, b.Dx() / step
}

// Deskew straightens a page whose skew exceeds a quarter of a degree and
// returns the angle it corrected.
func Deskew(g *image.Gray) (*image.Gray, float64) {
	a := Skew(g)
	if math.Abs(a) < 0.25 {
		return g, 0
	}
	// The profile peaks when rows are rotated by a; the page is straightened
	// by rotating it the same way, counter-clockwise.
	return Rotate(g, a), a
}

// Rotate turns a grey page counter-clockwise by deg degrees with bilinear
// interpolation, on a canvas grown to hold the whole page, filling the
// corners with white. Working on grey bytes directly is about 5× faster
// than a general RGBA rotation (docs/stack.md: deskew is on every page).
func Rotate(g *image.Gray, deg float64) *image.Gray {
	rad := deg * math.Pi / 180
	sin, cos := math.Sin(rad), math.Cos(rad)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	nw := int(math.Ceil(math.Abs(float64(w)*cos) + math.Abs(float64(h)*sin)))
	nh := int(math.Ceil(math.Abs(float64(w)*sin) + math.Abs(float64(h)*cos)))
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	cx, cy := float64(w)/2, float64(h)/2
	ncx, ncy := float64(nw)/2, float64(nh)/2
	for y := 0; y < nh; y++ {
		dy := float64(y) + 0.5 - ncy
		row := out.Pix[y*out.Stride : y*out.Stride+nw]
		for x := range row {
			dx := float64(x) + 0.5 - ncx
			// Inverse mapping: where in the source this pixel comes from
			// (image y points down, so a counter-clockwise turn on screen
			// uses these signs).
			sx := dx*cos - dy*sin + cx - 0.5
			sy := dx*sin + dy*cos + cy - 0.5
			row[x] = orWhite(Bilinear(g, sx, sy))
		}
	}
	return out
}

// Rotate180 turns a page upside down (or back): a scan fed the wrong way.
func Rotate180(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		src := g.Pix[(y)*g.Stride : y*g.Stride+w]
		dst := out.Pix[(h-1-y)*out.Stride : (h-1-y)*out.Stride+w]
		for x := 0; x < w; x++ {
			dst[w-1-x] = src[x]
		}
	}
	return out
}

// Rotate90 turns a page a quarter turn clockwise (cw) or anticlockwise: a
// portrait page scanned in landscape.
func Rotate90(g *image.Gray, cw bool) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range row {
			if cw {
				out.Pix[x*out.Stride+(h-1-y)] = v
			} else {
				out.Pix[(w-1-x)*out.Stride+y] = v
			}
		}
	}
	return out
}
