package migrate

// What the official provider (huaweicloud/huaweicloud) does, read from its
// source (huaweicloud/services/ims/data_source_huaweicloud_images_image.go,
// data_source_huaweicloud_images_images.go and config.GetEnterpriseProjectID),
// and what it becomes here.
//
// Both official data sources list the images page by page (marker, the
// API's default page size) until an empty page, always sending
// status=active and enterprise_project_id: the data source's, else the
// provider's (its enterprise_project_id, else HW_ENTERPRISE_PROJECT_ID),
// else all_granted_eps. They send sort_key=name and sort_dir=asc unless
// set. An argument that is null or "" is not sent (GetOk), and one with a
// default takes it. They apply name_regex (unanchored RE2) to the names.
// The singular fails on no image, and on several unless most_recent is
// true; most_recent sorts with sort.Sort by updated_at in whole seconds and
// keeps the last image.
//
// What they read back: the singular from a typed image, so a missing string
// is "", a missing number 0 and a missing bool false; the plural from the
// JSON, whose missing values the SDK writes to state the same way (its
// MapFieldWriter stores nil as "", which its readers give back as "", 0 and
// false), but for size_bytes, which both leave unset (null) when
// __image_size is not a whole number. Both read max_ram_mb with
// strconv.Atoi (0 when it is not a whole number) and architecture as "arm"
// when __support_arm is "true", else "x86"; visibility is __imagetype with
// "gold" shown as "public".

// The data sources, official → hwc.
var dataSources = map[string]string{
	"huaweicloud_images_image":  "hwc_ims_image",
	"huaweicloud_images_images": "hwc_ims_images",
}

// arg is what an official argument becomes.
type arg struct {
	to   string // the hwc argument
	kind argKind
	why  string // for argDrop and argManual
}

type argKind int

const (
	argString     argKind = iota // a string sent when not "" (null or "" sends nothing)
	argSort                      // a string with an official default: "" or null is the default
	argBool                      // a bool whose null is false
	argVisibility                // visibility: image_type, "public" → "gold"
	argWholeImage                // sent only when true
	argMostRecent                // most_recent of the singular
	argDrop                      // never sent: dropped
	argManual                    // no counterpart
)

// args are the arguments of both official data sources (the plural has no
// most_recent, size_min or size_max).
var args = map[string]arg{
	"region":                {to: "region"},
	"image_id":              {to: "image_id"},
	"name":                  {to: "name"},
	"name_regex":            {to: "name_regex"},
	"owner":                 {to: "owner"},
	"flavor_id":             {to: "flavor_id"},
	"architecture":          {to: "architecture"},
	"tag":                   {to: "tag"},
	"enterprise_project_id": {to: "enterprise_project_id"},
	"image_type":            {to: "virtual_env_type"},
	"os":                    {to: "platform"},
	"sort_key":              {to: "sort_key", kind: argSort},
	"sort_direction":        {to: "sort_dir", kind: argSort},
	"visibility":            {to: "image_type", kind: argVisibility},
	"is_whole_image":        {to: "whole_image", kind: argWholeImage},
	"most_recent":           {to: "most_recent", kind: argMostRecent},
	"os_version":            {kind: argDrop, why: "the official provider never sent it to the API (it is only read back), so it selected nothing"},
	"size_min":              {kind: argDrop, why: "deprecated, and never sent to the API by the official provider"},
	"size_max":              {kind: argDrop, why: "deprecated, and never sent to the API by the official provider"},
	"__support_agent_list":  {kind: argManual, why: "the official provider kept only images whose agent list is exactly this text; hwc has no such filter"},
}

// sortDefaults are the official defaults of the sort arguments.
var sortDefaults = map[string]string{"sort_key": "name", "sort_direction": "asc"}

// allowed are the values hwc accepts where it checks more than the
// official provider does: a literal outside them cannot be converted.
var allowed = map[string][]string{
	"architecture":   {"x86", "arm"},
	"visibility":     {"public", "private", "shared", "market", "gold"},
	"sort_key":       {"name", "container_format", "disk_format", "status", "id", "size", "created_at"},
	"sort_direction": {"asc", "desc"},
}

// metaArgs are Terraform's own arguments and blocks, kept as they are
// (provider is pointed at the hwc provider).
var metaArgs = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true}

// read is what reading an official attribute becomes. %[1]s in expr is
// the hwc object it is read from.
type read struct {
	to     string // the hwc attribute holding the same value
	expr   string // or an expression of the hwc object
	manual string // or why a person must look
	null   bool   // or the official provider never sets it: it reads null
}

// Expressions of values the official provider reads with defaults.
const (
	emptyIfNull = `%[1]s.%[2]s == null ? "" : %[1]s.%[2]s`
	zeroIfNull  = `%[1]s.%[2]s == null ? 0 : %[1]s.%[2]s`
	falseIfNull = `%[1]s.%[2]s == true`
	maxRAM      = `%[1]s.max_ram == null ? 0 : (floor(%[1]s.max_ram) == %[1]s.max_ram ? %[1]s.max_ram : 0)`
	visibility  = `%[1]s.image_type == null ? "" : (%[1]s.image_type == "gold" ? "public" : %[1]s.image_type)`
	arch        = `%[1]s.support_arm == true ? "arm" : "x86"`
	agents      = `%[1]s.support_agent_list == null ? "" : join(",", %[1]s.support_agent_list)`
)

// str reads a string attribute as the official provider does ("" when
// the image has none).
func str(to string) read { return read{to: to, expr: emptyIfNull} }

// imageReads are the attributes common to the singular and an element of
// the plural's images.
var imageReads = map[string]read{
	"name": str("name"), "image_type": str("virtual_env_type"), "owner": str("owner"), "os": str("platform"),
	"enterprise_project_id": str("enterprise_project_id"), "os_version": str("os_version"), "file": str("file"),
	"schema": str("schema"), "status": str("status"), "description": str("description"),
	"container_format": str("container_format"), "disk_format": str("disk_format"), "data_origin": str("data_origin"),
	"backup_id": str("backup_id"), "active_at": str("active_at"), "checksum": str("checksum"),
	"created_at": {to: "created_at"}, "updated_at": {to: "updated_at"}, "size_bytes": {to: "image_size"},
	"visibility": {expr: visibility}, "architecture": {expr: arch}, "max_ram_mb": {expr: maxRAM},
	"protected": {to: "protected", expr: falseIfNull}, "min_ram_mb": {to: "min_ram", expr: zeroIfNull},
	"min_disk_gb": {to: "min_disk", expr: zeroIfNull},
}

// singularReads are the attributes of the singular that differ from
// imageReads, or exist only there.
var singularReads = map[string]read{
	"id": {to: "id"}, "image_id": {to: "id"}, "region": {to: "region"}, "most_recent": {to: "most_recent", expr: falseIfNull},
	"name_regex": {to: "name_regex"}, "flavor_id": {to: "flavor_id"}, "tag": {to: "tag"},
	"sort_key": {to: "sort_key"}, "sort_direction": {to: "sort_dir"},
	// The official singular never sets checksum (its read sets the other
	// attributes of the image, not this one): it is always null there.
	"checksum":       {null: true},
	"is_whole_image": {manual: "is_whole_image reads back what was configured, which hwc does not keep"},
	"size_min":       {manual: "size_min is deprecated and has no counterpart"},
	"size_max":       {manual: "size_max is deprecated and has no counterpart"},
	"metadata":       {manual: "metadata is deprecated in the official provider and has no counterpart"},
}

// elementReads are the attributes of an element of the plural's images
// that differ from imageReads, or exist only there.
var elementReads = map[string]read{
	"id": {to: "id"}, "__support_agent_list": {expr: agents},
}

// pluralReads are the arguments read back from the plural.
var pluralReads = map[string]read{
	"region": {to: "region"}, "image_id": {to: "image_id"}, "name": {to: "name"}, "name_regex": {to: "name_regex"},
	"owner": {to: "owner"}, "flavor_id": {to: "flavor_id"}, "tag": {to: "tag"}, "architecture": {to: "architecture"},
	"enterprise_project_id": {to: "enterprise_project_id"}, "image_type": {to: "virtual_env_type"}, "os": {to: "platform"},
	"sort_key": {to: "sort_key"}, "sort_direction": {to: "sort_dir"},
	"visibility":           {expr: `%[1]s.image_type == "gold" ? "public" : %[1]s.image_type`},
	"id":                   {manual: "the official id is a hash of the ids listed, that of hwc_ims_images a hash of the configuration: anything keyed on it changes"},
	"is_whole_image":       {manual: "is_whole_image reads back what was configured, which hwc does not keep"},
	"os_version":           {manual: "os_version was never sent by the official provider and has no counterpart"},
	"__support_agent_list": {manual: "__support_agent_list has no counterpart in hwc_ims_images"},
}

// lookupRead finds the conversion of reading attr from an official object.
func lookupRead(s shape, attr string) (read, bool) {
	var own map[string]read
	switch s {
	case shapeSingular:
		own = singularReads
	case shapeImage:
		own = elementReads
	case shapePlural:
		r, ok := pluralReads[attr]
		return r, ok
	}
	if r, ok := own[attr]; ok {
		return r, true
	}
	r, ok := imageReads[attr]
	return r, ok
}

// providerArgs are the provider arguments both providers share.
var providerArgs = map[string]bool{
	"alias": true, "region": true, "access_key": true, "secret_key": true, "security_token": true, "token": true,
	"project_id": true, "cloud": true, "insecure": true, "cacert_file": true, "max_retries": true,
	"enterprise_project_id": true, "user_name": true, "password": true, "domain_name": true, "domain_id": true,
	"shared_config_file": true, "profile": true,
}

// providerBlocks are the provider blocks both providers share, with the
// arguments each takes.
var providerBlocks = map[string]map[string]bool{
	"assume_role": {"agency_name": true, "domain_name": true, "domain_id": true, "duration": true},
	"assume_role_with_oidc": {"agency_name": true, "domain_id": true, "idp_id": true, "id_token": true, "id_token_file": true,
		"duration": true},
}

// providerIgnored are provider arguments that choose nothing hwc reads.
var providerIgnored = map[string]string{
	"project_name": "project_name is not needed by hwc: it looks the project up by region, or takes project_id",
}

// hwcEndpoints are the endpoint keys of the hwc provider.
var hwcEndpoints = map[string]bool{"ims": true, "iam": true, "workspace": true}
