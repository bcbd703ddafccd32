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
	"github.com/redis/go-redis/v9"

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

// Client enqueues dossiers and inspects their tasks.
type Client struct {
	rc redis.UniversalClient
	c  *asynq.Client
	in *asynq.Inspector
}

// NewClient connects to Redis at addr.
func NewClient(addr string) *Client {
	opt := asynq.RedisClientOpt{Addr: addr, DialTimeout: 2 * time.Second, ReadTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second}
	rc := opt.MakeRedisClient().(redis.UniversalClient)
	return &Client{rc: rc, c: asynq.NewClientFromRedisClient(rc), in: asynq.NewInspectorFromRedisClient(rc)}
}

// Close closes the connection.
// Asynq is the client's asynq client, for tasks of other queues (webhooks).
func (c *Client) Asynq() *asynq.Client { return c.c }

func (c *Client) Close() error {
	c.c.Close()
	c.in.Close()
	return c.rc.Close()
}

// Enqueue puts a dossier on a queue. A dossier already waiting or running
// is not queued again, and that is not an error. (A task archived after
// its last retry also holds the id: Reconcile deals with those.)
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

// TaskState is what Redis holds for a dossier's task.
type TaskState int

const (
	Missing  TaskState = iota // no task: never queued, or lost by Redis
	Waiting                   // pending, scheduled or waiting for a retry
	Running                   // active on a worker
	Archived                  // retries exhausted (or completed): it will never run again
)

// State looks up a dossier's task on both queues. queue is where it was
// found.
func (c *Client) State(id string) (state TaskState, queue string, err error) {
	for _, q := range []string{Portal, Batch} {
		info, err := c.in.GetTaskInfo(q, id)
		if errors.Is(err, asynq.ErrQueueNotFound) || errors.Is(err, asynq.ErrTaskNotFound) {
			continue
		}
		if err != nil {
			return Missing, "", fmt.Errorf("task of %s: %w", id, err)
		}
		switch info.State {
		case asynq.TaskStateActive:
			return Running, q, nil
		case asynq.TaskStateArchived, asynq.TaskStateCompleted:
			return Archived, q, nil
		default:
			return Waiting, q, nil
		}
	}
	return Missing, "", nil
}

// Requeue puts a dossier back on the portal queue whatever Redis holds for
// it, unless its task is waiting or running: an archived task is deleted
// first (its id would otherwise make the new one a no-op). It returns the
// state it found.
func (c *Client) Requeue(ctx context.Context, id string) (TaskState, error) {
	state, q, err := c.State(id)
	if err != nil || state == Waiting || state == Running {
		return state, err
	}
	if state == Archived {
		if err := c.in.DeleteTask(q, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return state, fmt.Errorf("delete archived task of %s: %w", id, err)
		}
	}
	return state, c.Enqueue(ctx, id, Portal)
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

// Reconcile puts back on the queue what Redis does not hold or will never
// run again: received dossiers, and queued or processing ones that have
// not moved for a while and whose task is missing (Redis lost it) or
// archived (its retries ran out while the store could not record the
// failure, e.g. on a full disk). A dossier whose task is waiting or
// running is left to asynq (which also recovers the tasks of dead workers)
// and only its updated_at moves, which rotates a long backlog through the
// check. Safe to run often and from several processes. It returns how many
// dossiers it (re)queued.
func Reconcile(ctx context.Context, s Store, c *Client, ages Ages) (int, error) {
	now := time.Now()
	n := 0
	for _, step := range []struct {
		status dossier.Status
		before time.Time
	}{
		{dossier.Received, now.Add(-ages.Received)},
		{dossier.Queued, now.Add(-ages.Queued)},
		{dossier.Processing, now.Add(-ages.Queued)},
	} {
		ids, err := s.Stale(ctx, step.status, step.before, 500)
		if err != nil {
			return n, err
		}
		for _, id := range ids {
			state, err := c.Requeue(ctx, id)
			if err != nil {
				return n, err // Redis still down: try again next round
			}
			to := dossier.Queued
			if state == Waiting || state == Running {
				if step.status != dossier.Received {
					to = step.status // just touch updated_at
				}
			} else {
				n++
			}
			if _, err := s.SetStatus(ctx, id, to, step.status); err != nil {
				return n, err
			}
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
			log.Info("reconcile: dossiers put back on the queue", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
