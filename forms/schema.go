// Package forms reads the paper and fillable forms of the procedures (the
// Belgian F02, Cerfa 14004 and 14880) into one set of canonical fields,
// whatever they came as: a fillable PDF whose field names are ours, one
// whose names are a portal's own (mapped by tooltip, printed label, name
// and value type), or a scan read from its OCR word boxes and page image
// (labels paired with values within their printed section, tick boxes and
// signatures by their ink). The schemas are data (schemas.json): each
// field's canonical key (the field names of docs/api.md), printed label
// variants, section, type and role.
package forms

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Type is what a field holds.
type Type string

const (
	Text      Type = "text"
	Date      Type = "date"
	Number    Type = "number"
	Checkbox  Type = "checkbox"
	Signature Type = "signature"
)

// Roles tell the pipeline what a field's value means for the checks.
// Only the holder's own fields carry one: a guide's birth date has none,
// so it can never be taken for the candidate's.
const (
	RoleName       = "name"        // last and first names in one field
	RoleLastName   = "last_name"   //
	RoleFirstNames = "first_names" //
	RoleBirth      = "birth"       // the holder's birth date (extract.LabelBirth)
	RoleExam       = "exam"        // theory exam passed (extract.LabelExam)
	RoleRequest    = "request"     // the request's date ("Fait le", "Le")
	RoleIssue      = "issue"       // the document's own date (extract.LabelIssue)
	RoleNRN        = "nrn"         // Belgian national number
)

// Field is one canonical field of a form.
type Field struct {
	Key     string   `json:"key"`
	Section string   `json:"section"`
	Type    Type     `json:"type"`
	Role    string   `json:"role,omitempty"`
	Labels  []string `json:"labels"`            // printed label variants, most specific first
	Aliases []string `json:"aliases,omitempty"` // other field names portals give it
}

// Section is a printed block of a form, found on a scan by its heading.
type Section struct {
	Name     string   `json:"name"`
	Headings []string `json:"headings"`
	// Default: the fields printed above the first heading found belong to
	// this section when its own heading is not printed (the form's top).
	Default bool `json:"default,omitempty"`
	// Hints are what a portal's field name or tooltip says of the
	// section ("guide1", "g2").
	Hints []string `json:"hints,omitempty"`
}

// Schema is one kind of form.
type Schema struct {
	Kind     string    `json:"kind"` // the classify kind
	Title    string    `json:"title"`
	Sections []Section `json:"sections"`
	Fields   []Field   `json:"fields"`
}

//go:embed schemas.json
var schemasJSON []byte

// schemas parses and checks the embedded schemas.
func schemas() ([]Schema, error) {
	var doc struct {
		Schemas []Schema `json:"schemas"`
	}
	if err := json.Unmarshal(schemasJSON, &doc); err != nil {
		return nil, fmt.Errorf("form schemas: %w", err)
	}
	for _, s := range doc.Schemas {
		if err := s.valid(); err != nil {
			return nil, err
		}
	}
	return doc.Schemas, nil
}

// parsed is the embedded schemas, parsed once: a rules-only re-check asks
// for a form's schema several times a dossier, and parsing it each time
// was a third of its cost. Nobody changes them: For hands out copies.
var parsed = sync.OnceValues(schemas)

// For returns the schema of a document kind (classify.F02Form,
// classify.Cerfa14004, classify.Cerfa14880): a copy of its own.
func For(kind string) (Schema, bool) {
	all, err := parsed()
	if err != nil {
		panic(err) // the embedded file is tested (TestSchemasValid)
	}
	for _, s := range all {
		if s.Kind == kind {
			return s.clone(), true
		}
	}
	return Schema{}, false
}

// clone copies s down to its label lists.
func (s Schema) clone() Schema {
	s.Sections = slices.Clone(s.Sections)
	for i, sec := range s.Sections {
		s.Sections[i].Headings, s.Sections[i].Hints = slices.Clone(sec.Headings), slices.Clone(sec.Hints)
	}
	s.Fields = slices.Clone(s.Fields)
	for i, f := range s.Fields {
		s.Fields[i].Labels, s.Fields[i].Aliases = slices.Clone(f.Labels), slices.Clone(f.Aliases)
	}
	return s
}

// Kinds lists the document kinds that have a schema.
func Kinds() []string {
	all, _ := parsed()
	var out []string
	for _, s := range all {
		out = append(out, s.Kind)
	}
	return out
}

func (s Schema) valid() error {
	// A label worded as a heading would hide the heading, and with it the
	// section ("Avis du médecin").
	headings := map[string]string{}
	for _, sec := range s.Sections {
		for _, h := range sec.Headings {
			headings[strings.Join(tokens(h), " ")] = sec.Name
		}
	}
	for _, f := range s.Fields {
		for _, l := range f.Labels {
			if sec, ok := headings[strings.Join(tokens(l), " ")]; ok {
				return fmt.Errorf("form schema %s: label %q of %s is a heading of section %s", s.Kind, l, f.Key, sec)
			}
		}
	}
	keys := map[string]bool{}
	for _, f := range s.Fields {
		if keys[f.Key] {
			return fmt.Errorf("form schema %s: field %s twice", s.Kind, f.Key)
		}
		keys[f.Key] = true
		if !slices.ContainsFunc(s.Sections, func(x Section) bool { return x.Name == f.Section }) {
			return fmt.Errorf("form schema %s: field %s in unknown section %q", s.Kind, f.Key, f.Section)
		}
		if !slices.Contains([]Type{Text, Date, Number, Checkbox, Signature}, f.Type) || len(f.Labels) == 0 {
			return fmt.Errorf("form schema %s: field %s: bad type %q or no label", s.Kind, f.Key, f.Type)
		}
	}
	return nil
}

// Field returns the field of a canonical key.
func (s Schema) Field(key string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Known reports whether name is a canonical field name or an alias of
// some schema's field.
func Known(name string) bool {
	all, _ := parsed()
	for _, s := range all {
		for _, f := range s.Fields {
			if f.Key == name || slices.Contains(f.Aliases, name) {
				return true
			}
		}
	}
	return false
}
