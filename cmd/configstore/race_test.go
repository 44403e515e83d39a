//go:build race

package main

// buildFlags are the flags TestMain builds the binary with: under the race
// detector, the binary is race-checked too.
var buildFlags = []string{"-race"}
