package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// Every IMS query parameter of the document is sent by one filter, but the
// paging ones the provider sends itself; no filter sends anything else.
func TestIMSFiltersCoverTheDocument(t *testing.T) {
	sent := map[string]bool{"marker": true, "limit": true}
	for _, f := range imageFilters {
		if _, ok := apidoc.Find(apidoc.IMSQuery, f.param); !ok {
			t.Errorf("%s sends %s, which the IMS document does not list", f.attr, f.param)
		}
		sent[f.param] = true
	}
	for _, r := range apidoc.IMSQuery {
		if !sent[r.Name] {
			t.Errorf("no filter sends %s", r.Name)
		}
	}
}

// Every response field of both documents is one attribute, of a type that
// holds what the document says the field is.
func TestAttributesCoverTheDocuments(t *testing.T) {
	holds := map[apidoc.Kind][]valueKind{
		apidoc.Text:     {kindString, kindCommaList},
		apidoc.Time:     {kindString},
		apidoc.Int:      {kindNumber},
		apidoc.IntText:  {kindNumber},
		apidoc.Bool:     {kindBool},
		apidoc.BoolText: {kindBool, kindString}, // __support_fc_inject: "true" is "not supported", other values are kept as sent
		apidoc.TextList: {kindStringList},
	}
	for name, c := range map[string]struct {
		rules  []apidoc.Rule
		fields []imageField
	}{"IMS": {apidoc.IMSImage, imageFields}, "KooGallery": {apidoc.MarketImage, marketImageFields}} {
		if len(c.rules) != len(c.fields) {
			t.Errorf("%s: %d documented fields, %d attributes", name, len(c.rules), len(c.fields))
		}
		for _, r := range c.rules {
			i := slices.IndexFunc(c.fields, func(f imageField) bool { return f.api == r.Name })
			switch {
			case i < 0:
				t.Errorf("%s: no attribute reads %s", name, r.Name)
			case !slices.Contains(holds[r.Kind], c.fields[i].kind):
				t.Errorf("%s: %s is read as kind %d, which cannot hold the document's kind %d", name, r.Name, c.fields[i].kind, r.Kind)
			}
		}
	}
}

// The validators of each filter accept every value the document allows and
// refuse the others: values and ranges come from one table (apidoc), which
// the emulator's checks read too.
func TestFilterValidatorsFollowTheDocument(t *testing.T) {
	ctx := context.Background()
	var ds datasource.SchemaResponse
	newIMSImagesDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	// The configuration the validators that read other attributes see:
	// visibility = "shared" (which member_status needs), nothing else.
	typ := ds.Schema.Type().TerraformType(ctx).(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
	}
	values["visibility"] = tftypes.NewValue(tftypes.String, "shared")
	config := tfsdk.Config{Schema: ds.Schema, Raw: tftypes.NewValue(typ, values)}
	for _, f := range imageFilters {
		r := f.rule()
		t.Run(f.attr, func(t *testing.T) {
			switch attr := f.schemaAttribute(false, "").(type) {
			case schema.StringAttribute:
				valid := func(v string) bool {
					resp := &validator.StringResponse{}
					for _, val := range attr.Validators {
						val.ValidateString(ctx, validator.StringRequest{Config: config, Path: path.Root(f.attr), ConfigValue: types.StringValue(v)}, resp)
					}
					return !resp.Diagnostics.HasError()
				}
				for _, v := range r.Values {
					if !valid(v) {
						t.Errorf("%s = %q is refused; the document allows it", f.attr, v)
					}
				}
				if r.Values != nil && valid("not-"+r.Values[0]) == !r.Open {
					t.Errorf("%s = %q: accepted %v, the document's list is open: %v", f.attr, "not-"+r.Values[0], !r.Open, r.Open)
				}
			case schema.NumberAttribute:
				valid := func(n int64) bool {
					resp := &validator.NumberResponse{}
					for _, val := range attr.Validators {
						val.ValidateNumber(ctx, validator.NumberRequest{Config: config, Path: path.Root(f.attr), ConfigValue: types.NumberValue(big.NewFloat(float64(n)))}, resp)
					}
					return !resp.Diagnostics.HasError()
				}
				bounds := map[int64]bool{r.Min: true, r.Min - 1: false}
				if r.Max > 0 {
					bounds[r.Max], bounds[r.Max+1] = true, false
				}
				for n, want := range bounds {
					if valid(n) != want {
						t.Errorf("%s = %s: accepted %v, want %v", f.attr, strconv.FormatInt(n, 10), !want, want)
					}
				}
			case schema.BoolAttribute:
				valid := func(b bool) bool {
					resp := &validator.BoolResponse{}
					for _, val := range attr.Validators {
						val.ValidateBool(ctx, validator.BoolRequest{Config: config, Path: path.Root(f.attr), ConfigValue: types.BoolValue(b)}, resp)
					}
					return !resp.Diagnostics.HasError()
				}
				// false is refused only where the API takes true alone and the
				// provider cannot apply false itself (support flags it can).
				if !valid(true) || valid(false) == (slices.Equal(r.Values, []string{"true"}) && f.enc != encSupportFlag) {
					t.Errorf("%s: true accepted %v, false accepted %v; document values %v", f.attr, valid(true), valid(false), r.Values)
				}
			}
		})
	}
}

// What a user reads from the emulator's built-in catalog through Terraform
// is what the IMS document allows: a support flag an image lacks is null,
// never false; the times are in order and none is in the future; the
// feature list is a JSON list.
func TestEmulatorCatalogReadsAsDocumented(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `data "hwc_ims_images" "all" {}` + "\n",
			Check: func(s *terraform.State) error {
				attrs := s.RootModule().Resources["data.hwc_ims_images.all"].Primary.Attributes
				n, _ := strconv.Atoi(attrs["images.#"])
				if n < 500 {
					return fmt.Errorf("%d images", n)
				}
				now := time.Now().UTC().Format(time.RFC3339)
				for i := range n {
					p := fmt.Sprintf("images.%d.", i)
					for _, f := range imageFields {
						if r, _ := apidoc.Find(apidoc.IMSImage, f.api); r.Absent && attrs[p+f.attr] == "false" {
							return fmt.Errorf("%s%s is false; an image without the feature lacks the field", p, f.attr)
						}
					}
					created, active, updated := attrs[p+"created_at"], attrs[p+"active_at"], attrs[p+"updated_at"]
					if updated > now || updated < created || active != "" && (active < created || updated < active) {
						return fmt.Errorf("%s: created %s, active %s, updated %s, now %s", attrs[p+"id"], created, active, updated, now)
					}
					var features map[string]string
					if list := attrs[p+"os_feature_list"]; list != "" && json.Unmarshal([]byte(list), &features) != nil {
						return fmt.Errorf("%s: os_feature_list %q is not a JSON object of flags", attrs[p+"id"], list)
					}
				}
				return nil
			},
		}},
	})
}
