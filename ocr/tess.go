package ocr

// #cgo CXXFLAGS: -std=c++17 -O2
// #cgo LDFLAGS: -ltesseract -lleptonica -lgomp
// #include <stdlib.h>
// #include "tess.h"
import "C"

import (
	"errors"
	"image"
	"unsafe"
)

// PageSegMode is Tesseract's page segmentation mode (tesseract/publictypes.h).
type PageSegMode int

// The modes the engine uses.
const (
	PSMAuto        PageSegMode = 3
	PSMSingleBlock PageSegMode = 6
	PSMSingleLine  PageSegMode = 7
	PSMSparse      PageSegMode = 11
)

// client is one Tesseract instance. It is not safe for concurrent use.
type client struct {
	api unsafe.Pointer
}

// word is one recognised word with its place in Tesseract's layout.
type word struct {
	Text             string
	Confidence       float64
	Box              image.Rectangle
	Block, Par, Line int
}

func newClient(lang string) (*client, error) {
	c := &client{api: C.tess_new()}
	l := C.CString(lang)
	defer C.free(unsafe.Pointer(l))
	if C.tess_init(c.api, l) != 0 {
		c.close()
		return nil, errors.New("Tesseract could not load the model (is its traineddata installed?)")
	}
	return c, nil
}

func (c *client) close() {
	if c.api != nil {
		C.tess_delete(c.api)
		c.api = nil
	}
}

func (c *client) setVariable(name, value string) error {
	n, v := C.CString(name), C.CString(value)
	defer C.free(unsafe.Pointer(n))
	defer C.free(unsafe.Pointer(v))
	if C.tess_set_variable(c.api, n, v) != 0 {
		return errors.New("unknown Tesseract variable " + name)
	}
	return nil
}

func (c *client) setPageSegMode(m PageSegMode) { C.tess_set_psm(c.api, C.int(m)) }

// setGray hands 8-bit pixels over as they are (w×h, stride bytes a row).
func (c *client) setGray(pix []byte, w, h, stride int) error {
	if w <= 0 || h <= 0 || stride < w || len(pix) < (h-1)*stride+w {
		return errors.New("empty or truncated image")
	}
	if C.tess_set_gray(c.api, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(w), C.int(h), C.int(stride)) != 0 {
		return errors.New("no memory for the image")
	}
	return nil
}

// setEncoded hands over an encoded image for Leptonica to decode.
func (c *client) setEncoded(data []byte) error {
	if len(data) == 0 {
		return errors.New("empty image")
	}
	if C.tess_set_encoded(c.api, (*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data))) != 0 {
		return errors.New("image format not read by Leptonica")
	}
	return nil
}

// recognize reads the image set last.
func (c *client) recognize() ([]word, error) {
	var ws C.tess_words
	if C.tess_recognize(c.api, &ws) != 0 {
		return nil, errors.New("recognition failed")
	}
	defer C.tess_free_words(&ws)
	cw := unsafe.Slice(ws.words, int(ws.n))
	out := make([]word, len(cw))
	for i, w := range cw {
		out[i] = word{
			Text:       C.GoString(w.text),
			Confidence: float64(w.confidence),
			Box:        image.Rect(int(w.x1), int(w.y1), int(w.x2), int(w.y2)),
			Block:      int(w.block), Par: int(w.par), Line: int(w.line),
		}
	}
	return out, nil
}
