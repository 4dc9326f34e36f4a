package client

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// The folder keeps strings byte for byte (escaped quotes and backslashes,
// whitespace inside them), folds every run of whitespace outside them into
// one space whatever the reads' sizes, and so keeps valid JSON valid and
// invalid JSON invalid.
func TestSpaceFolder(t *testing.T) {
	for in, want := range map[string]string{
		"{ \"a\" :\n\t [1 ,  2] }":             `{ "a" : [1 , 2] }`,
		`{"s":"  two  spaces  "}`:              `{"s":"  two  spaces  "}`,
		`{"s":"a\"  b\\"   ,  "t" : "\\\"  "}`: `{"s":"a\"  b\\" , "t" : "\\\"  "}`,
		"1     2":                              "1 2",
		"\r\n\r\n{}\r\n":                       " {} ",
		"":                                     "",
	} {
		for _, read := range []func(io.Reader) io.Reader{func(r io.Reader) io.Reader { return r }, iotest.OneByteReader, iotest.HalfReader} {
			got, err := io.ReadAll(&spaceFolder{r: read(strings.NewReader(in))})
			if err != nil || string(got) != want {
				t.Errorf("fold(%q) = %q, %v; want %q", in, got, err, want)
			}
		}
	}
	var v any
	if err := newJSONDecoder(strings.NewReader(`{"a": 1    2}`)).Decode(&v); err == nil {
		t.Error("two numbers apart decoded as one")
	}
}

// A valid page whose image comes after 30 MiB of whitespace decodes, with
// the image whole.
func TestDecodeAfterWhitespace(t *testing.T) {
	page := []byte(`{"images":` + strings.Repeat(" \n\t\r", 30<<18) + `[{"id":"i-1","name":"a  b"}]}`)
	recs, _, err := decodeList(bytes.NewReader(page), listKey, -1, nil, nil)
	if err != nil || len(recs) != 1 {
		t.Fatalf("decodeList = %d records, %v", len(recs), err)
	}
	if name, _ := recs[0].String("name"); name != "a  b" {
		t.Errorf("name %q", name)
	}
	var raw json.RawMessage
	if err := newJSONDecoder(bytes.NewReader(page)).Decode(&raw); err != nil {
		t.Fatal(err)
	}
}
