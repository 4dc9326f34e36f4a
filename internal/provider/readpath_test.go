package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// hostileValues are JSON texts of every form a server may send for a
// field: numbers beyond int64 and float64, fractions, -0, numbers and
// booleans as strings in every case, lists with duplicate, empty and
// non-string items, nulls, objects, invalid UTF-8 and long strings.
var hostileValues = []string{
	`2.5`, `"2.5"`, `9223372036854775808`, `"9223372036854775808"`, `1e300`, `-1e300`, `1e-400`, `-0`, `-0.0`, `0.1`,
	`2048`, `"  42 "`, `"0x10"`, strings.Repeat("7", 70),
	`true`, `false`, `"true"`, `"True"`, `"TRUE"`, `"false"`, `"False"`, `"fAlSe"`, `"yes"`,
	`null`, `""`, `[]`, `["a","a",""]`, `["x",1,true,null,{"k":"v"}]`, `{"nested":{"deep":[1]}}`,
	`"a,b,,c, d"`, `"2025-01-01T00:00:00Z"`, `"1999-12-31T23:59:59+08:00"`, "\"inv\xffalid \xfe utf-8\"", `"esc\u0000aped\n\u202e"`,
	`"` + strings.Repeat("long", 10000) + `"`,
}

// hostileRecords builds one record per value: every field the provider
// reads, of either API, plus one it does not, gets a value, so that each
// field meets each value in some record. Only id and image_id, which select
// records, are plain: id-0, id-1 and so on.
func hostileRecords(values []string) []map[string]json.RawMessage {
	var names []string
	for _, table := range recordTables {
		for _, f := range table {
			if !slices.Contains(names, f.api) && f.api != "id" && f.api != "image_id" {
				names = append(names, f.api)
			}
		}
	}
	slices.Sort(names) // the same records on every run
	names = append(names, "__unread_field")
	recs := make([]map[string]json.RawMessage, len(values))
	for k := range recs {
		rec := map[string]json.RawMessage{"id": json.RawMessage(strconv.Quote(fmt.Sprintf("id-%d", k))),
			"image_id": json.RawMessage(strconv.Quote(fmt.Sprintf("id-%d", k)))}
		for i, name := range names {
			rec[name] = json.RawMessage(values[(k+i)%len(values)])
		}
		recs[k] = rec
	}
	return recs
}

// hostileAPI serves records as IMS, Workspace and IAM would, for any
// query: IMS filters by id and limit and ends on a page shorter than asked
// for; Workspace answers the ids asked for; IAM names a project after any
// region. It writes the records' raw bytes, invalid UTF-8 included.
func hostileAPI(t testing.TB, recs []map[string]json.RawMessage) string {
	t.Helper()
	write := func(w http.ResponseWriter, keep func(map[string]json.RawMessage) bool) {
		var b bytes.Buffer
		b.WriteString(`{"images":[`)
		n := 0
		for _, r := range recs {
			if !keep(r) {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			b.WriteByte('{')
			for i, name := range slices.Sorted(maps.Keys(r)) {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.Quote(name) + ":")
				b.Write(r[name])
			}
			b.WriteByte('}')
		}
		b.WriteString(`]}`)
		_, _ = w.Write(b.Bytes())
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		id := func(rec map[string]json.RawMessage, key string) string {
			s, _ := strconv.Unquote(string(rec[key]))
			return s
		}
		switch {
		case r.URL.Path == "/v3/projects":
			_, _ = fmt.Fprintf(w, `{"projects":[{"id":"p-%s","name":%q}]}`, q.Get("name"), q.Get("name"))
		case strings.HasSuffix(r.URL.Path, "/market-images"):
			write(w, func(rec map[string]json.RawMessage) bool { return slices.Contains(q["image_ids"], id(rec, "image_id")) })
		case q.Get("marker") != "":
			_, _ = w.Write([]byte(`{"images":[]}`))
		default:
			limit, _ := strconv.Atoi(q.Get("limit"))
			n := 0
			write(w, func(rec map[string]json.RawMessage) bool {
				if q.Has("id") && id(rec, "id") != q.Get("id") || n >= limit {
					return false
				}
				n++
				return true
			})
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// sampleValue is a value of a type for a generated configuration: every
// record's id for a list or set of strings, so that a required list of ids
// asks for every record.
func sampleValue(typ tftypes.Type, records int) tftypes.Value {
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, "x")
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, true)
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, big.NewFloat(1))
	case typ.Is(tftypes.List{ElementType: tftypes.String}), typ.Is(tftypes.Set{ElementType: tftypes.String}):
		var ids []tftypes.Value
		for k := range records {
			ids = append(ids, tftypes.NewValue(tftypes.String, fmt.Sprintf("id-%d", k)))
		}
		return tftypes.NewValue(typ, ids)
	case typ.Is(tftypes.Object{}):
		obj := typ.(tftypes.Object)
		attrs := map[string]tftypes.Value{}
		for name, at := range obj.AttributeTypes {
			attrs[name] = tftypes.NewValue(at, nil)
			if at.Is(tftypes.String) {
				attrs[name] = tftypes.NewValue(at, "5m")
			}
		}
		return tftypes.NewValue(typ, attrs)
	}
	return tftypes.NewValue(typ, nil)
}

// generatedConfigs are, for a data source schema, the configuration with
// only its required arguments, then that one with each optional argument
// (and block) set in turn.
func generatedConfigs(s *tfprotov6.Schema, records int) map[string]*tfprotov6.DynamicValue {
	typ := s.ValueType().(tftypes.Object)
	base := map[string]tftypes.Value{}
	var optional []string
	for name, at := range typ.AttributeTypes {
		base[name] = tftypes.NewValue(at, nil)
	}
	for _, a := range s.Block.Attributes {
		switch {
		case a.Required:
			base[a.Name] = sampleValue(typ.AttributeTypes[a.Name], records)
		case a.Optional:
			optional = append(optional, a.Name)
		}
	}
	for _, b := range s.Block.BlockTypes {
		optional = append(optional, b.TypeName)
	}
	configs := map[string]*tfprotov6.DynamicValue{}
	add := func(name string, vals map[string]tftypes.Value) {
		dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
		if err != nil {
			panic(err)
		}
		configs[name] = &dv
	}
	add("required only", base)
	for _, name := range optional {
		vals := maps.Clone(base)
		vals[name] = sampleValue(typ.AttributeTypes[name], records)
		add(name, vals)
	}
	return configs
}

// readPaths are a provider's two protocol servers, configured alike for url:
// every read through the framework, and the provider's own.
func readPaths(t *testing.T, url string) (framework, direct tfprotov6.ProviderServer) {
	t.Helper()
	fixed := WithClock(func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) })
	framework, direct = testServer(fixed, WithFrameworkReads(true))(), testServer(fixed, WithFrameworkReads(false))()
	for _, s := range []tfprotov6.ProviderServer{framework, direct} {
		configureServer(t, s, url)
	}
	return framework, direct
}

// TestDirectReadMatchesFramework reads every data source of the provider —
// walked from DataSources, so a new one is covered without edits — through
// both read paths, and requires the same state bytes and the same
// diagnostics: with generated configurations (required arguments only, then
// each optional one set) against a server of all the hostile records but
// the longest, and with the required arguments against each record alone.
// directDataSources are the data sources read by the direct path.
var directDataSources = []string{"hwc_ims_image", "hwc_ims_image_ids", "hwc_ims_images"}

func TestDirectReadMatchesFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	recs := hostileRecords(hostileValues)
	schemas, err := testServer()().GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// The data sources that list many images take the direct path; the
	// others are read by the framework, and both paths must agree on all.
	if direct := slices.Sorted(slices.Values(directread.DataSources(ctx, &hwcProvider{}))); !slices.Equal(direct, directDataSources) {
		t.Errorf("the direct path takes %v, want %v", direct, directDataSources)
	}
	compare := func(t *testing.T, url string, records int, typeNames []string, only string) {
		framework, direct := readPaths(t, url)
		succeeded := 0
		defer func() {
			if succeeded == 0 {
				t.Error("no read succeeded: the comparison tests nothing")
			}
		}()
		for _, typeName := range typeNames {
			for name, config := range generatedConfigs(schemas.DataSourceSchemas[typeName], records) {
				if only != "" && name != only {
					continue
				}
				req := &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: config}
				want, err := framework.ReadDataSource(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				got, err := direct.ReadDataSource(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				if want.State != nil && !hasError(want.Diagnostics) {
					succeeded++
				}
				if diff := cmp.Diff(want.Diagnostics, got.Diagnostics); diff != "" {
					t.Errorf("%s, %s: diagnostics differ (-framework +direct):\n%s", typeName, name, diff)
				}
				if (want.State == nil) != (got.State == nil) || want.State != nil && !bytes.Equal(want.State.MsgPack, got.State.MsgPack) {
					t.Errorf("%s, %s: state differs: framework %d bytes, direct %d bytes", typeName, name, stateSize(want.State), stateSize(got.State))
				}
			}
		}
	}
	// Every configuration against the records whose strings are short: the
	// long ones cost time under the race detector, and add nothing to a
	// query's refinements that each record alone does not test.
	short := hostileRecords(slices.DeleteFunc(slices.Clone(hostileValues), func(v string) bool { return len(v) > 1000 }))
	shortURL := hostileAPI(t, short)
	typeNames := slices.Sorted(maps.Keys(schemas.DataSourceSchemas))
	for _, typeName := range typeNames {
		t.Run(typeName+" all records", func(t *testing.T) {
			t.Parallel()
			compare(t, shortURL, len(short), []string{typeName}, "")
		})
	}
	for k := range recs {
		t.Run(fmt.Sprintf("record %d alone", k), func(t *testing.T) {
			t.Parallel()
			compare(t, hostileAPI(t, recs[k:k+1]), len(recs), typeNames, "required only")
		})
	}
}

// A field written straight to a state's bytes is, byte for byte, the
// MessagePack terraform-plugin-go writes for the value fromValue builds,
// for every kind of field and whatever the server sent.
func FuzzFieldMatchesFromValue(f *testing.F) {
	for _, v := range hostileValues {
		for k := range len(kinds) {
			f.Add([]byte(v), uint8(k))
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, kind uint8) {
		k := valueKind(int(kind) % len(kinds))
		want, err := tfprotov6.NewDynamicValue(k.tfType(), k.fromValue(client.Value(raw)))
		if err != nil {
			t.Fatal(err)
		}
		w := directread.NewWriter()
		if err := writeField(w, k, client.Value(raw)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.MsgPack, w.Bytes()) {
			var got any
			_ = msgpack.Unmarshal(w.Bytes(), &got)
			t.Errorf("kind %d of %q: writeField wrote %v (% x), fromValue %s (% x)", k, raw, got, w.Bytes(), k.fromValue(client.Value(raw)), want.MsgPack)
		}
		// The framework's value (hwc_workspace_market_images) is the same
		// value, of the field's framework type.
		av := k.attrValue(client.Value(raw))
		tv, err := av.ToTerraformValue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !av.Type(context.Background()).Equal(k.attrType()) || !tv.Equal(k.fromValue(client.Value(raw))) {
			t.Errorf("kind %d of %q: attrValue gave %s of %s, fromValue %s", k, raw, tv, av.Type(context.Background()), k.fromValue(client.Value(raw)))
		}
	})
}

// Through terraform, with and without HWC_READ_PATH=framework, the same
// configuration over hostile records gives the same state and the same
// warnings, and a fractional min_ram of hwc_ims_image is kept on both paths.
// Not parallel: it sets HWC_READ_PATH for the provider it serves.
func TestReadPath_frameworkEscapeHatchGivesTheSameState(t *testing.T) {
	providertest.RequireCLI(t)
	recs := hostileRecords(hostileValues)
	fraction := slices.IndexFunc(recs, func(r map[string]json.RawMessage) bool { return string(r["min_ram"]) == "2.5" })
	url := hostileAPI(t, recs)
	var ids []string
	for k := range recs {
		ids = append(ids, fmt.Sprintf("%q", fmt.Sprintf("id-%d", k)))
	}
	config := fmt.Sprintf(`
provider "hwc" {
  region     = "cn-north-4"
  project_id = "p1"
  token      = "tok"
  endpoints  = { ims = %[1]q, workspace = %[1]q, iam = %[1]q }
}
data "hwc_ims_images" "all" {}
data "hwc_ims_image" "fraction" {
  image_id = "id-%[2]d"
}
data "hwc_ims_image" "warned" {
  image_id    = "id-0"
  platform    = "ubuntu"
  most_recent = true
}
data "hwc_workspace_market_images" "all" {
  image_ids = [%[3]s]
}
`, url, fraction, strings.Join(ids, ", "))
	apply := func(readPath string) (resources string, warnings []string) {
		t.Setenv(readPathEnv, readPath)
		w := providertest.NewWorkDir(t, withError(testServer()))
		w.SetConfig(config)
		w.Init()
		stdout, stderr, err := w.Run("apply", "-auto-approve", "-input=false", "-no-color")
		if err != nil {
			t.Fatalf("HWC_READ_PATH=%q: terraform apply: %v\n%s", readPath, err, stderr)
		}
		for _, line := range strings.Split(string(stdout)+string(stderr), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, "│╷ "), "Warning:") {
				warnings = append(warnings, line)
			}
		}
		raw, err := os.ReadFile(filepath.Join(w.Dir(), "terraform.tfstate"))
		if err != nil {
			t.Fatal(err)
		}
		var state struct {
			Resources json.RawMessage `json:"resources"`
		}
		if err := json.Unmarshal(raw, &state); err != nil {
			t.Fatal(err)
		}
		return string(state.Resources), warnings
	}
	directState, directWarnings := apply("")
	frameworkState, frameworkWarnings := apply("framework")
	if directState != frameworkState {
		t.Errorf("the states differ (-framework +direct):\n%s", cmp.Diff(frameworkState, directState))
	}
	if len(directWarnings) == 0 || !slices.Equal(directWarnings, frameworkWarnings) {
		t.Errorf("warnings: direct %q, framework %q; want the same, at least one", directWarnings, frameworkWarnings)
	}
	type resource struct {
		Name      string `json:"name"`
		Instances []struct {
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	}
	var resources []resource
	if err := json.Unmarshal([]byte(directState), &resources); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(resources, func(r resource) bool {
		return r.Name == "fraction" && len(r.Instances) == 1 && r.Instances[0].Attributes["min_ram"] == 2.5
	})
	if i < 0 {
		t.Errorf("the fractional min_ram of image id-%d is not in the state", fraction)
	}
}
