package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate"
)

// officialBlock is a data source of the official provider, as a user
// writes it: its arguments as HCL literals.
type officialBlock struct {
	plural bool
	name   string
	args   map[string]string // argument → literal value
}

// oracleCorpus covers every argument the official data sources send, both
// defaults and explicit sorts, most_recent over images whose update and
// creation orders disagree, name_regex, and an alias.
var oracleCorpus = []officialBlock{
	{false, "ubuntu_newest", map[string]string{"os": "Ubuntu", "visibility": "public", "most_recent": "true"}},
	// Updated last and created last are two images here (x86 and ARM).
	{false, "debian", map[string]string{"os": "Debian", "visibility": "public", "most_recent": "true"}},
	{false, "shared_ubuntu", map[string]string{"os": "Ubuntu", "visibility": "shared", "most_recent": "true"}},
	{false, "centos_arm", map[string]string{"name_regex": "^CentOS 7", "architecture": "arm", "most_recent": "true", "os_version": "CentOS 7.9 64bit"}},
	{false, "exact", map[string]string{"name": "webapp-3.4.9", "visibility": "private"}},
	{false, "shared", map[string]string{"visibility": "shared", "most_recent": "true", "owner": emulator.SharerOwner}},
	{false, "tagged", map[string]string{"visibility": "private", "tag": "env=prod", "name_regex": "^api-gateway-", "most_recent": "true"}},
	{false, "fast", map[string]string{"flavor_id": "c7.large.2", "image_type": "FusionCompute", "most_recent": "true", "sort_key": "created_at"}},
	{true, "centos", map[string]string{"os": "CentOS", "visibility": "public"}},
	{true, "market_newest_first", map[string]string{"visibility": "market", "sort_key": "created_at", "sort_direction": "desc"}},
	{true, "webapp", map[string]string{"visibility": "private", "tag": "app=webapp", "name_regex": "^webapp-1\\\\."}},
	{true, "whole", map[string]string{"is_whole_image": "true", "visibility": "private", "enterprise_project_id": "0"}},
	{true, "bms", map[string]string{"image_type": "Ironic", "sort_key": "id"}},
	{true, "everything_arm", map[string]string{"architecture": "arm", "image_type": "FusionCompute", "size_min": "1"}},
}

// officialConfig is the corpus as a configuration of the official provider,
// pointed at the emulator, with an output of the ids each block selects.
func officialConfig(emu string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

provider "huaweicloud" {
  region     = %q
  access_key = %q
  secret_key = %q
  auth_url   = "%s/v3"
  endpoints = {
    ims = %q
  }
}
`, emulator.DefaultRegion, emulator.DefaultAccessKey, emulator.DefaultSecretKey, emu, emu)
	for _, blk := range oracleCorpus {
		typ, ids := "huaweicloud_images_image", "[data.huaweicloud_images_image.%s.id]"
		if blk.plural {
			typ, ids = "huaweicloud_images_images", "[for image in data.huaweicloud_images_images.%s.images : image.id]"
		}
		fmt.Fprintf(&b, "\ndata %q %q {\n", typ, blk.name)
		for _, k := range slices.Sorted(maps.Keys(blk.args)) {
			v := blk.args[k]
			if v != "true" && v != "1" {
				v = `"` + v + `"`
			}
			fmt.Fprintf(&b, "  %s = %s\n", k, v)
		}
		fmt.Fprintf(&b, "}\n\noutput %q {\n  value = "+ids+"\n}\n", blk.name, blk.name)
	}
	return b.String()
}

// oracle selects what the official provider selects for blk, as its source
// does: the query it sends (status=active and enterprise_project_id always,
// sort_key=name and sort_dir=asc unless set), every page until an empty one,
// name_regex, and for the singular most_recent by updated_at in whole
// seconds. It returns the ids in order; for a most_recent whose newest
// update time is shared, every id that may come first.
func oracle(t *testing.T, emu string, blk officialBlock) []string {
	t.Helper()
	q := url.Values{"status": {"active"}, "enterprise_project_id": {"all_granted_eps"}, "sort_key": {"name"}, "sort_dir": {"asc"}}
	params := map[string]string{"image_id": "id", "name": "name", "image_type": "virtual_env_type", "owner": "owner",
		"flavor_id": "flavor_id", "sort_key": "sort_key", "sort_direction": "sort_dir", "os": "__platform",
		"architecture": "architecture", "tag": "tag", "enterprise_project_id": "enterprise_project_id"}
	for arg, v := range blk.args {
		switch {
		case params[arg] != "":
			q.Set(params[arg], v)
		case arg == "visibility" && v == "public":
			q.Set("__imagetype", "gold")
		case arg == "visibility":
			q.Set("__imagetype", v)
		case arg == "is_whole_image" && v == "true":
			q.Set("__whole_image", "true")
		}
	}
	type image struct {
		ID, Name  string
		UpdatedAt string `json:"updated_at"`
	}
	var all []image
	for marker := ""; ; {
		page := url.Values{}
		for k, v := range q {
			page[k] = v
		}
		if marker != "" {
			page.Set("marker", marker)
		}
		req, _ := http.NewRequest(http.MethodGet, emu+"/v1/cloudimages/fuzzy?"+page.Encode(), nil)
		req.Header.Set("X-Auth-Token", emulator.DefaultToken)
		req.Header.Set("X-Project-Id", emulator.DefaultProjectID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Images []image }
		err = json.NewDecoder(resp.Body).Decode(&body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: status %d, %v", page.Encode(), resp.StatusCode, err)
		}
		if len(body.Images) == 0 {
			break
		}
		all = append(all, body.Images...)
		marker = body.Images[len(body.Images)-1].ID
	}
	if re, ok := blk.args["name_regex"]; ok {
		re = strings.ReplaceAll(re, `\\`, `\`)
		all = slices.DeleteFunc(all, func(img image) bool { return !regexp.MustCompile(re).MatchString(img.Name) })
	}
	if blk.plural || blk.args["most_recent"] != "true" || len(all) < 2 {
		ids := make([]string, len(all))
		for i, img := range all {
			ids[i] = img.ID
		}
		return ids
	}
	unix := func(img image) int64 {
		at, _ := time.Parse(time.RFC3339, img.UpdatedAt)
		return at.Unix()
	}
	newest := slices.MaxFunc(all, func(a, b image) int { return int(unix(a) - unix(b)) })
	var tied []string
	for _, img := range all {
		if unix(img) == unix(newest) {
			tied = append(tied, img.ID)
		}
	}
	return tied
}

// withoutOfficialProvider removes the huaweicloud provider from a converted
// configuration: it cannot be installed here, and once hwc-migrate has run
// nothing of the corpus uses it.
func withoutOfficialProvider(t *testing.T, src []byte) []byte {
	t.Helper()
	f, diags := hclwrite.ParseConfig(src, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, b := range f.Body().Blocks() {
		switch {
		case b.Type() == "provider" && b.Labels()[0] == "huaweicloud":
			f.Body().RemoveBlock(b)
		case b.Type() == "terraform":
			for _, rp := range b.Body().Blocks() {
				rp.Body().RemoveAttribute("huaweicloud")
			}
		}
	}
	return f.Bytes()
}

// A configuration of the official provider's image data sources, converted
// by hwc-migrate, selects through Terraform exactly what the official
// provider would: the same ids in the same order, for every block of the
// corpus (a most_recent tie, which the official provider breaks at random,
// goes to the larger id).
func TestMigrate_selectsWhatTheOfficialProviderSelects(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	res, err := migrate.Module(map[string][]byte{"main.tf": []byte(officialConfig(env.url))})
	if err != nil {
		t.Fatal(err)
	}
	if res.NeedsPerson() {
		t.Fatalf("the corpus needs a person: %v", res.Notes)
	}
	w := newWorkDir(t, withError(testServer()))
	w.address = publishedAddress()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), withoutOfficialProvider(t, res.Files["main.tf"]), 0o600); err != nil {
		t.Fatal(err)
	}
	w.init()
	if _, stderr, err := w.run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, stderr)
	}
	stdout, stderr, err := w.run("output", "-json")
	if err != nil {
		t.Fatalf("terraform output: %v\n%s", err, stderr)
	}
	var outputs map[string]struct{ Value []string }
	if err := json.Unmarshal(stdout, &outputs); err != nil {
		t.Fatal(err)
	}
	for _, blk := range oracleCorpus {
		want, got := oracle(t, env.url, blk), outputs[blk.name].Value
		if len(want) == 0 {
			t.Errorf("%s: the corpus must select something", blk.name)
			continue
		}
		if !blk.plural && blk.args["most_recent"] == "true" {
			// Any of the tied ids is what the official provider may pick; ours is the largest.
			want = []string{slices.Max(want)}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: hwc selects %d ids %v…, the official provider %d ids %v…", blk.name, len(got), head(got), len(want), head(want))
		}
	}
}

func head(ids []string) []string { return ids[:min(3, len(ids))] }
