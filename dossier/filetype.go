package dossier

import "bytes"

// Type is a file type detected from content, never from the file name.
type Type string

const (
	PDF     Type = "pdf"
	JPEG    Type = "jpeg"
	PNG     Type = "png"
	TIFF    Type = "tiff"
	Unknown Type = ""
)

// DetectType looks at the first bytes of a file.
func DetectType(head []byte) Type {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TIFF
	}
	// The PDF header may follow some junk; readers accept it within 1 KB.
	n := min(len(head), 1024)
	if bytes.Contains(head[:n], []byte("%PDF-")) {
		return PDF
	}
	return Unknown
}
