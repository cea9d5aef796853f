package search

import "testing"

func TestRoundEstimate(t *testing.T) {
	for _, tt := range []struct{ in, want int }{
		{0, 0}, {7, 7}, {99, 99}, {100, 100}, {104, 100}, {105, 110}, {2345, 2300}, {9787, 9800},
		{80397, 80000}, {99960, 100000}, {123456, 120000},
	} {
		if got := roundEstimate(tt.in); got != tt.want {
			t.Errorf("roundEstimate(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
