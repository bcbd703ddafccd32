package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"dossiercheck/dossier"
	"dossiercheck/fixtures"
	"dossiercheck/report"
	"dossiercheck/review"
	"dossiercheck/store"
)

const password = "correct horse battery staple"

type env struct {
	t   *testing.T
	st  *store.DB
	srv *review.Server
	ts  *httptest.Server
}

// newEnv serves the workspace on a real embedded store with one clerk,
// alice.
func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hash, err := review.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddUser(context.Background(), "alice", store.RoleClerk, hash); err != nil {
		t.Fatal(err)
	}
	srv := &review.Server{Store: st}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, st: st, srv: srv, ts: ts}
}

// client keeps cookies and does not follow redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *env) get(c *http.Client, path string) (*http.Response, string) {
	e.t.Helper()
	resp, err := c.Get(e.ts.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func (e *env) post(c *http.Client, path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	resp, err := c.PostForm(e.ts.URL+path, form)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in\n%s", page)
	}
	return m[1]
}

// login signs in through the form and returns the CSRF token of the
// workspace's forms.
func (e *env) login(c *http.Client, name, pw string) *http.Response {
	e.t.Helper()
	_, page := e.get(c, "/login")
	resp, _ := e.post(c, "/login", url.Values{"csrf": {csrfOf(e.t, page)}, "name": {name}, "password": {pw}})
	return resp
}

// file is one file of a seeded dossier.
type file struct {
	name string
	typ  dossier.Type
	data []byte
}

// store records a dossier of files, with a report when rep is not nil.
func (e *env) store(files []file, rep *report.Report) dossier.Dossier {
	e.t.Helper()
	ctx := context.Background()
	stg, err := e.st.Stage()
	if err != nil {
		e.t.Fatal(err)
	}
	d := dossier.Dossier{ID: store.NewID(), Procedure: "fr-ants-permis", Submitted: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC),
		Status: dossier.Received, Declared: dossier.Declared{Applicant: &dossier.Applicant{LastName: "DUPONT"}}}
	for _, f := range files {
		sha, n, err := stg.Put(bytes.NewReader(f.data), 20<<20)
		if err != nil {
			e.t.Fatal(err)
		}
		d.Files = append(d.Files, dossier.File{Name: f.name, SHA256: sha, Size: n, Type: f.typ})
	}
	if err := e.st.CreateStaged(ctx, &d, stg); err != nil {
		e.t.Fatal(err)
	}
	if rep != nil {
		b, _ := json.Marshal(rep)
		if err := e.st.Finish(ctx, d.ID, b, ""); err != nil {
			e.t.Fatal(err)
		}
	}
	return d
}

// page returns a blank grey page of w×h pixels with one dark dot.
func page(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 240
	}
	img.SetGray(10, 10, color.Gray{0})
	return img
}

// seed stores a dossier of one scanned page (a 1000×700 JPEG) with a
// rejecting report whose failure is boxed on it.
func (e *env) seed() dossier.Dossier {
	e.t.Helper()
	var buf bytes.Buffer
	jpeg.Encode(&buf, page(1000, 700), nil)
	rep := report.Report{Procedure: "fr-ants-permis", Submitted: "2026-11-10", Verdict: report.Reject, RulesVersion: "test",
		Documents: []report.Document{{File: "bill.jpg", Kind: "proof_of_address", Confidence: 1, Pages: 1,
			Fields: map[string]any{"addressee": "Jean DUPONT", "mrz": map[string]any{"valid": true, "format": "TD1"}}}},
		Findings: []report.Finding{
			{Rule: "ANTS-6", Outcome: report.Pass, Message: "ID photo present", Source: "S000 L31"},
			{Rule: "ANTS-4", Outcome: report.Fail, Message: "proof of address issued 2026-03-14 is more than 6 months old",
				Evidence: []report.Evidence{{File: "bill.jpg", Page: 1, Text: "Date <script>x</script> 14/03/2026", BBox: &[4]int{100, 200, 400, 260}}},
				Source:   "S000 L27; docs/verdict-policy.md"},
		}}
	return e.store([]file{{"bill.jpg", dossier.JPEG, buf.Bytes()}}, &rep)
}

// Every page of every type of file is shown, each in the frame of its
// boxes: an image as decoded, a PDF page at pdfread.LongSide (A4: 2481×3508).
func TestPagesOfEveryType(t *testing.T) {
	e := newEnv(t)
	pdf, err := fixtures.ScannedPDF(fixtures.JPEG(page(1240, 1754), 80), fixtures.JPEG(page(1240, 1754), 80))
	if err != nil {
		t.Fatal(err)
	}
	d := e.store([]file{
		{"a.png", dossier.PNG, fixtures.PNG(page(300, 200))},
		{"b.tif", dossier.TIFF, fixtures.TIFF(page(400, 500), page(500, 400))},
		{"c.pdf", dossier.PDF, pdf},
	}, nil)
	c := e.client()
	e.login(c, "alice", password)
	resp, html := e.get(c, "/review/"+d.ID)
	if resp.StatusCode != 200 {
		t.Fatalf("dossier page: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`id="p-0-1"`, `viewBox="0 0 300 200"`,
		`id="p-1-1"`, `viewBox="0 0 400 500"`, `id="p-1-2"`, `viewBox="0 0 500 400"`,
		`id="p-2-1"`, `id="p-2-2"`, `viewBox="0 0 2480 3508"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("dossier page lacks %s", want)
		}
	}
	if strings.Contains(html, "page illisible") {
		t.Error("a page could not be shown")
	}
	for _, p := range []string{"0/pages/1", "1/pages/2", "2/pages/2"} {
		resp, img := e.get(c, "/review/"+d.ID+"/files/"+p)
		if cfg, err := jpeg.DecodeConfig(strings.NewReader(img)); resp.StatusCode != 200 || err != nil || max(cfg.Width, cfg.Height) > 1400 {
			t.Errorf("page %s: %d %+v %v", p, resp.StatusCode, cfg, err)
		}
	}
}

func TestSignInRequired(t *testing.T) {
	e := newEnv(t)
	d := e.seed()
	c := e.client()
	for _, path := range []string{"/review/", "/review/" + d.ID, "/review/" + d.ID + "/files/0/pages/1", "/review/" + d.ID + "/letter"} {
		resp, _ := e.get(c, path)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("GET %s without a session: %d %s", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ := e.post(c, "/review/"+d.ID+"/decision", url.Values{"decision": {"accept"}, "reason": {"x"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST decision without a session: %d", resp.StatusCode)
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	// The form's token is required.
	resp, _ := e.post(c, "/login", url.Values{"name": {"alice"}, "password": {password}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without the form's token: %d", resp.StatusCode)
	}
	resp = e.login(c, "alice", password)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/review/" {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "dossier_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
		t.Errorf("session cookie %+v (not Secure over plain HTTP)", session)
	}
	resp, page := e.get(c, "/review/")
	if resp.StatusCode != 200 || !strings.Contains(page, "File de travail") {
		t.Fatalf("queue after login: %d", resp.StatusCode)
	}
	// The store keeps the token's hash, never the token.
	if _, err := e.st.Session(context.Background(), session.Value, time.Now()); err == nil {
		t.Error("the store knows the session by its token")
	}
	resp, _ = e.post(c, "/logout", url.Values{"csrf": {csrfOf(t, page)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %d", resp.StatusCode)
	}
	if resp, _ := e.get(c, "/review/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("queue after logout: %d", resp.StatusCode)
	}
}

func TestLockout(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if resp := e.login(c, "nobody", password); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unknown user: %d", resp.StatusCode)
	}
	for i := range review.MaxFailures {
		if resp := e.login(c, "alice", "wrong password!"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	if resp := e.login(c, "alice", password); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("right password on a locked account: %d", resp.StatusCode)
	}
	// Fifteen minutes later the account opens again.
	e.srv.Now = func() time.Time { return time.Now().Add(review.LockFor + time.Minute) }
	if resp := e.login(c, "alice", password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the lock: %d", resp.StatusCode)
	}
}

type notified struct {
	mu  sync.Mutex
	ids []string
}

func (n *notified) Decided(_ context.Context, id string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.ids = append(n.ids, id)
	return nil
}

func TestDossierPageDecisionAudit(t *testing.T) {
	e := newEnv(t)
	n := &notified{}
	e.srv.Notifier = n
	d := e.seed()
	c := e.client()
	e.login(c, "alice", password)

	_, queue := e.get(c, "/review/")
	if !strings.Contains(queue, d.ID) || !strings.Contains(queue, "rejeté") {
		t.Errorf("queue does not list the dossier as rejected:\n%s", queue)
	}
	resp, page := e.get(c, "/review/"+d.ID)
	if resp.StatusCode != 200 {
		t.Fatalf("dossier page: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`viewBox="0 0 1000 700"`, // the frame of the boxes: the decoded image
		`<rect id="ev-1-0" class="fail" x="100" y="200" width="300" height="60">`,
		`href="#ev-1-0"`, // the finding links to its box
		"justificatif de domicile de moins de 6 mois", // the rule in French
		"non conforme",                         // the outcome in French
		"<code>ANTS-4</code>",                  // the stable code beside
		"&lt;script&gt;",                       // evidence escaped
		"justificatif de domicile",             // the kind in French
		"valide (chiffres de contrôle justes)", // the MRZ in words
		"applicant.last_name",                  // declared data
	} {
		if !strings.Contains(page, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>x") || strings.Contains(page, "docs/verdict-policy.md") {
		t.Error("dossier page shows raw evidence HTML or an internal document")
	}
	if strings.Index(page, "ANTS-4") > strings.Index(page, "ANTS-6") {
		t.Error("failures are not listed first")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "img-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Error("personal data headers missing")
	}
	resp, img := e.get(c, "/review/"+d.ID+"/files/0/pages/1")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("page image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cfg, err := jpeg.DecodeConfig(strings.NewReader(img)); err != nil || cfg.Width != 1000 {
		t.Errorf("page image %+v %v", cfg, err)
	}
	if resp, _ := e.get(c, "/review/"+d.ID+"/files/3/pages/1"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("page of no file: %d", resp.StatusCode)
	}

	csrf := csrfOf(t, page)
	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"no token", url.Values{"decision": {"reject"}, "reason": {"facture ancienne"}}, http.StatusForbidden},
		{"wrong token", url.Values{"csrf": {"x"}, "decision": {"reject"}, "reason": {"facture ancienne"}}, http.StatusForbidden},
		{"no reason", url.Values{"csrf": {csrf}, "decision": {"reject"}}, http.StatusBadRequest},
		{"no decision", url.Values{"csrf": {csrf}, "decision": {"maybe"}, "reason": {"x"}}, http.StatusBadRequest},
		{"reject", url.Values{"csrf": {csrf}, "decision": {"reject"}, "reason": {"facture de plus de 6 mois"}}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		if resp, _ := e.post(c, "/review/"+d.ID+"/decision", tt.form); resp.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
	}
	if resp, _ := e.post(c, "/review/"+d.ID+"/override", url.Values{"csrf": {csrf}, "finding": {"0"}, "justification": {"x"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("override of a passed finding: %d", resp.StatusCode)
	}
	if resp, _ := e.post(c, "/review/"+d.ID+"/override", url.Values{"csrf": {csrf}, "finding": {"1"}, "justification": {"date relue : 14/09/2026"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("override: %d", resp.StatusCode)
	}
	rv, err := e.st.ReviewOf(context.Background(), d.ID)
	if err != nil || rv.Decision == nil || rv.Decision.Decision != "reject" || rv.Decision.Clerk != "alice" {
		t.Fatalf("decision %+v %v", rv.Decision, err)
	}
	var actions []string
	for _, a := range rv.Audit {
		actions = append(actions, a.Action)
	}
	if strings.Join(actions, ",") != "view,decide,override" {
		t.Errorf("audit %v", actions)
	}
	if len(n.ids) != 1 || n.ids[0] != d.ID {
		t.Errorf("notified %v", n.ids)
	}
	// The automatic verdict stays as it was.
	got, _ := e.st.Get(context.Background(), d.ID)
	var rep report.Report
	json.Unmarshal(got.Report, &rep)
	if rep.Verdict != report.Reject {
		t.Errorf("report verdict changed to %s", rep.Verdict)
	}
	_, page = e.get(c, "/review/"+d.ID+"?lang=en")
	if !strings.Contains(page, "Finding set aside by alice") || !strings.Contains(page, "failed") {
		t.Error("English page lacks the override or the English outcome")
	}
}

func TestLetter(t *testing.T) {
	e := newEnv(t)
	d := e.seed()
	c := e.client()
	e.login(c, "alice", password)
	resp, letter := e.get(c, "/review/"+d.ID+"/letter")
	if resp.StatusCode != 200 {
		t.Fatalf("letter: %d", resp.StatusCode)
	}
	letter = html.UnescapeString(letter)
	for _, want := range []string{"Ce qu'il faut envoyer", "un justificatif de domicile (facture, avis d'imposition) daté de moins de 6 mois", d.ID} {
		if !strings.Contains(letter, want) {
			t.Errorf("letter lacks %q", want)
		}
	}
	for _, jargon := range []string{"ANTS-4", "ANTS-6", "S000", "fail", "review"} {
		if strings.Contains(letter, jargon) {
			t.Errorf("letter says %q", jargon)
		}
	}
	// Once the finding is set aside and the clerk accepts, nothing is asked.
	_, page := e.get(c, "/review/"+d.ID)
	csrf := csrfOf(t, page)
	e.post(c, "/review/"+d.ID+"/override", url.Values{"csrf": {csrf}, "finding": {"1"}, "justification": {"relue"}})
	_, letter = e.get(c, "/review/"+d.ID+"/letter")
	letter = html.UnescapeString(letter)
	if strings.Contains(letter, "Ce qu'il faut envoyer") || !strings.Contains(letter, "Votre dossier est complet") {
		t.Errorf("letter after the override:\n%s", letter)
	}
}

func TestTrustedHeader(t *testing.T) {
	e := newEnv(t)
	d := e.seed()
	e.srv.TrustedHeader, e.srv.TrustedProxy = "X-Remote-User", "127.0.0.1"
	c := e.client()
	req, _ := http.NewRequest("GET", e.ts.URL+"/review/"+d.ID, nil)
	req.Header.Set("X-Remote-User", "alice")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("trusted user: %d", resp.StatusCode)
	}
	req.Header.Set("X-Remote-User", "mallory")
	if resp, err := e.client().Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Errorf("unknown user from the proxy: %v", resp.StatusCode)
	}
	// From any other address the header means nothing.
	e.srv.TrustedProxy = "10.0.0.1"
	req.Header.Set("X-Remote-User", "alice")
	if resp, err := e.client().Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Errorf("header from an untrusted address: %v", resp.StatusCode)
	}
}

// The letter prints to PDF with headless Chromium. DOSSIER_TEST_BROWSER=off
// skips it; anywhere else a missing Chromium fails it (scripts/deps.sh
// installs Debian's).
func TestLetterPDF(t *testing.T) {
	if os.Getenv("DOSSIER_TEST_BROWSER") == "off" {
		t.Skip("DOSSIER_TEST_BROWSER=off")
	}
	e := newEnv(t)
	d := e.seed()
	c := e.client()
	e.login(c, "alice", password)
	resp, pdf := e.get(c, "/review/"+d.ID+"/letter?format=pdf")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("letter PDF: %d %s %.20q", resp.StatusCode, resp.Header.Get("Content-Type"), pdf)
	}
}
