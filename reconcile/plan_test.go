package reconcile_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
	"github.com/gatewaykit/configstore/reconcile"
)

// TestPlanNormalizesTheFile: Plan takes a File as its caller may have built
// or changed it, not as Parse returned it, so it normalizes every entity
// itself (where Startup trusts Parse's normalization), and leaves the File
// as it was: entities added to a parsed File without their defaults are
// written with them, and every entity with configfile.Hash's config_hash.
func TestPlanNormalizesTheFile(t *testing.T) {
	ctx := context.Background()
	build := func() *configfile.File {
		file, err := configfile.Parse([]byte(fullConfig))
		must(t, err)
		file.Plugins = append(file.Plugins, configstore.Plugin{Name: "added"}) // no version, no placement
		vk := &file.VirtualKeys[1]
		vk.ProviderConfigs = append(vk.ProviderConfigs, configstore.VirtualKeyProviderConfig{Provider: "openai", KeyIDs: []string{}})
		vk.MCPConfigs = []configstore.VirtualKeyMCPConfig{}
		return file
	}
	file := build()
	store, err := configstore.Open(ctx, configstore.Config{Enabled: true, Type: "memory"})
	must(t, err)
	defer store.Close()
	plan, err := reconcile.Plan(ctx, store, file, file.SourceOfTruth)
	must(t, err)
	if !reflect.DeepEqual(file, build()) {
		t.Error("Plan changed the File")
	}
	must(t, reconcile.Apply(ctx, store, plan))
	readsBack(t, file, store)
	added, err := store.GetPlugin(ctx, "added")
	must(t, err)
	if added.Version != 1 || added.Placement != configstore.PlacementPostBuiltin {
		t.Errorf("plugin added: version %d, placement %q; want the defaults", added.Version, added.Placement)
	}
}
