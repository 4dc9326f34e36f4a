// Command hwc-emulator serves a local emulator of the Huawei Cloud IMS,
// Workspace and IAM APIs that terraform-provider-hwc calls, so the provider
// can be tried offline and tested in CI.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "hwc-emulator:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		listen        = flag.String("listen", "127.0.0.1:8787", "address to listen on; keep it on loopback unless you mean to share it")
		catalogFile   = flag.String("catalog", "", "JSON catalog file to serve instead of the embedded one (see -dump-catalog)")
		dump          = flag.Bool("dump-catalog", false, "print the embedded catalog as JSON and exit")
		regions       = flag.String("regions", emulator.DefaultRegion+",ap-southeast-3,eu-west-101", "comma-separated regions the account has a project in; the first is the provider's default, the others serve catalogs of their own")
		projectID     = flag.String("project-id", emulator.DefaultProjectID, "project id of the first region (the others get ids derived from their names)")
		accessKey     = flag.String("access-key", emulator.DefaultAccessKey, "access key accepted for SDK-HMAC-SHA256 signatures")
		secretKey     = flag.String("secret-key", emulator.DefaultSecretKey, "secret key of -access-key")
		securityToken = flag.String("security-token", "", "when set, -access-key is a temporary credential and requests must carry this X-Security-Token")
		token         = flag.String("token", emulator.DefaultToken, "X-Auth-Token accepted")
		latency       = flag.Duration("latency", 0, "delay added to every answer, such as 40ms")
		urlFile       = flag.String("url-file", "", "write the base URL to this file once listening (for scripts)")
	)
	flag.Parse()

	var catalog *emulator.Catalog
	if *catalogFile != "" {
		c, err := emulator.LoadCatalog(*catalogFile)
		if err != nil {
			return err
		}
		catalog = c
	}
	if *dump {
		if catalog == nil {
			catalog = emulator.DefaultCatalog()
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(catalog)
	}

	names := strings.Split(*regions, ",")
	region := &names[0]
	projects, catalogs := emulator.Regions(names, *projectID, catalog)
	srv := emulator.New(emulator.Options{
		Projects:       projects,
		RegionCatalogs: catalogs,
		Credentials:    []emulator.Credential{{AccessKey: *accessKey, SecretKey: *secretKey, SecurityToken: *securityToken}},
		Tokens:         []string{*token},
		Catalog:        catalog,
		Latency:        *latency,
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	base, err := srv.Start(ctx, *listen)
	if err != nil {
		return err
	}
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(base+"\n"), 0o600); err != nil {
			return err
		}
	}
	fmt.Printf(`hwc-emulator listening on %s (IMS, Workspace and IAM)

Use it from Terraform with this provider block:

provider "hwc" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints = {
    ims       = %q
    workspace = %q
    iam       = %q
  }
}

Stop it with Ctrl-C.
`, base, *region, *accessKey, *secretKey, base, base, base)
	<-ctx.Done()
	return nil
}
