package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

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
// soussigné(e)", the person hosted after "héberger" (on the same line
// after a colon, or alone on the next line). ok is false unless both are
// found.
func Hosting(lines []doctext.Line) (h HostingNames, ok bool) {
	// value is the name after the line's first colon (or after the
	// phrase), civility dropped.
	value := func(li, from int) string {
		f := fold(lines[li].Text)
		rest := f.s[from:]
		if j := strings.IndexByte(rest, ':'); j >= 0 {
			from += j + 1
		}
		for _, suffix := range []string{"(e)", "e"} { // soussigné(e), hébergée
			if strings.HasPrefix(f.s[from:], suffix) {
				from += len(suffix)
				break
			}
		}
		rest = strings.TrimSpace(f.s[from:])
		if j := strings.IndexByte(rest, ','); j >= 0 {
			rest = strings.TrimSpace(rest[:j]) // "…, atteste sur l'honneur"
		}
		if m := leadingCivility.FindStringIndex(rest); m != nil {
			rest = rest[m[1]:]
		}
		if len(strings.Fields(rest)) < 2 {
			return ""
		}
		start := strings.Index(f.s[from:], rest) + from
		return strings.TrimSpace(lines[li].Text[f.orig[start]:f.orig[start+len(rest)]])
	}
	for li, l := range lines {
		f := fold(l.Text)
		if i := strings.Index(f.s, "soussigne"); i >= 0 && h.Host == "" {
			if h.Host = value(li, i+len("soussigne")); h.Host != "" {
				h.HostLine = li
			}
		}
		if i := strings.Index(f.s, "heberger"); i >= 0 && h.Hosted == "" {
			if h.Hosted = value(li, i+len("heberger")); h.Hosted != "" {
				h.HostedLine = li
			} else if li+1 < len(lines) {
				if h.Hosted = value(li+1, 0); h.Hosted != "" {
					h.HostedLine = li + 1
				}
			}
		}
	}
	return h, h.Host != "" && h.Hosted != ""
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
