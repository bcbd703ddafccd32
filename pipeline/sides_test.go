package pipeline

import (
	"testing"
	"time"

	"dossiercheck/checks"
	"dossiercheck/mrz"
)

// A 1995 card's verso read in a file of its own joins its recto only when
// its issue date falls in the month the recto's verified card number
// begins with, and only when it is the one such verso.
func TestJoinSides(t *testing.T) {
	zone := &mrz.MRZ{Format: mrz.FRCNI, Valid: true, Number: "120969704456"}
	recto := checks.Doc{File: "id-recto.jpg", Kind: "identity_card", Claims: []checks.Claim{{Name: "DUPONT JEAN MARC"}},
		Dates: []checks.Dated{{Label: "birth", Date: day(1990, 2, 3), Confidence: 100, Authoritative: true}}}
	verso := func(file string, issued time.Time, conf float64) checks.Doc {
		return checks.Doc{File: file, Kind: "identity_card", Dates: []checks.Dated{
			{Label: "issue", Date: issued, Confidence: conf}, {Label: "expiry", Date: issued.AddDate(10, 0, -1), Confidence: 95}}}
	}
	bill := checks.Doc{File: "bill.jpg", Kind: "proof_of_address"}
	invalid := *zone
	invalid.Valid = false
	for _, tt := range []struct {
		name   string
		docs   []checks.Doc
		zones  []*mrz.MRZ
		joined bool
	}{
		{"verso issued in the zone's month", []checks.Doc{recto, verso("id-verso.jpg", day(2012, 9, 15), 95), bill}, []*mrz.MRZ{zone, nil, nil}, true},
		{"verso issued another month", []checks.Doc{recto, verso("id-verso.jpg", day(2012, 10, 15), 95), bill}, []*mrz.MRZ{zone, nil, nil}, false},
		{"issue date read unsurely", []checks.Doc{recto, verso("id-verso.jpg", day(2012, 9, 15), 40), bill}, []*mrz.MRZ{zone, nil, nil}, false},
		{"two versos of the month", []checks.Doc{recto, verso("a.jpg", day(2012, 9, 15), 95), verso("b.jpg", day(2012, 9, 20), 95)}, []*mrz.MRZ{zone, nil, nil}, false},
		{"the recto's zone does not hold", []checks.Doc{recto, verso("id-verso.jpg", day(2012, 9, 15), 95)}, []*mrz.MRZ{&invalid, nil}, false},
	} {
		got := joinSides(tt.docs, tt.zones)
		if joined := len(got) == len(tt.docs)-1; joined != tt.joined {
			t.Errorf("%s: %d documents from %d, joined %v, want %v", tt.name, len(got), len(tt.docs), joined, tt.joined)
			continue
		}
		if tt.joined && (got[0].File != "id-recto.jpg" || len(got[0].Dates) != 3) {
			t.Errorf("%s: joined into %+v, want the recto with the verso's two dates", tt.name, got[0])
		}
	}
}
