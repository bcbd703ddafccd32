package checks

import (
	"testing"
	"time"

	"dossiercheck/dates"
	"dossiercheck/dossier"
	"dossiercheck/report"
)

func day(s string) time.Time {
	t, err := dates.Parse(s)
	if err != nil {
		panic(err)
	}
	return t
}

func dated(label, d string, conf float64) Dated {
	return Dated{Label: label, Date: day(d), Confidence: conf, Evidence: report.Evidence{File: "f", Page: 1, Text: d}}
}

func find(fs []report.Finding, rule string, check func(report.Finding) bool) *report.Finding {
	for i := range fs {
		if fs[i].Rule == rule && check(fs[i]) {
			return &fs[i]
		}
	}
	return nil
}

func outcome(t *testing.T, fs []report.Finding, rule string) report.Outcome {
	t.Helper()
	var o report.Outcome
	n := 0
	for _, f := range fs {
		if f.Rule == rule {
			n++
			if o == "" || f.Outcome == report.Fail || (f.Outcome == report.NeedsLook && o == report.Pass) {
				o = f.Outcome
			}
		}
	}
	if n == 0 {
		t.Fatalf("no %s finding in %+v", rule, fs)
	}
	return o
}

func TestANTS4(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	id := readID("id.jpg", "DUPONT Jean", "1990-02-03")
	photo := Doc{File: "photo.jpg", Kind: "id_photo", Confidence: 0.8}
	tests := []struct {
		name  string
		dates []Dated
		want  report.Outcome
	}{
		{"2 months", []Dated{dated("issue", "2026-09-10", 95), dated("due", "2026-11-01", 95)}, report.Pass},
		{"8 months, recent due date", []Dated{dated("issue", "2026-03-10", 95), dated("due", "2026-10-30", 95)}, report.Fail},
		{"exactly 6 months", []Dated{dated("issue", "2026-05-10", 95)}, report.Pass},
		{"6 months and a day", []Dated{dated("issue", "2026-05-09", 95)}, report.Fail},
		{"no labelled issue date", []Dated{dated("", "2026-09-10", 95), dated("due", "2026-10-01", 95)}, report.NeedsLook},
		{"two issue dates", []Dated{dated("issue", "2026-09-10", 95), dated("issue", "2026-03-10", 95)}, report.NeedsLook},
		{"low confidence", []Dated{dated("issue", "2026-03-10", 40)}, report.NeedsLook},
	}
	for _, tt := range tests {
		bill := Doc{File: "bill.jpg", Kind: "proof_of_address", Confidence: 0.9, Dates: tt.dates, Claims: named("bill.jpg", "M. Jean DUPONT")}
		fs, err := c.Check(Input{Procedure: "fr-ants-permis", Submitted: day("2026-11-10"), Docs: []Doc{bill, id, photo}})
		if err != nil {
			t.Fatal(err)
		}
		f := find(fs, "ANTS-4", func(f report.Finding) bool {
			return len(f.Evidence) == 0 || f.Evidence[0].File == "f" || f.Outcome != report.Pass
		})
		if got := outcome(t, fs, "ANTS-4"); got != tt.want {
			t.Errorf("%s: ANTS-4 %s, want %s (%+v)", tt.name, got, tt.want, f)
		}
		if v := report.Decide(fs); tt.want == report.Pass && v != report.Accept {
			t.Errorf("%s: verdict %s, want accept: %+v", tt.name, v, fs)
		}
	}
}

// readID is an identity document on which a name, a birth date (from a
// valid MRZ) and an expiry were read.
func readID(file, name, birth string) Doc {
	return Doc{File: file, Kind: "identity_card", Confidence: 0.95, Claims: named(file, name),
		Dates: []Dated{auth("birth", birth), auth("expiry", "2031-01-01")}, MRZ: &MRZRead{Valid: true}}
}

// named is the claim of a document that names the applicant.
func named(file, name string) []Claim {
	return []Claim{{Name: name, Confidence: 95, Evidence: report.Evidence{File: file, Page: 1, Text: name}}}
}

func TestPieces(t *testing.T) {
	yes := true
	bill := Doc{File: "bill.jpg", Kind: "proof_of_address", Dates: []Dated{dated("issue", "2026-09-10", 95)}}
	id := Doc{File: "id.jpg", Kind: "identity_card"}
	photo := Doc{File: "photo.jpg", Kind: "id_photo"}
	runRuleCases(t, []ruleCase{
		{"photo missing", "fr-ants-permis", []Doc{bill, id}, dossier.Declared{}, "ANTS-6", report.Fail},
		{"medical decision missing, a letter weakly classified", "fr-controle-medical", []Doc{{File: "cerfa.pdf", Kind: "cerfa_14880", Confidence: 0.95},
			{File: "decision.jpg", Kind: "cerfa_14880", Confidence: 0.07}, id, {File: "psy.jpg", Kind: "psychotechnical_result", Confidence: 0.5}}, dossier.Declared{}, "MED-1", report.NeedsLook},
		{"id missing but one file unreadable", "fr-ants-permis", []Doc{bill, photo, {File: "x.pdf", Unreadable: "corrupt"}}, dossier.Declared{}, "ANTS-2", report.NeedsLook},
		{"hosted without attestation", "fr-ants-permis", []Doc{bill, id, photo}, dossier.Declared{Hosted: &yes}, "ANTS-5", report.Fail},
		{"hosted with both", "fr-ants-permis", []Doc{
			{File: "bill.jpg", Kind: "proof_of_address", Dates: bill.Dates, Claims: named("bill.jpg", "Mme Hélène LEFÈVRE")},
			readID("id.jpg", "DUPONT Jean", "1990-02-03"), readID("host.jpg", "LEFÈVRE Hélène", "1985-11-30"), photo,
			{File: "h.pdf", Kind: "hosting_attestation", Claims: []Claim{
				{Name: "Hélène LEFÈVRE", Role: RoleHost, Confidence: 95, Evidence: ev("h.pdf", "Hélène LEFÈVRE")},
				{Name: "Jean DUPONT", Role: RoleHosted, Confidence: 95, Evidence: ev("h.pdf", "Jean DUPONT")}}}},
			dossier.Declared{Hosted: &yes}, "ANTS-5", report.Pass},
		{"hosted: the applicant's recto and verso are not the host's ID", "fr-ants-permis", []Doc{bill, readID("id-recto.jpg", "DUPONT Jean", "1990-02-03"),
			readID("id-verso.jpg", "DUPONT Jean", "1990-02-03"), photo, {File: "h.pdf", Kind: "hosting_attestation"}}, dossier.Declared{Hosted: &yes}, "ANTS-5", report.Fail},
		{"minor without representative", "fr-ants-permis", []Doc{bill, id, photo}, dossier.Declared{Applicant: &dossier.Applicant{BirthDate: "2010-01-01"}}, "ANTS-12", report.Fail},
	})
}

func TestBEG7(t *testing.T) {
	c, _ := Load()
	tests := []struct {
		exam, request string
		want          report.Outcome
	}{
		{"2025-05-12", "2026-11-02", report.Pass},
		{"2023-11-02", "2026-11-02", report.Pass}, // exactly 3 years: accepted (documented choice)
		{"2023-11-01", "2026-11-02", report.Fail},
		{"2022-01-10", "2026-11-02", report.Fail},
	}
	for _, tt := range tests {
		f02 := Doc{File: "f02.pdf", Kind: "f02_form", Dates: []Dated{
			dated("exam", tt.exam, 100), dated("request", tt.request, 100), dated("birth", "2000-01-01", 100)}}
		fs, err := c.Check(Input{Procedure: "be-pcp-m36", Submitted: day("2026-11-10"), Docs: []Doc{f02}})
		if err != nil {
			t.Fatal(err)
		}
		if got := outcome(t, fs, "BE-G7"); got != tt.want {
			t.Errorf("exam %s request %s: %s, want %s", tt.exam, tt.request, got, tt.want)
		}
	}
}

func TestM36Age(t *testing.T) {
	c, _ := Load()
	for _, tt := range []struct {
		birth string
		want  report.Outcome
	}{{"2009-11-02", report.Pass}, {"2009-11-03", report.Fail}} {
		f02 := Doc{File: "f02.pdf", Kind: "f02_form", Dates: []Dated{
			dated("exam", "2026-01-01", 100), dated("request", "2026-11-02", 100), dated("birth", tt.birth, 100)}}
		fs, _ := c.Check(Input{Procedure: "be-pcp-m36", Submitted: day("2026-11-10"), Docs: []Doc{f02}})
		if got := outcome(t, fs, "M36-1"); got != tt.want {
			t.Errorf("born %s: %s, want %s", tt.birth, got, tt.want)
		}
	}
}

// A procedure without rules, or with rules still to automate, never
// accepts, even when every automated rule passes.
func TestUnautomatedRulesMeanReview(t *testing.T) {
	c, err := newChecker(Catalogue{Version: "test", Procedures: []Procedure{
		{Code: "empty", Title: "no rules yet"},
		{Code: "partial", Title: "one rule pending", Pending: []string{"X-2"},
			Rules: []Rule{{ID: "X-1", Check: "piece", Kinds: []string{"identity_card"}, What: "id", Source: "test"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{{File: "id.jpg", Kind: "identity_card"}}
	for _, code := range []string{"empty", "partial"} {
		fs, err := c.Check(Input{Procedure: code, Submitted: day("2026-11-10"), Docs: docs})
		if err != nil {
			t.Fatal(err)
		}
		if v := report.Decide(fs); v != report.Review || outcome(t, fs, "CATALOGUE") != report.NeedsLook {
			t.Errorf("%s: verdict %s, want review: %+v", code, v, fs)
		}
	}
	if _, err := c.Check(Input{Procedure: "fr-nope"}); err == nil {
		t.Error("unknown procedure accepted")
	}
	if _, err := newChecker(Catalogue{Procedures: []Procedure{{Code: "x", Rules: []Rule{{ID: "X", Check: "nope"}}}}}); err == nil {
		t.Error("a rule naming an unknown check was loaded")
	}
	if _, err := newChecker(Catalogue{Procedures: []Procedure{{Code: "x", Rules: []Rule{{ID: "X", Check: "piece", Kinds: []string{"proof_of_adress"}}}}}}); err == nil {
		t.Error("a rule naming an unknown document kind was loaded")
	}
	for _, when := range []string{"hostd", "mentions:letter", "mentions::x", "minor", "mentions:lettre:x"} {
		if _, err := newChecker(Catalogue{Procedures: []Procedure{{Code: "x", Rules: []Rule{{ID: "X", Check: "piece", When: when, Kinds: []string{"identity_card"}}}}}}); err == nil {
			t.Errorf("a rule applying when %q was loaded", when)
		}
	}
}

// Every rule names a RULES.md ID and a source.
func TestCatalogueWellFormed(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Codes()) != 9 {
		t.Errorf("procedures %v, want the 9 of the contract", c.Codes())
	}
	for _, p := range c.cat.Procedures {
		for _, r := range p.Rules {
			if r.ID == "" || r.Source == "" || r.What == "" || len(r.Kinds) == 0 {
				t.Errorf("%s: incomplete rule %+v", p.Code, r)
			}
		}
	}
}

// A typed form field outranks dates printed on the page.
func TestFormFieldOutranksPage(t *testing.T) {
	c, _ := Load()
	form := dated("birth", "2000-01-01", 100)
	form.Authoritative = true
	f02 := Doc{File: "f02.pdf", Kind: "f02_form", Dates: []Dated{
		dated("exam", "2026-01-01", 100), dated("request", "2026-11-02", 100),
		dated("birth", "1965-04-02", 100), form}} // the guide's birth date is on the page too
	fs, _ := c.Check(Input{Procedure: "be-pcp-m36", Submitted: day("2026-11-10"), Docs: []Doc{f02}})
	if got := outcome(t, fs, "M36-1"); got != report.Pass {
		t.Errorf("M36-1 %s, want pass from the form field", got)
	}
}

func TestOtherProcedures(t *testing.T) {
	yes := true
	proof := func(issue string) Doc {
		return Doc{File: "bill.pdf", Kind: "proof_of_address", Dates: []Dated{dated("issue", issue, 100)}}
	}
	passport := Doc{File: "passport.jpg", Kind: "passport"}
	photo := Doc{File: "photo.jpg", Kind: "id_photo", Dates: []Dated{dated("issue", "2026-09-01", 100)}}
	cerfa := func(avis string) Doc {
		return Doc{File: "cerfa.pdf", Kind: "cerfa_14880", Dates: []Dated{dated("issue", avis, 100)}}
	}
	med := []Doc{{File: "id.jpg", Kind: "identity_card"}, {File: "dec.pdf", Kind: "annulment_decision"}, {File: "psy.pdf", Kind: "psychotechnical_result"}}
	runRuleCases(t, []ruleCase{
		{"passport: address 3 weeks old", "fr-passeport-etranger", []Doc{passport, photo, proof("2026-10-20")}, dossier.Declared{}, "PASS-A4", report.Pass},
		{"passport: address exactly 1 month old", "fr-passeport-etranger", []Doc{passport, photo, proof("2026-10-10")}, dossier.Declared{}, "PASS-A4", report.Pass},
		{"passport: address 1 month and a day old", "fr-passeport-etranger", []Doc{passport, photo, proof("2026-10-09")}, dossier.Declared{}, "PASS-A4", report.Fail},
		{"passport: hosted without letter", "fr-passeport-etranger", []Doc{passport, photo, proof("2026-10-20")}, dossier.Declared{Hosted: &yes}, "PASS-A9", report.Fail},
		{"medical: opinion 2 years old to the day", "fr-controle-medical", append(med, cerfa("2024-11-10")), dossier.Declared{}, "MED-4", report.Pass},
		{"medical: opinion 2 years and a day old", "fr-controle-medical", append(med, cerfa("2024-11-09")), dossier.Declared{}, "MED-4", report.Fail},
		{"medical: psychotechnical result missing", "fr-controle-medical", []Doc{med[0], med[1], cerfa("2026-01-01")}, dossier.Declared{}, "MED-1", report.Fail},
		{"meublé: no Cerfa", "fr-meuble-declaration", []Doc{{File: "id.jpg", Kind: "identity_card"}}, dossier.Declared{}, "STR-8", report.Fail},
	})
}

// ruleCase is one dossier and the outcome one rule must give it.
type ruleCase struct {
	name, procedure string
	docs            []Doc
	decl            dossier.Declared
	rule            string
	want            report.Outcome
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range cases {
		fs, err := c.Check(Input{Procedure: tt.procedure, Submitted: day("2026-11-10"), Declared: tt.decl, Docs: tt.docs})
		if err != nil {
			t.Fatal(err)
		}
		if got := outcome(t, fs, tt.rule); got != tt.want {
			t.Errorf("%s: %s %s, want %s: %+v", tt.name, tt.rule, got, tt.want, fs)
		}
	}
}
