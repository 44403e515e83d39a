package configfile

import (
	"encoding/json"
	"testing"
)

func TestCanonicalNumber(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0", "0"}, {"-0", "0"}, {"0.0", "0"}, {"0e5", "0"}, {"-0.000e-3", "0"},
		{"1", "1"}, {"1.0", "1"}, {"1e0", "1"}, {"1E+0", "1"}, {"10e-1", "1"}, {"0.1e1", "1"}, {"1.000", "1"},
		{"100", "100"}, {"1e2", "100"}, {"1.00E2", "100"}, {"-1e2", "-100"},
		{"0.5", "0.5"}, {"5e-1", "0.5"}, {"0.50", "0.5"}, {"-1.50", "-1.5"}, {"15e-1", "1.5"},
		{"0.000001", "0.000001"}, {"1e-7", "0.0000001"}, {"123.456", "123.456"}, {"123456e-3", "123.456"},
		// Exact beyond float64: neither rounded nor merged with a neighbour.
		{"9007199254740993", "9007199254740993"}, {"1.000000000000000000000000001", "1.000000000000000000000000001"},
		{"12345678901234567890123456789", "12345678901234567890123456789"},
		// Up to 21 zeros plain, beyond that an exponent.
		{"1e21", "1000000000000000000000"}, {"1e+21", "1000000000000000000000"}, {"1e22", "1e22"}, {"-25e30", "-25e30"},
		{"1e-22", "0.0000000000000000000001"}, {"1e-23", "1e-23"}, {"4.9e-324", "49e-325"},
		// Absurd exponents are kept as written, without allocating.
		{"1e999999999999", "1e999999999999"}, {"1e-99999999999999999999", "1e-99999999999999999999"},
	} {
		got := canonicalNumber(c.in)
		if got != c.want {
			t.Errorf("canonicalNumber(%s) = %s, want %s", c.in, got, c.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("canonicalNumber(%s) = %s, not a JSON number", c.in, got)
		}
	}
}
