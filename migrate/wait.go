package migrate

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Polling intervals while waiting for a lock: the first retry comes soon,
// later ones back off to pollMax. While waiting, a log record is written
// at the first retry and then every logEvery.
const (
	pollMin  = 10 * time.Millisecond
	pollMax  = 500 * time.Millisecond
	logEvery = 5 * time.Second
)

// waiter paces the retries of one lock wait and logs while it lasts.
type waiter struct {
	log     *slog.Logger
	timeout time.Duration
	dialect string
	delay   time.Duration
	logged  time.Time
}

func newWaiter(o Options, dialect string) *waiter {
	return &waiter{log: o.Logger, timeout: o.LockTimeout, dialect: dialect, delay: pollMin}
}

// logWaiting logs msg with attrs at Warn level, at most every logEvery.
func (w *waiter) logWaiting(msg string, attrs ...any) {
	if now := time.Now(); w.logged.IsZero() || now.Sub(w.logged) >= logEvery {
		w.logged = now
		w.log.Warn(msg, append([]any{"dialect", w.dialect, "lock_timeout", w.timeout}, attrs...)...)
	}
}

// sleep waits for the next retry (never past deadline) or ctx's end.
func (w *waiter) sleep(ctx context.Context, deadline time.Time) error {
	d := min(w.delay, max(time.Until(deadline), 0))
	w.delay = min(2*w.delay, pollMax)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("migrate: waiting for the migration lock: %w", context.Cause(ctx))
	case <-t.C:
		return nil
	}
}
