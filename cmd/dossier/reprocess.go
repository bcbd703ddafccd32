package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"dossiercheck/config"
	"dossiercheck/dossier"
	"dossiercheck/queue"
	"dossiercheck/store"
)

// reprocess re-queues stored dossiers on the low-priority batch queue (after
// a rules update, say): by id, or every dossier in a status. Portal uploads
// keep priority over them.
func reprocess(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("reprocess", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := config.Register(fs)
	status := fs.String("status", "", "re-queue every dossier in this status (done or failed)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if (*status == "") == (fs.NArg() == 0) {
		return usageError{errors.New("reprocess needs dossier ids or --status done|failed, not both")}
	}
	if *status != "" && *status != string(dossier.Done) && *status != string(dossier.Failed) {
		return usageError{fmt.Errorf("--status must be done or failed, not %q", *status)}
	}
	st, err := store.Connect(ctx, cfg.Store, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	ids := fs.Args()
	if *status != "" {
		if ids, err = st.Stale(ctx, dossier.Status(*status), time.Now().Add(time.Second), 1_000_000); err != nil {
			return err
		}
	}
	q := queue.NewClient(cfg.RedisAddr)
	defer q.Close()
	for i, id := range ids {
		if _, err := st.Get(ctx, id); err != nil {
			return fmt.Errorf("dossier %s: %w", id, err)
		}
		// Queued first, so that the worker does not skip it as done.
		if _, err := st.SetStatus(ctx, id, dossier.Queued, dossier.Done, dossier.Failed, dossier.Received); err != nil {
			return err
		}
		if err := q.Enqueue(ctx, id, queue.Batch); err != nil {
			// Left "queued" in the store is wrong if Redis never got it:
			// put it back to received, which the reconciler retries.
			st.SetStatus(context.WithoutCancel(ctx), id, dossier.Received, dossier.Queued)
			return fmt.Errorf("after %d of %d: %w", i, len(ids), err)
		}
		if (i+1)%100 == 0 || i+1 == len(ids) {
			fmt.Fprintf(os.Stderr, "\rqueued %d/%d", i+1, len(ids))
		}
	}
	if len(ids) > 0 {
		fmt.Fprintln(os.Stderr)
	}
	fmt.Fprintf(out, "%d dossier(s) queued for reprocessing on the batch queue\n", len(ids))
	return nil
}
