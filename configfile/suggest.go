package configfile

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// unknownField is the message for a member no field accepts, with the
// closest accepted name when one is near enough to be a misspelling.
func unknownField(name string, accepted []string) string {
	msg := fmt.Sprintf("unknown field %q", name)
	if s := closest(name, accepted); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg
}

// closest returns the candidate nearest to name by edit distance, ignoring
// case, "_" and "-" (so maxLimit finds max_limit), or "" when none is
// within a third of the name's length (at least 1, at most 3 edits).
func closest(name string, candidates []string) string {
	fold := func(s string) string {
		return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s))
	}
	want := fold(name)
	n := utf8.RuneCountInString(want)
	limit := min(max(n/3, 1), 3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		f := fold(c)
		if abs(utf8.RuneCountInString(f)-n) > limit { // too far apart to compare
			continue
		}
		if d := editDistance(want, f); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b
// in runes: insertions, deletions, substitutions and transpositions of
// adjacent runes each count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func abs(n int) int { return max(n, -n) }
