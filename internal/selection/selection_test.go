package selection

import (
	"regexp"
	"testing"
)

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	// Each pair is strictly increasing: compare(lo, hi) < 0 and the reverse > 0.
	pairs := [][2]string{
		{"CentOS 7.9", "CentOS 7.10"},
		{"Ubuntu 22.04", "Ubuntu 24.04"},
		{"Ubuntu 22.04.5 server 64bit", "Ubuntu 24.04 server 64bit"},
		{"Ubuntu 24.04 server 64bit", "Ubuntu 24.04.1 server 64bit"},
		{"v1", "v01"},              // equal value: the shorter run is lower
		{"v01", "v2"},              // value first
		{"v9", "v10"},              // digit runs of different lengths
		{"v009", "v10"},            // leading zeros do not make a number larger
		{"img", "img-1"},           // the name that runs out first is lower
		{"img-1", "img-1a"},        // equal prefix, one runs out
		{"a", "b"},                 // byte-wise
		{"A", "a"},                 // byte-wise, upper case first
		{"1", "a"},                 // a digit run against other bytes: byte-wise
		{"release 2", "release-1"}, // ' ' (0x20) before '-' (0x2d)
		{"build 99999999999999999999", "build 100000000000000000000"}, // beyond 64 bits
		{"Débian 9", "Débian 10"},                                     // non-ASCII bytes are other bytes
		{"Débian 10", "Döbian 1"},                                     // é (0xc3 0xa9) before ö (0xc3 0xb6)
		{"", "0"},                                                     // the empty name is the lowest
		{"0", "00"},
		{"00", "1"},
		{"x.2.0", "x.10"},
		{"EulerOS 2.9", "EulerOS 2.10"},
		{"Huawei Cloud EulerOS 1.1", "Huawei Cloud EulerOS 2.0"},
		{"webapp-1.9.9", "webapp-1.10.0"},
	}
	for _, p := range pairs {
		if c := CompareVersions(p[0], p[1]); c >= 0 {
			t.Errorf("compare(%q, %q) = %d, want < 0", p[0], p[1], c)
		}
		if c := CompareVersions(p[1], p[0]); c <= 0 {
			t.Errorf("compare(%q, %q) = %d, want > 0", p[1], p[0], c)
		}
		for _, s := range p {
			if c := CompareVersions(s, s); c != 0 {
				t.Errorf("compare(%q, %q) = %d, want 0", s, s, c)
			}
		}
	}
}

// Version order is a strict total order on names: irreflexive, antisymmetric,
// transitive, and distinct names never compare equal.
func FuzzCompareVersions(f *testing.F) {
	for _, s := range [][3]string{{"CentOS 7.9", "CentOS 7.10", "CentOS 7.09"}, {"a1", "a01", "a001b"}, {"", "0", "é"}, {"x-2.0", "x 2.0", "x2.0"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ab, ba := CompareVersions(a, b), CompareVersions(b, a)
		if ab != -ba {
			t.Fatalf("compare(%q,%q)=%d but compare(%q,%q)=%d", a, b, ab, b, a, ba)
		}
		if (ab == 0) != (a == b) {
			t.Fatalf("compare(%q,%q)=%d", a, b, ab)
		}
		if CompareVersions(a, a) != 0 {
			t.Fatalf("compare(%q,%q) != 0", a, a)
		}
		bc, ac := CompareVersions(b, c), CompareVersions(a, c)
		if ab < 0 && bc < 0 && ac >= 0 {
			t.Fatalf("%q < %q < %q but compare(a, c) = %d", a, b, c, ac)
		}
		if ab > 0 && bc > 0 && ac <= 0 {
			t.Fatalf("%q > %q > %q but compare(a, c) = %d", a, b, c, ac)
		}
	})
}

// VersionOf takes the first capture group's text, "" when the group takes
// no part in the match, and the whole name without a group.
func TestVersionOf(t *testing.T) {
	for _, c := range []struct{ re, name, want string }{
		{"", "Huawei Cloud EulerOS 2.0 64bit (20250127)", "Huawei Cloud EulerOS 2.0 64bit (20250127)"},
		{`^Huawei Cloud EulerOS (\d+\.\d+) 64bit`, "Huawei Cloud EulerOS 2.0 64bit (20250127)", "2.0"},
		{`^Ubuntu (\d+)\.(\d+)`, "Ubuntu 24.04 server", "24"},
		{`^Huawei( \d+)?`, "Huawei Cloud", ""},
		{`^Ubuntu (\d+)`, "CentOS 7", ""},
		{`(?:x)(\d+)`, "x12", "12"},
	} {
		var re *regexp.Regexp
		if c.re != "" {
			re = regexp.MustCompile(c.re)
		}
		if got := VersionOf(re)(c.name); got != c.want {
			t.Errorf("VersionOf(%q)(%q) = %q, want %q", c.re, c.name, got, c.want)
		}
	}
}

// CaptureHint writes the family of a name with its version captured, and
// the hint matches the name and its dated builds with the version alone.
func TestCaptureHint(t *testing.T) {
	for name, want := range map[string]string{
		"Huawei Cloud EulerOS 2.0 64bit":            `^Huawei Cloud EulerOS (\d+\.\d+) 64bit`,
		"Huawei Cloud EulerOS 2.0 64bit (20250127)": `^Huawei Cloud EulerOS (\d+\.\d+) 64bit`,
		"Ubuntu 22.04.5 server 64bit":               `^Ubuntu (\d+\.\d+\.\d+) server 64bit`,
		"webapp-1.2 (x86)":                          `^webapp-(\d+\.\d+) \(x86\)`,
		"no digits":                                 "",
	} {
		got := CaptureHint(name)
		if got != want {
			t.Errorf("CaptureHint(%q) = %q, want %q", name, got, want)
			continue
		}
		if got != "" && VersionOf(regexp.MustCompile(got))(name) == "" {
			t.Errorf("%q does not capture the version of %q", got, name)
		}
	}
}
