package checks

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"dossiercheck/dates"
	"dossiercheck/edit"
	"dossiercheck/extract"
	"dossiercheck/report"
)

// Claim is a name a document gives for the applicant (or, on a proof of
// address, for the holder of the contract).
type Claim struct {
	Name       string
	Role       string  // "" for the applicant (or a proof's holder), RoleHost, RoleHosted
	Confidence float64 // 100 for typed values; OCR word confidence otherwise
	Evidence   report.Evidence
}

// confident is the confidence both sides of a name mismatch need for a
// reject; under it a mismatch goes to review, since OCR misreads names
// (DUPONT/DUPOND) more often than people send someone else's papers.
const confident = 90

// nameTokens folds a name for comparison: case, accents, hyphens,
// apostrophes and word order do not count.
func nameTokens(s string) []string {
	var b strings.Builder
	for _, r := range extract.Fold(s) {
		switch {
		case unicode.IsLetter(r):
			b.WriteRune(r)
		case r == '\'':
			// Elisions join: D'ARTAGNAN is DARTAGNAN. (An MRZ writes it
			// D<ARTAGNAN, which still differs: a known limit.)
		default:
			b.WriteByte(' ')
		}
	}
	t := strings.Fields(b.String())
	// Civilities on letters are not part of the name.
	t = slices.DeleteFunc(t, civility)
	slices.Sort(t)
	return slices.Compact(t)
}

// SameName reports whether one name's words are all among the other's (a
// bill may give one first name where the identity card gives three), or
// both spell the same letters in the same order, however OCR cut them
// into words ("MARTIN-DU RAND Paul" is MARTIN DURAND PAUL).
func SameName(a, b string) bool {
	ta, tb := nameTokens(a), nameTokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return false
	}
	if letters(a) == letters(b) {
		return true
	}
	sub := func(x, y []string) bool {
		for _, w := range x {
			if _, ok := slices.BinarySearch(y, w); !ok {
				return false
			}
		}
		return true
	}
	return sub(ta, tb) || sub(tb, ta)
}

// civility: a folded word that is a civility, not part of a name.
func civility(w string) bool {
	return w == "m" || w == "mme" || w == "mlle" || w == "monsieur" || w == "madame"
}

// letters is a name's letters, folded, in order, without separators or
// civilities.
func letters(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(extract.Fold(s)) {
		if civility(strings.Trim(w, ".")) {
			continue
		}
		for _, r := range w {
			if unicode.IsLetter(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// farApart: no word of one name is within OCR reach of a word of the
// other (edit distance over one, and over a third of the longer word).
// OCR turns DUPONT into DUPOND, never LEFEVRE HELENE into MARTIN DURAND
// PAUL: such a mismatch is a different person even at moderate confidence.
// Short words count by their length too: MAI and MARC are two edits
// apart, two thirds of MAI.
func farApart(a, b string) bool {
	for _, x := range nameTokens(a) {
		for _, y := range nameTokens(b) {
			if d := edit.Distance(x, y); d <= 1 || d*3 <= max(len(x), len(y)) {
				return false
			}
		}
	}
	return true
}

// oneSlip: two names whose words, folded and in any order (a bill writes
// the first names first), differ by one edit in all: the words they share
// set aside, one word is left of each, one edit apart (a slip in a first
// letter, CEFEVRE for LEFEVRE, reorders sorted words: they are matched,
// not sorted).
func oneSlip(a, b string) bool {
	ta, tb := nameTokens(a), nameTokens(b)
	if len(ta) != len(tb) {
		return false
	}
	var left []string
	for _, w := range ta {
		if i := slices.Index(tb, w); i >= 0 {
			tb = slices.Delete(tb, i, i+1)
		} else {
			left = append(left, w)
		}
	}
	return len(left) <= 1 && (len(left) == 0 || edit.Distance(left[0], tb[0]) <= 1)
}

// Roles of a claim other than the applicant's: an attestation
// d'hébergement also names its host and the person it hosts.
const (
	RoleHost   = "host"
	RoleHosted = "hosted"
)

var identityKinds = []string{"identity_card", "passport", "residence_permit"}

// claimsOf are the claims in role of the readable documents of kinds, in
// the dossier's order, leaving out the files in skip.
func claimsOf(in Input, kinds []string, role string, skip map[string]bool) []Claim {
	var out []Claim
	for _, d := range docsOf(in, kinds) {
		if skip[d.File] {
			continue
		}
		for _, c := range d.Claims {
			if c.Role == role {
				out = append(out, c)
			}
		}
	}
	return out
}

// declaredClaim is the name the applicant typed into the portal, if any.
func declaredClaim(in Input) (Claim, bool) {
	a := in.Declared.Applicant
	if a == nil || a.LastName == "" {
		return Claim{}, false
	}
	name := a.LastName + " " + a.FirstNames
	return Claim{Name: name, Confidence: 100, Evidence: report.Evidence{File: "declared data", Text: name}}, true
}

// applicantRef is the name the applicant goes by, from the most
// trustworthy source: the declared data, a typed form, the person an
// attestation d'hébergement hosts, else the first identity document.
func applicantRef(in Input) (Claim, bool) {
	if c, ok := declaredClaim(in); ok {
		return c, true
	}
	for _, src := range []struct {
		kinds []string
		role  string
	}{{[]string{"f02_form", "cerfa_14004", "cerfa_14880"}, ""}, {[]string{"hosting_attestation"}, RoleHosted}, {identityKinds, ""}} {
		if cs := claimsOf(in, src.kinds, src.role, nil); len(cs) > 0 {
			return cs[0], true
		}
	}
	return Claim{}, false
}

// otherIDs are the identity documents of a second person the dossier
// carries by design (the host's: ANTS-5, PASS-A9; the legal
// representative's: ANTS-12): none of their names is the applicant's.
// They are set aside from the applicant's consistency checks. If no
// identity document bears the applicant's name, none is set aside: then
// the mismatch is the finding.
func otherIDs(in Input) map[string]bool {
	if !in.Declared.Flag("hosted") && !applies("minor_or_guardianship", in) {
		return nil
	}
	ref, ok := applicantRef(in)
	if !ok {
		return nil
	}
	out, named := map[string]bool{}, 0
	for _, d := range docsOf(in, identityKinds) {
		if len(d.Claims) == 0 {
			continue
		}
		named++
		if !slices.ContainsFunc(d.Claims, func(c Claim) bool { return SameName(c.Name, ref.Name) }) {
			out[d.File] = true
		}
	}
	if len(out) == named {
		return nil
	}
	return out
}

// applicantClaims are the names the dossier gives the applicant, the
// identity document first (it is the reference).
func applicantClaims(in Input, kinds []string, withProof bool) []Claim {
	others := otherIDs(in)
	var out []Claim
	for _, k := range kinds {
		if !withProof && (k == "proof_of_address" || k == "tax_notice") {
			continue
		}
		out = append(out, claimsOf(in, []string{k}, "", others)...)
	}
	// The person an attestation d'hébergement hosts is the applicant.
	out = append(out, claimsOf(in, []string{"hosting_attestation"}, RoleHosted, nil)...)
	if c, ok := declaredClaim(in); ok {
		out = append(out, c)
	}
	return out
}

// checkSameName: the applicant's name agrees across the documents of the
// rule's kinds and the declared data. A proof of address is compared only
// when the applicant is not hosted (then it is in the host's name).
// Agreement is evidence only where names were read: a piece that should
// name the applicant and on which no name was read sends the rule to
// review, saying which.
func checkSameName(r Rule, in Input) *report.Finding {
	withProof := !in.Declared.Flag("hosted")
	claims := applicantClaims(in, r.Kinds, withProof)
	f := agree(claims, r.What)
	if f != nil && f.Outcome != report.Pass {
		return f
	}
	if u := unreadNames(in, r, withProof); u != nil {
		return u
	}
	if f == nil && len(claims) == 1 {
		// Every piece that should name the applicant was read, and only
		// the identity document does.
		return finding(report.Pass, fmt.Sprintf("the %s was read on %s; no other piece names the applicant", r.What, claims[0].Evidence.File), claims[0].Evidence)
	}
	return f
}

// unreadNames is a review finding listing the pieces that should name the
// applicant and on which no name was read, or nil when every one was.
// The identity document is the reference: without a name read on one,
// the applicant's identity is not established.
func unreadNames(in Input, r Rule, withProof bool) *report.Finding {
	others := otherIDs(in)
	var ev []report.Evidence
	var files []string
	idRead := false
	for _, d := range docsOf(in, r.Kinds) {
		if others[d.File] || (!withProof && isProof(d.Kind)) {
			continue
		}
		if namesHolder(d) {
			idRead = idRead || slices.Contains(identityKinds, d.Kind)
			continue
		}
		what := "name"
		if isProof(d.Kind) {
			what = "addressee"
		}
		files = append(files, fmt.Sprintf("no %s read on %s", what, d.File))
		ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("classified as %s; no %s read", d.Kind, what)})
	}
	if !idRead && len(files) == 0 && takesIdentity(r) {
		files = append(files, "no identity document read")
		ev = append(ev, doubtful(in)...)
	}
	if len(files) == 0 {
		return nil
	}
	return finding(report.NeedsLook, fmt.Sprintf("the %s could not be checked on every piece: %s", r.What, strings.Join(files, "; ")), ev...)
}

func isProof(kind string) bool { return kind == "proof_of_address" || kind == "tax_notice" }

// takesIdentity: the rule reads identity documents, which establish the
// applicant's identity.
func takesIdentity(r Rule) bool {
	return slices.ContainsFunc(identityKinds, func(k string) bool { return slices.Contains(r.Kinds, k) })
}

// namesHolder: a name was read on the document for its holder (the
// applicant, or a proof's addressee), not only for a host or a hosted
// person.
func namesHolder(d Doc) bool {
	return slices.ContainsFunc(d.Claims, func(c Claim) bool { return c.Role == "" })
}

func evidenceOf(claims []Claim) []report.Evidence {
	var ev []report.Evidence
	for _, c := range claims {
		ev = append(ev, c.Evidence)
	}
	return ev
}

// checkHostName: a hosted applicant's proof of address is in the host's
// name (ANTS-5, PASS-A9): the host an attestation d'hébergement names, the
// host's identity document and the proof's addressee agree. Each side must
// have been read: a proof whose addressee was not read, or a host named
// nowhere, is a clerk's look.
func checkHostName(r Rule, in Input) *report.Finding {
	proofs := docsOf(in, r.Kinds)
	if len(proofs) == 0 {
		return nil // no proof: the piece rule reports it
	}
	claims := claimsOf(in, []string{"hosting_attestation"}, RoleHost, nil)
	others := otherIDs(in)
	for _, d := range docsOf(in, identityKinds) {
		if others[d.File] {
			claims = append(claims, d.Claims...)
		}
	}
	hosts := len(claims)
	claims = append(claims, claimsOf(in, r.Kinds, "", nil)...)
	f := agree(claims, r.What)
	if f != nil && f.Outcome != report.Pass {
		return f
	}
	var missing []string
	var ev []report.Evidence
	for _, d := range proofs {
		if !namesHolder(d) {
			missing = append(missing, "no addressee read on "+d.File)
			ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("classified as %s; no addressee read", d.Kind)})
		}
	}
	if hosts == 0 {
		missing = append(missing, "the host's name was read on no attestation d'hébergement or identity document")
	}
	if len(missing) > 0 {
		return finding(report.NeedsLook, fmt.Sprintf("the %s could not be checked: %s", r.What, strings.Join(missing, "; ")), append(ev, evidenceOf(claims)...)...)
	}
	return f
}

// agree: every claim names the same person. A mismatch rejects when both
// names were read confidently (or are too far apart for an OCR slip), and
// goes to review otherwise. A piece that names two people far apart (its
// zone and its printed name disagree beyond a slip) was misread or
// altered: it goes to a clerk and its names decide nothing else, so a
// label read as a name cannot reject. The first mismatch that rejects is
// reported, else the first that needs a look.
func agree(claims []Claim, what string) *report.Finding {
	if len(claims) < 2 {
		return nil // nothing to compare
	}
	unsure := map[string]bool{} // files naming two people
	for i, a := range claims {
		for _, b := range claims[i+1:] {
			if a.Evidence.File != "" && a.Evidence.File == b.Evidence.File && !SameName(a.Name, b.Name) && !oneSlip(a.Name, b.Name) {
				unsure[a.Evidence.File] = true
			}
		}
	}
	var look *report.Finding
	for i, a := range claims {
		for _, b := range claims[i+1:] {
			if SameName(a.Name, b.Name) {
				continue
			}
			o := report.NeedsLook
			lo := min(a.Confidence, b.Confidence)
			if lo >= confident || (lo >= lowConfidence && farApart(a.Name, b.Name)) {
				o = report.Fail
			}
			// One letter apart in the whole name (MAI read MAT in a zone,
			// where no check digit covers names) is what OCR does to one
			// person's name, however confident it was: a clerk settles it.
			// Two names of one piece are one or the other.
			if oneSlip(a.Name, b.Name) || unsure[a.Evidence.File] || unsure[b.Evidence.File] {
				o = report.NeedsLook
			}
			f := finding(o, fmt.Sprintf("the %s differs between %s and %s (read with confidence %.0f and %.0f)", what, a.Evidence.File, b.Evidence.File, a.Confidence, b.Confidence), a.Evidence, b.Evidence)
			if o == report.Fail {
				return f
			}
			if look == nil {
				look = f
			}
		}
	}
	if look != nil {
		return look
	}
	return finding(report.Pass, fmt.Sprintf("the %s agrees on %d pieces", what, len(claims)), evidenceOf(claims)...)
}

// checkSameBirth: the applicant's birth date agrees across identity
// documents (MRZ, printed), typed form fields and declared data. The
// identity document is the reference and must have been read: a birth
// date read on it, and where it has an MRZ, an MRZ whose check digits hold
// and whose birth date is the one printed beside it. Anything less is a
// clerk's look that says what was not read.
func checkSameBirth(r Rule, in Input) *report.Finding {
	type claim struct {
		d  time.Time
		ev report.Evidence
		c  float64
	}
	var cs []claim
	var doubts []string
	var doubtEv []report.Evidence
	doubt := func(msg string, ev ...report.Evidence) {
		doubts = append(doubts, msg)
		doubtEv = append(doubtEv, ev...)
	}
	others := otherIDs(in)
	idRead := false
	for _, d := range docsOf(in, r.Kinds) {
		if others[d.File] {
			continue
		}
		isID := slices.Contains(identityKinds, d.Kind)
		var auth, printed []Dated
		for _, x := range d.Dates {
			switch {
			case x.Label != "birth":
			case !x.Authoritative && !in.Submitted.IsZero() && x.Date.After(in.Submitted):
				// Nobody is born after the dossier was submitted: a
				// printed date read so (« 14/07/2091 » for 2001 on a 150
				// dpi scan) is a misread, not a second birth date. An
				// MRZ's date has check digits and a century chosen
				// already.
			case x.Authoritative:
				auth = append(auth, x)
			default:
				printed = append(printed, x)
			}
		}
		if isID {
			// Every identity document of the catalogue carries an MRZ (or a
			// signed 2D-Doc): its check digits are what makes the printed
			// identity trustworthy.
			switch m := d.MRZ; {
			case m != nil && !m.Valid:
				doubt(fmt.Sprintf("the MRZ of %s does not hold (%s): altered or misread", d.File, m.Problem), m.Evidence)
			case m == nil && len(auth) == 0 && !versoOf(in, d, others):
				doubt(fmt.Sprintf("no machine-readable zone read on %s: its printed identity is not verified by check digits", d.File))
			}
			if len(auth)+len(printed) == 0 {
				doubt("no birth date read on " + d.File)
			} else {
				idRead = true
			}
			// The MRZ and the date printed on the same card must agree.
			for _, a := range auth {
				for _, p := range printed {
					if !p.Date.Equal(a.Date) && p.Confidence >= lowConfidence {
						doubt(fmt.Sprintf("%s gives two birth dates: %s and %s", d.File, dates.Format(a.Date), dates.Format(p.Date)), a.Evidence, p.Evidence)
					}
				}
			}
		}
		// Where a document has an authoritative birth date (a form's
		// typed field, a check-digit-valid MRZ), only that one: a guide's
		// birth date is printed on the same F02. Without one, a document
		// printing several birth dates (a scanned F02: the candidate's and
		// the guides') does not say which is the applicant's.
		use := auth
		if len(use) == 0 {
			use = printed
			if distinct := distinctDates(printed); len(distinct) > 1 {
				var ev []report.Evidence
				for _, x := range distinct {
					ev = append(ev, x.Evidence)
				}
				doubt(fmt.Sprintf("%s prints %d different birth dates and none is marked as the applicant's", d.File, len(distinct)), ev...)
				use = nil
			}
		}
		for _, x := range use {
			cs = append(cs, claim{x.Date, x.Evidence, x.Confidence})
		}
	}
	if a := in.Declared.Applicant; a != nil && a.BirthDate != "" {
		if t, err := dates.Parse(a.BirthDate); err == nil {
			cs = append(cs, claim{t, report.Evidence{File: "declared data", Text: a.BirthDate}, 100})
		}
	}
	for _, c := range cs[min(1, len(cs)):] {
		if c.d.Equal(cs[0].d) {
			continue
		}
		o := report.Fail
		if min(cs[0].c, c.c) < confident {
			o = report.NeedsLook
		}
		return finding(o, fmt.Sprintf("the applicant's birth date differs: %s on %s, %s on %s",
			dates.Format(cs[0].d), cs[0].ev.File, dates.Format(c.d), c.ev.File), cs[0].ev, c.ev)
	}
	if !idRead && len(doubts) == 0 && takesIdentity(r) {
		doubt("no identity document read", doubtful(in)...)
	}
	var ev []report.Evidence
	for _, c := range cs {
		ev = append(ev, c.ev)
	}
	switch {
	case len(doubts) > 0:
		return finding(report.NeedsLook, fmt.Sprintf("the %s could not be established: %s", r.What, strings.Join(doubts, "; ")), append(doubtEv, ev...)...)
	case len(cs) == 0:
		return nil // nothing read: the checker reports the rule unchecked
	case len(cs) == 1:
		return finding(report.Pass, fmt.Sprintf("the applicant's birth date %s was read on %s; no other piece gives one", dates.Format(cs[0].d), cs[0].ev.File), ev...)
	}
	return finding(report.Pass, fmt.Sprintf("the applicant's birth date %s agrees on %d pieces", dates.Format(cs[0].d), len(cs)), ev...)
}

// versoOf: a recto sent as a file of its own has its zone on the verso,
// another file: another identity document of the dossier (not a second
// person's) whose MRZ holds and names the same person.
func versoOf(in Input, recto Doc, others map[string]bool) bool {
	for _, d := range docsOf(in, identityKinds) {
		if d.File == recto.File || others[d.File] || d.MRZ == nil || !d.MRZ.Valid {
			continue
		}
		for _, a := range recto.Claims {
			if slices.ContainsFunc(d.Claims, func(b Claim) bool { return SameName(a.Name, b.Name) }) {
				return true
			}
		}
	}
	return false
}

// distinctDates keeps the first of each date.
func distinctDates(ds []Dated) []Dated {
	var out []Dated
	for _, x := range ds {
		if !slices.ContainsFunc(out, func(y Dated) bool { return y.Date.Equal(x.Date) }) {
			out = append(out, x)
		}
	}
	return out
}
