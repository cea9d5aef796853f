package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/imprintpub/imprint/internal/browsertest"
)

// testAccessibility runs axe-core's WCAG 2.1 A and AA rules on the pages
// readers see most, the publication page also with its dialog open.
func testAccessibility(t *testing.T, bctx context.Context, base string) {
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
			vs, err := browsertest.Audit(bctx, steps...)
			if err != nil {
				t.Fatalf("%s: %v", p.path, err)
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
		scroll, client, err := browsertest.Widths(bctx)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if scroll > client {
			t.Errorf("%s is %dpx wide on a %dpx screen", path, scroll, client)
		}
	}
}
