package checks

import (
	"strings"
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
		{"MARTIN-DU RAND Paul", "MARTIN DURAND PAUL", true}, // OCR cut a word
		{"MARTIN DU RAND", "MARTIN DURAND PAUL", false},
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
			Dates: []Dated{dated("birth", "1990-02-03", 100)}, MRZ: &MRZRead{Valid: true}}
	}
	bill := func(name string, conf float64) Doc {
		return Doc{File: "bill.jpg", Kind: "proof_of_address", Claims: []Claim{{Name: name, Confidence: conf, Evidence: report.Evidence{File: "bill.jpg", Text: name}}},
			Dates: []Dated{dated("issue", "2026-09-10", 95)}}
	}
	photo := Doc{File: "photo.jpg", Kind: "id_photo"}
	futureBirth := readID("id.jpg", "DUPONT Jean", "1990-02-03")
	futureBirth.Dates = append(futureBirth.Dates, dated("birth", "2090-02-03", 93))
	futureOnly := Doc{File: "id.jpg", Kind: "identity_card", Claims: named("id.jpg", "DUPONT Jean"), Dates: []Dated{dated("birth", "2090-02-03", 93)}}
	// A card whose printed name (a label read as the name) and zone differ.
	twoNames := id("SUMAME Nom", 60)
	twoNames.Claims = append(twoNames.Claims, Claim{Name: "LEFEVRE HELENE", Confidence: 75, Evidence: report.Evidence{File: "id.jpg", Text: "LEFEVRE<<HELENE"}})
	slipped := id("LEFÈVRE Hélène", 75)
	slipped.Claims = append(slipped.Claims, Claim{Name: "CEFEVRE HELENE", Confidence: 32, Evidence: report.Evidence{File: "id.jpg", Text: "CEFEVRE<<HELENE"}})
	runRuleCases(t, []ruleCase{
		{"a card naming two people", "fr-ants-permis", []Doc{twoNames, photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		// Its names decide nothing else: the label read as a name does
		// not reject the applicant's bill.
		{"a card naming two people, a bill naming one", "fr-ants-permis", []Doc{twoNames, bill("Mme Hélène LEFÈVRE", 95), photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		// A card whose zone slipped a letter still names one person: a
		// bill naming another rejects.
		{"a card with a slip, a bill naming another", "fr-ants-permis", []Doc{slipped, bill("M. Jean Marc DUPONT", 95), photo}, dossier.Declared{}, "ID-NAME", report.Fail},
		{"same name, accents differ", "fr-ants-permis", []Doc{id("LEFÈVRE Hélène", 90), bill("Mme Hélène LEFEVRE", 95), photo}, dossier.Declared{}, "ID-NAME", report.Pass},
		{"different name, both confident", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), bill("M. Paul MARTIN", 96), photo}, dossier.Declared{}, "ID-NAME", report.Fail},
		{"one letter apart, both confident", "fr-ants-permis", []Doc{id("NGUYEN Thi Mat", 95), bill("Mme Thi Mai NGUYEN", 93), photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		{"two letters apart, both confident", "fr-ants-permis", []Doc{id("DUPONT Jean", 95), bill("M. Jean DUPUIT", 93), photo}, dossier.Declared{}, "ID-NAME", report.Fail},
		{"different name, OCR unsure", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), bill("M. Jean DUPOND", 70), photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		{"another person, moderate confidence", "fr-ants-permis", []Doc{id("LEFÈVRE Hélène", 90), bill("M. Paul MARTIN-DURAND", 70), photo}, dossier.Declared{}, "ID-NAME", report.Fail},
		{"another person with short names, moderate confidence", "fr-ants-permis", []Doc{id("NGUYEN Thi Mai", 89.6), bill("M. Jean Marc DUPONT", 95), photo}, dossier.Declared{}, "ID-NAME", report.Fail},
		{"another person, low confidence", "fr-ants-permis", []Doc{id("LEFÈVRE Hélène", 90), bill("M. Paul MARTIN-DURAND", 50), photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		{"one first name misread, moderate confidence", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), bill("M. Paul DUPONT", 70), photo}, dossier.Declared{}, "ID-NAME", report.NeedsLook},
		{"declared name differs", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), photo}, dossier.Declared{Applicant: &dossier.Applicant{LastName: "Martin", FirstNames: "Paul"}}, "ID-NAME", report.Fail},
		{"birth date declared differently", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), photo}, dossier.Declared{Applicant: &dossier.Applicant{BirthDate: "1990-03-02"}}, "ID-BIRTH", report.Fail},
		{"birth date agrees", "fr-ants-permis", []Doc{id("DUPONT Jean", 90), photo}, dossier.Declared{Applicant: &dossier.Applicant{BirthDate: "1990-02-03"}}, "ID-BIRTH", report.Pass},
		// A printed birth date after the submission is a misread (2090
		// for 1990), not a second birth date beside the zone's; without
		// the zone it is no birth date read.
		{"printed birth date in the future beside a valid zone", "fr-ants-permis", []Doc{futureBirth, photo}, dossier.Declared{}, "ID-BIRTH", report.Pass},
		{"printed birth date in the future, no zone", "fr-ants-permis", []Doc{futureOnly, photo}, dossier.Declared{}, "ID-BIRTH", report.NeedsLook},
	})
	// Hosted: the proof of address is in the host's name, not compared.
	fs, _ := c.Check(Input{Procedure: "fr-ants-permis", Submitted: day("2026-11-10"), Declared: dossier.Declared{Hosted: &yes},
		Docs: []Doc{id("DUPONT Jean", 90), bill("M. Paul MARTIN", 96), photo}})
	for _, f := range fs {
		if f.Rule != "ID-NAME" {
			continue
		}
		for _, e := range f.Evidence {
			if f.Outcome == report.Fail || e.File == "bill.jpg" {
				t.Errorf("hosted: proof of address compared: %+v", f)
			}
		}
	}
}

// Accept rests on evidence read: an identity document, a bill or an MRZ
// on which nothing could be read leaves a review finding that says what,
// never silence (the false accepts of an ID card read as nothing and of a
// bill whose addressee was not read).
func TestNothingReadIsReview(t *testing.T) {
	c, _ := Load()
	bill := func(claims []Claim) Doc {
		return Doc{File: "bill.jpg", Kind: "proof_of_address", Dates: []Dated{dated("issue", "2026-09-10", 95)}, Claims: claims}
	}
	photo := Doc{File: "photo.jpg", Kind: "id_photo"}
	blankID := Doc{File: "id.jpg", Kind: "identity_card", Confidence: 0.95}
	altered := readID("id.jpg", "DUPONT Jean", "1990-02-03")
	altered.Dates = []Dated{dated("birth", "1990-02-03", 95), dated("expiry", "2031-01-01", 95)} // printed only
	altered.MRZ = &MRZRead{Problem: "birth date check digit", Evidence: ev("id.jpg", "IDFRA…")}
	disagree := readID("id.jpg", "DUPONT Jean", "1990-02-03")
	disagree.Dates = append(disagree.Dates, dated("birth", "1990-02-08", 93))
	noMRZ := altered
	noMRZ.MRZ = nil
	declared := dossier.Declared{Applicant: &dossier.Applicant{LastName: "Dupont", FirstNames: "Jean", BirthDate: "1990-02-03"}}
	tests := []struct {
		name string
		docs []Doc
		decl dossier.Declared
		rule string
		want string // a phrase the finding's message must hold
	}{
		{"ID card read as nothing: name", []Doc{blankID, bill(named("bill.jpg", "M. Jean DUPONT")), photo}, declared, "ID-NAME", "no name read on id.jpg"},
		{"ID card read as nothing: birth date", []Doc{blankID, bill(named("bill.jpg", "M. Jean DUPONT")), photo}, declared, "ID-BIRTH", "no birth date read on id.jpg"},
		{"ID card read as nothing: validity", []Doc{blankID, bill(named("bill.jpg", "M. Jean DUPONT")), photo}, declared, "ID-VALID", "could not be checked"},
		{"bill's addressee not read", []Doc{readID("id.jpg", "DUPONT Jean", "1990-02-03"), bill(nil), photo}, declared, "ID-NAME", "no addressee read on bill.jpg"},
		{"MRZ check digits fail", []Doc{altered, bill(named("bill.jpg", "M. Jean DUPONT")), photo}, declared, "ID-BIRTH", "MRZ of id.jpg does not hold"},
		{"no MRZ read, printed fields only", []Doc{noMRZ, bill(named("bill.jpg", "M. Jean DUPONT")), photo}, declared, "ID-BIRTH", "no machine-readable zone read on id.jpg"},
		{"MRZ and printed birth dates differ", []Doc{disagree, bill(named("bill.jpg", "M. Jean DUPONT")), photo}, declared, "ID-BIRTH", "gives two birth dates"},
		{"a scanned F02 prints the candidate's and a guide's birth dates", []Doc{readID("id.jpg", "DUPONT Jean", "1990-02-03"), bill(named("bill.jpg", "M. Jean DUPONT")), photo,
			{File: "f02.jpg", Kind: "f02_form", Claims: named("f02.jpg", "DUPONT Jean"), Dates: []Dated{dated("birth", "1990-02-03", 95), dated("birth", "1975-02-10", 95)}}},
			declared, "ID-BIRTH", "prints 2 different birth dates"},
		{"no identity document at all (Belgian)", nil, dossier.Declared{}, "ID-NAME", "no identity document read"},
	}
	for _, tt := range tests {
		proc := "fr-ants-permis"
		if tt.docs == nil {
			proc = "be-pcp-m18"
		}
		fs, err := c.Check(Input{Procedure: proc, Submitted: day("2026-11-10"), Declared: tt.decl, Docs: tt.docs})
		if err != nil {
			t.Fatal(err)
		}
		f := find(fs, tt.rule, func(f report.Finding) bool { return f.Outcome == report.NeedsLook })
		if f == nil || !strings.Contains(f.Message, tt.want) {
			t.Errorf("%s: no %s review saying %q: %+v", tt.name, tt.rule, tt.want, fs)
		}
		if v := report.Decide(fs); v == report.Accept {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	// A recto and a verso sent as two files: the verso's zone verifies the
	// recto's printed identity.
	verso := readID("id-verso.jpg", "DUPONT Jean", "1990-02-03")
	fs, _ := c.Check(Input{Procedure: "fr-ants-permis", Submitted: day("2026-11-10"), Declared: declared,
		Docs: []Doc{noMRZ, verso, bill(named("bill.jpg", "M. Jean DUPONT")), {File: "photo.jpg", Kind: "id_photo"}}})
	if f := find(fs, "ID-BIRTH", func(f report.Finding) bool { return f.Outcome != report.Pass }); f != nil {
		t.Errorf("recto and verso as two files: %+v", f)
	}
	// The same dossier read fully is accepted: the findings above come from
	// what was not read, not from the dossier.
	fs, _ = c.Check(Input{Procedure: "fr-ants-permis", Submitted: day("2026-11-10"), Declared: declared,
		Docs: []Doc{readID("id.jpg", "DUPONT Jean", "1990-02-03"), bill(named("bill.jpg", "M. Jean DUPONT")), {File: "photo.jpg", Kind: "id_photo"}}})
	if v := report.Decide(fs); v != report.Accept {
		t.Errorf("fully read dossier: %s: %+v", v, fs)
	}
}

// Every rule that applies leaves a finding, whatever was read.
func TestEveryApplicableRuleSpeaks(t *testing.T) {
	c, _ := Load()
	for _, code := range c.Codes() {
		for _, docs := range [][]Doc{nil, {{File: "x.jpg", Kind: "unknown"}}, {{File: "x.pdf", Unreadable: "corrupt"}}} {
			fs, err := c.Check(Input{Procedure: code, Submitted: day("2026-11-10"), Docs: docs})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range c.Unconditional(code) {
				if find(fs, id, func(report.Finding) bool { return true }) == nil {
					t.Errorf("%s with %d docs: %s left no finding", code, len(docs), id)
				}
			}
			if v := report.Decide(fs); v == report.Accept {
				t.Errorf("%s with %d docs: accepted", code, len(docs))
			}
		}
	}
}
