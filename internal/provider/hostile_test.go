package provider

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// hostileServer is an endpoint that misbehaves on purpose. It records the
// path, headers and arrival time of every request it gets.
type hostileServer struct {
	url string
	mu  sync.Mutex
	got []hostileRequest
}

type hostileRequest struct {
	path   string
	header http.Header
	at     time.Time
}

func newHostileServer(t *testing.T, handler http.HandlerFunc) *hostileServer {
	t.Helper()
	providertest.RequireCLI(t)
	h := &hostileServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.got = append(h.got, hostileRequest{path: r.URL.Path, header: r.Header.Clone(), at: time.Now()})
		h.mu.Unlock()
		w.Header().Set("X-Request-Id", "hostile-1")
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

func (h *hostileServer) requests() []hostileRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hostileRequest(nil), h.got...)
}

// env is a testEnv of the hostile server, for its provider factories.
func (h *hostileServer) env() *testEnv { return &testEnv{&providertest.Emulator{URL: h.url}} }

const (
	hostileToken         = "tok-HOSTILE-1b2c3d4e5f60718293a4"
	hostileSecurityToken = "st-HOSTILE-9f8e7d6c5b4a39281706"
)

// provider is a block whose every endpoint is the hostile server, with a
// token and a fixed project, so the first request is the data source's own.
func (h *hostileServer) provider() string {
	return fmt.Sprintf(`
provider "hwc" {
  region     = "cn-north-4"
  project_id = "p1"
  token      = %q
  endpoints  = { ims = %q, workspace = %q, iam = %q }
}
`, hostileToken, h.url, h.url, h.url)
}

// firstThen answers the first request with first, every later one with rest.
func firstThen(first, rest http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		isFirst := n == 1
		mu.Unlock()
		if isFirst {
			first(w, r)
			return
		}
		rest(w, r)
	}
}

func body(s string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(s)) }
}

// 1. A redirect is an error naming its status and target; the target never
// gets a request, so no credential reaches it.
func TestHostile_redirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	attacker := newHostileServer(t, body(`{"images":[{"id":"evil"}]}`))
	for _, code := range []int{302, 307} {
		h := newHostileServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, attacker.url+r.URL.Path+"?"+r.URL.RawQuery, code)
		})
		providertest.Run(t, resource.TestCase{
			ProtoV6ProviderFactories: h.env().factories(),
			Steps: []resource.TestStep{{
				Config: h.provider() + `data "hwc_ims_images" "x" {}`,
				ExpectError: providertest.ErrorRE(fmt.Sprintf("HTTP %d redirects to %s, and redirects are never followed .* The provider never follows one",
					code, attacker.url)),
			}},
		})
		if n := len(h.requests()); n != 1 {
			t.Errorf("%d: %d requests to the endpoint, want 1", code, n)
		}
	}
	if n := len(attacker.requests()); n != 0 {
		t.Errorf("the redirect target got %d requests, with headers %v", n, attacker.requests()[0].header)
	}
}

// 2. A number of huge magnitude or length is null, at once.
func TestHostile_hugeNumbersAreNull(t *testing.T) {
	t.Parallel()
	h := newHostileServer(t, body(`{"images":[{"id":"a","size":1e10000000,"min_ram":"`+strings.Repeat("7", 70)+`","min_disk":1e-400,"max_ram":2048}]}`))
	img := tfjsonpath.New("images").AtSliceIndex(0)
	start := time.Now()
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config: h.provider() + `data "hwc_ims_images" "x" {
  timeouts {
    read = "5s"
  }
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", img.AtMapKey("size"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", img.AtMapKey("min_ram"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", img.AtMapKey("min_disk"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", img.AtMapKey("max_ram"), knownvalue.Int64Exact(2048)),
			},
		}},
	})
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("the plan took %s", d)
	}
}

// 3. Bodies are bounded: after decompression, and in images per page.
func TestHostile_bodiesAreBounded(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"images":[{"id":"a","name":"`))
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for i := 0; i < 64; i++ {
		_, _ = zw.Write(chunk)
	}
	_, _ = zw.Write([]byte(`"}]}`))
	_ = zw.Close()
	cases := []struct {
		name    string
		handler http.HandlerFunc
		ds      string
		want    string
	}{
		{"gzip bomb", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz.Bytes())
		}, `data "hwc_ims_images" "x" {}`, `the response exceeded 32 MiB`},
		{"endless string", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"images":[{"id":"a","name":"`))
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, `data "hwc_ims_images" "x" {}`, `the response exceeded 32 MiB`},
		{"page longer than the limit sent", body(`{"images":[{"id":"a"},{"id":"b"},{"id":"c"}]}`),
			`data "hwc_ims_images" "x" { limit = 2 }`, `"images" holds more than the 2 elements asked for`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHostileServer(t, c.handler)
			providertest.Run(t, resource.TestCase{
				ProtoV6ProviderFactories: h.env().factories(),
				Steps:                    []resource.TestStep{{Config: h.provider() + c.ds, ExpectError: providertest.ErrorRE(c.want)}},
			})
			if n := len(h.requests()); n != 1 {
				t.Errorf("%d requests, want 1: a body too large is not retried", n)
			}
		})
	}
}

// 4. A server that never ends a listing gets 200 pages, and one more that
// may only say the listing ended, then an error; a listing of exactly
// 100,000 images (200 full pages) reads.
func TestHostile_listingsAreBounded(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		ds    string
		pages int // full pages the server has; 0 for no end
	}{
		{`data "hwc_ims_images" "x" { name_regex = "^none$" }`, 0},
		{`data "hwc_ims_image" "x" { most_recent = true }`, 0},
		{`data "hwc_ims_image" "x" { most_recent = true }`, 200},
	} {
		h := newHostileServer(t, func(w http.ResponseWriter, r *http.Request) {
			p := 1 // the page after the marker's, so that every read sees the same listing
			if m := r.URL.Query().Get("marker"); m != "" {
				_, _ = fmt.Sscanf(m, "p%d-", &p)
				p++
			}
			var b strings.Builder
			b.WriteString(`{"images":[`)
			for i := 0; i < 500 && (c.pages == 0 || p <= c.pages); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"id":"p%d-%03d","name":"n","created_at":"2025-01-01T00:00:00Z"}`, p, i)
			}
			b.WriteString(`]}`)
			_, _ = w.Write([]byte(b.String()))
		})
		step := resource.TestStep{Config: h.provider() + c.ds}
		if c.pages == 0 {
			step.ExpectError = providertest.ErrorRE(`IMS listed more than 200 pages (100000 images) and was still going`)
		}
		providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: h.env().factories(), Steps: []resource.TestStep{step}})
		if n := len(h.requests()); n != 201 && !providertest.FullMode() {
			t.Errorf("%s (%d pages): %d requests, want 201", c.ds, c.pages, n)
		}
	}
}

// 5. An IAM endpoint that does not answer costs one look-up for the whole
// plan, and a read with a short timeout stops waiting for it.
func TestHostile_unreachableIAMIsLookedUpOnce(t *testing.T) {
	t.Parallel()
	stall := func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/v3/projects") {
			select {
			case <-r.Context().Done():
			case <-time.After(4 * time.Second):
			}
			return
		}
		_, _ = w.Write([]byte(`{"images":[]}`))
	}
	h := newHostileServer(t, stall)
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `provider "hwc" {
  region          = "cn-north-4"
  token           = %q
  request_timeout = "1s"
  max_retries     = 1
  endpoints       = { ims = %q, workspace = %q, iam = %q }
}
`, hostileToken, h.url, h.url, h.url)
	for i := 0; i < 11; i++ {
		fmt.Fprintf(&cfg, "data \"hwc_ims_images\" \"x%d\" { name = \"n%d\" }\n", i, i)
	}
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config:      cfg.String(),
			ExpectError: providertest.ErrorRE(`Unable to Look Up the Project .* GET /v3/projects: .* (after 2 attempts) The server at ` + h.url + ` accepted the connection but sent nothing within request_timeout (1s), on 2 attempts. .* To fail faster, lower request_timeout (HW_REQUEST_TIMEOUT) or max_retries (HW_MAX_RETRIES): .* looking up the project of region "cn-north-4" through IAM at ` + h.url),
		}},
	})
	if n := len(h.requests()); n != 2 {
		t.Errorf("%d IAM requests for 11 data sources, want 2 (one look-up of 2 attempts)", n)
	}

	// The read's own timeout ends its wait for a look-up that hangs.
	h = newHostileServer(t, stall)
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config: strings.Replace(cfg.String()[:strings.Index(cfg.String(), "data ")], `"1s"`, `"30s"`, 1) + `data "hwc_ims_images" "x" {
  timeouts {
    read = "1s"
  }
}`,
			ExpectError: providertest.ErrorRE(`stopped waiting for the look-up: context deadline exceeded`),
		}},
	})

}

// 5. A region that does not exist fails at once, naming region and endpoint.
func TestHostile_unknownHostIsNotRetried(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `provider "hwc" {
  region = "cn-nort-4"
  token  = "t"
}
data "hwc_ims_images" "x" {}
data "hwc_ims_images" "y" { name = "y" }`,
			ExpectError: providertest.ErrorRE(`no such host .* The host of the endpoint https://iam.cn-nort-4.myhuaweicloud.com does not exist (region "cn-nort-4")`),
		}},
	})
}

// 6. Retry-After never shortens the backoff, and a body cut short is
// retried like a lost connection.
func TestHostile_retryPolicy(t *testing.T) {
	t.Parallel()
	for _, retryAfter := range []string{"9223372037", "0", "Mon, 01 Jan 2001 00:00:00 GMT"} {
		h := newHostileServer(t, firstThen(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", retryAfter)
			w.WriteHeader(http.StatusTooManyRequests)
		}, body(`{"images":[]}`)))
		providertest.Run(t, resource.TestCase{
			ProtoV6ProviderFactories: h.env().factories(),
			Steps:                    []resource.TestStep{{Config: h.provider() + `data "hwc_ims_images" "x" {}`}},
		})
		// The tests' backoff starts at 5 ms, ±20 %.
		if got := h.requests(); len(got) < 2 || got[1].at.Sub(got[0].at) < 4*time.Millisecond {
			t.Errorf("Retry-After %q: the retry came too soon after the first request, or never: %v", retryAfter, got)
		}
	}

	h := newHostileServer(t, firstThen(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "1000")
		_, _ = w.Write([]byte(`{"images":[{"id":"cut`))
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	}, body(`{"images":[{"id":"whole"}]}`)))
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config: h.provider() + `data "hwc_ims_images" "x" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("whole")})),
			},
		}},
	})
}

// 7 and 8. Text the server supplies reaches the plan output without the
// secrets it echoes and without terminal control sequences.
func TestHostile_serverTextIsCleaned(t *testing.T) {
	t.Parallel()
	echo := func(status int, contentType string, format string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			secret := r.Header.Get("X-Auth-Token") + r.Header.Get("X-Security-Token")
			_, _ = fmt.Fprintf(w, format, secret, secret)
		}
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"JSON 400 echoing the token", echo(400, "application/json", `{"error_code":"X.400","error_msg":"token %s is bad","error_detail":"security token %s"}`),
			`Message: token *** is bad Detail: security token ***`},
		{"HTML 400 echoing the token", echo(400, "text/html", `<html>token %s, security token %s</html>`), `<html>token ***, security token ***</html>`},
		{"non-JSON 200 echoing the token", echo(200, "text/plain", `hello %s and %s`), `the body starts with "hello *** and ***"`},
		{"escape sequences", body("\x1b]0;pwned\x07\x1b[1A\x1b[2K\rApply complete! Resources: 0 added"), `"?]0;pwned??[1A?[2K Apply complete!`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHostileServer(t, c.handler)
			expectCleanError(t, h, strings.Replace(h.provider(), "  token      = \""+hostileToken+"\"",
				"  access_key = \"AK\"\n  secret_key = \"SK\"\n  security_token = \""+hostileSecurityToken+"\"", 1), c.want)
		})
	}
	// A token echoed back the same way.
	h := newHostileServer(t, echo(400, "application/json", `{"error_code":"X.400","error_msg":"token %s %s"}`))
	expectCleanError(t, h, h.provider(), `Message: token *** ***`)
}

// expectCleanError plans one listing with provider and expects an error
// that matches want and holds neither secret nor control character.
func expectCleanError(t *testing.T, h *hostileServer, provider, want string) {
	t.Helper()
	re := providertest.ErrorRE(want)
	failed := false
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps:                    []resource.TestStep{{Config: provider + `data "hwc_ims_images" "x" {}`}},
		ErrorCheck: func(err error) error {
			failed = true
			text := err.Error()
			if strings.Contains(text, hostileSecurityToken) || strings.Contains(text, hostileToken) || strings.ContainsAny(text, "\x1b\x07\r") {
				return fmt.Errorf("the diagnostic shows a secret or a control character: %q", text)
			}
			if !re.MatchString(text) {
				return fmt.Errorf("the diagnostic does not match %s: %s", re, text)
			}
			return nil
		},
	})
	if !failed {
		t.Error("the plan succeeded; want an error")
	}
}

// 9. Settings that would change the host or path a request goes to are
// rejected before any request.
func TestHostile_injectionThroughSettings(t *testing.T) {
	t.Parallel()
	h := newHostileServer(t, body(`{"images":[]}`))
	base := func(settings string) string {
		return fmt.Sprintf("provider \"hwc\" {\n%s\ntoken = \"t\"\nendpoints = { ims = %q, workspace = %q, iam = %q }\n}\n", settings, h.url, h.url, h.url)
	}
	ds := `data "hwc_workspace_market_images" "x" { image_ids = ["a"] }`
	cases := []struct{ config, want string }{
		{base("region = \"cn-north-4\"\nproject_id = \"../../v3/projects\""), `Invalid Project ID .* project_id (HW_PROJECT_ID): "../../v3/projects" is not a project ID`},
		{base("region = \"cn-north-4\"\nproject_id = \"p1\\r\\nX-Evil: 1\""), `Invalid Project ID`},
		{base(`region = "cn-north-4.attacker.example/"`), `Invalid Region .* region (HW_REGION_NAME): "cn-north-4.attacker.example/" is not a region name`},
		{base("region = \"cn-north-4\"\ncloud = \"attacker.example/x?\""), `Invalid Cloud .* cloud (HW_CLOUD): "attacker.example/x?" is not a domain name`},
		{base(`region = "cn-north-4"`) + "data \"hwc_ims_images\" \"y\" { region = \"x.attacker.example\" }\n", `Invalid Region .* region: "x.attacker.example" is not a region name`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.config + ds, ExpectError: providertest.ErrorRE(c.want)})
	}
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: h.env().factories(), Steps: steps})
	if n := len(h.requests()); n != 0 {
		t.Errorf("%d requests reached the endpoint, first %s", n, h.requests()[0].path)
	}
}

// 10. The provider block wins over the environment, credentials as a
// whole; an empty string in the block counts as unset; one mistake is one
// error.
func TestHostile_credentialPrecedence(t *testing.T) {
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(2)}})
	endpoints := fmt.Sprintf("endpoints = { ims = %q, workspace = %q, iam = %q }", env.URL, env.URL, env.URL)
	ds := `data "hwc_ims_images" "x" {}`
	ok := resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "2")

	t.Setenv("HW_AUTH_TOKEN", "an-expired-token")
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
		Config: env.ProviderBlock() + ds, Check: ok,
	}}})

	t.Setenv("HW_AUTH_TOKEN", "")
	t.Setenv("HW_ACCESS_KEY", emulator.DefaultAccessKey)
	t.Setenv("HW_SECRET_KEY", emulator.DefaultSecretKey)
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
		Config: "provider \"hwc\" {\nregion = \"cn-north-4\"\naccess_key = \"\"\n" + endpoints + "\n}\n" + ds, Check: ok,
	}}})

	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
		Config:      "provider \"hwc\" {\nregion = \"cn-north-4\"\naccess_key = \"AK\"\n" + endpoints + "\n}\n" + ds,
		ExpectError: providertest.ErrorRE(`Missing Secret Key .* access_key is set, so secret_key is required too (the provider block sets credentials, so those of the environment`),
	}}})

	t.Setenv("HW_MAX_RETRIES", "-1")
	failed := false
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: env.ProviderBlock() + ds}},
		ErrorCheck: func(err error) error {
			failed = true
			if n := strings.Count(err.Error(), "Error: "); n != 1 || !strings.Contains(err.Error(), `max_retries (HW_MAX_RETRIES) is "-1"`) {
				return fmt.Errorf("want exactly one error about HW_MAX_RETRIES, got %d: %w", n, err)
			}
			return nil
		},
	})
	if !failed {
		t.Error("HW_MAX_RETRIES=-1 was accepted")
	}
}

// rawServer answers every request on a loopback listener with the bytes
// respond writes, HTTP or not, then closes the connection.
func rawServer(t *testing.T, respond func(w io.Writer, r *http.Request)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = conn.Close() }()
				if r, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
					respond(conn, r)
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// secretRun returns a run of 12 characters of one of the secrets that text
// holds, or "".
func secretRun(text string, secrets ...string) string {
	for _, s := range secrets {
		for i := 0; i+12 <= len(s); i++ {
			if strings.Contains(text, s[i:i+12]) {
				return s[i : i+12]
			}
		}
	}
	return ""
}

// Whatever a server reflects of the credentials it received — into a
// malformed header or status line that Go's HTTP stack quotes in its error,
// a long text page, a 200 body that is not JSON, or an error message that
// quotes the Authorization header — no run of 12 characters of a secret or
// of the access key reaches a diagnostic or the DEBUG log.
func TestHostile_reflectedCredentialsAreMasked(t *testing.T) {
	providertest.RequireCLI(t)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "DEBUG")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	token := strings.Repeat("MIIEXAMPLEtokenOfIAM+/0123456789", 38)[:1204]
	securityToken := strings.Repeat("gQpjbi1ub3J0aC00gQp7ImFjY2Vzcy", 9)[:256]
	const accessKey, secretKey = "HPUAREFLECTED0000001", "sk-REFLECTED-5e6f708192a3b4c5d6e7"
	secrets := []string{token, securityToken, accessKey, secretKey}
	received := func(r *http.Request) string {
		return r.Header.Get("X-Auth-Token") + r.Header.Get("X-Security-Token") + " " + r.Header.Get("Authorization")
	}
	cases := []struct {
		name    string
		respond func(w io.Writer, r *http.Request)
		want    string
	}{
		{"malformed header line", func(w io.Writer, r *http.Request) {
			_, _ = fmt.Fprintf(w, "HTTP/1.1 200 OK\r\nX-Echo %s\r\n\r\n", received(r))
		}, `malformed MIME header`},
		{"malformed status code", func(w io.Writer, r *http.Request) {
			_, _ = fmt.Fprintf(w, "HTTP/1.1 %s OK\r\n\r\n", received(r))
		}, `malformed HTTP status code`},
		{"long text page", func(w io.Writer, r *http.Request) {
			page := "<html><body><h1>Request blocked</h1><p>Your request with the headers " + received(r) + " was blocked.</p></body></html>"
			_, _ = fmt.Fprintf(w, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(page), page)
		}, `HTTP status: 403`},
		{"200 that is not JSON", func(w io.Writer, r *http.Request) {
			page := "Welcome, " + strings.Repeat("friend ", 20) + received(r)
			_, _ = fmt.Fprintf(w, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len(page), page)
		}, `not the expected JSON`},
		{"error message quoting Authorization", func(w io.Writer, r *http.Request) {
			body, _ := json.Marshal(map[string]string{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: " + received(r)})
			_, _ = fmt.Fprintf(w, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		}, `HTTP status: 401`},
	}
	for _, c := range cases {
		url := rawServer(t, c.respond)
		// The credentials come from the environment, so that no configuration
		// holds them (terraform-plugin-testing logs the ones it writes).
		for _, creds := range []map[string]string{
			{"HW_AUTH_TOKEN": token},
			{"HW_ACCESS_KEY": accessKey, "HW_SECRET_KEY": secretKey, "HW_SECURITY_TOKEN": securityToken},
		} {
			for _, name := range []string{"HW_AUTH_TOKEN", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN"} {
				t.Setenv(name, creds[name])
			}
			provider := fmt.Sprintf("provider \"hwc\" {\n  region = \"cn-north-4\"\n  project_id = \"p1\"\n  max_retries = 0\n"+
				"  endpoints = { ims = %q, workspace = %q, iam = %q }\n}\n", url, url, url)
			failed := false
			providertest.Run(t, resource.TestCase{
				ProtoV6ProviderFactories: (&testEnv{&providertest.Emulator{URL: url}}).factories(),
				Steps:                    []resource.TestStep{{Config: provider + `data "hwc_ims_images" "x" {}`}},
				ErrorCheck: func(err error) error {
					failed = true
					if run := secretRun(err.Error(), secrets...); run != "" {
						return fmt.Errorf("%s: the diagnostic shows %q of a credential: %s", c.name, run, err)
					}
					if !providertest.ErrorRE(c.want).MatchString(err.Error()) {
						return fmt.Errorf("%s: the diagnostic does not say %q: %s", c.name, c.want, err)
					}
					return nil
				},
			})
			if !failed {
				t.Errorf("%s: the plan succeeded; want an error", c.name)
			}
		}
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "HTTP request") {
		t.Fatal("the DEBUG log has no request line: the test proves nothing")
	}
	if run := secretRun(string(log), secrets...); run != "" {
		i := strings.Index(string(log), run)
		t.Errorf("the DEBUG log shows %q of a credential: …%s…", run, string(log)[max(0, i-300):min(len(log), i+50)])
	}
}

// Identical data sources behind a request that times out all get that
// failure at once: the request is sent once, not again by each waiting read
// after the other.
func TestHostile_sharedRequestFailsEveryWaitingRead(t *testing.T) {
	t.Parallel()
	h := newHostileServer(t, func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	provider := strings.Replace(h.provider(), "  token ", "  request_timeout = \"3s\"\n  max_retries = 0\n  token ", 1)
	var reads strings.Builder
	for i := range 8 {
		fmt.Fprintf(&reads, "data \"hwc_ims_images\" \"x%d\" {\n  image_type = \"gold\"\n}\n", i)
	}
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config:      provider + reads.String(),
			ExpectError: providertest.ErrorRE("The server at .* accepted the connection but sent nothing within request_timeout (3s), on 1 attempt."),
		}},
	})
	// All eight start together; a read that Terraform started only after
	// the first request had already failed may send one more.
	if n := len(h.requests()); n > 2 {
		t.Errorf("%d requests for 8 identical reads behind one failed request; want 1 (2 at most)", n)
	}
}

// The read's deadline bounds the refinements too: name_regex over a page of
// long names stops when timeouts.read runs out, instead of running on for
// as long as matching takes (here some 65 ms an image, 32 s for the page,
// and far longer under the race detector). The page is ready before the
// read starts and comes in a second; on a machine so busy that it takes ten
// (load 27 on 2 cores), matching slows down as much. The deadline (25 s)
// falls in the refinements either way: the outcome does not hang on which
// of two clocks runs faster.
func TestHostile_deadlineBoundsRefinements(t *testing.T) {
	t.Parallel()
	var page strings.Builder
	page.WriteString(`{"images":[`)
	for i := range 500 {
		if i > 0 {
			page.WriteString(",")
		}
		fmt.Fprintf(&page, `{"id":"img-%d","name":"%s"}`, i, strings.Repeat("a", 30000))
	}
	page.WriteString(`]}`)
	h := newHostileServer(t, firstThen(body(page.String()), body(`{"images":[]}`)))
	slow := strings.Repeat("[a-z]?", 170) + "Z" // 1,021 characters: within the limit, and no name matches
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config: h.provider() + fmt.Sprintf(`data "hwc_ims_images" "x" {
  name_regex = %q
  timeouts {
    read = "25s"
  }
}`, slow),
			ExpectError: regexp.MustCompile(`The\s+read\s+ran\s+past\s+its\s+deadline[\s\S]*applied\s+name_regex\s+and\s+the\s+other\s+refinements\s+to\s+the\s+500\s+images`),
		}},
	})
}

// A page that does not come before the read's deadline ends the read at
// the deadline, in the request, with a diagnostic that says so.
func TestHostile_deadlineBoundsTheRequest(t *testing.T) {
	t.Parallel()
	h := newHostileServer(t, func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config: h.provider() + `data "hwc_ims_images" "x" {
  timeouts {
    read = "2s"
  }
}`,
			ExpectError: regexp.MustCompile(`context\s+deadline\s+exceeded\s+The\s+read\s+was\s+cancelled\s+or\s+ran\s+out\s+of\s+time`),
		}},
	})
}

// When Terraform is interrupted (Ctrl-C), it stops the provider, and the
// project look-up that no read owns any more stops too, instead of waiting
// on IAM for as long as request_timeout and the retries allow.
func TestHostile_stopEndsTheProjectLookUp(t *testing.T) {
	t.Parallel()
	providertest.RequireCLI(t)
	if v := providertest.CLIVersion(); strings.HasPrefix(v, "Terraform v1.0.") {
		t.Skipf("%s does not stop the provider when a plan is interrupted: it waits for the reads to end", v)
	}
	arrived, gone, release := make(chan struct{}, 1), make(chan struct{}, 1), make(chan struct{})
	h := newHostileServer(t, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
			gone <- struct{}{}
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	provider := strings.Replace(h.provider(), "  project_id = \"p1\"\n", "  request_timeout = \"10m\"\n  max_retries = 0\n", 1)
	w := providertest.NewWorkDir(t, h.env().factories()["hwc"])
	w.SetConfig(provider + `data "hwc_ims_images" "x" {}`)
	w.Init()
	interrupted := make(chan time.Time, 1)
	_, stderr, err := w.RunWith(func(p *os.Process) {
		go func() {
			<-arrived
			interrupted <- time.Now()
			_ = p.Signal(os.Interrupt)
		}()
	}, "plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("the interrupted plan succeeded:\n%s", stderr)
	}
	// The look-up would end at request_timeout, 10 minutes.
	if d := time.Since(<-interrupted); d > 5*time.Minute {
		t.Fatalf("Terraform ran %s after the interrupt: it did not stop the provider", d)
	}
	select {
	case <-gone:
	case <-time.After(30 * time.Second):
		t.Fatal("the IAM look-up was still waiting 30 s after Terraform stopped the provider")
	}
	if got := h.requests(); len(got) != 1 || got[0].path != "/v3/projects" {
		t.Errorf("requests %v; want the one IAM look-up", got)
	}
}

// bloatedListing serves a listing of pages full pages of 500 images and a
// last one of 10, each image carrying a 60 KB value in field, written as it
// goes so that the server holds none of it.
func bloatedListing(pages int, field string) http.HandlerFunc {
	bloat := strings.Repeat("x", 60<<10)
	return func(w http.ResponseWriter, r *http.Request) {
		page := 1
		if m := r.URL.Query().Get("marker"); m != "" {
			_, _ = fmt.Sscanf(m, "img-%d-", &page)
			page++
		}
		n := 500
		if page > pages {
			n = 10
		}
		_, _ = io.WriteString(w, `{"images":[`)
		for i := range n {
			if i > 0 {
				_, _ = io.WriteString(w, ",")
			}
			_, _ = fmt.Fprintf(w, `{"id":"img-%d-%03d","name":"n-%d-%d","status":"active","%s":"%s"}`, page, i, page, i, field, bloat)
		}
		_, _ = io.WriteString(w, `]}`)
	}
}

// peakHeap samples the heap of the test process, where the provider runs,
// until stop is called, and returns the largest value seen.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done, peak := make(chan struct{}), make(chan uint64)
	go func() {
		var most uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			most = max(most, sample[0].Value.Uint64())
			select {
			case <-tick.C:
			case <-done:
				peak <- most
				return
			}
		}
	}()
	return func() uint64 { close(done); return <-peak }
}

// One read holds only the fields the schema reads: 3 pages of 500 images,
// each with a 60 KB field the schema does not read (90 MB in all), cost the
// provider a few MB. Not parallel: it measures the heap
// of the test process, where the provider runs, collecting garbage often so
// that the peak is close to what is live.
func TestHostile_memoryOfOneReadIsBounded(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	h := newHostileServer(t, bloatedListing(3, "__unread_field"))
	stop := peakHeap()
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config:            h.provider() + `data "hwc_ims_images" "x" { name_regex = "^n-" }`,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3*500+10))},
		}},
	})
	peak := stop()
	t.Logf("peak heap %d MiB", peak>>20)
	if peak > 64<<20 {
		t.Errorf("the heap reached %d MiB reading 90 MB of fields the schema does not read; want under 64 MiB", peak>>20)
	}
	if n := len(h.requests()); n != 4 && !providertest.FullMode() {
		t.Errorf("%d requests, want 4 pages", n)
	}
}

// The same bloat in a field the schema reads is kept until what the read
// keeps would cost more than a read may (see client.Record.Cost: 123 KB an
// image here, so 160 MiB is 1,330 images): the read stops with an error
// that says so, after the third page.
func TestHostile_keptImagesAreBounded(t *testing.T) {
	t.Parallel()
	kept := newHostileServer(t, bloatedListing(4, "__description"))
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: kept.env().factories(),
		Steps: []resource.TestStep{{
			Config:      kept.provider() + `data "hwc_ims_images" "x" {}`,
			ExpectError: providertest.ErrorRE("the IMS images of this read would take more than 160 MiB once they are state"),
		}},
	})
	if n := len(kept.requests()); n != 3 {
		t.Errorf("%d requests, want 3: the read stops once its images would cost more than it may", n)
	}
}
