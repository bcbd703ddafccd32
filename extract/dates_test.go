package extract

import (
	"slices"
	"strings"
	"testing"

	"dossiercheck/doctext"
)

func TestDatesFormats(t *testing.T) {
	tests := []struct {
		line  string
		want  string
		label Label
	}{
		{"Date de facture : 14/09/2026", "2026-09-14", LabelIssue},
		{"Date d'émission : 14.09.2026", "2026-09-14", LabelIssue},
		{"Émise le 14 septembre 2026", "2026-09-14", LabelIssue},
		{"Fait à Lyon, le 1er mars 2026", "2026-03-01", LabelIssue},
		{"Fait à Lyon, le 1 er mars 2026", "2026-03-01", LabelIssue},
		{"DATE DE FACTURE 3 FÉVRIER 2026", "2026-02-03", LabelIssue},
		{"Date : 2026-02-03", "2026-02-03", LabelIssue},
		{"Date d’édition 12 févr. 2026", "2026-02-12", LabelIssue},
		{"Échéance : 30/09/2026", "2026-09-30", LabelDue},
		{"À payer avant le 30/09/2026", "2026-09-30", LabelDue},
		{"Né le 03/02/2001 à Lyon", "2001-02-03", LabelBirth},
		{"Date de naissance : 03/02/2001", "2001-02-03", LabelBirth},
		{"Examen théorique réussi le 12/05/2025", "2025-05-12", LabelExam},
		{"Catégorie B obtenue le 12/05/2010", "2010-05-12", LabelObtained},
		{"14/09/2026", "2026-09-14", LabelNone},
	}
	for _, tt := range tests {
		refs := Dates(doctext.PlainLines(tt.line))
		if len(refs) != 1 {
			t.Errorf("%q: %d dates, want 1", tt.line, len(refs))
			continue
		}
		if got := refs[0].Date.Format("2006-01-02"); got != tt.want || refs[0].Label != tt.label {
			t.Errorf("%q: got %s/%q, want %s/%q", tt.line, got, refs[0].Label, tt.want, tt.label)
		}
	}
}

func TestDatesNotDates(t *testing.T) {
	for _, line := range []string{
		"Référence 2026031412/03/2026", // a reference number glued to a date
		"N° client 1409202612",         // digits only
		"31/02/2026",                   // no such day
		"14/09.2026",                   // mixed separators
		"Montant 14,09 € TVA 20/100",   // no year
		"Compteur n° 12/34/5678",       // not a plausible year
		"le 45 septembre 2026",         // day out of range
	} {
		if refs := Dates(doctext.PlainLines(line)); len(refs) != 0 {
			t.Errorf("%q: found %v, want none", line, refs)
		}
	}
}

// A real bill carries an issue date, a due date and a consumption period;
// only the labelled issue date is the document date.
func TestBillLabels(t *testing.T) {
	page := `ÉLECTRICITÉ DE FRANCE
Facture n° FA-2026-0914   Référence client 20260312
Date de facture : 14/09/2026    Échéance : 30/09/2026
Période de consommation du 01/07/2026 au 31/08/2026
Montant à payer avant le 30/09/2026 : 84,20 €`
	refs := Dates(doctext.PlainLines(page))
	issue := Pick(refs, LabelIssue)
	if len(issue) != 1 || issue[0].Date.Format("2006-01-02") != "2026-09-14" {
		t.Fatalf("issue dates = %+v, want only 2026-09-14", issue)
	}
	if issue[0].LabelText != "Date de facture" || issue[0].Raw != "14/09/2026" {
		t.Errorf("label/raw = %q/%q", issue[0].LabelText, issue[0].Raw)
	}
	if n := len(Pick(refs, LabelPeriod)); n != 2 {
		t.Errorf("period dates = %d, want 2", n)
	}
	if n := len(Pick(refs, LabelDue)); n != 1 {
		t.Errorf("due dates = %d (distinct), want 1", n)
	}
}

func TestStackedLabel(t *testing.T) {
	refs := Dates(doctext.PlainLines("Date d'émission\n14/09/2026\n"))
	if len(refs) != 1 || refs[0].Label != LabelIssue || refs[0].Line != 1 {
		t.Fatalf("got %+v", refs)
	}
}

func FuzzDates(f *testing.F) {
	for _, s := range []string{"Date de facture : 14/09/2026", "le 1er mars 2026", "Né le 3 févr. 2001", "é/é/2026", "\xff12/03/2026",
		"Date de naissance\n17 04 1994", "Valable du 12.03.2021 au 12.03.2031", "12/10/26", "O4/l2/2O26", "Date de facture      Échéance\n12/10/2026      26/10/2026"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var words []doctext.Word
		for _, w := range strings.Fields(s) {
			words = append(words, doctext.Word{Text: w})
		}
		line := doctext.LineFromWords(words)
		for _, i := range DateWords(line) {
			if i < 0 || i >= len(line.Words) {
				t.Fatalf("word %d of %d in %q", i, len(line.Words), line.Text)
			}
		}
		lines := doctext.PlainLines(s)
		for _, r := range Dates(lines) {
			l := lines[r.Line].Text
			if r.Start < 0 || r.End > len(l) || r.Start > r.End || l[r.Start:r.End] != r.Raw {
				t.Fatalf("bad offsets %+v in %q", r, l)
			}
		}
	})
}

func TestWeakLabels(t *testing.T) {
	refs := Dates(doctext.PlainLines("Prélèvement automatique le 30/03/2026 sur votre compte."))
	if len(refs) != 1 || refs[0].Label != LabelDue {
		t.Fatalf("got %+v, want a due date", refs)
	}
}

func TestDateWords(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"Date d'émission : 24/19/2026", []string{"24/19/2026"}}, // no valid date, still its digits
		{"Période du 19/11/2025 au 09/05/2026", []string{"19/11/2025", "09/05/2026"}},
		{"Date d'émission : 19 mai 2026", []string{"19", "2026"}},
		{"Attestation éditée le 26 octobre 2926", []string{"26", "2926"}},
		{"Éditée le 1er Décembre 2026", []string{"1er", "2026"}},
		{"Réf. 2026-11-03", []string{"2026-11-03"}},
		{"Le 24 / 10 / 2026 à Lyon", []string{"24", "10", "2026"}},
		{"Montant : 96,30 € pour 48 m3", nil},
		{"Contrat n° MRH-2026-0292", nil},
	}
	for _, tt := range tests {
		var words []doctext.Word
		for _, w := range strings.Fields(tt.line) {
			words = append(words, doctext.Word{Text: w})
		}
		line := doctext.LineFromWords(words)
		var got []string
		for _, i := range DateWords(line) {
			got = append(got, line.Words[i].Text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %q, want %q", tt.line, got, tt.want)
		}
	}
}
