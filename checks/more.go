package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"dossiercheck/dates"
	"dossiercheck/doctext"
	"dossiercheck/extract"
	"dossiercheck/report"
)

// referenceDate is the request date of the dossier: the F02's "Fait à … le"
// when a form carries one, the submission date otherwise (D7).
func referenceDate(in Input) (time.Time, []report.Evidence) {
	if forms := docsOf(in, []string{"f02_form"}); len(forms) > 0 {
		return requestDate(forms[0], in)
	}
	return in.Submitted, nil
}

// checkExpiredWithin: a document's validity ended at most Years before the
// request (M12-1: "dont la durée de validité est expirée depuis moins de
// 3 ans"; PASS-A1: "valide ou périmé depuis moins de 5 ans"). With
// MustHaveExpired, a document still valid fails (M12-4: not holding a valid
// M36/M18). The limit day passes, as for D1.
func checkExpiredWithin(r Rule, in Input) *report.Finding {
	docs := docsOf(in, r.Kinds)
	if len(docs) == 0 {
		return nil
	}
	ref, refEv := referenceDate(in)
	exp, issued, review := expiryRead(docs[0], r.What)
	if review != nil {
		return review
	}
	if f := unprintable(docs[0], exp, issued, ref, r.What); f != nil {
		return f
	}
	ev := append([]report.Evidence{exp.Evidence}, refEv...)
	limit := dates.AddYearsClamp(exp.Date, r.Years)
	switch {
	case !exp.Date.Before(ref) && r.MustHaveExpired:
		return finding(report.Fail, fmt.Sprintf("%s valid until %s, still valid on %s", r.What, dates.Format(exp.Date), dates.Format(ref)), ev...)
	case !exp.Date.Before(ref):
		return finding(report.Pass, fmt.Sprintf("%s valid until %s, still valid on %s", r.What, dates.Format(exp.Date), dates.Format(ref)), ev...)
	case ref.After(limit):
		return finding(report.Fail, fmt.Sprintf("%s expired %s, more than %d years before %s (limit %s)",
			r.What, dates.Format(exp.Date), r.Years, dates.Format(ref), dates.Format(limit)), ev...)
	}
	return finding(report.Pass, fmt.Sprintf("%s expired %s, less than %d years before %s (limit %s)",
		r.What, dates.Format(exp.Date), r.Years, dates.Format(ref), dates.Format(limit)), ev...)
}

// hoursRe reads "20 heures", "6 h" and "6h00" of lessons.
var hoursRe = regexp.MustCompile(`(^|[^0-9])([0-9]{1,3}) ?(heures?|h)([^a-z]|$)`)

// checkHours: a certificate attests at least Hours hours of lessons
// (M18-2: 20 h; M12-3: 6 h). OrText is the alternative the text allows
// (M18-2 in Wallonia: "3 mois de stage"). The number printed before
// "heures" is read from the page; two different numbers go to review.
func checkHours(r Rule, in Input) *report.Finding {
	docs := docsOf(in, r.Kinds)
	if len(docs) == 0 {
		return nil
	}
	d := docs[0]
	text := extract.Fold(d.Text)
	if r.OrText != "" && strings.Contains(text, r.OrText) {
		return finding(report.Pass, fmt.Sprintf("%s: attests %q", r.What, r.OrText), report.Evidence{File: d.File, Page: 1, Text: r.OrText})
	}
	var hours []int
	for _, m := range hoursRe.FindAllStringSubmatch(text, -1) {
		if h, err := strconv.Atoi(m[2]); err == nil && !slices.Contains(hours, h) {
			hours = append(hours, h)
		}
	}
	switch len(hours) {
	case 0:
		return finding(report.NeedsLook, fmt.Sprintf("%s: no number of hours read on %s", r.What, d.File), report.Evidence{File: d.File, Page: 1, Text: "no \"N heures\" on the page"})
	case 1:
	default:
		return finding(report.NeedsLook, fmt.Sprintf("%s: several numbers of hours on %s: %v", r.What, d.File, hours), report.Evidence{File: d.File, Page: 1, Text: fmt.Sprint(hours)})
	}
	ev := report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("%d heures", hours[0])}
	if hours[0] < r.Hours {
		return finding(report.Fail, fmt.Sprintf("%s: %d hours attested, %d required", r.What, hours[0], r.Hours), ev)
	}
	return finding(report.Pass, fmt.Sprintf("%s: %d hours attested (%d required)", r.What, hours[0], r.Hours), ev)
}

// checkAfterExpiry: the lessons a certificate attests began after the
// previous document's expiry (M12-3: "Ces heures doivent être suivies
// après expiration du permis de conduire provisoire M36 ou M18
// précédent"). The first lesson is the earliest period date on the
// certificate (our choice: "Cours suivis du … au …"), and only when the
// period's start and end were both read confidently (periodStart): a
// start read at low confidence is not skipped for the end. A lesson date
// read confidently on or before the expiry fails whatever else was read.
func checkAfterExpiry(r Rule, in Input) *report.Finding {
	docs := docsOf(in, r.Kinds)
	prev := docsOf(in, []string{r.After})
	if len(docs) == 0 || len(prev) == 0 {
		return nil // the piece rules report the absence
	}
	exp, issued, review := expiryRead(prev[0], "previous provisional licence")
	if review != nil {
		return review
	}
	ref, _ := referenceDate(in)
	if f := unprintable(prev[0], exp, issued, ref, "previous provisional licence"); f != nil {
		return f
	}
	for _, x := range docs[0].Dates {
		if x.Label == string(extract.LabelPeriod) && x.Confidence >= lowConfidence && !x.Date.After(exp.Date) {
			return finding(report.Fail, fmt.Sprintf("%s: lessons on %s, not after the previous licence expired on %s",
				r.What, dates.Format(x.Date), dates.Format(exp.Date)), x.Evidence, exp.Evidence)
		}
	}
	first, unread, ok := periodStart(docs[0], "lesson")
	if !ok {
		return finding(report.NeedsLook, fmt.Sprintf("%s: the start of the lessons was not read on %s", r.What, docs[0].File), unread, exp.Evidence)
	}
	return finding(report.Pass, fmt.Sprintf("%s: lessons from %s, after the previous licence expired on %s",
		r.What, dates.Format(first.Date), dates.Format(exp.Date)), first.Evidence, exp.Evidence)
}

// checkNRNBirth: the national register number on the form is valid
// (RULES.md §2.3 check digits, before and from 2000, BIS) and encodes the
// candidate's birth date.
func checkNRNBirth(r Rule, in Input) *report.Finding {
	d, f, ok := formOf(r, in)
	if !ok {
		return f
	}
	name := r.Fields[0]
	if f := formDoubt(r, d, name); f != nil {
		return f // read on a scan without confidence: not a wrong number
	}
	v := strings.Map(func(c rune) rune {
		if c >= '0' && c <= '9' {
			return c
		}
		return -1 // "90.02.03-123.45" is written with separators
	}, d.Form[name])
	if v == "" {
		return nil // BE-G10 lists the fields that must be filled
	}
	ev := fieldEv(d, name)
	born, _, valid := extract.ValidNRN(v)
	if !valid {
		return finding(report.Fail, fmt.Sprintf("%s: %s fails its check digits", r.What, name), ev)
	}
	if born.IsZero() {
		return finding(report.Pass, fmt.Sprintf("%s: valid; it encodes no full birth date", r.What), ev)
	}
	birth, review := pickDate(d, "birth", r.What)
	if review != nil {
		return review
	}
	if !born.Equal(birth.Date) {
		if !birth.Authoritative || birth.Scanned {
			// Read on a scan: the number's mod-97 key verifies its own
			// digits, the date's only its OCR. Where a check-digit-verified
			// identity document gives the number's date, the form's date
			// is the doubt (a handwritten 1990 read 1999).
			if id := verifiedBirth(in, born); id != nil {
				return finding(report.NeedsLook, fmt.Sprintf("%s encodes birth date %s, as %s does; the form's was read as %s", r.What, dates.Format(born), id.File, dates.Format(birth.Date)), ev, birth.Evidence, *id)
			}
			if birth.Confidence < confident {
				return finding(report.NeedsLook, fmt.Sprintf("%s encodes birth date %s; the form's, read with confidence %.0f, as %s", r.What, dates.Format(born), birth.Confidence, dates.Format(birth.Date)), ev, birth.Evidence)
			}
		}
		return finding(report.Fail, fmt.Sprintf("%s encodes birth date %s, the form gives %s", r.What, dates.Format(born), dates.Format(birth.Date)), ev, birth.Evidence)
	}
	if f := sameNRN(r, in, v, ev); f != nil {
		return f
	}
	return finding(report.Pass, fmt.Sprintf("%s: valid and encodes the birth date %s", r.What, dates.Format(born)), ev, birth.Evidence)
}

// verifiedBirth is the evidence of an identity document whose birth date
// is t and verified (an MRZ whose check digits hold, a signed 2D-Doc), or
// nil.
func verifiedBirth(in Input, t time.Time) *report.Evidence {
	for _, d := range docsOf(in, identityKinds) {
		for _, x := range d.Dates {
			if x.Label == "birth" && x.Authoritative && x.Date.Equal(t) {
				return &x.Evidence
			}
		}
	}
	return nil
}

// sameNRN compares the form's national number with those printed on the
// documents of kind r.Against (the identity card, checksum-valid reads
// only): one of them must be it. Cards on which none was read say nothing;
// a guide's card beside the candidate's is why one match is enough.
func sameNRN(r Rule, in Input, nrn string, formEv report.Evidence) *report.Finding {
	if r.Against == "" {
		return nil
	}
	var seen []report.Evidence
	for _, d := range docsOf(in, []string{r.Against}) {
		for _, n := range extract.NRNs(doctext.PlainLines(d.Text)) {
			if n.Number == nrn {
				return nil
			}
			seen = append(seen, report.Evidence{File: d.File, Text: n.Raw})
		}
	}
	if len(seen) == 0 {
		return nil
	}
	return finding(report.Fail, fmt.Sprintf("%s: the form's is not the one printed on the %s", r.What, strings.ReplaceAll(r.Against, "_", " ")), append([]report.Evidence{formEv}, seen...)...)
}
