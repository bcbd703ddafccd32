// Package twoddoc reads French 2D-Doc codes (ANTS specification v3.2.6,
// RULES.md §3): the C40 header (v01–v04), the message fields of proofs of
// address (types 00, 01, 02), tax notices (04, 28) and identity documents
// (07, 08), and the ECDSA
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
	// Identity documents (07) and MRZ (08), spec §7.5 and §8.5.
	"60": -60, "61": -20, "62": -38, "63": -38, "64": -38, "65": 2, "66": -20, "67": 2, "68": 1,
	"69": 8, "6A": -32, "6B": 3, "6C": 2, "6D": -60, "6E": -60, "6F": -90, "6N": 8, "6O": 8,
	"6S": -38, "6T": -38, "6U": -38,
}

// fieldTypes are the document types whose fields we parse.
var fieldTypes = map[string]bool{"00": true, "01": true, "02": true, "04": true, "28": true, "07": true, "08": true}

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

// Tax is what an avis d'impôt's code (types 04 and 28) says.
type Tax struct {
	Declarants []string  // 46, then 48 on a joint notice: "SURNAME FIRST NAMES"
	Year       string    // 45: the income year
	Collection time.Time // 4A: date de mise en recouvrement; zero when absent
}

// Tax reads a tax notice's fields; ok is false for another type.
func (d Doc) Tax() (t Tax, ok bool) {
	if d.Type != "04" && d.Type != "28" {
		return t, false
	}
	for _, k := range []string{"46", "48"} {
		if n := strings.TrimSpace(d.Fields[k]); n != "" {
			t.Declarants = append(t.Declarants, n)
		}
	}
	t.Year, t.Collection = d.Fields["45"], ddmmyyyy(d.Fields["4A"])
	return t, true
}

// Identity is what a type-07 code says of its holder (spec §7.5).
type Identity struct {
	Surname    string    // 62, or the usage name 63 when 62 is absent
	GivenNames string    // 60, or the first name 61
	DocType    string    // 65: ID, IR, V, D, P (trailing pad space removed)
	Number     string    // 66
	Birth      time.Time // 69; zero when absent or when day or month is 00
	ValidFrom  time.Time // 6N
	ValidTo    time.Time // 6O
}

// Identity reads a type-07 code's holder fields; ok is false for another
// type.
func (d Doc) Identity() (id Identity, ok bool) {
	if d.Type != "07" {
		return id, false
	}
	f := d.Fields
	id.Surname, id.GivenNames = f["62"], strings.ReplaceAll(f["60"], "/", " ")
	if id.Surname == "" {
		id.Surname = f["63"]
	}
	if id.GivenNames == "" {
		id.GivenNames = f["61"]
	}
	id.DocType, id.Number = strings.TrimSpace(f["65"]), f["66"]
	id.Birth, id.ValidFrom, id.ValidTo = ddmmyyyy(f["69"]), ddmmyyyy(f["6N"]), ddmmyyyy(f["6O"])
	return id, true
}

// MRZ returns a type-08 code's zone (field 6F) as lines of '<'-filled
// characters: the C40 encoding turns '<' into spaces, and the line length
// follows from the total (90: TD1 3×30, 72: TD2 or French ID 2×36, 88: TD3
// 2×44). ok is false when the length fits none.
func (d Doc) MRZ() (lines []string, ok bool) {
	z := strings.ReplaceAll(d.Fields["6F"], " ", "<")
	n := map[int]int{90: 30, 72: 36, 88: 44}[len(z)]
	if d.Type != "08" || n == 0 {
		return nil, false
	}
	for i := 0; i < len(z); i += n {
		lines = append(lines, z[i:i+n])
	}
	return lines, true
}

// ddmmyyyy reads a JJMMAAAA date; 00 for an unknown day or month gives the
// zero time, since a partial date decides nothing.
func ddmmyyyy(s string) time.Time {
	t, err := time.Parse("02012006", s)
	if err != nil {
		return time.Time{}
	}
	return t
}
