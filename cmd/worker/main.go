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
	"syscall"
	"time"

	"github.com/hibiken/asynq"

	"dossiercheck/checks"
	"dossiercheck/config"
	"dossiercheck/ocr"
	"dossiercheck/pipeline"
	"dossiercheck/queue"
	"dossiercheck/store"
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
	log := config.Logger()
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

	srv := asynq.NewServer(asynq.RedisClientOpt{Addr: cfg.RedisAddr}, asynq.Config{
		Concurrency:     cfg.Concurrency,
		Queues:          map[string]int{queue.Portal: 9, queue.Batch: 1},
		ShutdownTimeout: 20 * time.Second,
		Logger:          asynqLogger{log},
	})
	mux := asynq.NewServeMux()
	mux.Handle(queue.TaskCheck, worker.Handler(st, p, log))
	log.Info("worker started", "data", cfg.DataDir, "store", st.String(), "redis", cfg.RedisAddr, "concurrency", cfg.Concurrency,
		"retention", cfg.Retention.Default.String())
	if err := srv.Start(mux); err != nil {
		return err
	}
	<-ctx.Done()
	srv.Shutdown()
	return nil
}
