package pipeline

import (
	"slices"

	"dossiercheck/dates"
	"dossiercheck/report"
)

// describe is the report's account of one document: what was read (the
// reading) and what was made of it (the facts). It decides nothing.
func describe(r Reading, f Facts) report.Document {
	doc := report.Document{File: r.File, Kind: f.Doc.Kind, Confidence: f.Doc.Confidence, Pages: len(r.Pages), Fields: map[string]any{}}
	if r.Unread != "" {
		doc.Fields["error"] = r.Unread
		return doc
	}
	if r.Piece != nil {
		doc.Fields["pages_of_file"] = r.Piece // one of several pieces in the file
	}
	if c := r.Code; c != nil {
		doc.Fields["2ddoc"] = map[string]any{"type": c.Doc.Type, "ca": c.Doc.CA, "cert": c.Doc.CertID, "status": c.Result.Status, "message": c.Result.Message}
	}
	switch m := r.MRZ; {
	case m != nil && m.Zone.Valid && !m.Zone.BirthDate.IsZero():
		z := map[string]any{"format": m.Zone.Format, "valid": true}
		if len(m.Zone.Numbers) > 0 {
			z["number_candidates"] = m.Zone.Numbers
		} else {
			z["number"] = m.Zone.Number
		}
		if len(m.Zone.Repaired) > 0 {
			z["repaired"] = m.Zone.Repaired
		}
		doc.Fields["mrz"] = z
		if !m.Zone.Expiry.IsZero() {
			doc.Fields["expiry_date"] = dates.Format(m.Zone.Expiry)
		}
	case m != nil:
		doc.Fields["mrz"] = map[string]any{"format": m.Zone.Format, "valid": false, "errors": m.Zone.Errors}
	case r.MRZSeen != nil:
		doc.Fields["mrz"] = map[string]any{"valid": false, "errors": []string{"zone seen, not read"}}
	}
	if f.Names.Last != "" {
		doc.Fields["last_name"], doc.Fields["first_names"] = f.Names.Last, f.Names.First
	}
	if f.Host != nil {
		doc.Fields["host"], doc.Fields["hosted"] = f.Host.Host, f.Host.Hosted
	}
	if f.Addressee != "" {
		doc.Fields["addressee"] = f.Addressee
	}
	if len(f.NRNs) > 0 {
		doc.Fields["national_numbers"] = f.NRNs
	}
	if f.Candidate != "" {
		doc.Fields["candidate_name"] = f.Candidate
	}
	// Each label's dates (the checks decide which counts).
	byLabel := map[string][]string{}
	for _, x := range f.Doc.Dates {
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
	if len(r.Turned) > 0 {
		doc.Fields["pages_turned_180"] = r.Turned // bounding boxes refer to the turned page
	}
	if len(r.Straightened) > 0 {
		doc.Fields["pages_straightened"] = r.Straightened // photos: boxes refer to the straightened page
	}
	if len(r.Quarter) > 0 {
		doc.Fields["pages_turned_90"] = r.Quarter // bounding boxes refer to the turned page
	}
	if r.PDF != nil {
		doc.Fields["pdf"] = map[string]any{"producer": r.PDF.Producer, "creator": r.PDF.Creator,
			"incremental_updates": r.PDF.Increments, "encrypted": r.PDF.Encrypted, "xfa": r.PDF.XFA, "form": r.PDF.Form}
	}
	var conf float64
	n := 0
	for _, pg := range r.Pages {
		if pg.WordCount() > 0 {
			conf += pg.MeanConfidence
			n++
		}
	}
	if n > 0 {
		doc.Fields["ocr_mean_confidence"] = float64(int(conf/float64(n)*10)) / 10
	}
	return doc
}
