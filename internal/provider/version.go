package provider

import (
	"cmp"
	"strings"
)

// compareVersions orders image names as versions, for order_by = "version".
// Each name is split into maximal runs of ASCII digits and of other bytes;
// runs are compared in turn: two digit runs by numeric value and, at equal
// value, the shorter run is the lower ("1" below "01"); any other pair of
// runs byte-wise. A name that runs out first is the lower. So "CentOS 7.10"
// is above "CentOS 7.9", and distinct names never compare equal.
func compareVersions(a, b string) int {
	for a != "" && b != "" {
		ra, rb := nextRun(a), nextRun(b)
		var c int
		if isDigit(ra[0]) && isDigit(rb[0]) {
			c = compareDigitRuns(ra, rb)
		} else {
			c = strings.Compare(ra, rb)
		}
		if c != 0 {
			return c
		}
		a, b = a[len(ra):], b[len(rb):]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// nextRun returns the maximal run of digits or of non-digits s starts with.
func nextRun(s string) string {
	digit := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == digit {
		i++
	}
	return s[:i]
}

// compareDigitRuns compares by value, of any length, then by length.
func compareDigitRuns(a, b string) int {
	ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	switch {
	case len(ta) != len(tb):
		return cmp.Compare(len(ta), len(tb))
	case ta != tb:
		return strings.Compare(ta, tb)
	}
	return cmp.Compare(len(a), len(b))
}
