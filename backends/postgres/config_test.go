package postgres

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

const secretPassword = "s3cret-P@ss/word"

func TestParseConfigAsConfigJSONHasIt(t *testing.T) {
	c, err := ParseConfig(json.RawMessage(`{"host": "db.internal", "port": "5433", "user": "gw", "password": "pw",
		"db_name": "gateway", "ssl_mode": "require", "max_idle_conns": 2, "max_open_conns": 9}`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r.dsn != "postgres://gw:pw@db.internal:5433/gateway?sslmode=require" || r.maxIdle != 2 || r.maxOpen != 9 {
		t.Fatalf("resolved to dsn %q, pool %d/%d", r.dsn, r.maxIdle, r.maxOpen)
	}
}

func TestConfigDefaults(t *testing.T) {
	c, err := ParseConfig(json.RawMessage(`{"host": "h", "port": "5432", "user": "u", "password": "",
		"db_name": "d", "ssl_mode": "disable"}`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r.maxIdle != 5 || r.maxOpen != 50 || !r.prepare {
		t.Fatalf("pool %d/%d, prepared statements %v; want 5/50, true", r.maxIdle, r.maxOpen, r.prepare)
	}
	if r.dsn != "postgres://u@h:5432/d?sslmode=disable" {
		t.Fatalf("dsn %q: an empty password must not appear", r.dsn)
	}
	// A zero max_idle_conns is allowed (no idle connections), not a default.
	c.MaxIdleConns = new(int)
	if r, _ := c.resolve(); r.maxIdle != 0 {
		t.Fatalf("max_idle_conns 0 resolved to %d", r.maxIdle)
	}
}

func TestConfigEnvReferences(t *testing.T) {
	t.Setenv("CS_TEST_PG_HOST", "pg.example")
	t.Setenv("CS_TEST_PG_PASSWORD", secretPassword)
	t.Setenv("CS_TEST_PG_DSN", "postgres://x:"+strings.ReplaceAll(secretPassword, "/", "%2F")+"@dsn.example/db")
	c := Config{Host: "env.CS_TEST_PG_HOST", Port: "5432", User: "gw", Password: "env.CS_TEST_PG_PASSWORD",
		DBName: "gateway", SSLMode: "verify-full"}
	r, err := c.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.dsn, "@pg.example:5432/") || r.password != secretPassword {
		t.Fatalf("env references not resolved: password %v", r.password == secretPassword)
	}
	r, err = Config{DSN: "env.CS_TEST_PG_DSN"}.resolve()
	if err != nil || !strings.HasPrefix(r.dsn, "postgres://x:") || r.password != secretPassword || r.databaseName != "db" {
		t.Fatalf("dsn from env: %v (database %q)", err, r.databaseName)
	}
	c.User = "env.CS_TEST_PG_UNSET_USER"
	_, err = c.resolve()
	if err == nil || !strings.Contains(err.Error(), "CS_TEST_PG_UNSET_USER") || !strings.Contains(err.Error(), "user") {
		t.Fatalf("an unset variable: %v, want an error naming the field and the variable", err)
	}
}

func TestConfigErrors(t *testing.T) {
	full := `"host": "h", "port": "5432", "user": "u", "password": "` + secretPassword + `", "db_name": "d", "ssl_mode": "disable"`
	for _, tc := range []struct{ name, raw, want string }{
		{"UnknownField", `{` + full + `, "schema": "x"}`, "schema"},
		{"PortAsNumber", `{"host": "h", "port": 5432}`, "port"},
		{"Empty", ``, "dsn"},
		{"MissingHost", `{"port": "5432", "user": "u", "password": "p", "db_name": "d", "ssl_mode": "disable"}`, "host"},
		{"MissingSSLMode", `{"host": "h", "port": "5432", "user": "u", "password": "p", "db_name": "d"}`, "ssl_mode"},
		{"BadSSLMode", `{"host": "h", "port": "5432", "user": "u", "password": "p", "db_name": "d", "ssl_mode": "on"}`, "ssl_mode"},
		{"BadPort", `{"host": "h", "port": "54x", "user": "u", "password": "p", "db_name": "d", "ssl_mode": "disable"}`, "port"},
		{"MaxOpenTooSmall", `{` + full + `, "max_open_conns": 1}`, "max_open_conns"},
		{"NegativeMaxIdle", `{` + full + `, "max_idle_conns": -1}`, "max_idle_conns"},
		{"DSNAndFields", `{"dsn": "postgres://u@h/d", "host": "h"}`, "dsn"},
		{"BadDSN", `{"dsn": "postgres://u:s3cretpw@h:badport/d"}`, "dsn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConfig(json.RawMessage(tc.raw))
			if err == nil {
				_, err = c.resolve()
			}
			if !errors.Is(err, configstore.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrInvalid naming %q", err, tc.want)
			}
			if strings.Contains(err.Error(), secretPassword) || strings.Contains(err.Error(), "s3cretpw") {
				t.Fatalf("error %q holds the password", err)
			}
		})
	}
}

func TestConfigWithoutPreparedStatements(t *testing.T) {
	c, err := ParseConfig(json.RawMessage(`{"dsn": "postgres://u@h:5432/d", "prepared_statements": false}`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r.prepare {
		t.Fatal("prepared_statements false resolved to preparing statements")
	}
}
