package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"dossiercheck/dossier"
	"dossiercheck/store"
	"dossiercheck/webhook"
)

func TestSignVerify(t *testing.T) {
	now := time.Unix(1_790_000_000, 0)
	body := []byte(`{"event":"dossier.checked","id":"x"}`)
	sig := webhook.Sign("whsec_a", now, body)
	if !strings.HasPrefix(sig, "t=1790000000,v1=") || len(sig) != len("t=1790000000,v1=")+64 {
		t.Fatalf("signature %q", sig)
	}
	tests := []struct {
		name   string
		secret string
		header string
		body   string
		now    time.Time
		ok     bool
	}{
		{"valid", "whsec_a", sig, string(body), now, true},
		{"valid, 4 min later", "whsec_a", sig, string(body), now.Add(4 * time.Minute), true},
		{"too old", "whsec_a", sig, string(body), now.Add(6 * time.Minute), false},
		{"other secret", "whsec_b", sig, string(body), now, false},
		{"body changed", "whsec_a", sig, string(body) + " ", now, false},
		{"no time", "whsec_a", strings.TrimPrefix(sig, "t=1790000000,"), string(body), now, false},
		{"time changed", "whsec_a", strings.Replace(sig, "t=1790000000", "t=1790000001", 1), string(body), now, false},
	}
	for _, tt := range tests {
		err := webhook.Verify(tt.secret, tt.header, []byte(tt.body), 5*time.Minute, tt.now)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	b := webhook.DefaultBackoff
	for n, want := range map[int]time.Duration{0: 30 * time.Second, 1: time.Minute, 2: 2 * time.Minute, 7: time.Hour, 40: time.Hour} {
		if got := b.Delay(n); got != want {
			t.Errorf("delay %d: %s, want %s", n, got, want)
		}
	}
	// MaxRetry's delays reach the window, one fewer does not.
	var total time.Duration
	for n := range b.MaxRetry() {
		if n == b.MaxRetry()-1 && total >= b.Window {
			t.Errorf("%d retries already reach %s", n, total)
		}
		total += b.Delay(n)
	}
	if total < b.Window {
		t.Errorf("%d retries span %s, under %s", b.MaxRetry(), total, b.Window)
	}
}

// receiver is a portal's endpoint: it answers the statuses in order (200
// after them) and checks each signature.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	got      []webhook.Event
	bad      []string
}

func (rv *receiver) handler(secret string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rv.mu.Lock()
		defer rv.mu.Unlock()
		if err := webhook.Verify(secret, r.Header.Get(webhook.SignatureHeader), body, time.Minute, time.Now()); err != nil {
			rv.bad = append(rv.bad, err.Error())
		}
		var e webhook.Event
		json.Unmarshal(body, &e)
		rv.got = append(rv.got, e)
		status := 200
		if len(rv.statuses) > 0 {
			status, rv.statuses = rv.statuses[0], rv.statuses[1:]
		}
		w.WriteHeader(status)
	}
}

func task(t *testing.T, id string) *asynq.Task {
	b, _ := json.Marshal(map[string]any{"id": id, "event": webhook.Checked, "at": time.Now()})
	return asynq.NewTask(webhook.TaskDeliver, b)
}

func TestDeliverer(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rv := &receiver{statuses: []int{500, 302}}
	ts := httptest.NewServer(rv.handler("whsec_test"))
	defer ts.Close()
	if err := st.AddPortal(ctx, store.Portal{Name: "p", WebhookURL: ts.URL + "/hook", WebhookSecret: "whsec_test"}, "h"); err != nil {
		t.Fatal(err)
	}
	stg, _ := st.Stage()
	sha, n, _ := stg.Put(strings.NewReader("%PDF-1 x"), 100)
	d := dossier.Dossier{ID: store.NewID(), Procedure: "be-pcp-m36", Submitted: time.Now(), Status: dossier.Received,
		Files: []dossier.File{{Name: "f.pdf", SHA256: sha, Size: n, Type: dossier.PDF}}}
	if _, err := st.CreateFrom(ctx, &d, stg, store.Origin{Portal: "p"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Finish(ctx, d.ID, []byte(`{"verdict":"accept"}`), ""); err != nil {
		t.Fatal(err)
	}
	dl := &webhook.Deliverer{Store: st, BaseURL: "https://dossiers.example/", Backoff: webhook.DefaultBackoff,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for i, wantErr := range []bool{true, true, false} {
		if err := dl.ProcessTask(ctx, task(t, d.ID)); (err != nil) != wantErr {
			t.Errorf("attempt %d: %v", i+1, err)
		}
	}
	ds, err := st.Deliveries(ctx, d.ID)
	if err != nil || len(ds) != 3 || ds[0].StatusCode != 500 || ds[1].StatusCode != 302 || ds[2].StatusCode != 200 || ds[2].Error != "" || ds[0].URL != ts.URL+"/hook" {
		t.Errorf("deliveries %+v %v", ds, err)
	}
	want := webhook.Event{Event: webhook.Checked, ID: d.ID, Procedure: "be-pcp-m36", Verdict: "accept", ReportURL: "https://dossiers.example/v1/dossiers/" + d.ID}
	if len(rv.got) != 3 || rv.got[2] != want || len(rv.bad) > 0 {
		t.Errorf("received %+v (bad signatures %v), want %+v", rv.got, rv.bad, want)
	}
	// Past the window, a failure ends the retries.
	rv.statuses = []int{503}
	short := *dl
	short.Backoff.Window = time.Second
	if err := short.ProcessTask(ctx, task(t, d.ID)); !errors.Is(err, asynq.SkipRetry) {
		t.Errorf("failure past the window: %v, want SkipRetry", err)
	}
	// A revoked portal, or a purged dossier, gets nothing: the task ends.
	st.RevokePortal(ctx, "p")
	if err := dl.ProcessTask(ctx, task(t, d.ID)); err != nil || len(rv.got) != 4 {
		t.Errorf("revoked portal: %v, %d requests", err, len(rv.got))
	}
	st.Purge(ctx, d.ID)
	if err := dl.ProcessTask(ctx, task(t, d.ID)); err != nil || len(rv.got) != 4 {
		t.Errorf("purged dossier: %v, %d requests", err, len(rv.got))
	}
	// A payload that does not parse is not retried.
	if err := dl.ProcessTask(ctx, asynq.NewTask(webhook.TaskDeliver, []byte("{"))); !errors.Is(err, asynq.SkipRetry) {
		t.Errorf("bad payload: %v", err)
	}
}
