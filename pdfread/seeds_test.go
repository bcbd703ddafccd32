package pdfread_test

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"dossiercheck/fixtures"
)

// seedDir holds FuzzRead's seed corpus: damaged, hostile and odd PDFs.
// `go test` runs every seed as a normal test; `go test -fuzz FuzzRead`
// starts from them.
var seedDir = filepath.Join("testdata", "fuzz", "FuzzRead")

// readSeed reads one seed file of the corpus (Go's "go test fuzz v1"
// format, one []byte value).
func readSeed(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(seedDir, name))
	if err != nil {
		t.Fatal(err)
	}
	_, lit, ok := strings.Cut(string(b), "[]byte(")
	if !ok {
		t.Fatalf("seed %s: not a []byte value", name)
	}
	s, err := strconv.Unquote(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lit), ")")))
	if err != nil {
		t.Fatalf("seed %s: %v", name, err)
	}
	return []byte(s)
}

// TestWriteSeeds regenerates the seed corpus (PDFREAD_WRITE_SEEDS=1). The
// files are committed: the fuzz target and the tests read them as they
// are.
func TestWriteSeeds(t *testing.T) {
	if os.Getenv("PDFREAD_WRITE_SEEDS") == "" {
		t.Skip("set PDFREAD_WRITE_SEEDS=1 to regenerate testdata/fuzz/FuzzRead")
	}
	form, err := fixtures.F02{Candidate: fixtures.Jean, Model: "M36"}.PDF()
	if err != nil {
		t.Fatal(err)
	}
	locked, err := fixtures.Encrypt(form, "secret")
	if err != nil {
		t.Fatal(err)
	}
	open, err := fixtures.Encrypt(form, "")
	if err != nil {
		t.Fatal(err)
	}
	text, err := fixtures.TextPDF("Facture d'électricité du 14/03/2026")
	if err != nil {
		t.Fatal(err)
	}
	openAction, err := withOpenAction(form)
	if err != nil {
		t.Fatal(err)
	}
	seeds := map[string][]byte{
		"form-ok":                 form,
		"form-truncated-half":     form[:len(form)/2],
		"form-truncated-tail":     form[:len(form)-200],
		"form-no-eof":             bytes.ReplaceAll(form, []byte("%%EOF"), nil),
		"form-wrong-startxref":    wrongStartxref(form),
		"form-encrypted":          locked,
		"form-encrypted-empty-pw": open,
		"form-openaction-js":      openAction,
		"text-ok":                 text,
		"text-flipped-bytes":      flip(text, 7),
		"classic-js-openaction":   classicJS(),
		"header-only":             []byte("%PDF-1.7\n"),
		"objstm-bomb-1gb":         bomb(1 << 30),
	}
	for name, data := range seeds {
		f := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(seedDir, name), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func wrongStartxref(pdf []byte) []byte {
	i := bytes.LastIndex(pdf, []byte("startxref"))
	if i < 0 {
		return pdf
	}
	out := append([]byte{}, pdf[:i]...)
	return append(out, []byte("startxref\n123\n%%EOF\n")...)
}

// flip changes every n-th byte past the header.
func flip(pdf []byte, n int) []byte {
	out := append([]byte{}, pdf...)
	for i := 16; i < len(out); i += n * 97 {
		out[i] ^= 0x5a
	}
	return out
}

// withOpenAction writes pdf again with a JavaScript open action in its
// catalog, in pdfcpu's object streams.
func withOpenAction(pdf []byte) ([]byte, error) {
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	ctx, err := api.ReadContext(bytes.NewReader(pdf), conf)
	if err != nil {
		return nil, err
	}
	root, err := ctx.Catalog()
	if err != nil {
		return nil, err
	}
	root["OpenAction"] = types.Dict{"S": types.Name("JavaScript"), "JS": types.StringLiteral("app.alert(1)")}
	var out bytes.Buffer
	if err := api.WriteContext(ctx, &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// pdfFile assembles a classic PDF from numbered object bodies (1…n) with
// its cross-reference table.
func pdfFile(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// classicJS is a one-page PDF that runs JavaScript when opened.
func classicJS() []byte {
	return pdfFile(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
		"<< /S /JavaScript /JS (app.launchURL\\(\"http://example.invalid\"\\)) >>",
	)
}

// bomb is a PDF of a few KB whose object stream, compressed twice
// (/Filter [/FlateDecode /FlateDecode]), expands to size bytes; the page's
// resources are the stream's one object, so reading the page decodes it.
func bomb(size int) []byte {
	var inner bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&inner, flate.BestCompression)
	zw.Write([]byte("5 0 << >>"))
	chunk := bytes.Repeat([]byte{' '}, 1<<20)
	for n := 9; n < size; n += len(chunk) {
		zw.Write(chunk)
	}
	zw.Close()
	var outer bytes.Buffer
	zw, _ = zlib.NewWriterLevel(&outer, flate.BestCompression)
	zw.Write(inner.Bytes())
	zw.Close()

	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := map[int]int{}
	obj := func(n int, body string) {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 5 0 R >>")
	offs[4] = b.Len()
	fmt.Fprintf(&b, "4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode] /Length %d >>\nstream\n", outer.Len())
	b.Write(outer.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	// The cross-reference stream: type, offset (4 bytes), generation or
	// index (2 bytes).
	var xr bytes.Buffer
	row := func(typ byte, f2 uint32, f3 uint16) {
		xr.WriteByte(typ)
		binary.Write(&xr, binary.BigEndian, f2)
		binary.Write(&xr, binary.BigEndian, f3)
	}
	row(0, 0, 0xffff)
	for n := 1; n <= 4; n++ {
		row(1, uint32(offs[n]), 0)
	}
	row(2, 4, 0) // object 5: first in object stream 4
	x := b.Len()
	row(1, uint32(x), 0) // object 6: the xref stream itself
	fmt.Fprintf(&b, "6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n", xr.Len())
	b.Write(xr.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", x)
	return b.Bytes()
}
