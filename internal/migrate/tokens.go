package migrate

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// file is one configuration file as hclwrite's tokens, with the line each
// token starts on.
type file struct {
	name  string
	toks  hclwrite.Tokens
	lines []int
}

// parse reads a file with hclwrite; a syntax error is an error naming the
// file and line.
func parse(name string, src []byte) (*file, error) {
	f, diags := hclwrite.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s", diags.Error())
	}
	toks := f.BuildTokens(nil)
	lines := make([]int, len(toks))
	line := 1
	for i, t := range toks {
		lines[i] = line
		line += bytes.Count(t.Bytes, []byte("\n"))
	}
	return &file{name: name, toks: toks, lines: lines}, nil
}

func opens(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateInterp,
		hclsyntax.TokenTemplateControl, hclsyntax.TokenOHeredoc, hclsyntax.TokenOQuote:
		return true
	}
	return false
}

func closes(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd,
		hclsyntax.TokenCHeredoc, hclsyntax.TokenCQuote:
		return true
	}
	return false
}

// matching returns the index of the token that closes the one at open, or
// len(toks) when none does.
func matching(toks hclwrite.Tokens, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case opens(toks[i].Type):
			depth++
		case closes(toks[i].Type):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks)
}

// block is a block of a body: its type, labels and where its tokens are.
type block struct {
	typ    string
	labels []string
	start  int // the type's token
	open   int // "{"
	close  int // "}"
	end    int // just past the block and its newline
}

// blocks finds the blocks of the body between from and to (exclusive).
func blocks(toks hclwrite.Tokens, from, to int) []block {
	var out []block
	for i := from; i < to; i++ {
		if toks[i].Type != hclsyntax.TokenIdent {
			if opens(toks[i].Type) {
				i = matching(toks, i)
			}
			continue
		}
		b := block{typ: string(toks[i].Bytes), start: i}
		j := i + 1
	labels:
		for ; j < to; j++ {
			switch toks[j].Type {
			case hclsyntax.TokenOQuote:
				k := j + 1
				label := ""
				if toks[k].Type == hclsyntax.TokenQuotedLit {
					label = string(toks[k].Bytes)
					k++
				}
				b.labels = append(b.labels, label)
				j = k
				continue
			case hclsyntax.TokenIdent:
				b.labels = append(b.labels, string(toks[j].Bytes))
				continue
			}
			break labels
		}
		if j >= to || toks[j].Type != hclsyntax.TokenOBrace {
			// An attribute: skip to the end of its line.
			for i = j; i < to && toks[i].Type != hclsyntax.TokenNewline && toks[i].Type != hclsyntax.TokenComment; i++ {
				if opens(toks[i].Type) {
					i = matching(toks, i)
				}
			}
			continue
		}
		b.open, b.close = j, matching(toks, j)
		b.end = b.close + 1
		if b.end < len(toks) && toks[b.end].Type == hclsyntax.TokenNewline {
			b.end++
		}
		out = append(out, b)
		i = b.end - 1
	}
	return out
}

// item is an attribute or a nested block of a body, with the comments and
// blank lines before it.
type item struct {
	lead  hclwrite.Tokens
	name  string
	block bool
	expr  hclwrite.Tokens // an attribute's expression
	tail  hclwrite.Tokens // an attribute's line comment or newline
	all   hclwrite.Tokens // a block's tokens, from its type to its newline
	start int             // the index of its name
	end   int             // the index just past the item
}

// exprText is an attribute's expression as written.
func (it item) exprText() string { return string(bytes.TrimSpace(it.expr.Bytes())) }

// items splits the body between from and to (exclusive) into items; rest
// is what follows the last one (comments, blank lines).
func items(f *file, from, to int) (out []item, rest hclwrite.Tokens) {
	toks := f.toks
	var lead hclwrite.Tokens
	for i := from; i < to; i++ {
		t := toks[i]
		if t.Type != hclsyntax.TokenIdent {
			lead = append(lead, t)
			continue
		}
		it := item{lead: lead, name: string(t.Bytes), start: i}
		lead = nil
		if i+1 < to && toks[i+1].Type == hclsyntax.TokenEqual {
			j := i + 2
			for ; j < to; j++ {
				tt := toks[j].Type
				if tt == hclsyntax.TokenNewline || tt == hclsyntax.TokenComment {
					it.tail = hclwrite.Tokens{toks[j]}
					j++
					break
				}
				if opens(tt) {
					k := matching(toks, j)
					it.expr = append(it.expr, toks[j:k+1]...)
					j = k
					continue
				}
				it.expr = append(it.expr, toks[j])
			}
			it.end = j
			out = append(out, it)
			i = j - 1
			continue
		}
		bs := blocks(toks, i, to)
		if len(bs) == 0 {
			lead = append(lead, t)
			continue
		}
		it.block, it.all, it.end = true, toks[i:bs[0].end], bs[0].end
		out = append(out, it)
		i = bs[0].end - 1
	}
	return out, lead
}

// raw is a token holding text as it is, for what the tool writes.
func raw(text string) *hclwrite.Token {
	return &hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte(text)}
}

// unquote returns the text of a plain string literal expression ("…" with
// no interpolation), and whether it is one.
func unquote(expr hclwrite.Tokens) (string, bool) {
	var sig hclwrite.Tokens
	for _, t := range expr {
		if t.Type != hclsyntax.TokenNewline && t.Type != hclsyntax.TokenComment {
			sig = append(sig, t)
		}
	}
	switch {
	case len(sig) == 2 && sig[0].Type == hclsyntax.TokenOQuote && sig[1].Type == hclsyntax.TokenCQuote:
		return "", true
	case len(sig) == 3 && sig[0].Type == hclsyntax.TokenOQuote && sig[1].Type == hclsyntax.TokenQuotedLit && sig[2].Type == hclsyntax.TokenCQuote:
		return string(sig[1].Bytes), true
	}
	return "", false
}
