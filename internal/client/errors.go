package client

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// APIError is a request that failed for good with a non-2xx answer.
type APIError struct {
	Method    string
	Path      string
	Status    int
	Code      string // error_code, or error.code of IMS; empty when the body had none
	Message   string // error_msg, or error.message; the start of the body when it is not JSON
	RequestID string // the X-Request-Id response header
	Attempts  int    // how many attempts were made, retries included
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
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// DecodeError is a 2xx answer whose body is not the JSON expected. It is not
// retried: the same request would get the same body.
type DecodeError struct {
	Method    string
	Path      string
	Status    int
	RequestID string
	BodyStart string
	Err       error
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

func (e *DecodeError) Unwrap() error { return e.Err }

// RequestError is a request that got no HTTP answer (connection refused or
// reset, TLS failure, timeout) after every attempt allowed.
type RequestError struct {
	Method   string
	Path     string
	Attempts int
	Err      error
}

func (e *RequestError) Error() string {
	s := fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *RequestError) Unwrap() error { return e.Err }

// parseErrorBody reads the gateway's {"error_code","error_msg"} shape, IMS's
// {"error":{"code","message"}} shape, or falls back to the start of the body.
func parseErrorBody(body []byte) (code, message string) {
	var flat struct {
		Code    string `json:"error_code"`
		Message string `json:"error_msg"`
		Detail  string `json:"error_detail"`
		Nested  *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &flat); err == nil {
		switch {
		case flat.Code != "" || flat.Message != "":
			message = flat.Message
			if flat.Detail != "" && flat.Detail != flat.Message {
				message = strings.TrimSpace(message + " " + flat.Detail)
			}
			return flat.Code, message
		case flat.Nested != nil:
			return flat.Nested.Code, flat.Nested.Message
		}
	}
	return "", bodyStart(body, 200)
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
