package client

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

// signAlgorithm is the name of Huawei Cloud's API Gateway signing scheme.
const signAlgorithm = "SDK-HMAC-SHA256"

// sdkDateFormat is the layout of the X-Sdk-Date header.
const sdkDateFormat = "20060102T150405Z"

// escape percent-encodes s the way the gateway canonicalizes: RFC 3986
// unreserved characters are kept, every other byte becomes %XX (upper case),
// so a space is %20, never +.
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// canonicalURI escapes each segment of an unescaped path and ends it with "/".
func canonicalURI(path string) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		segments[i] = escape(s)
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

// CanonicalQuery renders q with keys sorted and, under each key, values
// sorted. The client sends exactly this string on the wire, so the gateway's
// canonical form and the URL agree byte for byte.
func CanonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		ek := escape(k)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(escape(v))
		}
	}
	return b.String()
}

// stringToSign builds the canonical request (CONTRIBUTING.md, "Wire protocol") and the string to sign
// from it. headers maps lower-case header names to their values; every one of
// them is signed. It returns the string to sign and the signed header list.
func stringToSign(method, path string, query url.Values, headers map[string]string, body []byte, sdkDate string) (string, string) {
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var canon strings.Builder
	canon.WriteString(method)
	canon.WriteByte('\n')
	canon.WriteString(canonicalURI(path))
	canon.WriteByte('\n')
	canon.WriteString(CanonicalQuery(query))
	canon.WriteByte('\n')
	for _, n := range names {
		canon.WriteString(n)
		canon.WriteByte(':')
		canon.WriteString(strings.TrimSpace(headers[n]))
		canon.WriteByte('\n')
	}
	canon.WriteByte('\n')
	signed := strings.Join(names, ";")
	canon.WriteString(signed)
	canon.WriteByte('\n')
	bodyHash := sha256.Sum256(body)
	canon.WriteString(hex.EncodeToString(bodyHash[:]))

	reqHash := sha256.Sum256([]byte(canon.String()))
	return signAlgorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(reqHash[:]), signed
}

// signature is the hex HMAC-SHA256 of stringToSign keyed with the secret key.
func signature(sts, secretKey string) string {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(sts))
	return hex.EncodeToString(m.Sum(nil))
}

// authorization returns the Authorization header value for a request whose
// signed headers (lower-case names) are given, including x-sdk-date.
func authorization(accessKey, secretKey, method, path string, query url.Values, headers map[string]string, body []byte) string {
	sts, signed := stringToSign(method, path, query, headers, body, headers["x-sdk-date"])
	return signAlgorithm + " Access=" + accessKey + ", SignedHeaders=" + signed + ", Signature=" + signature(sts, secretKey)
}
