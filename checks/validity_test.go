package checks

import (
	"testing"
	"time"

	"dossiercheck/dossier"
	"dossiercheck/report"
)

// RULES.md §1.2: adult French ID cards issued 2004-01-02 … 2013-12-31 are
// valid 5 years past their printed expiry; minors' cards are not.
func TestValidUntil(t *testing.T) {
	tests := []struct {
		name                  string
		french                bool
		expiry, issued, birth string
		want                  string
		extended              bool
	}{
		{"adult 2008", true, "2018-03-01", "2008-03-02", "1980-01-01", "2023-03-01", true},
		{"first day of the extension", true, "2014-01-01", "2004-01-02", "1980-01-01", "2019-01-01", true},
		{"day before the extension", true, "2013-12-31", "2004-01-01", "1980-01-01", "2013-12-31", false},
		{"last day of the extension", true, "2023-12-30", "2013-12-31", "1980-01-01", "2028-12-30", true},
		{"day after the extension", true, "2024-01-01", "2014-01-01", "1980-01-01", "2024-01-01", false},
		{"minor at issue", true, "2018-03-01", "2008-03-02", "1990-03-03", "2018-03-01", false},
		{"18 on the issue day", true, "2018-03-01", "2008-03-02", "1990-03-02", "2023-03-01", true},
		{"issue date unread", true, "2018-03-01", "", "1980-01-01", "2018-03-01", false},
		{"birth date unread", true, "2018-03-01", "2008-03-02", "", "2018-03-01", false},
		{"not a French card", false, "2018-03-01", "2008-03-02", "1980-01-01", "2018-03-01", false},
		{"29 February expiry", true, "2012-02-29", "2006-03-01", "1970-01-01", "2017-02-28", true},
	}
	for _, tt := range tests {
		var issued, birth time.Time // zero: unread
		if tt.issued != "" {
			issued = day(tt.issued)
		}
		if tt.birth != "" {
			birth = day(tt.birth)
		}
		got, ext := validUntil(tt.french, day(tt.expiry), issued, birth)
		if got.Format("2006-01-02") != tt.want || ext != tt.extended {
			t.Errorf("%s: %s %v, want %s %v", tt.name, got.Format("2006-01-02"), ext, tt.want, tt.extended)
		}
	}
}

func TestIDValidAndHost(t *testing.T) {
	yes := true
	// A 1995-format card: printed expiry, issue and birth dates.
	cni := func(file, name, issue, expiry string) Doc {
		return Doc{File: file, Kind: "identity_card", Text: "RÉPUBLIQUE FRANÇAISE carte nationale d'identité",
			Claims: []Claim{{Name: name, Confidence: 95, Evidence: ev(file, name)}},
			Dates:  []Dated{dated("birth", "1980-06-01", 95), dated("issue", issue, 95), dated("expiry", expiry, 95)},
			MRZ:    &MRZRead{Valid: true}}
	}
	jean := func(expiry string) Doc { return cni("id.jpg", "DUPONT Jean", "2020-01-10", expiry) }
	bill := func(name string) Doc {
		return Doc{File: "bill.jpg", Kind: "proof_of_address", Dates: []Dated{dated("issue", "2026-10-01", 95)},
			Claims: []Claim{{Name: name, Confidence: 95, Evidence: ev("bill.jpg", name)}}}
	}
	attest := func(host, hosted string) Doc {
		return Doc{File: "attestation.pdf", Kind: "hosting_attestation", Claims: []Claim{
			{Name: host, Role: RoleHost, Confidence: 95, Evidence: ev("attestation.pdf", host)},
			{Name: hosted, Role: RoleHosted, Confidence: 95, Evidence: ev("attestation.pdf", hosted)}}}
	}
	photo := Doc{File: "photo.jpg", Kind: "id_photo"}
	hostID := cni("host.jpg", "LEFÈVRE Hélène", "2019-05-01", "2029-04-30")
	hostID.Dates[0] = dated("birth", "1985-11-30", 95)
	hosted := dossier.Declared{Hosted: &yes}
	hostedOK := []Doc{jean("2030-01-09"), hostID, attest("Hélène LEFÈVRE", "Jean DUPONT"), bill("Mme Hélène LEFEVRE"), photo}
	runRuleCases(t, []ruleCase{
		{"ID valid", "fr-ants-permis", []Doc{jean("2030-01-09")}, dossier.Declared{}, "ID-VALID", report.Pass},
		{"ID expired the day before", "fr-ants-permis", []Doc{jean("2026-11-09")}, dossier.Declared{}, "ID-VALID", report.NeedsLook},
		{"ID expires on the request day", "fr-ants-permis", []Doc{jean("2026-11-10")}, dossier.Declared{}, "ID-VALID", report.Pass},
		{"1995 card, adult 2012: printed expiry past, +5 years valid", "fr-ants-permis",
			[]Doc{cni("id.jpg", "DUPONT Jean", "2012-03-01", "2022-02-28")}, dossier.Declared{}, "ID-VALID", report.Pass},
		{"1995 card, adult 2005: +5 years past too", "fr-meuble-declaration",
			[]Doc{cni("id.jpg", "DUPONT Jean", "2005-03-01", "2015-02-28")}, dossier.Declared{}, "ID-VALID", report.NeedsLook},
		// A printed expiry no card carries: a digit misread (2017 read
		// 2077) must not make an expired card valid.
		{"1995 card, expiry 2017 read 2077", "fr-ants-permis",
			[]Doc{cni("id.jpg", "DUPONT Jean", "2007-09-28", "2077-09-27")}, dossier.Declared{}, "ID-VALID", report.NeedsLook},
		{"1995 card, expiry 2017 read 2027: more than 10 years after issue", "fr-ants-permis",
			[]Doc{cni("id.jpg", "DUPONT Jean", "2007-09-28", "2027-09-27")}, dossier.Declared{}, "ID-VALID", report.NeedsLook},
		{"card issued 2020, valid 10 years to the day", "fr-ants-permis",
			[]Doc{cni("id.jpg", "DUPONT Jean", "2020-09-28", "2030-09-28")}, dossier.Declared{}, "ID-VALID", report.Pass},
		{"no issue date read: expiry more than 10 years after the request", "fr-ants-permis",
			[]Doc{{File: "id.jpg", Kind: "identity_card", Dates: []Dated{dated("expiry", "2036-11-11", 95)}}}, dossier.Declared{}, "ID-VALID", report.NeedsLook},
		{"no issue date read: expiry 10 years after the request", "fr-ants-permis",
			[]Doc{{File: "id.jpg", Kind: "identity_card", Dates: []Dated{dated("expiry", "2036-11-10", 95)}}}, dossier.Declared{}, "ID-VALID", report.Pass},
		{"expiry before the issue date", "fr-ants-permis",
			[]Doc{cni("id.jpg", "DUPONT Jean", "2028-09-28", "2027-09-27")}, dossier.Declared{}, "ID-VALID", report.NeedsLook},
		// Hosted: the host's ID is not compared with the applicant's, the
		// bill is in the host's name.
		{"hosted: applicant's name", "fr-ants-permis", hostedOK, hosted, "ID-NAME", report.Pass},
		{"hosted: applicant's birth date, host's set aside", "fr-ants-permis", hostedOK,
			dossier.Declared{Hosted: &yes, Applicant: &dossier.Applicant{LastName: "Dupont", FirstNames: "Jean", BirthDate: "1980-06-01"}}, "ID-BIRTH", report.Pass},
		{"hosted: bill in the host's name", "fr-ants-permis", hostedOK, hosted, "ANTS-5", report.Pass},
		{"hosted: the attestation hosts someone else", "fr-ants-permis",
			[]Doc{jean("2030-01-09"), hostID, attest("Hélène LEFÈVRE", "Paul MARTIN"), bill("Mme Hélène LEFEVRE"), photo}, hosted, "ID-NAME", report.Fail},
		{"hosted: bill in a third person's name", "fr-ants-permis",
			[]Doc{jean("2030-01-09"), hostID, attest("Hélène LEFÈVRE", "Jean DUPONT"), bill("M. Paul MARTIN"), photo}, hosted, "ANTS-5", report.Fail},
		{"hosted: bill in the applicant's own name", "fr-passeport-etranger",
			[]Doc{jean("2030-01-09"), hostID, attest("Hélène LEFÈVRE", "Jean DUPONT"), bill("M. Jean DUPONT"), photo}, hosted, "PASS-A9", report.Fail},
		{"not hosted: a second person's ID is a mismatch", "fr-ants-permis",
			[]Doc{jean("2030-01-09"), hostID, bill("M. Jean DUPONT"), photo}, dossier.Declared{}, "ID-NAME", report.Fail},
		{"hosted, no ID bears the applicant's name", "fr-ants-permis",
			[]Doc{hostID, cni("id.jpg", "MARTIN Paul", "2020-01-10", "2030-01-09"), attest("Hélène LEFÈVRE", "Jean DUPONT"), bill("Mme Hélène LEFÈVRE")}, hosted, "ID-NAME", report.Fail},
	})
	// An expiry that was not read is not judged by the check; the checker
	// then reports the rule as not checked (review: TestNothingReadIsReview).
	if f := checkIDValid(Rule{Kinds: identityKinds, What: "identity document"}, Input{Submitted: day("2026-11-10"),
		Docs: []Doc{{File: "id.jpg", Kind: "identity_card"}}}); f != nil {
		t.Errorf("unread expiry judged: %+v", f)
	}
}

func ev(file, text string) report.Evidence { return report.Evidence{File: file, Page: 1, Text: text} }
