package migrate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// generatedComment is the line above every provider block hwc-migrate
// writes, by which a later run knows it.
const generatedComment = commentPrefix + "the hwc provider of the image data sources"

// fallbackLines set the official provider's last resort for the
// enterprise project, below the data source's, the provider's and
// HW_ENTERPRISE_PROJECT_ID.
var fallbackLines = []string{
	commentPrefix + "like the official provider, query every enterprise project you may see when neither the data source,",
	"#   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.",
	`default_enterprise_project_id = "all_granted_eps"`,
}

// providerBlock adds a provider "hwc" block after a provider "huaweicloud"
// one, with the settings both share, or checks an hwc block already there.
func (m *module) providerBlock(a *analyzer) {
	f, b := a.f, a.block
	alias := aliasOf(b)
	switch {
	case b.Labels[0] == "hwc" && m.needsHWC && !m.hwc[alias].fallback && !m.hwc[alias].generated:
		a.flag("provider \"hwc\"%s was there before: check it reads the same region, credentials and endpoints as "+
			"the huaweicloud one, and add default_enterprise_project_id = \"all_granted_eps\" to it", aliasText(alias))
		return
	case b.Labels[0] != "huaweicloud" || !m.needsHWC || m.hwc[alias] != nil:
		return
	}
	lines := []string{generatedComment + ", from the huaweicloud block above; both read the same HW_* variables.", `provider "hwc" {`}
	lines = append(lines, m.providerSettings(a)...)
	lines = append(lines, fallbackLines...)
	lines = append(lines, "}")
	indent := f.indent(f.lineStart(b.Range().Start.Byte))
	end := f.blockEnd(b)
	f.add(edit{end, end, f.eol + f.layout(indent, lines...)})
	m.hwc[alias] = &providerInfo{generated: true, fallback: true, alias: alias}
	m.note(f, b.Range().Start.Byte, Converted, "provider \"huaweicloud\"%s → provider \"hwc\" added after it", aliasText(alias))
}

// providerOverride adds, after a provider "huaweicloud" block of an
// override file, a provider "hwc" block with the settings it overrides:
// Terraform merges it into the hwc block as it merges the huaweicloud one.
// An override of auth_url or endpoints is left to a person: hwc's endpoints
// come of both, and an override replaces the whole of an argument.
func (m *module) providerOverride(a *analyzer) {
	f, b := a.f, a.block
	alias := aliasOf(b)
	if b.Labels[0] != "huaweicloud" || !m.needsHWC || m.hwcOverrides[alias] {
		return
	}
	for _, name := range []string{"auth_url", "endpoints"} {
		if _, ok := b.Body.Attributes[name]; ok {
			a.flag("this override of provider \"huaweicloud\"%s sets %s: add the endpoints it means to an override of "+
				"provider \"hwc\" by hand (hwc's endpoints come of both auth_url and endpoints)", aliasText(alias), name)
			return
		}
	}
	lines := []string{generatedComment + ", overridden as the huaweicloud block above overrides its own.", `provider "hwc" {`}
	lines = append(lines, m.providerSettings(a)...)
	lines = append(lines, "}")
	indent := f.indent(f.lineStart(b.Range().Start.Byte))
	end := f.blockEnd(b)
	f.add(edit{end, end, f.eol + f.layout(indent, lines...)})
	m.hwcOverrides[alias] = true
	m.note(f, b.Range().Start.Byte, Converted, "provider \"huaweicloud\"%s (override) → provider \"hwc\" override added after it", aliasText(alias))
}

// providerSettings are the lines of the hwc block that carry the settings
// of a huaweicloud one.
func (m *module) providerSettings(a *analyzer) []string {
	f, b := a.f, a.block
	var lines []string
	endpoints := map[string]string{}
	for _, attr := range sortedAttributes(b.Body) {
		at := attr.SrcRange.Start.Byte
		expr := strings.TrimSpace(f.text(attr.Expr.Range()))
		switch {
		case attr.Name == "enterprise_project_id" && isEmptyLiteral(attr.Expr):
			a.flag(`the provider's enterprise_project_id = "": say which enterprise project hwc should query`)
		case providerArgs[attr.Name]:
			lines = append(lines, attr.Name+" = "+expr)
		case attr.Name == "auth_url":
			endpoints["iam"] = iamBase(attr.Expr, expr)
			m.note(f, at, Decision, "provider auth_url → endpoints.iam = %s (hwc takes the IAM base URL)", endpoints["iam"])
		case attr.Name == "endpoints":
			m.endpoints(a, attr, endpoints)
		case providerIgnored[attr.Name] != "":
			m.note(f, at, Decision, "provider %s", providerIgnored[attr.Name])
		default:
			a.flag("provider %s has no counterpart in hwc (see the hwc provider's Logging In)", attr.Name)
		}
	}
	for _, inner := range b.Body.Blocks {
		lines = append(lines, m.loginBlock(a, inner)...)
	}
	if len(endpoints) > 0 {
		lines = append(lines, "endpoints = {")
		for _, k := range []string{"ims", "iam", "workspace"} {
			if v, ok := endpoints[k]; ok {
				lines = append(lines, k+" = "+v)
			}
		}
		lines = append(lines, "}")
	}
	return lines
}

// loginBlock carries an assume_role or assume_role_with_oidc block over as
// it is, when hwc takes each of its arguments.
func (m *module) loginBlock(a *analyzer, inner *hclsyntax.Block) []string {
	args, ok := providerBlocks[inner.Type]
	if !ok || len(inner.Body.Blocks) > 0 {
		a.flag("provider block %s has no counterpart in hwc (see the hwc provider's Logging In)", inner.Type)
		return nil
	}
	lines := []string{inner.Type + " {"}
	for _, attr := range sortedAttributes(inner.Body) {
		if !args[attr.Name] {
			a.flag("provider block %s: %s has no counterpart in hwc (see the hwc provider's Logging In)", inner.Type, attr.Name)
			return nil
		}
		lines = append(lines, attr.Name+" = "+strings.TrimSpace(a.f.text(attr.Expr.Range())))
	}
	return append(lines, "}")
}

func isEmptyLiteral(e hclsyntax.Expression) bool {
	v, ok := literal(e)
	return ok && v == ""
}

// iamBase is the IAM base URL of an auth_url (hwc adds /v3 itself).
func iamBase(e hclsyntax.Expression, expr string) string {
	if s, ok := literal(e); ok {
		return strconv.Quote(strings.TrimSuffix(strings.TrimSuffix(s, "/"), "/v3"))
	}
	return fmt.Sprintf(`trimsuffix(trimsuffix(%s, "/"), "/v3")`, expr)
}

// endpoints takes the ims, iam and workspace endpoints of a provider's
// endpoints object (auth_url wins for iam).
func (m *module) endpoints(a *analyzer, attr *hclsyntax.Attribute, into map[string]string) {
	obj, ok := attr.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		a.flag("provider endpoints is not an object written out: set the ims, iam and workspace endpoints of provider \"hwc\" by hand")
		return
	}
	for _, it := range obj.Items {
		key := strings.Trim(strings.TrimSpace(a.f.text(it.KeyExpr.Range())), `"`)
		if _, set := into[key]; hwcEndpoints[key] && !set {
			into[key] = strings.TrimSpace(a.f.text(it.ValueExpr.Range()))
		}
	}
}

func aliasText(alias string) string {
	if alias == "" {
		return ""
	}
	return fmt.Sprintf(" (alias %q)", alias)
}

// defaultProvider makes sure a root module's data sources that use the
// default provider get the official enterprise project fallback: a
// provider "hwc" block, when no huaweicloud block gave one. A module that
// may be a child is left to the module that calls it.
func (m *module) defaultProvider() {
	if m.hwc[""] != nil || len(m.calledBy) > 0 || !m.usesDefaultProvider() {
		return
	}
	f := m.firstDataFile()
	if !m.root && !m.providers {
		m.markFile(f, "hwc-migrate cannot tell whether this directory is a root module or one that others call: if it is a root "+
			"module, add provider \"hwc\" { default_enterprise_project_id = \"all_granted_eps\" }; if not, run hwc-migrate -recursive "+
			"on the configuration that calls it")
		return
	}
	lines := append([]string{generatedComment + ": the official provider read HW_* variables alone here, and so does hwc.",
		`provider "hwc" {`}, fallbackLines...)
	lines = append(lines, "}")
	f.add(edit{len(f.src), len(f.src), f.endWithEOL() + f.eol + f.layout("", lines...)})
	m.hwc[""] = &providerInfo{generated: true, fallback: true}
	m.note(f, len(f.src), Converted, "provider \"hwc\" added with the official enterprise project fallback (there is no provider \"huaweicloud\" block)")
}

// endWithEOL is a line ending when the file does not end with one.
func (f *file) endWithEOL() string {
	if len(f.src) == 0 || f.src[len(f.src)-1] == '\n' {
		return ""
	}
	return f.eol
}

// usesDefaultProvider reports whether a data source of the module, or a
// call of a module that needs hwc without a providers map, uses the
// default provider.
func (m *module) usesDefaultProvider() bool {
	for _, ds := range m.data {
		if _, ok := ds.b.Body.Attributes["provider"]; !ok {
			return true
		}
	}
	for _, c := range m.calls {
		if _, ok := c.b.Body.Attributes["providers"]; !ok && c.child != nil && c.child.needsHWC {
			return true
		}
	}
	return false
}

// firstDataFile is the first file (not an override file) with an official
// data source, else the first file.
func (m *module) firstDataFile() *file {
	for _, f := range m.files {
		if !isOverrideFile(f.name) && slices.ContainsFunc(f.body.Blocks, func(b *hclsyntax.Block) bool { return b.Type == "data" && m.data[strings.Join(b.Labels, ".")] != nil }) {
			return f
		}
	}
	return m.files[0]
}
