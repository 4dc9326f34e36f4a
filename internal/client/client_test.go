package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCanonicalQuery(t *testing.T) {
	q := url.Values{
		"name":       {"Ubuntu 22.04 server 64bit"},
		"created_at": {"gt:2025-01-01T00:00:00Z"},
		"b":          {"2", "10", "1"},
		"tag":        {"env=prod/x~y_z.w-v"},
		"__platform": {"Red Hat+ü"},
	}
	want := "__platform=Red%20Hat%2B%C3%BC&b=1&b=10&b=2&created_at=gt%3A2025-01-01T00%3A00%3A00Z&name=Ubuntu%2022.04%20server%2064bit&tag=env%3Dprod%2Fx~y_z.w-v"
	if got := CanonicalQuery(q); got != want {
		t.Errorf("CanonicalQuery = %s\nwant %s", got, want)
	}
	if got := CanonicalQuery(nil); got != "" {
		t.Errorf("empty query = %q", got)
	}
}

func TestCanonicalURI(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "/",
		"/":                            "/",
		"/v1/cloudimages/fuzzy":        "/v1/cloudimages/fuzzy/",
		"/v2/abc/market-images":        "/v2/abc/market-images/",
		"/a b/ü/x:y":                   "/a%20b/%C3%BC/x%3Ay/",
		"/already/ending/":             "/already/ending/",
		"/prefix/v1/cloudimages/fuzzy": "/prefix/v1/cloudimages/fuzzy/",
	} {
		if got := canonicalURI(in); got != want {
			t.Errorf("canonicalURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// testServer answers with the handlers in turn, the last one repeatedly.
func testServer(t *testing.T, handlers ...http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		handlers[min(i, len(handlers)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// newTestClient returns the configured region of a client of base.
func newTestClient(t *testing.T, base string, mod func(*Config)) *Region {
	t.Helper()
	cfg := Config{
		Region: "cn-north-4", ProjectID: "p1", Login: Login{AccessKey: "AK", SecretKey: "SK"},
		Endpoints:    map[Service]string{IMS: base, Workspace: base, IAM: base},
		MaxRetries:   3,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 20 * time.Millisecond,
		RequestTimeout: 5 * time.Second,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Region("")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func status(code int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

func listImages(c *Region) ([]Record, error) {
	var all []Record
	_, err := c.ListImages(context.Background(), url.Values{}, 500, func(p []Record) bool { all = append(all, p...); return true })
	return all, err
}

func TestRetryPolicy(t *testing.T) {
	ok := status(200, `{"images":[{"id":"a"}]}`)
	cases := []struct {
		name     string
		first    http.HandlerFunc
		attempts int32
		wantErr  string
	}{
		{"429 is retried", status(429, `{"error_code":"APIGW.0308","error_msg":"throttled"}`), 2, ""},
		{"500 is retried", status(500, `{}`), 2, ""},
		{"502 is retried", status(502, `<html>bad gateway</html>`), 2, ""},
		{"503 is retried", status(503, ``), 2, ""},
		{"504 is retried", status(504, ``), 2, ""},
		{"501 is not", status(501, `{"error_code":"X.501","error_msg":"not implemented"}`), 1, "HTTP 501, error code X.501: not implemented"},
		{"400 is not", status(400, `{"error":{"code":"IMG.0001","message":"bad"}}`), 1, "HTTP 400, error code IMG.0001: bad"},
		{"401 is not", status(401, `{"error_code":"APIGW.0301","error_msg":"auth"}`), 1, "HTTP 401"},
		{"403 is not", status(403, `{"error_code":"APIGW.0302","error_msg":"denied"}`), 1, "HTTP 403"},
		{"404 is not", status(404, `not found`), 1, "HTTP 404: not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, n := testServer(t, c.first, ok)
			_, err := listImages(newTestClient(t, srv.URL, nil))
			if got := n.Load(); got != c.attempts {
				t.Errorf("attempts = %d, want %d", got, c.attempts)
			}
			if c.wantErr == "" && err != nil {
				t.Errorf("unexpected error %v", err)
			}
			if c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Errorf("error %v, want %q", err, c.wantErr)
			}
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	srv, n := testServer(t, status(503, `{"error_code":"APIGW.0503","error_msg":"busy"}`, "X-Request-Id", "req-9"))
	_, err := listImages(newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 }))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want *APIError, got %v", err)
	}
	if n.Load() != 3 || apiErr.Attempts != 3 || apiErr.Status != 503 || apiErr.Code != "APIGW.0503" || apiErr.Message != "busy" || apiErr.RequestID != "req-9" {
		t.Errorf("got %+v after %d requests", apiErr, n.Load())
	}
}

func TestMaxRetriesZeroDisablesRetries(t *testing.T) {
	srv, n := testServer(t, status(500, ``))
	_, err := listImages(newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 0 }))
	if err == nil || n.Load() != 1 {
		t.Errorf("err=%v after %d requests", err, n.Load())
	}
}

func TestEachAttemptIsSignedAfresh(t *testing.T) {
	var dates []string
	var mu sync.Mutex
	record := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			dates = append(dates, r.Header.Get("X-Sdk-Date")+" "+r.Header.Get("Authorization"))
			mu.Unlock()
			status(code, `{"images":[]}`)(w, r)
		}
	}
	srv, _ := testServer(t, record(500), record(200))
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var tick atomic.Int64
	c := newTestClient(t, srv.URL, func(c *Config) {
		c.Now = func() time.Time { return clock.Add(time.Duration(tick.Add(1)) * time.Second) }
	})
	if _, err := listImages(c); err != nil {
		t.Fatal(err)
	}
	if len(dates) != 2 || dates[0] == dates[1] {
		t.Errorf("attempts must carry their own date and signature: %q", dates)
	}
	if !strings.HasPrefix(dates[1], "20250101T000002Z SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-project-id;x-sdk-date, Signature=") {
		t.Errorf("second attempt: %q", dates[1])
	}
}

func TestRetryAfterIsHonouredAndCapped(t *testing.T) {
	if d := backoff(time.Second, 30*time.Second, 0, &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"3600"}}}); d != 30*time.Second {
		t.Errorf("Retry-After 3600 gave %s, want the 30s cap", d)
	}
	if d := backoff(time.Second, 30*time.Second, 0, &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"2"}}}); d != 2*time.Second {
		t.Errorf("Retry-After 2 gave %s", d)
	}
	for attempt, lim := range []time.Duration{1200 * time.Millisecond, 2400 * time.Millisecond, 4800 * time.Millisecond} {
		d := backoff(time.Second, 30*time.Second, attempt, nil)
		if d < lim*2/3 || d > lim {
			t.Errorf("attempt %d waits %s, want within [%s, %s]", attempt, d, lim*2/3, lim)
		}
	}
	if d := backoff(time.Second, 30*time.Second, 10, nil); d != 30*time.Second {
		t.Errorf("attempt 10 waits %s, want the cap", d)
	}
}

func TestCancellationEndsBackoffWait(t *testing.T) {
	srv, _ := testServer(t, status(503, ``))
	c := newTestClient(t, srv.URL, func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Minute, time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListImages(ctx, url.Values{}, 500, func([]Record) bool { return true })
	// A minute's backoff: the read must end long before it, at any speed.
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("cancelled read took %s", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want a deadline error, got %v", err)
	}
}

func TestRequestTimeoutBoundsEachAttempt(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}
	srv, n := testServer(t, slow, status(200, `{"images":[]}`))
	c := newTestClient(t, srv.URL, func(c *Config) { c.RequestTimeout = 100 * time.Millisecond })
	if _, err := listImages(c); err != nil {
		t.Fatalf("the retry after a timed-out attempt should succeed: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("attempts = %d", n.Load())
	}
}

// A connection closed by the server is retried; one refused on this
// machine (nothing listens on the port, as when the emulator is not
// running) is not: it does not come back in seconds.
func TestConnectionErrorsAreRetried(t *testing.T) {
	srv, n := testServer(t, func(w http.ResponseWriter, _ *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		_ = conn.Close()
	}, status(200, `{"images":[]}`))
	if _, err := listImages(newTestClient(t, srv.URL, nil)); err != nil || n.Load() != 2 {
		t.Errorf("err=%v attempts=%d", err, n.Load())
	}
	srv.Close()
	_, err := listImages(newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 1 }))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 1 || !IsRefusedOnLoopback(err) {
		t.Errorf("want a RequestError refused on loopback after 1 attempt, got %v", err)
	}
}

func TestParseErrorBody(t *testing.T) {
	cases := []struct {
		body string
		want errorBody
	}{
		{`{"error_code":"APIGW.0308","error_msg":"throttled","error_detail":"try later"}`, errorBody{code: "APIGW.0308", message: "throttled", detail: "try later"}},
		{`{"error_code":"Workspace.0403","error_msg":"denied","error_detail":"denied","encoded_authorization_message":"enc-1"}`, errorBody{code: "Workspace.0403", message: "denied", encodedAuth: "enc-1"}},
		{`{"error":{"code":"IMG.0001","message":"invalid marker"}}`, errorBody{code: "IMG.0001", message: "invalid marker"}},
		{"<html>\n<body>502   Bad Gateway</body></html>", errorBody{message: "<html> <body>502 Bad Gateway</body></html>", raw: true}},
		{`{"unexpected":true}`, errorBody{message: `{"unexpected":true}`, raw: true}},
		{``, errorBody{raw: true}},
	}
	for _, c := range cases {
		if got := parseErrorBody([]byte(c.body)); got != c.want {
			t.Errorf("parseErrorBody(%q) = %+v; want %+v", c.body, got, c.want)
		}
	}
}

func TestBadSuccessBodies(t *testing.T) {
	for name, body := range map[string]string{
		"html":           "<html>login</html>",
		"truncated":      `{"images":[{"id":"a"},{"id":`,
		"not a list":     `{"images":{"id":"a"}}`,
		"no images key":  `{"items":[]}`,
		"null element":   `{"images":[null]}`,
		"scalar element": `{"images":[1]}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv, n := testServer(t, status(200, body, "X-Request-Id", "rid-1"))
			_, err := listImages(newTestClient(t, srv.URL, nil))
			var decErr *DecodeError
			if !errors.As(err, &decErr) || decErr.RequestID != "rid-1" || decErr.Status != 200 || decErr.BodyStart == "" {
				t.Fatalf("want DecodeError with request id, got %v", err)
			}
			if n.Load() != 1 {
				t.Errorf("a bad 200 body must not be retried: %d attempts", n.Load())
			}
		})
	}
}

func TestPagingStopsOnShortPageAndDetectsRepeats(t *testing.T) {
	page := func(ids ...string) string {
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = fmt.Sprintf(`{"id":%q}`, id)
		}
		return `{"images":[` + strings.Join(parts, ",") + `]}`
	}
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		switch r.URL.Query().Get("marker") {
		case "":
			_, _ = io.WriteString(w, page("a", "b"))
		case "b":
			_, _ = io.WriteString(w, page("c", "d"))
		default:
			_, _ = io.WriteString(w, page("e"))
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	var got []string
	n, err := c.ListImages(context.Background(), url.Values{"name": {"x y"}}, 2, func(p []Record) bool {
		for _, r := range p {
			id, _ := r.String("id")
			got = append(got, id)
		}
		return true
	})
	if err != nil || n.Requests != 3 || n.PageCap != 0 || strings.Join(got, "") != "abcde" {
		t.Fatalf("listing=%+v got=%v err=%v", n, got, err)
	}
	want := []string{"limit=2&name=x%20y", "limit=2&marker=b&name=x%20y", "limit=2&marker=d&name=x%20y"}
	if strings.Join(queries, " ") != strings.Join(want, " ") {
		t.Errorf("queries %q, want %q", queries, want)
	}

	repeat, _ := testServer(t, status(200, page("a", "b")))
	_, err = newTestClient(t, repeat.URL, nil).ListImages(context.Background(), nil, 2, func([]Record) bool { return true })
	if err == nil || !strings.Contains(err.Error(), "does not advance") {
		t.Errorf("a repeated page must be an error, got %v", err)
	}
}

func TestRecordTolerantAccessors(t *testing.T) {
	srv, _ := testServer(t, status(200, `{"images":[{"a":"True","b":"FALSE","c":true,"d":"12","e":12.5,"f":"x","g":"","h":null,"i":["p","q"],"j":[],"k":"1e3"}]}`))
	recs, err := listImages(newTestClient(t, srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	r := recs[0]
	if b, ok := r.Bool("a"); !ok || !b {
		t.Error("a")
	}
	if b, ok := r.Bool("b"); !ok || b {
		t.Error("b")
	}
	if b, ok := r.Bool("c"); !ok || !b {
		t.Error("c")
	}
	if _, ok := r.Bool("f"); ok {
		t.Error("f is not a bool")
	}
	if n, ok := r.Number("d"); !ok || n.String() != "12" {
		t.Error("d")
	}
	if n, ok := r.Number("e"); !ok || n.String() != "12.5" {
		t.Error("e")
	}
	if n, ok := r.Number("k"); !ok || n.String() != "1000" {
		t.Error("k")
	}
	for _, k := range []string{"f", "g", "h", "zz"} {
		if _, ok := r.Number(k); ok {
			t.Errorf("%s is not a number", k)
		}
	}
	for _, k := range []string{"g", "h", "zz"} {
		if _, ok := r.String(k); ok {
			t.Errorf("%s must be null", k)
		}
	}
	if l, ok := r.Strings("i"); !ok || strings.Join(l, ",") != "p,q" {
		t.Error("i")
	}
	if l, ok := r.Strings("j"); !ok || len(l) != 0 {
		t.Error("j is an empty, present list")
	}
	if _, ok := r.Strings("f"); ok {
		t.Error("f is not a list")
	}
}

func TestProjectIDLookedUpOnce(t *testing.T) {
	var iam, ims atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/projects" {
			iam.Add(1)
			time.Sleep(20 * time.Millisecond)
			_, _ = fmt.Fprintf(w, `{"projects":[{"id":"other","name":"cn-north-1"},{"id":"pid-4","name":%q}]}`, r.URL.Query().Get("name"))
			return
		}
		ims.Add(1)
		if r.Header.Get("X-Project-Id") != "pid-4" {
			w.WriteHeader(400)
			return
		}
		_, _ = io.WriteString(w, `{"images":[]}`)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, func(c *Config) { c.ProjectID = "" })
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := url.Values{"name": {fmt.Sprint(i)}}
			if _, err := c.ListImages(context.Background(), q, 500, func([]Record) bool { return true }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if iam.Load() != 1 || ims.Load() != 8 {
		t.Errorf("IAM requests = %d (want 1), IMS = %d", iam.Load(), ims.Load())
	}
}

func TestMarketImagesBatchesConcurrently(t *testing.T) {
	var inFlight, peak atomic.Int32
	var sizes sync.Map
	// The first batches wait until four are under way at once, however
	// slowly the machine starts them; later ones do not wait.
	allIn := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		if cur == marketImageConcurrency {
			once.Do(func() { close(allIn) })
		}
		select {
		case <-allIn:
		case <-time.After(time.Minute):
		}
		ids := r.URL.Query()["image_ids"]
		sizes.Store(len(ids), true)
		parts := make([]string, 0, len(ids))
		for _, id := range ids {
			if !strings.HasPrefix(id, "unknown") {
				parts = append(parts, fmt.Sprintf(`{"image_id":%q}`, id))
			}
		}
		_, _ = io.WriteString(w, `{"images":[`+strings.Join(parts, ",")+`]}`)
	}))
	defer srv.Close()
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = fmt.Sprintf("id-%04d", i)
	}
	ids[7] = "unknown-1"
	found, requests, err := newTestClient(t, srv.URL, nil).MarketImages(context.Background(), ids)
	if err != nil || requests != 10 || len(found) != 999 {
		t.Fatalf("requests=%d found=%d err=%v", requests, len(found), err)
	}
	if _, ok := found["unknown-1"]; ok {
		t.Error("unknown id found")
	}
	if peak.Load() != marketImageConcurrency {
		t.Errorf("peak concurrency %d, want %d", peak.Load(), marketImageConcurrency)
	}
	if _, ok := sizes.Load(100); !ok {
		t.Error("batches must hold 100 ids")
	}
}

func TestMarketImagesFirstFailureCancelsTheRest(t *testing.T) {
	var n atomic.Int32
	failed := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("X-Request-Id", "rid-fail")
			w.WriteHeader(403)
			_, _ = io.WriteString(w, `{"error_code":"Workspace.0403","error_msg":"denied"}`)
			close(failed)
			return
		}
		// The other batches are answered only after the failure, however
		// the machine schedules them: by then they must have been cancelled.
		select {
		case <-failed:
		case <-r.Context().Done():
			return
		}
		<-r.Context().Done()
	}))
	defer srv.Close()
	ids := make([]string, 950)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	found, _, err := newTestClient(t, srv.URL, nil).MarketImages(context.Background(), ids)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.RequestID != "rid-fail" || found != nil {
		t.Fatalf("want the 403 and no partial result, got %v, %d found", err, len(found))
	}
	if n.Load() >= 10 {
		t.Errorf("the failure should stop batches not yet started: %d requests", n.Load())
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	base := func() Config {
		return Config{Region: "r", Login: Login{AccessKey: "a", SecretKey: "s"}, Endpoints: map[Service]string{IMS: "https://x", Workspace: "https://x", IAM: "https://x"}}
	}
	for name, mod := range map[string]func(*Config){
		"bad region":       func(c *Config) { c.Region = "cn-north-4.attacker.example/" },
		"bad endpoint":     func(c *Config) { c.Endpoints[IMS] = "ftp://x" },
		"missing endpoint": func(c *Config) { delete(c.Endpoints, IAM) },
		"bad CA":           func(c *Config) { c.CACertPEM = []byte("nope") },
	} {
		cfg := base()
		mod(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestIdenticalListingsShareRequests(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		time.Sleep(30 * time.Millisecond)
		_, _ = fmt.Fprintf(w, `{"images":[{"id":%q}]}`, r.URL.Query().Get("name"))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	var wg sync.WaitGroup
	var sent atomic.Int32
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprint(i % 10)
			requests, err := c.ListImages(context.Background(), url.Values{"name": {name}}, 500, func(p []Record) bool {
				if id, _ := p[0].String("id"); id != name {
					t.Errorf("query %s got image %s", name, id)
				}
				return true
			})
			if err != nil {
				t.Error(err)
			}
			sent.Add(int32(requests.Requests))
		}()
	}
	wg.Wait()
	if n.Load() != 10 || sent.Load() != 10 {
		t.Errorf("30 listings of 10 queries sent %d requests (counted %d), want 10", n.Load(), sent.Load())
	}
	// Later identical listings come from the cache.
	if l, _ := c.ListImages(context.Background(), url.Values{"name": {"3"}}, 500, func([]Record) bool { return true }); l.Requests != 0 || n.Load() != 10 {
		t.Errorf("a cached listing sent %d requests", l.Requests)
	}
}

func TestFailuresAreNotCached(t *testing.T) {
	srv, n := testServer(t, status(400, `{"error_code":"X","error_msg":"no"}`), status(200, `{"images":[]}`))
	c := newTestClient(t, srv.URL, nil)
	if _, err := listImages(c); err == nil {
		t.Fatal("first listing should fail")
	}
	if _, err := listImages(c); err != nil || n.Load() != 2 {
		t.Errorf("the second listing must be sent again: err=%v requests=%d", err, n.Load())
	}
}

func TestCancelledLeaderDoesNotFailFollowers(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		_, _ = io.WriteString(w, `{"images":[]}`)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	waiting := make(chan struct{}, 1)
	c.c.pages.onWait = func() { waiting <- struct{}{} }
	leaderCtx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	go func() {
		_, err := c.ListImages(leaderCtx, nil, 500, func([]Record) bool { return true })
		errs <- err
	}()
	for n.Load() == 0 {
		time.Sleep(time.Millisecond) // until the leader's request is under way
	}
	go func() {
		_, err := c.ListImages(context.Background(), nil, 500, func([]Record) bool { return true })
		errs <- err
	}()
	<-waiting // the follower waits for the leader's request: only now is there a leader to cancel under it
	cancel()
	first, second := <-errs, <-errs
	if (first == nil) == (second == nil) {
		t.Errorf("want the cancelled listing to fail and the other to succeed: %v, %v", first, second)
	}
}

// An endpoint's user info, query and fragment never reach an error: they
// hold passwords and tokens.
func TestParseEndpointHidesSecrets(t *testing.T) {
	for raw, shown := range map[string]string{
		"https://admin:s3cret-pass@ims.example.com/":             `"https://***@ims.example.com/"`,
		"https://ims.example.com/?token=tok-SECRET":              `"https://ims.example.com/?***"`,
		"https://ims.example.com/#tok-SECRET":                    `"https://ims.example.com/#***"`,
		"https://user:p@ss@w%rd@ims.example.com/v1?x=tok-SECRET": `"https://***@ims.example.com/v1?***"`,
		"ftp://admin:s3cret-pass@host/":                          `"ftp://***@host/"`,
		"https://admin:s3cret pass\x7f@host/":                    `"https://***@host/"`,
	} {
		_, err := ParseEndpoint(raw)
		if err == nil || !strings.Contains(err.Error(), shown) || strings.Contains(err.Error(), "SECRET") ||
			strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "ss@w") {
			t.Errorf("ParseEndpoint(%q) = %v, want an error showing %s", raw, err, shown)
		}
	}
}
