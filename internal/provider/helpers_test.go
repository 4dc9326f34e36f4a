package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
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
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/unknownhosts"
)

func TestMain(m *testing.M) {
	// Provider tests run against the emulator: waits between retries are
	// shortened, and the developer's own HW_* settings must not leak in.
	// Host names resolve through a loopback DNS server that knows none, so
	// no test sends a query off the machine.
	dns, err := unknownhosts.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testOptions = []Option{WithRetryWaits(5*time.Millisecond, 50*time.Millisecond), WithResolver(dns.Resolver())}
	findTerraform()
	// Without a CLI configuration file, or with TF_CLI_CONFIG_FILE naming
	// one that does not exist, some CLIs (OpenTofu 1.12) warn on every
	// command, `version -json` included, whose output the test framework
	// parses. The tests need none: they serve the provider themselves.
	rcPath := ""
	if _, err := os.Stat(os.Getenv("TF_CLI_CONFIG_FILE")); err != nil {
		rc, err := os.CreateTemp("", "hwc-test-*.tfrc")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		_ = rc.Close()
		rcPath = rc.Name()
		_ = os.Setenv("TF_CLI_CONFIG_FILE", rcPath)
	}
	if os.Getenv("TF_ACC") == "" {
		for _, kv := range os.Environ() {
			if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "HW_") {
				_ = os.Unsetenv(name)
			}
		}
	}
	// A configuration without credentials asks the ECS metadata API: here,
	// a loopback port nothing listens on, never the link-local address.
	if os.Getenv("HW_METADATA_ENDPOINT") == "" {
		_ = os.Setenv("HW_METADATA_ENDPOINT", refusingEndpoint())
	}
	code := m.Run()
	if rcPath != "" {
		_ = os.Remove(rcPath)
	}
	if builtMirror != "" {
		_ = os.RemoveAll(builtMirror)
	}
	os.Exit(code)
}

// refusingEndpoint is the URL of a loopback port that nothing listens on.
func refusingEndpoint() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = ln.Close()
	return "http://" + ln.Addr().String()
}

// requireTerraform skips a test that drives the Terraform CLI when there is
// none: make test runs the unit tests all the same.
func requireTerraform(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("no terraform or tofu on PATH")
	}
}

// findTerraform sets TF_ACC_TERRAFORM_PATH to the CLI on PATH when unset:
// without it the test framework would try to download one.
func findTerraform() {
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

// cliVersion is the first line of `version` of the CLI the tests drive, such
// as "Terraform v1.5.7" or "OpenTofu v1.12.6".
var cliVersion = sync.OnceValue(func() string {
	out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version").Output()
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return line
})

// testEnv is an emulator served on loopback for one test.
type testEnv struct {
	emu *emulator.Server
	url string
}

func newTestEnv(t *testing.T, opts emulator.Options) *testEnv {
	t.Helper()
	requireTerraform(t)
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &testEnv{emu: emu, url: srv.URL}
}

func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hwc": withError(testServer()),
	}
}

// testOptions are the Options of every provider a test serves (TestMain).
var testOptions []Option

// testServer is the provider's server with testOptions, then opts.
func testServer(opts ...Option) func() tfprotov6.ProviderServer {
	return NewProtocolServer("test", append(slices.Clone(testOptions), opts...)...)
}

// withError adapts a server factory to the test framework's.
func withError(factory func() tfprotov6.ProviderServer) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return factory(), nil }
}

// provider returns a provider block signed with the emulator's default AK/SK
// plus extra arguments.
func (e *testEnv) provider(extra ...string) string {
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
`, emulator.DefaultRegion, emulator.DefaultAccessKey, emulator.DefaultSecretKey, e.url, e.url, e.url, strings.Join(extra, "\n"))
}

// imsQueries returns the distinct raw queries that reached the IMS listing,
// in order of first arrival.
func (e *testEnv) imsQueries() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range e.emu.RequestsTo("/cloudimages/fuzzy") {
		if !seen[r.RawQuery] {
			seen[r.RawQuery] = true
			out = append(out, r.RawQuery)
		}
	}
	return out
}

// expectIMSQueries checks that exactly these distinct queries reached the
// IMS listing, in any order.
func (e *testEnv) expectIMSQueries(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := e.imsQueries()
		if !slices.Equal(sorted(got), sorted(want)) {
			return fmt.Errorf("IMS queries %q, want %q", got, want)
		}
		return nil
	}
}

// expectIMSQueriesInclude checks that these queries are among those that
// reached the IMS listing.
func (e *testEnv) expectIMSQueriesInclude(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := e.imsQueries()
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

// requestCount counts requests whose path ends with suffix.
func (e *testEnv) requestCount(suffix string) int { return len(e.emu.RequestsTo(suffix)) }

// expectNoRequests fails the test when the emulator received anything.
func (e *testEnv) expectNoRequests(t *testing.T) {
	t.Helper()
	if got := e.emu.Requests(); len(got) != 0 {
		t.Errorf("expected no request to reach the API, got %d (first: %s?%s)", len(got), got[0].Path, got[0].RawQuery)
	}
}

// errorRE matches an error message whose words may be wrapped across lines
// by Terraform's diagnostic rendering. A lone ".*" skips any text.
func errorRE(words string) *regexp.Regexp {
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

// image builds a catalog image with the fields every listing needs.
func image(id, name, createdAt string, extra map[string]any) emulator.Image {
	img := emulator.Image{
		"id": id, "name": name, "created_at": createdAt, "updated_at": createdAt,
		"status": "active", "visibility": "private", "__imagetype": "private", "__os_type": "Linux",
	}
	for k, v := range extra {
		img[k] = v
	}
	return img
}

// numberedImages builds n images, newest first by a minute each.
func numberedImages(n int) []emulator.Image {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]emulator.Image, n)
	for i := range out {
		out[i] = image(fmt.Sprintf("00000000-0000-4000-8000-1%011d", i), fmt.Sprintf("img-%04d", i),
			base.Add(-time.Duration(i)*time.Minute).Format(time.RFC3339), nil)
	}
	return out
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// planDiagnostic is one diagnostic of `terraform plan -json`.
type planDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

// workDir is a Terraform working directory of a test, whose commands run
// against a provider served in the test process, a new one per command as
// Terraform would start.
type workDir struct {
	t       *testing.T
	dir     string
	factory func() (tfprotov6.ProviderServer, error)
}

func newWorkDir(t *testing.T, factory func() (tfprotov6.ProviderServer, error)) *workDir {
	return &workDir{t: t, dir: t.TempDir(), factory: factory}
}

func (w *workDir) setConfig(config string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI and returns its standard output and error.
func (w *workDir) run(args ...string) ([]byte, []byte, error) {
	w.t.Helper()
	return w.runWith(nil, args...)
}

// runWith is run, handing the CLI's process to started, when set, once it
// runs.
func (w *workDir) runWith(started func(*os.Process), args ...string) ([]byte, []byte, error) {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	server, err := w.factory()
	if err != nil {
		w.t.Fatal(err)
	}
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	address := providerAddress()
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

// providerAddress is where the CLI looks for the provider a test serves: a
// configuration without required_providers means hashicorp/hwc in the CLI's
// own registry, which OpenTofu names registry.opentofu.org. As for
// terraform-plugin-testing, TF_ACC_PROVIDER_HOST and
// TF_ACC_PROVIDER_NAMESPACE say so.
func providerAddress() string {
	host, namespace := os.Getenv("TF_ACC_PROVIDER_HOST"), os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if host == "" {
		host = "registry.terraform.io"
	}
	if namespace == "" {
		namespace = "hashicorp"
	}
	return host + "/" + namespace + "/hwc"
}

func (w *workDir) init() {
	w.t.Helper()
	if _, stderr, err := w.run("init", "-input=false", "-no-color"); err != nil {
		w.t.Fatalf("terraform init: %v\n%s", err, stderr)
	}
}

// runTest runs a test case, by default the fast way: per step, `terraform
// apply` and the step's checks on the state `terraform show -json` shows.
// It implements TestCase.ProtoV6ProviderFactories (one provider, hwc),
// Steps and ErrorCheck, and TestStep.Config, Check, ConfigStateChecks and
// ExpectError, and fails on any other field that is set.
//
// What only terraform-plugin-testing's runner checks — a plan before the
// apply, that the plan after it is empty, that a refresh and a second plan
// change nothing, that destroy works — runs when HWC_TEST_FULL=1: then
// runTest hands the case to resource.UnitTest, and a test's own counts of
// requests, which assume one read, are not checked (see fullMode).
func runTest(t *testing.T, c resource.TestCase) {
	t.Helper()
	if err := unsupportedFields(c); err != nil {
		t.Fatalf("runTest: %v", err)
	}
	if fullMode() {
		resource.UnitTest(t, c)
		return
	}
	w := newWorkDir(t, c.ProtoV6ProviderFactories["hwc"])
	w.setConfig(c.Steps[0].Config)
	w.init()
	for i, step := range c.Steps {
		w.setConfig(step.Config)
		_, stderr, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
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

// fullMode reports whether the tests run through terraform-plugin-testing's
// runner (HWC_TEST_FULL=1). Each read is then made several times (plan,
// apply, refresh, the plans after them), so the tests skip their counts of
// requests, which runTest's mode checks.
func fullMode() bool { return os.Getenv("HWC_TEST_FULL") == "1" }

// unsupportedFields names the fields of a case and its steps that runTest
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
func (w *workDir) checkState(n int, step resource.TestStep) {
	w.t.Helper()
	if len(step.ConfigStateChecks) == 0 && step.Check == nil {
		return
	}
	out, stderr, err := w.run("show", "-json")
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

// planDiagnostics runs `terraform init` and `terraform plan -json` on config
// against the provider served in this process, and returns every
// diagnostic the plan printed, as a user would see them. The test framework
// hides warnings, so tests that count them use this.
func planDiagnostics(t *testing.T, config string) []planDiagnostic {
	t.Helper()
	w := newWorkDir(t, withError(testServer()))
	w.setConfig(config)
	w.init()
	stdout, _, _ := w.run("plan", "-json", "-input=false", "-no-color")
	var diags []planDiagnostic
	for _, line := range bytes.Split(stdout, []byte("\n")) {
		var msg struct {
			Type       string         `json:"type"`
			Diagnostic planDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(line, &msg) == nil && msg.Type == "diagnostic" {
			diags = append(diags, msg.Diagnostic)
		}
	}
	return diags
}

// countDiagnostics counts the diagnostics whose summary is summary.
func countDiagnostics(diags []planDiagnostic, summary string) int {
	n := 0
	for _, d := range diags {
		if d.Summary == summary {
			n++
		}
	}
	return n
}

// statuses returns the statuses the emulator answered on the IMS listing.
func (e *testEnv) imsStatuses() []int {
	var out []int
	for _, r := range e.emu.RequestsTo("/cloudimages/fuzzy") {
		out = append(out, r.Status)
	}
	return out
}

func names(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

func stringChecks(values []string) []knownvalue.Check {
	out := make([]knownvalue.Check, len(values))
	for i, v := range values {
		out[i] = knownvalue.StringExact(v)
	}
	return out
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var yes = tftypes.NewValue(tftypes.Bool, true)

// recordsNamed decodes a listing page of images with these names.
func recordsNamed(t *testing.T, names []string) []client.Record {
	t.Helper()
	page := make([]map[string]string, len(names))
	for i, n := range names {
		page[i] = map[string]string{"id": fmt.Sprint(i), "name": n}
	}
	body, err := json.Marshal(map[string]any{"images": page})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := client.DecodeImages(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// perProcess divides the IMS requests by the IAM project look-ups: each
// provider process that reads looks the project up exactly once, so this is
// the number of IMS requests one Terraform run costs.
func (e *testEnv) imsRequestsPerProcess() (float64, int) {
	processes := e.requestCount("/v3/projects")
	if processes == 0 {
		return 0, 0
	}
	return float64(e.requestCount("/cloudimages/fuzzy")) / float64(processes), processes
}

func expectRequestsPerProcess(e *testEnv, want float64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, processes := e.imsRequestsPerProcess()
		if processes == 0 || got != want {
			return fmt.Errorf("%.2f IMS requests per provider process over %d processes, want %.0f", got, processes, want)
		}
		return nil
	}
}
