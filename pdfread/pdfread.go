// Package pdfread reads uploaded PDFs: metadata and tamper signals and
// AcroForm fields through pdfcpu (every call guarded, so that a pdfcpu
// panic on a malformed file becomes an error, never a dead worker), page
// text through pdftotext and page images through pdftoppm (poppler-utils).
package pdfread

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"dossiercheck/scan"
)

// ErrEncrypted is returned when a PDF needs a password to be read.
var ErrEncrypted = errors.New("PDF is encrypted")

// Info is what the PDF says about itself.
type Info struct {
	Pages      int               `json:"pages"`
	Encrypted  bool              `json:"encrypted"`
	Producer   string            `json:"producer,omitempty"`
	Creator    string            `json:"creator,omitempty"`
	Created    string            `json:"created,omitempty"`
	Modified   string            `json:"modified,omitempty"`
	Increments int               `json:"incremental_updates"` // sections appended after the first
	XFA        bool              `json:"xfa"`                 // an XML form pdfcpu cannot read
	Form       bool              `json:"form"`
	Fields     map[string]string `json:"-"` // AcroForm values by field name (personal data)
	// FormFields are the same fields with their tooltips and widget
	// rectangles (personal data).
	FormFields []Field `json:"-"`
	// Risks are readable PDFs a clerk must look at: encrypted without a
	// password, JavaScript or actions run on opening.
	Risks []*Problem `json:"-"`
}

var disableConfig sync.Once

// maxDecode bounds what one PDF stream may expand to (pdfcpu's default is
// 512 MB per filter): a dossier piece is at most 20 MB, and a 5 KB object
// stream compressed twice would otherwise inflate to a gigabyte in the
// worker. 32 MB holds an A4 page scanned in colour at 300 dpi, uncompressed.
const maxDecode = 32 << 20

func conf() *model.Configuration {
	// pdfcpu otherwise writes ~/.config/pdfcpu on first use.
	disableConfig.Do(api.DisableConfigDir)
	c := model.NewDefaultConfiguration() // a fresh one per call: pdfcpu mutates it
	c.ValidationMode = model.ValidationRelaxed
	c.Limits.MaxDecodeBytes = maxDecode
	c.Limits.MaxStreamBytes = maxDecode
	c.Limits.MaxImageBytes = maxDecode
	return c
}

// Problem is what makes a PDF unreadable or suspect, said for the clerk:
// a stable code, and a message in English (the reports' language) and in
// French. Err keeps the library's own error for the logs; it is never
// shown.
type Problem struct {
	Code string
	EN   string
	FR   string
	Err  error
}

func (p *Problem) Error() string { return p.EN + " [" + p.Code + "]" }
func (p *Problem) Unwrap() error { return p.Err }

// Problem codes. They are part of the report's contract (docs/api.md).
const (
	CodeDamaged    = "pdf-damaged"
	CodeEncrypted  = "pdf-encrypted"
	CodeTooLarge   = "pdf-too-large"
	CodeTooSlow    = "pdf-too-slow"
	CodeOpenCrypt  = "pdf-encrypted-open"
	CodeActive     = "pdf-active-content"
	CodeUnreadable = "pdf-unreadable"
)

// Messages by code: English, French.
var messages = map[string][2]string{
	CodeDamaged: {"damaged PDF: its structure is broken and it could not be read; ask for a new copy of the file",
		"PDF endommagé : sa structure est abîmée et il n'a pas pu être lu ; demander une nouvelle copie du fichier"},
	CodeEncrypted: {"encrypted PDF: it needs a password; ask for a copy without protection",
		"PDF chiffré : il faut un mot de passe pour l'ouvrir ; demander une copie sans protection"},
	CodeTooLarge: {"PDF too large once decompressed (over 32 MB in one part): not read; ask for a new copy of the file",
		"PDF trop volumineux une fois décompressé (plus de 32 Mo d'un seul tenant) : non lu ; demander une nouvelle copie du fichier"},
	CodeTooSlow: {"PDF too slow to read: not read; ask for a new copy of the file",
		"PDF trop long à lire : non lu ; demander une nouvelle copie du fichier"},
	CodeOpenCrypt: {"PDF encrypted without a password: readable by anyone, but the encryption may restrict or hide part of it; a clerk must check the original",
		"PDF chiffré sans mot de passe : lisible par tous, mais le chiffrement peut en restreindre ou masquer une partie ; un agent doit vérifier l'original"},
	CodeActive: {"PDF with JavaScript or an action run on opening: a clerk must check it, without opening it in a reader that runs scripts",
		"PDF contenant du JavaScript ou une action lancée à l'ouverture : un agent doit le vérifier, sans l'ouvrir dans un lecteur qui exécute les scripts"},
	CodeUnreadable: {"PDF could not be read by the page reader; ask for a new copy of the file",
		"PDF illisible par le lecteur de pages ; demander une nouvelle copie du fichier"},
}

func problem(code string, err error) *Problem {
	m := messages[code]
	return &Problem{Code: code, EN: m[0], FR: m[1], Err: err}
}

// French returns the French message of a problem code ("" if unknown).
func French(code string) string { return messages[code][1] }

// guard runs a pdfcpu call, turning a panic into an error.
func guard(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdfcpu %s: panic: %v", what, r)
		}
	}()
	if err := f(); err != nil {
		return fmt.Errorf("pdfcpu %s: %w", what, err)
	}
	return nil
}

// classify turns pdfcpu's error into the clerk's problem.
func classify(err error, encrypted bool) *Problem {
	switch {
	case errors.Is(err, filter.ErrDecodeLimitExceeded) || strings.Contains(err.Error(), "exceeds limit"):
		return problem(CodeTooLarge, err)
	case encrypted:
		return problem(CodeEncrypted, fmt.Errorf("%w: %v", ErrEncrypted, err))
	default:
		return problem(CodeDamaged, err)
	}
}

// Inspect reads metadata, tamper signals, risks and form fields. Its
// errors are *Problem; an encrypted PDF's also matches ErrEncrypted.
func Inspect(data []byte) (Info, error) {
	var info Info
	// Counted from the raw bytes: no pdfcpu API counts appended sections,
	// and the modification date is not updated by them.
	info.Increments = max(0, bytes.Count(data, []byte("%%EOF"))-1)
	info.XFA = bytes.Contains(data, []byte("/XFA"))
	if bytes.Contains(data, []byte("/Encrypt")) {
		info.Encrypted = true
	}
	active, openCrypt := activeInBytes(data), false
	var pdf *model.Context
	err := guard("info", func() error {
		// api.PDFInfo's steps, keeping the context to look into its
		// objects.
		c := conf()
		c.Cmd = model.LISTINFO
		ctx, err := api.ReadAndValidate(bytes.NewReader(data), c)
		if err != nil {
			return err
		}
		pages, err := api.PagesForPageSelection(ctx.PageCount, nil, false, true)
		if err != nil {
			return err
		}
		pi, err := pdfcpu.Info(ctx, "upload.pdf", pages, false)
		if err != nil {
			return err
		}
		info.Pages, info.Producer, info.Creator = pi.PageCount, pi.Producer, pi.Creator
		info.Created, info.Modified = pi.CreationDate, pi.ModificationDate
		info.Encrypted = info.Encrypted || pi.Encrypted
		openCrypt = pi.Encrypted
		info.Form = pi.Form
		active = active || activeInObjects(ctx)
		pdf = ctx
		return nil
	})
	if err != nil {
		return info, classify(err, info.Encrypted)
	}
	if openCrypt {
		// Read without a password: the user password is empty.
		info.Risks = append(info.Risks, problem(CodeOpenCrypt, nil))
	}
	if active {
		info.Risks = append(info.Risks, problem(CodeActive, nil))
	}
	if info.Form {
		err := guard("form fields", func() error {
			fields, err := api.FormFields(bytes.NewReader(data), conf())
			if err != nil {
				return err
			}
			info.Fields = map[string]string{}
			for _, f := range fields {
				// ID is the object number; the form's own name is Name.
				info.Fields[f.Name] = f.V
			}
			return nil
		})
		if err != nil {
			// A form pdfcpu cannot export still has text and pages.
			info.Fields = nil
		}
		if info.Fields != nil {
			// Tooltips and rectangles help map a portal's own field
			// names; without them the values still stand.
			if guard("form widgets", func() error {
				ffs, err := formFields(pdf, info.Fields)
				info.FormFields = ffs
				return err
			}) != nil {
				info.FormFields = nil
			}
		}
	}
	return info, nil
}

// activeKeys name what runs code or acts when a PDF is opened or used:
// JavaScript, the document's open action, additional actions, launching a
// program.
var activeKeys = []string{"JS", "JavaScript", "OpenAction", "AA", "Launch"}

// activeInBytes looks for the keys in the uncompressed part of the file,
// outside stream bodies: an image's bytes hold "/JS" or "/AA" by chance
// (one scanned page in a few did).
func activeInBytes(data []byte) bool {
	data = withoutStreams(data)
	for _, k := range activeKeys {
		for i := 0; ; {
			j := bytes.Index(data[i:], []byte("/"+k))
			if j < 0 {
				break
			}
			i += j + 1 + len(k)
			// A whole name: "/AA" but not "/AAPL".
			if i >= len(data) || !isNameChar(data[i]) {
				return true
			}
		}
	}
	return false
}

// withoutStreams is data with the bodies of its streams (between
// "stream" and "endstream") left out.
func withoutStreams(data []byte) []byte {
	var out []byte
	for {
		i := bytes.Index(data, []byte("stream"))
		if i < 0 {
			return append(out, data...)
		}
		// "endstream" also holds "stream": a body starts after a
		// "stream" keyword not preceded by "end".
		if i >= 3 && string(data[i-3:i]) == "end" {
			out = append(out, data[:i+6]...)
			data = data[i+6:]
			continue
		}
		out = append(out, data[:i+6]...)
		j := bytes.Index(data[i+6:], []byte("endstream"))
		if j < 0 {
			return out
		}
		data = data[i+6+j:]
	}
}

func isNameChar(b byte) bool {
	return b > ' ' && b < 0x7f && !strings.ContainsRune("/()<>[]{}%", rune(b))
}

// activeInObjects looks for the keys in every dictionary pdfcpu read,
// those of compressed object streams included.
func activeInObjects(ctx *model.Context) bool {
	for _, e := range ctx.XRefTable.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		var d types.Dict
		switch o := e.Object.(type) {
		case types.Dict:
			d = o
		case types.StreamDict:
			d = o.Dict
		default:
			continue
		}
		for _, k := range activeKeys {
			if _, ok := d[k]; ok {
				return true
			}
		}
	}
	return false
}

// Reader runs the poppler tools on one PDF file with a time limit per call.
type Reader struct {
	Timeout   time.Duration // per tool run
	MaxPixels int
}

func (r Reader) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, problem(CodeTooSlow, fmt.Errorf("%s: took longer than %s", name, r.Timeout))
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "Incorrect password") {
			return nil, problem(CodeEncrypted, fmt.Errorf("%s: %w", name, ErrEncrypted))
		}
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if ctx.Err() != nil {
			return nil, ctx.Err() // cancelled: not the file's fault
		}
		return nil, problem(CodeUnreadable, fmt.Errorf("%s: %w: %s", name, err, msg))
	}
	return out, nil
}

// Text returns the text layer of every page (pdftotext separates pages by
// form feeds).
func (r Reader) Text(ctx context.Context, path string) ([]string, error) {
	out, err := r.run(ctx, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
	if err != nil {
		return nil, err
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages, nil
}

// PageCount asks poppler, for files pdfcpu could not read.
func (r Reader) PageCount(ctx context.Context, path string) (int, error) {
	out, err := r.run(ctx, "pdfinfo", path)
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "Pages:"); ok {
			return strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return 0, errors.New("pdfinfo: no page count")
}

// LongSide is the raster size of a page's longer side: A4 at 300 dpi. A
// page of any declared size is scaled to it, so an absurd MediaBox cannot
// make pdftoppm allocate gigabytes.
const LongSide = 3508

// Rasterize renders one page (1-based) to grey.
func (r Reader) Rasterize(ctx context.Context, path string, page int) (*image.Gray, error) {
	p := strconv.Itoa(page)
	out, err := r.run(ctx, "pdftoppm", "-f", p, "-l", p, "-gray", "-scale-to", strconv.Itoa(LongSide), path)
	if err != nil {
		return nil, err
	}
	return scan.ParsePGM(out, r.MaxPixels)
}

// WriteTemp writes data to a private temporary file for the poppler tools.
func WriteTemp(data []byte) (string, func(), error) {
	f, err := os.CreateTemp("", "dossier-*.pdf")
	if err != nil {
		return "", nil, err
	}
	name := f.Name()
	cleanup := func() { os.Remove(name) }
	if _, err := f.Write(data); err != nil {
		f.Close()
		cleanup()
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		cleanup()
		return "", nil, err
	}
	return name, cleanup, nil
}
