package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dossiercheck/api"
	"dossiercheck/checks"
	"dossiercheck/dossier"
	"dossiercheck/fixtures"
	"dossiercheck/queue"
	"dossiercheck/report"
	"dossiercheck/store"
)

// server runs the API on a real store, with the queue pointing at a port
// where no Redis listens: uploads must still succeed, as "received".
func server(t *testing.T, lim api.Limits) (*httptest.Server, *store.SQLite) {
	st, err := store.Open(context.Background(), t.TempDir())
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
	s := &api.Server{Store: st, Queue: q, Procedures: c.Known, Limits: lim, Now: time.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}

type part struct{ field, name, value string }

func post(t *testing.T, url string, parts ...part) (int, map[string]any) {
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
	resp, err := http.Post(url+"/v1/dossiers", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func errCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestUploadErrors(t *testing.T) {
	ts, _ := server(t, api.Limits{FileBytes: 1000, DossierBytes: 1500, Files: 2})
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
	}
	for _, tt := range tests {
		status, body := post(t, ts.URL, tt.parts...)
		if status != tt.status || errCode(body) != tt.code {
			t.Errorf("%s: %d %v, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	resp, _ := http.Get(ts.URL + "/v1/dossiers/unknown")
	if resp.StatusCode != 404 {
		t.Errorf("unknown id: %d", resp.StatusCode)
	}
}

func TestUploadWithQueueDownIsKept(t *testing.T) {
	ts, st := server(t, api.DefaultLimits)
	photo := string(fixtures.JPEG(fixtures.Photo(100), 90))
	status, body := post(t, ts.URL, part{field: "procedure", value: "fr-ants-permis"},
		part{field: "declared", value: `{"hosted": true}`}, part{"files", "photo.jpg", photo})
	if status != 202 || body["status"] != "received" {
		t.Fatalf("%d %v", status, body)
	}
	d, err := st.Get(context.Background(), body["id"].(string))
	if err != nil || len(d.Files) != 1 || d.Files[0].Type != "jpeg" || !d.Declared.Flag("hosted") {
		t.Fatalf("stored %+v %v", d, err)
	}
	if b, err := st.Blob(d.Files[0].SHA256); err != nil || string(b) != photo {
		t.Error("stored file differs from the upload")
	}
}

func TestReviewPage(t *testing.T) {
	ts, st := server(t, api.DefaultLimits)
	ctx := context.Background()
	sha, _ := st.PutBlob([]byte("%PDF-1.4"))
	d := dossier.Dossier{ID: store.NewID(), Procedure: "fr-ants-permis", Submitted: time.Now(), Status: dossier.Received,
		Files: []dossier.File{{Name: "bill.pdf", SHA256: sha, Size: 8, Type: dossier.PDF}}}
	if err := st.Create(ctx, &d); err != nil {
		t.Fatal(err)
	}
	rep := report.Report{Procedure: "fr-ants-permis", Verdict: report.Reject, Findings: []report.Finding{
		{Rule: "ANTS-6", Outcome: report.Pass, Message: "ID photo present"},
		{Rule: "ANTS-4", Outcome: report.Fail, Message: "too old", Evidence: []report.Evidence{{File: "bill.pdf", Page: 1, Text: "Date <script>x</script> 14/03/2026"}}},
	}}
	b, _ := json.Marshal(rep)
	st.Finish(ctx, d.ID, b, "")
	resp, err := http.Get(ts.URL + "/review/" + d.ID)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	html := string(page)
	if resp.StatusCode != 200 || !strings.Contains(html, `class="v reject"`) || strings.Contains(html, "<script>x") ||
		!strings.Contains(html, "&lt;script&gt;") {
		t.Fatalf("%d\n%s", resp.StatusCode, html)
	}
	if strings.Index(html, "ANTS-4") > strings.Index(html, "ANTS-6") {
		t.Error("failures are not listed first")
	}
}
