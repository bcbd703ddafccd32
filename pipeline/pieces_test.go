package pipeline

import (
	"slices"
	"strings"
	"testing"
	"time"

	"dossiercheck/doctext"
	"dossiercheck/report"
)

func page(n int, text string) doctext.Page {
	return doctext.Page{Number: n, Source: doctext.FromOCR, Lines: doctext.PlainLines(text), MeanConfidence: 90}
}

const (
	billPage   = "EDF Facture d'électricité\nConsommation 320 kWh\nMontant total 84,20 €\nDate de facture 02/10/2026"
	detailPage = "Détail de la facture\nPériode du 01/08/2026 au 30/09/2026\nMontant total 84,20 €"
	idPage     = "RÉPUBLIQUE FRANÇAISE\nCARTE NATIONALE D'IDENTITÉ\nNom MARTIN\nPrénoms Jean\nNé le 17/04/1994"
	letterPage = "Madame, Monsieur,\nVeuillez trouver ci-joint les pièces demandées.\nCordialement"
)

func TestPieces(t *testing.T) {
	mrz := &ZoneRead{Evidence: report.Evidence{File: "scan.pdf", Page: 3}}
	tests := []struct {
		name  string
		r     Reading
		want  [][]int // pages of each piece; nil: the whole file
		kinds []string
	}{
		{"bill, its detail page, then an identity card", Reading{File: "scan.pdf", Pages: []doctext.Page{page(1, billPage), page(2, detailPage), page(3, idPage)}, MRZ: mrz},
			[][]int{{1, 2}, {3}}, []string{"proof_of_address", "identity_card"}},
		{"identity card, then a bill", Reading{File: "scan.pdf", Pages: []doctext.Page{page(1, idPage), page(2, billPage)}},
			[][]int{{1}, {2}}, []string{"identity_card", "proof_of_address"}},
		{"a bill of two pages", Reading{File: "bill.pdf", Pages: []doctext.Page{page(1, billPage), page(2, detailPage)}}, nil, nil},
		{"a covering letter joins what follows", Reading{File: "scan.pdf", Pages: []doctext.Page{page(1, letterPage), page(2, billPage)}}, nil, nil},
		{"a fillable form is one piece", Reading{File: "f.pdf", Fields: map[string]string{"x": "y"}, Pages: []doctext.Page{page(1, billPage), page(2, idPage)}}, nil, nil},
		{"one page", Reading{File: "id.jpg", Pages: []doctext.Page{page(1, idPage)}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.Problems = []report.Finding{{Rule: ruleQuality}}
			got := Pieces(tt.r)
			if tt.want == nil {
				if len(got) != 1 || got[0].Piece != nil || len(got[0].Pages) != len(tt.r.Pages) {
					t.Fatalf("split into %d pieces, want the file whole", len(got))
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d pieces, want %d", len(got), len(tt.want))
			}
			for i, p := range got {
				if !slices.Equal(p.Piece, tt.want[i]) || len(p.Pages) != len(tt.want[i]) {
					t.Errorf("piece %d holds pages %v, want %v", i, p.Piece, tt.want[i])
				}
				if k := Extract(p, time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)).Doc.Kind; k != tt.kinds[i] {
					t.Errorf("piece %d is %s, want %s", i, k, tt.kinds[i])
				}
				if (len(p.Problems) > 0) != (i == 0) {
					t.Errorf("piece %d carries %d file problems: they go with the first piece only", i, len(p.Problems))
				}
				if (p.MRZ != nil) != (tt.r.MRZ != nil && slices.Contains(p.Piece, tt.r.MRZ.Evidence.Page)) {
					t.Errorf("piece %d: MRZ %v, read on page %d", i, p.MRZ != nil, tt.r.MRZ.Evidence.Page)
				}
				if p.File != tt.r.File || !strings.Contains(p.Text(), strings.Split(p.Pages[0].Text(), "\n")[0]) {
					t.Errorf("piece %d: file %q", i, p.File)
				}
			}
		})
	}
}
