package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"dossiercheck/dossier"
	"dossiercheck/portal"
	"dossiercheck/store"
)

// RateLimit is a token bucket per portal: PerSecond requests a second on
// average, Burst at once.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// DefaultRateLimit: 10 requests a second, bursts of 50 (a portal sending
// a backlog, or paging through its dossiers, without waiting).
var DefaultRateLimit = RateLimit{PerSecond: 10, Burst: 50}

// limiters holds a bucket per portal, made on its first request.
type limiters struct {
	rl RateLimit
	mu sync.Mutex
	m  map[string]*rate.Limiter
}

func newLimiters(rl RateLimit) *limiters {
	if rl.PerSecond <= 0 {
		rl = DefaultRateLimit
	}
	return &limiters{rl: rl, m: map[string]*rate.Limiter{}}
}

// wait says how long the portal must wait before its next request (0:
// it may go on now, and a token is spent).
func (l *limiters) wait(name string) time.Duration {
	l.mu.Lock()
	lim, ok := l.m[name]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(l.rl.PerSecond), max(1, l.rl.Burst))
		l.m[name] = lim
	}
	l.mu.Unlock()
	res := lim.Reserve()
	if d := res.Delay(); d > 0 {
		res.Cancel()
		return d
	}
	return 0
}

type ctxKey int

const (
	portalKey ctxKey = iota
	infoKey
)

// requestInfo is filled in as a request goes through, for its log line.
type requestInfo struct {
	id     string
	portal string
}

func portalOf(r *http.Request) store.Portal {
	p, _ := r.Context().Value(portalKey).(store.Portal)
	return p
}

func infoOf(r *http.Request) *requestInfo {
	if i, ok := r.Context().Value(infoKey).(*requestInfo); ok {
		return i
	}
	return &requestInfo{}
}

// logger is the server's logger with the request's id.
func (s *Server) logger(r *http.Request) *slog.Logger {
	return s.Log.With("request_id", infoOf(r).id)
}

// auth lets through requests with a valid API key (Authorization: Bearer
// KEY) within their portal's rate limit.
func (s *Server) auth(limits *limiters, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The scheme is case-insensitive (RFC 9110).
		scheme, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		key = strings.TrimSpace(key)
		if !strings.EqualFold(scheme, "Bearer") || key == "" {
			unauthorized(w, "an API key is required: Authorization: Bearer <api_key>")
			return
		}
		p, err := s.Store.PortalByKey(r.Context(), portal.Hash(key))
		if errors.Is(err, store.ErrNoPortal) {
			unauthorized(w, "the API key is unknown or revoked")
			return
		}
		if err != nil {
			s.logger(r).Error("look up API key", "err", err)
			writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the API key could not be checked; retry"))
			return
		}
		infoOf(r).portal = p.Name
		if d := limits.wait(p.Name); d > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
			writeErr(w, fail(http.StatusTooManyRequests, "rate_limited", "too many requests for this API key; retry after %s", d.Round(time.Millisecond)))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), portalKey, p)))
	})
}

func unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="dossiercheck"`)
	writeErr(w, fail(http.StatusUnauthorized, "unauthorized", "%s", msg))
}

func notFound(id string) *apiError {
	return fail(http.StatusNotFound, "not_found", "no dossier %q", id)
}

// owns says whether the calling portal owns dossier id, answering 404
// when not: another portal's dossier is not found, as an unknown one.
func (s *Server) owns(w http.ResponseWriter, r *http.Request, id string) bool {
	m, err := s.Store.Summary(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound) || err == nil && m.Portal != portalOf(r).Name:
		writeErr(w, notFound(id))
		return false
	case err != nil:
		s.logger(r).Error("get dossier", "err", err)
		writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the dossier could not be read"))
		return false
	}
	return true
}

// requestHash identifies an upload's content for its idempotency key:
// procedure, submitted and declared as sent, and each file's name and
// SHA-256 in order.
func requestHash(procedure, submitted, declared string, files []dossier.File) string {
	h := sha256.New()
	fmt.Fprintf(h, "%q\n%q\n%q\n", procedure, submitted, declared)
	for _, f := range files {
		fmt.Fprintf(h, "%q %s\n", f.Name, f.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// validToken: 1 to n characters among letters, digits and . _ : -.
func validToken(s string, n int) bool {
	if s == "" || len(s) > n {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._:-", c)) {
			return false
		}
	}
	return true
}

// Listing limits.
const (
	defaultListLimit = 50
	maxListLimit     = 200
)

// cursor is the opaque position of a listing: the last dossier returned.
type cursor struct {
	T  time.Time `json:"t"`
	ID string    `json:"id"`
}

func encodeCursor(m store.Summary) string {
	b, _ := json.Marshal(cursor{T: m.CreatedAt, ID: m.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*store.Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" || c.T.IsZero() {
		return nil, errors.New("bad cursor")
	}
	return &store.Cursor{CreatedAt: c.T, ID: c.ID}, nil
}

// summaryJSON is a dossier in a listing.
type summaryJSON struct {
	ID        string `json:"id"`
	Procedure string `json:"procedure"`
	Status    string `json:"status"`
	Verdict   string `json:"verdict,omitempty"`
	Submitted string `json:"submitted"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

// list answers GET /v1/dossiers: the portal's dossiers, newest first, a
// page at a time.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := store.Query{Portal: portalOf(r).Name, Status: dossier.Status(v.Get("status")), Verdict: v.Get("verdict"),
		Procedure: v.Get("procedure"), Limit: defaultListLimit}
	switch q.Status {
	case "", dossier.Received, dossier.Queued, dossier.Processing, dossier.Done, dossier.Failed:
	default:
		writeErr(w, fail(http.StatusBadRequest, "bad_filter", "status must be received, queued, processing, done or failed, not %q", q.Status))
		return
	}
	switch q.Verdict {
	case "", "accept", "reject", "review":
	default:
		writeErr(w, fail(http.StatusBadRequest, "bad_filter", "verdict must be accept, reject or review, not %q", q.Verdict))
		return
	}
	if since := v.Get("since"); since != "" {
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			t, err = time.Parse(time.DateOnly, since)
		}
		if err != nil {
			writeErr(w, fail(http.StatusBadRequest, "bad_filter", "since must be RFC 3339 or YYYY-MM-DD, not %q", since))
			return
		}
		q.Since = t
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxListLimit {
			writeErr(w, fail(http.StatusBadRequest, "bad_filter", "limit must be 1 to %d, not %q", maxListLimit, l))
			return
		}
		q.Limit = n
	}
	if c := v.Get("cursor"); c != "" {
		after, err := decodeCursor(c)
		if err != nil {
			writeErr(w, fail(http.StatusBadRequest, "bad_cursor", "cursor is not one this API returned"))
			return
		}
		q.After = after
	}
	limit := q.Limit
	q.Limit++ // one more tells whether there is a next page
	ms, err := s.Store.List(r.Context(), q)
	if err != nil {
		s.logger(r).Error("list dossiers", "err", err)
		writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the dossiers could not be listed"))
		return
	}
	out := struct {
		Dossiers   []summaryJSON `json:"dossiers"`
		NextCursor string        `json:"next_cursor,omitempty"`
	}{Dossiers: []summaryJSON{}}
	if len(ms) > limit {
		ms = ms[:limit]
		out.NextCursor = encodeCursor(ms[limit-1])
	}
	for _, m := range ms {
		out.Dossiers = append(out.Dossiers, summaryJSON{ID: m.ID, Procedure: m.Procedure, Status: string(m.Status), Verdict: m.Verdict,
			Submitted: m.Submitted.Format(time.DateOnly), CreatedAt: m.CreatedAt.Format(time.RFC3339Nano), UpdatedAt: m.UpdatedAt.Format(time.RFC3339Nano)})
	}
	writeJSON(w, http.StatusOK, out)
}

// deliveries answers GET /v1/dossiers/{id}/deliveries: every webhook
// delivery attempt for the dossier, oldest first.
func (s *Server) deliveries(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.owns(w, r, id) {
		return
	}
	ds, err := s.Store.Deliveries(r.Context(), id)
	if err != nil {
		s.logger(r).Error("list deliveries", "err", err)
		writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the deliveries could not be read"))
		return
	}
	type deliveryJSON struct {
		Event      string `json:"event"`
		Attempt    int    `json:"attempt"`
		At         string `json:"at"`
		StatusCode int    `json:"status_code"`
		Error      string `json:"error,omitempty"`
		DurationMS int64  `json:"duration_ms"`
	}
	out := struct {
		Deliveries []deliveryJSON `json:"deliveries"`
	}{Deliveries: []deliveryJSON{}}
	for _, d := range ds {
		out.Deliveries = append(out.Deliveries, deliveryJSON{Event: d.Event, Attempt: d.Attempt, At: d.At.Format(time.RFC3339Nano),
			StatusCode: d.StatusCode, Error: d.Error, DurationMS: d.Duration.Milliseconds()})
	}
	writeJSON(w, http.StatusOK, out)
}

// ready answers /readyz: 503 while what the API needs does not answer.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			s.logger(r).Warn("not ready", "err", err)
			writeErr(w, fail(http.StatusServiceUnavailable, "not_ready", "%v", err))
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

//go:embed openapi.json
var openAPI []byte

// OpenAPI is the API's OpenAPI 3.1 document.
func OpenAPI() []byte { return openAPI }

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}

// statusWriter records a response's status and size for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog gives each request an id (the client's X-Request-Id when it is
// a plain token, else a new one), echoes it, and logs one line per
// request: method, route, path (ids only, never a query), status, size,
// time and portal — no personal data.
func (s *Server) accessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validToken(id, 128) {
			b := make([]byte, 12)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		info := &requestInfo{id: id}
		r = r.WithContext(context.WithValue(r.Context(), infoKey, info))
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		took := time.Since(start)
		s.Metrics.Request(r.Pattern, sw.status, took)
		level := slog.LevelInfo
		switch r.Pattern {
		case "GET /healthz", "GET /readyz", "GET /metrics":
			level = slog.LevelDebug // probes and scrapes, every few seconds
		}
		s.Log.Log(r.Context(), level, "request", "request_id", id, "method", r.Method, "route", r.Pattern, "path", r.URL.Path,
			"status", sw.status, "bytes", sw.bytes, "ms", took.Milliseconds(), "portal", info.portal)
	})
}
