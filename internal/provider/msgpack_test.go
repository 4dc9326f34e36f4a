package provider

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
