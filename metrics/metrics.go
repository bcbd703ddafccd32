// Package metrics defines the Prometheus metrics of intake and worker.
// Each process registers them on a registry of its own (no global
// registry) and serves it at /metrics. Labels carry codes and counts,
// never personal data. The methods are no-ops on a nil receiver, so that
// tests and tools may leave metrics out.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const ns = "dossiercheck"

// NewRegistry returns a registry with the Go runtime and process
// collectors.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// Handler serves reg.
func Handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
}

// Intake holds the API's metrics.
type Intake struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	uploads  *prometheus.CounterVec
}

// NewIntake registers the API's metrics on reg.
func NewIntake(reg prometheus.Registerer) *Intake {
	m := &Intake{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "http_requests_total",
			Help: "HTTP requests by route pattern and status code."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "http_request_duration_seconds",
			Help: "HTTP request duration by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route"}),
		uploads: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "uploads_total",
			Help: "Uploads by outcome: queued, received (queue unreachable), replayed (idempotency key), or the error code."}, []string{"outcome"}),
	}
	reg.MustRegister(m.requests, m.latency, m.uploads)
	return m
}

// Request counts one HTTP request.
func (m *Intake) Request(route string, code int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// Upload counts one upload by outcome.
func (m *Intake) Upload(outcome string) {
	if m != nil {
		m.uploads.WithLabelValues(outcome).Inc()
	}
}

// Worker holds the worker's metrics.
type Worker struct {
	stages     *prometheus.HistogramVec
	verdicts   *prometheus.CounterVec
	findings   *prometheus.CounterVec
	ocrCache   *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	delivery   prometheus.Histogram
}

// NewWorker registers the worker's metrics on reg.
func NewWorker(reg prometheus.Registerer) *Worker {
	m := &Worker{
		stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "dossier_stage_duration_seconds",
			Help:    "Time spent on one dossier by stage (pdf, ocr, extract, checks, total).",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300}}, []string{"stage"}),
		verdicts: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "verdicts_total",
			Help: "Reports by procedure and verdict."}, []string{"procedure", "verdict"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "findings_total",
			Help: "Findings by procedure, rule and outcome."}, []string{"procedure", "rule", "outcome"}),
		ocrCache: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "ocr_pages_total",
			Help: "Pages recognised, by whether the reading cache held them (hit) or they were OCR'd (miss)."}, []string{"cache"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "webhook_deliveries_total",
			Help: "Webhook delivery attempts by event and outcome (delivered, failed, dropped)."}, []string{"event", "outcome"}),
		delivery: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "webhook_delivery_duration_seconds",
			Help: "Duration of webhook delivery attempts.", Buckets: prometheus.DefBuckets}),
	}
	reg.MustRegister(m.stages, m.verdicts, m.findings, m.ocrCache, m.deliveries, m.delivery)
	return m
}

// Stage records the time one dossier spent in a stage.
func (m *Worker) Stage(stage string, d time.Duration) {
	if m != nil {
		m.stages.WithLabelValues(stage).Observe(d.Seconds())
	}
}

// Verdict counts a report's verdict.
func (m *Worker) Verdict(procedure, verdict string) {
	if m != nil {
		m.verdicts.WithLabelValues(procedure, verdict).Inc()
	}
}

// Finding counts a report's finding.
func (m *Worker) Finding(procedure, rule, outcome string) {
	if m != nil {
		m.findings.WithLabelValues(procedure, rule, outcome).Inc()
	}
}

// OCRPages counts pages read from the cache (hits) and by OCR (misses).
func (m *Worker) OCRPages(hits, misses int) {
	if m != nil {
		m.ocrCache.WithLabelValues("hit").Add(float64(hits))
		m.ocrCache.WithLabelValues("miss").Add(float64(misses))
	}
}

// Delivery counts a webhook delivery attempt.
func (m *Worker) Delivery(event, outcome string, took time.Duration) {
	if m != nil {
		m.deliveries.WithLabelValues(event, outcome).Inc()
		m.delivery.Observe(took.Seconds())
	}
}

// QueueInspector is what the queue collector reads.
type QueueInspector interface {
	GetQueueInfo(queue string) (*asynq.QueueInfo, error)
}

// Queues registers on reg the depth (tasks by state) and latency (age of
// the oldest pending task) of asynq's queues, read from Redis at each
// scrape.
func Queues(reg prometheus.Registerer, in QueueInspector, queues ...string) {
	reg.MustRegister(&queueCollector{in: in, queues: queues})
}

type queueCollector struct {
	in     QueueInspector
	queues []string
}

var (
	depthDesc = prometheus.NewDesc(ns+"_queue_tasks", "Tasks in an asynq queue by state.", []string{"queue", "state"}, nil)
	latDesc   = prometheus.NewDesc(ns+"_queue_latency_seconds", "Age of the oldest pending task of an asynq queue.", []string{"queue"}, nil)
	upDesc    = prometheus.NewDesc(ns+"_queue_up", "Whether Redis answered the last scrape of the queues.", nil, nil)
)

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- depthDesc
	ch <- latDesc
	ch <- upDesc
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	up := 1.0
	for _, q := range c.queues {
		info, err := c.in.GetQueueInfo(q)
		if errors.Is(err, asynq.ErrQueueNotFound) {
			info, err = &asynq.QueueInfo{}, nil // no task was ever queued there
		}
		if err != nil {
			up = 0
			continue
		}
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived} {
			ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(n), q, state)
		}
		ch <- prometheus.MustNewConstMetric(latDesc, prometheus.GaugeValue, info.Latency.Seconds(), q)
	}
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, up)
}

// Serve serves reg's /metrics (and /healthz) on addr until ctx ends.
func Serve(ctx context.Context, addr string, reg *prometheus.Registry) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", Handler(reg))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	hs := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
