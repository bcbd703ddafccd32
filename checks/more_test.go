package checks

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"dossiercheck/dossier"
	"dossiercheck/report"
)

// nrn builds a valid Belgian national number (RULES.md §2.4).
func nrn(yymmdd, seq string, from2000 bool) string {
	base, _ := strconv.ParseInt(yymmdd+seq, 10, 64)
	if from2000 {
		base += 2_000_000_000
	}
	return fmt.Sprintf("%s%s%02d", yymmdd, seq, 97-base%97)
}

func auth(label, d string) Dated {
	x := dated(label, d, 100)
	x.Authoritative = true
	return x
}

// Each rule of RULES.md §1.2–1.5 checked here: a passing, a failing and a boundary case.
func TestRulesPassFailBoundary(t *testing.T) {
	yes := true
	passport := func(birth, issue, expiry string) Doc {
		return Doc{File: "passport.jpg", Kind: "passport", Dates: []Dated{auth("birth", birth), dated("issue", issue, 95), auth("expiry", expiry)}}
	}
	okPassport := passport("1980-05-01", "2020-01-15", "2030-01-14")
	bill := Doc{File: "bill.pdf", Kind: "proof_of_address", Dates: []Dated{dated("issue", "2026-10-20", 100)}}
	photo := func(shot string) Doc {
		return Doc{File: "photo.jpg", Kind: "id_photo", Dates: []Dated{dated("issue", shot, 100)}}
	}
	civil := func(issue string) Doc {
		return Doc{File: "acte.pdf", Kind: "marriage_certificate", Dates: []Dated{dated("issue", issue, 100)}}
	}
	pass := []Doc{okPassport, bill, photo("2026-09-01")}
	cerfa14004 := map[string]string{"declarant_nom": "DUPONT", "declarant_prenom": "Jean", "declarant_adresse": "12 rue des Lilas 69003 Lyon",
		"meuble_adresse": "3 quai du Port 13002 Marseille", "nombre_pieces": "2", "nombre_lits": "3",
		"periodes_location": "juillet-août", "fait_le": "02/11/2026", "signature": "Jean DUPONT"}
	meuble := func(form map[string]string) []Doc {
		return []Doc{{File: "cerfa.pdf", Kind: "cerfa_14004", Form: form}, {File: "id.jpg", Kind: "identity_card"}}
	}
	cerfa14880 := map[string]string{"nom": "DUPONT", "prenoms": "Jean", "naissance": "03/02/1990", "adresse": "12 rue des Lilas", "categories": "B"}
	med := func(letter string, extra ...Doc) []Doc {
		return append([]Doc{{File: "cerfa.pdf", Kind: "cerfa_14880", Form: cerfa14880, Dates: []Dated{dated("issue", "2026-10-01", 100)}},
			{File: "id.jpg", Kind: "identity_card"}, {File: "decision.pdf", Kind: "annulment_decision", Text: letter},
			{File: "psy.pdf", Kind: "psychotechnical_result"}}, extra...)
	}
	f02 := func(model string, kv ...string) Doc {
		form := with(m36Form(), append([]string{"modele_m36", "", "modele_" + model, "true"}, kv...)...)
		if model == "m18" {
			form = with(form, "guide1_nom_prenom", "", "guide1_signature", "")
		}
		return Doc{File: "f02.pdf", Kind: "f02_form", Form: form, Dates: []Dated{
			auth("exam", "2026-01-01"), auth("request", "2026-11-02"), auth("birth", "1990-02-03")}}
	}
	// scanned is a form whose birth date was read on the page, not typed.
	scanned := func(d Doc, birth string, conf float64) Doc {
		x := auth("birth", birth)
		x.Confidence, x.Scanned = conf, true
		d.Dates = append(slices.DeleteFunc(slices.Clone(d.Dates), func(x Dated) bool { return x.Label == "birth" }), x)
		return d
	}
	mrzCard := func(birth string) Doc {
		return Doc{File: "eid.jpg", Kind: "identity_card", Dates: []Dated{auth("birth", birth)}}
	}
	aptitude := func(text string) Doc { return Doc{File: "aptitude.pdf", Kind: "aptitude_certificate", Text: text} }
	prevPCP := func(expiry string) Doc {
		return Doc{File: "m36.jpg", Kind: "provisional_licence", Dates: []Dated{dated("expiry", expiry, 95)}}
	}
	issuedPCP := func(issue, expiry string) Doc {
		d := prevPCP(expiry)
		d.Dates = append(d.Dates, dated("issue", issue, 95))
		return d
	}
	school := func(hours int, from string) Doc {
		return Doc{File: "ecole.pdf", Kind: "driving_school_certificate", Text: fmt.Sprintf("Cours de pratique : %d heures", hours),
			Dates: []Dated{dated("period", from, 95), dated("period", "2026-10-30", 95)}}
	}
	m12 := func(expiry string, s Doc) []Doc { return []Doc{f02("m12"), prevPCP(expiry), s} }
	// withConfidence sets the confidence of a document's i-th date.
	withConfidence := func(d Doc, i int, conf float64) Doc {
		d.Dates = slices.Clone(d.Dates)
		d.Dates[i].Confidence = conf
		return d
	}

	runRuleCases(t, []ruleCase{
		// PASS-A1: adult on the passport's issue date.
		{"adult at issue", "fr-passeport-etranger", pass, dossier.Declared{}, "PASS-A1", report.Pass},
		{"18th birthday on the issue date", "fr-passeport-etranger", []Doc{passport("2002-01-15", "2020-01-15", "2030-01-14"), bill, photo("2026-09-01")}, dossier.Declared{}, "PASS-A1", report.Pass},
		{"17 on the issue date", "fr-passeport-etranger", []Doc{passport("2002-01-16", "2020-01-15", "2030-01-14"), bill, photo("2026-09-01")}, dossier.Declared{}, "PASS-A1", report.Fail},
		// PASS-A1: valid or expired less than 5 years ago.
		{"expired exactly 5 years before", "fr-passeport-etranger", []Doc{passport("1980-05-01", "2011-11-11", "2021-11-10"), bill, photo("2026-09-01")}, dossier.Declared{}, "PASS-A1", report.Pass},
		{"expired 5 years and a day before", "fr-passeport-etranger", []Doc{passport("1980-05-01", "2011-11-10", "2021-11-09"), bill, photo("2026-09-01")}, dossier.Declared{}, "PASS-A1", report.Fail},
		// PASS-A4: photo less than 6 months old.
		{"photo 2 months old", "fr-passeport-etranger", pass, dossier.Declared{}, "PASS-A4", report.Pass},
		{"photo exactly 6 months old", "fr-passeport-etranger", []Doc{okPassport, bill, photo("2026-05-10")}, dossier.Declared{}, "PASS-A4", report.Pass},
		{"photo 6 months and a day old", "fr-passeport-etranger", []Doc{okPassport, bill, photo("2026-05-09")}, dossier.Declared{}, "PASS-A4", report.Fail},
		{"photo without a date", "fr-passeport-etranger", []Doc{okPassport, bill, {File: "photo.jpg", Kind: "id_photo"}}, dossier.Declared{}, "PASS-A4", report.NeedsLook},
		// PASS-A6: spouse's name needs a civil-status certificate < 3 months.
		{"spouse's name, certificate 1 month old", "fr-passeport-etranger", append(pass, civil("2026-10-10")), dossier.Declared{UsageNameSpouse: &yes}, "PASS-A6", report.Pass},
		{"spouse's name, certificate exactly 3 months old", "fr-passeport-etranger", append(pass, civil("2026-08-10")), dossier.Declared{UsageNameSpouse: &yes}, "PASS-A6", report.Pass},
		{"spouse's name, certificate 3 months and a day old", "fr-passeport-etranger", append(pass, civil("2026-08-09")), dossier.Declared{UsageNameSpouse: &yes}, "PASS-A6", report.Fail},
		{"spouse's name, no certificate", "fr-passeport-etranger", pass, dossier.Declared{UsageNameSpouse: &yes}, "PASS-A6", report.Fail},
		// STR-8: Cerfa 14004 completed and signed.
		{"Cerfa 14004 complete", "fr-meuble-declaration", meuble(cerfa14004), dossier.Declared{}, "STR-8", report.Pass},
		{"Cerfa 14004 unsigned", "fr-meuble-declaration", meuble(with(cerfa14004, "signature", "")), dossier.Declared{}, "STR-8", report.Fail},
		{"Cerfa 14004 without the number of beds", "fr-meuble-declaration", meuble(with(cerfa14004, "nombre_lits", " ")), dossier.Declared{}, "STR-8", report.Fail},
		{"Cerfa 14004 scanned", "fr-meuble-declaration", meuble(nil), dossier.Declared{}, "STR-8", report.NeedsLook},
		// MED-1: biology results when the letter asks for them.
		{"no biology asked", "fr-controle-medical", med("Décision d'annulation du permis de conduire."), dossier.Declared{}, "MED-1", report.Pass},
		{"biology asked and given", "fr-controle-medical", med("Vous présenterez les résultats des examens biologiques.", Doc{File: "bio.pdf", Kind: "biology_result"}), dossier.Declared{}, "MED-1", report.Pass},
		{"biology asked, missing", "fr-controle-medical", med("Vous présenterez les résultats des examens biologiques."), dossier.Declared{}, "MED-1", report.Fail},
		{"biology asked in other words, missing", "fr-controle-medical", med("Vous présenterez les résultats des analyses biologiques (CDT, gamma-GT, VGM)."), dossier.Declared{}, "MED-1", report.Fail},
		{"Cerfa 14880 not pre-filled", "fr-controle-medical", append([]Doc{{File: "cerfa.pdf", Kind: "cerfa_14880", Form: with(cerfa14880, "categories", ""), Dates: []Dated{dated("issue", "2026-10-01", 100)}}}, med("")[1:]...), dossier.Declared{}, "MED-1", report.Fail},
		// M18-2: 20 hours, or 3 months of stage in Wallonia.
		{"20 hours", "be-pcp-m18", []Doc{f02("m18"), aptitude("Formation pratique : 20 heures")}, dossier.Declared{}, "M18-2", report.Pass},
		{"19 hours", "be-pcp-m18", []Doc{f02("m18"), aptitude("Formation pratique : 19 heures")}, dossier.Declared{}, "M18-2", report.Fail},
		{"3 months of stage", "be-pcp-m18", []Doc{f02("m18"), aptitude("3 mois de stage avec un PCP M36")}, dossier.Declared{}, "M18-2", report.Pass},
		{"hours unreadable", "be-pcp-m18", []Doc{f02("m18"), aptitude("Formation pratique")}, dossier.Declared{}, "M18-2", report.NeedsLook},
		{"M18 without certificate", "be-pcp-m18", []Doc{f02("m18")}, dossier.Declared{}, "M18-2", report.Fail},
		// M12-1: the previous PCP expired less than 3 years before the request (2026-11-02).
		{"previous PCP expired a year ago", "be-pcp-m12", m12("2025-10-01", school(6, "2025-11-01")), dossier.Declared{}, "M12-1", report.Pass},
		{"previous PCP expired exactly 3 years before", "be-pcp-m12", m12("2023-11-02", school(6, "2025-11-01")), dossier.Declared{}, "M12-1", report.Pass},
		{"previous PCP expired 3 years and a day before", "be-pcp-m12", m12("2023-11-01", school(6, "2025-11-01")), dossier.Declared{}, "M12-1", report.Fail},
		{"previous PCP still valid", "be-pcp-m12", m12("2026-11-02", school(6, "2025-11-01")), dossier.Declared{}, "M12-1", report.Fail},
		// The expiry printed is the issue date plus D3's 36, 18 or 12
		// months less a day; a year misread (2022 read 2024) is no
		// validity away from the issue date: review, not a pass.
		{"previous PCP issued 2022-02-14, expiry 2025-02-13 (36 months)", "be-pcp-m12",
			[]Doc{f02("m12"), issuedPCP("2022-02-14", "2025-02-13"), school(6, "2025-11-01")}, dossier.Declared{}, "M12-1", report.Pass},
		{"previous PCP issued 2024-08-31, expiry 2026-02-27 (18 months, month end)", "be-pcp-m12",
			[]Doc{f02("m12"), issuedPCP("2024-08-31", "2026-02-27"), school(6, "2025-11-01")}, dossier.Declared{}, "M12-1", report.Pass},
		{"previous PCP expiry 2022 read 2024", "be-pcp-m12",
			[]Doc{f02("m12"), issuedPCP("2019-02-14", "2024-02-13"), school(6, "2025-11-01")}, dossier.Declared{}, "M12-1", report.NeedsLook},
		{"previous PCP expiry misread: the lessons' rule does not use it", "be-pcp-m12",
			[]Doc{f02("m12"), issuedPCP("2019-02-14", "2024-02-13"), school(6, "2025-11-01")}, dossier.Declared{}, "M12-3", report.NeedsLook},
		{"no previous PCP", "be-pcp-m12", []Doc{f02("m12"), school(6, "2025-11-01")}, dossier.Declared{}, "M12-1", report.Fail},
		// M12-3: 6 hours, after the previous PCP's expiry.
		{"6 hours after expiry", "be-pcp-m12", m12("2025-10-01", school(6, "2025-10-02")), dossier.Declared{}, "M12-3", report.Pass},
		{"5 hours", "be-pcp-m12", m12("2025-10-01", school(5, "2025-11-01")), dossier.Declared{}, "M12-3", report.Fail},
		{"lessons on the expiry day", "be-pcp-m12", m12("2025-10-01", school(6, "2025-10-01")), dossier.Declared{}, "M12-3", report.Fail},
		// The period's start read at low confidence is not skipped for its end.
		{"lessons' start read at low confidence", "be-pcp-m12", m12("2025-10-01", withConfidence(school(6, "2025-09-20"), 0, 40)), dossier.Declared{}, "M12-3", report.NeedsLook},
		{"one lesson date read", "be-pcp-m12", m12("2025-10-01", Doc{File: "ecole.pdf", Kind: "driving_school_certificate", Text: "Cours de pratique : 6 heures",
			Dates: []Dated{dated("period", "2026-10-30", 95)}}), dossier.Declared{}, "M12-3", report.NeedsLook},
		// ID-NRN: national number valid and matching the birth date.
		{"NRN matches", "be-pcp-m36", []Doc{f02("m36", "candidat_rrn", nrn("900203", "123", false))}, dossier.Declared{}, "ID-NRN", report.Pass},
		{"NRN with separators", "be-pcp-m36", []Doc{f02("m36", "candidat_rrn", "90.02.03-123."+nrn("900203", "123", false)[9:])}, dossier.Declared{}, "ID-NRN", report.Pass},
		{"NRN check digits wrong", "be-pcp-m36", []Doc{f02("m36", "candidat_rrn", "90020312300")}, dossier.Declared{}, "ID-NRN", report.Fail},
		{"NRN of another birth date", "be-pcp-m36", []Doc{f02("m36", "candidat_rrn", nrn("900204", "123", false))}, dossier.Declared{}, "ID-NRN", report.Fail},
		// A scanned form's birth date (not typed): the card's verified date
		// or a low confidence makes a mismatch a doubt.
		{"scanned form's birth date against the card's MRZ", "be-pcp-m36", []Doc{scanned(f02("m36", "candidat_rrn", nrn("900203", "123", false)), "1999-02-03", 95), mrzCard("1990-02-03")}, dossier.Declared{}, "ID-NRN", report.NeedsLook},
		{"scanned form's birth date read with low confidence", "be-pcp-m36", []Doc{scanned(f02("m36", "candidat_rrn", nrn("900203", "123", false)), "1999-02-03", 70)}, dossier.Declared{}, "ID-NRN", report.NeedsLook},
		{"scanned form's birth date confidently another", "be-pcp-m36", []Doc{scanned(f02("m36", "candidat_rrn", nrn("900203", "123", false)), "1999-02-03", 95)}, dossier.Declared{}, "ID-NRN", report.Fail},
		// ...and the one printed on the identity card, when one was read.
		{"NRN is the card's", "be-pcp-m36", []Doc{f02("m36", "candidat_rrn", nrn("900203", "123", false)),
			eid("90.02.03-123." + nrn("900203", "123", false)[9:])}, dossier.Declared{}, "ID-NRN", report.Pass},
		{"NRN is not the card's", "be-pcp-m36", []Doc{f02("m36", "candidat_rrn", nrn("900203", "123", false)),
			eid("90.02.03-125." + nrn("900203", "125", false)[9:])}, dossier.Declared{}, "ID-NRN", report.Fail},
		{"card's NRN unread", "be-pcp-m36", []Doc{f02("m36", "candidat_rrn", nrn("900203", "123", false)),
			eid("90.02.03-125.00")}, dossier.Declared{}, "ID-NRN", report.Pass},
	})
}

// eid is a Belgian identity card whose page prints national number n.
func eid(n string) Doc {
	return Doc{File: "eid.jpg", Kind: "identity_card", Text: "CARTE D'IDENTITÉ\nN° national : " + n}
}
