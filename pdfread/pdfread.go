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
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

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
}

var disableConfig sync.Once

func conf() *model.Configuration {
	// pdfcpu otherwise writes ~/.config/pdfcpu on first use.
	disableConfig.Do(api.DisableConfigDir)
	c := model.NewDefaultConfiguration() // a fresh one per call: pdfcpu mutates it
	c.ValidationMode = model.ValidationRelaxed
	return c
}

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

// Inspect reads metadata, tamper signals and form fields.
func Inspect(data []byte) (Info, error) {
	var info Info
	// Counted from the raw bytes: no pdfcpu API counts appended sections,
	// and the modification date is not updated by them.
	info.Increments = max(0, bytes.Count(data, []byte("%%EOF"))-1)
	info.XFA = bytes.Contains(data, []byte("/XFA"))
	if bytes.Contains(data, []byte("/Encrypt")) {
		info.Encrypted = true
	}
	err := guard("info", func() error {
		pi, err := api.PDFInfo(bytes.NewReader(data), "upload.pdf", nil, false, conf())
		if err != nil {
			return err
		}
		info.Pages, info.Producer, info.Creator = pi.PageCount, pi.Producer, pi.Creator
		info.Created, info.Modified = pi.CreationDate, pi.ModificationDate
		info.Encrypted = info.Encrypted || pi.Encrypted
		info.Form = pi.Form
		return nil
	})
	if err != nil {
		if info.Encrypted {
			return info, fmt.Errorf("%w: %v", ErrEncrypted, err)
		}
		return info, err
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
	}
	return info, nil
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
		return nil, fmt.Errorf("%s: took longer than %s", name, r.Timeout)
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "Incorrect password") {
			return nil, fmt.Errorf("%s: %w", name, ErrEncrypted)
		}
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return nil, fmt.Errorf("%s: %w: %s", name, err, msg)
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
