package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"dossiercheck/dossier"
	"dossiercheck/report"
	"dossiercheck/store"
	"dossiercheck/wording"
)

// A clerk's reason or justification: required, and bounded.
const maxReason = 2000

// page is one page of one file as the dossier page shows it.
type page struct {
	File   int // index in the dossier's files
	Name   string
	Page   int // 1-based
	Anchor string
	Src    string
	FrameW int
	FrameH int
	Boxes  []box
	Err    string
}

// box is one evidence box on a page, in the page's frame.
type box struct {
	ID         string
	X, Y, W, H int
	Outcome    string
	Finding    int
}

type evidence struct {
	Href, File, Text string
	Original         string // the text as the report has it, when Text translates it
	Page             int
	Boxed            bool
}

type finding struct {
	Index    int // in the report's findings
	Rule     string
	Outcome  string
	Verdict  string // the outcome in words
	What     string
	Message  string // as the check wrote it (English)
	Source   string
	Evidence []evidence
	Override *store.Override
}

// field is a labelled value; Class is "good" or "bad" where the value
// says whether something holds (an MRZ, a 2D-Doc signature).
type field struct{ Label, Key, Value, Class string }

type document struct {
	File, Kind, KindText string
	Confidence           float64
	Pages                int
	Fields               []field
}

// loaded is a dossier with its report decoded.
type loaded struct {
	dossier.Dossier
	Report *report.Report
}

// load reads a dossier; a missing one is answered 404 here.
func (s *Server) load(w http.ResponseWriter, r *http.Request, l wording.Lang) (loaded, bool) {
	d, err := s.Store.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, wording.UI("error.notfound", l), http.StatusNotFound)
		return loaded{}, false
	}
	if err != nil {
		s.log().Error("get dossier", "err", err)
		http.Error(w, wording.UI("error.store", l), http.StatusInternalServerError)
		return loaded{}, false
	}
	ld := loaded{Dossier: d}
	if d.Report != nil {
		var rep report.Report
		if err := json.Unmarshal(d.Report, &rep); err != nil {
			s.log().Error("decode report", "id", d.ID, "err", err)
		} else {
			ld.Report = &rep
		}
	}
	return ld, true
}

func (s *Server) dossierPage(w http.ResponseWriter, r *http.Request, ss store.Session) {
	l := s.lang(w, r)
	d, ok := s.load(w, r, l)
	if !ok {
		return
	}
	ctx := r.Context()
	if err := s.Store.AddAudit(ctx, d.ID, ss.User.Name, store.AuditView, ""); err != nil {
		s.log().Error("audit view", "err", err)
	}
	rv, err := s.Store.ReviewOf(ctx, d.ID)
	if err != nil {
		s.log().Error("read review", "err", err)
		http.Error(w, wording.UI("error.store", l), http.StatusInternalServerError)
		return
	}
	pages := s.pages(ctx, d)
	findings := findingsView(d, pages, rv.Overrides, l)
	view := map[string]any{
		"L": l, "User": ss.User, "CSRF": ss.CSRF, "D": d, "R": d.Report,
		"Procedure": wording.Procedure(d.Procedure, l),
		"Pages":     pages, "Findings": findings, "Documents": documentsView(d.Report, l),
		"Declared": declaredView(d.Declared), "Review": rv,
		"Status": wording.Status(string(d.Status), l),
	}
	htmlHeaders(w.Header())
	s.render(w, "dossier", view)
}

// procedureTitle names a procedure, in French: the applicant's letter
// and the clerk's pages share it.
func (s *Server) procedureTitle(code string) string { return wording.Procedure(code, wording.FR) }

// pages lists every page of every file, rendering (and caching) the ones
// not rendered yet; a page that cannot be rendered says why.
func (s *Server) pages(ctx context.Context, d loaded) []page {
	var out []page
	for fi, f := range d.Files {
		n, turned := 0, map[int]bool{}
		if d.Report != nil {
			for _, doc := range d.Report.Documents {
				if doc.File == f.Name {
					n = doc.Pages
					for _, p := range intList(doc.Fields["pages_turned_180"]) {
						turned[p] = true
					}
				}
			}
		}
		var data []byte
		blob := func() ([]byte, error) {
			if data != nil {
				return data, nil
			}
			var err error
			data, err = s.Store.Blob(ctx, f.SHA256)
			return data, err
		}
		if n == 0 {
			b, err := blob()
			if err == nil {
				n, err = pageCount(ctx, f, b)
			}
			if err != nil {
				s.log().Warn("count pages", "id", d.ID, "file", fi, "err", err)
				out = append(out, page{File: fi, Name: f.Name, Page: 1, Anchor: anchor(fi, 1), Err: "unreadable"})
				continue
			}
		}
		for p := 1; p <= min(n, maxPages); p++ {
			pg := page{File: fi, Name: f.Name, Page: p, Anchor: anchor(fi, p),
				Src: fmt.Sprintf("/review/%s/files/%d/pages/%d", d.ID, fi, p)}
			img, err := s.pageImage1(ctx, d.ID, f, fi, p, turned[p], blob)
			if err != nil {
				s.log().Warn("render page", "id", d.ID, "file", fi, "page", p, "err", err)
				pg.Err = "unreadable"
			}
			pg.FrameW, pg.FrameH = img.FrameW, img.FrameH
			out = append(out, pg)
		}
	}
	return out
}

func anchor(file, page int) string { return fmt.Sprintf("p-%d-%d", file, page) }

// intList reads a list of page numbers from a report field.
func intList(v any) []int {
	var out []int
	if l, ok := v.([]any); ok {
		for _, x := range l {
			if f, ok := x.(float64); ok {
				out = append(out, int(f))
			}
		}
	}
	return out
}

// pageImage1 returns a page's image from the cache, or renders and caches it.
func (s *Server) pageImage1(ctx context.Context, id string, f dossier.File, fi, p int, turned bool, blob func() ([]byte, error)) (store.PageImage, error) {
	img, ok, err := s.Store.PageImage(ctx, id, fi, p)
	if err != nil || ok {
		return img, err
	}
	data, err := blob()
	if err != nil {
		return img, err
	}
	if img, err = renderPage(ctx, f, data, p, turned); err != nil {
		return img, err
	}
	return img, s.Store.PutPageImage(ctx, id, fi, p, img)
}

// pageImage serves one page's image, to a session only.
func (s *Server) pageImage(w http.ResponseWriter, r *http.Request, _ store.Session) {
	l := s.lang(w, r)
	fi, err1 := strconv.Atoi(r.PathValue("file"))
	p, err2 := strconv.Atoi(r.PathValue("page"))
	if err1 != nil || err2 != nil || p < 1 || p > maxPages {
		http.Error(w, wording.UI("error.notfound", l), http.StatusNotFound)
		return
	}
	ctx := r.Context()
	img, ok, err := s.Store.PageImage(ctx, r.PathValue("id"), fi, p)
	if err == nil && !ok {
		d, found := s.load(w, r, l)
		if !found {
			return
		}
		if fi < 0 || fi >= len(d.Files) {
			http.Error(w, wording.UI("error.notfound", l), http.StatusNotFound)
			return
		}
		f := d.Files[fi]
		img, err = s.pageImage1(ctx, d.ID, f, fi, p, false, func() ([]byte, error) { return s.Store.Blob(ctx, f.SHA256) })
	}
	if err != nil {
		s.log().Warn("page image", "err", err)
		http.Error(w, wording.UI("error.page", l), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", img.ContentType)
	w.Write(img.Data)
}

// findingsView lists the findings, failures first then those needing a
// look, each with its evidence linked to its box (or page), and puts the
// boxes on the pages.
func findingsView(d loaded, pages []page, overrides []store.Override, l wording.Lang) []finding {
	if d.Report == nil {
		return nil
	}
	fileIdx := map[string]int{}
	for i, f := range d.Files {
		if _, ok := fileIdx[f.Name]; !ok {
			fileIdx[f.Name] = i
		}
	}
	pageAt := map[string]*page{}
	for i := range pages {
		pageAt[pages[i].Anchor] = &pages[i]
	}
	var out []finding
	for i, f := range d.Report.Findings {
		rule, _ := wording.RuleFor(f.Rule, f.Message)
		fv := finding{Index: i, Rule: f.Rule, Outcome: string(f.Outcome), Verdict: wording.Outcome(string(f.Outcome), l),
			What: rule.WhatIn(l), Message: f.Message, Source: wording.Source(f.Rule, f.Source)}
		if fv.What == "" {
			fv.What = f.Rule
		}
		for _, o := range overrides {
			if o.Finding == i {
				fv.Override = &o
			}
		}
		for j, e := range f.Evidence {
			ev := evidence{File: e.File, Page: e.Page, Text: e.Text}
			if fr, ok := wording.Evidence(e.Text, l); ok {
				ev.Text, ev.Original = fr, e.Text
			}
			fi, known := fileIdx[e.File]
			if known {
				ev.Href = "#" + anchor(fi, e.Page)
			}
			if pg := pageAt[anchor(fi, e.Page)]; known && pg != nil && e.BBox != nil {
				b := *e.BBox
				id := fmt.Sprintf("ev-%d-%d", i, j)
				pg.Boxes = append(pg.Boxes, box{ID: id, X: b[0], Y: b[1], W: b[2] - b[0], H: b[3] - b[1], Outcome: string(f.Outcome), Finding: i})
				ev.Href, ev.Boxed = "#"+id, true
			}
			fv.Evidence = append(fv.Evidence, ev)
		}
		out = append(out, fv)
	}
	rank := map[string]int{"fail": 0, "review": 1, "pass": 2}
	slices.SortStableFunc(out, func(a, b finding) int { return rank[a.Outcome] - rank[b.Outcome] })
	return out
}

// documentsView shows what was read of each document, fields in words.
func documentsView(rep *report.Report, l wording.Lang) []document {
	if rep == nil {
		return nil
	}
	var out []document
	for _, d := range rep.Documents {
		dv := document{File: d.File, Kind: d.Kind, KindText: wording.Kind(d.Kind, l), Confidence: d.Confidence, Pages: d.Pages}
		keys := make([]string, 0, len(d.Fields))
		for k := range d.Fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			dv.Fields = append(dv.Fields, fieldView(k, d.Fields[k], l))
		}
		out = append(out, dv)
	}
	return out
}

// fieldView puts one document field into words; the MRZ and the 2D-Doc
// say first whether they hold.
func fieldView(k string, v any, l wording.Lang) field {
	f := field{Label: wording.Field(k, l), Key: k}
	switch k {
	case "mrz":
		m, _ := v.(map[string]any)
		valid, _ := m["valid"].(bool)
		f.Class = "bad"
		f.Value = wording.UI("mrz.invalid", l)
		if valid {
			f.Class, f.Value = "good", wording.UI("mrz.valid", l)
		}
		if fm, ok := m["format"].(string); ok {
			f.Value += " (" + fm + ")"
		}
		if e := plain(m["errors"]); e != "" {
			f.Value += " — " + e
		}
		if rp := plain(m["repaired"]); rp != "" {
			f.Value += " — " + wording.UI("mrz.repaired", l) + " " + rp
		}
	case "2ddoc":
		m, _ := v.(map[string]any)
		st, _ := m["status"].(string)
		f.Value = wording.TwoDDocStatus(st, l)
		f.Class = "bad"
		if st == "valid" {
			f.Class = "good"
		}
		if ca, ok := m["ca"].(string); ok && ca != "" {
			f.Value += " (" + ca + ")"
		}
	case "ocr_mean_confidence":
		if x, ok := v.(float64); ok {
			f.Value = strconv.FormatFloat(x, 'f', 1, 64) + " %"
		}
	default:
		f.Value = plain(v)
	}
	return f
}

// plain writes a field's value as text: lists joined, objects as
// key: value.
func plain(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "oui"
		}
		return "non"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		var parts []string
		for _, x := range v {
			parts = append(parts, plain(x))
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+": "+plain(v[k]))
		}
		return strings.Join(parts, "; ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// declaredView lists the declared data, key by key (nested keys dotted).
func declaredView(d dossier.Declared) []field {
	b, _ := json.Marshal(d)
	var m map[string]any
	json.Unmarshal(b, &m)
	var out []field
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if sub, ok := m[k].(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			out = append(out, field{Key: prefix + k, Value: plain(m[k])})
		}
	}
	walk("", m)
	return out
}

// reason reads a required free-text field.
func reason(r *http.Request, name string) (string, bool) {
	v := strings.TrimSpace(r.PostFormValue(name))
	return v, v != "" && utf8.RuneCountInString(v) <= maxReason
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, ss store.Session) {
	l := s.lang(w, r)
	id := r.PathValue("id")
	dec := r.PostFormValue("decision")
	why, ok := reason(r, "reason")
	if (dec != "accept" && dec != "reject") || !ok {
		http.Error(w, wording.UI("error.decision", l), http.StatusBadRequest)
		return
	}
	err := s.Store.Decide(r.Context(), id, store.Decision{Decision: dec, Reason: why, Clerk: ss.User.Name, At: s.now()})
	if !s.stored(w, err, l) {
		return
	}
	s.log().Info("dossier decided", "id", id, "decision", dec, "clerk", ss.User.Name)
	if s.Notifier != nil {
		if err := s.Notifier.Decided(r.Context(), id); err != nil {
			s.log().Warn("notify decision", "id", id, "err", err)
		}
	}
	http.Redirect(w, r, "/review/"+id+"#decision", http.StatusSeeOther)
}

func (s *Server) override(w http.ResponseWriter, r *http.Request, ss store.Session) {
	l := s.lang(w, r)
	d, found := s.load(w, r, l)
	if !found {
		return
	}
	i, err := strconv.Atoi(r.PostFormValue("finding"))
	why, ok := reason(r, "justification")
	if err != nil || !ok || d.Report == nil || i < 0 || i >= len(d.Report.Findings) || d.Report.Findings[i].Outcome == report.Pass {
		http.Error(w, wording.UI("error.override", l), http.StatusBadRequest)
		return
	}
	err = s.Store.Override(r.Context(), d.ID, store.Override{Finding: i, Rule: d.Report.Findings[i].Rule, Justification: why, Clerk: ss.User.Name, At: s.now()})
	if !s.stored(w, err, l) {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/review/%s#f-%d", d.ID, i), http.StatusSeeOther)
}

// stored answers a store error, and says whether there was none.
func (s *Server) stored(w http.ResponseWriter, err error, l wording.Lang) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, store.ErrNotFound):
		http.Error(w, wording.UI("error.notfound", l), http.StatusNotFound)
	default:
		s.log().Error("store clerk's record", "err", err)
		http.Error(w, wording.UI("error.store", l), http.StatusInternalServerError)
	}
	return false
}
