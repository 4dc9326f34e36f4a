package provider

import (
	"bytes"
	"errors"
	"maps"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

// encodeState encodes a state as tfprotov6.NewDynamicValue does, byte for
// byte, with the same MessagePack encoder. NewDynamicValue builds an
// attribute path for every value it writes and sorts each object's
// attribute names again for every object: for a list of a thousand images
// of some 60 attributes that is most of a read's time and garbage. This
// writes values in place, and sorts the attribute names of a list's
// objects once for the list.
func encodeState(typ tftypes.Type, v tftypes.Value) (tfprotov6.DynamicValue, error) {
	w := newMsgpackWriter()
	if err := w.value(v, typ, nil); err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	return tfprotov6.DynamicValue{MsgPack: w.buf.Bytes()}, nil
}

// encodeResult encodes the state a read built, as encodeState would encode
// it once its record lists are flattened, but writing each list straight
// from its records (flattener.encode).
func encodeResult(typ tftypes.Object, res readResult) (tfprotov6.DynamicValue, error) {
	attrs := maps.Clone(res.attrs)
	for name := range res.lists {
		attrs[name] = tftypes.NewValue(typ.AttributeTypes[name], nil)
	}
	if err := tftypes.ValidateValue(typ, attrs); err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	w := newMsgpackWriter()
	for _, l := range res.lists {
		w.buf.Grow(len(l.recs) * len(l.fields) * bytesPerField)
	}
	keys := sortedKeys(typ)
	if err := w.enc.EncodeMapLen(len(keys)); err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	for _, k := range keys {
		err := w.enc.EncodeString(k)
		if l, ok := res.lists[k]; ok && err == nil {
			err = newFlattener(l.fields).encode(w, l.recs)
		} else if err == nil {
			err = w.value(attrs[k], typ.AttributeTypes[k], nil)
		}
		if err != nil {
			return tfprotov6.DynamicValue{}, err
		}
	}
	return tfprotov6.DynamicValue{MsgPack: w.buf.Bytes()}, nil
}

// bytesPerField is about what a field of an image takes in a state, its
// name included: enough to write most lists without growing the buffer.
const bytesPerField = 32

type msgpackWriter struct {
	buf bytes.Buffer
	enc *msgpack.Encoder
	// Scratch values for As: a local's address would escape to the heap.
	str  string
	bool bool
	num  big.Float
}

func newMsgpackWriter() *msgpackWriter {
	w := &msgpackWriter{}
	w.enc = msgpack.NewEncoder(&w.buf)
	return w
}

var errDynamic = errors.New("dynamic values are not supported")

// value writes v as typ; keys are the sorted attribute names of typ when it
// is an object and the caller has them.
func (w *msgpackWriter) value(v tftypes.Value, typ tftypes.Type, keys []string) error {
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
	case typ.Is(stringType):
		if err := v.As(&w.str); err != nil {
			return err
		}
		return w.enc.EncodeString(w.str)
	case typ.Is(boolType):
		if err := v.As(&w.bool); err != nil {
			return err
		}
		return w.enc.EncodeBool(w.bool)
	case typ.Is(numberType):
		if err := v.As(&w.num); err != nil {
			return err
		}
		return w.number(&w.num)
	}
	return errDynamic
}

// number writes n as tftypes does: an integer when it is one that fits,
// else a float64 when exact, else its decimal text.
func (w *msgpackWriter) number(n *big.Float) error {
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

func (w *msgpackWriter) elements(v tftypes.Value, elem tftypes.Type) error {
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

func (w *msgpackWriter) object(v tftypes.Value, typ tftypes.Object, keys []string) error {
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
	keys := make([]string, 0, len(obj.AttributeTypes))
	for k := range obj.AttributeTypes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// encode writes records as the MessagePack of list's value, byte for byte,
// without building a value per image.
func (fl *flattener) encode(w *msgpackWriter, recs []client.Record) error {
	fields := slices.SortedFunc(slices.Values(fl.fields), func(a, b imageField) int { return strings.Compare(a.attr, b.attr) })
	if err := w.enc.EncodeArrayLen(len(recs)); err != nil {
		return err
	}
	for _, r := range recs {
		if err := w.enc.EncodeMapLen(len(fields)); err != nil {
			return err
		}
		for _, f := range fields {
			if err := w.enc.EncodeString(f.attr); err != nil {
				return err
			}
			if err := w.field(f.kind, r.Value(f.api)); err != nil {
				return err
			}
		}
	}
	return nil
}

// field writes a field as the MessagePack of fromValue's value.
func (w *msgpackWriter) field(k valueKind, v client.Value) error {
	c := k.convert(v)
	switch {
	case c.null:
		return w.enc.EncodeNil()
	case k == kindBool:
		return w.enc.EncodeBool(c.b)
	case k == kindNumber, k == kindInt:
		return w.number(c.n)
	case k == kindStringList, k == kindCommaList:
		if err := w.enc.EncodeArrayLen(len(c.items)); err != nil {
			return err
		}
		for _, item := range c.items {
			if err := w.enc.EncodeString(item); err != nil {
				return err
			}
		}
		return nil
	}
	return w.enc.EncodeString(c.s)
}
