package configfile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gatewaykit/configstore"
)

// The paths of the sections the build step refers to.
var (
	providersPath  = path{}.key("providers")
	governancePath = path{}.key("governance")
	mcpClientsPath = path{}.key("mcp").key("client_configs")
	pluginsPath    = path{}.key("plugins")
)

// build turns the decoded document into a File and runs the checks that
// span entities: ids, uniqueness, references, then each entity's own
// validation (configstore.Normalize).
func (d *decoder) build(doc *document) *File {
	d.checked = len(d.problems)
	gov := doc.Governance
	if gov == nil {
		gov = &governanceSection{}
	}
	f := &File{
		Schema:       doc.Schema,
		ConfigStore:  doc.ConfigStore,
		Budgets:      gov.Budgets,
		RateLimits:   gov.RateLimits,
		Customers:    gov.Customers,
		Teams:        gov.Teams,
		RoutingRules: gov.RoutingRules,
		ModelConfigs: gov.ModelConfigs,
		Plugins:      doc.Plugins,
		Client:       doc.Client,
		VectorStore:  doc.VectorStore,
		LogsStore:    doc.LogsStore,
		Presence:     d.presence(),
		NotManaged:   d.notManaged,
	}
	if doc.MCP != nil {
		f.MCPClients = doc.MCP.ClientConfigs
	}
	authAt := d.settings(f, doc, gov)
	f.Providers = providerList(doc.Providers)
	f.VirtualKeys = d.virtualKeys(gov.VirtualKeys, f.MCPClients)
	keys := d.keysInFileOrder(f)
	d.checkIdentities(f, keys)
	d.checkReferences(f, keys)
	d.normalize(f, keys, authAt)
	return f
}

// settings fills in and checks the file-wide settings. It returns the path
// of the auth config it took: governance.auth_config, or the deprecated
// top-level auth_config.
func (d *decoder) settings(f *File, doc *document, gov *governanceSection) path {
	if v := doc.Version; v != nil {
		switch *v {
		case 2:
			f.Version = "2"
		case 1:
			d.report(path{}.key("version"), `1 (empty allow-lists allow everything) `+msgUnsupported+`; use 2 and write ["*"] to allow everything`)
		default:
			d.report(path{}.key("version"), fmt.Sprintf("must be 1 or 2, got %d", *v))
		}
	}
	switch s := SourceOfTruth(doc.SourceOfTruth); s {
	case "", SourceSplit:
		f.SourceOfTruth = SourceSplit
	case SourceConfigJSON:
		f.SourceOfTruth = s
	default:
		d.report(path{}.key("source_of_truth"), fmt.Sprintf("must be %q or %q, got %q", SourceSplit, SourceConfigJSON, s))
	}
	if cs := doc.ConfigStore; cs != nil && cs.Enabled && strings.TrimSpace(cs.Type) == "" {
		d.report(path{}.key("config_store").key("type"), "is required when enabled is true")
	}
	f.AuthConfig = gov.AuthConfig
	switch {
	case doc.AuthConfig == nil:
	case gov.AuthConfig != nil:
		d.report(path{}.key("auth_config"), "is also given as governance.auth_config; give it once, in governance")
	default:
		f.AuthConfig = doc.AuthConfig
		return path{}.key("auth_config")
	}
	return governancePath.key("auth_config")
}

// presence finds every managed section in the document.
func (d *decoder) presence() map[Section]Presence {
	m := make(map[Section]Presence, len(Sections()))
	for _, s := range Sections() {
		n := d.root
		for name := range strings.SplitSeq(string(s), ".") {
			n = n.member(name)
		}
		if n == nil && s == SectionAuthConfig {
			n = d.root.member("auth_config") // the deprecated top-level place
		}
		switch {
		case n == nil:
			m[s] = Missing
		case n.kind >= kindArray && len(n.members) == 0:
			m[s] = Empty
		default:
			m[s] = Present
		}
	}
	return m
}

// providerList returns the providers sorted by name, each named by its key
// in "providers" and its keys marked as its own.
func providerList(byName map[string]configstore.ProviderConfig) []configstore.ProviderConfig {
	var out []configstore.ProviderConfig
	for name, pc := range byName {
		pc.Name = name
		for i := range pc.Keys {
			pc.Keys[i].Provider = name
		}
		out = append(out, pc)
	}
	slices.SortFunc(out, func(a, b configstore.ProviderConfig) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// keyAt is a provider key with where it is in the document.
type keyAt struct {
	at  element
	key *configstore.Key
}

// keysInFileOrder lists the keys of f's providers in document order.
func (d *decoder) keysInFileOrder(f *File) []keyAt {
	var keys []keyAt
	for _, m := range d.root.member("providers").membersOrNone() {
		i, found := slices.BinarySearchFunc(f.Providers, m.key, func(pc configstore.ProviderConfig, name string) int {
			return strings.Compare(pc.Name, name)
		})
		if !found || slices.ContainsFunc(keys, func(k keyAt) bool { return k.key.Provider == m.key }) {
			continue
		}
		pc := &f.Providers[i]
		list := providersPath.key(m.key).key("keys")
		for j := range pc.Keys {
			keys = append(keys, keyAt{element{list, j}, &pc.Keys[j]})
		}
	}
	return keys
}

// virtualKeys converts the file's virtual keys, resolving each MCP
// config's client: by mcp_client_id (a client_id of mcp.client_configs) or
// by mcp_client_name.
func (d *decoder) virtualKeys(vks []fileVirtualKey, clients []configstore.MCPClient) []configstore.VirtualKey {
	nameByID, names := map[string]string{}, map[string]bool{}
	for _, c := range clients {
		if c.ClientID != "" {
			nameByID[c.ClientID] = c.Name
		}
		names[c.Name] = true
	}
	base := governancePath.key("virtual_keys")
	out := make([]configstore.VirtualKey, len(vks))
	for i, fv := range vks {
		vk := fv.VirtualKey
		vk.MCPConfigs = nil
		for j, mc := range fv.MCPConfigs {
			at := base.index(i).key("mcp_configs").index(j)
			cfg := mc.VirtualKeyMCPConfig
			switch name, ok := nameByID[mc.MCPClientID]; {
			case mc.MCPClientID != "" && !ok:
				d.reportReference(at.key("mcp_client_id"), fmt.Sprintf("no MCP client with client_id %q in mcp.client_configs", mc.MCPClientID))
				cfg.MCPClientName = mc.MCPClientID // the File is not returned; avoids a second "is required"
			case mc.MCPClientID != "" && cfg.MCPClientName != "" && cfg.MCPClientName != name:
				d.report(at.key("mcp_client_name"), fmt.Sprintf("is %q, but mcp_client_id %q is the client %q", cfg.MCPClientName, mc.MCPClientID, name))
			case mc.MCPClientID != "":
				cfg.MCPClientName = name
			case cfg.MCPClientName != "" && !names[cfg.MCPClientName]:
				d.reportReference(at.key("mcp_client_name"), fmt.Sprintf("no MCP client %q in mcp.client_configs", cfg.MCPClientName))
			}
			vk.MCPConfigs = append(vk.MCPConfigs, cfg)
		}
		out[i] = vk
	}
	return out
}
