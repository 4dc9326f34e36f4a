package migrate

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// file is one configuration file: its bytes, its syntax tree (whose ranges
// are byte offsets into src), and the edits the conversion makes to it.
// Everything outside an edit is written back byte for byte.
type file struct {
	name  string
	src   []byte
	body  *hclsyntax.Body
	eol   string // the file's line ending: "\r\n" when its first line ends so
	edits []edit // sorted by file.add
	lines []int  // where each line starts, once line needs it
	// expanded are the lines of src where a one-line block of the file as
	// written now starts, over three lines (see expandOneLineBlocks): the
	// report gives the lines of the file as written.
	expanded []int
}

// edit replaces src[start:end] with text; start == end inserts.
type edit struct {
	start, end int
	text       string
}

// maxNesting bounds how deeply brackets may nest in a file: hcl's parser
// recurses once per level and would exhaust the stack long before a real
// configuration gets near this.
const maxNesting = 1000

// parse reads a file; a syntax error is an error naming the file and line.
func parse(name string, src []byte) (*file, error) {
	if line, ok := tooDeep(src); !ok {
		return nil, fmt.Errorf("%s:%d: brackets nest more than %d deep; hwc-migrate does not read such a file", name, line, maxNesting)
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s", diags.Error())
	}
	eol := "\n"
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		eol = "\r\n"
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("%s: not native HCL syntax", name)
	}
	if expanded, at := expandOneLineBlocks(src, body, eol); len(at) > 0 {
		f, err := parse(name, expanded)
		if f != nil {
			f.expanded = at
		}
		return f, err
	}
	return &file{name: name, src: src, body: body, eol: eol}, nil
}

// expandOneLineBlocks writes each official data source written on one line
// (`data "huaweicloud_images_images" "x" { os = "Ubuntu" }`) over three, so
// that the conversion can add lines to it: HCL allows one argument in a
// one-line block and nothing after it on its line. It returns the lines
// where the expanded blocks start in the text it returns.
func expandOneLineBlocks(src []byte, body *hclsyntax.Body, eol string) ([]byte, []int) {
	out := src
	var expanded []int
	for i := len(body.Blocks) - 1; i >= 0; i-- {
		b := body.Blocks[i]
		if b.Type != "data" || len(b.Labels) != 2 || dataSources[b.Labels[0]] == "" ||
			b.OpenBraceRange.Start.Line != b.CloseBraceRange.Start.Line || len(b.Body.Attributes) != 1 {
			continue
		}
		start := bytes.LastIndexByte(src[:b.DefRange().Start.Byte], '\n') + 1
		indent := src[start : start+len(src[start:])-len(bytes.TrimLeft(src[start:], " \t"))]
		var attr *hclsyntax.Attribute
		for _, a := range b.Body.Attributes {
			attr = a
		}
		arg := src[attr.SrcRange.Start.Byte:attr.SrcRange.End.Byte]
		text := slices.Concat(src[:b.OpenBraceRange.End.Byte], []byte(eol), indent, []byte("  "), arg, []byte(eol), indent)
		out = slices.Concat(text, out[b.CloseBraceRange.Start.Byte:])
		expanded = append(expanded, b.DefRange().Start.Line)
	}
	// Each block expanded before another moves it down two lines.
	slices.Reverse(expanded)
	for i := range expanded {
		expanded[i] += 2 * i
	}
	return out, expanded
}

// tooDeep reports the line where brackets first nest past maxNesting (it
// counts every bracket, in strings too: a bound, not a parser).
func tooDeep(src []byte) (int, bool) {
	depth, line := 0, 1
	for _, c := range src {
		switch c {
		case '{', '[', '(':
			if depth++; depth > maxNesting {
				return line, false
			}
		case '}', ']', ')':
			depth--
		case '\n':
			line++
		}
	}
	return 0, true
}

// replace records an edit. An edit that covers earlier ones replaces them
// (its text was rendered from them).
func (f *file) replace(r hcl.Range, text string) { f.splice(r.Start.Byte, r.End.Byte, text) }

func (f *file) splice(start, end int, text string) {
	// The edits inside [start, end) are contiguous in f.edits, which is
	// sorted by start; insertions at either end stay.
	from, _ := slices.BinarySearchFunc(f.edits, start, func(e edit, at int) int { return cmp.Compare(e.start, at) })
	for from < len(f.edits) && f.edits[from].start == start && f.edits[from].start == f.edits[from].end {
		from++
	}
	to := from
	for to < len(f.edits) && f.edits[to].start < end && f.edits[to].end <= end {
		to++
	}
	f.edits = slices.Delete(f.edits, from, to)
	f.add(edit{start, end, text})
}

// add records an edit in order: by where it starts, insertions before
// replacements that start at the same place, and otherwise in the order
// they were made.
func (f *file) add(e edit) {
	key := func(x edit) [2]int { return [2]int{x.start, min(x.end-x.start, 1)} }
	i := len(f.edits)
	for i > 0 && cmpKeys(key(f.edits[i-1]), key(e)) > 0 {
		i--
	}
	f.edits = slices.Insert(f.edits, i, e)
}

func cmpKeys(a, b [2]int) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}

// insert adds lines before the line that holds byte at, indented like it.
// Each line of text gets the file's line ending.
func (f *file) insert(at int, lines ...string) {
	start := f.lineStart(at)
	indent := f.indent(start)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(indent + l + f.eol)
	}
	f.add(edit{start, start, b.String()})
}

// lineStart is the offset of the first byte of the line holding at.
func (f *file) lineStart(at int) int { return bytes.LastIndexByte(f.src[:at], '\n') + 1 }

// lineEnd is the offset just past the line ending of the line holding at.
func (f *file) lineEnd(at int) int {
	if i := bytes.IndexByte(f.src[at:], '\n'); i >= 0 {
		return at + i + 1
	}
	return len(f.src)
}

// indent is the blank space that starts the line at offset start.
func (f *file) indent(start int) string {
	end := start
	for end < len(f.src) && (f.src[end] == ' ' || f.src[end] == '\t') {
		end++
	}
	return string(f.src[start:end])
}

// text is the source of a range as it will be written: with the edits
// made inside it so far.
func (f *file) text(r hcl.Range) string { return f.render(r.Start.Byte, r.End.Byte) }

func (f *file) render(start, end int) string {
	from, _ := slices.BinarySearchFunc(f.edits, start, func(e edit, at int) int { return cmp.Compare(e.start, at) })
	var inside []edit
	for _, e := range f.edits[from:] {
		if e.start >= end {
			break
		}
		if e.end <= end && (e.start < e.end || e.start > start) { // not an insertion before the range
			inside = append(inside, e)
		}
	}
	return string(apply(f.src[start:end], inside, start))
}

// apply makes edits (sorted as file.add sorts them; offsets relative to
// base) to src.
func apply(src []byte, edits []edit, base int) []byte {
	var out []byte
	last := base
	for _, e := range edits {
		if e.start < last {
			continue // inside an edit already made
		}
		out = append(out, src[last-base:e.start-base]...)
		out = append(out, e.text...)
		last = e.end
	}
	return append(out, src[last-base:]...)
}

// bytes is the file with every edit made.
func (f *file) bytes() []byte { return apply(f.src, f.edits, 0) }

// line is the line number of an offset.
func (f *file) line(at int) int {
	if f.lines == nil {
		f.lines = []int{0}
		for i, c := range f.src {
			if c == '\n' {
				f.lines = append(f.lines, i+1)
			}
		}
	}
	n, found := slices.BinarySearch(f.lines, at)
	if found {
		n++
	}
	return f.written(n)
}

// written is the line of the file as written of a line of src: the lines
// an expanded block added are its first line's.
func (f *file) written(line int) int {
	shift := 0
	for _, e := range f.expanded {
		switch {
		case line > e+2:
			shift += 2
		case line > e:
			return e - shift
		}
	}
	return line - shift
}

// unit is the file's indentation step: that of its first indented line
// (a tab, or so many spaces), else two spaces.
func (f *file) unit() string {
	for at := 0; at < len(f.src); at = f.lineEnd(at) {
		if in := f.indent(at); in != "" && f.lineEnd(at) > at+len(in)+1 {
			if in[0] == '\t' {
				return "\t"
			}
			return in
		}
	}
	return "  "
}

// layout lays out text the tool writes (its own, never the user's) as
// terraform fmt would: nested by its braces, with the = of adjacent
// attributes lined up, indented by the file's unit from indent, with the
// file's line endings.
func (f *file) layout(indent string, lines ...string) string {
	unit := f.unit()
	depths := make([]int, len(lines))
	depth := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "}") {
			depth--
		}
		depths[i] = depth
		if strings.HasSuffix(l, "{") {
			depth++
		}
	}
	var b strings.Builder
	for i := 0; i < len(lines); {
		// A run of attributes at one depth shares the column of its =.
		j, width := i, 0
		for ; j < len(lines) && depths[j] == depths[i] && isAttributeLine(lines[j]); j++ {
			name, _, _ := strings.Cut(lines[j], " = ")
			width = max(width, len(name))
		}
		if j == i {
			j = i + 1
		}
		for k := i; k < j; k++ {
			line := lines[k]
			if name, value, ok := strings.Cut(line, " = "); ok && isAttributeLine(line) {
				line = name + strings.Repeat(" ", width-len(name)) + " = " + value
			}
			b.WriteString(indent + strings.Repeat(unit, max(depths[k], 0)) + line + f.eol)
		}
		i = j
	}
	return b.String()
}

// isAttributeLine reports a line "name = value" that opens no block.
func isAttributeLine(l string) bool {
	name, _, ok := strings.Cut(l, " = ")
	return ok && !strings.HasPrefix(l, "#") && !strings.ContainsAny(name, " {}") && !strings.HasSuffix(l, "{")
}

// literal returns the value of a plain string literal expression ("…" with
// no interpolation), and whether it is one.
func literal(e hclsyntax.Expression) (string, bool) {
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok || !t.IsStringLiteral() {
		return "", false
	}
	v, diags := t.Value(nil)
	if diags.HasErrors() || v.IsNull() {
		return "", false
	}
	return v.AsString(), true
}

// boolLiteral returns the value of true or false written as such.
func boolLiteral(e hclsyntax.Expression) (value, ok bool) {
	l, isLit := e.(*hclsyntax.LiteralValueExpr)
	if !isLit || l.Val.IsNull() || l.Val.Type().FriendlyName() != "bool" {
		return false, false
	}
	return l.Val.True(), true
}
