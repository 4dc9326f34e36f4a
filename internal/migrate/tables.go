package migrate

// What the official provider (huaweicloud/huaweicloud) does, read from its
// source (huaweicloud/services/ims/data_source_huaweicloud_images_image.go
// and data_source_huaweicloud_images_images.go), and what it becomes here.
//
// Both official data sources list GET /v2/cloudimages page by page (marker,
// the API's default page size) until an empty page, always sending
// status=active and enterprise_project_id (the data source's, else the
// provider block's, else all_granted_eps), with sort_key=name and
// sort_dir=asc unless set. They apply name_regex (unanchored RE2) to the
// names. The singular fails on no image, and on several unless most_recent
// is true; most_recent keeps the image with the newest updated_at (whole
// seconds; ties fall at random).

// The data sources, official → hwc.
var dataSources = map[string]string{
	"huaweicloud_images_image":  "hwc_ims_image",
	"huaweicloud_images_images": "hwc_ims_images",
}

// argRenames are the arguments that keep their meaning under another name
// (or the same one).
var argRenames = map[string]string{
	"region":                "region",
	"image_id":              "image_id",
	"name":                  "name",
	"name_regex":            "name_regex",
	"owner":                 "owner",
	"flavor_id":             "flavor_id",
	"architecture":          "architecture",
	"tag":                   "tag",
	"enterprise_project_id": "enterprise_project_id",
	"image_type":            "virtual_env_type",
	"os":                    "platform",
	"sort_key":              "sort_key",
	"sort_direction":        "sort_dir",
}

// metaArgs are Terraform's own arguments and blocks, kept as they are
// (provider is pointed at the hwc provider).
var metaArgs = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true, "lifecycle": true}

// ignoredArgs are arguments the official provider accepts and never sends:
// they select nothing, so they are dropped.
var ignoredArgs = map[string]string{
	"os_version": "the official provider never sent it to the API (it is only an attribute there), so it selected nothing",
	"size_min":   "deprecated, and never sent to the API by the official provider",
	"size_max":   "deprecated, and never sent to the API by the official provider",
}

// attrRenames are the attributes read from an official image (the
// singular's top level, or an element of the plural's images) that hold the
// same value under another name here.
var attrRenames = map[string]string{
	"image_id":       "id",
	"image_type":     "virtual_env_type",
	"os":             "platform",
	"min_ram_mb":     "min_ram",
	"max_ram_mb":     "max_ram",
	"min_disk_gb":    "min_disk",
	"size_bytes":     "image_size",
	"sort_direction": "sort_dir",
	"is_whole_image": "whole_image",
}

// attrExprs are the attributes that are an expression of hwc attributes;
// %[1]s is the image the attribute is read from.
var attrExprs = map[string]string{
	"visibility":           `(%[1]s.image_type == "gold" ? "public" : %[1]s.image_type)`,
	"architecture":         `(%[1]s.support_arm == true ? "arm" : "x86")`,
	"__support_agent_list": `(%[1]s.support_agent_list == null ? null : join(",", %[1]s.support_agent_list))`,
}

// attrGone are the attributes with no counterpart.
var attrGone = map[string]string{
	"metadata": "metadata is deprecated in the official provider and has no counterpart",
}

// providerRenames are the provider arguments both providers share.
var providerRenames = map[string]bool{
	"alias": true, "region": true, "access_key": true, "secret_key": true, "security_token": true, "token": true,
	"project_id": true, "cloud": true, "insecure": true, "cacert_file": true, "max_retries": true,
}

// providerIgnored are provider arguments hwc does not need.
var providerIgnored = map[string]string{
	"domain_name":  "domain_name is not needed by hwc (it authenticates with AK/SK or a token in the project of project_id or region)",
	"domain_id":    "domain_id is not needed by hwc",
	"project_name": "project_name is not needed by hwc: it looks the project up by region, or takes project_id",
	"user_id":      "user_id is not needed by hwc",
}

// hwcEndpoints are the endpoint keys of the hwc provider.
var hwcEndpoints = map[string]bool{"ims": true, "iam": true, "workspace": true}
