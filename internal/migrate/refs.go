package migrate

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// step is one step of a traversal after its root: .attr, [index] or a
// splat ([*] or .*), with its tokens [from, to).
type step struct {
	kind     stepKind
	name     string
	from, to int
}

type stepKind int

const (
	stepAttr stepKind = iota
	stepIndex
	stepSplat
)

// steps reads the traversal steps that start at j.
func steps(toks hclwrite.Tokens, j int) []step {
	var out []step
	for j+1 < len(toks) {
		switch {
		case toks[j].Type == hclsyntax.TokenDot && toks[j+1].Type == hclsyntax.TokenIdent:
			out = append(out, step{kind: stepAttr, name: string(toks[j+1].Bytes), from: j, to: j + 2})
		case toks[j].Type == hclsyntax.TokenDot && toks[j+1].Type == hclsyntax.TokenStar:
			out = append(out, step{kind: stepSplat, from: j, to: j + 2})
		case toks[j].Type == hclsyntax.TokenDot && toks[j+1].Type == hclsyntax.TokenNumberLit:
			out = append(out, step{kind: stepIndex, from: j, to: j + 2})
		case toks[j].Type == hclsyntax.TokenOBrack && toks[j+1].Type == hclsyntax.TokenStar &&
			j+2 < len(toks) && toks[j+2].Type == hclsyntax.TokenCBrack:
			out = append(out, step{kind: stepSplat, from: j, to: j + 3})
		case toks[j].Type == hclsyntax.TokenOBrack:
			out = append(out, step{kind: stepIndex, from: j, to: matching(toks, j) + 1})
		default:
			return out
		}
		j = out[len(out)-1].to
	}
	return out
}

// refKind is what a reference's root is.
type refKind int

const (
	refSingular refKind = iota // data.huaweicloud_images_image.NAME, or self in it
	refPlural                  // data.huaweicloud_images_images.NAME, or self in it
	refElement                 // the variable of a for expression over a plural's images
)

// scope is a for expression over a plural's images: its variable, and the
// index of the token that ends it.
type scope struct {
	name string
	end  int
}

// rewriter rewrites the references of one file to the converted data
// sources: their type, and the attributes read from them.
type rewriter struct {
	f        *file
	inBlock  []block // the top-level blocks being converted, where self is one of them
	out      hclwrite.Tokens
	notes    []Note
	scopes   []scope
	lastAttr string
}

func rewriteRefs(f *file) (hclwrite.Tokens, []Note) {
	r := &rewriter{f: f}
	for _, b := range blocks(f.toks, 0, len(f.toks)) {
		if b.typ == "data" && len(b.labels) == 2 && dataSources[b.labels[0]] != "" {
			r.inBlock = append(r.inBlock, b)
		}
	}
	toks := f.toks
	for i := 0; i < len(toks); {
		for len(r.scopes) > 0 && i > r.scopes[len(r.scopes)-1].end {
			r.scopes = r.scopes[:len(r.scopes)-1]
		}
		t := toks[i]
		if t.Type == hclsyntax.TokenIdent && i+1 < len(toks) && toks[i+1].Type == hclsyntax.TokenEqual {
			r.lastAttr = string(t.Bytes)
		}
		if t.Type == hclsyntax.TokenIdent && (i == 0 || toks[i-1].Type != hclsyntax.TokenDot) {
			if next := r.reference(i); next > i {
				i = next
				continue
			}
		}
		r.out = append(r.out, t)
		i++
	}
	return r.out, r.notes
}

func (r *rewriter) note(i int, kind Kind, format string, args ...any) {
	r.notes = append(r.notes, Note{File: r.f.name, Line: r.f.lines[i], Kind: kind, Text: fmt.Sprintf(format, args...)})
}

// text is the source of toks[from:to], without the space before it.
func (r *rewriter) text(from, to int) string {
	return strings.TrimSpace(string(r.f.toks[from:to].Bytes()))
}

// emit copies toks[from:to] to the output.
func (r *rewriter) emit(from, to int) { r.out = append(r.out, r.f.toks[from:to]...) }

// emitRenamed copies token i to the output with name as its text.
func (r *rewriter) emitRenamed(i int, name string) {
	renamed := *r.f.toks[i]
	renamed.Bytes = []byte(name)
	r.out = append(r.out, &renamed)
}

// emitText writes text in place of the tokens that start at i.
func (r *rewriter) emitText(i int, text string) {
	t := raw(text)
	t.SpacesBefore = r.f.toks[i].SpacesBefore
	r.out = append(r.out, t)
}

// reference rewrites the reference that starts at i, if it is one of the
// converted data sources, and returns the index past it; otherwise i.
func (r *rewriter) reference(i int) int {
	toks := r.f.toks
	name := string(toks[i].Bytes)
	var kind refKind
	var head int // the index past the root
	switch {
	case name == "data" && i+4 < len(toks) && toks[i+1].Type == hclsyntax.TokenDot && toks[i+3].Type == hclsyntax.TokenDot &&
		dataSources[string(toks[i+2].Bytes)] != "" && toks[i+4].Type == hclsyntax.TokenIdent:
		kind, head = kindOf(string(toks[i+2].Bytes)), i+5
		r.emit(i, i+2)
		r.emitRenamed(i+2, dataSources[string(toks[i+2].Bytes)])
		r.emit(i+3, i+5)
	case name == "self" && r.blockAt(i) != nil:
		kind, head = kindOf(r.blockAt(i).labels[0]), i+1
		r.emit(i, i+1)
	case r.scoped(name):
		kind, head = refElement, i+1
		r.emit(i, i+1)
	default:
		return i
	}
	st := steps(toks, head)
	base, splat := head, false // base: where the image's own steps start
	if kind != refElement && len(st) > 0 && st[0].kind != stepAttr {
		splat = st[0].kind == stepSplat
		r.emit(st[0].from, st[0].to)
		base, st = st[0].to, st[1:]
	}
	switch {
	case len(st) == 0 && kind == refSingular && r.forSource(i):
		return base
	case len(st) == 0 || st[0].kind != stepAttr:
		if kind != refElement && r.lastAttr != "depends_on" {
			r.note(i, Manual, "%s is used as a whole object: the attributes of the hwc data source have other names (see the migration guide)", r.text(i, head))
		}
		return base
	case kind == refPlural && st[0].name == "images":
		return r.images(i, st)
	case kind == refPlural:
		return r.argument(i, st[0])
	}
	return r.attribute(i, base, st[0], splat)
}

func kindOf(officialType string) refKind {
	if officialType == "huaweicloud_images_images" {
		return refPlural
	}
	return refSingular
}

// blockAt returns the converted block holding token i, or nil.
func (r *rewriter) blockAt(i int) *block {
	for k := range r.inBlock {
		if b := &r.inBlock[k]; b.open < i && i < b.close {
			return b
		}
	}
	return nil
}

func (r *rewriter) scoped(name string) bool {
	for _, s := range r.scopes {
		if s.name == name {
			return true
		}
	}
	return false
}

// attribute rewrites .attr of an image: the singular's, a plural's image
// or a for expression's variable. root is where the reference starts, base
// where the image's attribute step is, after any instance key; splat says a
// splat comes before it.
func (r *rewriter) attribute(root, base int, attr step, splat bool) int {
	switch {
	case attrRenames[attr.name] != "":
		r.emit(base, attr.from+1)
		r.emitRenamed(attr.from+1, attrRenames[attr.name])
	case attrExprs[attr.name] != "":
		// The root was emitted already, a token for a token: take it back
		// and write the expression instead.
		n := base - root
		image := strings.TrimSpace(string(r.out[len(r.out)-n:].Bytes()))
		r.out = r.out[:len(r.out)-n]
		if splat {
			list := strings.TrimSuffix(strings.TrimSuffix(image, "[*]"), ".*")
			r.emitText(root, fmt.Sprintf("[for image in %s : %s]", list, fmt.Sprintf(attrExprs[attr.name], "image")))
		} else {
			r.emitText(root, fmt.Sprintf(attrExprs[attr.name], image))
		}
	case attrGone[attr.name] != "":
		r.note(root, Manual, "%s: %s", r.text(root, attr.to), attrGone[attr.name])
		r.emit(base, attr.to)
	default:
		r.emit(base, attr.to)
	}
	return attr.to
}

// argument rewrites an argument read from a plural data source.
func (r *rewriter) argument(root int, attr step) int {
	switch name := attr.name; {
	case argRenames[name] != "" || attrRenames[name] != "":
		r.emit(attr.from, attr.from+1)
		r.emitRenamed(attr.from+1, cmp.Or(argRenames[name], attrRenames[name]))
	case name == "id":
		r.note(root, Decision, "%s: the id of hwc_ims_images is a hash of the configuration, not of the ids it lists; read ids to follow the images", r.text(root, attr.to))
		r.emit(attr.from, attr.to)
	default:
		r.note(root, Manual, "%s: no attribute of hwc_ims_images has this meaning", r.text(root, attr.to))
		r.emit(attr.from, attr.to)
	}
	return attr.to
}

// images rewrites a use of a plural's images list: an element's attribute,
// the source of a for expression (whose variable is then an image), or a
// count with length().
func (r *rewriter) images(root int, st []step) int {
	toks := r.f.toks
	images := st[0]
	rest := st[1:]
	if len(rest) >= 2 && rest[0].kind != stepAttr && rest[1].kind == stepAttr {
		r.emit(images.from, rest[0].to)
		return r.attribute(root, rest[0].to, rest[1], rest[0].kind == stepSplat)
	}
	end := images.to
	if len(rest) == 1 && rest[0].kind == stepSplat {
		end = rest[0].to
	}
	r.emit(images.from, end)
	switch {
	case len(rest) > 1 || len(rest) == 1 && rest[0].kind != stepSplat:
		r.note(root, Manual, "%s is an image object used whole: its attributes have hwc's names (see the migration guide)", r.text(root, end))
	case r.forSource(root):
	case root >= 2 && toks[root-1].Type == hclsyntax.TokenOParen && string(toks[root-2].Bytes) == "length":
	default:
		r.note(root, Manual, "%s is used as a whole list: its images have hwc's attribute names (os → platform, …; see the migration guide)", r.text(root, end))
	}
	return end
}

// forSource reports whether the reference at root is the source of a for
// expression, "for [k,] v in SOURCE : …", and makes v an image until the
// expression ends.
func (r *rewriter) forSource(root int) bool {
	toks := r.f.toks
	in := r.prev(root)
	v := r.prev(in)
	if in < 0 || v < 0 || string(toks[in].Bytes) != "in" || toks[v].Type != hclsyntax.TokenIdent {
		return false
	}
	k := r.prev(v)
	if k >= 0 && toks[k].Type == hclsyntax.TokenComma {
		k = r.prev(r.prev(k))
	}
	open := r.prev(k)
	if k < 0 || open < 0 || string(toks[k].Bytes) != "for" || !opens(toks[open].Type) {
		return false
	}
	r.scopes = append(r.scopes, scope{name: string(toks[v].Bytes), end: matching(toks, open)})
	return true
}

// prev is the index of the token before i that is not a newline or a
// comment, or -1.
func (r *rewriter) prev(i int) int {
	for i--; i >= 0; i-- {
		if t := r.f.toks[i].Type; t != hclsyntax.TokenNewline && t != hclsyntax.TokenComment {
			return i
		}
	}
	return -1
}
