package related

// SetLiveLimit lets tests send Refresh down either path; it returns the
// previous limit.
func SetLiveLimit(n int) int {
	old := liveLimit
	liveLimit = n
	return old
}
