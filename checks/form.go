package checks

import (
	"fmt"
	"slices"
	"strings"

	"dossiercheck/dates"
	"dossiercheck/doctext"
	"dossiercheck/extract"
	"dossiercheck/report"
)

// Checks on the form's fields (docs/api.md lists them), typed in a
// fillable PDF or read on a scan (package forms). A value read on a scan
// that could not be trusted is in Doc.FormDoubt: a rule that needs it goes
// to review, while a failure read clearly on another field still fails.
// A document with no field read at all (Form nil) sends every rule to
// review.

// guideSlots are the two guide blocks of the F02.
var guideSlots = []string{"guide1_", "guide2_"}

// formOf is the rule's form, or the finding that it has none readable, or
// that one of the fields the rule reads (r.Fields) is doubtful.
func formOf(r Rule, in Input) (Doc, *report.Finding, bool) {
	d, f, ok := formDoc(r, in)
	if !ok {
		return d, f, false
	}
	if f := formDoubt(r, d, r.Fields...); f != nil {
		return d, f, false
	}
	return d, nil, true
}

// formDoc is the rule's form without looking at doubts: the rules that
// weigh each field's doubt themselves start here.
func formDoc(r Rule, in Input) (Doc, *report.Finding, bool) {
	docs := docsOf(in, r.Kinds)
	if len(docs) == 0 {
		return Doc{}, nil, false // the piece rule reports the absence
	}
	if docs[0].Form == nil {
		return Doc{}, finding(report.NeedsLook, fmt.Sprintf("%s: %s has no readable form fields; a clerk must check it", r.What, docs[0].File),
			report.Evidence{File: docs[0].File, Page: 1, Text: "no form field read"}), false
	}
	return docs[0], nil, true
}

// formDoubt is the review finding of a rule whose fields (names) include
// doubtful ones, nil when none is.
func formDoubt(r Rule, d Doc, names ...string) *report.Finding {
	var which, why []string
	var ev []report.Evidence
	for _, n := range names {
		if w, ok := d.FormDoubt[n]; ok && !slices.Contains(which, n) {
			which, why = append(which, n), append(why, w)
			ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("form field %s not read with confidence: %s", n, w)})
		}
	}
	if len(which) == 0 {
		return nil
	}
	return finding(report.NeedsLook, fmt.Sprintf("%s: %s could not be read with confidence on %s; a clerk must check it (%s)",
		r.What, strings.Join(which, ", "), d.File, strings.Join(why, "; ")), ev...)
}

func fieldEv(d Doc, name string) report.Evidence {
	return report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("form field %s: %s", name, d.Form[name])}
}

func filled(d Doc, name string) bool { return strings.TrimSpace(d.Form[name]) != "" }

// ticked reads a checkbox value; pdfcpu exports "true", other producers
// "Yes" or "On".
func ticked(d Doc, name string) bool {
	switch strings.ToLower(strings.TrimSpace(d.Form[name])) {
	case "true", "yes", "on", "1", "x":
		return true
	}
	return false
}

// guidesOf lists the guide blocks that carry a name.
func guidesOf(d Doc) []string {
	var out []string
	for _, g := range guideSlots {
		if filled(d, g+"nom_prenom") {
			out = append(out, g)
		}
	}
	return out
}

// checkGuides: the number of guides named on the form is within [Min, Max]
// (M36-2, M12-2: 1 or 2; M18-7: guide boxes left empty).
func checkGuides(r Rule, in Input) *report.Finding {
	d, f, ok := formOf(r, in)
	if !ok {
		return f
	}
	if f := formDoubt(r, d, "guide1_nom_prenom", "guide2_nom_prenom"); f != nil {
		return f
	}
	gs := guidesOf(d)
	var ev []report.Evidence
	for _, g := range gs {
		ev = append(ev, fieldEv(d, g+"nom_prenom"))
	}
	if len(gs) < r.Min || len(gs) > r.Max {
		if r.Max == 0 {
			return finding(report.Fail, fmt.Sprintf("%s: the guide boxes must be left empty, %d guide(s) named", r.What, len(gs)), ev...)
		}
		return finding(report.Fail, fmt.Sprintf("%s: %d guide(s) named, %d to %d required", r.What, len(gs), r.Min, r.Max), ev...)
	}
	if len(ev) == 0 {
		ev = []report.Evidence{{File: d.File, Page: 1, Text: "guide boxes empty"}}
	}
	return finding(report.Pass, fmt.Sprintf("%s: %d guide(s) named", r.What, len(gs)), ev...)
}

// checkGuideLicence: every guide has held category B for at least Years
// years on the request date (GD-2). The text does not say whether the
// request or the issue date counts; we take the request date (the form's
// "Fait à … le", else the submission date), the only one a dossier carries.
func checkGuideLicence(r Rule, in Input) *report.Finding {
	d, f, ok := formOf(r, in)
	if !ok {
		return f
	}
	// A request date that was printed but not read must not fall back to
	// the (later) submission date: that would favour the guide.
	if f := formDoubt(r, d, "guide1_nom_prenom", "guide2_nom_prenom", "demande_date"); f != nil {
		return f
	}
	req, reqEv := requestDate(d, in)
	gs := guidesOf(d)
	if len(gs) == 0 {
		return nil // M36-2 reports the missing guide
	}
	var ev []report.Evidence
	for _, g := range gs {
		name := g + "cat_b_date"
		if f := formDoubt(r, d, name); f != nil {
			return f
		}
		refs := extract.Dates(doctext.PlainLines(d.Form[name]))
		if len(refs) != 1 {
			return finding(report.NeedsLook, fmt.Sprintf("%s: the date category B was obtained is missing or unreadable", r.What), fieldEv(d, name))
		}
		ev = append(ev, fieldEv(d, name))
		since := refs[0].Date
		if !dates.AgeAtLeast(since, req, r.Years) {
			return finding(report.Fail, fmt.Sprintf("%s: category B obtained %s, less than %d years before the request on %s (needed since %s)",
				r.What, dates.Format(since), r.Years, dates.Format(req), dates.Format(dates.AddYearsClamp(req, -r.Years))),
				append([]report.Evidence{fieldEv(d, name)}, reqEv...)...)
		}
	}
	return finding(report.Pass, fmt.Sprintf("%s: every guide has held category B for %d years or more on %s", r.What, r.Years, dates.Format(req)),
		append(ev, reqEv...)...)
}

// checkFormFilled: the listed fields are filled, the model box of the
// procedure is ticked and no other, and each named guide signed (BE-G10).
func checkFormFilled(r Rule, in Input) *report.Finding {
	d, f, ok := formDoc(r, in)
	if !ok {
		return f
	}
	// Each field is filled, empty (read so) or doubtful; a field read
	// empty fails the rule whatever the doubts on others.
	var missing, unsure []string
	look := func(name string) {
		switch {
		case d.FormDoubt[name] != "":
			unsure = append(unsure, name)
		case !filled(d, name):
			missing = append(missing, name)
		}
	}
	if r.Model != "" { // the F02: named guides must sign
		for _, g := range guideSlots {
			if d.FormDoubt[g+"nom_prenom"] != "" {
				unsure = append(unsure, g+"nom_prenom")
			}
		}
	}
	for _, name := range r.Fields {
		look(name)
	}
	for _, g := range guidesOf(d) {
		if d.FormDoubt[g+"nom_prenom"] != "" && !filled(d, g+"signature") {
			// The name read unsurely may be a blank part's leader read
			// as letters: no guide, no signature wanted. Unsure.
			unsure = append(unsure, g+"signature")
			continue
		}
		look(g + "signature")
	}
	var models, unsureModels []string
	for _, m := range []string{"m18", "m36", "m12"} {
		switch {
		case d.FormDoubt["modele_"+m] != "":
			unsureModels = append(unsureModels, m)
		case ticked(d, "modele_"+m):
			models = append(models, m)
		}
	}
	ev := report.Evidence{File: d.File, Page: 1, Text: "model ticked: " + strings.Join(models, ", ")}
	if r.Model == "" {
		ev.Text = "form fields " + strings.Join(r.Fields, ", ")
	}
	wrongModel := r.Model != "" && (len(models) > 1 || (len(models) == 1 && models[0] != r.Model) || (len(models) == 0 && len(unsureModels) == 0))
	switch {
	case wrongModel:
		return finding(report.Fail, fmt.Sprintf("%s: the model ticked is %q, the request is for %s", r.What, strings.Join(models, ", "), strings.ToUpper(r.Model)), ev)
	case len(missing) > 0:
		return finding(report.Fail, fmt.Sprintf("%s: not filled in: %s", r.What, strings.Join(missing, ", ")), ev)
	case r.Model != "":
		for _, m := range unsureModels {
			unsure = append(unsure, "modele_"+m)
		}
	}
	if len(unsure) > 0 {
		return formDoubt(r, d, unsure...)
	}
	if r.Model == "" {
		return finding(report.Pass, fmt.Sprintf("%s: %s filled in", r.What, strings.Join(r.Fields, ", ")), report.Evidence{File: d.File, Page: 1, Text: "form fields " + strings.Join(r.Fields, ", ")})
	}
	return finding(report.Pass, fmt.Sprintf("%s: identity, model, theory, dates and signatures filled in", r.What), ev)
}

// checkFormTicked: the listed checkboxes are ticked; a field name starting
// with "guide*_" applies to every named guide (BE-G11 reading test, BE-G5
// and GD-4 declarations of no disqualification).
func checkFormTicked(r Rule, in Input) *report.Finding {
	d, f, ok := formDoc(r, in)
	if !ok {
		return f
	}
	if f := formDoubt(r, d, "guide1_nom_prenom", "guide2_nom_prenom"); f != nil && slices.ContainsFunc(r.Fields, func(n string) bool { return strings.HasPrefix(n, "guide*_") }) {
		return f
	}
	var names []string
	for _, n := range r.Fields {
		if rest, ok := strings.CutPrefix(n, "guide*_"); ok {
			for _, g := range guidesOf(d) {
				names = append(names, g+rest)
			}
			continue
		}
		names = append(names, n)
	}
	var ev []report.Evidence
	var unsure []string
	for _, n := range names {
		ev = append(ev, fieldEv(d, n))
		if d.FormDoubt[n] != "" {
			unsure = append(unsure, n)
			continue
		}
		if !ticked(d, n) {
			if kind, phrase, ok := strings.Cut(r.OrDoc, ":"); ok {
				if alt, ok := mentioning(in, kind, phrase); ok {
					return finding(report.Pass, fmt.Sprintf("%s: box %s not ticked, replaced by %s", r.What, n, alt.File),
						fieldEv(d, n), report.Evidence{File: alt.File, Page: 1, Text: "mentions " + phrase})
				}
			}
			if r.Missing == report.NeedsLook {
				return finding(report.NeedsLook, fmt.Sprintf("%s: box %s not ticked; another proof may replace it, a clerk must check", r.What, n), fieldEv(d, n))
			}
			return finding(report.Fail, fmt.Sprintf("%s: box %s not ticked", r.What, n), fieldEv(d, n))
		}
	}
	if len(unsure) > 0 {
		// An ophthalmologist's attestation replaces a box not read too.
		if kind, phrase, ok := strings.Cut(r.OrDoc, ":"); ok {
			if alt, ok := mentioning(in, kind, phrase); ok {
				return finding(report.Pass, fmt.Sprintf("%s: box %s not read, replaced by %s", r.What, strings.Join(unsure, ", "), alt.File),
					report.Evidence{File: alt.File, Page: 1, Text: "mentions " + phrase})
			}
		}
		return formDoubt(r, d, unsure...)
	}
	if len(names) == 0 {
		return nil // no guide to declare anything
	}
	return finding(report.Pass, fmt.Sprintf("%s: ticked", r.What), ev...)
}
