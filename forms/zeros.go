package forms

import (
	"image"
	"slices"

	"dossiercheck/scan"
)

// plainZeros returns a copy of a value's crop in which every zero drawn
// with an inner mark reads as a plain one: the slash of a slashed zero
// (Go's faces, many hands) or the dot of a dotted one (monospace faces).
// Tesseract's French model knows neither: it drops such a zero, reads it
// twice ("851130099564" for 85113099564) or at confidence 15.
//
// A glyph is an ink component; its holes are what lies inside it, out of
// reach of the paper around it. A dotted zero is a glyph with one hole
// holding ink of another component (the dot): that ink is erased. A
// slashed zero is a glyph with two holes side by side (sharing rows: the
// slash runs across the glyph's height), where an 8's two holes lie one
// above the other (no row in common). The ink between the two holes,
// within their convex hull (inside the ring, since a zero's inside is
// convex), is erased. Every other digit has one hole and nothing in it,
// or none, and comes back as it was.
//
// loose is for a value whose check digits catch a digit changed (a
// national number: a digit changed changes the number by less than a
// multiple of 97): two holes sharing a single row are side by side (a
// short slash blurred), and two holes one above the other make a zero
// when the glyph has no waist between them (a dot run into the ring on
// both sides by a bold face or a blur; noWaist). Otherwise (a date) the
// halves of a slash must share a quarter of the shorter one's rows (5 of
// 13 in Go Mono at 200 dpi, more at 300) and a dot must stand apart: a
// strongly slanted hand's 8, its waist running across, could pass the
// loose tests, and a date has no check digit to catch it.
// PlainZeros is plainZeros for a printed date's digits, which no check
// digit guards (strict: a slash's halves must share rows, a dot stand
// apart).
func PlainZeros(g *image.Gray) *image.Gray { return plainZeros(g, false) }

func plainZeros(g *image.Gray, loose bool) *image.Gray {
	out := image.NewGray(g.Rect)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := range h {
		copy(out.Pix[y*out.Stride:y*out.Stride+w], g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):])
	}
	if w == 0 || h == 0 {
		return out
	}
	paper := paperLevel(g)
	dark := darkLevel(g, g.Rect)
	ink := make([]bool, w*h)
	for y := range h {
		for x := range w {
			ink[y*w+x] = g.Pix[g.PixOffset(g.Rect.Min.X+x, g.Rect.Min.Y+y)] < dark
		}
	}
	comp := scan.Components(ink, w, h, true)
	for _, c := range comp {
		b := c.Box
		// A hole needs a ring around it: a glyph a few pixels wide is a
		// stroke or a speck.
		if b.Dx() < 5 || b.Dy() < 5 {
			continue
		}
		holes := holesOf(c, ink, w, b)
		var erase []image.Point
		switch {
		case len(holes) == 1 && holes[0].inked:
			for _, p := range holes[0].Pts {
				if ink[p.Y*w+p.X] {
					erase = append(erase, p)
				}
			}
		case len(holes) == 2 && (sideBySide(holes[0].Box, holes[1].Box, loose) || loose && noWaist(c, holes[0].Box, holes[1].Box)):
			hull := convexHull(append(slices.Clone(holes[0].Pts), holes[1].Pts...))
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if ink[y*w+x] && inHull(hull, image.Pt(x, y)) {
						erase = append(erase, image.Pt(x, y))
					}
				}
			}
		}
		for _, p := range erase {
			out.Pix[out.PixOffset(g.Rect.Min.X+p.X, g.Rect.Min.Y+p.Y)] = paper
		}
	}
	return out
}

// hole is a hole of a glyph (crop coordinates), and whether
// it holds ink of another component (a zero's dot).
type hole struct {
	scan.Region
	inked bool
}

// holesOf lists the holes of glyph c within its box b: the regions of
// pixels not of c that the paper around the box cannot reach without
// crossing c (they may hold other ink: a zero's dot). ink is the crop's
// mask, w its width.
func holesOf(c scan.Region, ink []bool, w int, b image.Rectangle) []hole {
	bw, bh := b.Dx(), b.Dy()
	free := make([]bool, bw*bh)
	for i := range free {
		free[i] = true
	}
	for _, p := range c.Pts {
		free[(p.Y-b.Min.Y)*bw+p.X-b.Min.X] = false
	}
	var out []hole
	for _, reg := range scan.Components(free, bw, bh, false) {
		r := hole{Region: reg}
		// What touches the box's edge is the paper around the glyph; a
		// single pixel is a pinhole in a thick stroke.
		if len(r.Pts) < 2 || r.Box.Min.X == 0 || r.Box.Min.Y == 0 || r.Box.Max.X == bw || r.Box.Max.Y == bh {
			continue
		}
		for i := range r.Pts {
			r.Pts[i] = r.Pts[i].Add(b.Min)
			r.inked = r.inked || ink[r.Pts[i].Y*w+r.Pts[i].X]
		}
		r.Box = r.Box.Add(b.Min)
		out = append(out, r)
	}
	return out
}

// sideBySide: two holes share rows, as the halves of a slashed zero do
// (2 to 5 of 10 to 13 in Go's faces at 200 dpi); an upright 8's lie one
// above the other and share none. Unless loose, they share a quarter of
// the shorter one's rows or more.
func sideBySide(a, b image.Rectangle, loose bool) bool {
	shared := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
	return shared > 0 && (loose || 4*shared >= min(a.Dy(), b.Dy()))
}

// noWaist: a glyph with two holes one above the other is as wide
// between them as across either: a dotted zero whose dot ran into the
// ring on both sides (a bold face, a blurred scan) has an oval's outline,
// an 8 is narrower at its waist than across its loops.
func noWaist(c scan.Region, a, b image.Rectangle) bool {
	if a.Min.Y > b.Min.Y {
		a, b = b, a
	}
	if a.Max.Y > b.Min.Y {
		return false // they share rows: sideBySide's case
	}
	left, right := map[int]int{}, map[int]int{}
	for _, p := range c.Pts {
		if l, ok := left[p.Y]; !ok || p.X < l {
			left[p.Y] = p.X
		}
		if r, ok := right[p.Y]; !ok || p.X > r {
			right[p.Y] = p.X
		}
	}
	width := func(y int) int { return right[y] - left[y] + 1 }
	waist := 0
	for y := a.Max.Y; y <= b.Min.Y; y++ {
		waist = max(waist, width(y))
	}
	return waist >= width((a.Min.Y+a.Max.Y)/2) && waist >= width((b.Min.Y+b.Max.Y)/2)
}

// convexHull is the hull of pts, counter-clockwise (Andrew's monotone
// chain).
func convexHull(pts []image.Point) []image.Point {
	slices.SortFunc(pts, func(a, b image.Point) int {
		if a.X != b.X {
			return a.X - b.X
		}
		return a.Y - b.Y
	})
	pts = slices.Compact(pts)
	if len(pts) < 3 {
		return pts
	}
	cross := func(o, a, b image.Point) int { return (a.X-o.X)*(b.Y-o.Y) - (a.Y-o.Y)*(b.X-o.X) }
	var hull []image.Point
	for pass := 0; pass < 2; pass++ {
		start := len(hull)
		for _, p := range pts {
			for len(hull) >= start+2 && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
				hull = hull[:len(hull)-1]
			}
			hull = append(hull, p)
		}
		hull = hull[:len(hull)-1]
		slices.Reverse(pts)
	}
	return hull
}

// inHull: p lies in the convex polygon hull (counter-clockwise) or on its
// edge.
func inHull(hull []image.Point, p image.Point) bool {
	if len(hull) < 3 {
		return false
	}
	for i, a := range hull {
		b := hull[(i+1)%len(hull)]
		if (b.X-a.X)*(p.Y-a.Y)-(b.Y-a.Y)*(p.X-a.X) < 0 {
			return false
		}
	}
	return true
}

// paperLevel is the crop's paper grey: its 90th percentile.
func paperLevel(g *image.Gray) uint8 {
	return uint8(min(255, int(darkLevel(g, g.Rect))+100))
}

// repeated is the ink of a short value (one or two glyphs: columns of ink
// between blank ones) drawn n times in a row, half its height apart, on
// the crop's paper; nil when the crop holds no ink or more glyphs.
func repeated(g *image.Gray, n int) (*image.Gray, int) {
	dark := darkLevel(g, g.Rect)
	var ink image.Rectangle
	runs, in := 0, false
	for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
		col := false
		for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
			if g.Pix[g.PixOffset(x, y)] < dark {
				col = true
				ink = ink.Union(image.Rect(x, y, x+1, y+1))
			}
		}
		if col && !in {
			runs++
		}
		in = col
	}
	if runs == 0 || runs > 2 {
		return nil, 0
	}
	gap := max(1, ink.Dy()/2)
	out := image.NewGray(image.Rect(0, 0, n*ink.Dx()+(n-1)*gap, ink.Dy()))
	paper := paperLevel(g)
	for i := range out.Pix {
		out.Pix[i] = paper
	}
	for k := range n {
		for y := 0; y < ink.Dy(); y++ {
			src := g.Pix[g.PixOffset(ink.Min.X, ink.Min.Y+y):]
			copy(out.Pix[y*out.Stride+k*(ink.Dx()+gap):], src[:ink.Dx()])
		}
	}
	return out, n
}
