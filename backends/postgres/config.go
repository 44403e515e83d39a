package postgres

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"

	"github.com/gatewaykit/configstore"
)

// Pool defaults, as config.json documents them.
const (
	DefaultMaxIdleConns = 5
	DefaultMaxOpenConns = 50
)

// Config is the driver config of the "postgres" config store, as
// config.json has it. Either DSN, or Host, Port, User, Password, DBName and
// SSLMode. Every string field may be an "env.NAME" reference to an
// environment variable, resolved at open.
type Config struct {
	// Host is the server's host name or address.
	Host string `json:"host"`
	// Port is the server's port, a string as in config.json ("5432").
	Port string `json:"port"`
	// User is the role to connect as.
	User string `json:"user"`
	// Password may be empty (other authentication methods); it never
	// appears in errors or logs.
	Password string `json:"password"`
	// DBName is the database, which must have the UTF8 encoding.
	DBName string `json:"db_name"`
	// SSLMode is disable, allow, prefer, require, verify-ca or verify-full.
	SSLMode string `json:"ssl_mode"`
	// MaxIdleConns and MaxOpenConns size the connection pool; nil means
	// DefaultMaxIdleConns and DefaultMaxOpenConns.
	MaxIdleConns *int `json:"max_idle_conns,omitempty"`
	MaxOpenConns *int `json:"max_open_conns,omitempty"`
	// DSN, instead of the fields above: "postgres://user:pass@host:5432/db?sslmode=disable".
	DSN string `json:"dsn,omitempty"`
	// PreparedStatements, nil meaning true, lets the store prepare the
	// statements that read virtual keys on each connection (PREPARE): false
	// behind a pooler that may give a client another server connection
	// between its statements (PgBouncer's transaction pooling).
	PreparedStatements *bool `json:"prepared_statements,omitempty"`
}

// ParseConfig decodes the driver config strictly: an unknown field or a
// wrong type is an error wrapping configstore.ErrInvalid.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	if len(bytes.TrimSpace(raw)) == 0 {
		return c, fmt.Errorf("postgres config: missing: give host, port, user, password, db_name and ssl_mode, or dsn: %w",
			configstore.ErrInvalid)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("postgres config: %v: %w", err, configstore.ErrInvalid)
	}
	if dec.More() {
		return Config{}, fmt.Errorf("postgres config: trailing data after the object: %w", configstore.ErrInvalid)
	}
	return c, nil
}

// resolved is a Config with its env references resolved and checked.
type resolved struct {
	dsn          string // the connection URL; it holds the password: never print it
	password     string // to scrub from driver messages
	maxIdle      int
	maxOpen      int
	databaseName string // for messages
	prepare      bool   // PreparedStatements
}

// resolve resolves the env references and checks the fields, returning the
// connection URL and the pool size. Errors name fields and variables, never
// the password.
func (c Config) resolve() (resolved, error) {
	var r resolved
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("postgres config: %s: %w", fmt.Sprintf(format, args...), configstore.ErrInvalid)
	}
	env := func(field, v string) (string, error) {
		s, err := configstore.NewEnvVar(v).Resolve()
		if err != nil {
			return "", fmt.Errorf("postgres config: %s: %w", field, err)
		}
		return s, nil
	}
	r.maxIdle, r.maxOpen = DefaultMaxIdleConns, DefaultMaxOpenConns
	r.prepare = c.PreparedStatements == nil || *c.PreparedStatements
	if c.MaxIdleConns != nil {
		r.maxIdle = *c.MaxIdleConns
	}
	if c.MaxOpenConns != nil {
		r.maxOpen = *c.MaxOpenConns
	}
	if r.maxIdle < 0 {
		return r, invalid("max_idle_conns must not be negative")
	}
	if r.maxOpen < 2 {
		return r, invalid("max_open_conns must be at least 2")
	}
	if c.DSN != "" {
		if c.Host != "" || c.Port != "" || c.User != "" || c.Password != "" || c.DBName != "" || c.SSLMode != "" {
			return r, invalid("dsn excludes host, port, user, password, db_name and ssl_mode")
		}
		dsn, err := env("dsn", c.DSN)
		if err != nil {
			return r, err
		}
		u, err := url.Parse(dsn)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // url.Error repeats the URL, password included
			}
			return r, invalid("dsn: %v", err)
		}
		r.dsn = dsn
		r.password, _ = u.User.Password()
		r.databaseName = u.Path
		if len(r.databaseName) > 0 {
			r.databaseName = r.databaseName[1:]
		}
		return r, nil
	}
	fields := []struct {
		name     string
		value    *string
		required bool
	}{
		{"host", &c.Host, true}, {"port", &c.Port, true}, {"user", &c.User, true},
		{"password", &c.Password, false}, {"db_name", &c.DBName, true}, {"ssl_mode", &c.SSLMode, true},
	}
	for _, f := range fields {
		v, err := env(f.name, *f.value)
		if err != nil {
			return r, err
		}
		if v == "" && f.required {
			return r, invalid("%s is required (or give dsn)", f.name)
		}
		*f.value = v
	}
	if n, err := strconv.Atoi(c.Port); err != nil || n < 1 || n > 65535 {
		return r, invalid("port %q is not a port number", c.Port)
	}
	switch c.SSLMode {
	case "disable", "allow", "prefer", "require", "verify-ca", "verify-full":
	default:
		return r, invalid("ssl_mode %q: want disable, allow, prefer, require, verify-ca or verify-full", c.SSLMode)
	}
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(c.User, c.Password),
		Host:     net.JoinHostPort(c.Host, c.Port),
		Path:     "/" + c.DBName,
		RawQuery: url.Values{"sslmode": {c.SSLMode}}.Encode(),
	}
	if c.Password == "" {
		u.User = url.User(c.User)
	}
	r.dsn, r.password, r.databaseName = u.String(), c.Password, c.DBName
	return r, nil
}
