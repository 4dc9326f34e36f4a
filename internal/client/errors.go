package client

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Answer identifies the HTTP answer an error is about. Its fields are
// cleaned (see cleaner.text).
type Answer struct {
	Method    string
	Path      string
	Status    int
	RequestID string // the X-Request-Id response header
}

// head is the method, path and status, as every error of an answer starts.
func (a Answer) head() string { return fmt.Sprintf("%s %s: HTTP %d", a.Method, a.Path, a.Status) }

// requestIDNote is " (request id …)", or "" when the answer had none.
func (a Answer) requestIDNote() string {
	if a.RequestID == "" {
		return ""
	}
	return " (request id " + a.RequestID + ")"
}

// APIError is a request that failed for good with a non-2xx answer. Every
// text field is cleaned (see cleaner.text): it never holds a control character
// or a configured secret.
type APIError struct {
	Answer
	Code    string // error_code, or error.code of IMS; empty when the body had none
	Message string // error_msg, or error.message; the start of the body when it is not JSON
	Detail  string // error_detail, when the body has one
	// EncodedAuthorizationMessage explains an authorization failure, in
	// the encoded form IAM can decode for an administrator.
	EncodedAuthorizationMessage string
	Attempts                    int // how many attempts were made, retries included
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.head())
	if e.Code != "" {
		fmt.Fprintf(&b, ", error code %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, " (%s)", e.Detail)
	}
	b.WriteString(e.requestIDNote())
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// RedirectError is a 3xx answer. Redirects are never followed: the request's
// credentials would go wherever the server says.
type RedirectError struct {
	Answer
	Location string // the origin (scheme://host) the redirect points to
}

func (e *RedirectError) Error() string {
	return e.head() + " redirects to " + e.Location + ", and redirects are never followed" + e.requestIDNote()
}

// DecodeError is a 2xx answer whose body is not the JSON expected. It is not
// retried: the same request would get the same body.
type DecodeError struct {
	Answer
	BodyStart string
	Err       error // cleaned: safe to show
	cause     error
}

func (e *DecodeError) Error() string {
	s := e.head() + " with a body that is not the expected JSON: " + e.Err.Error() + e.requestIDNote()
	if e.BodyStart != "" {
		s += "; the body starts with " + fmt.Sprintf("%q", e.BodyStart)
	}
	return s
}

func (e *DecodeError) Unwrap() error { return e.cause }

// BodyTooLargeError is a response body over maxBodyBytes after
// decompression. Reading stopped there; it is not retried.
type BodyTooLargeError struct {
	Answer
}

func (e *BodyTooLargeError) Error() string {
	return e.head() + ", but the response exceeded 32 MiB, more than any answer of this API, so reading stopped" + e.requestIDNote()
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
	// Silent is true when the last attempt reached a server, which
	// accepted the connection but sent nothing within RequestTimeout.
	Silent         bool
	RequestTimeout time.Duration
	Err            error
	text           string // Err's message, cleaned
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
	raw                                bool // message is the body itself, not JSON
}

// parseErrorBody reads the gateway's {"error_code","error_msg",
// "error_detail","encoded_authorization_message"} shape, IMS's
// {"error":{"code","message"}} shape, or falls back to the body itself, which
// the caller cleans and cuts.
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
	return errorBody{message: foldSpace(body), raw: true}
}
