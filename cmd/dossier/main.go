// Command dossier checks dossiers from the command line.
//
//	dossier check --procedure CODE [--submitted YYYY-MM-DD] [--declared FILE.json] [--format json|text] FILE...
//	dossier reprocess [--data DIR] [--redis ADDR] [--rules-only [--dry-run]] (ID... | --status done|failed)
//	dossier fixtures DIR
//	dossier users (add NAME --role clerk|admin | list | disable NAME)
//
// check runs the same pipeline as the worker, in-process (no Redis), and
// prints the report on stdout; it exits 0 whenever a report was produced,
// whatever the verdict, and 2 with a one-line reason on a usage error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"dossiercheck/checks"
	"dossiercheck/dates"
	"dossiercheck/dossier"
	"dossiercheck/ocr"
	"dossiercheck/pipeline"
	"dossiercheck/report"
	"dossiercheck/twoddoc"
)

type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout)
	var ue usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(os.Stderr, usage) // -h: the usage, not an error
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "dossier:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "dossier:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  dossier check --procedure CODE [--submitted YYYY-MM-DD] [--declared FILE.json] [--format json|text]
                [--certs DIR [--2ddoc-test-ca]] FILE...
  dossier reprocess [--data DIR] [--redis ADDR] [--rules-only [--dry-run]] (ID... | --status done|failed)
  dossier gen [--seed N] [--count N] [--submitted YYYY-MM-DD] [--style 1|2|3|all] [--only PREFIX,...] DIR
  dossier eval [--json] [--workers N] DIR
  dossier fixtures DIR
  dossier users (add NAME --role clerk|admin | list | disable NAME) [--data DIR] [--store SPEC]
  dossier portal add NAME [--webhook URL] | list | revoke NAME  [--store URL] [--data DIR]`

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("missing command\n" + usage)}
	}
	switch args[0] {
	case "check":
		return check(ctx, args[1:], out)
	case "gen":
		return gen(args[1:], out)
	case "eval":
		return evalCmd(ctx, args[1:], out)
	case "reprocess":
		return reprocess(ctx, args[1:], out)
	case "users":
		return users(ctx, args[1:], os.Stdin, out)
	case "portal":
		return portalCmd(ctx, args[1:], out)
	case "fixtures":
		if len(args) != 2 {
			return usageError{errors.New("fixtures needs a directory\n" + usage)}
		}
		return writeFixtures(args[1], out)
	case "-h", "--help", "help":
		fmt.Fprintln(out, usage)
		return nil
	}
	return usageError{fmt.Errorf("unknown command %q\n%s", args[0], usage)}
}

func check(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	procedure := fs.String("procedure", "", "procedure code")
	submitted := fs.String("submitted", "", "submission date YYYY-MM-DD (default today)")
	declaredPath := fs.String("declared", "", "declared data, JSON file")
	format := fs.String("format", "text", "json or text")
	certsDir := fs.String("certs", "", "directory of 2D-Doc certificates")
	testCA := fs.Bool("2ddoc-test-ca", false, "accept the ANTS test authority FR00 (tests only)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	checker, err := checks.Load()
	if err != nil {
		return err
	}
	switch {
	case *procedure == "":
		return usageError{errors.New("--procedure is required (one of " + strings.Join(checker.Codes(), ", ") + ")")}
	case !checker.Known(*procedure):
		return usageError{fmt.Errorf("unknown procedure %q (one of %s)", *procedure, strings.Join(checker.Codes(), ", "))}
	case *format != "json" && *format != "text":
		return usageError{fmt.Errorf("--format must be json or text, not %q", *format)}
	case fs.NArg() == 0:
		return usageError{errors.New("no file to check")}
	}
	req := pipeline.Request{Procedure: *procedure, Submitted: dates.Truncate(time.Now())}
	if *submitted != "" {
		if req.Submitted, err = dates.Parse(*submitted); err != nil {
			return usageError{fmt.Errorf("--submitted: %w", err)}
		}
	}
	if *declaredPath != "" {
		b, err := os.ReadFile(*declaredPath)
		if err != nil {
			return usageError{fmt.Errorf("--declared: %w", err)}
		}
		if req.Declared, err = dossier.ParseDeclared(b); err != nil {
			return usageError{err}
		}
	}
	for _, path := range fs.Args() {
		b, err := os.ReadFile(path)
		if err != nil {
			return usageError{err}
		}
		req.Files = append(req.Files, pipeline.File{Name: filepath.Base(path), Data: b})
	}
	// The pipeline reads a dossier's files one after another: one OCR
	// client, loaded only if a page needs it (a dossier of forms and text
	// PDFs loads none). An image file will need it: its model loads
	// meanwhile the image is decoded and straightened.
	eng, err := ocr.New(1, ocr.DefaultSettings, nil)
	if err != nil {
		return err
	}
	defer eng.Close()
	if slices.ContainsFunc(req.Files, isImage) {
		go eng.Preload(ctx) // on failure, the first page loads it again and reports why
	}
	var certs *twoddoc.Certs
	if *certsDir != "" {
		if certs, err = twoddoc.LoadCerts(*certsDir); err != nil {
			return usageError{err}
		}
		certs.AllowTest = *testCA
	}
	p := pipeline.New(eng, checker, certs)
	rep, _, err := p.Run(ctx, req)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	return writeText(out, rep)
}

// isImage: a JPEG, PNG or TIFF file, read by OCR whatever it holds.
func isImage(f pipeline.File) bool {
	switch dossier.DetectType(f.Data) {
	case dossier.JPEG, dossier.PNG, dossier.TIFF:
		return true
	}
	return false
}

func writeText(w io.Writer, r report.Report) error {
	fmt.Fprintf(w, "%s  submitted %s  verdict: %s  (rules %s)\n\n", r.Procedure, r.Submitted, strings.ToUpper(string(r.Verdict)), r.RulesVersion)
	for _, d := range r.Documents {
		fmt.Fprintf(w, "  %-24s %-20s confidence %.2f  %d page(s)\n", d.File, d.Kind, d.Confidence, d.Pages)
	}
	fmt.Fprintln(w)
	for _, f := range r.Findings {
		fmt.Fprintf(w, "  [%-6s] %-14s %s\n", f.Outcome, f.Rule, f.Message)
		for _, e := range f.Evidence {
			fmt.Fprintf(w, "           %s p.%d: %q\n", e.File, e.Page, e.Text)
		}
		fmt.Fprintf(w, "           source: %s\n", f.Source)
	}
	return nil
}
