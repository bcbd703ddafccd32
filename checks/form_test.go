package checks

import (
	"maps"
	"testing"

	"dossiercheck/report"
)

// A complete M36 form with one guide, as fields.
func m36Form() map[string]string {
	return map[string]string{
		"candidat_nom_prenom": "DUPONT Jean", "candidat_naissance": "03/02/2000", "theorie_date": "12/05/2025",
		"demande_date": "02/11/2026", "signature_demandeur": "Jean DUPONT", "modele_m36": "true", "test_lecture": "true",
		"declaration_decheance": "true", "guide1_nom_prenom": "DUPONT Marie", "guide1_cat_b_date": "01/06/1990",
		"guide1_signature": "Marie DUPONT", "guide1_declaration": "true",
	}
}

func with(base map[string]string, kv ...string) map[string]string {
	m := maps.Clone(base)
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(m, kv[i])
		} else {
			m[kv[i]] = kv[i+1]
		}
	}
	return m
}

func TestF02Rules(t *testing.T) {
	c, _ := Load()
	full := m36Form()
	tests := []struct {
		name      string
		procedure string
		form      map[string]string
		rule      string
		want      report.Outcome
		more      []Doc // documents besides the form
	}{
		{"one guide", "be-pcp-m36", full, "M36-2", report.Pass, nil},
		{"two guides", "be-pcp-m36", with(full, "guide2_nom_prenom", "X", "guide2_cat_b_date", "01/01/2000", "guide2_signature", "X", "guide2_declaration", "true"), "M36-2", report.Pass, nil},
		{"no guide", "be-pcp-m36", with(full, "guide1_nom_prenom", ""), "M36-2", report.Fail, nil},
		{"M18 without guide", "be-pcp-m18", with(full, "guide1_nom_prenom", "", "modele_m36", "", "modele_m18", "true"), "M18-7", report.Pass, nil},
		{"M18 with a guide", "be-pcp-m18", with(full, "modele_m36", "", "modele_m18", "true"), "M18-7", report.Fail, nil},
		{"guide licensed 36 years", "be-pcp-m36", full, "GD-2", report.Pass, nil},
		{"guide licensed exactly 8 years", "be-pcp-m36", with(full, "guide1_cat_b_date", "02/11/2018"), "GD-2", report.Pass, nil},
		{"guide licensed 7 years 11 months", "be-pcp-m36", with(full, "guide1_cat_b_date", "02/12/2018"), "GD-2", report.Fail, nil},
		{"guide licence date missing", "be-pcp-m36", with(full, "guide1_cat_b_date", ""), "GD-2", report.NeedsLook, nil},
		{"second guide too recent", "be-pcp-m36", with(full, "guide2_nom_prenom", "X", "guide2_cat_b_date", "01/01/2020", "guide2_signature", "X", "guide2_declaration", "true"), "GD-2", report.Fail, nil},
		{"form complete", "be-pcp-m36", full, "BE-G10", report.Pass, nil},
		{"wrong model ticked", "be-pcp-m36", with(full, "modele_m36", "", "modele_m18", "true"), "BE-G10", report.Fail, nil},
		{"two models ticked", "be-pcp-m36", with(full, "modele_m18", "true"), "BE-G10", report.Fail, nil},
		{"candidate did not sign", "be-pcp-m36", with(full, "signature_demandeur", ""), "BE-G10", report.Fail, nil},
		{"guide did not sign", "be-pcp-m36", with(full, "guide1_signature", ""), "BE-G10", report.Fail, nil},
		{"reading test satisfied", "be-pcp-m36", full, "BE-G11", report.Pass, nil},
		{"reading test not ticked", "be-pcp-m36", with(full, "test_lecture", "false"), "BE-G11", report.NeedsLook, nil},
		{"reading test replaced by an ophthalmologist", "be-pcp-m36", with(full, "test_lecture", "false"), "BE-G11", report.Pass,
			[]Doc{{File: "eyes.jpg", Kind: "medical_certificate", Text: "ATTESTATION MÉDICALE - GROUPE 1\nDr X, Ophtalmologue"}}},
		{"a GP's attestation does not replace it", "be-pcp-m36", with(full, "test_lecture", "false"), "BE-G11", report.NeedsLook,
			[]Doc{{File: "gp.jpg", Kind: "medical_certificate", Text: "CERTIFICAT MÉDICAL\nDr X, médecine générale"}}},
		{"candidate declared", "be-pcp-m36", full, "BE-G5", report.Pass, nil},
		{"candidate declaration missing", "be-pcp-m36", with(full, "declaration_decheance", ""), "BE-G5", report.Fail, nil},
		{"guide declared", "be-pcp-m36", full, "GD-4", report.Pass, nil},
		{"guide declaration missing", "be-pcp-m36", with(full, "guide1_declaration", "Off"), "GD-4", report.Fail, nil},
		{"M12 with guide", "be-pcp-m12", with(full, "modele_m36", "", "modele_m12", "Yes"), "M12-2", report.Pass, nil},
		{"scanned form", "be-pcp-m36", nil, "BE-G10", report.NeedsLook, nil},
	}
	for _, tt := range tests {
		f02 := Doc{File: "f02.pdf", Kind: "f02_form", Form: tt.form, Dates: []Dated{
			dated("exam", "2025-05-12", 100), dated("request", "2026-11-02", 100), dated("birth", "2000-02-03", 100)}}
		fs, err := c.Check(Input{Procedure: tt.procedure, Submitted: day("2026-11-10"), Docs: append([]Doc{f02}, tt.more...)})
		if err != nil {
			t.Fatal(err)
		}
		if got := outcome(t, fs, tt.rule); got != tt.want {
			t.Errorf("%s: %s %s, want %s (%+v)", tt.name, tt.rule, got, tt.want, fs)
		}
	}
}

// A complete M36 form passes every rule: the procedure is fully automated.
func TestM36CompleteFormAccepted(t *testing.T) {
	c, _ := Load()
	f02 := Doc{File: "f02.pdf", Kind: "f02_form", Form: with(m36Form(), "candidat_rrn", nrn("000203", "123", true)), Dates: []Dated{
		dated("exam", "2025-05-12", 100), dated("request", "2026-11-02", 100), auth("birth", "2000-02-03")},
		Claims: named("f02.pdf", "DUPONT Jean")}
	fs, _ := c.Check(Input{Procedure: "be-pcp-m36", Submitted: day("2026-11-10"), Docs: []Doc{f02, readID("eid.jpg", "DUPONT Jean", "2000-02-03")}})
	if v := report.Decide(fs); v != report.Accept {
		t.Errorf("verdict %s: %+v", v, fs)
	}
}

// A value read on a scanned form that could not be trusted sends the rules
// using it to review; a field read clearly empty still fails its rule.
func TestFormDoubts(t *testing.T) {
	c, _ := Load()
	full := m36Form()
	tests := []struct {
		name  string
		form  map[string]string
		doubt map[string]string
		rule  string
		want  report.Outcome
	}{
		{"read without doubt", full, nil, "BE-G10", report.Pass},
		{"reading test box unclear", full, map[string]string{"test_lecture": "tick box neither clearly ticked nor empty"}, "BE-G11", report.NeedsLook},
		{"candidate declaration unclear", full, map[string]string{"declaration_decheance": "x"}, "BE-G5", report.NeedsLook},
		{"guide declaration unclear", full, map[string]string{"guide1_declaration": "x"}, "GD-4", report.NeedsLook},
		{"guide licence date unreadable", full, map[string]string{"guide1_cat_b_date": "no single date read"}, "GD-2", report.NeedsLook},
		{"request date unreadable", full, map[string]string{"demande_date": "low OCR confidence"}, "GD-2", report.NeedsLook},
		{"guide name unreadable", full, map[string]string{"guide1_nom_prenom": "x"}, "M36-2", report.NeedsLook},
		{"candidate signature unclear", full, map[string]string{"signature_demandeur": "too little ink"}, "BE-G10", report.NeedsLook},
		{"model box unclear", full, map[string]string{"modele_m18": "x"}, "BE-G10", report.NeedsLook},
		{"another box clearly ticked", with(full, "modele_m18", "true"), map[string]string{"modele_m12": "x"}, "BE-G10", report.Fail},
		{"unclear signature, theory date clearly empty", with(full, "theorie_date", ""), map[string]string{"signature_demandeur": "x"}, "BE-G10", report.Fail},
		{"national number unreadable", with(full, "candidat_rrn", "0002O3 123 4"), map[string]string{"candidat_rrn": "low OCR confidence"}, "ID-NRN", report.NeedsLook},
		// A guide's name read unsurely (a blank section's leader read as
		// letters): the guide may not be there, an empty signature area
		// is no missing signature.
		{"guide name unsure, no signature", with(full, "guide1_nom_prenom", "nu creer pee", "guide1_signature", ""), map[string]string{"guide1_nom_prenom": "low OCR confidence"}, "BE-G10", report.NeedsLook},
		{"a doubt on a field the rule does not use", full, map[string]string{"guide2_naissance": "x"}, "GD-2", report.Pass},
		// Read on a scan with every word confident, yet its check digits
		// fail: a misread, not a wrong number.
		{"national number read failing its check digits", with(full, "candidat_rrn", "019071490733"),
			map[string]string{"candidat_rrn": "does not hold its check digits"}, "ID-NRN", report.NeedsLook},
	}
	for _, tt := range tests {
		f02 := Doc{File: "f02.jpg", Kind: "f02_form", Form: tt.form, FormDoubt: tt.doubt, Dates: []Dated{
			dated("exam", "2025-05-12", 95), dated("request", "2026-11-02", 95), dated("birth", "2000-02-03", 95)}}
		fs, err := c.Check(Input{Procedure: "be-pcp-m36", Submitted: day("2026-11-10"), Docs: []Doc{f02}})
		if err != nil {
			t.Fatal(err)
		}
		if got := outcome(t, fs, tt.rule); got != tt.want {
			t.Errorf("%s: %s %s, want %s (%+v)", tt.name, tt.rule, got, tt.want, fs)
		}
	}
}

// The Cerfa 14004's fields are checked the same way, whatever the form
// came as.
func TestCerfa14004Doubts(t *testing.T) {
	c, _ := Load()
	form := map[string]string{"declarant_nom": "DUPONT", "declarant_prenom": "Jean", "declarant_adresse": "1 rue X", "meuble_adresse": "2 rue Y",
		"nombre_pieces": "3", "nombre_lits": "4", "periodes_location": "juillet", "fait_le": "02/11/2026", "signature": "signed"}
	for _, tt := range []struct {
		name  string
		form  map[string]string
		doubt map[string]string
		want  report.Outcome
	}{
		{"complete", form, nil, report.Pass},
		{"unsigned", with(form, "signature", ""), nil, report.Fail},
		{"fields of an unknown schema", with(form, "nombre_lits", ""), map[string]string{"nombre_lits": "no form field matched"}, report.NeedsLook},
	} {
		d := Doc{File: "cerfa.pdf", Kind: "cerfa_14004", Form: tt.form, FormDoubt: tt.doubt}
		fs, _ := c.Check(Input{Procedure: "fr-meuble-declaration", Submitted: day("2026-11-10"), Docs: []Doc{d, readID("id.jpg", "DUPONT Jean", "2000-02-03")}})
		if got := outcome(t, fs, "STR-8"); got != tt.want {
			t.Errorf("%s: STR-8 %s, want %s", tt.name, got, tt.want)
		}
	}
}
