package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// jsonEscaped writes every character of s as a JSON \u escape: the same
// text once decoded, other bytes on the wire.
func jsonEscaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// A server that copies the credentials it receives into the fields of the
// images it lists — the name, the description, the owner, the tags, the
// agent list, plainly or as JSON escapes — gets none of them into the state,
// the plan, terraform show -json or a diagnostic: no run of 12 characters
// of the token, the security token, the access key or the secret key.
func TestHostile_reflectedCredentialsInImageFields(t *testing.T) {
	t.Parallel()
	token := "tok-REFLECTED-IN-FIELDS-" + strings.Repeat("a1b2c3d4e5", 4)
	const accessKey, secretKey = "HPUAFIELDS0000000001", "sk-FIELDS-5e6f708192a3b4c5d6e7"
	securityToken := "st-FIELDS-" + strings.Repeat("9f8e7d6c5b", 6)
	secrets := []string{token, securityToken, accessKey, secretKey}
	handler := func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-Auth-Token") + r.Header.Get("X-Security-Token") + " " + r.Header.Get("Authorization")
		got = strings.ReplaceAll(got, `"`, "")
		img := fmt.Sprintf(`{"id": "11111111-2222-4333-8444-555555555555", "name": "image %s", "status": "active",
			"__description": "%s", "owner": "%s", "tags": ["k=%s", "escaped=%s"], "__support_agent_list": "hss,%s",
			"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}`,
			got, jsonEscaped(got), got, got, jsonEscaped(got), got)
		_, _ = fmt.Fprintf(w, `{"images": [%s]}`, img)
	}
	for _, creds := range []string{
		fmt.Sprintf("token = %q", token),
		fmt.Sprintf("access_key = %q\n  secret_key = %q\n  security_token = %q", accessKey, secretKey, securityToken),
	} {
		h := newHostileServer(t, handler)
		w := providertest.NewWorkDir(t, withError(testServer()))
		w.SetConfig(fmt.Sprintf(`provider "hwc" {
  region     = "cn-north-4"
  project_id = "p1"
  %s
  endpoints  = { ims = %q, workspace = %q, iam = %q }
}

data "hwc_ims_image" "one" {}

data "hwc_ims_images" "all" {}

output "name" {
  value = data.hwc_ims_image.one.name
}

output "images" {
  value = data.hwc_ims_images.all.images
}
`, creds, h.url, h.url, h.url))
		w.Init()
		plan, stderr, err := w.Run("plan", "-no-color", "-input=false")
		if err != nil {
			t.Fatalf("terraform plan: %v\n%s", err, stderr)
		}
		if _, stderr, err := w.Run("apply", "-auto-approve", "-no-color", "-input=false"); err != nil {
			t.Fatalf("terraform apply: %v\n%s", err, stderr)
		}
		show, _, err := w.Run("show", "-json")
		if err != nil {
			t.Fatal(err)
		}
		state, err := os.ReadFile(filepath.Join(w.Dir(), "terraform.tfstate"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(state), "image ***") || !json.Valid(show) {
			t.Fatalf("the state does not hold the masked name; the test proves nothing:\n%.2000s", state)
		}
		for what, text := range map[string][]byte{"plan": plan, "state": state, "show -json": show} {
			if run := secretRun(string(text), secrets...); run != "" {
				i := strings.Index(string(text), run)
				t.Errorf("%s shows %q of a credential: …%s…", what, run, string(text)[max(0, i-200):min(len(text), i+50)])
			}
		}
	}
}

// The names and ids of images that a diagnostic quotes — "Several IMS
// Images Match" and the nearest names of "No IMS Image Matches" — go
// through the cleaner: control characters replaced, each cut to 1,000
// characters (a 200,000-character name made a 200 KB error).
func TestHostile_quotedImageNamesAreCleaned(t *testing.T) {
	t.Parallel()
	long := "\x1b[31m" + strings.Repeat("webapp-", 200000/7)
	images := func(names ...string) string {
		var list []string
		for i, n := range names {
			// Ids within the 256 bytes a listing allows, with an escape sequence.
			b, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("id-%d-\x1b]8;;", i) + strings.Repeat("x", 240), "name": n, "status": "active"})
			list = append(list, string(b))
		}
		return `{"images": [` + strings.Join(list, ",") + `]}`
	}
	for _, c := range []struct {
		config, handlerName, want string
		handler                   http.HandlerFunc
	}{
		{`data "hwc_ims_image" "x" {}`, "several", "Several IMS Images Match", body(images(long+"1", long+"2"))},
		{`data "hwc_ims_image" "x" { name = "webapp" }`, "nearest", "The nearest names",
			func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Has("name") {
					_, _ = w.Write([]byte(`{"images": []}`))
					return
				}
				_, _ = w.Write([]byte(images(long+"1", long+"2", long+"3")))
			}},
	} {
		h := newHostileServer(t, c.handler)
		failed := false
		providertest.Run(t, resource.TestCase{
			ProtoV6ProviderFactories: h.env().factories(),
			Steps:                    []resource.TestStep{{Config: h.provider() + c.config}},
			ErrorCheck: func(err error) error {
				failed = true
				text := err.Error()
				switch {
				case !strings.Contains(text, c.want):
					return fmt.Errorf("%s: the diagnostic does not say %q: %.3000s", c.handlerName, c.want, text)
				case strings.ContainsRune(text, '\x1b'):
					return fmt.Errorf("%s: the diagnostic holds an escape sequence", c.handlerName)
				case len(text) > 12000:
					return fmt.Errorf("%s: the diagnostic is %d bytes long", c.handlerName, len(text))
				}
				return nil
			},
		})
		if !failed {
			t.Errorf("%s: the plan succeeded", c.handlerName)
		}
	}
}
