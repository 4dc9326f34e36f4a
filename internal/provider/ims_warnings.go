package provider

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/selection"
)

// selectionWarnings are the warnings of an IMS configuration where users go
// wrong. They are given by the read, so each shows once per plan: Terraform
// validates a configuration more than once in a plan, and a warning of
// validation shows each time.
func selectionWarnings(p selection.Params) diag.Diagnostics {
	var diags diag.Diagnostics
	warnOpenSelection(p, &diags)
	if filter(p, "os_type") == "Windows" {
		diags.AddAttributeWarning(path.Root("os_type"), "Windows Images Are No Longer Listed",
			"IMS no longer returns Windows images, so os_type = \"Windows\" is sent but matches no image.")
	}
	if t := filter(p, "platform"); t != "" {
		warnPlatform(t, &diags)
	}
	if t := filter(p, "name"); strings.ContainsAny(t, "*?") {
		diags.AddAttributeWarning(path.Root("name"), "Name Is Matched Exactly",
			fmt.Sprintf("name = %q is sent to the API as an exact name, so * and ? are taken literally. To match a pattern, "+
				"use name_regex, such as name_regex = %q.", t, "^"+globToRegex(t)))
	}
	return diags
}

// warnOpenSelection warns when most_recent or order_by ranks images that
// other accounts may publish or share, and no owner pins the publisher: any
// account that shares an image with the project could then be selected.
func warnOpenSelection(p selection.Params, diags *diag.Diagnostics) {
	if !p.MostRecent && p.OrderBy == "" || filter(p, "owner") != "" {
		return
	}
	imageType, visibility := filter(p, "image_type"), filter(p, "visibility")
	attr, what := "most_recent", "most_recent = true"
	if !p.MostRecent {
		attr, what = "order_by", "order_by"
	}
	switch {
	case visibility == "shared" || imageType == "shared" || imageType == "market":
		diags.AddAttributeWarning(path.Root(attr), mostRecentWarningSummary,
			what+" ranks images that other accounts publish or share with this project, and owner is not set: any account "+
				"that shares an image with the project can make its image come first, and have it selected. Set owner to the "+
				"project ID of the publisher you trust.")
	case imageType == "":
		diags.AddAttributeWarning(path.Root(attr), mostRecentWarningSummary,
			what+" ranks every image the project can see, and neither image_type nor owner is set: an unfiltered listing "+
				"includes images that other accounts share with the project, so any of them can come first and be selected. Set "+
				"image_type = \"gold\" (public images) or \"private\" (your own), or owner to the project ID of the publisher you trust.")
	}
}

const mostRecentWarningSummary = "Selection Open to Images of Any Account"

// warnPlatform warns when platform is not a documented value: the API
// matches it exactly, so a value in another letter case matches nothing.
func warnPlatform(platform string, diags *diag.Diagnostics) {
	for _, p := range apidoc.Platforms {
		switch {
		case p == platform:
			return
		case strings.EqualFold(p, platform):
			diags.AddAttributeWarning(path.Root("platform"), "Platform Spelled Differently",
				fmt.Sprintf("platform = %q: the API matches platforms exactly, letter case included, so this matches no image. "+
					"Did you mean %q?", platform, p))
			return
		}
	}
	diags.AddAttributeWarning(path.Root("platform"), "Undocumented Platform",
		fmt.Sprintf("platform = %q is none of the platforms the IMS API documents: %s. It is sent as it is (new platforms "+
			"may exist), but check the spelling if no image matches.", platform, quotedList(apidoc.Platforms, `"`)))
}

// globToRegex turns a shell pattern into the RE2 pattern users meant.
func globToRegex(glob string) string {
	var b strings.Builder
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}
