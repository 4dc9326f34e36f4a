package emulator

import (
	"fmt"
	"strings"
)

// ProviderBlock is a provider "hwc" block that logs in to an emulator one
// way; hwc-emulator prints one for each way, and a test plans each as
// printed.
type ProviderBlock struct {
	Mode string // such as "access keys" or "agency"
	HCL  string
}

// Identities are what a running emulator accepts, for its provider blocks.
type Identities struct {
	Region     string
	Credential Credential
	Token      string
	Agency     Agency
	IdP        IdentityProvider
	User       User
}

// ProviderBlocks returns a provider block for each way to log in to the
// emulator at base.
func ProviderBlocks(base string, id Identities) []ProviderBlock {
	endpoints := fmt.Sprintf("  endpoints = {\n    ims       = %q\n    workspace = %q\n    iam       = %q\n  }\n", base, base, base)
	keys := fmt.Sprintf("  access_key = %q\n  secret_key = %q\n", id.Credential.AccessKey, id.Credential.SecretKey)
	if id.Credential.SecurityToken != "" {
		keys += fmt.Sprintf("  security_token = %q\n", id.Credential.SecurityToken)
	}
	block := func(mode string, lines ...string) ProviderBlock {
		return ProviderBlock{Mode: mode, HCL: fmt.Sprintf("provider \"hwc\" {\n  region = %q\n%s%s}\n", id.Region, strings.Join(lines, ""), endpoints)}
	}
	blocks := []ProviderBlock{
		block("access keys", keys),
		block("IAM token", fmt.Sprintf("  token = %q\n", id.Token)),
		block("password", fmt.Sprintf("  user_name   = %q\n  password    = %q\n  domain_name = %q\n", id.User.Name, id.User.Password, id.User.DomainName)),
		block("agency, assumed with the access keys", keys,
			fmt.Sprintf("  assume_role {\n    agency_name = %q\n    domain_name = %q\n  }\n", id.Agency.Name, id.Agency.DomainName)),
		block("OIDC federation (a CI job's id token)",
			fmt.Sprintf("  assume_role_with_oidc {\n    idp_id   = %q\n    id_token = %q\n  }\n", id.IdP.ID, id.IdP.IDToken)),
		{Mode: "ECS instance credentials (the metadata API)", HCL: fmt.Sprintf(
			"provider \"hwc\" {\n  region = %q\n  endpoints = {\n    ims       = %q\n    workspace = %q\n    iam       = %q\n    metadata  = %q\n  }\n}\n",
			id.Region, base, base, base, base)},
	}
	for i := range blocks {
		blocks[i].HCL = alignEquals(blocks[i].HCL)
	}
	return blocks
}

// alignEquals lays out HCL as terraform fmt does: the "=" of consecutive
// one-line arguments at the same indentation in a column, two spaces of
// indentation a level.
func alignEquals(hcl string) string {
	lines := strings.Split(strings.TrimSuffix(hcl, "\n"), "\n")
	depth := 0
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
		if strings.HasPrefix(lines[i], "}") {
			depth--
		}
		lines[i] = strings.Repeat("  ", depth) + lines[i]
		if strings.HasSuffix(lines[i], "{") {
			depth++
		}
	}
	oneLine := func(l string) bool { return strings.Contains(l, " = ") && !strings.HasSuffix(l, "{") }
	for start := 0; start < len(lines); {
		end := start
		indent := len(lines[start]) - len(strings.TrimLeft(lines[start], " "))
		width := 0
		for ; end < len(lines) && oneLine(lines[end]) && len(lines[end])-len(strings.TrimLeft(lines[end], " ")) == indent; end++ {
			name, _, _ := strings.Cut(strings.TrimSpace(lines[end]), " = ")
			width = max(width, len(strings.TrimSpace(name)))
		}
		for j := start; j < end; j++ {
			name, value, _ := strings.Cut(strings.TrimSpace(lines[j]), " = ")
			lines[j] = fmt.Sprintf("%s%-*s = %s", strings.Repeat(" ", indent), width, strings.TrimSpace(name), strings.TrimSpace(value))
		}
		start = max(end, start+1)
	}
	return strings.Join(lines, "\n") + "\n"
}
