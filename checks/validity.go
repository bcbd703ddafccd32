package checks

import (
	"fmt"
	"strings"
	"time"

	"dossiercheck/dates"
	"dossiercheck/extract"
	"dossiercheck/report"
)

// The French secure ID cards issued to adults from 2004-01-02 to 2013-12-31
// are valid 15 years, i.e. 5 years past the expiry printed on them
// (RULES.md §1.2, service-public F35005). Cards issued to minors keep 10.
var (
	cniExtendedFrom = time.Date(2004, 1, 2, 0, 0, 0, 0, time.UTC)
	cniExtendedTo   = time.Date(2013, 12, 31, 0, 0, 0, 0, time.UTC)
)

// validUntil is the last day an identity document is valid: its printed
// expiry, plus 5 years for a French ID card issued to an adult (18 on the
// issue day) within the extension's dates. Without an issue date or a
// birth date the card gets no extension: the extension must be shown, not
// assumed.
func validUntil(frenchCard bool, expiry, issued, birth time.Time) (time.Time, bool) {
	if !frenchCard || issued.IsZero() || birth.IsZero() || issued.Before(cniExtendedFrom) || issued.After(cniExtendedTo) {
		return expiry, false
	}
	if issued.Before(dates.AddYearsClamp(birth, 18)) {
		return expiry, false
	}
	return dates.AddYearsClamp(expiry, 5), true
}

// maxPrintedYears is the longest validity printed on an identity document
// the procedures take: 10 years for a passport (RULES.md PASS-F5) and a
// French ID card (the 15-year cards print 10, RULES.md §1.2), 10 for an
// adult's Belgian eID. A printed expiry further than that from the card's
// issue date (or, that not read, from the request) was misread: 2017 read
// 2077 must not make an expired card valid. Read from a zone or a
// verified 2D-Doc, an expiry is not bounded: check digits vouch for it
// (an eID of a holder over 75, printed valid 30 years, then passes).
const maxPrintedYears = 10

// implausibleExpiry is a review when a printed expiry cannot be the
// card's: later than maxPrintedYears after its issue date (or the
// request), or not after its issue date.
func implausibleExpiry(d Doc, exp, issued Dated, ref time.Time, what string) *report.Finding {
	if exp.Authoritative {
		return nil
	}
	if !issued.Date.IsZero() && !issued.Date.Before(exp.Date) {
		return finding(report.NeedsLook, fmt.Sprintf("%s %s: expiry read as %s, not after its issue date read as %s: one of them was misread; a clerk reads them",
			what, d.File, dates.Format(exp.Date), dates.Format(issued.Date)), exp.Evidence, issued.Evidence)
	}
	base, of := ref, "the request date"
	ev := []report.Evidence{exp.Evidence}
	if !issued.Date.IsZero() {
		base, of = issued.Date, "its issue date "+dates.Format(issued.Date)
		ev = append(ev, issued.Evidence)
	}
	if exp.Date.After(dates.AddYearsClamp(base, maxPrintedYears)) {
		return finding(report.NeedsLook, fmt.Sprintf("%s %s: expiry read as %s, more than %d years after %s: no identity document is printed valid that long, so it was misread; a clerk reads it",
			what, d.File, dates.Format(exp.Date), maxPrintedYears, of), ev...)
	}
	return nil
}

// checkIDValid: the identity documents are valid on the request date.
// None of our seeds says whether an expired identity document is refused
// (only the consulate's PASS-C2 accepts one "périmée depuis moins de
// 5 ans"), so an expired one goes to review, never to reject; one whose
// expiry was not read is not judged (docs/rules.md, ID-VALID).
func checkIDValid(r Rule, in Input) *report.Finding {
	ref, refEv := referenceDate(in)
	var ev []report.Evidence
	var valid []string
	for _, d := range docsOf(in, r.Kinds) {
		exp, bad := pickDate(d, string(extract.LabelExpiry), r.What)
		if bad != nil {
			continue
		}
		french := d.Kind == "identity_card" && strings.Contains(extract.Fold(d.Text), "republique francaise")
		issued, _ := pickDate(d, string(extract.LabelIssue), r.What)
		if f := implausibleExpiry(d, exp, issued, ref, r.What); f != nil {
			return f
		}
		birth, _ := pickDate(d, string(extract.LabelBirth), r.What)
		until, extended := validUntil(french, exp.Date, issued.Date, birth.Date)
		dev := []report.Evidence{exp.Evidence}
		note := ""
		if extended {
			dev = append(dev, issued.Evidence, birth.Evidence)
			note = fmt.Sprintf(" (printed expiry %s + 5 years: French ID card issued %s to an adult)", dates.Format(exp.Date), dates.Format(issued.Date))
		}
		if until.Before(ref) {
			return finding(report.NeedsLook, fmt.Sprintf("%s %s expired on %s%s, before %s: the texts do not say whether an expired one is accepted, a clerk decides",
				r.What, d.File, dates.Format(until), note, dates.Format(ref)), append(dev, refEv...)...)
		}
		ev = append(ev, dev...)
		valid = append(valid, fmt.Sprintf("%s valid until %s%s", d.File, dates.Format(until), note))
	}
	if len(valid) == 0 {
		return nil
	}
	return finding(report.Pass, fmt.Sprintf("%s valid on %s: %s", r.What, dates.Format(ref), strings.Join(valid, "; ")), append(ev, refEv...)...)
}
