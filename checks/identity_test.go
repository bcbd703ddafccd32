package checks

import (
	"testing"

	"dossiercheck/dossier"
	"dossiercheck/report"
)

func TestSameName(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"DUPONT Jean Marc", "M. Jean Marc DUPONT", true},
		{"DUPONT JEAN MARC", "Jean DUPONT", true},  // a bill gives one first name
		{"Hélène LEFÈVRE", "HELENE LEFEVRE", true}, // accents only
		{"JEAN-MARC DUPONT", "Dupont Jean Marc", true},
		{"D'ARTAGNAN Charles", "DARTAGNAN CHARLES", true}, // elision
		{"DUPONT Jean", "DUPOND Jean", false},
		{"DUPONT Jean", "MARTIN Paul", false},
		{"", "DUPONT", false},
	}
	for _, tt := range tests {
		if got := SameName(tt.a, tt.b); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestIdentityConsistency(t *testing.T) {
	c, _ := Load()
	yes := true
	id := func(name string, conf float64) Doc {
		return Doc{File: "id.jpg", Kind: "identity_card", Claims: []Claim{{Name: name, Confidence: conf, Evidence: report.Evidence{File: "id.jpg", Text: name}}},
			Dates: []Dated{dated("birth", "1990-02-03", 100)}}
	}
	bill := func(name string, conf float64) Doc {
		return Doc{File: "bill.jpg", Kind: "proof_of_address", Claims: []Claim{{Name: name, Confidence: conf, Evidence: report.Evidence{File: "bill.jpg", Text: name}}},
			Dates: []Dated{dated("issue", "2026-09-10", 95)}}
	}
	photo := Doc{File: "photo.jpg", Kind: "id_photo"}
	runRuleCases(t, []ruleCase{
		{"same name, accents differ", "fr-ants-permis", []Doc{id("LEFÈVRE Hélène", 90), bill("Mme Hélène LEFEVRE", 95), photo}, dossier.Declared{}, "ID-NAME", report.Pass},
		{"different name, both confident", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), bill("M. Paul MARTIN", 96), photo}, dossier.Declared{}, "ID-NAME", report.Fail},
		{"different name, OCR unsure", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), bill("M. Jean DUPOND", 70), photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		{"another person, moderate confidence", "fr-ants-permis", []Doc{id("LEFÈVRE Hélène", 90), bill("M. Paul MARTIN-DURAND", 70), photo}, dossier.Declared{}, "ID-NAME", report.Fail},
		{"another person, low confidence", "fr-ants-permis", []Doc{id("LEFÈVRE Hélène", 90), bill("M. Paul MARTIN-DURAND", 50), photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		{"one first name misread, moderate confidence", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), bill("M. Paul DUPONT", 70), photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		{"declared name differs", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), photo}, dossier.Declared{Applicant: &dossier.Applicant{LastName: "Martin", FirstNames: "Paul"}}, "ID-NAME", report.Fail},
		{"birth date declared differently", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), photo}, dossier.Declared{Applicant: &dossier.Applicant{BirthDate: "1990-03-02"}}, "ID-BIRTH", report.Fail},
		{"birth date agrees", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), photo}, dossier.Declared{Applicant: &dossier.Applicant{BirthDate: "1990-02-03"}}, "ID-BIRTH", report.Pass},
	})
	// Hosted: the proof of address is in the host's name, not compared.
	fs, _ := c.Check(Input{Procedure: "fr-ants-permis", Submitted: day("2026-11-10"), Declared: dossier.Declared{Hosted: &yes},
		Docs: []Doc{id("DUPONT Jean", 90), bill("M. Paul MARTIN", 96), photo}})
	for _, f := range fs {
		if f.Rule == "ID-NAME" {
			t.Errorf("hosted: proof of address compared: %+v", f)
		}
	}
}
