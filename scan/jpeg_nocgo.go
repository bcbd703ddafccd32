//go:build !cgo

package scan

import "image"

// decodeJPEGGray needs libjpeg (cgo): Go's decoder reads every JPEG.
func decodeJPEGGray([]byte, int, int) (*image.Gray, bool) { return nil, false }
