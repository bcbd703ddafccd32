// Package mrz finds and parses machine-readable zones (ICAO 9303 TD1 and
// TD3, and the French 1995 identity card's 2×36 layout, RULES.md §2.1–2.2)
// and verifies their check digits.
package mrz

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dossiercheck/edit"
)

// Format names an MRZ layout.
type Format string

const (
	TD1    Format = "TD1"    // ID cards, 3×30
	TD3    Format = "TD3"    // passports, 2×44
	TD2    Format = "TD2"    // 2×36 travel documents
	FRCNI  Format = "FR-CNI" // French ID card 1995–2021, 2×36
	FRDL   Format = "FR-DL"  // French driving licence, 1×30
	Absent Format = ""
)

// MRZ is a parsed zone.
type MRZ struct {
	Format     Format
	DocCode    string
	Country    string
	Number     string
	Surname    string
	GivenNames string
	BirthDate  time.Time // zero when unreadable
	Expiry     time.Time // zero when absent (FR-CNI) or unreadable
	Sex        string
	// Optional is TD1 line 2's optional data without fillers: on a
	// Belgian eID, the holder's national number.
	Optional string
	Lines    []string // as corrected
	Valid    bool     // every check digit matched
	Errors   []string // which check digits failed
	// Repaired lists what was changed in the zone as read to make its
	// check digits match ("birth date: O read for 0", "line 2: dropped
	// '5' at 13"); empty when it was read as it is.
	Repaired []string
	// At is the index, among the lines given to Find, of the zone's first
	// line.
	At int
	// Ambiguous holds the valid zones a repair could make when there was
	// more than one (a swap inside the document number leaves every check
	// digit as it was one time in ten): not a repair, but a choice that
	// other evidence, such as the number printed on the card, may settle
	// (Settle).
	Ambiguous []MRZ
	// Numbers holds the candidate document numbers of a zone whose number
	// stayed ambiguous while every other field is verified (Unsettled);
	// Number is then empty.
	Numbers []string
}

// Settle picks, among an invalid zone's ambiguous repairs, the one whose
// document number is printed elsewhere on the document (printed reports
// whether a number is); ok is false unless exactly one is.
func (m MRZ) Settle(printed func(number string) bool) (MRZ, bool) {
	var found []MRZ
	for _, a := range m.Ambiguous {
		if printed(a.Number) {
			found = append(found, a)
		}
	}
	if len(found) != 1 {
		return m, false
	}
	r := found[0]
	r.Repaired = append(r.Repaired, "document number "+r.Number+" as printed on the document")
	return r, true
}

// SettleLoose settles an ambiguous zone by the number as printed
// elsewhere on the document, read in another font: texts are its lines
// (upper case, spaces removed). A candidate is found there when every
// character where the candidates differ is the same and the others are
// the same or look-alikes (the printed font confuses I and 1 too, but
// not 6 and G, which no check digit can tell apart: their values differ
// by 10). Only one candidate found is a settlement.
func (m MRZ) SettleLoose(texts []string) (MRZ, bool) {
	if len(m.Ambiguous) < 2 {
		return m, false
	}
	n := len(m.Ambiguous[0].Number)
	differs := make([]bool, n)
	for _, a := range m.Ambiguous[1:] {
		if len(a.Number) != n {
			return m, false
		}
		for i := range n {
			if a.Number[i] != m.Ambiguous[0].Number[i] {
				differs[i] = true
			}
		}
	}
	printed := func(num string) bool {
		for _, t := range texts {
			for at := 0; at+n <= len(t); at++ {
				ok := true
				for i := 0; i < n && ok; i++ {
					c := t[at+i]
					ok = c == num[i] || !differs[i] && same(c, num[i])
				}
				if ok {
					return true
				}
			}
		}
		return false
	}
	return m.Settle(printed)
}

// NumberUnread is what a TD1 zone whose document number was garbled
// beyond repair still proves, on a card whose line 1 ends with the
// number's check digit and fillers (a French card: no optional data
// there). The number's check digit is the last character before the
// fillers; and the composite weighs the number as its own check digit
// does (7, 3, 1 from the same place), so a number that holds its check
// digit c adds 8c (mod 10) to the composite whatever its characters. The
// composite is then checked from c alone: with every other field's own
// check digit holding, the zone verifies all but the number, as a zone
// read whole does. Number is left empty unless one word printed on the
// card (words: upper case) has that check digit and is within
// maxNumberEdits of the garbled reading. ok is false when any other check
// digit fails, the zone is implausible or the number field is not one.
func (m MRZ) NumberUnread(words []string) (MRZ, bool) {
	if m.Valid || m.Format != TD1 || len(m.Lines) != 3 || len(m.Lines[0]) != 30 || len(m.Lines[1]) != 30 || !plausible(m) {
		return m, false
	}
	for _, e := range m.Errors {
		if e != "document number check digit" && e != "composite check digit" {
			return m, false
		}
	}
	l1, l2 := m.Lines[0], m.Lines[1]
	read := strings.TrimRight(l1[5:], "<")
	if len(read) < 8 || len(read) > 13 || strings.Contains(read, "<") {
		return m, false
	}
	c := read[len(read)-1]
	if x, ok := toDigit[c]; ok {
		c = x
	}
	if c < '0' || c > '9' {
		return m, false
	}
	// A stand-in number with check digit c: eight zeros and c (weight 1).
	stand := "00000000" + string(c) + string(c) + strings.Repeat("<", 15)
	if d, ok := CheckDigit(stand + l2[0:7] + l2[8:15] + l2[18:29]); !ok || d != l2[29] {
		return m, false
	}
	r := m
	r.Valid, r.Errors, r.Number = true, nil, ""
	r.Repaired = append(r.Repaired, fmt.Sprintf("document number not read (%s in the zone): its check digit %c and the composite hold", read, c))
	// The printed word may hold look-alikes too (a 1 read I): its
	// variants are tried, and only one number found is taken.
	var found []string
	try := func(w string) {
		if d, ok := CheckDigit(w); ok && d == c && edit.Distance(read, w+string(c)) <= maxNumberEdits && !slices.Contains(found, w) {
			found = append(found, w)
		}
	}
	for _, w := range words {
		if len(w) == 9 {
			try(w)
			lookAlikes(w, try)
		}
	}
	if len(found) == 1 {
		r.Number = found[0]
		r.Repaired[len(r.Repaired)-1] = fmt.Sprintf("document number %s as printed on the card (%s in the zone): its check digit %c and the composite hold", found[0], read, c)
	}
	return r, true
}

// maxNumberEdits bounds how far a garbled number field (number and check
// digit as read) may be from a printed number and its check digit for
// the printed one to be taken: OCR-B's 6 read O and 5 read S in one
// number, or a character split in two, are two or three edits.
const maxNumberEdits = 3

// Unsettled is what an ambiguous zone that nothing settled still proves.
// Its repairs differ only in look-alike characters of the document number
// (swapNumber changes nothing else), and each makes every check digit
// hold: the birth date's and the expiry's own check digits hold as read,
// and the composite holds for each candidate. So the holder's identity
// fields are verified; only the document number is one of Numbers, and
// Number is left empty (no rule decides on it; a clerk sees the
// candidates). ok is false when there is no such choice.
func (m MRZ) Unsettled() (MRZ, bool) {
	if len(m.Ambiguous) < 2 {
		return m, false
	}
	r := m.Ambiguous[0]
	var numbers []string
	for _, a := range m.Ambiguous {
		if !a.Valid || a.Format != r.Format || a.Surname != r.Surname || a.GivenNames != r.GivenNames ||
			!a.BirthDate.Equal(r.BirthDate) || !a.Expiry.Equal(r.Expiry) || a.Sex != r.Sex ||
			a.Country != r.Country || a.DocCode != r.DocCode || a.Optional != r.Optional {
			return m, false
		}
		numbers = append(numbers, a.Number)
	}
	r.Number, r.Numbers, r.Ambiguous = "", numbers, nil
	r.Lines = m.Lines // as read: no candidate's lines are known to be the card's
	r.Repaired = []string{fmt.Sprintf("document number one of %s: look-alike characters no check digit tells apart", strings.Join(numbers, ", "))}
	return r, true
}

// fillerLike are the letters OCR reads a filler as on a names line
// (seen: S, K, R, E, L, C), where no check digit tells them apart.
const fillerLike = "SKRELC"

// NamesAre reports whether the zone's names line, as read, is want (the
// holder's name words as printed elsewhere on the document, upper case,
// accents off, surname first) with some fillers read as letters: a read
// word may be a wanted one with one or two filler-like letters after it
// (HELENE<< read HELENES<), and a word of one or two filler-like letters
// alone (LEFEVRE<<HELENE read LEFEVRE<S<HELENE) is a filler, as is any
// word of filler-like letters after the last name (the trailing run of
// fillers read RECE). Every other letter must be the printed one: a name
// that differs is not this one.
func (m MRZ) NamesAre(want []string) bool { return m.NamesWithin(want, 0) }

// NamesWithin is NamesAre with up to edits letters of the names read
// otherwise in all (a letter changed, dropped or added: LEFEVRE read
// PEFEVRE or LFEVRE).
func (m MRZ) NamesWithin(want []string, edits int) bool {
	var line string
	switch {
	case m.Format == TD1 && len(m.Lines) == 3:
		line = m.Lines[2]
	case (m.Format == TD3 || m.Format == TD2) && len(m.Lines) == 2 && len(m.Lines[0]) > 5:
		line = m.Lines[0][5:]
	case m.Format == FRCNI && len(m.Lines) == 2 && len(m.Lines[0]) >= 30 && len(m.Lines[1]) >= 27:
		line = m.Lines[0][5:30] + "<<" + m.Lines[1][13:27]
	default:
		return false
	}
	fillers := func(w string) bool { return strings.Trim(w, fillerLike) == "" }
	read := strings.FieldsFunc(strings.TrimLeft(line, "0123456789"), func(r rune) bool { return r == '<' })
	i, spent := 0, 0
	for _, w := range read {
		if i < len(want) {
			if cost := wordCost(w, want[i]); spent+cost <= edits {
				i, spent = i+1, spent+cost
				continue
			}
		}
		if fillers(w) && (len(w) <= 2 || i == len(want)) {
			continue
		}
		return false
	}
	return i == len(want) && len(want) > 0
}

// wordCost is how many letters of a read names word differ from the
// wanted one, once one or two filler-like letters read after it are left
// out: the least over those endings.
func wordCost(read, want string) int {
	cost := edit.Distance(read, want)
	for k := 1; k <= 2 && k < len(read) && strings.ContainsRune(fillerLike, rune(read[len(read)-k])); k++ {
		cost = min(cost, edit.Distance(read[:len(read)-k], want))
	}
	return cost
}

// CheckDigit computes the ICAO 7-3-1 check digit; ok is false on a
// character outside 0-9, A-Z and <.
func CheckDigit(s string) (byte, bool) {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		case c == '<':
		default:
			return 0, false
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10), true
}

// numeric OCR confusions, tried only where a check digit can confirm them.
var toDigit = map[byte]byte{'O': '0', 'Q': '0', 'D': '0', 'I': '1', 'L': '1', 'Z': '2', 'S': '5', 'B': '8', 'G': '6'}

// checked verifies field+digit; when it fails, it retries with letters
// turned into digits in the numeric positions and keeps the correction
// only if the check digit then matches.
func checked(field string, digit byte, numeric bool) (string, bool) {
	if digit == '<' && strings.Trim(field, "<") == "" {
		return field, true // empty optional field
	}
	d := digit
	if x, ok := toDigit[d]; ok {
		d = x
	}
	if c, ok := CheckDigit(field); ok && c == d {
		return field, true
	}
	if !numeric {
		return field, false
	}
	b := []byte(field)
	for i, c := range b {
		if x, ok := toDigit[c]; ok {
			b[i] = x
		}
	}
	if c, ok := CheckDigit(string(b)); ok && c == d {
		return string(b), true
	}
	return field, false
}

// Find looks for an MRZ among text lines (OCR output) and parses the first
// one found. Spaces are dropped and common OCR renderings of '<' mended.
func Find(lines []string) (MRZ, bool) {
	var cand []string
	for _, l := range lines {
		c := normalize(l)
		// A zone line is nearly all MRZ characters; a line of prose is not.
		raw := len(strings.ReplaceAll(l, " ", ""))
		if len(c) >= 10 && len(c)*10 >= raw*9 {
			cand = append(cand, c)
		} else {
			cand = append(cand, "")
		}
	}
	for i := range cand {
		if !strings.Contains(cand[i], "<") {
			continue // a zone's first line always has fillers
		}
		var m MRZ
		switch {
		case i+2 < len(cand) && near(cand[i], 30) && near(cand[i+1], 30) && namesLine(cand[i+2], 30):
			m = repair(30, span{0, 5, 14}, func(l []string) MRZ { return ParseTD1(l[0], l[1], l[2]) }, cand[i], cand[i+1], cand[i+2])
		case i+1 < len(cand) && namesLine(cand[i], 44) && strings.HasPrefix(cand[i], "P") && near(cand[i+1], 44):
			m = repair(44, span{1, 0, 9}, func(l []string) MRZ { return ParseTD3(l[0], l[1]) }, cand[i], cand[i+1])
		case i+1 < len(cand) && near(cand[i], 36) && near(cand[i+1], 36) && strings.HasPrefix(cand[i], "IDFRA"):
			m = repair(36, span{1, 0, 12}, func(l []string) MRZ { return ParseFRCNI(l[0], l[1]) }, cand[i], cand[i+1])
		case i+1 < len(cand) && near(cand[i], 36) && near(cand[i+1], 36):
			m = ParseTD2(fit(cand[i], 36), fit(cand[i+1], 36))
		case near(cand[i], 30) && strings.HasPrefix(cand[i], "D1FRA"):
			m = ParseFRDL(fit(cand[i], 30))
		default:
			continue
		}
		m.At = i
		return m, true
	}
	return MRZ{}, false
}

// repair parses a zone of n-character lines; when OCR split one character
// into two or read a speck as one (a line longer than n), it tries
// dropping each single character of the long lines. Check digits are mod
// 10, so a wrong drop matches by chance one time in ten per digit: the
// result must be plausible (real dates, a sex) and the only variant that
// makes every check digit match. Otherwise the zone stays as read,
// invalid: a repair that is not the only one is no repair. A document
// number's look-alikes are tried the same way (swapNumber).
func repair(n int, number span, parse func(lines []string) MRZ, lines ...string) MRZ {
	fitted := make([]string, len(lines))
	for i, l := range lines {
		fitted[i] = fit(l, n)
	}
	m := parse(fitted)
	if m.Valid {
		return m
	}
	swapped := swapNumber(fitted, number, parse)
	if len(swapped) == 1 {
		return swapped[0]
	}
	type variant struct {
		m       MRZ
		dropped []string
	}
	var found []variant
	var walk func(i int, cur, dropped []string)
	walk = func(i int, cur, dropped []string) {
		if i == len(lines) {
			if r := parse(cur); r.Valid && plausible(r) && !slices.ContainsFunc(found, func(f variant) bool { return slices.Equal(f.m.Lines, r.Lines) }) {
				found = append(found, variant{r, slices.Clone(dropped)})
			}
			return
		}
		walk(i+1, append(cur[:i:i], fit(lines[i], n)), dropped)
		if len(lines[i]) <= n {
			return
		}
		l := lines[i]
		for j := range len(strings.TrimRight(l, "<")) {
			walk(i+1, append(cur[:i:i], fit(l[:j]+l[j+1:], n)), append(dropped, fmt.Sprintf("line %d: dropped %q at %d", i+1, l[j], j+1)))
		}
	}
	walk(0, make([]string, 0, len(lines)), nil)
	if len(found) != 1 {
		m.Ambiguous = swapped
		return m
	}
	r := found[0].m
	r.Repaired = append(found[0].dropped, r.Repaired...)
	return r
}

// span is where a field lies: line index, start and end.
type span struct{ line, start, end int }

// confusable lists, for a character, the ones OCR-B's shapes make it read
// as, or that are read for it: 0/O, 1/I, 8/B, 5/S, 2/Z, 6/G, and 4/A,
// seen on scanned cards at some line heights ("C1GT4PFW3" read
// "CIGTAPFW3"). F/E were seen too but left out: a swap there made a wrong
// number the only valid one more often than it found the right one.
var confusable = map[byte]string{'0': "O", 'O': "0", '1': "I", 'I': "1", '8': "B", 'B': "8", '5': "S", 'S': "5",
	'2': "Z", 'Z': "2", '6': "G", 'G': "6", '4': "A", 'A': "4"}

// maxSwapVariants bounds the variants swapNumber tries (a number of
// look-alikes only: 2^9).
const maxSwapVariants = 512

// swapNumber lists the zones made valid and plausible by swapping
// look-alike characters in an alphanumeric document number (L0TT1PFW8
// read LOTTIPFWB): every combination of swaps is tried. Letters and digits
// mix in these numbers, so no position can be assumed to be either; and
// the composite check digit weighs the number as its own check digit
// does, so it adds nothing here: one swap in ten keeps both. Only a
// single result is a repair.
func swapNumber(lines []string, at span, parse func([]string) MRZ) []MRZ {
	field := lines[at.line][at.start:at.end]
	var found []MRZ
	lookAlikes(field, func(b string) {
		cur := slices.Clone(lines)
		cur[at.line] = cur[at.line][:at.start] + b + cur[at.line][at.end:]
		if r := parse(cur); r.Valid && plausible(r) {
			r.Repaired = append([]string{fmt.Sprintf("document number: %s read as %s", b, field)}, r.Repaired...)
			found = append(found, r)
		}
	})
	return found
}

// lookAlikes calls fn with every variant of s that swaps one or more of
// its characters for a look-alike (confusable); none when s has more
// than maxSwapVariants of them.
func lookAlikes(s string, fn func(string)) {
	var pos []int
	variants := 1
	for i := range len(s) {
		if alt, ok := confusable[s[i]]; ok {
			pos = append(pos, i)
			variants *= 1 + len(alt)
		}
	}
	if len(pos) == 0 || variants > maxSwapVariants {
		return
	}
	b := []byte(s)
	var walk func(k int, changed bool)
	walk = func(k int, changed bool) {
		if k == len(pos) {
			if changed {
				fn(string(b))
			}
			return
		}
		p := pos[k]
		orig := b[p]
		walk(k+1, changed)
		for _, c := range []byte(confusable[orig]) {
			b[p] = c
			walk(k+1, true)
		}
		b[p] = orig
	}
	walk(0, false)
}

// plausible: a zone whose dates are real dates, whose names are letters
// and whose sex is one of ICAO's. A chance match of the check digits
// rarely gives all three.
func plausible(m MRZ) bool {
	if m.BirthDate.IsZero() || (m.Format != FRCNI && m.Format != FRDL && m.Expiry.IsZero()) {
		return false
	}
	letters := func(s string) bool {
		return strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ") == ""
	}
	// Names are letters only: a digit in one is a shifted field.
	return letters(m.Surname) && letters(m.GivenNames) && (m.Format == FRDL || strings.Contains("MFX<", m.Sex))
}

// same: two characters OCR confuses for one another, or equal.
func same(a, b byte) bool {
	if a == b {
		return true
	}
	for _, p := range []string{"O0", "I1", "S5", "B8", "Z2"} {
		if (a == p[0] && b == p[1]) || (a == p[1] && b == p[0]) {
			return true
		}
	}
	return false
}

func normalize(l string) string {
	l = strings.ToUpper(l)
	r := strings.NewReplacer(" ", "", "«", "<", "‹", "<", "(", "<", "{", "<", "[", "<")
	l = r.Replace(l)
	var b []byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<' {
			b = append(b, c)
		}
	}
	// The French model reads a filler as K. A K is a filler only inside a
	// run of fillers: after one and before another (or a K, or the end).
	// A name's K beside a filler stays ("<<KEVIN", "ERIK<<").
	for i := 1; i < len(b); i++ {
		if b[i] == 'K' && b[i-1] == '<' && (i+1 == len(b) || b[i+1] == '<' || b[i+1] == 'K') {
			b[i] = '<'
		}
	}
	return string(b)
}

// near: a zone line of n characters as OCR gave it, give or take two; or
// longer by fillers alone, which fit cuts (the English model read a
// card's 15 trailing fillers as « <<<K<K<K<K<K<K<<<<<<< », 21 once the
// K are mended).
func near(s string, n int) bool {
	return len(s) >= n-2 && (len(s) <= n+2 || len(strings.TrimRight(s, "<")) <= n)
}

// namesLine: a zone line of n characters that holds names, whose trailing
// fillers OCR may have dropped (any length from 10 up; fit pads it).
func namesLine(s string, n int) bool { return len(s) >= 10 && len(s) <= n+2 }

// fit pads or cuts a line to n characters. OCR often drops trailing
// fillers, and miscounts a long run of them: a line that ends in data
// ("…<<<<<<<<<<<<<00", a check digit after the fillers) gets its missing
// fillers in, or its extra ones out of, its longest run of fillers, so
// that what follows stays at its place; fillers carry no data and the
// check digits then verify every field.
func fit(s string, n int) string {
	if len(s) == n || strings.HasSuffix(s, "<") {
		if len(s) >= n {
			return s[:n]
		}
		return s + strings.Repeat("<", n-len(s))
	}
	at, run := -1, 0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == '<' {
			j++
		}
		if j-i > run {
			at, run = i, j-i
		}
		i = max(j, i+1)
	}
	switch {
	case at >= 0 && run >= 2 && len(s) < n:
		return s[:at] + strings.Repeat("<", n-len(s)) + s[at:]
	case at >= 0 && len(s) > n && run > len(s)-n:
		return s[:at] + s[at+len(s)-n:]
	case len(s) > n:
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

// names splits a names line into surname and given names. Names are
// letters: digits before the surname are another line's characters OCR
// ran into this one ("32DUPONT<<JEAN").
func names(s string) (string, string) {
	sur, given, _ := strings.Cut(strings.TrimLeft(s, "0123456789"), "<<")
	clean := func(x string) string {
		return strings.TrimSpace(strings.Join(strings.Fields(strings.ReplaceAll(x, "<", " ")), " "))
	}
	return clean(sur), clean(given)
}

// date reads YYMMDD. Birth dates take the most recent past century; expiry
// dates are 20YY.
func date(s string, birth bool, now time.Time) time.Time {
	if len(s) != 6 {
		return time.Time{}
	}
	var v [3]int
	for i := 0; i < 3; i++ {
		a, b := s[2*i], s[2*i+1]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return time.Time{}
		}
		v[i] = int(a-'0')*10 + int(b-'0')
	}
	y := 2000 + v[0]
	if birth && y > now.Year() {
		y -= 100
	}
	t := time.Date(y, time.Month(v[1]), v[2], 0, 0, 0, 0, time.UTC)
	if int(t.Month()) != v[1] || t.Day() != v[2] {
		return time.Time{}
	}
	return t
}

func (m *MRZ) check(name, field string, digit byte, numeric bool) string {
	f, ok := checked(field, digit, numeric)
	if !ok {
		m.Errors = append(m.Errors, fmt.Sprintf("%s check digit", name))
	}
	if f != field {
		m.Repaired = append(m.Repaired, fmt.Sprintf("%s: %s read as %s", name, f, field))
	}
	return f
}

// digits turns OCR confusions into digits at the given 0-based positions,
// which hold check digits: a check digit is never a letter.
func digits(l string, pos ...int) string {
	b := []byte(l)
	for _, p := range pos {
		if x, ok := toDigit[b[p]]; ok {
			b[p] = x
		}
	}
	return string(b)
}

// ParseTD1 parses a 3×30 zone.
func ParseTD1(l1, l2, l3 string) MRZ {
	l2 = digits(l2, 6, 14, 29)
	if l1[14] != '<' {
		l1 = digits(l1, 14)
	}
	m := MRZ{Format: TD1, DocCode: strings.Trim(l1[0:2], "<"), Country: l1[2:5]}
	// A Belgian card number is 12 digits (RULES.md §2.4): OCR's letters
	// there are digits when the check digit agrees.
	numeric := m.Country == "BEL"
	num, opt1 := l1[5:14], l1[15:30]
	if l1[14] == '<' && strings.Trim(opt1, "<") != "" { // long document number overflow
		rest := strings.TrimRight(opt1, "<")
		full := num + rest[:len(rest)-1]
		m.Number = m.check("document number", full, rest[len(rest)-1], numeric)
		if m.Number != full {
			l1 = l1[:5] + m.Number[:9] + l1[14:15] + m.Number[9:] + l1[15+len(rest)-1:]
		}
	} else {
		fixed := m.check("document number", num, l1[14], numeric)
		l1 = l1[:5] + fixed + l1[14:]
		m.Number = strings.TrimRight(fixed, "<")
	}
	now := time.Now()
	birth := m.check("birth date", l2[0:6], l2[6], true)
	exp := m.check("expiry", l2[8:14], l2[14], true)
	l2 = birth + l2[6:8] + exp + l2[14:]
	l1 = l1[:5] + l1[5:30]
	m.BirthDate, m.Expiry, m.Sex = date(birth, true, now), date(exp, false, now), string(l2[7])
	m.Surname, m.GivenNames = names(l3)
	m.Optional = strings.Trim(l2[18:29], "<")
	m.Lines = []string{l1, l2, l3}
	m.checkComposite(l1[5:30]+l2[0:7]+l2[8:15]+l2[18:29], l2[29], l1[15:30]+l2[18:29])
	m.Valid = len(m.Errors) == 0
	return m
}

// checkComposite checks the composite check digit, once every other field
// is parsed. A composite read as one more filler (it ends its line after a
// run of fillers, which OCR miscounts, dropping the digit) over optional
// data of fillers only is not read rather than failed, when every field's
// own check digit holds and the zone is plausible (real dates, names of
// letters, a sex): the composite then adds nothing those digits do not
// verify, and Repaired says it was not read.
func (m *MRZ) checkComposite(field string, digit byte, optional string) {
	if digit != '<' || strings.Trim(optional, "<") != "" {
		m.check("composite", field, digit, false)
		return
	}
	if len(m.Errors) == 0 && plausible(*m) {
		m.Repaired = append(m.Repaired, "composite check digit not read (a filler in its place): every field's own check digit holds")
		return
	}
	m.Errors = append(m.Errors, "composite check digit")
}

// ParseTD3 parses a 2×44 passport zone.
func ParseTD3(l1, l2 string) MRZ { return parseTwoLine(TD3, l1, l2) }

// ParseTD2 parses a 2×36 zone (ICAO 9303 part 6).
func ParseTD2(l1, l2 string) MRZ { return parseTwoLine(TD2, l1, l2) }

// parseTwoLine reads TD2 and TD3, whose second lines share a layout up to
// the optional data: TD3's is a personal number with its own check digit.
func parseTwoLine(f Format, l1, l2 string) MRZ {
	n := len(l2)
	l2 = digits(l2, 9, 19, 27, n-1)
	if f == TD3 {
		l2 = digits(l2, n-2)
	}
	m := MRZ{Format: f, DocCode: strings.Trim(l1[0:2], "<"), Country: l1[2:5]}
	m.Surname, m.GivenNames = names(l1[5:])
	now := time.Now()
	num := m.check("document number", l2[0:9], l2[9], false)
	birth := m.check("birth date", l2[13:19], l2[19], true)
	exp := m.check("expiry", l2[21:27], l2[27], true)
	opt := l2[28 : n-1]
	if f == TD3 {
		opt = m.check("personal number", l2[28:n-2], l2[n-2], false) + l2[n-2:n-1]
	}
	l2 = num + l2[9:13] + birth + l2[19:21] + exp + l2[27:28] + opt + l2[n-1:]
	m.Number = strings.TrimRight(num, "<")
	m.BirthDate, m.Expiry, m.Sex = date(birth, true, now), date(exp, false, now), string(l2[20])
	m.Lines = []string{l1, l2}
	composite := l2[0:10] + l2[13:20] + l2[21:n-1]
	if f == TD3 {
		m.checkComposite(composite, l2[n-1], l2[28:n-2])
	} else {
		// TD2's optional data has no check digit of its own: its
		// composite is always read.
		m.check("composite", composite, l2[n-1], false)
	}
	m.Valid = len(m.Errors) == 0
	return m
}

// ParseFRDL parses the French driving licence's 1×30 zone (RULES.md §2.3):
// its document check digit covers positions 1–14, "D1FRA" included.
func ParseFRDL(l string) MRZ {
	l = digits(l, 14, 29)
	m := MRZ{Format: FRDL, DocCode: "D1", Country: "FRA"}
	m.check("document number", l[0:14], l[14], false)
	m.check("composite", l[0:29], l[29], false) // the expiry has no digit of its own
	m.Number = l[5:14]
	m.Expiry = date(l[15:21], false, time.Now())
	m.Surname = strings.TrimRight(strings.ReplaceAll(l[21:29], "<", " "), " ")
	m.Lines = []string{l}
	m.Valid = len(m.Errors) == 0
	return m
}

// ParseFRCNI parses the French 1995–2021 card (2×36).
func ParseFRCNI(l1, l2 string) MRZ {
	l2 = digits(l2, 12, 33, 35)
	m := MRZ{Format: FRCNI, DocCode: "ID", Country: "FRA"}
	m.Surname = strings.TrimSpace(strings.ReplaceAll(strings.TrimRight(l1[5:30], "<"), "<", " "))
	num := m.check("card number", l2[0:12], l2[12], false)
	birth := m.check("birth date", l2[27:33], l2[33], true)
	l2 = num + l2[12:27] + birth + l2[33:]
	m.check("composite", l1+l2[:35], l2[35], false)
	m.Number = num
	m.GivenNames = strings.TrimSpace(strings.ReplaceAll(strings.TrimRight(l2[13:27], "<"), "<", " "))
	m.BirthDate, m.Sex = date(birth, true, time.Now()), string(l2[34])
	m.Lines = []string{l1, l2}
	m.Valid = len(m.Errors) == 0
	return m
}
