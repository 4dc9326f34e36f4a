package main

import (
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// listingCase is a configuration whose data sources return many images,
// planned or applied against the emulator.
type listingCase struct {
	name    string
	apply   bool
	groups  int // distinct listings, each of perGroup images
	perGrp  int
	readers int // data sources per listing
	latency time.Duration
	ids     bool // hwc_ims_image_ids instead of hwc_ims_images
	// floor also plans with a provider that returns the direct server's
	// states at no cost: what Terraform itself needs to carry them.
	floor bool
}

var listingCases = []listingCase{
	{name: "K=10 hwc_ims_images, plan", groups: 10, perGrp: 89, readers: 1, latency: 50 * time.Millisecond},
	{name: "K=50 hwc_ims_images, plan", groups: 50, perGrp: 89, readers: 1, latency: 50 * time.Millisecond},
	// The state diet, measured as the issue that asked for it did: no
	// latency, so that what is compared is what Terraform and the provider
	// do with the state.
	{name: "K=50 hwc_ims_images, plan, no latency", groups: 50, perGrp: 89, readers: 1, floor: true},
	{name: "K=50 hwc_ims_image_ids, plan, no latency", groups: 50, perGrp: 89, readers: 1, ids: true, floor: true},
	{name: "K=1 hwc_ims_image_ids, plan, no latency", groups: 1, perGrp: 89, readers: 1, ids: true},
	{name: "30 hwc_ims_images over 10 listings of a 1,300-image catalog, apply", apply: true, groups: 10, perGrp: 130, readers: 3, latency: 40 * time.Millisecond},
}

func (c listingCase) images() int { return c.groups * c.perGrp * c.readers }

// catalog is c.groups groups of c.perGrp private images of the emulator's
// catalog, each group tagged group=gNN.
func (c listingCase) catalog() *emulator.Catalog {
	var src []emulator.Image
	for _, img := range emulator.DefaultCatalog().Images {
		if img["__imagetype"] == "private" {
			src = append(src, img)
		}
	}
	var imgs []emulator.Image
	for g := range c.groups {
		for i := range c.perGrp {
			img := maps.Clone(src[(g*c.perGrp+i)%len(src)])
			img["id"] = fmt.Sprintf("%08d-0000-4000-8000-%012d", g, i)
			img["name"] = fmt.Sprintf("g%02d-%s", g, img["name"])
			img["status"], img["__os_type"] = "active", "Linux"
			tags, _ := img["tags"].([]string)
			img["tags"] = append([]string{fmt.Sprintf("group=g%02d", g)}, tags...)
			imgs = append(imgs, img)
		}
	}
	return &emulator.Catalog{Images: imgs}
}

// config lists each group through c.readers data sources that keep every
// image: the same listing, refined differently.
func (c listingCase) config(url string) string {
	refinements := []string{"", `name_regex = "-"`, `order_by = "created_at"`}
	dataSource := "hwc_ims_images"
	if c.ids {
		dataSource = "hwc_ims_image_ids"
	}
	var b strings.Builder
	b.WriteString(providerBlock(url))
	for g := range c.groups {
		for r := range c.readers {
			fmt.Fprintf(&b, "data %q \"g%02d_%d\" {\n  image_type = \"private\"\n  tags       = [\"group=g%02d\"]\n  %s\n}\n",
				dataSource, g, r, g, refinements[r%len(refinements)])
		}
	}
	return b.String()
}

// listingRun is what one run of a case measured.
type listingRun struct {
	wall, providerCPU, terraformCPU time.Duration
	stateBytes                      int64 // the states the provider returned, msgpack
	stateFile                       int64 // terraform.tfstate after an apply
	reads                           []span
}

// measureListings runs each case reps times with each server, interleaved.
func measureListings(cli string, reps int) (map[string]map[string][]listingRun, error) {
	work, err := os.MkdirTemp("", "hwc-bench-listings-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(work) }()
	rc, err := devOverrides(work)
	if err != nil {
		return nil, err
	}
	results := map[string]map[string][]listingRun{}
	for i, c := range listingCases {
		srv := httptest.NewServer(emulator.New(emulator.Options{Catalog: c.catalog(), Latency: c.latency}))
		dir := filepath.Join(work, fmt.Sprint(i))
		err := os.MkdirAll(dir, 0o755)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, "main.tf"), []byte(c.config(srv.URL)), 0o600)
		}
		results[c.name] = map[string][]listingRun{}
		modes := servers
		if c.floor {
			modes = append(slices.Clone(servers), "canned")
		}
		for rep := 0; rep < reps && err == nil; rep++ {
			for _, mode := range modes {
				var run listingRun
				if run, err = runListing(cli, rc, dir, c, mode); err != nil {
					break
				}
				results[c.name][mode] = append(results[c.name][mode], run)
			}
		}
		srv.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return results, nil
}

// devOverrides writes a CLI configuration under which Terraform runs this
// program's binary as the provider, and returns its path.
func devOverrides(work string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(work, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return "", err
	}
	if err := os.Symlink(exe, filepath.Join(bin, "terraform-provider-hwc")); err != nil {
		return "", err
	}
	rc := filepath.Join(work, "cli.tfrc")
	return rc, os.WriteFile(rc, fmt.Appendf(nil, "provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		providerSource, bin), 0o600)
}

// runListing plans or applies the case's configuration, with the provider
// processes serving mode.
func runListing(cli, rc, dir string, c listingCase, mode string) (listingRun, error) {
	var run listingRun
	stats, err := os.MkdirTemp(dir, "stats-")
	if err != nil {
		return run, err
	}
	defer func() { _ = os.RemoveAll(stats) }()
	state := filepath.Join(dir, "terraform.tfstate")
	_ = os.Remove(state)
	args := []string{"plan", "-input=false", "-no-color"}
	if c.apply {
		args = []string{"apply", "-input=false", "-no-color", "-auto-approve"}
	}
	cmd := exec.Command(cli, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		serveEnv+"="+mode, statsEnv+"="+stats)
	if c.floor {
		canned := filepath.Join(dir, "canned")
		if err := os.MkdirAll(canned, 0o755); err != nil {
			return run, err
		}
		cmd.Env = append(cmd.Env, cannedEnv+"="+canned)
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	run.wall = time.Since(start)
	if err != nil {
		return run, fmt.Errorf("terraform %s: %v\n%s", args[0], err, out)
	}
	st, err := providerStats(stats)
	if err != nil {
		return run, err
	}
	run.providerCPU, run.stateBytes, run.reads = st.cpu, st.stateBytes, st.reads
	// Terraform waits for the provider processes it starts, so its own
	// figure holds theirs.
	run.terraformCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime() - run.providerCPU
	if st, err := os.Stat(state); err == nil {
		run.stateFile = st.Size()
	}
	return run, nil
}

// listingRows reports each case and checks the targets, each a ratio of the
// provider's server to the framework's in the same run.
func listingRows(results map[string]map[string][]listingRun) []row {
	med := func(c listingCase, mode string, f func(listingRun) float64) float64 {
		var v []float64
		for _, r := range results[c.name][mode] {
			v = append(v, f(r))
		}
		return median(v)
	}
	wall := func(r listingRun) float64 { return r.wall.Seconds() }
	pcpu := func(r listingRun) float64 { return r.providerCPU.Seconds() }
	tcpu := func(r listingRun) float64 { return r.terraformCPU.Seconds() }
	var rows []row
	for _, c := range listingCases {
		for _, mode := range servers {
			r := results[c.name][mode][0]
			state := fmt.Sprintf("%s returned", mbytes(r.stateBytes))
			if c.apply {
				state += fmt.Sprintf(", %s tfstate", mbytes(r.stateFile))
			}
			rows = append(rows, row{fmt.Sprintf("%s, %d images, %s server: wall, provider CPU, Terraform CPU, state", c.name, c.images(), mode),
				"(reported)", fmt.Sprintf("%.2f s, %.2f s, %.2f s, %s", med(c, mode, wall), med(c, mode, pcpu), med(c, mode, tcpu), state), true})
		}
	}
	k50, k50Full, k50IDs, k1IDs, apply := listingCases[1], listingCases[2], listingCases[3], listingCases[4], listingCases[5]
	perImage := func(mode string) float64 { return med(k50, mode, pcpu) / float64(k50.images()) }
	ratio := perImage("direct") / perImage("framework")
	rows = append(rows, row{"K=50: provider CPU per returned image, direct / framework", "<= 0.25",
		fmt.Sprintf("%.2f (%.3f ms vs %.3f ms)", ratio, 1e3*perImage("direct"), 1e3*perImage("framework")), ratio <= 0.25})
	share := med(k50, "direct", pcpu) / (med(k50, "direct", pcpu) + med(k50, "direct", tcpu))
	rows = append(rows, row{"K=50 plan: the provider's share of CPU (provider + Terraform)", "< 30%", fmt.Sprintf("%.0f%%", 100*share), share < 0.30})
	ids, full, one := med(k50IDs, "direct", wall), med(k50Full, "direct", wall), med(k1IDs, "direct", wall)
	rows = append(rows, row{"K=50 plan, no latency: wall, hwc_ims_image_ids / hwc_ims_images", "<= 0.25",
		fmt.Sprintf("%.2f (%.2f s vs %.2f s)", ids/full, ids, full), ids/full <= 0.25})
	floorIDs, floorFull := med(k50IDs, "canned", wall), med(k50Full, "canned", wall)
	rows = append(rows, row{"K=50 plan, no latency: wall with a provider that returns the same states at no cost (Terraform's floor), " +
		"hwc_ims_image_ids / hwc_ims_images", "(reported)", fmt.Sprintf("%.2f (%.2f s vs %.2f s; hwc takes %.2fx and %.2fx of them)",
		floorIDs/floorFull, floorIDs, floorFull, ids/floorIDs, full/floorFull), true})
	// The fixed cost of a plan (Terraform and provider start-up, schemas)
	// is the same in both; what the 49 lookups beyond the first cost:
	rows = append(rows, row{"K=50 plan, no latency: wall beyond a 1-lookup plan, hwc_ims_image_ids / hwc_ims_images", "(reported)",
		fmt.Sprintf("%.2f (%.2f s vs %.2f s beyond %.2f s)", (ids-one)/(full-one), ids-one, full-one, one), true})
	applyRatio := med(apply, "direct", wall) / med(apply, "framework", wall)
	rows = append(rows, row{"30 data sources apply: wall, direct / framework", "<= 0.40",
		fmt.Sprintf("%.2f (%.2f s vs %.2f s)", applyRatio, med(apply, "direct", wall), med(apply, "framework", wall)), applyRatio <= 0.40})
	return rows
}

func mbytes(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

// providerBlock is the provider block for the emulator at url.
func providerBlock(url string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    hwc = { source = "hwc-terraform/hwc" }
  }
}
provider "hwc" {
  region     = %q
  project_id = %q
  access_key = %q
  secret_key = %q
  endpoints  = { ims = %q, workspace = %q, iam = %q }
}
`, emulator.DefaultRegion, emulator.DefaultProjectID, emulator.DefaultAccessKey, emulator.DefaultSecretKey, url, url, url)
}
