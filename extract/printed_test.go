package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dossiercheck/doctext"
)

var submitted = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)

// datesAt lists a page's dates read against submitted as "label date"
// strings, in page order.
func datesAt(lines []doctext.Line) []string {
	var out []string
	for _, d := range DatesAt(lines, submitted) {
		out = append(out, fmt.Sprintf("%s %s", d.Label, d.Date.Format("2006-01-02")))
	}
	return out
}

// Dates as documents print them, on one line each, read against a
// submission on 2026-11-10.
func TestPrintedDates(t *testing.T) {
	tests := []struct {
		line string
		want []string // "label date"
	}{
		// Day, month and year in figures.
		{"Date de facture : 12.10.2026", []string{"issue 2026-10-12"}},
		{"Date de facture : 12. 10. 2026", []string{"issue 2026-10-12"}},
		{"Date de facture : 12-10-2026", []string{"issue 2026-10-12"}},
		{"Date de facture : 2026-10-12", []string{"issue 2026-10-12"}},
		{"Date de facture : 2026/10/12", []string{"issue 2026-10-12"}},
		{"Date d'émission : 2026-10-12T09:30:00", []string{"issue 2026-10-12"}},
		{"Date de facture : 2026-10/12", nil}, // mixed separators
		// Two-digit years, placed against the submission.
		{"Date de facture : 12/10/26", []string{"issue 2026-10-12"}},
		{"Date de facture : 12.10.26", []string{"issue 2026-10-12"}},
		{"Date d'expiration : 31/12/45", []string{"expiry 2045-12-31"}},
		{"Date d'expiration : 01/01/47", []string{"expiry 1947-01-01"}},
		{"Né le 17/04/52", []string{"birth 1952-04-17"}},
		{"Né le 17/04/05", []string{"birth 2005-04-17"}},
		{"Né le 29/02/00", []string{"birth 2000-02-29"}},
		{"Né le 01/12/26", []string{"birth 1926-12-01"}}, // 2026-12-01 is after the submission
		// Months in words, abbreviated with or without a dot.
		{"Facture du 12 oct. 2026", []string{"issue 2026-10-12"}},
		{"Facture du 12 oct 2026", []string{"issue 2026-10-12"}},
		{"Facture du 12 oct.2026", []string{"issue 2026-10-12"}},
		{"Facture du 12 sept 2026", []string{"issue 2026-09-12"}},
		{"Facture du 12 sept. 2026", []string{"issue 2026-09-12"}},
		{"Facture du 12 sep. 2026", []string{"issue 2026-09-12"}},
		{"Facture du 12 janv. 2026", []string{"issue 2026-01-12"}},
		{"Facture du 12 févr. 2026", []string{"issue 2026-02-12"}},
		{"Facture du 12 juil. 2026", []string{"issue 2026-07-12"}},
		{"Facture du 12 déc. 2026", []string{"issue 2026-12-12"}},
		{"Facture du 12 DÉC. 2026", []string{"issue 2026-12-12"}},
		{"Fait à Lyon, le 1er mars 2026", []string{"issue 2026-03-01"}},
		{"Fait à Lyon, le 1er\u202fmars\u202f2026", []string{"issue 2026-03-01"}},
		{"Date d'émission : 12\u00a0octobre\u00a02026", []string{"issue 2026-10-12"}},
		{"Datum: 12. Oktober 2026", []string{" 2026-10-12"}},         // "Datum" alone: no label we read
		{"Gedaan te Brussel, 12 okt. 2026", []string{" 2026-10-12"}}, // Dutch
		{"Brussel, 3 maart 2026", []string{" 2026-03-03"}},
		{"Ausgestellt am 3. März 2026", []string{"issue 2026-03-03"}},
		{"Factuurdatum: 12-10-2026  Vervaldatum: 26-10-2026", []string{"issue 2026-10-12", "due 2026-10-26"}},
		{"Geboortedatum 17 APR 1994", []string{"birth 1994-04-17"}},
		{"Geburtsdatum: 17.04.1994 Gültig bis: 11.02.2031", []string{"birth 1994-04-17", "expiry 2031-02-11"}},
		{"Invoice date 12 Oct 2026 Due date 26 Oct 2026", []string{"issue 2026-10-12", "due 2026-10-26"}},
		{"Date of issue 12 Oct 2026", []string{"issue 2026-10-12"}},
		{"Date du document : 03/11/2026", []string{"issue 2026-11-03"}}, // not a period's « du »
		{"Uitgiftedatum : 03/11/2026", []string{"issue 2026-11-03"}},
		{"12 octobre 2026", []string{" 2026-10-12"}},
		// Not dates.
		{"12 octobres 2026", nil},
		{"Facture du 12 oct 26", nil}, // a month in words wants four figures
		{"Version 2026.10.123", nil},
	}
	for _, tt := range tests {
		if got := datesAt(doctext.PlainLines(tt.line)); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q:\n got %q\nwant %q", tt.line, got, tt.want)
		}
	}
}

// Without a reference date, a two-digit year takes the POSIX pivot, and a
// birth date printed so is left out: its century cannot be told.
func TestShortYearWithoutReference(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"Date de facture : 12/10/26", []string{"issue 2026-10-12 short"}},
		{"Date de facture : 12/10/69", []string{"issue 1969-10-12 short"}},
		{"Né le 17/04/52", nil},
		{"Né le 17/04/1952", []string{"birth 1952-04-17 "}},
	}
	for _, tt := range tests {
		var got []string
		for _, d := range Dates(doctext.PlainLines(tt.line)) {
			short := ""
			if d.ShortYear {
				short = "short"
			}
			got = append(got, fmt.Sprintf("%s %s %s", d.Label, d.Date.Format("2006-01-02"), short))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q:\n got %q\nwant %q", tt.line, got, tt.want)
		}
	}
}

// Labels of dates that are never the document's issue date: the start of
// a contract, a meter reading, the next bill, a direct debit, a payment
// deadline. Each is read as its own kind, on the line, in a row or under
// its label.
func TestNotIssueLabels(t *testing.T) {
	tests := []struct {
		line string
		want Label
	}{
		{"Contrat souscrit le 04/09/2019", LabelSince},
		{"Offre souscrite le 04/09/2019", LabelSince},
		{"Date de souscription : 04/09/2019", LabelSince},
		{"Début du contrat : 04/09/2019", LabelSince},
		{"Début de contrat le 04/09/2019", LabelSince},
		{"Date de début de contrat : 04/09/2019", LabelSince},
		{"Date d'abonnement : 04/09/2019", LabelSince},
		{"Date d'emménagement : 04/09/2019", LabelSince},
		{"Client depuis le 04/09/2019", LabelSince},
		{"Lecture du compteur le 02/10/2026", LabelOther},
		{"Lecture de compteur : 02/10/2026", LabelOther},
		{"Relevé du compteur le 02/10/2026", LabelOther},
		{"Relevé de compteur effectué le 02/10/2026", LabelOther},
		{"Relevé effectué le 02/10/2026", LabelOther},
		{"Index relevé le 02/10/2026", LabelOther},
		{"Date du relevé : 02/10/2026", LabelOther},
		{"Prochaine facture vers le 12/12/2026", LabelOther},
		{"Prochaine facture : 12 déc. 2026", LabelOther},
		{"Date de votre prochaine facture : 12/12/2026", LabelOther},
		{"Prochain relevé vers le 02/01/2027", LabelOther},
		{"Date de fin de contrat : 03/09/2027", LabelOther},
		{"Prélèvement le 26/10/2026", LabelDue},
		{"Sera prélevé le 26/10/2026", LabelDue},
		{"Date de prélèvement : 26/10/2026", LabelDue},
		{"Prélèvement automatique le 26/10/2026", LabelDue},
		{"Date limite de paiement : 26/10/2026", LabelDue},
		{"Échéance : 26/10/2026", LabelDue},
		{"Date d'échéance 26/10/2026", LabelDue},
		{"Montant payable le 26/10/2026", LabelDue},
		{"Date de paiement : 26/10/2026", LabelDue},
		// Misread by a letter: still not the weak "le" of an issue date.
		{"Contrat souscrlt le 04/09/2019", LabelSince},
		{"Lecturc du compteur le 02/10/2026", LabelOther},
		{"Prochalne facture : 12 déc. 2026", LabelOther},
		{"Date limlte de paiement : 26/10/2026", LabelDue},
		// The period's "relevé du … au …" stays a period.
		{"Relevé du 01/08/2026", LabelPeriod},
	}
	for _, tt := range tests {
		for _, lines := range [][]doctext.Line{
			doctext.PlainLines(tt.line),
			rowOf(tt.line),
			stackOf(tt.line),
		} {
			refs := DatesAt(lines, submitted)
			if len(refs) != 1 || refs[0].Label != tt.want {
				t.Errorf("%q (%d lines): got %+v, want one %q date", tt.line, len(lines), refs, tt.want)
			}
		}
	}
}

// rowOf prints a "label date" line as OCR reads a form's row: the label's
// words, a wide gap, the date. stackOf prints the label over the date.
func rowOf(line string) []doctext.Line {
	label, date := splitDate(line)
	return ocrPage([]lineWords{append(wordsAt(label, 100, 500), wordsAt(date, 900, 500)...)})
}

func stackOf(line string) []doctext.Line {
	label, date := splitDate(line)
	return ocrPage([]lineWords{wordsAt(label, 100, 500), wordsAt(date, 100, 560)})
}

// splitDate cuts a test line before its date: the last words holding a
// digit, with a month in words between them.
func splitDate(line string) (string, string) {
	refs := Dates(doctext.PlainLines(line))
	if len(refs) == 0 {
		return line, ""
	}
	return line[:refs[0].Start], line[refs[0].Start:]
}

// wordsAt lays out text's words from x on a line at y, 20 px wide per
// letter and 30 px high, a space of 15 px between words.
func wordsAt(text string, x, y int) lineWords {
	var out lineWords
	for _, w := range strings.Fields(text) {
		n := len([]rune(w))
		out = append(out, ow{w, 95, x, y, x + 20*n, y + 30})
		x += 20*n + 15
	}
	return out
}

// Dates in tables, as OCR reads them (word boxes, no Tesseract here): a
// header row of labels over a row of values, labels wrapped on two lines,
// columns of label and value.
func TestTableDates(t *testing.T) {
	// A bill's summary table: four columns, the header's labels over the
	// values; words of one cell 15 px apart, columns 200 px.
	header := append(append(append(wordsAt("N° de facture", 100, 500), wordsAt("Date", 500, 500)...),
		wordsAt("Souscrit le", 800, 500)...), wordsAt("Échéance", 1100, 500)...)
	values := append(append(append(wordsAt("F2026-118833", 100, 550), wordsAt("12.10.26", 500, 550)...),
		wordsAt("04/09/2019", 800, 550)...), wordsAt("2026-10-26", 1100, 550)...)
	// Header labels wrapped on two lines, over their values.
	wrapped := []lineWords{
		append(append(wordsAt("Date de", 100, 500), wordsAt("Date limite", 500, 500)...), wordsAt("Date de", 900, 500)...),
		append(append(wordsAt("facture", 100, 535), wordsAt("de paiement", 500, 535)...), wordsAt("souscription", 900, 535)...),
		append(append(wordsAt("12 oct. 2026", 100, 585), wordsAt("26/10/2026", 500, 585)...), wordsAt("04/09/2019", 900, 585)...),
	}
	// The header's labels in one cell (columns close together), the
	// values in one cell below: each value takes the label over it.
	tight := []lineWords{
		append(wordsAt("Date de facture", 100, 500), wordsAt("Date d'échéance", 430, 500)...),
		append(wordsAt("12/10/2026", 100, 550), wordsAt("26/10/2026", 430, 550)...),
	}
	// Label cells holding a reference before the label.
	refLeft := []lineWords{
		append(wordsAt("Contrat n° 4410 souscrit le", 100, 500), wordsAt("04/09/2019", 900, 500)...),
		append(wordsAt("Facture n° 77 du", 100, 550), wordsAt("12/10/2026", 900, 550)...),
	}
	// A table of meter readings: "Date" heads a column of several
	// dates; only the first row stands under it, and a reading is not
	// the bill's date.
	readings := []lineWords{
		append(wordsAt("Relevé du compteur", 100, 500), wordsAt("Index", 600, 500)...),
		append(wordsAt("02/10/2026", 100, 550), wordsAt("14 520", 600, 550)...),
		append(wordsAt("02/08/2026", 100, 590), wordsAt("14 210", 600, 590)...),
	}
	// A schedule of debits under a bare "Date": a list, none of it the
	// bill's date; the same "Date" over one value is.
	schedule := []lineWords{
		append(wordsAt("Date", 100, 500), wordsAt("Montant", 500, 500)...),
		append(wordsAt("05/11/2026", 100, 550), wordsAt("45,00", 500, 550)...),
		append(wordsAt("05/12/2026", 100, 590), wordsAt("45,00", 500, 590)...),
	}
	tests := []struct {
		name  string
		lines []doctext.Line
		want  []string
	}{
		{"schedule under a bare Date", ocrPage(schedule), []string{" 2026-11-05", " 2026-12-05"}},
		{"one value under a bare Date", ocrPage(schedule[:2]), []string{"issue 2026-11-05"}},
		{"a bare Date over its value, a field under it", doctext.PlainLines("Date\n12/10/2026\nÉchéance 26/10/2026"), []string{"issue 2026-10-12", "due 2026-10-26"}},
		{"header row over values", ocrPage([]lineWords{header, values}), []string{"issue 2026-10-12", "since 2019-09-04", "due 2026-10-26"}},
		{"labels wrapped on two lines", ocrPage(wrapped), []string{"issue 2026-10-12", "due 2026-10-26", "since 2019-09-04"}},
		{"labels and values in one cell each", ocrPage(tight), []string{"issue 2026-10-12", "due 2026-10-26"}},
		{"reference before the label", ocrPage(refLeft), []string{"since 2019-09-04", "issue 2026-10-12"}},
		{"column of readings", ocrPage(readings), []string{"other 2026-10-02", " 2026-08-02"}},
		{"text layer, wrapped header", doctext.PlainLines("Date de           Prochaine\nfacture           facture\n12/10/2026        12/12/2026"),
			[]string{"issue 2026-10-12", "other 2026-12-12"}},
	}
	for _, tt := range tests {
		if got := datesAt(tt.lines); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// FuzzDatesAt: whatever the text, every date found quotes its own bytes,
// reads the same on its own (but a birth date whose century its label
// chose), lies within the years the patterns allow, and a two-digit year
// within its window around the reference date.
func FuzzDatesAt(f *testing.F) {
	for _, s := range []string{"Date de facture : 12/10/26", "Né le 17/04/52", "Facture du 12 oct. 2026", "2026-10-12T09:30",
		"12. Oktober 2026", "le 1er\u202fmars 2026", "29/02/00", "Date de\nfacture\n12.10.2026", "31/12/45 01/01/47", "2026/10/12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := doctext.PlainLines(s)
		for _, r := range DatesAt(lines, submitted) {
			l := lines[r.Line].Text
			if r.Start < 0 || r.End > len(l) || r.Start > r.End || l[r.Start:r.End] != r.Raw {
				t.Fatalf("bad offsets %+v in %q", r, l)
			}
			if y := r.Date.Year(); y < 1900 || y > 2099 {
				t.Fatalf("year %d from %q", y, r.Raw)
			}
			if r.ShortYear && r.Label != LabelBirth && (!r.Date.After(submitted.AddDate(-80, 0, 0)) || r.Date.After(submitted.AddDate(20, 0, 0))) {
				t.Fatalf("%q placed at %s, outside its window", r.Raw, r.Date.Format(time.DateOnly))
			}
			if r.ShortYear && r.Label == LabelBirth {
				continue
			}
			alone := DatesAt(doctext.PlainLines(r.Raw), submitted)
			if len(alone) != 1 || !alone[0].Date.Equal(r.Date) {
				t.Fatalf("%q reads %s in %q, %+v alone", r.Raw, r.Date.Format(time.DateOnly), l, alone)
			}
		}
	})
}

// Dates in a two-column table, as OCR gives it: the column of labels and
// the column of values read as separate lines (Tesseract's blocks), a
// little out of line and in another size; table rules read as "|" and
// leaders as dots between a label and its value.
func TestColumnDates(t *testing.T) {
	labels := []lineWords{
		wordsAt("Date de facture", 100, 500),
		wordsAt("Souscrit le", 100, 560),
		wordsAt("Prochaine facture", 100, 620),
	}
	values := []lineWords{
		{{"12/10/2026", 95, 900, 506, 1080, 530}},
		{{"04/09/2019", 95, 900, 566, 1080, 590}},
		{{"12/12/2026", 95, 900, 626, 1080, 650}},
	}
	ruled := []lineWords{
		append(append(wordsAt("|", 60, 500), wordsAt("Date de facture", 100, 500)...), append(wordsAt("|", 700, 500), wordsAt("12/10/2026", 900, 500)...)...),
		append(append(wordsAt("|", 60, 560), wordsAt("Lecture du compteur", 100, 560)...), append(wordsAt("|", 700, 560), wordsAt("02/10/2026", 900, 560)...)...),
	}
	leaders := []lineWords{
		append(append(wordsAt("Date d'émission", 100, 500), wordsAt("..........", 500, 500)...), wordsAt("12/10/2026", 900, 500)...),
	}
	// A rule drawn between a header and its value.
	underlined := []lineWords{
		wordsAt("Date limite de paiement", 100, 500),
		wordsAt("______________", 100, 530),
		wordsAt("26/10/2026", 100, 565),
	}
	tests := []struct {
		name  string
		lines []doctext.Line
		want  []string
	}{
		{"columns read as blocks", ocrPage(append(labels, values...)), []string{"issue 2026-10-12", "since 2019-09-04", "other 2026-12-12"}},
		{"table rules between cells", ocrPage(ruled), []string{"issue 2026-10-12", "other 2026-10-02"}},
		{"leaders", ocrPage(leaders), []string{"issue 2026-10-12"}},
		{"rule under a header", ocrPage(underlined), []string{"due 2026-10-26"}},
	}
	for _, tt := range tests {
		if got := datesAt(tt.lines); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// A form field's date takes its label from the field's name, and its
// century from that label.
func TestFieldDate(t *testing.T) {
	tests := []struct {
		v     string
		label Label
		ref   time.Time
		want  string
	}{
		{"17/04/30", LabelBirth, submitted, "1930-04-17"},
		{"17/04/30", LabelIssue, submitted, "2030-04-17"},
		{"17/04/05", LabelBirth, submitted, "2005-04-17"},
		{"17/04/30", LabelBirth, time.Time{}, ""}, // no reference: not placed
		{"17/04/30", Label("request"), time.Time{}, "2030-04-17"},
		{"17 avril 1930", LabelBirth, submitted, "1930-04-17"},
		{"2026-10-12", LabelExam, submitted, "2026-10-12"},
		{"12/10/2026 ou 13/10/2026", LabelExam, submitted, ""},
		{"", LabelExam, submitted, ""},
	}
	for _, tt := range tests {
		got, ok := FieldDate(tt.v, tt.label, tt.ref)
		s := ""
		if ok {
			s = got.Format(time.DateOnly)
		}
		if s != tt.want {
			t.Errorf("FieldDate(%q, %q) = %q, want %q", tt.v, tt.label, s, tt.want)
		}
	}
}
