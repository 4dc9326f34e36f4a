// Package apidoc is what the two API documents the provider speaks say of
// each field: every query parameter and response field of IMS "Querying
// Images" and every image field of Workspace "Obtaining KooGallery Images",
// with its type and the values it allows. The provider's validators and
// docs, the emulator's checks and catalog, and the tests of both read them
// from here, so that none of them can drift from the documents or from each
// other.
package apidoc

import "slices"

// Kind is how a field is written in JSON, or a parameter in a query.
type Kind int

const (
	Text     Kind = iota // a string
	Int                  // a JSON number, whole
	Bool                 // a JSON true or false
	BoolText             // a string holding true or false (Values gives the letter cases allowed)
	IntText              // a string holding a whole number
	Time                 // a string holding a UTC time, yyyy-MM-ddTHH:mm:ssZ
	TextList             // a JSON array of strings
)

// Rule is what a document says of one field.
type Rule struct {
	Name string
	Kind Kind
	// Values is the closed set of values the document allows; nil when it
	// names none.
	Values []string
	// Open marks Values as the values the document names, not all the API
	// may take or give (see Platforms).
	Open bool
	// Absent marks a flag the document describes as "true when yes;
	// otherwise not required": an image without the feature lacks the field.
	Absent bool
	// Min and Max bound an Int or IntText; Max 0 is no upper bound.
	Min, Max int64
	// Null marks a field the document calls unavailable, sent as null.
	Null bool
}

// Allows reports whether v is an allowed value of a field with a closed
// set of values; any value is allowed when the set is open or absent.
func (r Rule) Allows(v string) bool {
	return r.Values == nil || r.Open || slices.Contains(r.Values, v)
}

var (
	trueFalse = []string{"true", "false"}
	trueOnly  = []string{"true"}
)

// Platforms are the __platform values of the IMS document's query
// parameters. Its response table names the same but Huawei Cloud EulerOS,
// which the query table has: the list is not closed in practice, so a value
// outside it is sent and answered, and matches no documented image.
var Platforms = []string{
	"Windows", "Ubuntu", "Red Hat", "SUSE", "CentOS", "Debian", "OpenSUSE",
	"Oracle Linux", "Fedora", "CoreOS", "EulerOS", "Huawei Cloud EulerOS", "Other",
}

// TimeOperators are the operators of the created_at and updated_at query
// parameters, written operator:time.
var TimeOperators = []string{"gt", "gte", "lt", "lte", "eq", "neq"}

// DefaultLimit is the page size the IMS document gives when limit is not
// sent. The document gives no maximum.
const DefaultLimit = 500

// IMSQuery are the 38 query parameters of GET /v1/cloudimages/fuzzy, in the
// document's order.
var IMSQuery = []Rule{
	{Name: "__isregistered", Kind: BoolText, Values: trueOnly},
	{Name: "__imagetype", Values: []string{"gold", "private", "shared", "market"}},
	{Name: "__whole_image", Kind: BoolText, Values: trueFalse},
	{Name: "__system__cmkid"},
	{Name: "protected", Kind: BoolText, Values: trueFalse},
	{Name: "visibility", Values: []string{"public", "private", "shared"}},
	{Name: "owner"},
	{Name: "id"},
	{Name: "status", Values: []string{"queued", "saving", "deleted", "killed", "active"}},
	{Name: "name"},
	{Name: "flavor_id"},
	{Name: "container_format", Values: []string{"bare"}},
	{Name: "disk_format", Values: []string{"zvhd2", "vhd", "zvhd", "raw", "iso", "qcow2"}},
	{Name: "min_ram", Kind: IntText},
	{Name: "min_disk", Kind: IntText, Min: 10, Max: 1024},
	{Name: "__os_bit", Values: []string{"32", "64"}},
	{Name: "__platform", Values: Platforms, Open: true},
	{Name: "marker"},
	{Name: "limit", Kind: IntText, Min: 1},
	{Name: "sort_key", Values: []string{"name", "container_format", "disk_format", "status", "id", "size", "created_at"}},
	{Name: "sort_dir", Values: []string{"asc", "desc"}},
	{Name: "__os_type", Values: []string{"Linux", "Windows", "Other"}},
	{Name: "tag"},
	{Name: "member_status", Values: []string{"accepted", "rejected", "pending"}},
	{Name: "__support_kvm", Kind: BoolText, Values: trueOnly},
	{Name: "__support_xen", Kind: BoolText, Values: trueOnly},
	{Name: "__support_largememory", Kind: BoolText, Values: trueOnly},
	{Name: "__support_diskintensive", Kind: BoolText, Values: trueOnly},
	{Name: "__support_highperformance", Kind: BoolText, Values: trueOnly},
	{Name: "__support_xen_gpu_type"},
	{Name: "__support_kvm_gpu_type"},
	{Name: "__support_xen_hana", Kind: BoolText, Values: trueOnly},
	{Name: "__support_kvm_infiniband", Kind: BoolText, Values: trueOnly},
	{Name: "virtual_env_type", Values: []string{"FusionCompute", "Ironic", "DataImage", "IsoImage"}},
	{Name: "enterprise_project_id"},
	{Name: "created_at", Kind: Time},
	{Name: "updated_at", Kind: Time},
	{Name: "architecture", Values: []string{"x86", "arm"}},
}

// IMSImage are the 63 fields of an image in the IMS listing, in the
// document's order.
var IMSImage = []Rule{
	{Name: "file"},
	{Name: "owner"},
	{Name: "id"},
	{Name: "size", Kind: Int},
	{Name: "self"},
	{Name: "schema"},
	{Name: "status", Values: []string{"queued", "saving", "deleted", "killed", "active"}},
	{Name: "tags", Kind: TextList},
	{Name: "visibility", Values: []string{"private", "public", "shared"}},
	{Name: "name"},
	{Name: "checksum"},
	{Name: "protected", Kind: Bool},
	{Name: "container_format"},
	{Name: "min_ram", Kind: Int},
	{Name: "max_ram", Kind: IntText},
	{Name: "updated_at", Kind: Time},
	{Name: "__os_bit", Values: []string{"32", "64"}},
	{Name: "__os_version"},
	{Name: "__description"},
	{Name: "disk_format", Values: []string{"zvhd2", "vhd", "zvhd", "raw", "iso", "qcow2"}},
	{Name: "__isregistered", Kind: BoolText, Values: trueFalse},
	{Name: "__platform", Values: Platforms, Open: true},
	{Name: "__os_type", Values: []string{"Linux", "Windows", "Other"}},
	{Name: "min_disk", Kind: Int, Min: 10, Max: 1024},
	{Name: "virtual_env_type", Values: []string{"FusionCompute", "Ironic", "DataImage", "IsoImage"}},
	{Name: "__image_source_type", Values: []string{"uds"}},
	{Name: "__imagetype", Values: []string{"gold", "private", "shared", "market"}},
	{Name: "created_at", Kind: Time},
	{Name: "virtual_size", Kind: Int, Null: true},
	{Name: "__originalimagename"},
	{Name: "__backup_id"},
	{Name: "__productcode"},
	{Name: "__image_size", Kind: IntText},
	{Name: "__data_origin"},
	{Name: "__lazyloading", Kind: BoolText, Values: []string{"true", "false", "True", "False"}},
	{Name: "active_at", Kind: Time},
	{Name: "__image_displayname"},
	{Name: "__os_feature_list"}, // "a list (in JSON format)"; recorded answers: a JSON object of flags, as text
	{Name: "__support_kvm", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "__support_xen", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "__support_largememory", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "__support_diskintensive", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "__support_highperformance", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "__support_xen_gpu_type"},
	{Name: "__support_kvm_gpu_type"},
	{Name: "__support_xen_hana", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "__support_kvm_infiniband", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "__system_support_market", Kind: Bool},
	{Name: "__is_offshelved", Kind: BoolText, Values: trueFalse},
	{Name: "enterprise_project_id"},
	{Name: "__root_origin", Values: []string{"file"}},
	{Name: "__sequence_num", Kind: IntText},
	{Name: "__support_fc_inject", Kind: BoolText, Values: trueFalse}, // true: injection NOT supported
	{Name: "hw_firmware_type", Values: []string{"bios", "uefi"}},
	{Name: "hw_vif_multiqueue_enabled", Kind: BoolText, Values: trueFalse},
	{Name: "__support_arm", Kind: BoolText, Values: trueFalse},
	{Name: "__support_agent_list", Values: []string{"hss", "ces", "hss,ces"}},
	{Name: "__system__cmkid"},
	{Name: "__account_code"},
	{Name: "__support_amd", Kind: BoolText, Values: trueFalse},
	{Name: "__support_kvm_hi1822_hisriov", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "__support_kvm_hi1822_hivirtionet", Kind: BoolText, Values: trueOnly, Absent: true},
	{Name: "os_shutdown_timeout", Kind: IntText, Min: 60, Max: 300},
}

// MarketImage are the 18 fields of an image of Workspace "Obtaining
// KooGallery Images", in the document's order.
var MarketImage = []Rule{
	{Name: "image_id"},
	{Name: "min_disk", Kind: Int, Min: 40, Max: 1024},
	{Name: "created_at", Kind: Time},
	{Name: "image_size", Kind: IntText},
	{Name: "updated_at", Kind: Time},
	{Name: "product_code"},
	{Name: "max_ram", Kind: IntText}, // absent when not configured, as in IMS
	{Name: "market_resource_type_code"},
	{Name: "min_ram", Kind: Int},
	{Name: "os_type", Values: []string{"Linux", "Windows", "Other"}},
	{Name: "image_type", Values: []string{"gold", "private", "shared"}},
	{Name: "tags", Kind: TextList},
	{Name: "platform"},
	{Name: "os_bit", Values: []string{"32", "64"}},
	{Name: "os_version"},
	{Name: "name"},
	{Name: "market_service_type_code"},
	{Name: "status"},
}

// MarketMaxIDs is the most image ids one KooGallery request may carry.
const MarketMaxIDs = 100

// Find returns the rule named name, and whether there is one.
func Find(rules []Rule, name string) (Rule, bool) {
	i := slices.IndexFunc(rules, func(r Rule) bool { return r.Name == name })
	if i < 0 {
		return Rule{}, false
	}
	return rules[i], true
}

// Must returns the rule named name; it panics when there is none, which
// only a typo in this program's own tables can cause.
func Must(rules []Rule, name string) Rule {
	r, ok := Find(rules, name)
	if !ok {
		panic("apidoc: no field " + name)
	}
	return r
}
