package dates

import (
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return t
}

// The VERIFIED month-end table of RULES.md §1.0.
func TestBelgianExpiry(t *testing.T) {
	tests := []struct {
		issue  string
		months int
		want   string
	}{
		{"2018-04-28", 36, "2021-04-27"},
		{"2023-08-31", 18, "2025-02-27"},
		{"2024-02-29", 12, "2025-02-27"},
		{"2020-02-29", 36, "2023-02-27"},
		{"2024-01-31", 1, "2024-02-28"},
	}
	for _, tt := range tests {
		if got := Format(BelgianExpiry(d(tt.issue), tt.months)); got != tt.want {
			t.Errorf("BelgianExpiry(%s, %d) = %s, want %s", tt.issue, tt.months, got, tt.want)
		}
	}
}

func TestAddMonthsClamp(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"2025-08-31", 6, "2026-02-28"},
		{"2024-08-31", 6, "2025-02-28"},
		{"2023-08-31", 6, "2024-02-29"},
		{"2026-01-15", -8, "2025-05-15"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-12-31", 1, "2027-01-31"},
	}
	for _, tt := range tests {
		if got := Format(AddMonthsClamp(d(tt.in), tt.n)); got != tt.want {
			t.Errorf("AddMonthsClamp(%s, %d) = %s, want %s", tt.in, tt.n, got, tt.want)
		}
	}
}

// D1 boundary: the limit day passes, the day after fails.
func TestWithinMonths(t *testing.T) {
	tests := []struct {
		doc, ref string
		want     bool
	}{
		{"2026-05-10", "2026-11-10", true},  // exactly 6 months: accepted (documented choice)
		{"2026-05-10", "2026-11-11", false}, // one day more
		{"2026-05-09", "2026-11-10", false},
		{"2025-08-31", "2026-02-28", true}, // forward clamp, RULES.md asymmetry note
		{"2025-08-31", "2026-03-01", false},
		{"2026-09-10", "2026-11-10", true},
		{"2026-11-12", "2026-11-10", true}, // a document dated after the reference is not too old
	}
	for _, tt := range tests {
		if got := WithinMonths(d(tt.doc), d(tt.ref), 6); got != tt.want {
			t.Errorf("WithinMonths(%s, %s, 6) = %v, want %v", tt.doc, tt.ref, got, tt.want)
		}
	}
}

func TestWithinYears(t *testing.T) {
	if !WithinYears(d("2023-11-10"), d("2026-11-10"), 3) {
		t.Error("theory exactly 3 years before the request must pass (documented choice)")
	}
	if WithinYears(d("2023-11-09"), d("2026-11-10"), 3) {
		t.Error("theory 3 years and 1 day before the request must fail")
	}
}

// D4, the seed's own example [S004 L492–496].
func TestYearBeforeSeedExample(t *testing.T) {
	if got := Format(YearBefore(d("2018-04-28"))); got != "2017-04-29" {
		t.Errorf("YearBefore(2018-04-28) = %s, want 2017-04-29", got)
	}
}

// D5, the seed's own example [S002 L70–74]: stage on 1–2 Oct 2023, next from 1 Oct 2024.
func TestNextStageSeedExample(t *testing.T) {
	if got := Format(AddYearsClamp(d("2023-10-01"), 1)); got != "2024-10-01" {
		t.Errorf("next stage = %s, want 2024-10-01", got)
	}
}

func TestAgeAtLeast(t *testing.T) {
	tests := []struct {
		birth, ref string
		n          int
		want       bool
	}{
		{"2009-11-10", "2026-11-10", 17, true},
		{"2009-11-11", "2026-11-10", 17, false},
		{"2008-02-29", "2026-02-28", 18, true}, // 29 Feb birthday on 28 Feb (D6 choice)
		{"2008-02-29", "2026-02-27", 18, false},
	}
	for _, tt := range tests {
		if got := AgeAtLeast(d(tt.birth), d(tt.ref), tt.n); got != tt.want {
			t.Errorf("AgeAtLeast(%s, %s, %d) = %v, want %v", tt.birth, tt.ref, tt.n, got, tt.want)
		}
	}
}

func TestMonthsBetween(t *testing.T) {
	if got := MonthsBetween(d("2026-03-10"), d("2026-11-10")); got != 8 {
		t.Errorf("got %d, want 8", got)
	}
	if got := MonthsBetween(d("2026-03-11"), d("2026-11-10")); got != 7 {
		t.Errorf("got %d, want 7", got)
	}
}

// A two-digit year takes the century that puts the date in its window
// around the reference date: from 80 years before to 20 after for a
// document's dates, the hundred years up to it for a birth date.
func TestCentury(t *testing.T) {
	ref := Day(2026, 11, 10)
	tests := []struct {
		name  string
		yy    int
		m     time.Month
		d     int
		ref   time.Time
		birth bool
		want  string // "" when the date is not placed
	}{
		{"issue this year", 26, 10, 12, ref, false, "2026-10-12"},
		{"issue after the submission, within 20 years", 26, 12, 1, ref, false, "2026-12-01"},
		{"expiry 20 years ahead, the last day", 46, 11, 10, ref, false, "2046-11-10"},
		{"a day past 20 years ahead goes back a century", 46, 11, 11, ref, false, "1946-11-11"},
		{"old contract", 70, 1, 1, ref, false, "1970-01-01"},
		{"birth last century", 52, 4, 17, ref, true, "1952-04-17"},
		{"birth this century", 5, 4, 17, ref, true, "2005-04-17"},
		{"birth on the reference day", 26, 11, 10, ref, true, "2026-11-10"},
		{"birth the day after the reference", 26, 11, 11, ref, true, "1926-11-11"},
		{"birth 100 years before the reference is out", 26, 11, 10, Day(2126, 11, 10), true, ""},
		{"29 February 2000", 0, 2, 29, ref, true, "2000-02-29"},
		{"29 February of a common year", 1, 2, 29, ref, false, ""},
		{"no such day", 26, 4, 31, ref, false, ""},
		{"no reference: the POSIX pivot, 68", 68, 1, 1, time.Time{}, false, "2068-01-01"},
		{"no reference: the POSIX pivot, 69", 69, 1, 1, time.Time{}, false, "1969-01-01"},
		{"no reference: a birth date is not placed", 52, 4, 17, time.Time{}, true, ""},
		{"not two digits", 100, 1, 1, ref, false, ""},
	}
	for _, tt := range tests {
		got, ok := Century(tt.yy, tt.m, tt.d, tt.ref, tt.birth)
		s := ""
		if ok {
			s = Format(got)
		}
		if s != tt.want {
			t.Errorf("%s: Century(%d, %d, %d) = %q, want %q", tt.name, tt.yy, tt.m, tt.d, s, tt.want)
		}
	}
}
