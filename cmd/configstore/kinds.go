package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	cs "github.com/gatewaykit/configstore"
)

// kind is what get, put, delete and doctor do with one kind of entity,
// whatever its Go type.
type kind interface {
	// singleton reports a settings section: one record, no id, no delete.
	singleton() bool
	// get returns the entity with that id (ignored for a singleton).
	get(ctx context.Context, store cs.ConfigStore, id string) (any, error)
	// list returns pointers to every entity, by key; a singleton's one
	// record, or none before its first write.
	list(ctx context.Context, store cs.ConfigStore) ([]any, error)
	// put decodes data strictly and creates the entity, or updates it when
	// one with its key exists, in one transaction. ifRevision, when set, is
	// the revision the update expects. It returns the stored entity.
	put(ctx context.Context, store cs.ConfigStore, data []byte, ifRevision *int64) (v any, created bool, err error)
	// delete deletes the entity with that id.
	delete(ctx context.Context, store cs.ConfigStore, id string) error
	// id returns the key of an entity list or get returned.
	id(v any) string
}

// entityKind implements kind for the entity type T with the ConfigStore
// methods of its kind (method expressions).
type entityKind[T any] struct {
	key    func(*T) string
	getFn  func(cs.ConfigStore, context.Context, string) (*T, error)
	listFn func(cs.ConfigStore, context.Context) ([]T, error)
	create func(cs.ConfigStore, context.Context, *T) error
	update func(cs.ConfigStore, context.Context, *T) error
	del    func(cs.ConfigStore, context.Context, string) error
}

// entity returns the kind of an entity with an id.
func entity[T any](key func(*T) string,
	get func(cs.ConfigStore, context.Context, string) (*T, error),
	list func(cs.ConfigStore, context.Context) ([]T, error),
	create, update func(cs.ConfigStore, context.Context, *T) error,
	del func(cs.ConfigStore, context.Context, string) error) kind {
	return &entityKind[T]{key: key, getFn: get, listFn: list, create: create, update: update, del: del}
}

// settings returns the kind of a settings singleton.
func settings[T any](get func(cs.ConfigStore, context.Context) (*T, error), update func(cs.ConfigStore, context.Context, *T) error) kind {
	return &entityKind[T]{
		key:   func(*T) string { return "" },
		getFn: func(s cs.ConfigStore, ctx context.Context, _ string) (*T, error) { return get(s, ctx) },
		listFn: func(s cs.ConfigStore, ctx context.Context) ([]T, error) {
			v, err := get(s, ctx)
			if errors.Is(err, cs.ErrNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return []T{*v}, nil
		},
		update: update,
	}
}

// kinds maps the kind names of the command line to their kinds.
var kinds = map[string]kind{
	"provider": entity(func(p *cs.Provider) string { return p.Name },
		cs.ConfigStore.GetProvider, cs.ConfigStore.ListProviders,
		cs.ConfigStore.CreateProvider, cs.ConfigStore.UpdateProvider, cs.ConfigStore.DeleteProvider),
	"key": entity(func(k *cs.Key) string { return k.ID },
		cs.ConfigStore.GetKey, cs.ConfigStore.ListKeys,
		cs.ConfigStore.CreateKey, cs.ConfigStore.UpdateKey, cs.ConfigStore.DeleteKey),
	"virtual_key": entity(func(v *cs.VirtualKey) string { return v.ID },
		cs.ConfigStore.GetVirtualKey, cs.ConfigStore.ListVirtualKeys,
		cs.ConfigStore.CreateVirtualKey, cs.ConfigStore.UpdateVirtualKey, cs.ConfigStore.DeleteVirtualKey),
	"budget": entity(func(b *cs.Budget) string { return b.ID },
		cs.ConfigStore.GetBudget, cs.ConfigStore.ListBudgets,
		cs.ConfigStore.CreateBudget, cs.ConfigStore.UpdateBudget, cs.ConfigStore.DeleteBudget),
	"rate_limit": entity(func(r *cs.RateLimit) string { return r.ID },
		cs.ConfigStore.GetRateLimit, cs.ConfigStore.ListRateLimits,
		cs.ConfigStore.CreateRateLimit, cs.ConfigStore.UpdateRateLimit, cs.ConfigStore.DeleteRateLimit),
	"customer": entity(func(c *cs.Customer) string { return c.ID },
		cs.ConfigStore.GetCustomer, cs.ConfigStore.ListCustomers,
		cs.ConfigStore.CreateCustomer, cs.ConfigStore.UpdateCustomer, cs.ConfigStore.DeleteCustomer),
	"team": entity(func(t *cs.Team) string { return t.ID },
		cs.ConfigStore.GetTeam, cs.ConfigStore.ListTeams,
		cs.ConfigStore.CreateTeam, cs.ConfigStore.UpdateTeam, cs.ConfigStore.DeleteTeam),
	"plugin": entity(func(p *cs.Plugin) string { return p.Name },
		cs.ConfigStore.GetPlugin, cs.ConfigStore.ListPlugins,
		cs.ConfigStore.CreatePlugin, cs.ConfigStore.UpdatePlugin, cs.ConfigStore.DeletePlugin),
	"mcp_client": entity(func(c *cs.MCPClient) string { return c.ClientID },
		cs.ConfigStore.GetMCPClient, cs.ConfigStore.ListMCPClients,
		cs.ConfigStore.CreateMCPClient, cs.ConfigStore.UpdateMCPClient, cs.ConfigStore.DeleteMCPClient),
	"routing_rule": entity(func(r *cs.RoutingRule) string { return r.ID },
		cs.ConfigStore.GetRoutingRule, cs.ConfigStore.ListRoutingRules,
		cs.ConfigStore.CreateRoutingRule, cs.ConfigStore.UpdateRoutingRule, cs.ConfigStore.DeleteRoutingRule),
	"model_config": entity(func(m *cs.ModelConfig) string { return m.ID },
		cs.ConfigStore.GetModelConfig, cs.ConfigStore.ListModelConfigs,
		cs.ConfigStore.CreateModelConfig, cs.ConfigStore.UpdateModelConfig, cs.ConfigStore.DeleteModelConfig),
	"client":       settings(cs.ConfigStore.GetClientConfig, cs.ConfigStore.UpdateClientConfig),
	"vector_store": settings(cs.ConfigStore.GetVectorStoreConfig, cs.ConfigStore.UpdateVectorStoreConfig),
	"log_store":    settings(cs.ConfigStore.GetLogStoreConfig, cs.ConfigStore.UpdateLogStoreConfig),
	"auth":         settings(cs.ConfigStore.GetAuthConfig, cs.ConfigStore.UpdateAuthConfig),
}

// kindNames returns the kind names, sorted.
func kindNames() []string {
	names := make([]string, 0, len(kinds))
	for name := range kinds {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// lookupKind returns the kind named name, or an error listing the names.
func lookupKind(name string) (kind, error) {
	k, ok := kinds[name]
	if !ok {
		return nil, fmt.Errorf("unknown kind %q; kinds: %s", name, strings.Join(kindNames(), ", "))
	}
	return k, nil
}

func (k *entityKind[T]) singleton() bool { return k.create == nil }

func (k *entityKind[T]) get(ctx context.Context, store cs.ConfigStore, id string) (any, error) {
	return k.getFn(store, ctx, id)
}

func (k *entityKind[T]) list(ctx context.Context, store cs.ConfigStore) ([]any, error) {
	items, err := k.listFn(store, ctx)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out, nil
}

func (k *entityKind[T]) id(v any) string { return k.key(v.(*T)) }

func (k *entityKind[T]) delete(ctx context.Context, store cs.ConfigStore, id string) error {
	if k.del == nil {
		return fmt.Errorf("a settings section cannot be deleted: %w", cs.ErrInvalid)
	}
	return k.del(store, ctx, id)
}

func (k *entityKind[T]) put(ctx context.Context, store cs.ConfigStore, data []byte, ifRevision *int64) (any, bool, error) {
	v := new(T)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, false, fmt.Errorf("%v: %w", err, cs.ErrInvalid)
	}
	if dec.More() {
		return nil, false, fmt.Errorf("trailing data after the JSON object: %w", cs.ErrInvalid)
	}
	key := k.key(v)
	if ifRevision != nil {
		if key == "" && !k.singleton() {
			return nil, false, fmt.Errorf("--if-revision needs the entity's key in the file: %w", cs.ErrInvalid)
		}
		reflect.ValueOf(v).Elem().FieldByName("Revision").SetInt(*ifRevision)
	}
	created := false
	err := store.ExecuteTransaction(ctx, func(tx cs.ConfigStore) error {
		if k.singleton() {
			return k.update(tx, ctx, v)
		}
		if key != "" {
			_, err := k.getFn(tx, ctx, key)
			if err == nil {
				return k.update(tx, ctx, v)
			}
			if !errors.Is(err, cs.ErrNotFound) || ifRevision != nil {
				return err
			}
		}
		created = true
		return k.create(tx, ctx, v)
	})
	if err != nil {
		return nil, false, err
	}
	return v, created, nil
}
