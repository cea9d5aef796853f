package csl_test

import (
	"reflect"
	"runtime"
	"sync"
	"testing"

	"github.com/imprintpub/imprint/csl"
)

// TestConcurrentUse formats one document per goroutine on a shared
// processor, each spread over several workers, and checks that every
// result equals the one formatted on a single processor thread. Run it
// with -race.
func TestConcurrentUse(t *testing.T) {
	all, err := refItems()
	if err != nil {
		t.Fatal(err)
	}
	// enough items for the per-item work to be spread over workers
	items := all[:min(len(all), 700)]
	for _, style := range []string{"apa", "chicago-notes-bibliography"} {
		t.Run(style, func(t *testing.T) {
			p := newRefsProcessor(t, style)
			prev := runtime.GOMAXPROCS(1)
			defer runtime.GOMAXPROCS(prev)
			wantBib, err := p.Bibliography(items, csl.Text)
			if err != nil {
				t.Fatal(err)
			}
			wantCites, err := p.CiteEach(items, csl.Text)
			if err != nil {
				t.Fatal(err)
			}
			runtime.GOMAXPROCS(max(prev, 4))
			var wg sync.WaitGroup
			for g := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					bib, err := p.Bibliography(items, csl.Text)
					if err != nil {
						t.Errorf("goroutine %d: Bibliography: %v", g, err)
						return
					}
					if !reflect.DeepEqual(bib, wantBib) {
						t.Errorf("goroutine %d: bibliography differs from the one-thread result", g)
					}
					cites, err := p.CiteEach(items, csl.Text)
					if err != nil {
						t.Errorf("goroutine %d: CiteEach: %v", g, err)
						return
					}
					if !reflect.DeepEqual(cites, wantCites) {
						t.Errorf("goroutine %d: citations differ from the one-thread result", g)
					}
				}()
			}
			wg.Wait()
		})
	}
}
