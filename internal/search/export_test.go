package search

// SetLimits lowers RankWindow and MaxCounted for a test and returns the
// function that restores them.
func SetLimits(window, counted int) (restore func()) {
	w, c := rankWindow, maxCounted
	rankWindow, maxCounted = window, counted
	return func() { rankWindow, maxCounted = w, c }
}
