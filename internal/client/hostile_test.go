package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/unknownhosts"
)

func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		_, _ = w.Write([]byte(`{"images":[{"id":"evil"}]}`))
	}))
	defer other.Close()
	for _, code := range []int{301, 302, 307, 308} {
		srv, n := testServer(t, status(code, "", "Location", other.URL+"/v1/cloudimages/fuzzy?token=x"))
		_, err := listImages(newTestClient(t, srv.URL, nil))
		var re *RedirectError
		if !errors.As(err, &re) || re.Status != code || re.Location != other.URL {
			t.Errorf("%d: error %v, want a redirect to %s", code, err, other.URL)
		}
		if n.Load() != 1 {
			t.Errorf("%d: %d attempts, want 1", code, n.Load())
		}
	}
	if elsewhere.Load() != 0 {
		t.Errorf("the redirect target got %d requests", elsewhere.Load())
	}
}

func TestRetryAfterOnlyLengthensTheWait(t *testing.T) {
	now := time.Now()
	for _, v := range []string{"9223372037", "99999999999999999999999", "0", "-5", "garbage",
		now.Add(-time.Hour).UTC().Format(http.TimeFormat), now.Add(time.Hour).UTC().Format(http.TimeFormat)} {
		for attempt := 0; attempt < 3; attempt++ {
			d := backoff(time.Second, 30*time.Second, attempt, &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {v}}})
			floor := time.Duration(float64(time.Second) * float64(int(1)<<attempt) * 0.8)
			if d < floor || d > 30*time.Second {
				t.Errorf("Retry-After %q, attempt %d: waits %s, want within [%s, 30s]", v, attempt, d, floor)
			}
		}
	}
}

func TestBodyCutShortIsRetried(t *testing.T) {
	cut := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte(`{"images":[{"id":"a"`))
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
	srv, n := testServer(t, cut, status(200, `{"images":[{"id":"a"}]}`))
	recs, err := listImages(newTestClient(t, srv.URL, nil))
	if err != nil || len(recs) != 1 || n.Load() != 2 {
		t.Fatalf("recs %d, err %v, attempts %d; want 1 image after 2 attempts", len(recs), err, n.Load())
	}
	srv, _ = testServer(t, cut)
	_, err = listImages(newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 1 }))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 2 || !strings.Contains(err.Error(), "reading the response body: unexpected EOF") {
		t.Errorf("error %v, want the body read error after 2 attempts", err)
	}
}

func TestBodyReadTimeoutIsRetried(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte(`{"images":[`))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	srv, n := testServer(t, slow, status(200, `{"images":[]}`))
	_, err := listImages(newTestClient(t, srv.URL, func(c *Config) { c.RequestTimeout = 200 * time.Millisecond }))
	if err != nil || n.Load() != 2 {
		t.Errorf("err %v after %d attempts; want success on the second", err, n.Load())
	}
}

func TestBodiesAreBounded(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"images":[{"id":"a","name":"`))
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for i := 0; i < 40; i++ {
		_, _ = zw.Write(chunk)
	}
	_, _ = zw.Write([]byte(`"}]}`))
	_ = zw.Close()
	bomb := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gz.Bytes())
	}
	endless := func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"images":[{"id":"a","name":"`))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	for name, h := range map[string]http.HandlerFunc{"gzip bomb": bomb, "endless string": endless} {
		srv, n := testServer(t, h)
		// No request timeout: on a busy machine, reading 32 MiB under the
		// race detector may take longer than any timeout a test would set,
		// and a timed-out attempt is retried. What is asserted is that a
		// body too large is not.
		_, err := listImages(newTestClient(t, srv.URL, func(c *Config) { c.RequestTimeout = 0 }))
		var tooLarge *BodyTooLargeError
		if !errors.As(err, &tooLarge) || !strings.Contains(err.Error(), "exceeded 32 MiB") || n.Load() != 1 {
			t.Errorf("%s: error %v after %d attempts; want one that says the body exceeded 32 MiB, after 1", name, err, n.Load())
		}
	}
}

func TestPageLongerThanAskedIsAnError(t *testing.T) {
	srv, _ := testServer(t, status(200, `{"images":[{"id":"a"},{"id":"b"},{"id":"c"}]}`))
	_, err := newTestClient(t, srv.URL, nil).ListImages(context.Background(), nil, 2, func([]Record) bool { return true })
	if err == nil || !strings.Contains(err.Error(), `"images" holds more than the 2 elements asked for`) {
		t.Errorf("error %v", err)
	}
}

// endlessListing answers every page with pageSize images never seen before.
func endlessListing(pageSize int) http.HandlerFunc {
	var page atomic.Int64
	return func(w http.ResponseWriter, _ *http.Request) {
		p := page.Add(1)
		var b strings.Builder
		b.WriteString(`{"images":[`)
		for i := 0; i < pageSize; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"p%d-%d","created_at":"2025-01-01T00:00:00Z","name":"%s"}`, p, i, "n")
		}
		b.WriteString(`]}`)
		_, _ = w.Write([]byte(b.String()))
	}
}

func TestListingsAreBounded(t *testing.T) {
	srv, n := testServer(t, endlessListing(500))
	r := newTestClient(t, srv.URL, nil)
	r.c.pages.budget = 1 << 20
	kept := 0
	_, err := r.ListImages(context.Background(), nil, 500, func(p []Record) bool { kept++; return true })
	// The request after the 200th page may only say that the listing ended.
	if err == nil || !strings.Contains(err.Error(), "IMS listed more than 200 pages (100000 images)") || n.Load() != 201 {
		t.Fatalf("error %v after %d requests; want the 200-page bound", err, n.Load())
	}
	// The page cache keeps no more than its budget of a listing that long.
	if got := r.c.pages.bytes; got > r.c.pages.budget {
		t.Errorf("the page cache holds %d bytes, over its budget of %d", got, r.c.pages.budget)
	}
	if len(r.c.pages.pages) >= 200 {
		t.Errorf("the page cache kept all %d pages", len(r.c.pages.pages))
	}
}

func TestNumbersAreBounded(t *testing.T) {
	for raw, want := range map[string]string{
		`1e10000000`: "", `-1e400`: "", `1e-400`: "", `"1e999"`: "", `"Inf"`: "", `"NaN"`: "", `"0x10"`: "", `"1_000"`: "",
		`"` + strings.Repeat("9", 65) + `"`: "", strings.Repeat("1", 64): "1.1111111111111111111e+63",
		`42`: "42", `"2048"`: "2048", `1.5e3`: "1500", `-0.25`: "-0.25",
	} {
		n, ok := Value(raw).Number()
		got := ""
		if ok {
			got = n.Text('g', 20)
		}
		if got != want {
			t.Errorf("Number(%s) = %q, want %q", raw, got, want)
		}
	}
}

func TestServerTextIsCleaned(t *testing.T) {
	secrets := []string{"sk-SECRET", "tok-SECRET"}
	for in, want := range map[string]string{
		"denied for sk-SECRET and tok-SECRET": "denied for *** and ***",
		"\x1b]0;title\x07\x1b[1A\x1b[2Kfake":  "?]0;title??[1A?[2Kfake",
		"line one\r\nApply complete!\ttab":    "line one?\nApply complete!\ttab",
		"c1 \u009b and \u202e bidi \x7f":      "c1 ? and ? bidi ?",
		"bad utf8 \xff\xfe":                   "bad utf8 ??",
	} {
		if got := newCleaner(secrets...).text(in, 1000); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
	if got := newCleaner("T").text("HTTP request to T, then T-1 and 'T'", 1000); got != "HTTP request to ***, then T-1 and '***'" {
		t.Errorf("a one-letter secret: %q", got)
	}
	if got := newCleaner().text(strings.Repeat("é", 1500), 1000); len([]rune(got)) != 1001 {
		t.Errorf("cut to %d characters, want 1000 and an ellipsis", len([]rune(got)))
	}
	// The client cleans an error body the server echoes secrets into.
	srv, _ := testServer(t, status(400, `{"error_code":"X.1\u001b[31m","error_msg":"you sent sk-SECRET","error_detail":"and tok-SECRET"}`))
	_, err := listImages(newTestClient(t, srv.URL, func(c *Config) { c.Login.SecretKey = "sk-SECRET"; c.Login.Token = "tok-SECRET" }))
	if err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "\x1b") {
		t.Errorf("error %q shows a secret or an escape", err)
	}
}

func TestInvalidRequestsAreNotRetried(t *testing.T) {
	srv, n := testServer(t, status(200, `{"images":[]}`))
	c := newTestClient(t, srv.URL, func(c *Config) { c.ProjectID = "p\r\nX-Evil: 1" })
	_, err := c.ListImages(context.Background(), nil, 500, func([]Record) bool { return true })
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts > 1 || n.Load() != 0 {
		t.Errorf("error %v, %d requests; want one failed attempt and no request", err, n.Load())
	}
}

func TestUnknownHostIsNotRetried(t *testing.T) {
	dns, err := unknownhosts.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = dns.Close() }()
	c, err := New(Config{Region: "cn-nort-4", Login: Login{AccessKey: "AK", SecretKey: "SK"}, MaxRetries: 5, RequestTimeout: time.Second,
		RetryWaitMin: 100 * time.Millisecond, RetryWaitMax: time.Second, Resolver: dns.Resolver(),
		Endpoints: map[Service]string{IMS: "https://ims.{region}.example.invalid", Workspace: "https://w.example.invalid", IAM: "https://iam.{region}.example.invalid"}})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.Region("")
	_, err = r.ProjectID(context.Background())
	var lookupErr *ProjectLookupError
	if !errors.As(err, &lookupErr) || !IsUnknownHost(err) || lookupErr.Region != "cn-nort-4" || lookupErr.Endpoint != "https://iam.cn-nort-4.example.invalid" {
		t.Fatalf("error %v, want an unknown host naming the region and the IAM endpoint", err)
	}
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 1 {
		t.Errorf("an unknown host took %d attempts; want 1", reqErr.Attempts)
	}
}

func TestProjectLookupOncePerRegionFailureShared(t *testing.T) {
	var iam atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		iam.Add(1)
		<-release
		w.WriteHeader(500)
	}))
	defer srv.Close()
	defer close(release)
	c, err := New(Config{Region: "r1", Login: Login{AccessKey: "AK", SecretKey: "SK"}, MaxRetries: 0, RequestTimeout: 10 * time.Second,
		Endpoints: map[Service]string{IMS: srv.URL, Workspace: srv.URL, IAM: srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.Region("")
	// A read with a short timeout stops waiting while the look-up goes on.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	// The look-up hangs until released: the read must not wait for it.
	if _, err := r.ProjectID(ctx); err == nil || time.Since(start) > 30*time.Second {
		t.Fatalf("a 100ms read waited %v (error %v)", time.Since(start), err)
	}
	release <- struct{}{}
	_, err1 := r.ProjectID(context.Background())
	_, err2 := r.ProjectID(context.Background())
	other, _ := c.Region("r2")
	go func() { release <- struct{}{} }()
	_, err3 := other.ProjectID(context.Background())
	if err1 == nil || err2 == nil || err3 == nil || iam.Load() != 2 {
		t.Errorf("errors %v, %v, %v with %d look-ups; want every one to fail, one look-up per region", err1, err2, err3, iam.Load())
	}
	var apiErr *APIError
	if !errors.As(err2, &apiErr) || apiErr.Status != 500 || !strings.Contains(err2.Error(), `region "r1"`) {
		t.Errorf("the remembered failure is %v", err2)
	}
}

func TestRegionsHaveTheirOwnEndpointsAndPages(t *testing.T) {
	var hosts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hosts = append(hosts, r.URL.Path+" "+r.Header.Get("X-Project-Id"))
		if r.URL.Path == "/iam/v3/projects" {
			_, _ = fmt.Fprintf(w, `{"projects":[{"id":"pid-%s","name":%q}]}`, r.URL.Query().Get("name"), r.URL.Query().Get("name"))
			return
		}
		_, _ = w.Write([]byte(`{"images":[]}`))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	c, err := New(Config{Region: "r1", ProjectID: "own", Login: Login{AccessKey: "AK", SecretKey: "SK"}, RequestTimeout: time.Second,
		Endpoints: map[Service]string{IMS: "http://" + u.Host + "/ims/{region}", Workspace: srv.URL, IAM: srv.URL + "/iam"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "r2", "r1", "r2"} {
		r, err := c.Region(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.ListImages(context.Background(), url.Values{"name": {"x"}}, 500, func([]Record) bool { return true }); err != nil {
			t.Fatal(err)
		}
	}
	want := "[/ims/r1/v1/cloudimages/fuzzy own /iam/v3/projects  /ims/r2/v1/cloudimages/fuzzy pid-r2]"
	if fmt.Sprint(hosts) != want {
		t.Errorf("requests %v\nwant %s", hosts, want)
	}
	if _, err := c.Region("r1.attacker.example/"); err == nil {
		t.Error("a region that is not a DNS label was accepted")
	}
}

// No run of 12 or more characters of a secret is shown, whatever part of it
// the server echoes, and the Authorization header is never shown.
func TestSecretRunsAreMasked(t *testing.T) {
	token := strings.Repeat("MIIHxQYJKoZIhvcNAQcCoIIHtjCCB7ICAQExDTALBglghkgBZQMEAgEw", 20) // 1,140 characters
	ak := "HPUAKEYEXAMPLE00001"
	c := newCleaner(token, ak)
	for in, want := range map[string]string{
		"malformed MIME header line: X-Auth-Token: " + token:      "malformed MIME header line: X-Auth-Token: ***",
		"first half " + token[:600] + " then text":                "first half *** then text",
		"a run of 12 " + token[100:112] + "; of 11 " + token[:11]: "a run of 12 ***; of 11 " + token[:11],
		token[5:40] + token[7:30]:                                 "***",
		"key " + ak + " used":                                     "key *** used",
		"Authorization: SDK-HMAC-SHA256 Access=X, SignedHeaders=host;x-sdk-date, Signature=" + strings.Repeat("ab12", 16) + "\nnext": "Authorization: SDK-HMAC-SHA256***\nnext",
		`{"sig":"Signature=` + strings.Repeat("0f", 32) + `"}`:                                                                       `{"sig":"Signature=***"}`,
	} {
		if got := c.text(in, 1000); got != want {
			t.Errorf("text(%.60q…) = %.200q, want %q", in, got, want)
		}
	}
	// Masked before it is cut: a cut never leaves part of a secret behind.
	if got := c.text(strings.Repeat("x", 990)+token, 1000); strings.Contains(got, token[:12]) || !strings.HasSuffix(got, "***") {
		t.Errorf("a secret at the cut: %q", got[980:])
	}
}

// Records keep only the fields the client reads; a field sent twice keeps
// its last value, as encoding/json does.
func TestRecordsKeepOnlyTheFieldsRead(t *testing.T) {
	junk := strings.Repeat("j", 60<<10)
	body := `{"images":[{"id":"a","junk":"` + junk + `","n\u0061me":"first","id":"b"},{"other":1}]}`
	recs, size, err := decodeList(strings.NewReader(body), listKey, -1, []string{"id", "name", "status"}, nil)
	if err != nil || len(recs) != 2 {
		t.Fatalf("decodeList: %d records, %v", len(recs), err)
	}
	id, _ := recs[0].String("id")
	name, _ := recs[0].String("name")
	if id != "b" || name != "first" || recs[0].Value("junk") != nil || recs[0].Value("status") != nil || recs[1].Value("id") != nil {
		t.Errorf("records: id %q, name %q, junk kept %v", id, name, recs[0].Value("junk") != nil)
	}
	if size > 1000 {
		t.Errorf("the records hold %d bytes; the 60 KB field is not read and must not be kept", size)
	}
}

// Deep nesting in an element or beside the list is an error, not a stack
// overflow or quadratic work; a number's text is bounded (TestNumbersAreBounded)
// and so is the body (TestBodiesAreBounded).
func TestDeepNestingIsAnError(t *testing.T) {
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	for name, body := range map[string]string{
		"in an element":   `{"images":[{"id":"a","tags":` + deep + `}]}`,
		"beside the list": `{"other":` + deep + `,"images":[]}`,
	} {
		if _, _, err := decodeList(strings.NewReader(body), listKey, -1, nil, nil); err == nil || !strings.Contains(err.Error(), "exceeded max depth") {
			t.Errorf("%s: error %v, want one about the nesting depth", name, err)
		}
	}
}

// h2Server is a TLS server that offers HTTP/2 and misbehaves on it as a
// draining load balancer does: GOAWAY (last stream 0) on every connection,
// or REFUSED_STREAM for every request. A client on HTTP/1.1 gets those
// frames as an answer it cannot read. It counts the requests that reach it
// over either protocol.
func h2Server(t *testing.T, refuseStreams bool) (string, *atomic.Int32) {
	t.Helper()
	var requests atomic.Int32
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.StartTLS()
	t.Cleanup(srv.Close)
	cfg := srv.TLS.Clone()
	cfg.NextProtos = []string{"h2", "http/1.1"}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	frame := func(typ, flags byte, stream uint32, payload []byte) []byte {
		f := []byte{byte(len(payload) >> 16), byte(len(payload) >> 8), byte(len(payload)), typ, flags,
			byte(stream >> 24), byte(stream >> 16), byte(stream >> 8), byte(stream)}
		return append(f, payload...)
	}
	settings, goAway := frame(0x4, 0, 0, nil), frame(0x7, 0, 0, make([]byte, 8))
	serve := func(conn *tls.Conn) {
		defer func() { _ = conn.Close() }()
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		if err := conn.Handshake(); err != nil {
			return
		}
		if conn.ConnectionState().NegotiatedProtocol != "h2" {
			// HTTP/1.1: read the request, answer with HTTP/2 frames.
			buf := make([]byte, 4096)
			if n, _ := conn.Read(buf); n > 0 {
				requests.Add(1)
			}
			_, _ = conn.Write(append(settings, goAway...))
			return
		}
		preface := make([]byte, 24)
		if _, err := io.ReadFull(conn, preface); err != nil {
			return
		}
		if _, err := conn.Write(settings); err != nil || !refuseStreams {
			requests.Add(1) // the request the client sends on this connection
			_, _ = conn.Write(goAway)
			return
		}
		header := make([]byte, 9)
		for {
			if _, err := io.ReadFull(conn, header); err != nil {
				return
			}
			payload := make([]byte, int(header[0])<<16|int(header[1])<<8|int(header[2]))
			if _, err := io.ReadFull(conn, payload); err != nil {
				return
			}
			stream := binary.BigEndian.Uint32(header[5:9]) & 0x7fffffff
			switch header[3] {
			case 0x4: // SETTINGS: acknowledge the client's
				if header[4]&1 == 0 {
					_, _ = conn.Write(frame(0x4, 1, 0, nil))
				}
			case 0x1: // HEADERS: a request, refused
				requests.Add(1)
				_, _ = conn.Write(frame(0x3, 0, stream, []byte{0, 0, 0, 0x7}))
			}
		}
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(conn.(*tls.Conn))
		}
	}()
	return "https://" + ln.Addr().String(), &requests
}

// A server that answers every connection with GOAWAY, or refuses every
// stream, gets no more requests than max_retries allows: every request on
// the wire is an attempt of the retry policy.
func TestHTTP2MisbehaviourBoundedByMaxRetries(t *testing.T) {
	for _, refuse := range []bool{false, true} {
		t.Run(fmt.Sprintf("refuse streams %v", refuse), func(t *testing.T) {
			base, requests := h2Server(t, refuse)
			r := newTestClient(t, base, func(c *Config) {
				c.Insecure = true
				c.MaxRetries = 1
				c.RequestTimeout = 3 * time.Second
			})
			_, err := listImages(r)
			var reqErr *RequestError
			if !errors.As(err, &reqErr) || reqErr.Attempts != 2 {
				t.Fatalf("listing = %v, want a request error after 2 attempts", err)
			}
			if got := requests.Load(); got > 2 {
				t.Errorf("%d requests reached the server, want at most max_retries + 1 = 2", got)
			}
			if !IsHTTP2Answer(err) {
				t.Errorf("the error does not say the server answered with HTTP/2 frames: %v", err)
			}
			if strings.Contains(err.Error(), "Timeout") || strings.Contains(err.Error(), "deadline") {
				t.Errorf("the error blames a timeout, though the server answered every time: %v", err)
			}
		})
	}
}

// A server that accepts connections and never answers: the error says so,
// with request_timeout; each attempt is one on the wire; and attempts that
// wait for the whole request_timeout stop after two minutes, so the
// defaults (60 s, 5 retries) fail a read after one attempt, not six.
func TestSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	var accepted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			t.Cleanup(func() { _ = conn.Close() })
		}
	}()
	r := newTestClient(t, "http://"+ln.Addr().String(), func(c *Config) { c.MaxRetries = 2; c.RequestTimeout = 200 * time.Millisecond })
	_, err = listImages(r)
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !reqErr.Silent || reqErr.Attempts != 3 || reqErr.RequestTimeout != 200*time.Millisecond {
		t.Fatalf("listing = %#v, want a silent request error after 3 attempts", err)
	}
	if got := accepted.Load(); got != 3 {
		t.Errorf("%d connections for 3 attempts", got)
	}
	for _, c := range []struct {
		elapsed, timeout time.Duration
		retry            bool
	}{
		{60 * time.Second, 60 * time.Second, false}, // the defaults: one silent attempt
		{30 * time.Second, 30 * time.Second, true},
		{91 * time.Second, 30 * time.Second, false},
		{10 * time.Second, 10 * time.Second, true},
		{2 * time.Minute, 2 * time.Minute, false},
	} {
		if got := retryTimeout(c.elapsed, c.timeout); got != c.retry {
			t.Errorf("retryTimeout(%s, %s) = %v, want %v", c.elapsed, c.timeout, got, c.retry)
		}
	}
}

// An image id longer than any IMS id is refused, named cut, so that what a
// listing remembers of its ids stays bounded; one of 256 bytes is read.
func TestListingRefusesLongIDs(t *testing.T) {
	for n, ok := range map[int]bool{256: true, 257: false, 60 << 10: false} {
		id := strings.Repeat("i", n)
		srv, _ := testServer(t, status(200, `{"images":[{"id":"`+id+`","name":"x"}]}`))
		recs, err := listImages(newTestClient(t, srv.URL, nil))
		switch {
		case ok && (err != nil || len(recs) != 1):
			t.Errorf("an id of %d bytes: %d images, %v", n, len(recs), err)
		case !ok && (err == nil || !strings.Contains(err.Error(), fmt.Sprintf("an image id of %d bytes", n)) || len(err.Error()) > 300):
			t.Errorf("an id of %d bytes: %v", n, err)
		}
	}
}
