// Package dates holds the calendar arithmetic the rules depend on
// (RULES.md §1.0). Dates are civil days: time.Time at 00:00 UTC.
package dates

import (
	"fmt"
	"time"
)

// Day builds a civil date.
func Day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Parse reads YYYY-MM-DD.
func Parse(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// Format writes YYYY-MM-DD.
func Format(t time.Time) string { return t.Format(time.DateOnly) }

// Truncate drops the time of day, keeping the calendar day of t's location.
func Truncate(t time.Time) time.Time { return Day(t.Year(), t.Month(), t.Day()) }

// AddMonthsClamp adds n months the way CPC art. 641 counts a délai (RULES.md
// D2): same day of the month, or the month's last day when it has no such
// day. time.AddDate would turn 31 August + 6 months into 3 March.
func AddMonthsClamp(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := Day(y, m, 1).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return Day(first.Year(), first.Month(), min(d, last))
}

// AddYearsClamp adds n years; 29 February becomes 28 February in a common
// year (D6: our choice, flagged in docs/rules.md).
func AddYearsClamp(t time.Time, n int) time.Time { return AddMonthsClamp(t, 12*n) }

// WithinMonths reports whether a document dated doc is still "de moins de n
// mois" on ref (D1). The limit is computed forward from the document
// (RULES.md §1.0 asymmetry note) and the limit day itself is accepted: a
// délai expires at the end of its last day (CPC art. 642). This is a choice,
// documented in docs/rules.md and tested on both sides of the boundary.
func WithinMonths(doc, ref time.Time, n int) bool {
	return !ref.After(AddMonthsClamp(doc, n))
}

// WithinYears is WithinMonths for years: "passé au maximum N ans avant".
func WithinYears(doc, ref time.Time, n int) bool { return WithinMonths(doc, ref, 12*n) }

// BelgianExpiry is the Belgian provisional licence end date: issue + n
// months "date à date – 1 jour" (D3). The licence is valid through it.
func BelgianExpiry(issue time.Time, n int) time.Time {
	return AddMonthsClamp(issue, n).AddDate(0, 0, -1)
}

// YearBefore is the window start of "pendant l'année qui précède" date d:
// the day after d minus one year (D4: issued 2018-04-28 → since 2017-04-29).
func YearBefore(d time.Time) time.Time { return AddYearsClamp(d, -1).AddDate(0, 0, 1) }

// AgeAtLeast reports whether someone born on birth is at least n years old
// on ref (D6).
func AgeAtLeast(birth, ref time.Time, n int) bool {
	return !ref.Before(AddYearsClamp(birth, n))
}

// MonthsBetween counts whole months from a to b (for messages).
func MonthsBetween(a, b time.Time) int {
	n := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	if AddMonthsClamp(a, n).After(b) {
		n--
	}
	return n
}

// Century places a year printed with two digits ("12/10/26"). The date
// must fall within the hundred years the reference date ref (the dossier's
// submission) allows for it:
//   - a birth date (birth true) within the hundred years up to ref, since
//     no one is born after the dossier is submitted: on 2026-11-10,
//     "17/04/52" is 1952 and "17/04/05" is 2005 (the MRZ's rule for
//     birth dates);
//   - any other date (an issue, a due date, an expiry) from 80 years before
//     ref to 20 years after it: on 2026-11-10, "12/10/26" is 2026, "31/12/45"
//     is 2045 and "01/01/47" is 1947.
//
// Without a reference date (ref zero), a birth date's century cannot be
// told, and ok is false; any other date takes the POSIX pivot of
// strptime's %y (00–68 are 2000–2068, 69–99 are 1969–1999). ok is also
// false when the day does not exist in the century chosen (29/02/00 is
// 2000-02-29, never 1900-02-29).
func Century(yy int, m time.Month, d int, ref time.Time, birth bool) (time.Time, bool) {
	if yy < 0 || yy > 99 {
		return time.Time{}, false
	}
	var y int
	switch {
	case ref.IsZero() && birth:
		return time.Time{}, false
	case ref.IsZero():
		y = 1900 + yy
		if yy < 69 {
			y = 2000 + yy
		}
	default:
		ref = Truncate(ref)
		lo, hi := AddYearsClamp(ref, -80), AddYearsClamp(ref, 20) // (lo, hi]
		if birth {
			lo, hi = AddYearsClamp(ref, -100), ref
		}
		for _, c := range []int{1900 + yy, 2000 + yy} {
			if t := Day(c, m, d); t.After(lo) && !t.After(hi) {
				y = c
			}
		}
		if y == 0 {
			return time.Time{}, false
		}
	}
	t := Day(y, m, d)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}
