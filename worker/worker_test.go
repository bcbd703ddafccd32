package worker_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"

	"dossiercheck/checks"
	"dossiercheck/dossier"
	"dossiercheck/fixtures"
	"dossiercheck/metrics"
	"dossiercheck/pipeline"
	"dossiercheck/store"
	"dossiercheck/worker"
)

// A checked dossier calls the Checked hook with the dossier as stored,
// and a redelivered task calls it again with the same dossier (the
// event's task id is the same, so the event is not queued twice); the
// report is counted in the metrics. A fillable F02 needs no OCR.
func TestHandlerHooks(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	form, err := fixtures.F02{Candidate: fixtures.Jean, Model: "M36"}.PDF()
	if err != nil {
		t.Fatal(err)
	}
	stg, _ := st.Stage()
	sha, n, _ := stg.Put(bytes.NewReader(form), 1<<20)
	d := dossier.Dossier{ID: store.NewID(), Procedure: "be-pcp-m36", Submitted: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC), Status: dossier.Queued,
		Files: []dossier.File{{Name: "f02.pdf", SHA256: sha, Size: n, Type: dossier.PDF}}}
	if err := st.CreateStaged(ctx, &d, stg); err != nil {
		t.Fatal(err)
	}
	checker, err := checks.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.New(nil, checker, nil)
	reg := prometheus.NewRegistry()
	var seen []dossier.Dossier
	h := worker.Handler(st, p, slog.New(slog.NewTextHandler(io.Discard, nil)), worker.Hooks{
		Checked: func(_ context.Context, d dossier.Dossier) error { seen = append(seen, d); return nil },
		Metrics: metrics.NewWorker(reg),
	})
	task := asynq.NewTask("dossier:check", []byte(d.ID))
	for range 2 {
		if err := h(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 2 || seen[0].Status != dossier.Done || seen[0].Report == nil || !seen[0].UpdatedAt.Equal(seen[1].UpdatedAt) {
		t.Fatalf("Checked called %d times: %+v", len(seen), seen)
	}
	families, _ := reg.Gather()
	got := map[string]bool{}
	for _, f := range families {
		got[f.GetName()] = len(f.GetMetric()) > 0
	}
	for _, name := range []string{"dossiercheck_verdicts_total", "dossiercheck_findings_total", "dossiercheck_dossier_stage_duration_seconds"} {
		if !got[name] {
			t.Errorf("no %s after a report", name)
		}
	}
}
