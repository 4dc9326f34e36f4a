// Package provider implements the hwc Terraform provider on
// terraform-plugin-framework: its configuration and its data sources.
package provider

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

const (
	defaultCloud          = "myhuaweicloud.com"
	defaultMaxRetries     = 5
	defaultRequestTimeout = 60 * time.Second
)

// retryWaitMin and retryWaitMax bound the backoff between retries. Tests in
// this package shorten them; users cannot change them.
var (
	retryWaitMin = time.Second
	retryWaitMax = 30 * time.Second
)

// New returns the provider factory for a release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &hwcProvider{version: version} }
}

type hwcProvider struct {
	version string
}

// providerModel is the provider block.
type providerModel struct {
	Region         types.String `tfsdk:"region"`
	ProjectID      types.String `tfsdk:"project_id"`
	AccessKey      types.String `tfsdk:"access_key"`
	SecretKey      types.String `tfsdk:"secret_key"`
	SecurityToken  types.String `tfsdk:"security_token"`
	Token          types.String `tfsdk:"token"`
	Cloud          types.String `tfsdk:"cloud"`
	Endpoints      types.Map    `tfsdk:"endpoints"`
	Insecure       types.Bool   `tfsdk:"insecure"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	CACertFile     types.String `tfsdk:"cacert_file"`
}

// providerData is what Configure hands to the data sources.
type providerData struct {
	client  *client.Client
	secrets []string
}

func (p *hwcProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hwc"
	resp.Version = p.version
}

func (p *hwcProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Selects Huawei Cloud images: IMS images and Workspace KooGallery images. " +
			"Every argument can also be set through the environment variable named in its description.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Region to use, such as `cn-north-4`. Required here or in `HW_REGION_NAME`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"project_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Project ID of the region. Environment: `HW_PROJECT_ID`. When unset, the provider looks it up " +
					"once per run through IAM (`GET /v3/projects?name={region}`).",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Access key (AK). With `secret_key`, every request is signed with SDK-HMAC-SHA256. Environment: `HW_ACCESS_KEY`.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Secret key (SK) of `access_key`. Environment: `HW_SECRET_KEY`.",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of a temporary AK/SK, sent as `X-Security-Token` and signed. Environment: `HW_SECURITY_TOKEN`.",
			},
			"token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "IAM token sent as `X-Auth-Token`, instead of an AK/SK. Conflicts with `access_key`. Environment: `HW_AUTH_TOKEN`.",
			},
			"cloud": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Domain the default endpoints are built on. Defaults to `myhuaweicloud.com`. Environment: `HW_CLOUD`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"endpoints": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Base URLs that replace the default endpoints, by service: `ims`, `workspace` and `iam`, such as " +
					"`{ ims = \"http://127.0.0.1:8787\" }` for the local emulator. Defaults: `https://ims.{region}.{cloud}`, " +
					"`https://workspace.{region}.{cloud}`, `https://iam.{region}.{cloud}`.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification. Defaults to `false`; prefer `cacert_file`. Environment: `HW_INSECURE`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Retries after the first attempt of a request that was throttled (429), failed with a server error " +
					"(5xx but 501) or lost its connection. Defaults to `5`; `0` disables retries. Environment: `HW_MAX_RETRIES`.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Time limit of one HTTP attempt, as a duration such as `30s` or `2m`. Defaults to `60s`. " +
					"The `timeouts` block of a data source bounds a whole read, retries included. Environment: `HW_REQUEST_TIMEOUT`.",
				Validators: []validator.String{durationValidator{positive: true}},
			},
			"cacert_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path of a PEM bundle of extra certificate authorities to trust, such as a corporate proxy's. Environment: `HW_CACERT_FILE`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

// stringSetting returns the configured value or else the environment's.
func stringSetting(v types.String, env string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func (p *hwcProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, a := range []struct {
		name  string
		value attr.Value
	}{
		{"region", m.Region}, {"project_id", m.ProjectID}, {"access_key", m.AccessKey}, {"secret_key", m.SecretKey},
		{"security_token", m.SecurityToken}, {"token", m.Token}, {"cloud", m.Cloud}, {"endpoints", m.Endpoints},
		{"insecure", m.Insecure}, {"max_retries", m.MaxRetries}, {"request_timeout", m.RequestTimeout}, {"cacert_file", m.CACertFile},
	} {
		if a.value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "Unknown Provider Setting",
				"The provider needs "+a.name+" before any data source is read, but its value depends on something not yet known. "+
					"Use a value known at plan time, or set it through its environment variable.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	cfg, diags := clientConfig(m, p.version)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Logger = tflogAdapter{}
	c, err := client.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Configure the hwc Provider", err.Error())
		return
	}
	pd := &providerData{client: c}
	for _, s := range []string{cfg.SecretKey, cfg.SecurityToken, cfg.Token} {
		if s != "" {
			pd.secrets = append(pd.secrets, s)
		}
	}
	resp.DataSourceData = pd
}

// clientConfig applies environment fallbacks and defaults to the provider
// block and validates the result, with an attribute error for each problem.
func clientConfig(m providerModel, version string) (client.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := client.Config{
		Region:        stringSetting(m.Region, "HW_REGION_NAME"),
		ProjectID:     stringSetting(m.ProjectID, "HW_PROJECT_ID"),
		AccessKey:     stringSetting(m.AccessKey, "HW_ACCESS_KEY"),
		SecretKey:     stringSetting(m.SecretKey, "HW_SECRET_KEY"),
		SecurityToken: stringSetting(m.SecurityToken, "HW_SECURITY_TOKEN"),
		Token:         stringSetting(m.Token, "HW_AUTH_TOKEN"),
		UserAgent:     "terraform-provider-hwc/" + version,
		RetryWaitMin:  retryWaitMin,
		RetryWaitMax:  retryWaitMax,
	}
	if cfg.Region == "" {
		diags.AddAttributeError(path.Root("region"), "Missing Region",
			"Set region in the provider block or the HW_REGION_NAME environment variable, for example \"cn-north-4\".")
	}
	switch {
	case cfg.AccessKey != "" && cfg.Token != "":
		diags.AddAttributeError(path.Root("token"), "Conflicting Credentials",
			"token (HW_AUTH_TOKEN) and access_key (HW_ACCESS_KEY) cannot be used together: keep one way of authenticating.")
	case cfg.AccessKey != "" && cfg.SecretKey == "":
		diags.AddAttributeError(path.Root("secret_key"), "Missing Secret Key",
			"access_key is set, so secret_key is required too: set secret_key or HW_SECRET_KEY.")
	case cfg.AccessKey == "" && cfg.SecretKey != "":
		diags.AddAttributeError(path.Root("access_key"), "Missing Access Key",
			"secret_key is set, so access_key is required too: set access_key or HW_ACCESS_KEY.")
	case cfg.AccessKey == "" && cfg.Token == "":
		diags.AddAttributeError(path.Root("access_key"), "Missing Credentials",
			"Set access_key and secret_key (or HW_ACCESS_KEY and HW_SECRET_KEY), or token (HW_AUTH_TOKEN).")
	}
	if cfg.SecurityToken != "" && cfg.AccessKey == "" {
		diags.AddAttributeError(path.Root("security_token"), "Security Token Without Access Key",
			"security_token belongs to a temporary access_key and secret_key: set those too, or remove security_token.")
	}

	cloud := stringSetting(m.Cloud, "HW_CLOUD")
	if cloud == "" {
		cloud = defaultCloud
	}
	cfg.Endpoints = map[client.Service]string{}
	for _, s := range client.Services {
		cfg.Endpoints[s] = fmt.Sprintf("https://%s.%s.%s", s, cfg.Region, cloud)
	}
	for key, v := range m.Endpoints.Elements() {
		p := path.Root("endpoints").AtMapKey(key)
		s, ok := v.(types.String)
		if !ok || s.IsNull() {
			diags.AddAttributeError(p, "Invalid Endpoint", "An endpoint must be a URL such as https://ims.cn-north-4.myhuaweicloud.com.")
			continue
		}
		service := client.Service(key)
		if _, known := cfg.Endpoints[service]; !known {
			diags.AddAttributeError(p, "Unknown Endpoint Key",
				fmt.Sprintf("%q is not a service of this provider. The allowed keys are ims, workspace and iam.", key))
			continue
		}
		if _, err := client.ParseEndpoint(s.ValueString()); err != nil {
			diags.AddAttributeError(p, "Invalid Endpoint URL",
				fmt.Sprintf("endpoints[%q]: %s. Give a base URL such as https://%s.cn-north-4.myhuaweicloud.com or http://127.0.0.1:8787.", key, err, key))
			continue
		}
		cfg.Endpoints[service] = s.ValueString()
	}

	switch {
	case !m.Insecure.IsNull():
		cfg.Insecure = m.Insecure.ValueBool()
	case os.Getenv("HW_INSECURE") != "":
		b, err := strconv.ParseBool(os.Getenv("HW_INSECURE"))
		if err != nil {
			diags.AddAttributeError(path.Root("insecure"), "Invalid HW_INSECURE", "HW_INSECURE must be true or false.")
		}
		cfg.Insecure = b
	}
	if cfg.Insecure {
		diags.AddAttributeWarning(path.Root("insecure"), "TLS Verification Disabled",
			"insecure = true: the provider does not verify the certificates of the endpoints, so anyone on the network path "+
				"can read and change its traffic. Prefer cacert_file to trust a private certificate authority.")
	}

	cfg.MaxRetries = defaultMaxRetries
	switch {
	case !m.MaxRetries.IsNull():
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	case os.Getenv("HW_MAX_RETRIES") != "":
		n, err := strconv.Atoi(os.Getenv("HW_MAX_RETRIES"))
		if err != nil || n < 0 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid HW_MAX_RETRIES",
				"HW_MAX_RETRIES must be a whole number of 0 or more (0 disables retries).")
		}
		cfg.MaxRetries = n
	}
	if cfg.MaxRetries < 0 {
		diags.AddAttributeError(path.Root("max_retries"), "Invalid Max Retries", "max_retries must be 0 or more (0 disables retries).")
	}

	cfg.RequestTimeout = defaultRequestTimeout
	if s := stringSetting(m.RequestTimeout, "HW_REQUEST_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid Request Timeout",
				fmt.Sprintf("request_timeout (or HW_REQUEST_TIMEOUT) is %q; give a positive duration such as \"30s\" or \"2m\".", s))
		}
		cfg.RequestTimeout = d
	}

	if f := stringSetting(m.CACertFile, "HW_CACERT_FILE"); f != "" {
		pem, err := os.ReadFile(f)
		switch {
		case err != nil:
			diags.AddAttributeError(path.Root("cacert_file"), "Unreadable CA Bundle", fmt.Sprintf("cacert_file: %s.", err))
		case !strings.Contains(string(pem), "-----BEGIN CERTIFICATE-----"):
			diags.AddAttributeError(path.Root("cacert_file"), "Invalid CA Bundle",
				fmt.Sprintf("cacert_file %q holds no PEM certificate (-----BEGIN CERTIFICATE-----).", f))
		}
		cfg.CACertPEM = pem
	}

	if !diags.HasError() {
		for _, s := range client.Services {
			if u, err := client.ParseEndpoint(cfg.Endpoints[s]); err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
				diags.AddAttributeWarning(path.Root("endpoints").AtMapKey(string(s)), "Credentials Sent Without TLS",
					fmt.Sprintf("The %s endpoint %s uses plain http:// on a host that is not this machine, so the signed requests "+
						"and any token cross the network unencrypted. Use https://.", s, u.Redacted()))
			}
		}
	}
	return cfg, diags
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (p *hwcProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *hwcProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newIMSImagesDataSource,
		newIMSImageDataSource,
		newWorkspaceMarketImagesDataSource,
	}
}

// tflogAdapter sends the client's per-attempt lines to terraform-plugin-log.
type tflogAdapter struct{}

func (tflogAdapter) Debug(ctx context.Context, msg string, fields map[string]any) {
	// Masking rewrites the logger's field map of the context in place, so
	// concurrent requests (KooGallery batches) on one context would race;
	// SetField gives this line its own copy.
	tflog.Debug(tflog.SetField(ctx, "component", "hwc-client"), msg, fields)
}

// withSecretsMasked returns ctx with every credential masked in log lines,
// a second line of defence behind the client, which logs no header.
func (pd *providerData) withSecretsMasked(ctx context.Context) context.Context {
	if len(pd.secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, pd.secrets...)
	return tflog.MaskAllFieldValuesStrings(ctx, pd.secrets...)
}

// configureData extracts providerData in a data source's Configure.
func configureData(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil
	}
	pd, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue.", req.ProviderData))
		return nil
	}
	return pd
}
