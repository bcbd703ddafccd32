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
