package configfile

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// maxExactInteger bounds the integers written with a fraction or exponent
// ("1e3", "2.0") that are accepted: beyond it a float64, which other
// readers of the file may take such a number for, is not exact.
const maxExactInteger = 1 << 53

// plainInteger checks that the number text is integral and fits the
// integer type t, and returns it as a plain integer literal (text itself,
// or its exact rewrite when written with a fraction or exponent:
// decimalInteger); problem says what is wrong with it.
func plainInteger(text string, t reflect.Type) (plain, problem string) {
	unsigned := t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64
	plain = text
	if strings.ContainsAny(text, ".eE") {
		var integral, tooLarge bool
		plain, integral, tooLarge = decimalInteger(text)
		switch {
		case tooLarge:
			return "", "is too large to be written with a fraction or exponent; write it as a plain integer"
		case !integral:
			return "", "expected an integer, got " + text
		}
	}
	z := reflect.New(t).Elem()
	if unsigned {
		u, err := strconv.ParseUint(plain, 10, 64)
		if err == nil && !z.OverflowUint(u) {
			return plain, ""
		}
	} else if v, err := strconv.ParseInt(plain, 10, 64); err == nil && !z.OverflowInt(v) {
		return plain, ""
	}
	lo, hi := integerRange(t)
	return "", fmt.Sprintf("is out of range (%s to %s)", lo, hi)
}

// decimalInteger rewrites text, a JSON number written with a fraction or
// an exponent, as a plain integer literal, by moving its decimal point (no
// float in between, which would round): integral is false when it has a
// fraction, tooLarge when it is above maxExactInteger in magnitude.
func decimalInteger(text string) (plain string, integral, tooLarge bool) {
	sign := ""
	if rest, ok := strings.CutPrefix(text, "-"); ok {
		sign, text = "-", rest
	}
	mantissa, exponent := text, "0"
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		mantissa, exponent = text[:i], text[i+1:]
	}
	whole, fraction, _ := strings.Cut(mantissa, ".")
	exp, err := strconv.ParseInt(exponent, 10, 64)
	if err != nil { // beyond int64: as far as any digits can go
		exp = math.MaxInt64 / 2
		if strings.HasPrefix(exponent, "-") {
			exp = -exp
		}
	}
	digits := strings.TrimLeft(whole+fraction, "0")
	if digits == "" {
		return "0", true, false
	}
	shift := exp - int64(len(fraction)) // the power of ten digits are multiplied by
	switch {
	case shift < 0 && int64(len(digits)) <= -shift:
		return "", false, false // a non-zero fraction of 1
	case shift < 0:
		cut := len(digits) + int(shift)
		if strings.Trim(digits[cut:], "0") != "" {
			return "", false, false
		}
		digits = digits[:cut]
	case int64(len(digits))+shift > int64(len(strconv.Itoa(maxExactInteger))):
		return "", true, true
	default:
		digits += strings.Repeat("0", int(shift))
	}
	if n, err := strconv.ParseUint(digits, 10, 64); err != nil || n > maxExactInteger {
		return "", true, true
	}
	return sign + digits, true, false
}
