package pipeline

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"

	"dossiercheck/doctext"
)

// A stored reading is its pages' words in a compact binary form after the
// rest of it as JSON: decoding is what a rules-only re-check costs most,
// and the words are nearly all of a reading. JSON took 0.58 ms a dossier
// to decode and gob, whose decoder compiles the types again for each
// value, 0.35 ms; this form takes a tenth of that (BenchmarkRecheck).
const codecMagic = "DCR1"

func encodeReading(r Reading) ([]byte, error) {
	pages := r.Pages
	r.Pages = nil
	head, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	b := append([]byte(codecMagic), binary.AppendUvarint(nil, uint64(len(head)))...)
	b = append(b, head...)
	b = binary.AppendUvarint(b, uint64(len(pages)))
	for _, pg := range pages {
		b = appendInts(b, pg.Number, pg.Width, pg.Height)
		b = appendString(b, string(pg.Source))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(pg.MeanConfidence))
		b = binary.AppendUvarint(b, uint64(len(pg.Lines)))
		for _, l := range pg.Lines {
			b = appendString(b, l.Text)
			b = binary.AppendUvarint(b, uint64(len(l.Words)))
			for _, w := range l.Words {
				b = appendString(b, w.Text)
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(w.Confidence))
				b = appendInts(b, w.Box.Min.X, w.Box.Min.Y, w.Box.Max.X, w.Box.Max.Y, w.Start, w.End)
			}
		}
	}
	return b, nil
}

func appendInts(b []byte, vs ...int) []byte {
	for _, v := range vs {
		b = binary.AppendVarint(b, int64(v))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errCodec = errors.New("stored reading is damaged")

// decoder reads what encodeReading wrote; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() int {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > uint64(len(d.b))*8+1<<20 {
		d.err, d.b = errCodec, nil
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *decoder) int() int {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errCodec, nil
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *decoder) bytes(n int) []byte {
	if n < 0 || n > len(d.b) {
		d.err, d.b = errCodec, nil
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) string() string { return string(d.bytes(d.uvarint())) }

func (d *decoder) float() float64 {
	b := d.bytes(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// count is a number of items still to read, each at least min bytes
// long: a damaged count cannot make decoding allocate without bound.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if n*min > len(d.b) {
		d.err, d.b = errCodec, nil
		return 0
	}
	return n
}

func decodeReading(b []byte) (Reading, error) {
	var r Reading
	if len(b) < len(codecMagic) || string(b[:len(codecMagic)]) != codecMagic {
		return r, errCodec
	}
	d := &decoder{b: b[len(codecMagic):]}
	head := d.bytes(d.uvarint())
	if d.err != nil {
		return r, d.err
	}
	if err := json.Unmarshal(head, &r); err != nil {
		return r, fmt.Errorf("stored reading: %w", err)
	}
	r.Pages = make([]doctext.Page, d.count(12))
	for i := range r.Pages {
		pg := &r.Pages[i]
		pg.Number, pg.Width, pg.Height = d.int(), d.int(), d.int()
		pg.Source = doctext.Source(d.string())
		pg.MeanConfidence = d.float()
		pg.Lines = make([]doctext.Line, d.count(2))
		for j := range pg.Lines {
			l := &pg.Lines[j]
			l.Text = d.string()
			if n := d.count(15); n > 0 {
				l.Words = make([]doctext.Word, n)
			}
			for k := range l.Words {
				w := &l.Words[k]
				w.Text = d.string()
				w.Confidence = d.float()
				w.Box = image.Rect(d.int(), d.int(), d.int(), d.int())
				w.Start, w.End = d.int(), d.int()
			}
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = errCodec
	}
	if len(r.Pages) == 0 {
		r.Pages = nil
	}
	return r, d.err
}
