package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/imprintpub/imprint/internal/browsertest"
)

// requireTool finds an executable the browser test needs (see
// browsertest.Tool).
func requireTool(t *testing.T, names ...string) string {
	t.Helper()
	return browsertest.Tool(t, names...)
}

// squeeze removes all white space, so that text extracted from a PDF, where
// lines break anywhere, compares equal to the text on the page.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// startBrowser starts headless Chromium for one test and returns its
// context and the path of pdftotext.
func startBrowser(t *testing.T) (context.Context, string) {
	t.Helper()
	bctx := browsertest.Start(t, browsertest.Options{})
	return bctx, requireTool(t, "pdftotext")
}

// TestBrowser drives one headless Chromium, a tab per subtest, against the
// demo site served from SQLite.
func TestBrowser(t *testing.T) {
	browser, pdftotext := startBrowser(t)
	srv := newDemoServer(t)
	pageURL := srv.URL + "/publications/" + seedSlug
	tab := func(t *testing.T) context.Context {
		ctx, cancel := chromedp.NewContext(browser)
		t.Cleanup(cancel)
		return ctx
	}
	t.Run("cite dialog and print", func(t *testing.T) { testCiteDialogAndPrint(t, tab(t), pdftotext, pageURL) })
	t.Run("cite without script", func(t *testing.T) { testCiteWithoutScript(t, tab(t), pageURL) })
	t.Run("accessibility", func(t *testing.T) { testAccessibility(t, tab(t), srv.URL) })
	t.Run("narrow screen", func(t *testing.T) { testNarrowScreen(t, tab(t), srv.URL) })
}

func testCiteDialogAndPrint(t *testing.T, bctx context.Context, pdftotext, pageURL string) {

	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s on %s: %v", what, pageURL, err)
		}
	}
	step("open the page and the Cite dialog", chromedp.Do(bctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.CSS(`a[data-cite-open]`)),
		chromedp.Click(chromedp.CSS(`a[data-cite-open]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog#cite[open]`)),
	))
	modal, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.getElementById("cite").open && document.querySelector("dialog#cite:modal") !== null`))
	step("read the dialog state", err)
	if !modal {
		t.Error("Cite did not open the dialog as a modal")
	}

	step("choose APA", chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`label[for="cite-style-apa"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.cite-output[data-style="apa"] .csl-entry`)),
	))
	apaText, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`.cite-output[data-style="apa"] .csl-entry`)))
	step("read the APA citation", err)
	if want := readGolden(t, "cite-apa.txt"); strings.TrimSpace(apaText) != want {
		t.Errorf("APA citation in the dialog:\n got %q\nwant %q", apaText, want)
	}
	// Copy puts the chosen citation on the clipboard and says so.
	origin := pageURL[:strings.Index(pageURL, "/publications/")]
	for _, perm := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(bctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: perm}, Setting: browser.PermissionSettingGranted, Origin: origin,
		}); err != nil {
			t.Fatalf("grant %s: %v", perm, err)
		}
	}
	step("copy the citation", chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`[data-cite-copy]`))))
	_, err = chromedp.Run(bctx, chromedp.Poll[bool](`document.querySelector(".copy-status").textContent !== ""`))
	step("wait for the copy status", err)
	status, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`.copy-status`)))
	step("read the copy status", err)
	clip, err := chromedp.Run(bctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	step("read the clipboard", err)
	if status != "Citation copied." || clip != readGolden(t, "cite-apa.txt") {
		t.Errorf("Copy: status %q, clipboard %q; want the APA citation copied", status, clip)
	}

	mlaDisplay, err := chromedp.Run(bctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.cite-output[data-style="mla"]')).display`))
	step("read the MLA citation's display", err)
	if mlaDisplay != "none" {
		t.Errorf("after choosing APA the MLA citation is still shown (display %q)", mlaDisplay)
	}

	step("close the dialog", chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`[data-cite-close]`)),
		chromedp.WaitNotVisible(chromedp.CSS(`dialog#cite`)),
	))
	open, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.getElementById("cite").open`))
	step("read the dialog state", err)
	if open {
		t.Error("Close left the dialog open")
	}
	focus, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.activeElement.hasAttribute("data-cite-open") ? "the Cite button" : document.activeElement.outerHTML.slice(0, 80)`))
	step("read the focused element", err)
	if focus != "the Cite button" {
		t.Errorf("focus after closing the dialog is on %s, want the Cite button", focus)
	}

	// Opened at #cite, the page shows the dialog as a modal, and closing
	// it leaves no inline copy behind.
	step("open the page at #cite and close the dialog", chromedp.Do(bctx,
		// A fragment change alone fires no load event to wait for.
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(pageURL+"#cite"),
		chromedp.WaitVisible(chromedp.CSS(`dialog#cite[open]`)),
		chromedp.Click(chromedp.CSS(`[data-cite-close]`)),
		chromedp.WaitNotVisible(chromedp.CSS(`dialog#cite`)),
	))

	pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF())
	step("print to PDF", err)

	pdfPath := filepath.Join(t.TempDir(), "page.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(bctx, pdftotext, "-enc", "UTF-8", pdfPath, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdfPath, err)
	}
	text := squeeze(string(out))
	for _, want := range []string{
		"North Korea in Japan’s Strategic Thinking", // title
		"Sheila A. Smith",                                       // byline
		"Senior Fellow for Japan Studies",                       // role line
		"moved from a distant worry to the first planning case", // summary
		"Preferred citation",                                    // print footer
		readGolden(t, "cite-chicago.txt"),                       // the citation in the footer
		pageURL,                                                 // the page's address
	} {
		if !strings.Contains(text, squeeze(want)) {
			t.Errorf("printed PDF lacks %q; its text:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"Skip to main content", "Latest research", "More on This Topic", "Copy", "Close"} {
		if strings.Contains(text, squeeze(unwanted)) {
			t.Errorf("printed PDF carries %q, which print should hide; its text:\n%s", unwanted, out)
		}
	}
}

// testCiteWithoutScript checks the progressive enhancement: with
// JavaScript off, the Cite link still reveals the citations and the style
// switch still works.
func testCiteWithoutScript(t *testing.T, bctx context.Context, pageURL string) {
	if _, err := chromedp.Call(bctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	err := chromedp.Do(bctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.CSS(`a[data-cite-open]`)),
		chromedp.WaitNotVisible(chromedp.CSS(`dialog#cite`)),
		chromedp.Click(chromedp.CSS(`a[data-cite-open]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog#cite`)),
		chromedp.Click(chromedp.CSS(`label[for="cite-style-chicago"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.cite-output[data-style="chicago"] .csl-entry`)),
		chromedp.WaitNotVisible(chromedp.CSS(`.cite-output[data-style="mla"]`)),
	)
	if err != nil {
		t.Fatalf("Cite without JavaScript on %s: %v", pageURL, err)
	}
	text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`.cite-output[data-style="chicago"] .csl-entry`)))
	if err != nil {
		t.Fatal(err)
	}
	if want := readGolden(t, "cite-chicago.txt"); strings.TrimSpace(text) != want {
		t.Errorf("Chicago citation without JavaScript:\n got %q\nwant %q", text, want)
	}
	printShown, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector("[data-print]")).display !== "none"`))
	if err != nil {
		t.Fatal(err)
	}
	if printShown {
		t.Error("the Print button shows without the script that makes it work")
	}
}
