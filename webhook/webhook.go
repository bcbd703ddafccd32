// Package webhook tells portals about their dossiers: an event (a report
// is ready, a clerk decided) is a task on asynq's "webhooks" queue,
// enqueued once the state it reports is stored, so that a crash loses
// no event; a worker's Deliverer POSTs it, signed, to the portal's URL,
// records every attempt in the store and lets asynq retry with
// exponential backoff for Backoff.Window (24 h): delivered at least once.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"dossiercheck/metrics"
	"dossiercheck/store"
)

// Events.
const (
	Checked = "dossier.checked" // the report is ready
	Decided = "dossier.decided" // a clerk decided
)

// TaskDeliver is the task type; Queue is the asynq queue of webhooks.
const (
	TaskDeliver = "webhook:deliver"
	Queue       = "webhooks"
)

// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
// "<t>.<body>")>".
const SignatureHeader = "Dossier-Signature"

// Backoff is the retry schedule: Base doubling after each failure, at most
// Max between two attempts, for Window after the event.
type Backoff struct {
	Base, Max, Window time.Duration
}

// DefaultBackoff retries after 30 s, 1 min, 2 min… then hourly, for 24 h.
var DefaultBackoff = Backoff{Base: 30 * time.Second, Max: time.Hour, Window: 24 * time.Hour}

// Delay is the wait before retry n+1 (n retries done so far).
func (b Backoff) Delay(n int) time.Duration {
	d := b.Base
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// RetryDelay is asynq's RetryDelayFunc for the webhooks queue.
func (b Backoff) RetryDelay(n int, _ error, _ *asynq.Task) time.Duration { return b.Delay(n) }

// MaxRetry is the number of retries whose delays add up to Window.
func (b Backoff) MaxRetry() int {
	var total time.Duration
	n := 0
	for total < b.Window && n < 10000 {
		total += b.Delay(n)
		n++
	}
	return n
}

// payload is the task's: which event of which dossier, and when it
// happened (the window runs from then).
type payload struct {
	ID    string    `json:"id"`
	Event string    `json:"event"`
	At    time.Time `json:"at"`
}

// Enqueue queues an event of a dossier with DefaultBackoff's retries. The
// task id is the event and the dossier: an event enqueued again while
// its task is held by Redis (waiting, retrying, or completed within the
// window) is not sent twice.
func Enqueue(ctx context.Context, c *asynq.Client, dossierID, event string) error {
	return EnqueueVersion(ctx, c, DefaultBackoff, dossierID, event, "")
}

// EnqueueVersion is Enqueue for one version of the dossier's state (the
// worker passes the report's time: a dossier checked again is an event
// again), with the retries of b.
func EnqueueVersion(ctx context.Context, c *asynq.Client, b Backoff, dossierID, event, version string) error {
	body, err := json.Marshal(payload{ID: dossierID, Event: event, At: time.Now().UTC()})
	if err != nil {
		return err
	}
	id := event + ":" + dossierID
	if version != "" {
		id += ":" + version
	}
	_, err = c.EnqueueContext(ctx, asynq.NewTask(TaskDeliver, body), asynq.Queue(Queue), asynq.TaskID(id),
		asynq.MaxRetry(b.MaxRetry()), asynq.Timeout(time.Minute), asynq.Retention(b.Window))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue webhook %s of %s: %w", event, dossierID, err)
	}
	return nil
}

// Sign returns the signature header of body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte("."))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Verify checks a signature header against body, as a portal does: the
// MAC must match and its time be within tolerance of now (a replayed
// old request is refused).
func Verify(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("signature: no time")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("signature: time %s is off by %s", ts, d.Round(time.Second))
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return fmt.Errorf("signature: no matching v1")
}

// Event is the body of a webhook.
type Event struct {
	Event     string `json:"event"`
	ID        string `json:"id"`
	Procedure string `json:"procedure"`
	Verdict   string `json:"verdict"`
	// Decision is a clerk's decision (accept or reject), on
	// dossier.decided; the automatic verdict stays in Verdict.
	Decision  string `json:"decision,omitempty"`
	ReportURL string `json:"report_url"`
}

// Store is what delivery needs from the store.
type Store interface {
	Summary(ctx context.Context, id string) (store.Summary, error)
	PortalNamed(ctx context.Context, name string) (store.Portal, error)
	RecordDelivery(ctx context.Context, d store.Delivery) error
	ReviewOf(ctx context.Context, id string) (store.Review, error)
}

// Deliverer sends the webhooks queued on Queue.
type Deliverer struct {
	Store   Store
	Client  *http.Client // nil: a client with a 10 s timeout that follows no redirect
	BaseURL string       // of the API, for report_url
	Backoff Backoff      // its Window ends retries
	Log     *slog.Logger
	Metrics *metrics.Worker
}

// ProcessTask delivers one event (asynq.Handler). An error makes asynq
// retry it later; a dossier purged or a portal without URL or revoked
// ends it.
func (d *Deliverer) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p payload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("webhook payload: %v: %w", err, asynq.SkipRetry)
	}
	m, err := d.Store.Summary(ctx, p.ID)
	if errors.Is(err, store.ErrNotFound) {
		d.drop(p, "dossier purged")
		return nil
	}
	if err != nil {
		return err
	}
	if m.Portal == "" {
		return nil // created before portals: nobody to tell
	}
	portal, err := d.Store.PortalNamed(ctx, m.Portal)
	if errors.Is(err, store.ErrNoPortal) || err == nil && (portal.Revoked() || portal.WebhookURL == "") {
		d.drop(p, "no webhook for the portal")
		return nil
	}
	if err != nil {
		return err
	}
	ev := Event{Event: p.Event, ID: p.ID, Procedure: m.Procedure, Verdict: m.Verdict,
		ReportURL: strings.TrimSuffix(d.BaseURL, "/") + "/v1/dossiers/" + p.ID}
	if p.Event == Decided {
		rv, err := d.Store.ReviewOf(ctx, p.ID)
		if err != nil {
			return err
		}
		if rv.Decision != nil {
			ev.Decision = rv.Decision.Decision
		}
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	retried, _ := asynq.GetRetryCount(ctx)
	rec := store.Delivery{DossierID: p.ID, Event: p.Event, Attempt: retried + 1, URL: portal.WebhookURL}
	start := time.Now()
	rec.StatusCode, err = d.post(ctx, portal, body)
	rec.Duration = time.Since(start)
	outcome := "delivered"
	if err != nil {
		rec.Error, outcome = err.Error(), "failed"
	}
	d.Metrics.Delivery(p.Event, outcome, rec.Duration)
	if rerr := d.Store.RecordDelivery(context.WithoutCancel(ctx), rec); rerr != nil && !errors.Is(rerr, store.ErrNotFound) {
		d.Log.Error("record webhook delivery", "id", p.ID, "err", rerr)
	}
	if err == nil {
		d.Log.Info("webhook delivered", "id", p.ID, "event", p.Event, "portal", m.Portal, "attempt", rec.Attempt, "status", rec.StatusCode)
		return nil
	}
	d.Log.Warn("webhook not delivered", "id", p.ID, "event", p.Event, "portal", m.Portal, "attempt", rec.Attempt, "status", rec.StatusCode, "err", err)
	if time.Since(p.At)+d.Backoff.Delay(retried) > d.Backoff.Window {
		d.Log.Error("webhook abandoned: its retry window is over", "id", p.ID, "event", p.Event, "portal", m.Portal, "attempts", rec.Attempt)
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}

func (d *Deliverer) drop(p payload, why string) {
	d.Log.Info("webhook not sent: "+why, "id", p.ID, "event", p.Event)
	d.Metrics.Delivery(p.Event, "dropped", 0)
}

// post sends body; a response other than 2xx is an error.
func (d *Deliverer) post(ctx context.Context, p store.Portal, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "dossiercheck-webhook/1")
	req.Header.Set(SignatureHeader, Sign(p.WebhookSecret, time.Now(), body))
	c := d.Client
	if c == nil {
		c = DefaultClient()
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// DefaultClient has a 10 s timeout and follows no redirect (a 3xx is a
// failed attempt: the portal fixes its URL).
func DefaultClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
