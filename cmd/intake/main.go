// Command intake serves the upload API: dossiers are stored durably, then
// queued for the workers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"dossiercheck/api"
	"dossiercheck/checks"
	"dossiercheck/config"
	"dossiercheck/logging"
	"dossiercheck/metrics"
	"dossiercheck/queue"
	"dossiercheck/review"
	"dossiercheck/store"
	"dossiercheck/webhook"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(1)
	}
}

func run() error {
	config.PrivateFiles()
	fs := flag.NewFlagSet("intake", flag.ExitOnError)
	cfg := config.Register(fs)
	level := logging.Flag(fs)
	rl := api.DefaultRateLimit
	fs.Float64Var(&rl.PerSecond, "rate", rl.PerSecond, "requests a second per API key, on average")
	fs.IntVar(&rl.Burst, "burst", rl.Burst, "requests at once per API key")
	metricsAddr := fs.String("metrics-addr", os.Getenv("DOSSIER_METRICS_ADDR"), "serve Prometheus /metrics on this address only (empty: on the API's address) [DOSSIER_METRICS_ADDR]")
	fs.Parse(os.Args[1:])
	if err := cfg.Check(); err != nil {
		return err
	}
	log := logging.New(level)
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
	q := queue.NewClient(cfg.RedisAddr)
	defer q.Close()
	redisOpt := asynq.RedisClientOpt{Addr: cfg.RedisAddr, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second}
	rc := redisOpt.MakeRedisClient().(redis.UniversalClient)
	defer rc.Close()
	reg := metrics.NewRegistry()
	inspector := asynq.NewInspectorFromRedisClient(rc)
	metrics.Queues(reg, inspector, queue.Portal, queue.Batch, webhook.Queue)
	srv := &api.Server{Store: st, Queue: q, Procedures: checker.Known, Limits: api.DefaultLimits, Log: log, Now: time.Now,
		MaxUploads: cfg.MaxUploads, UploadTimeout: cfg.UploadTimeout, RateLimit: rl, Metrics: metrics.NewIntake(reg),
		Ready: func(ctx context.Context) error {
			// The cause goes to the log, not to the caller.
			if err := st.Ping(ctx); err != nil {
				log.Warn("readiness: store", "err", err)
				return errors.New("the store does not answer")
			}
			if err := rc.Ping(ctx).Err(); err != nil {
				log.Warn("readiness: redis", "err", err)
				return errors.New("redis does not answer")
			}
			return nil
		}}
	if *metricsAddr == "" {
		srv.MetricsHandler = metrics.Handler(reg)
	} else {
		go func() {
			if err := metrics.Serve(ctx, *metricsAddr, reg); err != nil {
				log.Error("metrics server", "addr", *metricsAddr, "err", err)
			}
		}()
	}
	// The clerks' workspace (/login, /logout, /review/…) beside the API;
	// its decisions reach the portal by webhook, its letters through /v1.
	clerks := &review.Server{Store: st, Log: log, Now: time.Now, Notifier: decided{q.Asynq()},
		TrustedHeader: os.Getenv("DOSSIER_TRUSTED_HEADER"), TrustedProxy: os.Getenv("DOSSIER_TRUSTED_PROXY")}
	srv.Letter = clerks.Letter
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	workspace := clerks.Handler()
	for _, p := range []string{"/login", "/logout", "/review", "/review/"} {
		mux.Handle(p, workspace)
	}
	hs := &http.Server{Addr: cfg.HTTPAddr, Handler: mux,
		// Every phase of a connection is bounded: a client that stalls
		// cannot hold it for ever. An upload's body gets UploadTimeout
		// instead of ReadTimeout (api.Server.create).
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      time.Minute,
		IdleTimeout:       time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	// Uploads interrupted by a crash leave staging areas on this host's
	// disk, which workers elsewhere cannot sweep.
	go func() {
		t := time.NewTicker(cfg.Housekeeping)
		defer t.Stop()
		for {
			if n := st.SweepStaging(store.SweepGrace); n > 0 {
				log.Info("sweep: abandoned uploads removed", "uploads", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	log.Info("intake listening", "addr", cfg.HTTPAddr, "data", cfg.DataDir, "store", st.String(), "redis", cfg.RedisAddr)
	select {
	case err := <-errc:
		return err // could not listen
	case <-ctx.Done():
	}
	// Stop accepting, let the uploads in progress finish (they are
	// bounded by UploadTimeout), and only then return and close the store.
	log.Info("intake stopping: finishing the requests in progress")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.UploadTimeout+10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("intake stopped")
	return nil
}

// decided tells a dossier's portal of a clerk's decision (a
// dossier.decided webhook). Each decision is an event of its own: a
// decision revised is sent again.
type decided struct{ c *asynq.Client }

func (d decided) Decided(ctx context.Context, id string) error {
	return webhook.EnqueueVersion(ctx, d.c, webhook.DefaultBackoff, id, webhook.Decided, strconv.FormatInt(time.Now().UnixMicro(), 10))
}
