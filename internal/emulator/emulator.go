// Package emulator is a local stand-in for the three Huawei Cloud APIs the
// provider calls: IMS image listing, Workspace KooGallery images and the IAM
// project look-up. It verifies SDK-HMAC-SHA256 signatures and tokens the way
// the API gateway does, answers errors in the gateway's shapes with an
// X-Request-Id, records every request for tests, and can inject faults
// (throttling, server errors, dropped connections, latency, broken bodies).
package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Defaults the emulator accepts when Options leaves them empty. They are
// test credentials for a local process, not secrets.
const (
	DefaultRegion    = "cn-north-4"
	DefaultProjectID = "0a1b2c3d4e5f40718293a4b5c6d7e8f9"
	DefaultAccessKey = "EMULATORACCESSKEY000"
	DefaultSecretKey = "emulator-secret-key-0000000000000000000"
	DefaultToken     = "emulator-token"
)

// clockSkew is how far X-Sdk-Date may be from the emulator's clock.
const clockSkew = 15 * time.Minute

// Credential is an AK/SK pair the emulator accepts; with a SecurityToken it
// is a temporary credential and requests must carry and sign that token.
type Credential struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
}

// Options configure a Server. Zero values take the defaults above.
type Options struct {
	// Projects maps region names to project ids of the one account.
	Projects    map[string]string
	Credentials []Credential
	Tokens      []string
	Catalog     *Catalog
	// RegionCatalogs serves another catalog in some regions; the others
	// serve Catalog.
	RegionCatalogs map[string]*Catalog
	// Latency delays every answer.
	Latency time.Duration
	// PageCap, when positive, answers at most this many IMS images a page
	// whatever limit asks for, as a gateway that capped pages would.
	PageCap int
	// Record is how many of the latest requests Requests returns; 0 means
	// DefaultRecord. RecordBytes bounds what they hold (their paths,
	// queries and headers); 0 means DefaultRecordBytes. Older ones are
	// forgotten, so a long-running emulator does not grow, whatever the
	// requests carry.
	Record      int
	RecordBytes int
	// IdleTimeout closes a keep-alive connection idle this long, when
	// served by Start; 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	Now         func() time.Time

	// The identities of the other ways to log in (iam.go); nil refuses
	// that way. New sets none: the command and the tests choose.
	Agency           *Agency
	IdentityProvider *IdentityProvider
	User             *User
	// CredentialTTL, when positive, is how long every temporary key and
	// token issued lasts, whatever duration was asked for.
	CredentialTTL time.Duration
}

// Request is what the emulator recorded of one request it received.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Query    url.Values
	Header   http.Header
	Body     []byte // of a POST, up to 1 MiB
	Status   int    // 0 when no answer was sent (dropped, or the client went away)
}

// Server is an http.Handler; start it with Start or httptest.
type Server struct {
	opts    Options
	catalog *Catalog

	mu       sync.Mutex
	requests []*Request // the latest, in order of arrival
	kept     int        // the bytes requests hold (see Request.size)
	served   int        // every request, forgotten or not
	faults   []*Fault
	issued   map[string]issuedKeys // temporary keys by access key (iam.go)
	subjects map[string]time.Time  // issued tokens and when they expire
	issuedBy map[string]int        // what each flow issued
}

// By default an emulator remembers the latest 10,000 requests, holding at
// most 16 MiB, and closes keep-alive connections idle for 30 seconds.
const (
	DefaultRecord      = 10000
	DefaultRecordBytes = 16 << 20
	DefaultIdleTimeout = 30 * time.Second
)

// New builds a server; it serves DefaultCatalog when opts.Catalog is nil.
func New(opts Options) *Server {
	if len(opts.Projects) == 0 {
		opts.Projects = map[string]string{DefaultRegion: DefaultProjectID}
	}
	if len(opts.Credentials) == 0 && len(opts.Tokens) == 0 {
		opts.Credentials = []Credential{{AccessKey: DefaultAccessKey, SecretKey: DefaultSecretKey}}
		opts.Tokens = []string{DefaultToken}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Record <= 0 {
		opts.Record = DefaultRecord
	}
	if opts.RecordBytes <= 0 {
		opts.RecordBytes = DefaultRecordBytes
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	cat := opts.Catalog
	if cat == nil {
		cat = DefaultCatalog()
	}
	return &Server{opts: opts, catalog: cat, issued: map[string]issuedKeys{}, subjects: map[string]time.Time{}, issuedBy: map[string]int{}}
}

// Start serves on addr (such as 127.0.0.1:0) until ctx ends, and returns the
// base URL.
func (s *Server) Start(ctx context.Context, addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: s.opts.IdleTimeout}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	return "http://" + ln.Addr().String(), nil
}

// Requests returns a copy of the latest requests received (see
// Options.Record), in order of arrival; one not yet answered has Status 0.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, 0, len(s.requests))
	for _, r := range s.requests {
		out = append(out, *r)
	}
	return out
}

// Served counts every request received since the start or the last Reset.
func (s *Server) Served() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

// record keeps a request as it arrives, forgetting the oldest past
// opts.Record requests or opts.RecordBytes (the latest is always kept);
// answered sets its status once it is answered.
func (s *Server) record(r *Request) (answered func(status int)) {
	size := requestSize(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.served++
	s.requests = append(s.requests, r)
	s.kept += size
	drop := 0
	for n := len(s.requests); n-drop > 1 && (n-drop > s.opts.Record || s.kept > s.opts.RecordBytes); drop++ {
		s.kept -= requestSize(s.requests[drop])
	}
	clear(s.requests[:drop]) // so the array no longer holds them
	s.requests = s.requests[drop:]
	return func(status int) {
		s.mu.Lock()
		defer s.mu.Unlock()
		r.Status = status
	}
}

// requestSize is about what a recorded request holds: its path, its query
// twice (raw and parsed) and its headers.
func requestSize(r *Request) int {
	n := 64 + len(r.Method) + len(r.Path) + 2*len(r.RawQuery) + len(r.Body)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 16
		}
	}
	return n
}

// RequestsTo returns the recorded requests whose path ends with suffix.
func (s *Server) RequestsTo(suffix string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets recorded requests and pending faults.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.kept, s.served = nil, 0, 0
	s.faults = nil
}

// Fault changes the answer to matching requests.
type Fault struct {
	// PathSuffix selects requests whose path ends with it; empty selects all.
	PathSuffix string
	// QueryContains further selects requests whose raw query contains it.
	QueryContains string
	// Times is how many matching requests it applies to; 0 means all.
	Times int
	// Delay waits before answering (normally, unless another field is set).
	Delay time.Duration
	// Status with Code and Message answers in the gateway's error shape.
	Status     int
	Code       string
	Message    string
	RetryAfter string
	// Drop closes the connection without an answer.
	Drop bool
	// Body answers 200 with this raw body.
	Body string
}

// Inject adds a fault; faults are tried in the order they were added.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// takeFault returns a copy of the first fault matching r, using it up.
func (s *Server) takeFault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !strings.HasSuffix(r.URL.Path, f.PathSuffix) || !strings.Contains(r.URL.RawQuery, f.QueryContains) {
			continue
		}
		c := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
		}
		return &c
	}
	return nil
}

// recorder captures the status for the request log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	w.Header().Set("X-Request-Id", newRequestID())
	var body []byte
	if r.Method == http.MethodPost {
		body, _ = io.ReadAll(io.LimitReader(r.Body, maxBody))
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	answered := s.record(&Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	defer func() { answered(rec.status) }()

	if s.opts.Latency > 0 && !sleep(r.Context(), s.opts.Latency) {
		rec.status = 0 // the client went away
		return
	}
	if f := s.takeFault(r); f != nil && s.serveFault(rec, r, f) {
		return
	}

	if lr, ok := loginRoutes[r.URL.Path]; ok && lr.method == r.Method {
		lr.serve(s, rec, r)
		return
	}
	if r.Method != http.MethodGet {
		gatewayError(rec, http.StatusMethodNotAllowed, "APIGW.0101", "The API does not exist or has not been published in the environment")
		return
	}
	if !s.authenticate(rec, r) {
		return
	}
	for _, rt := range routes {
		if rt.match(r.URL.Path) {
			rt.serve(s, rec, r)
			return
		}
	}
	gatewayError(rec, http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment")
}

// serveFault answers with a fault; it reports false when the fault was only
// a delay and the request is to be answered normally.
func (s *Server) serveFault(rec *recorder, r *http.Request, f *Fault) bool {
	if f.Delay > 0 && !sleep(r.Context(), f.Delay) {
		rec.status = 0
		return true
	}
	switch {
	case f.Drop:
		rec.status = 0
		if hj, ok := rec.ResponseWriter.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case f.Status != 0:
		if f.RetryAfter != "" {
			rec.Header().Set("Retry-After", f.RetryAfter)
		}
		gatewayError(rec, f.Status, f.Code, f.Message)
		return true
	case f.Body != "":
		rec.Header().Set("Content-Type", "application/json")
		_, _ = rec.Write([]byte(f.Body))
		return true
	}
	return false
}

// authenticate checks the token or the AK/SK signature. It answers 401
// itself and reports false on failure; each API checks the project.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) bool {
	fail := func(msg string) bool {
		gatewayError(w, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: "+msg)
		return false
	}
	if tok := r.Header.Get("X-Auth-Token"); tok != "" {
		if s.tokenValid(tok) {
			return true
		}
		return fail("the token is invalid or has expired")
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return fail("no X-Auth-Token and no Authorization header")
	}
	access, signedHeaders, signature, ok := parseAuthorization(auth)
	if !ok {
		return fail("the Authorization header is not " + signingAlgorithm)
	}
	cred, refused := s.credential(access)
	if cred == nil {
		return fail(refused)
	}
	date := r.Header.Get("X-Sdk-Date")
	t, err := time.Parse(sdkDateLayout, date)
	if err != nil {
		return fail("X-Sdk-Date is missing or malformed")
	}
	if d := s.opts.Now().Sub(t); d > clockSkew || d < -clockSkew {
		return fail("X-Sdk-Date is more than 15 minutes away from the server's clock")
	}
	// As the gateway, which follows Huawei's signing guide: the client
	// chooses what it signs (Huawei's own SDK signs no host), but the date
	// must be signed, so that a signature cannot be replayed later.
	if !slices.Contains(signedHeaders, "x-sdk-date") {
		return fail("SignedHeaders must include x-sdk-date")
	}
	if cred.SecurityToken != "" {
		if r.Header.Get("X-Security-Token") != cred.SecurityToken {
			return fail("the security token is missing or does not match the access key")
		}
		if !slices.Contains(signedHeaders, "x-security-token") {
			return fail("x-security-token must be signed")
		}
	}
	if !hmac.Equal([]byte(expectedSignature(r, signedHeaders, date, cred.SecretKey)), []byte(signature)) {
		return fail("verify aksk signature fail")
	}
	return true
}

// credential is the credential of an access key, configured or issued; nil
// and why when there is none that is valid.
func (s *Server) credential(access string) (*Credential, string) {
	for i := range s.opts.Credentials {
		if s.opts.Credentials[i].AccessKey == access {
			return &s.opts.Credentials[i], ""
		}
	}
	issued, expired := s.issuedCredential(access)
	switch {
	case issued == nil:
		return nil, "the access key is unknown"
	case expired:
		return nil, "the temporary access key has expired"
	}
	return issued, ""
}

func (s *Server) ownsProject(pid string) bool {
	_, ok := s.regionOf(pid)
	return ok
}

// regionOf is the region a project of the account belongs to.
func (s *Server) regionOf(pid string) (string, bool) {
	for region, p := range s.opts.Projects {
		if p == pid {
			return region, true
		}
	}
	return "", false
}

// catalogOf is the catalog served to a project.
func (s *Server) catalogOf(pid string) *Catalog {
	region, _ := s.regionOf(pid)
	if c, ok := s.opts.RegionCatalogs[region]; ok {
		return c
	}
	return s.catalog
}

// route is one API the emulator serves: the paths it answers, and how.
type route struct {
	match func(path string) bool
	serve func(s *Server, w http.ResponseWriter, r *http.Request)
}

// routes are the APIs served: IAM's project look-up (below), IMS's image
// listing (ims.go) and Workspace's KooGallery images (workspace.go).
var routes = []route{
	{match: func(p string) bool { return p == "/v3/projects" }, serve: (*Server).serveProjects},
	{match: func(p string) bool { return p == imsListPath }, serve: (*Server).serveIMS},
	{match: isMarketImagesPath, serve: (*Server).serveMarketImages},
}

func (s *Server) serveProjects(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	projects := []map[string]any{}
	for region, id := range s.opts.Projects {
		if name == "" || name == region {
			projects = append(projects, map[string]any{"id": id, "name": region, "enabled": true, "domain_id": "d0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5"})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"projects": projects, "links": map[string]any{"self": "https://iam.myhuaweicloud.com/v3/projects"}})
}

// gatewayError answers in the API gateway's error shape.
func gatewayError(w http.ResponseWriter, status int, code, msg string) {
	if code == "" {
		code = fmt.Sprintf("APIGW.%04d", status)
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	// The four fields the Workspace document lists for every error status;
	// the gateway is the same for IMS.
	writeJSON(w, status, map[string]string{"error_code": code, "error_msg": msg, "error_detail": msg,
		"encoded_authorization_message": "", "request_id": w.Header().Get("X-Request-Id")})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sleep waits d or until ctx ends; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
