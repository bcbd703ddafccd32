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

// Reconcile queues every dossier still "received" (stored while Redis was
// unreachable, or whose enqueue was interrupted) once it is older than
// grace, and marks it queued. It returns how many it queued.
func Reconcile(ctx context.Context, s Store, c *Client, grace time.Duration) (int, error) {
	ids, err := s.Stale(ctx, dossier.Received, time.Now().Add(-grace), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := c.Enqueue(ctx, id, Portal); err != nil {
			return n, err // Redis still down: try again next round
		}
		if _, err := s.SetStatus(ctx, id, dossier.Queued, dossier.Received); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// RunReconciler calls Reconcile every interval until ctx ends.
func RunReconciler(ctx context.Context, s Store, c *Client, interval, grace time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := Reconcile(ctx, s, c, grace)
		if err != nil && ctx.Err() == nil {
			log.Warn("reconcile: dossiers stay received until the queue answers", "err", err)
		} else if n > 0 {
			log.Info("reconcile: queued dossiers stored while the queue was unreachable", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
