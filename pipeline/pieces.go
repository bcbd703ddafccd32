package pipeline

import (
	"slices"

	"dossiercheck/classify"
	"dossiercheck/doctext"
)

// splitConfidence is how sure the classifier must be of a page alone, and
// of the piece before it, for the page to start a piece of its own. The
// classifier gives 0.5 or more only to a kind with at least 2 points of
// evidence that hold at least half of all the evidence on the page, untied
// (classify.Classify); below that a page is taken as the continuation of
// the piece before it (a bill's detail page, a form's second page), which
// is what a one-piece file of several pages is.
const splitConfidence = 0.5

// Pieces splits the reading of a file of several pages into the pieces of
// the dossier it holds: a portal's scanned bundle of a bill, its detail
// page and an identity card is three pages and two pieces. Pages are
// classified one by one; a page starts a new piece when it is, with
// confidence, of another kind than the piece before it, itself of a
// confident kind. A fillable form is one piece. Most files are one piece:
// the reading is then returned as it is.
func Pieces(r Reading) []Reading {
	if r.Unread != "" || len(r.Fields) > 0 || len(r.Pages) < 2 {
		return []Reading{r}
	}
	type piece struct {
		kind  classify.Result
		pages []doctext.Page
	}
	var ps []piece
	for _, pg := range r.Pages {
		k := pageKind(r, pg)
		if n := len(ps); n > 0 {
			cur := &ps[n-1]
			confident := k.Kind != classify.Unknown && k.Confidence >= splitConfidence && len(k.Tied) == 0
			if !confident || k.Kind == cur.kind.Kind || cur.kind.Confidence < splitConfidence {
				cur.pages = append(cur.pages, pg)
				if cur.kind.Confidence < splitConfidence && confident {
					cur.kind = k // a weak first page takes the kind of a confident one
				}
				continue
			}
		}
		ps = append(ps, piece{kind: k, pages: []doctext.Page{pg}})
	}
	if len(ps) == 1 {
		return []Reading{r}
	}
	out := make([]Reading, len(ps))
	for i, p := range ps {
		out[i] = piecePart(r, p.pages, i == 0)
	}
	return out
}

// pageKind classifies one page alone, with the file's MRZ when it was read
// on that page.
func pageKind(r Reading, pg doctext.Page) classify.Result {
	in := classify.Input{Text: pg.Text(), Words: pg.WordCount(), Pages: 1, Aspect: r.Aspect}
	if pg.Height > 0 {
		in.Aspect = float64(pg.Width) / float64(pg.Height)
	}
	if r.MRZ != nil && r.MRZ.Zone.Valid && r.MRZ.Evidence.Page == pg.Number {
		in.MRZFormat, in.MRZCode = string(r.MRZ.Zone.Format), r.MRZ.Zone.DocCode
	}
	return classify.Classify(in)
}

// piecePart is the reading of some pages of r: what was read on those
// pages goes with them; what concerns the file (its problems, PDF
// metadata, form fields) goes with the first piece.
func piecePart(r Reading, pages []doctext.Page, first bool) Reading {
	on := func(page int) bool {
		return slices.ContainsFunc(pages, func(p doctext.Page) bool { return p.Number == page })
	}
	within := func(ns []int) []int {
		var out []int
		for _, n := range ns {
			if on(n) {
				out = append(out, n)
			}
		}
		return out
	}
	p := Reading{Version: r.Version, File: r.File, Pages: pages, Aspect: r.Aspect, Shot: r.Shot,
		Turned: within(r.Turned), Quarter: within(r.Quarter)}
	for _, pg := range pages {
		p.Piece = append(p.Piece, pg.Number)
	}
	if pg := pages[0]; pg.Height > 0 {
		p.Aspect = float64(pg.Width) / float64(pg.Height)
	}
	if first {
		p.Problems, p.PDF = r.Problems, r.PDF
	}
	if r.MRZ != nil && on(r.MRZ.Evidence.Page) {
		p.MRZ = r.MRZ
	}
	if r.MRZSeen != nil && on(r.MRZSeen.Page) {
		p.MRZSeen = r.MRZSeen
	}
	if r.Code != nil && on(1) {
		p.Code = r.Code
	}
	return p
}
