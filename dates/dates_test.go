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
