package scan

import (
	"image"
	"math"
)

// Skew estimates a page's skew in degrees by projection profile: text lines
// make the row histogram of dark pixels spiky when the page is straight. It
// looks within ±maxSkew degrees, on a downscaled copy (about 100 ms a page).
func Skew(g *image.Gray) float64 {
	const maxSkew = 8.0
	pts, w := darkPoints(g, 900)
	if len(pts) < 50 {
		return 0
	}
	prof := newProfiler(pts, w)
	score := prof.score
	best, bestScore := 0.0, score(0)
	search := func(from, to, step float64) {
		for a := from; a <= to+1e-9; a += step {
			if sc := score(a); sc > bestScore {
				best, bestScore = a, sc
			}
		}
	}
	search(-maxSkew, maxSkew, 0.5)
	search(best-0.5, best+0.5, 0.1)
	return best
}

// profiler scores the angles Skew tries on one page's dark points, with
// one histogram for all of them (it cost more to allocate and clear a
// histogram per angle than to fill it).
type profiler struct {
	x, y []float64
	bins []int32
}

func newProfiler(pts []image.Point, w int) *profiler {
	p := &profiler{x: make([]float64, len(pts)), y: make([]float64, len(pts))}
	bottom := 0
	for i, pt := range pts {
		p.x[i], p.y[i] = float64(pt.X), float64(pt.Y)
		bottom = max(bottom, pt.Y)
	}
	// A point turned lies within x+y of the axis, less than w+bottom+1
	// either way: as many bins as that, and no more. score clears and
	// sums them all for every angle, and the points' count, the bound
	// used before, made a scanned page's histogram 6 to 20 times larger.
	p.bins = make([]int32, 2*(w+bottom+1))
	return p
}

// score is the sum of squares of the histogram of the points projected
// on rows turned by deg: largest when the rows follow the lines of text.
func (p *profiler) score(deg float64) float64 {
	rad := deg * math.Pi / 180
	s, c := math.Sin(rad), math.Cos(rad)
	bins := p.bins
	clear(bins)
	n := len(bins)
	ys := p.y[:len(p.x)]
	for i, x := range p.x {
		y := int(ys[i]*c-x*s) + n/2
		if y >= 0 && y < n {
			bins[y]++
		}
	}
	// Squares of counts summed as integers: exact, as float64 sums of
	// them were.
	var sum int64
	for _, b := range bins {
		sum += int64(b) * int64(b)
	}
	return float64(sum)
}

// darkPoints samples the page to about width columns and returns the dark
// pixels' coordinates.
func darkPoints(g *image.Gray, width int) ([]image.Point, int) {
	b := g.Rect
	step := max(1, b.Dx()/width)
	var sum, n int
	for y := 0; y < b.Dy(); y += step {
		row := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
		for x := 0; x < len(row); x += step {
			sum += int(row[x])
			n++
		}
	}
	if n == 0 {
		return nil, 0
	}
	thr := uint8(sum / n * 6 / 10) // well below the paper's grey
	var pts []image.Point
	for y := 0; y < b.Dy(); y += step {
		row := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
		for x := 0; x < len(row); x += step {
			if row[x] < thr {
				pts = append(pts, image.Point{x / step, y / step})
			}
		}
	}
	return pts, b.Dx() / step
}

// Deskew straightens a page whose skew exceeds a quarter of a degree and
// returns the angle it corrected.
func Deskew(g *image.Gray) (*image.Gray, float64) {
	a := Skew(g)
	if math.Abs(a) < 0.25 {
		return g, 0
	}
	// The profile peaks when rows are rotated by a; the page is straightened
	// by rotating it the same way, counter-clockwise.
	return Rotate(g, a), a
}

// Rotate turns a grey page counter-clockwise by deg degrees with bilinear
// interpolation, on a canvas grown to hold the whole page, filling the
// corners with white. Working on grey bytes directly is about 5× faster
// than a general RGBA rotation (docs/stack.md: deskew is on every page).
// Each row is sampled as Bilinear samples, the same arithmetic giving the
// same grey levels (a rotated page reads as it did), but only over the run
// of pixels whose neighbours all lie on the page, with no call, floor or
// bounds test per pixel: about 1.8× faster again. Fixed-point weights
// were faster still (3×) but moved a few hundred grey levels a page by
// one, and with them the OCR's confidences.
func Rotate(g *image.Gray, deg float64) *image.Gray {
	rad := deg * math.Pi / 180
	sin, cos := math.Sin(rad), math.Cos(rad)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	nw := int(math.Ceil(math.Abs(float64(w)*cos) + math.Abs(float64(h)*sin)))
	nh := int(math.Ceil(math.Abs(float64(w)*sin) + math.Abs(float64(h)*cos)))
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	cx, cy := float64(w)/2, float64(h)/2
	ncx, ncy := float64(nw)/2, float64(nh)/2
	pix, stride := g.Pix, g.Stride
	// dx·cos and dx·sin of each column, the same products for every row.
	dxCos, dxSin := make([]float64, nw), make([]float64, nw)
	for x := range nw {
		dx := float64(x) + 0.5 - ncx
		dxCos[x], dxSin[x] = dx*cos, dx*sin
	}
	for y := 0; y < nh; y++ {
		dy := float64(y) + 0.5 - ncy
		dySin, dyCos := dy*sin, dy*cos
		row := out.Pix[y*out.Stride : y*out.Stride+nw]
		// Inverse mapping: where in the source this pixel comes from
		// (image y points down, so a counter-clockwise turn on screen
		// uses these signs).
		at := func(x int) (float64, float64) {
			return dxCos[x] - dySin + cx - 0.5, dxSin[x] + dyCos + cy - 0.5
		}
		// Bilinear's test: the four neighbours on the page. Within the
		// run sx and sy are not negative, so int() is their floor.
		inside := func(x int) bool {
			sx, sy := at(x)
			return sx >= 0 && sy >= 0 && int(sx)+1 < w && int(sy)+1 < h
		}
		from, to := span(inside, nw, at, w, h)
		for x := range row[:from] {
			row[x] = 0xFF // paper beyond the page's edge
		}
		for x := range row[to:] {
			row[to+x] = 0xFF
		}
		run := row[from:to]
		xc, xs := dxCos[from:to:to], dxSin[from:to:to]
		xc, xs = xc[:len(run)], xs[:len(run)]
		for k := range run {
			sx, sy := xc[k]-dySin+cx-0.5, xs[k]+dyCos+cy-0.5
			x0, y0 := int(sx), int(sy)
			fx, fy := sx-float64(x0), sy-float64(y0)
			// The four neighbours as two pairs: one bounds check a pair.
			i := y0*stride + x0
			a, c := pix[i:i+2:i+2], pix[i+stride:i+stride+2:i+stride+2]
			top := grey[a[0]]*(1-fx) + grey[a[1]]*fx
			bot := grey[c[0]]*(1-fx) + grey[c[1]]*fx
			// Through int: the same truncation (the value is within
			// 0…255.5), without the conversion to unsigned's branches.
			run[k] = uint8(int(top*(1-fy) + bot*fy + 0.5))
		}
	}
	return out
}

// grey holds each grey level as a float64: a load costs less than a
// conversion, four times a pixel.
var grey = func() (t [256]float64) {
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

// span returns the run [from, to) of a row's nw pixels for which inside
// holds, at(x) being where pixel x samples a w×h source: estimated from
// the row's ends, a straight line, then settled with inside itself (the
// pixels inside are one run: the row crosses the page once).
func span(inside func(int) bool, nw int, at func(int) (float64, float64), w, h int) (from, to int) {
	u, v := at(0)
	u1, v1 := at(1)
	du, dv := u1-u, v1-v
	lo, hi := 0.0, float64(nw)
	clip := func(p, dp, limit float64) { // 0 ≤ p + x·dp < limit
		switch {
		case dp > 0:
			lo, hi = max(lo, -p/dp), min(hi, (limit-p)/dp)
		case dp < 0:
			lo, hi = max(lo, (limit-p)/dp), min(hi, -p/dp)
		case p < 0 || p >= limit:
			hi = lo
		}
	}
	clip(u, du, float64(w-1))
	clip(v, dv, float64(h-1))
	if hi <= lo {
		return 0, 0
	}
	from, to = min(nw, max(0, int(math.Ceil(lo)))), min(nw, max(0, int(math.Floor(hi))+1))
	for from < to && !inside(from) {
		from++
	}
	for from > 0 && inside(from-1) {
		from--
	}
	for to > from && !inside(to-1) {
		to--
	}
	for to < nw && inside(to) {
		to++
	}
	return from, to
}

// Rotate180 turns a page upside down (or back): a scan fed the wrong way.
func Rotate180(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		src := g.Pix[(y)*g.Stride : y*g.Stride+w]
		dst := out.Pix[(h-1-y)*out.Stride : (h-1-y)*out.Stride+w]
		for x := 0; x < w; x++ {
			dst[w-1-x] = src[x]
		}
	}
	return out
}

// Rotate90 turns a page a quarter turn clockwise (cw) or anticlockwise: a
// portrait page scanned in landscape.
func Rotate90(g *image.Gray, cw bool) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range row {
			if cw {
				out.Pix[x*out.Stride+(h-1-y)] = v
			} else {
				out.Pix[(w-1-x)*out.Stride+y] = v
			}
		}
	}
	return out
}

// ReadArea is the part of a page turned by Deskew that is worth reading:
// a frame of the size the page had before (w×h) in the middle of the
// grown canvas, grown again to hold any ink found outside it, with a
// margin. The canvas' extra width and height (11% more pixels at 3°)
// are the page's corners turned out and white fill: Tesseract read the
// whole canvas about 2% slower, for the same words.
func ReadArea(straight *image.Gray, w, h int) image.Rectangle {
	b := straight.Rect
	frame := image.Rect(0, 0, w, h).Add(b.Min).Add(image.Pt((b.Dx()-w)/2, (b.Dy()-h)/2)).Intersect(b)
	ink, ok := inkOutside(straight, frame, meanGrey(straight)*3/4)
	if !ok {
		return frame
	}
	margin := min(b.Dx(), b.Dy()) / 50
	return frame.Union(ink.Inset(-margin)).Intersect(b)
}

// meanGrey is the mean grey of every eighth pixel of every eighth row:
// the paper's level, near enough, on a page that is mostly paper.
func meanGrey(g *image.Gray) int {
	sum, n := 0, 0
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y += 8 {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x += 8 {
			sum += int(g.Pix[g.PixOffset(x, y)])
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// inkOutside is the bounding box of the pixels of g outside frame that
// are darker than thr; ok is false when there are none.
func inkOutside(g *image.Gray, frame image.Rectangle, thr int) (image.Rectangle, bool) {
	var box image.Rectangle
	found := false
	add := func(x, y int) {
		p := image.Rect(x, y, x+1, y+1)
		if !found {
			box, found = p, true
			return
		}
		box = box.Union(p)
	}
	scanRow := func(y, from, to int) {
		row := g.Pix[g.PixOffset(from, y):g.PixOffset(to, y)]
		for i, v := range row {
			if int(v) < thr {
				add(from+i, y)
			}
		}
	}
	b := g.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		if y < frame.Min.Y || y >= frame.Max.Y {
			scanRow(y, b.Min.X, b.Max.X)
			continue
		}
		scanRow(y, b.Min.X, frame.Min.X)
		scanRow(y, frame.Max.X, b.Max.X)
	}
	return box, found
}
