package ocr_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"dossiercheck/extract"
	"dossiercheck/fixtures"
	"dossiercheck/mrz"
	"dossiercheck/ocr"
	"dossiercheck/scan"
)

type memCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCache) GetOCR(_ context.Context, k string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[k]
	return b, ok, nil
}

func (c *memCache) PutOCR(_ context.Context, k, _ string, b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = b
	return nil
}

func engine(t testing.TB, cache ocr.Cache) *ocr.Engine {
	e, err := ocr.New(1, ocr.DefaultSettings, cache)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

var issue = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)

// A 5° skewed scan, once deskewed, reads its issue date as a straight one does.
func TestSkewedBillReadsIssueDate(t *testing.T) {
	e := engine(t, nil)
	page := fixtures.Bill{Holder: fixtures.Jean, Issue: issue}.Render(300)
	for _, deg := range []float64{0, 5, -5} {
		g := fixtures.Scan(page, fixtures.Defects{SkewDeg: deg, Noise: 8, Seed: 1})
		straight, found := scan.Deskew(g)
		if d := found + deg; d > 0.5 || d < -0.5 { // the correction undoes the skew

			t.Errorf("skew %v°: detected %v°", deg, found)
		}
		p, _, err := e.Recognize(context.Background(), scan.PGM(straight), "bill")
		if err != nil {
			t.Fatal(err)
		}
		got := extract.Pick(extract.Dates(p.Lines), extract.LabelIssue)
		if len(got) != 1 || !got[0].Date.Equal(issue) {
			t.Errorf("skew %v°: issue dates %+v (mean conf %.0f)\n%s", deg, got, p.MeanConfidence, p.Text())
		}
		if p.MeanConfidence < 80 {
			t.Errorf("skew %v°: mean confidence %.0f", deg, p.MeanConfidence)
		}
	}
}

func TestIDCardMRZ(t *testing.T) {
	e := engine(t, nil)
	card := fixtures.IDCard(fixtures.Jean, "X4RTBPFW4", time.Date(2031, 5, 1, 0, 0, 0, 0, time.UTC), 600)
	zone := card.SubImage(image.Rect(0, card.Rect.Dy()*3/4, card.Rect.Dx(), card.Rect.Dy())).(*image.Gray)
	p, _, err := e.RecognizeMRZ(context.Background(), scan.PGM(scan.Gray(zone)), "id")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range p.Lines {
		lines = append(lines, l.Text)
	}
	m, ok := mrz.Find(lines)
	if !ok || !m.Valid {
		t.Fatalf("MRZ %+v ok=%v\n%s", m, ok, strings.Join(lines, "\n"))
	}
	if m.Surname != "DUPONT" || !m.BirthDate.Equal(fixtures.Jean.BirthDate) {
		t.Errorf("MRZ read %q born %s", m.Surname, m.BirthDate)
	}
}

func TestCache(t *testing.T) {
	c := &memCache{m: map[string][]byte{}}
	e := engine(t, c)
	img := scan.PGM(fixtures.Bill{Holder: fixtures.Jean, Issue: issue}.Render(150))
	p1, hit, err := e.Recognize(context.Background(), img, "x")
	if err != nil || hit {
		t.Fatalf("first: hit=%v err=%v", hit, err)
	}
	p2, hit, err := e.Recognize(context.Background(), img, "x")
	if err != nil || !hit {
		t.Fatalf("second: hit=%v err=%v", hit, err)
	}
	if p1.Text() != p2.Text() {
		t.Error("cached page differs")
	}
}

// Recognising pages on several clients at once never points the process's
// stderr elsewhere, not even for a moment, not even while the clients load
// their models on their first pages (gosseract redirected fd 2 around
// Tesseract's Init; the engine's own binding redirects nothing).
func TestRecognizeLeavesStderrAlone(t *testing.T) {
	e, err := ocr.New(2, ocr.DefaultSettings, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	want, err := os.Readlink("/proc/self/fd/2")
	if err != nil {
		t.Skip("no /proc here:", err)
	}
	img := fixtures.PNG(fixtures.Bill{Holder: fixtures.Jean, Issue: issue}.Render(150))
	stop := make(chan struct{})
	seen := make(chan string, 1)
	go func() {
		defer close(seen)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if got, err := os.Readlink("/proc/self/fd/2"); err == nil && got != want {
				seen <- got
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := e.Recognize(context.Background(), img, fmt.Sprint("src", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(stop)
	if got, ok := <-seen; ok {
		t.Errorf("stderr pointed at %s during recognition (want %s)", got, want)
	}
}

// threads is the number of OS threads of this process.
func threads(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc here:", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if n, ok := strings.CutPrefix(l, "Threads:"); ok {
			var v int
			fmt.Sscan(n, &v)
			return v
		}
	}
	t.Fatal("no thread count in /proc/self/status")
	return 0
}

// Without OMP_THREAD_LIMIT in the environment, recognition still runs on
// one thread: libgomp starts no threads of its own (measured: 3 more
// threads and 4–6× the time when nothing limits it). The check runs in a
// child process whose environment lacks the variable.
func TestRecognitionNeedsNoThreadLimit(t *testing.T) {
	if os.Getenv("OCR_THREADS_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRecognitionNeedsNoThreadLimit$", "-test.v")
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "OMP_") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, "OCR_THREADS_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		t.Logf("%s", bytes.TrimSpace(out))
		return
	}
	e := engine(t, nil)
	if err := e.Preload(context.Background()); err != nil {
		t.Fatal(err)
	}
	img := fixtures.Bill{Holder: fixtures.Jean, Issue: issue}.Render(150)
	before := threads(t)
	p, _, err := e.RecognizeImage(context.Background(), img, "bill")
	if err != nil {
		t.Fatal(err)
	}
	after := threads(t)
	t.Logf("threads %d before recognition, %d after; %d words", before, after, p.WordCount())
	if p.WordCount() < 20 || after-before > 1 {
		t.Errorf("%d words read; threads went from %d to %d", p.WordCount(), before, after)
	}
}

// A model that is not installed fails the preload, naming the language,
// and fails every page again rather than reading it with nothing.
func TestMissingModel(t *testing.T) {
	e, err := ocr.New(1, ocr.Settings{Language: "zzz", Version: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Preload(context.Background()); err == nil || !strings.Contains(err.Error(), "zzz") {
		t.Errorf("preload: %v", err)
	}
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	if _, _, err := e.RecognizeImage(context.Background(), img, "x"); err == nil {
		t.Error("a page was read without a model")
	}
}

// The zone model is installed with the French one (scripts/deps.sh): its
// preload, which a worker runs at start, loads it.
func TestZoneModelInstalled(t *testing.T) {
	e := engine(t, nil)
	if err := e.PreloadZone(context.Background()); err != nil {
		t.Fatalf("zone model %s: %v", ocr.ZoneLanguage, err)
	}
}
