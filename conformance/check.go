package conformance

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/gatewaykit/configstore"
)

// must fails the subtest when err is not nil.
func (t *suiteT) must(err error, what string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", fmt.Sprintf(what, args...), err)
	}
}

// wantErr fails the subtest unless errors.Is(err, target).
func (t *suiteT) wantErr(err, target error, what string, args ...any) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: succeeded, want an error wrapping %q", fmt.Sprintf(what, args...), target)
	}
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %q, want one wrapping %q", fmt.Sprintf(what, args...), err, target)
	}
}

// wantFieldErr fails the subtest unless err wraps target and is (or wraps)
// a *configstore.FieldError whose Path is path.
func (t *suiteT) wantFieldErr(err, target error, path, what string, args ...any) {
	t.Helper()
	t.wantErr(err, target, what, args...)
	var fe *configstore.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("%s: error %q is not a *configstore.FieldError (want one with Path %q)", fmt.Sprintf(what, args...), err, path)
	}
	if fe.Path != path {
		t.Fatalf("%s: FieldError.Path is %q, want %q (error: %q)", fmt.Sprintf(what, args...), fe.Path, path, err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Fatalf("%s: error message %q does not name the field %q", fmt.Sprintf(what, args...), err, path)
	}
}

// equal fails the subtest when got and want differ, listing where.
func (t *suiteT) equal(got, want any, what string, args ...any) {
	t.Helper()
	if d := diff(got, want); len(d) > 0 {
		t.Fatalf("%s: got != want:\n\t%s", fmt.Sprintf(what, args...), strings.Join(d, "\n\t"))
	}
}

// revision returns the store revision.
func (t *suiteT) revision() int64 {
	t.Helper()
	rev, err := t.store.Revision(t.ctx)
	t.must(err, "Revision")
	return rev
}

// changesAfter returns every change-log entry after revision rev.
func (t *suiteT) changesAfter(rev int64) []configstore.Change {
	t.Helper()
	cs, err := t.store.ListChanges(t.ctx, rev, 0)
	t.must(err, "ListChanges(%d, 0)", rev)
	return cs
}

// wantChanges checks that the changes after revision before are exactly one
// committed transaction, revision before+1, holding want (in any order).
// Entries of want with an empty ID or Op match any.
func (t *suiteT) wantChanges(before int64, want ...configstore.Change) {
	t.Helper()
	if got := t.revision(); got != before+1 {
		t.Fatalf("store revision is %d after one write transaction, want %d", got, before+1)
	}
	got := t.changesAfter(before)
	if len(got) != len(want) {
		t.Fatalf("change log after revision %d has %d entries, want %d:\n\tgot  %s\n\twant %s",
			before, len(got), len(want), formatChanges(got), formatChanges(want))
	}
	used := make([]bool, len(got))
	for _, w := range want {
		if w.Source == "" {
			w.Source = configstore.SourceAPI
		}
		found := false
		for i, g := range got {
			if !used[i] && g.Kind == w.Kind && (w.ID == "" || g.ID == w.ID) && (w.Op == "" || g.Op == w.Op) && g.Source == w.Source {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Fatalf("change log after revision %d has no entry %s:\n\tgot %s", before, formatChange(w), formatChanges(got))
		}
	}
	for _, g := range got {
		if g.Revision != before+1 {
			t.Fatalf("change %s has revision %d, want %d", formatChange(g), g.Revision, before+1)
		}
		checkStoreTime(t, g.Time, "change time")
	}
}

// wantNoChange checks that the store revision is still before and the
// change log holds nothing after it.
func (t *suiteT) wantNoChange(before int64, what string) {
	t.Helper()
	if got := t.revision(); got != before {
		t.Fatalf("%s: store revision moved from %d to %d", what, before, got)
	}
	if cs := t.changesAfter(before); len(cs) > 0 {
		t.Fatalf("%s: change log has new entries %s", what, formatChanges(cs))
	}
}

func formatChange(c configstore.Change) string {
	return fmt.Sprintf("{rev %d %s %q %s source %q}", c.Revision, c.Kind, c.ID, c.Op, c.Source)
}

func formatChanges(cs []configstore.Change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = formatChange(c)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// checkStoreTime checks a time the store set: not zero, in UTC, at
// millisecond precision.
func checkStoreTime(t *suiteT, tm time.Time, what string) {
	t.Helper()
	switch {
	case tm.IsZero():
		t.Fatalf("%s is zero", what)
	case tm.Location() != time.UTC:
		t.Fatalf("%s %v is in location %q, want UTC", what, tm, tm.Location())
	case !tm.Equal(tm.Truncate(time.Millisecond)):
		t.Fatalf("%s %v is not at millisecond precision", what, tm)
	}
}

// metaOf returns the Meta embedded in an entity (a pointer to a struct).
func metaOf(v any) *configstore.Meta {
	return reflect.ValueOf(v).Elem().FieldByName("Meta").Addr().Interface().(*configstore.Meta)
}

// copyServerFields copies the fields the store manages, Meta and any
// other tagged config:"server" (a virtual key's PartsDigest), and the
// named fields (such as "ID") of *from to *to, before comparing a stored
// record with the value it was written from.
func copyServerFields(to, from any, names ...string) {
	t, f := reflect.ValueOf(to).Elem(), reflect.ValueOf(from).Elem()
	for i := range t.NumField() {
		if sf := t.Type().Field(i); sf.Name == "Meta" || sf.Tag.Get("config") == "server" {
			t.Field(i).Set(f.Field(i))
		}
	}
	for _, n := range names {
		t.FieldByName(n).Set(f.FieldByName(n))
	}
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	envVarType = reflect.TypeFor[configstore.EnvVar]()
)

// diff compares got and want deeply, like reflect.DeepEqual, and returns
// up to ten differences, each with its path. It tells a nil slice or map
// from an empty one; times are equal when they are the same instant in the
// same location (the monotonic clock reading is ignored).
func diff(got, want any) []string {
	var out []string
	walk(&out, "", reflect.ValueOf(got), reflect.ValueOf(want))
	return out
}

func walk(out *[]string, path string, a, b reflect.Value) {
	if len(*out) >= 10 {
		return
	}
	add := func(format string, args ...any) {
		p := path
		if p == "" {
			p = "(top)"
		}
		*out = append(*out, p+": "+fmt.Sprintf(format, args...))
	}
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			add("got %s, want %s", show(a), show(b))
		}
		return
	}
	if a.Type() != b.Type() {
		add("got type %v, want type %v", a.Type(), b.Type())
		return
	}
	special := a.Type()
	if !a.CanInterface() || !b.CanInterface() {
		special = nil // reached through unexported fields: compare them
	}
	switch special {
	case timeType:
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		if !ta.Equal(tb) || ta.Location() != tb.Location() {
			add("got %s, want %s", ta.Format(time.RFC3339Nano+" MST"), tb.Format(time.RFC3339Nano+" MST"))
		}
		return
	case envVarType:
		ea, eb := a.Interface().(configstore.EnvVar), b.Interface().(configstore.EnvVar)
		if ea != eb {
			add("got secret %s (reference %v), want %s (reference %v)", ea.Redacted(), ea.IsReference(), eb.Redacted(), eb.IsReference())
		}
		return
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				add("got %s, want %s", show(a), show(b))
			}
			return
		}
		walk(out, path, a.Elem(), b.Elem())
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			add("got %s, want %s (nil and empty differ)", show(a), show(b))
			return
		}
		if a.Type().Elem().Kind() == reflect.Uint8 {
			if string(a.Bytes()) != string(b.Bytes()) {
				add("got %q, want %q", a.Bytes(), b.Bytes())
			}
			return
		}
		if a.Len() != b.Len() {
			add("got %d elements, want %d: got %s, want %s", a.Len(), b.Len(), show(a), show(b))
			return
		}
		for i := range a.Len() {
			walk(out, fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i))
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			add("got %s, want %s (nil and empty differ)", show(a), show(b))
			return
		}
		keys := map[string]reflect.Value{}
		for _, k := range append(a.MapKeys(), b.MapKeys()...) {
			keys[fmt.Sprint(k.Interface())] = k
		}
		names := make([]string, 0, len(keys))
		for n := range keys {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			k := keys[n]
			walk(out, fmt.Sprintf("%s[%q]", path, n), a.MapIndex(k), b.MapIndex(k))
		}
	case reflect.Struct:
		for i := range a.NumField() {
			f := a.Type().Field(i)
			p := f.Name
			if path != "" {
				p = path + "." + f.Name
			}
			walk(out, p, a.Field(i), b.Field(i))
		}
	case reflect.String:
		if a.String() != b.String() {
			add("got %q, want %q", a.String(), b.String())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			add("got %v, want %v", a.Bool(), b.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			add("got %d, want %d", a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if a.Uint() != b.Uint() {
			add("got %d, want %d", a.Uint(), b.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if math.Float64bits(a.Float()) != math.Float64bits(b.Float()) {
			add("got %v, want %v", a.Float(), b.Float())
		}
	default:
		if a.CanInterface() && b.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
			add("got %s, want %s", show(a), show(b))
		}
	}
}

// show prints a value for a diff.
func show(v reflect.Value) string {
	if !v.IsValid() {
		return "(missing)"
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		if v.IsNil() {
			return "nil"
		}
	}
	if v.Kind() == reflect.Slice && v.Len() == 0 {
		return "empty " + v.Type().String()
	}
	if v.Kind() == reflect.Map && v.Len() == 0 {
		return "empty " + v.Type().String()
	}
	if v.CanInterface() {
		if v.Kind() == reflect.Pointer {
			return fmt.Sprintf("&%+v", v.Elem().Interface())
		}
		return fmt.Sprintf("%+v", v.Interface())
	}
	return v.String()
}
