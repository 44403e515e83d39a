package configfile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/gatewaykit/configstore"
)

// ExportOptions configures Export.
type ExportOptions struct {
	// Reveal writes literal secrets in clear (their stored form). By default
	// they are redacted ("sk-...abcd"), which is fit for review but cannot
	// be applied again: the store refuses a redacted secret. Env references
	// are written as "env.NAME" either way.
	//
	// Free-form values kept verbatim (a plugin's config, the logs_store and
	// vector_store config, a provider's extra headers, a team's profile,
	// ...) are redacted too, by member name (configstore.RedactFreeForm):
	// "password", "api_key", "Authorization" and the like. The store cannot
	// tell such a redacted value from a real one, so applying an export
	// made without Reveal would store the redacted text in their place.
	Reveal bool
	// SourceOfTruth, when set, is written as source_of_truth.
	SourceOfTruth SourceOfTruth
	// ConfigStore, when set, is written as config_store (its driver config
	// redacted as a free-form value unless Reveal is set).
	ConfigStore *configstore.Config
}

// exportAttempts bounds how often Export reads the store again when a write
// committed while it was reading.
const exportAttempts = 5

// Export returns the store's configuration as a config.json: the providers
// with their keys, the governance sections, mcp.client_configs, plugins and
// the client, vector_store, logs_store and auth settings, indented, with
// object keys and every list sorted by key, so that the same store always
// exports the same bytes. Every list section is written, empty ones as [],
// so that applying the export with source_of_truth "config.json" makes a
// store hold exactly what this one holds; a settings section the store
// never had is left out. Server-managed fields (revision, times,
// config_hash) and runtime state (usage counters, last resets) are left
// out, and so are model pricing (a cache of the gateway's pricing sync) and
// the store's change log.
//
// All sections come from one consistent state of the store: Export reads
// again when a write commits meanwhile.
func Export(ctx context.Context, store configstore.ConfigStore, opts ExportOptions) ([]byte, error) {
	for range exportAttempts {
		before, err := store.Revision(ctx)
		if err != nil {
			return nil, err
		}
		x := exporter{reveal: opts.Reveal, freeForms: map[reflect.Type][]freeFormField{}}
		doc, err := x.document(ctx, store)
		if err != nil {
			return nil, err
		}
		after, err := store.Revision(ctx)
		if err != nil {
			return nil, err
		}
		if after != before {
			continue
		}
		if opts.SourceOfTruth != "" {
			doc["source_of_truth"] = opts.SourceOfTruth
		}
		if opts.ConfigStore != nil {
			if doc["config_store"], err = x.object(opts.ConfigStore); err != nil {
				return nil, fmt.Errorf("export config_store: %w", err)
			}
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("export: the store changed during each of %d reads; try again: %w", exportAttempts, configstore.ErrConflict)
}

// exporter turns stored entities into config.json objects.
type exporter struct {
	reveal bool
	// freeForms caches freeFormFields per struct type.
	freeForms map[reflect.Type][]freeFormField
}

// document reads every exported section of store.
func (x exporter) document(ctx context.Context, store configstore.ConfigStore) (map[string]any, error) {
	providers, err := store.GetProvidersConfig(ctx)
	if err != nil {
		return nil, err
	}
	providersObj := make(map[string]any, len(providers))
	for name, pc := range providers {
		// The provider's name is its key in "providers", and each key's
		// provider is the entry it is listed under.
		obj, err := x.object(&pc.Provider, "name")
		if err != nil {
			return nil, err
		}
		if obj["keys"], err = objects(x, pc.Keys, "provider"); err != nil {
			return nil, err
		}
		providersObj[name] = obj
	}
	doc := map[string]any{"providers": providersObj}

	governance := map[string]any{}
	doc["governance"] = governance
	mcp := map[string]any{}
	doc["mcp"] = mcp
	lists := []struct {
		into  map[string]any
		name  string
		items func() (any, error)
	}{
		{governance, "budgets", listOf(ctx, x, store.ListBudgets)},
		{governance, "rate_limits", listOf(ctx, x, store.ListRateLimits)},
		{governance, "customers", listOf(ctx, x, store.ListCustomers)},
		{governance, "teams", listOf(ctx, x, store.ListTeams)},
		{governance, "virtual_keys", listOf(ctx, x, store.ListVirtualKeys)},
		{governance, "routing_rules", listOf(ctx, x, store.ListRoutingRules)},
		{governance, "model_configs", listOf(ctx, x, store.ListModelConfigs)},
		{mcp, "client_configs", listOf(ctx, x, store.ListMCPClients)},
		{doc, "plugins", listOf(ctx, x, store.ListPlugins)},
		{governance, "auth_config", settingsOf(ctx, x, store.GetAuthConfig)},
		{doc, "client", settingsOf(ctx, x, store.GetClientConfig)},
		{doc, "vector_store", settingsOf(ctx, x, store.GetVectorStoreConfig)},
		{doc, "logs_store", settingsOf(ctx, x, store.GetLogStoreConfig)},
	}
	for _, l := range lists {
		v, err := l.items()
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", l.name, err)
		}
		if v != nil {
			l.into[l.name] = v
		}
	}
	return doc, nil
}

// listOf returns a reader of one list section: every entity list returns,
// as config.json objects ([] when there is none).
func listOf[T any](ctx context.Context, x exporter, list func(context.Context) ([]T, error)) func() (any, error) {
	return func() (any, error) {
		items, err := list(ctx)
		if err != nil {
			return nil, err
		}
		return objects(x, items)
	}
}

// settingsOf returns a reader of one settings section: nil when the store
// never had it.
func settingsOf[T any](ctx context.Context, x exporter, get func(context.Context) (*T, error)) func() (any, error) {
	return func() (any, error) {
		v, err := get(ctx)
		if errors.Is(err, configstore.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return x.object(v)
	}
}

// objects returns the config.json objects of items, without the fields
// named in drop.
func objects[T any](x exporter, items []T, drop ...string) ([]any, error) {
	out := make([]any, 0, len(items))
	for i := range items {
		obj, err := x.object(&items[i], drop...)
		if err != nil {
			return nil, err
		}
		out = append(out, obj)
	}
	return out, nil
}

// object returns the config.json object of the entity v points to: its
// JSON with secrets redacted, those of its free-form values included (or,
// when revealing, in their stored form), without the fields named in drop,
// the server-managed fields and the runtime state. Numbers keep their
// exact text.
func (x exporter) object(v any, drop ...string) (map[string]any, error) {
	marshal := json.Marshal
	if x.reveal {
		marshal = configstore.MarshalStored
	}
	data, err := marshal(v)
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	for _, f := range fieldsOf(reflect.TypeOf(v).Elem()) {
		if f.class == classServer || f.class == classRuntime {
			delete(obj, f.jsonName)
		}
	}
	for _, name := range drop {
		delete(obj, name)
	}
	if !x.reveal {
		x.redactFreeForms(reflect.TypeOf(v).Elem(), obj)
	}
	return obj, nil
}

// freeFormField is a JSON field of a struct type that is, or holds, a
// free-form value.
type freeFormField struct {
	name string
	typ  reflect.Type
}

// freeFormFields returns the JSON fields of struct type t that are or hold
// free-form values, in name order, computed once per type and export.
func (x exporter) freeFormFields(t reflect.Type) []freeFormField {
	if fs, ok := x.freeForms[t]; ok {
		return fs
	}
	x.freeForms[t] = nil // a type holding itself holds no more than its other fields
	fields := map[string]jsonField{}
	gatherJSONFields(t, nil, fields, map[string]int{}, new([]reflect.Type))
	var out []freeFormField
	for name, f := range fields {
		if x.holdsFreeForm(f.typ) {
			out = append(out, freeFormField{name, f.typ})
		}
	}
	slices.SortFunc(out, func(a, b freeFormField) int { return strings.Compare(a.name, b.name) })
	x.freeForms[t] = out
	return out
}

// holdsFreeForm reports whether a value of type t is or holds a free-form
// value.
func (x exporter) holdsFreeForm(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case configstore.IsFreeForm(t):
		return true
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map:
		return x.holdsFreeForm(t.Elem())
	case t.Kind() == reflect.Struct:
		return len(x.freeFormFields(t)) > 0
	}
	return false
}

// redactFreeForms returns v, the decoded JSON of a value of type t, with
// every free-form value in it (a plugin's config, extra headers, a team's
// profile) replaced by configstore.RedactFreeForm of it. Objects and lists
// are changed in place.
func (x exporter) redactFreeForms(t reflect.Type, v any) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if configstore.IsFreeForm(t) {
		return configstore.RedactFreeForm(v)
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if l, ok := v.([]any); ok && x.holdsFreeForm(t.Elem()) {
			for i := range l {
				l[i] = x.redactFreeForms(t.Elem(), l[i])
			}
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok && x.holdsFreeForm(t.Elem()) {
			for k, e := range m {
				m[k] = x.redactFreeForms(t.Elem(), e)
			}
		}
	case reflect.Struct:
		if m, ok := v.(map[string]any); ok { // not a struct that encodes as a scalar (EnvVar, time)
			for _, f := range x.freeFormFields(t) {
				if e, ok := m[f.name]; ok {
					m[f.name] = x.redactFreeForms(f.typ, e)
				}
			}
		}
	}
	return v
}
