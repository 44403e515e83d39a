package configstore

import "encoding/json"

// Plugin is a gateway plugin and its configuration.
type Plugin struct {
	Name    string          `json:"name" store:"name" config:"id"`
	Enabled bool            `json:"enabled" store:"enabled"`
	Config  json.RawMessage `json:"config,omitempty" store:"config"`
	Path    *string         `json:"path,omitempty" store:"path"`
	// Version defaults to 1; Placement to "post_builtin".
	Version   int    `json:"version,omitempty" store:"version"`
	Placement string `json:"placement,omitempty" store:"placement"`
	Order     int    `json:"order,omitempty" store:"sort_order"`
	Meta      `config:"server"`
}

// The plugin placements.
const (
	PlacementPreBuiltin  = "pre_builtin"
	PlacementPostBuiltin = "post_builtin"
	PlacementBuiltin     = "builtin"
)

func (p *Plugin) key() string        { return p.Name }
func (p *Plugin) setKey(name string) { p.Name = name }

func (p *Plugin) validate() error {
	if err := requireName("name", p.Name); err != nil {
		return err
	}
	if p.Version == 0 {
		p.Version = 1
	}
	if p.Version < 1 || p.Version > 32767 {
		return invalidf("version", "must be between 1 and 32767, got %d", p.Version)
	}
	if p.Placement == "" {
		p.Placement = PlacementPostBuiltin
	}
	if err := oneOf("placement", p.Placement, PlacementPreBuiltin, PlacementPostBuiltin, PlacementBuiltin); err != nil {
		return err
	}
	return validJSON("config", p.Config)
}
