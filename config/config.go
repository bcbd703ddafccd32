// Package config reads the settings shared by the commands from flags,
// with environment variables as defaults, so that one set-up script can
// configure intake, worker and CLI alike.
package config

import (
	"flag"
	"log/slog"
	"os"
	"runtime"
	"strconv"

	"dossiercheck/twoddoc"
)

// Config is the service configuration.
type Config struct {
	DataDir     string // SQLite database and uploaded files
	RedisAddr   string
	HTTPAddr    string
	Concurrency int    // dossiers processed at once by a worker (and OCR clients)
	CertsDir    string // 2D-Doc certificates (PEM or DER, one per file)
	AllowTestCA bool   // accept the ANTS test authority FR00: tests only
}

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// Register adds the flags to fs.
func Register(fs *flag.FlagSet) *Config {
	c := &Config{}
	n, _ := strconv.Atoi(env("DOSSIER_CONCURRENCY", strconv.Itoa(runtime.NumCPU())))
	fs.StringVar(&c.DataDir, "data", env("DOSSIER_DATA", "var"), "data directory (SQLite database and uploaded files) [DOSSIER_DATA]")
	fs.StringVar(&c.RedisAddr, "redis", env("DOSSIER_REDIS", "127.0.0.1:6379"), "Redis address [DOSSIER_REDIS]")
	fs.StringVar(&c.HTTPAddr, "addr", env("DOSSIER_ADDR", "127.0.0.1:8080"), "HTTP listen address [DOSSIER_ADDR]")
	fs.IntVar(&c.Concurrency, "concurrency", max(1, n), "dossiers processed at once [DOSSIER_CONCURRENCY]")
	fs.StringVar(&c.CertsDir, "certs", env("DOSSIER_2DDOC_CERTS", ""), "directory of 2D-Doc certificates; empty: codes are read, not verified [DOSSIER_2DDOC_CERTS]")
	fs.BoolVar(&c.AllowTestCA, "2ddoc-test-ca", false, "accept 2D-Docs signed by the ANTS test authority FR00 (tests only, never in production)")
	return c
}

// Certs loads the configured 2D-Doc certificates (nil when none).
func (c *Config) Certs() (*twoddoc.Certs, error) {
	if c.CertsDir == "" {
		return nil, nil
	}
	certs, err := twoddoc.LoadCerts(c.CertsDir)
	if err != nil {
		return nil, err
	}
	certs.AllowTest = c.AllowTestCA
	return certs, nil
}

// Logger writes JSON logs to stderr. Logs never carry document text or
// personal fields: only ids, counts, verdicts and timings.
func Logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, nil))
}
