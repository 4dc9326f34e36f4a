package provider

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
)

// converted is a field's value read for its kind: the field of its kind
// holds it, unless null. A struct rather than an interface value:
// boxing a string would cost an allocation per field of every image.
type converted struct {
	null  bool
	b     bool
	n     *big.Float
	items []string
	s     string
}

// commaItems reads a comma-separated string field as its non-empty items.
func commaItems(v client.Value) ([]string, bool) {
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

// recordList is a list attribute of a state, built from API records by a
// field table: the framework's path flattens it into values, the direct
// path writes it straight to the state's bytes.
type recordList struct {
	fields []imageField
	recs   []client.Record
}

var _ directread.List = recordList{}

// Value is the list's value.
func (l recordList) Value() tftypes.Value { return newFlattener(l.fields).list(l.recs) }

// bytesPerField is about what a field of an image takes in a state, its
// name included: enough to write most lists without growing the buffer.
const bytesPerField = 32

// Encode writes the records as the MessagePack of the list's value, byte
// for byte, without building a value per image.
func (l recordList) Encode(w *directread.Writer) error {
	w.Grow(len(l.recs) * len(l.fields) * bytesPerField)
	fields := slices.SortedFunc(slices.Values(l.fields), func(a, b imageField) int { return strings.Compare(a.attr, b.attr) })
	if err := w.ArrayLen(len(l.recs)); err != nil {
		return err
	}
	for _, r := range l.recs {
		if err := w.MapLen(len(fields)); err != nil {
			return err
		}
		for _, f := range fields {
			if err := w.String(f.attr); err != nil {
				return err
			}
			if err := writeField(w, f.kind, r.Value(f.api)); err != nil {
				return err
			}
		}
	}
	return nil
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
