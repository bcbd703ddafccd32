package pipeline

import (
	"context"
	"fmt"
	"image"
	"slices"
	"unicode"

	"dossiercheck/doctext"
	"dossiercheck/extract"
	"dossiercheck/forms"
	"dossiercheck/scan"
)

// readUnreadInk reads on their own the areas of a scanned form's pages
// that hold a line of ink no word covers (scan.UnreadText), each across
// its whole line (bands), keeping the words read on that ink: Tesseract's
// layout analysis sometimes drops a whole piece of a line, in page and
// sparse mode alike (« le / op 05/11/2026 » between the place and the
// signature's frame), and the date's label is then never found. Lines
// are added when they hold a word worth adding (worthAdding): a
// signature's strokes read as junk are not.
func (p *Pipeline) readUnreadInk(ctx context.Context, f File, kind string, d *reading, st *Stats) error {
	if _, form := forms.For(kind); !form {
		return nil
	}
	for i, pg := range d.Pages {
		img := d.images[pg.Number]
		if img == nil || pg.Source != doctext.FromOCR {
			continue
		}
		var words []doctext.Word
		var boxes []image.Rectangle
		for _, l := range pg.Lines {
			for _, w := range l.Words {
				words = append(words, w)
				boxes = append(boxes, w.Box)
			}
		}
		if len(words) == 0 {
			continue
		}
		h := doctext.MedianHeight(words)
		areas := scan.UnreadText(img, boxes, h)
		var added []doctext.Line
		for _, band := range bands(areas, img.Rect, h) {
			bp, err := p.recognizeArea(ctx, f, img, band, st)
			if err != nil {
				return fmt.Errorf("page %d, unread ink in %v: %w", pg.Number, band, err)
			}
			for _, l := range bp.Lines {
				var ws []doctext.Word
				for _, w := range l.Words {
					if inArea(w.Box, areas, h) && !slices.ContainsFunc(boxes, func(b image.Rectangle) bool { return overlaps(b, w.Box) }) {
						ws = append(ws, w)
					}
				}
				if nl := doctext.LineFromWords(ws); worthAdding(nl) {
					added = append(added, nl)
				}
			}
		}
		if len(added) == 0 {
			continue
		}
		extra := doctext.Page{Lines: added}
		if err := p.rereadDates(ctx, f, img, &extra); err != nil {
			return fmt.Errorf("page %d, unread ink: %w", pg.Number, err)
		}
		d.Pages[i].Lines = append(d.Pages[i].Lines, extra.Lines...)
	}
	return nil
}

// bands are the page-wide strips, half a line beyond, that hold the
// areas, those on one line together: an area is read across its whole
// line, the words already read beside it included — cropped alone,
// « le / op 05/11/2026 » read as nothing at all.
func bands(areas []image.Rectangle, page image.Rectangle, h int) []image.Rectangle {
	var out []image.Rectangle
	for _, a := range areas {
		b := image.Rect(page.Min.X, a.Min.Y-h/2, page.Max.X, a.Max.Y+h/2).Intersect(page)
		merged := false
		for i, o := range out {
			if o.Overlaps(b) {
				out[i], merged = o.Union(b), true
				break
			}
		}
		if !merged {
			out = append(out, b)
		}
	}
	return out
}

// inArea: the box's centre lies in one of the areas, half a line around.
func inArea(b image.Rectangle, areas []image.Rectangle, h int) bool {
	c := image.Pt((b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2)
	return slices.ContainsFunc(areas, func(a image.Rectangle) bool { return c.In(a.Inset(-h / 2)) })
}

// worthAdding: a line read from ink the page reading left holds a date,
// a word read surely of three letters or digits or more, or two short
// ones (« le / op »). Junk read from a signature's strokes is one short
// word or unsure (« OP », « NN »).
func worthAdding(l doctext.Line) bool {
	if len(extract.DateWords(l)) > 0 {
		return true
	}
	short := 0
	for _, w := range l.Words {
		n := 0
		for _, r := range w.Text {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
			}
		}
		switch {
		case w.Confidence < sure || n == 0:
		case n >= 3:
			return true
		default:
			short++
		}
	}
	return short >= 2
}
