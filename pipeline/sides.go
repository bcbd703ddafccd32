package pipeline

import (
	"slices"
	"strconv"
	"time"

	"dossiercheck/checks"
	"dossiercheck/classify"
	"dossiercheck/extract"
	"dossiercheck/mrz"
)

// joinSides joins the verso of a 1995-format French identity card, read
// in a file of its own, to its recto: the verso names nobody and carries
// the issue and expiry dates, the recto the holder, the birth date and the
// zone. Read apart, the validity rule (which needs the issue and birth
// dates of one card) and the identity rules (a card naming nobody) could
// not be decided. They are joined only when they are provably one card:
// the recto's zone holds (RULES.md §2.2), its card number begins with the
// card's issue year and month, and the verso's issue date, read
// confidently, falls in that month; the one verso of that month is then
// the recto's. zones[i] is docs[i]'s zone, nil when none was read.
func joinSides(docs []checks.Doc, zones []*mrz.MRZ) []checks.Doc {
	out := slices.Clone(docs)
	joined := map[int]bool{}
	for i, z := range zones {
		month, ok := issueMonth(z)
		if !ok || docs[i].Kind != classify.IdentityCard {
			continue
		}
		verso := -1
		for j, d := range docs {
			if j == i || zones[j] != nil || d.Kind != classify.IdentityCard || len(d.Claims) > 0 || !issuedIn(d, month) {
				continue
			}
			if verso >= 0 {
				verso = -2 // two versos of the month: which is this card's is a guess
				break
			}
			verso = j
		}
		if verso < 0 {
			continue
		}
		out[i].Dates = append(slices.Clone(out[i].Dates), docs[verso].Dates...)
		out[i].Text += "\n" + docs[verso].Text
		joined[verso] = true
	}
	var kept []checks.Doc
	for i, d := range out {
		if !joined[i] {
			kept = append(kept, d)
		}
	}
	return kept
}

// issueMonth is the issue year and month a valid 1995-format card's
// number begins with (YYMM, RULES.md §2.2).
func issueMonth(z *mrz.MRZ) (time.Time, bool) {
	if z == nil || !z.Valid || z.Format != mrz.FRCNI || len(z.Number) < 4 {
		return time.Time{}, false
	}
	yy, err1 := strconv.Atoi(z.Number[:2])
	mm, err2 := strconv.Atoi(z.Number[2:4])
	if err1 != nil || err2 != nil || mm < 1 || mm > 12 {
		return time.Time{}, false
	}
	year := 2000 + yy
	if yy >= 95 {
		year = 1900 + yy // the format began in 1995
	}
	return time.Date(year, time.Month(mm), 1, 0, 0, 0, 0, time.UTC), true
}

// issuedIn: the document carries an issue date read confidently in month.
func issuedIn(d checks.Doc, month time.Time) bool {
	for _, x := range d.Dates {
		if x.Label == string(extract.LabelIssue) && x.Confidence >= sure && x.Date.Year() == month.Year() && x.Date.Month() == month.Month() {
			return true
		}
	}
	return false
}
