package doctext

import (
	"image"
	"slices"
	"testing"
)

func TestCells(t *testing.T) {
	word := func(s string, x0, x1 int) Word { return Word{Text: s, Box: image.Rect(x0, 100, x1, 116)} }
	tests := []struct {
		name  string
		lines []Line
		want  []string
	}{
		// Tesseract joins a card's recto label and its verso's postcode:
		// a gap of 40 heights splits them, a space does not.
		{"recto and verso", []Line{LineFromWords([]Word{word("NOM", 356, 383), word("/", 391, 397), word("Surname", 403, 460),
			word("69003", 1111, 1170), word("LYON", 1179, 1234)})}, []string{"NOM / Surname", "69003 LYON"}},
		{"table header", []Line{LineFromWords([]Word{word("N°", 247, 284), word("de", 298, 336), word("facture", 348, 461),
			word("Date", 546, 621), word("de", 635, 673), word("facture", 686, 798)})}, []string{"N° de facture", "Date de facture"}},
		{"text layer columns", PlainLines("Date de facture      Échéance\tTotal\n  12/10/2026  x"), []string{"Date de facture", "Échéance", "Total", "12/10/2026  x"}},
		{"bare words, no boxes", []Line{LineFromWords([]Word{{Text: "Nom"}, {Text: ":"}, {Text: "DUPONT"}})}, []string{"Nom : DUPONT"}},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range Cells(tt.lines) {
			if tt.lines[c.Line].Text[c.Start:c.End] != c.Text {
				t.Errorf("%s: cell %+v does not match its offsets", tt.name, c)
			}
			got = append(got, c.Text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A number read as several words runs together, with their mean
// confidence; an empty page reads as nothing at confidence 0.
func TestRun(t *testing.T) {
	p := Page{Lines: []Line{LineFromWords([]Word{{Text: "85", Confidence: 90}, {Text: "1130", Confidence: 60}}), LineFromWords([]Word{{Text: "9", Confidence: 30}})}}
	if text, conf := p.Run(); text != "8511309" || conf != 60 {
		t.Errorf("Run() = %q, %v; want 8511309, 60", text, conf)
	}
	if text, conf := (Page{}).Run(); text != "" || conf != 0 {
		t.Errorf("empty page: %q, %v", text, conf)
	}
}
