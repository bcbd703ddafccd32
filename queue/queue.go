// Package queue carries dossier ids from intake to the workers over asynq
// (Redis). The task id is the dossier id, so a dossier is never on the
// queue twice at once; the store stays the source of truth, and a
// reconciler re-queues what Redis lost or never got.
package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"dossiercheck/dossier"
)

// TaskCheck is the task type of a dossier check; its payload is the id.
const TaskCheck = "dossier:check"

// Queue names: portal uploads first, batch reprocessing when idle.
const (
	Portal = "portal"
	Batch  = "batch"
)

// Timeout bounds one dossier's processing: a hung tool cannot hold a
// worker slot forever.
const Timeout = 15 * time.Minute

// Client enqueues dossiers.
type Client struct {
	c *asynq.Client
}

// NewClient connects to Redis at addr.
func NewClient(addr string) *Client {
	return &Client{c: asynq.NewClient(asynq.RedisClientOpt{Addr: addr, DialTimeout: 2 * time.Second, ReadTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second})}
}

// Close closes the connection.
func (c *Client) Close() error { return c.c.Close() }

// Enqueue puts a dossier on a queue. A dossier already waiting or running
// is not queued again, and that is not an error.
func (c *Client) Enqueue(ctx context.Context, id, queue string) error {
	t := asynq.NewTask(TaskCheck, []byte(id))
	_, err := c.c.EnqueueContext(ctx, t, asynq.TaskID(id), asynq.Queue(queue), asynq.MaxRetry(5), asynq.Timeout(Timeout))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", id, err)
	}
	return nil
}

// Store is what the reconciler needs from the store.
type Store interface {
	Stale(ctx context.Context, status dossier.Status, before time.Time, limit int) ([]string, error)
	SetStatus(ctx context.Context, id string, to dossier.Status, from ...dossier.Status) (bool, error)
}

// Ages decide when the reconciler looks at a dossier again.
type Ages struct {
	// Received: a dossier stored but never queued (Redis was down at
	// upload, or intake stopped between the two steps).
	Received time.Duration
	// Queued: a dossier queued this long ago and not started may have been
	// lost by Redis (a restart without persistence, an eviction).
	Queued time.Duration
}

// DefaultAges re-queue a received dossier after 5 s and check a queued or
// processing one after 2 minutes.
var DefaultAges = Ages{Received: 5 * time.Second, Queued: 2 * time.Minute}

// Reconcile puts back on the queue what Redis does not hold: received
// dossiers, and queued or processing ones that have not moved for a while.
// Enqueueing is idempotent (the task id is the dossier id): a dossier
// whose task Redis still holds is left alone, so this is safe to run often
// and from several processes. It returns how many it (re)queued or checked.
func Reconcile(ctx context.Context, s Store, c *Client, ages Ages) (int, error) {
	now := time.Now()
	n := 0
	for _, step := range []struct {
		status dossier.Status
		before time.Time
	}{
		{dossier.Received, now.Add(-ages.Received)},
		{dossier.Queued, now.Add(-ages.Queued)},
		// A running task holds its id until it ends; past the task
		// timeout, a dossier still "processing" lost its task.
		{dossier.Processing, now.Add(-ages.Queued - Timeout)},
	} {
		ids, err := s.Stale(ctx, step.status, step.before, 500)
		if err != nil {
			return n, err
		}
		for _, id := range ids {
			if err := c.Enqueue(ctx, id, Portal); err != nil {
				return n, err // Redis still down: try again next round
			}
			// Moving updated_at rotates a long backlog through the check.
			if _, err := s.SetStatus(ctx, id, dossier.Queued, step.status); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// RunReconciler calls Reconcile every interval until ctx ends.
func RunReconciler(ctx context.Context, s Store, c *Client, interval time.Duration, ages Ages, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := Reconcile(ctx, s, c, ages)
		if err != nil && ctx.Err() == nil {
			log.Warn("reconcile: dossiers wait until the queue answers", "err", err)
		} else if n > 0 {
			log.Info("reconcile: dossiers put back on the queue or confirmed there", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
