package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
	cannedEnv      = "HWC_BENCH_CANNED" // where the direct server records its reads, and the canned one replays them
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
	case "canned":
		provider.QuietLogs()
		factory = provider.NewProtocolServer("bench")
	default:
		return fmt.Errorf("%s=%q: want direct or framework", serveEnv, mode)
	}
	counted := &countingServer{canned: mode == "canned"}
	if mode != "framework" {
		counted.dir = os.Getenv(cannedEnv)
	}
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
	var stats strings.Builder
	fmt.Fprintf(&stats, "%d %d\n", cpu.Nanoseconds(), counted.stateBytes.Load())
	for _, s := range counted.spans {
		fmt.Fprintf(&stats, "%d %d\n", s.from.UnixNano(), s.to.UnixNano())
	}
	return os.WriteFile(filepath.Join(os.Getenv(statsEnv), strconv.Itoa(os.Getpid())), []byte(stats.String()), 0o600)
}

// countingServer counts the bytes of the states data source reads return,
// and when each read ran.
type countingServer struct {
	tfprotov6.ProviderServer
	stateBytes atomic.Int64
	mu         sync.Mutex
	spans      []span
	// With dir set, the direct server records each read's state there,
	// and canned answers each call at no cost: the state recorded for the
	// same configuration, nothing for validation and configuration.
	canned bool
	dir    string
}

// recorded is where the state of a read of config is recorded.
func (s *countingServer) recorded(typeName string, config *tfprotov6.DynamicValue) string {
	sum := sha256.Sum256(append([]byte(typeName+"\x00"), config.MsgPack...))
	return filepath.Join(s.dir, hex.EncodeToString(sum[:]))
}

func (s *countingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	if s.canned {
		return &tfprotov6.ConfigureProviderResponse{}, nil
	}
	return s.ProviderServer.ConfigureProvider(ctx, req)
}

func (s *countingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	if s.canned {
		return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
	}
	return s.ProviderServer.ValidateDataResourceConfig(ctx, req)
}

// span is when one read ran.
type span struct{ from, to time.Time }

func (s *countingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	from := time.Now()
	if s.canned {
		state, err := os.ReadFile(s.recorded(req.TypeName, req.Config))
		if err != nil {
			return nil, err
		}
		return &tfprotov6.ReadDataSourceResponse{State: &tfprotov6.DynamicValue{MsgPack: state}}, nil
	}
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if err == nil && s.dir != "" && resp.State != nil {
		err = os.WriteFile(s.recorded(req.TypeName, req.Config), resp.State.MsgPack, 0o600)
	}
	s.mu.Lock()
	s.spans = append(s.spans, span{from, time.Now()})
	s.mu.Unlock()
	if err == nil && resp.State != nil {
		s.stateBytes.Add(int64(len(resp.State.MsgPack)))
	}
	return resp, err
}

// processStats is what the provider processes of a run reported.
type processStats struct {
	cpu        time.Duration
	stateBytes int64
	reads      []span
}

// providerStats sums what the provider processes of a run wrote to dir.
func providerStats(dir string) (processStats, error) {
	var st processStats
	entries, err := os.ReadDir(dir)
	if err != nil {
		return st, err
	}
	if len(entries) == 0 {
		return st, fmt.Errorf("no provider process reported its figures")
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return st, err
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		var ns, n int64
		if _, err := fmt.Sscan(lines[0], &ns, &n); err != nil {
			return st, fmt.Errorf("%s: %w", e.Name(), err)
		}
		st.cpu += time.Duration(ns)
		st.stateBytes += n
		for _, l := range lines[1:] {
			var from, to int64
			if _, err := fmt.Sscan(l, &from, &to); err != nil {
				return st, fmt.Errorf("%s: %w", e.Name(), err)
			}
			st.reads = append(st.reads, span{time.Unix(0, from), time.Unix(0, to)})
		}
	}
	return st, nil
}
