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
// A record keeps only the fields its client reads (Config.Fields):
// whatever else a server sends is dropped while
// decoding, so it costs nothing past its page. The kept values are copied
// one after another into one buffer, in the order of the page's field index.
type Record struct {
	fields *fieldIndex
	data   []byte   // the kept values, in field order
	ends   []uint32 // ends[i] is where field i's value ends in data; it starts where field i-1's ends
}

// fieldIndex numbers the field names of one page. A fixed index holds the
// fields a client reads, and other fields are dropped; an open one (no
// field list configured) numbers every name met, in order of arrival.
type fieldIndex struct {
	pos   map[string]int
	fixed bool
}

func newFieldIndex(names []string) *fieldIndex {
	ix := &fieldIndex{pos: make(map[string]int, len(names)), fixed: names != nil}
	for _, n := range names {
		if _, dup := ix.pos[n]; !dup {
			ix.pos[n] = len(ix.pos)
		}
	}
	return ix
}

// Value returns the field's JSON text as sent; nil when absent or not kept.
func (r Record) Value(key string) Value {
	if r.fields == nil {
		return nil
	}
	i, ok := r.fields.pos[key]
	if !ok || i >= len(r.ends) {
		return nil
	}
	start := uint32(0)
	if i > 0 {
		start = r.ends[i-1]
	}
	if start == r.ends[i] {
		return nil // every JSON value is at least one byte long
	}
	return r.data[start:r.ends[i]:r.ends[i]]
}

// Size is about what the record holds in memory, in bytes.
func (r Record) Size() int { return len(r.data) + 4*len(r.ends) + recordOverhead }

// recordOverhead is what a Record costs beyond its values: its header and
// two allocations.
const recordOverhead = 64

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
// however many images it holds, keeping every field.
func DecodeImages(r io.Reader) ([]Record, error) {
	recs, _, err := decodeList(r, listKey, -1, nil, nil)
	return recs, err
}

// listKey holds the records of a listing page, in IMS and Workspace alike.
const listKey = "images"

// decodeList reads {key: [ {...}, ... ], ...} as a stream, one element at
// a time, in one pass (see scanner): each element is validated as JSON and
// built into a Record that keeps the fields named (all of them when fields
// is nil), their values as sent. It fails when the key is missing or not a
// list of objects, when the list holds more than maxElems elements (unless
// maxElems < 0), and on anything after the response object. A kept value
// that holds a run of a configured secret (a server may copy the
// credentials it receives into an image's name or tags) is kept masked, so
// no secret reaches the state. It returns the records and the bytes they
// hold.
func decodeList(r io.Reader, key string, maxElems int, fields []string, clean *cleaner) ([]Record, int, error) {
	d := &listDecoder{sc: newScanner(r), key: key, maxElems: maxElems,
		records: &recordBuilder{index: newFieldIndex(fields), clean: clean}}
	if err := d.object(); err != nil {
		return nil, 0, err
	}
	return d.out, d.size, nil
}

// listDecoder is the state of one decodeList.
type listDecoder struct {
	sc       *scanner
	key      string // the member that holds the list
	maxElems int
	records  *recordBuilder
	found    bool // the last member named key holds a list
	notList  bool // a member named key holds something else
	out      []Record
	size     int
}

// object reads the response object, the list under key and nothing after it.
func (d *listDecoder) object() error {
	sc := d.sc
	if err := sc.expect('{', "looking for beginning of value"); err != nil {
		return err
	}
	var isKey bool
	if err := sc.members(func(quoted []byte) error {
		name, err := unquoteKey(quoted)
		isKey = string(name) == d.key
		return err
	}, func() error {
		if !isKey {
			return sc.value(1)
		}
		return d.member()
	}); err != nil {
		return err
	}
	if end, err := sc.atEnd(); err != nil {
		return err
	} else if !end {
		c, _ := sc.peek()
		return syntaxError(c, "after the response object")
	}
	switch {
	case d.found:
		return nil
	case d.notList:
		return fmt.Errorf("%q %w", d.key, errNotAList)
	}
	return fmt.Errorf("the response has no %q list", d.key)
}

// member reads the value of a member named key: the list. A repeated key
// replaces it, as in encoding/json.
func (d *listDecoder) member() error {
	sc := d.sc
	if c, err := sc.peek(); err != nil {
		return err
	} else if c != '[' {
		d.found, d.notList, d.out, d.size = false, true, nil, 0
		return sc.value(1)
	}
	d.found = true
	return d.list()
}

// list reads the list of objects under key.
func (d *listDecoder) list() error {
	sc := d.sc
	sc.pos++ // the '['
	d.out, d.size = make([]Record, 0, 64), 0
	if c, err := sc.peek(); err != nil || c == ']' {
		sc.pos++
		return err
	}
	for i := 0; ; i++ {
		if d.maxElems >= 0 && i >= d.maxElems {
			return fmt.Errorf("%q holds more than the %d elements asked for", d.key, d.maxElems)
		}
		rec, err := d.records.element(sc)
		if err != nil {
			return fmt.Errorf("an element of %q: %w", d.key, err)
		}
		d.out = append(d.out, rec)
		d.size += rec.Size()
		c, err := sc.peek()
		switch {
		case err != nil:
			return err
		case c == ']':
			sc.pos++
			return nil
		case c != ',':
			return syntaxError(c, "after array element")
		}
		sc.pos++
	}
}

// recordBuilder turns the objects of a list into Records, keeping the
// fields of its index. Its scratch slices are reused from record to record.
type recordBuilder struct {
	index      *fieldIndex
	clean      *cleaner
	start, end []int // per field, the value's span in the object; end 0 when absent
}

// element reads one element of the list, which must be an object, and
// builds its record. The object stays in the scanner's buffer (its mark)
// until it is read whole; the spans of its members' values are offsets
// into it. A field that comes twice keeps its last value, as encoding/json
// does.
func (b *recordBuilder) element(sc *scanner) (Record, error) {
	if c, err := sc.peek(); err != nil {
		return Record{}, err
	} else if c != '{' {
		return Record{}, errors.New("is not an object")
	}
	sc.mark = sc.pos
	defer func() { sc.mark = -1 }()
	sc.pos++
	clear(b.end)
	pos := -1 // the field of the member being read; -1 when not kept
	err := sc.members(func(quoted []byte) error {
		var err error
		pos, err = b.position(quoted)
		return err
	}, func() error {
		if _, err := sc.peek(); err != nil {
			return err
		}
		from := sc.pos - sc.mark
		if err := sc.value(3); err != nil { // in the response, the list and the element
			return err
		}
		if pos >= 0 {
			b.start[pos], b.end[pos] = from, sc.pos-sc.mark
		}
		return nil
	})
	if err != nil {
		return Record{}, err
	}
	return b.record(sc.buf[sc.mark:sc.pos]), nil
}

// unquoteKey returns the name a quoted key stands for.
func unquoteKey(quoted []byte) ([]byte, error) {
	name := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(name, '\\') >= 0 || !utf8.Valid(name) {
		var key string
		if err := json.Unmarshal(quoted, &key); err != nil {
			return nil, err
		}
		name = []byte(key)
	}
	return name, nil
}

// position returns the index of a quoted key, -1 when its field is not
// kept; an open index numbers a new name.
func (b *recordBuilder) position(quoted []byte) (int, error) {
	name, err := unquoteKey(quoted)
	if err != nil {
		return 0, err
	}
	pos, ok := b.index.pos[string(name)] // no allocation for a name already seen
	switch {
	case ok:
	case b.index.fixed:
		return -1, nil
	default:
		pos = len(b.index.pos)
		b.index.pos[string(name)] = pos
	}
	for len(b.end) <= pos {
		b.start, b.end = append(b.start, 0), append(b.end, 0)
	}
	return pos, nil
}

// record copies the values found, masked, into a new Record.
func (b *recordBuilder) record(raw []byte) Record {
	n := 0
	total := 0
	for pos, end := range b.end {
		if end > 0 {
			n = pos + 1
			total += end - b.start[pos]
		}
	}
	rec := Record{fields: b.index, data: make([]byte, 0, total), ends: make([]uint32, n)}
	for pos := range n {
		if end := b.end[pos]; end > 0 {
			rec.data = append(rec.data, b.clean.jsonValue(raw[b.start[pos]:end])...)
		}
		rec.ends[pos] = uint32(len(rec.data))
	}
	return rec
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
