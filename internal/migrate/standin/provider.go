package standin

import (
	"cmp"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Binary is the name the stand-in is installed under: a test binary run
// under it serves the stand-in (see IsPlugin).
const Binary = "terraform-provider-huaweicloud_v1.0.0"

// IsPlugin reports whether this process was started as the stand-in
// provider: a test binary's TestMain then calls Serve instead of the tests.
func IsPlugin() bool {
	return strings.HasPrefix(filepath.Base(os.Args[0]), "terraform-provider-huaweicloud")
}

// Serve serves the stand-in provider to the CLI that started it.
func Serve() error {
	return providerserver.Serve(context.Background(), func() provider.Provider { return &official{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/huaweicloud/huaweicloud"})
}

// Install copies the running test binary into dir as the stand-in, a
// filesystem mirror of huaweicloud/huaweicloud 1.0.0 for Terraform and
// OpenTofu.
func Install(dir, platform string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		bin := filepath.Join(dir, host, "huaweicloud", "huaweicloud", "1.0.0", platform, Binary)
		if err := os.MkdirAll(filepath.Dir(bin), 0o750); err != nil {
			return err
		}
		if err := os.Link(self, bin); err == nil {
			continue
		}
		if err := copyFile(self, bin); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from) //nolint:gosec // the test binary itself
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o700) //nolint:gosec // a test's mirror
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// official is the provider: the emulator's IMS endpoint (endpoints.ims)
// and the enterprise project its data sources fall back on (its own, else
// HW_ENTERPRISE_PROJECT_ID).
type official struct{}

type config struct{ base, eps string }

func (*official) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "huaweicloud"
}

func (*official) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := map[string]pschema.Attribute{
		"endpoints": pschema.MapAttribute{Optional: true, ElementType: types.StringType},
		"insecure":  pschema.BoolAttribute{Optional: true},
	}
	for _, name := range []string{"region", "access_key", "secret_key", "auth_url", "project_id", "enterprise_project_id"} {
		attrs[name] = pschema.StringAttribute{Optional: true, Sensitive: name == "secret_key"}
	}
	resp.Schema = pschema.Schema{Attributes: attrs}
}

func (*official) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var endpoints map[string]string
	var eps types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("endpoints"), &endpoints)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("enterprise_project_id"), &eps)...)
	if endpoints["ims"] == "" {
		resp.Diagnostics.AddError("No IMS Endpoint", "the stand-in of the official provider lists images at endpoints.ims (the emulator)")
	}
	resp.DataSourceData = &config{base: endpoints["ims"], eps: cmp.Or(eps.ValueString(), os.Getenv("HW_ENTERPRISE_PROJECT_ID"))}
}

func (*official) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		func() datasource.DataSource { return &images{} },
		func() datasource.DataSource { return &images{plural: true} },
	}
}

func (*official) Resources(context.Context) []func() resource.Resource { return nil }
