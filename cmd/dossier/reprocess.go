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
	"slices"
	"time"

	"dossiercheck/checks"
	"dossiercheck/config"
	"dossiercheck/dossier"
	"dossiercheck/pipeline"
	"dossiercheck/queue"
	"dossiercheck/report"
	"dossiercheck/store"
)

// reprocess re-checks stored dossiers (after a rules update, say): by id,
// or every dossier in a status. By default they are re-queued on the
// low-priority batch queue for a full reading, so that portal uploads keep
// priority. With --rules-only they are re-checked here from their stored
// readings (no OCR; see pipeline.Reading); --dry-run prints what would
// change without writing. A dossier with a file whose reading is missing
// or of another reading version is queued for a full reading instead.
func reprocess(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("reprocess", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := config.Register(fs)
	status := fs.String("status", "", "every dossier in this status (done or failed)")
	rulesOnly := fs.Bool("rules-only", false, "re-check from stored readings, in this process, without OCR")
	dryRun := fs.Bool("dry-run", false, "with --rules-only: print the verdicts that would change, write nothing")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if (*status == "") == (fs.NArg() == 0) {
		return usageError{errors.New("reprocess needs dossier ids or --status done|failed, not both")}
	}
	if *status != "" && *status != string(dossier.Done) && *status != string(dossier.Failed) {
		return usageError{fmt.Errorf("--status must be done or failed, not %q", *status)}
	}
	if *dryRun && !*rulesOnly {
		return usageError{errors.New("--dry-run goes with --rules-only")}
	}
	st, err := store.Connect(ctx, cfg.Store, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	ids := fs.Args()
	if *status != "" {
		if ids, err = st.Stale(ctx, dossier.Status(*status), time.Now().Add(time.Second), 1_000_000); err != nil {
			return err
		}
	}
	if *rulesOnly {
		checker, err := checks.Load()
		if err != nil {
			return err
		}
		p := pipeline.New(nil, checker, nil)
		p.Readings, p.RulesOnly = st, true
		c, err := recheck(ctx, st, p, ids, !*dryRun, os.Stderr)
		if err != nil {
			return err
		}
		c.print(out, *dryRun)
		if *dryRun || len(c.unread) == 0 {
			return nil
		}
		ids = c.unread
	}
	q := queue.NewClient(cfg.RedisAddr)
	defer q.Close()
	for i, id := range ids {
		if _, err := st.Get(ctx, id); err != nil {
			return fmt.Errorf("dossier %s: %w", id, err)
		}
		// Queued first, so that the worker does not skip it as done.
		if _, err := st.SetStatus(ctx, id, dossier.Queued, dossier.Done, dossier.Failed, dossier.Received); err != nil {
			return err
		}
		if err := q.Enqueue(ctx, id, queue.Batch); err != nil {
			// Left "queued" in the store is wrong if Redis never got it:
			// put it back to received, which the reconciler retries.
			st.SetStatus(context.WithoutCancel(ctx), id, dossier.Received, dossier.Queued)
			return fmt.Errorf("after %d of %d: %w", i, len(ids), err)
		}
		if (i+1)%100 == 0 || i+1 == len(ids) {
			fmt.Fprintf(os.Stderr, "\rqueued %d/%d", i+1, len(ids))
		}
	}
	if len(ids) > 0 {
		fmt.Fprintln(os.Stderr)
	}
	fmt.Fprintf(out, "%d dossier(s) queued for a full reading on the batch queue\n", len(ids))
	return nil
}

// recheckStore is what a rules-only re-check needs of the store.
type recheckStore interface {
	Get(ctx context.Context, id string) (dossier.Dossier, error)
	Rechecked(ctx context.Context, id string, report []byte) (bool, error)
}

// changes is what a rules-only re-check found.
type changes struct {
	checked  int
	skipped  int            // not done: no report to compare with
	unread   []string       // a file's reading is missing: needs a full reading
	verdicts map[string]int // "accept → review": count
	rules    map[string]int // rule ID: dossiers where its outcome changed
	written  int
	elapsed  time.Duration
}

// recheck runs the checks again on each done dossier from its stored
// readings and compares the new report with the stored one; write stores
// the new report of each dossier whose report changed.
func recheck(ctx context.Context, st recheckStore, p *pipeline.Pipeline, ids []string, write bool, progress io.Writer) (changes, error) {
	c := changes{verdicts: map[string]int{}, rules: map[string]int{}}
	start := time.Now()
	for i, id := range ids {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		if progress != nil && ((i+1)%200 == 0 || i+1 == len(ids)) {
			bar(progress, i+1, len(ids), time.Since(start))
		}
		d, err := st.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			c.skipped++ // purged meanwhile
			continue
		}
		if err != nil {
			return c, fmt.Errorf("dossier %s: %w", id, err)
		}
		var old report.Report
		if d.Status != dossier.Done || json.Unmarshal(d.Report, &old) != nil {
			c.skipped++
			continue
		}
		req := pipeline.Request{Procedure: d.Procedure, Submitted: d.Submitted, Declared: d.Declared}
		for _, f := range d.Files {
			req.Files = append(req.Files, pipeline.File{Name: f.Name, SHA256: f.SHA256})
		}
		rep, _, err := p.Run(ctx, req)
		if errors.Is(err, pipeline.ErrNotRead) {
			c.unread = append(c.unread, id)
			continue
		}
		if err != nil {
			return c, fmt.Errorf("dossier %s: %w", id, err)
		}
		c.checked++
		if old.Verdict != rep.Verdict {
			c.verdicts[fmt.Sprintf("%s → %s", old.Verdict, rep.Verdict)]++
		}
		before, after := outcomes(old), outcomes(rep)
		for rule := range joinKeys(before, after) {
			if before[rule] != after[rule] {
				c.rules[rule]++
			}
		}
		if !write {
			continue
		}
		b, err := json.Marshal(rep)
		if err != nil {
			return c, err
		}
		if string(b) == string(d.Report) {
			continue
		}
		ok, err := st.Rechecked(ctx, id, b)
		if err != nil {
			return c, err
		}
		if ok {
			c.written++
		}
	}
	if progress != nil && len(ids) > 0 {
		fmt.Fprintln(progress)
	}
	c.elapsed = time.Since(start)
	return c, nil
}

// outcomes is each rule's outcomes in a report, in order ("pass,fail").
func outcomes(r report.Report) map[string]string {
	m := map[string]string{}
	for _, f := range r.Findings {
		if m[f.Rule] != "" {
			m[f.Rule] += ","
		}
		m[f.Rule] += string(f.Outcome)
	}
	return m
}

func joinKeys(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func (c changes) print(w io.Writer, dryRun bool) {
	rate := float64(c.checked) / max(c.elapsed.Seconds(), 1e-9)
	fmt.Fprintf(w, "rechecked %d dossier(s) from stored readings in %s (%.0f/s)\n", c.checked, c.elapsed.Round(time.Millisecond), rate)
	n := 0
	for _, v := range c.verdicts {
		n += v
	}
	fmt.Fprintf(w, "verdicts that %s: %d\n", map[bool]string{true: "would change", false: "changed"}[dryRun], n)
	for _, k := range slices.Sorted(maps.Keys(c.verdicts)) {
		fmt.Fprintf(w, "  %s: %d\n", k, c.verdicts[k])
	}
	if len(c.rules) > 0 {
		fmt.Fprintln(w, "rules whose outcome changed (dossiers):")
		for _, k := range slices.Sorted(maps.Keys(c.rules)) {
			fmt.Fprintf(w, "  %s: %d\n", k, c.rules[k])
		}
	}
	if !dryRun {
		fmt.Fprintf(w, "reports rewritten: %d\n", c.written)
	}
	if c.skipped > 0 {
		fmt.Fprintf(w, "skipped (not done, or purged): %d\n", c.skipped)
	}
	if len(c.unread) > 0 {
		fmt.Fprintf(w, "without a stored reading of version %d (a full reading is needed): %d\n", pipeline.ReadingVersion, len(c.unread))
	}
}
