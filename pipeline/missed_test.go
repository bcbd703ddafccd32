package pipeline

import (
	"image"
	"testing"

	"dossiercheck/doctext"
)

func word(text string, conf float64, x0, y0, x1, y1 int) doctext.Word {
	return doctext.Word{Text: text, Confidence: conf, Box: image.Rect(x0, y0, x1, y1)}
}

func line(ws ...doctext.Word) doctext.Line { return doctext.LineFromWords(ws) }

// What a sparse reading adds to a form page: a line the page reading
// dropped; a date read surely where the page read unsure glyphs (those
// glyphs go); never a second reading of words read surely, a fragment
// narrower than the unsure word under it, nor junk.
func TestMissedLines(t *testing.T) {
	label := line(word("Date", 96, 100, 100, 160, 120), word("de", 96, 170, 100, 190, 120), word("réussite", 96, 200, 100, 300, 120))
	noise := line(word("SAIù", 0, 1298, 483, 1399, 539), word("2", 56, 1405, 489, 1449, 539), word("2", 96, 1481, 507, 1499, 539))
	leader := line(word("te", 93, 569, 3090, 599, 3115), word("le/op..99/1UCUcO.", 0, 1164, 3085, 1615, 3121))
	pg := doctext.Page{Lines: []doctext.Line{label, noise, line(word("1902/2004", 40, 671, 1413, 803, 1456)), leader}}
	for _, tt := range []struct {
		name      string
		sparse    doctext.Line
		added     bool
		keptWords int
	}{
		{"a line dropped", line(word("Fait", 95, 100, 900, 150, 920), word("le", 95, 160, 900, 180, 920)), true, 9},
		{"a date over unsure glyphs", line(word("24/09/2025", 94, 1312, 507, 1523, 547)), true, 7},
		{"a second reading", line(word("Date", 90, 100, 100, 160, 120), word("de", 90, 170, 100, 190, 120)), false, 9},
		{"a digit of an unsure date", line(word("4", 61, 652, 1403, 677, 1441)), false, 9},
		{"junk", line(word("NN", 30, 100, 1900, 200, 1950)), false, 9},
		{"a date on a leader read as noise", line(word("É}", 0, 1164, 3085, 1214, 3117), word("op", 94, 1227, 3093, 1266, 3121),
			word("06/1", 91, 1310, 3070, 1398, 3108), word("1/2", 97, 1404, 3070, 1460, 3108), word("026", 85, 1466, 3070, 1540, 3106)), true, 13},
	} {
		kept, mended, missed := missedLines(pg, doctext.Page{Lines: []doctext.Line{tt.sparse}})
		if got := len(missed.Lines)+len(mended) == 1; got != tt.added {
			t.Errorf("%s: added %v, want %v", tt.name, got, tt.added)
		}
		n := 0
		for _, l := range kept.Lines {
			n += len(l.Words)
		}
		if n != tt.keptWords {
			t.Errorf("%s: %d words kept, want %d", tt.name, n, tt.keptWords)
		}
	}
}

// Lines read on ink the page reading left: a date, a word of three
// letters, two short sure words are kept; a signature's junk is not.
func TestWorthAdding(t *testing.T) {
	for _, tt := range []struct {
		l    doctext.Line
		want bool
	}{
		{line(word("05/11/2026", 96, 0, 0, 200, 40)), true},
		{line(word("le", 59, 0, 0, 20, 20), word("/", 59, 30, 0, 35, 20), word("op", 95, 40, 0, 70, 20)), false},
		{line(word("le", 75, 0, 0, 20, 20), word("/", 75, 30, 0, 35, 20), word("op", 95, 40, 0, 70, 20)), true},
		{line(word("NAMUR", 96, 0, 0, 150, 30)), true},
		{line(word("OP", 80, 0, 0, 50, 30)), false},
		{line(word("NN", 30, 0, 0, 50, 30), word("SNANANYy", 0, 60, 0, 300, 40)), false},
	} {
		if got := worthAdding(tt.l); got != tt.want {
			t.Errorf("%q: %v, want %v", tt.l.Text, got, tt.want)
		}
	}
}
