// Package config reads the settings shared by the commands from flags,
// with environment variables as defaults, so that one set-up script can
// configure intake, worker and CLI alike.
package config

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"dossiercheck/store"
	"dossiercheck/twoddoc"
)

// Config is the service configuration.
type Config struct {
	DataDir     string // embedded store, or uploads being received when Store is PostgreSQL
	Store       string // "" (embedded SQLite under DataDir) or a postgres:// URL
	RedisAddr   string
	HTTPAddr    string
	Concurrency int    // dossiers processed at once by a worker (and OCR clients)
	CertsDir    string // 2D-Doc certificates (PEM or DER, one per file)
	AllowTestCA bool   // accept the ANTS test authority FR00: tests only

	MaxUploads    int           // intake: uploads read at once
	UploadTimeout time.Duration // intake: to read one upload's body
	Retention     store.Retention
	Housekeeping  time.Duration // worker: how often retention and the sweep run

	envErr error // a malformed environment variable
}

// Check reports a malformed environment variable (flags are checked when
// parsed): a command refuses to start rather than, say, keep data longer
// than configured.
func (c *Config) Check() error {
	if c.envErr != nil {
		return fmt.Errorf("DOSSIER_RETENTION: %w", c.envErr)
	}
	return nil
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
	fs.StringVar(&c.DataDir, "data", env("DOSSIER_DATA", "var"), "data directory: the embedded store (SQLite database and uploaded files), or with -store postgres://… only the uploads being received [DOSSIER_DATA]")
	fs.StringVar(&c.Store, "store", env("DOSSIER_STORE", ""), "store: empty for the embedded SQLite store under -data, or a postgres:// URL shared by intake and workers on several hosts [DOSSIER_STORE]")
	fs.StringVar(&c.RedisAddr, "redis", env("DOSSIER_REDIS", "127.0.0.1:6379"), "Redis address [DOSSIER_REDIS]")
	fs.StringVar(&c.HTTPAddr, "addr", env("DOSSIER_ADDR", "127.0.0.1:8080"), "HTTP listen address [DOSSIER_ADDR]")
	fs.IntVar(&c.Concurrency, "concurrency", max(1, n), "dossiers processed at once [DOSSIER_CONCURRENCY]")
	fs.StringVar(&c.CertsDir, "certs", env("DOSSIER_2DDOC_CERTS", ""), "directory of 2D-Doc certificates; empty: codes are read, not verified [DOSSIER_2DDOC_CERTS]")
	fs.BoolVar(&c.AllowTestCA, "2ddoc-test-ca", false, "accept 2D-Docs signed by the ANTS test authority FR00 (tests only, never in production)")
	up, _ := strconv.Atoi(env("DOSSIER_MAX_UPLOADS", "16"))
	fs.IntVar(&c.MaxUploads, "max-uploads", up, "intake: uploads read at once; more are refused with 503 and Retry-After [DOSSIER_MAX_UPLOADS]")
	ut, _ := time.ParseDuration(env("DOSSIER_UPLOAD_TIMEOUT", "2m"))
	fs.DurationVar(&c.UploadTimeout, "upload-timeout", ut, "intake: time to receive one upload's body [DOSSIER_UPLOAD_TIMEOUT]")
	c.Retention, _ = ParseRetention("90")
	if v := os.Getenv("DOSSIER_RETENTION"); v != "" {
		c.Retention, c.envErr = ParseRetention(v)
	}
	fs.Func("retention", "worker: purge a dossier this long after its report: days (90) or a duration (36h), then optional per-procedure overrides, e.g. 90,fr-ants-permis=30; 0 keeps for ever [DOSSIER_RETENTION] (default 90)", func(v string) error {
		r, err := ParseRetention(v)
		c.Retention, c.envErr = r, nil // the flag overrides the variable
		return err
	})
	hk, _ := time.ParseDuration(env("DOSSIER_HOUSEKEEPING", "1h"))
	fs.DurationVar(&c.Housekeeping, "housekeeping", hk, "worker: how often expired dossiers are purged and unreferenced files swept [DOSSIER_HOUSEKEEPING]")
	return c
}

// ParseRetention reads a retention policy: a period, then optional
// "procedure=period" overrides, separated by commas. A period is a number
// of days ("90") or a Go duration ("36h"); 0 keeps for ever.
func ParseRetention(v string) (store.Retention, error) {
	var r store.Retention
	for i, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		proc, period, named := strings.Cut(item, "=")
		if !named {
			period = proc
		}
		d, err := parsePeriod(strings.TrimSpace(period))
		switch {
		case err != nil:
			return r, fmt.Errorf("retention %q: %w", item, err)
		case named:
			if r.ByProcedure == nil {
				r.ByProcedure = map[string]time.Duration{}
			}
			r.ByProcedure[strings.TrimSpace(proc)] = d
		case i == 0:
			r.Default = d
		default:
			return r, fmt.Errorf("retention %q: only the first item may omit the procedure", item)
		}
	}
	return r, nil
}

func parsePeriod(s string) (time.Duration, error) {
	if days, err := strconv.Atoi(s); err == nil {
		if days < 0 {
			return 0, fmt.Errorf("negative period")
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err == nil && d < 0 {
		err = fmt.Errorf("negative period")
	}
	return d, err
}

// PrivateFiles makes every file and directory the process creates private
// to its user (umask 077): the data directory holds personal data.
func PrivateFiles() { syscall.Umask(0o077) }

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
