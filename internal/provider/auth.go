package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

// defaultMetadataEndpoint is the ECS metadata API of every instance.
const defaultMetadataEndpoint = "http://169.254.169.254"

// assumeRoleModel is the assume_role block.
type assumeRoleModel struct {
	AgencyName types.String `tfsdk:"agency_name"`
	DomainName types.String `tfsdk:"domain_name"`
	DomainID   types.String `tfsdk:"domain_id"`
	Duration   types.Int64  `tfsdk:"duration"`
}

// oidcModel is the assume_role_with_oidc block.
type oidcModel struct {
	AgencyName  types.String `tfsdk:"agency_name"`
	DomainID    types.String `tfsdk:"domain_id"`
	IdpID       types.String `tfsdk:"idp_id"`
	IDToken     types.String `tfsdk:"id_token"`
	IDTokenFile types.String `tfsdk:"id_token_file"`
	Duration    types.Int64  `tfsdk:"duration"`
}

// loginAttributes returns the provider arguments of the other ways to log in.
func loginAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"user_name": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "IAM user name: with `password` and `domain_name` (or `domain_id`), the provider exchanges the password " +
				"for an IAM token (`POST /v3/auth/tokens`) scoped to the project of `region`. Environment: `HW_USER_NAME`.",
		},
		"password": schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: "Password of `user_name`. Environment: `HW_USER_PASSWORD`.",
		},
		"domain_name": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Account (domain) name of `user_name`. Environment: `HW_DOMAIN_NAME`.",
		},
		"domain_id": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Account (domain) ID of `user_name`, instead of `domain_name`. Environment: `HW_DOMAIN_ID`.",
		},
		"shared_config_file": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Path of a KooCLI configuration file whose profile supplies the credentials, region, project and " +
				"agency that neither this block nor the environment sets. Setting `profile` alone reads `~/.hcloud/config.json` " +
				"(`%USERPROFILE%\\.hcloud\\config.json` on Windows). Environment: `HW_SHARED_CONFIG_FILE`.",
		},
		"profile": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Name of the KooCLI profile to use; defaults to the file's `current` profile. Environment: `HW_PROFILE`.",
		},
	}
}

// loginBlocks returns the provider's blocks of agencies and OIDC federation.
func loginBlocks() map[string]schema.Block {
	duration := schema.Int64Attribute{
		Optional:            true,
		MarkdownDescription: "How long the temporary keys last, in seconds: 900 to 43200. Unset, IAM's default (one hour). Environment: `HW_ASSUME_ROLE_DURATION`.",
	}
	return map[string]schema.Block{
		"assume_role": schema.SingleNestedBlock{
			MarkdownDescription: "Assume an IAM agency: the credentials the provider found (keys, token, password, profile or ECS " +
				"metadata) are exchanged for the agency's temporary keys (`POST /v3.0/OS-CREDENTIAL/securitytokens`), renewed five " +
				"minutes before they expire.",
			Attributes: map[string]schema.Attribute{
				"agency_name": schema.StringAttribute{Optional: true,
					MarkdownDescription: "Name of the agency. Required in this block. Environment: `HW_ASSUME_ROLE_AGENCY_NAME`."},
				"domain_name": schema.StringAttribute{Optional: true,
					MarkdownDescription: "Name of the account that created the agency; set it or `domain_id`. Environment: `HW_ASSUME_ROLE_DOMAIN_NAME`."},
				"domain_id": schema.StringAttribute{Optional: true,
					MarkdownDescription: "ID of the account that created the agency. Environment: `HW_ASSUME_ROLE_DOMAIN_ID`."},
				"duration": duration,
			},
		},
		"assume_role_with_oidc": schema.SingleNestedBlock{
			MarkdownDescription: "Log in with an OpenID Connect id token, such as the one GitHub Actions or GitLab CI issues to a job: " +
				"IAM's identity provider `idp_id` exchanges it for temporary keys, so that no secret is stored anywhere. With " +
				"`agency_name`, those keys then assume that agency.",
			Attributes: map[string]schema.Attribute{
				"idp_id": schema.StringAttribute{Optional: true,
					MarkdownDescription: "ID of the identity provider configured in IAM. Required in this block. Environment: `HW_ASSUME_ROLE_IDP_ID`."},
				"id_token": schema.StringAttribute{Optional: true, Sensitive: true,
					MarkdownDescription: "The id token (a JWT). Set it or `id_token_file`. Environment: `HW_ASSUME_ROLE_ID_TOKEN`."},
				"id_token_file": schema.StringAttribute{Optional: true,
					MarkdownDescription: "Path of a file holding the id token, read each time the provider is configured (CI systems " +
						"rewrite it); a trailing newline is ignored. Environment: `HW_ASSUME_ROLE_ID_TOKEN_FILE`."},
				"agency_name": schema.StringAttribute{Optional: true,
					MarkdownDescription: "Agency the federated keys assume. Environment: `HW_ASSUME_ROLE_AGENCY_NAME`."},
				"domain_id": schema.StringAttribute{Optional: true,
					MarkdownDescription: "ID of the account of `agency_name`; required with it. Environment: `HW_ASSUME_ROLE_DOMAIN_ID`."},
				"duration": duration,
			},
		},
	}
}

// loginSettings are the settings of the login, after the environment and
// the profile.
type loginSettings struct {
	login           client.Login
	region, project string // from the profile, when the block and the environment set none
}

// keysFrom says where the explicit credentials come from, for messages.
type keysFrom struct {
	names map[string]string // attribute → how to name it
	where string
}

// explicitKeys takes every credential from the provider block when it sets
// any, else every one from the environment.
func explicitKeys(m providerModel) (client.Login, *client.PasswordLogin, keysFrom) {
	attrs := []string{"access_key", "secret_key", "security_token", "token", "user_name", "password"}
	envs := []string{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN", "HW_AUTH_TOKEN", "HW_USER_NAME", "HW_USER_PASSWORD"}
	values := []string{m.AccessKey.ValueString(), m.SecretKey.ValueString(), m.SecurityToken.ValueString(), m.Token.ValueString(),
		m.UserName.ValueString(), m.Password.ValueString()}
	from := keysFrom{names: map[string]string{}, where: "the provider block sets credentials, so those of the environment (" +
		strings.Join(envs, ", ") + ") are ignored"}
	for i := range attrs {
		from.names[attrs[i]] = attrs[i]
	}
	if strings.Join(values, "") == "" {
		from.where = "credentials come from the environment, as the provider block sets none"
		for i := range envs {
			values[i] = os.Getenv(envs[i])
			from.names[attrs[i]] = envs[i]
		}
	}
	l := client.Login{AccessKey: values[0], SecretKey: values[1], SecurityToken: values[2], Token: values[3]}
	var pw *client.PasswordLogin
	if values[4] != "" || values[5] != "" {
		pw = &client.PasswordLogin{User: values[4], Password: values[5],
			DomainName: setting(m.DomainName, "HW_DOMAIN_NAME"), DomainID: setting(m.DomainID, "HW_DOMAIN_ID")}
	}
	return l, pw, from
}

// loginConfig resolves how the provider logs in: explicit credentials,
// else a profile's, else the ECS metadata API; OIDC federation instead of
// them when configured; an agency after them when one is named.
func loginConfig(m providerModel, diags *diag.Diagnostics) loginSettings {
	l, pw, from := explicitKeys(m)
	checkKeys(l, pw, from, diags)
	var s loginSettings
	prof, ok := readProfile(m, diags)
	if ok && l.AccessKey == "" && l.Token == "" && pw == nil {
		if prof.AccessKeyID == "" || prof.SecretAccessKey == "" {
			diags.AddAttributeError(path.Root("profile"), "Incomplete Profile",
				fmt.Sprintf("The KooCLI profile %q has no accessKeyId and secretAccessKey, and neither the provider block nor the "+
					"environment sets credentials. Log in again with KooCLI (hcloud configure set), or choose another profile.", prof.Name))
		}
		l.AccessKey, l.SecretKey, l.SecurityToken = prof.AccessKeyID, prof.SecretAccessKey, prof.SecurityToken
	}
	if ok {
		s.region, s.project = prof.Region, prof.ProjectID
	}
	l.Password = pw
	l.OIDC, l.Agency = oidcConfig(m, diags)
	if l.Agency == nil {
		l.Agency = agencyConfig(m, diags)
	} else if m.AssumeRole != nil {
		diags.AddAttributeError(path.Root("assume_role"), "Conflicting Agencies",
			"assume_role_with_oidc names an agency (agency_name), and so does assume_role: name the agency in one of them.")
	}
	if l.Agency == nil && ok && prof.AgencyName != "" {
		l.Agency = &client.AgencyLogin{Name: prof.AgencyName, DomainName: prof.AgencyDomainName, DomainID: prof.AgencyDomainID}
	}
	if l.OIDC == nil && l.AccessKey == "" && l.Token == "" && pw == nil {
		l.MetadataEndpoint = metadataEndpoint(m, diags)
	}
	s.login = l
	return s
}

// checkKeys checks that explicit credentials fit together.
func checkKeys(l client.Login, pw *client.PasswordLogin, from keysFrom, diags *diag.Diagnostics) {
	n := from.names
	switch {
	case l.AccessKey != "" && l.Token != "":
		diags.AddAttributeError(path.Root("token"), "Conflicting Credentials",
			fmt.Sprintf("%s and %s cannot be used together (%s): keep one way of authenticating.", n["token"], n["access_key"], from.where))
	case l.AccessKey != "" && l.SecretKey == "":
		diags.AddAttributeError(path.Root("secret_key"), "Missing Secret Key",
			fmt.Sprintf("%s is set, so %s is required too (%s).", n["access_key"], n["secret_key"], from.where))
	case l.AccessKey == "" && l.SecretKey != "":
		diags.AddAttributeError(path.Root("access_key"), "Missing Access Key",
			fmt.Sprintf("%s is set, so %s is required too (%s).", n["secret_key"], n["access_key"], from.where))
	case l.SecurityToken != "" && l.AccessKey == "":
		diags.AddAttributeError(path.Root("security_token"), "Security Token Without Access Key",
			fmt.Sprintf("%s belongs to a temporary %s and %s: set those too, or remove it (%s).", n["security_token"], n["access_key"], n["secret_key"], from.where))
	}
	if pw == nil {
		return
	}
	switch {
	case pw.User == "" || pw.Password == "":
		diags.AddAttributeError(path.Root("password"), "Incomplete Password Login",
			fmt.Sprintf("%s and %s go together (%s): set both, with domain_name (HW_DOMAIN_NAME).", n["user_name"], n["password"], from.where))
	case pw.DomainName == "" && pw.DomainID == "":
		diags.AddAttributeError(path.Root("domain_name"), "Missing Domain",
			"A password login needs the account of user_name: set domain_name (HW_DOMAIN_NAME) or domain_id (HW_DOMAIN_ID).")
	}
}

// durationSetting is a duration of the blocks, else HW_ASSUME_ROLE_DURATION;
// 0 when unset.
func durationSetting(v types.Int64, p path.Path, diags *diag.Diagnostics) int {
	text := envOr(v.IsNull(), strconv.FormatInt(v.ValueInt64(), 10), "HW_ASSUME_ROLE_DURATION", "")
	if text == "" {
		return 0
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 900 || n > 43200 {
		diags.AddAttributeError(p, "Invalid Duration",
			fmt.Sprintf("duration (HW_ASSUME_ROLE_DURATION) is %q: give a whole number of seconds from 900 to 43200.", text))
	}
	return n
}

// agencyConfig reads assume_role, or the HW_ASSUME_ROLE_* variables alone.
func agencyConfig(m providerModel, diags *diag.Diagnostics) *client.AgencyLogin {
	b := m.AssumeRole
	if b == nil {
		if os.Getenv("HW_ASSUME_ROLE_AGENCY_NAME") == "" {
			return nil
		}
		b = &assumeRoleModel{Duration: types.Int64Null()}
	}
	p := path.Root("assume_role")
	a := &client.AgencyLogin{
		Name:       setting(b.AgencyName, "HW_ASSUME_ROLE_AGENCY_NAME"),
		DomainName: setting(b.DomainName, "HW_ASSUME_ROLE_DOMAIN_NAME"),
		DomainID:   setting(b.DomainID, "HW_ASSUME_ROLE_DOMAIN_ID"),
		Duration:   durationSetting(b.Duration, p.AtName("duration"), diags),
	}
	if a.Name == "" {
		diags.AddAttributeError(p.AtName("agency_name"), "Missing Agency Name",
			"assume_role needs agency_name (HW_ASSUME_ROLE_AGENCY_NAME): the name of the agency to assume.")
	}
	if a.DomainName == "" && a.DomainID == "" {
		diags.AddAttributeError(p.AtName("domain_name"), "Missing Agency Account",
			"assume_role needs the account that created the agency: set domain_name (HW_ASSUME_ROLE_DOMAIN_NAME) or domain_id (HW_ASSUME_ROLE_DOMAIN_ID).")
	}
	return a
}

// oidcConfig reads assume_role_with_oidc, or HW_ASSUME_ROLE_IDP_ID and its
// companions alone, with the agency the federated keys assume.
func oidcConfig(m providerModel, diags *diag.Diagnostics) (*client.OIDCLogin, *client.AgencyLogin) {
	b := m.AssumeRoleWithOIDC
	if b == nil {
		if os.Getenv("HW_ASSUME_ROLE_IDP_ID") == "" {
			return nil, nil
		}
		b = &oidcModel{Duration: types.Int64Null()}
	}
	p := path.Root("assume_role_with_oidc")
	o := &client.OIDCLogin{IdpID: setting(b.IdpID, "HW_ASSUME_ROLE_IDP_ID"), IDToken: setting(b.IDToken, "HW_ASSUME_ROLE_ID_TOKEN"),
		Duration: durationSetting(b.Duration, p.AtName("duration"), diags)}
	if o.IdpID == "" {
		diags.AddAttributeError(p.AtName("idp_id"), "Missing Identity Provider",
			"assume_role_with_oidc needs idp_id (HW_ASSUME_ROLE_IDP_ID): the ID of the identity provider configured in IAM.")
	}
	file := setting(b.IDTokenFile, "HW_ASSUME_ROLE_ID_TOKEN_FILE")
	if o.IDToken == "" && file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			diags.AddAttributeError(p.AtName("id_token_file"), "Unreadable Id Token File",
				fmt.Sprintf("id_token_file (HW_ASSUME_ROLE_ID_TOKEN_FILE): %s.", err))
			return o, nil
		}
		o.IDToken = strings.TrimRight(string(data), "\r\n")
	}
	if o.IDToken == "" {
		diags.AddAttributeError(p.AtName("id_token"), "Missing Id Token",
			"assume_role_with_oidc needs the id token: set id_token (HW_ASSUME_ROLE_ID_TOKEN) or id_token_file "+
				"(HW_ASSUME_ROLE_ID_TOKEN_FILE), such as the token file your CI system writes for the job.")
	}
	name := setting(b.AgencyName, "HW_ASSUME_ROLE_AGENCY_NAME")
	if name == "" {
		return o, nil
	}
	a := &client.AgencyLogin{Name: name, DomainID: setting(b.DomainID, "HW_ASSUME_ROLE_DOMAIN_ID"), Duration: o.Duration}
	if a.DomainID == "" {
		diags.AddAttributeError(p.AtName("domain_id"), "Missing Agency Account",
			"assume_role_with_oidc names agency_name, so it needs domain_id (HW_ASSUME_ROLE_DOMAIN_ID): the ID of the account of the agency.")
	}
	return o, a
}

// metadataEndpoint is endpoints.metadata, else HW_METADATA_ENDPOINT, else
// the ECS metadata API.
func metadataEndpoint(m providerModel, diags *diag.Diagnostics) string {
	raw := os.Getenv("HW_METADATA_ENDPOINT")
	if v, ok := m.Endpoints.Elements()["metadata"].(types.String); ok && v.ValueString() != "" {
		raw = v.ValueString()
	}
	if raw == "" {
		return defaultMetadataEndpoint
	}
	u, err := client.ParseEndpoint(raw)
	if err != nil {
		diags.AddAttributeError(path.Root("endpoints").AtMapKey("metadata"), "Invalid Endpoint URL",
			fmt.Sprintf("The metadata endpoint (HW_METADATA_ENDPOINT): %s. Give a base URL such as %s.", err, defaultMetadataEndpoint))
		return ""
	}
	return u.String()
}

// koocliConfig is KooCLI's configuration file; unknown fields are ignored.
type koocliConfig struct {
	Current  string          `json:"current"`
	Profiles []koocliProfile `json:"profiles"`
}

type koocliProfile struct {
	Name             string `json:"name"`
	Mode             string `json:"mode"`
	AccessKeyID      string `json:"accessKeyId"`
	SecretAccessKey  string `json:"secretAccessKey"`
	SecurityToken    string `json:"securityToken"`
	Region           string `json:"region"`
	ProjectID        string `json:"projectId"`
	AgencyName       string `json:"agencyName"`
	AgencyDomainName string `json:"agencyDomainName"`
	AgencyDomainID   string `json:"agencyDomainId"`
}

// readProfile reads the KooCLI profile when shared_config_file or profile
// (or their variables) is set; it reports whether one was read.
func readProfile(m providerModel, diags *diag.Diagnostics) (koocliProfile, bool) {
	file, name := setting(m.SharedConfigFile, "HW_SHARED_CONFIG_FILE"), setting(m.Profile, "HW_PROFILE")
	if file == "" && name == "" {
		return koocliProfile{}, false
	}
	if file == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			diags.AddAttributeError(path.Root("shared_config_file"), "Unreadable KooCLI Configuration",
				fmt.Sprintf("profile is set, but the home directory holding .hcloud/config.json is unknown (%s): set shared_config_file.", err))
			return koocliProfile{}, false
		}
		file = filepath.Join(home, ".hcloud", "config.json")
	} else if rest, ok := strings.CutPrefix(file, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			file = filepath.Join(home, rest)
		}
	}
	var cfg koocliConfig
	data, err := os.ReadFile(file)
	if err == nil {
		err = json.Unmarshal(data, &cfg)
	}
	if err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			err = fmt.Errorf("%s is not KooCLI's JSON: %w", file, err)
		}
		diags.AddAttributeError(path.Root("shared_config_file"), "Unreadable KooCLI Configuration",
			fmt.Sprintf("shared_config_file (HW_SHARED_CONFIG_FILE): %s.", err))
		return koocliProfile{}, false
	}
	if name == "" {
		name = cfg.Current
	}
	var names []string
	for _, p := range cfg.Profiles {
		if p.Name == name {
			return p, true
		}
		names = append(names, strconv.Quote(p.Name))
	}
	diags.AddAttributeError(path.Root("profile"), "Unknown Profile",
		fmt.Sprintf("%s holds no profile named %q (profile, HW_PROFILE, else the file's current). Its profiles: %s.",
			file, name, strings.Join(names, ", ")))
	return koocliProfile{}, false
}
