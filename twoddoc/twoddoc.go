// Package twoddoc reads French 2D-Doc codes (ANTS specification v3.2.6,
// RULES.md §3): the C40 header (v01–v04), the message fields of proofs of
// address (types 00, 01, 02) and tax notices (04, 28), and the ECDSA
// signature, verified against a directory of certificates. A valid
// signature says "2D-Doc read, signature valid", not that the paper it is
// printed on is authentic.
package twoddoc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Control characters of the format.
const (
	GS = "\x1d" // ends a variable-length field
	RS = "\x1e" // ends a truncated field
	US = "\x1f" // starts the signature
)

// Doc is a parsed 2D-Doc.
type Doc struct {
	Version    int
	CA         string    // e.g. FR00
	CertID     string    // e.g. 0001
	Issued     time.Time // zero when undated (FFFF)
	Signed     time.Time
	Type       string // document type, e.g. "01" for an invoice
	Perimeter  string // v03+
	Country    string // v04
	Fields     map[string]string
	Partial    bool   // a field of unknown length stopped the parsing
	SignedData []byte // header + message: what the signature covers
	Signature  []byte // raw r‖s
}

var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// hexDate reads the 4-hex-digit day count since 2000-01-01 (FFFF: none).
func hexDate(s string) (time.Time, error) {
	if s == "FFFF" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseUint(s, 16, 16)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not hexadecimal", s)
	}
	return epoch.AddDate(0, 0, int(n)), nil
}

// field lengths: fixed > 0, variable with a maximum < 0 (-1: unbounded).
var fieldLen = map[string]int{
	// Proofs of address, spec §8.1.
	"10": -38, "11": -38, "12": -38, "13": -38, "14": -38, "15": -38, "16": -38, "17": -38,
	"18": -1, "19": -1, "1A": -1, "1B": -1, "1C": 8, "1D": -16, "1E": -30, "1F": -30, "1G": 1, "1H": 1,
	"1I": -38, "1J": -38, "1K": -38, "1L": -38, "1M": -38, "1N": -38, "1O": -38, "1P": -38,
	"20": -38, "21": -38, "22": -38, "23": -38, "24": 5, "25": -32, "26": 2,
	"27": -38, "28": -38, "29": -38, "2A": -38, "2B": 5, "2C": -32, "2D": 2,
	// Tax notices (04, 28).
	"41": -1, "43": -1, "44": 13, "45": 4, "46": -38, "47": 13, "48": -38, "49": 13, "4A": 8, "4Y": -1,
}

// fieldTypes are the document types whose fields we parse.
var fieldTypes = map[string]bool{"00": true, "01": true, "02": true, "04": true, "28": true}

// ErrFormat is wrapped by every parse error.
var ErrFormat = errors.New("2D-Doc format")

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Parse reads a C40 2D-Doc as decoded from the DataMatrix (with its GS, RS
// and US bytes). For v01, whose signature is binary, pass the signature
// separately to ParseV01.
func Parse(raw string) (Doc, error) {
	body, sig, ok := strings.Cut(raw, US)
	if !ok {
		return Doc{}, bad("no signature separator")
	}
	d, err := parseBody(body)
	if err != nil {
		return d, err
	}
	if i := strings.Index(sig, GS); i >= 0 {
		sig = sig[:i] // v04: an unsigned annex may follow
	}
	s, err := base32Decode(sig)
	if err != nil {
		return d, bad("signature: %v", err)
	}
	d.Signature = s
	return d, nil
}

// ParseV01 reads a v01 code: C40 body, binary signature.
func ParseV01(body string, sig []byte) (Doc, error) {
	d, err := parseBody(body)
	d.Signature = sig
	return d, err
}

func parseBody(body string) (Doc, error) {
	var d Doc
	if len(body) < 22 || !strings.HasPrefix(body, "DC") {
		return d, bad("header too short or not starting with DC")
	}
	v, err := strconv.Atoi(body[2:4])
	if err != nil || v < 1 || v > 4 {
		return d, bad("unknown version %q", body[2:4])
	}
	hl := map[int]int{1: 22, 2: 22, 3: 24, 4: 26}[v]
	if len(body) < hl {
		return d, bad("v%02d header needs %d characters", v, hl)
	}
	d.Version, d.CA, d.CertID, d.Type = v, body[4:8], body[8:12], body[20:22]
	if d.Issued, err = hexDate(body[12:16]); err != nil {
		return d, bad("issue %v", err)
	}
	if d.Signed, err = hexDate(body[16:20]); err != nil {
		return d, bad("signature %v", err)
	}
	if v >= 3 {
		d.Perimeter = body[22:24]
	}
	if v == 4 {
		d.Country = body[24:26]
	}
	d.SignedData = []byte(body)
	d.Fields = map[string]string{}
	if fieldTypes[d.Type] {
		d.Partial = parseFields(body[hl:], d.Fields)
	} else {
		d.Partial = true
	}
	return d, nil
}

// parseFields reads <ID><value> pairs in any order; it reports whether it
// stopped at a field whose length it does not know.
func parseFields(msg string, out map[string]string) bool {
	for len(msg) >= 2 {
		id := msg[:2]
		n, known := fieldLen[id]
		if !known {
			return true
		}
		msg = msg[2:]
		if n > 0 {
			if len(msg) < n {
				out[id] = msg
				return true
			}
			out[id] = msg[:n]
			msg = msg[n:]
			continue
		}
		end := strings.IndexAny(msg, GS+RS)
		if end < 0 {
			end = len(msg)
		}
		val := msg[:end]
		if n < -1 && len(val) > -n { // at maximum length no separator follows
			val = msg[:-n]
			end = -n - 1
		}
		out[id] = val
		if end < len(msg) {
			msg = msg[end+1:]
		} else {
			msg = ""
		}
	}
	return false
}

func base32Decode(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	return b32.DecodeString(s)
}
