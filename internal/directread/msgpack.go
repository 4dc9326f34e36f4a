package directread

import (
	"bytes"
	"errors"
	"maps"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// encodeState encodes a value as tfprotov6.NewDynamicValue does, byte for
// byte, with the same MessagePack encoder. NewDynamicValue builds an
// attribute path for every value it writes and sorts each object's
// attribute names again for every object: for a list of a thousand objects
// of some 60 attributes that is most of a read's time and garbage. This
// writes values in place, and sorts the attribute names of a list's objects
// once for the list.
func encodeState(typ tftypes.Type, v tftypes.Value) (tfprotov6.DynamicValue, error) {
	w := NewWriter()
	if err := w.value(v, typ, nil); err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	return tfprotov6.DynamicValue{MsgPack: w.buf.Bytes()}, nil
}

// encodeResult encodes the state a read built, as encodeState would encode
// it with each list's Value, but letting each list write itself.
func encodeResult(typ tftypes.Object, st State) (tfprotov6.DynamicValue, error) {
	attrs := maps.Clone(st.Attrs)
	for name := range st.Lists {
		attrs[name] = tftypes.NewValue(typ.AttributeTypes[name], nil)
	}
	if err := tftypes.ValidateValue(typ, attrs); err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	w := NewWriter()
	keys := sortedKeys(typ)
	if err := w.enc.EncodeMapLen(len(keys)); err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	for _, k := range keys {
		err := w.enc.EncodeString(k)
		if l, ok := st.Lists[k]; ok && err == nil {
			err = l.Encode(w)
		} else if err == nil {
			err = w.value(attrs[k], typ.AttributeTypes[k], nil)
		}
		if err != nil {
			return tfprotov6.DynamicValue{}, err
		}
	}
	return tfprotov6.DynamicValue{MsgPack: w.buf.Bytes()}, nil
}

// Writer writes MessagePack as terraform-plugin-go encodes values: for a
// List's Encode.
type Writer struct {
	buf bytes.Buffer
	enc *msgpack.Encoder
	// Scratch values for As: a local's address would escape to the heap.
	str  string
	bool bool
	num  big.Float
}

// NewWriter returns an empty Writer.
func NewWriter() *Writer {
	w := &Writer{}
	w.enc = msgpack.NewEncoder(&w.buf)
	return w
}

// Bytes is what was written.
func (w *Writer) Bytes() []byte { return w.buf.Bytes() }

// Grow makes room for n more bytes.
func (w *Writer) Grow(n int) { w.buf.Grow(n) }

// Null writes a null value.
func (w *Writer) Null() error { return w.enc.EncodeNil() }

// Bool writes a boolean.
func (w *Writer) Bool(b bool) error { return w.enc.EncodeBool(b) }

// String writes a string.
func (w *Writer) String(s string) error { return w.enc.EncodeString(s) }

// ArrayLen starts a list or set of n elements.
func (w *Writer) ArrayLen(n int) error { return w.enc.EncodeArrayLen(n) }

// MapLen starts an object of n attributes, each written as its name (with
// String), then its value, in the order of their names.
func (w *Writer) MapLen(n int) error { return w.enc.EncodeMapLen(n) }

// Number writes n as tftypes does: an integer when it is one that fits,
// else a float64 when exact, else its decimal text.
func (w *Writer) Number(n *big.Float) error {
	if n.IsInf() {
		return w.enc.EncodeFloat64(math.Inf(n.Sign()))
	}
	if i, acc := n.Int64(); acc == big.Exact {
		return w.enc.EncodeInt(i)
	}
	if f, acc := n.Float64(); acc == big.Exact && !n.IsInt() {
		return w.enc.EncodeFloat64(f)
	}
	return w.enc.EncodeString(n.Text('f', -1))
}

var errDynamic = errors.New("dynamic values are not supported")

// value writes v as typ; keys are the sorted attribute names of typ when it
// is an object and the caller has them.
func (w *Writer) value(v tftypes.Value, typ tftypes.Type, keys []string) error {
	if !v.IsKnown() {
		_, err := w.buf.Write([]byte{0xd4, 0, 0}) // tftypes' unknown value
		return err
	}
	if v.IsNull() {
		return w.enc.EncodeNil()
	}
	switch t := typ.(type) {
	case tftypes.List:
		return w.elements(v, t.ElementType)
	case tftypes.Set:
		return w.elements(v, t.ElementType)
	case tftypes.Object:
		return w.object(v, t, keys)
	}
	switch {
	case typ.Is(tftypes.String):
		if err := v.As(&w.str); err != nil {
			return err
		}
		return w.enc.EncodeString(w.str)
	case typ.Is(tftypes.Bool):
		if err := v.As(&w.bool); err != nil {
			return err
		}
		return w.enc.EncodeBool(w.bool)
	case typ.Is(tftypes.Number):
		if err := v.As(&w.num); err != nil {
			return err
		}
		return w.Number(&w.num)
	}
	return errDynamic
}

func (w *Writer) elements(v tftypes.Value, elem tftypes.Type) error {
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		return err
	}
	if err := w.enc.EncodeArrayLen(len(elems)); err != nil {
		return err
	}
	var keys []string
	if obj, ok := elem.(tftypes.Object); ok {
		keys = sortedKeys(obj)
	}
	for _, e := range elems {
		if err := w.value(e, elem, keys); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) object(v tftypes.Value, typ tftypes.Object, keys []string) error {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return err
	}
	if keys == nil {
		keys = sortedKeys(typ)
	}
	if err := w.enc.EncodeMapLen(len(keys)); err != nil {
		return err
	}
	for _, k := range keys {
		attr, ok := attrs[k]
		if !ok {
			return errors.New("no value for attribute " + k)
		}
		if err := w.enc.EncodeString(k); err != nil {
			return err
		}
		if err := w.value(attr, typ.AttributeTypes[k], nil); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(obj tftypes.Object) []string {
	return slices.Sorted(maps.Keys(obj.AttributeTypes))
}
