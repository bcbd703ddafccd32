package pipeline

import (
	"context"
	"image"
	"testing"

	"dossiercheck/doctext"
)

// digitsReader answers every digits reading with one word.
type digitsReader struct {
	text string
	conf float64
}

func (r digitsReader) Recognize(context.Context, []byte, string) (doctext.Page, bool, error) {
	return doctext.Page{}, false, nil
}

func (r digitsReader) RecognizeMRZ(context.Context, []byte, string) (doctext.Page, bool, error) {
	return doctext.Page{}, false, nil
}

func (r digitsReader) RecognizeNumber(context.Context, []byte, string) (doctext.Page, bool, error) {
	w := doctext.Word{Text: r.text, Confidence: r.conf, Box: image.Rect(0, 0, 100, 20)}
	return doctext.Page{Lines: []doctext.Line{doctext.LineFromWords([]doctext.Word{w})}}, false, nil
}

// A date read at low confidence and read the same alone, more surely,
// takes the second reading's confidence; read the same less surely, or
// differently but no longer a date, it stays as it was.
func TestDateReadAgainSame(t *testing.T) {
	for _, tt := range []struct {
		again    digitsReader
		wantText string
		wantConf float64
	}{
		{digitsReader{"19/02/2025", 91}, "19/02/2025", 91},
		{digitsReader{"19/02/2025", 30}, "19/02/2025", 45},
		{digitsReader{"18/02/2025", 88}, "18/02/2025", 88},
		{digitsReader{"19/92/2025", 90}, "19/02/2025", 45},
	} {
		page := doctext.Page{Lines: []doctext.Line{doctext.LineFromWords([]doctext.Word{
			{Text: "du", Confidence: 95, Box: image.Rect(100, 100, 140, 130)},
			{Text: "19/02/2025", Confidence: 45, Box: image.Rect(160, 100, 400, 130)},
		})}}
		p := &Pipeline{OCR: tt.again}
		if err := p.rereadDates(context.Background(), File{}, image.NewGray(image.Rect(0, 0, 600, 300)), &page); err != nil {
			t.Fatal(err)
		}
		w := page.Lines[0].Words[1]
		if w.Text != tt.wantText || w.Confidence != tt.wantConf {
			t.Errorf("read again %+v: %q at %v, want %q at %v", tt.again, w.Text, w.Confidence, tt.wantText, tt.wantConf)
		}
	}
}
