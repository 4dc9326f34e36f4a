package migrate

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// requireHWC adds hwc to the module's required_providers: next to
// huaweicloud (with the matching configuration_aliases), else at the end
// of the first required_providers, else in a new required_providers block
// of the first terraform block, else in a new terraform block.
func (m *module) requireHWC() {
	var first *hclsyntax.Block
	var firstFile, tfFile *file
	var tf *hclsyntax.Block
	for _, f := range m.files {
		for _, b := range f.body.Blocks {
			if b.Type != "terraform" || isOverrideFile(f.name) {
				continue
			}
			if tf == nil {
				tf, tfFile = b, f
			}
			for _, rp := range b.Body.Blocks {
				if rp.Type != "required_providers" {
					continue
				}
				if _, ok := rp.Body.Attributes["hwc"]; ok {
					return
				}
				if hc, ok := rp.Body.Attributes["huaweicloud"]; ok {
					m.requireNext(f, hc)
					return
				}
				if first == nil {
					first, firstFile = rp, f
				}
			}
		}
	}
	switch {
	case first != nil:
		firstFile.insertBeforeClose(first, hwcRequirement("")...)
		m.note(firstFile, first.Range().Start.Byte, Decision, `added hwc = { source = "hwc-terraform/hwc" } to required_providers`)
	case tf != nil:
		lines := append([]string{"required_providers {"}, hwcRequirement("")...)
		tfFile.insertBeforeClose(tf, append(lines, "}")...)
		m.note(tfFile, tf.Range().Start.Byte, Decision, "added required_providers with hwc to the terraform block")
	default:
		f := m.firstDataFile()
		lines := append([]string{"terraform {", "required_providers {"}, hwcRequirement("")...)
		lines = append(lines, "}", "}")
		f.add(edit{len(f.src), len(f.src), f.endWithEOL() + f.eol + f.layout("", lines...)})
		m.note(f, len(f.src), Decision, "added a terraform block with required_providers for hwc (the module had none)")
	}
}

// hwcRequirement is the required_providers entry of hwc.
func hwcRequirement(aliases string) []string {
	lines := []string{"hwc = {", `source = "hwc-terraform/hwc"`}
	if aliases != "" {
		lines = append(lines, "configuration_aliases = "+aliases)
	}
	return append(lines, "}")
}

// requireNext adds hwc after the huaweicloud entry of required_providers,
// indented like it.
func (m *module) requireNext(f *file, hc *hclsyntax.Attribute) {
	aliases := ""
	if obj, ok := hc.Expr.(*hclsyntax.ObjectConsExpr); ok {
		for _, it := range obj.Items {
			if strings.TrimSpace(f.text(it.KeyExpr.Range())) == "configuration_aliases" {
				aliases = strings.ReplaceAll(strings.TrimSpace(f.text(it.ValueExpr.Range())), "huaweicloud.", "hwc.")
			}
		}
	}
	end := f.lineEnd(hc.SrcRange.End.Byte)
	indent := f.indent(f.lineStart(hc.SrcRange.Start.Byte))
	f.add(edit{end, end, f.layout(indent, hwcRequirement(aliases)...)})
	m.note(f, hc.SrcRange.Start.Byte, Decision, `added hwc = { source = "hwc-terraform/hwc" } to required_providers`)
}

// moduleCall passes the hwc providers to a module of the run that needs
// them, next to the huaweicloud ones it is passed.
func (m *module) moduleCall(a *analyzer) {
	f, b := a.f, a.block
	attr, ok := b.Body.Attributes["providers"]
	c := m.callOf(b)
	if !ok || c == nil || c.child == nil || !c.child.needsHWC {
		return
	}
	obj, ok := attr.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		a.flag("module %q is passed providers that hwc-migrate cannot read: pass it the hwc ones too", b.Labels[0])
		return
	}
	var added []string
	var last *hclsyntax.ObjectConsItem
	for i, it := range obj.Items {
		key := strings.TrimSpace(f.text(it.KeyExpr.Range()))
		if key == "hwc" || strings.HasPrefix(key, "hwc.") {
			return
		}
		if key == "huaweicloud" || strings.HasPrefix(key, "huaweicloud.") {
			value := strings.TrimSpace(f.text(it.ValueExpr.Range()))
			added = append(added, strings.Replace(key, "huaweicloud", "hwc", 1)+" = "+strings.Replace(value, "huaweicloud", "hwc", 1))
			last = &obj.Items[i]
		}
	}
	if last == nil {
		return
	}
	m.note(f, attr.SrcRange.Start.Byte, Decision, "module %q: passed %s too", b.Labels[0], strings.Join(added, ", "))
	at := last.ValueExpr.Range().End.Byte
	if attr.Expr.Range().Start.Line == attr.Expr.Range().End.Line {
		f.add(edit{at, at, ", " + strings.Join(added, ", ")})
		return
	}
	// Each new line lines its = up with the last huaweicloud one's.
	start := last.KeyExpr.Range().Start.Byte
	width := strings.IndexByte(string(f.src[start:last.ValueExpr.Range().Start.Byte]), '=')
	var text strings.Builder
	for _, l := range added {
		key, value, _ := strings.Cut(l, " = ")
		text.WriteString(f.indent(f.lineStart(start)) + key + strings.Repeat(" ", max(1, width-len(key))) + "= " + value + f.eol)
	}
	end := f.lineEnd(at)
	f.add(edit{end, end, text.String()})
}

func (m *module) callOf(b *hclsyntax.Block) *call {
	for _, c := range m.calls {
		if c.b == b {
			return c
		}
	}
	return nil
}
