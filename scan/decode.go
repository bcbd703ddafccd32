// Package scan turns uploaded image files into grey page images ready for
// OCR: decoding within a pixel budget, splitting multi-page TIFFs,
// finding a document photographed on a table and straightening it (with
// its light evened), deskewing, telling a page lying on its side, sizing
// small print for Tesseract, and measuring whether a page is readable at
// all.
package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // registered decoders
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"

	_ "golang.org/x/image/tiff"
)

// ErrTooLarge is returned for an image whose header declares more pixels
// than allowed: a decompression bomb is refused before it is decoded.
var ErrTooLarge = errors.New("image too large")

// DefaultMaxPixels allows an A4 page scanned at 600 dpi (35 Mpx) with room
// to spare, and refuses anything that would take gigabytes to decode.
const DefaultMaxPixels = 60_000_000

// Decode decodes one image file (JPEG, PNG, or a single-page TIFF) to grey.
// A JPEG is decoded by libjpeg-turbo (the decoder the tesseract CLI reads
// it with, 3 to 4 times faster than Go's on a 300 dpi page), its
// luminance only; one libjpeg has anything to say about goes to Go's
// decoder, which says what is wrong with it.
func Decode(data []byte, maxPixels int) (*image.Gray, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read image header: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("image declares %d×%d pixels", cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return nil, fmt.Errorf("%w: %s of %d×%d pixels exceeds the %d-pixel limit", ErrTooLarge, format, cfg.Width, cfg.Height, maxPixels)
	}
	if format == "jpeg" {
		if g, ok := decodeJPEGGray(data, cfg.Width, cfg.Height); ok {
			return g, nil
		}
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", format, err)
	}
	return Gray(img), nil
}

// Gray converts any image to 8-bit grey.
func Gray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok && g.Rect.Min == (image.Point{}) {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if y, ok := img.(*image.YCbCr); ok {
		grayYCbCr(g, y)
		return g
	}
	draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	return g
}

// grayYCbCr converts a colour JPEG's pixels to grey as draw.Draw does
// (color.YCbCr's RGBA, then image.Gray's SetRGBA64), the same bytes, in
// a loop over the planes rather than through an interface call and a
// colour value per pixel: several times faster on a colour scan.
func grayYCbCr(dst *image.Gray, src *image.YCbCr) {
	b := src.Rect
	// Columns per chroma sample (rows are COffset's business).
	hdiv := 1
	switch src.SubsampleRatio {
	case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
		hdiv = 2
	case image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410:
		hdiv = 4
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := dst.Pix[(y-b.Min.Y)*dst.Stride : (y-b.Min.Y)*dst.Stride+b.Dx()]
		ys := src.Y[src.YOffset(b.Min.X, y):]
		c0 := src.COffset(b.Min.X, y) - b.Min.X/hdiv
		for x := range row {
			ci := c0 + (b.Min.X+x)/hdiv
			r, g, bl, _ := color.YCbCr{Y: ys[x], Cb: src.Cb[ci], Cr: src.Cr[ci]}.RGBA()
			row[x] = uint8((19595*r + 38470*g + 7471*bl + 1<<15) >> 24)
		}
	}
}

// SplitTIFF splits a multi-page TIFF into one TIFF per page with
// tiffsplit (libtiff-tools); Go's decoder reads only the first page.
func SplitTIFF(ctx context.Context, data []byte) ([][]byte, error) {
	dir, err := os.MkdirTemp("", "tiffsplit")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.tif")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "tiffsplit", in, filepath.Join(dir, "p_"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("tiffsplit: %w: %s", err, firstLine(out))
	}
	names, _ := filepath.Glob(filepath.Join(dir, "p_*.tif"))
	sort.Strings(names) // tiffsplit names pages aaa, aab, …
	var pages [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		pages = append(pages, b)
	}
	if len(pages) == 0 {
		return nil, errors.New("tiffsplit: no page")
	}
	return pages, nil
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// PGM encodes a grey image (a sub-image too) as binary PGM, which Leptonica reads directly and
// which costs nothing to encode (PNG encoding of a 300 dpi page costs more
// than deskewing it).
func PGM(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	head := fmt.Sprintf("P5\n%d %d\n255\n", w, h)
	out := make([]byte, 0, len(head)+w*h)
	out = append(out, head...)
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		i := g.PixOffset(g.Rect.Min.X, y)
		out = append(out, g.Pix[i:i+w]...)
	}
	return out
}

// ParsePGM decodes binary PGM (pdftoppm -gray output), checking the pixel
// budget before allocating.
func ParsePGM(data []byte, maxPixels int) (*image.Gray, error) {
	// Header: "P5", width, height, maxval, separated by whitespace (and
	// "#" comments), then exactly one whitespace byte before the pixels.
	var fields []string
	i := 0
	for len(fields) < 4 && i < len(data) {
		switch c := data[i]; {
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		default:
			j := i
			for j < len(data) && data[j] > ' ' {
				j++
			}
			fields = append(fields, string(data[i:j]))
			i = j
		}
	}
	if len(fields) < 4 || fields[0] != "P5" {
		return nil, errors.New("pgm header: not a binary PGM")
	}
	w, err1 := strconv.Atoi(fields[1])
	h, err2 := strconv.Atoi(fields[2])
	maxv, err3 := strconv.Atoi(fields[3])
	if err1 != nil || err2 != nil || err3 != nil || maxv != 255 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("pgm: unsupported header %q", fields)
	}
	if int64(w)*int64(h) > int64(maxPixels) {
		return nil, fmt.Errorf("%w: page raster %d×%d", ErrTooLarge, w, h)
	}
	off := i + 1
	if off > len(data) || len(data)-off < w*h {
		return nil, fmt.Errorf("pgm: truncated")
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	copy(g.Pix, data[off:off+w*h])
	return g, nil
}
