package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Record is one JSON object of a listing (an IMS image or a KooGallery
// image), kept field by field as the API sent it. Its accessors parse
// tolerantly, because the APIs send booleans as "true"/"True" strings and
// numbers as strings. A Record is never modified after decoding, so listings
// can be shared.
//
// The records of one page share an index of field names; each holds only the
// raw bytes of its values, slices of its own copy of the object.
type Record struct {
	fields *fieldIndex
	vals   [][]byte
}

// fieldIndex numbers the field names met in one page, in order of arrival.
type fieldIndex struct{ pos map[string]int }

// Value returns the field's JSON text as sent; nil when absent.
func (r Record) Value(key string) Value {
	if r.fields == nil {
		return nil
	}
	i, ok := r.fields.pos[key]
	if !ok || i >= len(r.vals) {
		return nil
	}
	return r.vals[i]
}

// String, Bool, Number, Strings and Time read a field; see Value's methods.
func (r Record) String(key string) (string, bool)     { return r.Value(key).Text() }
func (r Record) Bool(key string) (bool, bool)         { return r.Value(key).Bool() }
func (r Record) Number(key string) (*big.Float, bool) { return r.Value(key).Number() }
func (r Record) Strings(key string) ([]string, bool)  { return r.Value(key).Strings() }
func (r Record) Time(key string) (time.Time, bool)    { return r.Value(key).Time() }

// Value is the JSON text of one field, as the API sent it. Its readers
// report false for an absent, null or empty value, and for one they cannot
// convert.
type Value []byte

func (v Value) null() bool { return len(v) == 0 || bytes.Equal(v, []byte("null")) }

// content returns a JSON string unquoted, anything else as written.
func (v Value) content() ([]byte, bool) {
	if v.null() {
		return nil, false
	}
	if v[0] != '"' {
		return v, true
	}
	if len(v) < 2 {
		return nil, false
	}
	inner := v[1 : len(v)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return nil, false
		}
		inner = []byte(s)
	}
	return inner, len(inner) > 0
}

// Text returns a JSON string as is, a number or a boolean as written.
func (v Value) Text() (string, bool) {
	b, ok := v.content()
	if !ok {
		return "", false
	}
	return string(b), true
}

// Bool accepts JSON booleans and the strings "true"/"false" in any letter case.
func (v Value) Bool() (bool, bool) {
	b, ok := v.content()
	switch {
	case !ok:
		return false, false
	case bytes.EqualFold(b, []byte("true")):
		return true, true
	case bytes.EqualFold(b, []byte("false")):
		return false, true
	}
	return false, false
}

// maxNumberText bounds the text of a number: a longer one is null, so that
// no field costs more than linear time to convert or to show.
const maxNumberText = 64

// Number accepts JSON numbers and strings holding a number. A number whose
// text is longer than 64 characters, or outside the range of a float64
// (such as 1e10000000), is not read: formatting it could take minutes.
func (v Value) Number() (*big.Float, bool) {
	b, ok := v.content()
	if !ok {
		return nil, false
	}
	s := strings.TrimSpace(string(b))
	if len(s) > maxNumberText {
		return nil, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return new(big.Float).SetInt64(n), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || !isDecimal(s) || f == 0 && !isZero(s) {
		return nil, false
	}
	n, _, err := big.ParseFloat(s, 10, 64, big.ToNearestEven)
	if err != nil {
		return nil, false
	}
	return n, true
}

// isZero reports whether the digits before any exponent are all zero: a
// number that is not, yet reads as 0, is below the range of a float64.
func isZero(s string) bool {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	return !strings.ContainsAny(s, "123456789")
}

// isDecimal reports whether s is a plain decimal number: strconv also reads
// hexadecimal, underscores, "Inf" and "NaN", which JSON does not have.
func isDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}

// Strings returns a JSON array of strings; an empty array is an empty,
// present list. Elements that are not strings are written as text.
func (v Value) Strings() ([]string, bool) {
	if len(v) == 0 || v[0] != '[' {
		return nil, false
	}
	out := []string{}
	for i := skipSpace(v, 1); i < len(v) && v[i] != ']'; {
		end, err := valueEnd(v, i)
		if err != nil {
			return nil, false
		}
		e := v[i:end]
		s := string(e)
		if e[0] == '"' {
			s, _ = e.Text()
		}
		out = append(out, s)
		i = skipSpace(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	return out, true
}

// Time parses an RFC 3339 time.
func (v Value) Time() (time.Time, bool) {
	b, ok := v.content()
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, string(b))
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// errNotAList is returned when the listing key holds something else.
var errNotAList = errors.New("is not a list")

// DecodeImages decodes one listing page, {"images": [...]}, as a stream,
// however many images it holds.
func DecodeImages(r io.Reader) ([]Record, error) {
	recs, _, err := decodeList(r, -1)
	return recs, err
}

// listKey holds the list of a listing page, in IMS and Workspace alike.
const listKey = "images"

// decodeList reads {"images": [ {...}, ... ], ...} as a stream, one element
// at a time: each element is cut out of the stream, validated, and indexed by
// splitObject. It fails when the key is missing or not a list of objects, and
// when the list holds more than maxElems elements (unless maxElems < 0). It
// returns the records and the bytes they hold.
func decodeList(r io.Reader, maxElems int) ([]Record, int, error) {
	d := &listDecoder{sc: &streamScanner{r: r, buf: make([]byte, 0, 64<<10)}, maxElems: maxElems,
		index: &fieldIndex{pos: map[string]int{}}}
	if err := d.object(); err != nil {
		return nil, 0, err
	}
	return d.out, d.size, nil
}

// listDecoder is the state of one decodeList.
type listDecoder struct {
	sc       *streamScanner
	maxElems int
	index    *fieldIndex
	found    bool
	out      []Record
	size     int
}

// object reads the response object, the list under key and nothing after it.
func (d *listDecoder) object() error {
	sc := d.sc
	if err := sc.expect('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		c, err := sc.peek()
		if err != nil {
			return err
		}
		if c == '}' {
			sc.pos++
			break
		}
		if !first {
			if err := sc.expect(','); err != nil {
				return err
			}
		}
		if err := d.member(); err != nil {
			return err
		}
	}
	if c, err := sc.peek(); err == nil {
		return fmt.Errorf("unexpected %q after the response object", c)
	} else if !errors.Is(err, io.EOF) {
		return err
	}
	if !d.found {
		return fmt.Errorf("the response has no %q list", listKey)
	}
	return nil
}

// member reads one "name": value of the response object.
func (d *listDecoder) member() error {
	sc := d.sc
	nameRaw, err := sc.value()
	if err != nil {
		return err
	}
	var name string
	if err := json.Unmarshal(nameRaw, &name); err != nil {
		return fmt.Errorf("a key of the response: %w", err)
	}
	if err := sc.expect(':'); err != nil {
		return err
	}
	if name == listKey {
		d.found = true
		return d.list()
	}
	v, err := sc.value()
	if err != nil {
		return err
	}
	if !json.Valid(v) {
		return fmt.Errorf("the value of %q is not valid JSON", name)
	}
	return nil
}

// list reads the list of objects under key; a repeated key replaces it.
func (d *listDecoder) list() error {
	sc := d.sc
	if c, err := sc.peek(); err != nil {
		return err
	} else if c != '[' {
		return fmt.Errorf("%q %w", listKey, errNotAList)
	}
	sc.pos++
	d.out, d.size = make([]Record, 0, 64), 0
	for i := 0; ; i++ {
		c, err := sc.peek()
		if err != nil {
			return err
		}
		if c == ']' {
			sc.pos++
			return nil
		}
		if i > 0 {
			if err := sc.expect(','); err != nil {
				return err
			}
		}
		if d.maxElems >= 0 && i >= d.maxElems {
			return fmt.Errorf("%q holds more than the %d elements asked for", listKey, d.maxElems)
		}
		elem, err := sc.value()
		if err != nil {
			return fmt.Errorf("an element of %q: %w", listKey, err)
		}
		if !json.Valid(elem) {
			return fmt.Errorf("an element of %q is not valid JSON", listKey)
		}
		rec, err := splitObject(elem, d.index)
		if err != nil {
			return fmt.Errorf("an element of %q: %w", listKey, err)
		}
		d.out = append(d.out, rec)
		d.size += len(elem)
	}
}

// streamScanner cuts JSON values out of a stream, reading it in chunks.
type streamScanner struct {
	r   io.Reader
	buf []byte
	pos int
	err error
}

// fill reads more of the stream, keeping buf[pos:].
func (s *streamScanner) fill() bool {
	if s.err != nil {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:])
		s.buf, s.pos = s.buf[:n], 0
	}
	if len(s.buf) == cap(s.buf) {
		// Grow by doubling, but not far past the largest body allowed.
		grow := min(cap(s.buf), max(maxBodyBytes+4096-cap(s.buf), 4096))
		s.buf = append(s.buf, make([]byte, grow)...)[:len(s.buf)]
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.err = err
	}
	return n > 0 || err == nil
}

// peek returns the next byte that is not white space, without consuming it;
// at the end of the stream it returns io.EOF.
func (s *streamScanner) peek() (byte, error) {
	for {
		for s.pos < len(s.buf) {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c, nil
			}
		}
		if !s.fill() {
			if s.err == nil || errors.Is(s.err, io.EOF) {
				return 0, io.EOF
			}
			return 0, s.err
		}
	}
}

func (s *streamScanner) expect(want byte) error {
	c, err := s.peek()
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	if err != nil {
		return err
	}
	if c != want {
		return fmt.Errorf("expected %q, found %q", want, c)
	}
	s.pos++
	return nil
}

// value returns a copy of the next JSON value's bytes. It finds the value's
// end by tracking strings and nesting; the caller validates it.
func (s *streamScanner) value() ([]byte, error) {
	if _, err := s.peek(); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	start := s.pos
	i := s.pos
	depth, inString, escaped := 0, false, false
	scalar := s.buf[i] != '{' && s.buf[i] != '[' && s.buf[i] != '"'
	for {
		for ; i < len(s.buf); i++ {
			c := s.buf[i]
			switch {
			case inString:
				switch {
				case escaped:
					escaped = false
				case c == '\\':
					escaped = true
				case c == '"':
					inString = false
					if depth == 0 {
						return s.take(start, i+1), nil
					}
				}
			case scalar:
				if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
					return s.take(start, i), nil
				}
			case c == '"':
				inString = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth == 0 {
					return s.take(start, i+1), nil
				}
			}
		}
		// Keep the partial value while reading on: fill moves it to the front.
		offset := i - start
		s.pos = start
		if !s.fill() {
			if scalar && offset > 0 {
				return s.take(0, offset), nil
			}
			if s.err != nil && !errors.Is(s.err, io.EOF) {
				return nil, s.err
			}
			return nil, io.ErrUnexpectedEOF
		}
		start, i = 0, offset
	}
}

func (s *streamScanner) take(start, end int) []byte {
	v := make([]byte, end-start)
	copy(v, s.buf[start:end])
	s.pos = end
	return v
}

// splitObject indexes the top-level fields of a JSON object that has already
// been validated: each value is a slice of raw, and field names are numbered
// in index, shared by the records of a page.
func splitObject(raw []byte, index *fieldIndex) (Record, error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return Record{}, errors.New("is not an object")
	}
	rec := Record{fields: index, vals: make([][]byte, len(index.pos), len(index.pos)+4)}
	i++
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) {
			return Record{}, io.ErrUnexpectedEOF
		}
		switch raw[i] {
		case '}':
			return rec, nil
		case ',':
			i++
			continue
		case '"':
		default:
			return Record{}, fmt.Errorf("unexpected %q in an object", raw[i])
		}
		end, err := valueEnd(raw, i)
		if err != nil {
			return Record{}, err
		}
		name := raw[i+1 : end-1]
		if bytes.IndexByte(name, '\\') >= 0 || !utf8.Valid(name) {
			var key string
			if err := json.Unmarshal(raw[i:end], &key); err != nil {
				return Record{}, err
			}
			name = []byte(key)
		}
		pos, ok := index.pos[string(name)] // no allocation for a name already seen
		if !ok {
			pos = len(index.pos)
			index.pos[string(name)] = pos
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return Record{}, errors.New("missing ':' after a key")
		}
		i = skipSpace(raw, i+1)
		end, err = valueEnd(raw, i)
		if err != nil {
			return Record{}, err
		}
		for len(rec.vals) <= pos {
			rec.vals = append(rec.vals, nil)
		}
		rec.vals[pos] = raw[i:end:end]
		i = end
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the index just past the JSON value starting at i.
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, io.ErrUnexpectedEOF
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, nil
			}
		}
		return 0, io.ErrUnexpectedEOF
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := valueEnd(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, io.ErrUnexpectedEOF
	}
	j := i
	for j < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[j])) {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("unexpected %q", b[i])
	}
	return j, nil
}
