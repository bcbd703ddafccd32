package mrz

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Vectors from RULES.md §2.1–2.2.
func TestVectors(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		valid bool
		num   string
		birth string
	}{
		{"TD3 ICAO", []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}, true, "L898902C3", "1974-08-12"},
		{"TD3 bad doc digit", []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C37UTO7408122F1204159ZE184226B<<<<<10"}, false, "", ""},
		{"TD3 bad birth", []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408132F1204159ZE184226B<<<<<10"}, false, "", ""},
		{"TD1 ICAO", []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}, true, "D23145890", "1974-08-12"},
		{"TD1 overflow", []string{"I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"}, true, "D23145890734", "1934-07-12"},
		{"BE eID", []string{"IDBEL600001795<0152<<<<<<<<<<<", "1301014F2311207BEL130101987398", "SPECIMEN<<SPECIMEN<<<<<<<<<<<<"}, true, "600001795015", "2013-01-01"},
		{"TD1 optional changed", []string{"I<UTOD231458907ABC<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}, false, "", ""},
		{"FR CNI", []string{"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "9409923102854CORINNE<<<<<<<6512068F4"}, true, "940992310285", "1965-12-06"},
		{"TD2 ICAO", []string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"}, true, "D23145890", "1974-08-12"},
		{"TD2 bad composite", []string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<5"}, false, "", ""},
		{"FR licence", []string{"D1FRA13AA000026181231MARTIN<<9"}, true, "13AA00002", ""},
		{"FR licence bad digit", []string{"D1FRA13AA000028181231MARTIN<<9"}, false, "", ""},
		// OCR read a speck as one more character: dropping it makes every
		// check digit match, so the zone is repaired (one character, no more).
		// Two drops make every check digit match here (one of the twin 5s,
		// or the leading 9): a repair that is not the only one is no repair.
		{"FR CNI extra character, two repairs", []string{"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "94099231028554CORINNE<<<<<<<6512068F4"}, false, "", ""},
		{"TD3 extra character", []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO74081222F1204159ZE184226B<<<<<10"}, true, "L898902C3", "1974-08-12"},
		{"FR CNI two extra characters", []string{"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "9409923102855S4CORINNE<<<<<<<6512068F4"}, false, "", ""},
		{"FR CNI bad composite", []string{"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "9409923102854CORINNE<<<<<<<6512068F5"}, false, "", ""},
	}
	for _, tt := range tests {
		m, ok := Find(tt.lines)
		if !ok {
			t.Errorf("%s: not found", tt.name)
			continue
		}
		if m.Valid != tt.valid {
			t.Errorf("%s: valid = %v (%v), want %v", tt.name, m.Valid, m.Errors, tt.valid)
		}
		birth := ""
		if !m.BirthDate.IsZero() {
			birth = m.BirthDate.Format("2006-01-02")
		}
		if tt.valid && (m.Number != tt.num || birth != tt.birth) {
			t.Errorf("%s: number %q birth %s", tt.name, m.Number, m.BirthDate.Format("2006-01-02"))
		}
	}
}

// An O read for a 0 in a date is corrected because the check digit agrees;
// the same confusion in a name is left alone.
func TestOCRCorrection(t *testing.T) {
	m, ok := Find([]string{"I<UTOD231458907<<<<<<<<<<<<<<<", "74O8122F12O4159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"})
	if !ok || !m.Valid || m.BirthDate.Format("2006-01-02") != "1974-08-12" {
		t.Fatalf("got %+v", m)
	}
	if m.Surname != "ERIKSSON" || m.GivenNames != "ANNA MARIA" {
		t.Errorf("names %q %q", m.Surname, m.GivenNames)
	}
}

// A name's K beside a filler is a K; a K inside a run of fillers is a
// filler the French model misread.
func TestKBesideFillers(t *testing.T) {
	tests := []struct{ line3, surname, given string }{
		{"MARTIN<<KEVIN<<<<<<<<<<<<<<<<", "MARTIN", "KEVIN"},
		{"MARTIN<<KEVIN<<<K<<<KK<<<<<<<", "MARTIN", "KEVIN"},
		{"ERIK<<ANNA<<<<<<<<<<<<<<<<<<<K", "ERIK", "ANNA"},
	}
	for _, tt := range tests {
		m, ok := Find([]string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", tt.line3})
		if !ok || m.Surname != tt.surname || m.GivenNames != tt.given {
			t.Errorf("%s: got %q %q", tt.line3, m.Surname, m.GivenNames)
		}
	}
}

// A Belgian card number is all digits: an O read for a 0 is mended when
// the check digits agree (a French number keeps its letters).
func TestBelgianNumberDigits(t *testing.T) {
	m, ok := Find([]string{"IDBELO00123456<7484<<<<<<<<<<<", "9002030M3202285BEL900203123424", "DUPONT<<JEAN<MARC<<<<<<<<<<<<<"})
	if !ok || !m.Valid || m.Number != "000123456748" {
		t.Errorf("eID: %+v", m)
	}
}

// A French card number mixes letters and digits: look-alikes swapped by
// OCR are mended only when exactly one combination makes every check
// digit match.
func TestNumberLookAlikes(t *testing.T) {
	l2, l3 := "9002030M3211108FRA<<<<<<<<<<<8", "DUPONT<<JEAN<MARC<<<<<<<<<<<<<"
	m, ok := Find([]string{"IDFRALOTTIPFWBG<<<<<<<<<<<<<<<", l2, l3})
	if !ok || !m.Valid || m.Number != "L0TT1PFW8" || len(m.Repaired) == 0 {
		t.Errorf("swapped look-alikes: %+v", m)
	}
	if m, _ := Find([]string{"IDFRAL0TT1PFW86<<<<<<<<<<<<<<<", l2, l3}); !m.Valid || len(m.Repaired) != 0 {
		t.Errorf("clean zone: %+v", m)
	}
}

// Two swaps in a number keep every check digit (KIKT2PFW4: K1KT2PFW4 and
// KIKTZPFW4): no repair, but the number printed on the card settles it.
func TestAmbiguousNumberSettled(t *testing.T) {
	m, ok := Find([]string{"IDFRAKIKT2PFW42<<<<<<<<<<<<<<<", "8511308F3211108FRA<<<<<<<<<<<8", "LEFEVRE<<HELENE<<<<<<<<<<<<<<<"})
	if !ok || m.Valid || len(m.Ambiguous) != 2 {
		t.Fatalf("ambiguous zone: %+v", m)
	}
	if _, ok := m.Settle(func(n string) bool { return false }); ok {
		t.Error("settled without a printed number")
	}
	r, ok := m.Settle(func(n string) bool { return n == "K1KT2PFW4" })
	if !ok || !r.Valid || r.Number != "K1KT2PFW4" {
		t.Errorf("settled: %+v", r)
	}
}

// An ambiguity nothing settles still verifies the holder's fields (each
// candidate makes every check digit hold); the number is left empty with
// its candidates. A zone whose birth date fails its own check digit has
// no such candidates: it stays invalid whatever the number.
func TestAmbiguousNumberUnsettled(t *testing.T) {
	tests := []struct {
		name  string
		line2 string
		ok    bool
	}{
		{"number only", "8511308F3211108FRA<<<<<<<<<<<8", true},
		{"birth date altered", "8511318F3211108FRA<<<<<<<<<<<8", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := Find([]string{"IDFRAKIKT2PFW42<<<<<<<<<<<<<<<", tt.line2, "LEFEVRE<<HELENE<<<<<<<<<<<<<<<"})
			r, ok := m.Unsettled()
			if ok != tt.ok {
				t.Fatalf("Unsettled ok = %v, want %v (%+v)", ok, tt.ok, m)
			}
			if !ok {
				if r.Valid {
					t.Errorf("altered zone valid: %+v", r)
				}
				return
			}
			want := time.Date(1985, 11, 30, 0, 0, 0, 0, time.UTC)
			if !r.Valid || r.Number != "" || len(r.Numbers) != 2 || !slices.Contains(r.Numbers, "K1KT2PFW4") ||
				!r.BirthDate.Equal(want) || r.Surname != "LEFEVRE" || len(r.Repaired) != 1 {
				t.Errorf("unsettled: %+v", r)
			}
		})
	}
}

// A composite check digit read as one more filler at the end of its line
// is not read, not failed, when every field's own check digit holds and
// no optional data depends on it; anything else stays invalid.
func TestCompositeUnread(t *testing.T) {
	l1, l3 := "IDFRAL0TT1PFW86<<<<<<<<<<<<<<<", "DUPONT<<JEAN<MARC<<<<<<<<<<<<<"
	tests := []struct {
		name   string
		l1, l2 string
		valid  bool
	}{
		{"composite read", l1, "9002030M3211108FRA<<<<<<<<<<<8", true},
		{"composite unread", l1, "9002030M3211108FRA<<<<<<<<<<<<", true},
		{"composite wrong", l1, "9002030M3211108FRA<<<<<<<<<<<7", false},
		{"unread, birth date altered", l1, "9002040M3211108FRA<<<<<<<<<<<<", false},
		{"unread, optional data", l1, "9002030M3211108FRA<<<1234<<<<<", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ParseTD1(tt.l1, tt.l2, l3)
			if m.Valid != tt.valid {
				t.Fatalf("valid = %v, want %v (%v)", m.Valid, tt.valid, m.Errors)
			}
			unread := slices.ContainsFunc(m.Repaired, func(s string) bool { return strings.Contains(s, "composite check digit not read") })
			if unread != (tt.name == "composite unread") {
				t.Errorf("repaired = %q", m.Repaired)
			}
		})
	}
	td3 := ParseTD3("P<FRADUPONT<<JEAN<MARC<<<<<<<<<<<<<<<<<<<<<<", "12AB345673FRA9002030M3211108<<<<<<<<<<<<<<<<")
	if !td3.Valid {
		t.Errorf("passport with its composite unread: %v", td3.Errors)
	}
}

// A long run of fillers miscounted by OCR: the check digits after it keep
// their place.
func TestFillerRunMiscounted(t *testing.T) {
	l1 := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
	for _, l2 := range []string{
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",  // as printed
		"L898902C36UTO7408122F1204159ZE184226B<<<<10",   // one filler short
		"L898902C36UTO7408122F1204159ZE184226B<<<<<<10", // one too many
	} {
		if m, ok := Find([]string{l1, l2}); !ok || !m.Valid {
			t.Errorf("%s: %+v", l2, m)
		}
	}
}

// A line longer than its format by trailing fillers alone (the English
// model read a card's 15 fillers as « <<<K<K<K<K<K<K<<<<<<< ») is that
// line; one longer by data is not cut to fit.
func TestTrailingFillersTooMany(t *testing.T) {
	l2, l3 := "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	if m, ok := Find([]string{"I<UTOD231458907<<<K<K<K<K<K<K<<<<<<<", l2, l3}); !ok || !m.Valid || m.Number != "D23145890" {
		t.Errorf("fillers read 21: %+v", m)
	}
	if m, ok := Find([]string{"I<UTOD231458907<<<<<<<<<<<<<<<<<<<<<<<1", l2, l3}); ok && m.Valid {
		t.Errorf("a line ending in data 9 characters too long read valid: %+v", m)
	}
}

// A repair is kept only when it is the one variant the check digits allow,
// and says what it changed.
func TestRepairSaysWhatChanged(t *testing.T) {
	m, ok := Find([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO74081222F1204159ZE184226B<<<<<10"})
	if !ok || !m.Valid || len(m.Repaired) != 1 || !strings.Contains(m.Repaired[0], "dropped '2'") {
		t.Errorf("repaired zone: %+v", m)
	}
	m, _ = Find([]string{"I<UTOD231458907<<<<<<<<<<<<<<<", "74O8122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"})
	if !m.Valid || len(m.Repaired) != 1 || !strings.Contains(m.Repaired[0], "birth date") {
		t.Errorf("O read for 0: %+v", m.Repaired)
	}
	m, _ = Find([]string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"})
	if len(m.Repaired) != 0 {
		t.Errorf("a clean zone says repaired: %v", m.Repaired)
	}
	// A glyph read twice in a French card's number (9 read "9I"): the one
	// drop that makes every check digit hold.
	m, _ = Find([]string{"IDFRAL9IDT3PFW72<<<<<<<<<<<<<<<", "9002030M3211108FRA<<<<<<<<<<<6", "DUPONT<<JEAN<MARC<<<<<<<<<<<<<"})
	if !m.Valid || m.Number != "L9DT3PFW7" || len(m.Repaired) != 1 {
		t.Errorf("extra character in the number: %+v", m)
	}
}

func FuzzFind(f *testing.F) {
	f.Add("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<")
	f.Add("IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<\n9409923102854CORINNE<<<<<<<6512068F4")
	f.Fuzz(func(t *testing.T, s string) {
		var lines []string
		for _, l := range splitLines(s) {
			lines = append(lines, l)
		}
		Find(lines) // must not panic
	})
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// A 6 and a G weigh the same in every check digit: only the number printed
// on the card, in another font, tells them apart, while I and 1 stay
// look-alikes there too.
func TestAmbiguousNumberSettledLoosely(t *testing.T) {
	m := MRZ{Ambiguous: []MRZ{{Number: "E1CT4PFW6"}, {Number: "E1CT4PFWG"}}}
	for _, tt := range []struct {
		texts []string
		want  string
	}{
		{[]string{"NDUDOCUMENT:EICT4PFW6EXPIRELE"}, "E1CT4PFW6"},
		{[]string{"NDUDOCUMENT:E1CT4PFWG"}, "E1CT4PFWG"},
		{[]string{"NDUDOCUMENT:EICT4PFW"}, ""},   // cut short
		{[]string{"E1CT4PFW6", "E1CT4PFWG"}, ""}, // both printed
		{[]string{"NDUDOCUMENT:EICT4PFWB"}, ""},  // neither
	} {
		r, ok := m.SettleLoose(tt.texts)
		if got := map[bool]string{true: r.Number}[ok]; got != tt.want {
			t.Errorf("SettleLoose(%q) = %q, want %q", tt.texts, got, tt.want)
		}
	}
}

// A short line with a lone filler (a zone line cut by OCR) is padded, not
// cut past its start: it once made fit slice out of range and crash the
// worker.
func TestFitShortLine(t *testing.T) {
	for _, s := range []string{"IDFRAC1GT4PFW3<7", "ABC<DEF", "A<B", "ABCDEF", "<", ""} {
		got := fit(s, 30)
		if len(got) != 30 || s != "" && got[0] != s[0] {
			t.Errorf("fit(%q, 30) = %q", s, got)
		}
	}
	if got := fit("IDFRAC1GT4PFW37<<<<<<<<<<<<<<<<<<", 30); len(got) != 30 {
		t.Errorf("a long line: %q", got)
	}
}

// A number garbled beyond look-alikes (6 read O, a character split in
// two) leaves the rest of a French card's zone verified: its check digit
// and the composite hold without it. A printed word with that check
// digit and near the zone's reading gives the number; a failing birth
// date, composite or a zone with data after the number does not pass.
func TestNumberUnread(t *testing.T) {
	l2, l3 := "9002030M3211108FRA<<<<<<<<<<<8", "DUPONT<<JEAN<MARC<<<<<<<<<<<<<"
	for _, tt := range []struct {
		name   string
		l1, l2 string
		words  []string
		ok     bool
		number string
	}{
		{"split character", "IDFRAL0TT1PFUW86<<<<<<<<<<<<<<", l2, nil, true, ""},
		{"printed number", "IDFRALOTTIPFUW86<<<<<<<<<<<<<<", l2, []string{"NOM", "L0TT1PFW8", "2032"}, true, "L0TT1PFW8"},
		{"printed look-alike", "IDFRALOTTIPFUW86<<<<<<<<<<<<<<", l2, []string{"LOTT1PFW8"}, true, "L0TT1PFW8"},
		{"printed number far from the zone's", "IDFRALOTTIPFUW86<<<<<<<<<<<<<<", l2, []string{"ZZZZ1PFW8"}, true, ""},
		{"check digit read as a letter", "IDFRAL0TT1PFUW8B<<<<<<<<<<<<<<", l2, nil, false, ""},
		{"composite fails", "IDFRAL0TT1PFUW86<<<<<<<<<<<<<<", "9002030M3211108FRA<<<<<<<<<<<9", nil, false, ""},
		{"birth date fails", "IDFRAL0TT1PFUW86<<<<<<<<<<<<<<", "9002040M3211108FRA<<<<<<<<<<<8", nil, false, ""},
		{"data after the number", "IDBEL0TT1PFUW<6<89<<<<<<<<<<<<", l2, nil, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := Find([]string{tt.l1, tt.l2, l3})
			if !ok || m.Valid {
				t.Fatalf("garbled zone read valid: %+v", m)
			}
			r, ok := m.NumberUnread(tt.words)
			if ok != tt.ok || ok && (!r.Valid || r.Number != tt.number || len(r.Repaired) == 0 || r.BirthDate.IsZero()) {
				t.Errorf("NumberUnread = %v %+v, want ok %v number %q", ok, r, tt.ok, tt.number)
			}
		})
	}
}

// A names line whose fillers were read as letters is still the printed
// name; a letter of the name read otherwise is not.
// A names line read one letter off in all is within one edit of the
// printed name, not within none; two letters off is not within one.
func TestNamesWithin(t *testing.T) {
	l1, l2 := "IDFRAL0TT1PFW86<<<<<<<<<<<<<<<", "8511308F3211108FRA<<<<<<<<<<<8"
	want := []string{"LEFEVRE", "HELENE"}
	for _, tt := range []struct {
		l3     string
		within int // the fewest edits it is within; -1: not within 1
	}{
		{"LEFEVRE<S<HELENE<S<<<<<<<<<<<<", 0},
		{"PEFEVRE<<HELENES<<<<<<<<<<<<<<", 1},
		{"LFEVRE<S<HELENE<S<<<<<<<<<S<<<", 1},
		{"CEFEVRE<<HELENEX<<<<<<<<<<<<<<", -1},
		{"PEFEVRE<<MELENE<<<<<<<<<<<<<<<", -1},
		{"DUPONT<<HELENE<<<<<<<<<<<<<<<<", -1},
	} {
		m := ParseTD1(l1, l2, tt.l3)
		for edits := 0; edits <= 1; edits++ {
			if got, want := m.NamesWithin(want, edits), tt.within >= 0 && tt.within <= edits; got != want {
				t.Errorf("%s NamesWithin(%d) = %v, want %v", tt.l3, edits, got, want)
			}
		}
	}
}

func TestNamesAre(t *testing.T) {
	l1, l2 := "IDFRAL0TT1PFW86<<<<<<<<<<<<<<<", "8511308F3211108FRA<<<<<<<<<<<8"
	want := []string{"LEFEVRE", "HELENE"}
	for _, tt := range []struct {
		l3   string
		want []string
		ok   bool
	}{
		{"LEFEVRE<<HELENE<<<<<<<<<<<<<<<", want, true},
		{"LEFEVRES<HELENES<<<<<<<<<<<<<<", want, true},
		{"LEFEVRE<S<HELENER<<<<<<<<<<<<<", want, true},
		{"NGUYEN<<THI<MAIK<<<<<<<<<<<<<<", []string{"NGUYEN", "THI", "MAI"}, true},
		{"CEFEVRE<S<HELENES<<<<<<<<<<<<<", want, false}, // L read C: a letter, not a filler
		{"LEFEVRE<<HELENE<<<<<<<<<<<<<<<", []string{"LEFEVRE", "HELENE", "MARIE"}, false},
		{"LEFEVRE<<HELENEMARIE<<<<<<<<<<", want, false},
		{"LEFEVRE<<HELENE<<<<<<<<<<<<<<<", nil, false},
		{"32LEFEVRE<<HELENE<<<<<<<<<<<<<", want, true},  // another line's digits ran in
		{"LEFEVRE<<HELENES<<<<RECE<<<<<<", want, true},  // the trailing fillers read as letters
		{"LEFEVRE<<RECE<<HELENE<<<<<<<<<", want, false}, // not between the names
	} {
		m := ParseTD1(l1, l2, tt.l3)
		if strings.HasPrefix(tt.l3, "32") && m.Surname != "LEFEVRE" {
			t.Errorf("%s: surname %q", tt.l3, m.Surname)
		}
		if got := m.NamesAre(tt.want); got != tt.ok {
			t.Errorf("%s NamesAre(%q) = %v, want %v", tt.l3, tt.want, got, tt.ok)
		}
	}
}
