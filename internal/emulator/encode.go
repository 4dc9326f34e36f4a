package emulator

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendPage appends {"images":[...]} with the public fields of imgs,
// byte for byte what encoding/json writes for it (keys sorted, HTML
// characters escaped), without its reflection: a listing of thousands of
// catalog images is most of what the emulator spends. A value of a type
// the fast path does not know goes through encoding/json.
func appendPage(b []byte, imgs []Image) ([]byte, error) {
	b = append(b, `{"images":[`...)
	var keys []string // one array for the keys of every image
	for i, img := range imgs {
		if i > 0 {
			b = append(b, ',')
		}
		keys = sortedKeys(keys, img)
		var err error
		if b, err = appendObject(b, img, keys, true); err != nil {
			return nil, err
		}
	}
	return append(b, "]}\n"...), nil
}

// imageKeyOrder is every field an IMS image may have, sorted.
var imageKeyOrder = slices.Sorted(maps.Keys(imageFieldKinds))

// sortedKeys returns the keys of img, sorted, in buf's array: for an image
// of the fields of IMS alone, by picking them in imageKeyOrder, a look-up
// each, which costs a sixth of sorting them and allocates nothing
// (BenchmarkPageKeys); for an image with other fields, by sorting them.
func sortedKeys(buf []string, img Image) []string {
	keys := buf[:0]
	for _, k := range imageKeyOrder {
		if _, ok := img[k]; ok {
			keys = append(keys, k)
		}
	}
	if len(keys) == len(img) {
		return keys
	}
	keys = slices.AppendSeq(keys[:0], maps.Keys(img))
	slices.Sort(keys)
	return keys
}

// appendObject appends m as a JSON object, its keys in the order of keys
// (nil: sorted here), without the hidden fields when public is set.
func appendObject(b []byte, m map[string]any, keys []string, public bool) ([]byte, error) {
	if keys == nil {
		keys = slices.Sorted(maps.Keys(m))
	}
	b = append(b, '{')
	first := true
	for _, k := range keys {
		if public && hidden(k) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, k)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case float64:
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			return appendFloat(b, v), nil
		}
	case []string:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), nil
	case map[string]any:
		if v == nil {
			return append(b, "null"...), nil
		}
		return appendObject(b, v, nil, false)
	}
	raw, err := json.Marshal(v)
	return append(b, raw...), err
}

// appendFloat writes a float64 as encoding/json does: plain decimals, and
// an exponent below 1e-6 and from 1e21 on.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 is written e-7
		b = b[:n-1]
	}
	return b
}

// appendString writes s quoted as encoding/json does: <, > and & escaped
// for HTML, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			}
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
