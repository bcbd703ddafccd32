package extract

import (
	"image"
	"strings"

	"dossiercheck/doctext"
)

// ow is one OCR word: text, confidence and box.
type ow struct {
	t              string
	c              int
	x0, y0, x1, y1 int
}

type lineWords []ow

// ocrPage builds a page's lines the way the OCR engine does.
func ocrPage(ls []lineWords) []doctext.Line {
	var out []doctext.Line
	for _, l := range ls {
		var ws []doctext.Word
		for _, w := range l {
			ws = append(ws, doctext.Word{Text: w.t, Confidence: float64(w.c), Box: image.Rect(w.x0, w.y0, w.x1, w.y1)})
		}
		out = append(out, doctext.LineFromWords(ws))
	}
	return out
}

// noisy returns a copy of a page with some words replaced, as OCR
// misreads them: each replacement splits the word's box evenly between
// the words it becomes ("Prénoms" read "Pr énoms").
func noisy(ls []lineWords, repl map[string]string) []lineWords {
	var out []lineWords
	for _, l := range ls {
		var nl lineWords
		for _, w := range l {
			r, ok := repl[w.t]
			if !ok {
				nl = append(nl, w)
				continue
			}
			parts := strings.Fields(r)
			step := (w.x1 - w.x0) / max(len(parts), 1)
			for i, p := range parts {
				nw := w
				nw.t, nw.x0, nw.x1 = p, w.x0+i*step, w.x0+(i+1)*step-2
				nl = append(nl, nw)
			}
		}
		out = append(out, nl)
	}
	return out
}

func rect(x0, y0, x1, y1 int) image.Rectangle { return image.Rect(x0, y0, x1, y1) }
