package configfile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/gatewaykit/configstore"
)

// TestHashPinned pins, for every kind, the hash of its populated value and
// a digest of the hashes of all its field-by-field mutations, and the
// hashes of values with strings and numbers that JSON encodes in more than
// one way. The values were computed by the marshal-based canonical
// encoding (encoding/json over a decoded tree), which stored config_hash
// values come from: a faster encoding must give the same bytes. Change
// this test only on purpose, as TestHashGolden.
func TestHashPinned(t *testing.T) {
	// VirtualKey's mutations digest changed when PartsDigest, a server
	// field, joined the struct: one mutation more, whose hash is the
	// populated one (the populated hash did not change).
	want := map[string][2]string{ // kind -> populated hash, mutations digest
		"Provider":          {"f19079f8dc34a7ae13b4af65921e092ab3f74fc913f1bd7cb6639b5b75395821", "9832d0e29758331f827f63fe0692797a741b1e148f23aae762c908d91133432d"},
		"Key":               {"1e721fcde7799c6c620d6cdc474a99b01c56f0dd1000b4d1787fa020751c9290", "a7bf2b23d973e78b86458049a140864322d87f371420cc43fe24f575eb06aea0"},
		"VirtualKey":        {"52c82593e467677b18b63837db6f949f83e0eeb9b32916414bcca4d29f093a1b", "a2d19b7b994078154ad883bdb2b8cbacbb4fbea7ee98c8a0edd88ddc25ac6af7"},
		"Budget":            {"4addb21f8b56abbcd5659ca6aa02e7c2efc2686e5395e9abe9f633e6058c2b28", "bb3beadd00e2158fa77d21684001e8fe4abb4af8ab81dc0509913fd7dfb693c0"},
		"RateLimit":         {"7c98e9b8a0342444a093a40b320841b8314b43a98756818f262155c93830e8a8", "d25c320bcff68772c39ca12360fc50a0990f7e4a71d6bbccf07334938f508ac3"},
		"Customer":          {"837216e8414e5d1e558310d14694f4b6aed3397984bfbcaba3100c20666cf5f6", "364ee0f67228394b95ee6e33d95a4b8b21549d27160a47fe5155ac719467aa82"},
		"Team":              {"08d6e70a820b6010aa936540ac4a59e201de573f0547e994389383ee3ce3dd9b", "54ae52c3f9ff109c089d3ad40a05be7ea8d08d7e055a082625ee28d740af4e89"},
		"RoutingRule":       {"3631632854f284d964bacc5cf075b506df5954658c1ecb1ef8efa002a887f867", "418d475d13552228f0c165c3c0e123ba5a12c6cfb48b4110ef84aa54a5f5fc60"},
		"ModelConfig":       {"418db7e96fef2066bc472ab74cf443374fca1d2e02d1d030d1a35a6c3bf77ea7", "6d49ff7e5c9ea61ce8f8a970b5c052c003081487022d4f18ec16e5a559739f2f"},
		"MCPClient":         {"ba848741d673438b93a87dd27b4532b4e65b829774a57b5ce6fddcdaeb369c54", "ce02411ee3b6dc928b43efc825ac1bc5268bb370d0fb6ff3933bc8a47350609a"},
		"Plugin":            {"fd7b3436c6fdec79a7e9c9825b8de3586dc43d7ebbf735c2410e0a55358b698f", "e56205445f23ac5e33b9fe50438120104f37eef530bf32b5dd13f93b380b4e40"},
		"ClientConfig":      {"d539b629c1f60d8a5852abd1a8defb9a0cd3e216950cfc1805749eb2251aa385", "1f4ebf89879e3b483b47e3bc9a0f8379cccdbf8df82512c96d9eb9b46e7b0ca5"},
		"VectorStoreConfig": {"3b6f7761e25660040d3b364b63bd2ea5669554fbd2036a8a134c0e77deec359c", "62a2670e8ae6acb1e00e196bc22c35fb5a469d50c3330af76589f4cc419a7b9d"},
		"LogStoreConfig":    {"c0533ed2094ea2f8a09bb1e4dee4cd03bc70929cfe0fd43d4773a92db2cdde89", "bff9926f04ca75a409d99e83634e2aa0e1f772c728db58a4fc7864b879bcffd7"},
		"AuthConfig":        {"c09f9a107d535fa280b7453532119e047f94834531b1ae6af6ef84e5cfcd3745", "c5a746dfccd0c4c8747e8dfc2df4b15706e2eabd10b29c23078dbf6e9dab3e19"},
	}
	for _, k := range hashKinds() {
		digest := sha256.New()
		for i := range walkLeaves(k.populated()).mutations {
			v := k.populated()
			walkLeaves(v).mutations[i].apply()
			h, err := Hash(v)
			if err != nil {
				h = "error" // an invalid mutation; TestHashFieldByField covers it
			}
			digest.Write([]byte(h))
		}
		got := [2]string{mustHash(t, k.populated()), hex.EncodeToString(digest.Sum(nil))}
		if got != want[k.name] {
			t.Errorf("%s: hash and mutations digest %q, want %q", k.name, got, want[k.name])
		}
	}

	awkward := "<a&b> \u2028\u2029 \x01\x1f \"q\" \\ \t\n\r é 日本 \U0001F600 \x7f"
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"free-form strings and keys", &configstore.Team{Name: awkward,
			Profile: map[string]any{awkward: awkward, "B": []any{"z", 1.5, nil, true, map[string]any{}}, "a": map[string]any{"y": 1e21, "x": -0.0}},
			Config:  map[string]any{"small": 1e-7, "big": 123456789012345678.0, "neg": -2.5e-3}}, "163b2d2518d625074d94d927bc4636bb83601cd4c7fdc249fa553104ec496f3c"},
		{"raw JSON numbers and strings", &configstore.Plugin{Name: "p", Enabled: true,
			Config: json.RawMessage(`{"n":[1.50,15e-1,1E400,-0,0.000000000000000000000001,12345678901234567890123],"s":"\u003c\ud83d\ude00\u2028\u0000","z":{},"e":[]}`)}, "3edcbc9f697b2e6faf5bd0ac377630d6f4756fe3617401551f2923ea9d17d457"},
		{"sets of objects", &configstore.VirtualKey{Name: "v", Value: configstore.NewEnvVar("vk-value-0001"),
			ProviderConfigs: []configstore.VirtualKeyProviderConfig{
				{Provider: "b<", KeyIDs: []string{"k2", "k1", "K3"}}, {Provider: "a", AllowedModels: []string{"é", "e", "z"}}, {Provider: "a>"}}}, "98ee36d53a53b943987b6d1a8f90bfbaeb3dd184938e119f490d71eaff972fb4"},
	} {
		if got := mustHash(t, c.v); got != c.want {
			t.Errorf("%s: hash %s, want %s", c.name, got, c.want)
		}
	}
}
