package admin

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/imprintpub/imprint/internal/browsertest"
	"github.com/imprintpub/imprint/internal/model"
)

// TestBrowserAccessibility runs axe-core's WCAG 2.1 A and AA rules (the
// copy browsertest embeds) on the admin's publication pages,
// the editor also with errors next to its fields.
func TestBrowserAccessibility(t *testing.T) {
	bctx := startBrowser(t)
	e := newEnv(t)
	c := e.login(model.AccountEditor)
	res, body := c.post("/admin/publications/new", withAction(publicationForm("First Title", "2019", "+Ann Lee"), "publish"))
	mustStatus(t, "create", res, body, 303)
	id := idFromLocation(t, res)
	p, _ := e.st.Publication(t.Context(), id)
	edit := withAction(formValues(formFromPublication(p)), "save")
	edit.Set("title", "Second Title")
	c.post(pubPath(id), edit)
	revs, err := e.st.Revisions(t.Context(), id)
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions %v %v", revs, err)
	}

	base := e.srv.URL
	login := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/admin/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
	}
	check := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Run(name, func(t *testing.T) {
			vs, err := browsertest.Audit(bctx, steps...)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Errorf("%s: %s", name, v)
			}
		})
	}
	check("login", login...)
	if err := chromedp.Do(bctx, append(login,
		chromedp.SendKeys(chromedp.CSS(`#login-email`), e.users[model.AccountEditor].Email),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), testPassword),
		chromedp.Click(chromedp.CSS(`.login button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.dash`)),
	)...); err != nil {
		t.Fatal(err)
	}
	for _, pg := range []struct{ name, path string }{
		{"dashboard", "/admin/"},
		{"list", "/admin/publications?" + url.Values{"status": {"published"}}.Encode()},
		{"new", "/admin/publications/new"},
		{"edit", pubPath(id)},
		{"revisions", pubPath(id) + "/revisions"},
		{"diff", pubPath(id) + "/revisions/diff?to=" + strconv.FormatInt(revs[0].ID, 10)},
		{"not found", "/admin/nothing-here"},
	} {
		check(pg.name, chromedp.Navigate(base+pg.path), chromedp.WaitVisible(chromedp.CSS("main")))
	}
	t.Run("narrow screen", func(t *testing.T) {
		// Pages fit a phone's width: nothing makes them scroll sideways.
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(360, 780)); err != nil {
			t.Fatal(err)
		}
		defer chromedp.Do(bctx, chromedp.EmulateViewport(1280, 900))
		for _, path := range []string{"/admin/", "/admin/publications", "/admin/publications/new", pubPath(id), pubPath(id) + "/revisions",
			pubPath(id) + "/revisions/diff?to=" + strconv.FormatInt(revs[0].ID, 10)} {
			if err := chromedp.Do(bctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
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
	})
	check("editor with errors",
		chromedp.Navigate(base+"/admin/publications/new"),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "Errors"),
		chromedp.SendKeys(chromedp.CSS(`#issued`), "2013-02-30"),
		chromedp.SendKeys(chromedp.CSS(`#doi`), "nope"),
		chromedp.Click(chromedp.CSS(`.actions button[value=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)),
	)
}
