package scan

import (
	"image"
	"testing"
)

// A row of dots on one baseline is erased; the dots of a sentence's full
// stops, an ellipsis and a letter's strokes are not.
func TestEraseLeaders(t *testing.T) {
	g, ink := whitePage(1200, 400)
	for x := 300; x < 900; x += 15 {
		ink(x, 96, x+4, 100) // a leader: 40 dots
	}
	ink(100, 60, 106, 100) // a letter's stem
	ink(120, 96, 124, 100) // a full stop
	for x := 200; x < 230; x += 10 {
		ink(x, 296, x+4, 300) // an ellipsis: 3 dots
	}
	out, n := EraseLeaders(g)
	if n != 40 {
		t.Errorf("%d dots erased, want 40", n)
	}
	for _, tt := range []struct {
		p    image.Point
		dark bool
	}{{image.Pt(301, 97), false}, {image.Pt(886, 97), false}, {image.Pt(102, 80), true}, {image.Pt(121, 97), true}, {image.Pt(201, 297), true}} {
		if got := out.GrayAt(tt.p.X, tt.p.Y).Y < 128; got != tt.dark {
			t.Errorf("at %v: dark %v, want %v", tt.p, got, tt.dark)
		}
	}
	if g.GrayAt(301, 97).Y != 0 {
		t.Error("the original was changed")
	}
}
