// Package api is the intake HTTP API: portals upload dossiers, which are
// stored durably before they are queued, and poll for the report.
package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"time"

	"dossiercheck/dossier"
	"dossiercheck/metrics"
	"dossiercheck/store"
)

// Limits bound an upload.
type Limits struct {
	FileBytes    int64 // per file
	DossierBytes int64 // all files together
	Files        int
}

// DefaultLimits: 20 MB per file, 50 MB and 30 files per dossier.
var DefaultLimits = Limits{FileBytes: 20 << 20, DossierBytes: 50 << 20, Files: 30}

// Store is what intake needs from the store.
type Store interface {
	Stage() (*store.Staging, error)
	CreateFrom(ctx context.Context, d *dossier.Dossier, stg *store.Staging, o store.Origin) (store.Prior, error)
	Get(ctx context.Context, id string) (dossier.Dossier, error)
	Summary(ctx context.Context, id string) (store.Summary, error)
	List(ctx context.Context, q store.Query) ([]store.Summary, error)
	Deliveries(ctx context.Context, id string) ([]store.Delivery, error)
	PortalByKey(ctx context.Context, keyHash string) (store.Portal, error)
	SetStatus(ctx context.Context, id string, to dossier.Status, from ...dossier.Status) (bool, error)
	Purge(ctx context.Context, id string) error
	// ReviewOf is the clerks' decision, overrides and audit trail.
	ReviewOf(ctx context.Context, id string) (store.Review, error)
}

// Enqueuer puts a dossier on the portal queue.
type Enqueuer interface {
	Enqueue(ctx context.Context, id, queue string) error
}

// Server serves the API.
type Server struct {
	Store      Store
	Queue      Enqueuer
	Procedures func(code string) bool
	Limits     Limits
	Log        *slog.Logger
	Now        func() time.Time
	// MaxUploads bounds the uploads read at once (each holds a connection
	// and a staging area); beyond it an upload is refused with 503 and
	// Retry-After. Zero means DefaultMaxUploads.
	MaxUploads int
	// UploadTimeout bounds the reading of one upload's body (zero: no
	// bound beyond the http.Server's own).
	UploadTimeout time.Duration
	// RateLimit bounds each portal's requests (zero: DefaultRateLimit).
	RateLimit RateLimit
	// Ready checks what the API needs (store, queue) for /readyz; nil:
	// always ready.
	Ready func(ctx context.Context) error
	// Metrics counts requests and uploads (nil: none); MetricsHandler,
	// when set, is served at /metrics.
	Metrics        *metrics.Intake
	MetricsHandler http.Handler
	// Letter, when not nil, serves the applicant's letter of a dossier
	// (GET /v1/dossiers/{id}/letter, the clerks' workspace writes it).
	Letter http.HandlerFunc
}

// DefaultMaxUploads is the default bound on uploads read at once.
const DefaultMaxUploads = 16

// The submission date window: a dossier is not submitted before 2000
// (no procedure checked here accepts pieces that old) nor more than one day
// ahead of the server's clock (a portal in a later time zone).
var (
	submittedFloor = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	submittedAhead = 24 * time.Hour
)

// Handler routes the API. Every /v1 route but the OpenAPI document
// needs a portal's API key; every request gets a request id and an
// access log line.
func (s *Server) Handler() http.Handler {
	n := s.MaxUploads
	if n <= 0 {
		n = DefaultMaxUploads
	}
	uploads := make(chan struct{}, n)
	limits := newLimiters(s.RateLimit)
	mux := http.NewServeMux()
	v1 := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, s.auth(limits, h)) }
	v1("POST /v1/dossiers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case uploads <- struct{}{}:
			defer func() { <-uploads }()
		default:
			w.Header().Set("Retry-After", "5")
			s.Metrics.Upload("busy")
			writeErr(w, fail(http.StatusServiceUnavailable, "busy", "too many uploads in progress; retry in a few seconds"))
			return
		}
		s.create(w, r)
	})
	v1("GET /v1/dossiers", s.list)
	v1("GET /v1/dossiers/{id}", s.get)
	v1("DELETE /v1/dossiers/{id}", s.purge)
	v1("GET /v1/dossiers/{id}/deliveries", s.deliveries)
	mux.HandleFunc("GET /v1/openapi.json", serveOpenAPI)
	if s.Letter != nil {
		v1("GET /v1/dossiers/{id}/letter", func(w http.ResponseWriter, r *http.Request) {
			if s.owns(w, r, r.PathValue("id")) {
				s.Letter(w, r)
			}
		})
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", s.ready)
	if s.MetricsHandler != nil {
		mux.Handle("GET /metrics", s.MetricsHandler)
	}
	return s.accessLog(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No response is to be sniffed as another type than it says.
		w.Header().Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
	}))
}

type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

func fail(status int, code, format string, args ...any) *apiError {
	return &apiError{status, code, fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, map[string]any{"error": map[string]string{"code": e.code, "message": e.message}})
}

// create stores the dossier and its files, then queues it. If the queue
// is unreachable the upload still succeeds: the dossier stays "received"
// and the reconciler queues it later. Files are streamed to a staging area
// and reach the blob store only with their dossier: a refused upload
// leaves nothing behind.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	idemKey := r.Header.Get("Idempotency-Key")
	if idemKey != "" && !validToken(idemKey, 255) {
		s.Metrics.Upload("bad_idempotency_key")
		writeErr(w, fail(http.StatusBadRequest, "bad_idempotency_key", "Idempotency-Key must be 1 to 255 letters, digits or . _ : -"))
		return
	}
	if s.UploadTimeout > 0 {
		// A body that trickles in holds a connection and an upload slot:
		// it gets this long in all, then the connection is closed.
		rc := http.NewResponseController(w)
		rc.SetReadDeadline(time.Now().Add(s.UploadTimeout))
		rc.SetWriteDeadline(time.Now().Add(s.UploadTimeout + 30*time.Second))
	}
	log := s.logger(r)
	stg, err := s.Store.Stage()
	if err != nil {
		log.Error("stage upload", "err", err)
		s.Metrics.Upload("storage_failed")
		writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the dossier could not be stored; retry the upload"))
		return
	}
	d, hash, aerr := s.read(r, stg)
	if aerr != nil {
		stg.Discard()
		s.Metrics.Upload(aerr.code)
		writeErr(w, aerr)
		return
	}
	o := store.Origin{Portal: portalOf(r).Name, IdemKey: idemKey, IdemHash: hash}
	prior, err := s.Store.CreateFrom(r.Context(), d, stg, o)
	switch {
	case errors.Is(err, store.ErrReplay):
		// A retry of an upload already stored: its dossier, not a new one.
		w.Header().Set("Idempotent-Replayed", "true")
		s.Metrics.Upload("replayed")
		writeJSON(w, http.StatusAccepted, map[string]string{"id": prior.ID, "status": string(prior.Status)})
		return
	case errors.Is(err, store.ErrIdempotencyConflict):
		s.Metrics.Upload("idempotency_conflict")
		writeErr(w, fail(http.StatusConflict, "idempotency_conflict", "Idempotency-Key %q was used for another request (dossier %s)", idemKey, prior.ID))
		return
	case err != nil:
		log.Error("store dossier", "err", err)
		s.Metrics.Upload("storage_failed")
		writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the dossier could not be stored; retry the upload"))
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 3*time.Second)
	defer cancel()
	if err := s.Queue.Enqueue(ctx, d.ID, "portal"); err != nil {
		log.Warn("queue unreachable; dossier kept as received for the reconciler", "id", d.ID, "err", err)
	} else if ok, err := s.Store.SetStatus(ctx, d.ID, dossier.Queued, dossier.Received); err == nil && ok {
		d.Status = dossier.Queued
	}
	log.Info("dossier received", "id", d.ID, "procedure", d.Procedure, "files", len(d.Files), "status", d.Status)
	s.Metrics.Upload(string(d.Status))
	writeJSON(w, http.StatusAccepted, map[string]string{"id": d.ID, "status": string(d.Status)})
}

// read parses the multipart upload, streaming each file into stg within
// the limits, and hashes the request for its idempotency key. Nothing is
// recorded until every part is valid.
func (s *Server) read(r *http.Request, stg *store.Staging) (*dossier.Dossier, string, *apiError) {
	lim := s.Limits
	// Room for the form fields and multipart framing on top of the files.
	r.Body = http.MaxBytesReader(nil, r.Body, lim.DossierBytes+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", fail(http.StatusBadRequest, "not_multipart", "the body must be multipart/form-data: %v", err)
	}
	d := &dossier.Dossier{ID: store.NewID(), Status: dossier.Received}
	var submitted, declared string
	var total int64
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if aerr := bodyError(err, lim, "malformed multipart body"); aerr != nil {
			return nil, "", aerr
		}
		switch part.FormName() {
		case "procedure", "submitted", "declared":
			b, err := io.ReadAll(io.LimitReader(part, 64<<10))
			if aerr := bodyError(err, lim, "reading field "+part.FormName()); aerr != nil {
				return nil, "", aerr
			}
			switch part.FormName() {
			case "procedure":
				d.Procedure = string(b)
			case "submitted":
				submitted = string(b)
			case "declared":
				declared = string(b)
			}
		case "files":
			if len(d.Files) == lim.Files {
				return nil, "", fail(http.StatusRequestEntityTooLarge, "too_many_files", "a dossier holds at most %d files", lim.Files)
			}
			f, aerr := s.readFile(part, stg, lim, total)
			if aerr != nil {
				return nil, "", aerr
			}
			total += f.Size
			d.Files = append(d.Files, f)
		default:
			return nil, "", fail(http.StatusBadRequest, "unknown_field", "unknown form field %q (expected procedure, submitted, declared, files)", part.FormName())
		}
	}
	if d.Procedure == "" {
		return nil, "", fail(http.StatusBadRequest, "missing_procedure", "the procedure field is required")
	}
	if !s.Procedures(d.Procedure) {
		return nil, "", fail(http.StatusBadRequest, "unknown_procedure", "unknown procedure %q", d.Procedure)
	}
	if len(d.Files) == 0 {
		return nil, "", fail(http.StatusBadRequest, "no_files", "at least one file is required in the files field")
	}
	now := s.Now().UTC()
	d.Submitted = now.Truncate(24 * time.Hour)
	if submitted != "" {
		t, err := time.Parse(time.DateOnly, submitted)
		if err != nil {
			return nil, "", fail(http.StatusBadRequest, "bad_submitted", "submitted must be YYYY-MM-DD, got %q", submitted)
		}
		if t.Before(submittedFloor) || t.After(now.Add(submittedAhead)) {
			return nil, "", fail(http.StatusBadRequest, "bad_submitted", "submitted must be between %s and tomorrow, got %s", submittedFloor.Format(time.DateOnly), submitted)
		}
		d.Submitted = t
	}
	decl, err := dossier.ParseDeclared([]byte(declared))
	if err != nil {
		return nil, "", fail(http.StatusBadRequest, "bad_declared", "%v", err)
	}
	d.Declared = decl
	return d, requestHash(d.Procedure, submitted, declared, d.Files), nil
}

// bodyError maps an error reading the request body to the API's error: nil
// stays nil, the body limit is a 413, the rest (a client gone, a deadline,
// a broken body) a 400.
func bodyError(err error, lim Limits, what string) *apiError {
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &mbe):
		return fail(http.StatusRequestEntityTooLarge, "dossier_too_large", "the dossier exceeds %d bytes", lim.DossierBytes)
	default:
		return fail(http.StatusBadRequest, "bad_multipart", "%s: %v", what, err)
	}
}

func (s *Server) readFile(part *multipart.Part, stg *store.Staging, lim Limits, total int64) (dossier.File, *apiError) {
	name := part.FileName()
	if name == "" {
		name = fmt.Sprintf("file-%d", total)
	}
	br := bufio.NewReaderSize(part, 1024)
	head, _ := br.Peek(1024)
	typ := dossier.DetectType(head)
	if typ == dossier.Unknown {
		return dossier.File{}, fail(http.StatusUnsupportedMediaType, "unsupported_type", "file %q is not a PDF, JPEG, PNG or TIFF (detected from its content)", name)
	}
	limit := min(lim.FileBytes, lim.DossierBytes-total)
	sha, n, err := stg.Put(br, limit)
	if errors.Is(err, store.ErrTooLarge) {
		if n > lim.FileBytes {
			return dossier.File{}, fail(http.StatusRequestEntityTooLarge, "file_too_large", "file %q exceeds %d bytes", name, lim.FileBytes)
		}
		return dossier.File{}, fail(http.StatusRequestEntityTooLarge, "dossier_too_large", "the dossier exceeds %d bytes", lim.DossierBytes)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		s.Log.Error("stage file", "err", err)
		return dossier.File{}, fail(http.StatusInternalServerError, "storage_failed", "file %q could not be stored; retry the upload", name)
	}
	if aerr := bodyError(err, lim, fmt.Sprintf("reading file %q", name)); aerr != nil {
		return dossier.File{}, aerr
	}
	return dossier.File{Name: name, SHA256: sha, Size: n, Type: typ}, nil
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.owns(w, r, id) {
		return
	}
	d, err := s.Store.Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeErr(w, notFound(id))
		return
	}
	if err != nil {
		s.logger(r).Error("get dossier", "err", err)
		writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the dossier could not be read"))
		return
	}
	out := map[string]any{"id": d.ID, "status": d.Status}
	if d.Report != nil {
		out["report"] = d.Report
	}
	if d.Error != "" {
		out["error"] = d.Error
	}
	rv, err := s.Store.ReviewOf(r.Context(), id)
	if err != nil {
		s.logger(r).Error("get dossier review", "err", err)
		writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the dossier could not be read"))
		return
	}
	out["decision"], out["overrides"], out["audit"] = rv.Decision, rv.Overrides, rv.Audit
	writeJSON(w, http.StatusOK, out)
}

// purge deletes the dossier and everything personal derived from it.
func (s *Server) purge(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.owns(w, r, id) {
		return
	}
	err := s.Store.Purge(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeErr(w, notFound(id))
		return
	}
	if err != nil {
		s.logger(r).Error("purge dossier", "err", err)
		writeErr(w, fail(http.StatusInternalServerError, "storage_failed", "the dossier could not be purged"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
