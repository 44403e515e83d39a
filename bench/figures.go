package main

import "time"

// unit is how a figure's value is measured and printed.
type unit string

const (
	unitDuration unit = "ns"    // a time.Duration in nanoseconds
	unitCount    unit = "count" // a number of things
	unitBytes    unit = "bytes"
)

// figure is one measured value of a backend run.
type figure struct {
	ID    string
	Label string
	Unit  unit
	// Of is the figure ID this one is compared with (its ratio column),
	// empty for none.
	Of string
	// Bar is what the figure must meet, per backend; a backend without an
	// entry has no bar for it.
	Bar map[string]bar
	// Worst aggregates several runs by their worst value instead of their
	// median: a count of errors or written rows fails if any run had one.
	Worst bool
}

// bar is a figure's target: value <= Max (or < Max when Strict); with a
// Ratio the target is value <= Ratio x the Of figure instead.
type bar struct {
	Max    float64
	Ratio  float64
	Strict bool
}

// The figure IDs.
const (
	figOpen              = "open_migrate"
	figParse             = "parse"
	figColdApply         = "cold_apply"
	figColdChanges       = "cold_apply_changes"
	figColdRows          = "cold_apply_rows"
	figNoopApply         = "noop_apply"
	figNoopRows          = "noop_rows"
	figPlanAll           = "plan_all"
	figGetP50            = "get_vk_p50"
	figGetP99            = "get_vk_p99"
	figGetBaselineP50    = "get_vk_baseline_p50"
	figGetByValueP50     = "get_vk_by_value_p50"
	figGetByValueP99     = "get_vk_by_value_p99"
	figUpdateP50         = "update_vk_p50"
	figUpdateP99         = "update_vk_p99"
	figUpdateBaselineP50 = "update_vk_baseline_p50"
	figContentionWall    = "contention_wall"
	figContentionError   = "contention_errors"
	figContentionLost    = "contention_lost_updates"
	figReopen            = "reopen"
	figListAll           = "list_vks"
	figPeakRSS           = "peak_rss"
	figBaseline          = "baseline"
)

func ms(n float64) float64 { return n * float64(time.Millisecond) }
func us(n float64) float64 { return n * float64(time.Microsecond) }

// sqlBackends gives the same bar to both SQL backends.
func sqlBackends(b bar) map[string]bar { return map[string]bar{"sqlite": b, "postgres": b} }

// everyBackend gives the same bar to every backend.
func everyBackend(b bar) map[string]bar {
	return map[string]bar{"memory": b, "sqlite": b, "postgres": b}
}

// lookupBar is the GetVirtualKey p50 bar; it applies to the by-value
// lookup as well, the gateway's per-request path.
var lookupBar = map[string]bar{"memory": {Max: us(2)}, "sqlite": {Max: us(50)}, "postgres": {Max: us(500)}}

// figures lists every figure in table order, with the bars (size L).
var figures = []figure{
	{ID: figOpen, Label: "(1) fresh open + all migrations", Unit: unitDuration,
		Bar: map[string]bar{"sqlite": {Max: ms(100), Strict: true}, "postgres": {Max: ms(500), Strict: true}}},
	{ID: figParse, Label: "(2) parse config.json (part of cold apply)", Unit: unitDuration},
	{ID: figColdApply, Label: "(2) cold apply (reconcile.Startup)", Unit: unitDuration, Of: figBaseline,
		Bar: sqlBackends(bar{Ratio: 2})},
	{ID: figColdChanges, Label: "(2) cold apply: change-log entries", Unit: unitCount},
	{ID: figColdRows, Label: "(2) cold apply: rows in the store", Unit: unitCount},
	{ID: figNoopApply, Label: "(3) no-op re-apply", Unit: unitDuration, Of: figColdApply,
		Bar: everyBackend(bar{Ratio: 0.15})},
	{ID: figNoopRows, Label: "(3) no-op re-apply: rows written", Unit: unitCount, Worst: true,
		Bar: everyBackend(bar{Max: 0})},
	{ID: figPlanAll, Label: "(3) parse + plan comparing every entity", Unit: unitDuration, Of: figColdApply},
	{ID: figGetP50, Label: "(4) GetVirtualKey p50", Unit: unitDuration, Bar: lookupBar, Of: figGetBaselineP50},
	{ID: figGetP99, Label: "(4) GetVirtualKey p99", Unit: unitDuration},
	{ID: figGetBaselineP50, Label: "(4) baseline: its reads, plain driver", Unit: unitDuration, Of: figGetBaselineP50},
	{ID: figGetByValueP50, Label: "(4) GetVirtualKeyByValue p50", Unit: unitDuration, Bar: lookupBar},
	{ID: figGetByValueP99, Label: "(4) GetVirtualKeyByValue p99", Unit: unitDuration},
	{ID: figUpdateP50, Label: "(5) UpdateVirtualKey p50", Unit: unitDuration, Of: figUpdateBaselineP50,
		Bar: map[string]bar{"sqlite": {Max: us(150)}, "postgres": {Max: us(700)}}},
	{ID: figUpdateP99, Label: "(5) UpdateVirtualKey p99", Unit: unitDuration},
	{ID: figUpdateBaselineP50, Label: "(5) baseline: one UPDATE, plain driver", Unit: unitDuration, Of: figUpdateBaselineP50},
	{ID: figContentionWall, Label: "(6) 8 x 200 budget read-modify-writes: wall", Unit: unitDuration},
	{ID: figContentionError, Label: "(6) ... errors", Unit: unitCount, Worst: true, Bar: everyBackend(bar{Max: 0})},
	{ID: figContentionLost, Label: "(6) ... lost updates", Unit: unitCount, Worst: true, Bar: everyBackend(bar{Max: 0})},
	{ID: figReopen, Label: "(7) reopen the populated store", Unit: unitDuration},
	{ID: figListAll, Label: "(7) list every virtual key", Unit: unitDuration},
	{ID: figPeakRSS, Label: "(8) peak RSS", Unit: unitBytes, Worst: true,
		Bar: everyBackend(bar{Max: 200 << 20, Strict: true})},
	{ID: figBaseline, Label: "baseline: same rows, plain driver, one tx", Unit: unitDuration, Of: figBaseline},
}

// figureByID returns the figure with that ID.
func figureByID(id string) (figure, bool) {
	for _, f := range figures {
		if f.ID == id {
			return f, true
		}
	}
	return figure{}, false
}
