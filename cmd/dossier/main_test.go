package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dossiercheck/fixtures"
	"dossiercheck/report"
)

var update = flag.Bool("update", false, "rewrite the golden reports")

// Golden reports of the demo dossiers: any change to what the pipeline
// reads or decides shows up as a diff (go test ./cmd/dossier -update
// rewrites them after a deliberate change).
func TestGoldenReports(t *testing.T) {
	dir := t.TempDir()
	if err := run(context.Background(), []string{"fixtures", dir}, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	f := func(n string) string { return filepath.Join(dir, n) }
	tests := []struct {
		golden string
		args   []string
	}{
		{"ants-reject.json", []string{"--procedure", "fr-ants-permis", "--submitted", "2026-11-10", f("bill-old.jpg"), f("id.jpg"), f("photo.jpg")}},
		{"ants-accept.json", []string{"--procedure", "fr-ants-permis", "--submitted", "2026-11-10", f("bill-recent.jpg"), f("id.jpg"), f("photo.jpg")}},
		{"m36-accept.json", []string{"--procedure", "be-pcp-m36", "--submitted", "2026-11-10", f("f02-m36.pdf"), f("eid.jpg")}},
		{"m36-reject.json", []string{"--procedure", "be-pcp-m36", "--submitted", "2026-11-10", f("f02-m36-old-theory.pdf"), f("eid.jpg")}},
		{"passport-accept.json", []string{"--procedure", "fr-passeport-etranger", "--submitted", "2026-11-10", f("passport.jpg"), f("photo-recent.jpg"), f("bill-3-weeks.jpg")}},
		{"passport-reject.json", []string{"--procedure", "fr-passeport-etranger", "--submitted", "2026-11-10", f("passport-minor.jpg"), f("photo-recent.jpg"), f("bill-3-weeks.jpg")}},
		{"meuble-accept.json", []string{"--procedure", "fr-meuble-declaration", "--submitted", "2026-11-10", f("cerfa14004.pdf"), f("id.jpg")}},
		{"meuble-reject.json", []string{"--procedure", "fr-meuble-declaration", "--submitted", "2026-11-10", f("cerfa14004-unsigned.pdf"), f("id.jpg")}},
		{"medical-accept.json", []string{"--procedure", "fr-controle-medical", "--submitted", "2026-11-10", f("cerfa14880.pdf"), f("id.jpg"), f("decision.jpg"), f("psycho.jpg")}},
		{"medical-reject.json", []string{"--procedure", "fr-controle-medical", "--submitted", "2026-11-10", f("cerfa14880.pdf"), f("id.jpg"), f("decision-biology.jpg"), f("psycho.jpg")}},
		{"m18-accept.json", []string{"--procedure", "be-pcp-m18", "--submitted", "2026-11-10", f("f02-m18.pdf"), f("aptitude-20h.jpg"), f("eid.jpg")}},
		{"m18-reject.json", []string{"--procedure", "be-pcp-m18", "--submitted", "2026-11-10", f("f02-m18.pdf"), f("aptitude-12h.jpg"), f("eid.jpg")}},
		{"m12-accept.json", []string{"--procedure", "be-pcp-m12", "--submitted", "2026-11-10", f("f02-m12.pdf"), f("pcp-m36.jpg"), f("ecole.jpg"), f("eid.jpg")}},
		{"m12-reject.json", []string{"--procedure", "be-pcp-m12", "--submitted", "2026-11-10", f("f02-m12.pdf"), f("pcp-m36-old.jpg"), f("ecole.jpg"), f("eid.jpg")}},
		{"urbanism-accept.json", []string{"--procedure", "fr-urbanisme", "--submitted", "2026-11-10", "--declared", f("urbanisme-zone-uc.json"), f("dp-extension.pdf")}},
		{"urbanism-reject.json", []string{"--procedure", "fr-urbanisme", "--submitted", "2026-11-10", "--declared", f("urbanisme-zone-n.json"), f("dp-extension.pdf")}},
		{"course-accept.json", []string{"--procedure", "fr-stage-sensibilisation", "--submitted", "2024-09-10", "--declared", f("stage-from-2024-10-01.json"), f("id.jpg"), f("releve-points.jpg"), f("attestation-stage-2023.jpg")}},
		{"course-reject.json", []string{"--procedure", "fr-stage-sensibilisation", "--submitted", "2024-09-10", "--declared", f("stage-from-2024-09-30.json"), f("id.jpg"), f("releve-points.jpg"), f("attestation-stage-2023.jpg")}},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"check", "--format", "json"}, tt.args...), &out); err != nil {
			t.Fatalf("%s: %v", tt.golden, err)
		}
		if want := tt.golden[strings.LastIndexByte(tt.golden, '-')+1 : len(tt.golden)-5]; !strings.Contains(out.String(), `"verdict": "`+want+`"`) {
			t.Errorf("%s: verdict is not %s:\n%s", tt.golden, want, out.String())
		}
		var rep report.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("%s: %v", tt.golden, err)
		}
		for _, f := range rep.Findings {
			if f.Rule == "" || f.Source == "" || len(f.Evidence) == 0 || f.Evidence[0].Text == "" {
				t.Errorf("%s: finding without rule, source or quoted evidence: %+v", tt.golden, f)
			}
		}
		path := filepath.Join("testdata", tt.golden)
		if *update {
			os.WriteFile(path, out.Bytes(), 0o644)
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%s differs from the golden file:\n%s", tt.golden, out.String())
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope"},
		{"check", "x.pdf"},
		{"check", "--procedure", "fr-nope", "x.pdf"},
		{"check", "--procedure", "fr-ants-permis"},
		{"check", "--procedure", "fr-ants-permis", "--format", "xml", "x.pdf"},
		{"check", "--procedure", "fr-ants-permis", "--submitted", "10/11/2026", "x.pdf"},
		{"check", "--procedure", "fr-ants-permis", "/no/such/file.pdf"},
	} {
		var ue usageError
		if err := run(context.Background(), args, new(bytes.Buffer)); !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

// The fast evaluation subset CI runs on every change: one dossier of each
// scenario in the first style, and one of every other scenario (the even
// ones: half of each procedure's) in the second, independently written
// style, which costs about half as much again. No false accept is
// tolerated in either style; the rest are floors to keep. The first
// style's subset holds about 25 issue dates, so one OCR misread is 4%: its
// floor is 95%, the full `make eval` is where the 98% target is measured.
// The second style's floors are set under what the pipeline reads of it
// today: raise them as the reader learns.
func TestEvalFastSubset(t *testing.T) {
	n := fixtures.ScenarioCount()
	m, b := genEval(t, []string{"--style", "1", "--count", fmt.Sprint(n)}, []string{"--style", "2", "--count", fmt.Sprint((n + 1) / 2)})
	if len(m.FalseAccepts) > 0 {
		t.Errorf("false accepts: %v\n%s", m.FalseAccepts, b.String())
	}
	// One dossier of each scenario: every rule of every procedure fails
	// (or needs a look) in one and passes in another.
	if len(m.Silent) > 0 {
		t.Errorf("rules that apply left no finding: %v", m.Silent)
	}
	if len(m.Untested) > 0 {
		t.Errorf("rules not exercised both ways: %v", m.Untested)
	}
	floors := map[string]struct{ accuracy, issue, birth, name, nrn float64 }{
		// Style 1 with the paper forms, phone photos and seed procedures'
		// scenarios (144 dossiers, seed 7, 2026-11-30): 97.9% right, issue
		// and birth dates and national numbers 100%, names 97.9%; one
		// dossier is 0.7%, the floors leave room for OCR's spread.
		"1": {0.93, 0.95, 0.97, 0.93, 0.95},
		// 72 dossiers (seed 7, 2026-11-30): 100% right, every field
		// 100%; one dossier is 1.4%.
		"2": {0.9, 0.9, 0.95, 0.93, 0.95},
	}
	for style, f := range floors {
		s := m.Styles[style]
		if s == nil {
			t.Fatalf("no dossier of style %s", style)
		}
		rate := func(field string) float64 {
			if x := s.Fields[field]; x != nil {
				return x.Rate
			}
			return 0
		}
		if s.Accuracy < f.accuracy || rate("issue_date") < f.issue || rate("birth_date") < f.birth ||
			rate("last_name") < f.name || rate("national_number") < f.nrn {
			t.Errorf("style %s below the floors:\n%s", style, b.String())
		}
	}
}

// genEval generates, seed 7, a set per gen argument list into one
// directory and evaluates it on 2 workers: its metrics, and them printed.
func genEval(t *testing.T, sets ...[]string) (*Metrics, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	for _, args := range sets {
		if err := gen(append(args, "--seed", "7", dir), new(bytes.Buffer)); err != nil {
			t.Fatal(err)
		}
	}
	m, err := evaluate(context.Background(), dir, 2, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	printMetrics(&b, m)
	return m, &b
}

// The third generator style draws only the paper forms, in a layout
// written apart from the reader (bilingual, numbered parts, framed cells,
// dotted leaders, an empty second guide's part). Its dossiers must never
// be decided wrongly: no false accept, no false reject; the share decided
// right is a floor to raise as the reader learns.
func TestEvalPaperFormsThirdStyle(t *testing.T) {
	m, b := genEval(t, []string{"--style", "3", "--only", "m12-paper,m18-paper,m36-paper,med-paper,meuble-paper", "--count", "12"})
	if len(m.FalseAccepts) > 0 || len(m.FalseRejects) > 0 {
		t.Errorf("false accepts %v, false rejects %v\n%s", m.FalseAccepts, m.FalseRejects, b.String())
	}
	// 12 dossiers, seed 7 (2026-12-01): 11 right, 1 review; one dossier
	// is 8.3%: the floor leaves one for OCR's spread.
	if s := m.Styles["3"]; s == nil || s.Accuracy < 0.83 {
		t.Errorf("style 3 below its floor (83%% right):\n%s", b.String())
	}
	t.Logf("\n%s", b.String())
}
