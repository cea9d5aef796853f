package admin

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/imprintpub/imprint/internal/model"
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

// TestBrowserAccessibility runs axe-core's WCAG 2.1 A and AA rules (the
// copy the public site's test vendors) on the admin's publication pages,
// the editor also with errors next to its fields.
func TestBrowserAccessibility(t *testing.T) {
	bctx := startBrowser(t)
	f, err := os.Open(filepath.Join("..", "web", "testdata", "axe", "axe.min.js.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	axe, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}

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
			steps = append(steps, chromedp.Evaluate[chromedp.Void](string(axe)))
			if err := chromedp.Do(bctx, steps...); err != nil {
				t.Fatalf("load with axe-core: %v", err)
			}
			raw, err := chromedp.Run(bctx, chromedp.Evaluate[[]byte](
				`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`,
				chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("axe.run: %v", err)
			}
			var vs []axeViolation
			if err := json.Unmarshal(raw, &vs); err != nil {
				t.Fatalf("axe.run: %v", err)
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
			widths, err := chromedp.Run(bctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
			if err != nil {
				t.Fatalf("measure %s: %v", path, err)
			}
			if widths[0] > widths[1] {
				t.Errorf("%s is %dpx wide on a %dpx screen", path, widths[0], widths[1])
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
