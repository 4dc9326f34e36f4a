package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"
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

// Number accepts JSON numbers and strings holding a number.
func (v Value) Number() (*big.Float, bool) {
	b, ok := v.content()
	if !ok {
		return nil, false
	}
	s := strings.TrimSpace(string(b))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return new(big.Float).SetInt64(n), true
	}
	f, _, err := big.ParseFloat(s, 10, 64, big.ToNearestEven)
	if err != nil || f.IsInf() {
		return nil, false
	}
	return f, true
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

// decodeList reads {"<key>": [ {...}, ... ], ...} as a stream, one element
// at a time: each element is cut out of the stream, validated, and indexed by
// splitObject. It fails when key is missing or not a list of objects.
func decodeList(r io.Reader, key string) ([]Record, error) {
	sc := &streamScanner{r: r, buf: make([]byte, 0, 64<<10)}
	if err := sc.expect('{'); err != nil {
		return nil, err
	}
	var out []Record
	found := false
	index := &fieldIndex{pos: map[string]int{}}
	for first := true; ; first = false {
		c, err := sc.peek()
		if err != nil {
			return nil, err
		}
		if c == '}' {
			sc.pos++
			break
		}
		if !first {
			if err := sc.expect(','); err != nil {
				return nil, err
			}
		}
		nameRaw, err := sc.value()
		if err != nil {
			return nil, err
		}
		var name string
		if err := json.Unmarshal(nameRaw, &name); err != nil {
			return nil, fmt.Errorf("a key of the response: %w", err)
		}
		if err := sc.expect(':'); err != nil {
			return nil, err
		}
		if name != key {
			v, err := sc.value()
			if err != nil {
				return nil, err
			}
			if !json.Valid(v) {
				return nil, fmt.Errorf("the value of %q is not valid JSON", name)
			}
			continue
		}
		found = true
		if c, err := sc.peek(); err != nil {
			return nil, err
		} else if c != '[' {
			return nil, fmt.Errorf("%q %w", key, errNotAList)
		}
		sc.pos++
		out = make([]Record, 0, 64)
		for i := 0; ; i++ {
			c, err := sc.peek()
			if err != nil {
				return nil, err
			}
			if c == ']' {
				sc.pos++
				break
			}
			if i > 0 {
				if err := sc.expect(','); err != nil {
					return nil, err
				}
			}
			elem, err := sc.value()
			if err != nil {
				return nil, fmt.Errorf("an element of %q: %w", key, err)
			}
			if !json.Valid(elem) {
				return nil, fmt.Errorf("an element of %q is not valid JSON", key)
			}
			rec, err := splitObject(elem, index)
			if err != nil {
				return nil, fmt.Errorf("an element of %q: %w", key, err)
			}
			out = append(out, rec)
		}
	}
	if c, err := sc.peek(); err == nil {
		return nil, fmt.Errorf("unexpected %q after the response object", c)
	} else if !errors.Is(err, io.EOF) {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("the response has no %q list", key)
	}
	return out, nil
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
		s.buf = append(s.buf, make([]byte, cap(s.buf))...)[:len(s.buf)]
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
		if bytes.IndexByte(name, '\\') >= 0 {
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
