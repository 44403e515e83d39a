package memory

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatewaykit/configstore"
)

// checkValue checks that v is a value of field f's type and returns it
// normalized; msg is non-empty when it is not. Messages name Go types only,
// never the value.
func checkValue(f configstore.Field, v any) (normalized any, msg string) {
	if v == nil {
		if !f.Nullable {
			return nil, "must not be null"
		}
		return nil, ""
	}
	switch f.Type {
	case configstore.TypeText:
		if s, ok := v.(string); ok {
			return v, textProblem(s)
		}
	case configstore.TypeInt:
		if _, ok := v.(int64); ok {
			return v, ""
		}
	case configstore.TypeFloat:
		if _, ok := v.(float64); ok {
			return v, ""
		}
	case configstore.TypeBool:
		if _, ok := v.(bool); ok {
			return v, ""
		}
	case configstore.TypeTime:
		if t, ok := v.(time.Time); ok {
			if n := t.UTC().Truncate(time.Millisecond); n != t {
				return n, ""
			}
			return v, "" // already normalized: keep the caller's value, not a new copy of it
		}
	case configstore.TypeJSON:
		if s, ok := v.(string); ok {
			if !json.Valid([]byte(s)) {
				return nil, "is not a valid JSON document"
			}
			return v, textProblem(s)
		}
	default:
		return nil, fmt.Sprintf("has unsupported field type %v", f.Type)
	}
	return nil, fmt.Sprintf("must be a %s (%s), got %T", goType(f.Type), f.Type, v)
}

// textProblem refuses text no SQL backend stores faithfully, so that the
// memory backend accepts exactly what they do: invalid UTF-8 and NUL bytes.
func textProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.IndexByte(s, 0) >= 0:
		return "contains a NUL byte"
	}
	return ""
}

// goType names the Go type that carries values of t.
func goType(t configstore.FieldType) string {
	switch t {
	case configstore.TypeText, configstore.TypeJSON:
		return "string"
	case configstore.TypeInt:
		return "int64"
	case configstore.TypeFloat:
		return "float64"
	case configstore.TypeBool:
		return "bool"
	case configstore.TypeTime:
		return "time.Time"
	}
	return "unknown"
}

// compareValues orders two non-nil values of the same field type: strings
// bytewise, numbers numerically, false before true, times by instant.
func compareValues(a, b any) int {
	switch a := a.(type) {
	case string:
		return strings.Compare(a, b.(string))
	case int64:
		return cmp.Compare(a, b.(int64))
	case float64:
		return cmp.Compare(a, b.(float64))
	case bool:
		bb := b.(bool)
		switch {
		case a == bb:
			return 0
		case !a:
			return -1
		}
		return 1
	case time.Time:
		return a.Compare(b.(time.Time))
	}
	panic(fmt.Sprintf("memory: cannot compare values of type %T", a))
}

// compareNullable orders two values of the same field, NULLs last (as
// PostgreSQL's ascending order does).
func compareNullable(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return compareValues(a, b)
}

// tupleKey encodes the values at positions (a unique constraint's fields)
// of r as one map key; ok is false when a component is NULL (SQL: such a
// row never conflicts). Equal tuples (by compareValues) encode equally.
func tupleKey(r row, positions []int) (key string, ok bool) {
	if len(positions) == 1 {
		v := r[positions[0]]
		if v == nil {
			return "", false
		}
		return valueKey(v), true
	}
	var sb strings.Builder
	for _, i := range positions {
		v := r[i]
		if v == nil {
			return "", false
		}
		appendValue(&sb, v)
	}
	return sb.String(), true
}

// valueKey encodes one non-nil value as tupleKey does for a single-field
// constraint. A string is its own key: every value of one field has the
// same type, so it cannot collide with another type's encoding, and the
// index shares the stored string instead of holding an encoded copy.
func valueKey(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var sb strings.Builder
	appendValue(&sb, v)
	return sb.String()
}

// appendValue writes a self-delimiting encoding of a non-nil value.
func appendValue(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		sb.WriteByte('s')
		sb.WriteString(strconv.Itoa(len(v)))
		sb.WriteByte(':')
		sb.WriteString(v)
	case int64:
		sb.WriteByte('i')
		sb.WriteString(strconv.FormatInt(v, 10))
		sb.WriteByte(';')
	case float64:
		if v == 0 {
			v = 0 // -0 equals 0
		}
		sb.WriteByte('f')
		sb.WriteString(strconv.FormatUint(math.Float64bits(v), 16))
		sb.WriteByte(';')
	case bool:
		if v {
			sb.WriteString("b1")
		} else {
			sb.WriteString("b0")
		}
	case time.Time:
		sb.WriteByte('t')
		sb.WriteString(strconv.FormatInt(v.UnixMilli(), 10)) // stored times have millisecond precision
		sb.WriteByte(';')
	default:
		panic(fmt.Sprintf("memory: unexpected value of type %T", v))
	}
}
