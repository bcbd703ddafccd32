//go:build cgo

package scan

// #cgo LDFLAGS: -lleptonica
// #include "jpeg.h"
import "C"

import (
	"image"
	"unsafe"
)

// decodeJPEGGray decodes a w×h JPEG to grey with libjpeg-turbo; ok is
// false when it would not (damaged data, CMYK), for Go's decoder to try.
func decodeJPEGGray(data []byte, w, h int) (*image.Gray, bool) {
	if len(data) == 0 || w <= 0 || h <= 0 {
		return nil, false
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	if C.scan_jpeg_gray((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), (*C.uchar)(unsafe.Pointer(&g.Pix[0])), C.int(w), C.int(h)) != 0 {
		return nil, false
	}
	return g, true
}
