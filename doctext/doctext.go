// Package doctext is the text of a document page as the pipeline read it:
// lines of words, each word with its OCR confidence and box when it came
// from OCR. Extraction and checks work on this, whatever the source.
package doctext

import (
	"image"
	"strings"
)

// Source says how a page's text was obtained.
type Source string

const (
	FromTextLayer Source = "text" // a PDF's own text layer
	FromOCR       Source = "ocr"
	Authoritative Source = "form" // AcroForm field values
)

// Word is one recognised word. Start and End are byte offsets in Line.Text.
type Word struct {
	Text       string          `json:"text"`
	Confidence float64         `json:"conf"`
	Box        image.Rectangle `json:"box"`
	Start      int             `json:"start"`
	End        int             `json:"end"`
}

// Line is one line of text.
type Line struct {
	Text  string `json:"text"`
	Words []Word `json:"words,omitempty"`
}

// Page is one page of a document.
type Page struct {
	Number int    `json:"number"` // 1-based
	Source Source `json:"source"`
	Lines  []Line `json:"lines"`
	// MeanConfidence is the mean word confidence (0–100); 100 for text
	// that was not OCR'd.
	MeanConfidence float64 `json:"mean_confidence"`
	Width          int     `json:"width,omitempty"`
	Height         int     `json:"height,omitempty"`
}

// PlainLines splits text into lines without word geometry.
func PlainLines(text string) []Line {
	var out []Line
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, " \t\r\f")
		if strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, Line{Text: l})
	}
	return out
}

// LineFromWords builds a line by joining words with single spaces and
// recording each word's offsets.
func LineFromWords(words []Word) Line {
	var b strings.Builder
	out := make([]Word, 0, len(words))
	for _, w := range words {
		if strings.TrimSpace(w.Text) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		w.Start = b.Len()
		b.WriteString(w.Text)
		w.End = b.Len()
		out = append(out, w)
	}
	return Line{Text: b.String(), Words: out}
}

// Span returns the box around the words overlapping bytes [start,end) of
// the line and their lowest confidence. Without words (a text layer) the
// box is nil and the confidence 100.
func (l Line) Span(start, end int) (*[4]int, float64) {
	var r image.Rectangle
	conf := 100.0
	found := false
	for _, w := range l.Words {
		if w.End <= start || w.Start >= end {
			continue
		}
		if !found {
			r = w.Box
		} else {
			r = r.Union(w.Box)
		}
		found = true
		conf = min(conf, w.Confidence)
	}
	if !found {
		return nil, conf
	}
	return &[4]int{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y}, conf
}

// Text joins the page's lines.
func (p Page) Text() string {
	var b strings.Builder
	for _, l := range p.Lines {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// Run is the page's words run together, as a strip read with a digits
// whitelist holds one number, and their mean confidence (0 with no word).
func (p Page) Run() (string, float64) {
	var b strings.Builder
	conf, n := 0.0, 0
	for _, l := range p.Lines {
		for _, w := range l.Words {
			b.WriteString(w.Text)
			conf, n = conf+w.Confidence, n+1
		}
	}
	return b.String(), conf / float64(max(1, n))
}

// WordCount counts words on the page.
func (p Page) WordCount() int {
	n := 0
	for _, l := range p.Lines {
		n += len(strings.Fields(l.Text))
	}
	return n
}
