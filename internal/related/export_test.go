package related

// SetLiveLimit lets tests send Refresh down either path; it returns the
// previous limit.
func SetLiveLimit(n int) int {
	old := liveLimit
	liveLimit = n
	return old
}

// SetBroadAbove lets tests make terms broad in a small catalogue; it
// returns the previous bound.
func SetBroadAbove(n int) int {
	old := broadAbove
	broadAbove = n
	return old
}

// LiveLimit is the limit Refresh uses unless a test sets another.
func LiveLimit() int { return liveLimit }
