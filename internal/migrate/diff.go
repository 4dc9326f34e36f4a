package migrate

import (
	"cmp"
	"fmt"
	"slices"
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
// b, both the contents of the file name; "" when they are equal. Its memory
// is linear in the size of the files: the script is the shortest one
// (Myers' algorithm, O((N+M)·D) time) while it needs at most maxEdits
// changed lines between two lines both files share; past that, the files
// are first cut at the lines they share in the same order (see anchors).
func Diff(name string, a, b []byte) string {
	x, y := lines(string(a)), lines(string(b))
	return unified(name, script(x, y, 0, 0, nil))
}

// maxEdits bounds the changed lines one search of Myers' algorithm looks
// for, and so its memory (about maxEdits² saved positions).
const maxEdits = 1000

// script appends to ops the edit script from x to y, lines of the files
// from i and j on.
func script(x, y []string, i, j int, ops []op) []op {
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		ops = append(ops, op{' ', x[pre], i + pre, j + pre})
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]
	if mid, ok := myers(mx, my); ok {
		for _, o := range mid {
			ops = append(ops, op{o.kind, o.text, o.i + i + pre, o.j + j + pre})
		}
	} else {
		ops = split(mx, my, i+pre, j+pre, ops)
	}
	for k := range suf {
		xi, yj := len(x)-suf+k, len(y)-suf+k
		ops = append(ops, op{' ', x[xi], i + xi, j + yj})
	}
	return ops
}

// split is the script of files too different for one search: cut at their
// anchors, each part is diffed on its own; with no anchor, every line of x
// is removed and every line of y added.
func split(x, y []string, i, j int, ops []op) []op {
	at := anchors(x, y)
	if len(at) == 0 {
		for k, l := range x {
			ops = append(ops, op{'-', l, i + k, j})
		}
		for k, l := range y {
			ops = append(ops, op{'+', l, i + len(x), j + k})
		}
		return ops
	}
	px, py := 0, 0
	for _, a := range at {
		ops = script(x[px:a[0]], y[py:a[1]], i+px, j+py, ops)
		ops = append(ops, op{' ', x[a[0]], i + a[0], j + a[1]})
		px, py = a[0]+1, a[1]+1
	}
	return script(x[px:], y[py:], i+px, j+py, ops)
}

// anchors pairs the lines that occur as often in x as in y (the k-th of
// one with the k-th of the other: a converted block keeps its closing
// brace) and keeps the longest chain of pairs in the order of both files
// (patience sorting, O(N log N)).
func anchors(x, y []string) [][2]int {
	count := map[string]int{}
	for _, l := range x {
		count[l]++
	}
	inY := map[string][]int{}
	for k, l := range y {
		inY[l] = append(inY[l], k)
	}
	var pairs [][2]int
	seen := map[string]int{}
	for k, l := range x {
		if js := inY[l]; len(js) == count[l] {
			pairs = append(pairs, [2]int{k, js[seen[l]]})
			seen[l]++
		}
	}
	// tails[n] is the pair ending the best chain of n+1 pairs so far; prev
	// links each pair to the one before it in its chain.
	var tails []int
	prev := make([]int, len(pairs))
	for p, pair := range pairs {
		n, _ := slices.BinarySearchFunc(tails, pair[1], func(t, j int) int { return cmp.Compare(pairs[t][1], j) })
		prev[p] = -1
		if n > 0 {
			prev[p] = tails[n-1]
		}
		if n == len(tails) {
			tails = append(tails, p)
		} else {
			tails[n] = p
		}
	}
	chain := make([][2]int, len(tails))
	for n, p := len(tails)-1, -1; n >= 0; n-- {
		if p == -1 {
			p = tails[n]
		}
		chain[n] = pairs[p]
		p = prev[p]
	}
	return chain
}

// myers is the shortest edit script from x to y, or false when it needs
// more than maxEdits changed lines.
func myers(x, y []string) ([]op, bool) {
	n, m := len(x), len(y)
	maxD := min(n+m, maxEdits)
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
				return backtrack(x, y, trace, d), true
			}
		}
	}
	return nil, false
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
			out.WriteByte(o.kind)
			out.WriteString(o.text)
			out.WriteByte('\n')
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
