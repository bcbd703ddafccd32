package e2e

import (
	"bytes"
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dossiercheck/dossier"
	"dossiercheck/fixtures"
	"dossiercheck/review"
	"dossiercheck/store"
)

var screens = flag.Bool("screens", false, "write the workspace's screenshots to docs/screens/")

const clerkPassword = "correct horse battery staple"

// browser starts a headless Chromium that reaches nothing but the test's
// server. DOSSIER_TEST_BROWSER=off skips the tests that need one;
// anywhere else a missing Chromium fails them (scripts/deps.sh installs
// Debian's).
func browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("DOSSIER_TEST_BROWSER") == "off" {
		t.Skip("DOSSIER_TEST_BROWSER=off")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium not found (scripts/deps.sh installs it; DOSSIER_TEST_BROWSER=off skips): %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.WindowSize(1400, 1000), chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("lang", "fr-FR")}
	for _, f := range review.ChromiumFlags(t.TempDir()) {
		name, value, ok := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if ok {
			opts = append(opts, chromedp.Flag(name, value))
		} else {
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	return ctx
}

// seedReview stores the demo's rejected ANTS dossier (the files of `dossier
// fixtures`, the report of cmd/dossier/testdata/ants-reject.json) and a few
// more reports for the queue, without reading anything: no OCR here.
func seedReview(t *testing.T, st *store.DB) string {
	t.Helper()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	bill := fixtures.JPEG(fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: day(2026, 3, 14)}.Render(300),
		fixtures.Defects{SkewDeg: 2, Noise: 6, Seed: 1}), 85)
	files := map[string][]byte{
		"bill-old.jpg": bill,
		"id.jpg":       fixtures.JPEG(fixtures.IDCard(fixtures.Jean, "X4RTBPFW4", day(2031, 5, 1), 600), 90),
		"photo.jpg":    fixtures.JPEG(fixtures.Photo(300), 90),
	}
	decl := dossier.Declared{Applicant: &dossier.Applicant{LastName: "DUPONT", FirstNames: "JEAN MARC", BirthDate: "1990-02-03"}}
	id := seedOne(t, st, "fr-ants-permis", "ants-reject.json", files, decl)
	small := map[string][]byte{"scan.jpg": fixtures.JPEG(fixtures.Photo(100), 80)}
	for _, s := range []struct{ proc, report string }{
		{"be-pcp-m36", "m36-reject.json"}, {"fr-controle-medical", "medical-reject.json"},
		{"fr-passeport-etranger", "passport-accept.json"}, {"fr-meuble-declaration", "meuble-reject.json"},
	} {
		seedOne(t, st, s.proc, s.report, small, dossier.Declared{})
	}
	return id
}

func seedOne(t *testing.T, st *store.DB, procedure, reportFile string, files map[string][]byte, decl dossier.Declared) string {
	t.Helper()
	ctx := context.Background()
	stg, err := st.Stage()
	if err != nil {
		t.Fatal(err)
	}
	d := dossier.Dossier{ID: store.NewID(), Procedure: procedure, Submitted: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC),
		Status: dossier.Received, Declared: decl}
	for _, name := range []string{"bill-old.jpg", "id.jpg", "photo.jpg", "scan.jpg"} {
		b, ok := files[name]
		if !ok {
			continue
		}
		sha, n, err := stg.Put(bytes.NewReader(b), 20<<20)
		if err != nil {
			t.Fatal(err)
		}
		d.Files = append(d.Files, dossier.File{Name: name, SHA256: sha, Size: n, Type: dossier.JPEG})
	}
	if err := st.CreateStaged(ctx, &d, stg); err != nil {
		t.Fatal(err)
	}
	rep, err := os.ReadFile(filepath.Join("..", "cmd", "dossier", "testdata", reportFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Finish(ctx, d.ID, rep, ""); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// TestBrowserReview drives the clerks' workspace in a real browser: sign
// in, the queue, a dossier's page image with its boxes, a click on a
// finding that shows its box, a decision with its reason, and the audit
// entry it leaves. With -screens it writes docs/screens/.
func TestBrowserReview(t *testing.T) {
	ctx := browser(t)
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hash, err := review.HashPassword(clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddUser(context.Background(), "agent.martin", store.RoleClerk, hash); err != nil {
		t.Fatal(err)
	}
	id := seedReview(t, st)
	ts := httptest.NewServer((&review.Server{Store: st}).Handler())
	defer ts.Close()

	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	shot := func(name string, full bool) {
		t.Helper()
		if !*screens {
			return
		}
		var png []byte
		var err error
		if full {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		} else {
			png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		must("screenshot "+name, err)
		must("write "+name, os.WriteFile(filepath.Join("..", "docs", "screens", name), png, 0o644))
	}

	// Signed out, the workspace sends to the login form.
	must("open the queue", chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/review/"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`))))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must("location", err)
	if !strings.Contains(loc, "/login") {
		t.Fatalf("signed out, /review/ shows %s", loc)
	}
	must("sign in", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "agent.martin"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), clerkPassword),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("queue"))))
	queue, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("queue")))
	must("queue text", err)
	if !strings.Contains(queue, id) || !strings.Contains(queue, "rejeté") {
		t.Fatalf("the queue does not list %s as rejected:\n%s", id, queue)
	}
	shot("queue.png", false)

	start := time.Now()
	must("open the dossier", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="/review/`+id+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.pg`))))
	// The first view renders the three pages (a 300 dpi bill, a 600 dpi
	// card, a photo); later views read them from the store.
	t.Logf("dossier page first shown in %v", time.Since(start).Round(time.Millisecond))
	// The page image loads (to this session) and carries boxes.
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`new Promise(done => {
		const img = new Image();
		img.onload = () => done(img.naturalWidth); img.onerror = () => done(0);
		img.src = document.querySelector('svg.pg image').href.baseVal;
	})`, chromedp.EvalAwaitPromise))
	must("page image", err)
	if width < 500 {
		t.Fatalf("page image %d pixels wide", width)
	}
	boxes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg.pg rect.fail').length`))
	must("boxes", err)
	if boxes < 1 {
		t.Fatal("no box of a failed finding on the pages")
	}
	// A click on the failed finding's evidence shows its box.
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.finding.fail a.ev[href^="#ev-"]`), "href"))
	must("evidence link", err)
	must("click the evidence", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.finding.fail a.ev[href^="#ev-"]`)), chromedp.Sleep(300*time.Millisecond)))
	target, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const r = document.querySelector('svg.pg rect:target');
		if (!r) return 'none';
		const b = r.getBoundingClientRect();
		return r.id + (b.top >= 0 && b.bottom <= window.innerHeight ? ' visible' : ' hidden');
	})()`))
	must("target", err)
	if target != strings.TrimPrefix(href.Value, "#")+" visible" {
		t.Fatalf("after the click on %s the box is %q", href.Value, target)
	}
	shot("dossier.png", false)

	must("decide", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`input[name=decision][value=reject]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=reason]`), "Justificatif de domicile de plus de 6 mois"),
		chromedp.Click(chromedp.ID("decide")),
		chromedp.WaitVisible(chromedp.ID("decided"))))
	audit, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("audit")))
	must("audit", err)
	if !strings.Contains(audit, "agent.martin") || !strings.Contains(audit, "décision — reject: Justificatif de domicile de plus de 6 mois") {
		t.Fatalf("audit trail:\n%s", audit)
	}
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("decision").scrollIntoView(), true`))
	must("scroll to the decision", err)
	shot("decision.png", false)
	rv, err := st.ReviewOf(context.Background(), id)
	if err != nil || rv.Decision == nil || rv.Decision.Decision != "reject" {
		t.Fatalf("stored decision %+v %v", rv.Decision, err)
	}

	must("letter", chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/review/"+id+"/letter"), chromedp.WaitVisible(chromedp.ID("missing"))))
	letter, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`body`)))
	must("letter text", err)
	if !strings.Contains(letter, "justificatif de domicile") || strings.Contains(letter, "ANTS-") {
		t.Errorf("letter:\n%s", letter)
	}
	shot("letter.png", true)
}
