package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// Record is one JSON object of a listing (an IMS image or a KooGallery
// image), kept field by field as the API sent it. Its accessors parse
// tolerantly, because the APIs send booleans as "true"/"True" strings and
// numbers as strings. A Record is never modified after decoding, so listings
// can be shared.
type Record map[string]json.RawMessage

// Has reports whether key is present with a non-null value.
func (r Record) Has(key string) bool {
	v, ok := r[key]
	return ok && !bytes.Equal(v, []byte("null"))
}

// String returns the field as text: a JSON string as is, a number or a
// boolean as written. Absent, null and empty fields report false.
func (r Record) String(key string) (string, bool) {
	v := r[key]
	if len(v) == 0 || bytes.Equal(v, []byte("null")) {
		return "", false
	}
	if v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) != nil || s == "" {
			return "", false
		}
		return s, true
	}
	return string(v), true
}

// Bool accepts JSON booleans and the strings "true"/"false" in any letter
// case; anything else reports false.
func (r Record) Bool(key string) (bool, bool) {
	s, ok := r.String(key)
	if !ok {
		return false, false
	}
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// Number accepts JSON numbers and strings holding a number.
func (r Record) Number(key string) (*big.Float, bool) {
	s, ok := r.String(key)
	if !ok {
		return nil, false
	}
	f, _, err := big.ParseFloat(strings.TrimSpace(s), 10, 64, big.ToNearestEven)
	if err != nil || f.IsInf() {
		return nil, false
	}
	return f, true
}

// Strings returns a JSON array of strings; an empty array is an empty,
// present list. Elements that are not strings are written as text.
func (r Record) Strings(key string) ([]string, bool) {
	v := r[key]
	if len(v) == 0 || v[0] != '[' {
		return nil, false
	}
	var raw []json.RawMessage
	if json.Unmarshal(v, &raw) != nil {
		return nil, false
	}
	out := make([]string, 0, len(raw))
	for _, e := range raw {
		var s string
		if json.Unmarshal(e, &s) != nil {
			s = string(e)
		}
		out = append(out, s)
	}
	return out, true
}

// Time parses an RFC 3339 field; absent or malformed reports false.
func (r Record) Time(key string) (time.Time, bool) {
	s, ok := r.String(key)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// errNotAList is returned when the listing key holds something else.
var errNotAList = errors.New("is not a list")

// decodeList reads {"<key>": [ {...}, ... ], ...} as a stream, one object at
// a time, and fails when key is missing or not a list of objects.
func decodeList(r io.Reader, key string) ([]Record, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var out []Record
	found := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		if name != key {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
			continue
		}
		found = true
		if err := expectDelim(dec, '['); err != nil {
			return nil, fmt.Errorf("%q %w", key, errNotAList)
		}
		out = make([]Record, 0, 64)
		for dec.More() {
			var rec Record
			if err := dec.Decode(&rec); err != nil {
				return nil, fmt.Errorf("an element of %q: %w", key, err)
			}
			if rec == nil {
				return nil, fmt.Errorf("an element of %q is null", key)
			}
			out = append(out, rec)
		}
		if err := expectDelim(dec, ']'); err != nil {
			return nil, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("the response has no %q list", key)
	}
	return out, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", string(want), tok)
	}
	return nil
}
