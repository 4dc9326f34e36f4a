package conformance

import (
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// signedConfiguration reads with all three data sources, with texts that
// need encoding in a query (spaces, "+", "/", "=", and non-ASCII letters).
const signedConfiguration = `
terraform {
  required_providers {
    hwc = { source = "hwc-terraform/hwc" }
  }
}

provider "hwc" {
  region         = "cn-north-4"
  access_key     = "%ACCESS%"
  secret_key     = "%SECRET%"
  security_token = %TOKEN%
  endpoints = {
    ims       = "%URL%"
    workspace = "%URL%"
    iam       = "%URL%"
  }
}

data "hwc_ims_images" "private" {
  image_type = "private"
  tag        = "team=data/ops+1"
  name       = "build agent é ü"
}

data "hwc_ims_images" "ubuntu" {
  image_type    = "gold"
  platform      = "Ubuntu"
  created_after = "2020-01-01T00:00:00Z"
}

data "hwc_ims_image" "newest" {
  image_type  = "gold"
  platform    = "Debian"
  most_recent = true
}

data "hwc_workspace_market_images" "some" {
  image_ids = ["%MARKET%"]
}
`

// TestProviderSignsAsTheSDK runs terraform plan with the provider, built
// from this repository, against the emulator, and recomputes the
// Authorization header of every request it sent with the SDK's signer.
func TestProviderSignsAsTheSDK(t *testing.T) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH (make test does)")
		}
	}
	plugins := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(plugins, "terraform-provider-hwc"), ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rc := filepath.Join(t.TempDir(), "terraformrc")
	overrides := `provider_installation {
  dev_overrides {
    "registry.terraform.io/hwc-terraform/hwc" = "` + plugins + `"
    "registry.opentofu.org/hwc-terraform/hwc" = "` + plugins + `"
  }
  direct {}
}
`
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	market := emulator.DefaultCatalog().MarketImages[0]["image_id"].(string)

	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			srv := emulator.New(emulator.Options{Credentials: []emulator.Credential{mode.cred}})
			ts := httptest.NewServer(srv)
			defer ts.Close()
			token := "null"
			if mode.cred.SecurityToken != "" {
				token = `"` + mode.cred.SecurityToken + `"`
			}
			config := strings.NewReplacer("%ACCESS%", mode.cred.AccessKey, "%SECRET%", mode.cred.SecretKey,
				"%TOKEN%", token, "%URL%", ts.URL, "%MARKET%", market).Replace(signedConfiguration)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
				t.Fatal(err)
			}
			plan := exec.Command(cli, "plan", "-input=false", "-no-color")
			plan.Dir = dir
			plan.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
			if out, err := plan.CombinedOutput(); err != nil {
				t.Fatalf("terraform plan: %v\n%s", err, out)
			}
			host := strings.TrimPrefix(ts.URL, "http://")
			paths := map[string]bool{}
			for _, r := range srv.Requests() {
				want := sdkAuthorization(t, ts.URL, host, r, mode.cred)
				if got := r.Header.Get("Authorization"); got != want {
					t.Errorf("%s %s?%s\nthe provider signed %s\nthe SDK's signer gives %s", r.Method, r.Path, r.RawQuery, got, want)
				}
				paths[r.Path] = true
			}
			if len(paths) != 3 {
				t.Fatalf("want requests to IAM, IMS and Workspace, got %v", paths)
			}
		})
	}
}

// sdkAuthorization is what the SDK's signer computes for the request the
// emulator received: the same method, path, query and the headers the
// provider signed, with their values, at the same X-Sdk-Date.
func sdkAuthorization(t *testing.T, endpoint, host string, r emulator.Request, cred emulator.Credential) string {
	t.Helper()
	_, list, _ := strings.Cut(r.Header.Get("Authorization"), "SignedHeaders=")
	list, _, _ = strings.Cut(list, ",")
	b := request.NewHttpRequestBuilder().WithEndpoint(endpoint).WithPath(r.Path).WithMethod(r.Method)
	for _, name := range strings.Split(list, ";") {
		value := r.Header.Get(name)
		if name == "host" {
			value = host // the SDK signs the Host header only when it is given as one
		}
		if name == "x-sdk-date" {
			name = "X-Sdk-Date" // the name under which the signer finds the date to sign with
		}
		b.AddHeaderParam(name, value)
	}
	query, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range query {
		if len(vs) == 1 {
			b.AddQueryParam(k, reflect.ValueOf(vs[0]))
		} else {
			b.AddQueryParam(k, reflect.ValueOf(vs))
		}
	}
	headers, err := signer.Sign(b.Build(), cred.AccessKey, cred.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	return headers["Authorization"]
}
