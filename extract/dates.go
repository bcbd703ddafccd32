package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"dossiercheck/doctext"
)

// Label says what a date on a page is the date of.
type Label string

const (
	LabelIssue    Label = "issue"    // date de facture, d'émission, établi le, fait le…
	LabelDue      Label = "due"      // échéance, à payer avant…
	LabelPeriod   Label = "period"   // période, du … au …
	LabelBirth    Label = "birth"    // né(e) le, date de naissance
	LabelExpiry   Label = "expiry"   // valable jusqu'au, date d'expiration
	LabelExam     Label = "exam"     // examen théorique réussi le
	LabelObtained Label = "obtained" // catégorie B obtenue le
	LabelNone     Label = ""         // no label we know
)

// labelWords maps folded label phrases to labels. Order matters: the most
// specific phrase is tried first, so "date de naissance" never reads as a
// bare "date".
var labelWords = []struct {
	phrase string
	label  Label
}{
	{"date de naissance", LabelBirth},
	{"ne(e) le", LabelBirth},
	{"nee le", LabelBirth},
	{"ne le", LabelBirth},
	{"naissance", LabelBirth},
	{"date d'expiration", LabelExpiry},
	{"expire le", LabelExpiry},
	{"valable jusqu", LabelExpiry},
	{"valide jusqu", LabelExpiry},
	{"fin de validite", LabelExpiry},
	{"date limite", LabelDue},
	{"echeance", LabelDue},
	{"a payer avant", LabelDue},
	{"a regler avant", LabelDue},
	{"payable avant", LabelDue},
	{"preleve le", LabelDue},
	{"prelevement", LabelDue},
	{"avant le", LabelDue},
	{"periode", LabelPeriod},
	{"consommation", LabelPeriod},
	{"releve du", LabelPeriod},
	{"du", LabelPeriod},
	{"au", LabelPeriod},
	{"reussi le", LabelExam},
	{"reussie le", LabelExam},
	{"examen theorique", LabelExam},
	{"theorique", LabelExam},
	{"examen", LabelExam},
	{"obtenue le", LabelObtained},
	{"obtenu le", LabelObtained},
	{"date de facture", LabelIssue},
	{"date de la facture", LabelIssue},
	{"facture du", LabelIssue},
	{"date d'emission", LabelIssue},
	{"emise le", LabelIssue},
	{"emis le", LabelIssue},
	{"date d'edition", LabelIssue},
	{"edite le", LabelIssue},
	{"editee le", LabelIssue},
	{"etabli le", LabelIssue},
	{"etablie le", LabelIssue},
	{"date d'etablissement", LabelIssue},
	{"delivre le", LabelIssue},
	{"delivree le", LabelIssue},
	{"date de delivrance", LabelIssue},
	{"fait le", LabelIssue},
	{"le", LabelIssue}, // "Fait à Paris, le 3 mars 2026"
	{"date", LabelIssue},
}

// DateRef is one date found on a page.
type DateRef struct {
	Date      time.Time
	Label     Label
	LabelText string // the label as printed, e.g. "Date de facture"
	Raw       string // the date as printed
	Line      int    // index in the page's lines
	Start     int    // byte offsets in the line
	End       int
}

var (
	numericDate = regexp.MustCompile(`(^|[^0-9])([0-3]?[0-9]) ?([/.\-]) ?([01]?[0-9]) ?([/.\-]) ?((?:19|20)[0-9]{2})([^0-9]|$)`)
	isoDate     = regexp.MustCompile(`(^|[^0-9])((?:19|20)[0-9]{2})-([01][0-9])-([0-3][0-9])([^0-9]|$)`)
	textDate    = regexp.MustCompile(`(^|[^0-9a-z])(1 ?er|ler|[0-3]?[0-9]) +(janvier|fevrier|fevr\.?|fev\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|aout|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|decembre|dec\.?) +((?:19|20)[0-9]{2})([^0-9]|$)`)
	letters     = regexp.MustCompile(`[a-z]`)
)

var months = map[string]time.Month{
	"janvier": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
	"juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10,
	"oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}

type span struct {
	start, end int // in folded bytes
	date       time.Time
}

func civil(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// findSpans finds the dates in one folded line, in order.
func findSpans(s string) []span {
	var out []span
	for _, m := range numericDate.FindAllStringSubmatchIndex(s, -1) {
		if s[m[6]:m[7]] != s[m[10]:m[11]] { // mixed separators: 14/09.2026 is no date
			continue
		}
		d, _ := strconv.Atoi(s[m[4]:m[5]])
		mo, _ := strconv.Atoi(s[m[8]:m[9]])
		y, _ := strconv.Atoi(s[m[12]:m[13]])
		if t, ok := civil(y, mo, d); ok {
			out = append(out, span{m[4], m[13], t})
		}
	}
	for _, m := range isoDate.FindAllStringSubmatchIndex(s, -1) {
		y, _ := strconv.Atoi(s[m[4]:m[5]])
		mo, _ := strconv.Atoi(s[m[6]:m[7]])
		d, _ := strconv.Atoi(s[m[8]:m[9]])
		if t, ok := civil(y, mo, d); ok {
			out = append(out, span{m[4], m[9], t})
		}
	}
	for _, m := range textDate.FindAllStringSubmatchIndex(s, -1) {
		ds := strings.ReplaceAll(s[m[4]:m[5]], " ", "")
		d := 1
		if ds != "1er" && ds != "ler" {
			d, _ = strconv.Atoi(ds)
		}
		mo := months[strings.TrimSuffix(s[m[6]:m[7]], ".")]
		y, _ := strconv.Atoi(s[m[8]:m[9]])
		if t, ok := civil(y, int(mo), d); ok {
			out = append(out, span{m[4], m[9], t})
		}
	}
	// The regexes consume one boundary character, so adjacent matches of
	// different kinds cannot overlap in practice; sort by position.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].start < out[j-1].start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// labelIn finds the label phrase closest to the end of text (the words just
// before a date), returning the label and the phrase's byte range.
func labelIn(text string) (Label, int, int) {
	best, bs, be := LabelNone, -1, -1
	for _, lw := range labelWords {
		i := lastWordIndex(text, lw.phrase)
		if i < 0 {
			continue
		}
		// Prefer the phrase that ends last; at equal ends, the earlier
		// (more specific) table entry wins because it was found first.
		if end := i + len(lw.phrase); end > be || (end == be && i < bs) {
			best, bs, be = lw.label, i, end
		}
	}
	return best, bs, be
}

// lastWordIndex is strings.LastIndex restricted to whole-word matches.
func lastWordIndex(s, sub string) int {
	for end := len(s); end > 0; {
		i := strings.LastIndex(s[:end], sub)
		if i < 0 {
			return -1
		}
		before := i == 0 || !isWordByte(s[i-1])
		after := i+len(sub) == len(s) || !isWordByte(s[i+len(sub)])
		if before && after {
			return i
		}
		end = i + len(sub) - 1
	}
	return -1
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

// Dates finds every date on a page's lines with the label it belongs to.
// The label is read in the text between the previous date on the line (or
// the line start) and this date; a date alone on its line takes the label
// ending the line above ("Date d'émission" stacked over its value).
func Dates(lines []doctext.Line) []DateRef {
	var out []DateRef
	for li, line := range lines {
		f := fold(line.Text)
		prev := 0
		for _, sp := range findSpans(f.s) {
			seg := f.s[prev:sp.start]
			label, ls, le := labelIn(seg)
			labelText := ""
			if ls >= 0 {
				labelText = line.Text[f.orig[prev+ls]:f.orig[prev+le]]
			}
			if prev == 0 && !letters.MatchString(seg) && li > 0 {
				pf := fold(lines[li-1].Text)
				if findSpans(pf.s) == nil {
					if l, s, e := labelIn(pf.s); l != LabelNone && strings.TrimSpace(strings.Trim(pf.s[e:], " :")) == "" {
						label, labelText = l, lines[li-1].Text[pf.orig[s]:pf.orig[e]]
					}
				}
			}
			out = append(out, DateRef{
				Date:      sp.date,
				Label:     label,
				LabelText: labelText,
				Raw:       line.Text[f.orig[sp.start]:f.orig[sp.end]],
				Line:      li,
				Start:     f.orig[sp.start],
				End:       f.orig[sp.end],
			})
			prev = sp.end
		}
	}
	return out
}

// Pick returns the dates with label l, one per distinct day.
func Pick(refs []DateRef, l Label) []DateRef {
	var out []DateRef
	seen := map[time.Time]bool{}
	for _, r := range refs {
		if r.Label == l && !seen[r.Date] {
			seen[r.Date] = true
			out = append(out, r)
		}
	}
	return out
}
