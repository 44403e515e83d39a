package configstore

import (
	"context"
	"fmt"
)

// ReplaceModelPricing validates every price, then in one transaction
// deletes the stored prices and inserts the new ones. It logs one change,
// (model_pricing, "*", replace), rather than one per price.
func (s *store) ReplaceModelPricing(ctx context.Context, prices []ModelPricing) error {
	recs := make([]Record, len(prices))
	seen := make(map[string]int, len(prices))
	for i := range prices {
		p := prices[i]
		if err := p.validate(); err != nil {
			return withEntity(prefixPath(err, fmt.Sprintf("[%d]", i)), kindModelPricing.Name, p.ID)
		}
		if j, dup := seen[p.ID]; dup {
			return withEntity(invalidf(fmt.Sprintf("[%d]", i), "same model, provider and mode as [%d]", j), kindModelPricing.Name, p.ID)
		}
		seen[p.ID] = i
		if err := initMeta(&p.Meta, sourceOf(ctx)); err != nil {
			return withEntity(prefixPath(err, fmt.Sprintf("[%d]", i)), kindModelPricing.Name, p.ID)
		}
		rec, err := encodeOf(&p)
		if err != nil {
			return withEntity(err, kindModelPricing.Name, p.ID)
		}
		recs[i] = rec
	}
	return s.write(ctx, func(w *writer) error {
		old, err := w.tx.List(ctx, kindModelPricing, Query{})
		if err != nil {
			return err
		}
		if len(old) > 0 {
			oldKeys := make([]string, len(old))
			for i, rec := range old {
				oldKeys[i] = rec["id"].(string)
			}
			if err := w.tx.Delete(ctx, kindModelPricing, oldKeys...); err != nil {
				return err
			}
		}
		if len(recs) > 0 {
			if err := w.tx.Insert(ctx, kindModelPricing, recs...); err != nil {
				return err
			}
		}
		w.record(ctx, kindModelPricing, "*", OpReplace)
		return nil
	})
}
