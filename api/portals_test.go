package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"dossiercheck/api"
	"dossiercheck/store"
)

// spec checks responses against the OpenAPI document the API serves:
// the schema of the path's operation for the response's status.
type spec struct {
	c     *jsonschema.Compiler
	mu    sync.Mutex
	cache map[string]*jsonschema.Schema
}

func newSpec(t *testing.T) *spec {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPI()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("file:///openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	return &spec{c: c, cache: map[string]*jsonschema.Schema{}}
}

// check validates a JSON response of the operation (method, path as
// written in the document) against its schema; a status the document
// does not list for the operation fails.
func (s *spec) check(t *testing.T, method, path string, status int, body []byte) {
	t.Helper()
	if err := s.validate(method, path, status, body); err != nil {
		t.Errorf("%s %s %d: %v\n%s", method, path, status, err, body)
	}
}

func (s *spec) validate(method, path string, status int, body []byte) error {
	esc := func(p string) string {
		return url.PathEscape(strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1"))
	}
	ptr := "file:///openapi.json#/paths/" + esc(path) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(status) + "/content/application~1json/schema"
	s.mu.Lock()
	sch, ok := s.cache[ptr]
	if !ok {
		var err error
		if sch, err = s.c.Compile(ptr); err != nil {
			s.mu.Unlock()
			return fmt.Errorf("not in the OpenAPI document: %w", err)
		}
		s.cache[ptr] = sch
	}
	s.mu.Unlock()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	if err := sch.Validate(v); err != nil {
		return fmt.Errorf("body does not match the OpenAPI schema: %w", err)
	}
	return nil
}

// The checker itself refuses what the document does not allow.
func TestSpecChecker(t *testing.T) {
	sp := newSpec(t)
	for _, tt := range []struct {
		method, path string
		status       int
		body         string
		ok           bool
	}{
		{"GET", "/v1/dossiers", 200, `{"dossiers":[]}`, true},
		{"GET", "/v1/dossiers", 200, `{}`, false},
		{"GET", "/v1/dossiers", 200, `{"dossiers":[{"id":"x"}]}`, false},
		{"GET", "/v1/dossiers/{id}", 200, `{"id":"x","status":"lost"}`, false},
		{"GET", "/v1/dossiers/{id}", 200, `{"id":"x","status":"done","report":{"procedure":"p","submitted":"s","verdict":"accept","findings":[]}}`, true},
		{"GET", "/v1/dossiers/{id}", 418, `{}`, false},
		{"POST", "/v1/dossiers", 409, `{"error":{"code":"idempotency_conflict","message":"m"}}`, true},
		{"POST", "/v1/dossiers", 409, `{"error":"x"}`, false},
	} {
		if err := sp.validate(tt.method, tt.path, tt.status, []byte(tt.body)); (err == nil) != tt.ok {
			t.Errorf("%s %s %d %s: %v, want ok=%v", tt.method, tt.path, tt.status, tt.body, err, tt.ok)
		}
	}
}

// call sends a request as c, checks its response against the document,
// and returns it (body read).
func (s *spec) call(t *testing.T, c client, method, path, tmpl string, header ...string) (*http.Response, []byte) {
	t.Helper()
	resp := c.do(t, method, path, "", nil, header...)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		s.check(t, method, tmpl, resp.StatusCode, b)
	}
	return resp, b
}

const pdf = "%PDF-1.4 tiny"

func upload(t *testing.T, sp *spec, c client, content string, header ...string) (int, http.Header, map[string]any) {
	t.Helper()
	status, h, body := postWith(t, c, header, part{field: "procedure", value: "be-pcp-m36"}, part{field: "submitted", value: "2026-11-10"},
		part{"files", "f02.pdf", content})
	b, _ := json.Marshal(body)
	sp.check(t, http.MethodPost, "/v1/dossiers", status, b)
	return status, h, body
}

func TestAuthAndPortals(t *testing.T) {
	sp := newSpec(t)
	a, st, _ := serverIn(t, t.TempDir(), api.DefaultLimits, 0)
	b := addPortal(t, st, a.URL, "b", "")
	ctx := context.Background()
	status, _, body := upload(t, sp, a, pdf)
	if status != 202 {
		t.Fatalf("upload: %d %v", status, body)
	}
	id := body["id"].(string)
	rep := `{"procedure":"be-pcp-m36","submitted":"2026-11-10","verdict":"reject","rules_version":"x","documents":[],"findings":[{"rule":"BE-G7","outcome":"fail","message":"m","evidence":[],"source":"s"}]}`
	if err := st.Finish(ctx, id, []byte(rep), ""); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordDelivery(ctx, store.Delivery{DossierID: id, Event: "dossier.checked", Attempt: 1, URL: "http://x", StatusCode: 500, Error: "status 500"}); err != nil {
		t.Fatal(err)
	}
	revoked := addPortal(t, st, a.URL, "gone", "")
	if err := st.RevokePortal(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		c            client
		method, path string
		tmpl         string
		status       int
		code         string
	}{
		{"no key", client{URL: a.URL}, "GET", "/v1/dossiers/" + id, "/v1/dossiers/{id}", 401, "unauthorized"},
		{"no key, list", client{URL: a.URL}, "GET", "/v1/dossiers", "/v1/dossiers", 401, "unauthorized"},
		{"wrong key", client{URL: a.URL, Key: "dck_nope"}, "GET", "/v1/dossiers/" + id, "/v1/dossiers/{id}", 401, "unauthorized"},
		{"revoked key", revoked, "GET", "/v1/dossiers/" + id, "/v1/dossiers/{id}", 401, "unauthorized"},
		{"owner", a, "GET", "/v1/dossiers/" + id, "/v1/dossiers/{id}", 200, ""},
		{"other portal", b, "GET", "/v1/dossiers/" + id, "/v1/dossiers/{id}", 404, "not_found"},
		{"other portal's deliveries", b, "GET", "/v1/dossiers/" + id + "/deliveries", "/v1/dossiers/{id}/deliveries", 404, "not_found"},
		{"other portal deletes", b, "DELETE", "/v1/dossiers/" + id, "/v1/dossiers/{id}", 404, "not_found"},
		{"deliveries", a, "GET", "/v1/dossiers/" + id + "/deliveries", "/v1/dossiers/{id}/deliveries", 200, ""},
		{"unknown id", a, "GET", "/v1/dossiers/nope", "/v1/dossiers/{id}", 404, "not_found"},
	}
	for _, tt := range tests {
		resp, body := sp.call(t, tt.c, tt.method, tt.path, tt.tmpl)
		var e struct{ Error struct{ Code string } }
		json.Unmarshal(body, &e)
		if resp.StatusCode != tt.status || e.Error.Code != tt.code {
			t.Errorf("%s: %d %s, want %d %s", tt.name, resp.StatusCode, body, tt.status, tt.code)
		}
		if tt.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", tt.name, resp.Header.Get("WWW-Authenticate"))
		}
	}
	for auth, want := range map[string]int{"bearer " + a.Key: 200, "Basic " + a.Key: 401, a.Key: 401, "Bearer": 401} {
		if resp, _ := sp.call(t, a, "GET", "/v1/dossiers/"+id, "/v1/dossiers/{id}", "Authorization", auth); resp.StatusCode != want {
			t.Errorf("Authorization %.8q…: %d, want %d", auth, resp.StatusCode, want)
		}
	}
	_, body2 := sp.call(t, a, "GET", "/v1/dossiers/"+id+"/deliveries", "/v1/dossiers/{id}/deliveries")
	if !strings.Contains(string(body2), `"status_code":500`) || !strings.Contains(string(body2), `"attempt":1`) {
		t.Errorf("deliveries: %s", body2)
	}
	if ok, _ := st.Exists(ctx, id); !ok {
		t.Fatal("another portal's DELETE purged the dossier")
	}
	if _, body := sp.call(t, b, "GET", "/v1/dossiers", "/v1/dossiers"); !strings.Contains(string(body), `"dossiers":[]`) {
		t.Errorf("portal b lists %s", body)
	}
	if resp, _ := sp.call(t, a, "DELETE", "/v1/dossiers/"+id, "/v1/dossiers/{id}"); resp.StatusCode != 204 {
		t.Errorf("owner's delete: %d", resp.StatusCode)
	}
	// The document itself needs no key.
	resp := client{URL: a.URL}.do(t, "GET", "/v1/openapi.json", "", nil)
	var doc map[string]any
	json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if resp.StatusCode != 200 || doc["openapi"] != "3.1.0" {
		t.Errorf("openapi.json: %d %v", resp.StatusCode, doc["openapi"])
	}
}

func TestRateLimit(t *testing.T) {
	sp := newSpec(t)
	a, st, _ := serverIn(t, t.TempDir(), api.DefaultLimits, 0, func(s *api.Server) { s.RateLimit = api.RateLimit{PerSecond: 0.5, Burst: 3} })
	b := addPortal(t, st, a.URL, "b", "")
	for i := range 3 {
		if resp, body := sp.call(t, a, "GET", "/v1/dossiers", "/v1/dossiers"); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
		}
	}
	resp, body := sp.call(t, a, "GET", "/v1/dossiers", "/v1/dossiers")
	if resp.StatusCode != 429 || !strings.Contains(string(body), `"rate_limited"`) {
		t.Fatalf("past the burst: %d %s", resp.StatusCode, body)
	}
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 2 {
		t.Errorf("Retry-After %q, want 1 or 2 s at 0.5 a second", resp.Header.Get("Retry-After"))
	}
	// Each key has its own bucket.
	if resp, _ := sp.call(t, b, "GET", "/v1/dossiers", "/v1/dossiers"); resp.StatusCode != 200 {
		t.Errorf("other portal: %d", resp.StatusCode)
	}
}

func TestIdempotencyKey(t *testing.T) {
	sp := newSpec(t)
	a, st, _ := serverIn(t, t.TempDir(), api.DefaultLimits, 0)
	b := addPortal(t, st, a.URL, "b", "")
	status, _, first := upload(t, sp, a, pdf, "Idempotency-Key", "order-1")
	if status != 202 {
		t.Fatalf("%d %v", status, first)
	}
	tests := []struct {
		name    string
		c       client
		content string
		key     string
		status  int
		sameID  bool
		code    string
	}{
		{"retry", a, pdf, "order-1", 202, true, ""},
		{"other body", a, pdf + " changed", "order-1", 409, false, "idempotency_conflict"},
		{"other portal", b, pdf, "order-1", 202, false, ""},
		{"other key", a, pdf, "order-2", 202, false, ""},
		{"bad key", a, pdf, "bad key!", 400, false, "bad_idempotency_key"},
	}
	for _, tt := range tests {
		status, h, body := upload(t, sp, tt.c, tt.content, "Idempotency-Key", tt.key)
		if status != tt.status || errCode(body) != tt.code || (body["id"] == first["id"]) != tt.sameID {
			t.Errorf("%s: %d %v, want %d %s (same id %v)", tt.name, status, body, tt.status, tt.code, tt.sameID)
		}
		if tt.sameID && (h.Get("Idempotent-Replayed") != "true" || body["status"] != first["status"]) {
			t.Errorf("%s: replay header %q, status %v", tt.name, h.Get("Idempotent-Replayed"), body["status"])
		}
	}
	l, _ := st.List(context.Background(), store.Query{Portal: "test", Limit: 100})
	if len(l) != 2 {
		t.Errorf("portal test holds %d dossiers, want 2", len(l))
	}
}

func TestListing(t *testing.T) {
	sp := newSpec(t)
	a, st, _ := serverIn(t, t.TempDir(), api.DefaultLimits, 0)
	b := addPortal(t, st, a.URL, "b", "")
	ids := map[string]bool{}
	for i := range 23 {
		_, _, body := upload(t, sp, a, fmt.Sprintf("%s %d", pdf, i))
		ids[body["id"].(string)] = true
	}
	upload(t, sp, b, pdf)
	type page struct {
		Dossiers []struct {
			ID string
		}
		NextCursor string `json:"next_cursor"`
	}
	seen := map[string]bool{}
	pages, cursor := 0, ""
	for {
		_, body := sp.call(t, a, "GET", "/v1/dossiers?limit=10&cursor="+url.QueryEscape(cursor), "/v1/dossiers")
		var p page
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		pages++
		for _, d := range p.Dossiers {
			if seen[d.ID] || !ids[d.ID] {
				t.Errorf("%s listed twice or not portal a's", d.ID)
			}
			seen[d.ID] = true
		}
		if p.NextCursor == "" || pages > 5 {
			break
		}
		cursor = p.NextCursor
	}
	if len(seen) != len(ids) || pages != 3 {
		t.Errorf("%d dossiers in %d pages, want %d in 3", len(seen), pages, len(ids))
	}
	for _, tt := range []struct {
		query  string
		status int
		n      int
	}{
		{"status=received", 200, 23},
		{"status=done", 200, 0},
		{"procedure=be-pcp-m36&limit=200", 200, 23},
		{"since=" + time.Now().Add(time.Hour).UTC().Format(time.RFC3339), 200, 0},
		{"since=2000-01-01", 200, 23},
		{"verdict=accept", 200, 0},
		{"status=lost", 400, 0},
		{"limit=0", 400, 0},
		{"limit=201", 400, 0},
		{"since=yesterday", 400, 0},
		{"cursor=garbage", 400, 0},
	} {
		resp, body := sp.call(t, a, "GET", "/v1/dossiers?"+tt.query, "/v1/dossiers")
		var p page
		json.Unmarshal(body, &p)
		if resp.StatusCode != tt.status || len(p.Dossiers) != min(tt.n, 50) {
			t.Errorf("%s: %d, %d dossiers; want %d, %d", tt.query, resp.StatusCode, len(p.Dossiers), tt.status, tt.n)
		}
	}
}

func TestReadyzAndRequestIDs(t *testing.T) {
	sp := newSpec(t)
	var logs bytes.Buffer
	var down error
	a, _, _ := serverIn(t, t.TempDir(), api.DefaultLimits, 0, func(s *api.Server) {
		s.Ready = func(context.Context) error { return down }
		s.Log = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	anon := client{URL: a.URL}
	if resp, body := sp.call(t, anon, "GET", "/readyz", "/readyz"); resp.StatusCode != 200 {
		t.Errorf("ready: %d %s", resp.StatusCode, body)
	}
	down = errors.New("redis: connection refused")
	if resp, body := sp.call(t, anon, "GET", "/readyz", "/readyz"); resp.StatusCode != 503 || !strings.Contains(string(body), "not_ready") {
		t.Errorf("not ready: %d %s", resp.StatusCode, body)
	}
	if resp := anon.do(t, "GET", "/healthz", "", nil); resp.StatusCode != 200 {
		t.Errorf("healthz while not ready: %d", resp.StatusCode)
	}
	resp := a.do(t, "GET", "/v1/dossiers?procedure=x", "", nil, "X-Request-Id", "portal-req.42")
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "portal-req.42" {
		t.Errorf("echoed request id %q", got)
	}
	resp = a.do(t, "GET", "/v1/dossiers", "", nil, "X-Request-Id", "bad id\twith spaces")
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); len(got) != 24 {
		t.Errorf("generated request id %q", got)
	}
	// Declared personal data never reaches the log.
	status, _, _ := postWith(t, a, nil, part{field: "procedure", value: "fr-ants-permis"},
		part{field: "declared", value: `{"applicant":{"last_name":"ZORGLUBSON"}}`}, part{"files", "a.pdf", pdf})
	if status != 202 {
		t.Fatalf("upload %d", status)
	}
	out := logs.String()
	if !strings.Contains(out, `"request_id":"portal-req.42"`) || !strings.Contains(out, `"route":"GET /v1/dossiers"`) ||
		!strings.Contains(out, `"portal":"test"`) {
		t.Errorf("access log lacks request id, route or portal:\n%s", out)
	}
	if strings.Contains(out, "ZORGLUBSON") || strings.Contains(out, "procedure=x") {
		t.Errorf("personal data or query string in the log:\n%s", out)
	}
}
