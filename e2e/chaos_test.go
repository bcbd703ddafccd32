package e2e

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestChaos runs dossiers through intake and two workers while it kills a
// worker, restarts Redis (without persistence: its tasks are lost) and
// intake, and fills the disk (a tmpfs, when this test may mount one) and
// frees it. Every dossier must end done, checked exactly once, and nothing
// may be left on disk that no dossier references. DOSSIER_CHAOS=N runs N
// dossiers instead of 100.
func TestChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("about 2 minutes")
	}
	total := 100
	if n, err := strconv.Atoi(os.Getenv("DOSSIER_CHAOS")); err == nil && n > 0 {
		total = n
	}
	s := newService(t)
	s.data = filepath.Join(t.TempDir(), "data")
	os.MkdirAll(s.data, 0o700)
	tmpfs := exec.Command("mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", s.data).Run() == nil
	if tmpfs {
		// Registered first, so it runs after the processes are stopped.
		t.Cleanup(func() { exec.Command("umount", "-l", s.data).Run() })
	} else {
		t.Log("cannot mount a tmpfs here: the disk-full phase is skipped")
	}
	_, port, _ := net.SplitHostPort(s.redis)
	redisDir := t.TempDir()
	redis := func() *exec.Cmd {
		c := proc(t, "redis-server", "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no", "--dir", redisDir)
		waitFor(t, 10*time.Second, func() bool {
			c, err := net.Dial("tcp", s.redis)
			if err == nil {
				c.Close()
			}
			return err == nil
		})
		return c
	}
	rd := redis()
	intake := s.intake(t)
	workerArgs := []string{"-requeue-after", "3s"}
	workers := []*exec.Cmd{s.worker(t, workerArgs...), s.worker(t, workerArgs...)}

	var mu sync.Mutex
	var ids []string
	accepted := func() int { mu.Lock(); defer mu.Unlock(); return len(ids) }
	next := make(chan int)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				files := f02(t, i)
				for try := 0; ; try++ {
					// Refused (disk full, busy) or not answered (intake
					// restarting): the upload is sent again.
					status, body, err := post(s, [][2]string{{"procedure", "be-pcp-m36"}, {"submitted", "2026-11-10"}}, files)
					if err == nil && status == 202 {
						var u upload
						json.Unmarshal(body, &u)
						mu.Lock()
						ids = append(ids, u.ID)
						mu.Unlock()
						break
					}
					if try > 300 {
						t.Errorf("upload %d never accepted: %d %s %v", i, status, body, err)
						return
					}
					time.Sleep(200 * time.Millisecond)
				}
			}
		}()
	}
	go func() {
		for i := range total {
			next <- i
			time.Sleep(30 * time.Millisecond)
		}
		close(next)
	}()
	at := func(frac float64) {
		waitFor(t, 2*time.Minute, func() bool { return accepted() >= int(frac*float64(total)) })
	}
	at(0.2)
	t.Log("kill -9 a worker, start another")
	stop(workers[0], true)
	workers = append(workers, s.worker(t, workerArgs...))
	at(0.4)
	t.Log("restart Redis, empty")
	stop(rd, false)
	time.Sleep(time.Second)
	rd = redis()
	at(0.6)
	t.Log("restart intake")
	stop(intake, false)
	intake = s.intake(t)
	at(0.8)
	if tmpfs {
		t.Log("fill the disk")
		fill := filepath.Join(s.data, "fill")
		f, _ := os.Create(fill)
		buf := make([]byte, 1<<20)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Errorf("fill: %v", err)
				}
				break
			}
		}
		f.Close()
		time.Sleep(3 * time.Second)
		os.Remove(fill)
		t.Log("disk freed")
	}
	wg.Wait()
	if accepted() != total {
		t.Fatalf("%d of %d uploads accepted", accepted(), total)
	}
	for _, id := range ids {
		s.waitDone(t, id, 3*time.Minute)
	}
	d := db(t, s.data)
	if n := count(t, d, `SELECT COUNT(*) FROM dossiers`); n != total {
		t.Errorf("%d dossiers stored for %d accepted uploads", n, total)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM dossiers WHERE status != 'done'`); n != 0 {
		t.Errorf("%d dossiers not done", n)
	}
	for _, id := range ids {
		if n := countLines(t, []string{id, "dossier checked"}, workers...); n != 1 {
			t.Errorf("dossier %s checked %d times", id, n)
		}
	}
	if paths, size := unreferenced(t, s.data); len(paths) > 0 {
		t.Errorf("%d files (%d bytes) on disk that no dossier references: %v", len(paths), size, paths)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM ocr_cache WHERE source NOT IN (SELECT sha256 FROM files)`); n != 0 {
		t.Errorf("%d OCR pages of files no dossier holds", n)
	}
}
