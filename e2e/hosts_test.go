package e2e

import (
	"database/sql"
	"io/fs"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"dossiercheck/store/pgtest"
)

// Intake and two workers, each with a data directory of its own (as on
// three hosts), share one PostgreSQL and one Redis: every dossier is
// checked exactly once, by whichever worker, its report is read through
// intake, and a purge through intake removes its file from the database.
// No host keeps a file of a dossier on its disk.
func TestSeveralHostsOnPostgres(t *testing.T) {
	t.Parallel()
	pg := pgtest.Database(t)
	in := newService(t)
	startRedis(t, in.redis)
	in.intake(t, "-store", pg)
	var workers []*exec.Cmd
	var dirs []string
	for range 2 {
		w := service{data: t.TempDir(), redis: in.redis}
		workers = append(workers, w.worker(t, "-store", pg))
		dirs = append(dirs, w.data)
	}

	const n = 16
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { ids[i] = in.upload(t, "be-pcp-m36", f02(t, i)).ID })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, id := range ids {
		in.waitDone(t, id, 3*time.Minute)
	}
	perWorker := make([]int, len(workers))
	for _, id := range ids {
		total := 0
		for i, w := range workers {
			c := countLines(t, []string{id, "dossier checked"}, w)
			perWorker[i] += c
			total += c
		}
		if total != 1 {
			t.Errorf("dossier %s checked %d times, want once", id, total)
		}
	}
	t.Logf("dossiers checked per worker: %v", perWorker)

	// The review page is served by intake from the shared records.
	resp, err := http.Get("http://" + in.http + "/review/" + ids[0])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("review page: %d", resp.StatusCode)
	}

	// Files live in the database only: the data directories hold no file
	// once the uploads are committed.
	for _, dir := range append(dirs, in.data) {
		if paths := regularFiles(dir); len(paths) > 0 {
			t.Errorf("%s holds %v", dir, paths)
		}
	}

	db, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	blobs := func() int {
		var c int
		if err := db.QueryRow(`SELECT COUNT(*) FROM blobs`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := blobs(); c != n {
		t.Fatalf("%d blobs in PostgreSQL, want %d", c, n)
	}
	resp, err = in.request(http.MethodDelete, "/v1/dossiers/"+ids[0], "", nil)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("purge: %v %v", err, resp)
	}
	if c := blobs(); c != n-1 {
		t.Errorf("%d blobs after a purge, want %d", c, n-1)
	}

	// Reprocessing from yet another host reads the same store.
	out, err := exec.Command(bin+"/dossier", "reprocess", "-store", pg, "-data", t.TempDir(), "-redis", in.redis, ids[1]).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "1 dossier(s) queued") {
		t.Fatalf("reprocess: %v %s", err, out)
	}
	waitFor(t, 2*time.Minute, func() bool {
		return countLines(t, []string{ids[1], "dossier checked"}, workers...) == 2
	})
	in.waitDone(t, ids[1], time.Minute)
}

// regularFiles lists the regular files under dir.
func regularFiles(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out
}
