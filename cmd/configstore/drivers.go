package main

import (
	"fmt"

	"github.com/gatewaykit/configstore"
	"github.com/spf13/cobra"
)

func (a *app) driversCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "drivers",
		Short: "List the registered store backends",
		Long: `drivers lists the backends this binary can open: the values config.json's
config_store.type may take.`,
		Example: `  configstore drivers`,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			for _, name := range configstore.Drivers() {
				fmt.Fprintln(a.out, name)
			}
			return nil
		},
	}
}
