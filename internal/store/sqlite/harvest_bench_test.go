package sqlite

import (
	"context"
	"testing"

	"github.com/imprintpub/imprint/internal/store"
)

// benchHarvest lists pages of 100 as an OAI-PMH harvest does, starting
// at the middle of the list when deep is set.
func benchHarvest(b *testing.B, q store.HarvestQuery, deep bool) {
	s, _ := benchSetup(b)
	ctx := context.Background()
	q.Limit = 100
	if deep {
		// Walk to the middle once, with big pages, to find its key.
		walk := q
		walk.Limit = store.MaxLimit
		var seen int
		for {
			page, err := s.Harvest(ctx, walk)
			if err != nil {
				b.Fatal(err)
			}
			seen += len(page.Items)
			if len(page.Items) == 0 || seen >= page.Total/2 || !page.More {
				if len(page.Items) > 0 {
					k := page.Items[len(page.Items)-1].Key
					q.After = &k
				}
				break
			}
			k := page.Items[len(page.Items)-1].Key
			walk.After = &k
		}
	}
	b.ResetTimer()
	for b.Loop() {
		page, err := s.Harvest(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Items) == 0 {
			b.Fatal("empty page")
		}
	}
}

func BenchmarkHarvestFirstPage(b *testing.B) { benchHarvest(b, store.HarvestQuery{}, false) }

func BenchmarkHarvestMiddlePage(b *testing.B) { benchHarvest(b, store.HarvestQuery{}, true) }

func BenchmarkHarvestTopicSet(b *testing.B) {
	benchHarvest(b, store.HarvestQuery{Topics: []string{"topic-0", "topic-1", "topic-2"}}, true)
}

// BenchmarkHarvestTopicSetCounted is the first page of a harvest, which
// also counts the whole list for completeListSize.
func BenchmarkHarvestTopicSetCounted(b *testing.B) {
	benchHarvest(b, store.HarvestQuery{Topics: []string{"topic-0", "topic-1", "topic-2"}, Count: true}, false)
}
