package sqlstore

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatewaykit/configstore"
)

// timeLayout is how times travel to and from the database: UTC, ISO 8601,
// milliseconds. SQLite stores this text as is (it sorts like the times);
// Postgres parses it into timestamptz.
const timeLayout = "2006-01-02T15:04:05.000Z"

// param converts the record value v of field f into a bind parameter,
// checking that it has the Go type f's FieldType prescribes and that the
// database can store it exactly (text: valid UTF-8 without NUL bytes). The
// error is a *configstore.FieldError naming the field, never the value. A
// value that needs no conversion is returned as v itself: putting it in an
// interface again would allocate, for every parameter of every statement.
func param(f configstore.Field, v any) (any, error) {
	if v == nil {
		if !f.Nullable {
			return nil, &configstore.FieldError{Path: f.Name, Msg: "must not be null", Err: configstore.ErrInvalid}
		}
		return nil, nil
	}
	bad := func(why string) error {
		return &configstore.FieldError{Path: f.Name, Msg: why, Err: configstore.ErrInvalid}
	}
	switch f.Type {
	case configstore.TypeText, configstore.TypeJSON:
		s, ok := v.(string)
		if !ok {
			return nil, bad(fmt.Sprintf("want string, got %T", v))
		}
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			return nil, bad("not valid UTF-8 text (or holds a NUL byte)")
		}
		if f.Type == configstore.TypeJSON && !json.Valid([]byte(s)) {
			return nil, bad("not a valid JSON document")
		}
		return v, nil
	case configstore.TypeInt:
		if _, ok := v.(int64); !ok {
			return nil, bad(fmt.Sprintf("want int64, got %T", v))
		}
		return v, nil
	case configstore.TypeFloat:
		x, ok := v.(float64)
		if !ok {
			return nil, bad(fmt.Sprintf("want float64, got %T", v))
		}
		if math.IsNaN(x) {
			return nil, bad("NaN cannot be stored")
		}
		return v, nil
	case configstore.TypeBool:
		if _, ok := v.(bool); !ok {
			return nil, bad(fmt.Sprintf("want bool, got %T", v))
		}
		return v, nil
	case configstore.TypeTime:
		t, ok := v.(time.Time)
		if !ok {
			return nil, bad(fmt.Sprintf("want time.Time, got %T", v))
		}
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return nil, bad("year out of range 1-9999")
		}
		return t.UTC().Format(timeLayout), nil
	}
	return nil, bad(fmt.Sprintf("unsupported field type %v", f.Type))
}

// checkKind returns ErrInvalid unless kind is one of the declared kinds:
// only those have tables.
func checkKind(kind *configstore.Kind) error {
	if kind == nil {
		return fmt.Errorf("nil kind: %w", configstore.ErrInvalid)
	}
	if declared, ok := configstore.KindByName(kind.Name); !ok || declared.Table != kind.Table {
		return fmt.Errorf("kind %q is not declared: %w", kind.Name, configstore.ErrInvalid)
	}
	return nil
}

// recordParams returns the parameters of every field of kind in rec, in
// declaration order; a missing or unknown field is ErrInvalid.
func recordParams(kind *configstore.Kind, rec configstore.Record) ([]any, error) {
	if len(rec) != len(kind.Fields) {
		for name := range rec {
			if _, ok := kind.Field(name); !ok {
				return nil, &configstore.FieldError{Path: name, Msg: "not a field of " + kind.Name, Err: configstore.ErrInvalid}
			}
		}
	}
	out := make([]any, len(kind.Fields))
	for i, f := range kind.Fields {
		v, ok := rec[f.Name]
		if !ok {
			return nil, &configstore.FieldError{Path: f.Name, Msg: "missing", Err: configstore.ErrInvalid}
		}
		p, err := param(f, v)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// fromDB converts what the driver returned for a column of field f into
// the Go type f's FieldType prescribes: drivers differ (SQLite returns
// int64 for booleans, text as string or []byte, times as text). A value
// that already has that type is returned as v itself, without allocating
// a new interface value for it.
func fromDB(f configstore.Field, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch f.Type {
	case configstore.TypeText, configstore.TypeJSON:
		if _, ok := v.(string); ok {
			return v, nil
		}
	case configstore.TypeInt:
		switch x := v.(type) {
		case int64:
			return v, nil
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, nil
			}
		}
	case configstore.TypeFloat:
		switch x := v.(type) {
		case float64:
			return v, nil
		case int64:
			return float64(x), nil
		case string:
			if n, err := strconv.ParseFloat(x, 64); err == nil {
				return n, nil
			}
		}
	case configstore.TypeBool:
		switch x := v.(type) {
		case bool:
			return v, nil
		case int64:
			return x != 0, nil
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return b, nil
			}
		}
	case configstore.TypeTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return t.UTC(), nil
			}
		}
	}
	// The value is not quoted: it may be a secret.
	return nil, fmt.Errorf("column %s: unexpected %T value from the database for a %v field", f.Name, v, f.Type)
}
