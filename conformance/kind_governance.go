package conformance

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gatewaykit/configstore"
)

func budgetID(b *configstore.Budget) string           { return b.ID }
func rateLimitID(r *configstore.RateLimit) string     { return r.ID }
func customerID(c *configstore.Customer) string       { return c.ID }
func teamID(t *configstore.Team) string               { return t.ID }
func modelConfigID(m *configstore.ModelConfig) string { return m.ID }

var budgetSuite = kindSuite[configstore.Budget]{
	kind:  "budget",
	setup: seedWorld,
	make: func(key string) *configstore.Budget {
		return &configstore.Budget{ID: key, ResetDuration: "1d"}
	},
	full: fullBudget,
	variants: []variant[configstore.Budget]{
		{"OwnedByTeam", func(b *configstore.Budget) { b.VirtualKeyID, b.TeamID = "", team1 }},
		{"OwnedByCustomer", func(b *configstore.Budget) { b.VirtualKeyID, b.CustomerID = "", customer1 }},
		{"OwnedByModelConfig", func(b *configstore.Budget) { b.VirtualKeyID, b.ModelConfigID = "", modelConfig1 }},
	},
	mutate: func(b *configstore.Budget) {
		b.CurrentUsage += 1.5
		b.MaxLimit += 10
	},
	key:         budgetID,
	longKeys:    true,
	keyField:    "id",
	generatesID: true,
	setKey:      func(b *configstore.Budget, id string) { b.ID = id },
	create:      configstore.ConfigStore.CreateBudget,
	get:         getByKey(configstore.ConfigStore.GetBudget, budgetID),
	list:        configstore.ConfigStore.ListBudgets,
	update:      configstore.ConfigStore.UpdateBudget,
	del:         deleteByKey(configstore.ConfigStore.DeleteBudget, budgetID),
	refs: []refField[configstore.Budget]{
		{"virtual_key_id", func(b *configstore.Budget) { b.VirtualKeyID = missing }},
		{"team_id", func(b *configstore.Budget) { b.VirtualKeyID, b.TeamID = "", missing }},
		{"customer_id", func(b *configstore.Budget) { b.VirtualKeyID, b.CustomerID = "", missing }},
		{"model_config_id", func(b *configstore.Budget) { b.VirtualKeyID, b.ModelConfigID = "", missing }},
	},
	invalid: []invalidCase[configstore.Budget]{
		{"NegativeMaxLimit", "max_limit", func(b *configstore.Budget) { b.MaxLimit = -1 }},
		{"NoResetDuration", "reset_duration", func(b *configstore.Budget) { b.ResetDuration = "" }},
		{"MalformedResetDuration", "reset_duration", func(b *configstore.Budget) { b.ResetDuration = "1 month" }},
		{"ZeroResetDuration", "reset_duration", func(b *configstore.Budget) { b.ResetDuration = "0d" }},
		{"NegativeUsage", "current_usage", func(b *configstore.Budget) { b.CurrentUsage = -0.5 }},
		{"TwoOwners", "virtual_key_id", func(b *configstore.Budget) { b.TeamID = team1 }},
	},
}

func budgetTests() []test {
	ts := budgetSuite.tests()
	ts = append(ts, test{"TimesNormalizedToUTCMilliseconds", testBudgetTimeNormalized},
		test{"NonFiniteNumbersStoredOrInvalid", testBudgetNonFinite})
	return append(ts, restrictTests("Budget")...)
}

// testBudgetNonFinite: an infinite or NaN limit is stored exactly or
// refused with ErrInvalid naming the field; never silently changed, never
// a raw driver error.
func testBudgetNonFinite(t *suiteT) {
	for i, c := range []struct {
		path string
		set  func(b *configstore.Budget)
	}{
		{"max_limit", func(b *configstore.Budget) { b.MaxLimit = math.Inf(1) }},
		{"max_limit", func(b *configstore.Budget) { b.MaxLimit = math.NaN() }},
		{"current_usage", func(b *configstore.Budget) { b.CurrentUsage = math.Inf(1) }},
	} {
		b := &configstore.Budget{ID: fmt.Sprintf("odd-%d", i), ResetDuration: "1d"}
		c.set(b)
		want := *b
		if err := t.store.CreateBudget(t.ctx, b); err != nil {
			t.wantFieldErr(err, configstore.ErrInvalid, c.path, "create a budget with a non-finite %s", c.path)
			continue
		}
		copyServerFields(&want, b)
		got, err := t.store.GetBudget(t.ctx, b.ID)
		t.must(err, "get")
		t.equal(got, &want, "budget with a non-finite %s", c.path)
	}
}

// testBudgetTimeNormalized: a time given in another zone, with
// sub-millisecond digits, is stored as the same instant in UTC truncated to
// the millisecond, and Create leaves that on the value.
func testBudgetTimeNormalized(t *suiteT) {
	zurich := time.FixedZone("CET", 3600)
	in := time.Date(2025, time.March, 30, 1, 59, 59, 123456789, zurich)
	want := time.Date(2025, time.March, 30, 0, 59, 59, 123000000, time.UTC)
	b := &configstore.Budget{ID: "timed", ResetDuration: "1d", LastReset: in}
	t.must(t.store.CreateBudget(t.ctx, b), "create")
	t.equal(b.LastReset, want, "LastReset on the created value")
	got, err := t.store.GetBudget(t.ctx, "timed")
	t.must(err, "get")
	t.equal(got.LastReset, want, "stored LastReset")
}

var rateLimitSuite = kindSuite[configstore.RateLimit]{
	kind: "rate_limit",
	make: func(key string) *configstore.RateLimit { return &configstore.RateLimit{ID: key} },
	full: fullRateLimit,
	variants: []variant[configstore.RateLimit]{
		{"TimesBefore1970AndFarAhead", func(r *configstore.RateLimit) {
			r.TokenLastReset = at(1969, time.December, 31, 23, 59, 59, 999)
			r.RequestLastReset = at(9999, time.December, 31, 23, 59, 59, 999)
		}},
		{"TokenLimitOnly", func(r *configstore.RateLimit) {
			r.RequestMaxLimit, r.RequestResetDuration, r.RequestCurrentUsage, r.RequestLastReset = nil, "", 0, time.Time{}
		}},
	},
	mutate: func(r *configstore.RateLimit) {
		r.TokenCurrentUsage++
		r.CalendarAligned = !r.CalendarAligned
	},
	key:         rateLimitID,
	longKeys:    true,
	keyField:    "id",
	generatesID: true,
	setKey:      func(r *configstore.RateLimit, id string) { r.ID = id },
	create:      configstore.ConfigStore.CreateRateLimit,
	get:         getByKey(configstore.ConfigStore.GetRateLimit, rateLimitID),
	list:        configstore.ConfigStore.ListRateLimits,
	update:      configstore.ConfigStore.UpdateRateLimit,
	del:         deleteByKey(configstore.ConfigStore.DeleteRateLimit, rateLimitID),
	invalid: []invalidCase[configstore.RateLimit]{
		{"NegativeTokenLimit", "token_max_limit", func(r *configstore.RateLimit) { r.TokenMaxLimit = ptr(int64(-1)) }},
		{"NegativeRequestLimit", "request_max_limit", func(r *configstore.RateLimit) { r.RequestMaxLimit = ptr(int64(-5)) }},
		{"TokenLimitWithoutDuration", "token_reset_duration", func(r *configstore.RateLimit) { r.TokenResetDuration = "" }},
		{"RequestLimitWithoutDuration", "request_reset_duration", func(r *configstore.RateLimit) { r.RequestResetDuration = "" }},
		{"MalformedTokenDuration", "token_reset_duration", func(r *configstore.RateLimit) { r.TokenResetDuration = "1x" }},
		{"MalformedRequestDuration", "request_reset_duration", func(r *configstore.RateLimit) { r.RequestResetDuration = "5 minutes" }},
	},
}

func rateLimitTests() []test {
	ts := append(rateLimitSuite.tests(), test{"ListReturnsEveryRecord", testListAll})
	return append(ts, restrictTests("RateLimit")...)
}

// testListAll: List has no implicit page size.
func testListAll(t *suiteT) {
	const n = 1234
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		for i := range n {
			if err := tx.CreateRateLimit(t.ctx, &configstore.RateLimit{ID: fmt.Sprintf("rl-%05d", i), TokenCurrentUsage: int64(i)}); err != nil {
				return err
			}
		}
		return nil
	}), "create %d rate limits", n)
	all, err := t.store.ListRateLimits(t.ctx)
	t.must(err, "list")
	if len(all) != n {
		t.Fatalf("list returns %d of %d rate limits", len(all), n)
	}
	for i, r := range all {
		if r.ID != fmt.Sprintf("rl-%05d", i) || r.TokenCurrentUsage != int64(i) {
			t.Fatalf("list entry %d is %q with usage %d", i, r.ID, r.TokenCurrentUsage)
		}
	}
	if cs := t.changesAfter(0); len(cs) != n {
		t.Fatalf("the change log has %d entries for a transaction creating %d records", len(cs), n)
	}
}

var customerSuite = kindSuite[configstore.Customer]{
	kind:  "customer",
	setup: seedWorld,
	make: func(key string) *configstore.Customer {
		return &configstore.Customer{ID: key, Name: "customer " + key}
	},
	full: fullCustomer,
	mutate: func(c *configstore.Customer) {
		c.Name += " ✓"
		c.CalendarAligned = !c.CalendarAligned
	},
	key:         customerID,
	generatesID: true,
	setKey:      func(c *configstore.Customer, id string) { c.ID = id },
	create:      configstore.ConfigStore.CreateCustomer,
	get:         getByKey(configstore.ConfigStore.GetCustomer, customerID),
	list:        configstore.ConfigStore.ListCustomers,
	update:      configstore.ConfigStore.UpdateCustomer,
	del:         deleteByKey(configstore.ConfigStore.DeleteCustomer, customerID),
	refs: []refField[configstore.Customer]{
		{"budget_id", func(c *configstore.Customer) { c.BudgetID = missing }},
		{"rate_limit_id", func(c *configstore.Customer) { c.RateLimitID = missing }},
	},
	invalid: []invalidCase[configstore.Customer]{
		{"BlankName", "name", func(c *configstore.Customer) { c.Name = "   " }},
		{"NameWithNUL", "name", func(c *configstore.Customer) { c.Name = "a\x00b" }},
	},
}

func customerTests() []test {
	ts := customerSuite.tests()
	ts = append(ts, restrictTests("Customer")...)
	return append(ts, cascadeTests("Customer")...)
}

var teamSuite = kindSuite[configstore.Team]{
	kind:  "team",
	setup: seedWorld,
	make: func(key string) *configstore.Team {
		return &configstore.Team{ID: key, Name: "team " + key}
	},
	full: fullTeam,
	emptyLists: func(t *configstore.Team) {
		t.Profile, t.Config, t.Claims = map[string]any{}, map[string]any{}, map[string]any{}
	},
	mutate: func(t *configstore.Team) {
		t.CalendarAligned = !t.CalendarAligned
		t.Claims = map[string]any{"revision": float64(len(t.Name))}
	},
	key:         teamID,
	generatesID: true,
	setKey:      func(t *configstore.Team, id string) { t.ID = id },
	create:      configstore.ConfigStore.CreateTeam,
	get:         getByKey(configstore.ConfigStore.GetTeam, teamID),
	list:        configstore.ConfigStore.ListTeams,
	update:      configstore.ConfigStore.UpdateTeam,
	del:         deleteByKey(configstore.ConfigStore.DeleteTeam, teamID),
	uniques: []uniqueField[configstore.Team]{
		{"Name", func(to, from *configstore.Team) { to.Name = from.Name }, func(v *configstore.Team) { v.Name = strings.ToUpper(v.Name) }},
	},
	refs: []refField[configstore.Team]{
		{"customer_id", func(t *configstore.Team) { t.CustomerID = missing }},
		{"budget_id", func(t *configstore.Team) { t.BudgetID = missing }},
		{"rate_limit_id", func(t *configstore.Team) { t.RateLimitID = missing }},
	},
	invalid: []invalidCase[configstore.Team]{
		{"BlankName", "name", func(t *configstore.Team) { t.Name = "" }},
		{"InvalidUTF8Name", "name", func(t *configstore.Team) { t.Name = "team \xff" }},
		{"ProfileNotEncodable", "profile", func(t *configstore.Team) { t.Profile = map[string]any{"x": math.NaN()} }},
	},
}

func teamTests() []test {
	ts := teamSuite.tests()
	ts = append(ts, restrictTests("Team")...)
	return append(ts, cascadeTests("Team")...)
}

var modelConfigSuite = kindSuite[configstore.ModelConfig]{
	kind:  "model_config",
	setup: seedWorld,
	make: func(key string) *configstore.ModelConfig {
		return &configstore.ModelConfig{ID: key, ModelName: "model " + key}
	},
	full: fullModelConfig,
	variants: []variant[configstore.ModelConfig]{
		{"GlobalScope", func(m *configstore.ModelConfig) { m.Scope, m.ScopeID = "global", "" }},
	},
	mutate: func(m *configstore.ModelConfig) {
		m.ModelName += "-next"
		m.CalendarAligned = !m.CalendarAligned
	},
	key:         modelConfigID,
	generatesID: true,
	setKey:      func(m *configstore.ModelConfig, id string) { m.ID = id },
	create:      configstore.ConfigStore.CreateModelConfig,
	get:         getByKey(configstore.ConfigStore.GetModelConfig, modelConfigID),
	list:        configstore.ConfigStore.ListModelConfigs,
	update:      configstore.ConfigStore.UpdateModelConfig,
	del:         deleteByKey(configstore.ConfigStore.DeleteModelConfig, modelConfigID),
	refs: []refField[configstore.ModelConfig]{
		{"budget_id", func(m *configstore.ModelConfig) { m.BudgetID = missing }},
		{"rate_limit_id", func(m *configstore.ModelConfig) { m.RateLimitID = missing }},
	},
	invalid: []invalidCase[configstore.ModelConfig]{
		{"UnknownScope", "scope", func(m *configstore.ModelConfig) { m.Scope = "galaxy" }},
		{"ScopeWithoutID", "scope_id", func(m *configstore.ModelConfig) { m.ScopeID = "" }},
		{"NoModelName", "model_name", func(m *configstore.ModelConfig) { m.ModelName = "" }},
	},
}

func modelConfigTests() []test {
	ts := modelConfigSuite.tests()
	return append(ts, cascadeTests("ModelConfig")...)
}
