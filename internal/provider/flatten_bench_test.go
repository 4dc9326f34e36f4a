package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

const benchImages = 10000

// benchBody is a listing of 10,000 images of the emulator's catalog (ids
// made unique), as IMS sends it.
var benchBody = sync.OnceValue(func() []byte {
	cat := emulator.DefaultCatalog().Images
	imgs := make([]map[string]any, benchImages)
	for i := range imgs {
		src := cat[i%len(cat)]
		img := make(map[string]any, len(src))
		for k, v := range src {
			if !strings.HasPrefix(k, "emulator:") {
				img[k] = v
			}
		}
		img["id"] = fmt.Sprintf("%08d-0000-4000-8000-100000000000", i)
		imgs[i] = img
	}
	b, err := json.Marshal(map[string]any{"images": imgs})
	if err != nil {
		panic(err)
	}
	return b
})

func benchRecords(b *testing.B) []client.Record {
	recs, err := client.DecodeImages(bytes.NewReader(benchBody()))
	if err != nil || len(recs) != benchImages {
		b.Fatalf("decode: %v", err)
	}
	return recs
}

// benchSink keeps the benchmarked values alive, so the work is not elided.
var benchSink tftypes.Value

// reflectionModel builds, from the table, the tagged struct a
// reflection-based provider would declare for one image, and fills it.
var reflectionModel = sync.OnceValue(func() reflect.Type {
	fields := make([]reflect.StructField, len(imageFields))
	for i, f := range imageFields {
		var t reflect.Type
		switch f.kind {
		case kindBool:
			t = reflect.TypeOf(types.Bool{})
		case kindNumber:
			t = reflect.TypeOf(types.Number{})
		case kindStringList, kindCommaList:
			t = reflect.TypeOf(types.List{})
		default:
			t = reflect.TypeOf(types.String{})
		}
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: t, Tag: reflect.StructTag(`tfsdk:"` + f.attr + `"`)}
	}
	return reflect.StructOf(fields)
})

func reflectionModels(b *testing.B, recs []client.Record) any {
	typ := reflectionModel()
	models := reflect.MakeSlice(reflect.SliceOf(typ), len(recs), len(recs))
	for i, r := range recs {
		m := models.Index(i)
		for j, f := range imageFields {
			v, err := f.kind.attrType().ValueFromTerraform(context.Background(), f.kind.fromValue(r.Value(f.api)))
			if err != nil {
				b.Fatal(err)
			}
			m.Field(j).Set(reflect.ValueOf(v))
		}
	}
	return models.Interface()
}

func benchState() tfsdk.State {
	var resp datasource.SchemaResponse
	newIMSImagesDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	return tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(context.Background()), nil)}
}

// BenchmarkFlatten compares, on the same 10,000 decoded images, setting them
// into state through the framework's reflection and building the value from
// the tables, and times the provider's own path from the response body.
func BenchmarkFlatten(b *testing.B) {
	b.Run("reflection", func(b *testing.B) {
		models := reflectionModels(b, benchRecords(b))
		state := benchState()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if diags := state.SetAttribute(context.Background(), path.Root("images"), models); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
	b.Run("tftypes", func(b *testing.B) {
		recs := benchRecords(b)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			benchSink = newFlattener(imageFields).list(recs)
		}
	})
	b.Run("decode_and_flatten", func(b *testing.B) {
		benchDecode(b, func(recs []client.Record) { benchSink = newFlattener(imageFields).list(recs) })
	})
	// What the provider's server does with a listing: records straight to
	// the state's bytes.
	b.Run("decode_and_encode", func(b *testing.B) {
		benchDecode(b, func(recs []client.Record) {
			if err := (recordList{imageFields, recs}).Encode(directread.NewWriter()); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// benchDecode times decoding the bench body and handing its records on.
func benchDecode(b *testing.B, then func([]client.Record)) {
	body := benchBody()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		recs, err := client.DecodeImages(bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		then(recs)
	}
}

// BenchmarkMarketImagesState compares, on 1,000 KooGallery images of the
// emulator's catalog, building hwc_workspace_market_images' state the
// framework's plain way (a model per image, State.Set, and the encoding the
// framework then makes) with writing it straight from the field table, as
// the IMS data sources do: the cost of the simpler code, per read.
func BenchmarkMarketImagesState(b *testing.B) {
	cat := emulator.DefaultCatalog().MarketImages
	imgs := make([]map[string]any, 1000)
	for i := range imgs {
		imgs[i] = cat[i%len(cat)]
	}
	body, err := json.Marshal(map[string]any{"images": imgs})
	if err != nil {
		b.Fatal(err)
	}
	recs, err := client.DecodeImages(bytes.NewReader(body))
	if err != nil || len(recs) != len(imgs) {
		b.Fatalf("decode: %v", err)
	}
	ctx := context.Background()
	var sch datasource.SchemaResponse
	newWorkspaceMarketImagesDataSource().Schema(ctx, datasource.SchemaRequest{}, &sch)
	typ := sch.Schema.Type().TerraformType(ctx)
	b.Run("model_and_State.Set", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			m := workspaceMarketImagesModel{MissingIDs: []string{}}
			m.Timeouts.Object = types.ObjectNull(map[string]attr.Type{"read": types.StringType})
			images := make([]attr.Value, len(recs))
			for i, r := range recs {
				images[i] = newMarketImage(r)
			}
			m.Images = types.ListValueMust(marketImageType, images)
			state := tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(typ, nil)}
			if diags := state.Set(ctx, &m); diags.HasError() {
				b.Fatal(diags)
			}
			if _, err := tfprotov6.NewDynamicValue(typ, state.Raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("field_table_direct", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if err := (recordList{marketImageFields, recs}).Encode(directread.NewWriter()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
