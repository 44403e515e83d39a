package configstore

import "strings"

// Free-form JSON values (a plugin's config, the logs_store and vector_store
// settings, a provider's extra headers, a team's profile, ...) are kept
// verbatim, so the store cannot know which of their members are secrets as
// it knows for EnvVar fields. Plans and exports find them by name instead:
// IsSecretName says which member names denote a secret, and RedactFreeForm
// redacts what is stored under them.

// IsSecretName reports whether name, the name of a member of a free-form
// JSON value (or of a header), denotes a secret.
//
// The name is split into lowercase words at every character that is not an
// ASCII letter or digit and at camelCase boundaries ("X-Api-Key",
// "x_api_key", "xApiKey" and "XAPIKey" are all the words x, api, key). It
// denotes a secret when
//
//   - one of its words is password, passwd, passphrase, secret, secrets,
//     credential, credentials, or one of the run-together forms apikey,
//     apitoken, accesskey, accesstoken, authtoken, privatekey, secretkey
//     ("password", "DB_PASSWORD", "client_secret", "credentials_json");
//   - or its last word is token, auth, authorization, cookie, dsn or keys
//     ("token", "session_token", "basic_auth", "Proxy-Authorization",
//     "keys", a list of API keys in Bifrost's vocabulary);
//   - or it has two words or more and the last one is key ("api_key",
//     "access_key", "private_key", "X-API-Key"). "key" alone is not a
//     secret name: it is too often a plain identifier.
//
// The rule errs on the side of redacting: "max_idle_per_key" or
// "default_cache_key" are redacted too. Words in the middle of a name do
// not count ("max_tokens", "token_max_limit" and "auth_type" are not
// secret names).
func IsSecretName(name string) bool {
	words := nameWords(name)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		switch w {
		case "password", "passwd", "passphrase", "secret", "secrets", "credential", "credentials",
			"apikey", "apitoken", "accesskey", "accesstoken", "authtoken", "privatekey", "secretkey":
			return true
		}
	}
	switch words[len(words)-1] {
	case "token", "auth", "authorization", "cookie", "dsn", "keys":
		return true
	case "key":
		return len(words) > 1
	}
	return false
}

// nameWords splits name into lowercase words: at every byte that is not an
// ASCII letter or digit, before an uppercase letter that follows a
// lowercase letter or a digit ("apiKey"), and before the last uppercase
// letter of a run followed by a lowercase one ("APIKey").
func nameWords(name string) []string {
	isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	isLower := func(c byte) bool { return c >= 'a' && c <= 'z' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	var words []string
	start := -1 // the start of the current word, or -1 between words
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isUpper(c) && !isLower(c) && !isDigit(c) {
			if start >= 0 {
				words = append(words, strings.ToLower(name[start:i]))
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := name[i-1] // part of the current word
		if isUpper(c) && (isLower(prev) || isDigit(prev) || (isUpper(prev) && i+1 < len(name) && isLower(name[i+1]))) {
			words = append(words, strings.ToLower(name[start:i]))
			start = i
		}
	}
	if start >= 0 {
		words = append(words, strings.ToLower(name[start:]))
	}
	return words
}

// RedactFreeForm returns a copy of v, a free-form JSON value as
// encoding/json decodes it into an any (map[string]any, []any, string,
// float64 or json.Number, bool, nil), in which everything stored under a
// member whose name denotes a secret (IsSecretName) is redacted:
//
//   - a string is replaced by its redacted form, the one EnvVar prints
//     ("sk-...abcd", or "****" for one shorter than 16 characters), except
//     that an env reference ("env.NAME") is kept as it is: it is not a
//     secret;
//   - a number (or any other scalar) is replaced by the string "****";
//   - true, false and null are kept: they carry no secret, and keep
//     settings such as "auth": {"enabled": true} readable;
//   - an object or a list under a secret name is walked, and every value
//     in it, at any depth, is redacted as above, whatever its own name:
//     "basic_auth": {"username": ..., "password": ...} redacts both, and
//     the object form of a secret ({"value": ..., "env_var": "env.NAME",
//     "from_env": true}) shows only its reference.
//
// Objects and lists elsewhere are walked, and members with other names are
// copied unchanged (numbers keep their json.Number text). v itself is not
// modified. The result encodes deterministically with encoding/json (it
// sorts object keys).
//
// As for an EnvVar, the store's creates and updates keep the stored value
// of a free-form secret given back in exactly its redacted form, and refuse
// (ErrInvalid, with the member's path) a redacted-looking one with no such
// stored value behind it.
func RedactFreeForm(v any) any { return redactFreeForm(v, false) }

// redactFreeForm is RedactFreeForm; secret is whether v is under a member
// with a secret name.
func redactFreeForm(v any, secret bool) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = redactFreeForm(e, secret || IsSecretName(k))
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactFreeForm(e, secret)
		}
		return out
	}
	if !secret {
		return v
	}
	switch x := v.(type) {
	case nil, bool:
		return v
	case string:
		return NewEnvVar(x).Redacted()
	}
	return redactedMask
}
