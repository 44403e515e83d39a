package conformance

import (
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/gatewaykit/configstore"
)

// TestFullFixturesSetEveryField: the records the round-trip tests use set
// every field, nested ones included, so a field a backend drops is caught.
// Owner and scope fields that exclude one another are covered by variants.
func TestFullFixturesSetEveryField(t *testing.T) {
	exempt := map[string][]string{
		"VirtualKey": {"CustomerID", // exclusive with TeamID: variant OwnedByCustomer
			"ProviderConfigs[1].Weight", "ProviderConfigs[1].BlacklistedModels", "ProviderConfigs[1].RateLimitID", // nil on purpose
			"MCPConfigs[0].ToolsToExecute"},
		"Budget":       {"TeamID", "CustomerID", "ModelConfigID"}, // one owner: variants
		"RoutingRule":  {"Targets[1].ProviderKeyName"},
		"ModelPricing": {"InputCostPerRequest"}, // a pointer to zero, on purpose
		"RateLimit":    {"RequestMaxLimit"},     // a pointer to zero, on purpose
		"ClientConfig": nil,
		"Provider":     {"NetworkConfig.ExtraHeaders[\"X-Empty\"]", "CustomProviderConfig.AllowedRequests[\"embedding\"]"},
		"Key":          {"BedrockKeyConfig.BatchS3Config[\"tags\"][1]"},
		"Team":         {"Profile[\"tags\"][1]", "Claims[\"mfa\"]", "Config[\"nested\"][\"deep\"][\"empty\"]"},
		"MCPClient":    nil,
		"AuthConfig":   nil,
		"Plugin":       nil,
		"Customer":     nil,
		"ModelConfig":  nil,
		"VectorStore":  nil,
		"LogStore":     nil,
	}
	fixtures := map[string]any{
		"Provider": fullProvider(), "Key": fullKey(), "VirtualKey": fullVirtualKey(), "Budget": fullBudget(),
		"RateLimit": fullRateLimit(), "Customer": fullCustomer(), "Team": fullTeam(), "Plugin": fullPlugin(),
		"MCPClient": fullMCPClient(), "RoutingRule": fullRoutingRule(), "ModelConfig": fullModelConfig(),
		"ModelPricing": fullModelPricing(), "ClientConfig": clientConfigSuite.full(),
		"VectorStore": vectorStoreConfigSuite.full(), "LogStore": logStoreConfigSuite.full(), "AuthConfig": authConfigSuite.full(),
	}
	for name, v := range fixtures {
		var zero []string
		findZero(&zero, "", reflect.ValueOf(v).Elem())
		for _, z := range zero {
			if !slices.Contains(exempt[name], z) {
				t.Errorf("full %s fixture leaves %s at its zero value", name, z)
			}
		}
	}
}

func findZero(out *[]string, path string, v reflect.Value) {
	join := func(p string) string {
		if path == "" {
			return p
		}
		return path + "." + p
	}
	switch {
	case v.Type() == timeType || v.Type() == envVarType:
		if v.IsZero() {
			*out = append(*out, path)
		}
		return
	case v.Type() == reflect.TypeFor[configstore.Meta]():
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || (f.Name == "ID" && f.Tag.Get("json") == "-") {
				continue
			}
			if f.Anonymous {
				findZero(out, path, v.Field(i))
				continue
			}
			findZero(out, join(f.Name), v.Field(i))
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			*out = append(*out, path)
			return
		}
		if v.Kind() == reflect.Interface {
			findZero(out, path, v.Elem())
			return
		}
		if v.Elem().Kind() == reflect.Struct {
			findZero(out, path, v.Elem())
		}
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 && v.IsNil() {
			*out = append(*out, path)
			return
		}
		if v.Kind() == reflect.Slice {
			if v.Type().Elem().Kind() == reflect.Uint8 {
				return
			}
			for i := range v.Len() {
				findZero(out, path+"["+strconv.Itoa(i)+"]", v.Index(i))
			}
			return
		}
		for _, k := range v.MapKeys() {
			findZero(out, path+"[\""+k.String()+"\"]", v.MapIndex(k))
		}
	default:
		if v.IsZero() {
			*out = append(*out, path)
		}
	}
}
