package configstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
)

// virtualKeyParts stores a virtual key's provider configs (with their key
// lists) and MCP configs as rows of their own kinds.
type virtualKeyParts struct{}

// check checks vk's parts and resolves its MCP client names once, for the
// write it returns (a second resolution after the entity's own insert
// would flush a batched transaction's inserts for every virtual key). It
// sets vk.PartsDigest to the digest of the rows the parts are stored as.
// For an update (stored is the virtual key's stored record) whose stored
// digest is the same, the stored rows are these rows: nothing is read,
// checked or written. Otherwise an update reads the stored parts first: a
// key or rate limit a stored provider config of the same provider already
// lists needs no check (the delete rules keep it, and a key's provider
// cannot change), and the write compares with these parts instead of
// reading them again.
func (virtualKeyParts) check(ctx context.Context, r Reader, vk *VirtualKey, stored Record) (partsWrite, error) {
	ids, err := mcpClientIDs(ctx, r, vk.MCPConfigs)
	if err != nil {
		return nil, err
	}
	fresh := partRows(vk, ids)
	vk.PartsDigest = fresh.digest()
	if stored != nil && stored["parts_digest"] == vk.PartsDigest {
		return nil, nil
	}
	var storedParts *partSet
	if stored != nil {
		s, err := storedPartRows(ctx, r, vk.ID)
		if err != nil {
			return nil, err
		}
		storedParts = &s
	}
	held := storedParts.heldReferences()
	var keyIDs []string
	for _, pc := range vk.ProviderConfigs {
		if pc.allKeys() {
			continue
		}
		for _, id := range pc.KeyIDs {
			if !held[heldKey(pc.Provider, id)] {
				keyIDs = append(keyIDs, id)
			}
		}
	}
	if err := prefetchRows(ctx, r, kindKey, keyIDs); err != nil {
		return nil, err
	}
	// Paths are spelled out only for an error: most writes have none.
	for i, pc := range vk.ProviderConfigs {
		if pc.RateLimitID != "" && !held[heldRateLimit(pc.RateLimitID)] {
			path := fmt.Sprintf("provider_configs[%d].rate_limit_id", i)
			if err := checkExists(ctx, r, kindRateLimit.Name, pc.RateLimitID, path); err != nil {
				return nil, err
			}
		}
		if pc.allKeys() {
			continue
		}
		for j, id := range pc.KeyIDs {
			if held[heldKey(pc.Provider, id)] {
				continue
			}
			rec, err := lookupRow(ctx, r, kindKey, id)
			if errors.Is(err, ErrNotFound) {
				return nil, &FieldError{Path: keyIDPath(i, j), Err: ErrInvalidReference, Msg: fmt.Sprintf("key %q does not exist", id)}
			}
			if err != nil {
				return nil, err
			}
			if owner := rec["provider"].(string); owner != pc.Provider {
				return nil, &FieldError{Path: keyIDPath(i, j), Err: ErrInvalidReference,
					Msg: fmt.Sprintf("key %q belongs to provider %q, not %q", id, owner, pc.Provider)}
			}
		}
	}
	return func(ctx context.Context, tx Tx) error {
		return writeParts(ctx, tx, fresh, storedParts)
	}, nil
}

// heldRef is a reference a stored provider config holds: a key, under
// the config's provider, or a rate limit (provider empty).
type heldRef struct {
	kind     *Kind
	provider string
	id       string
}

// heldKey and heldRateLimit are the heldRefs of a key and a rate limit.
func heldKey(provider, keyID string) heldRef { return heldRef{kindKey, provider, keyID} }
func heldRateLimit(id string) heldRef        { return heldRef{kind: kindRateLimit, id: id} }

// heldReferences returns the references the stored parts s hold (nil s:
// none): the keys each provider config lists, under its provider, and
// their rate limits.
func (s *partSet) heldReferences() map[heldRef]bool {
	if s == nil {
		return nil
	}
	providerOf := make(map[string]string, len(s.configs.recs))
	held := map[heldRef]bool{}
	for _, rec := range s.configs.recs {
		providerOf[rec["id"].(string)] = rec["provider"].(string)
		if id, ok := rec["rate_limit_id"].(string); ok {
			held[heldRateLimit(id)] = true
		}
	}
	for _, rec := range s.keys.recs {
		held[heldKey(providerOf[rec["provider_config_id"].(string)], rec["key_id"].(string))] = true
	}
	return held
}

// keyIDPath is the path of key_ids[j] of provider config i.
func keyIDPath(i, j int) string { return fmt.Sprintf("provider_configs[%d].key_ids[%d]", i, j) }

// mcpClientIDs resolves the MCP client names of configs to client ids.
func mcpClientIDs(ctx context.Context, r Reader, configs []VirtualKeyMCPConfig) (map[string]string, error) {
	if len(configs) == 0 {
		return nil, nil
	}
	names := make([]string, len(configs))
	for i, mc := range configs {
		names[i] = mc.MCPClientName
	}
	recs, err := r.List(ctx, kindMCPClient, Query{Where: []Condition{In("name", names)}})
	if err != nil {
		return nil, err
	}
	ids := make(map[string]string, len(recs))
	for _, rec := range recs {
		ids[rec["name"].(string)] = rec["client_id"].(string)
	}
	for i, name := range names {
		if _, ok := ids[name]; !ok {
			return nil, &FieldError{Path: fmt.Sprintf("mcp_configs[%d].mcp_client_name", i), Err: ErrInvalidReference,
				Msg: fmt.Sprintf("mcp_client named %q does not exist", name)}
		}
	}
	return ids, nil
}

// writeParts stores fresh, a virtual key's part rows. For an update,
// stored holds the stored rows: writeParts compares them with fresh and,
// when they differ, deletes them first; an update that leaves the rows as
// they are writes none.
func writeParts(ctx context.Context, tx Tx, fresh partSet, stored *partSet) error {
	if stored != nil {
		if stored.equal(fresh) {
			return nil
		}
		// Deleting a provider config deletes its key list.
		for _, b := range []partBatch{stored.configs, stored.mcps} {
			if len(b.recs) > 0 {
				if err := tx.Delete(ctx, b.kind, b.keys()...); err != nil {
					return err
				}
			}
		}
	}
	for _, b := range fresh.batches() {
		if len(b.recs) == 0 {
			continue
		}
		if err := tx.Insert(ctx, b.kind, b.recs...); err != nil {
			return err
		}
	}
	return nil
}

// partSet is the part rows of one virtual key, by kind.
type partSet struct{ configs, keys, mcps partBatch }

// partBatch is rows of one part kind.
type partBatch struct {
	kind *Kind
	recs []Record
}

// newPartSet returns an empty set.
func newPartSet() partSet {
	return partSet{configs: partBatch{kind: kindVKProviderConfig}, keys: partBatch{kind: kindVKProviderConfigKey},
		mcps: partBatch{kind: kindVKMCPConfig}}
}

// allKeys reports whether the provider config allows every key of its
// provider (key_ids ["*"]).
func (pc VirtualKeyProviderConfig) allKeys() bool { return slices.Equal(pc.KeyIDs, []string{AllKeys}) }

// batches returns the set's rows in insert order: provider configs before
// the key lists that refer to them.
func (s partSet) batches() []partBatch { return []partBatch{s.configs, s.keys, s.mcps} }

// keys returns the keys of the batch's rows.
func (b partBatch) keys() []string {
	keys := make([]string, len(b.recs))
	for i, rec := range b.recs {
		keys[i] = rec[b.kind.Key].(string)
	}
	return keys
}

// equal reports whether two sets hold the same rows: each row of one is
// in the other, field for field. (Part keys derive from their positions,
// so equal rows are the same configs in the same order.)
func (s partSet) equal(o partSet) bool {
	for i, b := range s.batches() {
		ob := o.batches()[i]
		if len(b.recs) != len(ob.recs) {
			return false
		}
		byKey := make(map[string]Record, len(ob.recs))
		for _, rec := range ob.recs {
			byKey[rec[ob.kind.Key].(string)] = rec
		}
		for _, rec := range b.recs {
			if other, ok := byKey[rec[b.kind.Key].(string)]; !ok || !reflect.DeepEqual(rec, other) {
				return false
			}
		}
	}
	return true
}

// digest returns the SHA-256, in hex, of the set's rows: of the number of
// rows of each batch, then of each value of each row, in batch, row and
// field order, each with its type and ended by ';' (text with its length
// first), so that two sets have one digest only if they hold the same rows
// in the same order.
func (s partSet) digest() string {
	h := sha256.New()
	var buf []byte
	for _, b := range s.batches() {
		buf = append(strconv.AppendInt(append(buf[:0], 'n'), int64(len(b.recs)), 10), ';')
		h.Write(buf)
		for _, rec := range b.recs {
			for _, f := range b.kind.Fields {
				h.Write(append(appendDigestValue(buf[:0], rec[f.Name]), ';'))
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// appendDigestValue appends to b a value of a part row: a type letter,
// then for text its length, ':' and its bytes.
func appendDigestValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, '0')
	case string:
		b = strconv.AppendInt(append(b, 's'), int64(len(v)), 10)
		return append(append(b, ':'), v...)
	case int64:
		return strconv.AppendInt(append(b, 'i'), v, 10)
	case float64:
		return strconv.AppendUint(append(b, 'f'), math.Float64bits(v), 16)
	case bool:
		return strconv.AppendBool(append(b, 'b'), v)
	}
	panic(fmt.Sprintf("configstore: a part row holds a %T", v))
}

// partRows encodes vk's parts as rows, with the ids of its MCP clients by
// name.
func partRows(vk *VirtualKey, mcpClientIDs map[string]string) partSet {
	s := newPartSet()
	for i, pc := range vk.ProviderConfigs {
		row := vkProviderConfigRow{ID: partID(vk.ID, i), VirtualKeyID: vk.ID, Position: i, Provider: pc.Provider,
			Weight: pc.Weight, AllowedModels: pc.AllowedModels, BlacklistedModels: pc.BlacklistedModels,
			RateLimitID: pc.RateLimitID, AllKeys: pc.allKeys()}
		s.configs.recs = append(s.configs.recs, mustEncode(&row))
		if row.AllKeys {
			continue
		}
		for j, id := range pc.KeyIDs {
			s.keys.recs = append(s.keys.recs, mustEncode(&vkProviderConfigKeyRow{ID: partID(row.ID, j),
				ProviderConfigID: row.ID, Position: j, KeyID: id}))
		}
	}
	for i, mc := range vk.MCPConfigs {
		s.mcps.recs = append(s.mcps.recs, mustEncode(&vkMCPConfigRow{ID: partID(vk.ID, i), VirtualKeyID: vk.ID, Position: i,
			MCPClientID: mcpClientIDs[mc.MCPClientName], ToolsToExecute: mc.ToolsToExecute}))
	}
	return s
}

// storedPartRows reads the part rows stored for virtual key id.
func storedPartRows(ctx context.Context, r Reader, id string) (partSet, error) {
	lists := vkPartLists([]Condition{Eq("virtual_key_id", id)})[:vkPartClients]
	res, err := listBatch(ctx, r, false, lists)
	if err != nil {
		return partSet{}, err
	}
	s := newPartSet()
	s.configs.recs, s.keys.recs, s.mcps.recs = res[vkPartConfigs], res[vkPartKeys], res[vkPartMCPs]
	return s, nil
}

// The lists of vkPartLists, by position.
const (
	vkPartConfigs = iota // provider configs
	vkPartKeys           // their key ids
	vkPartMCPs           // MCP configs
	vkPartClients        // the MCP clients they name
	vkPartCount
)

// vkPartLists returns the lists of the part rows of the virtual keys whose
// ids byVK restricts virtual_key_id to (none: of every one), each in its
// order, and the MCP clients the MCP configs name. They depend on one
// another through InSelect only, so they go as one batch. (The key lists
// of every virtual key are every key list; the clients are only those the
// MCP configs name, often none.)
func vkPartLists(byVK []Condition) []KindQuery {
	var keysWhere []Condition
	if byVK != nil {
		keysWhere = []Condition{InSelect("provider_config_id", kindVKProviderConfig, "id", byVK...)}
	}
	lists := make([]KindQuery, vkPartCount)
	lists[vkPartConfigs] = KindQuery{kindVKProviderConfig, Query{Where: byVK, OrderBy: []string{"virtual_key_id", "position"}}}
	lists[vkPartKeys] = KindQuery{kindVKProviderConfigKey, Query{Where: keysWhere, OrderBy: []string{"provider_config_id", "position"}}}
	lists[vkPartMCPs] = KindQuery{kindVKMCPConfig, Query{Where: byVK, OrderBy: []string{"virtual_key_id", "position"}}}
	lists[vkPartClients] = KindQuery{kindMCPClient, Query{Where: []Condition{InSelect("client_id", kindVKMCPConfig, "mcp_client_id", byVK...)}}}
	return lists
}

// lists implements partsCodec.
func (virtualKeyParts) lists(sel selection) []KindQuery { return vkPartLists(sel.on("virtual_key_id")) }

// assembler implements partsCodec: the provider configs with their key
// ids, and the MCP configs with their clients' names.
func (virtualKeyParts) assembler(vks []VirtualKey) partsAssembler {
	return &vkAssembler{vks: vks, keysByPC: map[string][]string{}, names: map[string]string{}}
}

// vkAssembler is the partsAssembler of virtual keys: it keeps the decoded
// rows of each list until done puts them together.
type vkAssembler struct {
	vks      []VirtualKey
	pcs      []vkProviderConfigRow
	keysByPC map[string][]string // key ids by provider config id, in order
	mcps     []vkMCPConfigRow
	names    map[string]string // MCP client names by client id
}

// add implements partsAssembler.
func (a *vkAssembler) add(i int, recs []Record) (err error) {
	switch i {
	case vkPartConfigs:
		a.pcs, err = decodeAll[vkProviderConfigRow](recs)
	case vkPartKeys:
		var keys []vkProviderConfigKeyRow
		keys, err = decodeAll[vkProviderConfigKeyRow](recs)
		for _, k := range keys {
			a.keysByPC[k.ProviderConfigID] = append(a.keysByPC[k.ProviderConfigID], k.KeyID)
		}
	case vkPartMCPs:
		a.mcps, err = decodeAll[vkMCPConfigRow](recs)
	case vkPartClients:
		for _, rec := range recs {
			a.names[rec["client_id"].(string)] = rec["name"].(string)
		}
	}
	return err
}

// done implements partsAssembler.
func (a *vkAssembler) done() error {
	byID := make(map[string]*VirtualKey, len(a.vks))
	for i := range a.vks {
		byID[a.vks[i].ID] = &a.vks[i]
	}
	for _, row := range a.pcs {
		pc := VirtualKeyProviderConfig{Provider: row.Provider, Weight: row.Weight, AllowedModels: row.AllowedModels,
			BlacklistedModels: row.BlacklistedModels, RateLimitID: row.RateLimitID, KeyIDs: a.keysByPC[row.ID]}
		if row.AllKeys {
			pc.KeyIDs = []string{AllKeys}
		}
		if vk := byID[row.VirtualKeyID]; vk != nil {
			vk.ProviderConfigs = append(vk.ProviderConfigs, pc)
		}
	}
	for _, m := range a.mcps {
		if vk := byID[m.VirtualKeyID]; vk != nil {
			vk.MCPConfigs = append(vk.MCPConfigs, VirtualKeyMCPConfig{MCPClientName: a.names[m.MCPClientID], ToolsToExecute: m.ToolsToExecute})
		}
	}
	return nil
}
