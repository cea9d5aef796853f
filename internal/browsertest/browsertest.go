// Package browsertest starts headless Chromium for the tests that check
// pages in a real browser (the public site, the admin, served files).
//
// A missing browser or tool fails the test under CI (CI set and not
// "false") or with IMPRINT_REQUIRE_BROWSER set, so that a broken
// environment cannot pass as green; on a developer machine the test is
// skipped with the reason and the package to install.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium names the browser executables looked for, in order.
var Chromium = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Required reports whether a missing browser must fail the test rather
// than skip it.
func Required() bool {
	ci := os.Getenv("CI")
	return (ci != "" && ci != "false") || os.Getenv("IMPRINT_REQUIRE_BROWSER") != ""
}

// Tool returns the path of the first of names found on PATH, or fails or
// skips the test (see the package documentation).
func Tool(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	msg := "browser test needs one of " + strings.Join(names, ", ") + " on PATH (Debian: apt-get install chromium poppler-utils)"
	if Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// Options size the browser window and bound the whole test.
type Options struct {
	Width, Height int           // default 1280×900
	Timeout       time.Duration // default 90 s
}

// Start starts headless Chromium for one test and returns a context for
// chromedp; everything stops when the test ends or the timeout passes.
func Start(t testing.TB, o Options) context.Context {
	t.Helper()
	if o.Width == 0 || o.Height == 0 {
		o.Width, o.Height = 1280, 900
	}
	if o.Timeout == 0 {
		o.Timeout = 90 * time.Second
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Tool(t, Chromium...)),
		chromedp.NoSandbox, // CI containers run as root, where Chromium's sandbox cannot start
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(o.Width, o.Height),
	)
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	return bctx
}
