// Package standin is, for tests, a stand-in for the official provider
// (huaweicloud/huaweicloud): a model of what its image data sources send
// and read, written from its source (huaweicloud/services/ims/
// data_source_huaweicloud_images_image.go and _images.go,
// config.GetEnterpriseProjectID, the SDK's MapFieldWriter and
// stringToPrimitive), and a provider serving them from that model against
// the emulator, so that hwc-migrate -verify can plan a configuration of
// the official provider with no registry.
package standin

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// Block is a data source of the official provider: its arguments that are
// set (not null), as text ("" when set to "", "true" for a true bool).
type Block struct {
	Plural bool
	Name   string
	Args   map[string]string
}

// Query is what the official provider sends for a block: status=active,
// the enterprise project (the block's, else the provider's, else
// all_granted_eps; GetOk: "" is unset), sort_key=name and sort_dir=asc unless
// set, and every other argument that is set and not "".
func Query(blk Block, providerEPS string) url.Values {
	q := url.Values{"status": {"active"}, "sort_key": {"name"}, "sort_dir": {"asc"}}
	params := map[string]string{"image_id": "id", "name": "name", "image_type": "virtual_env_type", "owner": "owner",
		"flavor_id": "flavor_id", "sort_key": "sort_key", "sort_direction": "sort_dir", "os": "__platform",
		"architecture": "architecture", "tag": "tag"}
	for arg, v := range blk.Args {
		switch {
		case v == "" && (arg == "sort_key" || arg == "sort_direction"):
			// The schema's default applies to null alone: "" is sent as
			// nothing at all.
			q.Del(params[arg])
		case v == "":
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
	q.Set("enterprise_project_id", cmp.Or(blk.Args["enterprise_project_id"], providerEPS, "all_granted_eps"))
	return q
}

// List reads every page of the emulator at base until an empty one, as the
// official provider does.
func List(base string, q url.Values) ([]map[string]any, error) {
	var all []map[string]any
	for marker := ""; ; {
		page := url.Values{}
		maps.Copy(page, q)
		if marker != "" {
			page.Set("marker", marker)
		}
		req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(base, "/")+"/v1/cloudimages/fuzzy?"+page.Encode(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-Auth-Token", emulator.DefaultToken)
		req.Header.Set("X-Project-Id", emulator.DefaultProjectID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		var body struct{ Images []map[string]any }
		err = json.NewDecoder(resp.Body).Decode(&body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("listing images (%s): status %d, %v", page.Encode(), resp.StatusCode, err)
		}
		if len(body.Images) == 0 {
			return all, nil
		}
		all = append(all, body.Images...)
		marker = TextOf(body.Images[len(body.Images)-1], "id")
	}
}

// Select is what a block selects: the listing, name_regex, and for the
// singular with most_recent, sort.Sort by updated_at in whole seconds and
// the last image.
func Select(base string, blk Block, providerEPS string) ([]map[string]any, error) {
	all, err := List(base, Query(blk, providerEPS))
	if err != nil {
		return nil, err
	}
	if re := blk.Args["name_regex"]; re != "" {
		r, err := regexp.Compile(re)
		if err != nil {
			return nil, err
		}
		all = slices.DeleteFunc(all, func(img map[string]any) bool { return !r.MatchString(TextOf(img, "name")) })
	}
	if blk.Plural || blk.Args["most_recent"] != "true" || len(all) < 2 {
		return all, nil
	}
	sort.Sort(byUpdate(all))
	return all[len(all)-1:], nil
}

type byUpdate []map[string]any

func (b byUpdate) Len() int      { return len(b) }
func (b byUpdate) Swap(i, j int) { b[i], b[j] = b[j], b[i] }
func (b byUpdate) Less(i, j int) bool {
	at := func(img map[string]any) int64 {
		t, _ := time.Parse(time.RFC3339, TextOf(img, "updated_at"))
		return t.Unix()
	}
	return at(b[i]) < at(b[j])
}

// TextOf is a text field of an image, "" when missing.
func TextOf(img map[string]any, key string) string {
	s, _ := img[key].(string)
	return s
}

// Read is an attribute as the official provider shows it: strings "" when
// missing, whole numbers 0, bools false; max_ram_mb through strconv.Atoi,
// size_bytes unset (nil) unless __image_size is a whole number, visibility
// "public" for gold, architecture "arm" when __support_arm is "true".
// Numbers are float64.
func Read(img map[string]any, attr string) any {
	fields := map[string]string{"os": "__platform", "image_type": "virtual_env_type", "description": "__description",
		"backup_id": "__backup_id", "data_origin": "__data_origin", "os_version": "__os_version"}
	switch attr {
	case "visibility":
		if v := TextOf(img, "__imagetype"); v != "gold" {
			return v
		}
		return "public"
	case "architecture":
		if TextOf(img, "__support_arm") == "true" {
			return "arm"
		}
		return "x86"
	case "max_ram_mb":
		n, _ := strconv.Atoi(TextOf(img, "max_ram"))
		return float64(n)
	case "size_bytes":
		if n, err := strconv.Atoi(TextOf(img, "__image_size")); err == nil {
			return float64(n)
		}
		return nil
	case "min_ram_mb", "min_disk_gb":
		n, _ := img[strings.TrimSuffix(strings.TrimSuffix(attr, "_mb"), "_gb")].(float64)
		return n
	case "protected":
		b, _ := img["protected"].(bool)
		return b
	}
	return TextOf(img, cmp.Or(fields[attr], attr))
}

// The attributes the stand-in reads of a selected image: the singular's,
// and an element of the plural's (with id besides). The singular never
// sets checksum: it reads null, whatever the image holds.
var (
	SingularReads = []string{"id", "name", "os", "image_type", "visibility", "architecture", "enterprise_project_id", "owner",
		"description", "backup_id", "data_origin", "min_ram_mb", "max_ram_mb", "min_disk_gb", "size_bytes", "protected",
		"status", "container_format", "disk_format", "os_version", "created_at", "updated_at", "checksum"}
	ElementReads = append(slices.Clone(SingularReads[1:len(SingularReads)-1]), "__support_agent_list")
)
