// Package client speaks the Huawei Cloud APIs the provider needs: IMS image
// listing, Workspace KooGallery images and the IAM project look-up. It knows
// nothing of Terraform: it returns plain Go values and typed errors.
package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Service names the API a request goes to; each has its own endpoint.
type Service string

const (
	IMS       Service = "ims"
	Workspace Service = "workspace"
	IAM       Service = "iam"
)

// Services lists every service with an endpoint, in a stable order.
var Services = []Service{IMS, Workspace, IAM}

// Logger receives one line per HTTP attempt. It must not print to stderr on
// its own; the provider hands in a terraform-plugin-log adapter.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config holds everything the client needs; the provider validates it first.
type Config struct {
	Region    string
	ProjectID string // looked up through IAM when empty

	AccessKey     string
	SecretKey     string
	SecurityToken string
	Token         string

	// Endpoints maps each service to a base URL such as https://ims.cn-north-4.myhuaweicloud.com.
	Endpoints map[Service]string

	Insecure       bool
	CACertPEM      []byte
	MaxRetries     int
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound the backoff; zero means 1 s and 30 s.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration

	UserAgent string
	Logger    Logger
	// Now is the clock used for X-Sdk-Date; nil means time.Now.
	Now func() time.Time
}

// Client is safe for concurrent use; the provider makes one per configuration.
type Client struct {
	cfg       Config
	endpoints map[Service]*url.URL
	http      *retryablehttp.Client

	projectMu sync.Mutex
	projectID string

	pages pageCache
}

// New validates cfg and builds the client with its one retrying HTTP client.
func New(cfg Config) (*Client, error) {
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = time.Second
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxRetries < 0 {
		return nil, errors.New("max_retries must not be negative")
	}
	if (cfg.AccessKey == "") != (cfg.SecretKey == "") {
		return nil, errors.New("access_key and secret_key go together")
	}
	if cfg.AccessKey == "" && cfg.Token == "" {
		return nil, errors.New("no credentials: set access_key and secret_key, or token")
	}
	c := &Client{cfg: cfg, endpoints: map[Service]*url.URL{}, projectID: cfg.ProjectID}
	for _, s := range Services {
		raw, ok := cfg.Endpoints[s]
		if !ok {
			return nil, fmt.Errorf("no endpoint for %s", s)
		}
		u, err := ParseEndpoint(raw)
		if err != nil {
			return nil, fmt.Errorf("endpoint %s: %w", s, err)
		}
		c.endpoints[s] = u
	}

	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.Insecure} //nolint:gosec // insecure is the user's explicit choice, warned about by the provider
	if len(cfg.CACertPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(cfg.CACertPEM) {
			return nil, errors.New("the CA bundle holds no PEM certificate")
		}
		tlsConfig.RootCAs = pool
	}
	transport := cleanhttp.DefaultPooledTransport()
	transport.TLSClientConfig = tlsConfig
	transport.MaxIdleConnsPerHost = 8

	c.http = &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: &loggingTransport{next: transport, log: cfg.Logger}, Timeout: cfg.RequestTimeout},
		Logger:       nil, // attempts are logged by loggingTransport, never to stderr
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		PrepareRetry: c.sign,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return c, nil
}

// ParseEndpoint accepts an absolute http or https URL with a host and no
// query; a trailing slash is dropped.
func ParseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q must start with https:// or http://", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%q must be a base URL without query, fragment or user info", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// attemptsKey carries a per-request attempt counter through the context.
type attemptsKey struct{}

// request describes one API call.
type request struct {
	service Service
	path    string // unescaped, below the endpoint's path
	query   url.Values
	project bool // send X-Project-Id
}

// get runs req, retried by the policy, and hands a 2xx body to decode.
func (c *Client) get(ctx context.Context, req request, decode func(io.Reader) error) error {
	base := c.endpoints[req.service]
	u := *base
	u.Path = base.Path + req.path
	u.RawPath = ""
	u.RawQuery = CanonicalQuery(req.query)

	var attempts atomic.Int32
	ctx = context.WithValue(ctx, attemptsKey{}, &attempts)
	hreq, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	hreq.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		hreq.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if req.project {
		pid, err := c.ProjectID(ctx)
		if err != nil {
			return err
		}
		hreq.Header.Set("X-Project-Id", pid)
	}
	if err := c.sign(hreq.Request); err != nil {
		return err
	}

	resp, err := c.http.Do(hreq)
	n := int(attempts.Load())
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return &RequestError{Method: http.MethodGet, Path: u.Path, Attempts: n, Err: ctxErr}
		}
		return &RequestError{Method: http.MethodGet, Path: u.Path, Attempts: n, Err: unwrapURLError(err)}
	}
	defer func() { _ = resp.Body.Close() }()
	requestID := resp.Header.Get("X-Request-Id")

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		code, msg := parseErrorBody(body)
		return &APIError{Method: http.MethodGet, Path: u.Path, Status: resp.StatusCode, Code: code, Message: msg, RequestID: requestID, Attempts: n}
	}
	start := &headBuffer{max: 200}
	if err := decode(io.TeeReader(resp.Body, start)); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return &RequestError{Method: http.MethodGet, Path: u.Path, Attempts: n, Err: ctxErr}
		}
		return &DecodeError{Method: http.MethodGet, Path: u.Path, Status: resp.StatusCode, RequestID: requestID, BodyStart: bodyStart(start.buf.Bytes(), 200), Err: err}
	}
	return nil
}

// getPage reads a listing page ({"images": [...]}) through the page cache.
// It reports whether a request was sent for it.
func (c *Client) getPage(ctx context.Context, req request) ([]Record, bool, error) {
	key := string(req.service) + " " + req.path + "?" + CanonicalQuery(req.query)
	return c.pages.get(ctx, key, func(ctx context.Context) ([]Record, error) {
		var page []Record
		err := c.get(ctx, req, func(r io.Reader) error {
			var err error
			page, err = DecodeImages(r)
			return err
		})
		return page, err
	})
}

// sign sets the authentication headers of r afresh; it runs before the first
// attempt and, as PrepareRetry, before every retry, so each carries its own
// X-Sdk-Date.
func (c *Client) sign(r *http.Request) error {
	if c.cfg.AccessKey == "" {
		r.Header.Set("X-Auth-Token", c.cfg.Token)
		return nil
	}
	date := c.cfg.Now().UTC().Format(SdkDateFormat)
	r.Header.Set("X-Sdk-Date", date)
	headers := map[string]string{"host": r.URL.Host, "x-sdk-date": date}
	if pid := r.Header.Get("X-Project-Id"); pid != "" {
		headers["x-project-id"] = pid
	}
	if c.cfg.SecurityToken != "" {
		r.Header.Set("X-Security-Token", c.cfg.SecurityToken)
		headers["x-security-token"] = c.cfg.SecurityToken
	}
	path, err := url.PathUnescape(r.URL.EscapedPath())
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", Authorization(c.cfg.AccessKey, c.cfg.SecretKey, r.Method, path, r.URL.Query(), headers, nil))
	return nil
}

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

// checkRetry retries 429, 5xx but 501, and connection errors; never a
// cancelled context, a certificate problem or a malformed URL.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		if IsCertificateError(err) {
			return false, err
		}
		var urlErr *url.Error
		if errors.As(err, &urlErr) && strings.Contains(urlErr.Error(), "unsupported protocol scheme") {
			return false, err
		}
		return true, nil
	}
	return retryableStatus(resp.StatusCode), nil
}

// backoff waits min·2^n with ±20 % jitter, capped at max; a Retry-After
// header (seconds or an HTTP date) replaces it but is capped at max too.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, maxWait)
		}
	}
	d := float64(minWait) * math.Pow(2, float64(attempt))
	d *= 0.8 + 0.4*rand.Float64() //nolint:gosec // jitter needs no cryptographic randomness
	if d > float64(maxWait) {
		return maxWait
	}
	return time.Duration(d)
}

func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
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

// headBuffer keeps the first max bytes written to it, for error messages.
type headBuffer struct {
	buf bytes.Buffer
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - h.buf.Len(); room > 0 {
		h.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// loggingTransport logs one line per attempt: method, path, query, status,
// duration and attempt number. Headers are never logged, so neither are
// credentials.
type loggingTransport struct {
	next http.RoundTripper
	log  Logger
}

func (t *loggingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	attempt := 0
	if n, ok := r.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
		attempt = int(n.Add(1))
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if t.log != nil {
		fields := map[string]any{
			"method":      r.Method,
			"path":        r.URL.Path,
			"query":       r.URL.RawQuery,
			"attempt":     attempt,
			"duration_ms": time.Since(start).Milliseconds(),
		}
		if err != nil {
			fields["error"] = err.Error()
		} else {
			fields["status"] = resp.StatusCode
			fields["request_id"] = resp.Header.Get("X-Request-Id")
		}
		t.log.Debug(r.Context(), "HTTP request", fields)
	}
	return resp, err
}
