package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"dossiercheck/checks"
	"dossiercheck/dates"
	"dossiercheck/dossier"
	"dossiercheck/extract"
	"dossiercheck/fixtures"
	"dossiercheck/fixtures/formstyle"
	"dossiercheck/fixtures/plainstyle"
	"dossiercheck/ocr"
	"dossiercheck/pipeline"
	"dossiercheck/report"
	"dossiercheck/twoddoc"
)

// gen writes labelled dossiers: DIR/NNN-scenario/{files, label.json} for
// the first style, DIR/sN-NNN-scenario for style N.
func gen(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	seed := fs.Uint64("seed", 1, "random seed (the same seed gives the same dossiers)")
	count := fs.Int("count", 32, "number of dossiers (with --style all, split between the styles)")
	submitted := fs.String("submitted", "2026-11-10", "submission date of every dossier")
	style := fs.String("style", "all", "generator style: 1, 2, 3 or all (all: 1 and 2)")
	only := fs.String("only", "", "only the scenarios whose names start with one of these comma-separated prefixes")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("gen needs one directory")}
	}
	sub, err := dates.Parse(*submitted)
	if err != nil {
		return usageError{err}
	}
	// Counts per style: all gives the first style the odd one. The third
	// style (paper forms of its own) is asked for by name only.
	counts := map[string]int{}
	switch *style {
	case "1", "2", "3":
		counts[*style] = *count
	case "all":
		counts["1"], counts["2"] = (*count+1)/2, *count/2
	default:
		return usageError{fmt.Errorf("--style %q: want 1, 2, 3 or all", *style)}
	}
	// The generated 2D-Docs' certificates, for eval to verify them with.
	if err := os.MkdirAll(filepath.Join(fs.Arg(0), "certs"), 0o755); err != nil {
		return err
	}
	done := 0
	for _, name := range []string{"1", "2", "3"} {
		if counts[name] == 0 {
			continue
		}
		st := fixtures.Classic
		switch name {
		case "2":
			plain, err := plainstyle.New()
			if err != nil {
				return err
			}
			st = plain
		case "3":
			st = formstyle.New()
		}
		set, issuer, err := fixtures.DossiersOf(*seed, counts[name], sub, st, *only)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(fs.Arg(0), "certs", issuer.CA+"-"+issuer.ID+".pem"), issuer.Cert, 0o644); err != nil {
			return err
		}
		for _, l := range set {
			if err := writeLabelled(filepath.Join(fs.Arg(0), l.Name), l); err != nil {
				return err
			}
			done++
			fmt.Fprintf(os.Stderr, "\rgenerated %d/%d", done, *count)
		}
	}
	fmt.Fprintln(os.Stderr)
	fmt.Fprintf(out, "%d labelled dossiers in %s\n", *count, fs.Arg(0))
	return nil
}

// writeLabelled writes a dossier's files and its label.json into dir.
func writeLabelled(dir string, l fixtures.Labelled) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range l.Files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	b, _ := json.MarshalIndent(l, "", "  ")
	return os.WriteFile(filepath.Join(dir, "label.json"), b, 0o644)
}

// Metrics is what eval measures.
type Metrics struct {
	Dossiers     int      `json:"dossiers"`
	Correct      int      `json:"correct"`
	Accuracy     float64  `json:"accuracy"`
	FalseAccepts []string `json:"false_accepts"`
	FalseRejects []string `json:"false_rejects"`
	Reviewed     int      `json:"reviewed"`
	ReviewRate   float64  `json:"review_rate"`
	Automatic    float64  `json:"decided_automatically_and_correctly"`
	// AutomaticDecidable is Automatic among the dossiers not labelled
	// review: the scenarios built to need a clerk cannot be decided.
	AutomaticDecidable float64 `json:"decided_automatically_and_correctly_of_decidable"`
	// ReviewDecidable is the review rate among the dossiers not labelled
	// review: the reviews OCR doubts cost, apart from those built in.
	ReviewDecidable float64                   `json:"review_rate_of_decidable"`
	Rules           map[string]*RuleConfusion `json:"rules"`
	Fields          map[string]*FieldScore    `json:"fields"`
	Seconds         map[string]float64        `json:"seconds"` // per stage, summed
	Wrong           []string                  `json:"wrong"`
	SecondsPerDos   float64                   `json:"seconds_per_dossier"`
	// Untested names each rule of a procedure in the set that no dossier
	// expects to fail (or to need a look), or none expects to pass: the
	// set does not exercise it both ways.
	Untested []string `json:"untested_rules"`
	// Silent names "dossier: rule" where a rule that applies to every
	// dossier of its procedure left no finding in the report: accept must
	// rest on a finding of every such rule.
	Silent []string `json:"silent_rules"`
	// Styles holds the same figures per generator style ("1", "2"): a
	// pipeline that reads documents scores alike on both, one that learnt
	// a layout does not.
	Styles map[string]*Metrics `json:"styles,omitempty"`

	correctReviews  int
	expectedReviews int
	cover           map[string]*ruleCover // by procedure
}

// ruleCover counts a procedure's dossiers and, per rule, those expected to
// fail or to need a look.
type ruleCover struct {
	dossiers int
	notPass  map[string]int
}

// RuleConfusion counts, per rule, expected failures against reported ones.
type RuleConfusion struct {
	FailCaught   int `json:"fail_caught"`   // expected to fail, failed
	FailMissed   int `json:"fail_missed"`   // expected to fail, did not
	FailSpurious int `json:"fail_spurious"` // failed, not expected to
	LookCaught   int `json:"review_caught"` // expected to need a look, did
	LookMissed   int `json:"review_missed"` // expected to need a look, did not
}

// FieldScore is extraction accuracy against the generator's ground truth.
type FieldScore struct {
	Exact int     `json:"exact"`
	Total int     `json:"total"`
	Rate  float64 `json:"rate"`
	// Misses name the dossier, file and what was read instead.
	Misses []string `json:"misses,omitempty"`
}

type evalCase struct {
	dir   string
	label fixtures.Labelled
	req   pipeline.Request
}

func loadCase(dir string) (evalCase, error) {
	c := evalCase{dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "label.json"))
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c.label); err != nil {
		return c, fmt.Errorf("%s: %w", dir, err)
	}
	sub, err := dates.Parse(c.label.Submitted)
	if err != nil {
		return c, err
	}
	decl, _ := json.Marshal(c.label.Declared)
	d, err := dossier.ParseDeclared(decl)
	if err != nil && c.label.Declared != nil {
		return c, err
	}
	c.req = pipeline.Request{Procedure: c.label.Procedure, Submitted: sub, Declared: d}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return c, err
	}
	for _, e := range entries {
		if e.Name() == "label.json" || e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return c, err
		}
		c.req.Files = append(c.req.Files, pipeline.File{Name: e.Name(), Data: data})
	}
	return c, nil
}

// evaluate runs the pipeline on every labelled dossier of dir.
func evaluate(ctx context.Context, dir string, workers int, progress io.Writer) (*Metrics, error) {
	subdirs, err := filepath.Glob(filepath.Join(dir, "*", "label.json"))
	if err != nil || len(subdirs) == 0 {
		return nil, usageError{fmt.Errorf("no labelled dossier (*/label.json) in %s", dir)}
	}
	sort.Strings(subdirs)
	checker, err := checks.Load()
	if err != nil {
		return nil, err
	}
	eng, err := ocr.New(workers, ocr.DefaultSettings, nil)
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	// DIR/certs holds the certificate the generator signed 2D-Docs with.
	var certs *twoddoc.Certs
	if st, err := os.Stat(filepath.Join(dir, "certs")); err == nil && st.IsDir() {
		if certs, err = twoddoc.LoadCerts(filepath.Join(dir, "certs")); err != nil {
			return nil, err
		}
	}
	p := pipeline.New(eng, checker, certs)
	m := newMetrics()
	m.Styles = map[string]*Metrics{}
	var mu sync.Mutex
	jobs := make(chan string)
	var wg sync.WaitGroup
	var firstErr error
	start := time.Now()
	done := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lf := range jobs {
				c, err := loadCase(filepath.Dir(lf))
				var rep report.Report
				var st pipeline.Stats
				if err == nil {
					rep, st, err = p.Run(ctx, c.req)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					m.add(c, rep, st)
					m.Silent = append(m.Silent, silent(c.label.Name, rep, checker)...)
				}
				done++
				bar(progress, done, len(subdirs), time.Since(start))
				mu.Unlock()
			}
		}()
	}
	for _, s := range subdirs {
		jobs <- s
	}
	close(jobs)
	wg.Wait()
	fmt.Fprintln(progress)
	if firstErr != nil {
		return nil, firstErr
	}
	m.finish(time.Since(start), checker)
	return m, nil
}

// silent lists the rules that apply to every dossier of the report's
// procedure and left no finding in it.
func silent(name string, rep report.Report, checker *checks.Checker) []string {
	var out []string
	for _, id := range checker.Unconditional(rep.Procedure) {
		if !slices.ContainsFunc(rep.Findings, func(f report.Finding) bool { return f.Rule == id }) {
			out = append(out, name+": "+id)
		}
	}
	return out
}

func bar(w io.Writer, done, total int, elapsed time.Duration) {
	const width = 30
	n := done * width / total
	eta := time.Duration(0)
	if done > 0 {
		eta = elapsed / time.Duration(done) * time.Duration(total-done)
	}
	fmt.Fprintf(w, "\r[%s%s] %d/%d  eta %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n), done, total, eta.Round(time.Second))
}

func newMetrics() *Metrics {
	return &Metrics{Rules: map[string]*RuleConfusion{}, Fields: map[string]*FieldScore{}, Seconds: map[string]float64{},
		cover: map[string]*ruleCover{}}
}

func (m *Metrics) add(c evalCase, rep report.Report, st pipeline.Stats) {
	l := c.label
	if m.Styles != nil {
		style := l.Style
		if style == "" {
			style = "1" // labels written before styles existed
		}
		if m.Styles[style] == nil {
			m.Styles[style] = newMetrics()
		}
		m.Styles[style].add(c, rep, st)
	}
	m.Dossiers++
	if l.Verdict == "review" {
		m.expectedReviews++
	}
	got := string(rep.Verdict)
	switch {
	case got == l.Verdict:
		m.Correct++
		if got == "review" {
			m.correctReviews++
		}
	default:
		m.Wrong = append(m.Wrong, fmt.Sprintf("%s: expected %s, got %s", l.Name, l.Verdict, got))
	}
	if got == "accept" && l.Verdict != "accept" {
		m.FalseAccepts = append(m.FalseAccepts, l.Name)
	}
	if got == "reject" && l.Verdict != "reject" {
		m.FalseRejects = append(m.FalseRejects, l.Name)
	}
	if got == "review" {
		m.Reviewed++
	}
	failed, looked := map[string]bool{}, map[string]bool{}
	for _, f := range rep.Findings {
		switch f.Outcome {
		case report.Fail:
			failed[f.Rule] = true
		case report.NeedsLook:
			looked[f.Rule] = true
		}
	}
	rule := func(id string) *RuleConfusion {
		if m.Rules[id] == nil {
			m.Rules[id] = &RuleConfusion{}
		}
		return m.Rules[id]
	}
	for _, id := range l.Fail {
		if failed[id] {
			rule(id).FailCaught++
		} else {
			rule(id).FailMissed++
		}
	}
	for id := range failed {
		if !slices.Contains(l.Fail, id) {
			rule(id).FailSpurious++
		}
	}
	for _, id := range l.Review {
		if looked[id] {
			rule(id).LookCaught++
		} else {
			rule(id).LookMissed++
		}
	}
	cov := m.cover[l.Procedure]
	if cov == nil {
		cov = &ruleCover{notPass: map[string]int{}}
		m.cover[l.Procedure] = cov
	}
	cov.dossiers++
	for _, id := range slices.Compact(slices.Sorted(slices.Values(slices.Concat(l.Fail, l.Review)))) {
		cov.notPass[id]++
	}
	for key, want := range l.Truth {
		file, field, _ := strings.Cut(key, "/")
		fsc := m.Fields[field]
		if fsc == nil {
			fsc = &FieldScore{}
			m.Fields[field] = fsc
		}
		fsc.Total++
		exact := fsc.Exact
		var read any = "document not in the report"
		for _, d := range rep.Documents {
			if d.File == file {
				var ok bool
				if read, ok = fieldExact(field, want, file, d.Fields); ok {
					fsc.Exact++
				}
			}
		}
		if fsc.Exact == exact {
			fsc.Misses = append(fsc.Misses, fmt.Sprintf("%s %s: want %s, read %v", l.Name, file, want, read))
		}
	}
	m.Seconds["pdf"] += st.PDF.Seconds()
	m.Seconds["ocr"] += st.OCR.Seconds()
	m.Seconds["checks"] += st.Checks.Seconds()
}

// fieldExact compares a document's reading of field with the truth and
// returns what was read.
//
// Dates (FIELD_date): the date the checks rely on — the first of its label
// FIELD_dates, as authoritative sources (form field, 2D-Doc) come first —
// is the truth, and no other date has that label unless a form field named
// it (a guide's birth date printed on an F02) or a verified 2D-Doc's date
// comes first (an altered printed date shows after it).
// national_number: the first national number read. last_name: equal once
// case, accents and hyphens are folded, as an MRZ carries none of them
// (MARTIN-DURAND is MARTIN<DURAND).
func fieldExact(field, want, file string, fields map[string]any) (any, bool) {
	switch field {
	case "last_name":
		v, _ := fields[field].(string)
		fold := func(s string) string { return strings.ReplaceAll(extract.Fold(s), "-", " ") }
		return fields[field], v != "" && fold(v) == fold(want)
	case "national_number":
		v, ok := fields["national_numbers"].([]string)
		return fields["national_numbers"], ok && len(v) > 0 && v[0] == want
	}
	label := strings.TrimSuffix(field, "_date") + "_dates"
	v, ok := fields[label].([]string)
	code, _ := fields["2ddoc"].(map[string]any)
	signed := code != nil && fmt.Sprint(code["status"]) == "valid"
	return fields[label], ok && len(v) > 0 && v[0] == want && (len(v) == 1 || strings.HasSuffix(file, ".pdf") || signed)
}

func (m *Metrics) finish(elapsed time.Duration, checker *checks.Checker) {
	if m.Dossiers == 0 {
		return
	}
	for _, proc := range slices.Sorted(maps.Keys(m.cover)) {
		if checker == nil {
			break // a style's share of a set: coverage is the whole set's
		}
		cov := m.cover[proc]
		for _, id := range checker.Rules(proc) {
			switch cov.notPass[id] {
			case 0:
				m.Untested = append(m.Untested, proc+" "+id+": no dossier expects it to fail")
			case cov.dossiers:
				m.Untested = append(m.Untested, proc+" "+id+": no dossier expects it to pass")
			}
		}
	}
	n := float64(m.Dossiers)
	m.Accuracy = float64(m.Correct) / n
	m.ReviewRate = float64(m.Reviewed) / n
	// Decided automatically and correctly: the right accept or reject.
	m.Automatic = float64(m.Correct-m.correctReviews) / n
	if d := n - float64(m.expectedReviews); d > 0 {
		m.AutomaticDecidable = float64(m.Correct-m.correctReviews) / d
		m.ReviewDecidable = float64(m.Reviewed-m.correctReviews) / d
	}
	for _, f := range m.Fields {
		if f.Total > 0 {
			f.Rate = float64(f.Exact) / float64(f.Total)
		}
	}
	m.SecondsPerDos = elapsed.Seconds() / n
	for _, s := range m.Styles {
		s.finish(elapsed*time.Duration(s.Dossiers)/time.Duration(m.Dossiers), nil)
	}
}

// evalCmd runs `dossier eval [--json] [--workers N] DIR`; it fails on any
// false accept.
func evalCmd(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print the metrics as JSON")
	workers := fs.Int("workers", runtime.NumCPU(), "dossiers checked at once")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("eval needs the directory of labelled dossiers (see dossier gen)")}
	}
	m, err := evaluate(ctx, fs.Arg(0), max(1, *workers), os.Stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.Encode(m)
	} else {
		printMetrics(out, m)
	}
	if len(m.FalseAccepts) > 0 {
		return fmt.Errorf("%d false accept(s): %s", len(m.FalseAccepts), strings.Join(m.FalseAccepts, ", "))
	}
	return nil
}

func printMetrics(w io.Writer, m *Metrics) {
	fmt.Fprintf(w, "dossiers            %d\n", m.Dossiers)
	fmt.Fprintf(w, "verdict accuracy    %.1f%% (%d/%d)\n", 100*m.Accuracy, m.Correct, m.Dossiers)
	fmt.Fprintf(w, "false accepts       %d %v\n", len(m.FalseAccepts), m.FalseAccepts)
	fmt.Fprintf(w, "false rejects       %d %v\n", len(m.FalseRejects), m.FalseRejects)
	fmt.Fprintf(w, "silent rules        %d %v\n", len(m.Silent), m.Silent)
	fmt.Fprintf(w, "review rate         %.1f%% (%.1f%% of the %d dossiers not labelled review)\n",
		100*m.ReviewRate, 100*m.ReviewDecidable, m.Dossiers-m.expectedReviews)
	fmt.Fprintf(w, "decided right, auto %.1f%% (%.1f%% of the %d dossiers not labelled review)\n",
		100*m.Automatic, 100*m.AutomaticDecidable, m.Dossiers-m.expectedReviews)
	fmt.Fprintf(w, "time per dossier    %.2f s (stages summed: pdf %.1f s, ocr %.1f s, checks %.3f s)\n",
		m.SecondsPerDos, m.Seconds["pdf"], m.Seconds["ocr"], m.Seconds["checks"])
	printStyles(w, m)
	fmt.Fprintln(w, "\n          fail                      review")
	fmt.Fprintln(w, "rule      caught  missed  spurious  caught  missed")
	for _, id := range slices.Sorted(maps.Keys(m.Rules)) {
		r := m.Rules[id]
		fmt.Fprintf(w, "%-9s %6d  %6d  %8d  %6d  %6d\n", id, r.FailCaught, r.FailMissed, r.FailSpurious, r.LookCaught, r.LookMissed)
	}
	if len(m.Untested) > 0 {
		fmt.Fprintln(w, "\nrules not exercised both ways by this set:")
		for _, x := range m.Untested {
			fmt.Fprintln(w, "  "+x)
		}
	}
	fmt.Fprintln(w, "\nfield        exact")
	for _, f := range slices.Sorted(maps.Keys(m.Fields)) {
		x := m.Fields[f]
		fmt.Fprintf(w, "%-12s %.1f%% (%d/%d)\n", f, 100*x.Rate, x.Exact, x.Total)
	}
	for _, f := range slices.Sorted(maps.Keys(m.Fields)) {
		for _, x := range m.Fields[f].Misses {
			fmt.Fprintf(w, "  %s miss: %s\n", f, x)
		}
	}
	if len(m.Wrong) > 0 {
		fmt.Fprintln(w, "\nwrong verdicts:")
		for _, x := range m.Wrong {
			fmt.Fprintln(w, "  "+x)
		}
	}
}

// printStyles compares the generator styles of the set side by side.
func printStyles(w io.Writer, m *Metrics) {
	if len(m.Styles) == 0 {
		return
	}
	fields := slices.Sorted(maps.Keys(m.Fields))
	fmt.Fprintf(w, "\nstyle  dossiers  accuracy  false-acc  false-rej  review  review-of-decidable")
	for _, f := range fields {
		fmt.Fprintf(w, "  %s", f)
	}
	fmt.Fprintln(w)
	for _, name := range slices.Sorted(maps.Keys(m.Styles)) {
		s := m.Styles[name]
		fmt.Fprintf(w, "%-5s  %8d  %7.1f%%  %9d  %9d  %5.1f%%  %18.1f%%", name, s.Dossiers, 100*s.Accuracy,
			len(s.FalseAccepts), len(s.FalseRejects), 100*s.ReviewRate, 100*s.ReviewDecidable)
		for _, f := range fields {
			x := s.Fields[f]
			if x == nil {
				fmt.Fprintf(w, "  %*s", len(f), "-")
				continue
			}
			fmt.Fprintf(w, "  %*s", len(f), fmt.Sprintf("%.0f%% %d/%d", 100*x.Rate, x.Exact, x.Total))
		}
		fmt.Fprintln(w)
	}
}
