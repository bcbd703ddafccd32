package checks

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dossiercheck/classify"
	"dossiercheck/dates"
	"dossiercheck/dossier"
	"dossiercheck/report"
)

// Urbanism authorisations (fr-urbanisme): which authorisation a project
// needs, whether the form filed is that one, the architect, the filing
// lead time and the instruction period (RULES.md §1.6, S002 L9–54, L314).
//
// The seed's inequalities are reversed or overlap (RULES.md §1.6 "seed
// defects"): L19 reads "5m² > PROJET > 40 m²" beside L20 "PROJET > 20 m² =
// Permis de construire", and L33 "10m² > Bassin > 100 m²". We read the
// evident intent, each boundary belonging to the lower tier, as the
// strict "> N" of the next line says: under 5 m² nothing; 5 to 20 m²
// (40 m² for an extension in a U zone) a déclaration préalable, above a
// permis de construire; a pool of up to 10 m² nothing, over 10 and up to
// 100 m² a DP, over 100 m² a PC; a pool cover over 1.80 m a PC whatever
// the area, one of exactly 1.80 m is not "supérieure". docs/rules.md
// records the choice; TestURB1Thresholds holds each boundary.
const (
	noFormalityBelow = 5.0   // m² SP or ES: "PROJET < 5m² … Pas de formalité" (L18)
	dpUpTo           = 20.0  // "PROJET > 20 m² … Permis de construire" (L20)
	dpUpToUExtension = 40.0  // extensions in U zones (L24–27)
	poolFormalityAbv = 10.0  // "10m² > Bassin > 100 m²", read 10 < area ≤ 100 (L33)
	poolDPUpTo       = 100.0 // "Bassin > 100 m² = Permis de construire" (L34)
	poolCoverPC      = 1.80  // "couverture … supérieure à 1.80 m" (L36–38)
	// monumentExtraMonths: "comptez un mois de délai supplémentaire pour
	// l'instruction" in a monument-historique perimeter (L11).
	monumentExtraMonths = 1
	// Instruction periods: "2 mois pour les travaux portant sur une
	// maison individuelle et ses annexes et de 3 mois pour les autres
	// demandes" (L314).
	singleHouseMonths = 2
	otherMonths       = 3
)

// uZones are the urbanised zones of the extension exception (L24).
var uZones = []string{"UC", "UX", "UR", "UZ", "US"}

// authName names each authorisation form kind ("" is none).
var authName = map[string]string{
	"":               "no authorisation",
	classify.CerfaDP: "a déclaration préalable",
	classify.CerfaPC: "a permis de construire",
	classify.CerfaPD: "a permis de démolir",
}

// authRank orders the construction authorisations: a form of a lower
// rank than required does not cover the project.
var authRank = map[string]int{"": 0, classify.CerfaDP: 1, classify.CerfaPC: 2}

// inUZone: a PLU zone code of the U list, or a sub-sector of one written
// with lower-case letters or digits after it ("UCa", "UX1"). "U" alone or
// another code ("UA", "AU", "N") is not one of them.
func inUZone(zone string) bool {
	z := strings.TrimSpace(zone)
	if len(z) < 2 || !slices.Contains(uZones, strings.ToUpper(z[:2])) {
		return false
	}
	return strings.Trim(z[2:], "abcdefghijklmnopqrstuvwxyz0123456789") == ""
}

func m2(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + " m²" }

// requiredAuthorisation is the form kind the declared project needs ("" for
// none), why, and the declared keys it could not do without.
func requiredAuthorisation(d dossier.Declared) (kind, why string, missing []string) {
	switch k := d.Choice("project_kind"); k {
	case "":
		return "", "", []string{"project_kind"}
	case "demolition":
		return classify.CerfaPD, "demolition (S002 L22)", nil
	case "facade", "joinery", "roof", "fence":
		return classify.CerfaDP, k + " works (S002 L22)", nil
	case "pool":
		if d.PoolArea == nil {
			missing = append(missing, "pool_area")
		}
		if d.PoolCoverHeight == nil {
			missing = append(missing, "pool_cover_height")
		}
		if len(missing) > 0 {
			return "", "", missing
		}
		area, cover := *d.PoolArea, *d.PoolCoverHeight
		switch {
		case cover > poolCoverPC:
			return classify.CerfaPC, fmt.Sprintf("pool cover %v m high, over %v m (S002 L36–38)", cover, poolCoverPC), nil
		case area > poolDPUpTo:
			return classify.CerfaPC, fmt.Sprintf("pool of %s, over %s (S002 L34)", m2(area), m2(poolDPUpTo)), nil
		case area > poolFormalityAbv:
			return classify.CerfaDP, fmt.Sprintf("pool of %s, over %s and up to %s (S002 L33)", m2(area), m2(poolFormalityAbv), m2(poolDPUpTo)), nil
		}
		return "", fmt.Sprintf("pool of %s, %s or less (S002 L33)", m2(area), m2(poolFormalityAbv)), nil
	default: // new_building, extension
		if d.FloorAreaCreated == nil {
			missing = append(missing, "floor_area_created")
		}
		if d.FootprintCreated == nil {
			missing = append(missing, "footprint_created")
		}
		limit, where := dpUpTo, "S002 L19–20"
		if k == "extension" {
			if d.Zone == nil {
				missing = append(missing, "zone")
			} else if inUZone(*d.Zone) {
				limit, where = dpUpToUExtension, "extension in U zone "+strings.ToUpper(*d.Zone)+", S002 L24–27"
			}
		}
		if len(missing) > 0 {
			return "", "", missing
		}
		// "SP ou ES": the larger of the two decides.
		area := max(*d.FloorAreaCreated, *d.FootprintCreated)
		switch {
		case area < noFormalityBelow:
			return "", fmt.Sprintf("%s created, under %s (S002 L18)", m2(area), m2(noFormalityBelow)), nil
		case area > limit:
			return classify.CerfaPC, fmt.Sprintf("%s created, over %s (%s)", m2(area), m2(limit), where), nil
		}
		return classify.CerfaDP, fmt.Sprintf("%s created, from %s up to %s (%s)", m2(area), m2(noFormalityBelow), m2(limit), where), nil
	}
}

// declaredEv is the evidence of declared values.
func declaredEv(text string) report.Evidence {
	return report.Evidence{File: "declared data", Text: text}
}

// notDeclared is the review finding of a rule that needs declared data the
// portal did not send.
func notDeclared(what string, keys []string) *report.Finding {
	return finding(report.NeedsLook, fmt.Sprintf("%s: could not be checked, not declared: %s", what, strings.Join(keys, ", ")),
		declaredEv("missing: "+strings.Join(keys, ", ")))
}

// confidentKind is the classification confidence a form's kind needs for a
// reject on it: a form filed under the wrong title is refused only when
// its title was clearly read.
const confidentKind = 0.5

// checkAuthorisation (URB-1): the project needs the authorisation its
// declared data give, and the dossier holds that form, recognised by its
// printed Cerfa title. A form of a lower authorisation (a DP where a PC is
// needed) or of another one (a permis de démolir for a building) fails; a
// higher one (a PC where a DP suffices) goes to a clerk.
func checkAuthorisation(r Rule, in Input) *report.Finding {
	need, why, missing := requiredAuthorisation(in.Declared)
	if len(missing) > 0 {
		return notDeclared(r.What, missing)
	}
	forms := docsOf(in, r.Kinds)
	var ev []report.Evidence
	for _, d := range forms {
		ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("classified as %s (confidence %.2f)", d.Kind, d.Confidence)})
	}
	ev = append(ev, declaredEv(why))
	if need == "" {
		return finding(report.Pass, fmt.Sprintf("%s: none needed, %s", r.What, why), ev...)
	}
	for _, d := range forms {
		if d.Kind == need {
			return finding(report.Pass, fmt.Sprintf("%s: %s needed (%s); %s is one", r.What, authName[need], why, d.File), ev...)
		}
	}
	if dbt := doubtful(in); len(dbt) > 0 {
		return finding(report.NeedsLook, fmt.Sprintf("%s: %s needed (%s), not found among the documents read; some could not be read or recognised", r.What, authName[need], why), append(ev, dbt...)...)
	}
	if len(forms) == 0 {
		return finding(report.Fail, fmt.Sprintf("%s: %s needed (%s); no authorisation form in the dossier", r.What, authName[need], why), append(ev, holding(in)...)...)
	}
	d := forms[0]
	filedRank, filedRanked := authRank[d.Kind]
	needRank, needRanked := authRank[need]
	switch {
	case filedRanked && needRanked && filedRank > needRank:
		return finding(report.NeedsLook, fmt.Sprintf("%s: %s is %s where %s suffices (%s); a clerk decides", r.What, d.File, authName[d.Kind], authName[need], why), ev...)
	case d.Confidence < confidentKind:
		return finding(report.NeedsLook, fmt.Sprintf("%s: %s needed (%s); %s looks like %s, read with low confidence (%.2f)", r.What, authName[need], why, d.File, authName[d.Kind], d.Confidence), ev...)
	}
	return finding(report.Fail, fmt.Sprintf("%s: %s needed (%s); %s is %s", r.What, authName[need], why, d.File, authName[d.Kind]), ev...)
}

// holding is the evidence of what the dossier holds instead of a piece.
func holding(in Input) []report.Evidence {
	var ev []report.Evidence
	for _, d := range in.Docs {
		ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("classified as %s (confidence %.2f)", d.Kind, d.Confidence)})
	}
	if len(ev) == 0 {
		ev = append(ev, report.Evidence{File: "dossier", Text: "no document in the dossier"})
	}
	return ev
}

// checkArchitect (URB-2): a permis de construire filed by a legal person,
// or for a floor area over Max m² (the new building's, or the existing
// one's with what the works add), names an architect who signs: the form
// fields r.Fields are filled. The architect concerns the permis de
// construire only (S002 L50–54, L444). The agricultural exception of L51
// is not declared and not applied. On a scanned form the architect's
// block is printed on blank forms too, so a phrase on the page proves
// nothing: review.
func checkArchitect(r Rule, in Input) *report.Finding {
	need, why, missing := requiredAuthorisation(in.Declared)
	if len(missing) > 0 {
		return notDeclared(r.What, missing)
	}
	if need != classify.CerfaPC {
		return finding(report.Pass, fmt.Sprintf("%s: not required, the project needs %s (%s), not a permis de construire", r.What, authName[need], why), declaredEv(why))
	}
	d := in.Declared
	if d.LegalPerson == nil {
		missing = append(missing, "legal_person")
	}
	area, areaText := 0.0, ""
	switch d.Choice("project_kind") {
	case "extension":
		if d.ExistingFloorArea == nil {
			missing = append(missing, "existing_floor_area")
		} else {
			area = *d.ExistingFloorArea + *d.FloorAreaCreated
			areaText = fmt.Sprintf("floor area after works %s (existing %s + created %s)", m2(area), m2(*d.ExistingFloorArea), m2(*d.FloorAreaCreated))
		}
	default: // new_building, pool
		if d.FloorAreaCreated != nil {
			area = *d.FloorAreaCreated
		}
		areaText = "floor area created " + m2(area)
	}
	if len(missing) > 0 {
		return notDeclared(r.What, missing)
	}
	limit := float64(r.Max)
	var reasons []string
	if *d.LegalPerson {
		reasons = append(reasons, "the applicant is a legal person")
	}
	if area > limit {
		reasons = append(reasons, fmt.Sprintf("%s, over %s", areaText, m2(limit)))
	}
	if len(reasons) == 0 {
		return finding(report.Pass, fmt.Sprintf("%s: not required, natural person and %s, %s or less", r.What, areaText, m2(limit)), declaredEv(areaText+"; legal_person: false"))
	}
	why = strings.Join(reasons, "; ")
	forms := docsOf(in, []string{classify.CerfaPC})
	if len(forms) == 0 {
		return nil // URB-1 reports the missing permis
	}
	f := forms[0]
	if f.Form == nil {
		return finding(report.NeedsLook, fmt.Sprintf("%s required (%s): %s is a scan, the architect's name, registration and signature are not read from it; a clerk must check", r.What, why, f.File),
			report.Evidence{File: f.File, Page: 1, Text: "no AcroForm fields"}, declaredEv(why))
	}
	var empty []string
	var ev []report.Evidence
	for _, name := range r.Fields {
		ev = append(ev, fieldEv(f, name))
		if !filled(f, name) {
			empty = append(empty, name)
		}
	}
	if len(empty) > 0 {
		return finding(report.Fail, fmt.Sprintf("%s required (%s): not filled in on %s: %s", r.What, why, f.File, strings.Join(empty, ", ")), append(ev, declaredEv(why))...)
	}
	return finding(report.Pass, fmt.Sprintf("%s required (%s): named, registered and signed on %s", r.What, why, f.File), append(ev, declaredEv(why))...)
}

// checkFiledBefore (URB-3): the dossier is filed (submitted) at least
// Months months before the planned start of works, one month more in a
// monument-historique perimeter (S002 L9–11). The seed says "prévoyez":
// we hold it as a condition, since works may not start before the
// authorisation and its instruction takes at least that long (URB-4). The
// limit day passes, as for D1.
func checkFiledBefore(r Rule, in Input) *report.Finding {
	need, why, missing := requiredAuthorisation(in.Declared)
	if len(missing) == 0 && need == "" {
		return finding(report.Pass, fmt.Sprintf("%s: nothing to file, %s", r.What, why), declaredEv(why))
	}
	d := in.Declared
	if d.WorksStart == nil {
		return notDeclared(r.What, []string{"works_start"})
	}
	start, _ := dates.Parse(*d.WorksStart)
	months, extra := r.Months, ""
	switch {
	case d.MonumentPerimeter != nil && *d.MonumentPerimeter:
		months += monumentExtraMonths
		extra = fmt.Sprintf(" (%d + %d in a monument-historique perimeter)", r.Months, monumentExtraMonths)
	case d.MonumentPerimeter == nil && !start.Before(dates.AddMonthsClamp(in.Submitted, months+monumentExtraMonths)):
		// Early enough inside a perimeter or out of one.
	case d.MonumentPerimeter == nil:
		return notDeclared(r.What, []string{"monument_perimeter"})
	}
	ev := declaredEv(fmt.Sprintf("works_start: %s; filed %s", *d.WorksStart, dates.Format(in.Submitted)))
	earliest := dates.AddMonthsClamp(in.Submitted, months)
	if start.Before(earliest) {
		return finding(report.Fail, fmt.Sprintf("%s: filed %s, works planned on %s, less than %d months%s before (works could start on %s at the earliest)",
			r.What, dates.Format(in.Submitted), dates.Format(start), months, extra, dates.Format(earliest)), ev)
	}
	return finding(report.Pass, fmt.Sprintf("%s: filed %s, works planned on %s, at least %d months%s before",
		r.What, dates.Format(in.Submitted), dates.Format(start), months, extra), ev)
}

// checkInstructionDelay (URB-4): the report states the instruction period
// and the date the decision is due, counted from the filing (the
// submission): 2 months for a single house and its annexes, 3 otherwise
// (S002 L314; L446 and L578 give 3 and 2 months without their headings),
// one month more in a monument-historique perimeter (L11).
func checkInstructionDelay(r Rule, in Input) *report.Finding {
	need, why, missing := requiredAuthorisation(in.Declared)
	if len(missing) > 0 {
		return notDeclared(r.What, missing)
	}
	if need == "" {
		return finding(report.Pass, fmt.Sprintf("%s: none, no authorisation is needed (%s)", r.What, why), declaredEv(why))
	}
	d := in.Declared
	if d.SingleHouse == nil {
		missing = append(missing, "single_house")
	}
	if d.MonumentPerimeter == nil {
		missing = append(missing, "monument_perimeter")
	}
	if len(missing) > 0 {
		return notDeclared(r.What, missing)
	}
	months, basis := otherMonths, "works other than on a single house"
	if *d.SingleHouse {
		months, basis = singleHouseMonths, "a single house and its annexes"
	}
	if *d.MonumentPerimeter {
		months += monumentExtraMonths
		basis += ", one month more in a monument-historique perimeter"
	}
	due := dates.AddMonthsClamp(in.Submitted, months)
	msg := fmt.Sprintf("%s of %s: %d months (%s), decision due by %s for a filing on %s",
		r.What, strings.TrimPrefix(authName[need], "a "), months, basis, dates.Format(due), dates.Format(in.Submitted))
	if d.WorksStart != nil {
		if start, _ := dates.Parse(*d.WorksStart); start.Before(due) {
			msg += fmt.Sprintf("; the works planned on %s would start before it", dates.Format(start))
		}
	}
	return finding(report.Pass, msg, declaredEv(fmt.Sprintf("single_house: %t; monument_perimeter: %t", *d.SingleHouse, *d.MonumentPerimeter)))
}
