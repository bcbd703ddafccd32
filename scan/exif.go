package scan

import (
	"encoding/binary"
	"errors"
	"time"
)

// ErrNoExifDate: the file records no shot date.
var ErrNoExifDate = errors.New("no EXIF date")

// ExifDate reads when a JPEG photo was taken: EXIF DateTimeOriginal, else
// DateTimeDigitized, else the IFD0 DateTime. Photo booths and cameras write
// it; PASS-A4 ("photo ayant moins de 6 mois") uses it as the photo's date.
// It never trusts an offset: a malformed segment is ErrNoExifDate.
func ExifDate(b []byte) (time.Time, error) {
	tiff := exifSegment(b)
	if len(tiff) < 8 {
		return time.Time{}, ErrNoExifDate
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return time.Time{}, ErrNoExifDate
	}
	ifd0 := ifdEntries(tiff, bo, bo.Uint32(tiff[4:]))
	var found []string
	if off, ok := ifd0[0x8769]; ok { // Exif sub-IFD
		sub := ifdEntries(tiff, bo, off)
		for _, tag := range []uint16{0x9003, 0x9004} {
			if off, ok := sub[tag]; ok {
				found = append(found, ascii(tiff, off, 20))
			}
		}
	}
	if off, ok := ifd0[0x0132]; ok {
		found = append(found, ascii(tiff, off, 20))
	}
	for _, s := range found {
		if t, err := time.Parse("2006:01:02 15:04:05", s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, ErrNoExifDate
}

// exifSegment returns the TIFF structure of a JPEG's APP1 "Exif" segment.
func exifSegment(b []byte) []byte {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return nil
		}
		marker := b[i+1]
		if marker == 0xDA || marker == 0xD9 { // image data starts: no more metadata
			return nil
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return seg[6:]
		}
		i += 2 + n
	}
	return nil
}

// ifdEntries maps the tags of one IFD to their value or value offset.
func ifdEntries(tiff []byte, bo binary.ByteOrder, off uint32) map[uint16]uint32 {
	out := map[uint16]uint32{}
	if uint64(off)+2 > uint64(len(tiff)) {
		return out
	}
	n := int(bo.Uint16(tiff[off:]))
	for k := range n {
		e := uint64(off) + 2 + 12*uint64(k)
		if e+12 > uint64(len(tiff)) {
			break
		}
		out[bo.Uint16(tiff[e:])] = bo.Uint32(tiff[e+8:])
	}
	return out
}

// ascii reads an n-byte ASCII value at off, without its NUL.
func ascii(tiff []byte, off uint32, n int) string {
	if uint64(off)+uint64(n) > uint64(len(tiff)) {
		return ""
	}
	s := tiff[off : int(off)+n]
	for i, c := range s {
		if c == 0 {
			return string(s[:i])
		}
	}
	return string(s)
}
