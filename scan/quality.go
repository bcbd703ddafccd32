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
	px := make([]float64, w*h)
	var sum float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := float64(g.Pix[(y*step)*g.Stride+x*step])
			px[y*w+x] = v
			sum += v
		}
	}
	mean := sum / float64(len(px))
	var vs float64
	for _, v := range px {
		vs += (v - mean) * (v - mean)
	}
	q := Quality{MeanGray: mean, StdDev: math.Sqrt(vs / float64(len(px)))}
	// Laplacian over pixels near ink only: a sparse page (an ID photo, a
	// form) is mostly paper, and paper has no edges to measure.
	var ls, ls2, n float64
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			c := px[y*w+x]
			l := px[(y-1)*w+x] + px[(y+1)*w+x] + px[y*w+x-1] + px[y*w+x+1] - 4*c
			if c > mean-10 && l > -10 && l < 10 {
				continue // flat paper
			}
			ls += l
			ls2 += l * l
			n++
		}
	}
	if n > 0 {
		m := ls / n
		q.Sharpness = ls2/n - m*m
	}
	switch {
	case q.StdDev < blankStdDev:
		q.Blank, q.Reason = true, "page is blank"
	case n < 50 || q.Sharpness < blurryLapVar:
		q.Blurry, q.Reason = true, "page is too blurry to read"
	}
	return q
}
