package scan

import (
	"image"
	"slices"
)

// Leader dots: a dot is a blob of ink at most maxDot pixels across (a
// leader's dot is 0.2–0.5 mm: 2–6 px at 300 dpi), a leader a row of
// minLeader dots or more on one baseline, each within maxGap pixels of the
// next. Chosen here, no text sets them: a sentence's full stops and an
// ellipsis's three dots never make such a row.
const (
	maxDot    = 7
	minLeader = 6
	maxGap    = 30
)

// EraseLeaders is a copy of g with its dotted leaders (« Nom ........ »)
// turned white, and how many dots it erased. Tesseract drops a whole
// line that a long leader runs through, the label and the value written
// on it with it, as a picture.
func EraseLeaders(g *image.Gray) (*image.Gray, int) {
	b := g.Rect
	w, h := b.Dx(), b.Dy()
	dark := func(i int) bool { return g.Pix[(i/w)*g.Stride+i%w] < shadeLevel }
	seen := make([]bool, w*h)
	var dots []image.Rectangle // the blobs small enough to be dots
	var stack []int
	for i := 0; i < w*h; i++ {
		if seen[i] || !dark(i) {
			continue
		}
		seen[i] = true
		stack = append(stack[:0], i)
		r := image.Rect(i%w, i/w, i%w+1, i/w+1)
		big := false
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			if !big {
				r = r.Union(image.Rect(x, y, x+1, y+1))
				big = r.Dx() > maxDot || r.Dy() > maxDot
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if q := ny*w + nx; !seen[q] && dark(q) {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
		}
		if !big {
			dots = append(dots, r)
		}
	}
	// Rows of dots: each dot chained to the nearest one to its right on
	// the same baseline (±2 px), looked up by baseline.
	byBase := map[int][]int{}
	for i, d := range dots {
		byBase[d.Max.Y] = append(byBase[d.Max.Y], i)
	}
	for _, idx := range byBase {
		slices.SortFunc(idx, func(a, b int) int { return dots[a].Min.X - dots[b].Min.X })
	}
	used := make([]bool, len(dots))
	var leaders [][]int
	order := make([]int, len(dots))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return dots[a].Min.X - dots[b].Min.X })
	for _, i := range order {
		if used[i] {
			continue
		}
		chain := []int{i}
		used[i] = true
		for {
			last := dots[chain[len(chain)-1]]
			next := -1
			for base := last.Max.Y - 2; base <= last.Max.Y+2; base++ {
				idx := byBase[base]
				k, _ := slices.BinarySearchFunc(idx, last.Max.X, func(j, x int) int { return dots[j].Min.X - x })
				for ; k < len(idx); k++ {
					j := idx[k]
					if used[j] {
						continue
					}
					if d := dots[j]; d.Min.X-last.Max.X <= maxGap && (next < 0 || d.Min.X < dots[next].Min.X) {
						next = j
					}
					break
				}
			}
			if next < 0 {
				break
			}
			used[next] = true
			chain = append(chain, next)
		}
		if len(chain) >= minLeader {
			leaders = append(leaders, chain)
		}
	}
	if len(leaders) == 0 {
		return g, 0
	}
	out := image.NewGray(b)
	for y := 0; y < h; y++ {
		copy(out.Pix[y*out.Stride:y*out.Stride+w], g.Pix[y*g.Stride:y*g.Stride+w])
	}
	n := 0
	for _, chain := range leaders {
		for _, i := range chain {
			r := dots[i].Inset(-1).Add(b.Min).Intersect(b)
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					out.Pix[out.PixOffset(x, y)] = 255
				}
			}
			n++
		}
	}
	return out, n
}
