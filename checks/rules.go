package checks

import (
	"fmt"
	"slices"
	"time"

	"dossiercheck/dates"
	"dossiercheck/report"
)

// lowConfidence is the OCR word confidence (0–100) under which a date that
// decides a rule is not trusted: the finding goes to review rather than
// reject or accept. Tesseract scores clean 300 dpi print at 90+; a
// misread digit typically scores below 60.
const lowConfidence = 60

func finding(o report.Outcome, msg string, ev ...report.Evidence) *report.Finding {
	return &report.Finding{Outcome: o, Message: msg, Evidence: ev}
}

// checkPiece: the required piece is present (Count of them, default 1).
func checkPiece(r Rule, in Input) *report.Finding {
	need := max(1, r.Count)
	found := docsOf(in, r.Kinds)
	if people(found) >= need {
		var ev []report.Evidence
		for _, d := range found {
			ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("classified as %s (confidence %.2f)", d.Kind, d.Confidence)})
		}
		return finding(report.Pass, fmt.Sprintf("%s present", r.What), ev...)
	}
	if ev := doubtful(in); len(ev) > 0 {
		return finding(report.NeedsLook, fmt.Sprintf("%s not found among the documents read; some could not be read or recognised", r.What), ev...)
	}
	// The evidence of an absence is what the dossier holds instead.
	var ev []report.Evidence
	for _, d := range in.Docs {
		ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("classified as %s (confidence %.2f)", d.Kind, d.Confidence)})
	}
	if len(ev) == 0 {
		ev = append(ev, report.Evidence{File: "dossier", Text: "no document in the dossier"})
	}
	return finding(report.Fail, fmt.Sprintf("%s missing", r.What), ev...)
}

// people counts the persons a set of documents stands for: two files
// naming the same person (a card's recto and verso sent apart) are one
// person's piece, so "the host's identity document besides the
// applicant's" needs a second name. A document naming nobody counts as
// one of its own.
func people(docs []Doc) int {
	var names []string
	n := 0
	for _, d := range docs {
		if len(d.Claims) == 0 {
			n++
			continue
		}
		if !slices.ContainsFunc(names, func(x string) bool { return SameName(x, d.Claims[0].Name) }) {
			names = append(names, d.Claims[0].Name)
		}
	}
	return n + len(names)
}

// pickDate returns the single date with a label among a document's dates,
// or a review finding explaining why there is none to rely on.
func pickDate(d Doc, label, what string) (Dated, *report.Finding) {
	for _, x := range d.Dates {
		if x.Label == label && x.Authoritative {
			return x, nil
		}
	}
	var cands []Dated
	seen := map[time.Time]bool{}
	var others []report.Evidence
	for _, x := range d.Dates {
		if x.Label == label {
			if !seen[x.Date] {
				seen[x.Date] = true
				cands = append(cands, x)
			}
		} else {
			others = append(others, x.Evidence)
		}
	}
	switch {
	case len(cands) == 0:
		return Dated{}, finding(report.NeedsLook, fmt.Sprintf("no %s date labelled on %s; other dates on the page are not used as the %s date", label, d.File, label), others...)
	case len(cands) > 1:
		var ev []report.Evidence
		for _, c := range cands {
			ev = append(ev, c.Evidence)
		}
		return Dated{}, finding(report.NeedsLook, fmt.Sprintf("%d different %s dates on %s for the %s", len(cands), label, d.File, what), ev...)
	case cands[0].Confidence < lowConfidence:
		return Dated{}, finding(report.NeedsLook, fmt.Sprintf("%s date of the %s read with low confidence (%.0f)", label, what, cands[0].Confidence), cands[0].Evidence)
	}
	return cands[0], nil
}

// checkIssuedWithin: a document "de moins de N mois" (D1), issue date
// against the submission date. Passing if any candidate document passes.
func checkIssuedWithin(r Rule, in Input) *report.Finding {
	docs := docsOf(in, r.Kinds)
	if len(docs) == 0 {
		return nil // the piece rule reports the absence
	}
	var worst *report.Finding
	for _, d := range docs {
		dt, review := pickDate(d, "issue", r.What)
		if review != nil {
			worst = worse(worst, review)
			continue
		}
		limit := dates.AddMonthsClamp(dt.Date, r.Months)
		age := dates.MonthsBetween(dt.Date, in.Submitted)
		if dates.WithinMonths(dt.Date, in.Submitted, r.Months) {
			return finding(report.Pass, fmt.Sprintf("%s issued %s, %d month(s) before submission on %s (limit %s)",
				r.What, dates.Format(dt.Date), age, dates.Format(in.Submitted), dates.Format(limit)), dt.Evidence)
		}
		worst = worse(worst, finding(report.Fail, fmt.Sprintf("%s issued %s is more than %d months old on submission %s (valid until %s)",
			r.What, dates.Format(dt.Date), r.Months, dates.Format(in.Submitted), dates.Format(limit)), dt.Evidence))
	}
	return worst
}

// worse keeps the finding a clerk must see first: fail over review.
func worse(a, b *report.Finding) *report.Finding {
	if a == nil || (b.Outcome == report.Fail && a.Outcome != report.Fail) {
		return b
	}
	return a
}

// requestDate is the date of the request: the form's own "Fait à … le"
// date when it was read, the submission date otherwise (D7).
func requestDate(d Doc, in Input) (time.Time, []report.Evidence) {
	for _, x := range d.Dates {
		if x.Label == "request" {
			return x.Date, []report.Evidence{x.Evidence}
		}
	}
	return in.Submitted, nil
}

// checkExamWithin: the theory exam passed at most N years before the
// request (BE-G7).
func checkExamWithin(r Rule, in Input) *report.Finding {
	docs := docsOf(in, r.Kinds)
	if len(docs) == 0 {
		return nil
	}
	d := docs[0]
	dt, review := pickDate(d, "exam", r.What)
	if review != nil {
		return review
	}
	req, reqEv := requestDate(d, in)
	ev := append([]report.Evidence{dt.Evidence}, reqEv...)
	limit := dates.AddYearsClamp(dt.Date, r.Years)
	if dates.WithinYears(dt.Date, req, r.Years) {
		return finding(report.Pass, fmt.Sprintf("%s passed %s, within %d years of the request on %s (limit %s)",
			r.What, dates.Format(dt.Date), r.Years, dates.Format(req), dates.Format(limit)), ev...)
	}
	return finding(report.Fail, fmt.Sprintf("%s passed %s, more than %d years before the request on %s (valid until %s)",
		r.What, dates.Format(dt.Date), r.Years, dates.Format(req), dates.Format(limit)), ev...)
}

// checkMinAge: the candidate is at least N years old on the request date
// (M36-1, M18-1, M12-6), or, with At "issue", the holder was on the
// document's own issue date (PASS-A1: "âgé d'au moins 18 ans à la date
// d'émission de votre passeport actuel").
func checkMinAge(r Rule, in Input) *report.Finding {
	docs := docsOf(in, r.Kinds)
	if len(docs) == 0 {
		return nil
	}
	birth, review := pickDate(docs[0], "birth", r.What)
	if review != nil {
		return review
	}
	ref, refEv, on := time.Time{}, []report.Evidence(nil), "the request date"
	if r.At == "issue" {
		issue, review := pickDate(docs[0], "issue", r.What)
		if review != nil {
			return review
		}
		ref, refEv, on = issue.Date, []report.Evidence{issue.Evidence}, "the issue date"
	} else {
		ref, refEv = requestDate(docs[0], in)
	}
	ev := append([]report.Evidence{birth.Evidence}, refEv...)
	if dates.AgeAtLeast(birth.Date, ref, r.Years) {
		return finding(report.Pass, fmt.Sprintf("%s born %s is at least %d on %s %s", r.What, dates.Format(birth.Date), r.Years, on, dates.Format(ref)), ev...)
	}
	return finding(report.Fail, fmt.Sprintf("%s born %s is under %d on %s %s", r.What, dates.Format(birth.Date), r.Years, on, dates.Format(ref)), ev...)
}

// birthDate is the applicant's birth date: declared, or read on an
// identity document.
func birthDate(in Input) (time.Time, bool) {
	if a := in.Declared.Applicant; a != nil && a.BirthDate != "" {
		if t, err := dates.Parse(a.BirthDate); err == nil {
			return t, true
		}
	}
	for _, d := range docsOf(in, []string{"identity_card", "passport", "residence_permit", "f02_form"}) {
		for _, x := range d.Dates {
			if x.Label == "birth" && x.Confidence >= lowConfidence {
				return x.Date, true
			}
		}
	}
	return time.Time{}, false
}
