// Package providertest runs the provider's tests through the Terraform CLI:
// Run, the suite's runner (terraform apply and the checks of each step, or
// terraform-plugin-testing's own runner with HWC_TEST_FULL=1), WorkDir, a
// working directory whose commands reach a provider served in the test
// process, and Emulator, the API emulator on loopback with what tests ask of
// it. Like terraform-plugin-testing, it is imported by tests only.
package providertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// RequireCLI skips a test that drives the Terraform CLI when there is
// none: make test runs the unit tests all the same.
func RequireCLI(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("no terraform or tofu on PATH")
	}
}

// FindCLI sets TF_ACC_TERRAFORM_PATH to the CLI on PATH when unset:
// without it the test framework would try to download one.
func FindCLI() {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") != "" {
		return
	}
	for _, cli := range []string{"terraform", "tofu"} {
		if path, err := exec.LookPath(cli); err == nil {
			_ = os.Setenv("TF_ACC_TERRAFORM_PATH", path)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "no terraform or tofu on PATH: the tests that run Terraform are skipped")
}

// CLIVersion is the first line of `version` of the CLI the tests drive, such
// as "Terraform v1.5.7" or "OpenTofu v1.12.6".
var CLIVersion = sync.OnceValue(func() string {
	out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version").Output()
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return line
})

// ErrorRE matches an error message whose words may be wrapped across lines
// by Terraform's diagnostic rendering. A lone ".*" skips any text.
func ErrorRE(words string) *regexp.Regexp {
	parts := strings.Fields(words)
	for i, p := range parts {
		if p == ".*" {
			parts[i] = `[\s\S]*`
			continue
		}
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// PlanDiagnostic is one diagnostic of `terraform plan -json`.
type PlanDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

// WorkDir is a Terraform working directory of a test, whose commands run
// against a provider served in the test process, a new one per command as
// Terraform would start.
type WorkDir struct {
	t       *testing.T
	dir     string
	factory func() (tfprotov6.ProviderServer, error)
}

// NewWorkDir is a working directory whose commands run against the
// provider servers factory makes.
func NewWorkDir(t *testing.T, factory func() (tfprotov6.ProviderServer, error)) *WorkDir {
	return &WorkDir{t: t, dir: t.TempDir(), factory: factory}
}

// Dir is the directory's path.
func (w *WorkDir) Dir() string { return w.dir }

// SetConfig writes the configuration as main.tf.
func (w *WorkDir) SetConfig(config string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Run runs the CLI in the directory and returns its standard output and error.
func (w *WorkDir) Run(args ...string) ([]byte, []byte, error) {
	w.t.Helper()
	return w.RunWith(nil, args...)
}

// runWith is run, handing the CLI's process to started, when set, once it
// runs.
func (w *WorkDir) RunWith(started func(*os.Process), args ...string) ([]byte, []byte, error) {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	server, err := w.factory()
	if err != nil {
		w.t.Fatal(err)
	}
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	address := ProviderAddress()
	go func() {
		err := tf6server.Serve(address, func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithLoggingSink(w.t), tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
		if err != nil {
			w.t.Error(err)
		}
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case <-time.After(10 * time.Second):
		w.t.Fatal("the provider did not start")
	}
	defer func() { cancel(); <-closed }()
	reattachJSON, err := json.Marshal(map[string]any{address: map[string]any{
		"Protocol": rc.Protocol, "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
		"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
	}})
	if err != nil {
		w.t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = w.dir, &stdout, &stderr
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(reattachJSON), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	if err = cmd.Start(); err == nil {
		if started != nil {
			started(cmd.Process)
		}
		err = cmd.Wait()
	}
	return stdout.Bytes(), stderr.Bytes(), err
}

// ProviderAddress is where the CLI looks for the provider a test serves: a
// configuration without required_providers means hashicorp/hwc in the CLI's
// own registry, which OpenTofu names registry.opentofu.org. As for
// terraform-plugin-testing, TF_ACC_PROVIDER_HOST and
// TF_ACC_PROVIDER_NAMESPACE say so.
func ProviderAddress() string {
	host, namespace := os.Getenv("TF_ACC_PROVIDER_HOST"), os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if host == "" {
		host = "registry.terraform.io"
	}
	if namespace == "" {
		namespace = "hashicorp"
	}
	return host + "/" + namespace + "/hwc"
}

// Init runs terraform init, failing the test when it fails.
func (w *WorkDir) Init() {
	w.t.Helper()
	if _, stderr, err := w.Run("init", "-input=false", "-no-color"); err != nil {
		w.t.Fatalf("terraform init: %v\n%s", err, stderr)
	}
}

// Run runs a test case, by default the fast way: per step, `terraform
// apply` and the step's checks on the state `terraform show -json` shows.
// It implements TestCase.ProtoV6ProviderFactories (one provider, hwc),
// Steps and ErrorCheck, and TestStep.Config, Check, ConfigStateChecks and
// ExpectError, and fails on any other field that is set.
//
// What only terraform-plugin-testing's runner checks — a plan before the
// apply, that the plan after it is empty, that a refresh and a second plan
// change nothing, that destroy works — runs when HWC_TEST_FULL=1: then
// Run hands the case to resource.UnitTest, and a test's own counts of
// requests, which assume one read, are not checked (see FullMode).
func Run(t *testing.T, c resource.TestCase) {
	t.Helper()
	if err := unsupportedFields(c); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if FullMode() {
		resource.UnitTest(t, c)
		return
	}
	w := NewWorkDir(t, c.ProtoV6ProviderFactories["hwc"])
	w.SetConfig(c.Steps[0].Config)
	w.Init()
	for i, step := range c.Steps {
		w.SetConfig(step.Config)
		_, stderr, err := w.Run("apply", "-auto-approve", "-input=false", "-no-color")
		if err != nil {
			err = fmt.Errorf("terraform apply: %w\n\n%s", err, stderr)
		}
		switch {
		case step.ExpectError != nil && err == nil:
			t.Fatalf("step %d: expected an error matching %s, got none", i+1, step.ExpectError)
		case step.ExpectError != nil:
			if !step.ExpectError.MatchString(err.Error()) {
				t.Fatalf("step %d: expected an error matching %s, got: %v", i+1, step.ExpectError, err)
			}
			continue
		case err != nil && c.ErrorCheck != nil:
			if err := c.ErrorCheck(err); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
			continue
		case err != nil:
			t.Fatalf("step %d: %v", i+1, err)
		}
		w.checkState(i+1, step)
	}
}

// FullMode reports whether the tests run through terraform-plugin-testing's
// runner (HWC_TEST_FULL=1). Each read is then made several times (plan,
// apply, refresh, the plans after them), so the tests skip their counts of
// requests, which Run's mode checks.
func FullMode() bool { return os.Getenv("HWC_TEST_FULL") == "1" }

// unsupportedFields names the fields of a case and its steps that Run
// does not implement and that are set: a copy with the implemented ones
// cleared must be the zero value.
func unsupportedFields(c resource.TestCase) error {
	if len(c.ProtoV6ProviderFactories) != 1 || c.ProtoV6ProviderFactories["hwc"] == nil || len(c.Steps) == 0 {
		return errors.New("a case needs ProtoV6ProviderFactories with hwc alone, and steps")
	}
	rest := c
	rest.ProtoV6ProviderFactories, rest.Steps, rest.ErrorCheck = nil, nil, nil
	if names := setFields(rest); len(names) > 0 {
		return fmt.Errorf("unsupported TestCase fields: %s", strings.Join(names, ", "))
	}
	for i, step := range c.Steps {
		step.Config, step.Check, step.ConfigStateChecks, step.ExpectError = "", nil, nil, nil
		if names := setFields(step); len(names) > 0 {
			return fmt.Errorf("step %d: unsupported TestStep fields: %s", i+1, strings.Join(names, ", "))
		}
	}
	return nil
}

// setFields names the fields of a struct that are not zero.
func setFields(v any) []string {
	rv := reflect.ValueOf(v)
	var names []string
	for i := range rv.NumField() {
		if !rv.Field(i).IsZero() {
			names = append(names, rv.Type().Field(i).Name)
		}
	}
	return names
}

// checkState runs a step's state checks on the state `terraform show
// -json` shows.
func (w *WorkDir) checkState(n int, step resource.TestStep) {
	w.t.Helper()
	if len(step.ConfigStateChecks) == 0 && step.Check == nil {
		return
	}
	out, stderr, err := w.Run("show", "-json")
	if err != nil {
		w.t.Fatalf("step %d: terraform show -json: %v\n%s", n, err, stderr)
	}
	var js tfjson.State
	js.UseJSONNumber(true) // as terraform-plugin-testing reads it: numbers exact
	if err := js.UnmarshalJSON(out); err != nil {
		w.t.Fatalf("step %d: %v", n, err)
	}
	for _, check := range step.ConfigStateChecks {
		var resp statecheck.CheckStateResponse
		check.CheckState(context.Background(), statecheck.CheckStateRequest{State: &js}, &resp)
		if resp.Error != nil {
			w.t.Fatalf("step %d: state check: %v", n, resp.Error)
		}
	}
	if step.Check != nil {
		if err := step.Check(legacyState(&js)); err != nil {
			w.t.Fatalf("step %d: check: %v", n, err)
		}
	}
}

// legacyState is the flat attributes of resource.TestCheckResourceAttr, of
// the data sources of the root module of a state.
func legacyState(js *tfjson.State) *terraform.State {
	module := &terraform.ModuleState{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{}}
	if js.Values != nil && js.Values.RootModule != nil {
		for _, r := range js.Values.RootModule.Resources {
			flat := map[string]string{}
			flatten(flat, "", r.AttributeValues)
			module.Resources[r.Address] = &terraform.ResourceState{Type: r.Type,
				Primary: &terraform.InstanceState{ID: flat["id"], Attributes: flat}}
		}
	}
	return &terraform.State{Modules: []*terraform.ModuleState{module}}
}

// flatten writes v as the flat attributes of the legacy state: nulls left
// out, "name.#" for a list's length, "name.%" for a map's.
func flatten(out map[string]string, prefix string, v any) {
	switch v := v.(type) {
	case nil:
	case map[string]any:
		if prefix != "" {
			out[prefix+"%"] = strconv.Itoa(len(v))
		}
		for k, e := range v {
			flatten(out, prefix+k+".", e)
		}
	case []any:
		out[prefix+"#"] = strconv.Itoa(len(v))
		for i, e := range v {
			flatten(out, prefix+strconv.Itoa(i)+".", e)
		}
	default:
		out[strings.TrimSuffix(prefix, ".")] = fmt.Sprint(v)
	}
}

// PlanDiagnostics runs `terraform init` and `terraform plan -json` on config
// against the provider factory serves in this process, and returns every
// diagnostic the plan printed, as a user would see them. The test framework
// hides warnings, so tests that count them use this.
func PlanDiagnostics(t *testing.T, factory func() (tfprotov6.ProviderServer, error), config string) []PlanDiagnostic {
	t.Helper()
	w := NewWorkDir(t, factory)
	w.SetConfig(config)
	w.Init()
	stdout, _, _ := w.Run("plan", "-json", "-input=false", "-no-color")
	var diags []PlanDiagnostic
	for _, line := range bytes.Split(stdout, []byte("\n")) {
		var msg struct {
			Type       string         `json:"type"`
			Diagnostic PlanDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(line, &msg) == nil && msg.Type == "diagnostic" {
			diags = append(diags, msg.Diagnostic)
		}
	}
	return diags
}

// CountDiagnostics counts the diagnostics whose summary is summary.
func CountDiagnostics(diags []PlanDiagnostic, summary string) int {
	n := 0
	for _, d := range diags {
		if d.Summary == summary {
			n++
		}
	}
	return n
}

// Emulator is an emulator served on loopback for one test.
type Emulator struct {
	Server *emulator.Server
	URL    string // its base URL
}

// NewEmulator serves an emulator of opts until the test ends; it skips the
// test when there is no CLI to drive it.
func NewEmulator(t *testing.T, opts emulator.Options) *Emulator {
	t.Helper()
	RequireCLI(t)
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &Emulator{Server: emu, URL: srv.URL}
}

// ProviderBlock returns a provider block signed with the emulator's default AK/SK
// plus extra arguments.
func (e *Emulator) ProviderBlock(extra ...string) string {
	return fmt.Sprintf(`
provider "hwc" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints = {
    ims       = %q
    workspace = %q
    iam       = %q
  }
%s
}
`, emulator.DefaultRegion, emulator.DefaultAccessKey, emulator.DefaultSecretKey, e.URL, e.URL, e.URL, strings.Join(extra, "\n"))
}

// IMSQueries returns the distinct raw queries that reached the IMS listing,
// in order of first arrival.
func (e *Emulator) IMSQueries() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range e.Server.RequestsTo("/cloudimages/fuzzy") {
		if !seen[r.RawQuery] {
			seen[r.RawQuery] = true
			out = append(out, r.RawQuery)
		}
	}
	return out
}

// ExpectIMSQueries checks that exactly these distinct queries reached the
// IMS listing, in any order.
func (e *Emulator) ExpectIMSQueries(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := e.IMSQueries()
		if !slices.Equal(sorted(got), sorted(want)) {
			return fmt.Errorf("IMS queries %q, want %q", got, want)
		}
		return nil
	}
}

// ExpectIMSQueriesInclude checks that these queries are among those that
// reached the IMS listing.
func (e *Emulator) ExpectIMSQueriesInclude(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := e.IMSQueries()
		for _, w := range want {
			if !slices.Contains(got, w) {
				return fmt.Errorf("IMS query %q never came; got %q", w, got)
			}
		}
		return nil
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// RequestCount counts requests whose path ends with suffix.
func (e *Emulator) RequestCount(suffix string) int { return len(e.Server.RequestsTo(suffix)) }

// ExpectNoRequests fails the test when the emulator received anything.
func (e *Emulator) ExpectNoRequests(t *testing.T) {
	t.Helper()
	if got := e.Server.Requests(); len(got) != 0 {
		t.Errorf("expected no request to reach the API, got %d (first: %s?%s)", len(got), got[0].Path, got[0].RawQuery)
	}
}

// IMSStatuses returns the statuses the emulator answered on the IMS listing.
func (e *Emulator) IMSStatuses() []int {
	var out []int
	for _, r := range e.Server.RequestsTo("/cloudimages/fuzzy") {
		out = append(out, r.Status)
	}
	return out
}

// IMSRequestsPerProcess divides the IMS requests by the IAM project look-ups: each
// provider process that reads looks the project up exactly once, so this is
// the number of IMS requests one Terraform run costs.
func (e *Emulator) IMSRequestsPerProcess() (float64, int) {
	processes := e.RequestCount("/v3/projects")
	if processes == 0 {
		return 0, 0
	}
	return float64(e.RequestCount("/cloudimages/fuzzy")) / float64(processes), processes
}

// ExpectRequestsPerProcess checks the IMS requests a provider process sent.
func (e *Emulator) ExpectRequestsPerProcess(want float64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, processes := e.IMSRequestsPerProcess()
		if processes == 0 || got != want {
			return fmt.Errorf("%.2f IMS requests per provider process over %d processes, want %.0f", got, processes, want)
		}
		return nil
	}
}
