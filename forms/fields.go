package forms

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"dossiercheck/pdfread"
)

// MapFields maps a fillable form's fields to the schema's canonical keys:
// a field named as a key is that key; others by their tooltip (/TU) or the
// printed label nearest their widget, matched against the label variants,
// then by their name against the keys' aliases ("nb_pieces"); a label
// shared by several sections ("Date de naissance": candidate, guides) is
// settled by the section named in the field's name or tooltip ("guide2")
// and by the value's type (a date, a tick). unmapped lists the fields no
// single key was found for, or whose key another field also claimed.
func MapFields(s Schema, fields []pdfread.Field) (map[string]string, []string) {
	byKey, unmapped := s.mapAll(fields)
	out := map[string]string{}
	for k, fd := range byKey {
		out[k] = fd.Value
	}
	return out, unmapped
}

func (s Schema) mapAll(fields []pdfread.Field) (map[string]pdfread.Field, []string) {
	out := map[string]pdfread.Field{}
	claimed := map[string][]string{} // key → names of fields mapped to it
	var unmapped []string
	for _, fd := range fields {
		key, ok := s.mapField(fd)
		if !ok {
			unmapped = append(unmapped, fd.Name)
			continue
		}
		claimed[key] = append(claimed[key], fd.Name)
		out[key] = fd
	}
	for _, key := range slices.Sorted(maps.Keys(claimed)) {
		names := claimed[key]
		if len(names) == 1 {
			continue
		}
		// The field named as the key wins; otherwise which is meant is
		// not known.
		if slices.Contains(names, key) {
			for _, fd := range fields {
				if fd.Name == key {
					out[key] = fd
				}
			}
			for _, n := range names {
				if n != key {
					unmapped = append(unmapped, n)
				}
			}
			continue
		}
		delete(out, key)
		unmapped = append(unmapped, names...)
	}
	slices.Sort(unmapped)
	return out, unmapped
}

// mapField finds the one key a field stands for.
func (s Schema) mapField(fd pdfread.Field) (string, bool) {
	if _, ok := s.Field(fd.Name); ok {
		return fd.Name, true
	}
	var keys []string
	for _, text := range []string{fd.Tooltip, fd.Label} {
		if keys = s.byLabel(text); len(keys) > 0 {
			break
		}
	}
	if len(keys) == 0 {
		name := strings.Join(tokens(strings.ReplaceAll(fd.Name, "_", " ")), " ")
		for _, f := range s.Fields {
			for _, a := range append(slices.Clone(f.Aliases), f.Labels...) {
				if strings.Join(tokens(strings.ReplaceAll(a, "_", " ")), " ") == name {
					keys = append(keys, f.Key)
					break
				}
			}
		}
	}
	if len(keys) > 1 {
		keys = s.bySection(keys, fd.Name+" "+fd.Tooltip)
	}
	if len(keys) > 1 {
		keys = s.byType(keys, fd.Value)
	}
	if len(keys) != 1 {
		return "", false
	}
	return keys[0], true
}

// byLabel lists the keys whose longest label variant text starts with.
func (s Schema) byLabel(text string) []string {
	toks := tokens(text)
	if len(toks) == 0 {
		return nil
	}
	var keys []string
	best := 0
	for _, f := range s.Fields {
		for _, l := range f.Labels {
			lt := tokens(l)
			if prefixMatch(toks, lt) == 0 || len(lt) < best {
				continue
			}
			// A one-word label ("Le", "Date") names a field only when
			// it is the whole tooltip.
			if len(lt) == 1 && len(toks) > 1 {
				continue
			}
			if len(lt) > best {
				keys, best = nil, len(lt)
			}
			if !slices.Contains(keys, f.Key) {
				keys = append(keys, f.Key)
			}
		}
	}
	return keys
}

// bySection keeps the keys of the sections the text names, when it names
// some.
func (s Schema) bySection(keys []string, text string) []string {
	flat := strings.Join(tokens(text), "")
	var out []string
	for _, k := range keys {
		f, _ := s.Field(k)
		for _, sec := range s.Sections {
			if sec.Name != f.Section {
				continue
			}
			for _, h := range sec.Hints {
				if strings.Contains(flat, strings.Join(tokens(h), "")) {
					out = append(out, k)
					break
				}
			}
		}
	}
	if len(out) == 0 {
		return keys
	}
	return out
}

// byType keeps the keys whose type the value fits, when some do.
func (s Schema) byType(keys []string, value string) []string {
	v := strings.TrimSpace(value)
	if v == "" {
		return keys
	}
	_, isDate := oneDate(v)
	isTick := slices.Contains([]string{"true", "false", "yes", "no", "on", "off"}, strings.ToLower(v))
	var out []string
	for _, k := range keys {
		f, _ := s.Field(k)
		switch {
		case isTick && f.Type == Checkbox, isDate && f.Type == Date, !isTick && !isDate && f.Type != Checkbox && f.Type != Date:
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return keys
	}
	return out
}

// FromFields reads a fillable form into canonical values (typed, full
// confidence). When some field could not be mapped, every key left
// without a field is doubtful, not empty: it may be that field.
func FromFields(s Schema, fields []pdfread.Field) Values {
	mapped, unmapped := s.mapAll(fields)
	out := Values{}
	for _, f := range s.Fields {
		v := Value{Key: f.Key, Label: f.Key, Confidence: 100, Page: 1, Typed: true}
		if fd, ok := mapped[f.Key]; ok {
			v.Text, v.Label = fd.Value, fd.Name
			v.Page = max(1, fd.Page)
		} else if len(unmapped) > 0 {
			v.Doubt = fmt.Sprintf("no form field matched to %s; fields not recognised: %s", f.Key, strings.Join(unmapped, ", "))
		}
		out[f.Key] = v
	}
	return out
}

// FieldsOf turns field values by name (pdfread.Info.Fields) into fields
// without tooltips, for a form whose widgets could not be walked.
func FieldsOf(values map[string]string) []pdfread.Field {
	var out []pdfread.Field
	for _, k := range slices.Sorted(maps.Keys(values)) {
		out = append(out, pdfread.Field{Name: k, Value: values[k]})
	}
	return out
}
