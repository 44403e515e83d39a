package main

import (
	"fmt"
	"strings"
)

// size is how many entities a generated config.json holds.
type size struct {
	Name            string
	Providers       int // each with KeysPerProvider keys
	KeysPerProvider int
	ModelsPerKey    int
	Customers       int
	Teams           int // each with a customer
	// VirtualKeys each have their own budget and rate limit, a team, and
	// ProviderConfigsPerVK provider configs of KeyIDsPerConfig key ids each.
	VirtualKeys          int
	ProviderConfigsPerVK int
	KeyIDsPerConfig      int
	MCPClients           int
	Plugins              int
}

// sizeL is the size L; M and S divide its counts by 10 and 100.
var sizeL = size{Name: "L", Providers: 50, KeysPerProvider: 20, ModelsPerKey: 3, Customers: 100, Teams: 1000,
	VirtualKeys: 10000, ProviderConfigsPerVK: 2, KeyIDsPerConfig: 2, MCPClients: 20, Plugins: 10}

// parseSize returns the size named S, M or L.
func parseSize(name string) (size, error) {
	divisor := map[string]int{"S": 100, "M": 10, "L": 1}[strings.ToUpper(name)]
	if divisor == 0 {
		return size{}, fmt.Errorf("-size %q: want S, M or L", name)
	}
	s := sizeL
	s.Name = strings.ToUpper(name)
	scale := func(n, least int) int { return max(least, n/divisor) }
	// Every virtual key needs ProviderConfigsPerVK distinct providers.
	s.Providers = scale(s.Providers, s.ProviderConfigsPerVK)
	s.Customers = scale(s.Customers, 1)
	s.Teams = scale(s.Teams, 1)
	s.VirtualKeys = scale(s.VirtualKeys, 1)
	s.MCPClients = scale(s.MCPClients, 1)
	s.Plugins = scale(s.Plugins, 1)
	return s, nil
}

// String describes the size in one line.
func (s size) String() string {
	return fmt.Sprintf("size %s: %d providers x %d keys (%d models each), %d customers, %d teams, "+
		"%d virtual keys (own budget and rate limit, %d provider configs x %d key ids), %d MCP clients, %d plugins",
		s.Name, s.Providers, s.KeysPerProvider, s.ModelsPerKey, s.Customers, s.Teams,
		s.VirtualKeys, s.ProviderConfigsPerVK, s.KeyIDsPerConfig, s.MCPClients, s.Plugins)
}
