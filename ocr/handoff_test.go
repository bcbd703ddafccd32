package ocr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"slices"
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/ocr/ocrtest"
	"dossiercheck/scan"
)

// handOffPages are pages of the kinds the pipeline reads, each with the
// mode it reads them in: a scanned 300 dpi bill, an identity card's MRZ
// zone, one date word of the bill.
func handOffPages() []struct {
	name string
	g    *image.Gray
	m    mode
} {
	bill := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)}.Render(300),
		fixtures.Defects{SkewDeg: 0, Noise: 6, Seed: 1})
	card := fixtures.IDCard(fixtures.Jean, "X4RTBPFW4", time.Date(2031, 5, 1, 0, 0, 0, 0, time.UTC), 600)
	zone := scan.Gray(card.SubImage(image.Rect(0, card.Rect.Dy()*3/4, card.Rect.Dx(), card.Rect.Dy())))
	return []struct {
		name string
		g    *image.Gray
		m    mode
	}{
		{"bill", bill, pageMode},
		{"mrz", zone, mrzMode},
		{"number", scan.Gray(bill.SubImage(image.Rect(0, 0, bill.Rect.Dx(), bill.Rect.Dy()/8))), numberMode},
	}
}

// testClient is a loaded, warmed-up client, closed with the test.
func testClient(tb testing.TB) *client {
	tb.Helper()
	c, err := newReadyClient(DefaultSettings.Language)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.close)
	return c
}

func readWith(t testing.TB, c *client, m mode, set func() error) []word {
	t.Helper()
	c.setPageSegMode(m.PSM)
	if err := c.setVariable("tessedit_char_whitelist", m.Whitelist); err != nil {
		t.Fatal(err)
	}
	if err := set(); err != nil {
		t.Fatal(err)
	}
	ws, err := c.recognize()
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// Pixels handed over as they are read exactly as the same page encoded as
// PGM and parsed by Leptonica: same words, confidences, boxes and layout.
// Each way has its own client reading the same sequence of pages, as a
// client's history can change what it reads.
func TestRawPixelsReadAsPGM(t *testing.T) {
	enc, raw := testClient(t), testClient(t)
	for _, p := range handOffPages() {
		a := readWith(t, enc, p.m, func() error { return enc.setEncoded(scan.PGM(p.g)) })
		b := readWith(t, raw, p.m, func() error { return picture{gray: p.g}.set(raw) })
		if len(a) == 0 {
			t.Errorf("%s: no words read", p.name)
		}
		if !slices.Equal(a, b) {
			t.Errorf("%s: PGM read %d words, raw pixels %d, or they differ:\n%v\n%v", p.name, len(a), len(b), a, b)
		}
	}
}

// A page's cache key is the same whether it comes as scan.PGM bytes or as
// the gray image, sub-image or not, and is the hash of the PGM bytes then
// the settings and mode as JSON (keys written before raw pixels stay
// valid).
func TestKeyIsPGMHash(t *testing.T) {
	e := &Engine{settings: DefaultSettings}
	g := image.NewGray(image.Rect(0, 0, 7, 5))
	for i := range g.Pix {
		g.Pix[i] = byte(i * 37)
	}
	pgm := scan.PGM(g)
	h := sha256.Sum256(append(slices.Clone(pgm), `{"S":{"lang":"fra","v":1},"M":{"psm":6,"wl":"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\u003c"}}`...))
	want := hex.EncodeToString(h[:])
	if got := e.key(fromBytes(pgm), mrzMode); got != want {
		t.Errorf("PGM bytes: key %s, want %s", got, want)
	}
	if got := e.key(picture{gray: g}, mrzMode); got != want {
		t.Errorf("gray image: key %s, want %s", got, want)
	}
	big := image.NewGray(image.Rect(0, 0, 20, 20))
	for y := range 5 {
		copy(big.Pix[big.PixOffset(3, 4+y):], g.Pix[g.PixOffset(0, y):g.PixOffset(7, y)])
	}
	if got := e.key(picture{gray: big.SubImage(image.Rect(3, 4, 10, 9)).(*image.Gray)}, mrzMode); got != want {
		t.Errorf("sub-image: key %s, want %s", got, want)
	}
}

func TestParsePGM(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(g.Pix, []byte{1, 2, 3, 4, 5, 6})
	for _, tc := range []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"scan.PGM", scan.PGM(g), true},
		{"one line header", []byte("P5 3 2 255\n\x01\x02\x03\x04\x05\x06"), true},
		{"16-bit", []byte("P5\n3 2\n65535\n\x01\x02\x03\x04\x05\x06"), false},
		{"truncated", []byte("P5\n3 2\n255\n\x01\x02\x03"), false},
		{"comment", []byte("P5\n# x\n3 2\n255\n\x01\x02\x03\x04\x05\x06"), false},
		{"PNG", fixtures.PNG(g), false},
		{"empty", nil, false},
	} {
		got := parsePGM(tc.in)
		if (got != nil) != tc.ok {
			t.Errorf("%s: parsed %v, want %v", tc.name, got != nil, tc.ok)
			continue
		}
		if got != nil && (!slices.Equal(got.Pix, g.Pix) || got.Rect != g.Rect) {
			t.Errorf("%s: pixels %v rect %v", tc.name, got.Pix, got.Rect)
		}
	}
}

// BenchmarkHandOff reads the same scanned 300 dpi page both ways on one
// client, the PGM bytes that Leptonica parses (as gosseract did) and the
// raw pixels, and reports seconds per page for each and their ratio.
func BenchmarkHandOff(b *testing.B) {
	c := testClient(b)
	page := handOffPages()[0]
	var enc, raw time.Duration
	for b.Loop() {
		t := time.Now()
		readWith(b, c, pageMode, func() error { return c.setEncoded(scan.PGM(page.g)) })
		enc += time.Since(t)
		t = time.Now()
		readWith(b, c, pageMode, func() error { return picture{gray: page.g}.set(c) })
		raw += time.Since(t)
	}
	b.ReportMetric(enc.Seconds()/float64(b.N), "pgm-s/page")
	b.ReportMetric(raw.Seconds()/float64(b.N), "raw-s/page")
	b.ReportMetric(raw.Seconds()/enc.Seconds(), "raw/pgm")
}

// BenchmarkPageVsCLI reads one scanned 300 dpi page with the engine, from
// the decoded gray image as the pipeline has it, and with the plain
// tesseract CLI (OMP_THREAD_LIMIT=1) from the same page as a JPEG file,
// in the same run, and reports seconds per page for each and their
// ratio. The engine's client is loaded before the timer (a worker loads
// it once); the CLI loads its model on every page.
func BenchmarkPageVsCLI(b *testing.B) {
	e, err := New(1, DefaultSettings, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	if err := e.Preload(ctx); err != nil {
		b.Fatal(err)
	}
	page := handOffPages()[0].g
	ocrtest.VersusCLI(b, "engine", fixtures.JPEG(page, 85), func() error {
		_, _, err := e.RecognizeImage(ctx, page, "bench")
		return err
	})
}

// BenchmarkPGMBytes is what a page costs the engine as scan.PGM bytes
// rather than as the gray image itself (RecognizeImage): the encoding the
// caller makes, then the header read. Recognition is the same.
func BenchmarkPGMBytes(b *testing.B) {
	page := handOffPages()[0].g
	for b.Loop() {
		if fromBytes(scan.PGM(page)).gray == nil {
			b.Fatal("PGM not read")
		}
	}
}
