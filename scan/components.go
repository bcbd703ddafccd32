package scan

import "image"

// Region is a set of pixels of a mask and their box, in the mask's
// coordinates.
type Region struct {
	Pts []image.Point
	Box image.Rectangle
}

// Components lists the connected regions of the pixels set in mask (w×h,
// row by row), in the order of their first pixel: 8-connected when eight
// (ink: a stroke's pixels touch by a corner), else 4-connected (paper does
// not leak through a stroke's diagonal).
func Components(mask []bool, w, h int, eight bool) []Region {
	seen := make([]bool, w*h)
	var out []Region
	var stack []image.Point
	for i := range mask {
		if seen[i] || !mask[i] {
			continue
		}
		seen[i] = true
		stack = append(stack[:0], image.Pt(i%w, i/w))
		var r Region
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			r.Pts = append(r.Pts, p)
			r.Box = r.Box.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if (dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0) {
						continue
					}
					q := p.Add(image.Pt(dx, dy))
					if q.X < 0 || q.Y < 0 || q.X >= w || q.Y >= h {
						continue
					}
					if j := q.Y*w + q.X; !seen[j] && mask[j] {
						seen[j] = true
						stack = append(stack, q)
					}
				}
			}
		}
		out = append(out, r)
	}
	return out
}
