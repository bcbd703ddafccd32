package extract

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dossiercheck/dates"
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
	// LabelSince is the start of something the document is about, not the
	// document's date: "souscrit le", "client depuis le", "à compter du",
	// "date d'effet", "hébergé depuis le". A bill's subscription date or
	// an attestation's start of stay must never read as an issue date.
	LabelSince Label = "since"
	// LabelOther is a labelled date of something else the document
	// records or announces: a meter reading ("lecture du compteur le",
	// "relevé le"), the next bill ("prochaine facture vers le").
	LabelOther Label = "other"
	LabelNone  Label = "" // no label we know
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
	{"date de naiss", LabelBirth, false}, // DATE DE NAISS. / Date of birth
	{"date of birth", LabelBirth, false},
	{"birth date", LabelBirth, false},
	{"lieu de naissance", LabelNone, false}, // not a date: keeps "naissance" off it
	{"place of birth", LabelNone, false},
	{"ne(e) le", LabelBirth, false},
	{"nee le", LabelBirth, false},
	{"ne le", LabelBirth, false},
	{"naissance", LabelBirth, false},
	{"date d'expiration", LabelExpiry, false},
	{"date d'expir", LabelExpiry, false},
	{"date of expiry", LabelExpiry, false},
	{"expiry date", LabelExpiry, false},
	{"expiry", LabelExpiry, false},
	{"valid until", LabelExpiry, false},
	{"expire le", LabelExpiry, false},
	{"valable jusqu", LabelExpiry, false},
	{"valide jusqu", LabelExpiry, false},
	{"fin de validite", LabelExpiry, false},
	{"date limite", LabelDue, false},
	{"date limite de paiement", LabelDue, false}, // whole, when printed on two lines
	{"echeance", LabelDue, false},
	{"a payer avant", LabelDue, false},
	{"a regler avant", LabelDue, false},
	{"payable avant", LabelDue, false},
	{"preleve le", LabelDue, false},
	{"prelevee le", LabelDue, false},
	{"prelevement", LabelDue, false},
	{"payable le", LabelDue, false},
	{"a payer le", LabelDue, false},
	{"a regler le", LabelDue, false},
	{"date de paiement", LabelDue, false},
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
	{"date du document", LabelIssue, false}, // not "du …" of a period
	{"date du courrier", LabelIssue, false},
	{"date of issue", LabelIssue, false},
	{"issue date", LabelIssue, false},
	// "Valable du 12.03.2021 au 12.03.2031" (Belgian eID): the first date
	// is the issue, the one after "au" the expiry (Dates pairs them).
	{"valable du", LabelIssue, false},
	{"valide du", LabelIssue, false},
	{"valable a partir du", LabelIssue, false},
	// Dates of something other than the document.
	{"souscrit le", LabelSince, false},
	{"souscrite le", LabelSince, false},
	{"souscription", LabelSince, false},
	{"depuis le", LabelSince, false},
	{"depuis", LabelSince, false},
	{"a compter du", LabelSince, false},
	{"a compter de", LabelSince, false},
	{"a partir du", LabelSince, false},
	{"date d'effet", LabelSince, false},
	{"prend effet le", LabelSince, false},
	{"mise en service", LabelSince, false},
	{"mis en service", LabelSince, false},
	{"date d'entree", LabelSince, false},
	{"entree dans les lieux", LabelSince, false},
	{"debut du contrat", LabelSince, false},
	{"debut de contrat", LabelSince, false},
	{"debut d'abonnement", LabelSince, false},
	{"date d'abonnement", LabelSince, false},
	{"date de debut", LabelSince, false},
	{"date d'ouverture", LabelSince, false},
	{"ouvert le", LabelSince, false},
	{"emmenagement", LabelSince, false},
	{"lecture du compteur", LabelOther, false},
	{"lecture de compteur", LabelOther, false},
	{"lecture", LabelOther, false},
	{"releve le", LabelOther, false},
	// "Relevé du compteur le": longer than the period's "relevé du".
	{"releve du compteur", LabelOther, false},
	{"releve de compteur", LabelOther, false},
	{"releve compteur", LabelOther, false},
	{"releve effectue", LabelOther, false},
	{"releve estime", LabelOther, false},
	{"date de releve", LabelOther, false},
	{"date du releve", LabelOther, false},
	{"index releve", LabelOther, false},
	{"prochaine facture", LabelOther, false},
	{"prochain releve", LabelOther, false},
	{"prochaine lecture", LabelOther, false},
	// The end of a contract, or of an account.
	{"date de fin", LabelOther, false},
	{"resilie le", LabelOther, false},
	{"resiliation", LabelOther, false},
	{"vers le", LabelOther, false}, // an estimate: "prochaine facture vers le"
	// A payment the document records (a rent receipt's "Paiement reçu le")
	// is not the document's date.
	{"paiement recu le", LabelOther, false},
	{"recu le", LabelOther, false},
	{"paye le", LabelOther, false},
	{"payee le", LabelOther, false},
	{"regle le", LabelOther, false},
	{"reglement", LabelOther, false},
	{"versement", LabelOther, false},
	{"encaisse le", LabelOther, false},
	// A tax notice's collection date follows its date d'établissement.
	{"mise en recouvrement", LabelOther, false},
	// Dutch, German and English labels a Belgian or foreign document
	// prints.
	{"geboortedatum", LabelBirth, false},
	{"geboren op", LabelBirth, false},
	{"geburtsdatum", LabelBirth, false},
	{"geboren am", LabelBirth, false},
	{"geldig tot", LabelExpiry, false},
	{"gultig bis", LabelExpiry, false},
	{"factuurdatum", LabelIssue, false},
	{"uitgiftedatum", LabelIssue, false},
	{"afgiftedatum", LabelIssue, false},
	{"datum van afgifte", LabelIssue, false},
	{"afgegeven op", LabelIssue, false},
	{"uitgereikt op", LabelIssue, false},
	{"rechnungsdatum", LabelIssue, false},
	{"ausstellungsdatum", LabelIssue, false},
	{"ausgestellt am", LabelIssue, false},
	{"invoice date", LabelIssue, false},
	{"vervaldatum", LabelDue, false}, // a bill's: a card prints "geldig tot"
	{"te betalen voor", LabelDue, false},
	{"falligkeitsdatum", LabelDue, false},
	{"zahlbar bis", LabelDue, false},
	{"due date", LabelDue, false},
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
	// LabelLine is the line the label was read on: the date's own, or
	// the line of a label printed above it.
	LabelLine int
	Start     int // byte offsets in the line
	End       int
	// ShortYear: the year was printed with two digits and its century
	// chosen (dates.Century).
	ShortYear bool
}

var (
	numericDate = regexp.MustCompile(`(^|[^0-9])([0-3]?[0-9]) ?([/.\-]) ?([01]?[0-9]) ?([/.\-]) ?((?:19|20)[0-9]{2})`)
	isoDate     = regexp.MustCompile(`(^|[^0-9])((?:19|20)[0-9]{2})([-/.])([01][0-9])([-/.])([0-3][0-9])`)
	spacedDate  = regexp.MustCompile(`(^|[^0-9])([0-3][0-9]) ([01][0-9]) ((?:19|20)[0-9]{2})`)
	shortDate   = regexp.MustCompile(`(^|[^0-9/.])([0-3]?[0-9])([/.])([01]?[0-9])([/.])([0-9]{2})`)
	textDate    = regexp.MustCompile(`(^|[^0-9a-z])(1 ?er|ler|[0-3]?[0-9])\.? +(` + monthNames + `)` + bilingual + `(?:\.? +|\.)((?:19|20)[0-9]{2})`)

	// What a date may look like once misread: any digits where day, month
	// and year stand (DateWords).
	looseNumeric = regexp.MustCompile(`(^|[^0-9])([0-9]{1,2}) ?[/.\-] ?([0-9]{1,2}) ?[/.\-] ?([0-9]{4})([^0-9]|$)`)
	looseISO     = regexp.MustCompile(`(^|[^0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})([^0-9]|$)`)
	looseText    = regexp.MustCompile(`(^|[^0-9a-z])(1 ?er|ler|[0-9]{1,2})\.? +(?:` + monthNames + `)` + bilingual + `(?:\.? +|\.)([0-9]{4})([^0-9]|$)`)
)

// bilingual is a month's second name after a slash, as passports print
// them ("27 AVRIL/APR 2025", "30 NOV./NOV 1985"): the first one counts.
var bilingual = `(?:\.?/(?:` + monthNames + `))?`

// months maps month names and their printed abbreviations, folded and
// without their dot, to months: French first, then the Dutch, German and
// English a Belgian or foreign document prints ("12 okt. 2026", "12.
// Oktober 2026", "12 Oct 2026"). An abbreviation is listed only where it
// names one month in every one of these languages.
var months = map[string]time.Month{
	"janvier": 1, "janv": 1, "jan": 1, "januari": 1, "januar": 1, "janner": 1, "january": 1,
	"fevrier": 2, "fevr": 2, "fev": 2, "februari": 2, "februar": 2, "february": 2, "feb": 2, "febr": 2,
	"mars": 3, "mar": 3, "maart": 3, "mrt": 3, "marz": 3, "maerz": 3, "mrz": 3, "march": 3,
	"avril": 4, "avr": 4, "april": 4, "apr": 4,
	"mai": 5, "mei": 5, "may": 5,
	"juin": 6, "juni": 6, "june": 6, "jun": 6,
	"juillet": 7, "juil": 7, "juli": 7, "july": 7, "jul": 7,
	"aout": 8, "augustus": 8, "august": 8, "aug": 8,
	"septembre": 9, "sept": 9, "sep": 9, "september": 9,
	"octobre": 10, "oct": 10, "oktober": 10, "okt": 10, "october": 10,
	"novembre": 11, "nov": 11, "november": 11,
	"decembre": 12, "dec": 12, "december": 12, "dezember": 12, "dez": 12,
}

// monthNames is the alternation of months' keys, longest first so that
// "septembre" is not read as "sept" followed by a stray "embre".
var monthNames = func() string {
	names := slices.Collect(maps.Keys(months))
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	return strings.Join(names, "|")
}()

type span struct {
	start, end int // in folded bytes
	date       time.Time
	// short is a year printed with two digits: date is zero and the
	// century is chosen once the date's label is known (dates.Century).
	short     bool
	yy, mo, d int
}

func civil(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// findSpans finds the dates in one folded line, in order. Formats, and
// the choices made for each:
//   - 14/09/2026, 14.09.2026, 14-09-2026 (one separator kind per date);
//   - 17 04 1994, as identity cards print it: two digits, two digits, a
//     year, not after another pair of digits (in a phone number
//     "04 78 12 10 2026" there is no date);
//   - 12/10/26 and 12.10.26, a two-digit year whose century is chosen
//     later, by the date's label and the reference date (century);
//   - 2026-10-12, 2026/10/12 (ISO, year first);
//   - 12 octobre 2026, 12 oct. 2026, 12 sept 2026, 1er septembre 2024,
//     17 AVRIL 1994, 12. Oktober 2026, 12 okt. 2026 (months).
//
// Before matching, letters OCR puts for digits inside a run of digits
// (O for 0, l or I for 1: "17/O4/1994") are read as those digits. Where
// two patterns claim the same text, the first date found there stands.
func findSpans(s string) []span {
	s = digitFix(s)
	// Every pattern needs four digits at least (a day, a month, a year of
	// two; or a day and a year of four): most lines have fewer, and are
	// spared the regular expressions, the cost of a re-check.
	digits := 0
	for i := 0; i < len(s) && digits < 4; i++ {
		if isDigit(s[i]) {
			digits++
		}
	}
	if digits < 4 {
		return nil
	}
	var out []span
	add := func(start, end, y, mo, d int) {
		if t, ok := civil(y, mo, d); ok {
			out = append(out, span{start: start, end: end, date: t})
		}
	}
	// Each pattern's year must end its digits ("20261" is no year, nor
	// is "2026/3" in a reference); the
	// check is made here rather than in the pattern so that a match does
	// not swallow the space before the next date.
	clean := func(end int) bool {
		after := s[end:]
		return !(len(after) > 0 && isDigit(after[0]) || len(after) > 1 && strings.ContainsRune("/.-", rune(after[0])) && isDigit(after[1]))
	}
	// Every pattern but shortDate needs a year of four digits, 19xx or
	// 20xx; shortDate needs a slash or a dot: lines of amounts, phone
	// numbers and references are spared the patterns they cannot match.
	if !hasCentury(s) {
		if !strings.ContainsAny(s, "/.") {
			return nil
		}
		return keepFirst(shortSpans(s, clean))
	}
	for _, m := range numericDate.FindAllStringSubmatchIndex(s, -1) {
		if s[m[6]:m[7]] != s[m[10]:m[11]] || !clean(m[13]) { // mixed separators: 14/09.2026 is no date
			continue
		}
		add(m[4], m[13], atoi(s[m[12]:m[13]]), atoi(s[m[8]:m[9]]), atoi(s[m[4]:m[5]]))
	}
	for _, m := range spacedDate.FindAllStringSubmatchIndex(s, -1) {
		if pairBefore(s[:m[4]]) || !clean(m[9]) {
			continue // part of a run of digit pairs, a phone number
		}
		add(m[4], m[9], atoi(s[m[8]:m[9]]), atoi(s[m[6]:m[7]]), atoi(s[m[4]:m[5]]))
	}
	out = append(out, shortSpans(s, clean)...)
	for _, m := range isoDate.FindAllStringSubmatchIndex(s, -1) {
		if s[m[6]:m[7]] != s[m[10]:m[11]] || !clean(m[13]) {
			continue
		}
		add(m[4], m[13], atoi(s[m[4]:m[5]]), atoi(s[m[8]:m[9]]), atoi(s[m[12]:m[13]]))
	}
	for _, m := range textDate.FindAllStringSubmatchIndex(s, -1) {
		if !clean(m[9]) {
			continue
		}
		ds := strings.ReplaceAll(s[m[4]:m[5]], " ", "")
		d := 1
		if ds != "1er" && ds != "ler" {
			d = atoi(ds)
		}
		add(m[4], m[9], atoi(s[m[8]:m[9]]), int(months[strings.TrimSuffix(s[m[6]:m[7]], ".")]), d)
	}
	return keepFirst(out)
}

// keepFirst orders spans by where they start and drops each that starts
// inside the one before: the first date found there stands.
func keepFirst(out []span) []span {
	slices.SortStableFunc(out, func(a, b span) int { return a.start - b.start })
	kept := out[:0]
	for _, sp := range out {
		if len(kept) > 0 && sp.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, sp)
	}
	return kept
}

// shortSpans are s's dates with a two-digit year (shortDate) whose year
// ends its digits (clean).
func shortSpans(s string, clean func(end int) bool) []span {
	var out []span
	for _, m := range shortDate.FindAllStringSubmatchIndex(s, -1) {
		after := s[m[13]:]
		if s[m[6]:m[7]] != s[m[10]:m[11]] || !clean(m[13]) || len(after) > 0 && after[0] == '/' {
			continue
		}
		yy, mo, d := atoi(s[m[12]:m[13]]), atoi(s[m[8]:m[9]]), atoi(s[m[4]:m[5]])
		// Valid in one century at least (29/02/00 is, in 2000).
		if _, ok := civil(2000+yy, mo, d); ok {
			out = append(out, span{start: m[4], end: m[13], short: true, yy: yy, mo: mo, d: d})
		}
	}
	return out
}

// hasCentury reports whether s holds 19 or 20 followed by two digits.
func hasCentury(s string) bool {
	for i := 0; i+3 < len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) {
			return true
		}
	}
	return false
}

// pairBefore reports whether before ends with a group of one or two digits
// and a space, as in "04 78 12 10 2026".
func pairBefore(before string) bool {
	t := strings.TrimSuffix(before, " ")
	if len(t) == len(before) {
		return false
	}
	n := len(t) - len(strings.TrimRight(t, "0123456789"))
	return n >= 1 && n <= 2 && (n == len(t) || !isWordByte(t[len(t)-n-1]))
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// digitFix reads o as 0 and l or i as 1 in a run of digits and date
// separators holding a digit, keeping every byte's offset. A
// run glued to other letters is a word and stays as it is ("1er").
func digitFix(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); {
		j, digits := i, 0
		for j < len(b) && (isDigit(b[j]) || b[j] == 'o' || b[j] == 'l' || b[j] == 'i' || b[j] == '/' || b[j] == '.' || b[j] == '-') {
			if isDigit(b[j]) {
				digits++
			}
			j++
		}
		glued := j < len(b) && (isLetter(b[j]) || b[j] >= 0x80) || i > 0 && (isLetter(b[i-1]) || b[i-1] >= 0x80)
		if digits >= 1 && !glued {
			for k := i; k < j; k++ {
				switch b[k] {
				case 'o':
					b[k] = '0'
				case 'l', 'i':
					b[k] = '1'
				}
			}
		}
		i = max(j, i+1)
	}
	return string(b)
}

// labelHit is one label phrase found in a folded text.
type labelHit struct {
	label      Label
	start, end int
	phrase     string
	weak       bool
}

// closedBy gives, for a phrase opening a span of two dates, the label of
// the date after "au" that closes it in the same cell: "Valable du … au …"
// ends on the expiry. A phrase not listed opens a plain period.
var closedBy = map[string]Label{
	"valable du":          LabelExpiry,
	"valide du":           LabelExpiry,
	"valable a partir du": LabelExpiry,
}

// invoiceOf is "Facture n° F2026-118833 du": a number stands between the
// document's name and the "du" of its date.
var invoiceOf = regexp.MustCompile(`(?:facture|quittance|avis|echeancier)\s+(?:n\s?[°o.]?\s*)?[a-z0-9][a-z0-9./-]*\s+du\s*:?\s*$`)

// labelIn finds the label phrase closest to the end of text (the words just
// before a date). ok is false when there is none.
func labelIn(text string) (labelHit, bool) {
	if m := invoiceOf.FindStringIndex(text); m != nil {
		return labelHit{LabelIssue, m[0], len(strings.TrimRight(text, " :")), "facture du", false}, true
	}
	best, found := bestLabel(text, lastWordIndex, 0)
	if !found || best.weak {
		// No strong phrase as printed: one misread by a letter
		// ("souscrlt le", "Lecturc du compteur") still outranks the weak
		// "le" that would make its date an issue date.
		if near, ok := bestLabel(text, nearWordIndex, minNear); ok {
			return near, true
		}
	}
	return best, found
}

// minNear is the length of the shortest phrase nearWordIndex may find
// misread: in a shorter one a letter changed makes another word.
const minNear = 8

// bestLabel finds the label phrase closest to the end of text with index
// (lastWordIndex, nearWordIndex), among strong phrases of minLen bytes or
// more when minLen > 0.
func bestLabel(text string, index func(s, sub string) int, minLen int) (labelHit, bool) {
	var best labelHit
	found := false
	for _, lw := range labelWords {
		if minLen > 0 && (lw.weak || len(lw.phrase) < minLen) {
			continue
		}
		i := index(text, lw.phrase)
		if i < 0 {
			continue
		}
		// A strong phrase beats a weak one; otherwise prefer the phrase
		// that ends last, and at equal ends the longer one.
		end := i + len(lw.phrase)
		better := end > best.end || (end == best.end && i < best.start)
		if !found || (best.weak && !lw.weak) || (best.weak == lw.weak && better) {
			best, found = labelHit{lw.label, i, end, lw.phrase, lw.weak}, true
		}
	}
	return best, found
}

// nearWordIndex is lastWordIndex allowing one letter of sub misread as
// another letter or a digit (OCR's "souscrlt" for "souscrit"): the last
// whole-word run of s, as long as sub, that differs from it there only.
func nearWordIndex(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if i > 0 && isWordByte(s[i-1]) || i+len(sub) < len(s) && isWordByte(s[i+len(sub)]) {
			continue
		}
		diff := 0
		for k := 0; k < len(sub) && diff <= 1; k++ {
			if s[i+k] != sub[k] {
				diff++
				if !isLetter(sub[k]) || !isWordByte(s[i+k]) || s[i+k] >= 0x80 {
					diff = 2 // a space, an apostrophe or a multi-byte letter
				}
			}
		}
		if diff <= 1 {
			return i
		}
	}
	return -1
}

// labelsIn finds every label phrase in text, leaving out those inside a
// longer one ("date" in "date de naissance"), weak ones when a strong one
// is there, and the phrases that name no date ("lieu de naissance"): a
// table header may hold several labels side by side.
func labelsIn(text string) []labelHit {
	var hits []labelHit
	strong := false
	for _, lw := range labelWords {
		for from := 0; from < len(text); {
			i := strings.Index(text[from:], lw.phrase)
			if i < 0 {
				break
			}
			i += from
			from = i + 1
			end := i + len(lw.phrase)
			if i > 0 && isWordByte(text[i-1]) || end < len(text) && isWordByte(text[end]) {
				continue
			}
			hits = append(hits, labelHit{lw.label, i, end, lw.phrase, lw.weak})
			strong = strong || !lw.weak
		}
	}
	if !strong {
		// As labelIn: a strong phrase misread by a letter outranks a weak one.
		for _, lw := range labelWords {
			if lw.weak || len(lw.phrase) < minNear {
				continue
			}
			if i := nearWordIndex(text, lw.phrase); i >= 0 {
				hits = append(hits, labelHit{lw.label, i, i + len(lw.phrase), lw.phrase, false})
				strong = true
			}
		}
	}
	var out []labelHit
	for _, h := range hits {
		inside := slices.ContainsFunc(hits, func(o labelHit) bool {
			return o.start <= h.start && o.end >= h.end && o.end-o.start > h.end-h.start
		})
		if !inside && (!h.weak || !strong) && h.label != LabelNone {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b labelHit) int { return a.start - b.start })
	return out
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
// The label is read in the date's own cell (doctext.Cells), between the
// previous date (or the cell's start) and this date. A date without a
// label there takes the label of the nearest label cell beside it on its
// row ("Date de facture      12/10/2026") or over it in its column
// ("Date d'émission" stacked over its value, a table's header), whichever
// is closer; from a header holding several labels, the one printed nearest
// above the date. Geometry comes from word boxes, or from character
// columns for a text layer. This is what keeps the verso of a card scanned
// beside its recto from lending its dates the recto's labels.
//
// A year printed with two digits takes its century from the POSIX pivot,
// and a birth date printed so is left out: DatesAt places them against
// the dossier's date.
func Dates(lines []doctext.Line) []DateRef { return DatesAt(lines, time.Time{}) }

// DatesAt is Dates for a page read against the reference date ref, the
// dossier's submission: a year printed with two digits takes the century
// dates.Century chooses for the date's label, and a date it cannot place
// is left out rather than guessed.
func DatesAt(lines []doctext.Line, ref time.Time) []DateRef {
	lo := newLayout(lines)
	var out []DateRef
	for li, line := range lines {
		f := fold(line.Text)
		prev, prevCell := 0, -1
		var prevHit labelHit
		for _, sp := range findSpans(f.s) {
			ci := lo.cellAt(li, f.orig[sp.start])
			from := prev
			if ci >= 0 && ci != prevCell {
				from = max(from, f.at(lo.cells[ci].Start))
			}
			d := DateRef{Date: sp.date, Raw: line.Text[f.orig[sp.start]:f.orig[sp.end]], Line: li,
				Start: f.orig[sp.start], End: f.orig[sp.end], LabelLine: li, ShortYear: sp.short}
			hit, ok := labelIn(f.s[from:sp.start])
			switch {
			case ok:
				if l := closedBy[prevHit.phrase]; hit.phrase == "au" && ci == prevCell && l != "" {
					hit.label = l // "Valable du … au …"
				}
				d.Label = hit.label
				d.LabelText = line.Text[f.orig[from+hit.start]:f.orig[from+hit.end]]
			case ci >= 0:
				if l, text, at, found := lo.neighbourLabel(ci, d.Start); found {
					d.Label, d.LabelText, d.LabelLine = l, text, at
				}
			}
			prevHit = hit
			prev, prevCell = sp.end, ci
			if sp.short {
				t, placed := dates.Century(sp.yy, time.Month(sp.mo), sp.d, ref, d.Label == LabelBirth)
				if !placed {
					continue
				}
				d.Date = t
			}
			out = append(out, d)
		}
	}
	return out
}

// FieldDate reads the date typed in a form field whose name gives its
// label ("candidat_naissance": a birth date), against the reference date
// ref: a two-digit year takes the century dates.Century chooses for that
// label, which the field's text does not print. ok is false unless the
// value holds exactly one date and it can be placed.
func FieldDate(v string, l Label, ref time.Time) (time.Time, bool) {
	spans := findSpans(fold(v).s)
	if len(spans) != 1 {
		return time.Time{}, false
	}
	if sp := spans[0]; sp.short {
		return dates.Century(sp.yy, time.Month(sp.mo), sp.d, ref, l == LabelBirth)
	}
	return spans[0].date, true
}

// neighbourLabel finds the label of a date starting at byte off of cell
// ci's line, in the label cell left of it or above it, the closer, past
// any table rule or leaders between them. It
// returns the label, its text as printed and the line it starts on.
func (lo layout) neighbourLabel(ci, off int) (Label, string, int, bool) {
	type cand struct {
		label Label
		text  string
		line  int
		gap   float64
	}
	var cands []cand
	if j, gap := lo.leftPast(ci); j >= 0 {
		if h, f, ok := lo.leftLabel(j); ok {
			cands = append(cands, cand{h.label, lo.cells[j].Text[f.orig[h.start]:f.orig[h.end]], lo.cells[j].Line, gap})
		}
	}
	if j, gap := lo.abovePast(ci); j >= 0 {
		if hits, f := lo.labelCell(j); len(hits) > 0 {
			// Several labels side by side: the one whose words start
			// nearest the date's.
			x := lo.xOf(lo.cells[ci], off, off+1)
			best := hits[0]
			for _, h := range hits[1:] {
				if abs(lo.hitX(j, h)-x) < abs(lo.hitX(j, best)-x) {
					best = h
				}
			}
			if !best.weak || !lo.dateBelow(ci) {
				cands = append(cands, cand{best.label, lo.cells[j].Text[f.orig[best.start]:f.orig[best.end]], lo.cells[j].Line, gap})
			}
		} else if h, text, line, ok := lo.wrappedLabel(j); ok {
			cands = append(cands, cand{h.label, text, line, gap})
		}
	}
	if len(cands) == 0 {
		return LabelNone, "", 0, false
	}
	c := slices.MinFunc(cands, func(a, b cand) int { return cmp.Compare(a.gap, b.gap) })
	return c.label, c.text, c.line, true
}

// dateBelow reports whether the cell under cell i holds a date and no
// label: i heads a column of dates, a list (a schedule of debits, past
// bills) that a bare "Date" over it does not make the document's date.
// "Échéance 26/10/2026" under it is another field, not the list's next row.
func (lo layout) dateBelow(i int) bool {
	j := lo.below(i)
	if j < 0 {
		return false
	}
	f := fold(lo.cells[j].Text)
	return len(findSpans(f.s)) > 0 && len(labelsIn(f.s)) == 0
}

// leftLabel reads the label of cell j, left of a value on its row: the
// label nearest the cell's end ("Contrat n° 4410 souscrit le", "Facture
// n° 77 du"), with no digit and at most a few characters after it. A
// cell that holds digits must end with a strong label: "Tél. 09 69 39 39
// 00 Date" lends its "Date" to nothing.
func (lo layout) leftLabel(j int) (labelHit, folded, bool) {
	f := fold(lo.cells[j].Text)
	h, ok := labelIn(f.s)
	if !ok || h.label == LabelNone {
		return h, f, false
	}
	rest := strings.Trim(f.s[h.end:], " :.|/-")
	if len(rest) > 30 || strings.ContainsAny(rest, "0123456789") ||
		h.weak && strings.ContainsAny(f.s, "0123456789") {
		return h, f, false
	}
	return h, f, true
}

// wrappedLabel reads a column header printed on two lines ("Date de" over
// "facture", "Prochaine" over "facture"): cell j, which holds no label of
// its own, joined to the cell over it. The label must take words of both,
// so that an unrelated label over a header ("Montant") is not lent to it.
// It returns the label, its text as printed and the line it starts on.
func (lo layout) wrappedLabel(j int) (labelHit, string, int, bool) {
	u, _ := lo.above(j)
	if u < 0 || strings.ContainsAny(lo.cells[j].Text+lo.cells[u].Text, "0123456789") {
		return labelHit{}, "", 0, false
	}
	upper := lo.cells[u].Text
	text := upper + " " + lo.cells[j].Text
	f := fold(text)
	split := f.at(len(upper))
	for _, h := range slices.Backward(labelsIn(f.s)) {
		if h.start < split && h.end > split+1 {
			return h, text[f.orig[h.start]:f.orig[h.end]], lo.cells[u].Line, true
		}
	}
	return labelHit{}, "", 0, false
}

// labelCell returns the label phrases of cell j, none when the cell holds a
// digit: a label cell holds a label, not a value nor a label with its own
// value.
func (lo layout) labelCell(j int) ([]labelHit, folded) {
	f := fold(lo.cells[j].Text)
	if strings.ContainsAny(f.s, "0123456789") {
		return nil, f
	}
	return labelsIn(f.s), f
}

// hitX is the left x of a label phrase found in cell j.
func (lo layout) hitX(j int, h labelHit) int {
	c := lo.cells[j]
	f := fold(c.Text)
	return lo.xOf(c, c.Start+f.orig[h.start], c.Start+f.orig[h.end])
}

// xOf is the left x of bytes [start,end) of cell c's line, in the cell's
// units.
func (lo layout) xOf(c doctext.Cell, start, end int) int {
	l := lo.lines[c.Line]
	if b, _ := l.Span(start, end); b != nil && c.HasBoxes {
		return b[0]
	}
	return utf8.RuneCountInString(l.Text[:start]) * 10
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
