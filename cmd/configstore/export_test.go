package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExport(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := applied(t, b)
		const secret = "vk-literal-secret-value-0123456789"
		d.runInput(t, `{"id": "vk-literal", "name": "literal", "value": "`+secret+`", "is_active": true}`, nil, "put", "virtual_key", "-f", "-")

		out := d.mustRun(t, "export").stdout
		if strings.Contains(out, secret) {
			t.Fatalf("export without --reveal holds the literal secret:\n%s", out)
		}
		for _, field := range []string{`"revision"`, `"created_at"`, `"config_hash"`, `"current_usage"`} {
			if strings.Contains(out, field) {
				t.Errorf("export holds %s", field)
			}
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("export is not JSON: %v", err)
		}
		vks := doc["governance"].(map[string]any)["virtual_keys"].([]any)
		if len(vks) != 3 || vks[0].(map[string]any)["value"] != "vk-...6789" || vks[1].(map[string]any)["value"] != "env.VK_PORTAL" {
			t.Errorf("exported virtual keys: %v", vks)
		}
		if again := d.mustRun(t, "export").stdout; again != out {
			t.Error("two exports of the same store differ")
		}

		file := filepath.Join(t.TempDir(), "export.json")
		d.mustRun(t, "export", "--reveal", "-o", file)
		revealed, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(revealed), `"value": "`+secret+`"`) {
			t.Errorf("export --reveal lacks the literal secret:\n%s", revealed)
		}
		if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
			t.Errorf("export -o wrote mode %v, want 0600", st.Mode().Perm())
		}
	})
}

// The export of one store, applied with source_of_truth config.json into an
// empty store of another backend, exports identically: SQLite -> Postgres
// and Postgres -> SQLite.
func TestExportRoundTrip(t *testing.T) {
	for _, pair := range [][2]backend{{backends[0], backends[1]}, {backends[1], backends[0]}} {
		from, to := pair[0], pair[1]
		t.Run(from.name+"_to_"+to.name, func(t *testing.T) {
			t.Parallel()
			src := applied(t, from)
			// Stored state the file does not have: an API edit, a literal
			// secret and a new entity without config_hash.
			src.runInput(t, `{"id": "team-platform", "name": "Platform", "customer_id": "cust-acme", "profile": {"floor": 3}}`,
				nil, "put", "team", "-f", "-")
			src.runInput(t, `{"id": "key-anthropic-2", "provider": "anthropic", "name": "anthropic-literal", "value": "sk-ant-literal-0123456789abcdef", "weight": 0.5}`,
				nil, "put", "key", "-f", "-")
			exported := src.mustRun(t, "export", "--reveal").stdout

			dst := newAppDir(t, to)
			var doc map[string]any
			if err := json.Unmarshal([]byte(exported), &doc); err != nil {
				t.Fatal(err)
			}
			dst.writeConfig(t, doc)
			r := dst.mustRun(t, "apply", "--source-of-truth", "config.json")
			expectRows(t, r.stdout, []string{"total", "20", "0", "0", "0"})
			if again := dst.mustRun(t, "export", "--reveal").stdout; again != exported {
				t.Errorf("export after the round trip differs:\n%s\n--- want ---\n%s", again, exported)
			}
		})
	}
}

// export -o replaces an existing file, whatever its mode, with a 0600 one,
// and follows a symlink to the file it names.
func TestExportReplacesFileMode(t *testing.T) {
	d := applied(t, backends[0])
	d.runInput(t, `{"id": "vk-literal", "name": "literal", "value": "vk-literal-secret-value-0123456789", "is_active": true}`,
		nil, "put", "virtual_key", "-f", "-")
	want := d.mustRun(t, "export", "--reveal").stdout
	dir := t.TempDir()
	file := filepath.Join(dir, "export.json")
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{file, link} {
		if err := os.WriteFile(file, []byte("an older, longer file that the export must replace entirely\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(file, 0o644); err != nil { // whatever the umask
			t.Fatal(err)
		}
		d.mustRun(t, "export", "--reveal", "-o", target)
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("export -o %s wrote:\n%s\nwant:\n%s", filepath.Base(target), got, want)
		}
		st, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("export -o %s over a 0644 file: mode %v, want 0600", filepath.Base(target), st.Mode().Perm())
		}
		lst, err := os.Lstat(link)
		if err != nil {
			t.Fatal(err)
		}
		if lst.Mode()&os.ModeSymlink == 0 {
			t.Errorf("export -o %s replaced the symlink by a %v file", filepath.Base(target), lst.Mode())
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) != 2 {
			t.Errorf("export -o left files behind: %v (%v)", entries, err)
		}
	}
}
