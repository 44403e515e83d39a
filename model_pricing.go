package configstore

import "encoding/json"

// ModelPricing is the price of one model of one provider in one mode
// ("chat", "embedding", ...). It is a cache of the gateway's pricing sync,
// identified by (Model, Provider, Mode) and replaced in bulk.
type ModelPricing struct {
	// ID is the stored key, derived from the identity (ModelPricingKey).
	ID                      string   `json:"-" store:"id"`
	Model                   string   `json:"model" store:"model"`
	Provider                string   `json:"provider" store:"provider"`
	Mode                    string   `json:"mode" store:"mode"`
	InputCostPerToken       float64  `json:"input_cost_per_token" store:"input_cost_per_token"`
	OutputCostPerToken      float64  `json:"output_cost_per_token" store:"output_cost_per_token"`
	InputCostPerRequest     *float64 `json:"input_cost_per_request,omitempty" store:"input_cost_per_request"`
	InputCostPerImage       *float64 `json:"input_cost_per_image,omitempty" store:"input_cost_per_image"`
	CacheReadInputTokenCost *float64 `json:"cache_read_input_token_cost,omitempty" store:"cache_read_input_token_cost"`
	Meta
}

// ModelPricingKey returns the stored key of (model, provider, mode): the
// JSON array [provider, mode, model], unambiguous whatever the names hold
// (model names often contain slashes).
func ModelPricingKey(model, provider, mode string) string {
	b, _ := json.Marshal([]string{provider, mode, model}) // strings always encode
	return string(b)
}

func (p *ModelPricing) key() string   { return ModelPricingKey(p.Model, p.Provider, p.Mode) }
func (p *ModelPricing) setKey(string) {}

func (p *ModelPricing) validate() error {
	for _, f := range []struct{ path, v string }{{"model", p.Model}, {"provider", p.Provider}, {"mode", p.Mode}} {
		if err := requireName(f.path, f.v); err != nil {
			return err
		}
	}
	p.ID = p.key()
	if len(p.ID) > maxNameLen {
		return invalidf("model", "is too long: model, provider and mode together must fit in %d bytes", maxNameLen-10)
	}
	if p.InputCostPerToken < 0 {
		return invalidf("input_cost_per_token", "must not be negative")
	}
	if p.OutputCostPerToken < 0 {
		return invalidf("output_cost_per_token", "must not be negative")
	}
	return nil
}
