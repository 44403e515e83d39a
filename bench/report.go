package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// report is the harness's output: every figure of every backend, the
// median of its runs (the worst run for error and row counts), its bar and
// its ratio.
type report struct {
	Size     string          `json:"size"`
	Contents string          `json:"contents"`
	Runs     int             `json:"runs"`
	Seed     uint64          `json:"seed"`
	Backends []backendReport `json:"backends"`
}

// backendReport is one backend's part of the report.
type backendReport struct {
	Backend string `json:"backend"`
	// Skipped or Failed say why there are no rows.
	Skipped string `json:"skipped,omitempty"`
	Failed  string `json:"failed,omitempty"`
	Rows    []row  `json:"rows,omitempty"`
}

// row is one figure of one backend.
type row struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Unit  unit   `json:"unit"`
	// Value is the aggregate of Runs; nil when the backend has no such
	// figure (no reopen or baseline for memory).
	Value *float64  `json:"value"`
	Runs  []float64 `json:"runs,omitempty"`
	// Bar describes the target; Pass is nil without one.
	Bar  string `json:"bar,omitempty"`
	Pass *bool  `json:"pass,omitempty"`
	// Ratio is Value divided by the RatioOf figure's value.
	Ratio   *float64 `json:"ratio,omitempty"`
	RatioOf string   `json:"ratio_of,omitempty"`
}

// aggregate builds a backend's report rows from its runs.
func aggregate(backend string, runs []*runResult) backendReport {
	br := backendReport{Backend: backend}
	values := map[string]float64{}
	for _, f := range figures {
		r := row{ID: f.ID, Label: f.Label, Unit: f.Unit}
		for _, run := range runs {
			if v, ok := run.Figures[f.ID]; ok {
				r.Runs = append(r.Runs, v)
			}
		}
		if len(r.Runs) > 0 {
			v := median(r.Runs)
			if f.Worst {
				v = slices.Max(r.Runs)
			}
			r.Value, values[f.ID] = &v, v
		}
		br.Rows = append(br.Rows, r)
	}
	for i := range br.Rows {
		r := &br.Rows[i]
		f, _ := figureByID(r.ID)
		of, hasOf := values[f.Of]
		if r.Value != nil && hasOf && of > 0 {
			ratio := *r.Value / of
			r.Ratio, r.RatioOf = &ratio, f.Of
		}
		b, ok := f.Bar[backend]
		if !ok {
			continue
		}
		r.Bar = describeBar(f, b)
		switch {
		case r.Value == nil || (b.Ratio > 0 && r.Ratio == nil):
			pass := false // a figure with a bar that was not measured misses it
			r.Pass = &pass
		case b.Ratio > 0:
			pass := *r.Ratio <= b.Ratio
			r.Pass = &pass
		default:
			pass := *r.Value < b.Max || (!b.Strict && *r.Value == b.Max)
			r.Pass = &pass
		}
	}
	return br
}

// median returns the median of vs (the mean of the middle two for an even
// count).
func median(vs []float64) float64 {
	s := slices.Sorted(slices.Values(vs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// describeBar prints a bar: "< 100ms", "<= 2x baseline", "= 0".
func describeBar(f figure, b bar) string {
	if b.Ratio > 0 {
		of, _ := figureByID(f.Of)
		return fmt.Sprintf("<= %gx %s", b.Ratio, of.ID)
	}
	op := "<="
	switch {
	case b.Strict:
		op = "<"
	case b.Max == 0:
		op = "="
	}
	return op + " " + formatValue(f.Unit, b.Max)
}

// formatValue prints a value of unit u for people.
func formatValue(u unit, v float64) string {
	switch u {
	case unitDuration:
		d := time.Duration(v)
		switch {
		case d < time.Millisecond:
			return fmt.Sprintf("%.1f us", v/float64(time.Microsecond))
		case d < time.Second:
			return fmt.Sprintf("%.1f ms", v/float64(time.Millisecond))
		}
		return fmt.Sprintf("%.2f s", v/float64(time.Second))
	case unitBytes:
		return fmt.Sprintf("%.0f MiB", v/(1<<20))
	}
	return fmt.Sprintf("%.0f", v)
}

// writeTable prints the report as one table per backend.
func (r *report) writeTable(w io.Writer) error {
	fmt.Fprintf(w, "configstore bench: %s\n%d run(s) per backend, seed %d; values are medians of the runs (counts and RSS: the worst run)\n",
		r.Contents, r.Runs, r.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, b := range r.Backends {
		fmt.Fprintf(tw, "\n%s\n", b.Backend)
		switch {
		case b.Skipped != "":
			fmt.Fprintf(tw, "  skipped: %s\n", b.Skipped)
			continue
		case b.Failed != "":
			fmt.Fprintf(tw, "  FAILED: %s\n", b.Failed)
			continue
		}
		fmt.Fprintln(tw, "  figure\tvalue\tbar\tresult\tratio\t")
		for _, row := range b.Rows {
			value, result, ratio := "n/a", "", ""
			if row.Value != nil {
				value = formatValue(row.Unit, *row.Value)
			}
			if row.Pass != nil {
				result = map[bool]string{true: "pass", false: "MISS"}[*row.Pass]
			}
			if row.Ratio != nil {
				ratio = fmt.Sprintf("%.2fx %s", *row.Ratio, row.RatioOf)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t\n", row.Label, value, row.Bar, result, ratio)
		}
	}
	return tw.Flush()
}

// writeJSON prints the report as indented JSON.
func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// misses lists "backend: figure" for every missed bar.
func (r *report) misses() []string {
	var out []string
	for _, b := range r.Backends {
		for _, row := range b.Rows {
			if row.Pass != nil && !*row.Pass {
				out = append(out, b.Backend+": "+row.Label)
			}
		}
	}
	return out
}

// summary says how the bars went, in one line.
func (r *report) summary() string {
	if m := r.misses(); len(m) > 0 {
		return fmt.Sprintf("%d bar(s) missed: %s", len(m), strings.Join(m, "; "))
	}
	return "every bar met"
}
