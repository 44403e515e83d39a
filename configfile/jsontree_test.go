package configfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

// syntaxCases are documents at the edges of well-formed JSON: parseTree
// and syntaxProblem must agree on each (see checkSyntaxAgreement).
var syntaxCases = []string{
	`{}`, ` {"a": [1, 2.5e3, -0, true, false, null, "x"]} `, "\t{}\r\n",
	``, ` `, `{`, `}`, `{} {}`, `{} x`, `{},`, `[] []`, `1 2`, `"a" "b"`,
	`{"a": 1,}`, `[1,]`, `{"a" 1}`, `{'a': 1}`, `{"a": 01}`, `{"a": 1.}`, `{"a": .5}`, `{"a": +1}`,
	`{"a": NaN}`, `{"a": "\x"}`, "{\"a\": \"\x01\"}", "{\"a\": \"\xff\"}", "\xef\xbb\xbf{}",
	`{"a": "\u00e9"}`, `{"a": "\ud83d\ude00"}`, `{"a": 1, "a": 2}`, "{}\x00", `{"a": tru}`, `{"a": [}`,
}

// checkSyntaxAgreement fails when parseTree accepts data that
// syntaxProblem refuses: Parse trusts parseTree alone for a well-formed
// document. (The converse, jsontext refusing what encoding/json accepts,
// is a lone surrogate escape, and Parse reports jsontext's error then.)
func checkSyntaxAgreement(t *testing.T, data []byte) {
	t.Helper()
	_, treeErr := parseTree(data)
	msg, _, bad := syntaxProblem(data)
	if treeErr == nil && bad {
		t.Errorf("%q: parseTree accepted it, syntaxProblem: %s", data, msg)
	}
	if treeErr != nil && !bad {
		if _, err := Parse(data); err == nil {
			t.Errorf("%q: parseTree refused it (%v), but Parse accepted it", data, treeErr)
		}
	}
}

func TestParseTreeAgreesWithSyntaxProblem(t *testing.T) {
	for _, c := range syntaxCases {
		checkSyntaxAgreement(t, []byte(c))
	}
}

// TestSyntaxErrorNamesLineAndColumn checks the message of a document
// parseTree refuses: the line and column of the first problem.
func TestSyntaxErrorNamesLineAndColumn(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"{\n  \"a\": 1,\n}", "line 3, column 1: invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"{} x", "line 1, column 4: invalid JSON: invalid character 'x' after top-level value"},
		{"{\"a\": \"\xff\"}", "line 1, column 8: is not valid UTF-8"},
	} {
		_, err := Parse([]byte(c.doc))
		e, ok := err.(*Error)
		if !ok || len(e.Problems) != 1 || e.Problems[0].Message != c.want {
			t.Errorf("%q: %v; want the one problem %q", c.doc, err, c.want)
		}
	}
}

func FuzzParseTreeAgreesWithSyntaxProblem(f *testing.F) {
	for _, c := range syntaxCases {
		f.Add([]byte(c))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "bifrost-examples", "*.json")) // examplesDir, of package configfile_test
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(checkSyntaxAgreement)
}

// TestParseTreeReadsMemberNames: a member name is read unescaped, and
// every member of one name holds the same string.
func TestParseTreeReadsMemberNames(t *testing.T) {
	root, err := parseTree([]byte(`{"ab": 1, "a\u0062": 2, "x": {"ab": 3}, "\u00e9\"": 4}`))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range root.members {
		keys = append(keys, m.key)
	}
	if got, want := strings.Join(keys, ","), `ab,ab,x,é"`; got != want {
		t.Fatalf("member names %q, want %q", got, want)
	}
	inner := root.member("x").members[0].key
	if unsafe.StringData(inner) != unsafe.StringData(keys[0]) || unsafe.StringData(keys[1]) != unsafe.StringData(keys[0]) {
		t.Fatal(`the three members named "ab" hold different strings`)
	}
}
