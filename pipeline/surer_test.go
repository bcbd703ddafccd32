package pipeline

import (
	"testing"

	"dossiercheck/doctext"
	"dossiercheck/mrz"
)

// Into a zone read valid, an earlier reading's line read more surely
// comes when no check digit says otherwise (a names line); a line read
// less surely, or a misread number line, does not.
func TestWithSurerLines(t *testing.T) {
	l1, l2 := "IDFRAU5QT5PFW61<<<<<<<<<<<<<<<", "8511308F3211108FRA<<<<<<<<<<<0"
	lines := func(conf float64, ls ...string) []doctext.Line {
		var out []doctext.Line
		for _, l := range ls {
			out = append(out, doctext.LineFromWords([]doctext.Word{{Text: l, Confidence: conf}}))
		}
		return out
	}
	zone := func(ls []doctext.Line) mrz.MRZ {
		m, ok := findMRZ(lineTexts(ls))
		if !ok {
			t.Fatalf("no zone in %v", lineTexts(ls))
		}
		return m
	}
	for _, tt := range []struct {
		validConf, prevConf float64
		wantNames           string
	}{
		{40, 85, "LEFEVRE<<HELENE<<<<<<<<<<<<<<<"}, // the surer names line comes
		{85, 40, "LERPEVRE<<HELENE<<<<<<<<<<<<<<"}, // the less sure stays out
	} {
		valid := lines(tt.validConf, l1, l2, "LERPEVRE<<HELENE<<<<<<<<<<<<<<")
		prev := lines(tt.prevConf, "IDFRAUSQATSPFWHT<<<<<<<<<<<<<<", l2, "LEFEVRE<<HELENE<<<<<<<<<<<<<<<")
		m, p := zone(valid), zone(prev)
		if !m.Valid || p.Valid {
			t.Fatalf("fixture: valid %v, earlier valid %v", m.Valid, p.Valid)
		}
		got, gotLines := withSurerLines(m, valid, p, prev)
		if !got.Valid || got.Lines[2] != tt.wantNames || got.Number != "U5QT5PFW6" {
			t.Errorf("%v: got %+v", tt, got)
		}
		if gotLines[2].Text != tt.wantNames || gotLines[0].Text != l1 {
			t.Errorf("%v: lines %v", tt, lineTexts(gotLines))
		}
	}
}
