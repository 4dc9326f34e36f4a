package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500 && status != http.StatusNotImplemented
}

// IsCertificateError reports whether err is a failure to verify the
// endpoint's TLS certificate.
func IsCertificateError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalid)
}

// IsUnknownHost reports whether err is DNS saying the host does not exist.
func IsUnknownHost(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// IsRefusedOnLoopback reports a connection refused by this machine: nothing
// listens on that port of a loopback address, such as an emulator that is
// not running. Unlike a remote host, it does not come back in seconds.
func IsRefusedOnLoopback(err error) bool {
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Op != "dial" || !errors.Is(err, syscall.ECONNREFUSED) {
		return false
	}
	addr, ok := opErr.Addr.(*net.TCPAddr)
	return ok && addr.IP.IsLoopback()
}

// silentBudget bounds the time a request spends on attempts that get no
// answer: a server that accepts connections and never answers fails a read
// within it, whatever max_retries allows. With the defaults (request_timeout
// 60 s) the first silent attempt is the last.
const silentBudget = 2 * time.Minute

// retryTimeout reports whether an attempt that ran out of time may be
// followed by another that could also run for the whole timeout.
func retryTimeout(elapsed, timeout time.Duration) bool {
	return elapsed+timeout < silentBudget
}

// IsTimeout reports a network timeout, such as request_timeout running out.
func IsTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// IsHTTP2Answer reports an answer made of HTTP/2 frames to a request made
// over HTTP/1.1: a server (a draining load balancer, say) that sent GOAWAY
// or refused the stream. Frames start with a length, so the "status line"
// starts with zero bytes.
func IsHTTP2Answer(err error) bool {
	return strings.Contains(err.Error(), `malformed HTTP response "\x00`)
}

// checkRetry retries 429, 5xx but 501, and connection errors (refused,
// reset, timed out, a body cut short), a timed-out attempt only within
// silentBudget. It never retries a cancelled context,
// a certificate problem, an unknown host, a connection refused on loopback,
// a request the transport refuses to send (a bad header value, an
// unsupported scheme), a body that arrived whole but is not the JSON
// expected, or one that is too large: the same request would fail the same
// way.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		var decErr *DecodeError
		var tooLarge *BodyTooLargeError
		var urlErr *url.Error
		switch {
		case errors.As(err, &decErr), errors.As(err, &tooLarge):
			return false, nil
		case IsCertificateError(err), IsUnknownHost(err), IsRefusedOnLoopback(err):
			return false, nil
		case errors.As(err, &urlErr) && invalidRequest(urlErr.Err):
			return false, nil
		}
		if log, ok := ctx.Value(attemptsKey{}).(*attemptLog); ok && IsTimeout(err) {
			return retryTimeout(time.Since(log.start), log.timeout), nil
		}
		return true, nil
	}
	return retryableStatus(resp.StatusCode), nil
}

// invalidRequest reports the errors net/http returns, without a type of
// their own, for a request it will not send. go-retryablehttp's own default
// policy recognises them by the same words.
func invalidRequest(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "invalid header") || strings.Contains(msg, "unsupported protocol scheme")
}

// backoff waits min·2^n with ±20 % jitter, capped at max. A Retry-After
// header (seconds or an HTTP date) lengthens the wait, never shortens it,
// and is capped at max too, whatever its value.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	d := float64(minWait) * math.Pow(2, float64(attempt))
	d *= 0.8 + 0.4*rand.Float64() //nolint:gosec // jitter needs no cryptographic randomness
	wait := maxWait
	if d < float64(maxWait) {
		wait = time.Duration(d)
	}
	if resp != nil {
		if ra, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now(), maxWait); ok {
			wait = max(wait, ra)
		}
	}
	return min(wait, maxWait)
}

// retryAfter reads a Retry-After header as seconds or an HTTP date, capped
// at limit; it reports false for a value it cannot read.
func retryAfter(v string, now time.Time, limit time.Duration) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case s <= 0:
			return 0, true
		case s >= int64(limit/time.Second):
			return limit, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), limit), true
	}
	return 0, false
}

func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}
