package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

const readBenchImages = 1300

// readBenchCatalog is readBenchImages images of the emulator's catalog, ids
// and names made unique, all private and active.
func readBenchCatalog() *emulator.Catalog {
	src := emulator.DefaultCatalog().Images
	imgs := make([]emulator.Image, readBenchImages)
	for i := range imgs {
		img := maps.Clone(src[i%len(src)])
		img["id"] = fmt.Sprintf("%08d-0000-4000-8000-100000000000", i)
		img["name"] = fmt.Sprintf("bench-%04d", i)
		img["status"], img["__imagetype"], img["visibility"], img["__os_type"] = "active", "private", "private", "Linux"
		imgs[i] = img
	}
	return &emulator.Catalog{Images: imgs}
}

// BenchmarkReadDataSource reads an hwc_ims_images of readBenchImages images
// through the protocol, by the framework's server and by the provider's. The
// listing's pages are read once and then come from the page cache: each
// operation is the provider's work from the decoded pages to the state's
// protocol bytes. Figures are per image.
func BenchmarkReadDataSource(b *testing.B) {
	srv := httptest.NewServer(emulator.New(emulator.Options{Catalog: readBenchCatalog()}))
	defer srv.Close()
	for _, s := range []struct {
		name   string
		server func() tfprotov6.ProviderServer
	}{
		{"framework", providerserver.NewProtocol6(New("bench")())},
		{"direct", NewProtocolServer("bench")},
	} {
		b.Run(s.name, func(b *testing.B) {
			ctx := context.Background()
			server := s.server()
			schemas := configureServer(b, server, srv.URL)
			req := &tfprotov6.ReadDataSourceRequest{TypeName: "hwc_ims_images",
				Config: dynamicValue(b, schemas.DataSourceSchemas["hwc_ims_images"], map[string]any{"image_type": "private"})}
			read := func() {
				resp, err := server.ReadDataSource(ctx, req)
				if err != nil || len(resp.Diagnostics) > 0 || resp.State == nil || len(resp.State.MsgPack) < readBenchImages*100 {
					b.Fatalf("read: %v %v", err, resp.Diagnostics)
				}
			}
			read()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				read()
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*readBenchImages), "ns/image")
			b.ReportMetric(float64(testing.AllocsPerRun(1, read))/readBenchImages, "allocs/image")
		})
	}
}
