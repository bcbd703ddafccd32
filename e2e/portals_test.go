package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"dossiercheck/dossier"
	"dossiercheck/store"
	"dossiercheck/webhook"
)

// as is the service seen by another portal (its key).
func (s service) as(key string) service {
	s.key = &key
	return s
}

// uploadWith uploads a tiny F02 dossier with extra headers (name, value…).
func (s service) uploadWith(t *testing.T, files map[string][]byte, header ...string) (int, http.Header, upload) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("procedure", "be-pcp-m36")
	mw.WriteField("submitted", "2026-11-10")
	for name, b := range files {
		w, _ := mw.CreateFormFile("files", name)
		w.Write(b)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.http+"/v1/dossiers", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+*s.key)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var u upload
	json.NewDecoder(resp.Body).Decode(&u)
	return resp.StatusCode, resp.Header, u
}

// errorCode reads a response's JSON error code.
func errorCode(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var e struct{ Error struct{ Code string } }
	json.NewDecoder(resp.Body).Decode(&e)
	return e.Error.Code
}

type listing struct {
	Dossiers []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"dossiers"`
	NextCursor string `json:"next_cursor"`
}

// Keys, isolation between portals, idempotent retries and paging, on the
// real intake (no worker: nothing here needs a report).
func TestPortalAPI(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	other := s.as(s.addPortal(t, "other").APIKey)

	// No key, a wrong key: 401 with the API's error shape.
	for _, key := range []string{"", "dck_wrong"} {
		for _, path := range []string{"/v1/dossiers", "/v1/dossiers/x"} {
			if resp, _ := s.as(key).request(http.MethodGet, path, "", nil); resp.StatusCode != 401 || errorCode(t, resp) != "unauthorized" {
				t.Errorf("key %q %s: %d, want 401 unauthorized", key, path, resp.StatusCode)
			}
		}
	}
	if status, _, _ := s.as("").uploadWith(t, f02(t, 0)); status != 401 {
		t.Errorf("upload without key: %d", status)
	}

	// Idempotent retry: the same key and body give the first dossier.
	files := f02(t, 1)
	status, _, first := s.uploadWith(t, files, "Idempotency-Key", "retry-1")
	if status != 202 {
		t.Fatalf("upload: %d", status)
	}
	status, h, again := s.uploadWith(t, files, "Idempotency-Key", "retry-1")
	if status != 202 || again.ID != first.ID || again.Status != first.Status || h.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d %+v (replayed %q), want %+v", status, again, h.Get("Idempotent-Replayed"), first)
	}
	status, _, _ = s.uploadWith(t, f02(t, 2), "Idempotency-Key", "retry-1")
	if status != http.StatusConflict {
		t.Errorf("same key, other body: %d, want 409", status)
	}

	// Another portal: 404 on the first one's dossier, even to delete it.
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		if resp, _ := other.request(m, "/v1/dossiers/"+first.ID, "", nil); resp.StatusCode != 404 || errorCode(t, resp) != "not_found" {
			t.Errorf("other portal %s: %d", m, resp.StatusCode)
		}
	}
	if resp, _ := other.request(http.MethodGet, "/v1/dossiers/"+first.ID+"/deliveries", "", nil); resp.StatusCode != 404 {
		t.Errorf("other portal's deliveries: %d", resp.StatusCode)
	}
	if st := s.get(t, first.ID); st.Status == "" {
		t.Error("the owner no longer sees its dossier")
	}

	// 250 more dossiers, straight into the store (interleaved with 25 of
	// the other portal's), then paged through the API.
	st, err := store.Open(context.Background(), s.data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	want := map[string]bool{first.ID: true}
	for i := range 275 {
		portal := "e2e"
		if i%11 == 10 {
			portal = "other"
		}
		stg, _ := st.Stage()
		sha, n, _ := stg.Put(strings.NewReader(fmt.Sprintf("%%PDF-1.4 page %d", i%3)), 100)
		d := dossier.Dossier{ID: store.NewID(), Procedure: "be-pcp-m36", Submitted: time.Now(), Status: dossier.Received,
			Files: []dossier.File{{Name: "f.pdf", SHA256: sha, Size: n, Type: dossier.PDF}}}
		if _, err := st.CreateFrom(context.Background(), &d, stg, store.Origin{Portal: portal}); err != nil {
			t.Fatal(err)
		}
		if portal == "e2e" {
			want[d.ID] = true
		}
	}
	seen := map[string]int{}
	cursor, pages := "", 0
	for pages < 100 {
		resp := s.do(t, http.MethodGet, "/v1/dossiers?limit=40&cursor="+url.QueryEscape(cursor), "", nil)
		var l listing
		err := json.NewDecoder(resp.Body).Decode(&l)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("page %d: %d %v", pages, resp.StatusCode, err)
		}
		pages++
		for _, d := range l.Dossiers {
			seen[d.ID]++
		}
		if l.NextCursor == "" {
			break
		}
		cursor = l.NextCursor
	}
	for id, n := range seen {
		if n != 1 || !want[id] {
			t.Errorf("%s listed %d times (portal's own: %v)", id, n, want[id])
		}
	}
	if len(seen) != len(want) || pages != (len(want)+39)/40 {
		t.Errorf("%d of %d dossiers listed in %d pages", len(seen), len(want), pages)
	}
	t.Logf("%d dossiers in %d pages of 40", len(seen), pages)

	// A revoked key is refused.
	if err := exec.Command(bin+"/dossier", "portal", "revoke", "other", "-data", s.data).Run(); err != nil {
		t.Fatal(err)
	}
	if resp, _ := other.request(http.MethodGet, "/v1/dossiers", "", nil); resp.StatusCode != 401 {
		t.Errorf("revoked key: %d", resp.StatusCode)
	}
}

// hookReceiver is a portal's webhook endpoint: it answers 500 to the
// first failures requests, then 200, and checks every signature.
type hookReceiver struct {
	mu       sync.Mutex
	secret   string
	failures int
	calls    []int // statuses answered
	events   []webhook.Event
	sigErrs  []error
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := webhook.Verify(h.secret, r.Header.Get(webhook.SignatureHeader), body, 5*time.Minute, time.Now()); err != nil {
		h.sigErrs = append(h.sigErrs, err)
	}
	var e webhook.Event
	json.Unmarshal(body, &e)
	h.events = append(h.events, e)
	status := http.StatusOK
	if len(h.calls) < h.failures {
		status = http.StatusInternalServerError
	}
	h.calls = append(h.calls, status)
	w.WriteHeader(status)
}

func (h *hookReceiver) delivered() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.calls) > 0 && h.calls[len(h.calls)-1] == http.StatusOK
}

// A report ready is POSTed, signed, to the portal; the receiver answers
// 500 twice and gets it again (fast backoff), and every attempt is listed.
func TestWebhookDelivery(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	rcv := &hookReceiver{failures: 2}
	ts := httptest.NewServer(rcv)
	defer ts.Close()
	hooked := s.addPortal(t, "hooked", "--webhook", ts.URL+"/dossiercheck")
	rcv.mu.Lock()
	rcv.secret = hooked.WebhookSecret
	rcv.mu.Unlock()
	s.intake(t)
	metricsAddr := freePort(t)
	w := s.worker(t, "-webhook-backoff", "300ms", "-metrics-addr", metricsAddr, "-public-url", "http://"+s.http)
	p := s.as(hooked.APIKey)
	status, _, u := p.uploadWith(t, f02(t, 7))
	if status != 202 {
		t.Fatalf("upload: %d", status)
	}
	waitFor(t, 2*time.Minute, rcv.delivered)
	rcv.mu.Lock()
	calls, events, sigErrs := rcv.calls, rcv.events, rcv.sigErrs
	rcv.mu.Unlock()
	if len(calls) != 3 || len(sigErrs) > 0 {
		t.Errorf("receiver answered %v, signature errors %v; want 500, 500, 200 and valid signatures", calls, sigErrs)
	}
	st := p.get(t, u.ID)
	e := events[len(events)-1]
	if e.Event != "dossier.checked" || e.ID != u.ID || e.Procedure != "be-pcp-m36" || e.Verdict == "" ||
		st.Report == nil || e.Verdict != string(st.Report.Verdict) || e.ReportURL != "http://"+s.http+"/v1/dossiers/"+u.ID {
		t.Errorf("event %+v; report %+v", e, st.Report)
	}
	// Each attempt is recorded (the last one once the deliverer stored it).
	var ds struct {
		Deliveries []struct {
			Attempt    int    `json:"attempt"`
			StatusCode int    `json:"status_code"`
			Event      string `json:"event"`
		} `json:"deliveries"`
	}
	waitFor(t, 10*time.Second, func() bool {
		resp := p.do(t, http.MethodGet, "/v1/dossiers/"+u.ID+"/deliveries", "", nil)
		defer resp.Body.Close()
		return json.NewDecoder(resp.Body).Decode(&ds) == nil && len(ds.Deliveries) == 3
	})
	for i, want := range []int{500, 500, 200} {
		if d := ds.Deliveries[i]; d.Attempt != i+1 || d.StatusCode != want || d.Event != "dossier.checked" {
			t.Errorf("delivery %d: %+v, want attempt %d status %d", i, d, i+1, want)
		}
	}
	// The worker's metrics count them; intake's count the upload.
	for _, m := range []struct{ addr, want string }{
		{metricsAddr, `dossiercheck_webhook_deliveries_total{event="dossier.checked",outcome="failed"} 2`},
		{metricsAddr, `dossiercheck_webhook_deliveries_total{event="dossier.checked",outcome="delivered"} 1`},
		{metricsAddr, `dossiercheck_verdicts_total{procedure="be-pcp-m36"`},
		{metricsAddr, `dossiercheck_queue_tasks{queue="webhooks",state="pending"}`},
		{s.http, `dossiercheck_uploads_total{outcome="queued"} 1`},
	} {
		resp, err := http.Get("http://" + m.addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), m.want) {
			t.Errorf("%s/metrics lacks %s", m.addr, m.want)
		}
	}
	if n := countLines(t, []string{u.ID, "webhook delivered"}, w); n != 1 {
		t.Errorf("%d 'webhook delivered' log lines, want 1", n)
	}
}

// /readyz says 503 while Redis is down (a Redis of the test's own);
// /healthz stays 200.
func TestReadyzWithRedisStopped(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	get := func(path string) int {
		resp, err := http.Get("http://" + s.http + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := get("/readyz"); c != 200 {
		t.Fatalf("readyz with Redis up: %d", c)
	}
	_, port, _ := strings.Cut(s.redis, ":")
	if out, err := exec.Command("redis-cli", "-h", "127.0.0.1", "-p", port, "SHUTDOWN", "NOSAVE").CombinedOutput(); err != nil && !strings.Contains(string(out), "connection") {
		t.Logf("redis shutdown: %v %s", err, out)
	}
	waitFor(t, 10*time.Second, func() bool { return get("/readyz") == 503 })
	if c := get("/healthz"); c != 200 {
		t.Errorf("healthz with Redis down: %d", c)
	}
	resp, _ := http.Get("http://" + s.http + "/readyz")
	if code := errorCode(t, resp); code != "not_ready" {
		t.Errorf("readyz error code %q", code)
	}
}
