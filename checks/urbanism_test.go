package checks

import (
	"strings"
	"testing"

	"dossiercheck/classify"
	"dossiercheck/dossier"
	"dossiercheck/report"
)

func ptr[T any](v T) *T { return &v }

// project is a declared urbanism project: kind, SP and ES created, zone.
func project(kind string, sp, es float64, zone string) dossier.Declared {
	return dossier.Declared{ProjectKind: ptr(kind), FloorAreaCreated: ptr(sp), FootprintCreated: ptr(es), Zone: ptr(zone)}
}

func pool(area, cover float64) dossier.Declared {
	return dossier.Declared{ProjectKind: ptr("pool"), PoolArea: ptr(area), PoolCoverHeight: ptr(cover)}
}

// Each threshold of S002 L17–38 on both sides; the reversed inequalities
// of L19 and L33 read as their evident intent, a boundary belonging to
// the lower tier (the next line's strict ">").
func TestURB1Thresholds(t *testing.T) {
	tests := []struct {
		name    string
		decl    dossier.Declared
		want    string
		missing string
	}{
		{"4.9 m²: nothing", project("new_building", 4.9, 4.9, "N"), "", ""},
		{"exactly 5 m²: DP", project("new_building", 5, 0, "N"), classify.CerfaDP, ""},
		{"exactly 20 m²: DP", project("new_building", 20, 12, "N"), classify.CerfaDP, ""},
		{"20.5 m²: PC", project("new_building", 20.5, 0, "N"), classify.CerfaPC, ""},
		{"SP 10, ES 21: the larger decides, PC", project("new_building", 10, 21, "N"), classify.CerfaPC, ""},
		{"new building in UC, 30 m²: PC (the exception is for extensions)", project("new_building", 30, 30, "UC"), classify.CerfaPC, ""},
		{"extension in UC, exactly 40 m²: DP", project("extension", 40, 40, "UC"), classify.CerfaDP, ""},
		{"extension in US, 40.5 m²: PC", project("extension", 40.5, 10, "US"), classify.CerfaPC, ""},
		{"extension in a UCa sub-sector, 30 m²: DP", project("extension", 30, 30, "UCa"), classify.CerfaDP, ""},
		{"extension in UA (not of the list), 30 m²: PC", project("extension", 30, 30, "UA"), classify.CerfaPC, ""},
		{"extension in AU, 30 m²: PC", project("extension", 30, 30, "AU"), classify.CerfaPC, ""},
		{"extension in N, 21 m²: PC", project("extension", 21, 0, "N"), classify.CerfaPC, ""},
		{"extension, zone not declared", dossier.Declared{ProjectKind: ptr("extension"), FloorAreaCreated: ptr(30.0), FootprintCreated: ptr(30.0)}, "", "zone"},
		{"new building, footprint not declared", dossier.Declared{ProjectKind: ptr("new_building"), FloorAreaCreated: ptr(15.0)}, "", "footprint_created"},
		{"pool of exactly 10 m²: nothing", pool(10, 0), "", ""},
		{"pool of 10.5 m²: DP", pool(10.5, 0), classify.CerfaDP, ""},
		{"pool of exactly 100 m²: DP", pool(100, 0), classify.CerfaDP, ""},
		{"pool of 100.5 m²: PC", pool(100.5, 0), classify.CerfaPC, ""},
		{"small pool, cover 1.81 m: PC", pool(8, 1.81), classify.CerfaPC, ""},
		{"pool, cover exactly 1.80 m: DP", pool(50, 1.80), classify.CerfaDP, ""},
		{"pool, cover not declared", dossier.Declared{ProjectKind: ptr("pool"), PoolArea: ptr(50.0)}, "", "pool_cover_height"},
		{"façade: DP", dossier.Declared{ProjectKind: ptr("facade")}, classify.CerfaDP, ""},
		{"fence: DP", dossier.Declared{ProjectKind: ptr("fence")}, classify.CerfaDP, ""},
		{"demolition: permis de démolir", dossier.Declared{ProjectKind: ptr("demolition")}, classify.CerfaPD, ""},
		{"nothing declared", dossier.Declared{}, "", "project_kind"},
	}
	for _, tt := range tests {
		got, why, missing := requiredAuthorisation(tt.decl)
		if got != tt.want || strings.Join(missing, ",") != tt.missing {
			t.Errorf("%s: got %q (%s) missing %v, want %q missing %q", tt.name, got, why, missing, tt.want, tt.missing)
		}
	}
}

func TestUrbanismRules(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	form := func(kind string, conf float64, fields map[string]string) Doc {
		return Doc{File: kind + ".pdf", Kind: kind, Confidence: conf, Form: fields}
	}
	dp, pc, pd := form(classify.CerfaDP, 0.9, nil), form(classify.CerfaPC, 0.9, nil), form(classify.CerfaPD, 0.9, nil)
	architect := map[string]string{"architecte_nom": "Anne ROUX", "architecte_inscription": "S12345", "architecte_signature": "A. Roux"}
	unsigned := map[string]string{"architecte_nom": "Anne ROUX", "architecte_inscription": "S12345"}
	with := func(d dossier.Declared, f func(*dossier.Declared)) dossier.Declared { f(&d); return d }
	house := func(d *dossier.Declared) {
		d.LegalPerson, d.SingleHouse, d.MonumentPerimeter, d.WorksStart = ptr(false), ptr(true), ptr(false), ptr("2027-03-01")
	}
	small := with(project("extension", 30, 30, "UC"), house)   // DP
	big := with(project("new_building", 151, 120, "N"), house) // PC with architect
	tests := []struct {
		name string
		docs []Doc
		decl dossier.Declared
		rule string
		want report.Outcome
		say  string // a phrase the rule's finding must hold
	}{
		{"DP needed, DP filed", []Doc{dp}, small, "URB-1", report.Pass, "dp.pdf is one"},
		{"PC needed, PC filed", []Doc{pc}, with(project("extension", 45, 10, "UC"), house), "URB-1", report.Pass, "permis de construire needed"},
		{"PC needed, DP filed", []Doc{dp}, with(project("extension", 45, 10, "UC"), house), "URB-1", report.Fail, "dp.pdf is a déclaration préalable"},
		{"PC needed, DP weakly classified", []Doc{form(classify.CerfaDP, 0.3, nil)}, with(project("extension", 45, 10, "UC"), house), "URB-1", report.NeedsLook, "low confidence"},
		{"PC needed, no form", []Doc{{File: "plan.pdf", Kind: "proof_of_address", Confidence: 0.6}}, with(project("extension", 45, 10, "UC"), house), "URB-1", report.Fail, "no authorisation form"},
		{"PC needed, an unreadable file", []Doc{{File: "x.pdf", Unreadable: "corrupt"}}, with(project("extension", 45, 10, "UC"), house), "URB-1", report.NeedsLook, "could not be read"},
		{"DP suffices, PC filed", []Doc{pc}, small, "URB-1", report.NeedsLook, "a clerk decides"},
		{"demolition, PC filed", []Doc{pc}, with(dossier.Declared{ProjectKind: ptr("demolition")}, house), "URB-1", report.Fail, "permis de démolir needed"},
		{"demolition, PD filed", []Doc{pd}, with(dossier.Declared{ProjectKind: ptr("demolition")}, house), "URB-1", report.Pass, "pd.pdf is one"},
		{"3 m² shed: nothing needed", nil, with(project("new_building", 3, 3, "N"), house), "URB-1", report.Pass, "none needed"},
		{"project not declared", []Doc{dp}, dossier.Declared{}, "URB-1", report.NeedsLook, "not declared: project_kind"},

		{"151 m²: architect named and signed", []Doc{form(classify.CerfaPC, 0.95, architect)}, big, "URB-2", report.Pass, "named, registered and signed"},
		{"151 m²: architect's signature missing", []Doc{form(classify.CerfaPC, 0.95, unsigned)}, big, "URB-2", report.Fail, "architecte_signature"},
		{"151 m²: scanned permis", []Doc{pc}, big, "URB-2", report.NeedsLook, "is a scan"},
		{"exactly 150 m², natural person: no architect", []Doc{pc}, with(project("new_building", 150, 120, "N"), house), "URB-2", report.Pass, "not required"},
		{"legal person, 30 m² PC: architect", []Doc{form(classify.CerfaPC, 0.95, unsigned)},
			with(project("new_building", 30, 30, "N"), func(d *dossier.Declared) { house(d); d.LegalPerson = ptr(true) }), "URB-2", report.Fail, "legal person"},
		{"legal person, DP: no architect", []Doc{dp}, with(small, func(d *dossier.Declared) { d.LegalPerson = ptr(true) }), "URB-2", report.Pass, "not a permis de construire"},
		{"extension taking 140 m² past 150: architect", []Doc{form(classify.CerfaPC, 0.95, map[string]string{})},
			with(project("extension", 25, 25, "N"), func(d *dossier.Declared) { house(d); d.ExistingFloorArea = ptr(140.0) }), "URB-2", report.Fail, "165 m²"},
		{"extension, existing area not declared", []Doc{pc}, with(project("extension", 25, 25, "N"), house), "URB-2", report.NeedsLook, "existing_floor_area"},
		{"PC, legal person not declared", []Doc{pc}, project("new_building", 30, 30, "N"), "URB-2", report.NeedsLook, "legal_person"},

		{"works exactly 2 months after filing", []Doc{dp}, with(small, func(d *dossier.Declared) { d.WorksStart = ptr("2027-01-10") }), "URB-3", report.Pass, "at least 2 months"},
		{"works 2 months less a day after filing", []Doc{dp}, with(small, func(d *dossier.Declared) { d.WorksStart = ptr("2027-01-09") }), "URB-3", report.Fail, "less than 2 months"},
		{"monument perimeter: 3 months", []Doc{dp}, with(small, func(d *dossier.Declared) { d.WorksStart, d.MonumentPerimeter = ptr("2027-02-10"), ptr(true) }), "URB-3", report.Pass, "2 + 1"},
		{"monument perimeter: 3 months less a day", []Doc{dp}, with(small, func(d *dossier.Declared) { d.WorksStart, d.MonumentPerimeter = ptr("2027-02-09"), ptr(true) }), "URB-3", report.Fail, "less than 3 months"},
		{"perimeter not declared, 3 months ahead", []Doc{dp}, with(small, func(d *dossier.Declared) { d.WorksStart, d.MonumentPerimeter = ptr("2027-02-10"), nil }), "URB-3", report.Pass, "at least 2 months"},
		{"perimeter not declared, 2.5 months ahead", []Doc{dp}, with(small, func(d *dossier.Declared) { d.WorksStart, d.MonumentPerimeter = ptr("2027-01-25"), nil }), "URB-3", report.NeedsLook, "monument_perimeter"},
		{"start of works not declared", []Doc{dp}, project("extension", 30, 30, "UC"), "URB-3", report.NeedsLook, "works_start"},

		{"single house: 2 months", []Doc{dp}, small, "URB-4", report.Pass, "2 months (a single house and its annexes), decision due by 2027-01-10"},
		{"other works: 3 months", []Doc{dp}, with(small, func(d *dossier.Declared) { d.SingleHouse = ptr(false) }), "URB-4", report.Pass, "3 months (works other than on a single house), decision due by 2027-02-10"},
		{"single house in a monument perimeter: 3 months", []Doc{dp}, with(small, func(d *dossier.Declared) { d.MonumentPerimeter = ptr(true); d.WorksStart = ptr("2027-01-20") }), "URB-4", report.Pass, "decision due by 2027-02-10 for a filing on 2026-11-10; the works planned on 2027-01-20 would start before it"},
		{"single house not declared", []Doc{dp}, with(small, func(d *dossier.Declared) { d.SingleHouse = nil }), "URB-4", report.NeedsLook, "single_house"},
	}
	for _, tt := range tests {
		fs, err := c.Check(Input{Procedure: "fr-urbanisme", Submitted: day("2026-11-10"), Declared: tt.decl, Docs: tt.docs})
		says(t, tt.name, fs, err, tt.rule, tt.want, tt.say)
	}
	// Fully declared and the right form: accept; a DP for a PC: reject.
	fs, _ := c.Check(Input{Procedure: "fr-urbanisme", Submitted: day("2026-11-10"), Declared: small, Docs: []Doc{dp}})
	if v := report.Decide(fs); v != report.Accept {
		t.Errorf("complete DP dossier: %s: %+v", v, fs)
	}
	fs, _ = c.Check(Input{Procedure: "fr-urbanisme", Submitted: day("2026-11-10"), Declared: big, Docs: []Doc{dp}})
	if v := report.Decide(fs); v != report.Reject {
		t.Errorf("DP for a 151 m² house: %s: %+v", v, fs)
	}
}

// says fails the test unless the findings give rule the outcome want in a
// finding whose message holds say.
func says(t *testing.T, name string, fs []report.Finding, err error, rule string, want report.Outcome, say string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if got := outcome(t, fs, rule); got != want {
		t.Errorf("%s: %s %s, want %s: %+v", name, rule, got, want, fs)
		return
	}
	if f := find(fs, rule, func(f report.Finding) bool { return strings.Contains(f.Message, say) }); f == nil {
		t.Errorf("%s: no %s finding saying %q: %+v", name, rule, say, fs)
	}
}
