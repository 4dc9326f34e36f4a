package migrate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// dataBlock converts one official image data source and returns its text.
func (m *module) dataBlock(f *file, b block) string {
	official, name := b.labels[0], b.labels[1]
	hwcType := dataSources[official]
	plural := hwcType == "hwc_ims_images"
	m.note(f, b.start, Converted, "data %q %q → data %q %q", official, name, hwcType, name)
	its, rest := items(f, b.open+1, b.close)
	head, its, rest := header(fmt.Sprintf("data %q %q {", hwcType, name), its, rest)
	var out body
	out.WriteString(head)
	set := map[string]bool{}
	alias := ""
	defaultsWritten := false
	for _, it := range its {
		if it.block && !defaultsWritten {
			m.defaults(f, b, &out, set, alias, plural)
			defaultsWritten = true
		}
		set[it.name] = true
		expr := it.exprText()
		literal, isLiteral := unquote(it.expr)
		switch {
		case it.block:
			out.WriteString(string(it.lead.Bytes()) + string(it.all.Bytes()))
		case it.name == "provider":
			alias = strings.TrimPrefix(strings.TrimPrefix(expr, "huaweicloud"), ".")
			out.attribute(it, "provider", strings.Replace(expr, "huaweicloud", "hwc", 1))
		case metaArgs[it.name]:
			out.attribute(it, it.name, expr)
		case ignoredArgs[it.name] != "":
			out.annotate(&it, fmt.Sprintf("dropped %s = %s: %s.", it.name, expr, ignoredArgs[it.name]))
			m.note(f, it.end-1, Decision, "%s: %s dropped: %s", name, it.name, ignoredArgs[it.name])
		case it.name == "most_recent" && !plural:
			if expr != "false" {
				out.annotate(&it, "the official most_recent keeps the image updated last (its ties fall at random, here to")
				out.WriteString(`#   the larger id). To take the highest release instead, use order_by = "version", and min_age = "72h"` + "\n")
				out.WriteString("#   to keep images published in the last three days out of plans.\n")
				out.WriteString(`order_by = "updated_at"` + "\n")
				m.note(f, it.end-1, Decision, `%s: most_recent → order_by = "updated_at" with most_recent, which selects what the official most_recent did`, name)
			}
			out.attribute(it, "most_recent", expr)
		case it.name == "visibility":
			value := fmt.Sprintf(`%s == "public" ? "gold" : %s`, expr, expr)
			if isLiteral {
				value = expr
				if literal == "public" {
					value = `"gold"`
				}
			}
			out.annotate(&it, `visibility becomes image_type; the official "public" is "gold" here.`)
			out.attribute(it, "image_type", value)
			m.note(f, it.end-1, Decision, "%s: visibility = %s → image_type = %s", name, expr, value)
		case it.name == "is_whole_image":
			switch expr {
			case "true":
				out.attribute(it, "whole_image", "true")
			case "false":
				out.annotate(&it, "dropped is_whole_image = false: the official provider sent nothing for false.")
				m.note(f, it.end-1, Decision, "%s: is_whole_image = false dropped (the official provider did not send it)", name)
			default:
				out.annotate(&it, "the official provider sent is_whole_image only when true.")
				out.attribute(it, "whole_image", expr+" ? true : null")
			}
		case argRenames[it.name] != "":
			out.attribute(it, argRenames[it.name], expr)
		default:
			out.annotate(&it, fmt.Sprintf("not converted, hwc has no counterpart: %s = %s", it.name, expr))
			m.note(f, it.end-1, Manual, "%s.%s has no counterpart in %s; left as a comment", name, it.name, hwcType)
		}
	}
	if !defaultsWritten {
		m.defaults(f, b, &out, set, alias, plural)
	}
	out.WriteString(string(rest.Bytes()) + "}\n")
	return string(hclwrite.Format([]byte(out.String())))
}

// defaults writes the query parameters the official provider sent on its
// own, so that the query stays the same.
func (m *module) defaults(f *file, b block, out *body, set map[string]bool, alias string, plural bool) {
	name := b.labels[1]
	if !set["status"] {
		out.comment("the official provider always sent status=active (hwc does too when status is unset).")
		out.WriteString(`status = "active"` + "\n")
	}
	if !set["enterprise_project_id"] {
		eps := strconv.Quote("all_granted_eps")
		why := "every enterprise project you may see"
		if p := m.providers[alias].eps; p != "" {
			eps, why = p, "the provider block's enterprise_project_id"
		}
		out.comment(fmt.Sprintf("the official provider sent %s when enterprise_project_id was unset.", why))
		out.WriteString("enterprise_project_id = " + eps + "\n")
		m.note(f, b.start, Decision, "%s: enterprise_project_id = %s, as the official provider sent", name, eps)
	}
	if set["sort_key"] && set["sort_direction"] {
		return
	}
	if plural {
		out.comment("the official default order (by name, ascending), which is the order of images.")
	} else {
		out.comment("the official default order; it does not change which image is selected.")
	}
	if !set["sort_key"] {
		out.WriteString(`sort_key = "name"` + "\n")
	}
	if !set["sort_direction"] {
		out.WriteString(`sort_dir = "asc"` + "\n")
	}
	m.note(f, b.start, Decision, "%s: the official default sort (sort_key = \"name\", sort_dir = \"asc\") written out", name)
}

// providerBlock returns the hwc provider block for a huaweicloud one, or ""
// when the module has one for its alias already.
func (m *module) providerBlock(f *file, b block) string {
	its, _ := items(f, b.open+1, b.close)
	var out body
	alias := ""
	endpoints := map[string]string{}
	var keys []string
	for _, it := range its {
		expr := it.exprText()
		if it.name == "alias" {
			alias, _ = unquote(it.expr)
		}
		switch {
		case providerRenames[it.name]:
			out.WriteString(it.name + " = " + expr + "\n")
		case it.name == "enterprise_project_id":
			m.note(f, it.end-1, Decision, "provider enterprise_project_id is written into each converted data source that used it (hwc has no provider-wide one)")
		case it.name == "auth_url":
			iam := fmt.Sprintf(`trimsuffix(trimsuffix(%s, "/"), "/v3")`, expr)
			if s, ok := unquote(it.expr); ok {
				iam = strconv.Quote(strings.TrimSuffix(strings.TrimSuffix(s, "/"), "/v3"))
			}
			endpoints["iam"] = iam
			keys = append(keys, "iam")
			m.note(f, it.end-1, Decision, "provider auth_url → endpoints.iam = %s (hwc takes the IAM base URL)", iam)
		case it.name == "endpoints":
			pairs, ok := objectPairs(it.expr)
			if !ok {
				m.note(f, it.end-1, Manual, "provider endpoints is not an object written out: set the ims, iam and workspace endpoints of provider \"hwc\" by hand")
			}
			for _, p := range pairs {
				if hwcEndpoints[p[0]] && endpoints[p[0]] == "" {
					endpoints[p[0]] = p[1]
					keys = append(keys, p[0])
				}
			}
		case providerIgnored[it.name] != "":
			m.note(f, it.end-1, Decision, "provider %s", providerIgnored[it.name])
		case it.block:
			m.note(f, it.end-1, Manual, "provider block %s has no counterpart in hwc, which authenticates with AK/SK or a token", it.name)
		default:
			m.note(f, it.end-1, Manual, "provider %s has no counterpart in hwc, which authenticates with AK/SK or a token", it.name)
		}
	}
	if m.hwcAliases[alias] {
		return ""
	}
	m.hwcAliases[alias] = true
	if len(keys) > 0 {
		out.WriteString("endpoints = {\n")
		for _, k := range keys {
			out.WriteString(k + " = " + endpoints[k] + "\n")
		}
		out.WriteString("}\n")
	}
	m.note(f, b.start, Converted, "provider \"huaweicloud\"%s → provider \"hwc\" added after it", aliasText(alias))
	text := commentPrefix + "the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.\n" +
		"provider \"hwc\" {\n" + out.String() + "}\n"
	return string(hclwrite.Format([]byte(text)))
}

func aliasText(alias string) string {
	if alias == "" {
		return ""
	}
	return fmt.Sprintf(" (alias %q)", alias)
}

// objectPairs returns the key and value text of an object constructor
// written out, such as { ims = "https://…", iam = var.iam }.
func objectPairs(expr hclwrite.Tokens) ([][2]string, bool) {
	var sig hclwrite.Tokens
	for _, t := range expr {
		if t.Type != hclsyntax.TokenComment {
			sig = append(sig, t)
		}
	}
	if len(sig) < 2 || sig[0].Type != hclsyntax.TokenOBrace || matching(sig, 0) != len(sig)-1 {
		return nil, false
	}
	var pairs [][2]string
	for i := 1; i < len(sig)-1; i++ {
		if sig[i].Type == hclsyntax.TokenNewline || sig[i].Type == hclsyntax.TokenComma {
			continue
		}
		var key hclwrite.Tokens
		for ; i < len(sig)-1 && sig[i].Type != hclsyntax.TokenEqual && sig[i].Type != hclsyntax.TokenColon; i++ {
			if sig[i].Type == hclsyntax.TokenNewline || opens(sig[i].Type) && sig[i].Type != hclsyntax.TokenOQuote {
				return nil, false
			}
			key = append(key, sig[i])
		}
		if i >= len(sig)-1 {
			return nil, false
		}
		j := i + 1
		var value hclwrite.Tokens
		for ; j < len(sig)-1 && sig[j].Type != hclsyntax.TokenNewline && sig[j].Type != hclsyntax.TokenComma; j++ {
			if opens(sig[j].Type) {
				k := matching(sig, j)
				value = append(value, sig[j:k+1]...)
				j = k
				continue
			}
			value = append(value, sig[j])
		}
		pairs = append(pairs, [2]string{strings.Trim(strings.TrimSpace(string(key.Bytes())), `"`), strings.TrimSpace(string(value.Bytes()))})
		i = j
	}
	return pairs, true
}

// required adds hwc next to huaweicloud in the required_providers of a
// terraform block, and returns the block's text.
func (m *module) required(f *file, b block) string {
	for _, rp := range blocks(f.toks, b.open+1, b.close) {
		if rp.typ != "required_providers" {
			continue
		}
		its, _ := items(f, rp.open+1, rp.close)
		for _, it := range its {
			if it.name != "huaweicloud" {
				continue
			}
			indent := strings.Repeat(" ", f.toks[it.start].SpacesBefore)
			m.requiredAdded = true
			m.note(f, it.end-1, Decision, `added hwc = { source = "hwc-terraform/hwc" } to required_providers`)
			insert := indent + "hwc = {\n" + indent + "  source = \"hwc-terraform/hwc\"\n" + indent + "}\n"
			return string(f.toks[b.start:it.end].Bytes()) + insert + string(f.toks[it.end:b.end].Bytes())
		}
	}
	return string(f.toks[b.start:b.end].Bytes())
}

// moduleCall passes the hwc providers to a module call that passes
// huaweicloud ones, next to them, and returns the block's text: once the
// module's data sources are converted, it needs them.
func (m *module) moduleCall(f *file, b block) string {
	whole := string(f.toks[b.start:b.end].Bytes())
	its, _ := items(f, b.open+1, b.close)
	for _, it := range its {
		expr := it.exprText()
		if it.name != "providers" || !strings.Contains(expr, "huaweicloud") || strings.Contains(expr, "hwc") {
			continue
		}
		pairs, ok := objectPairs(it.expr)
		if !ok {
			m.note(f, it.end-1, Manual, "module %q is passed huaweicloud providers: pass the matching hwc ones too (hwc = hwc, or hwc.ALIAS)", b.labels[0])
			return whole
		}
		var added []string
		for _, p := range pairs {
			if p[0] == "huaweicloud" || strings.HasPrefix(p[0], "huaweicloud.") {
				added = append(added, strings.Replace(p[0], "huaweicloud", "hwc", 1)+" = "+strings.Replace(p[1], "huaweicloud", "hwc", 1))
			}
		}
		closing := it.end - len(it.tail) - 1 // the object's "}"
		var insert string
		if strings.Contains(expr, "\n") {
			indent := strings.Repeat(" ", f.toks[closing].SpacesBefore+2)
			insert = indent + strings.Join(added, "\n"+indent) + "\n"
		} else {
			insert = ", " + strings.Join(added, ", ")
		}
		m.note(f, it.end-1, Decision, "module %q: passed %s too", b.labels[0], strings.Join(added, ", "))
		return string(f.toks[b.start:closing].Bytes()) + insert + string(f.toks[closing:b.end].Bytes())
	}
	return whole
}
