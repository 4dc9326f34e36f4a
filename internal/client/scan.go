package client

import (
	"errors"
	"fmt"
	"io"
)

// scanner reads JSON from a stream in one pass, validating it by the
// grammar encoding/json accepts (any bytes of 0x20 and over in strings,
// nesting at most maxDepth deep) and handing out the text of the values a
// caller keeps. encoding/json's Decoder scans each list element twice (to
// find its end, and again to hand it out as a RawMessage) and keeps the
// whitespace before a token to scan it again on every read; this scanner
// looks at each byte once and drops what no caller keeps.
//
// Input is read in chunks into buf. Bytes before pos are discarded when
// more is read, except those from mark on (mark >= 0): the element being
// read, whose values are then cut out of it. Offsets into the marked text
// are relative to mark, which moves when the buffer does.
type scanner struct {
	r     io.Reader
	buf   []byte
	pos   int
	mark  int   // the start of the text kept across reads; -1 for none
	err   error // why the stream stopped: io.EOF or the reader's error
	stack []byte
}

// maxDepth is encoding/json's bound on nesting; deeper input is an error,
// not a stack to grow.
const maxDepth = 10000

// scanChunk is how much is read at a time; the buffer grows past it only
// to hold a marked element longer than that.
const scanChunk = 64 << 10

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, 0, scanChunk), mark: -1}
}

// fill reads more input, keeping buf[mark:] (or buf[pos:]); it reports
// whether there is more to scan.
func (s *scanner) fill() bool {
	keep := s.pos
	if s.mark >= 0 {
		keep = s.mark
	}
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:])
		s.buf = s.buf[:n]
		s.pos -= keep
		if s.mark >= 0 {
			s.mark = 0
		}
	}
	if cap(s.buf)-len(s.buf) < scanChunk/2 {
		s.buf = append(s.buf[:cap(s.buf)], make([]byte, cap(s.buf))...)[:len(s.buf)]
	}
	for s.err == nil {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		s.err = err
		if n > 0 {
			return true
		}
	}
	return false
}

// failure is the error of input that ended before the JSON did.
func (s *scanner) failure() error {
	if s.err == nil || errors.Is(s.err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return s.err
}

// peek skips whitespace and returns the next byte, not consumed.
func (s *scanner) peek() (byte, error) {
	for {
		for s.pos < len(s.buf) {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c, nil
			}
		}
		if !s.fill() {
			return 0, s.failure()
		}
	}
}

// atEnd reports whether only whitespace is left of the input.
func (s *scanner) atEnd() (bool, error) {
	if _, err := s.peek(); err != nil {
		if errors.Is(s.err, io.EOF) {
			return true, nil
		}
		return false, err
	}
	return false, nil
}

// next consumes and returns one byte.
func (s *scanner) next() (byte, error) {
	if s.pos == len(s.buf) && !s.fill() {
		return 0, s.failure()
	}
	s.pos++
	return s.buf[s.pos-1], nil
}

// expect consumes the next byte that is not whitespace, which must be want.
func (s *scanner) expect(want byte, context string) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c != want {
		return syntaxError(c, context)
	}
	s.pos++
	return nil
}

// syntaxError names an unexpected byte and where it came, in
// encoding/json's words.
func syntaxError(c byte, context string) error {
	return fmt.Errorf("invalid character %q %s", c, context)
}

// plain holds the bytes a string may hold as they are.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str consumes a string, the next byte being its opening quote.
func (s *scanner) str() error {
	s.pos++
	for {
		i, b := s.pos, s.buf
		for i < len(b) && plain[b[i]] {
			i++
		}
		s.pos = i
		if i == len(b) {
			if !s.fill() {
				return s.failure()
			}
			continue
		}
		s.pos++
		switch c := b[i]; c {
		case '"':
			return nil
		case '\\':
			if err := s.escape(); err != nil {
				return err
			}
		default:
			return syntaxError(c, "in string literal")
		}
	}
}

// escape consumes what follows a backslash in a string.
func (s *scanner) escape() error {
	c, err := s.next()
	if err != nil {
		return err
	}
	switch c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return nil
	case 'u':
		for range 4 {
			h, err := s.next()
			if err != nil {
				return err
			}
			if !isHex(h) {
				return syntaxError(h, "in \\u hexadecimal character escape")
			}
		}
		return nil
	}
	return syntaxError(c, "in string escape code")
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// ahead returns the next byte, not consumed, and whether there is one.
func (s *scanner) ahead() (byte, bool) {
	if s.pos == len(s.buf) && !s.fill() {
		return 0, false
	}
	return s.buf[s.pos], true
}

// digits consumes a run of at least one digit.
func (s *scanner) digits(context string) error {
	c, ok := s.ahead()
	if !ok {
		return s.failure()
	}
	if !isDigit(c) {
		return syntaxError(c, context)
	}
	for ok && isDigit(c) {
		s.pos++
		c, ok = s.ahead()
	}
	return nil
}

// number consumes a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// It ends at the first byte that cannot continue it, or at the input's end.
func (s *scanner) number() error {
	c, _ := s.ahead()
	if c == '-' {
		s.pos++
		if c, _ = s.ahead(); c == '0' {
			s.pos++
		} else if err := s.digits("in numeric literal"); err != nil {
			return err
		}
	} else if c == '0' {
		s.pos++
	} else if err := s.digits("in numeric literal"); err != nil {
		return err
	}
	if c, ok := s.ahead(); ok && c == '.' {
		s.pos++
		if err := s.digits("after decimal point in numeric literal"); err != nil {
			return err
		}
	}
	if c, ok := s.ahead(); ok && (c == 'e' || c == 'E') {
		s.pos++
		if c, ok := s.ahead(); ok && (c == '+' || c == '-') {
			s.pos++
		}
		return s.digits("in exponent of numeric literal")
	}
	return nil
}

// literal consumes true, false or null, the next byte being its first.
func (s *scanner) literal(word string) error {
	for i := range len(word) {
		c, err := s.next()
		if err != nil {
			return err
		}
		if c != word[i] {
			return syntaxError(c, "in literal "+word+" (expecting '"+word[i:i+1]+"')")
		}
	}
	return nil
}

// value consumes one value, nested depth levels deep in the input.
func (s *scanner) value(depth int) error {
	s.stack = s.stack[:0]
	for {
		c, err := s.peek()
		if err != nil {
			return err
		}
		opened := false
		switch {
		case c == '{' || c == '[':
			if depth+len(s.stack)+1 > maxDepth {
				return errors.New("exceeded max depth")
			}
			s.pos++
			if opened, err = s.open(c); err != nil {
				return err
			}
		case c == '"':
			err = s.str()
		case c == '-' || isDigit(c):
			err = s.number()
		case c == 't':
			err = s.literal("true")
		case c == 'f':
			err = s.literal("false")
		case c == 'n':
			err = s.literal("null")
		default:
			return syntaxError(c, "looking for beginning of value")
		}
		if err != nil || opened {
			if err != nil {
				return err
			}
			continue
		}
		if more, err := s.after(); err != nil || !more {
			return err
		}
	}
}

// open follows an opening brace or bracket: it consumes an empty object or
// list whole and reports false, else opens it (an object up to its first
// value) and reports true.
func (s *scanner) open(c byte) (bool, error) {
	closer := byte(']')
	if c == '{' {
		closer = '}'
	}
	d, err := s.peek()
	if err != nil {
		return false, err
	}
	if d == closer {
		s.pos++
		return false, nil
	}
	s.stack = append(s.stack, c)
	if c == '{' {
		return true, s.key(nil)
	}
	return true, nil
}

// after consumes what follows a value in the open containers: the ones it
// closes and the comma before the next value, if one follows.
func (s *scanner) after() (bool, error) {
	for len(s.stack) > 0 {
		c, err := s.peek()
		if err != nil {
			return false, err
		}
		top := s.stack[len(s.stack)-1]
		switch {
		case c == ',':
			s.pos++
			if top == '{' {
				return true, s.key(nil)
			}
			return true, nil
		case top == '{' && c == '}', top == '[' && c == ']':
			s.pos++
			s.stack = s.stack[:len(s.stack)-1]
		case top == '{':
			return false, syntaxError(c, "after object key:value pair")
		default:
			return false, syntaxError(c, "after array element")
		}
	}
	return false, nil
}

// key consumes an object's key and the colon after it. A name function,
// when given, is handed the quoted key before the colon is read: the text
// is the scanner's buffer, valid only during the call.
func (s *scanner) key(name func(quoted []byte) error) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c != '"' {
		return syntaxError(c, "looking for beginning of object key string")
	}
	marked := s.mark >= 0
	if !marked {
		s.mark = s.pos // keep the key in the buffer while it is read
	}
	from := s.pos - s.mark
	err = s.str()
	if err == nil && name != nil {
		err = name(s.buf[s.mark+from : s.pos])
	}
	if !marked {
		s.mark = -1
	}
	if err != nil {
		return err
	}
	return s.expect(':', "after object key")
}

// members reads the members of an object whose brace has been consumed, up
// to its closing brace: for each, name is handed its quoted key (see key)
// and value reads its value.
func (s *scanner) members(name func(quoted []byte) error, value func() error) error {
	c, err := s.peek()
	if err == nil && c == '}' {
		s.pos++
		return nil
	}
	for err == nil {
		if err = s.key(name); err != nil {
			return err
		}
		if err = value(); err != nil {
			return err
		}
		if c, err = s.peek(); err == nil {
			switch c {
			case '}':
				s.pos++
				return nil
			case ',':
				s.pos++
			default:
				return syntaxError(c, "after object key:value pair")
			}
		}
	}
	return err
}
