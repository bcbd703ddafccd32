package pdfread_test

import (
	"context"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/pdfread"
)

// A portal's fillable form: each field's tooltip and the label printed
// beside its widget are read.
func TestFieldTooltipsAndLabels(t *testing.T) {
	pdf, err := fixtures.PortalSample()
	if err != nil {
		t.Fatal(err)
	}
	info, err := pdfread.Inspect(pdf)
	if err != nil {
		t.Fatal(err)
	}
	path, done, err := pdfread.WriteTemp(pdf)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if err := (pdfread.Reader{Timeout: 20 * time.Second}).Labels(context.Background(), path, info.FormFields); err != nil {
		t.Fatal(err)
	}
	got := map[string]pdfread.Field{}
	for _, f := range info.FormFields {
		got[f.Name] = f
	}
	for name, want := range map[string]struct{ value, tip, label string }{
		"nb_couchages":  {"4", "Nombre de couchages", "Nombre de couchages"},
		"date":          {"02/11/2026", "Le", "Le"},
		"declarant_nom": {"DUPONT", "Nom du déclarant", "Nom du déclarant"},
	} {
		f := got[name]
		if f.Value != want.value || f.Tooltip != want.tip || f.Label != want.label || f.Page != 1 {
			t.Errorf("%s: %+v, want %+v", name, f, want)
		}
	}
}
