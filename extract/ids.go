package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"dossiercheck/doctext"
)

// NRN is a Belgian national register number (or BIS number) found on a page.
type NRN struct {
	Number string    // 11 digits
	Birth  time.Time // zero when the number encodes an unknown date
	Male   bool
	BIS    bool
	Line   int
	Raw    string
}

var nrnPattern = regexp.MustCompile(`(^|[^0-9])([0-9]{2})[ .]?([0-9]{2})[ .]?([0-9]{2})[ .-]?([0-9]{3})[ .-]?([0-9]{2})([^0-9]|$)`)

// ValidNRN checks a Belgian national number or BIS number (RULES.md §2.4):
// CC = 97 − (YYMMDDSSS mod 97), with a leading 2 for births from 2000. It
// returns the birth date when the number encodes one.
func ValidNRN(n string) (birth time.Time, bis, ok bool) {
	if len(n) != 11 {
		return time.Time{}, false, false
	}
	base, err1 := strconv.ParseInt(n[:9], 10, 64)
	cc, err2 := strconv.Atoi(n[9:])
	if err1 != nil || err2 != nil {
		return time.Time{}, false, false
	}
	century := 0
	switch {
	case 97-base%97 == int64(cc):
		century = 1900
	case 97-(2_000_000_000+base)%97 == int64(cc):
		century = 2000
	default:
		return time.Time{}, false, false
	}
	yy, _ := strconv.Atoi(n[0:2])
	mm, _ := strconv.Atoi(n[2:4])
	dd, _ := strconv.Atoi(n[4:6])
	if mm >= 20 { // BIS: month +20 (sex unknown) or +40 (sex known)
		bis = true
		mm %= 20
	}
	t := time.Date(century+yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if mm == 0 || dd == 0 || t.Month() != time.Month(mm) || t.Day() != dd {
		return time.Time{}, bis, true // valid number, unknown birth date
	}
	return t, bis, true
}

// NRNs finds valid Belgian national numbers on a page; a digit string that
// fails the checksum is not reported.
func NRNs(lines []doctext.Line) []NRN {
	var out []NRN
	for i, l := range lines {
		for _, m := range nrnPattern.FindAllStringSubmatchIndex(l.Text, -1) {
			num := l.Text[m[4]:m[5]] + l.Text[m[6]:m[7]] + l.Text[m[8]:m[9]] + l.Text[m[10]:m[11]] + l.Text[m[12]:m[13]]
			birth, bis, ok := ValidNRN(num)
			if !ok {
				continue
			}
			seq, _ := strconv.Atoi(num[6:9])
			out = append(out, NRN{Number: num, Birth: birth, Male: seq%2 == 1, BIS: bis, Line: i, Raw: l.Text[m[4]:m[13]]})
		}
	}
	return out
}

// HostingNames are the two people an attestation d'hébergement names:
// the host who signs it and the person hosted (personal data).
type HostingNames struct {
	Host, Hosted         string
	HostLine, HostedLine int
}

var leadingCivility = regexp.MustCompile(`^(m\.|mme|mlle|monsieur|madame)\s+`)

// Hosting reads an attestation d'hébergement: the host after "Je
// soussigné(e)", the person hosted after "héberger". Each is the first
// run of name words after its phrase, on the same line or the next two
// (a sentence wraps where it will: "héberger à mon domicile, depuis le
// 19/10/2024, M. Paul" / "MARTIN-DURAND, né le …"): a civility starts it
// when there is one; words of the sentence ("à mon domicile", a date, "né
// le") are never part of it, and a name needs a word in capitals (the
// surname, as such letters print it). ok is false unless both are found.
func Hosting(lines []doctext.Line) (h HostingNames, ok bool) {
	for li, l := range lines {
		f := fold(l.Text)
		if i := strings.Index(f.s, "soussigne"); i >= 0 && h.Host == "" {
			h.Host, h.HostLine = personAfter(lines, li, f.orig[i+len("soussigne")])
		}
		if i := strings.Index(f.s, "heberger"); i >= 0 && h.Hosted == "" {
			h.Hosted, h.HostedLine = personAfter(lines, li, f.orig[i+len("heberger")])
		}
	}
	return h, h.Host != "" && h.Hosted != ""
}

// personAfter is the first name found after byte from of line li, looking
// at most two lines further, and the line where it starts.
func personAfter(lines []doctext.Line, li, from int) (string, int) {
	type word struct {
		text string
		line int
	}
	var words []word
	for k := li; k < len(lines) && k <= li+2; k++ {
		t := lines[k].Text
		if k == li {
			t = t[from:]
		}
		for _, w := range strings.Fields(t) {
			words = append(words, word{w, k})
		}
	}
	// The name is a run of name words; a civility opens one, anything
	// else closes it.
	var run []word
	flush := func() (string, int, bool) {
		var parts []string
		caps := false
		for _, w := range run {
			parts = append(parts, w.text)
			caps = caps || isCapitalWord(w.text)
		}
		if len(parts) >= 2 && len(parts) <= 6 && caps {
			return strings.Join(parts, " "), run[0].line, true
		}
		return "", 0, false
	}
	for _, w := range words {
		bare := strings.TrimRight(w.text, ",.;:")
		switch {
		case leadingCivility.MatchString(fold(bare).s + " "):
			if name, line, ok := flush(); ok {
				return name, line
			}
			run = run[:0]
			continue
		case isNameWord(bare):
			run = append(run, word{bare, w.line})
			if bare != w.text { // "MARTIN-DURAND," ends the name
				if name, line, ok := flush(); ok {
					return name, line
				}
				run = run[:0]
			}
			continue
		}
		if name, line, ok := flush(); ok {
			return name, line
		}
		run = run[:0]
	}
	if name, line, ok := flush(); ok {
		return name, line
	}
	return "", 0
}

// sentenceWords are words of an attestation's sentence that can start
// with a capital and are never part of a name.
var sentenceWords = map[string]bool{"je": true, "atteste": true, "certifie": true, "sur": true, "honneur": true,
	"domicile": true, "depuis": true, "le": true, "la": true, "les": true, "ne": true, "nee": true, "mon": true,
	"a": true, "au": true, "chez": true, "moi": true, "demeurant": true, "de": true, "du": true, "des": true, "et": true}

// isNameWord: letters (with hyphens and apostrophes), starting with a
// capital, not a word of the sentence.
func isNameWord(w string) bool {
	r := []rune(w)
	if len(r) < 2 || !unicode.IsUpper(r[0]) || sentenceWords[fold(w).s] {
		return false
	}
	for _, c := range r {
		if !unicode.IsLetter(c) && c != '-' && c != '\'' {
			return false
		}
	}
	return true
}

// isCapitalWord: a word all in capitals, two letters or more (a surname
// as printed).
func isCapitalWord(w string) bool {
	n := 0
	for _, c := range w {
		if unicode.IsLower(c) {
			return false
		}
		if unicode.IsLetter(c) {
			n++
		}
	}
	return n >= 2
}

// ValidBelgianCardNumber checks a Belgian eID card number (RULES.md §2.4):
// 12 digits, the last two = first ten mod 97, or 97 when that is 0.
func ValidBelgianCardNumber(n string) bool {
	n = strings.NewReplacer("-", "", " ", "", ".", "").Replace(n)
	if len(n) != 12 {
		return false
	}
	v, err1 := strconv.ParseInt(n[:10], 10, 64)
	cc, err2 := strconv.Atoi(n[10:])
	if err1 != nil || err2 != nil {
		return false
	}
	want := v % 97
	if want == 0 {
		want = 97
	}
	return int64(cc) == want
}

// ValidNIR checks a French social security number (RULES.md §2.5): key =
// 97 − (first 13 mod 97), Corsica's 2A/2B read as 19/18.
func ValidNIR(n string) bool {
	n = strings.ToUpper(strings.ReplaceAll(n, " ", ""))
	if len(n) != 15 {
		return false
	}
	body := n[:13]
	switch body[5:7] {
	case "2A":
		body = body[:5] + "19" + body[7:]
	case "2B":
		body = body[:5] + "18" + body[7:]
	}
	v, err1 := strconv.ParseInt(body, 10, 64)
	key, err2 := strconv.Atoi(n[13:])
	return err1 == nil && err2 == nil && int64(key) == 97-v%97
}
