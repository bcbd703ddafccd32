package scan

import (
	"image"
	"slices"
)

// sidewaysRatio: measured on generated pages (both styles, scans,
// faxes, photos once straightened, cards): upright pages score 0.18–0.80,
// pages lying on their side 1.77–5.72; the threshold is about the
// geometric mean of the two bounds.
const sidewaysRatio = 1.2

// Sideways tells a page whose lines of text run up or down (a portrait
// page scanned in landscape, a phone photo taken sideways) from one whose
// lines run across, before any OCR, so that the quarter turns can be
// tried first. It compares the best row-profile score of the page within
// Deskew's ±8° (see Skew) with the best score of the page turned a
// quarter. A page with too little print to tell is not sideways.
func Sideways(g *image.Gray) bool {
	r, ok := sidewaysScore(g)
	return ok && r > sidewaysRatio
}

// sidewaysScore is the ratio of the turned page's best profile score to
// the page's own; ok is false when the page holds too little print.
func sidewaysScore(g *image.Gray) (ratio float64, ok bool) {
	pts, w := darkPoints(g, 900)
	if len(pts) < 200 || w == 0 {
		return 0, false
	}
	h := 0
	turned := slices.Clone(pts)
	for i, p := range pts {
		h = max(h, p.Y+1)
		turned[i] = image.Pt(p.Y, p.X)
	}
	best := func(pts []image.Point, w int) float64 {
		var b float64
		p := newProfiler(pts, w)
		for deg := -8.0; deg <= 8; deg++ {
			b = max(b, p.score(deg))
		}
		return b
	}
	return best(turned, h) / best(pts, w), true
}
