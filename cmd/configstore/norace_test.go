//go:build !race

package main

// buildFlags are the flags TestMain builds the binary with.
var buildFlags []string
