package migrate

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// dataBlock converts one official data source in place: its type, each
// argument, and the query parameters the official provider sent on its own,
// written out before the closing brace.
func (m *module) dataBlock(a *analyzer, ds *dataSource) {
	f, b := a.f, ds.b
	official, name := b.Labels[0], b.Labels[1]
	f.replace(b.LabelRanges[0], strconv.Quote(dataSources[official]))
	m.note(f, b.Range().Start.Byte, Converted, "data %q %q → data %q %q", official, name, dataSources[official], name)
	c := &dataConversion{m: m, a: a, ds: ds, name: name}
	for _, attr := range sortedAttributes(b.Body) {
		c.argument(attr)
	}
	c.defaults()
}

// overrideBlock converts a data source of an override file, which
// Terraform merges into the block of the same name (base), argument by
// argument: into an override of the hwc data source that the converted
// base merges the same way. It writes no defaults (the base has them), and
// an argument that the official provider did not send for "" or false
// becomes null, which overrides what the base sets.
func (m *module) overrideBlock(a *analyzer, base *dataSource) {
	b := a.block
	if base == nil {
		a.flag("data %q %q overrides a block that this module does not have", b.Labels[0], b.Labels[1])
		return
	}
	official, name := b.Labels[0], b.Labels[1]
	a.f.replace(b.LabelRanges[0], strconv.Quote(dataSources[official]))
	m.note(a.f, b.Range().Start.Byte, Converted, "data %q %q (override) → data %q %q, which Terraform merges into it the same way",
		official, name, dataSources[official], name)
	c := &dataConversion{m: m, a: a, ds: &dataSource{f: a.f, b: b, plural: base.plural, many: base.many}, name: name, override: true}
	for _, attr := range sortedAttributes(b.Body) {
		c.argument(attr)
	}
}

// dataConversion is the conversion of one data block.
type dataConversion struct {
	m        *module
	a        *analyzer
	ds       *dataSource
	name     string
	wrapped  bool // the comment on `== "" ? null :` was written
	override bool // the block is in an override file
}

// overrideWithNull writes, in an override, an argument the official
// provider did not send as null, which replaces what the base sets.
func (c *dataConversion) overrideWithNull(attr *hclsyntax.Attribute, to, why string) {
	f := c.a.f
	was := attr.Name + " = " + strings.TrimSpace(f.text(attr.Expr.Range()))
	f.replace(attr.SrcRange, fmt.Sprintf("%s%s: %s; null replaces what the block this file overrides sets.%s%s = null",
		commentPrefix, was, why, f.eol+f.indent(f.lineStart(attr.SrcRange.Start.Byte)), to))
	c.decide(attr.SrcRange.Start.Byte, "%s → %s = null in the override (%s)", was, to, why)
}

func (c *dataConversion) decide(at int, format string, args ...any) {
	c.m.note(c.a.f, at, Decision, c.name+": "+format, args...)
}

// comment writes comment lines of the tool's before an attribute.
func (c *dataConversion) comment(attr *hclsyntax.Attribute, lines ...string) {
	for i := range lines {
		if i == 0 {
			lines[i] = commentPrefix + lines[i]
		} else {
			lines[i] = "#   " + strings.TrimSpace(lines[i])
		}
	}
	c.a.f.insert(attr.SrcRange.Start.Byte, lines...)
}

// argument converts one argument of the block.
func (c *dataConversion) argument(attr *hclsyntax.Attribute) {
	f, at := c.a.f, attr.SrcRange.Start.Byte
	spec, known := args[attr.Name]
	switch {
	case attr.Name == "provider":
		f.replace(attr.Expr.Range(), strings.Replace(f.text(attr.Expr.Range()), "huaweicloud", "hwc", 1))
	case metaArgs[attr.Name]:
	case !known || c.ds.plural && (spec.kind == argMostRecent || attr.Name == "size_min" || attr.Name == "size_max"):
		c.manual(attr, "not an argument of "+c.ds.b.Labels[0])
	case spec.kind == argManual:
		c.manual(attr, spec.why)
	case spec.kind == argDrop:
		f.replace(attr.SrcRange, fmt.Sprintf("%sdropped %s: %s.", commentPrefix, oneLine(f.text(attr.SrcRange)), spec.why))
		c.decide(at, "%s dropped: %s", attr.Name, spec.why)
	case !c.allowed(attr):
		c.manual(attr, fmt.Sprintf("hwc accepts only %s here", strings.Join(allowed[attr.Name], ", ")))
	default:
		c.convert(attr, spec)
	}
}

// manual leaves an argument as a comment, marked for a person.
func (c *dataConversion) manual(attr *hclsyntax.Attribute, why string) {
	f := c.a.f
	f.replace(attr.SrcRange, markerPrefix+fmt.Sprintf("not converted, %s: %s", why, oneLine(f.text(attr.SrcRange))))
	c.m.note(f, attr.SrcRange.Start.Byte, Manual, "%s.%s: %s", c.name, attr.Name, why)
}

// oneLine is text on one line, for a comment: each line break and the
// indentation after it become one space.
func oneLine(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := range lines[1:] {
		lines[i+1] = strings.TrimLeft(lines[i+1], " \t")
	}
	return strings.Join(lines, " ")
}

// allowed reports whether a literal argument is one hwc accepts.
func (c *dataConversion) allowed(attr *hclsyntax.Attribute) bool {
	v, isLiteral := literal(attr.Expr)
	switch {
	case !isLiteral || v == "":
		return true
	case attr.Name == "enterprise_project_id":
		return enterpriseProject.MatchString(v)
	case attr.Name == "tag":
		return tagPattern.MatchString(v)
	case allowed[attr.Name] != nil:
		return slices.Contains(allowed[attr.Name], v)
	}
	return true
}

// The checks of hwc's validators that the official provider does not make.
var (
	enterpriseProject = regexp.MustCompile(`^(0|all_granted_eps|[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})$`)
	tagPattern        = regexp.MustCompile(`^[^=]+=.*$`)
)

// convert converts an argument that has a counterpart.
func (c *dataConversion) convert(attr *hclsyntax.Attribute, spec arg) {
	f, at := c.a.f, attr.SrcRange.Start.Byte
	expr := strings.TrimSpace(f.text(attr.Expr.Range()))
	lit, isLiteral := literal(attr.Expr)
	b, isBool := boolLiteral(attr.Expr)
	value := expr
	if (spec.kind == argString || spec.kind == argSort) && isLiteral && lit == "" && c.override {
		c.overrideWithNull(attr, spec.to, `the official provider sent nothing for ""`)
		return
	}
	if (spec.kind == argString || spec.kind == argSort) && isLiteral && lit == "" {
		f.replace(attr.SrcRange, fmt.Sprintf(`%sdropped %s: the official provider sent nothing for "".`, commentPrefix, oneLine(f.text(attr.SrcRange))))
		c.decide(at, `%s = "" dropped (the official provider sent nothing for it)`, attr.Name)
		return
	}
	switch spec.kind {
	case argString:
		if !isLiteral {
			value = fmt.Sprintf(`%s == "" ? null : %s`, expr, expr)
			c.noteWrap(attr)
		}
	case argSort:
		// The official schema's default applies to null alone: "" is a
		// value, which it then did not send.
		if !isLiteral {
			value = fmt.Sprintf(`%s == null ? %q : (%s == "" ? null : %s)`, expr, sortDefaults[attr.Name], expr, expr)
			c.comment(attr, fmt.Sprintf(`the official provider took %q when %s was null, and sent nothing for "".`, sortDefaults[attr.Name], attr.Name))
		}
	case argVisibility:
		value = c.visibility(attr, expr, lit, isLiteral)
	case argWholeImage:
		switch {
		case isBool && !b && c.override:
			c.overrideWithNull(attr, spec.to, "the official provider sent nothing for false")
			return
		case isBool && !b:
			f.replace(attr.SrcRange, commentPrefix+"dropped is_whole_image = false: the official provider sent nothing for false.")
			c.decide(at, "is_whole_image = false dropped (the official provider did not send it)")
			return
		case !isBool:
			value = "tobool(" + expr + ") == true ? true : null"
			c.comment(attr, "the official provider sent is_whole_image only when true.")
		}
	case argMostRecent:
		value = c.mostRecent(attr, expr, b, isBool)
	}
	c.rename(attr, spec.to)
	if value != expr {
		f.replace(attr.Expr.Range(), value)
	}
}

// noteWrap explains, once per block, why an expression is wrapped.
func (c *dataConversion) noteWrap(attr *hclsyntax.Attribute) {
	if !c.wrapped {
		c.wrapped = true
		c.comment(attr, `the official provider sent nothing for an argument that is null or "", and hwc refuses "":`,
			`  == "" ? null : keeps that.`)
	}
}

// rename renames an argument (formatting realigns the equals signs).
func (c *dataConversion) rename(attr *hclsyntax.Attribute, to string) {
	if to != attr.Name {
		c.a.f.splice(attr.NameRange.Start.Byte, attr.NameRange.End.Byte, to)
	}
}

// visibility converts visibility into image_type ("public" is "gold").
func (c *dataConversion) visibility(attr *hclsyntax.Attribute, expr, lit string, isLiteral bool) string {
	value := fmt.Sprintf(`%s == "public" ? "gold" : (%s == "" ? null : %s)`, expr, expr, expr)
	switch {
	case isLiteral && lit == "public":
		value = `"gold"`
	case isLiteral:
		value = expr
	}
	c.comment(attr, `visibility becomes image_type; the official "public" is "gold" here.`)
	c.decide(attr.SrcRange.Start.Byte, "visibility = %s → image_type = %s", expr, value)
	return value
}

// mostRecent converts most_recent: the official one keeps the image
// updated last, which order_by = "updated_at" reproduces.
func (c *dataConversion) mostRecent(attr *hclsyntax.Attribute, expr string, b, isBool bool) string {
	if isBool && !b {
		return expr
	}
	c.comment(attr,
		"the official most_recent keeps the image updated last, as order_by = \"updated_at\" does; of images updated in",
		"  the same second, tie_break = \"official\" keeps the one it kept (Go's sort.Sort over the API's order).",
		"  To take the highest release instead, use order_by = \"version\" with the version captured in name_regex",
		"  (such as \"^Ubuntu (\\\\d+\\\\.\\\\d+)\"), and min_age = \"72h\" to keep images published in the last three days out of plans.")
	c.a.f.insert(attr.SrcRange.Start.Byte, `order_by = "updated_at"`, `tie_break = "official"`)
	c.decide(attr.SrcRange.Start.Byte, `most_recent → order_by = "updated_at" and tie_break = "official" with most_recent, which select what the official most_recent did`)
	if isBool {
		return expr
	}
	// tobool: an untyped variable set with -var x=true holds the string
	// "true", which the official schema took as true.
	return "tobool(" + expr + ") == true"
}

// defaults writes the query parameters the official provider sent on its
// own, before the block's closing brace.
func (c *dataConversion) defaults() {
	b := c.ds.b.Body
	var lines []string
	lines = append(lines, commentPrefix+"the official provider always sent status=active (hwc does too when status is unset).",
		`status = "active"`)
	_, key := b.Attributes["sort_key"]
	_, dir := b.Attributes["sort_direction"]
	if !key || !dir {
		what := "the official default order; it does not change which image is selected."
		if c.ds.plural {
			what = "the official default order (by name, ascending), which is the order of images."
		}
		lines = append(lines, commentPrefix+what)
	}
	if !key {
		lines = append(lines, `sort_key = "name"`)
	}
	if !dir {
		lines = append(lines, `sort_dir = "asc"`)
	}
	if !key || !dir {
		c.decide(c.ds.b.Range().Start.Byte, `the official default sort (sort_key = "name", sort_dir = "asc") written out`)
	}
	c.a.f.insertBeforeClose(c.ds.b, lines...)
}

// insertBeforeClose adds lines at the end of a block's body, indented like
// its first attribute (or one step more than the block).
func (f *file) insertBeforeClose(b *hclsyntax.Block, lines ...string) {
	closing := b.CloseBraceRange.Start.Byte
	blockIndent := f.indent(f.lineStart(b.Range().Start.Byte))
	indent := blockIndent + f.unit()
	if attrs := sortedAttributes(b.Body); len(attrs) > 0 {
		indent = f.indent(f.lineStart(attrs[0].SrcRange.Start.Byte))
	}
	// On a line of its own, the brace gets the lines before it; when it
	// ends a line of the body, they go between, on lines of their own.
	start, text := f.lineStart(closing), f.layout(indent, lines...)
	if strings.TrimSpace(string(f.src[start:closing])) != "" {
		start, text = closing, f.eol+text+blockIndent
	}
	f.add(edit{start, start, text})
}

// blockEnd is the offset just past the line that closes a block.
func (f *file) blockEnd(b *hclsyntax.Block) int { return f.lineEnd(b.CloseBraceRange.Start.Byte) }
