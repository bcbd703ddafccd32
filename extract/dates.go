package extract

import (
	"regexp"
	"slices"
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
	LabelEvent    Label = "event"    // célébré le: the date of what a certificate records
	LabelNone     Label = ""         // no label we know
)

// labelWords maps folded label phrases to labels. Order matters: the most
// specific phrase is tried first, so "date de naissance" never reads as a
// bare "date".
// Weak phrases ("le", "du", "date"…) count only when nothing stronger
// stands before the date: "Prélèvement automatique le 30/03" is a due date.
var labelWords = []struct {
	phrase string
	label  Label
	weak   bool
}{
	{"date de naissance", LabelBirth, false},
	{"ne(e) le", LabelBirth, false},
	{"nee le", LabelBirth, false},
	{"ne le", LabelBirth, false},
	{"naissance", LabelBirth, false},
	{"date d'expiration", LabelExpiry, false},
	{"expire le", LabelExpiry, false},
	{"valable jusqu", LabelExpiry, false},
	{"valide jusqu", LabelExpiry, false},
	{"fin de validite", LabelExpiry, false},
	{"date limite", LabelDue, false},
	{"echeance", LabelDue, false},
	{"a payer avant", LabelDue, false},
	{"a regler avant", LabelDue, false},
	{"payable avant", LabelDue, false},
	{"preleve le", LabelDue, false},
	{"prelevement", LabelDue, false},
	{"avant le", LabelDue, false},
	{"periode", LabelPeriod, false},
	{"consommation", LabelPeriod, false},
	{"releve du", LabelPeriod, false},
	{"du", LabelPeriod, true},
	{"au", LabelPeriod, true},
	{"reussi le", LabelExam, false},
	{"reussie le", LabelExam, false},
	{"examen theorique", LabelExam, false},
	{"theorique", LabelExam, false},
	{"examen", LabelExam, false},
	{"obtenue le", LabelObtained, false},
	{"celebre le", LabelEvent, false},
	{"celebre", LabelEvent, false},
	{"obtenu le", LabelObtained, false},
	{"date de facture", LabelIssue, false},
	{"date de la facture", LabelIssue, false},
	{"facture du", LabelIssue, false},
	{"date d'emission", LabelIssue, false},
	{"emise le", LabelIssue, false},
	{"emis le", LabelIssue, false},
	{"date d'edition", LabelIssue, false},
	{"edite le", LabelIssue, false},
	{"editee le", LabelIssue, false},
	{"etabli le", LabelIssue, false},
	{"etablie le", LabelIssue, false},
	{"date d'etablissement", LabelIssue, false},
	{"delivre le", LabelIssue, false},
	{"delivree le", LabelIssue, false},
	{"date de delivrance", LabelIssue, false},
	{"fait le", LabelIssue, false},
	{"le", LabelIssue, true}, // "Fait à Paris, le 3 mars 2026"
	{"date", LabelIssue, true},
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
	textDate    = regexp.MustCompile(`(^|[^0-9a-z])(1 ?er|ler|[0-3]?[0-9]) +(` + monthNames + `) +((?:19|20)[0-9]{2})([^0-9]|$)`)
	letters     = regexp.MustCompile(`[a-z]`)

	// What a date may look like once misread: any digits where day, month
	// and year stand (DateWords).
	looseNumeric = regexp.MustCompile(`(^|[^0-9])([0-9]{1,2}) ?[/.\-] ?([0-9]{1,2}) ?[/.\-] ?([0-9]{4})([^0-9]|$)`)
	looseISO     = regexp.MustCompile(`(^|[^0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})([^0-9]|$)`)
	looseText    = regexp.MustCompile(`(^|[^0-9a-z])(1 ?er|ler|[0-9]{1,2}) +(?:` + monthNames + `) +([0-9]{4})([^0-9]|$)`)
)

const monthNames = `janvier|fevrier|fevr\.?|fev\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|aout|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|decembre|dec\.?`

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
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	return out
}

// labelIn finds the label phrase closest to the end of text (the words just
// before a date), returning the label and the phrase's byte range.
func labelIn(text string) (Label, int, int) {
	best, bs, be, bestWeak := LabelNone, -1, -1, true
	for _, lw := range labelWords {
		i := lastWordIndex(text, lw.phrase)
		if i < 0 {
			continue
		}
		// A strong phrase beats a weak one; otherwise prefer the phrase
		// that ends last, and at equal ends the longer one.
		end := i + len(lw.phrase)
		better := end > be || (end == be && i < bs)
		if best == LabelNone || (bestWeak && !lw.weak) || (bestWeak == lw.weak && better) {
			best, bs, be, bestWeak = lw.label, i, end, lw.weak
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

// DateWords returns the indexes of l's words that print the digits of a
// date, whether or not they make a valid one: 19/19/2026 is a misread
// 19/10/2026, "26 octobre 2926" a misread 2026, and in "19 mai 2026" the
// 19 may be a misread 10. The pipeline reads these words again on their
// own.
func DateWords(l doctext.Line) []int {
	f := fold(l.Text)
	var spans [][2]int // digit groups, in original bytes
	add := func(m []int, groups ...int) {
		for _, g := range groups {
			if m[2*g] >= 0 {
				spans = append(spans, [2]int{f.orig[m[2*g]], f.orig[m[2*g+1]]})
			}
		}
	}
	for _, m := range looseNumeric.FindAllStringSubmatchIndex(f.s, -1) {
		add(m, 2, 3, 4)
	}
	for _, m := range looseISO.FindAllStringSubmatchIndex(f.s, -1) {
		add(m, 2, 3, 4)
	}
	for _, m := range looseText.FindAllStringSubmatchIndex(f.s, -1) {
		add(m, 2, 3)
	}
	var out []int
	for i, w := range l.Words {
		for _, sp := range spans {
			if w.Start < sp[1] && w.End > sp[0] {
				out = append(out, i)
				break
			}
		}
	}
	return out
}
