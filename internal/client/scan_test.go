package client

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readers are the ways a body may arrive: whole, a byte at a time, and in
// halves of what is asked, so that every token is cut somewhere.
var readers = map[string]func([]byte) io.Reader{
	"whole":    func(b []byte) io.Reader { return bytes.NewReader(b) },
	"one byte": func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
	"halves":   func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
}

// agreesWithEncodingJSON decodes body every way it may arrive and fails
// unless each agrees with encoding/json (stdDecode): both fail, or both
// give the same records, each value byte for byte as sent.
func agreesWithEncodingJSON(t *testing.T, body []byte) {
	t.Helper()
	want, wantErr := stdDecode(body)
	for name, read := range readers {
		recs, _, err := decodeList(read(body), listKey, -1, nil, nil)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%s: decodeList error %v, encoding/json error %v, for %.200q", name, err, wantErr, body)
		}
		if len(recs) != len(want) {
			t.Fatalf("%s: %d records, encoding/json has %d, for %.200q", name, len(recs), len(want), body)
		}
		for i, r := range recs {
			for k, v := range want[i] {
				if got := r.Value(k); !bytes.Equal(got, v) {
					t.Fatalf("%s: record %d field %q = %q, encoding/json has %q", name, i, k, got, v)
				}
			}
			for k := range r.fields.pos {
				if _, ok := want[i][k]; r.Value(k) != nil && !ok {
					t.Fatalf("%s: record %d has field %q that encoding/json does not", name, i, k)
				}
			}
		}
	}
}

// A listing is read in one pass by a scanner of its own, and accepts and
// refuses exactly what encoding/json does: each rule of JSON's grammar on
// both sides of its edge, cut anywhere by the reads. A kept value is the
// text sent, byte for byte, whitespace inside it too.
func TestRule_listingsAreJSONAsEncodingJSONReadsIt(t *testing.T) {
	t.Parallel()
	values := []string{
		// numbers
		`0`, `-0`, `12`, `-12.5e+3`, `1E-2`, `0.5`, `01`, `-`, `1.`, `.5`, `1e`, `1e+`, `+1`, `--1`, `0x1`, `1.5.2`,
		// strings and escapes
		`"a"`, `""`, `"\"\\\/\b\f\n\r\t"`, `"\u00e9\uD83D\uDE00"`, `"\u12G4"`, `"\u12"`, `"\x"`, "\"tab\there\"", "\"nl\nhere\"",
		"\"\xff\xfe invalid UTF-8\"", `"unterminated`, `"a\`,
		// literals
		`true`, `false`, `null`, `tru`, `nul`, `True`, `nulll`,
		// containers
		`[]`, `{}`, `[1, 2 ,3]`, `[1,]`, `[,1]`, `{"a":1,}`, `{"a" 1}`, `{1:2}`, `{"a":1 "b":2}`, `[1 2]`, `[[[]]]`, `[}`, `{]`,
		"[ \t\r\n1 \t\r\n, \n 2 ]", `{"a":{"b":[{"c":"]"}]}}`,
	}
	for _, v := range values {
		agreesWithEncodingJSON(t, []byte(`{"images":[{"id":"i-1","v":`+v+`,"w":1}]}`))
		agreesWithEncodingJSON(t, []byte(`{"other":`+v+`,"images":[{"id":"i-1"}]}`))
	}
	for _, body := range []string{
		``, ` `, `{`, `{"images":[]}`, ` {"images" : [ ] } `, `{"images":[{}]}`, `{"images":[{},]}`, `{"images":[{}]`, `{"images":[{}]}}`,
		`{"images":[{}]} x`, `{"images":[{}]} {}`, `{"images":[{}]}` + "\n\t ", `{"images":null}`, `{"images":[1]}`, `{"images":[[]]}`,
		`{"images":{}}`, `{"images":[{}],}`, `{,"images":[{}]}`, `{"images":[{}] "x":1}`, `{"im\u0061ges":[{"a":1}]}`,
		`{"images":[{"a":1}],"images":[{"b":2}]}`, `{"images":[{"a":1,"a":2}]}`, `[]`, `"images"`, `{"x":1}`,
		`{"images":[{"tags":["a",  "b"],"o":{ "k" :  1 }}]}`, `{"images":1,"images":[{"a":1}]}`, `{"images":[{"a":1}],"images":1}`,
		`{"images":[{"a":1}],"images":[{"b":}]}`,
	} {
		agreesWithEncodingJSON(t, []byte(body))
	}
	// Nesting: encoding/json allows 10,000 levels, the response object,
	// the list and the element among them.
	for _, depth := range []int{maxDepth - 3, maxDepth - 2} {
		deep := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		agreesWithEncodingJSON(t, []byte(`{"images":[{"v":`+deep+`}]}`))
		deep = strings.Repeat("[", depth+1) + strings.Repeat("]", depth+1)
		agreesWithEncodingJSON(t, []byte(`{"other":`+deep+`,"images":[]}`))
	}
}

// An element longer than the scanner's buffer, cut by every read, is kept
// whole; whitespace between tokens is dropped as it is read, however long.
func TestRule_listingsOfAnyLength(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ab\\\"cd", scanChunk)
	body := `{"images":` + strings.Repeat(" ", 3*scanChunk) + `[{"id":"i-1","name":"` + long + `"},` +
		strings.Repeat("\n", 3*scanChunk) + `{"id":"i-2"}]}`
	agreesWithEncodingJSON(t, []byte(body))
	sc := newScanner(strings.NewReader(strings.Repeat(" ", 64*scanChunk) + "1"))
	if err := sc.value(0); err != nil || cap(sc.buf) > 2*scanChunk {
		t.Errorf("after %d bytes of whitespace: error %v, a buffer of %d bytes", 64*scanChunk, err, cap(sc.buf))
	}
}
