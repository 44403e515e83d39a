package main

import (
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"
)

// stepRunner runs the measured steps of one backend run: it times each
// step, logs it, and, with -cpuprofile, writes one CPU profile per step.
type stepRunner struct {
	backend    string
	profileDir string // empty: no profiles
	log        *slog.Logger
}

// run times fn as the step named step. It collects the garbage of the
// steps before first, as testing.B does before a benchmark, so that a
// step's figures do not include a collection of what an earlier step left
// (a plan of every entity leaves about 80 MB).
func (r *stepRunner) run(step string, fn func() error) (time.Duration, error) {
	runtime.GC()
	stop, err := r.profile(step)
	if err != nil {
		return 0, err
	}
	r.log.Info("step", "backend", r.backend, "step", step)
	start := time.Now()
	err = fn()
	elapsed := time.Since(start)
	stop()
	if err != nil {
		return elapsed, fmt.Errorf("%s: %s: %w", r.backend, step, err)
	}
	r.log.Info("step done", "backend", r.backend, "step", step, "took", elapsed.Round(time.Microsecond))
	return elapsed, nil
}

// sample runs op n times as the step named step and returns the duration
// of each call, for percentiles. Only op is timed: prepare returns the op
// of call i (reading what it needs untimed) and check, nil or what checks
// op's result once it is timed (touching memory the call did not).
func (r *stepRunner) sample(step string, n int, prepare func(i int) (op, check func() error, err error)) (latencies, error) {
	lat := make(latencies, 0, n)
	_, err := r.run(step, func() error {
		for i := range n {
			op, check, err := prepare(i)
			if err != nil {
				return err
			}
			start := time.Now()
			err = op()
			lat = append(lat, time.Since(start))
			if err == nil && check != nil {
				err = check()
			}
			if err != nil {
				return fmt.Errorf("call %d: %w", i, err)
			}
		}
		return nil
	})
	return lat, err
}

// profile starts a CPU profile of step when profiles are on; stop ends it.
func (r *stepRunner) profile(step string) (stop func(), err error) {
	if r.profileDir == "" {
		return func() {}, nil
	}
	path := filepath.Join(r.profileDir, fmt.Sprintf("%s-%s.pprof", r.backend, step))
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			r.log.Warn("cpu profile", "file", path, "err", err)
		}
	}, nil
}

// latencies are the durations of repeated calls.
type latencies []time.Duration

// percentile returns the p-th percentile (0 < p <= 100) by the
// nearest-rank method; 0 without samples.
func (l latencies) percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(l))
	rank := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}
