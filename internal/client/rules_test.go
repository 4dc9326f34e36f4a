package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// Each test here pins one wire rule of the client where it lives; the test's
// name says the rule.

// A run of a secret in an image field is masked from exactly secretRun
// characters on, and not one character shorter, wherever it sits: a plain
// string, a JSON escape, a nested list, a record read one byte at a time.
func TestRule_recordsMaskRunsOfTwelve(t *testing.T) {
	t.Parallel()
	secret := "sk-RULES-0123456789abcdefghij"
	clean := newCleaner(secret)
	escaped := func(s string) string { // every character as a \u escape
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	for _, n := range []int{secretRun - 1, secretRun, secretRun + 1, len(secret)} {
		run := secret[3 : 3+min(n, len(secret)-3)]
		if n == len(secret) {
			run = secret
		}
		for place, field := range map[string]string{
			"plain":       `"name":"image ` + run + ` here"`,
			"escaped":     `"name":"image ` + escaped(run) + ` here"`,
			"nested list": `"tags":["a","b=` + run + `"]`,
		} {
			page := `{"images":[{"id":"i-1",` + field + `}]}`
			for _, chunked := range []bool{false, true} {
				var src io.Reader = strings.NewReader(page)
				if chunked {
					src = iotest.OneByteReader(src)
				}
				recs, _, err := decodeList(src, listKey, -1, nil, clean)
				if err != nil {
					t.Fatalf("%s: %v", place, err)
				}
				kept := string(recs[0].data)
				masked := strings.Contains(kept, "***")
				if want := len(run) >= secretRun; masked != want || want && strings.Contains(kept, run[:secretRun]) {
					t.Errorf("a run of %d in %s (chunked %v): kept %s, masked %v, want %v", len(run), place, chunked, kept, masked, want)
				}
			}
		}
	}
}

// After a capped page, a short page is one shorter than the cap, not than
// the page size asked for: the listing goes on at the cap's size until a
// page is shorter than that, and keeps every image.
func TestRule_shortPageIsShorterThanTheCap(t *testing.T) {
	t.Parallel()
	var images []emulator.Image
	for i := range 340 {
		images = append(images, emulator.Image{"id": fmt.Sprintf("img-%03d", i), "name": "n", "status": "active", "__imagetype": "private"})
	}
	srv := httptest.NewServer(emulator.New(emulator.Options{PageCap: 100, Catalog: &emulator.Catalog{Images: images},
		Projects:    map[string]string{"cn-north-4": "p1"},
		Credentials: []emulator.Credential{{AccessKey: "AK", SecretKey: "SK"}}}))
	t.Cleanup(srv.Close)
	r := newTestClient(t, srv.URL, nil)
	var all []Record
	listing, err := r.ListImages(context.Background(), url.Values{}, IMSPageSize, func(p []Record) bool { all = append(all, p...); return true })
	if err != nil || len(all) != 340 || listing.PageCap != 100 || listing.Requests != 4 {
		t.Fatalf("%d images in %d requests, cap %d, %v; want 340 in 4 (100, the probe's 100, 100, 40), cap 100",
			len(all), listing.Requests, listing.PageCap, err)
	}
}

// A short page of a size no cap has ends the listing at once; one of a
// cap's size (a multiple of 50) asks for one more page.
func TestRule_capLikeShortPagesAreProbed(t *testing.T) {
	t.Parallel()
	for n, requests := range map[int]int{99: 1, 100: 2, 150: 2, 49: 1, 50: 2} {
		page := make([]map[string]string, n)
		for i := range page {
			page[i] = map[string]string{"id": fmt.Sprintf("i-%d", i)}
		}
		body, _ := json.Marshal(map[string]any{"images": page})
		srv, count := testServer(t, status(200, string(body)), status(200, `{"images":[]}`))
		if _, err := listImages(newTestClient(t, srv.URL, nil)); err != nil || int(count.Load()) != requests {
			t.Errorf("a first page of %d: %d requests, %v; want %d", n, count.Load(), err, requests)
		}
	}
}

// The page cache shares a page between reads that ask the same query,
// whatever the order of its parameters and values, and no other
// (TestRegionsHaveTheirOwnEndpointsAndPages holds the region in the key).
func TestRule_pageCacheKey(t *testing.T) {
	t.Parallel()
	srv, count := testServer(t, status(200, `{"images":[{"id":"a"}]}`))
	r := newTestClient(t, srv.URL, nil)
	read := func(q url.Values) {
		t.Helper()
		if _, err := r.ListImages(context.Background(), q, IMSPageSize, func([]Record) bool { return true }); err != nil {
			t.Fatal(err)
		}
	}
	read(url.Values{"name": {"x"}, "tag": {"b", "a"}})
	read(url.Values{"tag": {"a", "b"}, "name": {"x"}})
	if n := count.Load(); n != 1 {
		t.Errorf("the same query in another order: %d requests, want 1", n)
	}
	read(url.Values{"name": {"y"}, "tag": {"a", "b"}})
	if n := count.Load(); n != 2 {
		t.Errorf("another value: %d requests, want 2", n)
	}
}

// Every reserved byte, a space, a percent sign, a control byte and
// non-ASCII text are escaped as %XX in upper case; the four unreserved
// punctuation marks are kept; keys sort, then values.
func TestRule_canonicalQueryEscapesEveryReservedByte(t *testing.T) {
	t.Parallel()
	q := url.Values{
		"v":   {"!#$&'()*+,/:;=?@[] %~-._é\x00\x7f"},
		"k=&": {"2", "10"},
		"a":   {""},
	}
	want := "a=&k%3D%26=10&k%3D%26=2&v=%21%23%24%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D%20%25~-._%C3%A9%00%7F"
	if got := CanonicalQuery(q); got != want {
		t.Errorf("CanonicalQuery =\n%s\nwant\n%s", got, want)
	}
	if got := escape("AZaz09-_.~"); got != "AZaz09-_.~" {
		t.Errorf("unreserved bytes escaped: %s", got)
	}
	var all bytes.Buffer
	for c := range 256 {
		all.WriteByte(byte(c))
	}
	if got := escape(all.String()); len(got) != 66+3*(256-66) {
		t.Errorf("%d bytes of escapes for the 256 bytes, want 66 kept and 190 escaped", len(got))
	}
}
