package directread

import (
	"bytes"
	"math"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestEncodeStateMatchesTFTypes encodes values of every kind the data
// sources' schemas use, and some they do not yet, both ways.
func TestEncodeStateMatchesTFTypes(t *testing.T) {
	num := func(f *big.Float) tftypes.Value { return tftypes.NewValue(tftypes.Number, f) }
	huge, _, _ := big.ParseFloat("123456789012345678901234567890.5", 10, 256, big.ToNearestEven)
	inner := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}}
	listOfObjects := tftypes.List{ElementType: inner}
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"s": tftypes.String, "b": tftypes.Bool, "n": tftypes.Number, "l": tftypes.List{ElementType: tftypes.String},
		"set": tftypes.Set{ElementType: tftypes.String}, "o": inner, "lo": listOfObjects,
	}}
	full := func(s, b, n, l, set, o, lo tftypes.Value) tftypes.Value {
		return tftypes.NewValue(obj, map[string]tftypes.Value{"s": s, "b": b, "n": n, "l": l, "set": set, "o": o, "lo": lo})
	}
	null := func(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, nil) }
	strs := func(items ...string) []tftypes.Value {
		var out []tftypes.Value
		for _, s := range items {
			out = append(out, tftypes.NewValue(tftypes.String, s))
		}
		return out
	}
	read := tftypes.NewValue(inner, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "5m")})
	cases := map[string]struct {
		typ tftypes.Type
		v   tftypes.Value
	}{
		"all null": {obj, full(null(tftypes.String), null(tftypes.Bool), null(tftypes.Number), null(tftypes.List{ElementType: tftypes.String}),
			null(tftypes.Set{ElementType: tftypes.String}), null(inner), null(listOfObjects))},
		"all set": {obj, full(tftypes.NewValue(tftypes.String, "ünïcode"), tftypes.NewValue(tftypes.Bool, true), num(big.NewFloat(2048)),
			tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, strs("a", "", "c")),
			tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, strs("x", "y")), read,
			tftypes.NewValue(listOfObjects, []tftypes.Value{read, read}))},
		"empty collections": {obj, full(tftypes.NewValue(tftypes.String, ""), tftypes.NewValue(tftypes.Bool, false), num(big.NewFloat(0)),
			tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{}),
			tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{}), null(inner), tftypes.NewValue(listOfObjects, []tftypes.Value{}))},
		"unknowns": {obj, full(tftypes.NewValue(tftypes.String, tftypes.UnknownValue), tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue),
			tftypes.NewValue(tftypes.Number, tftypes.UnknownValue), tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue),
			tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, tftypes.UnknownValue), tftypes.NewValue(inner, tftypes.UnknownValue),
			tftypes.NewValue(listOfObjects, tftypes.UnknownValue))},
		"negative int":     {tftypes.Number, num(big.NewFloat(-70000))},
		"large int":        {tftypes.Number, num(new(big.Float).SetInt64(math.MaxInt64))},
		"fraction":         {tftypes.Number, num(big.NewFloat(0.25))},
		"inexact fraction": {tftypes.Number, num(big.NewFloat(0.1))},
		"beyond float64":   {tftypes.Number, num(huge)},
		"infinity":         {tftypes.Number, num(big.NewFloat(math.Inf(-1)))},
		"long string":      {tftypes.String, tftypes.NewValue(tftypes.String, string(bytes.Repeat([]byte("x"), 70000)))},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := tfprotov6.NewDynamicValue(c.typ, c.v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeState(c.typ, c.v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want.MsgPack, got.MsgPack) {
				t.Errorf("encodings differ:\ntftypes % x\nencodeState % x", want.MsgPack, got.MsgPack)
			}
		})
	}
}

// TestEncodeStateRefusesWhatItDoesNotKnow: a map is an encoding error, and
// a read whose state fails to encode is answered by the framework instead.
func TestEncodeStateRefusesWhatItDoesNotKnow(t *testing.T) {
	m := tftypes.Map{ElementType: tftypes.String}
	if _, err := encodeState(m, tftypes.NewValue(m, map[string]tftypes.Value{"a": tftypes.NewValue(tftypes.String, "b")})); err == nil {
		t.Error("a map was encoded")
	}
}

// valueSource builds types and values from fuzz input, one byte a choice.
type valueSource struct{ data []byte }

func (s *valueSource) next() byte {
	if len(s.data) == 0 {
		return 0
	}
	b := s.data[0]
	s.data = s.data[1:]
	return b
}

// typ is a type of the kinds schemas use: String, Bool, Number, and lists,
// sets and objects of them, nested to depth.
func (s *valueSource) typ(depth int) tftypes.Type {
	switch k := s.next() % 6; {
	case k == 3 && depth > 0:
		return tftypes.List{ElementType: s.typ(depth - 1)}
	case k == 4 && depth > 0:
		return tftypes.Set{ElementType: s.typ(depth - 1)}
	case k == 5 && depth > 0:
		attrs := map[string]tftypes.Type{}
		for i := range int(s.next() % 4) {
			attrs[string(rune('a'+i))+string(s.next()%3+'x')] = s.typ(depth - 1)
		}
		return tftypes.Object{AttributeTypes: attrs}
	case k == 1:
		return tftypes.Bool
	case k == 2:
		return tftypes.Number
	}
	return tftypes.String
}

// value is a value of typ: null, unknown or known, with known numbers of
// every encoding (integers, exact and inexact fractions, huge ones).
func (s *valueSource) value(typ tftypes.Type) tftypes.Value {
	switch s.next() % 8 {
	case 0:
		return tftypes.NewValue(typ, nil)
	case 1:
		return tftypes.NewValue(typ, tftypes.UnknownValue)
	}
	var elem tftypes.Type
	switch t := typ.(type) {
	case tftypes.List:
		elem = t.ElementType
	case tftypes.Set:
		elem = t.ElementType
	case tftypes.Object:
		vals := map[string]tftypes.Value{}
		for name, at := range t.AttributeTypes {
			vals[name] = s.value(at)
		}
		return tftypes.NewValue(t, vals)
	}
	if elem != nil {
		elems := []tftypes.Value{}
		for range int(s.next() % 4) {
			elems = append(elems, s.value(elem))
		}
		return tftypes.NewValue(typ, elems)
	}
	b := s.next()
	switch {
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, b%2 == 0)
	case typ.Is(tftypes.Number):
		numbers := []string{"0", "-1", "2048", "9223372036854775807", "9223372036854775808", "0.25", "0.1", "-2.5e300",
			"123456789012345678901234567890.5", "1e-400"}
		n, _, _ := big.ParseFloat(numbers[int(b)%len(numbers)], 10, 512, big.ToNearestEven)
		return tftypes.NewValue(typ, n)
	}
	return tftypes.NewValue(typ, string(s.data[:min(int(b)%8, len(s.data))]))
}

// The encoder writes, byte for byte, what tfprotov6.NewDynamicValue writes,
// for random values of random types of the kinds schemas use.
func FuzzEncodeStateMatchesTFTypes(f *testing.F) {
	for _, seed := range []string{"", "\x05\x03\x01\x02", "\x03\x05\x02\x04\x03\x02\x07\x03\x04\x05\x06", "\x05\x03\x04\x02\x02\x00\x01\x02\x03\x05\x07\x08\x09"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &valueSource{data: data}
		typ := s.typ(3)
		v := s.value(typ)
		want, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Skip(err) // a value tftypes itself cannot encode
		}
		got, err := encodeState(typ, v)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if !bytes.Equal(want.MsgPack, got.MsgPack) {
			t.Errorf("%s of %s: encodings differ:\ntftypes     % x\nencodeState % x", v, typ, want.MsgPack, got.MsgPack)
		}
	})
}
