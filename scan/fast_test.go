package scan_test

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"testing"

	"dossiercheck/fixtures"
	"dossiercheck/scan"
)

// rotateBySample is Rotate as it sampled each pixel (scan.Bilinear), the
// reference its rows are held to, on a canvas of Rotate's size (nw×nh).
func rotateBySample(g *image.Gray, deg float64, nw, nh int) *image.Gray {
	rad := deg * math.Pi / 180
	sin, cos := math.Sin(rad), math.Cos(rad)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	for y := range nh {
		dy := float64(y) + 0.5 - float64(nh)/2
		for x := range nw {
			dx := float64(x) + 0.5 - float64(nw)/2
			v, ok := scan.Bilinear(g, dx*cos-dy*sin+float64(w)/2-0.5, dx*sin+dy*cos+float64(h)/2-0.5)
			if !ok {
				v = 0xFF
			}
			out.Pix[y*out.Stride+x] = v
		}
	}
	return out
}

// Rotate gives the grey levels sampling each pixel gives, and the same
// white beyond the page, on a sub-image too, at the angles deskewing
// meets and past them.
func TestRotateAsSampled(t *testing.T) {
	page := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: page0Issue}.Render(100), fixtures.Defects{Noise: 6, Seed: 3})
	sub := page.SubImage(image.Rect(37, 51, 700, 900)).(*image.Gray)
	for _, tt := range []struct {
		name string
		g    *image.Gray
		deg  float64
	}{
		{"page", page, 3}, {"page", page, -0.3}, {"page", page, 7.9}, {"page", page, -8},
		{"sub-image", sub, 2.1}, {"sub-image", sub, -5.5}, {"page", page, 0},
	} {
		got := scan.Rotate(tt.g, tt.deg)
		want := rotateBySample(tt.g, tt.deg, got.Rect.Dx(), got.Rect.Dy())
		if got.Rect != want.Rect {
			t.Fatalf("%s %v°: frame %v, want %v", tt.name, tt.deg, got.Rect, want.Rect)
		}
		for i := range want.Pix {
			if got.Pix[i] != want.Pix[i] {
				t.Fatalf("%s %v°: pixel %d is %d, sampled %d", tt.name, tt.deg, i, got.Pix[i], want.Pix[i])
			}
		}
	}
}

// A colour JPEG decodes to the grey bytes draw.Draw made of it, on
// every chroma subsampling Go's decoder meets, and from a sub-image.
func TestGrayYCbCrAsDraw(t *testing.T) {
	grey := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: page0Issue}.Render(100), fixtures.Defects{Noise: 6, Seed: 4})
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		src := image.NewYCbCr(grey.Rect, ratio)
		for y := range grey.Rect.Dy() {
			for x := range grey.Rect.Dx() {
				src.Y[src.YOffset(x, y)] = grey.Pix[y*grey.Stride+x]
				// Saturated colours too, where RGB clamps.
				src.Cb[src.COffset(x, y)], src.Cr[src.COffset(x, y)] = uint8(x*7), uint8(255-y*3)
			}
		}
		for _, img := range []image.Image{src, src.SubImage(image.Rect(13, 21, 400, 333))} {
			b := img.Bounds()
			want := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
			draw.Draw(want, want.Rect, img, b.Min, draw.Src)
			if got := scan.Gray(img); got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
				t.Errorf("%v %v: grey differs from draw.Draw's", ratio, b)
			}
		}
	}
	var buf bytes.Buffer
	rgb := image.NewRGBA(grey.Rect)
	for i, v := range grey.Pix {
		rgb.Pix[4*i], rgb.Pix[4*i+1], rgb.Pix[4*i+2], rgb.Pix[4*i+3] = v, v/2, 255-v, 0xFF
	}
	if err := jpeg.Encode(&buf, rgb, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	got, err := scan.Decode(buf.Bytes(), scan.DefaultMaxPixels)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// libjpeg decodes the luminance alone; its IDCT rounds otherwise
	// than Go's, by a grey level or two.
	y := ref.(*image.YCbCr)
	if worst := maxDiff(got, y.Y, y.YStride); worst > 2 {
		t.Errorf("colour JPEG: luminance differs from Go's by up to %d grey levels", worst)
	}
}

// Measure on a few pages: what it measured in floating point, exactly.
func TestMeasureAsFloat(t *testing.T) {
	for _, g := range []*image.Gray{
		fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: page0Issue}.Render(300), fixtures.Defects{Noise: 6, Seed: 1}),
		fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: page0Issue}.Render(300), fixtures.Defects{Blur: 3, Seed: 1}),
		fixtures.Photo(300),
	} {
		if got, want := scan.Measure(g), measureFloat(g); got != want {
			t.Errorf("measured %+v, in floating point %+v", got, want)
		}
	}
}

// measureFloat is Measure as it summed in floating point.
func measureFloat(g *image.Gray) scan.Quality {
	b := g.Rect
	step := max(1, b.Dx()/1240)
	w, h := b.Dx()/step, b.Dy()/step
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
	q := scan.Quality{MeanGray: mean, StdDev: math.Sqrt(vs / float64(len(px)))}
	var ls, ls2, n float64
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			c := px[y*w+x]
			l := px[(y-1)*w+x] + px[(y+1)*w+x] + px[y*w+x-1] + px[y*w+x+1] - 4*c
			if c > mean-10 && l > -10 && l < 10 {
				continue
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
	case q.StdDev < 6:
		q.Blank, q.Reason = true, "page is blank"
	case n < 50 || q.Sharpness < 150:
		q.Blurry, q.Reason = true, "page is too blurry to read"
	}
	return q
}

// maxDiff is the largest difference between g and the plane pix (of
// stride stride) over g's pixels.
func maxDiff(g *image.Gray, pix []uint8, stride int) int {
	worst := 0
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			d := int(g.Pix[y*g.Stride+x]) - int(pix[y*stride+x])
			worst = max(worst, d, -d)
		}
	}
	return worst
}
