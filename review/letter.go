package review

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"dossiercheck/report"
	"dossiercheck/store"
	"dossiercheck/wording"
)

// item is one thing the letter asks for.
type item struct {
	What, Problem, Ask string
	Rules              []string // kept out of the letter's words, in a comment
}

// letterView is what the applicant's letter says.
type letterView struct {
	ID, Procedure, Submitted string
	Pending                  bool // not read yet
	Accepted                 bool // a clerk accepted it, or it was accepted and no clerk decided otherwise
	Missing                  []item
	Checking                 []item // points a clerk is checking
	Date                     string
}

// Letter serves the applicant's letter of a dossier: in plain French, what
// is missing or wrong and what to send; ?format=pdf prints it to PDF with
// headless Chromium where one is installed. It is a handler of its own so
// that the API can serve it to portals (at /v1/dossiers/{id}/letter) behind
// their key; the path must name the dossier {id}.
func (s *Server) Letter(w http.ResponseWriter, r *http.Request) {
	d, ok := s.load(w, r, wording.FR)
	if !ok {
		return
	}
	rv, err := s.Store.ReviewOf(r.Context(), d.ID)
	if err != nil {
		s.log().Error("read review", "err", err)
		http.Error(w, wording.UI("error.store", wording.FR), http.StatusInternalServerError)
		return
	}
	v := letterOf(d, rv, s.procedureTitle(d.Procedure), s.now())
	var buf bytes.Buffer
	if err := s.tmpl().ExecuteTemplate(&buf, "letter", v); err != nil {
		s.log().Error("render letter", "err", err)
		http.Error(w, wording.UI("error.store", wording.FR), http.StatusInternalServerError)
		return
	}
	if r.URL.Query().Get("format") == "pdf" {
		pdf, err := s.printPDF(r.Context(), buf.Bytes())
		if err != nil {
			s.log().Warn("print letter", "err", err)
			http.Error(w, "PDF indisponible : lettre en HTML sans ?format=pdf", http.StatusNotImplemented)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `inline; filename="lettre-`+d.ID+`.pdf"`)
		w.Write(pdf)
		return
	}
	htmlHeaders(w.Header())
	w.Write(buf.Bytes())
}

// letterOf works out what the letter says: failed findings no clerk set
// aside are what to send; findings needing a look are what a clerk checks.
// One thing asked twice (two rules on one piece) is asked once.
func letterOf(d loaded, rv store.Review, title string, now time.Time) letterView {
	v := letterView{ID: d.ID, Procedure: title, Submitted: d.Submitted.Format("02/01/2006"), Date: now.Format("02/01/2006")}
	if d.Report == nil {
		v.Pending = true
		return v
	}
	overridden := map[int]bool{}
	for _, o := range rv.Overrides {
		overridden[o.Finding] = true
	}
	seen := map[string]int{} // outcome|ask → index in its list
	for i, f := range d.Report.Findings {
		if f.Outcome == report.Pass || overridden[i] {
			continue
		}
		rule, ok := wording.RuleFor(f.Rule, f.Message)
		if !ok {
			continue
		}
		ask := rule.AskIn(wording.FR)
		list, problem := &v.Checking, "un agent vérifie ce point"
		if f.Outcome == report.Fail {
			list, problem = &v.Missing, "pièce manquante ou qui ne convient pas"
		}
		key := string(f.Outcome) + "|" + ask
		if j, ok := seen[key]; ok {
			(*list)[j].Rules = append((*list)[j].Rules, f.Rule)
			continue
		}
		seen[key] = len(*list)
		*list = append(*list, item{What: rule.WhatIn(wording.FR), Problem: problem, Ask: ask, Rules: []string{f.Rule}})
	}
	// A clerk's acceptance settles the dossier whatever the reading said.
	if rv.Decision != nil && rv.Decision.Decision == "accept" {
		v.Accepted, v.Missing, v.Checking = true, nil, nil
	} else if len(v.Missing) == 0 && len(v.Checking) == 0 {
		v.Accepted = true
	}
	return v
}

// printPDF prints an HTML page to PDF with headless Chromium.
func (s *Server) printPDF(ctx context.Context, html []byte) ([]byte, error) {
	bin := s.Chromium
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("chromium"); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "letter")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "letter.html"), filepath.Join(dir, "letter.pdf")
	if err := os.WriteFile(in, html, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, ChromiumFlags(filepath.Join(dir, "profile"))...)
	cmd.Args = append(cmd.Args, "--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+in)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, &exec.ExitError{ProcessState: cmd.ProcessState, Stderr: b}
	}
	return os.ReadFile(out)
}

// ChromiumFlags start a headless Chromium that reaches nothing outside the
// page it is given, with a profile of its own in dir.
func ChromiumFlags(dir string) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir}
}
