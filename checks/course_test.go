package checks

import (
	"testing"

	"dossiercheck/dossier"
	"dossiercheck/report"
)

func TestCourseRules(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	id := readID("id.jpg", "DUPONT Jean", "1990-02-03")
	statement := func(text string) Doc {
		return Doc{File: "releve.pdf", Kind: "points_statement", Confidence: 0.9, Text: "RELEVÉ D'INFORMATION INTÉGRAL\n" + text}
	}
	eight := statement("Solde de points : 8 points")
	letter := func(issue string, text string) Doc {
		return Doc{File: "48n.pdf", Kind: "letter_48n", Confidence: 0.9, Dates: []Dated{dated("issue", issue, 95)},
			Text: "Réf. 48N\nIl vous reste " + text}
	}
	attestation := func(file, from, to string) Doc {
		return Doc{File: file, Kind: "stage_attestation", Confidence: 0.9, Dates: []Dated{dated("period", from, 95), dated("period", to, 95)}}
	}
	base := dossier.Declared{CourseStart: ptr("2026-12-01"), CourseEnd: ptr("2026-12-02"), CourseReason: ptr("voluntary"),
		PreviousCourses: ptr(0), Probationary: ptr(false)}
	with := func(f func(*dossier.Declared)) dossier.Declared { d := base; f(&d); return d }
	start := func(s string) func(*dossier.Declared) {
		return func(d *dossier.Declared) {
			d.CourseStart, d.CourseEnd, d.PreviousCourses = ptr(s), ptr(day(s).AddDate(0, 0, 1).Format("2006-01-02")), ptr(1)
		}
	}
	p48 := func(received, course string) func(*dossier.Declared) {
		return func(d *dossier.Declared) {
			d.CourseReason, d.LicenceObtained, d.CourseStart = ptr("probationary_48n"), ptr("2025-01-15"), ptr(course)
			d.CourseEnd = ptr(day(course).AddDate(0, 0, 1).Format("2006-01-02"))
			if received != "" {
				d.Letter48NReceived = ptr(received)
			}
		}
	}
	judge := func(sent string) func(*dossier.Declared) {
		return func(d *dossier.Declared) {
			d.CourseReason = ptr("judge")
			if sent != "" {
				d.AttestationSent = ptr(sent)
			}
		}
	}
	tests := []struct {
		name      string
		submitted string
		docs      []Doc
		decl      dossier.Declared
		rule      string
		want      report.Outcome
		say       string
	}{
		{"identity document", "", []Doc{id, eight}, base, "SSR-1", report.Pass, "present"},
		{"no identity document", "", []Doc{eight}, base, "SSR-1", report.Fail, "missing"},

		{"8 points", "", []Doc{id, eight}, base, "SSR-2", report.Pass, "balance of 8 points"},
		{"1 point", "", []Doc{id, statement("Votre solde de points est de 1 point")}, base, "SSR-2", report.Pass, "balance of 1 points"},
		{"0 point", "", []Doc{id, statement("Solde de points : 0 point")}, base, "SSR-2", report.Fail, "not valid"},
		{"48N letter's balance", "", []Doc{id, letter("2026-10-01", "3 points")}, base, "SSR-2", report.Pass, "balance of 3 points"},
		{"capital de points", "", []Doc{id, statement("Capital de points : 7 points")}, base, "SSR-2", report.Pass, "balance of 7 points"},
		{"solde de votre permis", "", []Doc{id, statement("Solde de votre permis : 3 points")}, base, "SSR-2", report.Pass, "balance of 3 points"},
		{"a zero misread as a letter is no balance", "", []Doc{id, statement("Solde de points : @ points")}, base, "SSR-2", report.NeedsLook, "no points balance read"},
		{"a date after the label is no balance", "", []Doc{id, statement("Solde au 12/03/2026")}, base, "SSR-2", report.NeedsLook, "no points balance read"},
		{"two balances", "", []Doc{id, eight, letter("2026-10-01", "3 points")}, base, "SSR-2", report.NeedsLook, "2 different points balances"},
		{"no statement nor letter: never a guess", "", []Doc{id}, base, "SSR-2", report.NeedsLook, "could not be checked"},

		// D5: the seed's own example, a course from 1 to 2 October 2023.
		{"D5 example: next course on 2024-10-01", "", []Doc{id, eight, attestation("prev.pdf", "2023-10-01", "2023-10-02")}, with(start("2024-10-01")), "SSR-3", report.Pass, "may start from 2024-10-01"},
		{"D5 example: a day early", "", []Doc{id, eight, attestation("prev.pdf", "2023-10-01", "2023-10-02")}, with(start("2024-09-30")), "SSR-3", report.Fail, "may start from 2024-10-01"},
		{"the start read at low confidence: review, not the end taken for it", "", []Doc{id, eight, {File: "prev.pdf", Kind: "stage_attestation", Confidence: 0.9,
			Dates: []Dated{dated("period", "2023-10-01", 40), dated("period", "2023-10-02", 95)}}}, with(start("2024-10-01")), "SSR-3", report.NeedsLook, "could not be read"},
		{"only one date of the period read", "", []Doc{id, eight, {File: "prev.pdf", Kind: "stage_attestation", Confidence: 0.9,
			Dates: []Dated{dated("period", "2023-10-02", 95)}}}, with(start("2024-10-01")), "SSR-3", report.NeedsLook, "could not be read"},
		{"an unread attestation may be a later course's", "", []Doc{id, eight, attestation("old.pdf", "2021-10-01", "2021-10-02"),
			{File: "prev.pdf", Kind: "stage_attestation", Confidence: 0.9}}, with(start("2024-10-01")), "SSR-3", report.NeedsLook, "another course attestation"},
		{"an unread attestation does not save a course too early", "", []Doc{id, eight, attestation("prev.pdf", "2023-10-01", "2023-10-02"),
			{File: "other.pdf", Kind: "stage_attestation", Confidence: 0.9}}, with(start("2024-09-30")), "SSR-3", report.Fail, "may start from 2024-10-01"},
		{"first course, none declared", "", []Doc{id, eight}, base, "SSR-3", report.Pass, "no previous course"},
		{"a previous course declared, its attestation absent", "", []Doc{id, eight}, with(start("2026-12-01")), "SSR-3", report.NeedsLook, "1 previous course(s) declared"},
		{"this course's own attestation is not a previous one", "", []Doc{id, eight, attestation("this.pdf", "2026-12-01", "2026-12-02")}, base, "SSR-3", report.Pass, "no previous course"},
		{"previous courses not declared", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.PreviousCourses = nil }), "SSR-3", report.NeedsLook, "previous_courses"},

		{"48N received, course 4 months later to the day", "", []Doc{id, letter("2026-09-01", "3 points")}, with(p48("2026-09-05", "2027-01-05")), "SSR-4", report.Pass, "limit 2027-01-05"},
		{"48N received, course 4 months and a day later", "", []Doc{id, letter("2026-09-01", "3 points")}, with(p48("2026-09-05", "2027-01-06")), "SSR-4", report.Fail, "after the 4 months"},
		{"48N receipt not declared, within 4 months of its date", "", []Doc{id, letter("2026-09-01", "3 points")}, with(p48("", "2026-12-01")), "SSR-4", report.Pass, "within 4 months of the letter's date"},
		{"48N receipt not declared, later", "", []Doc{id, letter("2026-09-01", "3 points")}, with(p48("", "2027-01-03")), "SSR-4", report.NeedsLook, "letter_48n_received"},
		{"48N received before its date", "", []Doc{id, letter("2026-09-01", "3 points")}, with(p48("2026-08-20", "2026-12-01")), "SSR-4", report.NeedsLook, "before its date"},
		{"48N course without the letter", "", []Doc{id, eight}, with(p48("2026-09-05", "2026-12-01")), "SSR-4", report.Fail, "48N letter missing"},

		{"1 previous course: no interview", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.PreviousCourses = ptr(1) }), "SSR-5", report.Pass, "not required"},
		{"1 previous course declared, its attestation unread", "", []Doc{id, eight, {File: "prev.pdf", Kind: "stage_attestation", Confidence: 0.9}},
			with(func(d *dossier.Declared) { d.PreviousCourses = ptr(1) }), "SSR-5", report.Pass, "not required"},
		{"1 previous course declared, one attestation read and one unread: may be 2", "", []Doc{id, eight, attestation("old.pdf", "2021-10-01", "2021-10-02"),
			{File: "prev.pdf", Kind: "stage_attestation", Confidence: 0.9}}, with(func(d *dossier.Declared) { d.PreviousCourses = ptr(1) }), "SSR-5", report.NeedsLook, "could not be read"},
		{"2 previous courses, interview planned", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.PreviousCourses, d.InterviewPlanned = ptr(2), ptr(true) }), "SSR-5", report.Pass, "is planned"},
		{"2 previous courses, no interview", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.PreviousCourses, d.InterviewPlanned = ptr(2), ptr(false) }), "SSR-5", report.Fail, "not planned"},
		{"2 previous courses, interview not declared", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.PreviousCourses = ptr(2) }), "SSR-5", report.NeedsLook, "interview_planned"},
		{"1 declared, 2 attestations read", "", []Doc{id, eight, attestation("a.pdf", "2023-10-01", "2023-10-02"), attestation("b.pdf", "2025-03-01", "2025-03-02")},
			with(func(d *dossier.Declared) { d.PreviousCourses, d.InterviewPlanned = ptr(1), ptr(false) }), "SSR-5", report.Fail, "2 previous courses"},

		{"judicial course: no points", "", []Doc{id}, with(judge("")), "SSR-6", report.Pass, "none"},
		{"8 points: 4 back", "", []Doc{id, eight}, base, "SSR-6", report.Pass, "4 point(s): balance 8"},
		{"10 points: 2 back within 12", "", []Doc{id, statement("Solde de points : 10 points")}, base, "SSR-6", report.Pass, "2 point(s): balance 10"},
		{"probationary under 1 year, 3 points: 3 back within 6", "", []Doc{id, statement("Solde de points : 3 points")},
			with(func(d *dossier.Declared) { d.Probationary, d.LicenceObtained = ptr(true), ptr("2026-06-01") }), "SSR-6", report.Pass, "3 point(s): balance 3"},
		{"probationary exactly 1 year: 12-point cap", "", []Doc{id, statement("Solde de points : 3 points")},
			with(func(d *dossier.Declared) { d.Probationary, d.LicenceObtained = ptr(true), ptr("2025-12-01") }), "SSR-6", report.Pass, "4 point(s): balance 3"},
		{"probationary under 1 year, 8 points read", "", []Doc{id, eight},
			with(func(d *dossier.Declared) { d.Probationary, d.LicenceObtained = ptr(true), ptr("2026-06-01") }), "SSR-6", report.NeedsLook, "over the 6-point cap"},
		{"probationary not declared", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.Probationary = nil }), "SSR-6", report.NeedsLook, "probationary"},

		{"2 consecutive days", "", []Doc{id, eight}, base, "SSR-7", report.Pass, "2 consecutive days"},
		{"3 days apart", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.CourseEnd = ptr("2026-12-03") }), "SSR-7", report.Fail, "not 2 consecutive days"},
		{"one day", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.CourseEnd = ptr("2026-12-01") }), "SSR-7", report.Fail, "not 2 consecutive days"},
		{"dates not declared", "", []Doc{id, eight}, with(func(d *dossier.Declared) { d.CourseEnd = nil }), "SSR-7", report.NeedsLook, "course_end"},

		{"judge: sent on the 15th day", "2026-12-20", []Doc{id}, with(judge("2026-12-17")), "SSR-8", report.Pass, "within 15 days"},
		{"judge: sent on the 16th day", "2026-12-20", []Doc{id}, with(judge("2026-12-18")), "SSR-8", report.Fail, "limit 2026-12-17"},
		{"judge: sent before the end", "2026-12-20", []Doc{id}, with(judge("2026-11-30")), "SSR-8", report.NeedsLook, "before the course ended"},
		{"judge: at registration, the deadline", "", []Doc{id}, with(judge("")), "SSR-8", report.Pass, "by 2026-12-17"},
		{"judge: after the course, sending not declared", "2026-12-20", []Doc{id}, with(judge("")), "SSR-8", report.NeedsLook, "attestation_sent"},
	}
	for _, tt := range tests {
		submitted := "2026-11-10"
		if tt.submitted != "" {
			submitted = tt.submitted
		}
		fs, err := c.Check(Input{Procedure: "fr-stage-sensibilisation", Submitted: day(submitted), Declared: tt.decl, Docs: tt.docs})
		says(t, tt.name, fs, err, tt.rule, tt.want, tt.say)
	}
	// Conditional rules stay silent when they do not apply.
	fs, _ := c.Check(Input{Procedure: "fr-stage-sensibilisation", Submitted: day("2026-11-10"), Declared: base, Docs: []Doc{id, eight}})
	for _, rule := range []string{"SSR-4", "SSR-8"} {
		if f := find(fs, rule, func(report.Finding) bool { return true }); f != nil {
			t.Errorf("voluntary course: %s applied: %+v", rule, f)
		}
	}
	if v := report.Decide(fs); v != report.Accept {
		t.Errorf("complete voluntary course: %s: %+v", v, fs)
	}
}

// A condition on a declared choice names a choice and its values: a
// misspelt one would load and never apply.
func TestChoiceConditions(t *testing.T) {
	load := func(when string) error {
		_, err := newChecker(Catalogue{Procedures: []Procedure{{Code: "x", Rules: []Rule{{ID: "X", Check: "piece", When: when, Kinds: []string{"identity_card"}}}}}})
		return err
	}
	for _, when := range []string{"course_reason=prosecutor|judge", "project_kind=pool"} {
		if err := load(when); err != nil {
			t.Errorf("%q: %v", when, err)
		}
	}
	for _, when := range []string{"course_reason=points", "course_reason=judge|", "colour=red", "course_reason"} {
		if load(when) == nil {
			t.Errorf("a rule applying when %q was loaded", when)
		}
	}
	judge := Input{Declared: dossier.Declared{CourseReason: ptr("judge")}}
	if !applies("course_reason=prosecutor|judge", judge) || applies("course_reason=prosecutor", judge) || applies("course_reason=judge", Input{}) {
		t.Error("choice conditions applied wrongly")
	}
}
