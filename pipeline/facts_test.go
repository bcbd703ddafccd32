package pipeline

import (
	"slices"
	"testing"
	"time"

	"dossiercheck/checks"
	"dossiercheck/doctext"
	"dossiercheck/forms"
	"dossiercheck/mrz"
	"dossiercheck/report"
)

var submittedNov = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// datesOf lists a document's dates of one label.
func datesOf(d checks.Doc, label string) []time.Time {
	var out []time.Time
	for _, x := range d.Dates {
		if x.Label == label {
			out = append(out, x.Date)
		}
	}
	return out
}

// withForm reads r's fields as the reading stage does for a form of kind.
func withForm(r Reading, kind string) Reading {
	schema, _ := forms.For(kind)
	r.Form = &FormRead{Kind: kind, Values: forms.FromFields(schema, forms.FieldsOf(r.Fields))}
	return r
}

// The extraction stage works on readings alone: no OCR, no files.
func TestExtract(t *testing.T) {
	zone := mrz.MRZ{Format: mrz.TD1, DocCode: "ID", Country: "FRA", Surname: "MARTIN", GivenNames: "JEAN", Valid: true,
		BirthDate: day(1994, 4, 17), Expiry: day(2031, 5, 1)}
	lossy := zone
	lossy.Surname, lossy.Lines = "MARTN", []string{"IDFRAX4RTJPFW10<<<<<<<<<<<<<<<", "9404178M3105014FRA<<<<<<<<<<<6", "MARTN<<JEANS<<<<<<<<<<<<<<<<<<"}
	const idText = "RÉPUBLIQUE FRANÇAISE\nCARTE NATIONALE D'IDENTITÉ\nNom : MARTIN\nPrénoms : Jean\nNé(e) le : 17/04/1994"
	tests := []struct {
		name   string
		r      Reading
		kind   string
		label  string
		dates  []time.Time
		claims []string // names claimed, with their roles
	}{
		{"bill: issue date and addressee",
			Reading{File: "bill.jpg", Pages: []doctext.Page{page(1, "EDF Facture d'électricité\nM. Jean MARTIN\n12 rue des Lilas\n75011 Paris\nConsommation 320 kWh\nDate de facture : 02/10/2026\nMontant total 84,20 €")}},
			"proof_of_address", "issue", []time.Time{day(2026, 10, 2)}, []string{"Jean MARTIN"}},
		{"a contract start is not the bill's date",
			Reading{File: "bill.jpg", Pages: []doctext.Page{page(1, "EDF Facture d'électricité\nConsommation 320 kWh\nContrat souscrit le 04/09/2019\nMontant total 84,20 €")}},
			"proof_of_address", "issue", nil, nil},
		{"identity card: the zone's dates outrank, both names agree",
			Reading{File: "id.jpg", MRZ: &ZoneRead{Zone: zone, NameConfidence: 80, Evidence: report.Evidence{File: "id.jpg", Page: 1}},
				Pages: []doctext.Page{page(1, "RÉPUBLIQUE FRANÇAISE\nCARTE NATIONALE D'IDENTITÉ\nNom : MARTIN\nPrénoms : Jean\nNé(e) le : 17/04/1994")}},
			"identity_card", "birth", []time.Time{day(1994, 4, 17), day(1994, 4, 17)}, []string{"MARTIN JEAN"}},
		{"identity card: the birth date under a garbled label is no issue date",
			Reading{File: "id.jpg", MRZ: &ZoneRead{Zone: zone, NameConfidence: 80, Evidence: report.Evidence{File: "id.jpg", Page: 1}},
				Pages: []doctext.Page{page(1, "RÉPUBLIQUE FRANÇAISE\nCARTE NATIONALE D'IDENTITÉ\nNom : MARTIN\nPrénoms : Jean\nSexe: M Néfe)le : 17/04/1994\ndélivrée le : 10.09.2021")}},
			"identity_card", "issue", []time.Time{day(2021, 9, 10)}, []string{"MARTIN JEAN"}},
		{"identity card: a names line read poorly one letter off the print (L lost): the print is the name",
			Reading{File: "id.jpg", MRZ: &ZoneRead{Zone: lossy, NameConfidence: 30, Evidence: report.Evidence{File: "id.jpg", Page: 1}},
				Pages: []doctext.Page{page(1, idText)}},
			"identity_card", "birth", []time.Time{day(1994, 4, 17), day(1994, 4, 17)}, []string{"MARTIN Jean"}},
		{"identity card: the same names line read clearly: two names, a clerk's look",
			Reading{File: "id.jpg", MRZ: &ZoneRead{Zone: lossy, NameConfidence: 80, Evidence: report.Evidence{File: "id.jpg", Page: 1}},
				Pages: []doctext.Page{page(1, idText)}},
			"identity_card", "birth", []time.Time{day(1994, 4, 17), day(1994, 4, 17)}, []string{"MARTIN Jean", "MARTN JEAN"}},
		{"F02 form: the candidate's fields; a guide's birth date printed on it is no birth date of the holder",
			withForm(Reading{File: "f02.pdf", Fields: map[string]string{"theorie_date": "12/05/2025", "candidat_naissance": "17/04/1994",
				"candidat_nom_prenom": "MARTIN Jean"}, Pages: []doctext.Page{page(1, "Formulaire F02\nGuide 1 Date de naissance : 10/02/1975")}}, "f02_form"),
			"f02_form", "birth", []time.Time{day(1994, 4, 17)}, []string{"MARTIN Jean"}}, // the guide's printed birth date is not the candidate's
		{"unread file: nothing extracted",
			Reading{File: "x.pdf", Unread: "corrupt PDF"}, "unknown", "issue", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Extract(tt.r, submittedNov)
			if f.Doc.Kind != tt.kind {
				t.Fatalf("kind %s, want %s", f.Doc.Kind, tt.kind)
			}
			if got := datesOf(f.Doc, tt.label); !slices.Equal(got, tt.dates) {
				t.Errorf("%s dates %v, want %v", tt.label, got, tt.dates)
			}
			var names []string
			for _, c := range f.Doc.Claims {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, tt.claims) {
				t.Errorf("claims %q, want %q", names, tt.claims)
			}
		})
	}
}
