// Command worker processes queued dossiers with asynq: PDF reading, OCR,
// classification, checks, report.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/hibiken/asynq"

	"dossiercheck/checks"
	"dossiercheck/config"
	"dossiercheck/dossier"
	"dossiercheck/logging"
	"dossiercheck/metrics"
	"dossiercheck/ocr"
	"dossiercheck/pipeline"
	"dossiercheck/queue"
	"dossiercheck/store"
	"dossiercheck/webhook"
	"dossiercheck/worker"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run() error {
	config.PrivateFiles()
	fs := flag.NewFlagSet("worker", flag.ExitOnError)
	cfg := config.Register(fs)
	ages := queue.DefaultAges
	fs.DurationVar(&ages.Queued, "requeue-after", ages.Queued, "re-queue a dossier queued this long without starting, if Redis lost it or archived its task")
	level := logging.Flag(fs)
	metricsAddr := fs.String("metrics-addr", os.Getenv("DOSSIER_METRICS_ADDR"), "serve Prometheus /metrics on this address (empty: none) [DOSSIER_METRICS_ADDR]")
	publicURL := fs.String("public-url", os.Getenv("DOSSIER_PUBLIC_URL"), "the API's address as portals reach it, for webhooks' report_url (default http:// and -addr) [DOSSIER_PUBLIC_URL]")
	backoff := webhook.DefaultBackoff
	fs.DurationVar(&backoff.Base, "webhook-backoff", backoff.Base, "first wait before a failed webhook is sent again; each wait doubles")
	fs.DurationVar(&backoff.Max, "webhook-max-delay", backoff.Max, "longest wait between two webhook attempts")
	fs.DurationVar(&backoff.Window, "webhook-window", backoff.Window, "how long a webhook is retried after its event")
	hooksAtOnce := fs.Int("webhook-concurrency", 4, "webhooks sent at once")
	fs.Parse(os.Args[1:])
	if err := cfg.Check(); err != nil {
		return err
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft bound: past it the collector works harder and hands
		// memory back to the system, so that one large dossier does not
		// leave the worker at its peak. Hard bounds per task are the PDF
		// decode limit (pdfread) and the pixel budget (scan).
		debug.SetMemoryLimit(int64(512+256*cfg.Concurrency) << 20)
	}
	log := logging.New(level)
	if *publicURL == "" {
		*publicURL = "http://" + cfg.HTTPAddr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.Connect(ctx, cfg.Store, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	checker, err := checks.Load()
	if err != nil {
		return err
	}
	// One OCR client per dossier processed at once, each loaded when a
	// scanned page first needs it; one now, so that a missing model stops
	// the worker at start rather than failing every scanned page.
	eng, err := ocr.New(cfg.Concurrency, ocr.DefaultSettings, st.FileCache())
	if err != nil {
		return err
	}
	defer eng.Close()
	if err := eng.Preload(ctx); err != nil {
		return err
	}
	if err := eng.PreloadZone(ctx); err != nil {
		return err
	}
	certs, err := cfg.Certs()
	if err != nil {
		return err
	}
	p := pipeline.New(eng, checker, certs)
	p.Log = log
	// Each file's reading is kept: a rules-only re-check starts from it.
	p.Readings = st.FileCache()

	q := queue.NewClient(cfg.RedisAddr)
	defer q.Close()
	go queue.RunReconciler(ctx, st, q, 5*time.Second, ages, log)
	go worker.Housekeep(ctx, st, cfg.Retention, cfg.Housekeeping, log)

	redisOpt := asynq.RedisClientOpt{Addr: cfg.RedisAddr}
	reg := metrics.NewRegistry()
	wm := metrics.NewWorker(reg)
	inspector := asynq.NewInspector(redisOpt)
	defer inspector.Close()
	metrics.Queues(reg, inspector, queue.Portal, queue.Batch, webhook.Queue)
	if *metricsAddr != "" {
		go func() {
			if err := metrics.Serve(ctx, *metricsAddr, reg); err != nil {
				log.Error("metrics server", "addr", *metricsAddr, "err", err)
			}
		}()
	}

	// A report's webhook is queued once the report is stored; its task
	// id names the report's version, so a redelivered check task
	// queues it again only if Redis does not hold it.
	hooks := asynq.NewClient(redisOpt)
	defer hooks.Close()
	checked := func(ctx context.Context, d dossier.Dossier) error {
		return webhook.EnqueueVersion(ctx, hooks, backoff, d.ID, webhook.Checked, strconv.FormatInt(d.UpdatedAt.UnixMicro(), 10))
	}
	srv := asynq.NewServer(redisOpt, asynq.Config{
		Concurrency:     cfg.Concurrency,
		Queues:          map[string]int{queue.Portal: 9, queue.Batch: 1},
		ShutdownTimeout: 20 * time.Second,
		Logger:          asynqLogger{log},
	})
	mux := asynq.NewServeMux()
	mux.Handle(queue.TaskCheck, worker.Handler(st, p, log, worker.Hooks{Checked: checked, Metrics: wm}))
	// Webhooks have their own server: a slow portal holds none of the
	// OCR slots.
	hookSrv := asynq.NewServer(redisOpt, asynq.Config{
		Concurrency:    max(1, *hooksAtOnce),
		Queues:         map[string]int{webhook.Queue: 1},
		RetryDelayFunc: backoff.RetryDelay,
		// Retries come due at backoff.Base at the soonest.
		DelayedTaskCheckInterval: min(max(backoff.Base, 200*time.Millisecond), 5*time.Second),
		ShutdownTimeout:          20 * time.Second,
		Logger:                   asynqLogger{log},
	})
	hookMux := asynq.NewServeMux()
	hookMux.Handle(webhook.TaskDeliver, &webhook.Deliverer{Store: st, BaseURL: *publicURL, Backoff: backoff, Log: log, Metrics: wm})
	log.Info("worker started", "data", cfg.DataDir, "store", st.String(), "redis", cfg.RedisAddr, "concurrency", cfg.Concurrency,
		"retention", cfg.Retention.Default.String(), "metrics", *metricsAddr)
	if err := srv.Start(mux); err != nil {
		return err
	}
	if err := hookSrv.Start(hookMux); err != nil {
		srv.Shutdown()
		return err
	}
	<-ctx.Done()
	srv.Shutdown()
	hookSrv.Shutdown()
	return nil
}
