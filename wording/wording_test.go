package wording

import (
	"encoding/json"
	"os"
	"testing"
)

// Every rule of the catalogue, and every procedure, has its words: a rule
// added to checks/procedures.json without them fails here.
func TestEveryCatalogueRuleWorded(t *testing.T) {
	b, err := os.ReadFile("../checks/procedures.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Procedures []struct {
			Code  string `json:"code"`
			Rules []struct {
				ID   string `json:"id"`
				What string `json:"what"`
			} `json:"rules"`
		} `json:"procedures"`
	}
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatal(err)
	}
	for _, p := range cat.Procedures {
		if Procedure(p.Code, FR) == p.Code {
			t.Errorf("procedure %s has no title", p.Code)
		}
		for _, r := range p.Rules {
			w, ok := rules[r.ID+"|"+r.What]
			if !ok {
				t.Errorf("%s %q has no French wording", r.ID, r.What)
				continue
			}
			if w.What.fr == "" || w.Ask.fr == "" {
				t.Errorf("%s %q: empty wording", r.ID, r.What)
			}
		}
	}
}

func TestRuleFor(t *testing.T) {
	tests := []struct {
		id, msg, want string
	}{
		{"ANTS-4", "proof of address issued 2026-03-14 is more than 6 months old", "justificatif de domicile de moins de 6 mois"},
		{"PASS-A4", "ID photo taken 2025-01-02 is more than 6 months old", "photo d'identité de moins de 6 mois"},
		{"PASS-A4", "proof of address missing", "justificatif de domicile de moins d'un an"},
		{"MED-1", "biological test results requested in the notification letter missing", "analyses biologiques demandées"},
		{"DOC-QUALITY", "page 1 of x.jpg is blurred", "qualité de l'image insuffisante"},
		// A message naming no "what" still gets the ID's wording, always the same one.
		{"MED-1", "something else", "Cerfa 14880 prérempli"},
	}
	for _, tt := range tests {
		r, ok := RuleFor(tt.id, tt.msg)
		if !ok || r.WhatIn(FR) != tt.want {
			t.Errorf("RuleFor(%s, %q) = %q, want %q", tt.id, tt.msg, r.WhatIn(FR), tt.want)
		}
	}
	if _, ok := RuleFor("NOPE-1", ""); ok {
		t.Error("unknown rule worded")
	}
}

func TestSourceCitesNoInternalDocument(t *testing.T) {
	tests := []struct{ id, source, want string }{
		{"DOC-QUALITY", "dossiercheck verdict policy (docs/verdict-policy.md)", ruleSources["DOC-QUALITY"]},
		{"2DDOC", "ANTS, spécifications techniques des codes 2D-Doc v3.2.6 §3.5; docs/verdict-policy.md", "ANTS, spécifications techniques des codes 2D-Doc v3.2.6 §3.5"},
		{"ANTS-4", "S000 L27 « un justificatif de domicile de moins de 6 mois »; dates per RULES.md D1/D2", "S000 L27 « un justificatif de domicile de moins de 6 mois » ; dates per RULES.md D1/D2"},
	}
	for _, tt := range tests {
		if got := Source(tt.id, tt.source); got != tt.want {
			t.Errorf("Source(%s, %q) = %q, want %q", tt.id, tt.source, got, tt.want)
		}
	}
}

func TestWordsFallBackToTheCode(t *testing.T) {
	if got := Kind("passport", FR); got != "passeport" {
		t.Errorf("Kind(passport) = %q", got)
	}
	if got := Kind("passport", EN); got != "passport" {
		t.Errorf("Kind(passport, en) = %q", got)
	}
	if got := Kind("new_kind", FR); got != "new_kind" {
		t.Errorf("an unknown kind shows %q, not its code", got)
	}
	if Parse("en-GB") != EN || Parse("de") != FR || Parse("") != FR {
		t.Error("Parse")
	}
}

func TestEvidence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"classified as identity_card (confidence 0.95)", "reconnu comme carte d'identité (confiance 0.95)"},
		{"classified as proof_of_address; no addressee read", "reconnu comme justificatif de domicile ; aucun destinataire lu"},
		{"classified as passport; no expiry date read", "reconnu comme passeport ; « expiry date » non lu"},
		{"2D-Doc (signature valid) issued 2026-10-01", "2D-Doc (signature valide) émis le 2026-10-01"},
		{"Date de facture : 14/03/2026", "Date de facture : 14/03/2026"}, // a quote of the page stays
	}
	for _, tt := range tests {
		if got, _ := Evidence(tt.in, FR); got != tt.want {
			t.Errorf("Evidence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, tr := Evidence("classified as passport (confidence 1.00)", EN); tr || got != "classified as passport (confidence 1.00)" {
		t.Errorf("English evidence changed: %q", got)
	}
}
