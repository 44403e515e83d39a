package main

import (
	"errors"

	"github.com/gatewaykit/configstore"
)

// The exit codes, documented on the package and in the root command's help.
const (
	exitOK       = 0
	exitError    = 1
	exitChanges  = 2 // plan --detailed-exitcode: the plan changes something
	exitConflict = 3 // a revision conflict: the store moved since it was read
)

// exitStatus is an error that ends the command with a given code. A nil err
// prints nothing (plan's "changes present" is not a failure).
type exitStatus struct {
	code int
	err  error
}

func (e *exitStatus) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitStatus) Unwrap() error { return e.err }

// exitCode returns the process exit code for the error a command returned.
func exitCode(err error) int {
	var st *exitStatus
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &st):
		return st.code
	case errors.Is(err, configstore.ErrConflict):
		return exitConflict
	}
	return exitError
}
