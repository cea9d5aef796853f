package sqlstore

import "testing"

func TestWalkLinks(t *testing.T) {
	for _, tt := range []struct {
		matches, rows int
		last          int64
		want          bool
	}{
		{0, 21, 100000, false},
		{84866, 21, 100000, true}, // a topic of most publications
		{6702, 21, 100000, true},
		{1500, 21, 100000, true},
		{1400, 21, 100000, false},
		{100, 21, 100000, false},    // a rare topic: read its hundred
		{6702, 5001, 100000, false}, // a deep page
		{21, 2, 29, true},
		{21, 101, 29, false},
	} {
		if got := walkLinks(tt.matches, tt.rows, tt.last); got != tt.want {
			t.Errorf("walkLinks(%d, %d, %d) = %v, want %v", tt.matches, tt.rows, tt.last, got, tt.want)
		}
	}
}
