package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// Each bad argument is an error naming the attribute, before any request.
func TestIMSImages_badInputSendsNoRequest(t *testing.T) {
	cases := []struct {
		body string
		want string
	}{
		{`image_type = "public"`, `Attribute image_type value must be one of`},
		{`visibility = "everyone"`, `Attribute visibility value must be one of`},
		{`status = "ACTIVE"`, `Attribute status value must be one of`},
		{`disk_format = "vmdk"`, `Attribute disk_format value must be one of`},
		{`container_format = "ovf"`, `Attribute container_format value must be one of`},
		{`os_bit = "16"`, `Attribute os_bit value must be one of`},
		{`os_type = "linux"`, `Attribute os_type value must be one of`},
		{`virtual_env_type = "KVM"`, `Attribute virtual_env_type value must be one of`},
		{`architecture = "amd64"`, `Attribute architecture value must be one of`},
		{`sort_key = "owner"`, `Attribute sort_key value must be one of`},
		{`sort_dir = "up"`, `Attribute sort_dir value must be one of`},
		{`min_ram = -1`, `Attribute min_ram value must be at least 0`},
		{`min_disk = -5`, `Attribute min_disk value must be at least 0`},
		{`limit = 0`, `Attribute limit value must be at least 1`},
		{`name = ""`, `Attribute name string length must be at least 1`},
		{`platform = ""`, `Attribute platform string length must be at least 1`},
		{`tag = "env"`, `Attribute tag must be key=value`},
		{`enterprise_project_id = "default"`, `Attribute enterprise_project_id must be 0, a UUID or all_granted_eps`},
		{`created_after = "2024-02-30T00:00:00Z"`, `created_after is "2024-02-30T00:00:00Z": day out of range`},
		{`created_before = "yesterday"`, `created_before is "yesterday"`},
		{`updated_after = "2024-01-01"`, `updated_after is "2024-01-01"`},
		{`updated_before = "2024-13-01T00:00:00Z"`, `updated_before is "2024-13-01T00:00:00Z": month out of range`},
		{`name_regex = "web-("`, `name_regex is not a valid RE2 regular expression`},
		{`member_status = "accepted"`, `member_status filters shared images only, so it needs visibility = "shared"`},
		{"visibility = \"private\"\nmember_status = \"accepted\"", `member_status filters shared images only`},
		{"support_kvm = true\nsupport_kvm_gpu_type = \"T4\"", `Attribute "support_kvm" cannot be specified when "support_kvm_gpu_type" is specified`},
		{"support_xen = false\nsupport_xen_gpu_type = \"M60\"", `Attribute "support_xen" cannot be specified when "support_xen_gpu_type" is specified`},
		{"support_kvm = true\nsupport_xen_hana = true", `Attribute "support_kvm" cannot be specified when "support_xen_hana" is specified`},
		{"support_xen = true\nsupport_kvm_infiniband = true", `Attribute "support_xen" cannot be specified when "support_kvm_infiniband" is specified`},
	}
	env := newTestEnv(t, emulator.Options{})
	var steps []resource.TestStep
	for _, c := range cases {
		for _, ds := range []string{"hwc_ims_images", "hwc_ims_image"} {
			steps = append(steps, resource.TestStep{
				Config:      env.provider() + "data \"" + ds + "\" \"x\" {\n" + c.body + "\n}\n",
				ExpectError: errorRE(c.want),
			})
		}
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	env.expectNoRequests(t)
}

func TestProvider_badConfigurationSendsNoRequest(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	ds := `data "hwc_ims_images" "x" {}`
	block := func(body string) string { return "provider \"hwc\" {\n" + body + "\n}\n" + ds }
	endpoints := `endpoints = { ims = "` + env.url + `", workspace = "` + env.url + `", iam = "` + env.url + `" }`
	creds := `access_key = "AK"
secret_key = "SK"`
	cases := []struct {
		body string
		want string
	}{
		{creds + "\n" + endpoints, `Missing Region .* Set region in the provider block or the HW_REGION_NAME environment variable`},
		{"region = \"cn-north-4\"\naccess_key = \"AK\"\n" + endpoints, `Missing Secret Key .* access_key is set, so secret_key is required too`},
		{"region = \"cn-north-4\"\nsecret_key = \"SK\"\n" + endpoints, `Missing Access Key`},
		{"region = \"cn-north-4\"\ntoken = \"T\"\n" + creds + "\n" + endpoints, `Conflicting Credentials .* token (HW_AUTH_TOKEN) and access_key (HW_ACCESS_KEY) cannot be used together`},
		{"region = \"cn-north-4\"\n" + endpoints, `Missing Credentials .* Set access_key and secret_key`},
		{"region = \"cn-north-4\"\nsecurity_token = \"ST\"\ntoken = \"T\"\n" + endpoints, `Security Token Without Access Key`},
		{"region = \"cn-north-4\"\n" + creds + "\nendpoints = { ecs = \"https://ecs.example.com\" }", `Unknown Endpoint Key .* "ecs" is not a service of this provider. The allowed keys are ims, workspace and iam`},
		{"region = \"cn-north-4\"\n" + creds + "\nendpoints = { ims = \"ims.example.com\" }", `Invalid Endpoint URL .* endpoints["ims"]: "ims.example.com" must start with https:// or http://`},
		{"region = \"cn-north-4\"\n" + creds + "\nendpoints = { iam = \"https://\" }", `Invalid Endpoint URL .* has no host`},
		{"region = \"cn-north-4\"\n" + creds + "\nmax_retries = -1\n" + endpoints, `Attribute max_retries value must be at least 0`},
		{"region = \"cn-north-4\"\n" + creds + "\nrequest_timeout = \"soon\"\n" + endpoints, `request_timeout is "soon", which is not a duration`},
		{"region = \"cn-north-4\"\n" + creds + "\nrequest_timeout = \"0s\"\n" + endpoints, `request_timeout is "0s"; it must be a positive duration`},
		{"region = \"cn-north-4\"\n" + creds + "\ncacert_file = \"/nonexistent/ca.pem\"\n" + endpoints, `Unreadable CA Bundle`},
		{"region = \"\"\n" + creds + "\n" + endpoints, `Attribute region string length must be at least 1`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: block(c.body), ExpectError: errorRE(c.want)})
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	env.expectNoRequests(t)
}

func TestProvider_regionWithoutProject(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "hwc" {
  region     = "xx-nowhere-1"
  access_key = "` + emulator.DefaultAccessKey + `"
  secret_key = "` + emulator.DefaultSecretKey + `"
  endpoints  = { ims = "` + env.url + `", workspace = "` + env.url + `", iam = "` + env.url + `" }
}
data "hwc_ims_images" "x" {}`,
			ExpectError: errorRE(`IAM has no project named "xx-nowhere-1" for these credentials. Check region, or set project_id`),
		}},
	})
	if n := env.requestCount("/cloudimages/fuzzy"); n != 0 {
		t.Errorf("no listing may be sent without a project: %d", n)
	}
}

func TestProvider_tokenAndTemporaryCredentials(t *testing.T) {
	env := newTestEnv(t, emulator.Options{
		Credentials: []emulator.Credential{{AccessKey: "TEMPAK", SecretKey: "TEMPSK", SecurityToken: "session-token-1"}},
		Tokens:      []string{"token-1"},
		Catalog:     &emulator.Catalog{Images: numberedImages(2)},
	})
	endpoints := `endpoints  = { ims = "` + env.url + `", workspace = "` + env.url + `", iam = "` + env.url + `" }`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: `provider "hwc" {
  region = "cn-north-4"
  token  = "token-1"
  ` + endpoints + `
}
data "hwc_ims_images" "x" {}`,
				Check: resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "2"),
			},
			{
				Config: `provider "hwc" {
  region         = "cn-north-4"
  project_id     = "` + emulator.DefaultProjectID + `"
  access_key     = "TEMPAK"
  secret_key     = "TEMPSK"
  security_token = "session-token-1"
  ` + endpoints + `
}
data "hwc_ims_images" "x" {}`,
				Check: resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "2"),
			},
			{
				Config: `provider "hwc" {
  region     = "cn-north-4"
  access_key = "TEMPAK"
  secret_key = "TEMPSK"
  ` + endpoints + `
}
data "hwc_ims_images" "x" {}`,
				ExpectError: errorRE(`HTTP status: 401 .* APIGW.0301 .* the security token is missing or does not match the access key`),
			},
		},
	})
	for _, r := range env.emu.RequestsTo("/cloudimages/fuzzy") {
		if r.Header.Get("X-Security-Token") == "" && r.Header.Get("X-Auth-Token") == "" && r.Status == 200 {
			t.Errorf("a listing succeeded without token or security token")
		}
	}
}

func TestOSTypeWindowsWarns(t *testing.T) {
	f, _ := filterByAttr("os_type")
	for _, v := range f.extra {
		var resp validator.StringResponse
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("os_type"), ConfigValue: types.StringValue("Windows")}, &resp)
		if resp.Diagnostics.WarningsCount() == 1 && resp.Diagnostics[0].Summary() == "Windows Images Are No Longer Listed" {
			return
		}
	}
	t.Fatal("os_type = \"Windows\" must warn that IMS no longer lists Windows images")
}
