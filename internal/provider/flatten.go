package provider

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

// nullValues holds the null value of each kind, built once: most images
// leave many fields out, and tftypes.NewValue validates on every call.
var nullValues = func() map[valueKind]tftypes.Value {
	m := map[valueKind]tftypes.Value{}
	for _, k := range []valueKind{kindString, kindBool, kindNumber, kindInt, kindStringList, kindCommaList} {
		m[k] = tftypes.NewValue(k.tfType(), nil)
	}
	return m
}()

// fromValue converts a field as the API sent it; absent, empty and
// unconvertible values are null. msgpackWriter.field writes the same values
// straight to a state's bytes: keep the two alike.
func (k valueKind) fromValue(v client.Value) tftypes.Value {
	switch k {
	case kindBool:
		if b, ok := v.Bool(); ok {
			return tftypes.NewValue(boolType, b)
		}
	case kindNumber, kindInt:
		if n, ok := v.Number(); ok {
			return tftypes.NewValue(numberType, n)
		}
	case kindStringList, kindCommaList:
		if items, ok := k.items(v); ok {
			return stringList(items)
		}
	default:
		if s, ok := v.Text(); ok {
			return tftypes.NewValue(stringType, s)
		}
	}
	return nullValues[k]
}

// field writes a field as the MessagePack of fromValue's value.
func (w *msgpackWriter) field(k valueKind, v client.Value) error {
	switch k {
	case kindBool:
		if b, ok := v.Bool(); ok {
			return w.enc.EncodeBool(b)
		}
	case kindNumber, kindInt:
		if n, ok := v.Number(); ok {
			return w.number(n)
		}
	case kindStringList, kindCommaList:
		if items, ok := k.items(v); ok {
			if err := w.enc.EncodeArrayLen(len(items)); err != nil {
				return err
			}
			for _, item := range items {
				if err := w.enc.EncodeString(item); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		if s, ok := v.Text(); ok {
			return w.enc.EncodeString(s)
		}
	}
	return w.enc.EncodeNil()
}

// items reads a list field: a JSON array of strings, or for kindCommaList
// the non-empty items of a comma-separated string.
func (k valueKind) items(v client.Value) ([]string, bool) {
	if k == kindStringList {
		return v.Strings()
	}
	s, ok := v.Text()
	if !ok {
		return nil, false
	}
	var items []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items, true
}

func stringList(items []string) tftypes.Value {
	vals := make([]tftypes.Value, len(items))
	for i, s := range items {
		vals[i] = tftypes.NewValue(stringType, s)
	}
	return tftypes.NewValue(stringListType, vals)
}

// stringSet is a set of the strings, or null when ok is false.
func stringSet(items []string, ok bool) tftypes.Value {
	setType := tftypes.Set{ElementType: tftypes.String}
	if !ok {
		return tftypes.NewValue(setType, nil)
	}
	seen := make(map[string]bool, len(items))
	unique := make([]tftypes.Value, 0, len(items))
	for _, item := range items {
		if !seen[item] {
			seen[item] = true
			unique = append(unique, tftypes.NewValue(tftypes.String, item))
		}
	}
	return tftypes.NewValue(setType, unique)
}

// flattener turns records into object values by a field table. Most fields
// of a listing repeat from image to image (status, platform, min_ram, …), so
// it keeps, per field, the values already built for up to flattenCacheSize
// distinct raw values: a cached tftypes.Value costs no allocation, and values
// are immutable, so sharing them is safe.
type flattener struct {
	fields  []imageField
	objType tftypes.Object
	cache   []map[string]tftypes.Value
}

const flattenCacheSize = 64

func newFlattener(fields []imageField) *flattener {
	attrs := make(map[string]tftypes.Type, len(fields))
	for _, f := range fields {
		attrs[f.attr] = f.kind.tfType()
	}
	fl := &flattener{fields: fields, objType: tftypes.Object{AttributeTypes: attrs}, cache: make([]map[string]tftypes.Value, len(fields))}
	for i := range fl.cache {
		fl.cache[i] = map[string]tftypes.Value{}
	}
	return fl
}

// attributes converts one record to attribute values.
func (fl *flattener) attributes(r client.Record) map[string]tftypes.Value {
	vals := make(map[string]tftypes.Value, len(fl.fields))
	for i, f := range fl.fields {
		raw := r.Value(f.api)
		v, ok := fl.cache[i][string(raw)]
		if !ok {
			v = f.kind.fromValue(raw)
			if len(fl.cache[i]) < flattenCacheSize {
				fl.cache[i][string(raw)] = v
			}
		}
		vals[f.attr] = v
	}
	return vals
}

// list converts records to a list of objects, in order.
func (fl *flattener) list(recs []client.Record) tftypes.Value {
	vals := make([]tftypes.Value, len(recs))
	for i, r := range recs {
		vals[i] = tftypes.NewValue(fl.objType, fl.attributes(r))
	}
	return tftypes.NewValue(tftypes.List{ElementType: fl.objType}, vals)
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

// recordList is a list attribute of a state, built from API records by a
// field table: the framework's path flattens it into values, the provider's
// server writes it straight to the state's bytes.
type recordList struct {
	fields []imageField
	recs   []client.Record
}

// valueText renders a known, non-null primitive value as the API wants it.
func valueText(v tftypes.Value) (string, error) {
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		err := v.As(&s)
		return s, err
	case v.Type().Is(tftypes.Bool):
		var b bool
		err := v.As(&b)
		if b {
			return "true", err
		}
		return "false", err
	case v.Type().Is(tftypes.Number):
		n := new(big.Float)
		if err := v.As(&n); err != nil {
			return "", err
		}
		return n.Text('f', -1), nil
	}
	return "", fmt.Errorf("unsupported type %s", v.Type())
}
