package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossiercheck/api"
	"dossiercheck/checks"
	"dossiercheck/fixtures"
	"dossiercheck/portal"
	"dossiercheck/queue"
	"dossiercheck/store"
)

// client calls the API as one portal: its requests carry the portal's key.
type client struct {
	URL, Key string
}

// do sends a request with the portal's key.
func (c client) do(t *testing.T, method, path, contentType string, body io.Reader, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, c.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// addPortal records a portal in st and returns a client with its key.
func addPortal(t *testing.T, st *store.DB, url, name, webhook string) client {
	t.Helper()
	key, hash := portal.NewKey()
	if err := st.AddPortal(context.Background(), store.Portal{Name: name, WebhookURL: webhook, WebhookSecret: portal.NewSecret()}, hash); err != nil {
		t.Fatal(err)
	}
	return client{URL: url, Key: key}
}

// server runs the API on a real store, with the queue pointing at a port
// where no Redis listens: uploads must still succeed, as "received". The
// client is the portal "test".
func server(t *testing.T, lim api.Limits) (client, *store.DB) {
	c, st, _ := serverIn(t, t.TempDir(), lim, 0)
	return c, st
}

// serverIn is server on the data directory dir, with at most maxUploads
// uploads at once (0: the default).
func serverIn(t *testing.T, dir string, lim api.Limits, maxUploads int, opts ...func(*api.Server)) (client, *store.DB, string) {
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	deadAddr := l.Addr().String()
	l.Close()
	q := queue.NewClient(deadAddr)
	t.Cleanup(func() { q.Close() })
	c, _ := checks.Load()
	s := &api.Server{Store: st, Queue: q, Procedures: c.Known, Limits: lim, Now: time.Now, MaxUploads: maxUploads,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(s)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return addPortal(t, st, ts.URL, "test", ""), st, dir
}

// filesUnder counts the regular files under dir and their bytes.
func filesUnder(t *testing.T, dir string) (n int, size int64) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			fi, _ := e.Info()
			n++
			size += fi.Size()
		}
		return nil
	})
	return n, size
}

type part struct{ field, name, value string }

func post(t *testing.T, c client, parts ...part) (int, map[string]any) {
	t.Helper()
	status, _, out := postWith(t, c, nil, parts...)
	return status, out
}

// postWith uploads with extra headers (name, value…).
func postWith(t *testing.T, c client, header []string, parts ...part) (int, http.Header, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		if p.name != "" {
			w, _ := mw.CreateFormFile(p.field, p.name)
			w.Write([]byte(p.value))
		} else {
			mw.WriteField(p.field, p.value)
		}
	}
	mw.Close()
	resp := c.do(t, http.MethodPost, "/v1/dossiers", mw.FormDataContentType(), &body, header...)
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, resp.Header, out
}

func errCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestUploadErrors(t *testing.T) {
	ts, _, dir := serverIn(t, t.TempDir(), api.Limits{FileBytes: 1000, DossierBytes: 1500, Files: 2}, 0)
	pdf := "%PDF-1.4 " + strings.Repeat("x", 500)
	big := "%PDF-1.4 " + strings.Repeat("x", 800)
	proc := part{field: "procedure", value: "fr-ants-permis"}
	tests := []struct {
		name   string
		parts  []part
		status int
		code   string
	}{
		{"unknown procedure", []part{{field: "procedure", value: "fr-nope"}, {"files", "a.pdf", pdf}}, 400, "unknown_procedure"},
		{"no procedure", []part{{"files", "a.pdf", pdf}}, 400, "missing_procedure"},
		{"no files", []part{proc}, 400, "no_files"},
		{"unsupported type", []part{proc, {"files", "a.gif", "GIF89a....."}}, 415, "unsupported_type"},
		{"file too large", []part{proc, {"files", "a.pdf", "%PDF-" + strings.Repeat("x", 1200)}}, 413, "file_too_large"},
		{"too many files", []part{proc, {"files", "a.pdf", "%PDF-1"}, {"files", "b.pdf", "%PDF-1"}, {"files", "c.pdf", "%PDF-1"}}, 413, "too_many_files"},
		{"dossier too large", []part{proc, {"files", "a.pdf", big}, {"files", "b.pdf", big}}, 413, "dossier_too_large"},
		{"bad submitted", []part{proc, {field: "submitted", value: "10/11/2026"}, {"files", "a.pdf", pdf}}, 400, "bad_submitted"},
		{"bad declared", []part{proc, {field: "declared", value: `{"hostd":true}`}, {"files", "a.pdf", pdf}}, 400, "bad_declared"},
		{"unknown field", []part{proc, {field: "color", value: "red"}, {"files", "a.pdf", pdf}}, 400, "unknown_field"},
		{"procedure after the files", []part{{"files", "a.pdf", pdf}, {field: "procedure", value: "fr-nope"}}, 400, "unknown_procedure"},
		{"submitted year 0", []part{proc, {field: "submitted", value: "0000-01-01"}, {"files", "a.pdf", pdf}}, 400, "bad_submitted"},
		{"submitted 1999", []part{proc, {field: "submitted", value: "1999-12-31"}, {"files", "a.pdf", pdf}}, 400, "bad_submitted"},
		{"submitted year 9999", []part{proc, {field: "submitted", value: "9999-12-31"}, {"files", "a.pdf", pdf}}, 400, "bad_submitted"},
		{"submitted in 2 days", []part{proc, {field: "submitted", value: time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly)}, {"files", "a.pdf", pdf}}, 400, "bad_submitted"},
	}
	for _, tt := range tests {
		status, body := post(t, ts, tt.parts...)
		if status != tt.status || errCode(body) != tt.code {
			t.Errorf("%s: %d %v, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	// Refused uploads leave no file behind, staged or stored.
	if n, size := filesUnder(t, filepath.Join(dir, "blobs")); n != 0 {
		t.Errorf("refused uploads left %d blobs (%d bytes)", n, size)
	}
	if n, size := filesUnder(t, filepath.Join(dir, "staging")); n != 0 {
		t.Errorf("refused uploads left %d staged files (%d bytes)", n, size)
	}
	// The window's edges are accepted.
	for _, day := range []string{"2000-01-01", time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)} {
		if status, body := post(t, ts, proc, part{field: "submitted", value: day}, part{"files", "a.pdf", pdf}); status != 202 {
			t.Errorf("submitted %s: %d %v", day, status, body)
		}
	}
	resp := ts.do(t, http.MethodGet, "/v1/dossiers/unknown", "", nil)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("unknown id: %d", resp.StatusCode)
	}
}

func TestUploadWithQueueDownIsKept(t *testing.T) {
	ts, st := server(t, api.DefaultLimits)
	photo := string(fixtures.JPEG(fixtures.Photo(100), 90))
	status, body := post(t, ts, part{field: "procedure", value: "fr-ants-permis"},
		part{field: "declared", value: `{"hosted": true}`}, part{"files", "photo.jpg", photo})
	if status != 202 || body["status"] != "received" {
		t.Fatalf("%d %v", status, body)
	}
	d, err := st.Get(context.Background(), body["id"].(string))
	if err != nil || len(d.Files) != 1 || d.Files[0].Type != "jpeg" || !d.Declared.Flag("hosted") {
		t.Fatalf("stored %+v %v", d, err)
	}
	if b, err := st.Blob(context.Background(), d.Files[0].SHA256); err != nil || string(b) != photo {
		t.Error("stored file differs from the upload")
	}
}

// Past MaxUploads uploads at once, the next is refused at once with 503
// and Retry-After instead of holding one more connection; once the first
// is done, uploads are taken again.
func TestUploadCap(t *testing.T) {
	ts, _, _ := serverIn(t, t.TempDir(), api.DefaultLimits, 1)
	// slow starts an upload that sends its first part and then waits:
	// it holds the only slot while it is read.
	slow := func() (*io.PipeWriter, *multipart.Writer, chan int) {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		done := make(chan int, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/dossiers", pr)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+ts.Key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
		mw.WriteField("procedure", "fr-ants-permis")
		w, _ := mw.CreateFormFile("files", "a.pdf")
		w.Write([]byte("%PDF-1.4 " + strings.Repeat("x", 100)))
		return pw, mw, done
	}
	// Another upload while the slow one is read is refused. The slow one
	// may reach the server after the probe (a loaded machine): then the
	// probe is answered on its own and the slow one, which found the slot
	// taken, is started again.
	var status int
	var hdr http.Header
	var pw *io.PipeWriter
	var mw *multipart.Writer
	var first chan int
	for attempt := range 20 {
		pw, mw, first = slow()
		time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
		resp := ts.do(t, http.MethodPost, "/v1/dossiers", "multipart/form-data; boundary=x", strings.NewReader("--x--"))
		resp.Body.Close()
		status, hdr = resp.StatusCode, resp.Header
		if status == http.StatusServiceUnavailable {
			break
		}
		pw.CloseWithError(io.ErrUnexpectedEOF)
		<-first
	}
	if status != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" {
		t.Fatalf("second upload: %d, Retry-After %q; want 503 with Retry-After", status, hdr.Get("Retry-After"))
	}
	mw.Close()
	pw.Close()
	if got := <-first; got != http.StatusAccepted {
		t.Errorf("first upload: %d", got)
	}
	pdf := "%PDF-1.4 " + strings.Repeat("x", 100)
	if status, body := post(t, ts, part{field: "procedure", value: "fr-ants-permis"}, part{"files", "a.pdf", pdf}); status != 202 {
		t.Errorf("after the slot freed: %d %v", status, body)
	}
}
