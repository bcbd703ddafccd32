package forms

import (
	"fmt"
	"image"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"dossiercheck/doctext"
	"dossiercheck/extract"
)

// Value is one canonical field as read.
type Value struct {
	Key string
	// Text is the value: the text written or typed; "true" for a ticked
	// box, "" for an empty one; "signed" for a signature area with ink.
	Text string
	// Confidence (0–100): the lowest OCR confidence of the value's words;
	// 100 for a typed field or a box whose ink is clear.
	Confidence float64
	Page       int             // 1-based; 0 when not found
	BBox       image.Rectangle // the value's box (the label's when empty) in page pixels; empty for a typed field
	Label      string          // the printed label as read, or the fillable field's name
	// Doubt says why the value cannot be trusted ("" when it can): its
	// label was not found in its section, a tick box's ink is neither
	// clear nor absent, the date does not read, the OCR is unsure. A
	// doubtful field is never replaced by another section's.
	Doubt string
	// Typed marks a value from a fillable form's field.
	Typed bool
}

// Values are a form's fields by canonical key.
type Values map[string]Value

// Form is the values by canonical key, as checks.Doc.Form holds them.
// Doubtful ones keep what was read (maybe ""): Doubts says which.
func (v Values) Form() map[string]string {
	out := map[string]string{}
	for k, x := range v {
		out[k] = x.Text
	}
	return out
}

// Doubts is why each doubtful field cannot be trusted, by key
// (checks.Doc.FormDoubt); nil when none is.
func (v Values) Doubts() map[string]string {
	var out map[string]string
	for _, k := range slices.Sorted(maps.Keys(v)) {
		if d := v[k].Doubt; d != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = d
		}
	}
	return out
}

// Evidence is how a report quotes the value: its label and text.
func (x Value) Evidence() string {
	if x.Typed {
		return fmt.Sprintf("form field %s: %s", x.Label, x.Text)
	}
	t := x.Text
	switch {
	case t == "" && x.Doubt == "":
		t = "(empty)"
	case t == "true":
		t = "[x]"
	}
	return strings.TrimSpace(x.Label + " " + t)
}

// DateRead is a dated field whose role the checks use.
type DateRead struct {
	Key   string
	Role  string // RoleBirth, RoleExam, RoleRequest, RoleIssue
	Date  time.Time
	Value Value
}

// Dates lists the values of the schema's dated fields that have a role
// and read as one date without doubt. Only the holder's birth date has
// RoleBirth: a guide's is never listed.
func (s Schema) Dates(v Values) []DateRead {
	var out []DateRead
	for _, f := range s.Fields {
		x, ok := v[f.Key]
		if f.Type != Date || f.Role == "" || !ok || x.Doubt != "" {
			continue
		}
		if d, ok := oneDate(x.Text); ok {
			out = append(out, DateRead{Key: f.Key, Role: f.Role, Date: d, Value: x})
		}
	}
	return out
}

// Name is the holder's name (last name first) and the values it was read
// from; ok is false when it is empty or doubtful.
func (s Schema) Name(v Values) (string, []Value, bool) {
	var parts []Value
	for _, role := range []string{RoleName, RoleLastName, RoleFirstNames} {
		for _, f := range s.Fields {
			if f.Role != role {
				continue
			}
			x := v[f.Key]
			if x.Doubt != "" {
				return "", nil, false
			}
			if strings.TrimSpace(x.Text) != "" {
				parts = append(parts, x)
			}
		}
	}
	if len(parts) == 0 || (parts[0].Key != keyWithRole(s, RoleName) && parts[0].Key != keyWithRole(s, RoleLastName)) {
		return "", nil, false
	}
	var names []string
	for _, p := range parts {
		names = append(names, strings.TrimSpace(p.Text))
	}
	return strings.Join(names, " "), parts, true
}

func keyWithRole(s Schema, role string) string {
	for _, f := range s.Fields {
		if f.Role == role {
			return f.Key
		}
	}
	return ""
}

// oneDate reads text as exactly one date; a date whose digits OCR split
// with a space (« 07/1 1/2026 », « 06/11/2 026 »: a monospace or
// handwritten 11 read as two words) is one when closing the gaps makes
// one.
func oneDate(text string) (time.Time, bool) {
	closed := digitRun.ReplaceAllStringFunc(text, func(run string) string {
		if c := strings.ReplaceAll(run, " ", ""); fullDate.MatchString(c) {
			return c
		}
		return run
	})
	slashed := slashAsOne[0].ReplaceAllString(closed, "$1/$2/$3")
	slashed = slashAsOne[1].ReplaceAllString(slashed, "$1/$2/$3")
	for _, t := range []string{text, closed, slashed} {
		if refs := extract.Dates(doctext.PlainLines(t)); len(refs) == 1 {
			return refs[0].Date, true
		}
	}
	return time.Time{}, false
}

// slashAsOne finds a numeric date one of whose slashes OCR read as a 1
// (« 27105/2025 » for 27/05/2025, « 27/0512025 »): ten characters, one
// slash where a date has it and a 1 where it has the other. Its digits
// are read as they are; only the separator is put back.
var slashAsOne = [2]*regexp.Regexp{
	regexp.MustCompile(`\b([0-9]{2})1([0-9]{2})/([0-9]{4})\b`),
	regexp.MustCompile(`\b([0-9]{2})/([0-9]{2})1([0-9]{4})\b`),
}

// digitRun is a run of digits, slashes and spaces between them; fullDate,
// such a run read as a whole numeric date once its spaces are closed.
var (
	digitRun = regexp.MustCompile(`[0-9/][0-9/ ]*[0-9]`)
	fullDate = regexp.MustCompile(`^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$`)
)
