package configstore

import (
	"errors"
	"testing"
)

// TestIsDuration: a reset duration is a positive integer without leading
// zeros and one of the units s, m, h, d, w, M, Y.
func TestIsDuration(t *testing.T) {
	for s, want := range map[string]bool{
		"30s": true, "5m": true, "1h": true, "1d": true, "1w": true, "1M": true, "1Y": true, "120d": true,
		"": false, "h": false, "0h": false, "01h": false, "1": false, "1x": false, "1H": false, "1hh": false,
		"-1h": false, "1 h": false, "1.5h": false, "1é": false, "1\xff": false,
	} {
		if got := isDuration(s); got != want {
			t.Errorf("isDuration(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestAtMostOne: two set values are refused under the later name in
// order, naming the earlier; one or none is fine.
func TestAtMostOne(t *testing.T) {
	if err := atMostOne(namedValue{"a", ""}, namedValue{"b", "x"}, namedValue{"c", ""}); err != nil {
		t.Errorf("one value set: %v", err)
	}
	err := atMostOne(namedValue{"team_id", "t"}, namedValue{"customer_id", "c"}, namedValue{"z", ""})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Path != "team_id" || fe.Msg != "must not be set together with customer_id" {
		t.Errorf("two values set: %v", err)
	}
}
