package pdfread

import "testing"

// Bytes of an image stream that happen to spell "/JS" or "/AA" are not
// active content; the same keys in a dictionary are.
func TestActiveOutsideStreamsOnly(t *testing.T) {
	body := "1 0 obj\n<< /Length 12 /Filter /DCTDecode >>\nstream\n\x97/JS\x9e/AA\xe3\nendstream\nendobj\n"
	if activeInBytes([]byte(body)) {
		t.Error("image bytes taken for JavaScript")
	}
	if !activeInBytes([]byte(body + "2 0 obj\n<< /OpenAction 3 0 R >>\nendobj\n")) {
		t.Error("an open action after a stream missed")
	}
}
