// Package release_test checks a release as a platform team uses it: the
// archives make release leaves in dist/, and the network mirror make mirror
// writes from them, served over HTTPS on loopback to terraform init,
// terraform providers lock and a plan against the emulator. It runs through
// make release-test, which builds both first; elsewhere (make test) it skips.
package release_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// platforms are those every release must hold, with the ones users lock for.
var platforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"}

// release is what make release and make mirror left, or a skip.
type release struct {
	root, dist, mirror, version string
}

func setUp(t *testing.T) release {
	t.Helper()
	mirror := os.Getenv("HWC_RELEASE_MIRROR")
	if mirror == "" {
		t.Skip("HWC_RELEASE_MIRROR is unset: make release-test builds the release and the mirror and runs these tests")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	changelog, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^## (\d+\.\d+\.\d+) `).FindSubmatch(changelog)
	if m == nil {
		t.Fatal("CHANGELOG.md names no release")
	}
	return release{root: root, dist: filepath.Join(root, "dist"), mirror: mirror, version: string(m[1])}
}

func (r release) file(suffix string) string {
	return filepath.Join(r.dist, "terraform-provider-hwc_"+r.version+"_"+suffix)
}

// TestArchives: one zip per platform holding the binary and the licence
// alone, under the version CHANGELOG.md releases next (not a pre-release),
// and SHA256SUMS listing each zip and the manifest with their hashes.
func TestArchives(t *testing.T) {
	r := setUp(t)
	sums := readSums(t, r.file("SHA256SUMS"))
	manifest, err := os.ReadFile(r.file("manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(r.root, "terraform-registry-manifest.json"))
	if !bytes.Equal(manifest, want) {
		t.Errorf("the manifest in dist/ differs from terraform-registry-manifest.json")
	}
	for _, p := range platforms {
		name := "terraform-provider-hwc_" + r.version + "_" + p + ".zip"
		data, err := os.ReadFile(filepath.Join(r.dist, name))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if sum := sha256.Sum256(data); sums[name] != hex.EncodeToString(sum[:]) {
			t.Errorf("SHA256SUMS lists %s as %q, its SHA-256 is %x", name, sums[name], sum)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		for _, f := range zr.File {
			got = append(got, f.Name)
		}
		binary := "terraform-provider-hwc_v" + r.version
		if strings.HasPrefix(p, "windows_") {
			binary += ".exe"
		}
		if slices.Sort(got); !slices.Equal(got, []string{"LICENSE", binary}) {
			t.Errorf("%s holds %q, want the binary %s and LICENSE alone", name, got, binary)
		}
	}
	manifestName := "terraform-provider-hwc_" + r.version + "_manifest.json"
	if sum := sha256.Sum256(manifest); sums[manifestName] != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256SUMS does not list the manifest with its hash")
	}
	for name := range sums {
		if strings.HasSuffix(name, ".sig") {
			t.Errorf("SHA256SUMS lists %s: a signature of the file that lists it can never verify", name)
		}
	}
}

// readSums reads a SHA256SUMS file: file name → hex SHA-256.
func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for line := range strings.Lines(string(data)) {
		hash, name, ok := strings.Cut(strings.TrimSpace(line), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q is not HASH  NAME", line)
		}
		sums[name] = hash
	}
	return sums
}

// TestBinaryRuns: the linux_amd64 release binary starts and knows its version.
func TestBinaryRuns(t *testing.T) {
	r := setUp(t)
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the linux_amd64 binary runs on linux/amd64 only")
	}
	bin := unzip(t, filepath.Join(r.dist, "terraform-provider-hwc_"+r.version+"_linux_amd64.zip"), "terraform-provider-hwc_v"+r.version)
	out, err := exec.Command(bin, "-version").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "terraform-provider-hwc "+r.version {
		t.Fatalf("%s -version: %v\n%s", bin, err, out)
	}
}

// unzip extracts one file of a zip into a temporary directory.
func unzip(t *testing.T, archive, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(out, buf.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMirrorLayout: the mirror's JSON lists every platform with the zh:
// hash of its zip, by a URL relative to the JSON, for both registries.
func TestMirrorLayout(t *testing.T) {
	r := setUp(t)
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(r.mirror, host, "hwc-terraform", "hwc")
		var index struct{ Versions map[string]struct{} }
		readJSON(t, filepath.Join(dir, "index.json"), &index)
		if _, ok := index.Versions[r.version]; !ok {
			t.Errorf("%s index.json lists %v, not %s", host, index.Versions, r.version)
		}
		var v struct {
			Archives map[string]struct {
				URL    string
				Hashes []string
			}
		}
		readJSON(t, filepath.Join(dir, r.version+".json"), &v)
		for _, p := range platforms {
			a, ok := v.Archives[p]
			if !ok {
				t.Errorf("%s %s.json lists no %s", host, r.version, p)
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, a.URL))
			if err != nil {
				t.Errorf("%s %s: the URL %q is not a file beside the JSON: %v", host, p, a.URL, err)
				continue
			}
			if sum := sha256.Sum256(data); !slices.Equal(a.Hashes, []string{"zh:" + hex.EncodeToString(sum[:])}) {
				t.Errorf("%s %s: hashes %q, want the zh: hash of %s", host, p, a.Hashes, a.URL)
			}
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestMirrorInstall serves the mirror over HTTPS on loopback, with a
// certificate trusted by the CLI for this run alone, to a CLI configuration
// that holds only its network_mirror: init installs hwc with a verified
// checksum, providers lock records every platform, and a plan against the
// emulator selects an image with the installed provider. Terraform always;
// OpenTofu too when tofu is on PATH.
func TestMirrorInstall(t *testing.T) {
	r := setUp(t)
	srv := httptest.NewTLSServer(http.FileServer(http.Dir(r.mirror)))
	t.Cleanup(srv.Close)
	emu := startEmulator(t)

	clis := map[string]string{}
	if tf := os.Getenv("TF_ACC_TERRAFORM_PATH"); tf != "" {
		clis["terraform"] = tf
	} else if tf, err := exec.LookPath("terraform"); err == nil {
		clis["terraform"] = tf
	}
	if tofu, err := exec.LookPath("tofu"); err == nil {
		clis["tofu"] = tofu
	} else {
		t.Log("no tofu on PATH: OpenTofu's install from the mirror was not tried")
	}
	if len(clis) == 0 {
		t.Skip("neither terraform nor tofu is on PATH")
	}
	for name, cli := range clis {
		t.Run(name, func(t *testing.T) { installFromMirror(t, r, cli, srv, emu) })
	}
}

func startEmulator(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	url, err := emulator.New(emulator.Options{}).Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return url
}

func installFromMirror(t *testing.T, r release, cli string, srv *httptest.Server, emu string) {
	work := t.TempDir()
	certFile := filepath.Join(work, "mirror-ca.pem")
	writeFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	mirrorURL := srv.URL + "/"
	cliConfig := filepath.Join(work, "cli.tfrc")
	writeFile(t, cliConfig, fmt.Sprintf("provider_installation {\n  network_mirror {\n    url = %q\n  }\n}\n", mirrorURL))
	config := filepath.Join(work, "config")
	writeFile(t, filepath.Join(config, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    hwc = { source = "hwc-terraform/hwc", version = "~> %s" }
  }
}

provider "hwc" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints  = { ims = %q, workspace = %q, iam = %q }
}

data "hwc_ims_image" "hce" {
  image_type   = "gold"
  architecture = "x86"
  name         = "Huawei Cloud EulerOS 2.0 64bit"
}

output "image" {
  value = data.hwc_ims_image.hce.name
}
`, minorConstraint(r.version), emulator.DefaultRegion, emulator.DefaultAccessKey, emulator.DefaultSecretKey, emu, emu, emu))

	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "HOME="+filepath.Join(work, "home"),
		"SSL_CERT_FILE="+certFile, "SSL_CERT_DIR="+filepath.Join(work, "no-certs"),
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_PLUGIN_CACHE_DIR=", "TF_CLI_ARGS=")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(cli, args...)
		cmd.Dir, cmd.Env = config, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(cli), strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	out := run("init", "-input=false", "-no-color")
	if !strings.Contains(out, "Installed hwc-terraform/hwc v"+r.version+" (verified checksum)") {
		t.Fatalf("init did not install hwc %s from the mirror with a verified checksum:\n%s", r.version, out)
	}
	lockArgs := []string{"providers", "lock", "-net-mirror=" + mirrorURL}
	for _, p := range platforms {
		lockArgs = append(lockArgs, "-platform="+p)
	}
	run(lockArgs...)
	lock, err := os.ReadFile(filepath.Join(config, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	// One h1: hash per platform locked (Terraform's own hash of the
	// package's contents), each different.
	hashes := regexp.MustCompile(`"h1:[A-Za-z0-9+/=]+"`).FindAllString(string(lock), -1)
	if slices.Sort(hashes); len(slices.Compact(hashes)) < len(platforms) {
		t.Errorf("the lock file records %d h1: hashes for %d platforms:\n%s", len(hashes), len(platforms), lock)
	}
	out = run("plan", "-input=false", "-no-color")
	if !strings.Contains(out, `image = "Huawei Cloud EulerOS 2.0 64bit"`) {
		t.Errorf("the plan with the provider from the mirror did not select the image:\n%s", out)
	}
}

// minorConstraint is X.Y of X.Y.Z, for "~> X.Y": the constraint users
// write, which selects no pre-release.
func minorConstraint(version string) string {
	return version[:strings.LastIndex(version, ".")]
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSignature signs a copy of the release's SHA256SUMS with a key made
// for this run, as make release does when GPG_FINGERPRINT names a key, and
// checks that gpg verifies it and that the sums still verify the files.
func TestSignature(t *testing.T) {
	r := setUp(t)
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Skip("no gpg on PATH")
	}
	home := t.TempDir()
	env := append(os.Environ(), "GNUPGHOME="+home)
	gpg := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("gpg", append([]string{"--batch"}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("gpg %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	gpg("--passphrase", "", "--quick-gen-key", "hwc release test <release-test@example.invalid>", "default", "default", "1d")
	m := regexp.MustCompile(`(?m)^fpr:+([0-9A-F]{40}):`).FindStringSubmatch(gpg("--with-colons", "--list-secret-keys"))
	if m == nil {
		t.Fatal("gpg made no key")
	}
	dir := t.TempDir()
	sums := filepath.Join(dir, filepath.Base(r.file("SHA256SUMS")))
	data, err := os.ReadFile(r.file("SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, sums, string(data))
	cmd := exec.Command("bash", filepath.Join(r.root, "scripts", "sign-release.sh"), sums)
	cmd.Env = append(env, "GPG_FINGERPRINT="+m[1])
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sign-release.sh: %v\n%s", err, out)
	}
	gpg("--verify", sums+".sig", sums)
	after, _ := os.ReadFile(sums)
	if !bytes.Equal(after, data) {
		t.Error("signing changed SHA256SUMS")
	}
}
