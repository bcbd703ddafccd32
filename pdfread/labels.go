package pdfread

import (
	"cmp"
	"context"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// bboxWord is a word of pdftotext -bbox: its box in points from the page's
// top left.
type bboxWord struct {
	page           int
	x0, y0, x1, y1 float64
	text           string
	pageHeight     float64
}

var (
	pageTag = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	wordTag = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// Labels fills each field's Label with the printed text nearest its
// widget: the run of words just left of it on its line, else the line
// just above it. Words inside a widget (its value's appearance) are not
// labels. A field without a page or rectangle keeps "".
func (r Reader) Labels(ctx context.Context, path string, fields []Field) error {
	out, err := r.run(ctx, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	if err != nil {
		return err
	}
	var words []bboxWord
	page, height := 0, 0.0
	for _, line := range strings.Split(string(out), "\n") {
		if m := pageTag.FindStringSubmatch(line); m != nil {
			page++
			height, _ = strconv.ParseFloat(m[2], 64)
			continue
		}
		if m := wordTag.FindStringSubmatch(line); m != nil {
			w := bboxWord{page: page, text: html.UnescapeString(m[5]), pageHeight: height}
			w.x0, _ = strconv.ParseFloat(m[1], 64)
			w.y0, _ = strconv.ParseFloat(m[2], 64)
			w.x1, _ = strconv.ParseFloat(m[3], 64)
			w.y1, _ = strconv.ParseFloat(m[4], 64)
			words = append(words, w)
		}
	}
	for i := range fields {
		fields[i].Label = nearestLabel(fields[i], fields, words)
	}
	return nil
}

// widgetBox is a field's rectangle in pdftotext's frame (top left origin).
func widgetBox(f Field, height float64) (x0, y0, x1, y1 float64) {
	return f.Rect[0], height - f.Rect[3], f.Rect[2], height - f.Rect[1]
}

func nearestLabel(f Field, all []Field, words []bboxWord) string {
	if f.Page == 0 || f.Rect[2] <= f.Rect[0] {
		return ""
	}
	var onPage []bboxWord
	for _, w := range words {
		if w.page != f.Page || inWidget(w, all) {
			continue
		}
		onPage = append(onPage, w)
	}
	if len(onPage) == 0 {
		return ""
	}
	x0, y0, x1, y1 := widgetBox(f, onPage[0].pageHeight)
	var left []bboxWord
	for _, w := range onPage {
		if mid := (w.y0 + w.y1) / 2; mid >= y0-2 && mid <= y1+2 && w.x1 <= x0+1 {
			left = append(left, w)
		}
	}
	slices.SortFunc(left, func(a, b bboxWord) int { return cmp.Compare(b.x1, a.x1) })
	var run []string
	edge := x0
	for _, w := range left {
		if edge-w.x1 > 3*(w.y1-w.y0) && len(run) > 0 {
			break // a gap wider than a few spaces ends the label
		}
		run = append([]string{w.text}, run...)
		edge = w.x0
	}
	if len(run) == 0 {
		// Nothing on its left: the line just above it, over its width.
		var above []bboxWord
		for _, w := range onPage {
			if w.y1 <= y0+1 && y0-w.y1 <= 2*(w.y1-w.y0) && w.x1 > x0 && w.x0 < x1 {
				above = append(above, w)
			}
		}
		slices.SortFunc(above, func(a, b bboxWord) int { return cmp.Compare(b.y1, a.y1) })
		var line []bboxWord
		for _, w := range above {
			if w.y1 >= above[0].y1-2 {
				line = append(line, w)
			}
		}
		slices.SortFunc(line, func(a, b bboxWord) int { return cmp.Compare(a.x0, b.x0) })
		for _, w := range line {
			run = append(run, w.text)
		}
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.Join(run, " "), ":"))
}

// inWidget: the word lies inside a field's widget on its page (the
// value's appearance, not a label).
func inWidget(w bboxWord, all []Field) bool {
	for _, f := range all {
		if f.Page != w.page {
			continue
		}
		x0, y0, x1, y1 := widgetBox(f, w.pageHeight)
		if cx, cy := (w.x0+w.x1)/2, (w.y0+w.y1)/2; cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1 {
			return true
		}
	}
	return false
}
