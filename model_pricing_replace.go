package configstore

import (
	"context"
	"fmt"
	"maps"
)

// ReplaceModelPricing validates every price, then in one transaction makes
// the stored prices equal to prices: a price that is new is inserted, a
// changed one updated (its revision rises, as for any update, so a stale
// update of it still conflicts), an unchanged one left alone, and one not
// in prices deleted. It logs one change, (model_pricing, "*", replace),
// rather than one per price, and does not fill in Meta on prices.
func (s *store) ReplaceModelPricing(ctx context.Context, prices []ModelPricing) error {
	next := make(map[string]Record, len(prices))
	order := make([]string, 0, len(prices))
	for i := range prices {
		p := prices[i]
		if err := p.validate(); err != nil {
			return withEntity(prefixPath(err, fmt.Sprintf("[%d]", i)), kindModelPricing.Name, p.ID)
		}
		if _, dup := next[p.ID]; dup {
			return withEntity(invalidf(fmt.Sprintf("[%d]", i), "repeats the model, provider and mode of an earlier price"), kindModelPricing.Name, p.ID)
		}
		if err := initMeta(&p.Meta, sourceOf(ctx)); err != nil {
			return withEntity(prefixPath(err, fmt.Sprintf("[%d]", i)), kindModelPricing.Name, p.ID)
		}
		rec, err := encodeOf(&p)
		if err != nil {
			return withEntity(prefixPath(err, fmt.Sprintf("[%d]", i)), kindModelPricing.Name, p.ID)
		}
		next[p.ID] = rec
		order = append(order, p.ID)
	}
	return s.write(ctx, func(w *writer) error {
		old, err := w.tx.List(ctx, kindModelPricing, Query{})
		if err != nil {
			return err
		}
		var gone []string
		stored := make(map[string]Record, len(old))
		for _, rec := range old {
			key := rec[kindModelPricing.Key].(string)
			if _, keep := next[key]; keep {
				stored[key] = rec
			} else {
				gone = append(gone, key)
			}
		}
		if len(gone) > 0 {
			if err := w.tx.Delete(ctx, kindModelPricing, gone...); err != nil {
				return err
			}
		}
		var inserts []Record
		for _, key := range order {
			rec, cur := next[key], stored[key]
			if cur == nil {
				inserts = append(inserts, rec)
				continue
			}
			if samePrice(rec, cur) {
				continue
			}
			rev := cur["revision"].(int64)
			rec["revision"], rec["created_at"], rec["config_hash"] = rev+1, cur["created_at"], cur["config_hash"]
			if err := w.tx.Update(ctx, kindModelPricing, rec, rev); err != nil {
				return err
			}
		}
		if len(inserts) > 0 {
			if err := w.tx.Insert(ctx, kindModelPricing, inserts...); err != nil {
				return err
			}
		}
		w.record(ctx, kindModelPricing, "*", OpReplace)
		return nil
	})
}

// samePrice reports whether two pricing records differ only in metadata.
func samePrice(a, b Record) bool {
	meta := []string{"revision", "created_at", "updated_at", "config_hash"}
	a, b = maps.Clone(a), maps.Clone(b)
	for _, f := range meta {
		delete(a, f)
		delete(b, f)
	}
	return maps.Equal(a, b)
}
