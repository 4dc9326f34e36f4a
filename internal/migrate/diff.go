package migrate

import (
	"fmt"
	"strings"
)

// op is one line of an edit script: kept (' '), removed ('-') or added
// ('+'), with the lines of a and b before it.
type op struct {
	kind byte
	text string
	i, j int
}

// Diff returns the unified diff (three lines of context) that turns a into
// b, both the contents of the file name; "" when they are equal. It runs in
// O((N+M)·D) time for D changed lines (Myers' algorithm), so a large file
// with a few changes costs about as much as reading it.
func Diff(name string, a, b []byte) string {
	x, y := lines(string(a)), lines(string(b))
	// Lines alike at both ends are not part of the search.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var ops []op
	for k := range pre {
		ops = append(ops, op{' ', x[k], k, k})
	}
	for _, o := range myers(x[pre:len(x)-suf], y[pre:len(y)-suf]) {
		ops = append(ops, op{o.kind, o.text, o.i + pre, o.j + pre})
	}
	for k := range suf {
		i, j := len(x)-suf+k, len(y)-suf+k
		ops = append(ops, op{' ', x[i], i, j})
	}
	return unified(name, ops)
}

// myers is the shortest edit script from x to y.
func myers(x, y []string) []op {
	n, m := len(x), len(y)
	maxD := n + m
	v := make([]int, 2*maxD+2)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v[maxD-d+1:maxD+d+2]...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || k != d && v[maxD+k-1] < v[maxD+k+1] {
				i = v[maxD+k+1]
			} else {
				i = v[maxD+k-1] + 1
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
			}
			v[maxD+k] = i
			if i >= n && j >= m {
				return backtrack(x, y, trace, d)
			}
		}
	}
	return nil
}

// backtrack reads the edit script off the saved rows of the search; row d
// holds v[k] for k in [-d+1, d+1) as it was before step d.
func backtrack(x, y []string, trace [][]int, d int) []op {
	var rev []op
	i, j := len(x), len(y)
	for ; d > 0; d-- {
		row := trace[d]
		at := func(k int) int { return row[k+d-1] }
		k := i - j
		var pk int
		if k == -d || k != d && at(k-1) < at(k+1) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		pi := at(pk)
		pj := pi - pk
		for i > pi && j > pj && i > 0 && j > 0 && x[i-1] == y[j-1] {
			i, j = i-1, j-1
			rev = append(rev, op{' ', x[i], i, j})
		}
		if pk == k+1 {
			j--
			rev = append(rev, op{'+', y[j], i, j})
		} else {
			i--
			rev = append(rev, op{'-', x[i], i, j})
		}
	}
	for i > 0 && j > 0 {
		i, j = i-1, j-1
		rev = append(rev, op{' ', x[i], i, j})
	}
	out := make([]op, len(rev))
	for k, o := range rev {
		out[len(rev)-1-k] = o
	}
	return out
}

// unified prints an edit script as hunks, each change with three lines
// around it, merged when they touch.
func unified(name string, ops []op) string {
	const context = 3
	var hunks [][2]int
	for k, o := range ops {
		if o.kind == ' ' {
			continue
		}
		lo, hi := max(0, k-context), min(len(ops), k+context+1)
		if n := len(hunks); n > 0 && lo <= hunks[n-1][1] {
			hunks[n-1][1] = hi
		} else {
			hunks = append(hunks, [2]int{lo, hi})
		}
	}
	if len(hunks) == 0 {
		return ""
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", name, name)
	for _, h := range hunks {
		var ax, by int
		for _, o := range ops[h[0]:h[1]] {
			if o.kind != '+' {
				ax++
			}
			if o.kind != '-' {
				by++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", ops[h[0]].i+1, ax, ops[h[0]].j+1, by)
		for _, o := range ops[h[0]:h[1]] {
			out.WriteString(string(o.kind) + o.text + "\n")
		}
	}
	return out.String()
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
