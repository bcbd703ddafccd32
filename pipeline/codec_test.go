package pipeline

import (
	"encoding/json"
	"image"
	"testing"
	"time"

	"dossiercheck/doctext"
	"dossiercheck/mrz"
	"dossiercheck/report"
)

func sampleReading() Reading {
	return Reading{Version: ReadingVersion, File: "id.jpg", Aspect: 1.58, Shot: time.Date(2026, 10, 2, 9, 30, 0, 0, time.UTC), Turned: []int{1},
		Problems: []report.Finding{{Rule: ruleQuality, Outcome: report.NeedsLook, Message: "page 1 is blurry"}},
		Fields:   map[string]string{"nom": "MARTIN"},
		MRZ:      &ZoneRead{Zone: mrz.MRZ{Format: mrz.TD1, Valid: true, BirthDate: time.Date(1994, 4, 17, 0, 0, 0, 0, time.UTC)}, NameConfidence: 81.5},
		Pages: []doctext.Page{
			{Number: 1, Source: doctext.FromOCR, MeanConfidence: 91.25, Width: 2480, Height: 3508, Lines: []doctext.Line{
				{Text: "Nom : MARTIN", Words: []doctext.Word{{Text: "Nom", Confidence: 96.1, Box: image.Rect(10, 20, 80, 44), Start: 0, End: 3},
					{Text: "MARTIN", Confidence: 88.7, Box: image.Rect(120, 20, 260, 44), Start: 6, End: 12}}},
				{Text: "sans mots"},
			}},
			{Number: 2, Source: doctext.FromTextLayer, MeanConfidence: 100, Lines: []doctext.Line{{Text: "Page 2"}}},
		}}
}

// A reading stored and read back is the reading.
func TestReadingCodec(t *testing.T) {
	r := sampleReading()
	b, err := encodeReading(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeReading(b)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(r)
	have, _ := json.Marshal(got)
	if string(want) != string(have) {
		t.Errorf("round trip:\n%s\n%s", want, have)
	}
	for _, cut := range []int{0, 3, 10, len(b) / 2, len(b) - 1} {
		if _, err := decodeReading(b[:cut]); err == nil {
			t.Errorf("a reading cut at %d of %d bytes decoded", cut, len(b))
		}
	}
}

// Damaged stored readings are an error, never a panic or a huge
// allocation.
func FuzzDecodeReading(f *testing.F) {
	b, _ := encodeReading(sampleReading())
	f.Add(b)
	f.Add([]byte(codecMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeReading(b)
		if err != nil {
			return
		}
		again, err := encodeReading(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeReading(again); err != nil {
			t.Fatalf("re-encoded reading does not decode: %v", err)
		}
	})
}
