package configstore

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The record codec turns an entity struct into a Record and back, driven by
// `store:"column"` struct tags; it is the one place that knows how Go field
// types map to FieldTypes:
//
//	string                        text (`store:"x,null"`: "" is NULL)
//	EnvVar                        text, the stored form of the secret
//	bool, int, int32, int64,      bool, int, int, int,
//	float64                       float
//	*int64, *float64, *string     the same type, nullable
//	time.Time                     time (`,null`: the zero time is NULL)
//	json.RawMessage, slices,
//	maps, structs, pointers       json (nil is NULL)
//
// Anonymous embedded structs without a tag (Meta) are flattened. Fields
// tagged `store:"-"` or untagged are not stored.

var (
	envVarType   = reflect.TypeFor[EnvVar]()
	timeType     = reflect.TypeFor[time.Time]()
	rawJSONType  = reflect.TypeFor[json.RawMessage]()
	codecsByType sync.Map // reflect.Type -> *codec
)

type fieldCodec struct {
	index    []int
	jsonName string // the field's name in JSON, for error paths
	Field
	// scalar: a string, bool, integer or float field, not a pointer or a
	// secret, whose stored value decodes back to the value it was (a
	// nullable "" is NULL, which decodes to ""): roundTrip only checks it.
	scalar bool
}

type codec struct {
	fields []fieldCodec
}

// codecFor returns the codec of struct type t, built once.
func codecFor(t reflect.Type) *codec {
	if c, ok := codecsByType.Load(t); ok {
		return c.(*codec)
	}
	c := &codec{}
	c.collect(t, nil)
	actual, _ := codecsByType.LoadOrStore(t, c)
	return actual.(*codec)
}

func (c *codec) collect(t reflect.Type, prefix []int) {
	for i := range t.NumField() {
		sf := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		tag, hasTag := sf.Tag.Lookup("store")
		if !hasTag {
			if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
				c.collect(sf.Type, index)
			}
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		ft, nullable := fieldTypeOf(sf.Type)
		if opts == "null" {
			nullable = true
		}
		jsonName, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if jsonName == "" || jsonName == "-" {
			jsonName = name
		}
		scalar := ft != TypeJSON && ft != TypeTime && sf.Type.Kind() != reflect.Pointer && sf.Type != envVarType
		c.fields = append(c.fields, fieldCodec{index: index, jsonName: jsonName,
			Field: Field{Name: name, Type: ft, Nullable: nullable}, scalar: scalar})
	}
}

func fieldTypeOf(t reflect.Type) (FieldType, bool) {
	switch {
	case t == envVarType:
		return TypeText, false
	case t == timeType:
		return TypeTime, false
	case t == rawJSONType:
		return TypeJSON, true
	}
	switch t.Kind() {
	case reflect.String:
		return TypeText, false
	case reflect.Bool:
		return TypeBool, false
	case reflect.Int, reflect.Int64, reflect.Int32:
		return TypeInt, false
	case reflect.Float64:
		return TypeFloat, false
	case reflect.Pointer:
		switch t.Elem().Kind() {
		case reflect.String:
			return TypeText, true
		case reflect.Int, reflect.Int64, reflect.Int32:
			return TypeInt, true
		case reflect.Float64:
			return TypeFloat, true
		case reflect.Bool:
			return TypeBool, true
		}
	}
	return TypeJSON, true
}

// declared returns the Fields of the codec, for a Kind declaration.
func (c *codec) declared() []Field {
	out := make([]Field, len(c.fields))
	for i, f := range c.fields {
		out[i] = f.Field
	}
	return out
}

// encode turns the struct v (not a pointer) into a record.
func (c *codec) encode(v reflect.Value) (Record, error) {
	rec := make(Record, len(c.fields))
	for i := range c.fields {
		f := &c.fields[i]
		val, err := f.encode(v)
		if err != nil {
			return nil, err
		}
		rec[f.Name] = val.boxed(f.Type)
	}
	return rec, nil
}

// encode returns the stored value of field f of struct v.
func (f *fieldCodec) encode(v reflect.Value) (fieldValue, error) {
	val, err := encodeValue(v.FieldByIndex(f.index), f.Field)
	if err != nil {
		return fieldValue{}, f.unstorable(err)
	}
	return val, nil
}

// unstorable is the error of field f, whose value err says no store keeps.
func (f *fieldCodec) unstorable(err error) error {
	return &FieldError{Path: f.jsonName, Msg: "cannot be stored: " + err.Error(), Err: ErrInvalid}
}

// check checks scalar field f of struct v as encode does, without the
// encoding: text must be what a store keeps faithfully (checkText), a
// float finite (checkFinite); an integer or a boolean is always stored.
func (f *fieldCodec) check(v reflect.Value) error {
	var err error
	switch f.Type {
	case TypeText:
		err = checkText(v.FieldByIndex(f.index).String())
	case TypeFloat:
		err = checkFinite(v.FieldByIndex(f.index).Float())
	}
	if err != nil {
		return f.unstorable(err)
	}
	return nil
}

// decode sets field f of struct v from its stored value val, a Record's.
func (f *fieldCodec) decode(val any, v reflect.Value) error {
	fval, err := unboxValue(val, f.Field)
	if err != nil {
		return fmt.Errorf("field %s: %w", f.Name, err)
	}
	return f.set(fval, v)
}

// set sets field f of struct v from its stored value val.
func (f *fieldCodec) set(val fieldValue, v reflect.Value) error {
	if err := decodeValue(val, v.FieldByIndex(f.index), f.Field); err != nil {
		return fmt.Errorf("field %s: %w", f.Name, err)
	}
	return nil
}

// roundTrip sets struct v to the value it reads back as from a store: it
// is encode then decode (an encoding error is reported before anything is
// decoded) without the Record between them, nor boxing the values. A
// scalar field reads back as it is: it is only checked. A time reads back
// in UTC to the millisecond, set so in place (roundTripTime).
func (c *codec) roundTrip(v reflect.Value) error {
	var small [8]fieldValue // more than the other fields of most entity types: no allocation
	values := small[:0]
	for i := range c.fields {
		f := &c.fields[i]
		switch {
		case f.scalar:
			if err := f.check(v); err != nil {
				return err
			}
		case f.Type != TypeTime:
			val, err := f.encode(v)
			if err != nil {
				return err
			}
			values = append(values, val)
		}
	}
	for i := range c.fields {
		f := &c.fields[i]
		switch {
		case f.scalar:
		case f.Type == TypeTime:
			f.roundTripTime(v)
		default:
			if err := f.set(values[0], v); err != nil {
				return err
			}
			values = values[1:]
		}
	}
	return nil
}

// roundTripTime sets time field f of struct v to what encode then decode
// make of it, the time in UTC to the millisecond (the zero time, NULL when
// nullable, stays the zero time): TestRoundTripTime holds the two alike.
func (f *fieldCodec) roundTripTime(v reflect.Value) {
	p, _ := reflect.TypeAssert[*time.Time](v.FieldByIndex(f.index).Addr())
	*p = p.UTC().Truncate(time.Millisecond)
}

// fieldValue is one stored value as the codec handles it between a struct
// field and a Record, unboxed: NULL, or the member its FieldType names
// (text and JSON in s).
type fieldValue struct {
	null bool
	s    string
	i    int64
	f    float64
	b    bool
	t    time.Time
}

// nullValue is the stored NULL.
var nullValue = fieldValue{null: true}

// boxed returns v as a Record holds a value of type t: nil for NULL.
func (v fieldValue) boxed(t FieldType) any {
	if v.null {
		return nil
	}
	switch t {
	case TypeText, TypeJSON:
		return v.s
	case TypeInt:
		return v.i
	case TypeFloat:
		return v.f
	case TypeBool:
		return v.b
	case TypeTime:
		return v.t
	}
	return nil
}

// encodeValue returns the stored value of fv, a field of type f.
func encodeValue(fv reflect.Value, f Field) (fieldValue, error) {
	switch f.Type {
	case TypeText:
		var s string
		switch {
		case fv.Type() == envVarType:
			e, _ := reflect.TypeAssert[EnvVar](fv)
			s = e.Stored()
		case fv.Kind() == reflect.Pointer:
			if fv.IsNil() {
				return nullValue, nil
			}
			s = fv.Elem().String()
		default:
			s = fv.String()
		}
		if s == "" && f.Nullable && fv.Kind() != reflect.Pointer {
			return nullValue, nil
		}
		return fieldValue{s: s}, checkText(s)
	case TypeInt, TypeFloat, TypeBool:
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				return nullValue, nil
			}
			fv = fv.Elem()
		}
		switch f.Type {
		case TypeInt:
			return fieldValue{i: fv.Int()}, nil
		case TypeFloat:
			return fieldValue{f: fv.Float()}, checkFinite(fv.Float())
		}
		return fieldValue{b: fv.Bool()}, nil
	case TypeTime:
		t, _ := reflect.TypeAssert[time.Time](fv)
		if t.IsZero() && f.Nullable {
			return nullValue, nil
		}
		return fieldValue{t: t.UTC().Truncate(time.Millisecond)}, nil
	case TypeJSON:
		if fv.Type() == rawJSONType {
			if fv.IsNil() {
				return nullValue, nil
			}
			if !json.Valid(fv.Bytes()) {
				return fieldValue{}, fmt.Errorf("not valid JSON")
			}
			return fieldValue{s: string(fv.Bytes())}, checkText(string(fv.Bytes()))
		}
		if (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map) && fv.IsNil() {
			return nullValue, nil
		}
		if list, ok := reflect.TypeAssert[[]string](fv); ok {
			if s, ok := stringListJSON(list); ok {
				return fieldValue{s: s}, nil // printable ASCII: valid text
			}
		}
		b, err := json.Marshal(storageTree(fv))
		if err != nil {
			return fieldValue{}, err
		}
		return fieldValue{s: string(b)}, checkText(string(b))
	}
	return fieldValue{}, fmt.Errorf("unsupported field type %v", f.Type)
}

// checkFinite refuses a float no backend stores: NaN and the infinities.
func checkFinite(x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Errorf("%v is not a finite number", x)
	}
	return nil
}

// checkText refuses text no backend stores faithfully: invalid UTF-8 (SQL
// databases reject or mangle it) and NUL bytes (PostgreSQL rejects them).
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("contains a NUL byte")
	}
	return nil
}

// decode fills the struct pointed to by v from rec.
func (c *codec) decode(rec Record, v reflect.Value) error {
	for i := range c.fields {
		if err := c.fields[i].decode(rec[c.fields[i].Name], v); err != nil {
			return err
		}
	}
	return nil
}

// unboxValue checks that val, a Record's value, has the Go type of
// FieldType f.Type and returns it unboxed.
func unboxValue(val any, f Field) (fieldValue, error) {
	if val == nil {
		return nullValue, nil
	}
	switch f.Type {
	case TypeText:
		s, ok := val.(string)
		if !ok {
			return fieldValue{}, fmt.Errorf("want string, got %T", val)
		}
		return fieldValue{s: s}, nil
	case TypeInt, TypeFloat, TypeBool:
		switch x := val.(type) {
		case int64:
			if f.Type == TypeInt {
				return fieldValue{i: x}, nil
			}
		case float64:
			if f.Type == TypeFloat {
				return fieldValue{f: x}, nil
			}
		case bool:
			if f.Type == TypeBool {
				return fieldValue{b: x}, nil
			}
		}
		return fieldValue{}, fmt.Errorf("want %v, got %T", f.Type, val)
	case TypeTime:
		t, ok := val.(time.Time)
		if !ok {
			return fieldValue{}, fmt.Errorf("want time.Time, got %T", val)
		}
		return fieldValue{t: t}, nil
	case TypeJSON:
		s, ok := val.(string)
		if !ok {
			return fieldValue{}, fmt.Errorf("want JSON string, got %T", val)
		}
		return fieldValue{s: s}, nil
	}
	return fieldValue{}, nil
}

// decodeValue sets fv, a field of type f, from its stored value val.
func decodeValue(val fieldValue, fv reflect.Value, f Field) error {
	if val.null {
		fv.SetZero()
		return nil
	}
	switch f.Type {
	case TypeText:
		switch {
		case fv.Type() == envVarType:
			p, _ := reflect.TypeAssert[*EnvVar](fv.Addr())
			*p = envVarFromStored(val.s)
		case fv.Kind() == reflect.Pointer:
			p := reflect.New(fv.Type().Elem())
			p.Elem().SetString(val.s)
			fv.Set(p)
		default:
			fv.SetString(val.s)
		}
	case TypeInt, TypeFloat, TypeBool:
		target := fv
		if fv.Kind() == reflect.Pointer {
			p := reflect.New(fv.Type().Elem())
			fv.Set(p)
			target = p.Elem()
		}
		switch f.Type {
		case TypeInt:
			target.SetInt(val.i)
		case TypeFloat:
			target.SetFloat(val.f)
		default:
			target.SetBool(val.b)
		}
	case TypeTime:
		p, _ := reflect.TypeAssert[*time.Time](fv.Addr())
		*p = val.t.UTC()
	case TypeJSON:
		if fv.Type() == rawJSONType {
			fv.SetBytes([]byte(val.s))
			return nil
		}
		fv.SetZero()
		return json.Unmarshal([]byte(val.s), fv.Addr().Interface())
	}
	return nil
}

// storageTree converts v to plain JSON values following encoding/json's
// rules (json tags, omitempty, omitzero), except that secrets become their
// stored form instead of the redacted one EnvVar.MarshalJSON prints.
func storageTree(v reflect.Value) any {
	switch {
	case v.Type() == envVarType:
		e, _ := reflect.TypeAssert[EnvVar](v)
		stored := e.Stored()
		if strings.HasPrefix(stored, "{") {
			return json.RawMessage(stored) // the object form, which UnmarshalJSON reads back
		}
		return stored
	case v.Type() == rawJSONType:
		if v.IsNil() {
			return nil
		}
		return json.RawMessage(v.Bytes())
	case v.Type() == timeType:
		return v.Interface()
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return storageTree(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = storageTree(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())] = storageTree(it.Value())
		}
		return out
	case reflect.Struct:
		out := make(map[string]any)
		for _, f := range jsonFieldsOf(v.Type()) {
			fv := v.Field(f.index)
			if f.flatten {
				// An embedded struct (Meta) is flattened, as encoding/json does;
				// the outer struct's own fields win.
				for k, x := range storageTree(fv).(map[string]any) {
					if _, taken := out[k]; !taken {
						out[k] = x
					}
				}
				continue
			}
			if (f.omitEmpty && isEmptyJSON(fv)) || (f.omitZero && fv.IsZero()) {
				continue
			}
			out[f.name] = storageTree(fv)
		}
		return out
	}
	return v.Interface()
}

// jsonField is a struct field as encoding/json sees it.
type jsonField struct {
	index               int
	name                string
	omitEmpty, omitZero bool
	flatten             bool // an embedded struct without a name: its fields are the outer struct's
}

// jsonFieldsOf returns the fields of struct type t that encoding/json
// encodes, in order: exported, not tagged "-".
func jsonFieldsOf(t reflect.Type) []jsonField { return jsonFieldTypes.get(t) }

var jsonFieldTypes = typeCache[[]jsonField]{compute: func(t reflect.Type) []jsonField {
	var fields []jsonField
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		f := jsonField{index: i, name: name, omitEmpty: strings.Contains(opts, "omitempty"), omitZero: strings.Contains(opts, "omitzero")}
		if name == "" {
			f.name = sf.Name
			f.flatten = sf.Anonymous && sf.Type.Kind() == reflect.Struct
		}
		fields = append(fields, f)
	}
	return fields
}}

// isEmptyJSON is encoding/json's omitempty test.
func isEmptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	if v.Type() == envVarType {
		return v.Interface().(EnvVar).IsZero()
	}
	return false
}

// encodeOf encodes the struct v points to.
func encodeOf(v any) (Record, error) {
	rv := reflect.ValueOf(v).Elem()
	return codecFor(rv.Type()).encode(rv)
}

// mustEncode encodes internal records whose fields cannot fail to encode.
func mustEncode(v any) Record {
	rec, err := encodeOf(v)
	if err != nil {
		panic(fmt.Sprintf("configstore: encode %T: %v", v, err))
	}
	return rec
}

// decodeInto fills the struct v points to from rec.
func decodeInto(rec Record, v any) error {
	rv := reflect.ValueOf(v).Elem()
	return codecFor(rv.Type()).decode(rec, rv)
}

// decodeAll decodes records into values of T.
func decodeAll[T any](recs []Record) ([]T, error) {
	out := make([]T, len(recs))
	for i, rec := range recs {
		if err := decodeInto(rec, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
