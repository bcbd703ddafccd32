package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // uploads may be PNG
	"math"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/tiff" // and TIFF

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
// screen, with the frame its evidence boxes are in: for an image the image
// as decoded, for a PDF the page rasterised with its longer side at
// pdfread.LongSide, as the pipeline reads it. A page the pipeline read
// upside down is shown turned, as its boxes are.
func renderPage(ctx context.Context, f dossier.File, data []byte, page int, turned180 bool) (store.PageImage, error) {
	var img image.Image
	var frameW, frameH int
	switch f.Type {
	case dossier.PDF:
		g, err := rasterize(ctx, data, page)
		if err != nil {
			return store.PageImage{}, err
		}
		img = g
		b := g.Bounds()
		scale := float64(pdfread.LongSide) / float64(max(b.Dx(), b.Dy()))
		frameW, frameH = int(math.Round(float64(b.Dx())*scale)), int(math.Round(float64(b.Dy())*scale))
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
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return store.PageImage{}, fmt.Errorf("read image header: %w", err)
		}
		if int64(cfg.Width)*int64(cfg.Height) > scan.DefaultMaxPixels {
			return store.PageImage{}, fmt.Errorf("%w: %d×%d", scan.ErrTooLarge, cfg.Width, cfg.Height)
		}
		if img, _, err = image.Decode(bytes.NewReader(data)); err != nil {
			return store.PageImage{}, fmt.Errorf("decode image: %w", err)
		}
		frameW, frameH = cfg.Width, cfg.Height
	}
	if b := img.Bounds(); max(b.Dx(), b.Dy()) > displayLongSide {
		if b.Dx() >= b.Dy() {
			img = imaging.Resize(img, displayLongSide, 0, imaging.Linear)
		} else {
			img = imaging.Resize(img, 0, displayLongSide, imaging.Linear)
		}
	}
	if turned180 {
		img = imaging.Rotate180(img)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		return store.PageImage{}, fmt.Errorf("encode page: %w", err)
	}
	return store.PageImage{FrameW: frameW, FrameH: frameH, ContentType: "image/jpeg", Data: buf.Bytes()}, nil
}

// rasterize renders a PDF page in grey at the display size.
func rasterize(ctx context.Context, data []byte, page int) (*image.Gray, error) {
	path, cleanup, err := pdfread.WriteTemp(data)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	ctx, cancel := context.WithTimeout(ctx, popplerTimeout)
	defer cancel()
	p := strconv.Itoa(page)
	out, err := exec.CommandContext(ctx, "pdftoppm", "-f", p, "-l", p, "-gray", "-scale-to", strconv.Itoa(displayLongSide), path).Output()
	if err != nil {
		return nil, fmt.Errorf("pdftoppm page %d: %w", page, err)
	}
	return scan.ParsePGM(out, scan.DefaultMaxPixels)
}
