package scan

import (
	"image"
	"math"
	"slices"
)

// Finding a page (or a card) photographed on a table, and straightening it.
//
// The outline is found on a copy about findWidth pixels on its long side,
// in the logarithm of the grey level: a page's edge is a step of the same
// size in the log whatever the light falling on it (a ratio), while a
// vignette or a lamp's gradient changes the log slowly. Every pixel the
// background reaches from the frame's border without crossing an edge is
// background; the largest region left is the document, whether lighter or
// darker than what it lies on, with everything printed inside it. The
// outline is then fitted at full resolution, edge by edge.
const (
	findWidth = 400
	// minStep: a page is "clearly found" when it is at least 1.5 times
	// lighter (or darker) than what it lies on, all round. The edge map
	// marks log steps of 80% of log(1.5) measured over 4 pixels of the
	// smoothed copy, which a step spreads over, so that a page of just
	// that contrast still closes its outline.
	minStep   = 1.5
	edgeLog   = 0.8 * 0.405465 // 0.8 × ln(1.5)
	minFill   = 0.90           // the region fills its quadrilateral
	minArea   = 0.05           // of the frame: smaller is a stain, not a document
	fullFrame = 0.95           // a quad this big already fills the frame
	// maxBusy is the most edge pixels the background may hold, as a
	// share of its area. Measured on the copy: generated phone photos on
	// wood, cloth and laminate 0–1.0%; scanned identity cards around
	// their portrait (which is darker than the card all round) 13–15%;
	// the threshold sits between, nearer the photos (real tables can be
	// busier, and then the page is left alone, as it should be when in
	// doubt).
	maxBusy = 0.04
)

// FindPage finds the outline of the document photographed on a
// background: quad holds its corners (top-left, top-right, bottom-right,
// bottom-left, as the document lies in the frame). ok is false unless the
// outline is clear all round: a plain scan whose page fills the frame, a
// page cut by the frame's edge, a document too close in grey to its
// background.
func FindPage(g *image.Gray) (quad [4]image.Point, ok bool) {
	q, ok := findQuad(g)
	if !ok {
		return quad, false
	}
	for i, p := range q {
		quad[i] = image.Pt(int(math.Round(p[0]))+g.Rect.Min.X, int(math.Round(p[1]))+g.Rect.Min.Y)
	}
	return quad, true
}

// Straightened says what Straighten did to a page image.
type Straightened struct {
	Found bool            `json:"found"`          // a document was found on a background
	Quad  [4]image.Point  `json:"quad,omitempty"` // its corners in the uploaded image
	Size  image.Rectangle `json:"-"`              // the straightened image's frame
	// Unevenness of the light on the straightened document, and whether
	// EvenLight was applied (above minUneven).
	Unevenness float64 `json:"unevenness,omitempty"`
	Evened     bool    `json:"evened,omitempty"`
}

// minUneven: a document found on a background is evened when its light
// is more uneven than this. Measured: flatbed scans of pages 0.00–0.08;
// generated phone photos, once straightened, 0.09–0.66. Evening never
// cost OCR confidence on the pages measured (clean scans 93.4→93.4,
// 93.6→93.6; a photo at 0.15 93.4→93.9; scanned identity cards
// 87.1→87.1, 88.0→88.5), while a straightened photo left uneven lost half
// its words (bills at 0.33 and 0.42: 31 and 41 words instead of 59 and
// 81): Tesseract's global threshold blackens the dim paper once the
// table no longer sets it. Unevenness cannot tell dim light from large
// dark print (a card's portrait measures 0.40, a card on a page 0.08 to
// 0.19): only documents found on a background are evened, never a scan.
const minUneven = 0.10

// Straighten crops a document photographed on a background, corrects
// its perspective and, when its light is uneven, evens it (EvenLight);
// any other image (a scan filling its frame, an outline in doubt) comes
// back unchanged. Call it before Measure and Deskew: Measure's blur test
// reads dim paper as ink, and flags a sharp photo left uneven (sharpness
// 74–132 straightened, 249–1473 straightened and evened). Flatbed scans
// are never evened: their light is even, and the dark patches on them (a
// card on a page, a card's portrait) are print that EvenLight would
// bleach.
func Straighten(g *image.Gray) (*image.Gray, Straightened) {
	q, ok := findQuad(g)
	if !ok || quadArea(q) > fullFrame*float64(g.Rect.Dx()*g.Rect.Dy()) {
		return g, Straightened{}
	}
	var st Straightened
	st.Found = true
	for i, p := range q {
		st.Quad[i] = image.Pt(int(math.Round(p[0]))+g.Rect.Min.X, int(math.Round(p[1]))+g.Rect.Min.Y)
	}
	// Pull the corners in by 0.5% towards the middle: the outline runs
	// through the blurred step, whose outer half is the table.
	var cx, cy float64
	for _, p := range q {
		cx, cy = cx+p[0]/4, cy+p[1]/4
	}
	for i, p := range q {
		q[i] = [2]float64{p[0] + (cx-p[0])*0.005, p[1] + (cy-p[1])*0.005}
	}
	side := func(a, b [2]float64) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }
	// The far side of a tilted page is drawn smaller: the near side's
	// length keeps the resolution the photo has.
	w := int(math.Round(max(side(q[0], q[1]), side(q[3], q[2]))))
	h := int(math.Round(max(side(q[0], q[3]), side(q[1], q[2]))))
	out := warp(g, q, w, h)
	if r, ok := upright(q); ok {
		// A page lying square in the frame (a scanner's dark lid
		// around it): cropped as it is, not resampled.
		out = Gray(g.SubImage(r.Add(g.Rect.Min)))
	}
	st.Size = out.Rect
	light := paperLevel(out)
	if st.Unevenness = light.unevenness(); st.Unevenness > minUneven {
		out, st.Evened = light.even(out), true
	}
	return out, st
}

// upright returns the rectangle q is, when each of its corners lies
// within a pixel of the rectangle's.
func upright(q [4][2]float64) (image.Rectangle, bool) {
	r := image.Rect(int(math.Ceil(max(q[0][0], q[3][0]))), int(math.Ceil(max(q[0][1], q[1][1]))),
		int(math.Floor(min(q[1][0], q[2][0]))), int(math.Floor(min(q[2][1], q[3][1]))))
	corners := [4][2]float64{{float64(r.Min.X), float64(r.Min.Y)}, {float64(r.Max.X), float64(r.Min.Y)},
		{float64(r.Max.X), float64(r.Max.Y)}, {float64(r.Min.X), float64(r.Max.Y)}}
	for i, c := range corners {
		if math.Hypot(c[0]-q[i][0], c[1]-q[i][1]) > 1.5 {
			return r, false
		}
	}
	return r, !r.Empty()
}

// Warp maps the quadrilateral quad of g (corners in FindPage's order) onto
// a w×h image by a homography, with bilinear interpolation.
func Warp(g *image.Gray, quad [4]image.Point, w, h int) *image.Gray {
	var q [4][2]float64
	for i, p := range quad {
		q[i] = [2]float64{float64(p.X - g.Rect.Min.X), float64(p.Y - g.Rect.Min.Y)}
	}
	return warp(g, q, w, h)
}

func warp(g *image.Gray, q [4][2]float64, w, h int) *image.Gray {
	w, h = max(1, w), max(1, h)
	rect := [4][2]float64{{0, 0}, {float64(w), 0}, {float64(w), float64(h)}, {0, float64(h)}}
	m := Homography(rect, q) // from the output back to the photo
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		Y := float64(y) + 0.5
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		// Numerators and denominator are linear in X along the row.
		nu, nv, d := m[1]*Y+m[2], m[4]*Y+m[5], m[7]*Y+1
		for x := range row {
			X := float64(x) + 0.5
			dd := m[6]*X + d
			row[x] = orWhite(Bilinear(g, (m[0]*X+nu)/dd-0.5, (m[3]*X+nv)/dd-0.5))
		}
	}
	return out
}

// Bilinear interpolates g at (u, v), pixel centres at integer
// coordinates; ok is false outside the pixels that surround it.
func Bilinear(g *image.Gray, u, v float64) (uint8, bool) {
	x0, y0 := int(math.Floor(u)), int(math.Floor(v))
	if x0 < 0 || y0 < 0 || x0+1 >= g.Rect.Dx() || y0+1 >= g.Rect.Dy() {
		return 0, false
	}
	fx, fy := u-float64(x0), v-float64(y0)
	i := y0*g.Stride + x0
	top := float64(g.Pix[i])*(1-fx) + float64(g.Pix[i+1])*fx
	bot := float64(g.Pix[i+g.Stride])*(1-fx) + float64(g.Pix[i+g.Stride+1])*fx
	return uint8(top*(1-fy) + bot*fy + 0.5), true
}

// orWhite is a Bilinear sample, white where there is none: paper beyond
// the page's edge.
func orWhite(v uint8, ok bool) uint8 {
	if !ok {
		return 0xFF
	}
	return v
}

// Homography returns the 8 coefficients of the projective map taking the
// four points from onto to: (ax+by+c)/(gx+hy+1), (dx+ey+f)/(gx+hy+1),
// solved by Gaussian elimination with partial pivoting.
func Homography(from, to [4][2]float64) [8]float64 {
	var a [8][9]float64
	for i := range 4 {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := range 8 {
		p := c
		for k := c + 1; k < 8; k++ {
			if math.Abs(a[k][c]) > math.Abs(a[p][c]) {
				p = k
			}
		}
		a[c], a[p] = a[p], a[c]
		for k := range 8 {
			if k != c {
				f := a[k][c] / a[c][c]
				for j := c; j < 9; j++ {
					a[k][j] -= f * a[c][j]
				}
			}
		}
	}
	var m [8]float64
	for i := range 8 {
		m[i] = a[i][8] / a[i][i]
	}
	return m
}

// small is a downscaled copy of a page in log grey levels.
type small struct {
	w, h int
	cell int       // full-resolution pixels per side of one small pixel
	v    []float64 // log(1+grey)
}

// shrink averages cells of g into a copy about findWidth on its long side
// and smooths it twice with a 3×3 box, which blurs away paper grain,
// print, and the texture of a table or a cloth.
func shrink(g *image.Gray) small {
	cell := max(1, max(g.Rect.Dx(), g.Rect.Dy())/findWidth)
	mean, w, h := blockMeans(g, cell)
	s := small{w: w, h: h, cell: cell, v: mean}
	for i, m := range mean {
		s.v[i] = math.Log(1 + m)
	}
	s.v = boxBlur(boxBlur(s.v, w, h), w, h)
	return s
}

// blockMeans averages g over cells of cell×cell pixels (a partial cell at
// the right or bottom edge is dropped), on a w×h grid.
func blockMeans(g *image.Gray, cell int) (mean []float64, w, h int) {
	w, h = g.Rect.Dx()/cell, g.Rect.Dy()/cell
	// Each band of cell rows is summed column by column first, a plain
	// loop over the pixels, then the columns cell by cell: the same
	// integer sums, without a short inner loop for every cell of every
	// row.
	cols := make([]int, w*cell)
	mean = make([]float64, w*h)
	n := float64(cell * cell)
	for by := range h {
		clear(cols)
		for y := by * cell; y < (by+1)*cell; y++ {
			row := g.Pix[y*g.Stride : y*g.Stride+len(cols)]
			for x, v := range row {
				cols[x] += int(v)
			}
		}
		out := mean[by*w : (by+1)*w]
		for i := range out {
			s := 0
			for _, t := range cols[i*cell : (i+1)*cell] {
				s += t
			}
			out[i] = float64(s) / n
		}
	}
	return mean, w, h
}

// boxBlur averages each pixel with its 3×3 neighbours (clamped at edges).
func boxBlur(v []float64, w, h int) []float64 {
	out := make([]float64, len(v))
	for y := range h {
		up, mid, down := v[max(0, y-1)*w:][:w], v[y*w:][:w], v[min(h-1, y+1)*w:][:w]
		row := out[y*w:][:w]
		for x := range row {
			l, r := max(0, x-1), min(w-1, x+1)
			// Added in the order the 3×3 loop added them, row by row.
			row[x] = (up[l] + up[x] + up[r] + mid[l] + mid[x] + mid[r] + down[l] + down[x] + down[r]) / 9
		}
	}
	return out
}

// findQuad returns the document's corners in g's pixel coordinates
// (relative to g.Rect.Min).

func findQuad(g *image.Gray) ([4][2]float64, bool) {
	var none [4][2]float64
	s := shrink(g)
	w, h := s.w, s.h
	if w < 20 || h < 20 {
		return none, false
	}
	at := func(x, y int) float64 { return s.v[min(h-1, max(0, y))*w+min(w-1, max(0, x))] }
	edge := make([]bool, w*h)
	for y := range h {
		for x := range w {
			gx := at(x+2, y) - at(x-2, y)
			gy := at(x, y+2) - at(x, y-2)
			edge[y*w+x] = gx*gx+gy*gy > edgeLog*edgeLog
		}
	}
	// The background: what the frame's border reaches.
	reached := make([]bool, w*h)
	var stack []int
	push := func(i int) {
		if !reached[i] && !edge[i] {
			reached[i] = true
			stack = append(stack, i)
		}
	}
	for x := range w {
		push(x)
		push((h-1)*w + x)
	}
	for y := range h {
		push(y * w)
		push(y*w + w - 1)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := i%w, i/w
		if x > 0 {
			push(i - 1)
		}
		if x < w-1 {
			push(i + 1)
		}
		if y > 0 {
			push(i - w)
		}
		if y < h-1 {
			push(i + w)
		}
	}
	// The largest region left, with the edge pixels around it: its edge
	// pixels belong to it half, and dropping them would shrink the outline.
	region, n := largestUnreached(reached, w, h)
	if n < int(minArea*float64(w*h)) {
		return none, false
	}
	var pts [][2]float64
	for i, in := range region {
		if !in {
			continue
		}
		x, y := i%w, i/w
		if x == 0 || y == 0 || x == w-1 || y == h-1 {
			return none, false // cut by the frame
		}
		if !region[i-1] || !region[i+1] || !region[i-w] || !region[i+w] {
			pts = append(pts, [2]float64{float64(x) + 0.5, float64(y) + 0.5})
		}
	}
	// What the document lies on is plain: a table, a cloth. Print around a
	// region (a card's portrait amid its text) makes it part of a page.
	bgEdges := 0
	for i, e := range edge {
		if e && !region[i] {
			bgEdges++
		}
	}
	if float64(bgEdges) > maxBusy*float64(w*h-n) {
		return none, false // print around it: a box on a page, not a page on a table
	}
	hull := convexHull(pts)
	if len(hull) < 4 {
		return none, false
	}
	q := hullQuad(hull)
	if !plausible(q) || float64(n) < minFill*quadArea(q) {
		return none, false
	}
	// To full resolution, then each side fitted to the step.
	c := float64(s.cell)
	for i := range q {
		q[i] = [2]float64{q[i][0] * c, q[i][1] * c}
	}
	fine, ok := refine(g, q, c)
	if !ok || !plausible(fine) || !contrasted(g, fine, c) {
		return none, false
	}
	return fine, true
}

// largestUnreached labels the 4-connected regions the flood did not
// reach and returns the largest one.
func largestUnreached(reached []bool, w, h int) ([]bool, int) {
	label := make([]int32, w*h)
	best, bestN := int32(0), 0
	next := int32(0)
	var stack []int
	for start := range reached {
		if reached[start] || label[start] != 0 {
			continue
		}
		next++
		label[start] = next
		stack = append(stack[:0], start)
		n := 0
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			x := i % w
			for _, j := range [4]int{i - 1, i + 1, i - w, i + w} {
				if j < 0 || j >= len(reached) || (j == i-1 && x == 0) || (j == i+1 && x == w-1) || reached[j] || label[j] != 0 {
					continue
				}
				label[j] = next
				stack = append(stack, j)
			}
		}
		if n > bestN {
			best, bestN = next, n
		}
	}
	region := make([]bool, w*h)
	for i, l := range label {
		region[i] = l == best && best != 0
	}
	return region, bestN
}

// convexHull: Andrew's monotone chain, counter-clockwise in image
// coordinates seen with y down (clockwise on screen).
func convexHull(pts [][2]float64) [][2]float64 {
	if len(pts) < 3 {
		return nil
	}
	pts = slices.Clone(pts)
	slices.SortFunc(pts, func(a, b [2]float64) int {
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		switch {
		case a[1] < b[1]:
			return -1
		case a[1] > b[1]:
			return 1
		}
		return 0
	})
	cross := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	var hull [][2]float64
	for _, p := range pts {
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(pts) - 2; i >= 0; i-- {
		p := pts[i]
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	return hull[:len(hull)-1]
}

// hullQuad picks four hull points spanning a quadrilateral of the largest
// area: the two farthest apart (a diagonal), then the farthest from that
// diagonal on each side. It returns them top-left first, clockwise on
// screen.
func hullQuad(hull [][2]float64) [4][2]float64 {
	d2 := func(a, b [2]float64) float64 { return (a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) }
	var a, b [2]float64
	best := -1.0
	for i := range hull {
		for j := i + 1; j < len(hull); j++ {
			if d := d2(hull[i], hull[j]); d > best {
				best, a, b = d, hull[i], hull[j]
			}
		}
	}
	var c, d [2]float64
	hi, lo := 0.0, 0.0
	for _, p := range hull {
		s := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
		if s > hi {
			hi, c = s, p
		}
		if s < lo {
			lo, d = s, p
		}
	}
	return order([4][2]float64{a, c, b, d})
}

// order sorts four corners clockwise on screen (y down), starting from the
// one nearest the top-left.
func order(q [4][2]float64) [4][2]float64 {
	var cx, cy float64
	for _, p := range q {
		cx, cy = cx+p[0]/4, cy+p[1]/4
	}
	slices.SortFunc(q[:], func(a, b [2]float64) int {
		aa, ab := math.Atan2(a[1]-cy, a[0]-cx), math.Atan2(b[1]-cy, b[0]-cx)
		switch {
		case aa < ab:
			return -1
		case aa > ab:
			return 1
		}
		return 0
	})
	first := 0
	for i, p := range q {
		if p[0]+p[1] < q[first][0]+q[first][1] {
			first = i
		}
	}
	var out [4][2]float64
	for i := range 4 {
		out[i] = q[(first+i)%4]
	}
	return out
}

// quadArea by the shoelace formula.
func quadArea(q [4][2]float64) float64 {
	var a float64
	for i := range 4 {
		j := (i + 1) % 4
		a += q[i][0]*q[j][1] - q[j][0]*q[i][1]
	}
	return math.Abs(a) / 2
}

// plausible: a convex quadrilateral whose corners are within 30° of
// square, and whose opposite sides differ by less than 40%: a document
// photographed up to about 15° off the vertical, in any rotation. Outside
// that, the outline is more likely a table edge or a shadow.
func plausible(q [4][2]float64) bool {
	var sign float64
	for i := range 4 {
		p, c, n := q[(i+3)%4], q[i], q[(i+1)%4]
		ax, ay, bx, by := p[0]-c[0], p[1]-c[1], n[0]-c[0], n[1]-c[1]
		la, lb := math.Hypot(ax, ay), math.Hypot(bx, by)
		if la < 1 || lb < 1 {
			return false
		}
		if cos := (ax*bx + ay*by) / (la * lb); math.Abs(cos) > 0.5 { // 60°…120°
			return false
		}
		cr := ax*by - ay*bx
		if sign != 0 && cr*sign < 0 {
			return false
		}
		sign = cr
	}
	side := func(i int) float64 {
		j := (i + 1) % 4
		return math.Hypot(q[j][0]-q[i][0], q[j][1]-q[i][1])
	}
	for i := range 2 {
		a, b := side(i), side(i+2)
		if min(a, b) < 0.6*max(a, b) {
			return false
		}
	}
	return true
}

// refine fits each side of the coarse quadrilateral q to the strongest
// step across it in g, within a cell or two, and intersects the fitted
// lines. Points are sampled on the middle 80% of each side: the corners
// themselves may be dog-eared or shaded.
func refine(g *image.Gray, q [4][2]float64, cell float64) ([4][2]float64, bool) {
	const samples = 32
	reach := int(math.Ceil(3 * cell))
	var lines [4][3]float64 // a·x + b·y = c, (a, b) a unit normal
	for i := range 4 {
		p, n := q[i], q[(i+1)%4]
		dx, dy := n[0]-p[0], n[1]-p[1]
		l := math.Hypot(dx, dy)
		tx, ty := dx/l, dy/l
		nx, ny := -ty, tx
		var pts [][2]float64
		for k := range samples {
			t := 0.1 + 0.8*float64(k)/(samples-1)
			bx, by := p[0]+dx*t, p[1]+dy*t
			if off, ok := stepAcross(g, bx, by, tx, ty, nx, ny, reach, cell); ok {
				pts = append(pts, [2]float64{bx + nx*off, by + ny*off})
			}
		}
		if len(pts) < samples/2 {
			return q, false
		}
		line, ok := fitLine(pts)
		if !ok {
			return q, false
		}
		lines[i] = line
	}
	// A corner may move more than its sides did: the coarse outline's
	// corners are where its sides, swollen by the document's own shadow
	// or a dog-ear, met.
	tol := 4 * cell
	for i := range 4 {
		j := (i + 1) % 4
		tol = max(tol, 0.03*math.Hypot(q[j][0]-q[i][0], q[j][1]-q[i][1]))
	}
	var out [4][2]float64
	for i := range 4 {
		a, b := lines[(i+3)%4], lines[i] // the sides meeting at corner i
		det := a[0]*b[1] - a[1]*b[0]
		if math.Abs(det) < 1e-6 {
			return q, false
		}
		x := (a[2]*b[1] - a[1]*b[2]) / det
		y := (a[0]*b[2] - a[2]*b[0]) / det
		if math.Hypot(x-q[i][0], y-q[i][1]) > tol {
			return q, false
		}
		out[i] = [2]float64{x, y}
	}
	return out, true
}

// stepAcross samples g along the normal (nx, ny) through (bx, by), each
// value averaged over a short run along the side (tx, ty) to quiet noise
// and texture, and returns the offset of the largest change of log grey.
func stepAcross(g *image.Gray, bx, by, tx, ty, nx, ny float64, reach int, cell float64) (float64, bool) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	along := max(2, int(cell))
	prof := make([]float64, 2*reach+1)
	for k := -reach; k <= reach; k++ {
		var s float64
		n := 0
		for j := -along; j <= along; j += max(1, along/4) {
			x := int(bx + nx*float64(k) + tx*float64(j))
			y := int(by + ny*float64(k) + ty*float64(j))
			if x < 0 || y < 0 || x >= w || y >= h {
				return 0, false
			}
			s += float64(g.Pix[y*g.Stride+x])
			n++
		}
		prof[k+reach] = math.Log(1 + s/float64(n))
	}
	best, at := 0.0, 0
	for k := 2; k < len(prof)-2; k++ {
		if d := math.Abs(prof[k+1] + prof[k+2] - prof[k-1] - prof[k-2]); d > best {
			best, at = d, k
		}
	}
	if best < edgeLog {
		return 0, false
	}
	return float64(at-reach) + 0.5, true
}

// fitLine fits a line to pts by total least squares, once more without
// the points farther than 2 pixels from the first fit (a finger, a shadow's
// notch).
func fitLine(pts [][2]float64) ([3]float64, bool) {
	fit := func(pts [][2]float64) [3]float64 {
		var mx, my float64
		for _, p := range pts {
			mx, my = mx+p[0], my+p[1]
		}
		mx, my = mx/float64(len(pts)), my/float64(len(pts))
		var sxx, sxy, syy float64
		for _, p := range pts {
			dx, dy := p[0]-mx, p[1]-my
			sxx, sxy, syy = sxx+dx*dx, sxy+dx*dy, syy+dy*dy
		}
		// The normal is the eigenvector of the smaller eigenvalue.
		theta := 0.5 * math.Atan2(2*sxy, sxx-syy) // direction of the line
		a, b := -math.Sin(theta), math.Cos(theta)
		return [3]float64{a, b, a*mx + b*my}
	}
	l := fit(pts)
	var kept [][2]float64
	for _, p := range pts {
		if math.Abs(l[0]*p[0]+l[1]*p[1]-l[2]) <= 2 {
			kept = append(kept, p)
		}
	}
	if len(kept) < len(pts)/2 || len(kept) < 4 {
		return l, false
	}
	return fit(kept), true
}

// contrasted: on every side, the document and its surroundings differ in
// grey by the ratio minStep or more, the same way round all along (a page
// lighter than the table, or a card darker than the sheet it lies on).
// A box printed on a page, or a shaded band, is paper on both sides.
func contrasted(g *image.Gray, q [4][2]float64, cell float64) bool {
	var cx, cy float64
	for _, p := range q {
		cx, cy = cx+p[0]/4, cy+p[1]/4
	}
	lighter := 0
	for i := range 4 {
		p, n := q[i], q[(i+1)%4]
		var in, out float64
		k := 0
		for s := 0.15; s <= 0.85; s += 0.05 {
			x, y := p[0]+(n[0]-p[0])*s, p[1]+(n[1]-p[1])*s
			ux, uy := cx-x, cy-y // towards the middle
			l := math.Hypot(ux, uy)
			ux, uy = ux/l, uy/l
			a, okA := mean3(g, x+ux*2*cell, y+uy*2*cell)
			b, okB := mean3(g, x-ux*2*cell, y-uy*2*cell)
			if !okA || !okB {
				continue
			}
			in, out, k = in+a, out+b, k+1
		}
		if k < 5 {
			return false
		}
		in, out = (in+1)/float64(k), (out+1)/float64(k)
		switch {
		case in >= minStep*out:
			lighter++
		case out >= minStep*in:
			lighter--
		default:
			return false
		}
	}
	return lighter == 4 || lighter == -4
}

// mean3 is the mean grey of the 3×3 pixels around (x, y).
func mean3(g *image.Gray, x, y float64) (float64, bool) {
	xi, yi := int(x), int(y)
	if xi < 1 || yi < 1 || xi >= g.Rect.Dx()-1 || yi >= g.Rect.Dy()-1 {
		return 0, false
	}
	var s int
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			s += int(g.Pix[(yi+dy)*g.Stride+xi+dx])
		}
	}
	return float64(s) / 9, true
}
