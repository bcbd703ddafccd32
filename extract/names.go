package extract

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"dossiercheck/doctext"
)

// Name is a name read on a page; Lines are the lines the values were read
// from (not their labels' lines when the value stands apart).
type Name struct {
	Last, First string
	Lines       []int
}

// Labels of the name fields of identity documents, on folded text, with
// the noise OCR makes of them: "N0M", "Pr énoms", "Prenorns", "Sumame" (rn read m), a stray '|'.
// A bilingual companion ("/ Surname"), or two on a Belgian card ("Naam /
// Nom / Name"), belongs to the label.
var (
	labelNoise     = `^[|:.\s]*(?:[0-9][.)]\s*)?` // "|", a field number "1."
	labelTail      = `\s*[:.|]*\s*`
	fullNameLabel  = regexp.MustCompile(labelNoise + `(?:n\s?[o0]\s?m\s*(?:et|,|/)\s*pr\s?e\s?n\s?[o0]\s?(?:m|rn)\s?(?:s|\(s\))?|nom complet|naam en voornaam)` + labelTail)
	lastNameLabel  = regexp.MustCompile(labelNoise + `(?:n\s?[o0]\s?m(?:\s+(?:d'usage|de naissance|de famille|d'epouse|patronymique|usuel))?|su(?:rn|m)ame|family name|naam)(?:\s*[/|]\s*(?:su(?:rn|m)ame|name|family name|nom|naam)){0,2}` + labelTail)
	firstNameLabel = regexp.MustCompile(labelNoise + `(?:pr\s?e\s?n\s?[o0]\s?(?:m|rn)\s?(?:s|\(s\)|\s\(s\))?|given names?|forenames?|first names?|voornamen|voornaam)(?:\s*[/|]\s*(?:given names?|forenames?|first names?|prenoms?|voornamen)){0,2}` + labelTail)
)

// notNames are words that start a label or a heading, never a name.
var notNames = map[string]bool{
	"sexe": true, "sex": true, "date": true, "nationalite": true, "nationality": true, "lieu": true,
	"adresse": true, "address": true, "ne": true, "nee": true, "ne(e)": true, "taille": true, "height": true,
	"signature": true, "prenom": true, "prenoms": true, "nom": true, "naam": true, "voornamen": true, "voornaam": true, "surname": true, "sumame": true, "given": true, "name": true,
	"n°": true, "no": true, "document": true, "expire": true, "valable": true, "carte": true, "republique": true,
	"identity": true, "card": true, "passeport": true, "passport": true, "type": true, "code": true,
	"autorite": true, "authority": true, "titulaire": true, "client": true, "assure": true, "locataire": true,
	"reference": true, "contrat": true, "facture": true, "madame": true, "monsieur": true, "objet": true,
}

// particles are the words that tie a label to what follows it.
var particles = map[string]bool{"du": true, "de": true, "des": true, "et": true, "ou": true, "of": true, "the": true, "en": true, "a": true, "au": true, "aux": true}

// labelMatch matches re at the start of a folded cell, refusing a label
// glued to the next word ("Nombre").
func labelMatch(re *regexp.Regexp, s string) (int, bool) {
	m := re.FindStringIndex(s)
	if m == nil {
		return 0, false
	}
	if e := m[1]; e > 0 && e < len(s) && isWordByte(s[e-1]) && isWordByte(s[e]) {
		return 0, false
	}
	// Without a separator, a particle after the label continues it:
	// "Nom du déclarant", "Nom de l'hébergeant", "Titulaire de la carte"
	// name someone else or something else.
	if sep := strings.TrimSpace(s[m[0]:m[1]]); !strings.ContainsAny(sep[max(0, len(sep)-1):], ":|.") {
		if w := strings.Fields(s[m[1]:]); len(w) > 0 && particles[w[0]] || len(w) > 0 && strings.HasPrefix(w[0], "d'") {
			return 0, false
		}
	}
	return m[1], true
}

// nameValue checks that s reads as a name (letters, spaces, hyphens,
// apostrophes, commas between given names) and returns it trimmed; a
// value with digits (an address, a date), a label, or a slash is not one.
func nameValue(s string) (string, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("|:.,;_-", r) })
	if s == "" || strings.ContainsAny(s, "0123456789:/@<>()[]{}=+*#%€$&") {
		return "", false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	words := strings.Fields(fold(s).s)
	if letters < 2 || len(words) > 6 || notNames[strings.Trim(words[0], ",.")] {
		return "", false
	}
	for _, re := range []*regexp.Regexp{fullNameLabel, lastNameLabel, firstNameLabel} {
		if _, ok := labelMatch(re, fold(s).s); ok {
			return "", false
		}
	}
	return s, true
}

// maxRight is how far right of its label (in the label's heights) a
// value may stand: a form's tab stop, not the other card of a recto and
// verso scanned side by side.
const maxRight = 15

// valueOf finds the value of the label ending at byte off of cell i: after
// it in the cell, else in the cell under it, else in the cell to its
// right; ok reports whether accept took one. It returns the value and its
// line.
func (lo layout) valueOf(i, off int, accept func(string) (string, bool)) (string, int, bool) {
	c := lo.cells[i]
	if v, ok := accept(lo.lines[c.Line].Text[off:c.End]); ok {
		return v, c.Line, true
	}
	if j := lo.below(i); j >= 0 {
		if v, ok := accept(lo.cells[j].Text); ok {
			return v, lo.cells[j].Line, true
		}
	}
	if j, gap := lo.right(i); j >= 0 && gap <= maxRight {
		if v, ok := accept(lo.cells[j].Text); ok {
			return v, lo.cells[j].Line, true
		}
	}
	return "", 0, false
}

// Names reads the name fields of an identity document: "Nom : …",
// "NOM / Surname" with the name under it or to its right, "Prénom(s)",
// "Prénoms / Given names", "Nom et prénom". Label and value are paired by
// position (word boxes), so that on a recto and verso scanned side by side
// the verso's address on the label's line is not read as the name. The
// values are personal data: they go to the report, never to logs.
func Names(lines []doctext.Line) Name {
	lo := newLayout(lines)
	var n Name
	for i, c := range lo.cells {
		f := fold(c.Text)
		for _, fl := range []struct {
			re  *regexp.Regexp
			dst *string
		}{{fullNameLabel, &n.Last}, {lastNameLabel, &n.Last}, {firstNameLabel, &n.First}} {
			end, ok := labelMatch(fl.re, f.s)
			if !ok {
				continue
			}
			if *fl.dst == "" {
				if v, li, ok := lo.valueOf(i, c.Start+f.orig[end], nameValue); ok {
					*fl.dst = v
					n.Lines = append(n.Lines, li)
				}
			}
			break // a cell is one label
		}
	}
	return n
}

// Recipient is the person a letter is addressed to.
type Recipient struct {
	Name string // as printed, civility dropped (personal data)
	Line int    // the line of the name
	// Lines are the lines to quote: the name's line (after its label's,
	// when the label stands apart), then the address lines under it.
	Lines []int
	How   string // RecipientLabel, RecipientBlock or RecipientCivility
}

// How a recipient was found, most reliable first.
const (
	RecipientLabel    = "label"         // "Titulaire du contrat : …", "Locataire : …"
	RecipientBlock    = "address block" // a name over a street or a postcode and city
	RecipientCivility = "civility"      // "M. …" near the top, no address under it
)

var (
	// attention is what a letter puts before its addressee's name: « À
	// l'attention de M. Jean Dupont », « Attn: ».
	attention = regexp.MustCompile(`^[|\s]*(?:a\s+l'attention\s+de|a\s+l'att\.?\s+de|attn\.?\s*:?)\s+`)
	civility  = regexp.MustCompile(`^[|\s]*(?:m\.?\s+(?:et|ou)\s+mme\.?|monsieur\s+(?:et|ou)\s+madame|madame\s+(?:et|ou)\s+monsieur|m\.|mme\.?|mlle\.?|mr\.?|mrs\.?|monsieur|madame|mademoiselle|m)\s+`)
	// holderLabel names the person a bill, receipt or notice is for.
	holderLabel = regexp.MustCompile(`^[|\s]*(?:titulaire(?:\s+du\s+contrat|\s+du\s+compte|\s+de\s+la\s+ligne|\s+de\s+l'abonnement)?|nom\s+du\s+(?:client|titulaire|locataire|souscripteur|destinataire|preneur)|client(?:\(e\)|e)?|assure(?:\(e\)|e)?|souscripteur|abonne(?:\(e\)|e)?|locataire(?:\(s\)|s)?|destinataire|preneur|occupant)` + labelTail)
	postcode    = regexp.MustCompile(`^[|\s]*(?:(?:f|b|fr|be)-?\s?)?(?:[0-9]{5}|[0-9]{2} [0-9]{3}|[1-9][0-9]{3})\s+[a-z]`)
	street      = regexp.MustCompile(`\b(?:rue|avenue|av|bd|boulevard|chemin|allee|place|pl|impasse|route|rte|quai|cours|square|residence|res|lotissement|lieu-dit|lieu dit|voie|rond-point|hameau|passage|chaussee|sentier|cite|parc|domaine|promenade|straat|laan|bat|batiment|appt|appartement|apt|etage|escalier|bp|cs|tsa)\b`)
)

// companyWords mark an organisation, never the addressee: the supplier's
// own block has the same shape as the customer's.
var companyWords = map[string]bool{
	"sa": true, "sas": true, "sasu": true, "sarl": true, "eurl": true, "sci": true, "scp": true, "gie": true,
	"edf": true, "engie": true, "gdf": true, "suez": true, "veolia": true, "orange": true, "sfr": true,
	"free": true, "bouygues": true, "sosh": true, "telecom": true, "telecoms": true, "energie": true,
	"energies": true, "electricite": true, "gaz": true, "eau": true, "eaux": true, "service": true,
	"services": true, "client": true, "clients": true, "clientele": true, "agence": true, "assurance": true,
	"assurances": true, "mutuelle": true, "banque": true, "credit": true, "caisse": true, "direction": true,
	"centre": true, "finances": true, "publiques": true, "tresor": true, "cedex": true, "immobilier": true,
	"immobiliere": true, "syndic": true, "gestion": true, "societe": true, "groupe": true, "cabinet": true,
	"mairie": true, "prefecture": true, "maif": true, "macif": true, "axa": true, "allianz": true,
	"matmut": true, "gmf": true, "groupama": true, "mma": true, "poste": true, "office": true, "habitat": true,
	"hlm": true, "fournisseur": true, "distribution": true, "reseau": true, "internet": true, "mobile": true,
}

// personName reads s as a person's name: civility dropped, at least two
// words (given name and surname), no digits, no company or street word.
func personName(s string) (string, bool) {
	f := fold(s)
	for _, prefix := range []*regexp.Regexp{attention, civility} {
		if m := prefix.FindStringIndex(f.s); m != nil {
			s = s[f.orig[m[1]]:]
			f = fold(s)
		}
	}
	v, ok := nameValue(s)
	if !ok || street.MatchString(f.s) {
		return "", false
	}
	words := strings.Fields(fold(v).s)
	if len(words) < 2 {
		return "", false
	}
	for _, w := range words {
		w = strings.Trim(w, ",.'")
		if companyWords[w] || w == "monsieur" || w == "madame" {
			return "", false
		}
	}
	return v, true
}

// addressLine reports whether a folded cell is part of a postal address:
// a postcode and city, or a street, building or post box with a number.
func addressLine(s string) bool {
	return postcode.MatchString(s) || street.MatchString(s) && strings.ContainsAny(s, "0123456789")
}

// FindRecipient finds the addressee of a bill, rent receipt, insurance or
// tax notice, in the layouts they use, most reliable first:
//   - a label naming the customer: "Titulaire du contrat : …", "Nom du
//     client : …", "Assuré : …", "Locataire : …" (value after it, under it
//     or to its right);
//   - an address block: a name (with or without civility, in capitals or
//     not) over a street or a postcode and city, aligned on its left edge,
//     as printed for a window envelope; a block in the right part of the
//     page first (the sender's block is on the left), then the highest;
//   - a line "M. …", "Mme …", "Monsieur …" among the first 15 lines.
//
// A company name, a street or a label is never taken for the addressee.
func FindRecipient(lines []doctext.Line) (Recipient, bool) {
	lo := newLayout(lines)
	folds := make([]string, len(lo.cells))
	for i, c := range lo.cells {
		folds[i] = fold(c.Text).s
	}
	// Labels.
	for i, c := range lo.cells {
		end, ok := labelMatch(holderLabel, folds[i])
		if !ok {
			continue
		}
		if v, li, ok := lo.valueOf(i, c.Start+fold(c.Text).orig[end], personName); ok {
			r := Recipient{Name: v, Line: li, How: RecipientLabel}
			if li != c.Line {
				r.Lines = append(r.Lines, c.Line)
			}
			r.Lines = append(r.Lines, li)
			return r, true
		}
	}
	// Address blocks: a name over an address line.
	maxX := 0
	for _, c := range lo.cells {
		maxX = max(maxX, c.Box.Max.X)
	}
	var blocks []Recipient
	var blockX []int
	for i := range lo.cells {
		if !addressLine(folds[i]) {
			continue
		}
		j, _ := lo.above(i)
		if j < 0 || addressLine(folds[j]) || abs(lo.cells[j].Box.Min.X-lo.cells[i].Box.Min.X) > 2*lo.cells[i].Height {
			continue
		}
		v, ok := personName(lo.cells[j].Text)
		if !ok || slices.ContainsFunc(blocks, func(r Recipient) bool { return r.Line == lo.cells[j].Line }) {
			continue
		}
		r := Recipient{Name: v, Line: lo.cells[j].Line, Lines: []int{lo.cells[j].Line}, How: RecipientBlock}
		for k, n := i, 0; k >= 0 && n < 3 && addressLine(folds[k]); k, n = lo.below(k), n+1 {
			r.Lines = append(r.Lines, lo.cells[k].Line)
		}
		blocks = append(blocks, r)
		blockX = append(blockX, lo.cells[j].Box.Min.X)
	}
	if len(blocks) > 0 {
		best := 0
		right := func(k int) bool { return blockX[k]*10 >= maxX*4 }
		for k := range blocks {
			if right(k) && !right(best) {
				best = k
			}
		}
		return blocks[best], true
	}
	// A civility line near the top, the oldest rule.
	for i, c := range lo.cells {
		if c.Line > 15 {
			break
		}
		if civility.MatchString(folds[i]) {
			if v, ok := personName(c.Text); ok {
				return Recipient{Name: v, Line: c.Line, Lines: []int{c.Line}, How: RecipientCivility}, true
			}
		}
	}
	return Recipient{}, false
}

// Addressee returns FindRecipient's name and line, for callers that quote
// one line.
func Addressee(lines []doctext.Line) (string, int, bool) {
	r, ok := FindRecipient(lines)
	return r.Name, r.Line, ok
}
