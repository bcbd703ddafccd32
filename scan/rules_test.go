package scan

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// A shaded, ruled header cell: the shade and the rules go, a letter's
// strokes stay.
func TestUnruled(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 400, 100))
	draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
	fill := func(r image.Rectangle, v uint8) {
		draw.Draw(g, r, &image.Uniform{color.Gray{Y: v}}, image.Point{}, draw.Src)
	}
	fill(image.Rect(10, 10, 390, 90), 220) // the cell's shade
	fill(image.Rect(10, 10, 390, 13), 0)   // top rule
	fill(image.Rect(10, 87, 390, 90), 0)   // bottom rule
	fill(image.Rect(10, 10, 13, 90), 0)    // left border
	fill(image.Rect(100, 40, 104, 65), 0)  // an l's stem, one line high
	fill(image.Rect(110, 60, 140, 64), 30) // a bar of an E
	u := Unruled(g, 25)
	at := func(x, y int) uint8 { return u.Pix[u.PixOffset(x, y)] }
	for _, tt := range []struct {
		name string
		x, y int
		want uint8
	}{
		{"shade", 200, 30, 255}, {"top rule", 200, 11, 255}, {"bottom rule", 200, 88, 255}, {"border", 11, 50, 255},
		{"stem", 101, 50, 0}, {"bar", 120, 62, 30}, {"paper", 5, 5, 255},
	} {
		if got := at(tt.x, tt.y); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}
