//go:build capture_measure

package scan_test

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"dossiercheck/ocr"
	"dossiercheck/scan"
)

// TestCaptureOCR measures OCR before and after the capture corrections on
// image files: a measurement, not a test (it asserts nothing). Run it on
// a handful of files (each costs a few Tesseract passes):
//
//	OMP_THREAD_LIMIT=1 CAPTURE_MEASURE="a.jpg b.tiff" CAPTURE_DATE=14/09/2026 \
//	  go test -tags capture_measure -run TestCaptureOCR -v ./scan/
//
// CAPTURE_DATE is a string whose presence in the text is reported;
// CAPTURE_EVEN=1 also evens pages Straighten leaves alone; CAPTURE_DOWN=f
// first scales each file by f and thresholds it (a coarser fax).
func TestCaptureOCR(t *testing.T) {
	list := os.Getenv("CAPTURE_MEASURE")
	if list == "" {
		t.Skip("set CAPTURE_MEASURE")
	}
	e, err := ocr.New(1, ocr.DefaultSettings, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	run := func(name, variant string, g *image.Gray) {
		straight, _ := scan.Deskew(g)
		t0 := time.Now()
		p, _, err := e.Recognize(context.Background(), scan.PGM(straight), "")
		if err != nil {
			t.Fatal(err)
		}
		q := scan.Measure(g)
		t.Logf("%-14s %-22s conf=%5.1f words=%4d date=%-5v sharp=%6.0f blurry=%-5v %dx%d %v", name, variant, p.MeanConfidence, p.WordCount(),
			strings.Contains(p.Text(), os.Getenv("CAPTURE_DATE")), q.Sharpness, q.Blurry, g.Rect.Dx(), g.Rect.Dy(), time.Since(t0).Round(10*time.Millisecond))
	}
	for _, f := range strings.Fields(list) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		g, err := scan.Decode(b, scan.DefaultMaxPixels)
		if err != nil {
			t.Fatal(err)
		}
		d := filepath.Base(filepath.Dir(f))
		name := d[:min(3, len(d))] + "/" + filepath.Base(f)
		if down, _ := strconv.ParseFloat(os.Getenv("CAPTURE_DOWN"), 64); down > 0 {
			g = scan.Scale(g, down)
			for i, v := range g.Pix {
				g.Pix[i] = 255 * (v / 128)
			}
		}
		run(name, "as uploaded", g)
		sg, st := scan.Straighten(g)
		if st.Found {
			run(name, "straightened", sg)
		}
		if u := scan.Unevenness(sg); u > 0.1 || strings.Contains(f, "clean") || os.Getenv("CAPTURE_EVEN") != "" {
			run(name, "evened (U="+strconv.FormatFloat(u, 'f', 2, 64)+")", scan.EvenLight(sg))
		}
		if xh := scan.XHeight(sg); xh > 0 && xh < 16 {
			run(name, "scaled x"+strconv.FormatFloat(20/xh, 'f', 2, 64), scan.Scale(sg, 20/xh))
		}
	}
}
