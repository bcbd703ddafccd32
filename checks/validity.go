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

// pcpMonths are the validities of a Belgian provisional licence, M36, M18
// and M12: its expiry is its issue date plus that many months, less a day
// (RULES.md D3, S004 L452, L952, L1256).
var pcpMonths = []int{36, 18, 12}

// pcpSlack is how far, in days, a licence's printed expiry may lie from
// its issue date plus a validity: D3's month-end issue dates are read
// either way (RULES.md, the table under D3); a misread year or month
// lies months away.
const pcpSlack = 3

// expiryRead is a document's expiry, picked as pickDate does, and its
// issue date when one was read (zero otherwise).
func expiryRead(d Doc, what string) (exp, issued Dated, f *report.Finding) {
	exp, f = pickDate(d, string(extract.LabelExpiry), what)
	if f != nil {
		return Dated{}, Dated{}, f
	}
	issued, _ = pickDate(d, string(extract.LabelIssue), what)
	return exp, issued, nil
}

// unprintable is a review when a printed expiry cannot be the document's:
// a provisional licence's is its issue date plus one of D3's validities
// (a 2022 read 2024 would make a licence expired four years ago one
// expired two), an identity document's at most maxPrintedYears after its
// issue (implausibleExpiry). Read from a zone or a verified code, or with
// no issue date read for a licence, the expiry is taken as read.
func unprintable(d Doc, exp, issued Dated, ref time.Time, what string) *report.Finding {
	switch {
	case exp.Authoritative:
		return nil
	case d.Kind != "provisional_licence":
		return implausibleExpiry(d, exp, issued, ref, what)
	case issued.Date.IsZero():
		return nil
	}
	for _, n := range pcpMonths {
		want := dates.AddMonthsClamp(issued.Date, n).AddDate(0, 0, -1)
		if gap := exp.Date.Sub(want).Hours() / 24; gap >= -pcpSlack && gap <= pcpSlack {
			return nil
		}
	}
	return finding(report.NeedsLook, fmt.Sprintf("%s %s: expiry read as %s is not its issue date %s plus %v months less a day (RULES.md D3): one of them was misread; a clerk reads them",
		what, d.File, dates.Format(exp.Date), dates.Format(issued.Date), pcpMonths), exp.Evidence, issued.Evidence)
}

// implausibleExpiry is a review when a printed expiry (unprintable has set
// a zone's or a code's aside) cannot be the card's: later than
// maxPrintedYears after its issue date (or the request), or not after its
// issue date.
func implausibleExpiry(d Doc, exp, issued Dated, ref time.Time, what string) *report.Finding {
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
		exp, issued, bad := expiryRead(d, r.What)
		if bad != nil {
			continue
		}
		if f := unprintable(d, exp, issued, ref, r.What); f != nil {
			return f
		}
		french := d.Kind == "identity_card" && strings.Contains(extract.Fold(d.Text), "republique francaise")
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
