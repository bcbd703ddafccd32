package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"dossiercheck/checks"
	"dossiercheck/classify"
	"dossiercheck/dates"
	"dossiercheck/doctext"
	"dossiercheck/extract"
	"dossiercheck/mrz"
	"dossiercheck/report"
	"dossiercheck/twoddoc"
)

// formDates maps AcroForm field names to what their date means
// (docs/api.md lists the form fields).
var formDates = map[string]string{
	"theorie_date":        string(extract.LabelExam),
	"demande_date":        "request",
	"candidat_naissance":  string(extract.LabelBirth),
	"declarant_naissance": string(extract.LabelBirth), // Cerfa 14004
	"fait_le":             "request",                  // Cerfa 14004
	"naissance":           string(extract.LabelBirth), // Cerfa 14880
	"avis_date":           string(extract.LabelIssue), // Cerfa 14880: the medical opinion (MED-4)
}

// formNames are the form fields that name the applicant: last name, then
// first names ("" when one field holds both).
var formNames = [][2]string{
	{"candidat_nom_prenom", ""},           // F02
	{"declarant_nom", "declarant_prenom"}, // Cerfa 14004
	{"nom", "prenoms"},                    // Cerfa 14880
}

// taxNotice uses a verified tax notice's code (types 04 and 28). Its
// header carries no issue date (the spec's "date d'émission: N"); its only
// signed date, the date de mise en recouvrement, follows the date
// d'établissement printed on the notice by some weeks. So the printed date
// stays the notice's date (D1), and one printed after the signed
// collection date was altered or misread: a clerk must look.
func taxNotice(d *docState, printed []checks.Dated, tax twoddoc.Tax, ev report.Evidence) {
	if tax.Collection.IsZero() {
		return
	}
	ev.Text = "2D-Doc (signature valid) date de mise en recouvrement " + dates.Format(tax.Collection)
	for _, x := range printed {
		if x.Label == string(extract.LabelIssue) && !x.Authoritative && x.Date.After(tax.Collection) {
			d.problems = append(d.problems, report.Finding{Rule: rule2DDoc, Outcome: report.NeedsLook,
				Message: fmt.Sprintf("the notice's printed date %s is after the date de mise en recouvrement its 2D-Doc signs, %s: altered or misread",
					dates.Format(x.Date), dates.Format(tax.Collection)),
				Evidence: []report.Evidence{x.Evidence, ev}, Source: policySource})
			return
		}
	}
}

// understand classifies a read file and extracts its dated fields.
func (p *Pipeline) understand(ctx context.Context, f File, d *docState, st *Stats) (report.Document, checks.Doc) {
	doc := report.Document{File: d.file, Kind: classify.Unknown, Pages: len(d.pages), Fields: map[string]any{}}
	cdoc := checks.Doc{File: d.file, Kind: classify.Unknown, Unreadable: d.unread}
	if d.unread != "" {
		doc.Fields["error"] = d.unread
		return doc, cdoc
	}
	var text strings.Builder
	words := 0
	for _, pg := range d.pages {
		text.WriteString(pg.Text())
		words += pg.WordCount()
	}
	in := classify.Input{Text: text.String(), Fields: d.fields, Words: words, Aspect: d.aspect, Pages: len(d.pages)}
	if d.mrz != nil && d.mrz.Valid {
		in.MRZFormat, in.MRZCode = string(d.mrz.Format), d.mrz.DocCode
	}
	c := classify.Classify(in)
	doc.Kind, doc.Confidence = c.Kind, c.Confidence
	cdoc.Kind, cdoc.Confidence, cdoc.Form, cdoc.Text = c.Kind, c.Confidence, d.fields, text.String()
	if c.Kind == classify.Unknown {
		d.problem(ruleUnknown, "document kind not recognised", 1, "")
	}
	// Only proofs of address, tax notices and identity documents carry
	// 2D-Doc fields we use; the search costs about 0.1 s a page, so others
	// are not searched.
	switch c.Kind {
	case classify.ProofOfAddress, classify.TaxNotice, classify.IdentityCard, classify.Passport, classify.ResidencePermit:
		t := time.Now()
		p.read2DDoc(ctx, f, d)
		st.PDF += time.Since(t)
	}
	d.first = nil

	// Form fields are typed values: no OCR, full confidence. They come first
	// so that the checks quote the field rather than its printed rendering.
	for name, label := range formDates {
		v := strings.TrimSpace(d.fields[name])
		if v == "" {
			continue
		}
		refs := extract.Dates(doctext.PlainLines(v))
		if len(refs) != 1 {
			continue
		}
		cdoc.Dates = append(cdoc.Dates, checks.Dated{Label: label, Date: refs[0].Date, Confidence: 100, Authoritative: true,
			Evidence: report.Evidence{File: d.file, Page: 1, Text: fmt.Sprintf("form field %s: %s", name, v)}})
	}
	// Dates printed on the pages, with their labels and OCR confidence.
	for _, pg := range d.pages {
		for _, r := range extract.Dates(pg.Lines) {
			line := pg.Lines[r.Line]
			bbox, conf := line.Span(r.Start, r.End)
			cdoc.Dates = append(cdoc.Dates, checks.Dated{Label: string(r.Label), Date: r.Date, Confidence: conf,
				Evidence: report.Evidence{File: d.file, Page: pg.Number, Text: strings.TrimSpace(line.Text), BBox: bbox}})
		}
	}
	// A verified 2D-Doc outranks what OCR read: its header issue date and
	// its beneficiary's name come first and are marked authoritative.
	if c := d.code; c != nil {
		doc.Fields["2ddoc"] = map[string]any{"type": c.Type, "ca": c.CA, "cert": c.CertID, "status": d.codeRes.Status, "message": d.codeRes.Message}
		if d.codeRes.Status == twoddoc.Valid {
			ev := report.Evidence{File: d.file, Page: 1, Text: "2D-Doc (signature valid), no issue date",
				BBox: &[4]int{d.codeAt.Min.X, d.codeAt.Min.Y, d.codeAt.Max.X, d.codeAt.Max.Y}}
			if !c.Issued.IsZero() {
				ev.Text = "2D-Doc (signature valid) issued " + dates.Format(c.Issued)
				cdoc.Dates = append([]checks.Dated{{Label: string(extract.LabelIssue), Date: c.Issued, Confidence: 100, Authoritative: true, Evidence: ev}}, cdoc.Dates...)
			}
			holder := c.Fields["10"]
			if holder == "" {
				holder = c.Fields["13"] + "/" + c.Fields["12"] // surname, first name
			}
			if id, ok := c.Identity(); ok {
				holder = id.Surname + "/" + id.GivenNames
				for _, x := range []struct {
					label extract.Label
					date  time.Time
				}{{extract.LabelBirth, id.Birth}, {extract.LabelExpiry, id.ValidTo}} {
					if !x.date.IsZero() {
						xev := ev
						xev.Text = fmt.Sprintf("2D-Doc (signature valid) %s date %s", x.label, dates.Format(x.date))
						cdoc.Dates = append(cdoc.Dates, checks.Dated{Label: string(x.label), Date: x.date, Confidence: 100, Authoritative: true, Evidence: xev})
					}
				}
			}
			if tax, ok := c.Tax(); ok {
				taxNotice(d, cdoc.Dates, tax, ev)
				holder = ""
				if len(tax.Declarants) == 1 {
					// A joint notice names two people, either of whom may
					// be the applicant: only a single declarant is a claim.
					holder = tax.Declarants[0]
				}
			}
			if lines, ok := c.MRZ(); ok && (d.mrz == nil || !d.mrz.Valid) {
				// A type-08 code carries the MRZ itself: no OCR doubt.
				if m, ok := mrz.Find(lines); ok && m.Valid {
					d.mrz, d.mrzEv, d.mrzNameConf = &m, ev, 100
					d.mrzEv.Text = "2D-Doc (signature valid) MRZ: " + strings.Join(m.Lines, " / ")
				}
			}
			if name := strings.Join(strings.Fields(strings.ReplaceAll(holder, "/", " ")), " "); name != "" {
				ev.Text = "2D-Doc (signature valid) beneficiary: " + holder
				cdoc.Claims = append(cdoc.Claims, checks.Claim{Name: name, Confidence: 100, Evidence: ev})
			}
		}
	}
	// A photo's date is when it was shot, as its file records it (PASS-A4);
	// on a scan the EXIF date is the scan's, so only photos use it.
	if c.Kind == classify.IDPhoto && !d.shot.IsZero() {
		cdoc.Dates = append(cdoc.Dates, checks.Dated{Label: string(extract.LabelIssue), Date: d.shot, Confidence: 100,
			Evidence: report.Evidence{File: d.file, Page: 1, Text: "EXIF DateTimeOriginal " + dates.Format(d.shot)}})
	}
	if m := d.mrz; m != nil && m.Valid && !m.BirthDate.IsZero() {
		// Every check digit matched: the MRZ dates outrank the printed ones.
		cdoc.Dates = append(cdoc.Dates, checks.Dated{Label: string(extract.LabelBirth), Date: m.BirthDate, Confidence: 100, Evidence: d.mrzEv, Authoritative: true})
		if !m.Expiry.IsZero() {
			cdoc.Dates = append(cdoc.Dates, checks.Dated{Label: string(extract.LabelExpiry), Date: m.Expiry, Confidence: 100, Evidence: d.mrzEv, Authoritative: true})
		}
		doc.Fields["mrz"] = map[string]any{"format": m.Format, "valid": m.Valid, "number": m.Number}
		if len(m.Repaired) > 0 {
			doc.Fields["mrz"].(map[string]any)["repaired"] = m.Repaired
		}
		doc.Fields["last_name"], doc.Fields["first_names"] = m.Surname, m.GivenNames
		if !m.Expiry.IsZero() {
			doc.Fields["expiry_date"] = dates.Format(m.Expiry)
		}
		// Name fields carry no check digit: a name is as sure as the OCR
		// of its line. When the name printed on the card reads otherwise
		// (a '<' read as S within the names, an O dropped), both are
		// claimed at mrzNameDoubt at most, below checks' fail threshold, so
		// that only a name far from both fails and a near one goes to a
		// clerk.
		mrzName := checks.Claim{Name: m.Surname + " " + m.GivenNames, Confidence: d.mrzNameConf, Evidence: d.mrzEv}
		// When they agree, the name was read twice, in two fonts and two
		// places: it is as sure as the better reading.
		if _, pc, ok := printedName(d.file, d.pages); ok {
			if checks.SameName(pc.Name, mrzName.Name) {
				mrzName.Confidence = max(mrzName.Confidence, pc.Confidence)
			} else {
				mrzName.Confidence = min(mrzName.Confidence, mrzNameDoubt)
				pc.Confidence = min(pc.Confidence, mrzNameDoubt)
				cdoc.Claims = append(cdoc.Claims, pc)
			}
		}
		cdoc.Claims = append(cdoc.Claims, mrzName)
	} else if m != nil {
		doc.Fields["mrz"] = map[string]any{"format": m.Format, "valid": false, "errors": m.Errors}
	} else if d.mrzSeen != nil {
		doc.Fields["mrz"] = map[string]any{"valid": false, "errors": []string{"zone seen, not read"}}
	}
	switch {
	case d.mrz != nil:
		cdoc.MRZ = &checks.MRZRead{Valid: d.mrz.Valid, Problem: strings.Join(d.mrz.Errors, ", "),
			Repaired: strings.Join(d.mrz.Repaired, "; "), Evidence: d.mrzEv}
	case d.mrzSeen != nil:
		cdoc.MRZ = &checks.MRZRead{Problem: "a zone was seen on the page but could not be read", Evidence: *d.mrzSeen}
	}
	// Names and Belgian national numbers (personal data: report only). A
	// Belgian eID's MRZ carries the number, check digits verified: first.
	var nrns []string
	if m := d.mrz; m != nil && m.Valid && m.Country == "BEL" {
		if _, _, ok := extract.ValidNRN(m.Optional); ok {
			nrns = append(nrns, m.Optional)
		}
	}
	if _, ok := doc.Fields["last_name"]; !ok {
		if n, pc, ok := printedName(d.file, d.pages); ok {
			doc.Fields["last_name"], doc.Fields["first_names"] = n.Last, n.First
			cdoc.Claims = append(cdoc.Claims, pc)
		}
	}
	for _, pg := range d.pages {
		for _, n := range extract.NRNs(pg.Lines) {
			if !slices.Contains(nrns, n.Number) {
				nrns = append(nrns, n.Number)
			}
		}
		if _, ok := doc.Fields["host"]; !ok && c.Kind == classify.Hosting {
			if h, ok := extract.Hosting(pg.Lines); ok {
				doc.Fields["host"], doc.Fields["hosted"] = h.Host, h.Hosted
				host := claim(d.file, pg, h.Host, []string{h.Host}, h.HostLine)
				hosted := claim(d.file, pg, h.Hosted, []string{h.Hosted}, h.HostedLine)
				host.Role, hosted.Role = checks.RoleHost, checks.RoleHosted
				cdoc.Claims = append(cdoc.Claims, host, hosted)
			}
		}
		if _, ok := doc.Fields["addressee"]; !ok && (c.Kind == classify.ProofOfAddress || c.Kind == classify.TaxNotice) {
			if r, ok := extract.FindRecipient(pg.Lines); ok {
				doc.Fields["addressee"] = r.Name
				// The confidence is the name's own; the evidence quotes
				// its label and address block too.
				ac := claim(d.file, pg, r.Name, []string{r.Name}, r.Line)
				ac.Evidence = claim(d.file, pg, r.Name, []string{r.Name}, r.Lines...).Evidence
				cdoc.Claims = append(cdoc.Claims, ac)
			}
		}
	}
	if v := d.fields["candidat_rrn"]; v != "" {
		if _, _, ok := extract.ValidNRN(v); ok && !slices.Contains(nrns, v) {
			nrns = append(nrns, v)
		}
	}
	if len(nrns) > 0 {
		doc.Fields["national_numbers"] = nrns
	}
	for _, fn := range formNames {
		v := strings.TrimSpace(d.fields[fn[0]] + " " + d.fields[fn[1]])
		if strings.TrimSpace(d.fields[fn[0]]) == "" {
			continue
		}
		doc.Fields["candidate_name"] = v
		cdoc.Claims = append(cdoc.Claims, checks.Claim{Name: v, Confidence: 100,
			Evidence: report.Evidence{File: d.file, Page: 1, Text: "form field " + strings.Trim(fn[0]+", "+fn[1], ", ") + ": " + v}})
		break
	}
	// The report lists each label's dates (the checks decide which counts).
	byLabel := map[string][]string{}
	for _, x := range cdoc.Dates {
		if x.Label == "" {
			continue
		}
		s := dates.Format(x.Date)
		if !slices.Contains(byLabel[x.Label], s) {
			byLabel[x.Label] = append(byLabel[x.Label], s)
		}
	}
	for l, ds := range byLabel {
		doc.Fields[l+"_dates"] = ds
	}
	if len(d.turned) > 0 {
		doc.Fields["pages_turned_180"] = d.turned // bounding boxes refer to the turned page
	}
	if len(d.quarter) > 0 {
		doc.Fields["pages_turned_90"] = d.quarter // bounding boxes refer to the turned page
	}
	if d.info != nil {
		doc.Fields["pdf"] = map[string]any{"producer": d.info.Producer, "creator": d.info.Creator,
			"incremental_updates": d.info.Increments, "encrypted": d.info.Encrypted, "xfa": d.info.XFA, "form": d.info.Form}
	}
	var conf float64
	n := 0
	for _, pg := range d.pages {
		if pg.WordCount() > 0 {
			conf += pg.MeanConfidence
			n++
		}
	}
	if n > 0 {
		doc.Fields["ocr_mean_confidence"] = float64(int(conf/float64(n)*10)) / 10
	}
	return doc, cdoc
}

// claim quotes the lines a name was read from. Its confidence is the
// lowest of the name's own words (parts), not of the whole line: a
// civility or a label misread around a cleanly read name does not make the
// name doubtful.
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

// mrzNameDoubt is the confidence of an MRZ name and a printed name of the
// same card that disagree (between checks' review and fail thresholds).
const mrzNameDoubt = 75

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
