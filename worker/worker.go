// Package worker processes queued dossiers: it loads a dossier and its
// files from the store, runs the pipeline and stores the report. Handlers
// are idempotent: asynq delivers at least once, and a dossier that is
// already done is not processed again.
package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"dossiercheck/dossier"
	"dossiercheck/pipeline"
	"dossiercheck/report"
	"dossiercheck/store"
)

// Store is what the worker needs from the store.
type Store interface {
	Get(ctx context.Context, id string) (dossier.Dossier, error)
	Blob(sha string) ([]byte, error)
	SetStatus(ctx context.Context, id string, to dossier.Status, from ...dossier.Status) (bool, error)
	Finish(ctx context.Context, id string, report []byte, failure string) error
}

// Runner runs the pipeline.
type Runner interface {
	Run(ctx context.Context, req pipeline.Request) (report.Report, pipeline.Stats, error)
}

// Process checks one stored dossier, already read, and stores its report.
func Process(ctx context.Context, s Store, r Runner, d dossier.Dossier) (report.Report, error) {
	id := d.ID
	req := pipeline.Request{Procedure: d.Procedure, Submitted: d.Submitted, Declared: d.Declared}
	for _, f := range d.Files {
		b, err := s.Blob(f.SHA256)
		if err != nil {
			return report.Report{}, fmt.Errorf("dossier %s file %d: %w", id, len(req.Files), err)
		}
		req.Files = append(req.Files, pipeline.File{Name: f.Name, SHA256: f.SHA256, Data: b})
	}
	rep, _, err := r.Run(ctx, req)
	if err != nil {
		return rep, fmt.Errorf("dossier %s: %w", id, err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return rep, err
	}
	return rep, s.Finish(ctx, id, b, "")
}

// Handler is the asynq handler of queue.TaskCheck.
func Handler(s Store, r Runner, log *slog.Logger) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		id := string(t.Payload())
		d, err := s.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			log.Info("dossier purged before processing", "id", id)
			return nil
		}
		if err != nil {
			return err
		}
		if d.Status == dossier.Done {
			return nil // delivered twice: already done
		}
		if _, err := s.SetStatus(ctx, id, dossier.Processing); err != nil {
			return err
		}
		start := time.Now()
		rep, err := Process(ctx, s, r, d)
		if err != nil {
			retry, _ := asynq.GetRetryCount(ctx)
			maxRetry, _ := asynq.GetMaxRetry(ctx)
			log.Error("dossier failed", "id", id, "attempt", retry+1, "err", err)
			if retry >= maxRetry {
				if ferr := s.Finish(context.WithoutCancel(ctx), id, nil, err.Error()); ferr != nil {
					log.Error("record failure", "id", id, "err", ferr)
				}
			}
			return err
		}
		log.Info("dossier checked", "id", id, "procedure", d.Procedure, "verdict", rep.Verdict,
			"files", len(d.Files), "findings", len(rep.Findings), "took", time.Since(start).Round(time.Millisecond).String())
		return nil
	}
}
