package pipeline

import (
	"context"
	"fmt"
	"image"
	"slices"

	"dossiercheck/doctext"
	"dossiercheck/extract"
	"dossiercheck/scan"
)

// readTableHeads re-reads the band above each row of dates that has no
// label on it and nothing read above it: a table's header row ("N° de
// facture | Date d'émission | Échéance" over "FL-2026-2086 25/10/2026
// 09/11/2026"), shaded and ruled, which Tesseract takes for a picture and
// drops. The band is read with its shade and rules taken out
// (scan.Unruled), and its lines join the page's just above the row, where
// the dates' labels are looked for (extract: a label above its value).
func (p *Pipeline) readTableHeads(ctx context.Context, f File, g *image.Gray, page *doctext.Page) error {
	var out []doctext.Line
	for _, l := range page.Lines {
		if head := tableHeadBand(l, page.Lines, g.Rect); !head.Empty() {
			hp, _, err := p.ocrImage(ctx, scan.Unruled(scan.Gray(g.SubImage(head)), doctext.MedianHeight(l.Words)), f.SHA256)
			if err != nil {
				return fmt.Errorf("re-read table header: %w", err)
			}
			for _, hl := range hp.Lines {
				for i := range hl.Words {
					hl.Words[i].Box = hl.Words[i].Box.Add(head.Min)
				}
				if nl := doctext.LineFromWords(hl.Words); len(nl.Words) > 0 {
					out = append(out, nl)
				}
			}
		}
		out = append(out, l)
	}
	page.Lines = out
	return nil
}

// tableHeadBand is the band where a row of dates' header would be: above
// it, two line heights beyond each end; empty when the row has a labelled
// date, is no row of words, or something was read there.
func tableHeadBand(l doctext.Line, lines []doctext.Line, page image.Rectangle) image.Rectangle {
	if len(l.Words) < 2 {
		return image.Rectangle{}
	}
	refs := extract.Dates([]doctext.Line{l})
	if len(refs) == 0 || slices.ContainsFunc(refs, func(r extract.DateRef) bool { return r.Label != "" && r.Label != extract.LabelOther }) {
		return image.Rectangle{}
	}
	var row image.Rectangle
	for _, w := range l.Words {
		row = row.Union(w.Box)
	}
	// Up to five line heights above (a header cell is two or three lines
	// tall, its text anywhere in it), and below the nearest text read
	// above: the band must hold nothing read.
	h := doctext.MedianHeight(l.Words)
	band := image.Rect(row.Min.X-2*h, row.Min.Y-5*h, row.Max.X+2*h, row.Min.Y).Intersect(page)
	for _, o := range lines {
		for _, w := range o.Words {
			if w.Box.Max.Y <= row.Min.Y && w.Box.Max.X > band.Min.X && w.Box.Min.X < band.Max.X {
				band.Min.Y = max(band.Min.Y, w.Box.Max.Y+h/4)
			}
		}
	}
	if 2*band.Dy() < 3*h {
		return image.Rectangle{}
	}
	for _, o := range lines {
		for _, w := range o.Words {
			if w.Box.Overlaps(band) {
				return image.Rectangle{}
			}
		}
	}
	return band
}
