package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/gatewaykit/configstore/configfile"
	"github.com/gatewaykit/configstore/reconcile"
)

// actions are the plan's actions in the order reports show them.
var actions = []reconcile.Action{reconcile.ActionCreate, reconcile.ActionUpdate, reconcile.ActionKeep, reconcile.ActionPrune}

// printReport prints what a reconcile planned or did: a headline, the
// counts per section and action, then every entity it changes, and every
// kept entity whose stored edits it preserves, with the reason and the
// fields that differ.
func (a *app) printReport(res *reconcile.Result, rev int64) {
	w := a.out
	if res.Plan == nil {
		fmt.Fprintf(w, "No %s in %s: opened the default store (SQLite config.db, schema migrated); nothing to reconcile. Store revision %d.\n",
			reconcile.FileName, a.appDir, rev)
		return
	}
	plan := res.Plan
	verb := "Applied"
	if !res.Applied {
		verb = "Plan for"
	}
	fmt.Fprintf(w, "%s %s (%s, source of truth %q): ", verb, a.configPath(), res.Setup, plan.Mode)
	switch {
	case !res.Applied:
		fmt.Fprintf(w, "store revision %d; nothing written.\n", plan.Revision)
	case rev != plan.Revision:
		fmt.Fprintf(w, "store revision %d -> %d.\n", plan.Revision, rev)
	case plan.Unchanged:
		fmt.Fprintf(w, "no changes, store revision %d (the file and the store are as the last apply left them; `plan` compares every entity).\n", rev)
	default:
		fmt.Fprintf(w, "no changes, store revision %d.\n", rev)
	}
	if len(plan.Entries) > 0 {
		fmt.Fprintln(w)
		printCounts(w, plan)
	}
	if listed := reportedEntries(plan); len(listed) > 0 {
		fmt.Fprintln(w)
		printEntries(w, listed)
	}
	if len(plan.NotManaged) > 0 {
		fmt.Fprintf(w, "\nNot managed by the store (left to the gateway): %s\n", strings.Join(plan.NotManaged, ", "))
	}
}

// printFileOnlyReport prints what apply or plan did in file-only mode: the
// file is valid, nothing is persisted, and the entities per section the
// gateway loads into its memory store.
func (a *app) printFileOnlyReport(res *reconcile.Result) {
	w := a.out
	fmt.Fprintf(w, "File-only mode (%s): %s is valid; no store is written or persisted.\n", res.Setup, a.configPath())
	fmt.Fprintf(w, "The gateway loads %s into a read-only memory store at each start: there is no stored state to apply to or drift from.\n",
		reconcile.FileName)
	counts := map[configfile.Section]int{}
	total := 0
	for _, e := range res.Plan.Entries {
		counts[e.Section]++
		total++
	}
	if total > 0 {
		fmt.Fprintln(w, "\nIt loads:")
		width := len("total")
		for s := range counts {
			width = max(width, len(s))
		}
		fmt.Fprintf(w, "%-*s  %8s\n", width, "section", "entities")
		for _, s := range configfile.Sections() {
			if counts[s] > 0 {
				fmt.Fprintf(w, "%-*s  %8d\n", width, s, counts[s])
			}
		}
		fmt.Fprintf(w, "%-*s  %8d\n", width, "total", total)
	}
	if len(res.Plan.NotManaged) > 0 {
		fmt.Fprintf(w, "\nNot managed by the store (left to the gateway): %s\n", strings.Join(res.Plan.NotManaged, ", "))
	}
}

// printCounts prints a table of the entries per section and action, in
// the order the sections appear in configfile.Sections, with a total.
func printCounts(w io.Writer, plan *reconcile.Changeset) {
	counts := map[configfile.Section]map[reconcile.Action]int{}
	total := map[reconcile.Action]int{}
	for _, e := range plan.Entries {
		if counts[e.Section] == nil {
			counts[e.Section] = map[reconcile.Action]int{}
		}
		counts[e.Section][e.Action]++
		total[e.Action]++
	}
	width := len("total")
	for s := range counts {
		width = max(width, len(s))
	}
	row := func(name string, cells func(reconcile.Action) string) {
		fmt.Fprintf(w, "%-*s", width, name)
		for _, act := range actions {
			fmt.Fprintf(w, "  %6s", cells(act))
		}
		fmt.Fprintln(w)
	}
	row("section", func(act reconcile.Action) string { return string(act) })
	for _, s := range configfile.Sections() {
		if counts[s] != nil {
			row(string(s), func(act reconcile.Action) string { return strconv.Itoa(counts[s][act]) })
		}
	}
	row("total", func(act reconcile.Action) string { return strconv.Itoa(total[act]) })
}

// reportedEntries returns the entries a report lists one by one: those
// that write, and the kept ones that preserve stored edits.
func reportedEntries(plan *reconcile.Changeset) []reconcile.Entry {
	var out []reconcile.Entry
	for _, e := range plan.Entries {
		if e.Action != reconcile.ActionKeep || len(e.Changes) > 0 {
			out = append(out, e)
		}
	}
	return out
}

// printEntries prints one line per entry, "action kind id (name) reason",
// in columns, each followed by the fields that differ, under the reason:
// "path: stored -> file" for a write, "path: stored (file: file)" for a
// kept stored edit.
func printEntries(w io.Writer, entries []reconcile.Entry) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range entries {
		id := e.ID
		if e.Name != "" && e.Name != e.ID {
			id += " (" + e.Name + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Action, e.Kind, id, e.Reason)
		for _, c := range e.Changes {
			if e.Action == reconcile.ActionKeep {
				fmt.Fprintf(tw, "\t\t\t  %s: %s (file: %s)\n", c.Path, orAbsent(c.Stored), orAbsent(c.File))
			} else {
				fmt.Fprintf(tw, "\t\t\t  %s: %s -> %s\n", c.Path, orAbsent(c.Stored), orAbsent(c.File))
			}
		}
	}
	_ = tw.Flush() // writes to the command's output; nothing to do on failure
}

// orAbsent shows an absent value (an empty rendering) as "(none)".
func orAbsent(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}
