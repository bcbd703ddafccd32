package classify

import (
	"slices"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"bill", Input{Text: "FACTURE D'ÉLECTRICITÉ\nConsommation relevée : 1 284 kWh", Words: 40, Pages: 1}, ProofOfAddress},
		{"id card", Input{MRZFormat: "TD1", MRZCode: "ID"}, IdentityCard},
		{"passport", Input{MRZFormat: "TD3", MRZCode: "P"}, Passport},
		{"f02", Input{Fields: map[string]string{"theorie_date": "01/01/2026"}}, F02Form},
		{"photo", Input{Words: 0, Pages: 1, Aspect: 0.78}, IDPhoto},
		{"blank letter", Input{Text: "Bonjour", Words: 1, Pages: 1, Aspect: 0.707}, Unknown},
		{"hosting", Input{Text: "ATTESTATION D'HÉBERGEMENT\nJe certifie héberger", Words: 30, Pages: 1}, Hosting},
		// Telecom bills: an operator, a plan, a line; no kWh.
		{"box internet", Input{Text: "free\nFreebox Révolution\nVotre facture du 12/10/2026\nForfait Free Mobile 5G\nNuméro d'appel : 06 12 34 56 78", Pages: 1}, ProofOfAddress},
		{"mobile, OCR without accents", Input{Text: "SFR\nFacture\nLigne mobile 06 00 00 00 00\nForfait 100 Go", Pages: 1}, ProofOfAddress},
		{"no word facture", Input{Text: "Bouygues Telecom\nVotre forfait B&You | Ligne 06 11 22 33 44\nMontant total : 19,99 €", Pages: 1}, ProofOfAddress},
		{"orange", Input{Text: "ORANGE\nVotre facture\nForfait Livebox Fibre — ligne 04 78 00 00 00", Pages: 1}, ProofOfAddress},
		// A prefecture's letter notifying the annulment mentions the Cerfa
		// the applicant must bring: it is the decision, not the form.
		{"annulment notified by letter", Input{Text: "PRÉFECTURE DU RHÔNE\nObjet : Notification de l'annulation de votre permis de conduire\nPar décision du 27/06/2025, l'annulation de votre permis de conduire a été prononcée, avec interdiction de solliciter un nouveau permis pendant six mois.\nmuni du formulaire Cerfa n° 14880 prérempli", Pages: 1}, "annulment_decision"},
		// Court judgments.
		{"annulment judgment", Input{Text: "TRIBUNAL JUDICIAIRE DE LYON\nJUGEMENT CORRECTIONNEL\nPAR CES MOTIFS\ncondamne M. Jean DUPONT\nprononce l'annulation du permis de conduire", Pages: 2}, "annulment_decision"},
		{"suspension judgment", Input{Text: "Tribunal de police de Nantes\nJugement du 3 mars 2026\nLe tribunal condamne le prévenu à la suspension du permis de conduire pour 6 mois", Pages: 1}, "annulment_decision"},
		{"ophthalmologist's attestation", Input{Text: "Dr Anne VERHOEVEN\nOphtalmologue — INAMI 1-23456-78-910\nATTESTATION OPHTALMOLOGIQUE\nJe soussignée, médecin ophtalmologue, atteste avoir examiné ce jour Mme Thi Mai NGUYEN,\nnée le 28/02/1978 à Paris, et certifie que sa vision satisfait aux normes minimales\nFait à Namur, le 26.09.2026", Pages: 1}, "medical_certificate"},
		// An identity card's verso photographed alone.
		{"verso 2021 with MRZ", Input{Text: "ADRESSE / Address\n12 RUE DES LILAS\n69003 LYON\nDATE DE DÉLIVRANCE / Date of issue\n12 02 2021\nAUTORITÉ / Authority\nPRÉFECTURE DU RHÔNE\nIDFRAX4RTBPFW46<<<<<<<<<<<<<<<\n9404175F3102117FRA<<<<<<<<<<<6\nMARTIN<LEGER<<LEA<MARIE<<<<<<<", Pages: 1}, IdentityCard},
		{"verso 1995", Input{Text: "Adresse : 4 allée des Chênes\n44000 Nantes\nCarte valable jusqu'au : 01.03.2032\ndélivrée le : 02.03.2022\npar : SOUS-PRÉFECTURE DE BRESSUIRE\nSignature du titulaire", Pages: 1}, IdentityCard},
		// An attestation d'hébergement names the host's bill: it stays an
		// attestation.
		{"hosting quoting a bill", Input{Text: "ATTESTATION D'HÉBERGEMENT\nJe soussignée Hélène LEFÈVRE certifie héberger à mon domicile M. Jean DUPONT depuis le 1er février 2024.\nJe joins un justificatif de domicile : facture d'électricité (consommation 1 284 kWh).", Pages: 1}, Hosting},
		{"hosting without a title", Input{Text: "Je soussigné Paul MARTIN atteste sur l'honneur héberger Mme Léa DURAND depuis le 04/09/2019\nPièces jointes : facture d'électricité, facture de gaz", Pages: 1}, Hosting},
		{"freedom is not free", Input{Text: "Liberté, freedom, bureau", Pages: 1}, Unknown},
	}
	for _, tt := range tests {
		if got := Classify(tt.in); got.Kind != tt.want {
			t.Errorf("%s: got %+v, want %s", tt.name, got, tt.want)
		}
	}
}

// A text that scores the same for two kinds gets the same answer every
// time, the kind listed first in signs, with the other named in Tied and
// a lower confidence than without the tie.
func TestClassifyTieIsDeterministic(t *testing.T) {
	// f02_form: f02 1.5 + permis de conduire provisoire 1 = 2.5;
	// provisional_licence: permis de conduire provisoire 1 + royaume de
	// belgique 1 + modèle 36 0.5 = 2.5.
	in := Input{Text: "ROYAUME DE BELGIQUE\nF02 - Permis de conduire provisoire\nModèle 36", Pages: 1}
	first := Classify(in)
	if first.Kind != F02Form || !slices.Equal(first.Tied, []string{ProvisionalLicence}) {
		t.Fatalf("tie: got %+v, want f02_form tied with provisional_licence", first)
	}
	for range 200 {
		if got := Classify(in); got.Kind != first.Kind || got.Confidence != first.Confidence {
			t.Fatalf("Classify changed its answer: %+v then %+v", first, got)
		}
	}
	clear := Classify(Input{Text: "F02 - Permis de conduire provisoire\nSignature du demandeur", Pages: 1})
	if clear.Kind != F02Form || clear.Tied != nil || first.Confidence >= clear.Confidence {
		t.Errorf("tie confidence %.2f should be below the clear case's %+v", first.Confidence, clear)
	}
}

// The urbanism forms by their printed Cerfa titles, and the road-safety
// course pieces; each names the others' documents without becoming them.
func TestClassifyUrbanismAndCourse(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"DP maison individuelle", "cerfa N° 13703*08\nDéclaration préalable\nConstructions et travaux non soumis à permis de construire portant sur une maison individuelle et/ou ses annexes", CerfaDP},
		{"DP title only", "DÉCLARATION PRÉALABLE\nCadre réservé à la mairie", CerfaDP},
		{"DP other works", "N° 13404*09\nDéclaration préalable\nConstructions, travaux, installations et aménagements non soumis à permis comprenant ou non des démolitions", CerfaDP},
		{"PC maison individuelle", "cerfa N° 13406*09\nDemande de permis de construire pour une maison individuelle et/ou ses annexes", CerfaPC},
		{"PC citing the DP", "cerfa N° 13409*09\nDemande de permis de construire ou de permis d'aménager comprenant ou non des démolitions\nLes travaux relevant d'une déclaration préalable peuvent être joints à la demande", CerfaPC},
		{"PD", "cerfa N° 13405*08\nDemande de permis de démolir", CerfaPD},
		{"points statement", "RELEVÉ D'INFORMATION INTÉGRAL\nSolde de points : 8 points", PointsStatement},
		{"48N letter", "Réf. 48N\nLettre recommandée\nPériode probatoire : retrait de 3 points. Vous avez l'obligation de suivre un stage de sensibilisation à la sécurité routière dans un délai de 4 mois.\nVotre solde de points est de 3 points.", Letter48N},
		{"points statement, short title", "RELEVÉ INTÉGRAL\nPermis de conduire de catégorie B en cours de validité.\nCapital de points : 7 points", PointsStatement},
		{"48N letter, subject line", "Objet : Lettre 48N — perte de points en période probatoire\nTitulaire d'un permis probatoire, vous avez l'obligation de suivre un stage\nSolde de votre permis : 3 points", Letter48N},
		{"course attestation, suivi", "ATTESTATION DE SUIVI DE STAGE\nstage de sensibilisation à la sécurité routière\nDates du stage : du 01/10/2023 au 02/10/2023", StageAttestation},
		{"course attestation", "ATTESTATION DE STAGE\nStage de sensibilisation à la sécurité routière\nsuivi du 01/10/2023 au 02/10/2023", StageAttestation},
	}
	for _, tt := range tests {
		if got := Classify(Input{Text: tt.text, Pages: 1}); got.Kind != tt.want || len(got.Tied) > 0 {
			t.Errorf("%s: got %+v, want %s", tt.name, got, tt.want)
		}
		if !Known(tt.want) {
			t.Errorf("%s not known", tt.want)
		}
	}
}

// A Cerfa's number is recognised with its version as OCR reads it.
func TestCerfaVersion(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"cerfa n° 1400404 - article", true},
		{"cerfa n° 14004*04", true},
		{"cerfa n° 14004+04", true},
		{"N° 14004x04", true},
		{"cerfa n° 14004-04 article", true},
		{"reference 140040412", false},
		{"2140040 ", false},
		{"code postal 14004", false}, // the number alone is containsWord's
	} {
		if got := cerfaVersion(tt.text, "14004"); got != tt.want {
			t.Errorf("cerfaVersion(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
