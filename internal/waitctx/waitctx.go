// Package waitctx lets a test know when code starts waiting on a context:
// a wait (a select on Done) is the first time Done is asked for, so a test
// can cancel the context knowing the wait has begun, without sleeping.
package waitctx

import (
	"context"
	"sync"
)

// Context is a context whose Waiting channel closes the first time its
// Done is asked for.
type Context struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

// New returns a Context over parent.
func New(parent context.Context) *Context {
	return &Context{Context: parent, waiting: make(chan struct{})}
}

// Done implements context.Context, closing Waiting the first time.
func (c *Context) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

// Waiting is closed once Done was asked for.
func (c *Context) Waiting() <-chan struct{} { return c.waiting }
