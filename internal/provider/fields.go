package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/selection"
)

// imageField is one attribute of an IMS image and the API field it comes from.
type imageField struct {
	attr string
	api  string
	kind valueKind
	desc string
}

// imageFields is the one list of IMS image attributes: the schema of
// `images` (and of hwc_ims_image's top level), the state value and the docs
// all derive from it.
var imageFields = []imageField{
	{"id", "id", kindString, "Image ID."},
	{"name", "name", kindString, "Image name."},
	{"status", "status", kindString, "Image status: `queued`, `saving`, `deleted`, `killed` or `active`."},
	{"visibility", "visibility", kindString, "Whether other tenants see the image: `public`, `private` or `shared`."},
	{"owner", "owner", kindString, "Project ID of the tenant the image belongs to."},
	{"file", "file", kindString, "URL for uploading and downloading the image file."},
	{"self", "self", kindString, "URL of the image."},
	{"schema", "schema", kindString, "Schema of the image."},
	{"checksum", "checksum", kindString, "Checksum; not in use by IMS."},
	{"container_format", "container_format", kindString, "Container format, `bare`."},
	{"disk_format", "disk_format", kindString, "Image format: `zvhd2`, `vhd`, `zvhd`, `raw`, `iso` or `qcow2`."},
	{"virtual_env_type", "virtual_env_type", kindString, "Where the image is used: `FusionCompute` (ECS), `Ironic` (BMS), `DataImage` (data disk) or `IsoImage`."},
	{"enterprise_project_id", "enterprise_project_id", kindString, "Enterprise project of the image: `0`, or null (the API leaves it empty), is the default project."},
	{"created_at", "created_at", kindString, "Creation time (UTC, RFC 3339)."},
	{"updated_at", "updated_at", kindString, "Last update time (UTC, RFC 3339)."},
	{"active_at", "active_at", kindString, "Time the image became active."},
	{"hw_firmware_type", "hw_firmware_type", kindString, "Boot mode: `bios` or `uefi`."},
	{"size", "size", kindNumber, "Size; not in use by IMS (see `image_size`)."},
	{"min_ram", "min_ram", kindNumber, "Minimum memory (MB) to run the image."},
	{"min_disk", "min_disk", kindNumber, "Minimum disk size (GB) to run the image."},
	{"virtual_size", "virtual_size", kindNumber, "Virtual size; not in use by IMS."},
	{"os_shutdown_timeout", "os_shutdown_timeout", kindNumber, "Seconds a graceful shutdown may take before a forced one (60 to 300)."},
	{"max_ram", "max_ram", kindNumber, "Maximum memory (MB) of the image; `0` (as IMS usually answers) or null: no maximum."},
	{"protected", "protected", kindBool, "Whether the image is protected from deletion."},
	{"hw_vif_multiqueue_enabled", "hw_vif_multiqueue_enabled", kindBool, "Whether the image supports NIC multi-queue."},
	{"tags", "tags", kindStringList, "Tags of the image, as `key=value`."},
	{"os_bit", "__os_bit", kindString, "OS bits: `32` or `64`."},
	{"os_version", "__os_version", kindString, "OS version, such as `Ubuntu 22.04 server 64bit`."},
	{"os_type", "__os_type", kindString, "OS type: `Linux`, `Windows` or `Other`."},
	{"platform", "__platform", kindString, "Platform, such as `Ubuntu`, `CentOS` or `Huawei Cloud EulerOS`."},
	{"description", "__description", kindString, "Description of the image."},
	{"image_type", "__imagetype", kindString, "Image type: `gold` (public), `private`, `shared` or `market` (KooGallery)."},
	{"image_source_type", "__image_source_type", kindString, "Back-end storage of the image, `uds`."},
	{"original_image_name", "__originalimagename", kindString, "ID of the parent image; null for public images and images created from files."},
	{"backup_id", "__backup_id", kindString, "ID of the backup the image was created from; null for other images."},
	{"product_code", "__productcode", kindString, "Product ID of a KooGallery image."},
	{"data_origin", "__data_origin", kindString, "Source of the image, such as `image,REGION,IMAGE_ID` or `instance,SERVER_ID`; null for public images."},
	{"display_name", "__image_displayname", kindString, "Display name of the image."},
	{"os_feature_list", "__os_feature_list", kindString, "Advanced features of the image, as the JSON text IMS returns, such as `{\"nic_hotplug\":\"true\",\"ssh_key\":\"true\"}` (decode it with `jsondecode`); null when IMS lists none."},
	{"root_origin", "__root_origin", kindString, "`file` when the image was created from an image file."},
	{"support_fc_inject", "__support_fc_inject", kindString, "`true` when the image does not support password or key injection through Cloud-Init."},
	{"cmk_id", "__system__cmkid", kindString, "ID of the key that encrypts the image."},
	{"account_code", "__account_code", kindString, "Charging identifier of the image; null when it has none."},
	{"support_xen_gpu_type", "__support_xen_gpu_type", kindString, "GPU type supported on Xen, when any."},
	{"support_kvm_gpu_type", "__support_kvm_gpu_type", kindString, "GPU type supported on KVM, when any."},
	{"image_size", "__image_size", kindNumber, "Size of the image file in bytes."},
	{"sequence_num", "__sequence_num", kindNumber, "System disk slot number of servers created from the image."},
	{"is_registered", "__isregistered", kindBool, "Whether the image is registered (available)."},
	{"lazyloading", "__lazyloading", kindBool, "Whether the image supports lazy loading."},
	{"is_offshelved", "__is_offshelved", kindBool, "Whether a KooGallery image has been taken offline."},
	{"system_support_market", "__system_support_market", kindBool, "Whether the image can be published in KooGallery."},
	{"support_kvm", "__support_kvm", kindBool, "Whether the image supports KVM."},
	{"support_xen", "__support_xen", kindBool, "Whether the image supports Xen."},
	{"support_largememory", "__support_largememory", kindBool, "Whether the image supports large-memory servers."},
	{"support_diskintensive", "__support_diskintensive", kindBool, "Whether the image supports disk-intensive servers."},
	{"support_highperformance", "__support_highperformance", kindBool, "Whether the image supports high-performance servers."},
	{"support_xen_hana", "__support_xen_hana", kindBool, "Whether the image supports HANA servers on Xen."},
	{"support_kvm_infiniband", "__support_kvm_infiniband", kindBool, "Whether the image supports InfiniBand NICs on KVM."},
	{"support_arm", "__support_arm", kindBool, "Whether the image is for the Arm architecture."},
	{"support_amd", "__support_amd", kindBool, "Whether the image is for AMD x86 processors."},
	{"support_kvm_hi1822_hisriov", "__support_kvm_hi1822_hisriov", kindBool, "Whether the image supports SR-IOV."},
	{"support_kvm_hi1822_hivirtionet", "__support_kvm_hi1822_hivirtionet", kindBool, "Whether the image supports virtio-net."},
	{"support_agent_list", "__support_agent_list", kindCommaList, "Agents configured in the image, such as `hss` (server security) and `ces` (monitoring)."},
}

// encoding says how a set filter reaches the API.
type encoding int

const (
	encPlain       encoding = iota // param=value
	encSupportFlag                 // true is sent as param=true; false keeps images whose flag is not true
	encAfter                       // param=gt:TIME
	encBefore                      // param=lt:TIME
)

// imageFilter is one filter of the IMS data sources.
type imageFilter struct {
	attr      string
	param     string
	kind      valueKind // kindString, kindBool or kindInt
	enc       encoding
	desc      string
	extra     []validator.String
	conflicts []string
}

var supportFlagNote = " `true` is sent to the API; `false` is not sent and instead keeps only images whose flag is not true."

// imageFilters is the one list of IMS filters: the schema, validation, the
// query string and the `id` hash derive from it.
var imageFilters = []imageFilter{
	{attr: "image_type", param: "__imagetype", desc: "Image type: `gold` (public), `private`, `shared` or `market` (KooGallery)."},
	{attr: "is_registered", param: "__isregistered", kind: kindBool,
		desc: "`true`: only images that are registered (available). The API takes no other value, and it is `true` by default: an ordinary " +
			"account only ever sees registered images, so unset and `true` list the same."},
	{attr: "whole_image", param: "__whole_image", kind: kindBool, desc: "Whether the image is a full-ECS image."},
	{attr: "cmk_id", param: "__system__cmkid", desc: "ID of the key that encrypts the image."},
	{attr: "protected", param: "protected", kind: kindBool, desc: "Whether the image is protected. Public images are."},
	{attr: "visibility", param: "visibility", desc: "Whether other tenants see the image."},
	{attr: "owner", param: "owner", desc: "Project ID of the tenant the image belongs to."},
	{attr: "image_id", param: "id", desc: "Image ID."},
	{attr: "status", param: "status", desc: "Image status."},
	{attr: "name", param: "name", desc: "Exact image name; `*` and `?` are not wildcards (a warning suggests `name_regex`, which matches patterns)."},
	{attr: "flavor_id", param: "flavor_id", desc: "ECS flavor ID, such as `c7.large.2`: only images that flavor can run."},
	{attr: "container_format", param: "container_format", desc: "Container format."},
	{attr: "disk_format", param: "disk_format", desc: "Image format."},
	{attr: "min_ram", param: "min_ram", kind: kindInt, desc: "Minimum memory (MB), a whole number, 0 or more."},
	{attr: "min_disk", param: "min_disk", kind: kindInt,
		desc: "Minimum disk size (GB), a whole number from 10 to 1,024 (the API's range: 10 to 1,024 GB for Linux images, 20 to 1,024 for Windows)."},
	{attr: "os_bit", param: "__os_bit", desc: "OS bits."},
	{attr: "platform", param: "__platform", desc: "Platform, matched exactly (letter case included): one of " + quotedList(apidoc.Platforms, "`") + ", as the API documents them. Another value is sent as it is, with a warning."},
	{attr: "os_type", param: "__os_type", desc: "OS type. IMS no longer returns Windows images, so `Windows` matches nothing and warns."},
	{attr: "tag", param: "tag", desc: "Tag as `key=value`.",
		extra: []validator.String{stringvalidator.RegexMatches(tagPattern, "must be key=value, such as env=prod")}},
	{attr: "member_status", param: "member_status", desc: "Member status of a shared image. Needs `visibility = \"shared\"`.",
		extra: []validator.String{requiresStringValue{other: "visibility", value: "shared"}}},
	{attr: "support_kvm", param: "__support_kvm", kind: kindBool, enc: encSupportFlag, desc: "Images that support KVM." + supportFlagNote},
	{attr: "support_xen", param: "__support_xen", kind: kindBool, enc: encSupportFlag, desc: "Images that support Xen." + supportFlagNote},
	{attr: "support_largememory", param: "__support_largememory", kind: kindBool, enc: encSupportFlag, desc: "Images that support large-memory servers." + supportFlagNote},
	{attr: "support_diskintensive", param: "__support_diskintensive", kind: kindBool, enc: encSupportFlag, desc: "Images that support disk-intensive servers." + supportFlagNote},
	{attr: "support_highperformance", param: "__support_highperformance", kind: kindBool, enc: encSupportFlag, desc: "Images that support high-performance servers." + supportFlagNote},
	{attr: "support_xen_gpu_type", param: "__support_xen_gpu_type", desc: "GPU type on Xen. Cannot be used with `support_xen` or `support_kvm` set to `true`.", conflicts: []string{"support_xen", "support_kvm"}},
	{attr: "support_kvm_gpu_type", param: "__support_kvm_gpu_type", desc: "GPU type on KVM. Cannot be used with `support_xen` or `support_kvm` set to `true`.", conflicts: []string{"support_xen", "support_kvm"}},
	{attr: "support_xen_hana", param: "__support_xen_hana", kind: kindBool, enc: encSupportFlag, desc: "Images that support HANA servers on Xen. Cannot be `true` with `support_xen` or `support_kvm` set to `true`." + supportFlagNote, conflicts: []string{"support_xen", "support_kvm"}},
	{attr: "support_kvm_infiniband", param: "__support_kvm_infiniband", kind: kindBool, enc: encSupportFlag, desc: "Images that support InfiniBand NICs on KVM. Cannot be `true` with `support_xen` set to `true`." + supportFlagNote, conflicts: []string{"support_xen"}},
	{attr: "virtual_env_type", param: "virtual_env_type", desc: "Where the image is used: `FusionCompute` (ECS), `Ironic` (BMS), `DataImage` (data disk) or `IsoImage`."},
	{attr: "enterprise_project_id", param: "enterprise_project_id", desc: "Enterprise project: `0` (default), a project UUID, or `all_granted_eps` for all you may see. " +
		"Unset, the provider's `enterprise_project_id` (or `HW_ENTERPRISE_PROJECT_ID`), else its `default_enterprise_project_id`; when none is set, no enterprise project is sent.",
		extra: []validator.String{enterpriseProjectValidator()}},
	{attr: "created_after", param: "created_at", kind: kindString, enc: encAfter, desc: "Only images created after this RFC 3339 time."},
	{attr: "created_before", param: "created_at", kind: kindString, enc: encBefore, desc: "Only images created before this RFC 3339 time."},
	{attr: "updated_after", param: "updated_at", kind: kindString, enc: encAfter, desc: "Only images updated after this RFC 3339 time."},
	{attr: "updated_before", param: "updated_at", kind: kindString, enc: encBefore, desc: "Only images updated before this RFC 3339 time."},
	{attr: "architecture", param: "architecture", desc: "CPU architecture."},
	{attr: "sort_key", param: "sort_key", desc: "Field the API sorts by; it sorts by `created_at` when unset."},
	{attr: "sort_dir", param: "sort_dir", desc: "Sort direction; `desc` when unset."},
}

// rule is what the IMS document says of the filter's query parameter: the
// values it allows and its range come from there.
func (f imageFilter) rule() apidoc.Rule { return apidoc.Must(apidoc.IMSQuery, f.param) }

// oneOf is the closed set of values of a string filter, or nil.
func (f imageFilter) oneOf() []string {
	if r := f.rule(); f.kind == kindString && !r.Open {
		return r.Values
	}
	return nil
}

// trueOnly reports a boolean filter the API takes only as true, and that
// the provider cannot apply as false on its own (as it does support flags).
func (f imageFilter) trueOnly() bool {
	return f.kind == kindBool && f.enc != encSupportFlag && slices.Equal(f.rule().Values, []string{"true"})
}

// whole is the validator of a whole-number filter, with the document's range.
func (f imageFilter) whole() wholeNumberValidator {
	r := f.rule()
	return wholeNumberValidator{min: r.Min, max: r.Max}
}

// description is what the docs show for the filter, derived from the row.
func (f imageFilter) description() string {
	d := f.desc
	if values := f.oneOf(); len(values) > 0 {
		d += " One of " + quotedList(values, "`") + "."
	}
	switch f.enc {
	case encAfter:
		d += fmt.Sprintf(" Sent as `%s=gt:TIME` in UTC (yyyy-MM-ddTHH:mm:ssZ), cut to the whole second.", f.param)
	case encBefore:
		d += fmt.Sprintf(" Sent as `%s=lt:TIME` in UTC, cut to the whole second; when the matching `…_after` bound is also set, the API gets that bound and this one is applied to the results by the provider.", f.param)
	default:
		d += fmt.Sprintf(" Sent as the `%s` query parameter.", f.param)
	}
	return d
}

// quotedList joins values, each between two marks: "`" for the docs, `"`
// for a diagnostic.
func quotedList(values []string, mark string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = mark + v + mark
	}
	return strings.Join(q, ", ")
}

// schemaAttribute is the filter's schema attribute; computed makes it
// Optional+Computed, as hwc_ims_image needs where a filter shares its name
// with an image attribute.
func (f imageFilter) schemaAttribute(computed bool, extraDesc string) schema.Attribute {
	desc := f.description() + extraDesc
	switch f.kind {
	case kindBool:
		var v []validator.Bool
		if len(f.conflicts) > 0 {
			v = append(v, sentConflict{with: f.conflicts})
		}
		if f.trueOnly() {
			v = append(v, trueOnlyValidator{})
		}
		return schema.BoolAttribute{Optional: true, Computed: computed, MarkdownDescription: desc, Validators: v}
	case kindInt:
		return schema.NumberAttribute{Optional: true, Computed: computed, MarkdownDescription: desc,
			Validators: []validator.Number{f.whole()}}
	}
	var v []validator.String
	switch values := f.oneOf(); {
	case len(values) > 0 && migrationHints[f.attr] != nil:
		v = append(v, hintedOneOf{String: stringvalidator.OneOf(values...), hints: migrationHints[f.attr]})
	case len(values) > 0:
		v = append(v, stringvalidator.OneOf(values...))
	case f.enc == encAfter || f.enc == encBefore:
		v = append(v, timeValidator{})
	default:
		v = append(v, stringvalidator.LengthAtLeast(1))
	}
	v = append(v, f.extra...)
	if len(f.conflicts) > 0 {
		v = append(v, sentConflict{with: f.conflicts})
	}
	return schema.StringAttribute{Optional: true, Computed: computed, MarkdownDescription: desc, Validators: v}
}

// refinementAttributes are the client-side refinements and the safe
// selection attributes, shared by both IMS data sources.
func refinementAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"name_regex": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "RE2 regular expression the image name must match anywhere (use `^…$` to anchor). " +
				"Applied by the provider to what the API returns. At most 1,024 characters.",
			Validators: []validator.String{regexValidator{}},
		},
		"exclude_ids": schema.SetAttribute{
			Optional:            true,
			ElementType:         types.StringType,
			MarkdownDescription: "Image IDs to leave out, such as a known-bad build, so that it stays out of every plan.",
			Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
		},
		"exclude_name_regex": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "RE2 regular expression: leave out images whose name matches it anywhere, as `name_regex` matches. At most 1,024 characters.",
			Validators:          []validator.String{regexValidator{}},
		},
		"min_age": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Soak window: leave out images created less than this long before the read, as a duration " +
				"such as `72h` or `30m` (0 or more), so that a freshly published image does not reach production at once. " +
				"It tightens `created_before` (the earlier bound wins, cut to the whole second) and is sent to the API as " +
				"`created_at=lt:TIME`, at no extra cost, unless `created_after` is also set; then the provider applies it.",
			Validators: []validator.String{durationValidator{}},
		},
		"query": schema.StringAttribute{
			Computed: true,
			MarkdownDescription: "The effective query sent to IMS, canonical (keys sorted; `marker` and `limit` left out), so " +
				"you can see exactly what was asked. With `min_age`, its `created_at` bound moves with the clock, so `query` " +
				"changes from one plan to the next: keep it out of outputs that drift checks compare.",
		},
		"tags": tagsAttribute(false, ""),
	}
	maps.Copy(attrs, rankingAttributes())
	return attrs
}

// rankingAttributes are the refinements that order the images and keep
// the first ones.
func rankingAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"most_recent": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "Keep only one image: the newest by `created_at` (of images created in the same second, the one " +
				"with the larger `id`), or the first in `order_by` order (`updated_at`: the most recently updated, as the " +
				"official provider's `most_recent` does; `version`: the highest version). The answer is the one the full " +
				"listing would give, read with as few requests as that allows.",
		},
		"limit": schema.NumberAttribute{
			Optional: true,
			MarkdownDescription: "Keep at most this many images (1 or more): the first ones after every other refinement, " +
				"`order_by` included. When nothing else is applied by the provider, it is also the API's page size, so a small " +
				"limit costs one small request.",
			Validators: []validator.Number{wholeNumberValidator{min: 1}},
		},
		"order_by": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Order of `images`, and what `most_recent` keeps: `created_at` (newest first; in the same " +
				"second, the larger `id` first), `updated_at` (most recently updated first, ties as for `created_at`: the " +
				"order of the official provider's `most_recent`, which breaks ties its own way: see `tie_break`) or `version` (highest version of the " +
				"name first, comparing digit runs as numbers, so `CentOS 7.10` is above `CentOS 7.9`; equal names by " +
				"`created_at`). Unset: the API's order.",
			Validators: []validator.String{stringvalidator.OneOf(selection.OrderCreatedAt, selection.OrderUpdatedAt, selection.OrderVersion)},
		},
		"tie_break": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Which image `most_recent` keeps with `order_by = \"updated_at\"` when several were last updated in " +
				"the same second: `larger_id` (unset: the one with the larger `id`) or `official`, the one the official provider's " +
				"`most_recent` keeps (Go's `sort.Sort` over the API's order, by the second of `updated_at`), so that a " +
				"configuration moved from the official provider selects what it did. Only with `most_recent` and " +
				"`order_by = \"updated_at\"`; `hwc-migrate` writes it.",
			Validators: []validator.String{stringvalidator.OneOf(selection.TieLargerID, selection.TieOfficial), tieBreakValidator{}},
		},
	}
}

// tagsAttribute is the tags filter; computed makes it Optional+Computed,
// as hwc_ims_image needs, where it also holds the selected image's tags.
func tagsAttribute(computed bool, extraDesc string) schema.Attribute {
	return schema.SetAttribute{
		Optional:    true,
		Computed:    computed,
		ElementType: types.StringType,
		MarkdownDescription: "Tags as `key=value`, every one of which must be on the image. The API takes one tag: when `tag` " +
			"is unset, the first of `tags` in sorted order is sent as `tag`, and the provider matches the others (and all of " +
			"them when `tag` is set) against the image's tags, in the same single listing." + extraDesc,
		Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(tagPattern, "must be key=value, such as env=prod"))},
	}
}
