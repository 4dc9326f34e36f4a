// Command benchreport is `make bench`, a contributors' command that is not
// released: it runs the provider's Go benchmarks and end-to-end measurements
// through the Terraform CLI against the emulator, prints each figure beside
// its target, and exits non-zero when a target is missed.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/provider"
)

// row is one line of the report.
type row struct {
	figure, target, measured string
	ok                       bool
}

func main() {
	if mode := os.Getenv(serveEnv); mode != "" {
		if err := serveProvider(mode); err != nil {
			fmt.Fprintln(os.Stderr, "bench provider:", err)
			os.Exit(1)
		}
		return
	}
	rows, err := run()
	printTable(os.Stdout, rows)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	for _, r := range rows {
		if !r.ok {
			fmt.Fprintln(os.Stderr, "bench: a target was missed")
			os.Exit(1)
		}
	}
}

func run() ([]row, error) {
	results, err := goBenchmarks()
	if err != nil {
		return nil, err
	}
	rows := benchmarkRows(results)
	migrate, err := migrateRows()
	if err != nil {
		return rows, err
	}
	rows = append(rows, migrate...)
	tf, err := exec.Command("bash", "scripts/find-cli.sh").Output()
	if err != nil {
		return rows, fmt.Errorf("no Terraform CLI: %w", err)
	}
	cli := strings.TrimSpace(string(tf))
	e2e, err := endToEnd(cli)
	if err != nil {
		return rows, err
	}
	rows = append(rows, e2e...)
	listings, err := measureListings(cli, 3)
	if err != nil {
		return rows, err
	}
	return append(rows, listingRows(listings)...), nil
}

// benchmarkRows reports the Go benchmarks: request counts, KooGallery
// batches, flattening and reads in process.
func benchmarkRows(results benchResults) []row {
	var rows []row
	requests := func(name, figure string, want float64) {
		got, ok := results.metric("BenchmarkRequests/"+name, "requests/op")
		rows = append(rows, row{figure, fmt.Sprintf("%g", want), fmt.Sprintf("%g", got), ok && got == want})
	}
	requests("list_1610_images", "requests: list 1,610 images (ceil(N/500))", 4)
	requests("list_1600_images_last_page_of_100", "requests: list 1,600 images (last page of 100, a gateway's cap could have cut it: +1)", 5)
	requests("list_1500_images_last_page_full", "requests: list 1,500 images (last page full: +1)", 4)
	requests("most_recent", "requests: most_recent over 1,600 images", 1)
	requests("most_recent_one_image", "requests: hwc_ims_image most_recent", 1)
	requests("limit_20", "requests: limit = 20", 1)
	requests("limit_500", "requests: limit = 500", 1)
	requests("most_recent_min_age_72h", "requests: most_recent with min_age = 72h (no extra request)", 1)
	requests("order_by_created_at_limit_10", "requests: order_by = created_at, limit = 10", 1)
	requests("30_reads_of_10_queries", "requests: 30 data sources over 10 queries", 10)

	one, ok1 := results.metric("BenchmarkMarketImages/1_ids_100ms_latency", "ns/op")
	many, ok2 := results.metric("BenchmarkMarketImages/1000_ids_100ms_latency", "ns/op")
	ratio := many / one
	rows = append(rows, row{"KooGallery: 1,000 ids at 100 ms latency, in single-request latencies",
		"< 4", fmt.Sprintf("%.2f (%s vs %s)", ratio, ms(many), ms(one)), ok1 && ok2 && ratio < 4})

	refl, ok1 := results.metric("BenchmarkFlatten/reflection", "ns/op")
	tft, ok2 := results.metric("BenchmarkFlatten/tftypes", "ns/op")
	own, ok3 := results.metric("BenchmarkFlatten/decode_and_flatten", "ns/op")
	ownMem, ok4 := results.metric("BenchmarkFlatten/decode_and_flatten", "B/op")
	reflMem, _ := results.metric("BenchmarkFlatten/reflection", "B/op")
	tftMem, _ := results.metric("BenchmarkFlatten/tftypes", "B/op")
	rows = append(rows,
		row{"10,000 images: State.Set through reflection", "(reference)", ms(refl) + ", " + mb(reflMem), ok1},
		row{"10,000 images: tftypes from the tables", "(reference)", ms(tft) + ", " + mb(tftMem), ok2},
		row{"10,000 images: decode and flatten, time", "< 400 ms", ms(own), ok3 && own < 400e6},
		row{"10,000 images: decode and flatten, allocated", "< 300 MB", mb(ownMem), ok4 && ownMem < 300e6},
		row{"10,000 images: reflection / decode and flatten", ">= 10x", fmt.Sprintf("%.1fx", refl/own), ok1 && ok3 && refl/own >= 10},
	)

	model, ok6 := results.metric("BenchmarkMarketImagesState/model_and_State.Set", "ns/op")
	table, ok7 := results.metric("BenchmarkMarketImagesState/field_table_direct", "ns/op")
	rows = append(rows, row{"hwc_workspace_market_images, 1,000 images: state by model and State.Set (the framework's way, kept) vs from the field table", "(reported)",
		fmt.Sprintf("%s vs %s (%.0fx; per image %.0f µs)", ms(model), ms(table), model/table, model/1000/1e3), ok6 && ok7})

	encoded, ok5 := results.metric("BenchmarkFlatten/decode_and_encode", "ns/op")
	rows = append(rows, row{"10,000 images: decode and write to protocol bytes (the provider's server)", "(reported)", ms(encoded), ok5})
	rows = append(rows, readDataSourceRows(results)...)
	return append(rows, decodeRow(results), whitespaceRow(results))
}

// decodeRow compares decoding a page of 500 images in one pass with
// decoding it through encoding/json.
func decodeRow(results benchResults) row {
	own, ok1 := results.metric("BenchmarkDecodePage/no_secrets", "ns/op")
	std, ok2 := results.metric("BenchmarkDecodePage/encoding_json", "ns/op")
	return row{"decode a page of 500 images: the listing scanner / encoding/json", "<= 0.25",
		fmt.Sprintf("%.2f (%.1f ms vs %.1f ms)", own/std, own/1e6, std/1e6), ok1 && ok2 && own/std <= 0.25}
}

// whitespaceRow compares decoding a page of 30 MiB of whitespace and one
// image with decoding 30 MiB of images: linear decoding costs no more a byte.
func whitespaceRow(results benchResults) row {
	space, ok1 := results.metric("BenchmarkDecodeWhitespace/whitespace_30MiB", "ns/op")
	images, ok2 := results.metric("BenchmarkDecodeWhitespace/catalog_30MiB", "ns/op")
	return row{"decode a page: 30 MiB of whitespace and one image / 30 MiB of images", "<= 1",
		fmt.Sprintf("%.2f (%s vs %s)", space/images, ms(space), ms(images)), ok1 && ok2 && space <= images}
}

// readDataSourceRows compares the framework's server and the provider's on
// one hwc_ims_images read of 1,300 images.
func readDataSourceRows(results benchResults) []row {
	fwTime, ok1 := results.metric("BenchmarkReadDataSource/framework", "ns/image")
	dTime, ok2 := results.metric("BenchmarkReadDataSource/direct", "ns/image")
	fwAllocs, ok3 := results.metric("BenchmarkReadDataSource/framework", "allocs/image")
	dAllocs, ok4 := results.metric("BenchmarkReadDataSource/direct", "allocs/image")
	ratio := dTime / fwTime
	return []row{
		{"hwc_ims_images read of 1,300 images, in process: time per image, framework → direct server", "(reported)",
			fmt.Sprintf("%.1f µs → %.1f µs", fwTime/1e3, dTime/1e3), ok1 && ok2},
		{"hwc_ims_images read of 1,300 images, in process: allocations per image, framework → direct server", "(reported)",
			fmt.Sprintf("%.0f → %.0f", fwAllocs, dAllocs), ok3 && ok4},
		{"hwc_ims_images read, in process: time per image, direct / framework", "<= 0.25", fmt.Sprintf("%.3f", ratio), ok1 && ok2 && ratio <= 0.25},
	}
}

// benchResults maps "BenchmarkName/sub" to unit to value.
type benchResults map[string]map[string]float64

func (b benchResults) metric(name, unit string) (float64, bool) {
	v, ok := b[name][unit]
	return v, ok
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+(.*)$`)

func goBenchmarks() (benchResults, error) {
	results := benchResults{}
	for pkg, pattern := range map[string]string{
		"./internal/provider/": "^Benchmark(Flatten|Requests|MarketImages|MarketImagesState|ReadDataSource)$",
		"./internal/client/":   "^BenchmarkDecode(Whitespace|Page)$",
	} {
		if err := goBenchmark(pkg, pattern, results); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// goBenchmark runs the benchmarks of a package that match pattern, three
// iterations each, into results.
func goBenchmark(pkg, pattern string, results benchResults) error {
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", pattern, "-benchmem", "-benchtime", "3x", "-count", "1", pkg)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		_, _ = os.Stderr.Write(out)
		return fmt.Errorf("go test -bench %s: %w", pkg, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		fields := strings.Fields(m[3])
		metrics := map[string]float64{}
		for i := 0; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				metrics[fields[i+1]] = v
			}
		}
		results[m[1]] = metrics
	}
	return nil
}

// endToEnd runs terraform plan against the emulator with 1 and with 50 data
// sources at 40 ms of latency, and reports the binary's size and start-up.
func endToEnd(cli string) ([]row, error) {
	work, err := os.MkdirTemp("", "hwc-bench-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(work) }()
	bin := filepath.Join(work, "bin", "terraform-provider-hwc")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}

	emu := emulator.New(emulator.Options{Catalog: &emulator.Catalog{Images: benchCatalog(600)}, Latency: 40 * time.Millisecond})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	rc, err := devOverrides(filepath.Join(work, "serve"))
	if err != nil {
		return nil, err
	}
	rows, err := planRows(cli, work, rc, srv.URL)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(bin); err == nil {
		rows = append(rows, row{"provider binary size", "(reported)", fmt.Sprintf("%.1f MB", float64(st.Size())/1e6), true})
	}
	startup, err := handshakeTime(bin)
	if err != nil {
		return rows, err
	}
	rows = append(rows, row{"provider start-up: exec to plugin handshake", "(reported)", ms(float64(startup)), true})
	schema := schemaTime()
	return append(rows, row{"provider schema served (GetProviderSchema, in process)", "(reported)", ms(float64(schema)), true}), nil
}

// planRows times terraform plan with 1 and with 50 data sources.
func planRows(cli, work, rc, url string) ([]row, error) {
	var rows []row
	walls := map[int]time.Duration{}
	for _, n := range []int{1, 50} {
		dir := filepath.Join(work, fmt.Sprintf("plan%d", n))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(planConfig(url, n)), 0o600); err != nil {
			return nil, err
		}
		var times, shares []float64
		for i := 0; i < 3; i++ {
			run, err := runListing(cli, rc, dir, listingCase{}, "direct")
			if err != nil {
				return nil, err
			}
			if len(run.reads) == 0 {
				return nil, fmt.Errorf("the provider reported no read")
			}
			times = append(times, run.wall.Seconds())
			shares = append(shares, busy(run.reads).Seconds()/run.wall.Seconds())
		}
		wall := time.Duration(median(times) * float64(time.Second))
		walls[n] = wall
		rows = append(rows, row{fmt.Sprintf("terraform plan, %d data source(s), 40 ms latency: wall (provider reads' share)", n),
			"(reported)", fmt.Sprintf("%s (%.0f%%)", ms(float64(wall)), 100*median(shares)), true})
	}
	growth := float64(walls[50]) / float64(walls[1])
	return append(rows, row{"terraform plan: 50 data sources / 1 data source", "< 5x", fmt.Sprintf("%.2fx", growth), growth < 5}), nil
}

func benchCatalog(n int) []emulator.Image {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	imgs := make([]emulator.Image, n)
	for i := range imgs {
		at := base.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339)
		imgs[i] = emulator.Image{"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "name": fmt.Sprintf("img-%04d", i),
			"created_at": at, "updated_at": at, "status": "active", "__imagetype": "private", "__os_type": "Linux"}
	}
	return imgs
}

// planConfig selects n images, each by its own name: n distinct queries.
func planConfig(url string, n int) string {
	var b strings.Builder
	b.WriteString(providerBlock(url))
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "data \"hwc_ims_image\" \"i%d\" {\n  name = \"img-%04d\"\n}\n", i, i)
	}
	return b.String()
}

// busy is the time during which at least one read was under way: the union
// of the reads' spans.
func busy(reads []span) time.Duration {
	if len(reads) == 0 {
		return 0
	}
	reads = slices.Clone(reads)
	slices.SortFunc(reads, func(a, b span) int { return a.from.Compare(b.from) })
	var total time.Duration
	cur := reads[0]
	for _, s := range reads[1:] {
		if s.from.After(cur.to) {
			total += cur.to.Sub(cur.from)
			cur = s
		} else if s.to.After(cur.to) {
			cur.to = s.to
		}
	}
	return total + cur.to.Sub(cur.from)
}

// handshakeTime starts the provider binary as Terraform does and times it
// until it prints its plugin handshake line, ready to serve.
func handshakeTime(bin string) (time.Duration, error) {
	var best time.Duration = math.MaxInt64
	for i := 0; i < 5; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, bin)
		cmd.Env = append(os.Environ(), "TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
			"PLUGIN_PROTOCOL_VERSIONS=6")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			cancel()
			return 0, err
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			cancel()
			return 0, err
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		elapsed := time.Since(start)
		cancel()
		_ = cmd.Wait()
		if err != nil && err != io.EOF || !strings.HasPrefix(line, "1|6|") {
			return 0, fmt.Errorf("no plugin handshake from the provider: %q %v", line, err)
		}
		best = min(best, elapsed)
	}
	return best, nil
}

func schemaTime() time.Duration {
	start := time.Now()
	server := providerserver.NewProtocol6(provider.New("bench")())()
	_, _ = server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	return time.Since(start)
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func ms(ns float64) string { return fmt.Sprintf("%.0f ms", ns/1e6) }
func mb(b float64) string  { return fmt.Sprintf("%.0f MB", b/1e6) }

func printTable(w io.Writer, rows []row) {
	width := [3]int{len("figure"), len("target"), len("measured")}
	for _, r := range rows {
		width[0] = max(width[0], len(r.figure))
		width[1] = max(width[1], len(r.target))
		width[2] = max(width[2], len(r.measured))
	}
	line := func(a, b, c, d string) {
		_, _ = fmt.Fprintf(w, "%-*s  %-*s  %-*s  %s\n", width[0], a, width[1], b, width[2], c, d)
	}
	line("figure", "target", "measured", "")
	line(strings.Repeat("-", width[0]), strings.Repeat("-", width[1]), strings.Repeat("-", width[2]), "----")
	for _, r := range rows {
		verdict := "ok"
		if !r.ok {
			verdict = "MISSED"
		}
		line(r.figure, r.target, r.measured, verdict)
	}
}
