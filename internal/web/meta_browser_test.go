package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// recordCSP makes every document the tab opens keep its Content Security
// Policy violations in window.cspViolations, from before its first element
// is parsed. The browser runs the recorder itself, outside the page's
// policy.
func recordCSP(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	_, err := cdp.Call(ctx, t, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(e.effectiveDirective + " " + (e.sample || e.blockedURI)));`,
	})
	return chromedp.Void{}, err
}

const cspReports = `window.cspViolations`

// TestJSONLDInBrowser loads a publication page in Chromium under the site's
// CSP and checks that the JSON-LD block parses there and sets off no
// violation: a data block is not a script the policy governs.
func TestJSONLDInBrowser(t *testing.T) {
	browser, _ := startBrowser(t)
	srv := newDemoServer(t)
	if err := chromedp.Do(browser, recordCSP, chromedp.Navigate(srv.URL+"/publications/"+seedSlug)); err != nil {
		t.Fatal(err)
	}
	typ, err := chromedp.Run(browser, chromedp.Evaluate[string](
		`JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)["@type"]`))
	if err != nil || typ != "ScholarlyArticle" {
		t.Errorf("JSON-LD @type in the browser %q (%v)", typ, err)
	}
	reports, err := chromedp.Run(browser, chromedp.Evaluate[[]string](cspReports))
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) > 0 {
		t.Errorf("CSP violations on the publication page: %q", reports)
	}
	// The check itself sees a violation when there is one.
	if err := chromedp.Do(browser, chromedp.Evaluate[chromedp.Void](
		`const s = document.createElement("script"); s.textContent = "1"; document.head.appendChild(s)`)); err != nil {
		t.Fatal(err)
	}
	// The violation event is dispatched as a task after the insertion.
	time.Sleep(100 * time.Millisecond)
	reports, err = chromedp.Run(browser, chromedp.Evaluate[[]string](cspReports))
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) == 0 {
		t.Error("an inline script added by the test raised no CSP report: the check cannot see violations")
	}
}
