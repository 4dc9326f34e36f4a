package client

import (
	"encoding/json"
	"io"
)

// newJSONDecoder is encoding/json's Decoder over r with every run of
// whitespace between tokens folded into one space. The Decoder keeps the
// whitespace before a token in its buffer and scans it again each time it
// reads more, so a server that sends megabytes of spaces would cost time
// that grows with their square (30 MiB: half a minute); folded, decoding
// is linear in the bytes read. One space is kept, never none, so that
// invalid JSON (two numbers apart) stays invalid.
func newJSONDecoder(r io.Reader) *json.Decoder {
	return json.NewDecoder(&spaceFolder{r: r})
}

// spaceFolder folds runs of JSON whitespace outside strings into one space.
type spaceFolder struct {
	r        io.Reader
	buf      []byte
	inString bool // inside a string
	escaped  bool // after a backslash inside a string
	space    bool // the last byte written was whitespace outside a string
}

func (f *spaceFolder) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if cap(f.buf) < len(p) {
		f.buf = make([]byte, len(p))
	}
	for {
		n, err := f.r.Read(f.buf[:len(p)])
		out := 0
		for _, c := range f.buf[:n] {
			switch {
			case f.inString:
				switch {
				case f.escaped:
					f.escaped = false
				case c == '\\':
					f.escaped = true
				case c == '"':
					f.inString = false
				}
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				if f.space {
					continue
				}
				f.space = true
				c = ' '
			default:
				f.space = false
				f.inString = c == '"'
			}
			p[out] = c
			out++
		}
		if out > 0 || err != nil {
			return out, err
		}
	}
}
