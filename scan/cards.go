package scan

import (
	"image"
	"slices"
)

// Cards finds the solid patches on a page that may be cards laid on the
// scanner glass (an identity card's recto and verso side by side, a small
// card on a big page): regions clearly darker than the paper, filled for
// the most part (a card's background, not scattered text), each between
// 3% and 70% of the page, shaped like a card or a passport page (landscape,
// 1.25 to 1.85 wide for 1 high). They come in reading order (top to bottom, left
// to right). A page with none, or filled by one, gives none: it is read
// whole.
//
// Each card may lie at its own angle: the pipeline straightens and reads
// each one apart when the whole page read badly.
func Cards(g *image.Gray) []image.Rectangle {
	b := g.Rect
	cell := max(1, b.Dx()/250)
	w, h := b.Dx()/cell, b.Dy()/cell
	if w < 10 || h < 10 {
		return nil
	}
	mean := make([]int, w*h)
	for cy := range h {
		for cx := range w {
			sum := 0
			for y := cy * cell; y < (cy+1)*cell; y++ {
				row := g.Pix[(y)*g.Stride+cx*cell : y*g.Stride+(cx+1)*cell]
				for _, v := range row {
					sum += int(v)
				}
			}
			mean[cy*w+cx] = sum / (cell * cell)
		}
	}
	// The paper is the brightest common level: the 90th percentile.
	sorted := slices.Clone(mean)
	slices.Sort(sorted)
	paper := sorted[len(sorted)*9/10]
	dark := make([]bool, w*h)
	for i, v := range mean {
		dark[i] = v < paper-8
	}
	// Connected patches (4-neighbours), with their boxes and fill.
	seen := make([]bool, w*h)
	var out []image.Rectangle
	for start := range dark {
		if !dark[start] || seen[start] {
			continue
		}
		var box image.Rectangle
		n := 0
		stack := []int{start}
		seen[start] = true
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%w, i/w
			n++
			box = box.Union(image.Rect(x, y, x+1, y+1))
			for _, j := range [4]int{i - 1, i + 1, i - w, i + w} {
				if j < 0 || j >= len(dark) || seen[j] || !dark[j] || (j == i-1 && x == 0) || (j == i+1 && x == w-1) {
					continue
				}
				seen[j] = true
				stack = append(stack, j)
			}
		}
		area := box.Dx() * box.Dy()
		// An ID-1 card is 1.59 wide for 1 high, a passport's data page
		// 1.42: a patch of another shape (a photo, a shaded band) is not
		// a card.
		aspect := float64(box.Dx()) / float64(box.Dy())
		if area*100 < w*h*3 || area*100 > w*h*70 || n*2 < area || aspect < 1.25 || aspect > 1.85 {
			continue
		}
		out = append(out, image.Rect(box.Min.X*cell, box.Min.Y*cell, box.Max.X*cell, box.Max.Y*cell).Add(b.Min))
	}
	if len(out) > 4 {
		return nil // not cards: a page of shaded boxes
	}
	slices.SortFunc(out, func(a, b image.Rectangle) int {
		if a.Max.Y <= b.Min.Y || b.Max.Y <= a.Min.Y { // one above the other
			return a.Min.Y - b.Min.Y
		}
		return a.Min.X - b.Min.X
	})
	return out
}
