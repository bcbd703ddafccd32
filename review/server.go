// Package review is the clerks' workspace: sign-in, the work queue, a
// dossier's pages with the evidence boxed on them, the documents read and
// the data declared, the clerk's decision and the audit trail, and the
// letter that tells the applicant what to send. Every page is in French by
// default (English with ?lang=en); rule IDs stay beside the words.
package review

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"dossiercheck/dossier"
	"dossiercheck/store"
)

// Store is what the workspace needs from the store.
type Store interface {
	Get(ctx context.Context, id string) (dossier.Dossier, error)
	Blob(ctx context.Context, sha string) ([]byte, error)

	Credentials(ctx context.Context, name string) (store.Credentials, error)
	LoginFailed(ctx context.Context, name string, max int, lock time.Duration, now time.Time) (bool, error)
	LoginSucceeded(ctx context.Context, name string) error
	CreateSession(ctx context.Context, tokenHash, user, csrf string, now, expires time.Time) error
	Session(ctx context.Context, tokenHash string, now time.Time) (store.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error

	Queue(ctx context.Context, f store.QueueFilter) ([]store.QueueItem, store.QueueCounts, error)
	HasPortalColumn(ctx context.Context) bool
	Decide(ctx context.Context, id string, d store.Decision) error
	Override(ctx context.Context, id string, o store.Override) error
	ReviewOf(ctx context.Context, id string) (store.Review, error)
	AddAudit(ctx context.Context, id, actor, action, detail string) error
	PageImage(ctx context.Context, id string, file, page int) (store.PageImage, bool, error)
	PutPageImage(ctx context.Context, id string, file, page int, p store.PageImage) error
}

// Notifier hears of a clerk's decision (a dossier.decided webhook).
type Notifier interface {
	Decided(ctx context.Context, id string) error
}

// Server serves the clerks' workspace.
type Server struct {
	Store Store
	Log   *slog.Logger
	Now   func() time.Time
	// Notifier, when set, is told of every decision, after it is stored.
	Notifier Notifier
	// TrustedHeader, when set, names a header carrying the signed-in
	// user's name (the administration's single sign-on), believed only
	// on requests from TrustedProxy (an IP address). Off by default.
	TrustedHeader string
	TrustedProxy  string
	// SessionTTL is how long a session lasts (zero: DefaultSessionTTL).
	SessionTTL time.Duration
	// Chromium is the browser that prints letters to PDF ("" looks for
	// chromium on PATH; none: letters are HTML only).
	Chromium string
}

// Sign-in limits. A workday's session; five failed passwords in a row lock
// an account for 15 minutes (the figures are this service's choice, in
// docs/clerks.md).
const (
	DefaultSessionTTL = 9 * time.Hour
	MaxFailures       = 5
	LockFor           = 15 * time.Minute
)

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Handler routes the workspace: /login, /logout and /review/...
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.signedIn(s.logout))
	mux.HandleFunc("GET /review", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/review/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /review/{$}", s.signedIn(s.queue))
	mux.HandleFunc("GET /review/{id}", s.signedIn(s.dossierPage))
	mux.HandleFunc("GET /review/{id}/files/{file}/pages/{page}", s.signedIn(s.pageImage))
	mux.HandleFunc("POST /review/{id}/decision", s.signedIn(s.decide))
	mux.HandleFunc("POST /review/{id}/override", s.signedIn(s.override))
	mux.HandleFunc("GET /review/{id}/letter", s.signedIn(func(w http.ResponseWriter, r *http.Request, _ store.Session) {
		s.Letter(w, r)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// Personal data: never cached, never framed, no address leaked.
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "no-referrer")
		mux.ServeHTTP(w, r)
	})
}

// htmlHeaders keep a page from running anything, or loading anything but
// its own inline style and the images the workspace serves.
func htmlHeaders(h http.Header) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
}
