package migrate

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// file is one configuration file: its bytes, its syntax tree (whose ranges
// are byte offsets into src), and the edits the conversion makes to it.
// Everything outside an edit is written back byte for byte.
type file struct {
	name  string
	src   []byte
	body  *hclsyntax.Body
	eol   string // the file's line ending: "\r\n" when its first line ends so
	edits []edit
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
	return &file{name: name, src: src, body: body, eol: eol}, nil
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
	f.edits = slices.DeleteFunc(f.edits, func(e edit) bool {
		return start <= e.start && e.end <= end && (e.start < e.end || start < e.start && e.start < end)
	})
	f.edits = append(f.edits, edit{start, end, text})
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
	f.edits = append(f.edits, edit{start, start, b.String()})
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
	var inside []edit
	for _, e := range f.edits {
		atBoundary := e.start == e.end && (e.start == start || e.start == end)
		if start <= e.start && e.end <= end && !atBoundary {
			inside = append(inside, e)
		}
	}
	return string(apply(f.src[start:end], inside, start))
}

// apply makes edits (offsets relative to base) to src.
func apply(src []byte, edits []edit, base int) []byte {
	slices.SortStableFunc(edits, func(a, b edit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return min(a.end-a.start, 1) - min(b.end-b.start, 1) // insertions first
	})
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
func (f *file) bytes() []byte { return apply(f.src, slices.Clone(f.edits), 0) }

// line is the line number of an offset.
func (f *file) line(at int) int { return bytes.Count(f.src[:at], []byte("\n")) + 1 }

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

// layout formats text the tool writes (its own, never the user's) as
// terraform fmt would, indented by the file's unit and starting at indent,
// with the file's line endings.
func (f *file) layout(indent string, lines ...string) string {
	formatted := string(hclwrite.Format([]byte(strings.Join(lines, "\n") + "\n")))
	unit := f.unit()
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(formatted, "\n"), "\n") {
		trimmed := strings.TrimLeft(l, " ")
		depth := (len(l) - len(trimmed)) / 2
		if trimmed == "" {
			b.WriteString(f.eol)
			continue
		}
		b.WriteString(indent + strings.Repeat(unit, depth) + trimmed + f.eol)
	}
	return b.String()
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
