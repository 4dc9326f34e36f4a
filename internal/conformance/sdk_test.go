package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	ims "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2"
	imsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2/model"
	workspace "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2"
	wsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2/model"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// The credentials of the two modes: a permanent AK/SK, and a temporary one
// whose requests must carry and sign its security token. Each mode has an
// access key of its own, because the SDK caches project ids per access key.
var modes = []struct {
	name string
	cred emulator.Credential
}{
	{"AK/SK", emulator.Credential{AccessKey: "CONFORMANCEACCESSKEY", SecretKey: "conformance-secret-key"}},
	{"AK/SK and security token", emulator.Credential{AccessKey: "CONFORMANCETEMPORARY", SecretKey: "conformance-temporary-secret",
		SecurityToken: "conformance-security-token"}},
}

// bodies keeps the body of every answer the SDK receives, so that what the
// SDK decoded can be compared with what the emulator sent.
type bodies struct {
	mu   sync.Mutex
	last []byte
}

func (b *bodies) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	if closeErr := resp.Body.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.last = body
	b.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// sdk is a pair of the SDK's clients on one emulator, signing with one
// credential and finding the project id through the emulator's IAM.
type sdk struct {
	srv       *emulator.Server
	ims       *ims.ImsClient
	workspace *workspace.WorkspaceClient
	answers   *bodies
}

func newSDK(t *testing.T, cred emulator.Credential) *sdk {
	t.Helper()
	srv := emulator.New(emulator.Options{Credentials: []emulator.Credential{cred}})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	answers := &bodies{}
	credential := func() *basic.Credentials {
		c, err := basic.NewCredentialsBuilder().WithAk(cred.AccessKey).WithSk(cred.SecretKey).
			WithSecurityToken(cred.SecurityToken).WithIamEndpointOverride(ts.URL).SafeBuild()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	httpConfig := config.DefaultHttpConfig().WithHttpRoundTripper(answers).WithRetries(0)
	where := region.NewRegion(emulator.DefaultRegion, ts.URL)
	imsClient, err := ims.ImsClientBuilder().WithRegion(where).WithCredential(credential()).WithHttpConfig(httpConfig).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	wsClient, err := workspace.WorkspaceClientBuilder().WithRegion(where).WithCredential(credential()).WithHttpConfig(httpConfig).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return &sdk{srv: srv, ims: ims.NewImsClient(imsClient), workspace: workspace.NewWorkspaceClient(wsClient), answers: answers}
}

// listImages sends the SDK's ListImagesRequest to the path the provider
// lists images on, GET /v1/cloudimages/fuzzy ("Querying Images"): the SDK's
// own ListImages calls GET /v2/cloudimages, which the emulator does not
// serve, with the same parameters and answer.
func (s *sdk) listImages(req *imsmodel.ListImagesRequest) (*imsmodel.ListImagesResponse, error) {
	def := ims.GenReqDefForListImages()
	def.Path = "/v1/cloudimages/fuzzy"
	resp, err := s.ims.HcClient.Sync(req, def)
	if err != nil {
		return nil, err
	}
	return resp.(*imsmodel.ListImagesResponse), nil
}

// lastAnswer is the body of the latest answer, with its list under key
// decoded element by element.
func (s *sdk) lastAnswer(t *testing.T, key string) []map[string]any {
	t.Helper()
	s.answers.mu.Lock()
	defer s.answers.mu.Unlock()
	var body map[string][]map[string]any
	dec := json.NewDecoder(bytes.NewReader(s.answers.last))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("the answer is not a JSON object of lists: %v", err)
	}
	return body[key]
}

// sameFields fails unless every field of each sent object that the SDK's
// model has reads back from the decoded model as it was sent: a value the
// model cannot hold (a number too large for int32, a string where it wants
// a number) fails here even where the SDK's decoder let it pass.
func sameFields[M any](t *testing.T, what string, sent []map[string]any, decoded []M) {
	t.Helper()
	if len(sent) != len(decoded) {
		t.Fatalf("%s: %d sent, %d decoded", what, len(sent), len(decoded))
	}
	for i := range sent {
		text, err := json.Marshal(decoded[i])
		if err != nil {
			t.Fatalf("%s %d: %v", what, i, err)
		}
		var back map[string]any
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.UseNumber()
		if err := dec.Decode(&back); err != nil {
			t.Fatal(err)
		}
		for k, v := range sent[i] {
			got, modelled := back[k]
			if modelled && !reflect.DeepEqual(got, v) {
				t.Fatalf("%s %d: %s was sent as %#v and reads back from the SDK's model as %#v", what, i, k, v, got)
			}
		}
	}
}

// TestSDKReadsTheEmulator drives the emulator with Huawei's own Go SDK,
// unchanged: the IAM project look-up the SDK makes by itself, the image
// listing with each parameter its ListImagesRequest models, paging, and the
// KooGallery images of Workspace, in both credential modes.
func TestSDKReadsTheEmulator(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			s := newSDK(t, mode.cred)
			t.Run("parameters", func(t *testing.T) { checkParameters(t, s) })
			t.Run("paging", func(t *testing.T) { checkPaging(t, s) })
			t.Run("KooGallery", func(t *testing.T) { checkMarketImages(t, s) })
			projects := s.srv.RequestsTo("/v3/projects")
			if len(projects) == 0 || projects[0].Status != http.StatusOK || projects[0].Query.Get("name") != emulator.DefaultRegion {
				t.Fatalf("the SDK did not look up its project id through the emulator's IAM: %+v", projects)
			}
			for _, r := range s.srv.Requests() {
				if r.Status != http.StatusOK {
					t.Errorf("%s %s?%s was answered %d", r.Method, r.Path, r.RawQuery, r.Status)
				}
				if mode.cred.SecurityToken != "" && r.Header.Get("X-Security-Token") != mode.cred.SecurityToken {
					t.Errorf("%s %s carried no security token", r.Method, r.Path)
				}
			}
		})
	}
}

// parameterValues are the values sent for the parameters with no closed
// set in the document: each matches images of the default catalog.
func parameterValues(t *testing.T) map[string][]string {
	t.Helper()
	var private, gpu map[string]any
	for _, img := range emulator.DefaultCatalog().Images {
		switch {
		case private == nil && img["__imagetype"] == "private" && len(img["tags"].([]string)) > 0:
			private = img
		case gpu == nil && img["__support_kvm_gpu_type"] != nil:
			gpu = img
		}
	}
	if private == nil || gpu == nil {
		t.Fatal("the default catalog has no private image with tags or no GPU image")
	}
	return map[string][]string{
		"name":                   {private["name"].(string)},
		"id":                     {private["id"].(string)},
		"owner":                  {emulator.DefaultProjectID},
		"tag":                    {private["tags"].([]string)[0]},
		"flavor_id":              {"s6.small.1"},
		"enterprise_project_id":  {"0", "all_granted_eps"},
		"min_ram":                {"1024"},
		"min_disk":               {"40"},
		"protected":              {"true", "false"},
		"__support_kvm_gpu_type": {gpu["__support_kvm_gpu_type"].(string)},
		"__support_xen_gpu_type": {"M60_vGPU"},
		"created_at":             {"gt:2020-01-01T00:00:00Z"},
		"updated_at":             {"lte:2100-01-01T00:00:00Z"},
	}
}

// checkParameters sends one listing per value of each parameter the SDK
// models (every allowed value where the document closes the set) and checks
// that the emulator received it as sent and that the SDK decoded the answer.
func checkParameters(t *testing.T, s *sdk) {
	values := parameterValues(t)
	typ := reflect.TypeFor[imsmodel.ListImagesRequest]()
	sent := 0
	for i := range typ.NumField() {
		field := typ.Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		if name == "X-Sdk-Date" || name == "marker" || name == "limit" {
			continue // a header the SDK fills, and paging (see checkPaging)
		}
		rule, documented := apidoc.Find(apidoc.IMSQuery, name)
		if !documented {
			t.Errorf("the SDK models the parameter %s, which the document does not list", name)
			continue
		}
		vals := values[name]
		if vals == nil {
			vals = rule.Values // those the document names, when it names any
		}
		if vals == nil {
			t.Errorf("no value to send for %s: add one to parameterValues", name)
			continue
		}
		for _, v := range vals {
			listWith(t, s, field, name, v)
			sent++
		}
	}
	t.Logf("%d listings, one per value of %d parameters", sent, typ.NumField()-3)
}

// listWith lists images with one parameter set through the SDK's model.
func listWith(t *testing.T, s *sdk, field reflect.StructField, name, value string) {
	t.Helper()
	literal := value
	switch field.Type.Elem().Kind() {
	case reflect.String, reflect.Struct: // a text or one of the SDK's enumerations
		literal = fmt.Sprintf("%q", value)
	}
	var req imsmodel.ListImagesRequest
	text := `{"` + name + `":` + literal + `}`
	if name == "member_status" { // "This parameter is used together with visibility=shared"
		text = `{"member_status":` + literal + `,"visibility":"shared"}`
	}
	if err := json.Unmarshal([]byte(text), &req); err != nil {
		t.Fatalf("%s=%s does not fit the SDK's model: %v", name, value, err)
	}
	resp, err := s.listImages(&req)
	if err != nil {
		t.Fatalf("%s=%s: %v", name, value, err)
	}
	reqs := s.srv.RequestsTo("/v1/cloudimages/fuzzy")
	if got := reqs[len(reqs)-1].Query[name]; !slices.Equal(got, []string{value}) {
		t.Fatalf("%s=%s reached the emulator as %q", name, value, got)
	}
	sameFields(t, name+"="+value+": image", s.lastAnswer(t, "images"), *resp.Images)
}

// checkPaging lists every image 100 at a time, following the marker as the
// SDK's user does, and compares with the listing in one page.
func checkPaging(t *testing.T, s *sdk) {
	limit := func(n int32) *int32 { return &n }
	whole, err := s.listImages(&imsmodel.ListImagesRequest{Limit: limit(5000)})
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, img := range *whole.Images {
		want = append(want, img.Id)
	}
	req := imsmodel.ListImagesRequest{Limit: limit(100)}
	for {
		page, err := s.listImages(&req)
		if err != nil {
			t.Fatal(err)
		}
		for _, img := range *page.Images {
			got = append(got, img.Id)
		}
		if len(*page.Images) < 100 {
			break
		}
		req.Marker = &got[len(got)-1]
	}
	if len(want) <= 500 || !slices.Equal(got, want) {
		t.Fatalf("paging by 100 gave %d images, one page of 5000 gave %d (want more than 500, the same in the same order)", len(got), len(want))
	}
}

// checkMarketImages reads KooGallery images by id, 100 at a time.
func checkMarketImages(t *testing.T, s *sdk) {
	var ids []string
	for _, img := range emulator.DefaultCatalog().MarketImages {
		ids = append(ids, img["image_id"].(string))
	}
	ids = ids[:apidoc.MarketMaxIDs]
	resp, err := s.workspace.ListMarketImages(&wsmodel.ListMarketImagesRequest{ImageIds: ids})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Images == nil || len(*resp.Images) != len(ids) {
		t.Fatalf("asked for %d KooGallery images, got %v", len(ids), resp.Images)
	}
	sameFields(t, "KooGallery image", s.lastAnswer(t, "images"), *resp.Images)
}
