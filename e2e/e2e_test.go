// Package e2e starts the real binaries (intake, worker) against a real
// redis-server and drives them over HTTP, as a portal would.
package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/report"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dossier-e2e-bin")
	if err != nil {
		panic(err)
	}
	cmd := exec.Command("go", "build", "-o", dir+"/", "dossiercheck/cmd/intake", "dossiercheck/cmd/worker", "dossiercheck/cmd/dossier")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
	bin = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// proc starts a binary and stops it (SIGTERM) at the end of the test.
func proc(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	logf, _ := os.Create(filepath.Join(t.TempDir(), filepath.Base(name)+".log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
		}
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("%s log:\n%s", filepath.Base(name), tail(string(b), 3000))
		}
	})
	return cmd
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func startRedis(t *testing.T, addr string) {
	_, port, _ := net.SplitHostPort(addr)
	proc(t, "redis-server", "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	waitFor(t, 10*time.Second, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", d)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

type service struct {
	data, redis, http string
	// key is the API key of the portal "e2e", made before the first
	// intake starts.
	key *string
}

func newService(t *testing.T) service {
	s := service{data: t.TempDir(), redis: freePort(t), key: new(string)}
	// A port just closed may be handed out again at once.
	for s.http = freePort(t); s.http == s.redis; s.http = freePort(t) {
	}
	return s
}

// creds is what dossier portal add prints.
type creds struct {
	Portal        string `json:"portal"`
	APIKey        string `json:"api_key"`
	WebhookSecret string `json:"webhook_secret"`
}

// addPortal runs dossier portal add on the service's store (args: more
// flags, such as -store and --webhook).
func (s service) addPortal(t *testing.T, name string, args ...string) creds {
	t.Helper()
	out, err := exec.Command(bin+"/dossier", append([]string{"portal", "add", name, "-data", s.data}, args...)...).Output()
	var c creds
	if err != nil || json.Unmarshal(out, &c) != nil || c.APIKey == "" || c.Portal != name {
		t.Fatalf("portal add %s: %v %s", name, err, out)
	}
	return c
}

// intake starts intake, with a rate limit no test reaches unless args
// set one.
func (s service) intake(t *testing.T, args ...string) *exec.Cmd {
	if s.key != nil && *s.key == "" {
		var storeArgs []string
		for i, a := range args {
			if a == "-store" && i+1 < len(args) {
				storeArgs = append(storeArgs, a, args[i+1])
			}
		}
		*s.key = s.addPortal(t, "e2e", storeArgs...).APIKey
	}
	cmd := proc(t, bin+"/intake", append([]string{"-data", s.data, "-redis", s.redis, "-addr", s.http, "-rate", "1000", "-burst", "1000"}, args...)...)
	waitFor(t, 10*time.Second, func() bool {
		r, err := http.Get("http://" + s.http + "/healthz")
		if err == nil {
			r.Body.Close()
		}
		return err == nil && r.StatusCode == 200
	})
	return cmd
}

func (s service) worker(t *testing.T, args ...string) *exec.Cmd {
	return proc(t, bin+"/worker", append([]string{"-data", s.data, "-redis", s.redis, "-concurrency", "1"}, args...)...)
}

// request sends a request to intake as the portal "e2e".
func (s service) request(method, path, contentType string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequest(method, "http://"+s.http+path, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if s.key != nil && *s.key != "" {
		req.Header.Set("Authorization", "Bearer "+*s.key)
	}
	return http.DefaultClient.Do(req)
}

// do is request, failing t on a transport error.
func (s service) do(t *testing.T, method, path, contentType string, body io.Reader) *http.Response {
	t.Helper()
	resp, err := s.request(method, path, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

type upload struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

func (s service) upload(t *testing.T, procedure string, files map[string][]byte) upload {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("procedure", procedure)
	mw.WriteField("submitted", "2026-11-10")
	for name, b := range files {
		w, _ := mw.CreateFormFile("files", name)
		w.Write(b)
	}
	mw.Close()
	resp := s.do(t, http.MethodPost, "/v1/dossiers", mw.FormDataContentType(), &body)
	defer resp.Body.Close()
	var u upload
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusAccepted || json.Unmarshal(b, &u) != nil || u.ID == "" {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	return u
}

type status struct {
	Status string         `json:"status"`
	Report *report.Report `json:"report"`
	Error  string         `json:"error"`
}

func (s service) get(t *testing.T, id string) status {
	t.Helper()
	resp := s.do(t, http.MethodGet, "/v1/dossiers/"+id, "", nil)
	defer resp.Body.Close()
	var st status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func (s service) waitDone(t *testing.T, id string, d time.Duration) report.Report {
	t.Helper()
	var st status
	waitFor(t, d, func() bool {
		st = s.get(t, id)
		return st.Status == "done" || st.Status == "failed"
	})
	if st.Status != "done" || st.Report == nil {
		t.Fatalf("dossier %s ended %s: %s", id, st.Status, st.Error)
	}
	return *st.Report
}

var day = func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func antsDossier(pages int) map[string][]byte {
	bill := fixtures.JPEG(fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: day(2026, 3, 14)}.Render(300), fixtures.Defects{SkewDeg: 2, Noise: 5, Seed: 3}), 85)
	files := map[string][]byte{
		"bill.jpg":  bill,
		"id.jpg":    fixtures.JPEG(fixtures.IDCard(fixtures.Jean, "X4RTBPFW4", day(2031, 5, 1), 600), 90),
		"photo.jpg": fixtures.JPEG(fixtures.Photo(300), 90),
	}
	for i := 1; i < pages; i++ {
		// Extra scanned pages (another bill each) make a dossier long
		// enough to be interrupted.
		files[fmt.Sprintf("extra-%d.jpg", i)] = fixtures.JPEG(fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: day(2026, 3, i)}.Render(300), fixtures.Defects{Noise: 5, Seed: uint64(i)}), 85)
	}
	return files
}

func assertANTS4Fails(t *testing.T, r report.Report, quote string) {
	t.Helper()
	if r.Verdict != report.Reject {
		t.Errorf("verdict %s, want reject", r.Verdict)
	}
	for _, f := range r.Findings {
		if f.Rule == "ANTS-4" && f.Outcome == report.Fail && strings.Contains(f.Evidence[0].Text, quote) {
			return
		}
	}
	t.Errorf("no failed ANTS-4 quoting %q in %+v", quote, r.Findings)
}

func TestUploadToReport(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	s.worker(t)
	// Bad files first: the worker turns them into findings and keeps serving.
	form, err := fixtures.F02{Candidate: fixtures.Jean, Model: "M36"}.PDF()
	if err != nil {
		t.Fatal(err)
	}
	locked, err := fixtures.Encrypt(form, "secret")
	if err != nil {
		t.Fatal(err)
	}
	bad := s.upload(t, "fr-ants-permis", map[string][]byte{
		"corrupt.pdf":   form[:len(form)/2],
		"locked.pdf":    locked,
		"huge.png":      fixtures.BombPNG(30000, 30000),
		"png-named.pdf": fixtures.PNG(fixtures.Photo(100)),
	})
	if r := s.waitDone(t, bad.ID, 2*time.Minute); r.Verdict == report.Accept {
		t.Errorf("bad files accepted: %+v", r)
	}
	u := s.upload(t, "fr-ants-permis", antsDossier(1))
	if u.Status != "queued" {
		t.Errorf("status after upload %q, want queued", u.Status)
	}
	assertANTS4Fails(t, s.waitDone(t, u.ID, 2*time.Minute), "14/03/2026")

	// Batch reprocessing re-runs it (from the OCR cache) on the batch queue.
	out, err := exec.Command(bin+"/dossier", "reprocess", "-data", s.data, "-redis", s.redis, u.ID).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "1 dossier(s) queued") {
		t.Fatalf("reprocess: %v %s", err, out)
	}
	assertANTS4Fails(t, s.waitDone(t, u.ID, 2*time.Minute), "14/03/2026")

	// Bad requests get precise JSON errors.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("procedure", "fr-nope")
	w, _ := mw.CreateFormFile("files", "a.pdf")
	w.Write([]byte("%PDF-1.4"))
	mw.Close()
	resp := s.do(t, http.MethodPost, "/v1/dossiers", mw.FormDataContentType(), &body)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(b), `"code":"unknown_procedure"`) {
		t.Errorf("unknown procedure: %d %s", resp.StatusCode, b)
	}

	// Purging removes the dossier.
	resp, err = s.request(http.MethodDelete, "/v1/dossiers/"+u.ID, "", nil)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("purge: %v %v", err, resp)
	}
	resp = s.do(t, http.MethodGet, "/v1/dossiers/"+u.ID, "", nil)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("after purge: %d", resp.StatusCode)
	}
}

// Redis is down when the portal uploads: the upload still succeeds, the
// dossier waits as "received", and once Redis is back it is processed.
func TestRedisDownAtUpload(t *testing.T) {
	t.Parallel()
	s := newService(t)
	s.intake(t)
	u := s.upload(t, "fr-ants-permis", antsDossier(1))
	if u.Status != "received" {
		t.Fatalf("status %q, want received", u.Status)
	}
	if st := s.get(t, u.ID); st.Status != "received" {
		t.Fatalf("stored status %q", st.Status)
	}
	startRedis(t, s.redis)
	s.worker(t) // its reconciler queues what was received while Redis was down
	assertANTS4Fails(t, s.waitDone(t, u.ID, 2*time.Minute), "14/03/2026")
}

// A worker killed with SIGKILL in the middle of a dossier: a new worker
// completes it (asynq recovers the task once its lease expires, ~1 min).
func TestWorkerKilledMidDossier(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 90 s: asynq's lease recovery")
	}
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	w := s.worker(t)
	u := s.upload(t, "fr-ants-permis", antsDossier(8))
	waitFor(t, time.Minute, func() bool { return s.get(t, u.ID).Status == "processing" })
	time.Sleep(time.Second)
	if err := w.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	w.Wait()
	if st := s.get(t, u.ID); st.Status != "processing" {
		t.Fatalf("status after kill %q, want processing (killed mid-dossier)", st.Status)
	}
	s.worker(t)
	assertANTS4Fails(t, s.waitDone(t, u.ID, 4*time.Minute), "Date de facture")
}

// Redis loses a queued task (restarted without persistence): the worker's
// reconciler finds the dossier still "queued" and puts it back.
func TestRedisLosesQueuedTask(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	u := s.upload(t, "fr-ants-permis", antsDossier(1))
	if u.Status != "queued" {
		t.Fatalf("status %q", u.Status)
	}
	host, port, _ := net.SplitHostPort(s.redis)
	if out, err := exec.Command("redis-cli", "-h", host, "-p", port, "FLUSHALL").CombinedOutput(); err != nil {
		t.Fatalf("flush: %v %s", err, out)
	}
	s.worker(t, "-requeue-after", "2s")
	assertANTS4Fails(t, s.waitDone(t, u.ID, 2*time.Minute), "14/03/2026")
}
