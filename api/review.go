package api

import (
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"slices"

	"dossiercheck/report"
	"dossiercheck/store"
)

// reviewPage is the clerk's view of one dossier: verdict, documents, and
// every finding with its rule, evidence and source, failures first.
var reviewPage = template.Must(template.New("review").Parse(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Dossier {{.ID}}</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
.v{display:inline-block;padding:.2em .6em;border-radius:.3em;color:#fff;font-weight:bold;text-transform:uppercase}
.accept,.pass{background:#2e7d32}.reject,.fail{background:#c62828}.review{background:#ef6c00}
table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}
q{font-family:monospace;background:#f4f4f4;padding:0 .2em}small{color:#666}
</style></head><body>
<h1>Dossier <code>{{.ID}}</code></h1>
<p>Statut : <b>{{.Status}}</b>{{with .Report}} — {{.Procedure}}, déposé le {{.Submitted}} —
verdict <span class="v {{.Verdict}}">{{.Verdict}}</span> <small>règles {{.RulesVersion}}</small>{{end}}</p>
{{with .Error}}<p class="v fail">{{.}}</p>{{end}}
{{with .Report}}
<h2>Pièces</h2>
<table><tr><th>Fichier</th><th>Type reconnu</th><th>Confiance</th><th>Pages</th></tr>
{{range .Documents}}<tr><td>{{.File}}</td><td>{{.Kind}}</td><td>{{printf "%.2f" .Confidence}}</td><td>{{.Pages}}</td></tr>{{end}}
</table>
<h2>Constats</h2>
<table><tr><th></th><th>Règle</th><th>Constat et preuves</th></tr>
{{range .Findings}}<tr><td><span class="v {{.Outcome}}">{{.Outcome}}</span></td><td><b>{{.Rule}}</b></td>
<td>{{.Message}}{{range .Evidence}}<br><small>{{.File}} p.{{.Page}}</small> <q>{{.Text}}</q>{{end}}<br><small>Source : {{.Source}}</small></td></tr>{{end}}
</table>{{end}}
</body></html>`))

func (s *Server) review(w http.ResponseWriter, r *http.Request) {
	d, err := s.Store.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "no such dossier", http.StatusNotFound)
		return
	}
	if err != nil {
		s.Log.Error("get dossier", "err", err)
		http.Error(w, "the dossier could not be read", http.StatusInternalServerError)
		return
	}
	view := struct {
		ID, Status, Error string
		Report            *report.Report
	}{ID: d.ID, Status: string(d.Status), Error: d.Error}
	if d.Report != nil {
		var rep report.Report
		if err := json.Unmarshal(d.Report, &rep); err == nil {
			rank := map[report.Outcome]int{report.Fail: 0, report.NeedsLook: 1, report.Pass: 2}
			slices.SortStableFunc(rep.Findings, func(a, b report.Finding) int { return rank[a.Outcome] - rank[b.Outcome] })
			view.Report = &rep
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // personal data
	htmlHeaders(w.Header())
	if err := reviewPage.Execute(w, view); err != nil {
		s.Log.Error("render review page", "err", err)
	}
}

// htmlHeaders keep a page of personal data from running or loading anything
// but its own inline style, from being framed (clickjacking) and from
// leaking its address to another site.
func htmlHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}
