package forms

import (
	"strings"
	"unicode"

	"dossiercheck/edit"
	"dossiercheck/extract"
)

// tokens folds s (case, accents) and splits it into runs of letters and
// digits: "N° de registre" → n, de, registre; "Prénom(s) :" → prenom, s.
func tokens(s string) []string {
	return strings.FieldsFunc(extract.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// sameToken compares a printed token with a label's, allowing one OCR
// error in a word of 4 letters or more and two from 8 (« naissanoe »).
func sameToken(read, want string) bool {
	if read == want {
		return true
	}
	n := len(want)
	switch {
	case n >= 8:
		return edit.Distance(read, want) <= 2
	case n >= 4:
		return edit.Distance(read, want) <= 1
	}
	return false
}

// numbering reports tokens that number a label or heading rather than
// name it: "1", "II", "a" in "1. Nom", "II. Guide", "a) Adresse", "G1"
// in "G1 Guide 1".
func numbering(t string) bool {
	if len(t) == 1 {
		return true
	}
	if len(t) <= 3 && unicode.IsLetter(rune(t[0])) && strings.Trim(t[1:], "0123456789") == "" {
		return true // a part's mark: "G1", "A2"
	}
	switch t {
	case "ii", "iii", "iv", "vi", "vii":
		return true
	}
	for _, r := range t {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return len(t) <= 2
}

// prefixMatch reports how many of read's tokens a label's tokens cover
// when they start read, after at most two numbering tokens; 0 when they
// do not.
func prefixMatch(read, label []string) int {
	for skip := 0; skip <= 2 && skip < len(read); skip++ {
		if skip > 0 && !numbering(read[skip-1]) {
			break
		}
		if len(read)-skip < len(label) {
			break
		}
		ok := true
		for i, t := range label {
			if !sameToken(read[skip+i], t) {
				ok = false
				break
			}
		}
		if ok {
			return skip + len(label)
		}
	}
	return 0
}
