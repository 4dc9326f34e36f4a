// Command terraform-provider-hwc is the hwc Terraform provider: Terraform
// starts it and speaks the plugin protocol (version 6) to it; with -debug it
// runs under a debugger such as delve and prints the TF_REATTACH_PROVIDERS
// value that points Terraform at it; with -version it prints its version.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/provider"
)

// Format the examples and generate the docs with `go generate` (make generate).
//go:generate sh -c "$(bash scripts/find-cli.sh) fmt -recursive ./examples/"
//go:generate go tool -modfile=tools/go.mod tfplugindocs generate --provider-name hwc

// version is set by the release build: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug, printVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.BoolVar(&printVersion, "version", false, "print the provider's version and exit")
	flag.Parse()
	if printVersion {
		fmt.Println("terraform-provider-hwc " + version)
		return
	}

	provider.QuietLogs()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve("registry.terraform.io/hwc-terraform/hwc", provider.NewProtocolServer(version), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
