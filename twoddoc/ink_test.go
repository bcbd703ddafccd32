package twoddoc

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// inkyByPixels is how inky measured a window before the summed-area
// tables: every other pixel of every other row of each block.
func inkyByPixels(g *image.Gray, r image.Rectangle) bool {
	const cell = 16
	for y := r.Min.Y; y+4*cell <= r.Max.Y; y += 2 * cell {
		for x := r.Min.X; x+4*cell <= r.Max.X; x += 2 * cell {
			dark, n := 0, 0
			for yy := y; yy < y+4*cell; yy += 2 {
				for xx := x; xx < x+4*cell; xx += 2 {
					if g.GrayAt(xx, yy).Y < 128 {
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

// The summed-area tables say what counting the pixels says, for every
// window Find looks at, on pages with and without a code.
func TestInkyAsByPixels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	g := image.NewGray(image.Rect(3, 5, 903, 1205)) // an origin off zero, odd sizes
	for i := range g.Pix {
		if rng.IntN(100) < 45 {
			g.Pix[i] = 20
		} else {
			g.Pix[i] = 230
		}
	}
	for y := 400; y < 1205; y++ { // a white half: no window there is inky
		for x := 3; x < 903; x++ {
			g.SetGray(x, y, color.Gray{Y: 250})
		}
	}
	// Find's windows, and windows at other steps and sizes, partly off
	// the page.
	wins := windows(g.Rect)
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y += 37 {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x += 41 {
			wins = append(wins, image.Rect(x, y, x+200, y+200).Intersect(g.Rect))
		}
	}
	d := newDarkCounts(g, wins)
	for _, r := range wins {
		if got, want := d.inky(r), inkyByPixels(g, r); got != want {
			t.Fatalf("window %v: inky %v, by pixels %v", r, got, want)
		}
	}
}
