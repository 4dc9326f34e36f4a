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
	urlFile, printBlock                        string
	dump                                       bool
	latency                                    time.Duration
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
	if o.printBlock != "" {
		fmt.Print(providerBlock(o.printBlock, names[0], o.accessKey, o.secretKey))
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
		Projects:       projects,
		RegionCatalogs: catalogs,
		Credentials:    []emulator.Credential{{AccessKey: o.accessKey, SecretKey: o.secretKey, SecurityToken: o.securityToken}},
		Tokens:         []string{o.token},
		Catalog:        catalog,
		Latency:        o.latency,
		PageCap:        o.pageCap,
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
	fmt.Printf("hwc-emulator listening on %s (IMS, Workspace and IAM)\n\nUse it from Terraform with this provider block:\n\n%s\nStop it with Ctrl-C.\n",
		base, providerBlock(base, names[0], o.accessKey, o.secretKey))
	<-ctx.Done()
	return nil
}

// writeAtomically writes a file that readers see whole or not at all.
func writeAtomically(path, content string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// providerBlock is the provider block for an emulator at base, as the
// emulator guide shows it.
func providerBlock(base, region, accessKey, secretKey string) string {
	return fmt.Sprintf(`provider "hwc" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints = {
    ims       = %q
    workspace = %q
    iam       = %q
  }
}
`, region, accessKey, secretKey, base, base, base)
}
