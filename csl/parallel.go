package csl

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/text/collate"
)

// parallelMin is the number of items below which per-item work stays on
// the calling goroutine: starting workers costs more than it saves.
const parallelMin = 256

// bibBatch is how many bibliography entries are evaluated before they are
// rendered; it bounds the memory their trees take.
const bibBatch = 512

// parallelChunk is how many items a worker takes at a time.
const parallelChunk = 32

// forEachItem calls fn(wd, i) for i in [0, n), spread over the available
// processors. Evaluating one item reads the processor, the style, the locale
// and the doc, and writes only that item's state, so items can be evaluated
// at once; the one piece of the doc evaluation writes, the collator and its
// buffer, is private to each worker's copy wd. fn must write nothing shared
// but the i-th slot of a result slice and item i's state.
//
// A panic in a worker is raised again in the caller, where the exported
// methods turn it into an error.
func (d *doc) forEachItem(n int, fn func(wd *doc, i int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > 8 {
		workers = 8
	}
	if workers < 2 || n < parallelMin {
		for i := 0; i < n; i++ {
			fn(d, i)
		}
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr any
	)
	for w := 0; w < workers; w++ {
		wd := *d
		wd.coll, wd.collBuf = nil, collate.Buffer{}
		wg.Add(1)
		go func(wd *doc) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = r
					}
					mu.Unlock()
				}
			}()
			for {
				start := int(next.Add(parallelChunk)) - parallelChunk
				if start >= n {
					return
				}
				end := min(start+parallelChunk, n)
				for i := start; i < end; i++ {
					fn(wd, i)
				}
			}
		}(&wd)
	}
	wg.Wait()
	if firstErr != nil {
		panic(fmt.Sprint(firstErr))
	}
}
