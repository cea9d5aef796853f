package postgres

import (
	"context"
	"testing"

	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

func TestSearchVisibility(t *testing.T) {
	s := open(t)
	idx := search.NewPostgres(s.DB())
	storetest.RunSearchVisibility(t, s, func(ctx context.Context, text, topic string) ([]int64, int, error) {
		res, err := idx.Search(ctx, search.Query{Text: text, Topic: topic, PerPage: search.MaxPerPage})
		if err != nil {
			return nil, 0, err
		}
		var ids []int64
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids, res.Total, nil
	})
}
