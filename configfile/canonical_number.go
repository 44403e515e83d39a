package configfile

import (
	"strconv"
	"strings"
)

// canonicalNumber returns the one spelling of the JSON number s that every
// spelling of its exact decimal value shares: 1, 1.0, 10e-1 and 1E0 are
// all "1"; 1.50 and 15e-1 are "1.5"; -0 is "0". It is plain decimal unless
// that needs more than 21 zeros around the significant digits, then digits
// "e" exponent (1e+30 is "1e30"). No precision is lost: integers beyond
// 2^53 stay exact. s must be a valid JSON number; one whose exponent is
// beyond ±2^30 is kept as it was written.
func canonicalNumber(s string) string {
	const maxZeros = 21
	neg := strings.HasPrefix(s, "-")
	mantissa, exponent, hasExp := strings.Cut(strings.ToLower(strings.TrimPrefix(s, "-")), "e")
	e := 0
	if hasExp {
		var err error
		if e, err = strconv.Atoi(exponent); err != nil || e > 1<<30 || e < -1<<30 {
			return s
		}
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	e -= len(frac)
	if digits == "" {
		return "0"
	}
	trimmed := strings.TrimRight(digits, "0")
	e += len(digits) - len(trimmed)
	digits = trimmed
	// The value is now digits × 10^e, digits without leading or trailing zeros.
	sign := ""
	if neg {
		sign = "-"
	}
	switch n := len(digits); {
	case e >= 0 && e <= maxZeros:
		return sign + digits + strings.Repeat("0", e)
	case e < 0 && -e < n:
		return sign + digits[:n+e] + "." + digits[n+e:]
	case e < 0 && -e-n <= maxZeros:
		return sign + "0." + strings.Repeat("0", -e-n) + digits
	}
	return sign + digits + "e" + strconv.Itoa(e)
}
