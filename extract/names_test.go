package extract

import (
	"slices"
	"strings"
	"testing"

	"dossiercheck/doctext"
)

func TestNamesLayouts(t *testing.T) {
	tests := []struct {
		name        string
		lines       []doctext.Line
		last, first string
	}{
		{"label and value on one line", doctext.PlainLines("Nom / Surname : DUPONT\nPrénoms / Given names : Jean Marc\nNombre de pièces : 3"), "DUPONT", "Jean Marc"},
		{"value under its label, text layer", doctext.PlainLines("NOM / Surname\nMARTIN\nPrénoms / Given names\nLéa, Marie"), "MARTIN", "Léa, Marie"},
		{"1995 card", doctext.PlainLines("CARTE NATIONALE D'IDENTITÉ N° : 120369004321\nNom : DUPONT\nPrénom(s) : Jean, Marc\nSexe : M   Né(e) le : 12.03.1990"), "DUPONT", "Jean, Marc"},
		{"Belgian eID", doctext.PlainLines("Nom / Name : VAN DEN BERG\nPrénoms / Given names : Anne-Sophie"), "VAN DEN BERG", "Anne-Sophie"},
		{"Belgian eID, Dutch first, three languages", doctext.PlainLines("Naam / Nom / Name : VAN DEN BERG\nVoornamen / Prénoms / Given names : Anne-Sophie"), "VAN DEN BERG", "Anne-Sophie"},
		{"Dutch full name label", doctext.PlainLines("Naam en voornaam : VAN DEN BERG Anne"), "VAN DEN BERG Anne", ""},
		{"value right of its label, across a tab stop", doctext.PlainLines("Nom         DURAND\nPrénom      Émile"), "DURAND", "Émile"},
		{"full name label", doctext.PlainLines("Nom et prénom : Paul DURAND"), "Paul DURAND", ""},
		// Recto and verso scanned side by side: the verso's postcode and
		// issue date stand on the labels' lines.
		{"recto and verso side by side", ocrPage(cniSideBySide), "MARTIN-LÉGER", "LÉA, MARIE"},
		{"side by side, labels misread", ocrPage(noisy(cniSideBySide, map[string]string{"NOM": "N0M", "Prénoms": "Pr énoms", "MARTIN-LÉGER": "MARTIN-LEGER|"})), "MARTIN-LEGER", "LÉA, MARIE"},
		{"side by side, lowercase label", ocrPage(noisy(cniSideBySide, map[string]string{"NOM": "Nom", "Prénoms": "Prenorns"})), "MARTIN-LÉGER", "LÉA, MARIE"},
		{"passport, label above value", ocrPage(passportAbove), "DURAND", "Paul, Émile"},
		{"a bill has no name fields", ocrPage(billWindow), "", ""},
		{"someone else's name field", doctext.PlainLines("Nom du déclarant                                  DUPONT\nNom de l'hébergeant : MARTIN"), "", ""},
		{"particle after a colon is a name", doctext.PlainLines("Nom : DE LA FONTAINE\nPrénom : Jean"), "DE LA FONTAINE", "Jean"},
		{"client number is no name", doctext.PlainLines("Nom du client : 123456\nNombre : 3"), "", ""},
		{"label with nothing usable", doctext.PlainLines("NOM / Surname\n69003 LYON\nPrénoms\nSEXE / Sex"), "", ""},
	}
	for _, tt := range tests {
		n := Names(tt.lines)
		if n.Last != tt.last || n.First != tt.first {
			t.Errorf("%s: got %q / %q, want %q / %q", tt.name, n.Last, n.First, tt.last, tt.first)
		}
		for _, li := range n.Lines {
			if l := tt.lines[li].Text; !strings.Contains(l, n.Last) && !strings.Contains(l, n.First) {
				t.Errorf("%s: line %d %q holds neither name", tt.name, li, l)
			}
		}
	}
}

func TestFindRecipient(t *testing.T) {
	tests := []struct {
		name   string
		lines  []doctext.Line
		want   string
		how    string
		lines2 []int // lines quoted, nil to skip
	}{
		{"civility over the address", doctext.PlainLines("ÉNERGIE LUMIÈRE\nFournisseur\nM. Jean Marc DUPONT\n12 rue des Lilas\n69003 Lyon"), "Jean Marc DUPONT", RecipientBlock, []int{2, 3, 4}},
		{"Mme with accents", doctext.PlainLines("GAZ DE LA VALLÉE\nMme Léa MARTIN\n4 allée des Chênes\n44000 Nantes"), "Léa MARTIN", RecipientBlock, nil},
		{"capitals, no accents", doctext.PlainLines("EAUX DU GRAND BASSIN\nMME LEA MARTIN\nBAT B APPT 12\n12 RUE DES LILAS\n69003 LYON"), "LEA MARTIN", RecipientBlock, nil},
		{"Monsieur", doctext.PlainLines("Monsieur Paul DURAND\n3 avenue Foch\n75016 PARIS"), "Paul DURAND", RecipientBlock, nil},
		{"à l'attention de", doctext.PlainLines("À l'attention de M. Paul Durand\n3 avenue Foch\n75016 Paris"), "Paul Durand", RecipientBlock, nil},
		{"abonné", doctext.PlainLines("Abonné : M. Paul DURAND\nRéférence client : 1234 5678"), "Paul DURAND", RecipientLabel, nil},
		{"titulaire du contrat", doctext.PlainLines("EDF\nTitulaire du contrat : M. Paul DURAND\nRéférence client : 1234 5678"), "Paul DURAND", RecipientLabel, []int{1}},
		{"nom du client", doctext.PlainLines("Facture n° 2026-33\nNom du client : Léa MARTIN-LÉGER"), "Léa MARTIN-LÉGER", RecipientLabel, nil},
		{"assuré", doctext.PlainLines("ASSURANCES MUTUELLES DE FRANCE\nATTESTATION D'ASSURANCE HABITATION\nAssuré : M. Paul DURAND\nContrat n° MRH-2026-0292"), "Paul DURAND", RecipientLabel, nil},
		{"locataire over the landlord's block", doctext.PlainLines("M. Jean PROPRIO\n3 rue du Port\n13002 Marseille\nQUITTANCE DE LOYER\nLocataire : Mme Léa MARTIN\nLogement : 12 rue des Lilas, 69003 Lyon"), "Léa MARTIN", RecipientLabel, nil},
		{"label above its value", doctext.PlainLines("Titulaire du contrat\nMME LEA MARTIN\nN° client\n1.0042.77"), "LEA MARTIN", RecipientLabel, []int{0, 1}},
		// pdftotext -layout: the sender's block on the left, the
		// customer's in the window on the right.
		{"two blocks, text layer", doctext.PlainLines("SOCIÉTÉ DES EAUX\n12 quai Perrache                              M. Paul DURAND\n69002 LYON                                    3 chemin des Vignes\n                                              69130 ÉCULLY"), "Paul DURAND", RecipientBlock, []int{1, 2, 3}},
		// The window block of a telecom bill, read by Tesseract: no
		// civility-less company name, no street taken.
		{"window block, OCR", ocrPage(billWindow), "LEA MARTIN", RecipientBlock, []int{3, 4, 5}},
		{"window block, OCR noise", ocrPage(noisy(billWindow, map[string]string{"MME": "|MME", "69003": "69OO3"})), "LEA MARTIN", RecipientBlock, nil},
		{"bare name in the window", ocrPage(noisy(billWindow, map[string]string{"MME": "Léa", "LEA": "Marie"})), "Léa Marie MARTIN", RecipientBlock, nil},
		// Refusals.
		{"salutation", doctext.PlainLines("Madame, Monsieur,\nM. 12"), "", "", nil},
		{"company over its address", doctext.PlainLines("ORANGE SA\n111 quai du Président Roosevelt\n92130 Issy-les-Moulineaux"), "", "", nil},
		{"label over a street", doctext.PlainLines("Titulaire du contrat :\n12 rue des Lilas\nClient : Service Clients EDF"), "", "", nil},
		{"single word", doctext.PlainLines("MARTIN\n12 rue des Lilas\n69003 Lyon"), "", "", nil},
	}
	for _, tt := range tests {
		r, ok := FindRecipient(tt.lines)
		if r.Name != tt.want || r.How != tt.how || ok != (tt.want != "") {
			t.Errorf("%s: got %+v %v, want %q by %q", tt.name, r, ok, tt.want, tt.how)
			continue
		}
		if tt.lines2 != nil && !slices.Equal(r.Lines, tt.lines2) {
			t.Errorf("%s: lines %v, want %v", tt.name, r.Lines, tt.lines2)
		}
		if ok && !strings.Contains(tt.lines[r.Line].Text, r.Name) {
			t.Errorf("%s: line %d %q does not hold %q", tt.name, r.Line, tt.lines[r.Line].Text, r.Name)
		}
	}
}

func FuzzNamesAndRecipient(f *testing.F) {
	for _, s := range []string{"Nom / Surname : DUPONT", "NOM\nMARTIN", "Mme Léa MARTIN\n12 rue des Lilas\n69003 LYON",
		"Titulaire du contrat :\nM. Paul DURAND", "N0M|\n\xff", "Prénom(s)   Jean"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := doctext.PlainLines(s)
		// The same text as OCR words, one box per word on a grid.
		var ocr []doctext.Line
		for i, l := range lines {
			var ws []doctext.Word
			x := 0
			for _, w := range strings.Fields(l.Text) {
				ws = append(ws, doctext.Word{Text: w, Box: rect(x, i*40, x+10*len(w), i*40+20)})
				x += 10*len(w) + 8
			}
			ocr = append(ocr, doctext.LineFromWords(ws))
		}
		for _, ls := range [][]doctext.Line{lines, ocr} {
			n := Names(ls)
			for _, li := range n.Lines {
				if li < 0 || li >= len(ls) {
					t.Fatalf("name line %d of %d", li, len(ls))
				}
			}
			if r, ok := FindRecipient(ls); ok {
				if r.Line < 0 || r.Line >= len(ls) || !strings.Contains(ls[r.Line].Text, r.Name) {
					t.Fatalf("recipient %+v not on its line", r)
				}
			}
			for _, d := range Dates(ls) {
				if d.LabelLine < 0 || d.LabelLine >= len(ls) || ls[d.Line].Text[d.Start:d.End] != d.Raw {
					t.Fatalf("bad date %+v", d)
				}
			}
		}
	})
}
