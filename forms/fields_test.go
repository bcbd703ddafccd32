package forms

import (
	"testing"

	"dossiercheck/doctext"
	"dossiercheck/fixtures"
	"dossiercheck/pdfread"
)

// portalFields are the fields of fixtures.PortalSample as pdfread reads
// them.
func portalFields(t *testing.T) []pdfread.Field {
	t.Helper()
	pdf, err := fixtures.PortalSample()
	if err == nil {
		var info pdfread.Info
		if info, err = pdfread.Inspect(pdf); err == nil {
			return info.FormFields
		}
	}
	t.Fatal(err)
	return nil
}

// A portal's fillable Cerfa 14004 names its fields its own way; their
// tooltips carry the printed labels. Every filled field maps to its
// canonical key, so STR-8 sees them filled.
func TestPortal14004Mapped(t *testing.T) {
	fields := portalFields(t)
	tips := map[string]string{}
	for _, f := range fields {
		tips[f.Name] = f.Tooltip
		if f.Page != 1 || f.Rect[2] <= f.Rect[0] {
			t.Errorf("%s: page %d rect %v", f.Name, f.Page, f.Rect)
		}
	}
	if tips["nb_couchages"] != "Nombre de couchages" || tips["date"] != "Le" {
		t.Fatalf("tooltips %v", tips)
	}
	s, _ := For("cerfa_14004")
	got, unmapped := MapFields(s, fields)
	if len(unmapped) > 0 {
		t.Errorf("unmapped %v", unmapped)
	}
	for key, want := range map[string]string{"nombre_pieces": "3", "nombre_lits": "4", "periodes_location": "juillet et août",
		"fait_le": "02/11/2026", "fait_a": "Marseille", "signature": "Jean Marc DUPONT", "declarant_nom": "DUPONT"} {
		if got[key] != want {
			t.Errorf("%s = %q, want %q", key, got[key], want)
		}
	}
	v := FromFields(s, fields)
	if d := v.Doubts(); d != nil {
		t.Errorf("doubts %v", d)
	}
}

func TestMapFields(t *testing.T) {
	f02 := f02(t)
	c14004, _ := For("cerfa_14004")
	tests := []struct {
		name   string
		s      Schema
		fields []pdfread.Field
		want   map[string]string
		left   int // unmapped
	}{
		{"our names", f02, []pdfread.Field{{Name: "theorie_date", Value: "12/05/2025"}}, map[string]string{"theorie_date": "12/05/2025"}, 0},
		{"tooltip with the section in the name", f02, []pdfread.Field{
			{Name: "g2_dob", Tooltip: "Date de naissance", Value: "01/01/1970"},
			{Name: "cand_dob", Tooltip: "Date de naissance", Value: "03/02/2000"}},
			map[string]string{"guide2_naissance": "01/01/1970", "candidat_naissance": "03/02/2000"}, 0},
		{"a birth date whose section nothing names", f02, []pdfread.Field{{Name: "dob", Tooltip: "Date de naissance", Value: "03/02/2000"}}, map[string]string{}, 1},
		{"by alias", c14004, []pdfread.Field{{Name: "nb_lits", Value: "2"}, {Name: "periodes", Value: "été"}}, map[string]string{"nombre_lits": "2", "periodes_location": "été"}, 0},
		{"two fields claim one key", c14004, []pdfread.Field{{Name: "a", Tooltip: "Nombre de lits", Value: "2"}, {Name: "b", Tooltip: "Nombre de lits", Value: "3"}}, map[string]string{}, 2},
		{"printed label when no tooltip", c14004, []pdfread.Field{{Name: "Text12", Label: "Nombre de pièces principales", Value: "3"}}, map[string]string{"nombre_pieces": "3"}, 0},
		{"unknown", c14004, []pdfread.Field{{Name: "Text7", Value: "x"}}, map[string]string{}, 1},
	}
	for _, tt := range tests {
		got, left := MapFields(tt.s, tt.fields)
		if len(got) != len(tt.want) || len(left) != tt.left {
			t.Errorf("%s: %v unmapped %v", tt.name, got, left)
			continue
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", tt.name, k, got[k], v)
			}
		}
	}
	// A field left unmapped makes every key without a field doubtful, not
	// empty: STR-8 then goes to review, not to "not filled in".
	v := FromFields(c14004, []pdfread.Field{{Name: "declarant_nom", Value: "DUPONT"}, {Name: "Text7", Value: "4"}})
	if v["nombre_lits"].Doubt == "" || v["declarant_nom"].Doubt != "" {
		t.Errorf("nombre_lits %+v, declarant_nom %+v", v["nombre_lits"], v["declarant_nom"])
	}
}

func TestRead(t *testing.T) {
	if _, _, ok := Read("proof_of_address", nil, nil, nil, Rereads{}); ok {
		t.Error("a bill has no form schema")
	}
	_, v, ok := Read("f02_form", []pdfread.Field{{Name: "theorie_date", Value: "12/05/2025"}}, nil, nil, Rereads{})
	if !ok || v["theorie_date"].Text != "12/05/2025" || !v["theorie_date"].Typed {
		t.Errorf("fillable: %+v", v["theorie_date"])
	}
	page := pageOf(90, map[int][]at{50: {{200, "À REMPLIR PAR LE CENTRE D'EXAMEN"}}, 100: {{200, "Examen théorique réussi le : 12/05/2025"}}})
	_, v, _ = Read("f02_form", []pdfread.Field{{Name: "theorie_date"}}, []doctext.Page{page}, nil, Rereads{})
	if v["theorie_date"].Text != "12/05/2025" || v["theorie_date"].Typed {
		t.Errorf("scan: %+v", v["theorie_date"])
	}
}

// Dates whose digits OCR split with a space, or one of whose slashes it
// read as a 1, read as one date; two dates side by side stay two.
func TestOneDateSplitDigits(t *testing.T) {
	for text, want := range map[string]string{"07/1 1/2026": "2026-11-07", "06/1 1/2 026": "2026-11-06", "12/10/2026": "2026-10-12",
		"27105/2025": "2025-05-27", "27/0512025": "2025-05-27", "11/11/2025": "2025-11-11"} {
		if d, ok := oneDate(text); !ok || d.Format("2006-01-02") != want {
			t.Errorf("%q: %v %v, want %s", text, d, ok, want)
		}
	}
	if _, ok := oneDate("12/10/2026 13/10/2026"); ok {
		t.Error("two dates read as one")
	}
	// A 1 elsewhere, or a date that would not hold, is no slash.
	for _, text := range []string{"271052025", "2710/52025", "27135/2025"} {
		if d, ok := oneDate(text); ok {
			t.Errorf("%q read as %v", text, d)
		}
	}
}

// A date value read only once mended is written as the date it reads.
func TestDatedValue(t *testing.T) {
	for text, want := range map[string]string{"27105/2025": "27/05/2025", "06/1 1/2 026": "06/11/2026", "12/10/2026": "12/10/2026", "12 oct. 2026": "12 oct. 2026"} {
		if got := dated(Value{Text: text}).Text; got != want {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
}
