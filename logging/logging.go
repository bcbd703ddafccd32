// Package logging makes the services' loggers: JSON on stderr at the
// level of -log-level. Logs never carry document text or personal fields:
// only ids, codes, counts, verdicts and timings.
package logging

import (
	"flag"
	"log/slog"
	"os"
)

// Flag registers -log-level (debug, info, warn, error; default
// DOSSIER_LOG_LEVEL, else info) on fs.
func Flag(fs *flag.FlagSet) *slog.LevelVar {
	lv := new(slog.LevelVar)
	if v := os.Getenv("DOSSIER_LOG_LEVEL"); v != "" {
		lv.UnmarshalText([]byte(v))
	}
	fs.TextVar(lv, "log-level", lv, "log level: debug, info, warn or error [DOSSIER_LOG_LEVEL]")
	return lv
}

// New returns a JSON logger on stderr at level lv.
func New(lv *slog.LevelVar) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: lv}))
}
