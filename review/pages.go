package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"dossiercheck/dossier"
	"dossiercheck/pdfread"
	"dossiercheck/scan"
	"dossiercheck/store"
)

// Page images are shown at most this many pixels on their longer side: a
// page on a screen, not a 300 dpi scan (about 120 dpi on A4).
const displayLongSide = 1400

// maxPages bounds the pages shown of one file, as the pipeline bounds
// those it reads (pipeline.maxPages).
const maxPages = 50

// popplerTimeout bounds one poppler run on a page.
const popplerTimeout = 30 * time.Second

// pageCount is the number of pages of a file, at most maxPages.
func pageCount(ctx context.Context, f dossier.File, data []byte) (int, error) {
	switch f.Type {
	case dossier.PDF:
		path, cleanup, err := pdfread.WriteTemp(data)
		if err != nil {
			return 0, err
		}
		defer cleanup()
		ctx, cancel := context.WithTimeout(ctx, popplerTimeout)
		defer cancel()
		out, err := exec.CommandContext(ctx, "pdfinfo", path).Output()
		if err != nil {
			return 0, fmt.Errorf("pdfinfo: %w", err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(l, "Pages:"); ok {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				return min(n, maxPages), err
			}
		}
		return 0, errors.New("pdfinfo: no page count")
	case dossier.TIFF:
		pages, err := scan.SplitTIFF(ctx, data)
		return min(len(pages), maxPages), err
	}
	return 1, nil
}

// renderPage renders one page (1-based) of a file as a JPEG for the
// screen, in the frame its evidence boxes are in: the page as the pipeline
// read it (pipeline.ocrPage). That is an image as decoded, or a PDF page
// rasterised with its longer side at pdfread.LongSide, then straightened
// by scan.Deskew (on a canvas grown to hold the turned page), and turned
// upside down where the pipeline read it so. The page is shown in grey, as
// it was read. An image is first straightened as the pipeline does
// (scan.Straighten: a phone photo's document cropped and its perspective
// corrected).
func renderPage(ctx context.Context, f dossier.File, data []byte, page int, turned180 bool) (store.PageImage, error) {
	var shown *image.Gray
	var w, h int     // the page's size in the frame, before straightening
	var skew float64 // as scan.Deskew finds it
	switch f.Type {
	case dossier.PDF:
		g, err := rasterize(ctx, data, page, &w, &h)
		if err != nil {
			return store.PageImage{}, err
		}
		// The angle is measured on the display raster: a rasterised
		// page with a text layer is straight either way, and a scanned
		// one is skewed the same at any size.
		shown, skew = g, scan.Skew(g)
	default:
		if f.Type == dossier.TIFF {
			pages, err := scan.SplitTIFF(ctx, data)
			if err != nil {
				return store.PageImage{}, err
			}
			if page > len(pages) {
				return store.PageImage{}, fmt.Errorf("page %d of %d", page, len(pages))
			}
			data = pages[page-1]
		}
		g, err := scan.Decode(data, scan.DefaultMaxPixels)
		if err != nil {
			return store.PageImage{}, err
		}
		g, _ = scan.Straighten(g) // a photo as the pipeline read it: cropped, straightened, evened
		w, h, skew = g.Rect.Dx(), g.Rect.Dy(), scan.Skew(g)
		shown = g
		if long := max(w, h); long > displayLongSide {
			shown = scan.Scale(g, float64(displayLongSide)/float64(long))
		}
	}
	frameW, frameH := w, h
	if math.Abs(skew) >= deskewFrom {
		shown = scan.Rotate(shown, skew)
		rad := skew * math.Pi / 180
		sin, cos := math.Abs(math.Sin(rad)), math.Abs(math.Cos(rad))
		frameW = int(math.Ceil(float64(w)*cos + float64(h)*sin))
		frameH = int(math.Ceil(float64(w)*sin + float64(h)*cos))
	}
	if turned180 {
		shown = scan.Rotate180(shown)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, shown, &jpeg.Options{Quality: 80}); err != nil {
		return store.PageImage{}, fmt.Errorf("encode page: %w", err)
	}
	return store.PageImage{FrameW: frameW, FrameH: frameH, ContentType: "image/jpeg", Data: buf.Bytes()}, nil
}

// deskewFrom is the skew scan.Deskew corrects from, in degrees.
const deskewFrom = 0.25

// rasterize renders a PDF page in grey at the display size, and sets w
// and h to its size at pdfread.LongSide as pdftoppm makes it (the longer
// side scaled to it, the other rounded up).
func rasterize(ctx context.Context, data []byte, page int, w, h *int) (*image.Gray, error) {
	path, cleanup, err := pdfread.WriteTemp(data)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	ctx, cancel := context.WithTimeout(ctx, popplerTimeout)
	defer cancel()
	p := strconv.Itoa(page)
	info, err := exec.CommandContext(ctx, "pdfinfo", "-f", p, "-l", p, path).Output()
	if err != nil {
		return nil, fmt.Errorf("pdfinfo page %d: %w", page, err)
	}
	pw, ph, err := pageSize(string(info), page)
	if err != nil {
		return nil, err
	}
	long := max(pw, ph)
	*w = int(math.Ceil(pw * pdfread.LongSide / long))
	*h = int(math.Ceil(ph * pdfread.LongSide / long))
	out, err := exec.CommandContext(ctx, "pdftoppm", "-f", p, "-l", p, "-gray", "-scale-to", strconv.Itoa(displayLongSide), path).Output()
	if err != nil {
		return nil, fmt.Errorf("pdftoppm page %d: %w", page, err)
	}
	return scan.ParsePGM(out, scan.DefaultMaxPixels)
}

// pageSize reads a page's size in points from pdfinfo's output, turned
// as the page's rotation turns it.
func pageSize(info string, page int) (w, h float64, err error) {
	var rot int
	found := false
	for _, l := range strings.Split(info, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok || !strings.HasPrefix(k, "Page") {
			continue
		}
		fields := strings.Fields(k)
		if len(fields) != 3 || fields[1] != strconv.Itoa(page) {
			continue
		}
		switch fields[2] {
		case "size":
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%g x %g", &w, &h); err == nil && w > 0 && h > 0 {
				found = true
			}
		case "rot":
			rot, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if !found {
		return 0, 0, fmt.Errorf("pdfinfo: no size of page %d", page)
	}
	if rot%180 != 0 {
		w, h = h, w
	}
	return w, h, nil
}
