package configfile

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
)

// marshalerString is a string type with its own JSON encoding.
type marshalerString string

func (m marshalerString) MarshalJSON() ([]byte, error) { return json.Marshal("m:" + string(m)) }

// inner and shapes exercise what the entity types do not: every kind of
// field the stored form knows, options, embedding and name collisions.
type inner struct {
	A string  `json:"a"`
	B float64 `json:"b,omitempty"`
	C []int   `json:"c,omitempty" config:"set"`
}

type Embedded struct {
	E1 string `json:"e1"`
	E2 bool   `json:"e2,omitempty"`
}

type collides struct {
	Embedded
	E1 int `json:"e1"`
}

type shapes struct {
	Embedded
	S         string                    `json:"s"`
	SOmit     string                    `json:"s_omit,omitempty"`
	Named     marshalerString           `json:"named"`
	F         float64                   `json:"f"`
	F32       float32                   `json:"f32"`
	FOmit     float64                   `json:"f_omit,omitempty"`
	I         int8                      `json:"i"`
	U         uint16                    `json:"u"`
	Bytes     []byte                    `json:"bytes"`
	Arr       [2]string                 `json:"arr"`
	Ptr       **inner                   `json:"ptr"`
	Zero      inner                     `json:"zero,omitzero"`
	Kept      inner                     `json:"kept"`
	Any       any                       `json:"any"`
	Anys      []any                     `json:"anys" config:"set"`
	ByInt     map[int]string            `json:"by_int"`
	ByName    map[string]*inner         `json:"by_name"`
	Set       []inner                   `json:"set" config:"set"`
	List      []inner                   `json:"list"`
	Raw       json.RawMessage           `json:"raw"`
	When      time.Time                 `json:"when"`
	Secret    configstore.EnvVar        `json:"secret"`
	Secrets   []configstore.EnvVar      `json:"secrets" config:"set"`
	NoSecret  configstore.EnvVar        `json:"no_secret,omitempty"`
	Collision collides                  `json:"collision"`
	Nested    map[string]map[string]any `json:"nested"`
	Runtime   int                       `json:"runtime" config:"runtime"`
}

// TestCanonicalWriterMatchesTree: the canonical JSON canonicalWriter writes
// straight from a value is, byte for byte, what appendJSON writes for the
// canonical tree of its stored value (the encoding the pinned hashes come
// from), or an error where that is one: for every populated kind, each of
// its field-by-field mutations, every entity of the example files, and
// values of every shape the stored form knows, one writer reused for all.
func TestCanonicalWriterMatchesTree(t *testing.T) {
	values := populatedAndMutated()
	paths := examplePaths(t)
	for _, path := range paths {
		f, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		values = append(values, fileEntities(f)...)
	}
	p := &inner{A: "p", B: 2.5, C: []int{3, 1, 2}}
	negativeZero := math.Copysign(0, -1)
	values = append(values,
		&shapes{Embedded: Embedded{E1: "e"}, S: "<é\u2028\"\\>", Named: "n", F: negativeZero, FOmit: negativeZero, F32: 0.1, I: -8, U: 65535,
			Bytes: []byte("ab"), Arr: [2]string{"x", "y"}, Ptr: &p, Kept: inner{B: 1e-7},
			Any:  map[string]any{"z": 1.50, "a": []any{int64(1) << 60, nil, inner{A: "in an interface"}}},
			Anys: []any{"b", 1, "a", map[string]any{}, nil}, ByInt: map[int]string{2: "two", 10: "ten"},
			ByName: map[string]*inner{"b": nil, "a": {C: []int{}}}, Set: []inner{{A: "z"}, {A: "a", C: []int{9, 8}}, {}},
			List: []inner{{A: "z"}, {}}, Raw: json.RawMessage(`{"n": 1.50, "s": [1e0, {}]}`), When: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC),
			Secret: configstore.NewEnvVar(`{"looks": "like an object"}`), Secrets: []configstore.EnvVar{configstore.EnvRef("B"), configstore.NewEnvVar("env.A")},
			Collision: collides{Embedded: Embedded{E1: "outer loses?"}, E1: 7},
			Nested:    map[string]map[string]any{"x": {"y": 1e21, "w": negativeZero}, "empty": {}, "nil": nil}, Runtime: 9},
		&shapes{},
		&shapes{F: math.NaN()},
		&shapes{Any: func() {}},
		&shapes{F: 123456789.125, F32: float32(math.MaxFloat32), Kept: inner{B: 1e300}, Anys: []any{}, Set: []inner{}},
	)
	w := new(canonicalWriter)
	for _, v := range values {
		var want []byte
		tree, treeErr := configstore.StoredValue(v)
		if treeErr == nil {
			want = appendJSON(nil, canonical(tree, reflect.TypeOf(v)))
		}
		got, err := w.appendCanonicalJSON(nil, v)
		switch {
		case treeErr != nil && err == nil:
			t.Errorf("%T: wrote %s, want the tree's error %v", v, got, treeErr)
		case treeErr == nil && err != nil:
			t.Errorf("%T: %v, want %s", v, err, want)
		case string(got) != string(want):
			t.Errorf("%T:\n got %s\nwant %s", v, got, want)
		}
	}
}
