package web

import (
	"reflect"
	"testing"

	"github.com/imprintpub/imprint/internal/store"
)

func TestRankRelated(t *testing.T) {
	// Topics 1 security, 2 nuclear, 3 trade, 4 energy; regions 10 Asia, 11
	// Japan, 12 India; people 20 Smith, 21 Kwon, 22 Hallett, 23 Berg.
	self := store.Facets{ID: 1, Topics: []int64{1, 2}, Regions: []int64{10, 11}, People: []int64{20}, SortKey: 20130900}
	cands := []store.Facets{
		{ID: 2, Topics: []int64{3}, Regions: []int64{10}, People: []int64{20}, SortKey: 20150000},    // same author
		{ID: 3, Topics: []int64{1, 2}, Regions: []int64{10}, People: []int64{21}, SortKey: 20180300}, // same topics
		{ID: 4, Topics: []int64{2}, Regions: []int64{10}, People: []int64{22}, SortKey: 20100000},    // one topic, old
		{ID: 5, Topics: []int64{1}, Regions: []int64{10}, People: []int64{22}, SortKey: 20200000},    // one topic, new
		{ID: 6, Topics: []int64{4}, Regions: []int64{10}, People: []int64{23}, SortKey: 20220000},    // only Asia
	}
	set := func(overrides ...int64) *store.RelatedSet {
		return &store.RelatedSet{
			Self: self, Candidates: cands, Overrides: overrides,
			Total:       10, // Asia is on all ten publications, so it relates nothing
			TopicCount:  map[int64]int{1: 3, 2: 3},
			RegionCount: map[int64]int{10: 10, 11: 1},
			PersonCount: map[int64]int{20: 2},
		}
	}
	tests := []struct {
		name string
		set  *store.RelatedSet
		n    int
		want []int64
	}{
		{"ranked; over-common term ignored", set(), 10, []int64{3, 2, 5, 4}},
		{"overrides first, self and repeats skipped", set(7, 1, 2), 3, []int64{7, 2, 3}},
		{"limit", set(), 2, []int64{3, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rankRelated(tt.set, tt.n); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rankRelated = %v, want %v", got, tt.want)
			}
		})
	}
}
