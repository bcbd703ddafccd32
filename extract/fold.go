// Package extract finds dated, labelled fields, names and identifiers in
// page text. It never guesses: a date whose label is unknown is reported as
// such, and the caller decides what an unlabelled date is worth.
package extract

import (
	"slices"
	"strings"
	"unicode"
)

// folded is a lower-cased, accent-free copy of a string with a map back to
// the original's byte offsets, so matches found on the folded text can be
// quoted from the original.
type folded struct {
	s    string
	orig []int // orig[i] = byte offset in the original of folded byte i; len(s)+1 entries
}

var accents = map[rune]rune{
	'à': 'a', 'â': 'a', 'ä': 'a', 'á': 'a', 'ç': 'c', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'î': 'i', 'ï': 'i', 'í': 'i', 'ô': 'o', 'ö': 'o', 'ó': 'o', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ú': 'u',
	'ÿ': 'y', 'ñ': 'n', 'œ': 'o', 'æ': 'a',
	'’': '\'', '‘': '\'', '`': '\'', '´': '\'', '«': '"', '»': '"', '\u00a0': ' ', '–': '-', '—': '-',
	// The other spaces and hyphens a text layer prints between a day and
	// its month ("12\u202foct. 2026"): narrow, thin and figure spaces, the
	// non-breaking hyphen.
	'\u202f': ' ', '\u2009': ' ', '\u2007': ' ', '\u2002': ' ', '\u2010': '-', '\u2011': '-',
}

func fold(s string) folded {
	var b strings.Builder
	f := folded{orig: make([]int, 0, len(s)+1)}
	for i, r := range s {
		r = unicode.ToLower(r)
		if m, ok := accents[r]; ok {
			r = m
		}
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			f.orig = append(f.orig, i)
		}
	}
	f.orig = append(f.orig, len(s))
	f.s = b.String()
	return f
}

// Fold lower-cases and strips accents, for comparisons.
func Fold(s string) string { return fold(s).s }

// at returns the folded offset of byte off of the original.
func (f folded) at(off int) int {
	i, _ := slices.BinarySearch(f.orig, off)
	return i
}
