package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// migrateRows runs hwc-migrate on a module of 2,000 official data sources,
// with -check and printing the diff, and reports each run's wall time and
// peak memory (the process's maximum resident set).
func migrateRows() ([]row, error) {
	work, err := os.MkdirTemp("", "hwc-bench-migrate-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(work) }()
	bin := filepath.Join(work, "hwc-migrate")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/hwc-migrate").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build hwc-migrate: %v\n%s", err, out)
	}
	var src strings.Builder
	src.WriteString("provider \"huaweicloud\" {\n  region = \"cn-north-4\"\n}\n")
	for i := range 2000 {
		fmt.Fprintf(&src, "\ndata \"huaweicloud_images_image\" \"img%d\" {\n  name_regex  = \"^app-%d-\"\n  visibility  = \"private\"\n"+
			"  most_recent = true\n}\n\noutput \"img%d\" {\n  value = data.huaweicloud_images_image.img%d.id\n}\n", i, i, i, i)
	}
	module := filepath.Join(work, "module")
	if err := os.MkdirAll(module, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(module, "main.tf"), []byte(src.String()), 0o600); err != nil {
		return nil, err
	}
	measure := func(args ...string) (time.Duration, int64, error) {
		cmd := exec.Command(bin, append(args, module)...)
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		if exit := (*exec.ExitError)(nil); errors.As(err, &exit) && exit.ExitCode() == 1 {
			err = nil // -check: something would change
		}
		if err != nil {
			return 0, 0, fmt.Errorf("hwc-migrate %v: %w", args, err)
		}
		ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		return wall, ru.Maxrss * 1024, nil
	}
	checkWall, checkRSS, err := measure("-check")
	if err != nil {
		return nil, err
	}
	diffWall, diffRSS, err := measure()
	if err != nil {
		return nil, err
	}
	return []row{
		{"hwc-migrate, 2,000 converted blocks: diff, peak memory (-check: " + mbytes(checkRSS) + ")", "< 200 MB", mbytes(diffRSS), diffRSS < 200e6},
		{"hwc-migrate, 2,000 converted blocks: diff, wall (-check: " + ms(float64(checkWall)) + ")", "< 5 s", ms(float64(diffWall)), diffWall < 5*time.Second},
	}, nil
}
