package scan

import (
	"image"
	"slices"
)

// maxUnread is the most areas UnreadText returns, the largest first: each
// costs a reading, and a form has a handful of lines at most that
// Tesseract's layout analysis drops.
const maxUnread = 8

// UnreadText finds where g holds a line's worth of ink that no box of read
// covers: text Tesseract's layout analysis dropped as a picture, in both
// of its modes (« le / op 05/11/2026 » between a place and a framed
// signature). h is the text's line height in pixels. Ink is counted as
// Unruled counts it (grey lighter than shadeLevel is paper, rules and
// frames are not text), on a grid of quarter line heights; inked cells
// less than two line heights apart on a row join. An area is kept when it is
// half a line height to three tall and two or more wide: a tick box or a
// speck is smaller, a photo or a stamp taller.
func UnreadText(g *image.Gray, read []image.Rectangle, h int) []image.Rectangle {
	if h < 4 {
		return nil
	}
	clean := Unruled(g, h)
	b := clean.Rect
	cs := max(2, h/4)
	gw, gh := (b.Dx()+cs-1)/cs, (b.Dy()+cs-1)/cs
	count := make([]int, gw*gh)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := clean.Pix[clean.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x++ {
			if row[x] < shadeLevel {
				count[((y-b.Min.Y)/cs)*gw+x/cs]++
			}
		}
	}
	// What was read, a quarter line around, is not looked at again.
	for _, r := range read {
		r = r.Inset(-h / 4).Intersect(b).Sub(b.Min)
		for gy := r.Min.Y / cs; gy <= (r.Max.Y-1)/cs && gy < gh; gy++ {
			for gx := r.Min.X / cs; gx <= (r.Max.X-1)/cs && gx < gw; gx++ {
				count[gy*gw+gx] = 0
			}
		}
	}
	inked := make([]bool, gw*gh)
	for i, n := range count {
		inked[i] = n >= cs // a stroke crossing the cell, not a speck
	}
	// Joined: inked cells of a row less than two line heights apart (a
	// label and its value: read together, each is read in context).
	join := (2*h + cs - 1) / cs
	joined := slices.Clone(inked)
	for gy := 0; gy < gh; gy++ {
		last := -1
		for gx := 0; gx < gw; gx++ {
			if !inked[gy*gw+gx] {
				continue
			}
			if last >= 0 && gx-last <= join {
				for k := last + 1; k < gx; k++ {
					joined[gy*gw+k] = true
				}
			}
			last = gx
		}
	}
	var out []image.Rectangle
	for _, c := range Components(joined, gw, gh, false) {
		var r image.Rectangle // the inked cells': a join is no ink
		for _, p := range c.Pts {
			if inked[p.Y*gw+p.X] {
				r = r.Union(image.Rect(p.X, p.Y, p.X+1, p.Y+1))
			}
		}
		px := image.Rect(r.Min.X*cs, r.Min.Y*cs, r.Max.X*cs, r.Max.Y*cs).Add(b.Min).Intersect(b)
		if px.Dy() >= h/2 && px.Dy() <= 3*h && px.Dx() >= 2*h {
			out = append(out, px)
		}
	}
	slices.SortFunc(out, func(a, b image.Rectangle) int { return b.Dx()*b.Dy() - a.Dx()*a.Dy() })
	if len(out) > maxUnread {
		out = out[:maxUnread]
	}
	return out
}
