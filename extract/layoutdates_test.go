package extract

import (
	"fmt"
	"testing"

	"dossiercheck/doctext"
)

// datesOf lists a page's dates as "label date" strings, in page order.
func datesOf(lines []doctext.Line) []string {
	var out []string
	for _, d := range Dates(lines) {
		out = append(out, fmt.Sprintf("%s %s", d.Label, d.Date.Format("2006-01-02")))
	}
	return out
}

func TestDatesLayouts(t *testing.T) {
	tests := []struct {
		name  string
		lines []doctext.Line
		want  []string
	}{
		// Recto and verso side by side: the verso's issue date stands on
		// the recto's "Prénoms" line, the expiry under a header holding
		// two labels.
		{"card recto and verso side by side", ocrPage(cniSideBySide), []string{"issue 2021-02-12", "birth 1994-04-17", "expiry 2031-02-11"}},
		{"side by side, OCR noise", ocrPage(noisy(cniSideBySide, map[string]string{"1994": "l994", "DÉLIVRANCE": "DELIVRANCE", "04": "O4"})),
			[]string{"issue 2021-02-12", "birth 1994-04-17", "expiry 2031-02-11"}},
		{"passport, two labels over two dates", ocrPage(passportAbove), []string{"birth 1988-03-03", "issue 2019-06-14", "expiry 2029-06-13"}},
		{"bill: table, subscription, due, next bill", ocrPage(billWindow), []string{"issue 2026-10-12", "since 2019-09-04", "due 2026-10-26", "other 2026-11-12"}},
		{"Belgian eID", doctext.PlainLines("Date de naissance : 17.04.1994\nValable du 12.03.2021 au 12.03.2031"), []string{"birth 1994-04-17", "issue 2021-03-12", "expiry 2031-03-12"}},
		{"Belgian eID, stacked", doctext.PlainLines("Date de naissance\n17.04.1994\nValidité\n12.03.2021 - 12.03.2031"), []string{"birth 1994-04-17", " 2021-03-12", " 2031-03-12"}}, // "Validité" is no label we read
		{"born", doctext.PlainLines("Né(e) le : 17 04 1994 à LYON\nNée le 17 avr. 1994\nDate of birth 17 AVRIL 1994"), []string{"birth 1994-04-17", "birth 1994-04-17", "birth 1994-04-17"}},
		{"text layer table (pdftotext -layout)", doctext.PlainLines("N° de facture      Date de facture      Échéance\nF2026-118833       12.10.2026           26.10.2026"), []string{"issue 2026-10-12", "due 2026-10-26"}},
		{"label left in a row", doctext.PlainLines("Date de facture            2026-10-12\nDate de prélèvement        2026-10-26"), []string{"issue 2026-10-12", "due 2026-10-26"}},
		{"what is not an issue date", doctext.PlainLines("Contrat souscrit le 04/09/2019\nLecture du compteur le 02/10/2026\nProchaine facture vers le 12 déc. 2026\nClient depuis le 1er septembre 2024\nÀ payer avant le 26/10/26\nÉchéance 26.10.2026"),
			[]string{"since 2019-09-04", "other 2026-10-02", "other 2026-12-12", "since 2024-09-01", "due 2026-10-26", "due 2026-10-26"}},
		{"issue labels", doctext.PlainLines("Facture du 12 oct. 2026\nFacture n° F2026-118833 du 12/10/26\nÉmise le 12.10.2026\nDate d'émission : 2026-10-12\nDate : 12/10/2026"),
			[]string{"issue 2026-10-12", "issue 2026-10-12", "issue 2026-10-12", "issue 2026-10-12", "issue 2026-10-12"}},
		{"rent receipt: payment and signature dates", doctext.PlainLines("Période du 01/08/2026 au 31/08/2026\nPaiement reçu le 14/08/2026 par virement.\nFait à Lyon, le 15/08/2026"),
			[]string{"period 2026-08-01", "period 2026-08-31", "other 2026-08-14", "issue 2026-08-15"}},
		{"tax notice", doctext.PlainLines("Date d'établissement : 28/09/2026\nDate de mise en recouvrement : 01/10/2026\nDate limite de paiement : 12/11/2026"),
			[]string{"issue 2026-09-28", "other 2026-10-01", "due 2026-11-12"}},
		{"hosted since", doctext.PlainLines("atteste héberger M. Jean DUPONT depuis le 1er février 2024"), []string{"since 2024-02-01"}},
		{"phone numbers and amounts", doctext.PlainLines("Ligne 04 78 12 10 2026\nTotal 12/10 €\nRéf 12/10/2026/3"), nil},
	}
	for _, tt := range tests {
		if got := datesOf(tt.lines); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestDateFormats(t *testing.T) {
	tests := []struct{ in, want string }{
		{"17 04 1994", "1994-04-17"},
		{"17.04.1994", "1994-04-17"},
		{"17/04/1994", "1994-04-17"},
		{"17 AVRIL 1994", "1994-04-17"},
		{"17 avr. 1994", "1994-04-17"},
		{"12/10/26", "2026-10-12"},
		{"12.10.69", "1969-10-12"}, // the %y pivot
		{"12 oct. 2026", "2026-10-12"},
		{"2026-10-12", "2026-10-12"},
		{"1er septembre 2024", "2024-09-01"},
		{"17/O4/l994", "1994-04-17"},
		{"27 AVRIL/APR 2025", "2025-04-27"}, // a passport's bilingual months
		{"30 NOV./NOV 1985", "1985-11-30"},
		{"12 JUIN/JUN 2019", "2019-06-12"},
	}
	for _, tt := range tests {
		refs := Dates(doctext.PlainLines("le " + tt.in))
		if len(refs) != 1 || refs[0].Date.Format("2006-01-02") != tt.want {
			t.Errorf("%q: got %+v, want %s", tt.in, refs, tt.want)
		}
	}
}
