package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
)

// valueKind is the Terraform type of a table row and how an API value is
// converted to it: an index of kinds.
type valueKind int

const (
	kindString     valueKind = iota
	kindBool                 // JSON booleans and "true"/"True"/"false" strings
	kindNumber               // JSON numbers and numbers sent as strings
	kindInt                  // a whole number (filters only)
	kindStringList           // a JSON array of strings
	kindCommaList            // a string of comma-separated items, as a list
)

// kindRow is everything a kind is, in one place: how a field the API sent
// is read (read), its types, its read-only schema attribute, and its value
// for each of the three writers — the framework's (attr), tftypes (tf) and
// the direct path's MessagePack (write), which take a value read and not
// null. Adding a kind is adding a row; FuzzFieldMatchesFromValue holds
// every row's writers to each other and to the framework.
type kindRow struct {
	tfType   tftypes.Type
	attrType attr.Type
	attrNull attr.Value
	computed func(desc string) schema.Attribute
	read     func(v client.Value) (converted, bool)
	tf       func(c converted) tftypes.Value
	attr     func(c converted) attr.Value
	write    func(w *directread.Writer, c converted) error
}

// The types as interface values, converted once: a read converts values of
// them by the hundred thousand, and each conversion would allocate.
var (
	stringType     tftypes.Type = tftypes.String
	boolType       tftypes.Type = tftypes.Bool
	numberType     tftypes.Type = tftypes.Number
	stringListType tftypes.Type = tftypes.List{ElementType: tftypes.String}
)

var (
	stringRow = kindRow{
		tfType: stringType, attrType: types.StringType, attrNull: types.StringNull(),
		computed: func(desc string) schema.Attribute {
			return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
		},
		read:  func(v client.Value) (c converted, ok bool) { c.s, ok = v.Text(); return c, ok },
		tf:    func(c converted) tftypes.Value { return tftypes.NewValue(stringType, c.s) },
		attr:  func(c converted) attr.Value { return types.StringValue(c.s) },
		write: func(w *directread.Writer, c converted) error { return w.String(c.s) },
	}
	numberRow = kindRow{
		tfType: numberType, attrType: types.NumberType, attrNull: types.NumberNull(),
		computed: func(desc string) schema.Attribute {
			return schema.NumberAttribute{Computed: true, MarkdownDescription: desc}
		},
		read:  func(v client.Value) (c converted, ok bool) { c.n, ok = v.Number(); return c, ok },
		tf:    func(c converted) tftypes.Value { return tftypes.NewValue(numberType, c.n) },
		attr:  func(c converted) attr.Value { return types.NumberValue(c.n) },
		write: func(w *directread.Writer, c converted) error { return w.Number(c.n) },
	}
	listRow = kindRow{
		tfType: stringListType, attrType: types.ListType{ElemType: types.StringType}, attrNull: types.ListNull(types.StringType),
		computed: func(desc string) schema.Attribute {
			return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
		},
		tf: func(c converted) tftypes.Value { return stringList(c.items) },
		attr: func(c converted) attr.Value {
			items := make([]attr.Value, len(c.items))
			for i, item := range c.items {
				items[i] = types.StringValue(item)
			}
			return types.ListValueMust(types.StringType, items)
		},
		write: func(w *directread.Writer, c converted) error {
			if err := w.ArrayLen(len(c.items)); err != nil {
				return err
			}
			for _, item := range c.items {
				if err := w.String(item); err != nil {
					return err
				}
			}
			return nil
		},
	}
)

// kinds are the rows of every kind, by valueKind.
var kinds = [...]kindRow{
	kindString: stringRow,
	kindBool: {
		tfType: boolType, attrType: types.BoolType, attrNull: types.BoolNull(),
		computed: func(desc string) schema.Attribute {
			return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
		},
		read:  func(v client.Value) (c converted, ok bool) { c.b, ok = v.Bool(); return c, ok },
		tf:    func(c converted) tftypes.Value { return tftypes.NewValue(boolType, c.b) },
		attr:  func(c converted) attr.Value { return types.BoolValue(c.b) },
		write: func(w *directread.Writer, c converted) error { return w.Bool(c.b) },
	},
	kindNumber:     numberRow,
	kindInt:        numberRow,
	kindStringList: withRead(listRow, func(v client.Value) (c converted, ok bool) { c.items, ok = v.Strings(); return c, ok }),
	kindCommaList:  withRead(listRow, func(v client.Value) (c converted, ok bool) { c.items, ok = commaItems(v); return c, ok }),
}

// withRead is row reading fields with read.
func withRead(row kindRow, read func(client.Value) (converted, bool)) kindRow {
	row.read = read
	return row
}

// nullValues holds the null value of each kind, built once: most images
// leave many fields out, and tftypes.NewValue validates on every call.
var nullValues = func() [len(kinds)]tftypes.Value {
	var nulls [len(kinds)]tftypes.Value
	for k, row := range kinds {
		nulls[k] = tftypes.NewValue(row.tfType, nil)
	}
	return nulls
}()

func (k valueKind) tfType() tftypes.Type { return kinds[k].tfType }

// attrType is the framework type of a result field.
func (k valueKind) attrType() attr.Type { return kinds[k].attrType }

// computedAttribute is the read-only schema attribute of a result field.
func (k valueKind) computedAttribute(desc string) schema.Attribute { return kinds[k].computed(desc) }

// convert reads a field as the API sent it for its kind: a bool, a number,
// a list of strings or a string; null for an absent, empty or unconvertible
// value. Every writer starts from it, so the framework's path and the
// direct one cannot disagree on a value, only on how they write it.
func (k valueKind) convert(v client.Value) converted {
	c, ok := kinds[k].read(v)
	c.null = !ok
	return c
}

// fromValue converts a field as the API sent it to its Terraform value.
func (k valueKind) fromValue(v client.Value) tftypes.Value {
	if c := k.convert(v); !c.null {
		return kinds[k].tf(c)
	}
	return nullValues[k]
}

// attrValue converts a field as the API sent it to its framework value.
func (k valueKind) attrValue(v client.Value) attr.Value {
	if c := k.convert(v); !c.null {
		return kinds[k].attr(c)
	}
	return kinds[k].attrNull
}

// writeField writes a field as the MessagePack of fromValue's value.
func writeField(w *directread.Writer, k valueKind, v client.Value) error {
	if c := k.convert(v); !c.null {
		return kinds[k].write(w, c)
	}
	return w.Null()
}
