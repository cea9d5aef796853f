package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
)

func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	c := e.newClient()

	res, _ := c.get("/admin/publications?q=x")
	mustStatus(t, "page without a session", res, "", http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/admin/login?next="+url.QueryEscape("/admin/publications?q=x") {
		t.Errorf("redirect to %q", loc)
	}
	res, body := c.get("/admin/login")
	mustStatus(t, "login page", res, body, http.StatusOK)

	for _, tc := range []struct {
		name     string
		vals     url.Values
		status   int
		location string
		text     string
	}{
		{"wrong password", url.Values{"email": {"editor@example.org"}, "password": {"wrong password here"}}, http.StatusUnauthorized, "", "The e-mail address or the password is wrong."},
		{"unknown account", url.Values{"email": {"nobody@example.org"}, "password": {testPassword}}, http.StatusUnauthorized, "", "The e-mail address or the password is wrong."},
		{"empty", url.Values{"email": {""}, "password": {""}}, http.StatusBadRequest, "", "Enter your e-mail address and your password."},
		{"no token", url.Values{"email": {"editor@example.org"}, "password": {testPassword}, "csrf_token": {""}}, http.StatusForbidden, "", "security token"},
		{"offsite next", url.Values{"email": {"editor@example.org"}, "password": {testPassword}, "next": {"//evil.example/"}}, http.StatusSeeOther, "/admin/", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.newClient()
			c.get("/admin/login")
			res, body := c.post("/admin/login", tc.vals)
			mustStatus(t, tc.name, res, body, tc.status)
			if tc.location != "" && res.Header.Get("Location") != tc.location {
				t.Errorf("redirect to %q, want %q", res.Header.Get("Location"), tc.location)
			}
			if !strings.Contains(body, tc.text) {
				t.Errorf("page lacks %q", tc.text)
			}
			if tc.status != http.StatusSeeOther && strings.Contains(body, testPassword) {
				t.Error("the page repeats the password")
			}
			if tc.name == "wrong password" && !strings.Contains(body, `value="editor@example.org"`) {
				t.Error("the e-mail address typed is not kept")
			}
		})
	}

	t.Run("throttled", func(t *testing.T) {
		c := e.newClient()
		c.get("/admin/login")
		wrong := url.Values{"email": {"admin@example.org"}, "password": {"not the password"}}
		var res *http.Response
		var body string
		for i := 0; i < 10 && (res == nil || res.StatusCode == http.StatusUnauthorized); i++ {
			res, body = c.post("/admin/login", wrong)
		}
		mustStatus(t, "after repeated wrong passwords", res, body, http.StatusTooManyRequests)
		if !strings.Contains(body, "Too many failed attempts. Try again in") || res.Header.Get("Retry-After") == "" {
			t.Errorf("no retry time: Retry-After %q", res.Header.Get("Retry-After"))
		}
		// Even the right password waits now, from this address.
		res, body = c.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
		mustStatus(t, "right password while throttled", res, body, http.StatusTooManyRequests)
	})

	c = e.newClient()
	c.get("/admin/login?next=" + url.QueryEscape("/admin/publications?q=x"))
	res, body = c.post("/admin/login", url.Values{"email": {"Editor@Example.org "}, "password": {testPassword}, "next": {"/admin/publications?q=x"}})
	mustStatus(t, "login", res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/admin/publications?q=x" {
		t.Errorf("after login, redirect to %q", loc)
	}
	res, body = c.get("/admin/")
	mustStatus(t, "dashboard", res, body, http.StatusOK)
	for _, want := range []string{"Test editor", "My drafts", "Awaiting review", "Scheduled", "Published, newest first", `href="/admin/people"`, "Log out"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(body, `href="/admin/users"`) {
		t.Error("an editor is offered the users page")
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}

	res, body = c.post("/admin/logout", nil)
	mustStatus(t, "logout", res, body, http.StatusSeeOther)
	res, _ = c.get("/admin/")
	mustStatus(t, "dashboard after logout", res, "", http.StatusSeeOther)
	if !strings.HasPrefix(res.Header.Get("Location"), "/admin/login") {
		t.Errorf("after logout, redirect to %q", res.Header.Get("Location"))
	}
}

// TestCreateEditPublish follows a publication from a new draft with an
// existing and a new author to its publication, checking
// Post/Redirect/Get, the stored record, its revisions and audit entries,
// and the public page.
func TestCreateEditPublish(t *testing.T) {
	eachEngine(t, testCreateEditPublish)
}

func testCreateEditPublish(t *testing.T, e *testEnv) {
	ctx := t.Context()
	c := e.login(model.AccountEditor)
	seed, err := e.st.PublicationBySlug(ctx, demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	existing := seed.Contributions[0].Person

	res, body := c.get("/admin/publications/new")
	mustStatus(t, "new form", res, body, http.StatusOK)
	for _, want := range []string{`name="title"`, `name="c_person"`, `name="issued"`, `name="container_title"`, `name="isbn"`,
		`name="doi"`, `name="topic"`, `name="region"`, `name="related"`, `name="summary"`, `name="full_text"`, `name="pdf"`,
		`value="publish"`, `value="schedule"`, `name="publish_at"`, `<option value="` + existing.Slug + `">`} {
		if !strings.Contains(body, want) {
			t.Errorf("editor lacks %s", want)
		}
	}

	form := publicationForm("Alliances Under Strain", "2013-09/2013-10", existing.Slug, "+Ann Lee")
	form.Set("topic", strconv.FormatInt(seed.Topics[0].ID, 10))
	form.Set("related", demo.SeedSlug)
	res, body = c.post("/admin/publications/new", form)
	mustStatus(t, "create", res, body, http.StatusSeeOther)
	id := idFromLocation(t, res)
	res, body = c.get(res.Header.Get("Location"))
	mustStatus(t, "editor after create", res, body, http.StatusOK)
	if !strings.Contains(body, "Saved.") {
		t.Error("no flash message after the save")
	}
	res, body = c.get(pubPath(id))
	if strings.Contains(body, "Saved.") {
		t.Error("the flash message shows twice")
	}

	p, err := e.st.Publication(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Slug != "alliances-under-strain" || p.Status != model.StatusDraft || p.CreatedBy != e.users[model.AccountEditor].ID {
		t.Errorf("stored slug %q status %q created by %d", p.Slug, p.Status, p.CreatedBy)
	}
	if got := p.Issued.Format(); got != "September–October 2013" {
		t.Errorf("date %q", got)
	}
	if len(p.Contributions) != 2 || p.Contributions[0].Person.ID != existing.ID || p.Contributions[1].Person.DisplayName() != "Ann Lee" {
		t.Fatalf("contributions %+v", p.Contributions)
	}
	if p.Contributions[1].Person.Slug != "ann-lee" {
		t.Errorf("new person's slug %q", p.Contributions[1].Person.Slug)
	}
	if len(p.Related) != 1 || p.Related[0].ID != seed.ID || len(p.Topics) != 1 {
		t.Errorf("related %v topics %v", p.Related, p.Topics)
	}

	// Publish from the form as shown, with the version it carries.
	form = formValues(formFromPublication(p))
	form.Set("action", "publish")
	res, body = c.post(pubPath(id), form)
	mustStatus(t, "publish", res, body, http.StatusSeeOther)
	if p, err = e.st.Publication(ctx, id); err != nil {
		t.Fatal(err)
	}
	if p.Status != model.StatusPublished || p.PublishedAt.IsZero() {
		t.Errorf("after publish: status %q published at %v", p.Status, p.PublishedAt)
	}
	res, body = c.get("/publications/alliances-under-strain")
	mustStatus(t, "public page", res, body, http.StatusOK)
	if !strings.Contains(body, "Ann Lee") {
		t.Error("public page lacks the new author")
	}

	// A save from a form opened before the publish is refused, not lost.
	stale := publicationForm("Overwritten", "2013")
	stale.Set("version", strconv.FormatInt(time.Unix(0, 1).UnixNano(), 10))
	res, body = c.post(pubPath(id), stale)
	mustStatus(t, "stale save", res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Someone saved this publication after you opened it") {
		t.Error("stale save: no explanation")
	}

	res, body = c.post(pubPath(id), withAction(formValues(formFromPublication(p)), "submit"))
	mustStatus(t, "submit a published publication", res, body, http.StatusBadRequest)

	form = formValues(formFromPublication(p))
	form.Set("title", "Alliances Under Strain, Revised")
	form.Set("action", "unpublish")
	res, body = c.post(pubPath(id), form)
	mustStatus(t, "unpublish", res, body, http.StatusSeeOther)
	if p, err = e.st.Publication(ctx, id); err != nil {
		t.Fatal(err)
	}
	if p.Status != model.StatusDraft || p.Title != "Alliances Under Strain, Revised" {
		t.Errorf("after unpublish: status %q title %q", p.Status, p.Title)
	}
	res, _ = c.get("/publications/alliances-under-strain")
	if res.StatusCode == http.StatusOK {
		t.Error("the public page still answers after unpublishing")
	}

	if got, want := strings.Join(e.revisionsOf(id), "|"), "created|published|unpublished"; got != want {
		t.Errorf("revisions %q, want %q", got, want)
	}
	target := "publication:" + strconv.FormatInt(id, 10)
	if got, want := strings.Join(e.auditActions(target), "|"), "publication.publish|publication.unpublish"; got != want {
		t.Errorf("audit %q, want %q", got, want)
	}
}

// TestValidationNextToFields sends a form with a problem in many fields:
// nothing is saved, each message shows next to its input, and what was
// typed stays.
func TestValidationNextToFields(t *testing.T) {
	e := newEnv(t)
	c := e.login(model.AccountEditor)
	form := publicationForm("A Title", "2013-02-30", "no-such-person", "+Ann Lee")
	form.Set("doi", "not-a-doi")
	form.Set("url", "ftp://example.org/x")
	form.Set("volume", " 12\x01")
	form.Set("c_role", "author")
	form["c_role"] = []string{"author", "juggler"}
	form.Set("action", "save")
	before, err := e.st.ListPublications(t.Context(), storeQueryAll())
	if err != nil {
		t.Fatal(err)
	}
	res, body := c.post("/admin/publications/new", form)
	mustStatus(t, "invalid form", res, body, http.StatusUnprocessableEntity)
	for _, tc := range []struct{ input, message string }{
		{`id="issued"`, "2013-02-30"},
		{`id="doi"`, "must be a bare DOI"},
		{`id="url"`, "must be an absolute http or https URL"},
		{`id="c-person-0"`, `no person &#34;no-such-person&#34;`},
		{`id="c-role-1"`, `unknown role &#34;juggler&#34;`},
	} {
		i := strings.Index(body, tc.input)
		if i < 0 {
			t.Errorf("no input %s", tc.input)
			continue
		}
		// The message is the first one after its input.
		rest := body[i:]
		j := strings.Index(rest, `class="field-error"`)
		if j < 0 || !strings.Contains(rest[j:min(len(rest), j+300)], tc.message) {
			t.Errorf("the error after %s is not %q: %.300s", tc.input, tc.message, rest[max(0, j):])
		}
	}
	for _, kept := range []string{`value="A Title"`, `value="2013-02-30"`, `value="not-a-doi"`, `value="no-such-person"`, `value="Ann"`, `value="Lee"`} {
		if !strings.Contains(body, kept) {
			t.Errorf("the form lost %s", kept)
		}
	}
	after, err := e.st.ListPublications(t.Context(), storeQueryAll())
	if err != nil {
		t.Fatal(err)
	}
	if after.Total != before.Total {
		t.Errorf("%d publications after a refused save, %d before", after.Total, before.Total)
	}
	if _, err := e.st.PersonBySlug(t.Context(), "ann-lee"); err == nil {
		t.Error("a refused save created its new person")
	}
}

// TestContributorLimits checks on the server what a contributor may do:
// create and edit their own drafts and submit them, and nothing more.
func TestContributorLimits(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := e.login(model.AccountContributor)
	seed, err := e.st.PublicationBySlug(ctx, demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}

	res, body := c.post("/admin/publications/new", publicationForm("My Own Draft", "2020", "+Ann Lee"))
	mustStatus(t, "contributor creates a draft", res, body, http.StatusSeeOther)
	id := idFromLocation(t, res)

	res, body = c.get("/admin/")
	if i := strings.Index(body, "My drafts"); i < 0 || !strings.Contains(body[i:], "My Own Draft") {
		t.Error("the dashboard does not list the contributor's draft")
	}
	res, body = c.get(pubPath(id))
	mustStatus(t, "own draft", res, body, http.StatusOK)
	if strings.Contains(body, `value="publish"`) || !strings.Contains(body, `value="submit"`) {
		t.Error("a contributor's editor offers publishing, or not submitting")
	}

	publish := publicationForm("My Own Draft", "2020", "ann-lee")
	publish.Set("action", "publish")
	for _, tc := range []struct {
		name   string
		method string
		path   string
		form   url.Values
		want   int
	}{
		{"publish own draft", "POST", pubPath(id), publish, http.StatusForbidden},
		{"schedule own draft", "POST", pubPath(id), withAction(publish, "schedule"), http.StatusForbidden},
		{"open another's publication", "GET", pubPath(seed.ID), nil, http.StatusForbidden},
		{"save another's publication", "POST", pubPath(seed.ID), withAction(publish, "save"), http.StatusForbidden},
		{"trash own draft", "POST", pubPath(id) + "/trash", url.Values{}, http.StatusForbidden},
		{"purge page", "GET", pubPath(seed.ID) + "/purge", nil, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var res *http.Response
			var body string
			if tc.method == "GET" {
				res, body = c.get(tc.path)
			} else {
				res, body = c.post(tc.path, tc.form)
			}
			mustStatus(t, tc.name, res, body, tc.want)
		})
	}
	p, err := e.st.Publication(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != model.StatusDraft || !p.DeletedAt.IsZero() {
		t.Errorf("refused actions changed the draft: status %q deleted %v", p.Status, p.DeletedAt)
	}
	if s2, _ := e.st.Publication(ctx, seed.ID); s2.Title != seed.Title {
		t.Error("a refused save changed another's publication")
	}

	res, body = c.post(pubPath(id), withAction(publicationForm("My Own Draft", "2020", "ann-lee"), "submit"))
	mustStatus(t, "submit", res, body, http.StatusSeeOther)
	if p, _ = e.st.Publication(ctx, id); p.Status != model.StatusReview {
		t.Errorf("after submit: %q", p.Status)
	}

	res, body = c.get("/admin/publications")
	mustStatus(t, "list", res, body, http.StatusOK)
	if !strings.Contains(body, "My Own Draft") || strings.Contains(body, seed.Title) {
		t.Error("a contributor's list must show their own publications only")
	}

	// An editor publishes what was submitted.
	ed := e.login(model.AccountEditor)
	res, body = ed.post(pubPath(id), withAction(formValues(formFromPublication(p)), "publish"))
	mustStatus(t, "editor publishes", res, body, http.StatusSeeOther)
	res, body = c.get(pubPath(id))
	mustStatus(t, "contributor opens their published publication", res, body, http.StatusForbidden)
}

func withAction(v url.Values, action string) url.Values {
	out := url.Values{}
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	out.Set("action", action)
	return out
}

// TestRefusedWithoutTokenOrSession checks that state-changing requests
// without a valid CSRF token or session change nothing.
func TestRefusedWithoutTokenOrSession(t *testing.T) {
	e := newEnv(t)
	c := e.login(model.AccountEditor)
	seed, err := e.st.PublicationBySlug(t.Context(), demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	form := withAction(formValues(formFromPublication(seed)), "save")
	form.Set("title", "Hijacked")

	bad := withAction(form, "save")
	bad.Set("csrf_token", "forged")
	res, body := c.post(pubPath(seed.ID), bad)
	mustStatus(t, "forged token", res, body, http.StatusForbidden)
	res, body = c.post(pubPath(seed.ID)+"/trash", url.Values{"csrf_token": {""}})
	mustStatus(t, "no token", res, body, http.StatusForbidden)

	anon := e.newClient()
	anon.get("/admin/login")
	res, body = anon.post(pubPath(seed.ID), form)
	if res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusForbidden {
		t.Errorf("save without a session: %s", res.Status)
	}
	p, err := e.st.Publication(t.Context(), seed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != seed.Title || !p.DeletedAt.IsZero() {
		t.Errorf("a refused request changed the publication: %q, deleted %v", p.Title, p.DeletedAt)
	}
}

// TestRevisionDiffRestore edits a publication, compares its revisions and
// restores the first.
func TestRevisionDiffRestore(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := e.login(model.AccountEditor)
	form := publicationForm("First Title", "2019", "+Ann Lee")
	form.Set("summary", "Line one.\nLine two.\nLine three.")
	res, body := c.post("/admin/publications/new", form)
	mustStatus(t, "create", res, body, http.StatusSeeOther)
	id := idFromLocation(t, res)
	p, _ := e.st.Publication(ctx, id)
	edit := withAction(formValues(formFromPublication(p)), "save")
	edit.Set("title", "Second Title")
	edit.Set("summary", "Line one.\nLine 2, rewritten.\nLine three.")
	res, body = c.post(pubPath(id), edit)
	mustStatus(t, "edit", res, body, http.StatusSeeOther)

	revs, err := e.st.Revisions(ctx, id)
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions %v, %v", revs, err)
	}
	res, body = c.get(pubPath(id) + "/revisions")
	mustStatus(t, "revisions", res, body, http.StatusOK)
	for _, want := range []string{"Revision 1", "Revision 2", "created", "edited", "Test editor",
		`<form id="restore-` + strconv.FormatInt(revs[1].ID, 10) + `" method="post" action="/admin/publications/` + strconv.FormatInt(id, 10) + `/revisions/` + strconv.FormatInt(revs[1].ID, 10) + `/restore"`} {
		if !strings.Contains(body, want) {
			t.Errorf("revision list lacks %q", want)
		}
	}
	res, body = c.get(pubPath(id) + "/revisions/diff?from=" + strconv.FormatInt(revs[1].ID, 10) + "&to=" + strconv.FormatInt(revs[0].ID, 10))
	mustStatus(t, "diff", res, body, http.StatusOK)
	for _, want := range []string{"<h3>Title</h3>", "<del>First Title</del><ins>Second Title</ins>",
		"<span>Line one.</span><del>Line two.</del><ins>Line 2, rewritten.</ins><span>Line three.</span>"} {
		if !strings.Contains(body, want) {
			t.Errorf("diff lacks %s", want)
		}
	}
	if strings.Contains(body, "<h3>Type</h3>") {
		t.Error("the diff shows an unchanged field")
	}
	res, body = c.get(pubPath(id) + "/revisions/diff?to=999999")
	mustStatus(t, "diff of a missing revision", res, body, http.StatusBadRequest)

	res, body = c.post(pubPath(id)+"/revisions/"+strconv.FormatInt(revs[1].ID, 10)+"/restore", nil)
	mustStatus(t, "restore", res, body, http.StatusSeeOther)
	p, _ = e.st.Publication(ctx, id)
	if p.Title != "First Title" || !strings.Contains(p.Summary, "Line two.") || p.Status != model.StatusDraft {
		t.Errorf("after restore: %q %q %q", p.Title, p.Summary, p.Status)
	}
	if got, want := strings.Join(e.revisionsOf(id), "|"), "created|edited|restored revision 1"; got != want {
		t.Errorf("revisions %q, want %q", got, want)
	}
	if got := e.auditActions("publication:" + strconv.FormatInt(id, 10)); len(got) != 1 || got[0] != "revision.restore" {
		t.Errorf("audit %q", got)
	}
	// A revision of another publication cannot be restored here.
	res, body = c.post(pubPath(id+1000)+"/revisions/"+strconv.FormatInt(revs[1].ID, 10)+"/restore", nil)
	mustStatus(t, "restore through another publication", res, body, http.StatusNotFound)
}

// TestPreview checks the live preview's JSON: rendered Markdown and the
// APA citation from the site's engine.
func TestPreview(t *testing.T) {
	e := newEnv(t)
	c := e.login(model.AccountContributor)
	form := publicationForm("Alliances Under Strain", "2013-09/2013-10", "+Jane Doe", "+Ann Lee")
	form.Set("summary", "Some **bold** words <script>alert(1)</script>")
	req, err := http.NewRequest("POST", e.srv.URL+"/admin/preview", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, body := c.do(req)
	mustStatus(t, "preview", res, body, http.StatusOK)
	var out previewJSON
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if !strings.Contains(string(out.Summary), "<strong>bold</strong>") || strings.Contains(string(out.Summary), "<script") {
		t.Errorf("summary %q", out.Summary)
	}
	if out.Issued != "September–October 2013" {
		t.Errorf("issued %q", out.Issued)
	}
	var apa string
	for _, c := range out.Citations {
		if c.Key == "apa" {
			apa = c.Text
		}
	}
	if want := "Doe, J., & Lee, A. (2013). Alliances Under Strain. Test Institute."; apa != want {
		t.Errorf("APA citation\n got %q\nwant %q", apa, want)
	}
	if len(out.Problems) != 0 {
		t.Errorf("problems %q in a valid form", out.Problems)
	}
	if len(out.Citations) != 3 {
		t.Errorf("%d citations, want MLA, APA and Chicago", len(out.Citations))
	}
	bad := withAction(form, "save")
	bad.Set("issued", "sometime")
	req, _ = http.NewRequest("POST", e.srv.URL+"/admin/preview", strings.NewReader(bad.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, body = c.do(req)
	mustStatus(t, "preview with a bad date", res, body, http.StatusOK)
	out = previewJSON{}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Errors["Issued"] == "" || len(out.Problems) != 1 || !strings.HasPrefix(out.Problems[0], "Date: ") {
		t.Errorf("errors %q problems %q", out.Errors, out.Problems)
	}

	// Without the header, the preview is refused like any POST.
	req, _ = http.NewRequest("POST", e.srv.URL+"/admin/preview", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, body = c.do(req)
	mustStatus(t, "preview without token", res, body, http.StatusForbidden)

	// Without JavaScript, the Preview button renders the same on the form.
	res, body = c.post("/admin/publications/new", withAction(form, "preview"))
	mustStatus(t, "preview button", res, body, http.StatusOK)
	if !strings.Contains(body, "Doe, J., &amp; Lee, A. (2013).") {
		t.Error("the form's preview lacks the APA citation")
	}
	if _, err := e.st.PersonBySlug(t.Context(), "jane-doe"); err == nil {
		t.Error("a preview created a person")
	}
}

// TestTrashRestorePurge moves a published publication to the trash (the
// public page answers 410), restores it, and purges it as an admin.
func TestTrashRestorePurge(t *testing.T) {
	eachEngine(t, testTrashRestorePurge)
}

func testTrashRestorePurge(t *testing.T, e *testEnv) {
	ctx := t.Context()
	ed := e.login(model.AccountEditor)
	res, body := ed.post("/admin/publications/new", withAction(publicationForm("Short Lived", "2021", "+Ann Lee"), "publish"))
	mustStatus(t, "create published", res, body, http.StatusSeeOther)
	id := idFromLocation(t, res)
	res, _ = ed.get("/publications/short-lived")
	mustStatus(t, "public page", res, "", http.StatusOK)

	res, body = ed.post(pubPath(id)+"/trash", nil)
	mustStatus(t, "trash", res, body, http.StatusSeeOther)
	res, _ = ed.get("/publications/short-lived")
	mustStatus(t, "public page of a trashed publication", res, "", http.StatusGone)
	res, body = ed.get("/admin/publications?trash=1")
	if !strings.Contains(body, "Short Lived") {
		t.Error("the trash does not list it")
	}
	res, body = ed.get("/admin/publications")
	if strings.Contains(body, "Short Lived") {
		t.Error("the list shows a trashed publication")
	}
	res, body = ed.post(pubPath(id)+"/restore", nil)
	mustStatus(t, "restore", res, body, http.StatusSeeOther)
	res, _ = ed.get("/publications/short-lived")
	mustStatus(t, "public page after restore", res, "", http.StatusOK)

	res, body = ed.post(pubPath(id)+"/purge", url.Values{"confirm": {"short-lived"}})
	mustStatus(t, "editor purges", res, body, http.StatusForbidden)

	ad := e.login(model.AccountAdmin)
	res, body = ad.post(pubPath(id)+"/trash", nil)
	mustStatus(t, "admin trashes", res, body, http.StatusSeeOther)
	res, body = ad.post(pubPath(id)+"/purge", url.Values{"confirm": {"wrong"}})
	mustStatus(t, "purge unconfirmed", res, body, http.StatusUnprocessableEntity)
	if _, err := e.st.Publication(ctx, id); err != nil {
		t.Fatalf("an unconfirmed purge deleted: %v", err)
	}
	res, body = ad.post(pubPath(id)+"/purge", url.Values{"confirm": {"short-lived"}})
	mustStatus(t, "purge", res, body, http.StatusSeeOther)
	if _, err := e.st.Publication(ctx, id); err == nil {
		t.Error("the purged publication is still stored")
	}
	target := "publication:" + strconv.FormatInt(id, 10)
	if got, want := strings.Join(e.auditActions(target), "|"), "publication.publish|publication.trash|publication.restore|publication.trash|publication.purge"; got != want {
		t.Errorf("audit %q, want %q", got, want)
	}
}

// TestSchedule schedules a publication and lets the scheduler publish it
// when its time comes.
func TestSchedule(t *testing.T) {
	eachEngine(t, testSchedule)
}

func testSchedule(t *testing.T, e *testEnv) {
	ctx := t.Context()
	ed := e.login(model.AccountEditor)
	now := e.clock.Now()

	past := withAction(publicationForm("Later", "2022", "+Ann Lee"), "schedule")
	past.Set("publish_at", now.Add(-time.Hour).Format(datetimeLocal))
	res, body := ed.post("/admin/publications/new", past)
	mustStatus(t, "schedule in the past", res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "must be in the future") {
		t.Error("no message for a time in the past")
	}

	at := now.Add(2 * time.Hour).Truncate(time.Minute)
	form := withAction(publicationForm("Later", "2022", "+Ann Lee"), "schedule")
	form.Set("publish_at", at.Format(datetimeLocal))
	res, body = ed.post("/admin/publications/new", form)
	mustStatus(t, "schedule", res, body, http.StatusSeeOther)
	id := idFromLocation(t, res)
	p, _ := e.st.Publication(ctx, id)
	if p.Status != model.StatusScheduled || !p.PublishAt.Equal(at) {
		t.Fatalf("scheduled: %q at %v, want %v", p.Status, p.PublishAt, at)
	}
	ids, err := publishDue(ctx, e.st, at.Add(-time.Minute), discardLog())
	if err != nil || len(ids) != 0 {
		t.Fatalf("before its time: %v, %v", ids, err)
	}
	ids, err = publishDue(ctx, e.st, at, discardLog())
	if err != nil || len(ids) != 1 || ids[0] != id {
		t.Fatalf("at its time: %v, %v", ids, err)
	}
	p, _ = e.st.Publication(ctx, id)
	if p.Status != model.StatusPublished || !p.PublishedAt.Equal(at) {
		t.Errorf("after the scheduler: %q published %v", p.Status, p.PublishedAt)
	}
	target := "publication:" + strconv.FormatInt(id, 10)
	if got, want := strings.Join(e.auditActions(target), "|"), "publication.schedule|publication.publish"; got != want {
		t.Errorf("audit %q, want %q", got, want)
	}
	notes := e.revisionsOf(id)
	if len(notes) != 2 || !strings.HasPrefix(notes[1], "published as scheduled") {
		t.Errorf("revisions %q", notes)
	}
}

// TestUploadPDF attaches a hosted PDF in the editor; a file that is not a
// PDF, or too large, is refused next to the field and nothing is saved.
func TestUploadPDF(t *testing.T) {
	e := newEnv(t)
	c := e.login(model.AccountEditor)
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

	res, body := c.postFile("/admin/publications/new", publicationForm("With Script", "2020", "+Ann Lee"), "report.pdf",
		[]byte("<html><script>alert(1)</script></html>"))
	mustStatus(t, "HTML as a PDF", res, body, http.StatusUnprocessableEntity)
	if i := strings.Index(body, `id="pdf"`); i < 0 || !strings.Contains(body[i:], `class="field-error"`) {
		t.Error("no error next to the file input")
	}

	// Past the PDF limit (1 MiB here) but within the request's: refused
	// next to the field.
	big := append(append([]byte{}, pdf...), bytes.Repeat([]byte("x"), 1<<20)...)
	res, body = c.postFile("/admin/publications/new", publicationForm("Too Big", "2020", "+Ann Lee"), "big.pdf", big)
	mustStatus(t, "PDF past its limit", res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "PDFs may be at most 1 MiB") {
		t.Error("no message naming the limit")
	}
	// Past the request's limit: refused before anything is read.
	huge := append(append([]byte{}, pdf...), bytes.Repeat([]byte("x"), 3<<20)...)
	res, body = c.postFile("/admin/publications/new", publicationForm("Too Big", "2020", "+Ann Lee"), "huge.pdf", huge)
	mustStatus(t, "request past its limit", res, body, http.StatusRequestEntityTooLarge)

	res, body = c.postFile("/admin/publications/new", publicationForm("With PDF", "2020", "+Ann Lee"), "report.pdf", pdf)
	mustStatus(t, "PDF", res, body, http.StatusSeeOther)
	id := idFromLocation(t, res)
	p, err := e.st.Publication(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.FullTextPDF, "sha256-") || !strings.HasSuffix(p.FullTextPDF, ".pdf") {
		t.Fatalf("FullTextPDF %q", p.FullTextPDF)
	}
	res, body = c.get("/files/" + p.FullTextPDF)
	mustStatus(t, "the stored file", res, body, http.StatusOK)
	if body != string(pdf) || res.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("served %q as %q", body, res.Header.Get("Content-Type"))
	}
	for _, name := range []string{"Too Big", "With Script"} {
		if _, err := e.st.PublicationBySlug(t.Context(), model.Slugify(name)); err == nil {
			t.Errorf("%q was saved", name)
		}
	}
}

// TestRunScheduler runs the scheduler loop as the serve command does: a
// publication whose time has come is published, and the loop ends with
// its context.
func TestRunScheduler(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	p, err := e.st.PublicationBySlug(ctx, demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	p.Status, p.PublishAt = model.StatusScheduled, time.Now().Add(-time.Minute).Truncate(time.Second)
	if err := e.st.UpdatePublication(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := RunScheduler(ctx, e.st, 0, nil); err == nil {
		t.Error("a zero interval was accepted")
	}
	runCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- RunScheduler(runCtx, e.st, 20*time.Millisecond, discardLog()) }()
	deadline := time.Now().Add(2 * time.Second)
	for {
		got, err := e.st.Publication(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == model.StatusPublished {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %q after the scheduler ran", got.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("RunScheduler returned %v", err)
	}
	if got := e.auditActions("publication:" + strconv.FormatInt(p.ID, 10)); len(got) != 1 || got[0] != "publication.publish" {
		t.Errorf("audit %q", got)
	}
}

// TestRowButtonsWithoutScript uses the contributor row buttons as a
// browser without JavaScript does: each posts the form, which comes back
// rearranged, and nothing is saved.
func TestRowButtonsWithoutScript(t *testing.T) {
	e := newEnv(t)
	c := e.login(model.AccountEditor)
	form := publicationForm("Rows", "2020", "+Ann Lee", "+Jane Doe")
	form.Del("action")
	for _, tc := range []struct {
		op   string
		want []string // the new people's family names in row order
	}{
		{"up:1", []string{"Doe", "Lee"}},
		{"down:0", []string{"Doe", "Lee"}},
		{"remove:0", []string{"Doe"}},
		{"add", []string{"Lee", "Doe", ""}},
	} {
		v := withAction(form, "")
		v.Del("action")
		v.Set("op", tc.op)
		res, body := c.post("/admin/publications/new", v)
		mustStatus(t, tc.op, res, body, http.StatusOK)
		var got []string
		for rest := body; ; {
			i := strings.Index(rest, `name="c_family" value="`)
			if i < 0 {
				break
			}
			rest = rest[i+len(`name="c_family" value="`):]
			got = append(got, rest[:strings.IndexByte(rest, '"')])
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: rows %q, want %q", tc.op, got, tc.want)
		}
		if !strings.Contains(body, `value="Rows"`) {
			t.Errorf("%s: the title was lost", tc.op)
		}
	}
	if _, err := e.st.PublicationBySlug(t.Context(), "rows"); err == nil {
		t.Error("a row button saved the publication")
	}
}

// eachEngine runs test on SQLite and on PostgreSQL.
func eachEngine(t *testing.T, test func(t *testing.T, e *testEnv)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) { test(t, newEnvOn(t, engine)) })
	}
}

// TestRestoreRefused restores a revision naming a person deleted since:
// the restore is refused with the reason, and nothing changes.
func TestRestoreRefused(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	c := e.login(model.AccountEditor)
	res, body := c.post("/admin/publications/new", publicationForm("Who Wrote It", "2019", "+Gone Person"))
	mustStatus(t, "create", res, body, http.StatusSeeOther)
	id := idFromLocation(t, res)
	p, _ := e.st.Publication(ctx, id)
	gone := p.Contributions[0].Person
	edit := withAction(publicationForm("Who Wrote It", "2019", "+Ann Lee"), "save")
	edit.Set("version", formFromPublication(p).Version)
	res, body = c.post(pubPath(id), edit)
	mustStatus(t, "replace the author", res, body, http.StatusSeeOther)
	if err := e.st.DeletePerson(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	revs, _ := e.st.Revisions(ctx, id)
	res, body = c.post(pubPath(id)+"/revisions/"+strconv.FormatInt(revs[len(revs)-1].ID, 10)+"/restore", nil)
	mustStatus(t, "restore", res, body, http.StatusConflict)
	if !strings.Contains(body, "Revision 1 cannot be restored as it is: Contributor 1: person") {
		t.Errorf("no reason given:\n%s", body)
	}
	p, _ = e.st.Publication(ctx, id)
	if len(p.Contributions) != 1 || p.Contributions[0].Person.DisplayName() != "Ann Lee" {
		t.Errorf("a refused restore changed the publication: %+v", p.Contributions)
	}
	if n := len(e.revisionsOf(id)); n != 2 {
		t.Errorf("%d revisions after a refused restore, want 2", n)
	}
}
