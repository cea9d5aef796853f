package parallel

import (
	"sync"
	"testing"
)

func TestRangesCoverEachIndexOnce(t *testing.T) {
	for _, tt := range []struct{ n, minChunk int }{
		{0, 64}, {1, 64}, {127, 64}, {128, 64}, {1000, 64}, {4071, 256}, {10, 0},
	} {
		seen := make([]int, tt.n)
		var mu sync.Mutex
		calls := 0
		Ranges(tt.n, tt.minChunk, func(lo, hi int) {
			mu.Lock()
			calls++
			mu.Unlock()
			if lo >= hi && tt.n > 0 {
				t.Errorf("n=%d: empty range [%d, %d)", tt.n, lo, hi)
			}
			for i := lo; i < hi; i++ {
				seen[i]++ // each index belongs to one range: no race
			}
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d minChunk=%d: index %d visited %d times", tt.n, tt.minChunk, i, c)
			}
		}
		if tt.n == 0 && calls != 0 {
			t.Errorf("n=0: %d calls", calls)
		}
	}
}
