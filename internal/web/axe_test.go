package web

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeViolation is the part of an axe-core result the test reports.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

func readAxe(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "axe", "axe.min.js.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("testdata/axe/axe.min.js.gz: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("testdata/axe/axe.min.js.gz: %v", err)
	}
	return string(b)
}

// testAccessibility runs axe-core's WCAG 2.1 A and AA rules on the pages
// readers see most, the publication page also with its dialog open.
func testAccessibility(t *testing.T, bctx context.Context, base string) {
	axe := readAxe(t)
	pages := []struct {
		name, path string
		before     []chromedp.Action[chromedp.Void]
	}{
		{"publication", "/publications/" + seedSlug, nil},
		{"publication with the Cite dialog", "/publications/" + seedSlug, []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`a[data-cite-open]`)),
			chromedp.WaitVisible(chromedp.CSS(`dialog#cite[open]`)),
		}},
		{"home", "/", nil},
		{"expert", "/experts/sato-kenichi", nil},
		{"topic", "/topics/security", nil},
		{"citation", "/publications/" + seedSlug + "/cite?style=apa", nil},
		{"not found", "/publications/none", nil},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(base + p.path)}, p.before...)
			steps = append(steps, chromedp.Evaluate[chromedp.Void](axe))
			if err := chromedp.Do(bctx, steps...); err != nil {
				t.Fatalf("load %s with axe-core: %v", p.path, err)
			}
			raw, err := chromedp.Run(bctx, chromedp.Evaluate[[]byte](
				`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`,
				chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("axe.run on %s: %v", p.path, err)
			}
			var vs []axeViolation
			if err := json.Unmarshal(raw, &vs); err != nil {
				t.Fatalf("axe.run on %s: %v", p.path, err)
			}
			for _, v := range vs {
				t.Errorf("%s: %s", p.path, v)
			}
		})
	}
}

// testNarrowScreen checks that pages fit a phone's width: nothing makes
// the page scroll sideways, long URLs in citations included.
func testNarrowScreen(t *testing.T, bctx context.Context, base string) {
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(360, 780)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/publications/" + seedSlug, "/", "/experts/mira-kwon", "/topics/security", "/publications/japans-new-defense-guidelines/full"} {
		steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + path)}
		if strings.HasPrefix(path, "/publications/"+seedSlug) {
			steps = append(steps, chromedp.Click(chromedp.CSS(`a[data-cite-open]`)), chromedp.WaitVisible(chromedp.CSS(`dialog#cite[open]`)))
		}
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("load %s: %v", path, err)
		}
		widths, err := chromedp.Run(bctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
		if err != nil {
			t.Fatalf("measure %s: %v", path, err)
		}
		if widths[0] > widths[1] {
			t.Errorf("%s is %dpx wide on a %dpx screen", path, widths[0], widths[1])
		}
	}
}
