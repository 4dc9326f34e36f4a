package client

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// APIError is a request that failed for good with a non-2xx answer. Every
// text field is cleaned (see cleanText): it never holds a control character
// or a configured secret.
type APIError struct {
	Method  string
	Path    string
	Status  int
	Code    string // error_code, or error.code of IMS; empty when the body had none
	Message string // error_msg, or error.message; the start of the body when it is not JSON
	Detail  string // error_detail, when the body has one
	// EncodedAuthorizationMessage explains an authorization failure, in
	// the encoded form IAM can decode for an administrator.
	EncodedAuthorizationMessage string
	RequestID                   string // the X-Request-Id response header
	Attempts                    int    // how many attempts were made, retries included
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, ", error code %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, " (%s)", e.Detail)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// RedirectError is a 3xx answer. Redirects are never followed: the request's
// credentials would go wherever the server says.
type RedirectError struct {
	Method    string
	Path      string
	Status    int
	Location  string // the origin (scheme://host) the redirect points to
	RequestID string
}

func (e *RedirectError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d redirects to %s, and redirects are never followed", e.Method, e.Path, e.Status, e.Location)
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

// DecodeError is a 2xx answer whose body is not the JSON expected. It is not
// retried: the same request would get the same body.
type DecodeError struct {
	Method    string
	Path      string
	Status    int
	RequestID string
	BodyStart string
	Err       error // cleaned: safe to show
	cause     error
}

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d with a body that is not the expected JSON: %v", e.Method, e.Path, e.Status, e.Err)
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	if e.BodyStart != "" {
		s += "; the body starts with " + fmt.Sprintf("%q", e.BodyStart)
	}
	return s
}

func (e *DecodeError) Unwrap() error { return e.cause }

// BodyTooLargeError is a response body over maxBodyBytes after
// decompression. Reading stopped there; it is not retried.
type BodyTooLargeError struct {
	Method    string
	Path      string
	Status    int
	RequestID string
}

func (e *BodyTooLargeError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d, but the response exceeded 32 MiB, more than any answer of this API, so reading stopped", e.Method, e.Path, e.Status)
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

// RequestError is a request that got no HTTP answer (connection refused or
// reset, TLS failure, unknown host, timeout, a body cut short) after every
// attempt allowed.
type RequestError struct {
	Method   string
	Path     string
	Endpoint string // scheme://host of the endpoint asked
	Region   string
	Attempts int
	// Cancelled is true when the caller's context ended the request (its
	// timeout, or Terraform stopping), rather than the request itself.
	Cancelled bool
	Err       error
	text      string // Err's message, cleaned
}

func (e *RequestError) Error() string {
	text := e.text
	if text == "" {
		text = e.Err.Error()
	}
	s := fmt.Sprintf("%s %s: %s", e.Method, e.Path, text)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *RequestError) Unwrap() error { return e.Err }

// errorBody is what an error body says.
type errorBody struct {
	code, message, detail, encodedAuth string
}

// parseErrorBody reads the gateway's {"error_code","error_msg",
// "error_detail","encoded_authorization_message"} shape, IMS's
// {"error":{"code","message"}} shape, or falls back to the start of the body.
func parseErrorBody(body []byte) errorBody {
	var flat struct {
		Code        string `json:"error_code"`
		Message     string `json:"error_msg"`
		Detail      string `json:"error_detail"`
		EncodedAuth string `json:"encoded_authorization_message"`
		Nested      *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &flat); err == nil {
		switch {
		case flat.Code != "" || flat.Message != "":
			e := errorBody{code: flat.Code, message: flat.Message, encodedAuth: flat.EncodedAuth}
			if flat.Detail != flat.Message {
				e.detail = flat.Detail
			}
			return e
		case flat.Nested != nil:
			return errorBody{code: flat.Nested.Code, message: flat.Nested.Message}
		}
	}
	return errorBody{message: bodyStart(body, 200)}
}

// bodyStart returns at most n bytes of body as valid UTF-8, white space folded.
func bodyStart(body []byte, n int) string {
	if len(body) > n {
		body = body[:n]
		for len(body) > 0 && !utf8.Valid(body) {
			body = body[:len(body)-1]
		}
	}
	return strings.Join(strings.Fields(string(body)), " ")
}

// cleanText makes text a server supplied safe to show in a terminal and a
// log: invalid UTF-8, control characters (C0 but tab and newline, DEL, C1)
// and the bidirectional overrides that reorder what a reader sees become
// "?", so no escape sequence reaches the terminal; every secret becomes
// "***" (see maskSecret); and the result is cut to at most limit characters.
func cleanText(s string, secrets []string, limit int) string {
	for _, secret := range secrets {
		s = maskSecret(s, secret)
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		n++
		switch {
		case r == utf8.RuneError, r < 0x20 && r != '\t' && r != '\n', r >= 0x7f && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// longSecret is the length from which a secret is masked wherever it
// occurs: a random string that long does not turn up in text by chance.
const longSecret = 8

// maskSecret replaces secret in s by "***". A short secret is replaced only
// where it stands as a whole value, not inside a longer word: a token "T"
// must not turn "HTTP" into "H******P".
func maskSecret(s, secret string) string {
	if secret == "" {
		return s
	}
	if len(secret) >= longSecret {
		return strings.ReplaceAll(s, secret, "***")
	}
	var b strings.Builder
	for {
		i := strings.Index(s, secret)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(secret)
		whole := (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end]))
		b.WriteString(s[:i])
		if whole {
			b.WriteString("***")
		} else {
			b.WriteString(secret)
		}
		s = s[end:]
	}
}

// isWordByte reports the bytes a token is made of.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '+' || c == '/' || c == '=' || c >= 0x80
}
