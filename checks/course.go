package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"dossiercheck/classify"
	"dossiercheck/dates"
	"dossiercheck/extract"
	"dossiercheck/report"
)

// Road-safety course (fr-stage-sensibilisation): the organiser's
// registration check and the post-course attestation (RULES.md §1.6, D5,
// S002 L64–180).

const (
	// licenceCap and probationaryCap: "dans la limite du plafond de votre
	// permis (12 points, ou 6 points pour un permis probatoire de moins
	// d'1 an)" (S002 L68).
	licenceCap      = 12
	probationaryCap = 6
)

// judicial reasons give no points back (S002 L130, L134).
var judicial = []string{"prosecutor", "judge"}

// balanceRes read a points balance on a points statement or a 48N letter
// (folded text): "solde de points : 8 points", "votre solde est de 3
// points", "il vous reste 6 points", "nombre de points : 8". A number
// must be followed by "point(s)" or end its word, so a date after the
// label ("solde au 12/03/2026") is not read as one.
var balanceRes = []*regexp.Regexp{
	regexp.MustCompile(`(?:solde|nombre de points|il vous reste|capital de points)[^0-9\n]{0,40}?\b([0-9]{1,2}) ?points?\b`),
	regexp.MustCompile(`(?:solde de (?:vos )?points|nombre de points)\s*:?\s*([0-9]{1,2})(?:\s|$)`),
}

// balance is the points balance read on the documents of kinds: nil with
// no such document (the rule then reports it could not be checked), a
// review finding when none or two different balances were read.
func balance(r Rule, in Input) (int, []report.Evidence, *report.Finding) {
	docs := docsOf(in, r.Kinds)
	if len(docs) == 0 {
		return 0, nil, nil
	}
	var seen []int
	var ev []report.Evidence
	for _, d := range docs {
		text := extract.Fold(d.Text)
		for _, re := range balanceRes {
			for _, m := range re.FindAllStringSubmatch(text, -1) {
				n, err := strconv.Atoi(m[1])
				if err != nil || n > licenceCap {
					continue
				}
				if !slices.Contains(seen, n) {
					seen = append(seen, n)
					ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: m[0]})
				}
			}
		}
	}
	switch len(seen) {
	case 0:
		var files []report.Evidence
		for _, d := range docs {
			files = append(files, report.Evidence{File: d.File, Page: 1, Text: "no points balance read"})
		}
		return 0, nil, finding(report.NeedsLook, fmt.Sprintf("%s: no points balance read on the %s; a clerk must check", r.What, docs[0].Kind), files...)
	case 1:
		return seen[0], ev, nil
	}
	return 0, nil, finding(report.NeedsLook, fmt.Sprintf("%s: %d different points balances read: %v", r.What, len(seen), seen), ev...)
}

// checkPointsValid (SSR-2): the licence is valid, 1 point or more, as a
// points statement or the 48N letter of the dossier shows it (S002 L66).
// No such piece: the rule could not be checked (review), the balance is
// never guessed.
func checkPointsValid(r Rule, in Input) *report.Finding {
	n, ev, review := balance(r, in)
	switch {
	case review != nil || ev == nil:
		return review
	case n < 1:
		return finding(report.Fail, fmt.Sprintf("%s: balance of %d points, the licence is not valid (1 point or more needed)", r.What, n), ev...)
	}
	return finding(report.Pass, fmt.Sprintf("%s: balance of %d points", r.What, n), ev...)
}

// declaredDate reads a declared YYYY-MM-DD (ParseDeclared checked it).
func declaredDate(p *string) (time.Time, bool) {
	if p == nil {
		return time.Time{}, false
	}
	t, err := dates.Parse(*p)
	return t, err == nil
}

// courseStarts are the start dates of the courses whose attestations the
// dossier holds, and the attestations whose start was not read. An
// attestation gives the course's period ("du … au …"): its start is the
// earliest of the period's dates, and only when two or more were read,
// each with confidence 60 or more. A start read at low confidence, or not
// recognised as a date, would leave the end as the start, a day late:
// enough to fail a course that starts a year to the day after (D5).
func courseStarts(in Input) (starts []Dated, unread []report.Evidence) {
	for _, d := range docsOf(in, []string{classify.StageAttestation}) {
		if start, ev, ok := periodStart(d, "course"); ok {
			starts = append(starts, start)
		} else {
			unread = append(unread, ev)
		}
	}
	return starts, unread
}

// periodStart is the start of the period a document attests ("du … au
// …"): the earliest of its period dates, only when two or more distinct
// ones were read, each with confidence 60 or more. Otherwise ok is false
// and ev says what was not read: a start read at low confidence would
// leave the end as the earliest date, and a check that the period began
// after some date would pass on the wrong one.
func periodStart(d Doc, what string) (start Dated, ev report.Evidence, ok bool) {
	var period []Dated
	for _, x := range d.Dates {
		if x.Label == string(extract.LabelPeriod) {
			period = append(period, x)
		}
	}
	distinct := distinctDates(period)
	if low := slices.IndexFunc(period, func(x Dated) bool { return x.Confidence < lowConfidence }); low >= 0 {
		return Dated{}, period[low].Evidence, false
	}
	if len(distinct) < 2 {
		return Dated{}, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("%d %s date(s) read, not the period's start and end", len(distinct), what)}, false
	}
	return slices.MinFunc(distinct, func(a, b Dated) int { return a.Date.Compare(b.Date) }), report.Evidence{}, true
}

// previousStarts are the starts of the courses before this one, and the
// attestations whose start was not read (they may be earlier courses').
func previousStarts(in Input, start time.Time) ([]Dated, []report.Evidence) {
	all, unread := courseStarts(in)
	return slices.DeleteFunc(all, func(x Dated) bool { return !x.Date.Before(start) }), unread
}

// checkCourseInterval (SSR-3, D5): one course a year: the course starts on
// or after the previous course's start date plus Years, same day of the
// month ("du 1er au 2 octobre 2023 … à partir du 1er octobre 2024", S002
// L70–74). The previous start is read on its attestation; a previous
// course declared and no attestation read is a review.
func checkCourseInterval(r Rule, in Input) *report.Finding {
	start, ok := declaredDate(in.Declared.CourseStart)
	if !ok {
		return notDeclared(r.What, []string{"course_start"})
	}
	prev, unread := previousStarts(in, start)
	if len(prev) == 0 {
		switch n := in.Declared.PreviousCourses; {
		case len(unread) > 0:
			return finding(report.NeedsLook, fmt.Sprintf("%s: the dates of a course attestation could not be read; a clerk must check", r.What), unread...)
		case n == nil:
			return notDeclared(r.What, []string{"previous_courses"})
		case *n == 0:
			return finding(report.Pass, fmt.Sprintf("%s: no previous course declared, no previous course's attestation in the dossier", r.What), declaredEv("previous_courses: 0"))
		default:
			return finding(report.NeedsLook, fmt.Sprintf("%s: %d previous course(s) declared and no previous course's attestation read: its start date decides (D5)", r.What, *n),
				declaredEv(fmt.Sprintf("previous_courses: %d", *n)))
		}
	}
	last := slices.MaxFunc(prev, func(a, b Dated) int { return a.Date.Compare(b.Date) })
	next := dates.AddYearsClamp(last.Date, r.Years)
	ev := []report.Evidence{last.Evidence, declaredEv("course_start: " + dates.Format(start))}
	if start.Before(next) {
		return finding(report.Fail, fmt.Sprintf("%s: previous course started %s, a new one may start from %s; this one starts %s",
			r.What, dates.Format(last.Date), dates.Format(next), dates.Format(start)), ev...)
	}
	if len(unread) > 0 {
		// An attestation whose start was not read may be of a later course.
		return finding(report.NeedsLook, fmt.Sprintf("%s: previous course started %s, a new one may start from %s; the dates of another course attestation could not be read; a clerk must check",
			r.What, dates.Format(last.Date), dates.Format(next)), append(ev, unread...)...)
	}
	return finding(report.Pass, fmt.Sprintf("%s: previous course started %s, a new one may start from %s; this one starts %s",
		r.What, dates.Format(last.Date), dates.Format(next), dates.Format(start)), ev...)
}

// checkCourseWithin (SSR-4): after a 48N letter the course starts within
// Months of its receipt (S002 L82–86), the limit day passing (D1). The
// receipt is declared; without it, a course starting within Months of the
// letter's printed date passes (it cannot have been received before it).
func checkCourseWithin(r Rule, in Input) *report.Finding {
	start, ok := declaredDate(in.Declared.CourseStart)
	if !ok {
		return notDeclared(r.What, []string{"course_start"})
	}
	letters := docsOf(in, r.Kinds)
	received, declared := declaredDate(in.Declared.Letter48NReceived)
	var issue *Dated
	if len(letters) > 0 {
		if x, review := pickDate(letters[0], "issue", r.What); review == nil {
			issue = &x
		}
	}
	startEv := declaredEv("course_start: " + dates.Format(start))
	switch {
	case declared && issue != nil && received.Before(issue.Date):
		return finding(report.NeedsLook, fmt.Sprintf("%s: letter received %s, before its date %s: a clerk must check", r.What, dates.Format(received), dates.Format(issue.Date)),
			issue.Evidence, declaredEv("letter_48n_received: "+dates.Format(received)))
	case declared:
		limit := dates.AddMonthsClamp(received, r.Months)
		ev := []report.Evidence{declaredEv("letter_48n_received: " + dates.Format(received)), startEv}
		if start.After(limit) {
			return finding(report.Fail, fmt.Sprintf("%s: letter received %s, course starts %s, after the %d months (limit %s)",
				r.What, dates.Format(received), dates.Format(start), r.Months, dates.Format(limit)), ev...)
		}
		return finding(report.Pass, fmt.Sprintf("%s: letter received %s, course starts %s (limit %s)",
			r.What, dates.Format(received), dates.Format(start), dates.Format(limit)), ev...)
	case issue != nil && !start.After(dates.AddMonthsClamp(issue.Date, r.Months)):
		return finding(report.Pass, fmt.Sprintf("%s: letter dated %s, course starts %s, within %d months of the letter's date and so of its receipt",
			r.What, dates.Format(issue.Date), dates.Format(start), r.Months), issue.Evidence, startEv)
	}
	return notDeclared(r.What, []string{"letter_48n_received"})
}

// checkInterview (SSR-5): after Min previous courses or more the
// 45-minute interview is planned (S002 L112–114). The number of previous
// courses is the declared one, or the attestations of earlier courses the
// dossier holds when they are more.
func checkInterview(r Rule, in Input) *report.Finding {
	n, ev := -1, []report.Evidence(nil)
	if p := in.Declared.PreviousCourses; p != nil {
		n, ev = *p, []report.Evidence{declaredEv(fmt.Sprintf("previous_courses: %d", *p))}
	}
	// Attestations whose dates were not read may be earlier courses': they
	// count when the attestations could then outnumber the declared courses.
	attested := 0
	var unread []report.Evidence
	if start, ok := declaredDate(in.Declared.CourseStart); ok {
		var prev []Dated
		if prev, unread = previousStarts(in, start); len(prev) > n {
			n, ev = len(prev), nil
			for _, x := range prev {
				ev = append(ev, x.Evidence)
			}
		}
		attested = len(prev) + len(unread)
	}
	switch {
	case n < 0:
		return notDeclared(r.What, []string{"previous_courses"})
	case n < r.Min && attested >= r.Min:
		return finding(report.NeedsLook, fmt.Sprintf("%s: %d previous course(s), and attestations whose dates could not be read may be of more; a clerk must check", r.What, n),
			append(ev, unread...)...)
	case n < r.Min:
		return finding(report.Pass, fmt.Sprintf("%s: not required, %d previous course(s)", r.What, n), ev...)
	}
	p := in.Declared.InterviewPlanned
	switch {
	case p == nil:
		return notDeclared(r.What, []string{"interview_planned"})
	case !*p:
		return finding(report.Fail, fmt.Sprintf("%s: %d previous courses, the interview is compulsory and is not planned", r.What, n), append(ev, declaredEv("interview_planned: false"))...)
	}
	return finding(report.Pass, fmt.Sprintf("%s: %d previous courses, the interview is planned", r.What, n), append(ev, declaredEv("interview_planned: true"))...)
}

// checkPointsRecovered (SSR-6): the report states the points the course
// gives back: none for a course ordered by the prosecutor or a judge
// (S002 L130, L134); otherwise up to Max, within the licence's cap, 12
// points or 6 for a probationary licence under 1 year on the course's
// first day (L68, L88). A 48N course is a probationary licence's.
func checkPointsRecovered(r Rule, in Input) *report.Finding {
	reason := in.Declared.Choice("course_reason")
	switch {
	case reason == "":
		return notDeclared(r.What, []string{"course_reason"})
	case slices.Contains(judicial, reason):
		return finding(report.Pass, fmt.Sprintf("%s: none, a course ordered by the %s gives no points back", r.What, reason),
			declaredEv("course_reason: "+reason))
	}
	n, ev, review := balance(r, in)
	if review != nil || ev == nil {
		return review
	}
	d := in.Declared
	probationary := reason == "probationary_48n" || d.Probationary != nil && *d.Probationary
	var missing []string
	if d.Probationary == nil && reason != "probationary_48n" {
		missing = append(missing, "probationary")
	}
	start, okStart := declaredDate(d.CourseStart)
	obtained, okObtained := declaredDate(d.LicenceObtained)
	if probationary && !okObtained {
		missing = append(missing, "licence_obtained")
	}
	if probationary && !okStart {
		missing = append(missing, "course_start")
	}
	if len(missing) > 0 {
		return notDeclared(r.What, missing)
	}
	capPoints, capWhy := licenceCap, "12-point cap"
	if probationary && start.Before(dates.AddYearsClamp(obtained, 1)) {
		capPoints, capWhy = probationaryCap, fmt.Sprintf("6-point cap of a probationary licence under 1 year (obtained %s)", dates.Format(obtained))
	}
	if n > capPoints {
		return finding(report.NeedsLook, fmt.Sprintf("%s: balance of %d points read, over the %s: misread or wrongly declared", r.What, n, capWhy), ev...)
	}
	back := min(r.Max, capPoints-n)
	return finding(report.Pass, fmt.Sprintf("%s: %d point(s): balance %d, up to %d within the %s", r.What, back, n, r.Max, capWhy), ev...)
}

// checkCourseDays (SSR-7): the course lasts Days consecutive days (S002
// L98: "2 jours de suite").
func checkCourseDays(r Rule, in Input) *report.Finding {
	start, ok1 := declaredDate(in.Declared.CourseStart)
	end, ok2 := declaredDate(in.Declared.CourseEnd)
	if !ok1 || !ok2 {
		return notDeclared(r.What, []string{"course_start", "course_end"})
	}
	ev := declaredEv(fmt.Sprintf("course_start: %s; course_end: %s", dates.Format(start), dates.Format(end)))
	if !end.Equal(start.AddDate(0, 0, r.Days-1)) {
		return finding(report.Fail, fmt.Sprintf("%s: from %s to %s, not %d consecutive days", r.What, dates.Format(start), dates.Format(end), r.Days), ev)
	}
	return finding(report.Pass, fmt.Sprintf("%s: %d consecutive days, %s and %s", r.What, r.Days, dates.Format(start), dates.Format(end)), ev)
}

// addressee is who receives a judicial course's attestation (S002 L172,
// L178–180).
var addressee = map[string]string{
	"prosecutor": "the procureur de la République",
	"judge":      "the procureur de la République (peine complémentaire) or the juge d'application des peines or SPIP (sursis probatoire)",
}

// checkAttestationWithin (SSR-8): a judicial course's attestation is sent
// to the authority within Days days of the course's end (S002 L172,
// L176–180); the limit day passes. At registration, before the course
// ends, the report states the deadline; after it, the sending date is
// declared, or a clerk checks it.
func checkAttestationWithin(r Rule, in Input) *report.Finding {
	end, ok := declaredDate(in.Declared.CourseEnd)
	if !ok {
		return notDeclared(r.What, []string{"course_end"})
	}
	to := addressee[in.Declared.Choice("course_reason")]
	limit := end.AddDate(0, 0, r.Days)
	endEv := declaredEv("course_end: " + dates.Format(end))
	sent, declared := declaredDate(in.Declared.AttestationSent)
	switch {
	case declared && sent.Before(end):
		return finding(report.NeedsLook, fmt.Sprintf("%s: declared sent %s, before the course ended on %s: a clerk must check", r.What, dates.Format(sent), dates.Format(end)),
			endEv, declaredEv("attestation_sent: "+dates.Format(sent)))
	case declared && sent.After(limit):
		return finding(report.Fail, fmt.Sprintf("%s: sent to %s on %s, more than %d days after the course ended on %s (limit %s)",
			r.What, to, dates.Format(sent), r.Days, dates.Format(end), dates.Format(limit)), endEv, declaredEv("attestation_sent: "+dates.Format(sent)))
	case declared:
		return finding(report.Pass, fmt.Sprintf("%s: sent to %s on %s, within %d days of the course's end on %s",
			r.What, to, dates.Format(sent), r.Days, dates.Format(end)), endEv, declaredEv("attestation_sent: "+dates.Format(sent)))
	case !in.Submitted.After(end):
		return finding(report.Pass, fmt.Sprintf("%s: to be sent to %s by %s (%d days after the course ends on %s)",
			r.What, to, dates.Format(limit), r.Days, dates.Format(end)), endEv)
	}
	return notDeclared(r.What, []string{"attestation_sent"})
}
