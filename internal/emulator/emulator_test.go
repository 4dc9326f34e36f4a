package emulator

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
)

// signedGet sends a GET signed with the default credentials at time at;
// tamper may change the request after signing.
func signedGet(t *testing.T, base, path string, q url.Values, at time.Time, tamper func(*http.Request)) (*http.Response, map[string]any) {
	t.Helper()
	u, _ := url.Parse(base)
	u.Path = path
	u.RawQuery = q.Encode()
	req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
	date := at.UTC().Format(sdkDateLayout)
	req.Header.Set("X-Sdk-Date", date)
	req.Header.Set("X-Project-Id", DefaultProjectID)
	signed := []string{"host", "x-project-id", "x-sdk-date"}
	req.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		signingAlgorithm, DefaultAccessKey, strings.Join(signed, ";"), expectedSignature(req, signed, date, DefaultSecretKey)))
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp, body
}

// The emulator's verifier reproduces the signatures of the signing guide.
func TestSignature_publishedVectors(t *testing.T) {
	cases := []struct {
		name, url, sk, wantSig string
		headers                map[string]string
	}{
		{
			name: "minimal", url: "http://h/path?limit=1", sk: "SecretKey",
			headers: map[string]string{"x-sdk-date": "20060102T150405Z"},
			wantSig: "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
		},
		{
			name: "signing guide", url: "http://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
			sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
			headers: map[string]string{
				"content-type": "application/json",
				"host":         "service.region.example.com",
				"x-sdk-date":   "20191115T033655Z",
			},
			wantSig: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, c.url, nil)
			var signed []string
			for k, v := range c.headers {
				req.Header.Set(k, v)
				signed = append(signed, k)
			}
			if got := expectedSignature(req, signed, c.headers["x-sdk-date"], c.sk); got != c.wantSig {
				t.Errorf("signature = %s, want %s", got, c.wantSig)
			}
		})
	}
}

func TestSignatureVerification(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	now := time.Now()
	q := url.Values{"limit": {"1"}}
	cases := []struct {
		name   string
		at     time.Time
		tamper func(*http.Request)
		status int
	}{
		{"valid", now, nil, 200},
		{"14 minutes old", now.Add(-14 * time.Minute), nil, 200},
		{"16 minutes old", now.Add(-16 * time.Minute), nil, 401},
		{"query changed after signing", now, func(r *http.Request) { r.URL.RawQuery = "limit=2" }, 401},
		{"project changed after signing", now, func(r *http.Request) { r.Header.Set("X-Project-Id", "x") }, 401},
		{"unknown access key", now, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), DefaultAccessKey, "OTHER", 1))
		}, 401},
		{"no authorization", now, func(r *http.Request) { r.Header.Del("Authorization") }, 401},
		{"token instead", now, func(r *http.Request) { r.Header.Del("Authorization"); r.Header.Set("X-Auth-Token", DefaultToken) }, 200},
		{"bad token", now, func(r *http.Request) { r.Header.Del("Authorization"); r.Header.Set("X-Auth-Token", "nope") }, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := signedGet(t, srv.URL, imsListPath, q, c.at, c.tamper)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, c.status, body)
			}
			if resp.Header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
			if c.status == 401 && body["error_code"] != "APIGW.0301" {
				t.Errorf("error body %v", body)
			}
		})
	}
}

func TestDefaultCatalogIsRealistic(t *testing.T) {
	c := DefaultCatalog()
	if len(c.Images) < 1000 || len(c.MarketImages) < 200 {
		t.Fatalf("%d IMS images, %d KooGallery images", len(c.Images), len(c.MarketImages))
	}
	types, platforms, ids := map[string]int{}, map[string]int{}, map[string]bool{}
	for _, img := range c.Images {
		types[img.str("__imagetype")]++
		platforms[img.str("__platform")]++
		if ids[img.str("id")] {
			t.Fatalf("duplicate id %s", img.str("id"))
		}
		ids[img.str("id")] = true
	}
	for _, typ := range []string{"gold", "private", "shared", "market"} {
		if types[typ] < 100 {
			t.Errorf("only %d %s images", types[typ], typ)
		}
	}
	for _, p := range apidoc.Platforms {
		if platforms[p] == 0 {
			t.Errorf("no %s image", p)
		}
	}
	if GenerateCatalog(1, time.Now()).Images[500]["id"] != c.Images[500]["id"] {
		t.Error("the catalog must be deterministic")
	}
}

// Every region of the account has its project and, when configured, its
// own catalog; a project of no region is refused.
func TestRegionsServeTheirOwnCatalogs(t *testing.T) {
	projects, catalogs := Regions([]string{DefaultRegion, "ap-southeast-3"}, DefaultProjectID, nil)
	srv := httptest.NewServer(New(Options{Projects: projects, RegionCatalogs: catalogs}))
	defer srv.Close()
	ids := map[string]string{}
	for region, pid := range projects {
		resp, body := signedGet(t, srv.URL, imsListPath, url.Values{"limit": {"1"}}, time.Now(), func(r *http.Request) {
			r.Header.Set("X-Project-Id", pid)
			r.Header.Del("Authorization")
			r.Header.Set("X-Auth-Token", DefaultToken)
		})
		images, _ := body["images"].([]any)
		if resp.StatusCode != 200 || len(images) != 1 {
			t.Fatalf("%s: status %d, %v", region, resp.StatusCode, body)
		}
		ids[region] = fmt.Sprint(images[0].(map[string]any)["id"])
	}
	if ids[DefaultRegion] == ids["ap-southeast-3"] {
		t.Errorf("both regions list %s first", ids[DefaultRegion])
	}
	resp, _ := signedGet(t, srv.URL, imsListPath, url.Values{}, time.Now(), func(r *http.Request) {
		r.Header.Set("X-Project-Id", "not-a-project")
		r.Header.Del("Authorization")
		r.Header.Set("X-Auth-Token", DefaultToken)
	})
	if resp.StatusCode != 403 {
		t.Errorf("a project of no region: status %d", resp.StatusCode)
	}
}

func TestIMSRejectsBadParameters(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	for _, q := range []url.Values{
		{"__imagetype": {"public"}},
		{"limit": {"0"}},
		{"status": {"active", "queued"}},
		{"created_at": {"gt:2024-01-01T00:00:00Z", "lt:2025-01-01T00:00:00Z"}},
		{"member_status": {"accepted"}},
		{"__support_kvm": {"false"}},
		{"__support_kvm": {"true"}, "__support_kvm_gpu_type": {"T4"}},
		{"created_at": {"gt:yesterday"}},
		{"marker": {"no-such-image"}},
		{"status": {"active", "bogus"}},
		{"visibility": {"public", "x"}},
	} {
		resp, body := signedGet(t, srv.URL, imsListPath, q, time.Now(), nil)
		errObj, _ := body["error"].(map[string]any)
		if resp.StatusCode != 400 || errObj["code"] == nil {
			t.Errorf("%v: status %d body %v", q, resp.StatusCode, body)
		}
	}
}

func TestIMSNeverListsWindows(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	resp, body := signedGet(t, srv.URL, imsListPath, url.Values{"__platform": {"Windows"}}, time.Now(), nil)
	if resp.StatusCode != 200 || len(body["images"].([]any)) != 0 {
		t.Errorf("Windows images listed: %d", len(body["images"].([]any)))
	}
}

func TestMarketImagesEndpoint(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	cat := DefaultCatalog().MarketImages
	path := "/v2/" + DefaultProjectID + "/market-images"
	ids := func(n int) url.Values {
		v := url.Values{}
		for i := 0; i < n; i++ {
			v.Add("image_ids", fmt.Sprintf("id-%d", i))
		}
		return v
	}
	for n, want := range map[int]int{0: 400, 1: 200, 100: 200, 101: 400} {
		if resp, body := signedGet(t, srv.URL, path, ids(n), time.Now(), nil); resp.StatusCode != want {
			t.Errorf("%d ids: status %d %v", n, resp.StatusCode, body)
		}
	}
	// Catalog order, unknown ids left out.
	q := url.Values{"image_ids": {cat[5]["image_id"].(string), "unknown", cat[2]["image_id"].(string)}}
	_, body := signedGet(t, srv.URL, path, q, time.Now(), nil)
	imgs := body["images"].([]any)
	if len(imgs) != 2 || imgs[0].(map[string]any)["image_id"] != cat[2]["image_id"] {
		t.Errorf("got %v", imgs)
	}
	resp, _ := signedGet(t, srv.URL, "/v2/someoneelse/market-images", q, time.Now(), func(r *http.Request) {})
	if resp.StatusCode != 403 {
		t.Errorf("another project's path: status %d", resp.StatusCode)
	}
}

func TestFaultInjection(t *testing.T) {
	emu := New(Options{})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	emu.Inject(Fault{PathSuffix: "/fuzzy", Times: 2, Status: 429, Code: "APIGW.0308", RetryAfter: "1"})
	emu.Inject(Fault{PathSuffix: "/fuzzy", Times: 1, Body: "<html>"})
	for i, want := range []int{429, 429, 200, 200} {
		resp, _ := signedGet(t, srv.URL, imsListPath, url.Values{"limit": {"1"}}, time.Now(), nil)
		if resp.StatusCode != want {
			t.Errorf("request %d: status %d, want %d", i, resp.StatusCode, want)
		}
		if i == 0 && resp.Header.Get("Retry-After") != "1" {
			t.Error("Retry-After missing")
		}
	}
	if got := len(emu.Requests()); got != 4 {
		t.Errorf("%d requests recorded", got)
	}
}

// A catalog file round-trips, and a typo or a value of the wrong kind is
// an error naming the path of the bad field.
func TestLoadCatalog(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	full, err := json.Marshal(DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	c, err := LoadCatalog(write("full.json", string(full)))
	if err != nil || len(c.Images) != len(DefaultCatalog().Images) || len(c.MarketImages) != len(DefaultCatalog().MarketImages) {
		t.Fatalf("the default catalog does not load back: %v", err)
	}
	for content, want := range map[string]string{
		`{"imagez": []}`: `unknown field "imagez"`,
		`{"images": [{"id": "a", "created_at": "yesterday"}]}`:           `images[0].created_at: "yesterday" is not an RFC 3339 time`,
		`{"images": [{"id": "a"}, {"name": "b"}]}`:                       `images[1].id: missing`,
		`{"images": [{"id": "a", "creatd_at": "2025-01-01T00:00:00Z"}]}`: `images[0].creatd_at: not a field of this API`,
		`{"images": [{"id": "a", "tags": "env=prod"}]}`:                  `images[0].tags: "env=prod" is not a list of strings`,
		`{"images": [{"id": "a", "min_ram": "lots"}]}`:                   `images[0].min_ram: "lots" is not a number`,
		`{"market_images": [{"image_id": "m", "__isregistered": true}]}`: `market_images[0].__isregistered: not a field of this API`,
	} {
		if _, err := LoadCatalog(write("bad.json", content)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", content, err, want)
		}
	}
}

// A long-running emulator remembers only its latest requests.
func TestRequestRecordIsBounded(t *testing.T) {
	emu := New(Options{Record: 3})
	for i := range 10 {
		req := httptest.NewRequest(http.MethodGet, "/unknown/"+strconv.Itoa(i), nil)
		emu.ServeHTTP(httptest.NewRecorder(), req)
		if n := len(emu.requests); n > 6 {
			t.Fatalf("after %d requests the emulator holds %d, more than twice Record", i+1, n)
		}
	}
	got := emu.Requests()
	if len(got) != 3 || got[0].Path != "/unknown/7" || got[2].Path != "/unknown/9" || emu.Served() != 10 {
		t.Errorf("Requests() = %d requests from %q, Served() = %d; want the latest 3 of 10", len(got), got[0].Path, emu.Served())
	}
}

// The record is bounded by bytes too: requests with 100 KB queries do not
// make it grow past RecordBytes, and every request is still counted.
func TestRequestRecordIsBoundedInBytes(t *testing.T) {
	emu := New(Options{RecordBytes: 1 << 20})
	long := strings.Repeat("x", 100<<10)
	for i := range 50 {
		req := httptest.NewRequest(http.MethodGet, "/unknown/"+strconv.Itoa(i)+"?q="+long, nil)
		emu.ServeHTTP(httptest.NewRecorder(), req)
		if emu.kept > 1<<20 {
			t.Fatalf("after %d requests the record holds %d bytes, more than 1 MiB", i+1, emu.kept)
		}
	}
	got := emu.Requests()
	if len(got) == 0 || len(got) > 5 || got[len(got)-1].Path != "/unknown/49" || emu.Served() != 50 {
		t.Errorf("Requests() = %d requests, the last %q, Served() = %d; want the latest few of 50", len(got), got[len(got)-1].Path, emu.Served())
	}
}

// An emulator started with Start closes a keep-alive connection that stays
// idle past IdleTimeout.
func TestIdleConnectionsAreClosed(t *testing.T) {
	emu := New(Options{IdleTimeout: 200 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, err := emu.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	if _, err := fmt.Fprintf(conn, "GET /unknown HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	started := time.Now()
	if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("the idle connection was not closed: %v", err)
	}
	if waited := time.Since(started); waited > 5*time.Second {
		t.Errorf("the idle connection was closed after %s", waited)
	}
}

// limit has no documented maximum: a page of more than 500 is answered.
func TestLimitAbove500(t *testing.T) {
	emu := New(Options{Catalog: &Catalog{Images: []Image{{"id": "a"}, {"id": "b"}}}})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	for limit, want := range map[string]int{"501": 200, "100000": 200, "0": 400, "x": 400} {
		resp, _ := signedGet(t, srv.URL, imsListPath, url.Values{"limit": {limit}}, time.Now(), nil)
		if resp.StatusCode != want {
			t.Errorf("limit=%s: status %d, want %d", limit, resp.StatusCode, want)
		}
	}
}

// Every Workspace error carries the four fields its document lists.
func TestWorkspaceErrorsCarryEveryField(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	for name, c := range map[string]struct {
		path   string
		q      url.Values
		tamper func(*http.Request)
		status int
	}{
		"400": {"/v2/" + DefaultProjectID + "/market-images", url.Values{}, nil, 400},
		"401": {"/v2/" + DefaultProjectID + "/market-images", url.Values{"image_ids": {"a"}}, func(r *http.Request) { r.Header.Set("Authorization", "x") }, 401},
		"403": {"/v2/not-mine/market-images", url.Values{"image_ids": {"a"}}, nil, 403},
	} {
		resp, body := signedGet(t, srv.URL, c.path, c.q, time.Now(), c.tamper)
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d", name, resp.StatusCode)
		}
		for _, key := range []string{"error_code", "error_msg", "error_detail", "encoded_authorization_message"} {
			if _, ok := body[key]; !ok {
				t.Errorf("%s: the body has no %s: %v", name, key, body)
			}
		}
	}
}

// Each IMS filter keeps exactly the images it names, whichever filters
// come with it: three images, each filter keeping a known set of them.
func TestIMSFiltersKeepTheImagesTheyName(t *testing.T) {
	ep := "0b5e4d3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
	hp := hiddenPrefix
	srv := httptest.NewServer(New(Options{Catalog: &Catalog{Images: []Image{
		{"id": "a", "name": "one", "tags": []string{"k=x"}, "__imagetype": "private", "status": "active", "protected": "true",
			"min_ram": 1024, "__support_arm": "true", "__os_type": "Linux", hp + "whole_image": "true", hp + "flavors": []string{"f1"}},
		{"id": "b", "name": "two", "tags": []string{"k=y"}, "__imagetype": "private", "status": "active", "protected": "True",
			"min_ram": 4096, "enterprise_project_id": ep, "__os_type": "Linux", "visibility": "shared", hp + "member_status": "accepted"},
		{"id": "c", "name": "three", "tags": []string{"k=x", "k=y"}, "__imagetype": "gold", "status": "queued", "protected": "false",
			"min_ram": "2048", "__os_type": "Linux", "visibility": "shared", hp + "member_status": "pending", hp + "flavors": []string{"f1", "f2"}},
		{"id": "w", "name": "one", "tags": []string{"k=x"}, "__imagetype": "private", "status": "active", "__os_type": "Windows"},
	}}}))
	defer srv.Close()
	for _, c := range []struct {
		query url.Values
		want  string
	}{
		{url.Values{}, "a b c"},
		{url.Values{"id": {"b"}}, "b"},
		{url.Values{"name": {"one"}}, "a"},
		{url.Values{"tag": {"k=x"}}, "a c"},
		{url.Values{"tag": {"k=y"}, "__imagetype": {"private"}}, "b"},
		{url.Values{"status": {"queued"}}, "c"},
		{url.Values{"protected": {"true"}}, "a b"},
		{url.Values{"min_ram": {"2048"}}, "b c"},
		{url.Values{"enterprise_project_id": {"0"}}, "a c"},
		{url.Values{"enterprise_project_id": {ep}}, "b"},
		{url.Values{"enterprise_project_id": {"all_granted_eps"}}, "a b c"},
		{url.Values{"architecture": {"arm"}}, "a"},
		{url.Values{"architecture": {"x86"}}, "b c"},
		{url.Values{"__whole_image": {"true"}}, "a"},
		{url.Values{"__whole_image": {"false"}}, "b c"},
		{url.Values{"flavor_id": {"f1"}}, "a c"},
		{url.Values{"flavor_id": {"f2"}, "tag": {"k=x"}}, "c"},
		{url.Values{"visibility": {"shared"}, "member_status": {"pending"}}, "c"},
	} {
		resp, body := signedGet(t, srv.URL, imsListPath, c.query, time.Now(), nil)
		var ids []string
		images, _ := body["images"].([]any)
		for _, img := range images {
			ids = append(ids, img.(map[string]any)["id"].(string))
		}
		slices.Sort(ids)
		if got := strings.Join(ids, " "); resp.StatusCode != 200 || got != c.want {
			t.Errorf("%v: status %d, images %q, want %q", c.query, resp.StatusCode, got, c.want)
		}
	}
}
