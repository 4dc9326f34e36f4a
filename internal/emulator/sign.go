package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// The emulator checks signatures with code of its own, written from the API
// gateway's signing rules, so that a signing bug in the provider's client
// cannot hide in the stand-in that tests it.

// signingAlgorithm names the gateway's AK/SK scheme in Authorization.
const signingAlgorithm = "SDK-HMAC-SHA256"

// sdkDateLayout is the layout of X-Sdk-Date: basic ISO 8601 in UTC.
const sdkDateLayout = "20060102T150405Z"

// percentEncode keeps RFC 3986 unreserved characters and writes every other
// byte as %XX with upper-case hex digits (so a space is %20).
func percentEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-_.~", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// canonicalRequest is the gateway's canonical form of a received request.
func canonicalRequest(r *http.Request, signed []string, host string, body []byte) string {
	var lines []string
	lines = append(lines, r.Method)

	// Canonical URI: each segment of the decoded path encoded, ending in "/".
	segments := strings.Split(r.URL.Path, "/")
	for i := range segments {
		segments[i] = percentEncode(segments[i])
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	lines = append(lines, uri)

	// Canonical query: encoded pairs, sorted by key, then by value.
	var pairs []string
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			pairs = append(pairs, percentEncode(k)+"="+percentEncode(v))
		}
	}
	slices.SortFunc(pairs, func(a, b string) int {
		ka, va, _ := strings.Cut(a, "=")
		kb, vb, _ := strings.Cut(b, "=")
		if c := strings.Compare(ka, kb); c != 0 {
			return c
		}
		return strings.Compare(va, vb)
	})
	lines = append(lines, strings.Join(pairs, "&"))

	// Canonical headers, one per line, then the signed header names.
	names := slices.Clone(signed)
	slices.Sort(names)
	var headers strings.Builder
	for _, n := range names {
		v := r.Header.Get(n)
		if n == "host" {
			v = host
		}
		headers.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	lines = append(lines, headers.String(), strings.Join(names, ";"))

	bodyHash := sha256.Sum256(body)
	lines = append(lines, hex.EncodeToString(bodyHash[:]))
	return strings.Join(lines, "\n")
}

// expectedSignature is what a request signed with secretKey carries; the
// body of a POST is read and put back.
func expectedSignature(r *http.Request, signed []string, date, secretKey string) string {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r.Body, maxBody))
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	canonical := sha256.Sum256([]byte(canonicalRequest(r, signed, r.Host, body)))
	toSign := signingAlgorithm + "\n" + date + "\n" + hex.EncodeToString(canonical[:])
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(toSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// parseAuthorization splits "SDK-HMAC-SHA256 Access=…, SignedHeaders=…,
// Signature=…".
func parseAuthorization(h string) (access string, signed []string, signature string, ok bool) {
	rest, found := strings.CutPrefix(h, signingAlgorithm+" ")
	if !found {
		return "", nil, "", false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Access":
			access = v
		case "SignedHeaders":
			signed = strings.Split(v, ";")
		case "Signature":
			signature = v
		}
	}
	return access, signed, signature, access != "" && signature != "" && len(signed) > 0
}
