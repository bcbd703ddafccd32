package scan

import (
	"image"
	"image/color"
	"math"

	"github.com/disintegration/imaging"
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
	score := func(deg float64) float64 {
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
	// by rotating it the same way (imaging.Rotate turns counter-clockwise).
	r := imaging.Rotate(g, a, color.White)
	return Gray(r), a
}
