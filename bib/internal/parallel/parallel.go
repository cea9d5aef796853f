// Package parallel splits work on the items of a file over the machine's
// processors: converting thousands of entries is independent work per
// entry, and whole-file conversions are what users wait for.
package parallel

import (
	"runtime"
	"sync"
)

// Ranges calls fn on consecutive ranges [lo, hi) covering [0, n), at once
// on up to GOMAXPROCS goroutines, each range at least minChunk long; with
// fewer than 2*minChunk items it calls fn(0, n) on the calling goroutine.
// It returns when every call has.
func Ranges(n, minChunk int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n/max(minChunk, 1))
	if workers < 2 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	// Four ranges a worker even out entries of unequal cost.
	chunks := workers * 4
	size := (n + chunks - 1) / chunks
	var wg sync.WaitGroup
	next := make(chan int, chunks)
	for lo := 0; lo < n; lo += size {
		next <- lo
	}
	close(next)
	for range workers {
		wg.Go(func() {
			for lo := range next {
				fn(lo, min(lo+size, n))
			}
		})
	}
	wg.Wait()
}
