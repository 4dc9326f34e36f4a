package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/provider"
)

// Format the examples and generate the docs with `go generate` (make generate).
//go:generate sh -c "$(bash scripts/find-cli.sh) fmt -recursive ./examples/"
//go:generate go tool -modfile=tools/go.mod tfplugindocs generate --provider-name hwc

// version is set by the release build: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/hwc-terraform/hwc",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
