package client

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The canonical query parses back to the same values, and holds only
// unreserved characters, '%XX' escapes and the separators.
func FuzzCanonicalQuery(f *testing.F) {
	for _, s := range [][2]string{{"name", "Ubuntu 22.04"}, {"created_at", "gt:2025-01-01T00:00:00Z"}, {"tag", "a=b&c"}, {"ü", "+%/?#"}, {"", ""}} {
		f.Add(s[0], s[1], "x")
	}
	f.Fuzz(func(t *testing.T, k, v1, v2 string) {
		q := url.Values{k: {v1, v2}, "z": {v2}}
		got := CanonicalQuery(q)
		for i := 0; i < len(got); i++ {
			c := got[i]
			if !unreserved(c) && c != '%' && c != '&' && c != '=' {
				t.Fatalf("reserved byte %q in %q", c, got)
			}
		}
		back, err := url.ParseQuery(got)
		if err != nil {
			t.Fatalf("%q does not parse: %v", got, err)
		}
		for key := range q {
			want := append([]string(nil), q[key]...)
			sort.Strings(want)
			if key == "z" && k == "z" {
				continue
			}
			if !reflect.DeepEqual(back[key], want) {
				t.Fatalf("key %q: %q, want %q", key, back[key], want)
			}
		}
	})
}

func FuzzCanonicalURI(f *testing.F) {
	for _, s := range []string{"/v1/cloudimages/fuzzy", "/a b/ü", "", "//", "/%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		got := CanonicalURI(path)
		if !strings.HasSuffix(got, "/") {
			t.Fatalf("%q does not end with /", got)
		}
		want := path
		if !strings.HasSuffix(want, "/") {
			want += "/"
		}
		if un, err := url.PathUnescape(got); err != nil || un != want {
			t.Fatalf("CanonicalURI(%q) = %q does not unescape back to %q (%q, %v)", path, got, want, un, err)
		}
	})
}

// Decoding never panics, and succeeds only on a list of objects.
func FuzzDecodeList(f *testing.F) {
	for _, s := range []string{`{"images":[{"id":"a","__isregistered":"True","min_ram":"12"}]}`, `{"images":[]}`, `{"images":null}`, `<html>`, `{"images":[1]}`, `{"x":1,"images":[{}],"y":[]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, err := decodeList(bytes.NewReader(body), "images")
		if err != nil {
			return
		}
		for _, r := range recs {
			for _, k := range []string{"id", "name", "min_ram", "tags", "x", ""} {
				r.String(k)
				r.Bool(k)
				r.Number(k)
				r.Strings(k)
				r.Time(k)
			}
		}
		if !json.Valid(body) {
			t.Fatalf("decoded a body that is not valid JSON: %q", body)
		}
	})
}

func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{`{"error_code":"A","error_msg":"m"}`, `{"error":{"code":"c","message":"m"}}`, "<html>\xff\xfe", ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, msg := parseErrorBody(body)
		if len(msg) > 4*len(body)+200 {
			t.Fatalf("message grew: %d bytes from %d", len(msg), len(body))
		}
	})
}
