package scan

import (
	"image"
	"math"
)

// Tesseract's documentation (FAQ, "Is there a minimum text size?"): at
// 10 pt and 300 dpi x-heights are about 20 pixels, accuracy drops off
// below that size, and below an x-height of 10 pixels there is very
// little chance of accurate results. TextScale enlarges only pages under
// that floor, to the 300 dpi size.
//
// Measured here (tessdata_fast, generated bills, mean confidence and
// words): 150 dpi bilevel faxes with x-heights of 11–13 px read as well
// unscaled (91.8/81 words vs 90.5/81 at ×1.54; 91.4 vs 91.6; 92.3 vs
// 92.2 at ×1.82), and so did the same faxes brought down to 100 dpi
// (x-height 8: 87.3 vs 87.4, the issue date lost once scaled): the LSTM
// engine rescales each text line itself. Upscaling costs OCR time in
// proportion to pixels, so the floor is the documentation's, not higher.
const (
	targetXHeight     = 20.0
	minXHeightToScale = 10.0
	maxTextScale      = 3.0
	// maxScaledPixels: never more than an A4 page at 300 dpi, the size
	// the OCR budget is reckoned on (STACK.md: about 1.5 s a page).
	maxScaledPixels = 9_000_000
)

// XHeight estimates the x-height of a page's running text in pixels: the
// most common height of ink blobs shaped like lower-case letters (not much
// wider than tall, not a line or a speck). It returns 0 when the page has
// too few such blobs to tell.
func XHeight(g *image.Gray) float64 {
	thr := otsu(g)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	seen := make([]bool, w*h)
	hist := make([]int, 128)
	var stack []int
	n := 0
	for start := range seen {
		x0, y0 := start%w, start/w
		if seen[start] || g.Pix[y0*g.Stride+x0] >= thr {
			continue
		}
		seen[start] = true
		stack = append(stack[:0], start)
		minX, maxX, minY, maxY, area := x0, x0, y0, y0, 0
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%w, i/w
			area++
			minX, maxX, minY, maxY = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					j := yy*w + xx
					if !seen[j] && g.Pix[yy*g.Stride+xx] < thr {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		bw, bh := maxX-minX+1, maxY-minY+1
		if bh < 4 || bh >= len(hist) || bw > 2*bh || bw*3 < bh || area*5 < bw*bh {
			continue
		}
		hist[bh]++
		n++
	}
	if n < 30 {
		return 0
	}
	// The mode, on counts smoothed over neighbouring heights: a letter's
	// height varies by a pixel with its position on the grid.
	best, at := 0, 0
	for i := 1; i < len(hist)-1; i++ {
		if s := hist[i-1] + 2*hist[i] + hist[i+1]; s > best {
			best, at = s, i
		}
	}
	return float64(at)
}

// TextScale is the factor by which to enlarge a page whose text is too
// small for Tesseract (x-height under minXHeightToScale pixels) to bring
// its x-height to targetXHeight, within maxScaledPixels; 1 for any other
// page. Call it on sharp pages only (Measure not Blurry): blur melts
// letters into specks and words, and the x-height read is then noise.
func TextScale(g *image.Gray) float64 {
	xh := XHeight(g)
	if xh == 0 || xh >= minXHeightToScale {
		return 1
	}
	f := min(maxTextScale, targetXHeight/xh)
	if px := float64(g.Rect.Dx()) * float64(g.Rect.Dy()); px*f*f > maxScaledPixels {
		f = math.Sqrt(maxScaledPixels / px)
	}
	return max(1, f)
}

// otsu returns the grey level that best separates a page's histogram into
// two classes (ink below it).
func otsu(g *image.Gray) uint8 {
	var hist [256]float64
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := range h {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+w] {
			hist[v]++
		}
	}
	total := float64(w * h)
	var sum float64
	for i, c := range hist {
		sum += float64(i) * c
	}
	var sumB, wB, best float64
	thr := 128
	for t := range 256 {
		wB += hist[t]
		if wB == 0 {
			continue
		}
		wF := total - wB
		if wF == 0 {
			break
		}
		sumB += float64(t) * hist[t]
		mB, mF := sumB/wB, (sum-sumB)/wF
		if v := wB * wF * (mB - mF) * (mB - mF); v > best {
			best, thr = v, t+1
		}
	}
	return uint8(min(255, thr))
}
