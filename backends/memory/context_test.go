package memory_test

import (
	"context"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
)

func TestCancelledContext(t *testing.T) {
	b := newBackend()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	wantErr(t, b.Read(ctx, func(configstore.Reader) error { called = true; return nil }), context.Canceled)
	wantErr(t, b.Write(ctx, func(configstore.Tx) error { called = true; return nil }), context.Canceled)
	if called {
		t.Fatal("fn called with a cancelled context")
	}
}

func TestCancelDuringTransactionDiscardsIt(t *testing.T) {
	b := newBackend()
	rl := kind(t, "rate_limit")
	ctx, cancel := context.WithCancel(context.Background())
	err := b.Write(ctx, func(tx configstore.Tx) error {
		if err := tx.Insert(ctx, rl, record(t, rl, "rl-1", nil)); err != nil {
			return err
		}
		cancel()
		if err := tx.Insert(ctx, rl, record(t, rl, "rl-2", nil)); err != context.Canceled {
			t.Errorf("Insert with a cancelled context: %v, want context.Canceled", err)
		}
		return nil
	})
	wantErr(t, err, context.Canceled)
	if get(t, b, rl, "rl-1") != nil {
		t.Fatal("a transaction whose context ended was committed")
	}
}

// waitingContext reports the first call of Done: the moment a writer starts
// waiting for the writer slot.
type waitingContext struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func (c *waitingContext) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

func TestWaitingWriterHonoursCancel(t *testing.T) {
	b := newBackend()
	inside, release := make(chan struct{}), make(chan struct{})
	first := make(chan error)
	go func() {
		first <- b.Write(context.Background(), func(configstore.Tx) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	inner, cancel := context.WithCancel(context.Background())
	ctx := &waitingContext{Context: inner, waiting: make(chan struct{})}
	second := make(chan error)
	called := false
	go func() { second <- b.Write(ctx, func(configstore.Tx) error { called = true; return nil }) }()
	<-ctx.waiting
	cancel()
	wantErr(t, <-second, context.Canceled)
	if called {
		t.Fatal("a cancelled waiting writer ran fn")
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
}
