package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dossiercheck/checks"
	"dossiercheck/dossier"
	"dossiercheck/fixtures"
	"dossiercheck/pipeline"
	"dossiercheck/report"
	"dossiercheck/store"
	"dossiercheck/worker"
)

// A rules-only re-check starts from the readings the worker stored: it
// reports the verdicts a rules change would change (dry run), rewrites
// them, and names the dossiers that have no stored reading. A fillable
// form needs no OCR, so this runs without Tesseract.
func TestRulesOnlyRecheck(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	form, err := fixtures.F02{Candidate: fixtures.Jean, NRN: fixtures.NRN(fixtures.Jean.BirthDate, 123), Model: "M36",
		TheoryDate: day(2025, 5, 12), TheoryFile: "Centre d'examen Bruxelles 123456", ReadingTest: true, RequestDate: day(2026, 11, 2),
		RequestCity: "Bruxelles", Signed: true, NoDisqualification: true}.PDF()
	if err != nil {
		t.Fatal(err)
	}
	newDossier := func(name string) dossier.Dossier {
		stg, err := st.Stage()
		if err != nil {
			t.Fatal(err)
		}
		sha, n, err := stg.Put(bytes.NewReader(form), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		d := dossier.Dossier{ID: store.NewID(), Procedure: "be-pcp-m36", Submitted: day(2026, 11, 10), Status: dossier.Received,
			Files: []dossier.File{{Name: name, SHA256: sha, Size: n, Type: dossier.PDF}}}
		if err := st.CreateStaged(ctx, &d, stg); err != nil {
			t.Fatal(err)
		}
		return d
	}
	checker, err := checks.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.New(nil, checker, nil) // a fillable form is read without OCR
	p.Readings = st.FileCache()
	read := newDossier("f02.pdf")
	rep, err := worker.Process(ctx, st, p, read)
	if err != nil {
		t.Fatal(err)
	}
	// A report as an older rule set would have left it.
	older, _ := json.Marshal(report.Report{Procedure: read.Procedure, Verdict: report.Accept, Findings: []report.Finding{{Rule: "M36-1", Outcome: report.Pass}}})
	if ok, err := st.Rechecked(ctx, read.ID, older); !ok || err != nil {
		t.Fatalf("rechecked: %v %v", ok, err)
	}
	// Done without a stored reading (read before readings were kept): the
	// same bytes under another name are another reading.
	unread := newDossier("f02-scan.pdf")
	if err := st.Finish(ctx, unread.ID, older, ""); err != nil {
		t.Fatal(err)
	}

	reprocess := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, append([]string{"reprocess", "-data", dir, "--rules-only"}, args...), &out); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	out := reprocess("--dry-run", read.ID, unread.ID)
	for _, want := range []string{"rechecked 1 dossier(s)", "would change: 1", "accept → " + string(rep.Verdict) + ": 1", "M36-2: 1", "a full reading is needed): 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run: no %q in\n%s", want, out)
		}
	}
	if d, _ := st.Get(ctx, read.ID); string(d.Report) != string(older) {
		t.Error("a dry run wrote a report")
	}
	out = reprocess(read.ID)
	if !strings.Contains(out, "reports rewritten: 1") {
		t.Errorf("no report rewritten:\n%s", out)
	}
	d, _ := st.Get(ctx, read.ID)
	var got report.Report
	if err := json.Unmarshal(d.Report, &got); err != nil || got.Verdict != rep.Verdict || len(got.Findings) != len(rep.Findings) {
		t.Errorf("stored report after re-check: verdict %s, %d findings; want %s, %d", got.Verdict, len(got.Findings), rep.Verdict, len(rep.Findings))
	}
}
