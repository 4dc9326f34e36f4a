package client

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Every text a server controls — an error body, a header value, the error
// net/http or url.Error returns when a server sends a malformed status or
// header line, a decoder's error — passes through one cleaner before it
// reaches an error, a log line or a diagnostic. It masks first and cuts
// after, so a secret cut in half is never shown in part.

// secretRun is the length of a run of a secret's characters that is never
// shown: a server that echoes only part of a token must not show that part.
const secretRun = 12

// longSecret is the length from which a secret shorter than secretRun is
// masked wherever it occurs: a random string that long does not turn up in
// text by chance. Shorter ones are masked only as whole words.
const longSecret = 8

// authorizationValue matches what a server may echo of the Authorization
// header: the signature scheme and everything after it on the line, and a
// bare signature.
var authorizationValue = regexp.MustCompile(`(?i)(SDK-HMAC-SHA256)[^"\n]*|(Signature=)[0-9a-f]{16,}`)

// cleaner masks the configured secrets in server-supplied text.
type cleaner struct {
	short []string            // secrets shorter than secretRun
	runs  map[string]struct{} // every secretRun-byte run of the longer ones
	// pairs marks every two bytes that follow each other in a long secret:
	// a run of them holds secretRun-1 marked pairs in a row, so text
	// without such a stretch needs no look-up at all.
	pairs *[1 << 16]bool
}

func newCleaner(secrets ...string) *cleaner {
	c := &cleaner{runs: map[string]struct{}{}, pairs: new([1 << 16]bool)}
	for _, s := range secrets {
		switch {
		case s == "":
		case len(s) < secretRun:
			c.short = append(c.short, s)
		default:
			for i := 0; i+secretRun <= len(s); i++ {
				c.runs[s[i:i+secretRun]] = struct{}{}
			}
			for i := 0; i+1 < len(s); i++ {
				c.pairs[int(s[i])<<8|int(s[i+1])] = true
			}
		}
	}
	return c
}

// mayHoldRun reports whether b has a stretch of secretRun bytes whose every
// pair is one of a long secret's: text without one holds no run.
func (c *cleaner) mayHoldRun(b []byte) bool {
	inARow := 0
	for i := 0; i+1 < len(b); i++ {
		if !c.pairs[int(b[i])<<8|int(b[i+1])] {
			inARow = 0
			continue
		}
		if inARow++; inARow >= secretRun-1 {
			return true
		}
	}
	return false
}

// jsonValue masks the runs of long secrets in a JSON value a server sent,
// wherever they are in it (its strings, escaped or not, and nested ones),
// and returns it as JSON; nil is masked by nothing. A value that held no
// run is returned as it was.
func (c *cleaner) jsonValue(v []byte) []byte {
	if c == nil || len(c.runs) == 0 {
		return v
	}
	if bytes.IndexByte(v, '\\') < 0 {
		// Unescaped JSON text holds its strings byte for byte.
		if !c.mayHoldRun(v) {
			return v
		}
		return []byte(c.maskRuns(string(v)))
	}
	var x any
	if json.Unmarshal(v, &x) != nil {
		return v
	}
	changed := false
	x = c.maskTree(x, &changed)
	if !changed {
		return v
	}
	out, err := json.Marshal(x)
	if err != nil {
		return []byte("null")
	}
	return out
}

// maskTree masks the strings of a decoded JSON value.
func (c *cleaner) maskTree(x any, changed *bool) any {
	switch x := x.(type) {
	case string:
		if m := c.maskRuns(x); m != x {
			*changed = true
			return m
		}
	case []any:
		for i := range x {
			x[i] = c.maskTree(x[i], changed)
		}
	case map[string]any:
		for k, v := range x {
			x[k] = c.maskTree(v, changed)
		}
	}
	return x
}

// text makes s safe to show in a terminal and a log: every run of
// secretRun or more characters of a secret, and every Authorization value,
// becomes "***"; invalid UTF-8, control characters (C0 but tab and
// newline, DEL, C1) and the bidirectional overrides that reorder what a
// reader sees become "?", so no escape sequence reaches the terminal; and
// the result is cut to at most limit characters.
func (c *cleaner) text(s string, limit int) string {
	if c != nil {
		s = c.maskRuns(s)
		for _, secret := range c.short {
			s = maskSecret(s, secret)
		}
	}
	s = authorizationValue.ReplaceAllString(s, "$1$2***")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		n++
		switch {
		case r == utf8.RuneError, r < 0x20 && r != '\t' && r != '\n', r >= 0x7f && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// maskRuns replaces each stretch of s covered by runs of the long secrets
// with "***".
func (c *cleaner) maskRuns(s string) string {
	if len(c.runs) == 0 || len(s) < secretRun {
		return s
	}
	var b strings.Builder
	copied := 0                  // s[:copied] is written or masked
	spanStart, spanEnd := -1, -1 // the stretch being masked
	flush := func() {
		if spanStart >= 0 {
			b.WriteString(s[copied:spanStart])
			b.WriteString("***")
			copied = spanEnd
		}
	}
	for i := 0; i+secretRun <= len(s); i++ {
		if _, ok := c.runs[s[i:i+secretRun]]; !ok {
			continue
		}
		if spanStart < 0 || i > spanEnd {
			flush()
			spanStart = i
		}
		spanEnd = i + secretRun
	}
	if spanStart < 0 {
		return s
	}
	flush()
	b.WriteString(s[copied:])
	return b.String()
}

// maskSecret replaces a short secret in s by "***": from longSecret bytes
// wherever it occurs, below that only where it stands as a whole value, not
// inside a longer word (a token "T" must not turn "HTTP" into "H******P").
func maskSecret(s, secret string) string {
	if len(secret) >= longSecret {
		return strings.ReplaceAll(s, secret, "***")
	}
	var b strings.Builder
	for {
		i := strings.Index(s, secret)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(secret)
		whole := (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end]))
		b.WriteString(s[:i])
		if whole {
			b.WriteString("***")
		} else {
			b.WriteString(secret)
		}
		s = s[end:]
	}
}

// isWordByte reports the bytes a token is made of.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '+' || c == '/' || c == '=' || c >= 0x80
}

// foldSpace returns body as text with white space folded.
func foldSpace(body []byte) string {
	return strings.Join(strings.Fields(string(body)), " ")
}
