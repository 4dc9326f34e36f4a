package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/provider"
)

// The large-listing cases run the provider as Terraform does, from this
// program's binary (serveEnv names the server to use: the provider's,
// "direct", or the framework's alone, "framework"). When Terraform stops it,
// the provider appends its CPU time and the bytes of state its reads
// returned to a file of statsEnv's directory.

const (
	serveEnv       = "HWC_BENCH_SERVE"
	statsEnv       = "HWC_BENCH_STATS"
	providerSource = "registry.terraform.io/hwc-terraform/hwc"
)

// servers are the protocol servers a case compares, the baseline first.
var servers = []string{"framework", "direct"}

// serveProvider serves the provider until Terraform stops it.
func serveProvider(mode string) error {
	var factory func() tfprotov6.ProviderServer
	switch mode {
	case "direct":
		provider.QuietLogs()
		factory = provider.NewProtocolServer("bench")
	case "framework":
		factory = providerserver.NewProtocol6(provider.New("bench")())
	default:
		return fmt.Errorf("%s=%q: want direct or framework", serveEnv, mode)
	}
	counted := &countingServer{}
	err := tf6server.Serve(providerSource, func() tfprotov6.ProviderServer {
		counted.ProviderServer = factory()
		return counted
	})
	if err != nil {
		return err
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	stats := fmt.Sprintf("%d %d\n", cpu.Nanoseconds(), counted.stateBytes.Load())
	return os.WriteFile(filepath.Join(os.Getenv(statsEnv), strconv.Itoa(os.Getpid())), []byte(stats), 0o600)
}

// countingServer counts the bytes of the states data source reads return.
type countingServer struct {
	tfprotov6.ProviderServer
	stateBytes atomic.Int64
}

func (s *countingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if err == nil && resp.State != nil {
		s.stateBytes.Add(int64(len(resp.State.MsgPack)))
	}
	return resp, err
}

// providerStats sums what the provider processes of a run wrote to dir.
func providerStats(dir string) (time.Duration, int64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, err
	}
	if len(entries) == 0 {
		return 0, 0, fmt.Errorf("no provider process reported its figures")
	}
	var cpu time.Duration
	var stateBytes int64
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return 0, 0, err
		}
		var ns, n int64
		if _, err := fmt.Sscan(string(b), &ns, &n); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", e.Name(), err)
		}
		cpu += time.Duration(ns)
		stateBytes += n
	}
	return cpu, stateBytes, nil
}
