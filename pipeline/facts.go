package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dossiercheck/checks"
	"dossiercheck/classify"
	"dossiercheck/dates"
	"dossiercheck/doctext"
	"dossiercheck/extract"
	"dossiercheck/forms"
	"dossiercheck/report"
	"dossiercheck/twoddoc"
)

// Facts is what the extraction stage made of one reading: the document as
// the checks see it (kind, dated labels, name claims by role, form fields,
// MRZ) and the details the report describes besides (names as read,
// national numbers, a host and an addressee). Problems are findings on
// the file itself that extraction raised (an unknown kind, a 2D-Doc that
// contradicts the print).
type Facts struct {
	Doc       checks.Doc
	Names     extract.Name // as read on the document (MRZ first)
	Host      *extract.HostingNames
	Addressee string
	Candidate string   // the applicant named on a form
	NRNs      []string // Belgian national numbers, MRZ first
	Problems  []report.Finding
}

// extractor adds to f what one concern reads in r. Extractors run in the
// order of extractors; each reads the reading and the facts made so far
// and never changes the reading.
type extractor struct {
	kinds []string // the kinds it applies to; none: every kind
	run   func(r source, f *Facts)
}

// source is what extraction reads: the reading, and the submission date
// that places a two-digit year (dates.Century).
type source struct {
	Reading
	Submitted time.Time
}

// extractors, in order: typed form values first (the checks quote the
// field rather than its printed rendering), then printed dates, a verified
// 2D-Doc, a photo's shot date, the MRZ, names and numbers, and the roles
// some kinds name (host, addressee).
var extractors = []extractor{
	{run: formDateFacts},
	{run: printedDateFacts},
	{run: codeFacts},
	{kinds: []string{classify.IDPhoto}, run: shotFacts},
	{run: zoneFacts},
	{run: printedNameFacts},
	{run: nrnFacts},
	{kinds: []string{classify.Hosting}, run: hostingFacts},
	{kinds: []string{classify.ProofOfAddress, classify.TaxNotice}, run: addresseeFacts},
	{run: formNameFacts},
}

// Extract is the extraction stage: it classifies a reading and runs the
// extractors that apply to its kind. submitted is the dossier's
// submission date: it places two-digit years.
func Extract(r Reading, submitted time.Time) Facts {
	f := Facts{Doc: checks.Doc{File: r.File, Kind: classify.Unknown, Unreadable: r.Unread}}
	if r.Unread != "" {
		return f
	}
	c := r.Classify()
	f.Doc.Kind, f.Doc.Confidence, f.Doc.Form, f.Doc.Text = c.Kind, c.Confidence, r.Fields, r.Text()
	if r.Form != nil {
		f.Doc.Form, f.Doc.FormDoubt = r.Form.Values.Form(), r.Form.Values.Doubts()
	}
	if c.Kind == classify.Unknown {
		f.Problems = append(f.Problems, fileProblem(r.File, ruleUnknown, "document kind not recognised", 1, ""))
	}
	for _, x := range extractors {
		if len(x.kinds) == 0 || slices.Contains(x.kinds, c.Kind) {
			x.run(source{r, submitted}, &f)
		}
	}
	if m := r.MRZ; m != nil {
		f.Doc.MRZ = &checks.MRZRead{Valid: m.Zone.Valid, Problem: strings.Join(m.Zone.Errors, ", "),
			Repaired: strings.Join(m.Zone.Repaired, "; "), Evidence: m.Evidence}
	} else if r.MRZSeen != nil {
		f.Doc.MRZ = &checks.MRZRead{Problem: "a zone was seen on the page but could not be read", Evidence: *r.MRZSeen}
	}
	return f
}

// fileProblem is a finding on a file itself (docs/verdict-policy.md).
func fileProblem(file, rule, msg string, page int, text string) report.Finding {
	return report.Finding{Rule: rule, Outcome: report.NeedsLook, Message: msg,
		Evidence: []report.Evidence{{File: file, Page: page, Text: text}}, Source: policySource}
}

// formRoles are the date labels of a form's dated fields by their role
// (forms.Schema: only the holder's own birth date has RoleBirth).
var formRoles = map[string]string{
	forms.RoleBirth:   string(extract.LabelBirth),
	forms.RoleExam:    string(extract.LabelExam),
	forms.RoleRequest: "request",
	forms.RoleIssue:   string(extract.LabelIssue), // Cerfa 14880: the medical opinion (MED-4)
}

// formEvidence quotes a form value: its field, or its label, text and box
// as read on the scan.
func formEvidence(file string, x forms.Value) report.Evidence {
	ev := report.Evidence{File: file, Page: max(1, x.Page), Text: x.Evidence()}
	if b := x.BBox; !b.Empty() {
		ev.BBox = &[4]int{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y}
	}
	return ev
}

// formDateFacts: a form's dated fields, by their role in its schema.
// Typed or read, a value names its field: it is authoritative over the
// dates printed on the page.
func formDateFacts(r source, f *Facts) {
	if r.Form == nil {
		return
	}
	schema, _ := forms.For(r.Form.Kind)
	for _, x := range schema.Dates(r.Form.Values) {
		f.Doc.Dates = append(f.Doc.Dates, checks.Dated{Label: formRoles[x.Role], Date: x.Date, Confidence: x.Value.Confidence,
			Authoritative: true, Scanned: !x.Value.Typed, Evidence: formEvidence(r.File, x.Value)})
	}
}

// printedDateFacts: dates printed on the pages, with their labels and OCR
// confidence. On a form, the dates are its fields': those printed keep no
// label (a guide's "Date de naissance" is not the candidate's).
func printedDateFacts(r source, f *Facts) {
	for _, pg := range r.Pages {
		for _, d := range extract.DatesAt(pg.Lines, r.Submitted) {
			line := pg.Lines[d.Line]
			bbox, conf := line.Span(d.Start, d.End)
			label := string(d.Label)
			if r.Form != nil {
				label = ""
			}
			f.Doc.Dates = append(f.Doc.Dates, checks.Dated{Label: label, Date: d.Date, Confidence: conf,
				Evidence: report.Evidence{File: r.File, Page: pg.Number, Text: strings.TrimSpace(line.Text), BBox: bbox}})
		}
	}
}

// codeFacts: a verified 2D-Doc outranks what OCR read: its header issue
// date and its beneficiary's name come first and are authoritative.
func codeFacts(r source, f *Facts) {
	c := r.Code
	if c == nil || c.Result.Status != twoddoc.Valid {
		return
	}
	ev := report.Evidence{File: r.File, Page: 1, Text: "2D-Doc (signature valid), no issue date",
		BBox: &[4]int{c.At.Min.X, c.At.Min.Y, c.At.Max.X, c.At.Max.Y}}
	if !c.Doc.Issued.IsZero() {
		ev.Text = "2D-Doc (signature valid) issued " + dates.Format(c.Doc.Issued)
		f.Doc.Dates = append([]checks.Dated{{Label: string(extract.LabelIssue), Date: c.Doc.Issued, Confidence: 100, Authoritative: true, Evidence: ev}}, f.Doc.Dates...)
	}
	holder := c.Doc.Fields["10"]
	if holder == "" {
		holder = c.Doc.Fields["13"] + "/" + c.Doc.Fields["12"] // surname, first name
	}
	if id, ok := c.Doc.Identity(); ok {
		holder = id.Surname + "/" + id.GivenNames
		for _, x := range []struct {
			label extract.Label
			date  time.Time
		}{{extract.LabelBirth, id.Birth}, {extract.LabelExpiry, id.ValidTo}} {
			if !x.date.IsZero() {
				xev := ev
				xev.Text = fmt.Sprintf("2D-Doc (signature valid) %s date %s", x.label, dates.Format(x.date))
				f.Doc.Dates = append(f.Doc.Dates, checks.Dated{Label: string(x.label), Date: x.date, Confidence: 100, Authoritative: true, Evidence: xev})
			}
		}
	}
	if tax, ok := c.Doc.Tax(); ok {
		taxNotice(f, tax, ev)
		holder = ""
		if len(tax.Declarants) == 1 {
			// A joint notice names two people, either of whom may be the
			// applicant: only a single declarant is a claim.
			holder = tax.Declarants[0]
		}
	}
	if name := strings.Join(strings.Fields(strings.ReplaceAll(holder, "/", " ")), " "); name != "" {
		ev.Text = "2D-Doc (signature valid) beneficiary: " + holder
		f.Doc.Claims = append(f.Doc.Claims, checks.Claim{Name: name, Confidence: 100, Evidence: ev})
	}
}

// taxNotice uses a verified tax notice's code (types 04 and 28). Its
// header carries no issue date (the spec's "date d'émission: N"); its only
// signed date, the date de mise en recouvrement, follows the date
// d'établissement printed on the notice by some weeks. So the printed date
// stays the notice's date (D1), and one printed after the signed
// collection date was altered or misread: a clerk must look.
func taxNotice(f *Facts, tax twoddoc.Tax, ev report.Evidence) {
	if tax.Collection.IsZero() {
		return
	}
	ev.Text = "2D-Doc (signature valid) date de mise en recouvrement " + dates.Format(tax.Collection)
	for _, x := range f.Doc.Dates {
		if x.Label == string(extract.LabelIssue) && !x.Authoritative && x.Date.After(tax.Collection) {
			f.Problems = append(f.Problems, report.Finding{Rule: rule2DDoc, Outcome: report.NeedsLook,
				Message: fmt.Sprintf("the notice's printed date %s is after the date de mise en recouvrement its 2D-Doc signs, %s: altered or misread",
					dates.Format(x.Date), dates.Format(tax.Collection)),
				Evidence: []report.Evidence{x.Evidence, ev}, Source: policySource})
			return
		}
	}
}

// shotFacts: a photo's date is when it was shot, as its file records it
// (PASS-A4); on a scan the EXIF date is the scan's, so only photos use it.
func shotFacts(r source, f *Facts) {
	if r.Shot.IsZero() {
		return
	}
	f.Doc.Dates = append(f.Doc.Dates, checks.Dated{Label: string(extract.LabelIssue), Date: r.Shot, Confidence: 100,
		Evidence: report.Evidence{File: r.File, Page: 1, Text: "EXIF DateTimeOriginal " + dates.Format(r.Shot)}})
}

// mrzNameDoubt is the confidence of an MRZ name and a printed name of the
// same card that disagree (between checks' review and fail thresholds).
const mrzNameDoubt = 75

// sure is the OCR confidence from which a word is read surely: checks'
// low confidence (a misread letter or digit typically scores under it).
// A zone's names line read under it is the worse reading of a name one
// letter off its print read at it or more; a verso's issue date joins its
// recto from it; a form page re-read without leaders counts its words
// read so.
const sure = 60

// zoneFacts: a zone whose check digits all hold outranks the printed
// dates. Its names carry no check digit: a name is as sure as the OCR of
// its line. When the name printed on the card reads otherwise (a '<' read
// as S within the names, an O dropped), both are claimed at mrzNameDoubt
// at most, below checks' fail threshold, so that only a name far from
// both fails and a near one goes to a clerk. When they agree, the name
// was read twice, in two fonts and two places: it is as sure as the
// better reading.
func zoneFacts(r source, f *Facts) {
	if r.MRZ == nil || !r.MRZ.Zone.Valid || r.MRZ.Zone.BirthDate.IsZero() {
		return
	}
	m, ev := r.MRZ.Zone, r.MRZ.Evidence
	for i, x := range f.Doc.Dates {
		// The zone's birth date printed under a garbled label (« Né(e)
		// le » read « Néfe)le ») reads as a bare « le », an issue date:
		// no card is issued on its holder's birth day.
		if x.Label == string(extract.LabelIssue) && x.Date.Equal(m.BirthDate) {
			f.Doc.Dates[i].Label = string(extract.LabelBirth)
		}
	}
	f.Doc.Dates = append(f.Doc.Dates, checks.Dated{Label: string(extract.LabelBirth), Date: m.BirthDate, Confidence: 100, Evidence: ev, Authoritative: true})
	if !m.Expiry.IsZero() {
		f.Doc.Dates = append(f.Doc.Dates, checks.Dated{Label: string(extract.LabelExpiry), Date: m.Expiry, Confidence: 100, Evidence: ev, Authoritative: true})
	}
	f.Names = extract.Name{Last: m.Surname, First: m.GivenNames}
	mrzName := checks.Claim{Name: m.Surname + " " + m.GivenNames, Confidence: r.MRZ.NameConfidence, Evidence: ev}
	if n, pc, ok := printedName(r.File, r.Pages); ok {
		switch {
		case checks.SameName(pc.Name, mrzName.Name):
			mrzName.Confidence = max(mrzName.Confidence, pc.Confidence)
		case m.NamesAre(upperWords(n.Last + " " + n.First)):
			// The zone's names line is the printed name with fillers
			// read as letters (LEFEVRES<HELENES): both readings agree
			// letter for letter, and the printed words are the name.
			f.Names = n
			mrzName.Name = pc.Name
			mrzName.Confidence = max(mrzName.Confidence, pc.Confidence)
		case r.MRZ.NameConfidence < sure && pc.Confidence >= sure && m.NamesWithin(upperWords(n.Last+" "+n.First), 1):
			// One letter off in all on a names line read poorly
			// (PEFEVRE, LFEVRE: the style's L lost or read P), the
			// printed name read clearly: the print is the name, at its
			// own confidence and evidence (as a card without a zone gives it).
			f.Names = n
			mrzName = pc
		default:
			mrzName.Confidence = min(mrzName.Confidence, mrzNameDoubt)
			pc.Confidence = min(pc.Confidence, mrzNameDoubt)
			f.Doc.Claims = append(f.Doc.Claims, pc)
		}
	}
	f.Doc.Claims = append(f.Doc.Claims, mrzName)
}

// upperWords are s's words of letters, folded and in upper case, as a
// zone writes them (LEFÈVRE-DURAND → LEFEVRE, DURAND).
func upperWords(s string) []string {
	return strings.FieldsFunc(strings.ToUpper(extract.Fold(s)), func(r rune) bool { return r < 'A' || r > 'Z' })
}

// printedNameFacts: the name printed under labels, when no zone named the
// holder and the document is no form (a form's names are its fields':
// the guides' are printed under the same labels).
func printedNameFacts(r source, f *Facts) {
	if f.Names.Last != "" || r.Form != nil {
		return
	}
	if n, pc, ok := printedName(r.File, r.Pages); ok {
		f.Names = n
		f.Doc.Claims = append(f.Doc.Claims, pc)
	}
}

// nrnFacts: Belgian national numbers (personal data: report only). An
// eID's MRZ carries the number, check digits verified: first.
func nrnFacts(r source, f *Facts) {
	add := func(n string) {
		if !slices.Contains(f.NRNs, n) {
			f.NRNs = append(f.NRNs, n)
		}
	}
	if m := r.MRZ; m != nil && m.Zone.Valid && m.Zone.Country == "BEL" {
		if _, _, ok := extract.ValidNRN(m.Zone.Optional); ok {
			add(m.Zone.Optional)
		}
	}
	for _, pg := range r.Pages {
		for _, n := range extract.NRNs(pg.Lines) {
			add(n.Number)
		}
	}
	if r.Form != nil {
		if x := r.Form.Values["candidat_rrn"]; x.Text != "" && x.Doubt == "" {
			if _, _, ok := extract.ValidNRN(x.Text); ok {
				add(x.Text)
			}
		}
	}
}

// hostingFacts: an attestation d'hébergement names the host and the
// hosted person, each a claim of its role.
func hostingFacts(r source, f *Facts) {
	for _, pg := range r.Pages {
		h, ok := extract.Hosting(pg.Lines)
		if !ok {
			continue
		}
		f.Host = &h
		host := claim(r.File, pg, h.Host, []string{h.Host}, h.HostLine)
		hosted := claim(r.File, pg, h.Hosted, []string{h.Hosted}, h.HostedLine)
		host.Role, hosted.Role = checks.RoleHost, checks.RoleHosted
		f.Doc.Claims = append(f.Doc.Claims, host, hosted)
		return
	}
}

// addresseeFacts: a bill or notice names its addressee. The claim's
// confidence is the name's own; its evidence quotes the label and the
// address block too.
func addresseeFacts(r source, f *Facts) {
	for _, pg := range r.Pages {
		a, ok := extract.FindRecipient(pg.Lines)
		if !ok {
			continue
		}
		f.Addressee = a.Name
		c := claim(r.File, pg, a.Name, []string{a.Name}, a.Line)
		c.Evidence = claim(r.File, pg, a.Name, []string{a.Name}, a.Lines...).Evidence
		f.Doc.Claims = append(f.Doc.Claims, c)
		return
	}
}

// formNameFacts: the applicant as a form's fields name them, as sure as
// the least sure of them.
func formNameFacts(r source, f *Facts) {
	if r.Form == nil {
		return
	}
	schema, _ := forms.For(r.Form.Kind)
	name, parts, ok := schema.Name(r.Form.Values)
	if !ok {
		return
	}
	conf := 100.0
	var text []string
	for _, x := range parts {
		conf = min(conf, x.Confidence)
		text = append(text, x.Evidence())
	}
	ev := formEvidence(r.File, parts[0])
	ev.Text = strings.Join(text, " / ")
	f.Candidate = name
	f.Doc.Claims = append(f.Doc.Claims, checks.Claim{Name: name, Confidence: conf, Evidence: ev})
}

// printedName is the name printed under labels (Nom, Prénoms) on the first
// page that has one, with its claim.
func printedName(file string, pages []doctext.Page) (extract.Name, checks.Claim, bool) {
	for _, pg := range pages {
		if n := extract.Names(pg.Lines); n.Last != "" {
			return n, claim(file, pg, strings.TrimSpace(n.Last+" "+n.First), []string{n.Last, n.First}, n.Lines...), true
		}
	}
	return extract.Name{}, checks.Claim{}, false
}

// claim quotes the lines a name was read from. Its confidence is the
// lowest of the name's own words (parts), not of the whole line: a
// civility or a label misread around a cleanly read name does not make the
// name doubtful.
func claim(file string, pg doctext.Page, name string, parts []string, lines ...int) checks.Claim {
	conf := 100.0
	var text []string
	var box *[4]int
	for _, li := range lines {
		l := pg.Lines[li]
		start, end := 0, len(l.Text)
		for _, p := range parts {
			if k := strings.Index(l.Text, p); p != "" && k >= 0 {
				start, end = k, k+len(p)
				break
			}
		}
		b, c := l.Span(start, end)
		conf = min(conf, c)
		if box == nil {
			box = b
		}
		text = append(text, strings.TrimSpace(l.Text))
	}
	return checks.Claim{Name: name, Confidence: conf, Evidence: report.Evidence{File: file, Page: pg.Number, Text: strings.Join(text, " / "), BBox: box}}
}
