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
	"dossiercheck/metrics"
	"dossiercheck/pipeline"
	"dossiercheck/report"
	"dossiercheck/store"
)

// Records is what the worker needs of the dossiers' records.
type Records interface {
	Get(ctx context.Context, id string) (dossier.Dossier, error)
	SetStatus(ctx context.Context, id string, to dossier.Status, from ...dossier.Status) (bool, error)
	Finish(ctx context.Context, id string, report []byte, failure string) error
	Exists(ctx context.Context, id string) (bool, error)
}

// Blobs reads the dossiers' files by content hash.
type Blobs interface {
	Blob(ctx context.Context, sha string) ([]byte, error)
}

// Store is what the worker needs from the store: records and files.
type Store interface {
	Records
	Blobs
}

// PurgeCheck is how often a running dossier checks that it was not purged
// meanwhile.
const PurgeCheck = time.Second

// Runner runs the pipeline.
type Runner interface {
	Run(ctx context.Context, req pipeline.Request) (report.Report, pipeline.Stats, error)
}

// Process checks one stored dossier, already read, and stores its report.
func Process(ctx context.Context, s Store, r Runner, d dossier.Dossier) (report.Report, error) {
	rep, _, err := process(ctx, s, r, d)
	return rep, err
}

// process is Process with the pipeline's figures.
func process(ctx context.Context, s Store, r Runner, d dossier.Dossier) (report.Report, pipeline.Stats, error) {
	id := d.ID
	req := pipeline.Request{Procedure: d.Procedure, Submitted: d.Submitted, Declared: d.Declared}
	for _, f := range d.Files {
		b, err := s.Blob(ctx, f.SHA256)
		if err != nil {
			return report.Report{}, pipeline.Stats{}, fmt.Errorf("dossier %s file %d: %w", id, len(req.Files), err)
		}
		req.Files = append(req.Files, pipeline.File{Name: f.Name, SHA256: f.SHA256, Data: b})
	}
	rep, stats, err := r.Run(ctx, req)
	if err != nil {
		return rep, stats, fmt.Errorf("dossier %s: %w", id, err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return rep, stats, err
	}
	return rep, stats, s.Finish(ctx, id, b, "")
}

// Hooks are what the handler does besides checking.
type Hooks struct {
	// Checked is called once a dossier's report is stored, with the
	// dossier as stored then, and again when a redelivered task finds it
	// done (the process may have stopped in between): it must be
	// idempotent. An error makes asynq deliver the task again.
	Checked func(ctx context.Context, d dossier.Dossier) error
	Metrics *metrics.Worker
}

// Handler is the asynq handler of queue.TaskCheck. A dossier purged while
// it runs is cancelled (its existence is checked every PurgeCheck) and
// nothing of it is written afterwards: the store refuses its report, and
// its OCR cache only takes pages of files a dossier holds.
func Handler(s Store, r Runner, log *slog.Logger, h Hooks) asynq.HandlerFunc {
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
			// Delivered twice: already done, but its event may not
			// have been queued yet.
			return h.checked(ctx, d)
		}
		if _, err := s.SetStatus(ctx, id, dossier.Processing); err != nil {
			return err
		}
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		go watchPurge(ctx, s, id, cancel)
		start := time.Now()
		rep, stats, err := process(ctx, s, r, d)
		purged := errors.Is(context.Cause(ctx), errPurged) || errors.Is(err, store.ErrNotFound)
		if err != nil && !purged {
			// A file that vanished under the pipeline: purged meanwhile?
			ok, xerr := s.Exists(context.WithoutCancel(ctx), id)
			purged = xerr == nil && !ok
		}
		if purged {
			log.Info("dossier purged during processing; nothing kept", "id", id)
			return nil
		}
		if errors.Is(err, store.ErrFinished) {
			log.Info("dossier already checked by another delivery", "id", id)
			return nil
		}
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
		took := time.Since(start)
		log.Info("dossier checked", "id", id, "procedure", d.Procedure, "verdict", rep.Verdict,
			"files", len(d.Files), "findings", len(rep.Findings), "took", took.Round(time.Millisecond).String())
		h.observe(d.Procedure, rep, stats, took)
		if h.Checked == nil {
			return nil
		}
		done, err := s.Get(context.WithoutCancel(ctx), id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		}
		return h.checked(ctx, done)
	}
}

func (h Hooks) checked(ctx context.Context, d dossier.Dossier) error {
	if h.Checked == nil {
		return nil
	}
	if err := h.Checked(context.WithoutCancel(ctx), d); err != nil {
		return fmt.Errorf("dossier %s checked: %w", d.ID, err)
	}
	return nil
}

// observe records a report in the metrics.
func (h Hooks) observe(procedure string, rep report.Report, st pipeline.Stats, took time.Duration) {
	m := h.Metrics
	if m == nil {
		return
	}
	m.Stage("pdf", st.PDF)
	m.Stage("ocr", st.OCR)
	m.Stage("extract", st.Extract)
	m.Stage("checks", st.Checks)
	m.Stage("total", took)
	m.OCRPages(st.CacheHits, st.OCRPages-st.CacheHits)
	m.Verdict(procedure, string(rep.Verdict))
	for _, f := range rep.Findings {
		m.Finding(procedure, f.Rule, string(f.Outcome))
	}
}

var errPurged = errors.New("dossier purged")

// watchPurge cancels a running dossier once it is no longer stored.
func watchPurge(ctx context.Context, s Records, id string, cancel context.CancelCauseFunc) {
	t := time.NewTicker(PurgeCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if ok, err := s.Exists(ctx, id); err == nil && !ok {
			cancel(errPurged)
			return
		}
	}
}

// Housekeeper is what housekeeping needs from the store.
type Housekeeper interface {
	PurgeExpired(ctx context.Context, r store.Retention, now time.Time) (int, error)
	Sweep(ctx context.Context, grace time.Duration) (store.Swept, error)
}

// SweepGrace spares staged uploads and blobs younger than this: an upload
// still being received is not an orphan.
const SweepGrace = store.SweepGrace

// Housekeep purges the dossiers whose retention period has run out and
// sweeps what no dossier references, now and then every interval, until
// ctx ends. Several workers may run it at once: purges and sweeps take
// the locks of the store (SQLite's write lock, PostgreSQL's row locks).
func Housekeep(ctx context.Context, s Housekeeper, r store.Retention, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.PurgeExpired(ctx, r, time.Now())
		if err != nil && ctx.Err() == nil {
			log.Error("retention: purge", "err", err)
		} else if n > 0 {
			log.Info("retention: dossiers purged", "count", n)
		}
		sw, err := s.Sweep(ctx, SweepGrace)
		if err != nil && ctx.Err() == nil {
			log.Error("sweep", "err", err)
		} else if sw != (store.Swept{}) {
			log.Info("sweep: unreferenced data removed", "blobs", sw.Blobs, "bytes", sw.Bytes, "cache_rows", sw.CacheRows, "uploads", sw.Staged,
				"idempotency_keys", sw.IdemKeys)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
