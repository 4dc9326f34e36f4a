// Package provider implements the hwc Terraform provider on
// terraform-plugin-framework: its configuration and its data sources.
package provider

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
)

const (
	defaultCloud          = "myhuaweicloud.com"
	defaultMaxRetries     = 5
	defaultRequestTimeout = 60 * time.Second
)

// New returns the provider factory for a release version.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider { return &hwcProvider{version: version, settings: newSettings(opts)} }
}

type hwcProvider struct {
	version  string
	settings settings
	data     atomic.Pointer[providerData] // what Configure handed to the data sources, for the protocol server
}

// NewProtocolServer returns the factory of the provider's protocol 6
// server for a release version: the framework's, with the reads of the
// data sources that implement directread.Reader answered directly, unless
// HWC_READ_PATH=framework.
func NewProtocolServer(version string, opts ...Option) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &hwcProvider{version: version, settings: newSettings(opts)}
		return directread.Wrap(p, directread.Hooks{
			ProviderData: func() any {
				if pd := p.data.Load(); pd != nil {
					return pd
				}
				return nil
			},
			FrameworkOnly: p.settings.frameworkReads,
			// Stop ends what the configured client does on its own (see client.Close).
			Stop: func() {
				if pd := p.data.Load(); pd != nil && pd.client != nil {
					pd.client.Close()
				}
			},
		})
	}
}

var _ provider.Provider = (*hwcProvider)(nil)

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

	EnterpriseProjectID        types.String `tfsdk:"enterprise_project_id"`
	DefaultEnterpriseProjectID types.String `tfsdk:"default_enterprise_project_id"`

	UserName           types.String     `tfsdk:"user_name"`
	Password           types.String     `tfsdk:"password"`
	DomainName         types.String     `tfsdk:"domain_name"`
	DomainID           types.String     `tfsdk:"domain_id"`
	SharedConfigFile   types.String     `tfsdk:"shared_config_file"`
	Profile            types.String     `tfsdk:"profile"`
	AssumeRole         *assumeRoleModel `tfsdk:"assume_role"`
	AssumeRoleWithOIDC *oidcModel       `tfsdk:"assume_role_with_oidc"`
}

// providerData is what Configure hands to the data sources.
type providerData struct {
	// deferred are the errors of a configuration without a provider block,
	// which the data sources report (see Configure); client is nil then.
	deferred diag.Diagnostics
	client   *client.Client
	login    client.Login
	// loggedIn holds the outcome of the one login, at Configure or at the
	// first read.
	loginOnce sync.Once
	loginDiag diag.Diagnostics
	now       func() time.Time // the clock of min_age
	// enterpriseProject is the enterprise project an IMS query asks for
	// when its data source sets none ("" for none).
	enterpriseProject string
}

func (p *hwcProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hwc"
	resp.Version = p.version
}

func (p *hwcProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Selects Huawei Cloud images: IMS images and Workspace KooGallery images. " +
			"Every argument can also be set through the environment variable named in its description; a value in the provider " +
			"block wins, and an empty string there counts as unset. When the block sets any credential (`access_key`, " +
			"`secret_key`, `security_token`, `token`, `user_name`, `password`), the credentials of the environment are ignored.",
		Attributes: attributes(placeAttributes(), credentialAttributes(), loginAttributes(), connectionAttributes()),
		Blocks:     loginBlocks(),
	}
}

// attributes merges groups of provider attributes.
func attributes(groups ...map[string]schema.Attribute) map[string]schema.Attribute {
	all := map[string]schema.Attribute{}
	for _, g := range groups {
		maps.Copy(all, g)
	}
	return all
}

// placeAttributes returns the provider arguments of the region, project and enterprise project queried.
func placeAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"region": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Region to use, such as `cn-north-4` (lower-case letters, digits and hyphens). Required here or in `HW_REGION_NAME`. " +
				"A data source's own `region` overrides it.",
		},
		"project_id": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Project ID of `region`: letters, digits, `-` and `_`. Environment: `HW_PROJECT_ID`. When unset, the provider looks it " +
				"up through IAM (`GET /v3/projects?name={region}`) once per region and run; a failed look-up is reported to every data " +
				"source that needed it.",
		},
		"enterprise_project_id": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Enterprise project that `hwc_ims_image` and `hwc_ims_images` query when they set no " +
				"`enterprise_project_id` of their own: `0` (the default project), a project UUID, or `all_granted_eps` (every " +
				"project you may see). Environment: `HW_ENTERPRISE_PROJECT_ID`, the variable the official provider reads too.",
			Validators: []validator.String{enterpriseProjectValidator()},
		},
		"default_enterprise_project_id": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Enterprise project to query when neither the data source, `enterprise_project_id` nor " +
				"`HW_ENTERPRISE_PROJECT_ID` names one; the same values. Unset, such a query names no enterprise project. " +
				"`hwc-migrate` sets it to `all_granted_eps`, the official provider's last resort, so that a migrated configuration " +
				"keeps selecting what it did whatever the environment says.",
			Validators: []validator.String{enterpriseProjectValidator()},
		},
	}
}

// credentialAttributes returns the provider arguments of the credentials requests are signed or sent with.
func credentialAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
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
	}
}

// connectionAttributes returns the provider arguments of where and how requests are sent.
func connectionAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"cloud": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Domain the default endpoints are built on, such as `myhuaweicloud.eu` for the European cloud. Defaults to " +
				"`myhuaweicloud.com`. Environment: `HW_CLOUD`.",
		},
		"endpoints": schema.MapAttribute{
			Optional:    true,
			ElementType: types.StringType,
			MarkdownDescription: "Base URLs that replace the default endpoints, by service: `ims`, `workspace` and `iam`, such as " +
				"`{ ims = \"http://127.0.0.1:8787\" }` for the local emulator. A value may hold `{region}`, replaced by the region of " +
				"each read. Defaults: `https://ims.{region}.{cloud}`, `https://workspace.{region}.{cloud}`, " +
				"`https://iam.{region}.{cloud}`. Redirects are never followed, so an endpoint must be the API itself. `metadata` is " +
				"the ECS metadata API asked for an instance's credentials when nothing else gives any (default " +
				"`http://169.254.169.254`, environment `HW_METADATA_ENDPOINT`).",
		},
		"insecure": schema.BoolAttribute{
			Optional:            true,
			MarkdownDescription: "Skip TLS certificate verification. Defaults to `false`; prefer `cacert_file`. Environment: `HW_INSECURE`.",
		},
		"max_retries": schema.Int64Attribute{
			Optional: true,
			MarkdownDescription: "Retries after the first attempt of a request that was throttled (429), failed with a server error " +
				"(5xx but 501) or lost its connection. Defaults to `5`; `0` disables retries. Environment: `HW_MAX_RETRIES`.",
		},
		"request_timeout": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Time limit of one HTTP attempt, as a duration such as `30s` or `2m`. Defaults to `60s`. " +
				"The `timeouts` block of a data source bounds a whole read, retries included. Environment: `HW_REQUEST_TIMEOUT`.",
		},
		"cacert_file": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Path of a PEM bundle of extra certificate authorities to trust, such as a corporate proxy's. Environment: `HW_CACERT_FILE`.",
		},
	}
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
		{"enterprise_project_id", m.EnterpriseProjectID}, {"default_enterprise_project_id", m.DefaultEnterpriseProjectID},
		{"user_name", m.UserName}, {"password", m.Password}, {"domain_name", m.DomainName}, {"domain_id", m.DomainID},
		{"shared_config_file", m.SharedConfigFile}, {"profile", m.Profile},
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

	// Without a provider block, a configuration may only call the
	// provider's functions, which need no settings; OpenTofu configures the
	// provider for them all the same. What such a configuration lacks is
	// then reported by the data sources that need it, and the login waits
	// for the first of them.
	empty := emptyBlock(req.Config.Raw)
	pd, diags := p.configure(ctx, m, !empty)
	if empty && diags.HasError() {
		pd, diags = &providerData{deferred: withoutPaths(diags)}, nil
	}
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p.data.Store(pd)
	resp.DataSourceData = pd
}

// configure builds the client of a provider block and logs in, now or,
// unless logIn, at the first read.
func (p *hwcProvider) configure(ctx context.Context, m providerModel, logIn bool) (*providerData, diag.Diagnostics) {
	cfg, diags := clientConfig(m, p.version, p.settings)
	if diags.HasError() {
		return nil, diags
	}
	cfg.Logger = tflogAdapter{}
	cfg.Fields = recordFields()
	cfg.Resolver = p.settings.resolver
	c, err := client.New(cfg)
	if err != nil {
		diags.AddError("Unable to Configure the hwc Provider", err.Error())
		return nil, diags
	}
	pd := &providerData{client: c, login: cfg.Login, now: p.settings.now, enterpriseProject: enterpriseProject(m, &diags)}
	if logIn {
		diags.Append(pd.logIn(ctx)...)
	}
	if diags.HasError() {
		c.Close()
		return nil, diags
	}
	return pd, diags
}

// emptyBlock reports a provider configuration that sets nothing: no
// provider block, or an empty one.
func emptyBlock(raw tftypes.Value) bool {
	var attrs map[string]tftypes.Value
	if raw.As(&attrs) != nil {
		return false
	}
	for _, v := range attrs {
		if !v.IsNull() {
			return false
		}
	}
	return true
}

// withoutPaths are diagnostics as a data source can show them: a
// provider's attribute path means nothing there.
func withoutPaths(diags diag.Diagnostics) diag.Diagnostics {
	var out diag.Diagnostics
	for _, d := range diags {
		if d.Severity() == diag.SeverityError {
			out.AddError(d.Summary(), d.Detail())
		} else {
			out.AddWarning(d.Summary(), d.Detail())
		}
	}
	return out
}

// logIn logs in once, at Configure or at the first read: every read after
// a failure gets the same error, without asking again.
func (pd *providerData) logIn(ctx context.Context) diag.Diagnostics {
	pd.loginOnce.Do(func() {
		if err := pd.client.LogIn(ctx); err != nil {
			addLoginError(&pd.loginDiag, pd.login, err)
		}
	})
	return pd.loginDiag
}

// ready reports what stops a data source from reading: a configuration
// without a provider block that lacks a setting, or a failed login.
func (pd *providerData) ready(ctx context.Context) diag.Diagnostics {
	if pd.deferred.HasError() {
		return pd.deferred
	}
	return withoutPaths(pd.logIn(ctx))
}

// enterpriseProject is the provider's enterprise project: the block's,
// else HW_ENTERPRISE_PROJECT_ID, else default_enterprise_project_id, as the
// official provider chooses (its last resort is all_granted_eps).
func enterpriseProject(m providerModel, diags *diag.Diagnostics) string {
	eps := setting(m.EnterpriseProjectID, "HW_ENTERPRISE_PROJECT_ID")
	if eps != "" && !enterpriseProjectPattern.MatchString(eps) {
		diags.AddAttributeError(path.Root("enterprise_project_id"), "Invalid Enterprise Project",
			fmt.Sprintf("enterprise_project_id (HW_ENTERPRISE_PROJECT_ID) is %q: it must be 0, a project UUID or all_granted_eps.", eps))
	}
	if eps == "" {
		eps = m.DefaultEnterpriseProjectID.ValueString()
	}
	return eps
}

// recordTables are the field tables of the records each service's listings
// return: the client keeps only these fields, and the read-path tests
// generate hostile records with them.
var recordTables = map[client.Service][]imageField{client.IMS: imageFields, client.Workspace: marketImageFields}

// recordFields are the API fields of recordTables, for client.Config.
func recordFields() map[client.Service][]string {
	fields := map[client.Service][]string{}
	for service, table := range recordTables {
		for _, f := range table {
			fields[service] = append(fields[service], f.api)
		}
	}
	return fields
}

// setting is the value of a string argument: the provider block's when it
// is set and not empty, else its environment variable's.
func setting(v types.String, env string) string {
	if s := v.ValueString(); s != "" {
		return s
	}
	return os.Getenv(env)
}

// clientConfig applies environment fallbacks and defaults to the provider
// block and validates the result, with one attribute error for each problem.
// Each rule is checked here and nowhere else.
func clientConfig(m providerModel, version string, s settings) (client.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	login := loginConfig(m, &diags)
	cfg := client.Config{
		Region:       cmp.Or(setting(m.Region, "HW_REGION_NAME"), login.region),
		ProjectID:    setting(m.ProjectID, "HW_PROJECT_ID"),
		Login:        login.login,
		UserAgent:    "terraform-provider-hwc/" + version,
		RetryWaitMin: s.retryWaitMin,
		RetryWaitMax: s.retryWaitMax,
	}
	if cfg.ProjectID == "" && cfg.Region == login.region {
		cfg.ProjectID = login.project // a profile's project belongs to the profile's region
	}
	switch {
	case cfg.Region == "":
		diags.AddAttributeError(path.Root("region"), "Missing Region",
			"Set region in the provider block or the HW_REGION_NAME environment variable, for example \"cn-north-4\".")
	case client.CheckRegion(cfg.Region) != nil:
		diags.AddAttributeError(path.Root("region"), "Invalid Region", "region (HW_REGION_NAME): "+client.CheckRegion(cfg.Region).Error()+".")
	}
	if cfg.ProjectID != "" {
		if err := client.CheckProjectID(cfg.ProjectID); err != nil {
			diags.AddAttributeError(path.Root("project_id"), "Invalid Project ID", "project_id (HW_PROJECT_ID): "+err.Error()+".")
		}
	}
	setEndpoints(&cfg, m, &diags)
	setTransport(&cfg, m, &diags)
	return cfg, diags
}

// setEndpoints builds the default endpoints on cloud and replaces those the
// block sets.
func setEndpoints(cfg *client.Config, m providerModel, diags *diag.Diagnostics) {
	cloud := setting(m.Cloud, "HW_CLOUD")
	if cloud == "" {
		cloud = defaultCloud
	}
	if err := client.CheckCloud(cloud); err != nil {
		diags.AddAttributeError(path.Root("cloud"), "Invalid Cloud", "cloud (HW_CLOUD): "+err.Error()+".")
	}
	cfg.Endpoints = map[client.Service]string{}
	for _, s := range client.Services {
		cfg.Endpoints[s] = fmt.Sprintf("https://%s.%s.%s", s, client.RegionPlaceholder, cloud)
	}
	for key, v := range m.Endpoints.Elements() {
		if key == "metadata" {
			continue // read with the login (metadataEndpoint)
		}
		p := path.Root("endpoints").AtMapKey(key)
		s, ok := v.(types.String)
		service := client.Service(key)
		if _, known := cfg.Endpoints[service]; !known {
			diags.AddAttributeError(p, "Unknown Endpoint Key",
				fmt.Sprintf("%q is not a service of this provider. The allowed keys are ims, workspace, iam and metadata.", key))
			continue
		}
		if !ok || s.IsNull() {
			diags.AddAttributeError(p, "Invalid Endpoint", "An endpoint must be a URL such as https://ims.cn-north-4.myhuaweicloud.com.")
			continue
		}
		if _, err := client.ParseEndpoint(s.ValueString()); err != nil {
			diags.AddAttributeError(p, "Invalid Endpoint URL",
				fmt.Sprintf("endpoints[%q]: %s. Give a base URL such as https://%s.{region}.myhuaweicloud.com or http://127.0.0.1:8787.", key, err, key))
			continue
		}
		cfg.Endpoints[service] = s.ValueString()
		if u, _ := client.ParseEndpoint(s.ValueString()); u.Scheme == "http" && !isLoopback(u.Hostname()) {
			diags.AddAttributeWarning(p, "Credentials Sent Without TLS",
				fmt.Sprintf("The %s endpoint %s uses plain http:// on a host that is not this machine, so the signed requests "+
					"and any token cross the network unencrypted. Use https://.", key, u.Redacted()))
		}
	}
	warnMixedEndpoints(cfg.Endpoints, cfg.Region, diags)
}

// warnMixedEndpoints warns when some endpoints are on this machine (the
// emulator, most likely) and others on the cloud: the block's credentials
// go to both, and a read that needs the cloud one (the project look-up
// through IAM, say) fails there in ways that hide the cause.
func warnMixedEndpoints(endpoints map[client.Service]string, region string, diags *diag.Diagnostics) {
	if client.CheckRegion(region) != nil {
		return // the region's own error says what to fix first
	}
	var local, remote []string
	for _, s := range client.Services {
		u, err := client.ParseEndpoint(strings.ReplaceAll(endpoints[s], client.RegionPlaceholder, region))
		switch {
		case err != nil:
		case isLoopback(u.Hostname()):
			local = append(local, string(s))
		default:
			remote = append(remote, fmt.Sprintf("%s (%s)", s, u.Host))
		}
	}
	if len(local) > 0 && len(remote) > 0 {
		diags.AddAttributeWarning(path.Root("endpoints"), "Endpoints on This Machine and on the Cloud",
			fmt.Sprintf("endpoints points %s at this machine, but %s at the cloud: the credentials of this provider block go to "+
				"both. With the emulator, point every service at it, iam included (it answers the project look-up); to use the "+
				"cloud for a service on purpose, set project_id, or ignore this warning.", strings.Join(local, " and "), strings.Join(remote, " and ")))
	}
}

// setTransport reads insecure, max_retries, request_timeout and cacert_file.
func setTransport(cfg *client.Config, m providerModel, diags *diag.Diagnostics) {
	insecure := envOr(m.Insecure.IsNull(), strconv.FormatBool(m.Insecure.ValueBool()), "HW_INSECURE", "false")
	b, err := strconv.ParseBool(insecure)
	if err != nil {
		diags.AddAttributeError(path.Root("insecure"), "Invalid Insecure", fmt.Sprintf("insecure (HW_INSECURE) is %q; give true or false.", insecure))
	}
	cfg.Insecure = b
	if cfg.Insecure {
		diags.AddAttributeWarning(path.Root("insecure"), "TLS Verification Disabled",
			"insecure = true: the provider does not verify the certificates of the endpoints, so anyone on the network path "+
				"can read and change its traffic. Prefer cacert_file to trust a private certificate authority.")
	}

	retries := envOr(m.MaxRetries.IsNull(), strconv.FormatInt(m.MaxRetries.ValueInt64(), 10), "HW_MAX_RETRIES", strconv.Itoa(defaultMaxRetries))
	if n, err := strconv.Atoi(retries); err != nil || n < 0 {
		diags.AddAttributeError(path.Root("max_retries"), "Invalid Max Retries",
			fmt.Sprintf("max_retries (HW_MAX_RETRIES) is %q; give a whole number of 0 or more (0 disables retries).", retries))
	} else {
		cfg.MaxRetries = n
	}

	cfg.RequestTimeout = defaultRequestTimeout
	if s := setting(m.RequestTimeout, "HW_REQUEST_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid Request Timeout",
				fmt.Sprintf("request_timeout (HW_REQUEST_TIMEOUT) is %q; give a positive duration such as \"30s\" or \"2m\".", s))
		}
		cfg.RequestTimeout = d
	}

	if f := setting(m.CACertFile, "HW_CACERT_FILE"); f != "" {
		pem, err := os.ReadFile(f)
		switch {
		case err != nil:
			diags.AddAttributeError(path.Root("cacert_file"), "Unreadable CA Bundle", fmt.Sprintf("cacert_file (HW_CACERT_FILE): %s.", err))
		case !strings.Contains(string(pem), "-----BEGIN CERTIFICATE-----"):
			diags.AddAttributeError(path.Root("cacert_file"), "Invalid CA Bundle",
				fmt.Sprintf("cacert_file (HW_CACERT_FILE) %q holds no PEM certificate (-----BEGIN CERTIFICATE-----).", f))
		}
		cfg.CACertPEM = pem
	}
}

// envOr returns the block's value as text unless unset, then the
// environment variable's, then def.
func envOr(unset bool, value, env, def string) string {
	if !unset {
		return value
	}
	if v := os.Getenv(env); v != "" {
		return v
	}
	return def
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
		newIMSImageIDsDataSource,
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
