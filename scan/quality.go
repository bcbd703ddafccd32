package scan

import (
	"image"
	"math"
)

// Quality describes how readable a page image is.
type Quality struct {
	MeanGray  float64 `json:"mean_gray"` // 0 black … 255 white
	StdDev    float64 `json:"std_dev"`   // contrast
	Sharpness float64 `json:"sharpness"` // variance of the Laplacian
	Blank     bool    `json:"blank"`     // nothing printed
	Blurry    bool    `json:"blurry"`    // edges too soft to read
	Reason    string  `json:"reason,omitempty"`
}

// Thresholds, calibrated on the fixtures (scan/quality_test.go): a sharp
// 300 dpi text page measures a Laplacian variance in the thousands, the same
// page under a 3-pixel Gaussian blur below 100; a blank page has almost no
// contrast.
const (
	blankStdDev  = 6.0
	blurryLapVar = 150.0
)

// Measure computes page quality on a copy about 1240 pixels wide (150 dpi
// for A4), where blur that hurts OCR still shows.
func Measure(g *image.Gray) Quality {
	b := g.Rect
	step := max(1, b.Dx()/1240)
	w, h := b.Dx()/step, b.Dy()/step
	if w < 3 || h < 3 {
		return Quality{Blank: true, Reason: "page image too small"}
	}
	// Grey levels, and their sums but the variance's, are integers:
	// summed as such they are exact, as the float64 sums were, at a
	// fraction of the cost.
	px := make([]uint8, w*h)
	var sum int
	for y := 0; y < h; y++ {
		row := g.Pix[(y*step)*g.Stride:]
		out := px[y*w : (y+1)*w]
		for x := range out {
			v := row[x*step]
			out[x] = v
			sum += int(v)
		}
	}
	mean := float64(sum) / float64(len(px))
	var sq [256]float64 // (v - mean)², added in the pixels' order as before
	for v := range sq {
		sq[v] = (float64(v) - mean) * (float64(v) - mean)
	}
	var vs float64
	for _, v := range px {
		vs += sq[v]
	}
	q := Quality{MeanGray: mean, StdDev: math.Sqrt(vs / float64(len(px)))}
	// Laplacian over pixels near ink only: a sparse page (an ID photo, a
	// form) is mostly paper, and paper has no edges to measure. Paper is
	// a pixel no darker than the mean less 10 (c > mean-10, c an integer)
	// with a Laplacian within ±10.
	paper := int(math.Floor(mean - 10)) // c > mean-10 ⇔ c > paper
	var ls, ls2, n int
	for y := 1; y < h-1; y++ {
		up, mid, down := px[(y-1)*w:y*w], px[y*w:(y+1)*w], px[(y+1)*w:(y+2)*w]
		for x := 1; x < w-1; x++ {
			c := int(mid[x])
			l := int(up[x]) + int(down[x]) + int(mid[x-1]) + int(mid[x+1]) - 4*c
			// Counted unless flat paper, without a branch: on a noisy
			// scan which way it goes is a coin toss, and mispredicted
			// branches were most of Measure's time.
			k := 1 - b2i(c > paper)&b2i(uint(l+9) < 19) // -10 < l < 10
			ls += l * k
			ls2 += l * l * k
			n += k
		}
	}
	if n > 0 {
		m := float64(ls) / float64(n)
		q.Sharpness = float64(ls2)/float64(n) - m*m
	}
	switch {
	case q.StdDev < blankStdDev:
		q.Blank, q.Reason = true, "page is blank"
	case n < 50 || q.Sharpness < blurryLapVar:
		q.Blurry, q.Reason = true, "page is too blurry to read"
	}
	return q
}

// b2i is 1 for true, 0 for false (compiled to a flag set, not a branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
