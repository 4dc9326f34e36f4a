// Package migrate converts configurations written for the official
// provider's image data sources (huaweicloud_images_image and
// huaweicloud_images_images) into hwc_ims_image and hwc_ims_images, keeping
// what they select: the same images, in the same order. It edits HCL as
// hclwrite's tokens, so that everything it does not convert stays as it was,
// comments and formatting included.
package migrate

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Kind is what a report line says.
type Kind int

const (
	Converted Kind = iota // a block was converted
	Decision              // a choice that keeps the selection, explained by a comment in the file
	Manual                // something the tool could not convert: a person must look
)

func (k Kind) String() string { return [...]string{"converted", "decision", "needs a person"}[k] }

// Note is one line of the report.
type Note struct {
	File string
	Line int
	Kind Kind
	Text string
}

func (n Note) String() string { return fmt.Sprintf("%s:%d: %s: %s", n.File, n.Line, n.Kind, n.Text) }

// Result is a converted module.
type Result struct {
	Files map[string][]byte // the files that changed, by name
	Notes []Note
}

// NeedsPerson reports whether something was left for a person.
func (r *Result) NeedsPerson() bool {
	return slices.ContainsFunc(r.Notes, func(n Note) bool { return n.Kind == Manual })
}

// commentPrefix starts every comment the tool writes.
const commentPrefix = "# hwc-migrate: "

// Module converts the files of one module (a directory), name → source. A
// syntax error in any file is an error, and nothing is converted.
func Module(files map[string][]byte) (*Result, error) {
	names := slices.Sorted(maps.Keys(files))
	m := &module{providers: map[string]providerInfo{}, hwcAliases: map[string]bool{}}
	var rewritten []*file
	for _, name := range names {
		f, err := parse(name, files[name])
		if err != nil {
			return nil, err
		}
		toks, notes := rewriteRefs(f)
		m.notes = append(m.notes, notes...)
		// Parse what the references became, so that a rewrite the tool got
		// wrong is an error, not a broken file.
		again, err := parse(name, toks.Bytes())
		if err != nil {
			return nil, fmt.Errorf("rewriting the references of %s gave invalid HCL (a bug of hwc-migrate): %w", name, err)
		}
		rewritten = append(rewritten, again)
	}
	for _, f := range rewritten {
		m.survey(f)
	}
	res := &Result{Files: map[string][]byte{}}
	for i, f := range rewritten {
		out, err := m.convert(f)
		if err != nil {
			return nil, err
		}
		if string(out) != string(files[names[i]]) {
			res.Files[names[i]] = out
		}
	}
	if m.usesHWC && !m.hasHWCRequired && !m.requiredAdded {
		name := m.firstUser
		res.Files[name] = append(orDefault(res.Files[name], files[name]), []byte(requiredProvidersBlock)...)
		m.notes = append(m.notes, Note{File: name, Line: 1, Kind: Decision,
			Text: "added a terraform block with required_providers for hwc (no required_providers listed huaweicloud)"})
	}
	res.Notes = m.notes
	slices.SortStableFunc(res.Notes, func(a, b Note) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return res, nil
}

func orDefault(b, def []byte) []byte {
	if b != nil {
		return b
	}
	return slices.Clone(def)
}

const requiredProvidersBlock = `
terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}
`

// providerInfo is what a huaweicloud provider block sets that converted
// data sources need.
type providerInfo struct {
	eps string // enterprise_project_id, as written
}

// module is what the conversion of one module knows of all its files.
type module struct {
	notes          []Note
	providers      map[string]providerInfo // huaweicloud provider blocks by alias ("" for the default)
	hwcAliases     map[string]bool         // hwc provider blocks already there
	usesHWC        bool                    // something converted needs the hwc provider
	firstUser      string                  // the first file that does
	hasHWCRequired bool                    // a required_providers lists hwc already
	requiredAdded  bool                    // hwc was added to a required_providers
}

func (m *module) note(f *file, i int, kind Kind, format string, args ...any) {
	m.notes = append(m.notes, Note{File: f.name, Line: f.lines[min(i, len(f.lines)-1)], Kind: kind, Text: fmt.Sprintf(format, args...)})
}

// survey records the provider blocks and required_providers of a file.
func (m *module) survey(f *file) {
	for _, b := range blocks(f.toks, 0, len(f.toks)) {
		switch {
		case b.typ == "provider" && len(b.labels) == 1 && (b.labels[0] == "huaweicloud" || b.labels[0] == "hwc"):
			its, _ := items(f, b.open+1, b.close)
			alias, info := "", providerInfo{}
			for _, it := range its {
				switch it.name {
				case "alias":
					alias, _ = unquote(it.expr)
				case "enterprise_project_id":
					info.eps = it.exprText()
				}
			}
			if b.labels[0] == "hwc" {
				m.hwcAliases[alias] = true
				continue
			}
			m.providers[alias] = info
			m.uses(f)
		case b.typ == "data" && len(b.labels) == 2 && dataSources[b.labels[0]] != "":
			m.uses(f)
		case b.typ == "terraform":
			for _, rp := range blocks(f.toks, b.open+1, b.close) {
				if rp.typ == "required_providers" {
					its, _ := items(f, rp.open+1, rp.close)
					m.hasHWCRequired = m.hasHWCRequired || slices.ContainsFunc(its, func(it item) bool { return it.name == "hwc" })
				}
			}
		}
	}
}

func (m *module) uses(f *file) {
	if !m.usesHWC {
		m.usesHWC, m.firstUser = true, f.name
	}
}

// convert converts the blocks of one file and returns its new source.
func (m *module) convert(f *file) ([]byte, error) {
	var out hclwrite.Tokens
	last := 0
	for _, b := range blocks(f.toks, 0, len(f.toks)) {
		out = append(out, f.toks[last:b.start]...)
		last = b.end
		block := f.toks[b.start:b.end]
		var text string
		switch {
		case b.typ == "data" && len(b.labels) == 2 && dataSources[b.labels[0]] != "":
			text = m.dataBlock(f, b)
		case b.typ == "provider" && len(b.labels) == 1 && b.labels[0] == "huaweicloud":
			text = string(block.Bytes())
			if hwc := m.providerBlock(f, b); hwc != "" {
				text += "\n" + hwc
			}
		case b.typ == "terraform" && m.usesHWC && !m.hasHWCRequired:
			text = m.required(f, b)
		case b.typ == "module" && len(b.labels) == 1:
			text = m.moduleCall(f, b)
		default:
			out = append(out, block...)
			continue
		}
		out = append(out, raw(text))
	}
	out = append(out, f.toks[last:]...)
	src := out.Bytes()
	if _, err := parse(f.name, src); err != nil {
		return nil, fmt.Errorf("converting %s gave invalid HCL (a bug of hwc-migrate): %w", f.name, err)
	}
	return src, nil
}

// body builds the text of a block body from its items, line by line.
type body struct {
	strings.Builder
}

// attribute writes an item as an attribute, under a name and with an
// expression of the tool's, keeping the comments around it.
func (b *body) attribute(it item, name, expr string) {
	b.lead(it)
	b.WriteString(name + " = " + expr)
	b.tail(it)
}

func (b *body) lead(it item) { b.WriteString(string(it.lead.Bytes())) }

// tail ends an attribute's line, with its comment if it had one.
func (b *body) tail(it item) {
	if len(it.tail) > 0 && it.tail[0].Type == hclsyntax.TokenComment {
		b.WriteString(" " + string(it.tail[0].Bytes))
		return
	}
	b.WriteString("\n")
}

// comment writes a comment line of the tool's.
func (b *body) comment(text string) { b.WriteString(commentPrefix + text + "\n") }

// annotate writes an item's comments and blank lines, then a comment of
// the tool's about it; what is written of the item next comes after both.
func (b *body) annotate(it *item, text string) {
	b.lead(*it)
	b.comment(text)
	it.lead = nil
}

// header starts a block: its first line, keeping a comment that followed
// the brace, and the items with that comment taken out.
func header(head string, its []item, rest hclwrite.Tokens) (string, []item, hclwrite.Tokens) {
	first := &rest
	if len(its) > 0 {
		first = &its[0].lead
	}
	switch {
	case len(*first) > 0 && (*first)[0].Type == hclsyntax.TokenComment:
		head += " " + string((*first)[0].Bytes)
		*first = (*first)[1:]
	case len(*first) > 0 && (*first)[0].Type == hclsyntax.TokenNewline:
		head += "\n"
		*first = (*first)[1:]
	default:
		head += "\n"
	}
	return head, its, rest
}
