package search

// SetLimits lowers RankWindow and MaxCounted for a test and returns the
// function that restores them.
func SetLimits(window, counted int) (restore func()) {
	w, c := rankWindow, maxCounted
	rankWindow, maxCounted = window, counted
	return func() { rankWindow, maxCounted = w, c }
}

// TSQuery is the to_tsquery text of a reader's query, which the tests'
// reference analyses with each document's own configuration.
func TSQuery(text string) string { return tsquery(Parse(text)) }

// SetEstimateAbove lowers EstimateAbove for a test and returns the
// function that restores it.
func SetEstimateAbove(n int) (restore func()) {
	old := estimateAbove
	estimateAbove = n
	return func() { estimateAbove = old }
}
