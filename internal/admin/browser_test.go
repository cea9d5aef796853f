package admin

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/imprintpub/imprint/internal/browsertest"
	"github.com/imprintpub/imprint/internal/model"
)

// startBrowser starts headless Chromium for one test.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t, browsertest.Options{Timeout: 120 * time.Second})
}

// TestBrowserEditorWorkflow is issue 6's check: in headless Chromium an
// editor logs in, creates a publication with two authors and a date range,
// previews its APA citation, publishes it, finds it on the public site and
// in search, edits it, restores the first revision, and logs out.
func TestBrowserEditorWorkflow(t *testing.T) {
	bctx := startBrowser(t)
	e := newEnv(t)
	base := e.srv.URL
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// waitText waits until the element's text contains want. It asks
	// again when a navigation replaced the page under the question, as a
	// click on a submit button does.
	waitText := func(sel, want string) chromedp.Action[chromedp.Void] {
		expr := fmt.Sprintf(`(() => { const el = document.querySelector(%q); return el !== null && el.textContent.includes(%q); })()`, sel, want)
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			deadline := time.Now().Add(15 * time.Second)
			for {
				ok, err := chromedp.Evaluate[bool](expr)(ctx, tg)
				if err == nil && ok {
					return chromedp.Void{}, nil
				}
				if time.Now().After(deadline) {
					got, _ := chromedp.Evaluate[string](fmt.Sprintf(`location.href + ": " + (document.querySelector(%q) || {textContent: "(none)"}).textContent`, sel))(ctx, tg)
					return chromedp.Void{}, fmt.Errorf("no %q in %s of %s (last error: %v)", want, sel, got, err)
				}
				select {
				case <-ctx.Done():
					return chromedp.Void{}, ctx.Err()
				case <-time.After(100 * time.Millisecond):
				}
			}
		}
	}
	const title = "Alliances Under Strain"
	const apa = "Doe, J., & Lee, A. (2013). Alliances Under Strain. Test Institute."

	step("log in", chromedp.Do(bctx,
		chromedp.Navigate(base+"/admin/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SendKeys(chromedp.CSS(`#login-email`), e.users[model.AccountEditor].Email),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), testPassword),
		chromedp.Click(chromedp.CSS(`.login button[type=submit]`)),
		waitText("h1", "Dashboard"),
	))

	step("start a publication with two new authors and a date range", chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`a[href="/admin/publications/new"]`)),
		waitText("h1", "New publication"),
		// A mark on the page that a reload would wipe: the row buttons
		// below must work in the page.
		chromedp.Evaluate[chromedp.Void](`window.rowMark = 1`),
		chromedp.SendKeys(chromedp.CSS(`#title`), title),
		chromedp.SendKeys(chromedp.CSS(`input[name=c_given]`), "Ann"),
		chromedp.SendKeys(chromedp.CSS(`input[name=c_family]`), "Lee"),
		chromedp.Click(chromedp.CSS(`#add-contributor`)),
		chromedp.WaitVisible(chromedp.CSS(`#c-person-1`)),
		chromedp.SendKeys(chromedp.CSS(`tr.contributor:nth-child(2) input[name=c_given]`), "Jane"),
		chromedp.SendKeys(chromedp.CSS(`tr.contributor:nth-child(2) input[name=c_family]`), "Doe"),
		// Jane Doe is the first author.
		chromedp.Click(chromedp.CSS(`button[aria-label="Move person 2 up"]`)),
		chromedp.SendKeys(chromedp.CSS(`#issued`), "2013-09/2013-10"),
		chromedp.SendKeys(chromedp.CSS(`#publisher`), "Test Institute"),
		chromedp.SendKeys(chromedp.CSS(`#summary`), "The *alliance* under strain."),
	))
	inPage, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`window.rowMark === 1 && document.getElementById("c-person-1") !== null`))
	step("check the rows changed in the page", err)
	if !inPage {
		t.Error("adding and moving contributor rows reloaded the page")
	}
	kept, err := chromedp.Run(bctx, chromedp.Value(chromedp.CSS(`#title`)))
	step("read the title", err)
	if kept != title {
		t.Errorf("the title after adding a row is %q", kept)
	}

	step("live preview of the APA citation", chromedp.Do(bctx,
		waitText(`#preview-citations [data-style="apa"]`, apa),
		waitText(`#issued-formatted`, "September–October 2013"),
		waitText(`#preview-summary`, "alliance"),
	))

	step("the person picker asks the server as one types", chromedp.Do(bctx,
		chromedp.SendKeys(chromedp.CSS(`#c-person-1`), "Sheila"),
		// The page lists names only; admin.js's answer from
		// /admin/people.json adds the role line.
		waitText(`#people-list option[value="sheila-a-smith"]`, "Sheila A. Smith — "),
	))
	_, err = chromedp.Run(bctx, chromedp.Evaluate[bool](`(() => { const el = document.getElementById("c-person-1"); el.value = ""; return el.dispatchEvent(new Event("input", {bubbles: true})); })()`))
	step("clear the picker", err)

	step("publish", chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`button[value=publish]`)),
		waitText(".flash", "Published."),
	))
	editor, err := chromedp.Run(bctx, chromedp.Location())
	step("read the editor's address", err)

	step("find it on the public site", chromedp.Do(bctx,
		chromedp.Navigate(base+"/publications/alliances-under-strain"),
		waitText("h1", title),
		waitText("main", "Ann Lee"),
	))
	step("find it in search", chromedp.Do(bctx,
		chromedp.Navigate(base+"/search?q=alliances+strain"),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/publications/alliances-under-strain"]`)),
	))

	step("edit it", chromedp.Do(bctx,
		chromedp.Navigate(editor),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SetValue(chromedp.CSS(`#title`), title+", Revised"),
		chromedp.Click(chromedp.CSS(`.actions button[value=save]`)),
		waitText(".flash", "Saved."),
		chromedp.Navigate(base+"/publications/alliances-under-strain"),
		waitText("h1", "Revised"),
	))

	step("restore the first revision", chromedp.Do(bctx,
		chromedp.Navigate(editor),
		chromedp.Click(chromedp.CSS(`a[href$="/revisions"]`)),
		waitText("h1", "Revisions of"),
		chromedp.Click(chromedp.CSS(`input[aria-label="Compare from revision 1"]`)),
		chromedp.Click(chromedp.CSS(`#compare`)),
		waitText("h1", "Revision 1 → revision 2"),
		waitText(".diff", "Revised"),
		chromedp.Click(chromedp.CSS(`form[action$="/restore"] button`)),
		waitText(".flash", "Restored revision 1."),
	))
	restored, err := chromedp.Run(bctx, chromedp.Value(chromedp.CSS(`#title`)))
	step("read the restored title", err)
	if restored != title {
		t.Errorf("after restoring revision 1 the title is %q, want %q", restored, title)
	}
	step("the public page shows the restored title, still published", chromedp.Do(bctx,
		chromedp.Navigate(base+"/publications/alliances-under-strain"),
		waitText("h1", title),
	))
	h1, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("h1")))
	step("read the public title", err)
	if strings.Contains(h1, "Revised") {
		t.Errorf("public title %q after the restore", h1)
	}

	step("log out", chromedp.Do(bctx,
		chromedp.Navigate(base+"/admin/"),
		chromedp.Click(chromedp.CSS(`.admin-user button`)),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		waitText(".flash", "You are logged out."),
		chromedp.Navigate(base+"/admin/publications"),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
	))
}
