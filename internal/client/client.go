// Package client speaks the Huawei Cloud APIs the provider needs: IMS image
// listing, Workspace KooGallery images and the IAM project look-up. It knows
// nothing of Terraform: it returns plain Go values and typed errors.
//
// The client assumes the endpoint may misbehave or be hostile: it follows no
// redirect, bounds every body, page and listing, and cleans any text the
// server supplies before it reaches an error or a log line.
package client

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
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

// RegionPlaceholder in an endpoint is replaced by the region of each read.
const RegionPlaceholder = "{region}"

// Logger receives one line per HTTP attempt. It must not print to stderr on
// its own; the provider hands in a terraform-plugin-log adapter.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config holds everything the client needs; the provider validates it first.
type Config struct {
	Region    string // the default region; validated by CheckRegion
	ProjectID string // project of Region; looked up through IAM when empty

	// Login is how the client obtains its credentials (see Login).
	Login Login

	// Endpoints maps each service to a base URL such as
	// https://ims.{region}.myhuaweicloud.com; {region} is replaced by the
	// region of each request.
	Endpoints map[Service]string
	// Metadata sends the ECS metadata request (Login.MetadataEndpoint);
	// nil means a client of its own that uses no proxy.
	Metadata *http.Client

	Insecure       bool
	CACertPEM      []byte
	MaxRetries     int
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound the backoff; zero means 1 s and 30 s.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// Resolver resolves endpoint host names; nil means the system's.
	Resolver *net.Resolver

	// Fields names, per service, the fields of a listing's records the
	// caller reads: records keep only those, so what else a server sends
	// costs no memory past its page. A service without an entry keeps every
	// field.
	Fields map[Service][]string

	UserAgent string
	Logger    Logger
	// Now is the clock used for X-Sdk-Date; nil means time.Now.
	Now func() time.Time
}

// Client is safe for concurrent use; the provider makes one per configuration.
type Client struct {
	cfg      Config
	http     *retryablehttp.Client
	metadata *http.Client

	// cleaner masks every secret the client knows: those configured, and
	// those a login received (see learn).
	cleaner   atomic.Pointer[cleaner]
	cleanerMu sync.Mutex
	secrets   []string

	session session

	regionsMu sync.Mutex
	regions   map[string]*Region

	pages pageCache

	// life ends when Close is called: work no single read owns (the
	// project look-up) stops then.
	life  context.Context
	close context.CancelFunc
}

// New builds the client with its one retrying HTTP client.
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
	c := &Client{cfg: cfg, regions: map[string]*Region{}}
	c.session.start(cfg.Login)
	c.learn(cfg.Login.secrets()...)
	c.life, c.close = context.WithCancel(context.Background())
	if _, err := c.Region(cfg.Region); err != nil {
		return nil, err
	}

	transport, err := newTransport(cfg)
	if err != nil {
		return nil, err
	}
	c.http = &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport: &loggingTransport{next: transport, log: cfg.Logger, clean: c.clean},
			Timeout:   cfg.RequestTimeout,
			// Never follow a redirect: it would carry the credentials to
			// whoever the Location names. get reports the 3xx instead.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Logger:       nil, // attempts are logged by loggingTransport, never to stderr
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     max(cfg.MaxRetries, 0),
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		PrepareRetry: c.sign,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	c.metadata = cfg.Metadata
	if c.metadata == nil {
		c.metadata = metadataClient()
	}
	return c, nil
}

// newTransport is the HTTP transport of the API requests: TLS 1.2 or later
// with the configured CAs, HTTP/1.1, the configured resolver.
func newTransport(cfg Config) (*http.Transport, error) {
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
	// HTTP/1.1 only. Go's HTTP/2 transport retries on its own, out of the
	// retry policy's sight: a server that answers every connection with
	// GOAWAY makes it reconnect in a tight loop (thousands of requests
	// with max_retries = 0), and REFUSED_STREAM makes it back off past the
	// 30 s cap. Over HTTP/1.1 every request on the wire is an attempt that
	// max_retries bounds, that is logged and backs off; the one request
	// net/http sends again by itself is a GET whose kept-alive connection
	// the server closed before it was written. A listing gains nothing
	// from multiplexing.
	transport.ForceAttemptHTTP2 = false
	transport.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	transport.MaxIdleConnsPerHost = 8
	if cfg.Resolver != nil {
		dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Resolver: cfg.Resolver}
		transport.DialContext = dialer.DialContext
	}
	return transport, nil
}

// metadataClient sends the ECS metadata request: straight to the
// instance's own link, never through a proxy, following no redirect.
func metadataClient() *http.Client {
	direct := cleanhttp.DefaultTransport()
	direct.Proxy = nil
	return &http.Client{Transport: direct, Timeout: metadataLimit,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Close stops what the client does on its own, the project look-ups, when
// Terraform stops the provider or the provider shuts down. Reads stop with
// their own contexts.
func (c *Client) Close() { c.close() }

// ParseEndpoint accepts an absolute http or https URL with a host and no
// query; a trailing slash is dropped. A {region} placeholder is allowed.
// Its errors show the URL with any user info, query and fragment replaced
// by ***: they hold passwords and tokens.
func ParseEndpoint(raw string) (*url.URL, error) {
	shown := RedactURL(raw)
	u, err := url.Parse(strings.ReplaceAll(raw, RegionPlaceholder, "region"))
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", shown)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q must start with https:// or http://", shown)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q has no host", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.ForceQuery {
		return nil, fmt.Errorf("%q must be a base URL without user info, query or fragment", shown)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// urlSecrets are the parts of a URL text that may hold a secret: user info
// (up to the last "@" before the path), a query and a fragment.
var urlSecrets = regexp.MustCompile(`^([^:/?#]*://)[^/?#]*@|[?#].*$`)

// RedactURL is a URL's text with its user info, query and fragment replaced
// by ***, whether or not it parses.
func RedactURL(raw string) string {
	return urlSecrets.ReplaceAllStringFunc(raw, func(m string) string {
		if m[0] == '?' || m[0] == '#' {
			return m[:1] + "***"
		}
		return m[:strings.Index(m, "://")+3] + "***@"
	})
}

// attemptsKey carries a request's attemptLog through the context.
type attemptsKey struct{}

// attemptLog is what a request's attempts did, for the retry policy and
// the error: how many went on the wire, since when, and whether the last
// one reached a server (a connection was made) before it ran out of time.
type attemptLog struct {
	n         atomic.Int32
	start     time.Time
	timeout   time.Duration // request_timeout
	connected atomic.Bool
}

// credentialsKey carries the credentials a request is signed with through
// its context, to every retry.
type credentialsKey struct{}

// request describes one API call.
type request struct {
	region  *Region
	service Service
	method  string // GET when empty
	path    string // unescaped, below the endpoint's path
	query   url.Values
	body    []byte      // a JSON body (a login's POST)
	header  http.Header // headers of the request beside the usual ones
	project string      // sent as X-Project-Id when set
	list    string      // the member of a listing page that holds its records
	// creds signs the request instead of the client's credentials (a
	// login step); empty ones send it unsigned.
	creds *Credentials
	// answer sees the headers of a 2xx answer.
	answer func(http.Header)
}

// send runs req, retried by the policy, and hands a 2xx body to decode. The
// body is read within the attempt, so a body cut short or too slow is retried
// like a lost connection.
func (c *Client) send(ctx context.Context, req request, decode func(io.Reader) error) error {
	creds := req.creds
	if creds == nil {
		current, err := c.credentials(ctx)
		if err != nil {
			return err
		}
		creds = &current
	}
	u := req.url()
	attempts := &attemptLog{start: time.Now(), timeout: c.cfg.RequestTimeout}
	ctx = context.WithValue(ctx, attemptsKey{}, attempts)
	ctx = context.WithValue(ctx, credentialsKey{}, creds)
	hreq, err := c.newRequest(ctx, req, u)
	if err != nil {
		return err
	}
	hreq.SetResponseHandler(func(resp *http.Response) error {
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return nil
		}
		if req.answer != nil {
			req.answer(resp.Header)
		}
		return c.readBody(resp, decode)
	})

	resp, err := c.http.Do(hreq)
	if resp != nil {
		defer func() { _ = resp.Body.Close() }()
	}
	if err != nil {
		return c.requestFailed(ctx, req, u, attempts, err)
	}
	return c.answerFailed(resp, req.method, u, int(attempts.n.Load()))
}

// url is the request's URL, its query canonical.
func (req request) url() *url.URL {
	base := req.region.endpoints[req.service]
	u := *base
	u.Path = base.Path + req.path
	u.RawPath = ""
	u.RawQuery = CanonicalQuery(req.query)
	return &u
}

// newRequest builds the signed request of req at u.
func (c *Client) newRequest(ctx context.Context, req request, u *url.URL) (*retryablehttp.Request, error) {
	if req.method == "" {
		req.method = http.MethodGet
	}
	var body any
	if req.body != nil {
		body = req.body
	}
	hreq, err := retryablehttp.NewRequestWithContext(ctx, req.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	for k, v := range req.header {
		hreq.Header[k] = v
	}
	hreq.Header.Set("Accept", "application/json")
	if req.body != nil {
		hreq.Header.Set("Content-Type", "application/json;charset=utf8")
	}
	if c.cfg.UserAgent != "" {
		hreq.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if req.project != "" {
		hreq.Header.Set("X-Project-Id", req.project)
	}
	if err := c.sign(hreq.Request); err != nil {
		return nil, err
	}
	return hreq, nil
}

// requestFailed turns an error of the retrying client into the client's
// error types.
func (c *Client) requestFailed(ctx context.Context, req request, u *url.URL, attempts *attemptLog, err error) error {
	var decErr *DecodeError
	var tooLarge *BodyTooLargeError
	method := cmp.Or(req.method, http.MethodGet)
	switch {
	case ctx.Err() != nil:
		err = ctx.Err()
	case errors.As(err, &decErr):
		decErr.Method, decErr.Path = method, u.Path
		return decErr
	case errors.As(err, &tooLarge):
		tooLarge.Method, tooLarge.Path = method, u.Path
		return tooLarge
	default:
		err = unwrapURLError(err)
	}
	base := req.region.endpoints[req.service]
	return &RequestError{Method: method, Path: u.Path, Endpoint: base.Scheme + "://" + base.Host, Region: req.region.name,
		Attempts: int(attempts.n.Load()), Cancelled: ctx.Err() != nil, Err: err, text: c.clean(err.Error()),
		Silent: ctx.Err() == nil && IsTimeout(err) && attempts.connected.Load(), RequestTimeout: c.cfg.RequestTimeout}
}

// answerFailed returns the error of an answer that is not a 2xx, or nil.
func (c *Client) answerFailed(resp *http.Response, method string, u *url.URL, attempts int) error {
	answer := Answer{Method: cmp.Or(method, http.MethodGet), Path: u.Path, Status: resp.StatusCode, RequestID: c.cleanShort(resp.Header.Get("X-Request-Id"))}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		return &RedirectError{Answer: answer, Location: c.cleanShort(locationOrigin(u, resp.Header.Get("Location")))}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		body, _ := io.ReadAll(io.LimitReader(resp.Body, bodyHeadBytes))
		e := parseErrorBody(body)
		message := c.clean(e.message)
		if e.raw {
			message = c.cleanShort(e.message)
		}
		return &APIError{Answer: answer, Code: c.cleanShort(e.code), Message: message, Detail: c.clean(e.detail),
			EncodedAuthorizationMessage: c.clean(e.encodedAuth), Attempts: attempts}
	}
	return nil
}

// readBody decodes a 2xx body of at most maxBodyBytes (after
// decompression). A failure to read the body (cut short, timed out) is
// returned as it is, so the retry policy treats it as a lost connection; a
// body that arrived whole but is not the JSON expected is a *DecodeError.
func (c *Client) readBody(resp *http.Response, decode func(io.Reader) error) error {
	body := &boundedBody{r: resp.Body, left: maxBodyBytes}
	start := &headBuffer{max: bodyHeadBytes}
	err := decode(io.TeeReader(body, start))
	switch {
	case err == nil:
		return nil
	case body.readErr != nil:
		return fmt.Errorf("reading the response body: %w", body.readErr)
	}
	// The method and path are the caller's to fill.
	answer := Answer{Status: resp.StatusCode, RequestID: c.cleanShort(resp.Header.Get("X-Request-Id"))}
	if body.tooLarge {
		return &BodyTooLargeError{Answer: answer}
	}
	return &DecodeError{Answer: answer,
		BodyStart: c.cleanShort(foldSpace(start.buf)), Err: errors.New(c.clean(err.Error())), cause: err}
}

// bodyHeadBytes is how much of a body is read to quote its start in an
// error: far more than is shown, so that secrets are masked in the whole
// text before it is cut.
const bodyHeadBytes = 64 << 10

// maxBodyBytes bounds one response body, after decompression.
const maxBodyBytes = 32 << 20

var errBodyTooLarge = errors.New("the response exceeded 32 MiB")

// boundedBody reads at most left bytes and remembers why reading stopped:
// a transport error, or a body larger than allowed.
type boundedBody struct {
	r        io.Reader
	left     int64
	readErr  error
	tooLarge bool
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			b.tooLarge = true
			return 0, errBodyTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		b.readErr = err
	}
	return n, err
}

// locationOrigin is the scheme and host a redirect points to, resolved
// against the request URL; never its path or query, which may hold tokens.
func locationOrigin(reqURL *url.URL, location string) string {
	if location == "" {
		return "(no Location header)"
	}
	loc, err := reqURL.Parse(location)
	if err != nil || loc.Host == "" {
		return "(an unreadable Location header)"
	}
	return loc.Scheme + "://" + loc.Host
}

// getPage reads a listing page ({"images": [...]}) through the page cache,
// failing when it holds more than maxImages. It reports whether a request
// was sent for it.
func (c *Client) getPage(ctx context.Context, req request, maxImages int) ([]Record, bool, error) {
	key := req.region.name + " " + string(req.service) + " " + req.path + "?" + CanonicalQuery(req.query)
	return c.pages.get(ctx, key, func(ctx context.Context) ([]Record, int, error) {
		var page []Record
		var size int
		err := c.send(ctx, req, func(r io.Reader) error {
			var err error
			page, size, err = decodeList(r, req.list, maxImages, c.cfg.Fields[req.service], c.cleaner.Load())
			return err
		})
		return page, size, err
	})
}

// sign sets the authentication headers of r afresh, with the credentials
// its context carries; it runs before the first attempt and, as
// PrepareRetry, before every retry, so each carries its own X-Sdk-Date.
func (c *Client) sign(r *http.Request) error {
	creds, _ := r.Context().Value(credentialsKey{}).(*Credentials)
	switch {
	case creds == nil:
		return errors.New("a request without credentials to sign it with")
	case creds.AccessKey == "" && creds.Token != "":
		r.Header.Set("X-Auth-Token", creds.Token)
		return nil
	case creds.AccessKey == "":
		return nil // a login step that carries its own proof (a password, an id token)
	}
	date := c.cfg.Now().UTC().Format(sdkDateFormat)
	r.Header.Set("X-Sdk-Date", date)
	headers := map[string]string{"host": r.URL.Host, "x-sdk-date": date}
	if pid := r.Header.Get("X-Project-Id"); pid != "" {
		headers["x-project-id"] = pid
	}
	if creds.SecurityToken != "" {
		r.Header.Set("X-Security-Token", creds.SecurityToken)
		headers["x-security-token"] = creds.SecurityToken
	}
	path, err := url.PathUnescape(r.URL.EscapedPath())
	if err != nil {
		return err
	}
	var body []byte
	if r.GetBody != nil {
		rd, err := r.GetBody()
		if err != nil {
			return err
		}
		if body, err = io.ReadAll(rd); err != nil {
			return err
		}
	}
	r.Header.Set("Authorization", authorization(creds.AccessKey, creds.SecretKey, r.Method, path, r.URL.Query(), headers, body))
	return nil
}

// Clean makes text a server supplied safe to show in a diagnostic, as
// every error of the client is: control characters replaced, the
// configured secrets masked, cut to 1,000 characters.
func (r *Region) Clean(s string) string { return r.c.clean(s) }

// clean makes server-supplied text safe to show (see cleaner.text), cut to
// 1,000 characters.
func (c *Client) clean(s string) string { return c.cleaner.Load().text(s, 1000) }

// cleanShort is clean for one-line values such as a request id, an error
// code or the start of a body, cut to 200 characters.
func (c *Client) cleanShort(s string) string { return c.cleaner.Load().text(s, 200) }

// headBuffer keeps the first max bytes written to it, for error messages.
type headBuffer struct {
	buf []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// loggingTransport logs one line per attempt: method, path, query, status,
// duration and attempt number. Headers are never logged, so neither are
// credentials; what the server supplies (request id, the transport's errors,
// which may quote a malformed status or header line) is cleaned.
type loggingTransport struct {
	next  http.RoundTripper
	log   Logger
	clean func(string) string // for what the server supplies
}

func (t *loggingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	attempt := 0
	if log, ok := r.Context().Value(attemptsKey{}).(*attemptLog); ok {
		attempt = int(log.n.Add(1))
		log.connected.Store(false)
		r = r.WithContext(httptrace.WithClientTrace(r.Context(), &httptrace.ClientTrace{
			GotConn: func(httptrace.GotConnInfo) { log.connected.Store(true) }}))
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if t.log != nil {
		fields := map[string]any{
			"method":      r.Method,
			"host":        r.URL.Host,
			"path":        r.URL.Path,
			"query":       r.URL.RawQuery,
			"attempt":     attempt,
			"duration_ms": time.Since(start).Milliseconds(),
		}
		if err != nil {
			fields["error"] = t.clean(err.Error())
		} else {
			fields["status"] = resp.StatusCode
			fields["request_id"] = t.clean(resp.Header.Get("X-Request-Id"))
		}
		t.log.Debug(r.Context(), "HTTP request", fields)
	}
	return resp, err
}
