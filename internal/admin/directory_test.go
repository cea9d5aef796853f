package admin

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/imprintpub/imprint/internal/browsertest"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// idFrom reads the record ID from a redirect to its edit page.
func idFrom(t *testing.T, res *http.Response, prefix string) int64 {
	t.Helper()
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirect to %q, want %s…", loc, prefix)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q: %v", loc, err)
	}
	return id
}

// fieldError returns the message shown next to the input named field:
// the field-error paragraph in the input's own box.
func fieldError(body, field string) string {
	i := strings.Index(body, `name="`+field+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</div>"); j >= 0 {
		rest = rest[:j] // the field's own box
	}
	m := regexp.MustCompile(`<p class="field-error"[^>]*>([^<]*)</p>`).FindStringSubmatch(rest)
	if m == nil {
		return ""
	}
	return m[1]
}

// auditActions returns the actions logged about target, newest first,
// leaving out logins, which the tests' own sessions make.
func (e *secEnv) auditActions(target string) []string {
	e.t.Helper()
	entries, err := e.st.ListAudit(e.t.Context(), store.AuditQuery{Target: target})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, en := range entries {
		if !strings.HasPrefix(en.Action, "login") {
			out = append(out, en.Action)
		}
	}
	return out
}

func TestPersonForm(t *testing.T) {
	e := newSecEnv(t)
	ctx := t.Context()
	c := e.login("editor")
	c.get("/admin/people/new")

	// Every problem is shown next to its field, with what was typed kept.
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"bad ORCID check digit", url.Values{"Given": {"Sheila"}, "Family": {"Smith"}, "ORCID": {"0000-0002-1825-0098"}}, "ORCID", "is not an ORCID iD"},
		{"organization with a family name", url.Values{"Family": {"Smith"}, "Literal": {"Acme Institute"}}, "Literal", "excludes personal name parts"},
		{"no name", url.Values{"RoleLine": {"Fellow"}}, "Family", "is required"},
		{"bad slug", url.Values{"Family": {"Smith"}, "Slug": {"Not A Slug"}}, "Slug", "lower-case letters"},
		{"role line with a control character", url.Values{"Family": {"Smith"}, "RoleLine": {"Fellow\x07"}}, "RoleLine", "control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := c.post("/admin/people/new", tc.form, tokenOwn)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %s, want 422", res.Status)
			}
			if got := fieldError(body, tc.field); !strings.Contains(got, tc.want) {
				t.Errorf("error next to %s: %q, want it to contain %q", tc.field, got, tc.want)
			}
			for k, v := range tc.form {
				if k != "RoleLine" && !strings.Contains(body, `value="`+v[0]+`"`) {
					t.Errorf("the form lost the %s typed: %q", k, v[0])
				}
			}
		})
	}

	// Preview renders the bio and saves nothing.
	before, _ := e.st.ListPeople(ctx, store.PeopleQuery{})
	res, body := c.post("/admin/people/new", url.Values{"Family": {"Smith"}, "Bio": {"A **bold** claim."}, "do": {"preview"}}, tokenOwn)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "A <strong>bold</strong> claim.") {
		t.Errorf("preview: %s, rendered bio missing", res.Status)
	}
	if after, _ := e.st.ListPeople(ctx, store.PeopleQuery{}); len(after) != len(before) {
		t.Errorf("preview saved a person: %d people, were %d", len(after), len(before))
	}

	// A good form saves, normalizing the ORCID iD and making the slug.
	res, body = c.post("/admin/people/new", url.Values{"Given": {"Marta Q."}, "Family": {"Quill"},
		"ORCID": {"https://orcid.org/0000-0002-1825-0097"}, "RoleLine": {"Senior Fellow"}, "Bio": {"Writes on Japan."}, "do": {"save"}}, tokenOwn)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %s\n%.800s", res.Status, body)
	}
	id := idFrom(t, res, "/admin/people/")
	p, err := e.st.Person(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Slug != "marta-q-quill" || p.ORCID != "0000-0002-1825-0097" || p.RoleLine != "Senior Fellow" || p.Bio != "Writes on Japan." {
		t.Errorf("stored %+v", p)
	}
	if got := e.auditActions(fmt.Sprintf("person:%d", id)); len(got) != 1 || got[0] != "person.create" {
		t.Errorf("audit of the new person: %q", got)
	}
	if _, body := c.get(res.Header.Get("Location")); !strings.Contains(body, "Saved Marta Q. Quill.") || !strings.Contains(body, `value="0000-0002-1825-0097"`) {
		t.Errorf("the edit page after saving lacks the flash or the stored ORCID iD")
	}
	// The same slug again is a conflict on the Slug field.
	res, body = c.post("/admin/people/new", url.Values{"Given": {"Marta Q."}, "Family": {"Quill"}}, tokenOwn)
	if res.StatusCode != http.StatusConflict || !strings.Contains(fieldError(body, "Slug"), "already taken by Marta Q. Quill") {
		t.Errorf("duplicate slug: %s, error %q", res.Status, fieldError(body, "Slug"))
	}
	// So is the same ORCID iD, on its own field.
	res, body = c.post("/admin/people/new", url.Values{"Given": {"Other"}, "Family": {"Person"}, "ORCID": {"0000-0002-1825-0097"}}, tokenOwn)
	if res.StatusCode != http.StatusConflict || !strings.Contains(fieldError(body, "ORCID"), "already belongs to Marta Q. Quill") || fieldError(body, "Slug") != "" {
		t.Errorf("duplicate ORCID iD: %s, errors %q, %q", res.Status, fieldError(body, "ORCID"), fieldError(body, "Slug"))
	}
	// Editing keeps what the form does not carry.
	res, _ = c.post(fmt.Sprintf("/admin/people/%d", id), url.Values{"Given": {"Marta"}, "Family": {"Quill"}, "Slug": {"marta-q-quill"}, "ORCID": {"0000000218250097"}}, tokenOwn)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %s", res.Status)
	}
	if p, _ := e.st.Person(ctx, id); p.Given != "Marta" || p.ORCID != "0000-0002-1825-0097" || p.CreatedAt.IsZero() {
		t.Errorf("after the edit: %+v", p)
	}
	// The list finds her by name.
	if _, body := c.get("/admin/people?q=quill"); !strings.Contains(body, "Marta Quill") {
		t.Errorf("people?q=quill does not list Marta Quill")
	}
	if _, body := c.get("/admin/people?q=nobody-has-this-name"); strings.Contains(body, "Marta Quill") || !strings.Contains(body, "No one") {
		t.Errorf("people?q=nobody-has-this-name lists someone")
	}

	// Someone who contributes cannot be deleted, and the page says why.
	page, err := e.st.ListPublications(ctx, store.PublicationQuery{Status: model.StatusPublished, Limit: 1})
	if err != nil || len(page.Items) == 0 || len(page.Items[0].Contributions) == 0 {
		t.Fatalf("a demo publication with contributors: %v", err)
	}
	author := page.Items[0].Contributions[0].Person
	res, body = c.post(fmt.Sprintf("/admin/people/%d/delete", author.ID), nil, tokenOwn)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "still contributes to") {
		t.Errorf("delete a contributor: %s\n%.500s", res.Status, body)
	}
	if _, err := e.st.Person(ctx, author.ID); err != nil {
		t.Errorf("the contributor is gone: %v", err)
	}
	res, _ = c.post(fmt.Sprintf("/admin/people/%d/delete", id), nil, tokenOwn)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("delete: %s", res.Status)
	}
	if _, err := e.st.Person(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if got := e.auditActions(fmt.Sprintf("person:%d", id)); len(got) != 3 || got[0] != "person.delete" {
		t.Errorf("audit of the person: %q", got)
	}

	// Contributors see the list but cannot change it.
	cc := e.login("contributor")
	for path, want := range map[string]int{"/admin/people": 200, "/admin/people/new": 403, fmt.Sprintf("/admin/people/%d", author.ID): 403} {
		if res, _ := cc.get(path); res.StatusCode != want {
			t.Errorf("contributor GET %s: %s, want %d", path, res.Status, want)
		}
	}
}

// postMultipart sends a form with one file, as the person form does.
func (c *secClient) postMultipart(path string, vals url.Values, field, filename string, content []byte) (*http.Response, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	vals.Set("csrf_token", c.csrf)
	for k, vs := range vals {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile(field, filename)
	if err != nil {
		c.e.t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	req, err := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestPersonPhoto(t *testing.T) {
	e := newSecEnv(t)
	c := e.login("editor")
	c.get("/admin/people/new")
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	// Not an image: refused on the Photo field, nothing saved.
	res, body := c.postMultipart("/admin/people/new", url.Values{"Family": {"Pictured"}}, "photo", "portrait.png", []byte("%PDF-1.4 not a picture"))
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "photo") == "" {
		t.Errorf("a PDF as a photo: %s, error %q", res.Status, fieldError(body, "photo"))
	}
	if _, err := e.st.PersonBySlug(t.Context(), "pictured"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a person was saved with a bad photo: %v", err)
	}
	// A photo sent with a form that has another problem is kept for the
	// next try, so that it need not be chosen again.
	res, body = c.postMultipart("/admin/people/new", url.Values{"Family": {"Pictured"}, "Slug": {"Bad Slug"}}, "photo", "portrait.png", pngData.Bytes())
	kept := regexp.MustCompile(`name="Photo" value="(sha256-[0-9a-f]{64}\.png)"`).FindStringSubmatch(body)
	if res.StatusCode != http.StatusUnprocessableEntity || kept == nil {
		t.Fatalf("a photo with a bad slug: %s, photo kept: %v", res.Status, kept)
	}
	// A key the upload store does not hold is not taken.
	res, _ = c.post("/admin/people/new", url.Values{"Family": {"Forged Photo"}, "Photo": {"sha256-" + strings.Repeat("0", 64) + ".png"}}, tokenOwn)
	if p, err := e.st.PersonBySlug(t.Context(), "forged-photo"); res.StatusCode != http.StatusSeeOther || err != nil || p.Photo != "" {
		t.Errorf("a form naming a photo never uploaded: %s, stored %+v, %v", res.Status, p, err)
	}
	res, body = c.post("/admin/people/new", url.Values{"Family": {"Pictured"}, "Photo": {kept[1]}}, tokenOwn)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with a photo: %s\n%.500s", res.Status, body)
	}
	p, err := e.st.PersonBySlug(t.Context(), "pictured")
	if err != nil || !strings.HasPrefix(p.Photo, "sha256-") || !strings.HasSuffix(p.Photo, ".png") {
		t.Fatalf("stored photo %q, %v", p.Photo, err)
	}
	_, body = c.get(res.Header.Get("Location"))
	if !strings.Contains(body, `src="/files/`+p.Photo+`"`) {
		t.Errorf("the edit page does not show the photo")
	}
	if res, _ := c.get("/files/" + p.Photo); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		t.Errorf("GET the photo: %s %s", res.Status, res.Header.Get("Content-Type"))
	}
	// Removing it.
	res, _ = c.post(fmt.Sprintf("/admin/people/%d", p.ID), url.Values{"Family": {"Pictured"}, "Slug": {"pictured"}, "RemovePhoto": {"1"}}, tokenOwn)
	if p, _ := e.st.Person(t.Context(), p.ID); res.StatusCode != http.StatusSeeOther || p.Photo != "" {
		t.Errorf("remove the photo: %s, photo %q", res.Status, p.Photo)
	}
}

func TestTermForms(t *testing.T) {
	for _, kind := range []string{"topics", "regions"} {
		t.Run(kind, func(t *testing.T) {
			e := newSecEnv(t)
			ctx := t.Context()
			c := e.login("editor")
			c.get("/admin/" + kind + "/new")
			create := func(name string, parent int64) int64 {
				t.Helper()
				res, body := c.post("/admin/"+kind+"/new", url.Values{"Name": {name}, "ParentID": {strconv.FormatInt(parent, 10)}, "Description": {"About *" + name + "*."}}, tokenOwn)
				if res.StatusCode != http.StatusSeeOther {
					t.Fatalf("create %s: %s\n%.800s", name, res.Status, body)
				}
				return idFrom(t, res, "/admin/"+kind+"/")
			}
			parent := create("Zeta Parent", 0)
			child := create("Zeta Child", parent)
			grandchild := create("Zeta Grandchild", child)

			// The list shows the tree: each below its parent, indented.
			_, body := c.get("/admin/" + kind)
			iP, iC, iG := strings.Index(body, ">Zeta Parent<"), strings.Index(body, ">Zeta Child<"), strings.Index(body, ">Zeta Grandchild<")
			if iP < 0 || iC < iP || iG < iC || !strings.Contains(body, `class="depth-2"`) {
				t.Errorf("tree order parent %d, child %d, grandchild %d", iP, iC, iG)
			}
			// The parent select leaves out the term and what is below it.
			_, body = c.get(fmt.Sprintf("/admin/%s/%d", kind, parent))
			sel := body[strings.Index(body, `name="ParentID"`):]
			sel = sel[:strings.Index(sel, "</select>")]
			if strings.Contains(sel, "Zeta Child") || strings.Contains(sel, ">Zeta Parent<") {
				t.Errorf("the parent select offers the term or its descendants:\n%s", sel)
			}
			// A cycle sent anyway is refused on the field.
			res, body := c.post(fmt.Sprintf("/admin/%s/%d", kind, parent), url.Values{"Name": {"Zeta Parent"}, "Slug": {"zeta-parent"}, "ParentID": {strconv.FormatInt(grandchild, 10)}}, tokenOwn)
			if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "ParentID") == "" {
				t.Errorf("a cycle: %s, error %q", res.Status, fieldError(body, "ParentID"))
			}
			for _, tc := range []struct {
				form        url.Values
				field, want string
			}{
				{url.Values{"Name": {""}, "Slug": {"x"}}, "Name", "is required"},
				{url.Values{"Name": {"X"}, "Slug": {"zeta-child"}}, "Slug", "already taken"},
				{url.Values{"Name": {"X"}, "ParentID": {"abc"}}, "ParentID", "must be one of"},
				{url.Values{"Name": {"X"}, "ParentID": {"99999"}}, "ParentID", ""},
			} {
				res, body := c.post("/admin/"+kind+"/new", tc.form, tokenOwn)
				if res.StatusCode < 400 || res.StatusCode >= 500 {
					t.Errorf("%v: %s", tc.form, res.Status)
				}
				if got := fieldError(body, tc.field); got == "" || !strings.Contains(got, tc.want) {
					t.Errorf("%v: error next to %s %q, want %q", tc.form, tc.field, got, tc.want)
				}
			}
			// Deleting what has children is refused with the reason.
			res, body = c.post(fmt.Sprintf("/admin/%s/%d/delete", kind, parent), nil, tokenOwn)
			if res.StatusCode != http.StatusConflict || !strings.Contains(body, "below it") {
				t.Errorf("delete a parent: %s\n%.500s", res.Status, body)
			}
			// So is deleting what files publications.
			used := usedTerm(t, e, kind)
			res, body = c.post(fmt.Sprintf("/admin/%s/%d/delete", kind, used), nil, tokenOwn)
			if res.StatusCode != http.StatusConflict || !strings.Contains(body, "filed under it") {
				t.Errorf("delete a term in use: %s\n%.500s", res.Status, body)
			}
			res, _ = c.post(fmt.Sprintf("/admin/%s/%d/delete", kind, grandchild), nil, tokenOwn)
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("delete a leaf: %s", res.Status)
			}
			one := strings.TrimSuffix(kind, "s")
			if got := e.auditActions(fmt.Sprintf("%s:%d", one, grandchild)); len(got) != 2 || got[0] != one+".delete" {
				t.Errorf("audit of the deleted %s: %q", one, got)
			}
			_ = ctx
		})
	}
}

// usedTerm returns a demo topic or region that files a publication.
func usedTerm(t *testing.T, e *secEnv, kind string) int64 {
	t.Helper()
	page, err := e.st.ListPublications(t.Context(), store.PublicationQuery{Status: model.StatusPublished, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		if kind == "topics" && len(p.Topics) > 0 {
			return p.Topics[0].ID
		}
		if kind == "regions" && len(p.Regions) > 0 {
			return p.Regions[0].ID
		}
	}
	t.Fatalf("no demo publication has %s", kind)
	return 0
}

func TestUserAdmin(t *testing.T) {
	e := newSecEnv(t)
	ctx := t.Context()
	admin := e.login("admin")
	admin.get("/admin/users/new")
	for _, tc := range []struct {
		form        url.Values
		field, want string
	}{
		{url.Values{"Email": {"new@example.org"}, "Role": {"editor"}, "Password": {"short"}, "Confirm": {"short"}}, "Password", "too short"},
		{url.Values{"Email": {"new@example.org"}, "Role": {"editor"}, "Password": {secPassword}, "Confirm": {"something else entirely"}}, "Confirm", "does not match"},
		{url.Values{"Email": {"not an address"}, "Role": {"editor"}, "Password": {secPassword}, "Confirm": {secPassword}}, "Email", "bare e-mail address"},
		{url.Values{"Email": {"new@example.org"}, "Role": {"owner"}, "Password": {secPassword}, "Confirm": {secPassword}}, "Role", "must be"},
		{url.Values{"Email": {"Editor@Example.org"}, "Role": {"editor"}, "Password": {secPassword}, "Confirm": {secPassword}}, "Email", "already has an account"},
	} {
		res, body := admin.post("/admin/users/new", tc.form, tokenOwn)
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("%v: %s", tc.form, res.Status)
		}
		if got := fieldError(body, tc.field); !strings.Contains(got, tc.want) {
			t.Errorf("%v: error next to %s %q, want %q", tc.form, tc.field, got, tc.want)
		}
		if strings.Contains(body, secPassword) {
			t.Errorf("%v: the page shows the password back", tc.form)
		}
	}
	res, body := admin.post("/admin/users/new", url.Values{"Email": {" New@Example.org "}, "Name": {"New Person"}, "Role": {"contributor"}, "Password": {secPassword}, "Confirm": {secPassword}}, tokenOwn)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a user: %s\n%.800s", res.Status, body)
	}
	id := idFrom(t, res, "/admin/users/")
	u, err := e.st.User(ctx, id)
	if err != nil || u.Email != "new@example.org" || u.Role != model.AccountContributor || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("stored %+v, %v", u, err)
	}
	e.users["new"] = u
	target := fmt.Sprintf("user:%d", id)

	// Every change ends the account's sessions and is audited.
	for _, step := range []struct {
		name, path string
		form       url.Values
		action     string
		check      func(u *model.User) bool
	}{
		{"role", "/role", url.Values{"Role": {"editor"}, "Name": {"New Person"}}, "user.role", func(u *model.User) bool { return u.Role == model.AccountEditor }},
		{"rename", "/role", url.Values{"Role": {"editor"}, "Name": {"Renamed"}}, "user.update", func(u *model.User) bool { return u.Name == "Renamed" }},
		{"password", "/password", url.Values{"Password": {"an entirely new password"}, "Confirm": {"an entirely new password"}}, "user.password", func(u *model.User) bool { return u.PasswordHash != e.users["new"].PasswordHash }},
	} {
		t.Run(step.name, func(t *testing.T) {
			victim := e.client()
			victim.get("/admin/login")
			if res, _ := victim.post("/admin/login", url.Values{"email": {"new@example.org"}, "password": {secPassword}}, tokenOwn); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("log in as the user: %s", res.Status)
			}
			res, body := admin.post(fmt.Sprintf("/admin/users/%d%s", id, step.path), step.form, tokenOwn)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %s\n%.500s", step.name, res.Status, body)
			}
			u, _ := e.st.User(ctx, id)
			if !step.check(u) {
				t.Errorf("after %s: %+v", step.name, u)
			}
			if res, _ := victim.get("/admin/"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("after %s the user's session still works: %s", step.name, res.Status)
			}
			if got := e.auditActions(target); len(got) == 0 || got[0] != step.action {
				t.Errorf("audit after %s: %q", step.name, got)
			}
		})
	}
	login := func(password string) int {
		c := e.client()
		c.get("/admin/login")
		res, _ := c.post("/admin/login", url.Values{"email": {"new@example.org"}, "password": {password}}, tokenOwn)
		return res.StatusCode
	}
	if got := login(secPassword); got == http.StatusSeeOther {
		t.Errorf("the old password still logs in after the reset")
	}
	if got := login("an entirely new password"); got != http.StatusSeeOther {
		t.Errorf("the new password: %d", got)
	}
	res, _ = admin.post(fmt.Sprintf("/admin/users/%d/disable", id), nil, tokenOwn)
	if res.StatusCode != http.StatusSeeOther || login("an entirely new password") == http.StatusSeeOther {
		t.Errorf("disable: %s, and the account still logs in", res.Status)
	}
	res, _ = admin.post(fmt.Sprintf("/admin/users/%d/enable", id), nil, tokenOwn)
	if res.StatusCode != http.StatusSeeOther || login("an entirely new password") != http.StatusSeeOther {
		t.Errorf("enable: %s, and the account cannot log in", res.Status)
	}
	if got := e.auditActions(target); len(got) < 2 || got[0] != "user.enable" || got[1] != "user.disable" {
		t.Errorf("audit after disable and enable: %q", got)
	}

	// An admin cannot lock themselves out.
	me := e.users["admin"].ID
	if res, _ := admin.post(fmt.Sprintf("/admin/users/%d/role", me), url.Values{"Role": {"editor"}}, tokenOwn); res.StatusCode != http.StatusConflict {
		t.Errorf("demote oneself: %s", res.Status)
	}
	if res, _ := admin.post(fmt.Sprintf("/admin/users/%d/disable", me), nil, tokenOwn); res.StatusCode != http.StatusConflict {
		t.Errorf("disable oneself: %s", res.Status)
	}
	if u, _ := e.st.User(ctx, me); u.Role != model.AccountAdmin || u.Disabled {
		t.Errorf("the admin after refused changes: %+v", u)
	}
	if _, body := admin.get("/admin/users"); !strings.Contains(body, "new@example.org") || !strings.Contains(body, "admin@example.org</a> (you)") {
		t.Errorf("the users list lacks an account or the (you) mark")
	}
}

func TestMyAccount(t *testing.T) {
	e := newSecEnv(t)
	c := e.login("contributor")
	other := e.login("contributor") // the same account in another browser
	if res, _ := c.get("/admin/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("account page: %s", res.Status)
	}
	const newPassword = "a much better passphrase"
	res, body := c.post("/admin/account/password", url.Values{"Current": {"not my password"}, "Password": {newPassword}, "Confirm": {newPassword}}, tokenOwn)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "Current"), "not your current password") {
		t.Errorf("wrong current password: %s, %q", res.Status, fieldError(body, "Current"))
	}
	res, body = c.post("/admin/account/password", url.Values{"Current": {secPassword}, "Password": {"short"}, "Confirm": {"short"}}, tokenOwn)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(body, "Password"), "too short") {
		t.Errorf("weak new password: %s, %q", res.Status, fieldError(body, "Password"))
	}
	res, _ = c.post("/admin/account/password", url.Values{"Current": {secPassword}, "Password": {newPassword}, "Confirm": {newPassword}}, tokenOwn)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/account" {
		t.Fatalf("change the password: %s to %q", res.Status, res.Header.Get("Location"))
	}
	if res, body := c.get("/admin/account"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Your password was changed") {
		t.Errorf("the browser that changed the password is logged out: %s", res.Status)
	}
	if res, _ := other.get("/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other browser's session survived the password change: %s", res.Status)
	}
	u, _ := e.st.User(t.Context(), e.users["contributor"].ID)
	if got := e.auditActions(fmt.Sprintf("user:%d", u.ID)); len(got) == 0 || !contains(got, "user.password") {
		t.Errorf("audit: %q", got)
	}

	// Guessing the current password is limited like logins.
	status := 0
	for i := range 7 {
		res, _ := c.post("/admin/account/password", url.Values{"Current": {fmt.Sprintf("guess %d", i)}, "Password": {newPassword + "!"}, "Confirm": {newPassword + "!"}}, tokenOwn)
		status = res.StatusCode
	}
	if status != http.StatusTooManyRequests {
		t.Errorf("after 7 wrong current passwords: %d, want 429", status)
	}

	// Log out everywhere ends this browser's session and every other.
	third := e.client()
	third.get("/admin/login")
	if res, _ := third.post("/admin/login", url.Values{"email": {u.Email}, "password": {newPassword}}, tokenOwn); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in with the new password: %s", res.Status)
	}
	res, _ = c.post("/admin/account/logout-everywhere", nil, tokenOwn)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/login" {
		t.Errorf("log out everywhere: %s to %q", res.Status, res.Header.Get("Location"))
	}
	for name, cl := range map[string]*secClient{"this browser": c, "another browser": third} {
		if res, _ := cl.get("/admin/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s is still logged in: %s", name, res.Status)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAuditLogPage(t *testing.T) {
	e := newSecEnv(t)
	ctx := t.Context()
	for i := range 60 {
		action := "publication.publish"
		if i%3 == 0 {
			action = "user.role"
		}
		if err := e.st.AddAudit(ctx, &store.AuditEntry{UserID: e.users["editor"].ID, UserName: "Test editor", Action: action,
			Target: fmt.Sprintf("publication:%d", i), Address: "192.0.2.200", Detail: fmt.Sprintf("entry %02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	c := e.login("admin")
	res, body := c.get("/admin/audit")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("audit log: %s", res.Status)
	}
	// The admin's login is the newest entry, then 49 of these.
	if n := strings.Count(body, "<td>entry "); n != 49 || strings.Count(body, ">login<") != 1 {
		t.Errorf("first page: %d entries and %d logins, want 49 and 1", n, strings.Count(body, ">login<"))
	}
	if i, j := strings.Index(body, "entry 59"), strings.Index(body, "entry 11"); i < 0 || j < 0 || i > j {
		t.Errorf("entries are not newest first")
	}
	next := regexp.MustCompile(`href="(/admin/audit\?before=\d+)" rel="next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatalf("no link to older entries")
	}
	_, body = c.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	if n := strings.Count(body, "<td>entry "); n != 11 || !strings.Contains(body, "entry 00") || strings.Contains(body, "entry 11<") {
		t.Errorf("second page: %d entries", n)
	}
	_, body = c.get("/admin/audit?action=user.role")
	if n := strings.Count(body, "<td>entry "); n != 20 {
		t.Errorf("action filter: %d entries, want 20", n)
	}
	_, body = c.get("/admin/audit?target=publication:7")
	if n := strings.Count(body, "<td>entry "); n != 1 || !strings.Contains(body, "entry 07") {
		t.Errorf("target filter: %d entries", n)
	}
	_, body = c.get(fmt.Sprintf("/admin/audit?user=%d", e.users["admin"].ID))
	if strings.Contains(body, "<td>entry ") || !strings.Contains(body, ">login<") {
		t.Errorf("user filter: shows others' entries or not the admin's login")
	}
	if res, body := c.get("/admin/audit?user=abc"); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "must be one of the listed accounts") {
		t.Errorf("bad user filter: %s", res.Status)
	}
	if res, _ := e.login("editor").get("/admin/audit"); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor reads the audit log: %s", res.Status)
	}
}

// TestMarkdownLivePreview types a bio in Chromium and waits for the
// preview to show it rendered, with a payload that must not run.
func TestMarkdownLivePreview(t *testing.T) {
	bctx := browsertest.Start(t, browsertest.Options{Width: 800, Height: 600})
	e := newSecEnv(t)
	u, _ := url.Parse(e.srv.URL)
	var cookies []*network.CookieParam
	for _, ck := range e.login("editor").c.Jar.Cookies(u) {
		cookies = append(cookies, &network.CookieParam{Name: ck.Name, Value: ck.Value, URL: e.srv.URL + "/", HTTPOnly: true})
	}
	if _, err := chromedp.Call(bctx, network.SetCookies, network.SetCookiesParams{Cookies: cookies}); err != nil {
		t.Fatalf("cookies: %v", err)
	}
	if _, err := chromedp.Call(bctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: xssHook}); err != nil {
		t.Fatalf("install the hook: %v", err)
	}
	for _, form := range []struct{ path, field, output string }{
		{"/admin/people/new", "#person-Bio", `[data-preview-output="bio"]`},
		{"/admin/topics/new", "#term-Description", `[data-preview-output="description"]`},
	} {
		err := chromedp.Do(bctx,
			chromedp.Navigate(e.srv.URL+form.path),
			chromedp.WaitReady(chromedp.CSS(form.field)),
			chromedp.SendKeys(chromedp.CSS(form.field), "A **bold** claim <img src=x onerror=alert(1)>"),
			chromedp.WaitReady(chromedp.CSS(form.output+" strong")),
		)
		if err != nil {
			t.Fatalf("%s: the live preview did not render: %v", form.path, err)
		}
		got, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(form.output)))
		if err != nil || !strings.Contains(got, "A bold claim") {
			t.Errorf("%s: preview %q, %v", form.path, got, err)
		}
		problems, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](xssAudit))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", form.path, p)
		}
	}
}

func TestFlattenTree(t *testing.T) {
	for _, tc := range []struct {
		name  string
		terms []term
		want  string // name:depth in order
	}{
		{"empty", nil, ""},
		{"parents first, children by the store's order", []term{
			{ID: 1, Name: "Asia"}, {ID: 2, Name: "Europe"}, {ID: 3, ParentID: 1, Name: "East Asia"},
			{ID: 4, ParentID: 3, Name: "Japan"}, {ID: 5, ParentID: 1, Name: "South Asia"},
		}, "Asia:0 East Asia:1 Japan:2 South Asia:1 Europe:0"},
		{"a child listed before its parent", []term{{ID: 2, ParentID: 1, Name: "Child"}, {ID: 1, Name: "Parent"}}, "Parent:0 Child:1"},
		{"a missing parent puts the term at the top", []term{{ID: 2, ParentID: 9, Name: "Orphan"}}, "Orphan:0"},
		{"a cycle is still listed once each", []term{{ID: 1, ParentID: 2, Name: "A"}, {ID: 2, ParentID: 1, Name: "B"}}, "A:0 B:1"},
		{"its own parent", []term{{ID: 1, ParentID: 1, Name: "Self"}}, "Self:0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, r := range flattenTree(tc.terms) {
				got = append(got, fmt.Sprintf("%s:%d", r.Name, r.Depth))
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
	below := descendants([]term{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 2}, {ID: 4}}, 1)
	if !below[1] || !below[2] || !below[3] || below[4] {
		t.Errorf("descendants of 1: %v", below)
	}
}
