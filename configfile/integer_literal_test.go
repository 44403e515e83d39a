package configfile

import (
	"reflect"
	"testing"
)

// TestPlainInteger: an integer written with a fraction or exponent is
// rewritten exactly, by moving its decimal point, and refused past 2^53
// or with a fraction, however small or far from the point.
func TestPlainInteger(t *testing.T) {
	int64Type, int8Type, uintType := reflect.TypeFor[int64](), reflect.TypeFor[int8](), reflect.TypeFor[uint]()
	const tooLarge = "is too large to be written with a fraction or exponent; write it as a plain integer"
	for _, c := range []struct {
		text           string
		t              reflect.Type
		plain, problem string
	}{
		{"42", int64Type, "42", ""},
		{"1e3", int64Type, "1000", ""},
		{"1.00E2", int64Type, "100", ""},
		{"20e-1", int64Type, "2", ""},
		{"-2.0", int64Type, "-2", ""},
		{"0.0e999999999999999999999", int64Type, "0", ""},
		{"-0.0", uintType, "0", ""},
		{"9007199254740992.0", int64Type, "9007199254740992", ""},
		{"9007199254740993.0", int64Type, "", tooLarge}, // a float64 rounds it to 2^53
		{"1e300", int64Type, "", tooLarge},
		{"1e999999999999999999999", int64Type, "", tooLarge},
		{"1.5", int64Type, "", "expected an integer, got 1.5"},
		{"1e-400", int64Type, "", "expected an integer, got 1e-400"}, // a float64 rounds it to 0
		{"100000000000000000001e-20", int64Type, "", "expected an integer, got 100000000000000000001e-20"},
		{"-5", uintType, "", "is out of range (0 to 18446744073709551615)"},
		{"3e2", int8Type, "", "is out of range (-128 to 127)"},
		{"12345678901234567890", int64Type, "", "is out of range (-9223372036854775808 to 9223372036854775807)"},
	} {
		plain, problem := plainInteger(c.text, c.t)
		if plain != c.plain || problem != c.problem {
			t.Errorf("plainInteger(%q, %s) = %q, %q; want %q, %q", c.text, c.t, plain, problem, c.plain, c.problem)
		}
	}
}
