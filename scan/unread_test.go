package scan

import (
	"image"
	"image/draw"
	"testing"
)

// whitePage is a white page and a way to ink black rectangles on it.
func whitePage(w, h int) (*image.Gray, func(x0, y0, x1, y1 int)) {
	g := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
	return g, func(x0, y0, x1, y1 int) {
		draw.Draw(g, image.Rect(x0, y0, x1, y1), image.Black, image.Point{}, draw.Src)
	}
}

// Ink no read word covers, a line's worth, is found; ink under a read
// word, a rule, a tick box and a tall picture are not.
func TestUnreadText(t *testing.T) {
	g, rect := whitePage(2000, 1200)
	letters := func(x0, y0, x1, y1 int) {
		for x := x0; x+5 <= x1; x += 12 {
			rect(x, y0, x+5, y1)
		}
	}
	const h = 24
	letters(100, 100, 600, 124)  // read
	letters(900, 100, 1100, 124) // not read: « le / op 05/11/2026 »
	rect(100, 300, 1500, 303)    // a rule
	rect(100, 400, 120, 403)     // a tick box's frame…
	rect(100, 400, 103, 420)     // …small
	letters(100, 600, 400, 900)  // a photo: far taller than a line
	read := []image.Rectangle{image.Rect(98, 98, 602, 126)}
	got := UnreadText(g, read, h)
	if len(got) != 1 {
		t.Fatalf("areas %v, want one", got)
	}
	if want := image.Rect(900, 100, 1100, 124); !got[0].In(want.Inset(-h/2)) || 10*got[0].Dx() < 9*want.Dx() {
		t.Errorf("area %v, want about %v", got[0], want)
	}
}
