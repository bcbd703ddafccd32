package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"time"

	"dossiercheck/config"
	"dossiercheck/portal"
	"dossiercheck/store"
)

const portalUsage = `usage:
  dossier portal add NAME [--webhook URL] [--store URL] [--data DIR]   prints {"portal","api_key","webhook_secret"} once
  dossier portal list [--store URL] [--data DIR]
  dossier portal revoke NAME [--store URL] [--data DIR]`

// portalCmd manages the portals: their API keys are printed once, at
// creation, and stored only as hashes.
func portalCmd(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("portal needs add, list or revoke\n" + portalUsage)}
	}
	fs := flag.NewFlagSet("portal "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := config.Register(fs)
	webhookURL := fs.String("webhook", "", "URL the portal's webhooks are POSTed to")
	names, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return usageError{err}
	}
	want := map[string]int{"add": 1, "list": 0, "revoke": 1}
	n, ok := want[args[0]]
	switch {
	case !ok:
		return usageError{fmt.Errorf("unknown portal command %q\n%s", args[0], portalUsage)}
	case len(names) != n:
		return usageError{fmt.Errorf("portal %s takes %d name(s)\n%s", args[0], n, portalUsage)}
	case *webhookURL != "" && args[0] != "add":
		return usageError{errors.New("--webhook goes with add")}
	}
	if *webhookURL != "" {
		if u, err := url.Parse(*webhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{fmt.Errorf("--webhook must be an http(s) URL, not %q", *webhookURL)}
		}
	}
	st, err := store.Connect(ctx, cfg.Store, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	enc := json.NewEncoder(out)
	switch args[0] {
	case "add":
		key, hash := portal.NewKey()
		p := store.Portal{Name: names[0], WebhookURL: *webhookURL, WebhookSecret: portal.NewSecret()}
		if err := st.AddPortal(ctx, p, hash); err != nil {
			return err
		}
		return enc.Encode(struct {
			Portal        string `json:"portal"`
			APIKey        string `json:"api_key"`
			WebhookSecret string `json:"webhook_secret"`
		}{p.Name, key, p.WebhookSecret})
	case "revoke":
		return st.RevokePortal(ctx, names[0])
	}
	ps, err := st.Portals(ctx)
	if err != nil {
		return err
	}
	type row struct {
		Portal    string `json:"portal"`
		Webhook   string `json:"webhook,omitempty"`
		CreatedAt string `json:"created_at"`
		RevokedAt string `json:"revoked_at,omitempty"`
	}
	for _, p := range ps {
		r := row{Portal: p.Name, Webhook: p.WebhookURL, CreatedAt: p.CreatedAt.Format(time.RFC3339)}
		if p.Revoked() {
			r.RevokedAt = p.RevokedAt.Format(time.RFC3339)
		}
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// parseInterleaved parses flags that may come before or after the
// positional arguments (dossier portal add NAME --webhook URL).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
