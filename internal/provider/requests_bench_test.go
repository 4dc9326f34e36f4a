package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// benchEmulator serves catalog on loopback with a latency on every answer.
func benchEmulator(b *testing.B, catalog *emulator.Catalog, latency time.Duration) (*emulator.Server, string) {
	b.Helper()
	emu := emulator.New(emulator.Options{Catalog: catalog, Latency: latency})
	srv := httptest.NewServer(emu)
	b.Cleanup(srv.Close)
	return emu, srv.URL
}

// benchProviderData is what Configure would build for the emulator: a fresh
// client, so a fresh page cache.
func benchProviderData(b *testing.B, url string) *providerData {
	b.Helper()
	c, err := client.New(client.Config{
		Region: emulator.DefaultRegion, ProjectID: emulator.DefaultProjectID,
		Login:      client.Login{AccessKey: emulator.DefaultAccessKey, SecretKey: emulator.DefaultSecretKey},
		Endpoints:  map[client.Service]string{client.IMS: url, client.Workspace: url, client.IAM: url},
		MaxRetries: 0, RequestTimeout: time.Minute,
		Fields: recordFields(),
	})
	if err != nil {
		b.Fatal(err)
	}
	return &providerData{client: c, now: time.Now}
}

// readDataSource runs a data source's Read as Terraform would, with the
// given arguments and every other one null.
func readDataSource(ctx context.Context, ds datasource.DataSource, pd *providerData, args map[string]tftypes.Value) error {
	var sch datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sch)
	typ := sch.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
		if v, ok := args[name]; ok {
			vals[name] = v
		}
	}
	var conf datasource.ConfigureResponse
	ds.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: pd}, &conf)
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(typ, nil)}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sch.Schema, Raw: tftypes.NewValue(typ, vals)}}, &resp)
	if resp.Diagnostics.HasError() {
		return fmt.Errorf("%v", resp.Diagnostics)
	}
	return nil
}

func number(n int) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }

// BenchmarkRequests reports the requests one read of a data source sends
// (requests/op), each read on a fresh provider.
func BenchmarkRequests(b *testing.B) {
	cases := []struct {
		name   string
		images int
		ds     func() datasource.DataSource
		args   map[string]tftypes.Value
	}{
		// Every image is read; name_regex keeps the state small.
		{"list_1610_images", 1610, newIMSImagesDataSource, map[string]tftypes.Value{"name_regex": str("^img-0000$")}},
		{"list_1600_images_last_page_of_100", 1600, newIMSImagesDataSource, map[string]tftypes.Value{"name_regex": str("^img-0000$")}},
		{"list_1500_images_last_page_full", 1500, newIMSImagesDataSource, map[string]tftypes.Value{"name_regex": str("^img-0000$")}},
		{"most_recent", 1600, newIMSImagesDataSource, map[string]tftypes.Value{"most_recent": yes}},
		{"most_recent_one_image", 1600, newIMSImageDataSource, map[string]tftypes.Value{"most_recent": yes}},
		{"limit_20", 1600, newIMSImagesDataSource, map[string]tftypes.Value{"limit": number(20)}},
		{"limit_500", 1600, newIMSImagesDataSource, map[string]tftypes.Value{"limit": number(500)}},
		{"most_recent_min_age_72h", 1600, newIMSImageDataSource, map[string]tftypes.Value{"most_recent": yes, "min_age": str("72h")}},
		{"order_by_created_at_limit_10", 1600, newIMSImagesDataSource, map[string]tftypes.Value{"order_by": str("created_at"), "limit": number(10)}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			emu, url := benchEmulator(b, &emulator.Catalog{Images: numberedImages(c.images)}, 0)
			for range b.N {
				if err := readDataSource(context.Background(), c.ds(), benchProviderData(b, url), c.args); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(emu.Served())/float64(b.N), "requests/op")
		})
	}
	b.Run("30_reads_of_10_queries", func(b *testing.B) {
		emu, url := benchEmulator(b, &emulator.Catalog{Images: numberedImages(700)}, 5*time.Millisecond)
		for range b.N {
			pd := benchProviderData(b, url)
			var wg sync.WaitGroup
			for i := 0; i < 30; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					args := map[string]tftypes.Value{"name": str(fmt.Sprintf("img-%04d", i%10))}
					if err := readDataSource(context.Background(), newIMSImagesDataSource(), pd, args); err != nil {
						b.Error(err)
					}
				}()
			}
			wg.Wait()
		}
		b.ReportMetric(float64(emu.Served())/float64(b.N), "requests/op")
	})
}

// BenchmarkMarketImages reads KooGallery images with 100 ms of latency on
// every answer: one id (one request), and 1,000 ids (ten batches, four at a
// time).
func BenchmarkMarketImages(b *testing.B) {
	catalog := &emulator.Catalog{}
	ids := make([]tftypes.Value, 1000)
	for i := range ids {
		id := fmt.Sprintf("m-%04d", i)
		catalog.MarketImages = append(catalog.MarketImages, emulator.Image{"image_id": id, "name": id})
		ids[i] = str(id)
	}
	_, url := benchEmulator(b, catalog, 100*time.Millisecond)
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("%d_ids_100ms_latency", n), func(b *testing.B) {
			args := map[string]tftypes.Value{"image_ids": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, ids[:n])}
			for range b.N {
				if err := readDataSource(context.Background(), newWorkspaceMarketImagesDataSource(), benchProviderData(b, url), args); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
