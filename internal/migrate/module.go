package migrate

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// module is one directory of a run: its files and what they declare.
type module struct {
	dir         string
	files       []*file
	notes       []Note
	root        bool // known to be a root module
	calledBy    []*module
	calls       []*call
	needsHWC    bool                     // it has official data sources, or calls a module that has
	data        map[string]*dataSource   // official data sources by "type.name"
	official    map[string]*providerInfo // huaweicloud provider blocks by alias ("" for the default)
	hwc         map[string]*providerInfo // hwc provider blocks by alias
	providers   bool                     // it has a provider block of any kind, or a backend
	singularEPS bool                     // a singular configures enterprise_project_id
	locals      map[string]shape         // locals holding official objects
	// hwcOverrides are the aliases of the provider "hwc" blocks of override
	// files (one written by an earlier run, after its huaweicloud block).
	hwcOverrides map[string]bool
}

// isOverrideFile reports a file Terraform merges into the module's other
// files instead of reading it as blocks of their own.
func isOverrideFile(name string) bool {
	base := strings.TrimSuffix(strings.TrimSuffix(path.Base(name), ".json"), ".tf")
	return base == "override" || strings.HasSuffix(base, "_override")
}

// dataSource is an official data block.
type dataSource struct {
	f      *file
	b      *hclsyntax.Block
	plural bool
	many   bool // it has count or for_each
}

func (d *dataSource) shape() shape {
	switch {
	case d.plural && d.many:
		return shapePlurals
	case d.plural:
		return shapePlural
	case d.many:
		return shapeSingulars
	}
	return shapeSingular
}

// providerInfo is a provider block.
type providerInfo struct {
	f         *file
	b         *hclsyntax.Block
	alias     string
	generated bool // hwc-migrate wrote it
	fallback  bool // it sets default_enterprise_project_id
}

// call is a module block.
type call struct {
	f      *file
	b      *hclsyntax.Block
	source string
	child  *module // the module of the run it calls, if any
}

// newModule parses the files of a directory and surveys them.
func newModule(dir string, files map[string][]byte) (*module, error) {
	m := &module{dir: dir, data: map[string]*dataSource{}, official: map[string]*providerInfo{}, hwc: map[string]*providerInfo{},
		locals: map[string]shape{}, hwcOverrides: map[string]bool{}}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f, err := parse(name, files[name])
		if err != nil {
			return nil, err
		}
		m.files = append(m.files, f)
		for _, b := range f.body.Blocks {
			switch {
			case !isOverrideFile(name):
				m.survey(f, b)
			case b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "hwc":
				m.hwcOverrides[aliasOf(b)] = true
			case isOfficialData(b):
				// Merged into the block of the same name (see overrideBlock).
				if _, ok := b.Body.Attributes["enterprise_project_id"]; ok && b.Labels[0] == "huaweicloud_images_image" {
					m.singularEPS = true
				}
			case b.Type != "provider":
				m.survey(f, b)
			}
		}
	}
	return m, nil
}

// survey records what a top-level block declares.
func (m *module) survey(f *file, b *hclsyntax.Block) {
	switch {
	case isOfficialData(b):
		_, count := b.Body.Attributes["count"]
		_, forEach := b.Body.Attributes["for_each"]
		ds := &dataSource{f: f, b: b, plural: b.Labels[0] == "huaweicloud_images_images", many: count || forEach}
		m.data[b.Labels[0]+"."+b.Labels[1]] = ds
		m.needsHWC = true
		if _, ok := b.Body.Attributes["enterprise_project_id"]; ok && !ds.plural {
			m.singularEPS = true
		}
	case b.Type == "provider" && len(b.Labels) == 1:
		m.providers = true
		p := &providerInfo{f: f, b: b, alias: aliasOf(b)}
		_, p.fallback = b.Body.Attributes["default_enterprise_project_id"]
		p.generated = strings.HasPrefix(f.previousLine(b.Range().Start.Byte), generatedComment)
		switch b.Labels[0] {
		case "huaweicloud":
			m.official[p.alias] = p
		case "hwc":
			m.hwc[p.alias] = p
		}
	case b.Type == "terraform":
		for _, inner := range b.Body.Blocks {
			m.providers = m.providers || inner.Type == "backend" || inner.Type == "cloud"
		}
	case b.Type == "module" && len(b.Labels) == 1:
		if a, ok := b.Body.Attributes["source"]; ok {
			source, _ := literal(a.Expr)
			m.calls = append(m.calls, &call{f: f, b: b, source: source})
		}
	}
}

func isOfficialData(b *hclsyntax.Block) bool {
	return b.Type == "data" && len(b.Labels) == 2 && dataSources[b.Labels[0]] != ""
}

func aliasOf(b *hclsyntax.Block) string {
	if a, ok := b.Body.Attributes["alias"]; ok {
		alias, _ := literal(a.Expr)
		return alias
	}
	return ""
}

// previousLine is the line before the one holding at, without its ending.
func (f *file) previousLine(at int) string {
	start := f.lineStart(at)
	if start == 0 {
		return ""
	}
	prev := f.lineStart(start - 1)
	return strings.TrimSpace(string(f.src[prev:start]))
}

func (m *module) note(f *file, at int, kind Kind, format string, args ...any) {
	m.notes = append(m.notes, Note{File: f.name, Line: f.line(at), Kind: kind, Text: fmt.Sprintf(format, args...)})
}

// convert converts the module's files. The blocks of override files are
// converted into blocks that Terraform merges as it merged them: an
// official data source's override into an override of the hwc data source,
// a huaweicloud provider's into an hwc provider block after it.
func (m *module) convert() {
	if m.countOverridden() {
		return
	}
	m.readMarkers()
	m.surveyLocals()
	for _, f := range m.files {
		for _, b := range f.body.Blocks {
			m.block(f, b)
		}
	}
	if m.needsHWC {
		m.requireHWC()
		m.defaultProvider()
	}
}

// countOverridden reports, each with a note, the official data sources
// that an override file gives count or for_each: that changes how every
// reference reads them, so the module is left as it is.
func (m *module) countOverridden() bool {
	found := false
	for _, f := range m.files {
		for _, b := range f.body.Blocks {
			if isOverrideFile(f.name) && isOfficialData(b) && (b.Body.Attributes["count"] != nil || b.Body.Attributes["for_each"] != nil) {
				m.note(f, b.Range().Start.Byte, Manual, "data %q %q: this override sets count or for_each, which changes how "+
					"every reference reads the block, so the module was left as it is: merge the override into the block, then "+
					"run hwc-migrate again", b.Labels[0], b.Labels[1])
				found = true
			}
		}
	}
	return found
}

// block converts one top-level block and the references inside it.
func (m *module) block(f *file, b *hclsyntax.Block) {
	a := m.analyzer(f, b)
	ds := m.data[strings.Join(b.Labels, ".")]
	if b.Type == "data" && ds != nil {
		a.bind("self", binding{shape: element(ds.shape())})
	}
	// References first: what the block's conversion rewrites is rendered
	// with them.
	a.body(b.Body, b.Type == "locals")
	override := isOverrideFile(f.name)
	switch {
	case override && isOfficialData(b):
		m.overrideBlock(a, ds)
	case b.Type == "data" && ds != nil:
		m.dataBlock(a, ds)
	case override && b.Type == "provider" && len(b.Labels) == 1:
		m.providerOverride(a)
	case b.Type == "provider" && len(b.Labels) == 1:
		m.providerBlock(a)
	case b.Type == "module" && len(b.Labels) == 1:
		m.moduleCall(a)
	}
	m.mark(a)
}

// body walks the attributes and nested blocks of a block. In locals, a
// whole official object is followed through local.NAME rather than flagged.
func (a *analyzer) body(body *hclsyntax.Body, locals bool) {
	if fe, ok := body.Attributes["for_each"]; ok {
		a.bind("each", binding{shape: element(a.walk(fe.Expr)), iter: true})
		defer a.unbind("each")
	}
	for _, attr := range sortedAttributes(body) {
		switch {
		case attr.Name == "for_each":
		case attr.Name == "depends_on":
			// A list of references: what they name is waited for, never read.
			if list, ok := attr.Expr.(*hclsyntax.TupleConsExpr); ok {
				for _, x := range list.Exprs {
					a.walk(x)
				}
			} else {
				a.walk(attr.Expr)
			}
		case locals:
			a.walk(attr.Expr)
		default:
			a.value(attr.Expr)
		}
	}
	for _, b := range body.Blocks {
		switch {
		case b.Type == "dynamic" && len(b.Labels) == 1:
			a.dynamic(b)
		case b.Type == "data" && len(b.Labels) == 2 && dataSources[b.Labels[0]] != "":
			a.flag("data %q %q inside a %s block: hwc-migrate converts only top-level data sources", b.Labels[0], b.Labels[1], a.block.Type)
		default:
			a.body(b.Body, false)
		}
	}
}

// dynamic walks a dynamic block, whose iterator is an element of its
// for_each.
func (a *analyzer) dynamic(b *hclsyntax.Block) {
	name := b.Labels[0]
	if it, ok := b.Body.Attributes["iterator"]; ok {
		name = hcl.ExprAsKeyword(it.Expr)
	}
	var elem shape
	if fe, ok := b.Body.Attributes["for_each"]; ok {
		elem = element(a.walk(fe.Expr))
	}
	a.bind(name, binding{shape: elem, iter: true})
	defer a.unbind(name)
	for _, attr := range sortedAttributes(b.Body) {
		if attr.Name != "for_each" && attr.Name != "iterator" {
			a.value(attr.Expr)
		}
	}
	for _, inner := range b.Body.Blocks {
		a.body(inner.Body, false)
	}
}

// sortedAttributes are a body's attributes in the order they are written.
func sortedAttributes(body *hclsyntax.Body) []*hclsyntax.Attribute {
	attrs := slices.Collect(maps.Values(body.Attributes))
	slices.SortFunc(attrs, func(x, y *hclsyntax.Attribute) int { return x.SrcRange.Start.Byte - y.SrcRange.Start.Byte })
	return attrs
}

// surveyLocals finds the locals that hold official objects, following
// locals that refer to each other (a few rounds reach any real chain).
func (m *module) surveyLocals() {
	for range 4 {
		for _, f := range m.files {
			scratch := *f
			scratch.edits = nil
			for _, b := range f.body.Blocks {
				if b.Type != "locals" {
					continue
				}
				a := m.analyzer(&scratch, b)
				for _, attr := range sortedAttributes(b.Body) {
					m.locals[attr.Name] = a.walk(attr.Expr)
				}
			}
		}
	}
}

// readMarkers reports the marks of earlier runs that are still there: a
// construct stays flagged until a person removes its mark.
func (m *module) readMarkers() {
	for _, f := range m.files {
		for at := 0; at < len(f.src); at = f.lineEnd(at) {
			line := strings.TrimSpace(string(f.src[at:f.lineEnd(at)]))
			if text, ok := strings.CutPrefix(line, markerPrefix); ok {
				m.note(f, at, Manual, "%s (marked by an earlier run: delete the mark once it is done)", text)
			}
		}
	}
}

// markFile reports and marks, at the top of a file, something that needs
// a person about the whole module.
func (m *module) markFile(f *file, text string) {
	if strings.Contains(string(f.src), markerPrefix+text) {
		return // readMarkers reported it
	}
	m.note(f, 0, Manual, "%s", text)
	f.add(edit{0, 0, markerPrefix + text + f.eol})
}

// mark reports what a block needs a person for, and marks each above the
// block unless an earlier run marked it already.
func (m *module) mark(a *analyzer) {
	if len(a.flags) == 0 {
		return
	}
	start := a.f.lineStart(a.block.Range().Start.Byte)
	above := string(a.f.src[max(0, start-4096):start])
	var lines []string
	for _, text := range slices.Compact(a.flags) {
		if !strings.Contains(above, markerPrefix+text) { // else readMarkers reported it
			m.note(a.f, a.block.Range().Start.Byte, Manual, "%s", text)
			lines = append(lines, markerPrefix+text)
		}
	}
	if len(lines) > 0 {
		a.f.insert(a.block.Range().Start.Byte, lines...)
	}
}
