package migrate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

// VerifyInput is what Verify plans: the root module's directory, copied
// whole, once as it is and once with the converted files.
type VerifyInput struct {
	CLI   string            // the terraform or tofu executable
	Root  string            // the directory of the root module
	Files map[string][]byte // the converted files, by path (each under Root)
}

// Verification is what the two plans showed.
type Verification struct {
	Differences []Difference
	// Official and Converted are the time each copy took to init and plan.
	Official, Converted time.Duration
	// Outputs and Resources count what was compared: the root module's
	// outputs and the managed resources of either plan.
	Outputs, Resources int
}

// Difference is a value the two plans do not agree on: an output or a
// managed resource's attribute (or its action), with each plan's value as
// JSON ("(sensitive)" for a sensitive one, "(absent)" where a plan has none).
type Difference struct {
	Address, Attribute  string
	Official, Converted string
}

func (d Difference) String() string {
	at := d.Address
	if d.Attribute != "" {
		at += ": " + d.Attribute
	}
	return fmt.Sprintf("%s: the official provider plans %s, hwc plans %s", at, d.Official, d.Converted)
}

// Verify copies the root module's directory twice (leaving out .terraform
// and .git), writes the converted files into the second copy, and runs
// terraform init and terraform plan in each with the environment and CLI
// configuration of this process: the first plans with the official
// provider, the second with hwc. It compares every output of the root
// module and every attribute of every managed resource the plans hold (a
// resource that reads no image plans the same in both). The copies, their
// state and plans are removed before it returns.
func Verify(ctx context.Context, in VerifyInput) (*Verification, error) {
	tmp, err := os.MkdirTemp("", "hwc-migrate-verify-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	root, err := filepath.Abs(in.Root)
	if err != nil {
		return nil, err
	}
	dirs := [2]string{filepath.Join(tmp, "official"), filepath.Join(tmp, "converted")}
	for _, dir := range dirs {
		if err := copyTree(root, dir); err != nil {
			return nil, fmt.Errorf("copying %s: %w", in.Root, err)
		}
	}
	for name, src := range in.Files {
		abs, err := filepath.Abs(name)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || !filepath.IsLocal(rel) {
			return nil, fmt.Errorf("%s is outside %s, the directory -verify plans: run hwc-migrate -verify on the directory that holds every module the configuration calls", name, in.Root)
		}
		if err := os.WriteFile(filepath.Join(dirs[1], rel), src, 0o600); err != nil {
			return nil, err
		}
	}
	var plans [2]*tfjson.Plan
	var took [2]time.Duration
	for i, what := range []string{"the original configuration (official provider)", "the converted copy (hwc)"} {
		start := time.Now()
		if plans[i], err = plan(ctx, in.CLI, dirs[i]); err != nil {
			return nil, fmt.Errorf("planning %s: %w", what, err)
		}
		took[i] = time.Since(start)
	}
	v := &Verification{Official: took[0], Converted: took[1]}
	v.Differences, v.Outputs, v.Resources = comparePlans(plans[0], plans[1])
	return v, nil
}

// copyTree copies the files of dir to dir2, but for .terraform and .git.
func copyTree(dir, to string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if d.Name() == ".terraform" || d.Name() == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o750)
		}
		src, err := os.ReadFile(p) //nolint:gosec // the user's configuration, named by the user
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), src, 0o600)
	})
}

// plan runs init, plan -out and show -json in dir.
func plan(ctx context.Context, cli, dir string) (*tfjson.Plan, error) {
	run := func(args ...string) ([]byte, error) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, cli, args...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &stdout, &stderr
		cmd.Env = append(os.Environ(), "TF_IN_AUTOMATION=1")
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("%s %s: %w\n%s%s", filepath.Base(cli), args[0], err, tail(stdout.String()), tail(stderr.String()))
		}
		return stdout.Bytes(), nil
	}
	if _, err := run("init", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	if _, err := run("plan", "-input=false", "-no-color", "-lock=false", "-out=verify.tfplan"); err != nil {
		return nil, err
	}
	out, err := run("show", "-json", "-no-color", "verify.tfplan")
	if err != nil {
		return nil, err
	}
	var p tfjson.Plan
	if err := json.Unmarshal(out, &p); err != nil {
		return nil, fmt.Errorf("reading the plan: %w", err)
	}
	return &p, nil
}

// tail is the end of a command's output, enough to show its error.
func tail(s string) string {
	const keep = 4000
	if len(s) > keep {
		s = "…" + s[len(s)-keep:]
	}
	return s
}

// comparePlans lists what differs between the plans, image attributes
// first, and counts the outputs and managed resources compared.
func comparePlans(official, converted *tfjson.Plan) ([]Difference, int, int) {
	var diffs []Difference
	outputs := map[string][2]*tfjson.Change{}
	for i, p := range []*tfjson.Plan{official, converted} {
		for name, c := range p.OutputChanges {
			pair := outputs[name]
			pair[i] = c
			outputs[name] = pair
		}
	}
	for name, pair := range outputs {
		diffs = append(diffs, compareChanges("output."+name, pair)...)
	}
	resources := map[string][2]*tfjson.Change{}
	for i, p := range []*tfjson.Plan{official, converted} {
		for _, rc := range p.ResourceChanges {
			if rc.Mode != tfjson.ManagedResourceMode {
				continue
			}
			pair := resources[rc.Address]
			pair[i] = rc.Change
			resources[rc.Address] = pair
		}
	}
	for addr, pair := range resources {
		if pair[0] != nil && pair[1] != nil && !slices.Equal(pair[0].Actions, pair[1].Actions) {
			diffs = append(diffs, Difference{addr, "(action)", fmt.Sprint(pair[0].Actions), fmt.Sprint(pair[1].Actions)})
		}
		diffs = append(diffs, compareChanges(addr, pair)...)
	}
	slices.SortFunc(diffs, func(a, b Difference) int {
		if ai, bi := strings.Contains(a.Attribute, "image"), strings.Contains(b.Attribute, "image"); ai != bi {
			if ai {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Address+"\x00"+a.Attribute, b.Address+"\x00"+b.Attribute)
	})
	return diffs, len(outputs), len(resources)
}

// compareChanges compares the planned values of two changes leaf by leaf.
func compareChanges(addr string, pair [2]*tfjson.Change) []Difference {
	var leaves [2]map[string]leaf
	for i, c := range pair {
		leaves[i] = map[string]leaf{}
		if c != nil {
			flatten(leaves[i], "", c.After, c.AfterUnknown, c.AfterSensitive)
		}
	}
	var diffs []Difference
	keys := slices.Sorted(maps.Keys(leaves[0]))
	for k := range leaves[1] {
		if _, ok := leaves[0][k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		a, aok := leaves[0][k]
		b, bok := leaves[1][k]
		if aok && bok && a.raw == b.raw {
			continue
		}
		diffs = append(diffs, Difference{addr, k, a.show(aok), b.show(bok)})
	}
	return diffs
}

// leaf is a planned value as JSON, and whether it is sensitive.
type leaf struct {
	raw       string
	sensitive bool
}

func (l leaf) show(ok bool) string {
	const most = 240
	switch {
	case !ok:
		return "(absent)"
	case l.sensitive:
		return "(sensitive)"
	case len(l.raw) > most:
		return l.raw[:most] + "…"
	}
	return l.raw
}

// flatten records each attribute of a planned value by its path (a.b.c),
// through objects and maps; a list, a set or any other value is one leaf,
// with "(known after apply)" where it is unknown.
func flatten(out map[string]leaf, at string, v, unknown, sensitive any) {
	x, isObject := v.(map[string]any)
	if !isObject || len(x) == 0 || unknown == true || sensitive == true {
		b, _ := json.Marshal(known(v, unknown))
		out[at] = leaf{raw: string(b), sensitive: anyTrue(sensitive)}
		return
	}
	u, _ := unknown.(map[string]any)
	s, _ := sensitive.(map[string]any)
	for k, e := range x {
		path := k
		if at != "" {
			path = at + "." + k
		}
		flatten(out, path, e, u[k], s[k])
	}
}

// known is v with its unknown parts (after_unknown) as "(known after
// apply)".
func known(v, unknown any) any {
	switch u := unknown.(type) {
	case bool:
		if u {
			return "(known after apply)"
		}
	case map[string]any:
		if m, ok := v.(map[string]any); ok {
			out := maps.Clone(m)
			for k, e := range u {
				out[k] = known(m[k], e)
			}
			return out
		}
	case []any:
		if l, ok := v.([]any); ok {
			out := slices.Clone(l)
			for i := range min(len(l), len(u)) {
				out[i] = known(l[i], u[i])
			}
			return out
		}
	}
	return v
}

// anyTrue reports whether a sensitivity mark (after_sensitive) marks
// anything.
func anyTrue(mark any) bool {
	switch m := mark.(type) {
	case bool:
		return m
	case map[string]any:
		return slices.ContainsFunc(slices.Collect(maps.Values(m)), anyTrue)
	case []any:
		return slices.ContainsFunc(m, anyTrue)
	}
	return false
}

// errNoCLI is returned by FindCLI when neither terraform nor tofu is on PATH.
var errNoCLI = errors.New("-verify runs terraform or tofu, and neither is on PATH (or name one with -terraform)")

// FindCLI is the CLI -verify runs: the one named, else terraform on PATH,
// else tofu.
func FindCLI(named string) (string, error) {
	if named != "" {
		return exec.LookPath(named)
	}
	for _, cli := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(cli); err == nil {
			return p, nil
		}
	}
	return "", errNoCLI
}
