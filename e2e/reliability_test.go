package e2e

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
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

	"github.com/hibiken/asynq"
	_ "modernc.org/sqlite"

	"dossiercheck/fixtures"
)

// logOf is the log file of a process started by proc.
func logOf(cmd *exec.Cmd) string { return cmd.Stderr.(*os.File).Name() }

// countLines counts the log lines of cmds that contain every one of subs.
func countLines(t *testing.T, subs []string, cmds ...*exec.Cmd) int {
	t.Helper()
	n := 0
	for _, c := range cmds {
		b, _ := os.ReadFile(logOf(c))
		for _, l := range strings.Split(string(b), "\n") {
			ok := true
			for _, s := range subs {
				ok = ok && strings.Contains(l, s)
			}
			if ok {
				n++
			}
		}
	}
	return n
}

// stop ends a process started by proc now (SIGTERM, or SIGKILL if kill).
func stop(cmd *exec.Cmd, kill bool) {
	if kill {
		cmd.Process.Kill()
	} else {
		cmd.Process.Signal(syscall.SIGTERM)
	}
	cmd.Wait()
}

// db opens the service's SQLite database for reading.
func db(t *testing.T, dir string) *sql.DB {
	d, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "dossiers.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func count(t *testing.T, d *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// unreferenced lists the files on disk that no dossier holds: blobs not in
// the files table, anything left in staging or trash.
func unreferenced(t *testing.T, dir string) (paths []string, size int64) {
	t.Helper()
	d := db(t, dir)
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		top, _, _ := strings.Cut(rel, string(filepath.Separator))
		if top != "blobs" && top != "staging" && top != "trash" {
			return nil
		}
		if top == "blobs" && count(t, d, `SELECT COUNT(*) FROM files WHERE sha256 = ?`, e.Name()) > 0 {
			return nil
		}
		fi, _ := e.Info()
		paths = append(paths, rel)
		size += fi.Size()
		return nil
	})
	return paths, size
}

// f02 is a small dossier that needs no OCR (a fillable form); n makes its
// bytes, hence its blob, unique.
func f02(t *testing.T, n int) map[string][]byte {
	t.Helper()
	pdf, err := fixtures.F02{Candidate: fixtures.Jean, Model: "M36"}.PDF()
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"f02.pdf": append(pdf, fmt.Sprintf("%% dossier %d\n", n)...)}
}

// post sends one multipart upload as the portal "e2e"; fields before
// files, in order.
func post(s service, fields [][2]string, files map[string][]byte) (int, []byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for name, b := range files {
		w, _ := mw.CreateFormFile("files", name)
		w.Write(b)
	}
	mw.Close()
	resp, err := s.request(http.MethodPost, "/v1/dossiers", mw.FormDataContentType(), &body)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, nil
}

// A task archived after its last retry (the worker could not even record
// the failure, e.g. on a full disk) is seen by the reconciler and run
// again; it used to leave the dossier "queued" for ever.
func TestArchivedTaskIsRequeued(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	u := s.upload(t, "be-pcp-m36", f02(t, 0))
	if u.Status != "queued" {
		t.Fatalf("status %q", u.Status)
	}
	in := asynq.NewInspector(asynq.RedisClientOpt{Addr: s.redis})
	defer in.Close()
	if err := in.ArchiveTask("portal", u.ID); err != nil {
		t.Fatal(err)
	}
	s.worker(t, "-requeue-after", "2s")
	s.waitDone(t, u.ID, time.Minute)
}

// Uploads refused after their files were read leave no byte on disk.
func TestRefusedUploadsLeaveNothing(t *testing.T) {
	t.Parallel()
	s := newService(t)
	s.intake(t)
	big := map[string][]byte{"scan.jpg": append(fixtures.JPEG(fixtures.Photo(100), 90), bytes.Repeat([]byte{0}, 5<<20)...)}
	many := map[string][]byte{}
	for i := range 31 {
		many[fmt.Sprintf("p%d.jpg", i)] = fixtures.JPEG(fixtures.Photo(50), 90)
	}
	for _, tt := range []struct {
		fields [][2]string
		files  map[string][]byte
		status int
	}{
		{[][2]string{{"submitted", "2026-11-10"}}, big, 400}, // procedure missing: known after the files
		{[][2]string{{"procedure", "fr-ants-permis"}}, many, 413},
		{[][2]string{{"procedure", "fr-ants-permis"}, {"submitted", "9999-12-31"}}, big, 400},
	} {
		// The procedure comes last here: after the files.
		fields := tt.fields
		status, body, err := post(s, fields, tt.files)
		if err != nil || status != tt.status {
			t.Errorf("upload: %d %s %v, want %d", status, body, err, tt.status)
		}
	}
	if paths, size := unreferenced(t, s.data); len(paths) > 0 {
		t.Errorf("refused uploads left %d files, %d bytes: %v", len(paths), size, paths)
	}
}

// A dossier purged while the worker reads it: the purge answers 204, the
// worker stops, writes no report and no OCR text, and does not log it as
// checked.
func TestPurgeDuringProcessing(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	w := s.worker(t)
	u := s.upload(t, "fr-ants-permis", antsDossier(4))
	waitFor(t, time.Minute, func() bool { return s.get(t, u.ID).Status == "processing" })
	time.Sleep(2 * time.Second) // some pages read and cached
	resp, err := s.request(http.MethodDelete, "/v1/dossiers/"+u.ID, "", nil)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("purge: %v %v", err, resp)
	}
	waitFor(t, time.Minute, func() bool { return countLines(t, []string{u.ID, "purged during processing"}, w) == 1 })
	d := db(t, s.data)
	if n := count(t, d, `SELECT COUNT(*) FROM ocr_cache`); n != 0 {
		t.Errorf("%d OCR pages cached for the purged dossier", n)
	}
	if n := countLines(t, []string{u.ID, "dossier checked"}, w); n != 0 {
		t.Errorf("purged dossier logged as checked")
	}
	if paths, _ := unreferenced(t, s.data); len(paths) > 0 {
		t.Errorf("left on disk: %v", paths)
	}
}

// Two scanned dossiers started together on a worker of concurrency 2: its
// stderr still carries both "dossier checked" lines (creating the OCR
// clients used to leave fd 2 on /dev/null).
func TestLogsAtConcurrency2(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	a := s.upload(t, "fr-ants-permis", antsDossier(1))
	b := s.upload(t, "fr-ants-permis", antsDossier(1))
	w := s.worker(t, "-concurrency", "2")
	s.waitDone(t, a.ID, 3*time.Minute)
	s.waitDone(t, b.ID, 3*time.Minute)
	time.Sleep(200 * time.Millisecond)
	if n := countLines(t, []string{"dossier checked"}, w); n != 2 {
		t.Errorf("%d \"dossier checked\" lines for 2 dossiers", n)
	}
}

// slowUpload opens a connection and sends the start of an upload (as the
// portal "e2e"), then nothing more.
func slowUpload(t *testing.T, s service) net.Conn {
	c, err := net.Dial("tcp", s.http)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "POST /v1/dossiers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"procedure\"\r\n\r\nfr-ants-permis\r\n--b\r\n", *s.key)
	return c
}

// Stalled uploads are bounded: past -max-uploads the next one is refused
// with 503 and Retry-After, and a stalled body is cut after
// -upload-timeout; no connection is held beyond.
func TestStalledUploadsAreBounded(t *testing.T) {
	t.Parallel()
	s := newService(t)
	s.intake(t, "-max-uploads", "4", "-upload-timeout", "3s")
	var conns []net.Conn
	for range 40 {
		conns = append(conns, slowUpload(t, s))
	}
	// The connections beyond the cap are answered 503 at once.
	busy := 0
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(time.Second))
		line, _ := bufio.NewReader(c).ReadString('\n')
		if strings.Contains(line, " 503 ") {
			busy++
		}
	}
	if busy < 40-4 {
		t.Errorf("%d of 40 stalled uploads refused at once, want at least 36", busy)
	}
	// After the upload timeout, every connection is closed by intake.
	time.Sleep(4 * time.Second)
	held := 0
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		_, err := io.ReadAll(c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			held++
		}
		c.Close()
	}
	if held != 0 {
		t.Errorf("%d connections still held after the upload timeout", held)
	}
	if paths, _ := unreferenced(t, s.data); len(paths) > 0 {
		t.Errorf("stalled uploads left %v", paths)
	}
}

// SIGTERM during an upload: intake stops listening but finishes the
// upload, and only then exits.
func TestGracefulStopFinishesUploads(t *testing.T) {
	t.Parallel()
	s := newService(t)
	intake := s.intake(t)
	exited := make(chan error, 1)
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := s.request(http.MethodPost, "/v1/dossiers", mw.FormDataContentType(), pr)
		if err != nil {
			res <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{status: resp.StatusCode, body: string(b)}
	}()
	mw.WriteField("procedure", "be-pcp-m36")
	w, _ := mw.CreateFormFile("files", "f02.pdf")
	pdf := f02(t, 1)["f02.pdf"]
	w.Write(pdf[:len(pdf)/2])
	time.Sleep(500 * time.Millisecond)
	intake.Process.Signal(syscall.SIGTERM)
	go func() { exited <- intake.Wait() }()
	time.Sleep(time.Second)
	w.Write(pdf[len(pdf)/2:])
	mw.Close()
	pw.Close()
	r := <-res
	if r.err != nil || r.status != http.StatusAccepted {
		t.Fatalf("upload during shutdown: %d %s %v", r.status, r.body, r.err)
	}
	var u upload
	json.Unmarshal([]byte(r.body), &u)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("intake exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("intake still running 10 s after SIGTERM")
	}
	if n := count(t, db(t, s.data), `SELECT COUNT(*) FROM dossiers WHERE id = ?`, u.ID); n != 1 {
		t.Errorf("dossier %s not stored", u.ID)
	}
}

// Data at rest is private, and retention purges a dossier its period
// after its report, with the files and the OCR text.
func TestPrivateDataAndRetention(t *testing.T) {
	t.Parallel()
	s := newService(t)
	startRedis(t, s.redis)
	s.intake(t)
	s.worker(t, "-retention", "90,fr-ants-permis=4s", "-housekeeping", "1s")
	keep := s.upload(t, "be-pcp-m36", f02(t, 2))
	gone := s.upload(t, "fr-ants-permis", antsDossier(1))
	s.waitDone(t, keep.ID, time.Minute)
	s.waitDone(t, gone.ID, 2*time.Minute)
	filepath.WalkDir(s.data, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		fi, _ := e.Info()
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v: readable by others", p, fi.Mode().Perm())
		}
		return nil
	})
	waitFor(t, 20*time.Second, func() bool {
		resp, err := s.request(http.MethodGet, "/v1/dossiers/"+gone.ID, "", nil)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 404
	})
	if st := s.get(t, keep.ID); st.Status != "done" {
		t.Errorf("dossier under the 90-day default: %s", st.Status)
	}
	d := db(t, s.data)
	// The dossier kept keeps its reading (the stored readings share the
	// cache); nothing read from the purged one's files is left.
	if n := count(t, d, `SELECT COUNT(*) FROM ocr_cache WHERE source NOT IN (SELECT sha256 FROM files)`); n != 0 {
		t.Errorf("%d OCR pages or readings of purged files left after retention", n)
	}
	if paths, _ := unreferenced(t, s.data); len(paths) > 0 {
		t.Errorf("left on disk: %v", paths)
	}
}
