package provider

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// Transient faults within max_retries: the read succeeds.
func TestFaults_recoveredWithinRetries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		faults   []emulator.Fault
		want     []int  // statuses of the first read; 0 is a dropped connection
		settings string // of the provider block
	}{
		{"429 with Retry-After 3600, capped", []emulator.Fault{{Status: 429, Code: "APIGW.0308", RetryAfter: "3600"}}, []int{429, 200}, ""},
		{"429 without Retry-After", []emulator.Fault{{Status: 429, Code: "APIGW.0308", Times: 2}}, []int{429, 429, 200}, ""},
		{"burst of 500 502 503 504", []emulator.Fault{{Status: 500}, {Status: 502}, {Status: 503}, {Status: 504}}, []int{500, 502, 503, 504, 200}, ""},
		{"dropped connections", []emulator.Fault{{Drop: true, Times: 2}}, []int{0, 0, 200}, ""},
		// The first answer would come after an hour: it is never given. The
		// attempt that succeeds has 5 s, far more than a loopback answer
		// takes on a busy machine.
		{"slower than request_timeout", []emulator.Fault{{Delay: time.Hour}}, []int{0, 200}, `request_timeout = "5s"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(3)}})
			for _, f := range c.faults {
				f.PathSuffix = "/cloudimages/fuzzy"
				if f.Times == 0 {
					f.Times = 1
				}
				env.Server.Inject(f)
			}
			start := time.Now()
			providertest.Run(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config: env.ProviderBlock(c.settings) + `data "hwc_ims_images" "x" {}`,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
					},
					Check: func(*terraform.State) error {
						got := env.IMSStatuses()
						if len(got) < len(c.want) || fmt.Sprint(got[:len(c.want)]) != fmt.Sprint(c.want) {
							return fmt.Errorf("statuses %v, want %v first", got, c.want)
						}
						return nil
					},
				}},
			})
			// Retry-After 3600 is capped: far below an hour, at any speed.
			if d := time.Since(start); d > 10*time.Minute {
				t.Errorf("took %s", d)
			}
		})
	}
}

// Faults beyond max_retries: the diagnostic says how many attempts were
// made, and the last status, code and request id.
func TestFaults_retriesExhausted(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Status: 429, Code: "APIGW.0308", Message: "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second"})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.ProviderBlock("max_retries = 2") + `data "hwc_ims_images" "x" {}`,
			ExpectError: regexp.MustCompile(`(?s)HTTP status: 429.*Error code:\s+APIGW.0308.*Message:\s+The throttling threshold has been\s+reached.*Request ID:\s+[0-9a-f]{32}.*Attempts:\s+3 \(the last one is shown\).*raise max_retries`),
		}},
	})
	if got := env.RequestCount("/cloudimages/fuzzy"); got != 3 {
		t.Errorf("%d requests, want 3", got)
	}
}

func TestFaults_connectionLostForGood(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Drop: true})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.ProviderBlock("max_retries = 1") + `data "hwc_ims_images" "x" {}`,
			ExpectError: providertest.ErrorRE(`GET /v1/cloudimages/fuzzy: EOF (after 2 attempts) No answer came from the endpoint ` + env.URL + `. Check the network`),
		}},
	})
}

// Client errors fail at once: exactly one request, a clear diagnostic.
func TestFaults_clientErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		status int
		code   string
		advice string
	}{
		{400, "IMG.0001", "The API rejected the request."},
		{401, "APIGW.0301", "The credentials were refused."},
		{403, "APIGW.0302", "The credentials are valid but may not do this."},
		{404, "APIGW.0101", "The endpoint has no such API."},
	} {
		t.Run(fmt.Sprint(c.status), func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{})
			env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Status: c.status, Code: c.code, Message: "message " + c.code})
			providertest.Run(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.ProviderBlock() + `data "hwc_ims_images" "x" {}`,
					ExpectError: providertest.ErrorRE(fmt.Sprintf("HTTP status: %d Error code: %s Message: message %s Request ID: .* %s", c.status, c.code, c.code, c.advice)),
				}},
			})
			// Terraform reads once: the plan fails there.
			if got := env.RequestCount("/cloudimages/fuzzy"); got != 1 {
				t.Errorf("%d requests, want exactly 1", got)
			}
		})
	}
}

// Bodies that are not the JSON expected: a clear error, never a panic, never
// an empty result; a field of an unexpected type is read tolerantly.
func TestFaults_malformedBodies(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, body, want string
	}{
		{"HTML page from a gateway", "<html><body><h1>502 Bad Gateway</h1></body></html>", `HTTP 200 with a body that is not the expected JSON: .* "<html><body><h1>502 Bad Gateway</h1></body></html>"`},
		{"truncated JSON", `{"images":[{"id":"a","name":"b"},{"id":"c","na`, `HTTP 200 with a body that is not the expected JSON: .* unexpected EOF`},
		{"images not a list", `{"images":{"id":"a"}}`, `HTTP 200 with a body that is not the expected JSON: "images" is not a list`},
		{"no images", `{"servers":[]}`, `HTTP 200 with a body that is not the expected JSON: the response has no "images" list`},
		{"element not an object", `{"images":["a"]}`, `HTTP 200 with a body that is not the expected JSON: an element of "images": is not an object`},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{})
			env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Body: c.body})
			providertest.Run(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.ProviderBlock() + `data "hwc_ims_images" "x" {}`,
					ExpectError: providertest.ErrorRE("Unable to List IMS Images .* " + c.want + " .* Check that the endpoint URL points at the Huawei Cloud API"),
				}},
			})
			if got := env.RequestCount("/cloudimages/fuzzy"); got != 1 {
				t.Errorf("a malformed 200 must not be retried: %d requests", got)
			}
		})
	}
}

func TestFaults_fieldsOfUnexpectedTypeAreNull(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Body: `{"images":[{"id":"odd-1","name":["not","a","string"],"min_ram":{"gb":2},` +
		`"tags":"env=prod","protected":"maybe","__isregistered":1,"__image_size":"12 GB","__support_agent_list":7,"created_at":"yesterday"}]}`})
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact("odd-1")),
		statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact(`["not","a","string"]`)),
		statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("created_at"), knownvalue.StringExact("yesterday")),
		statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("support_agent_list"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("7")})),
	}
	for _, attr := range []string{"min_ram", "tags", "protected", "is_registered", "image_size"} {
		checks = append(checks, statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey(attr), knownvalue.Null()))
	}
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    []resource.TestStep{{Config: env.ProviderBlock() + `data "hwc_ims_images" "x" {}`, ConfigStateChecks: checks}},
	})
}

// A server that hands back the same page for every marker: a clear error,
// not an endless loop.
func TestFaults_repeatedPage(t *testing.T) {
	t.Parallel()
	page := make([]string, 500)
	for i := range page {
		page[i] = fmt.Sprintf(`{"id":"img-%03d"}`, i)
	}
	env := newTestEnv(t, emulator.Options{})
	env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Body: `{"images":[` + strings.Join(page, ",") + `]}`})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `data "hwc_ims_images" "x" {
  name_regex = "^x"
}`,
			ExpectError: providertest.ErrorRE(`IMS returned the page after marker "img-499" again: the listing does not advance`),
		}},
	})
}

// The timeouts block bounds the whole read, retries included.
func TestFaults_readTimeoutBoundsTheRead(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Delay: time.Hour})
	start := time.Now()
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `data "hwc_ims_images" "x" {
  timeouts {
    read = "1s"
  }
}`,
			ExpectError: providertest.ErrorRE(`context deadline exceeded .* The read was cancelled or ran out of time (see the data source's timeouts block`),
		}},
	})
	// The answer would take an hour.
	if d := time.Since(start); d > 5*time.Minute {
		t.Errorf("a 1s read timeout took %s", d)
	}
}

// A server that starts each page with the marker image, repeats an image of
// an earlier page, or one within a page: each image is in the results once.
func TestFaults_imagesRepeatedAcrossPagesAreDropped(t *testing.T) {
	t.Parallel()
	h := newHostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		var ids []string
		switch r.URL.Query().Get("marker") {
		case "":
			for i := range 500 {
				ids = append(ids, fmt.Sprintf("img-%03d", i))
			}
		case "img-499":
			ids = []string{"img-499", "img-500", "img-007", "img-501", "img-501"}
		}
		var imgs []string
		for _, id := range ids {
			imgs = append(imgs, fmt.Sprintf(`{"id":%q,"name":"n"}`, id))
		}
		_, _ = io.WriteString(w, `{"images":[`+strings.Join(imgs, ",")+`]}`)
	})
	want := []knownvalue.Check{}
	for i := range 502 {
		want = append(want, knownvalue.StringExact(fmt.Sprintf("img-%03d", i)))
	}
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: h.env().factories(),
		Steps: []resource.TestStep{{
			Config:            h.provider() + `data "hwc_ims_images" "x" {}`,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), knownvalue.ListExact(want))},
		}},
	})
}

// A wrong port or a stopped emulator is a refused connection on this
// machine: the read fails at once, asking whether the emulator runs,
// instead of retrying for half a minute.
func TestRefusedOnLoopbackFailsFast(t *testing.T) {
	t.Parallel()
	providertest.RequireCLI(t)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + listener.Addr().String()
	_ = listener.Close() // nothing listens on the port now
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){"hwc": withError(testServer())},
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "hwc" {
  region     = "cn-north-4"
  project_id = %q
  access_key = %q
  secret_key = %q
  endpoints  = { ims = %q, workspace = %q, iam = %q }
}
data "hwc_ims_images" "x" {}
`, emulator.DefaultProjectID, emulator.DefaultAccessKey, emulator.DefaultSecretKey, closed, closed, closed),
			// One attempt: the error says "(after N attempts)" only when retried.
			ExpectError: providertest.ErrorRE(`GET /v1/cloudimages/fuzzy: dial tcp ` + listener.Addr().String() + `: connect: connection refused Nothing listens at ` +
				closed + ` on this machine: is the emulator running, and on this port?`),
		}},
	})
}
