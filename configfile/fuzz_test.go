package configfile_test

import (
	"errors"
	"testing"

	"github.com/gatewaykit/configstore/configfile"
)

// FuzzParse feeds Parse arbitrary input, seeded with the Bifrost examples:
// it must not panic, and it returns either a File or an *Error.
func FuzzParse(f *testing.F) {
	for _, data := range exampleDocuments(f) {
		f.Add(data)
	}
	f.Add([]byte(referenceCase("vk1", "b1", "c1", "t1", "rl1", `"key-1", "second"`, `"mcp_client_id": "weather-id"`)))
	f.Add([]byte(`{"governance": {"rate_limits": [{"id": "r", "token_max_limit": 1e3, "request_max_limit": 1.5}]}, "version": 2.0}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := configfile.Parse(data)
		if err == nil {
			if file == nil || len(file.Presence) != len(configfile.Sections()) {
				t.Fatalf("no error, but File %v", file)
			}
			return
		}
		var e *configfile.Error
		if !errors.As(err, &e) || file != nil || len(e.Problems) == 0 {
			t.Fatalf("error %T %v with File %v; want a non-empty *configfile.Error and no File", err, err, file)
		}
	})
}
