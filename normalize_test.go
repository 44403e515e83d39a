package configstore_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

// TestNormalizeRefusesWhatNoStoreKeeps: text with a NUL byte or invalid
// UTF-8 and a float that is not finite are refused by Normalize, with the
// field's path, as every store's write refuses them, and the entity is left
// as it was.
func TestNormalizeRefusesWhatNoStoreKeeps(t *testing.T) {
	for _, tc := range []struct {
		name, path, msg string
		entity          any
	}{
		{"NUL byte", "budget_id", "NUL byte", &configstore.Customer{ID: "c", Name: "C", BudgetID: "b\x00"}},
		{"invalid UTF-8", "rate_limit_id", "UTF-8", &configstore.Customer{ID: "c", Name: "C", RateLimitID: "r\xff"}},
		{"infinite float", "max_limit", "finite", &configstore.Budget{ID: "b", MaxLimit: math.Inf(1), ResetDuration: "1h"}},
		{"NaN", "max_limit", "finite", &configstore.Budget{ID: "b", MaxLimit: math.NaN(), ResetDuration: "1h"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := fmt.Sprintf("%+v", tc.entity)
			err := configstore.Normalize(tc.entity)
			var fe *configstore.FieldError
			switch {
			case !errors.As(err, &fe):
				t.Fatalf("Normalize = %v, want a FieldError", err)
			case fe.Path != tc.path || !strings.Contains(fe.Msg, tc.msg):
				t.Errorf("Normalize: %s: %s; want %s: ...%s...", fe.Path, fe.Msg, tc.path, tc.msg)
			case !errors.Is(err, configstore.ErrInvalid):
				t.Errorf("Normalize = %v, want ErrInvalid", err)
			}
			if after := fmt.Sprintf("%+v", tc.entity); after != before {
				t.Errorf("Normalize changed the refused entity: %s, was %s", after, before)
			}
		})
	}
}
