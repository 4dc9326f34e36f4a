// Command hwc-emulator serves a local emulator of the Huawei Cloud IMS,
// Workspace and IAM APIs that terraform-provider-hwc calls, so the provider
// can be tried offline and tested in CI.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "hwc-emulator:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	listen, catalogFile, regions, projectID    string
	accessKey, secretKey, securityToken, token string
	agency                                     emulator.Agency
	idp                                        emulator.IdentityProvider
	user                                       emulator.User
	urlFile, printBlock                        string
	dump                                       bool
	latency, credentialTTL                     time.Duration
	pageCap                                    int
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.listen, "listen", "127.0.0.1:8787", "address to listen on, such as 127.0.0.1:0 for any free port; keep it on loopback unless you mean to share it")
	flag.StringVar(&o.catalogFile, "catalog", "", "JSON catalog file to serve instead of the embedded one (see -dump-catalog and the emulator guide)")
	flag.BoolVar(&o.dump, "dump-catalog", false, "print the embedded catalog as JSON and exit")
	flag.StringVar(&o.regions, "regions", emulator.DefaultRegion+",ap-southeast-3,eu-west-101", "comma-separated regions the account has a project in; the first is the provider's default, the others serve catalogs of their own")
	flag.StringVar(&o.projectID, "project-id", emulator.DefaultProjectID, "project id of the first region (the others get ids derived from their names)")
	flag.StringVar(&o.accessKey, "access-key", emulator.DefaultAccessKey, "access key accepted for SDK-HMAC-SHA256 signatures")
	flag.StringVar(&o.secretKey, "secret-key", emulator.DefaultSecretKey, "secret key of -access-key")
	flag.StringVar(&o.securityToken, "security-token", "", "when set, -access-key is a temporary credential and requests must carry this X-Security-Token")
	flag.StringVar(&o.token, "token", emulator.DefaultToken, "X-Auth-Token accepted")
	flag.StringVar(&o.agency.Name, "agency-name", emulator.DefaultAgencyName, "agency that accepted credentials may assume (assume_role)")
	flag.StringVar(&o.agency.DomainName, "agency-domain-name", emulator.DefaultDomainName, "name of the account of -agency-name, and of -user-name")
	flag.StringVar(&o.agency.DomainID, "agency-domain-id", emulator.DefaultDomainID, "ID of the account of -agency-name, and of -user-name")
	flag.StringVar(&o.idp.ID, "idp-id", emulator.DefaultIdpID, "IAM identity provider that federates -id-token (assume_role_with_oidc)")
	flag.StringVar(&o.idp.IDToken, "id-token", emulator.DefaultIDToken, "the id token -idp-id accepts")
	flag.StringVar(&o.user.Name, "user-name", emulator.DefaultUserName, "IAM user who may log in with -password")
	flag.StringVar(&o.user.Password, "password", emulator.DefaultUserPassword, "password of -user-name")
	flag.DurationVar(&o.credentialTTL, "credential-ttl", 0, "how long issued temporary keys and tokens last, whatever duration is asked for (default: the duration asked for, else 1h)")
	flag.DurationVar(&o.latency, "latency", 0, "delay added to every answer, such as 40ms")
	flag.IntVar(&o.pageCap, "page-cap", 0, "when set, answer at most this many IMS images a page whatever limit asks for, as a gateway that caps pages would")
	flag.StringVar(&o.urlFile, "url-file", "", "write the base URL to this file once listening, so scripts can wait for it")
	flag.StringVar(&o.printBlock, "print-provider-block", "", "print the provider block for an emulator at this base URL and exit")
	flag.Parse()
	return o
}

func run() error {
	o := parseFlags()
	var catalog *emulator.Catalog
	if o.catalogFile != "" {
		c, err := emulator.LoadCatalog(o.catalogFile)
		if err != nil {
			return err
		}
		catalog = c
	}
	names := strings.Split(o.regions, ",")
	o.user.DomainName, o.user.DomainID = o.agency.DomainName, o.agency.DomainID
	identities := emulator.Identities{Region: names[0],
		Credential: emulator.Credential{AccessKey: o.accessKey, SecretKey: o.secretKey, SecurityToken: o.securityToken},
		Token:      o.token, Agency: o.agency, IdP: o.idp, User: o.user}
	if o.printBlock != "" {
		fmt.Print(emulator.ProviderBlocks(o.printBlock, identities)[0].HCL)
		return nil
	}
	if o.dump {
		if catalog == nil {
			catalog = emulator.DefaultCatalog()
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(catalog)
	}

	projects, catalogs := emulator.Regions(names, o.projectID, catalog)
	srv := emulator.New(emulator.Options{
		Projects:         projects,
		RegionCatalogs:   catalogs,
		Credentials:      []emulator.Credential{identities.Credential},
		Tokens:           []string{o.token},
		Catalog:          catalog,
		Latency:          o.latency,
		PageCap:          o.pageCap,
		Agency:           &o.agency,
		IdentityProvider: &o.idp,
		User:             &o.user,
		CredentialTTL:    o.credentialTTL,
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	base, err := srv.Start(ctx, o.listen)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w. Another hwc-emulator may still be running (stop it), or pass -listen 127.0.0.1:0 to take any free port and -url-file to learn which", err)
	}
	if err != nil {
		return err
	}
	if o.urlFile != "" {
		if err := writeAtomically(o.urlFile, base+"\n"); err != nil {
			return err
		}
	}
	printStartUp(base, identities)
	<-ctx.Done()
	return nil
}

// printStartUp says where the emulator listens, and a provider block for
// each way to log in to it.
func printStartUp(base string, identities emulator.Identities) {
	blocks := emulator.ProviderBlocks(base, identities)
	fmt.Printf("hwc-emulator listening on %s (IMS, Workspace, IAM and the ECS metadata API)\n\nUse it from Terraform with this provider block:\n\n%s\n",
		base, blocks[0].HCL)
	fmt.Println("Or log in another way, as your pipelines do:")
	for _, b := range blocks[1:] {
		fmt.Printf("\n# %s\n%s", b.Mode, b.HCL)
	}
	fmt.Println("\nStop it with Ctrl-C.")
}

// writeAtomically writes a file that readers see whole or not at all.
func writeAtomically(path, content string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
