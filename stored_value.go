package configstore

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"time"
)

// StoredValue returns the JSON value that MarshalStored(v) encodes, as
// encoding/json decodes it with UseNumber: objects as map[string]any,
// arrays as []any, numbers as json.Number, and strings, booleans and nil
// as themselves. It builds the tree directly, without encoding and decoding
// a document: for code that inspects the stored form of many entities (a
// config_hash of every entity of a config.json).
func StoredValue(v any) (any, error) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil, nil
	}
	return decodedJSON(storageTree(rv))
}

// decodedJSON converts x, a storageTree result, into what encoding/json
// decodes from its encoding with UseNumber.
func decodedJSON(x any) (any, error) {
	switch x := x.(type) {
	case nil, string, bool:
		return x, nil
	case map[string]any:
		for k, v := range x {
			d, err := decodedJSON(v)
			if err != nil {
				return nil, err
			}
			x[k] = d
		}
		return x, nil
	case []any:
		for i, v := range x {
			d, err := decodedJSON(v)
			if err != nil {
				return nil, err
			}
			x[i] = d
		}
		return x, nil
	case json.RawMessage:
		return decodeUseNumber(x)
	case time.Time:
		if b, err := x.MarshalJSON(); err == nil {
			return strconv.Unquote(string(b))
		}
	}
	rv := reflect.ValueOf(x)
	if _, marshals := x.(json.Marshaler); !marshals {
		switch rv.Kind() {
		case reflect.String:
			return rv.String(), nil
		case reflect.Bool:
			return rv.Bool(), nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return json.Number(strconv.FormatInt(rv.Int(), 10)), nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return json.Number(strconv.FormatUint(rv.Uint(), 10)), nil
		case reflect.Float32, reflect.Float64:
			if n, ok := jsonFloat(rv.Float(), rv.Type().Bits()); ok {
				return n, nil
			}
		}
	}
	// Marshalers, non-finite floats (an error) and anything else: the
	// round trip, which is exact by definition.
	b, err := json.Marshal(x)
	if err != nil {
		return nil, err
	}
	return decodeUseNumber(b)
}

// jsonFloat spells f as encoding/json does: the shortest decimal that
// reads back as f, in exponent form only below 1e-6 or from 1e21 on, with
// a two-digit exponent shortened ("1e-07" is "1e-7"). ok is false for NaN
// and the infinities, which JSON cannot spell.
func jsonFloat(f float64, bits int) (n json.Number, ok bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
		bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	b := strconv.AppendFloat(nil, f, format, -1, bits)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return json.Number(b), true
}

// decodeUseNumber decodes one JSON document with UseNumber.
func decodeUseNumber(doc []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}
