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
	"syscall"
	"time"

	"dossiercheck/api"
	"dossiercheck/checks"
	"dossiercheck/config"
	"dossiercheck/queue"
	"dossiercheck/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("intake", flag.ExitOnError)
	cfg := config.Register(fs)
	fs.Parse(os.Args[1:])
	log := config.Logger()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.Open(ctx, cfg.DataDir)
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
	srv := &api.Server{Store: st, Queue: q, Procedures: checker.Known, Limits: api.DefaultLimits, Log: log, Now: time.Now}
	hs := &http.Server{Addr: cfg.HTTPAddr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	log.Info("intake listening", "addr", cfg.HTTPAddr, "data", cfg.DataDir, "redis", cfg.RedisAddr)
	if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
