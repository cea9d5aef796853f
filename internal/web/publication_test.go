package web

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

var citeStyles = []struct{ key, styleID string }{
	{"mla", "modern-language-association"},
	{"apa", "apa"},
	{"chicago", "chicago-notes-bibliography"},
}

func TestSeedPublicationPage(t *testing.T) {
	eachStore(t, testSeedPublicationPage)
}

func testSeedPublicationPage(t *testing.T, st Store) {
	h := newHandler(t, st)
	doc := getPage(t, h, "/publications/"+seedSlug, 200)

	if got := textOf(queryOne(t, doc, "main h1")); got != "North Korea in Japan’s Strategic Thinking" {
		t.Errorf("title %q", got)
	}
	byline := queryAll(t, doc, "ul.byline li")
	if len(byline) != 1 {
		t.Fatalf("byline has %d contributors, want 1", len(byline))
	}
	link := queryOne(t, byline[0], "a.name")
	if href, _ := attr(link, "href"); href != "/experts/sheila-a-smith" || textOf(link) != "Sheila A. Smith" {
		t.Errorf("contributor link %q → %q", textOf(link), href)
	}
	if got := textOf(queryOne(t, byline[0], ".role-line")); got != "Senior Fellow for Japan Studies" {
		t.Errorf("role line %q", got)
	}
	if got := textOf(queryOne(t, doc, ".pub-date")); got != "September–October 2013" {
		t.Errorf("date %q", got)
	}
	if got := textOf(queryOne(t, doc, ".venue")); got != "ASAN Forum, Vol. 1, No. 2" {
		t.Errorf("venue line %q", got)
	}
	summary := queryOne(t, doc, "section.summary")
	if got := textOf(summary); !strings.Contains(got, "moved from a distant worry") {
		t.Errorf("summary %q", got)
	}
	if len(queryAll(t, summary, "strong")) != 1 {
		t.Error("summary Markdown emphasis was not rendered")
	}
	fullLink := queryOne(t, doc, ".full-text a")
	fullHref, _ := attr(fullLink, "href")
	if textOf(fullLink) != "View full text of article" || fullHref != "http://www.theasanforum.org/north-korea-in-japans-strategic-thinking/" {
		t.Errorf("full text link %q", fullHref)
	}

	// Cite: a link to #cite that works without script, the dialog with
	// the three styles, each entry as citeproc-js renders it.
	if href, _ := attr(queryOne(t, doc, "a[data-cite-open]"), "href"); href != "#cite" {
		t.Errorf("Cite link goes to %q, want #cite", href)
	}
	dialog := queryOne(t, doc, "dialog#cite")
	var labels []string
	for _, l := range queryAll(t, dialog, "fieldset.cite-styles label") {
		labels = append(labels, textOf(l))
	}
	if strings.Join(labels, " · ") != "MLA · APA · Chicago" {
		t.Errorf("style choices %q", labels)
	}
	if _, ok := attr(queryOne(t, dialog, `input[value="mla"]`), "checked"); !ok {
		t.Error("MLA is not selected by default")
	}
	for _, s := range citeStyles {
		entry := queryOne(t, dialog, `.cite-output[data-style="`+s.key+`"] .csl-entry`)
		if got, want := textOf(entry), readGolden(t, "cite-"+s.key+".txt"); got != want {
			t.Errorf("%s citation text:\n got %q\nwant %q", s.key, got, want)
		}
		if got, want := innerHTML(t, entry), readGolden(t, "cite-"+s.key+".html"); got != want {
			t.Errorf("%s citation HTML:\n got %q\nwant %q", s.key, got, want)
		}
	}
	queryOne(t, dialog, "[data-cite-copy]")
	queryOne(t, dialog, "[data-cite-close]")

	footer := queryOne(t, doc, "footer.print-footer")
	if got := textOf(footer); !strings.Contains(got, readGolden(t, "cite-chicago.txt")) ||
		!strings.Contains(got, "/publications/"+seedSlug) {
		t.Errorf("print footer lacks the citation or the URL: %q", got)
	}

	// More on This Topic: the two hand-picked items first, then ranked ones.
	cards := queryAll(t, doc, "aside.related .card-list li")
	if len(cards) < 3 {
		t.Fatalf("More on This Topic lists %d publications, want at least 3", len(cards))
	}
	wantFirst := []struct{ typ, title, by string }{
		{"Podcast", "U.S.-Japan Relations", "James M. Lindsay, Robert McMahon and Sheila A. Smith"},
		{"Book", "Intimate Rivals: Japanese Domestic Politics and a Rising China", "Sheila A. Smith"},
	}
	for i, w := range wantFirst {
		c := cards[i]
		if got := textOf(queryOne(t, c, ".type-label")); !strings.HasPrefix(got, w.typ) {
			t.Errorf("related %d type %q, want %q", i, got, w.typ)
		}
		if got := textOf(queryOne(t, c, "h3")); got != w.title {
			t.Errorf("related %d title %q, want %q", i, got, w.title)
		}
		if got := textOf(queryOne(t, c, ".contributors")); got != w.by {
			t.Errorf("related %d contributors %q, want %q", i, got, w.by)
		}
	}
	for i, c := range cards {
		if textOf(queryOne(t, c, ".blurb")) == "" {
			t.Errorf("related %d has no blurb", i)
		}
		if href, _ := attr(queryOne(t, c, "h3 a"), "href"); href == "/publications/"+seedSlug {
			t.Error("the publication lists itself as related")
		}
	}
}

func TestPublicationJSON(t *testing.T) {
	h := newHandler(t, newSQLiteDemo(t))
	r := get(t, h, "/publications/"+seedSlug+".json")
	if r.status != 200 || r.header.Get("Content-Type") != "application/vnd.citationstyles.csl+json; charset=utf-8" {
		t.Fatalf("status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
	}
	var got, want map[string]any
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(readGolden(t, "seed.csl.json")), &want); err != nil {
		t.Fatal(err)
	}
	if got["id"] == nil || got["id"] == "" {
		t.Error("item has no id")
	}
	delete(got, "id")
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("CSL-JSON\n got %s\nwant %s", gb, wb)
	}
}

func TestCite(t *testing.T) {
	h := newHandler(t, newSQLiteDemo(t))
	base := "/publications/" + seedSlug + "/cite"
	for _, s := range citeStyles {
		t.Run(s.key, func(t *testing.T) {
			r := get(t, h, base+"?style="+s.styleID+"&format=text")
			if r.status != 200 || r.header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Fatalf("text: status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
			}
			if got, want := strings.TrimSuffix(r.body, "\n"), readGolden(t, "cite-"+s.key+".txt"); got != want {
				t.Errorf("text:\n got %q\nwant %q", got, want)
			}
			r = get(t, h, base+"?style="+s.styleID+"&format=html")
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("html: status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
			}
			if got, want := strings.TrimSuffix(r.body, "\n"), readGolden(t, "cite-"+s.key+".html"); got != want {
				t.Errorf("html:\n got %q\nwant %q", got, want)
			}
			doc := getPage(t, h, base+"?style="+s.styleID, 200)
			if got, want := textOf(queryOne(t, doc, "main .csl-entry")), readGolden(t, "cite-"+s.key+".txt"); got != want {
				t.Errorf("page:\n got %q\nwant %q", got, want)
			}
		})
	}

	t.Run("another bundled style", func(t *testing.T) {
		r := get(t, h, base+"?style=harvard-cite-them-right&format=text")
		if r.status != 200 || !strings.Contains(r.body, "Smith") || !strings.Contains(r.body, "2013") {
			t.Errorf("status %d, body %q", r.status, r.body)
		}
	})

	t.Run("unknown style", func(t *testing.T) {
		doc := getPage(t, h, base+"?style=apa-7th&format=text", 400)
		var ids []string
		for _, c := range queryAll(t, doc, ".suggestions li code") {
			ids = append(ids, textOf(c))
		}
		if len(ids) == 0 || !contains(ids, "apa") {
			t.Errorf("suggestions %q do not offer apa", ids)
		}
	})

	t.Run("unknown format", func(t *testing.T) {
		getPage(t, h, base+"?style=apa&format=pdf", 400)
	})

	t.Run("unknown publication", func(t *testing.T) {
		getPage(t, h, "/publications/no-such-thing/cite?style=apa", 404)
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestNotFound(t *testing.T) {
	st := newMemDemo(t)
	// A draft is not public: its page must not exist for readers.
	draft := &model.Publication{Slug: "draft-report", Type: model.TypeReport, Title: "Unfinished", Status: model.StatusDraft}
	if err := st.CreatePublication(t.Context(), draft); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, st)
	for _, target := range []string{
		"/publications/no-such-thing",
		"/publications/no-such-thing.json",
		"/publications/draft-report",
		"/publications/draft-report.json",
		"/publications/" + seedSlug + "/full", // its full text is elsewhere
		"/experts/no-one",
		"/topics/nothing",
		"/regions/nowhere",
		"/no/such/page",
		"/experts/sheila-a-smith?page=99",
	} {
		t.Run(target, func(t *testing.T) {
			doc := getPage(t, h, target, 404)
			if got := textOf(queryOne(t, doc, "main h1")); got != "Page not found" {
				t.Errorf("heading %q", got)
			}
		})
	}
}

func TestHostedFullText(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	doc := getPage(t, h, "/publications/japans-new-defense-guidelines", 200)
	href, _ := attr(queryOne(t, doc, ".full-text a"), "href")
	if href != "/publications/japans-new-defense-guidelines/full" {
		t.Fatalf("full text link %q, want the hosted text", href)
	}
	doc = getPage(t, h, href, 200)
	if got := textOf(queryOne(t, doc, "main")); !strings.Contains(got, "The shift to the southwest") {
		t.Errorf("full text page lacks its text: %q", got)
	}
	if len(queryAll(t, doc, "main ol li")) != 3 {
		t.Error("full text Markdown list was not rendered")
	}
}

func TestMalformedStoredDate(t *testing.T) {
	st := newMemDemo(t)
	bad := []model.Date{
		{Raw: "Sprong 20l3"},
		{Start: model.DatePart{Year: 2013, Month: 14, Day: 40}},
		{Start: model.DatePart{Year: -5, Season: 9}, End: model.DatePart{Month: 3}},
		{End: model.DatePart{Year: 2013}, Circa: true},
	}
	for i, d := range bad {
		p := &model.Publication{
			Slug: "odd-date-" + string(rune('a'+i)), Type: model.TypeReport, Title: "Odd date", Issued: d,
			Status:        model.StatusPublished,
			Contributions: []model.Contribution{{Person: model.Person{Slug: "sheila-a-smith"}, Role: model.RoleAuthor}},
		}
		if err := st.CreatePublication(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	h := newHandler(t, st)
	for i := range bad {
		slug := "odd-date-" + string(rune('a'+i))
		doc := getPage(t, h, "/publications/"+slug, 200)
		if got := textOf(queryOne(t, doc, "main h1")); got != "Odd date" {
			t.Errorf("%s: title %q", slug, got)
		}
		if r := get(t, h, "/publications/"+slug+"/cite?style=apa&format=text"); r.status != 200 && r.status != 500 {
			t.Errorf("%s: cite status %d", slug, r.status)
		}
	}
	for slug, want := range map[string]string{"odd-date-a": "Sprong 20l3", "odd-date-b": "2013-14-40"} {
		if got := textOf(queryOne(t, getPage(t, h, "/publications/"+slug, 200), ".pub-date")); got != want {
			t.Errorf("%s: date shown as %q, want %q", slug, got, want)
		}
	}
	// Lists holding them still render.
	getPage(t, h, "/experts/sheila-a-smith", 200)
	getPage(t, h, "/", 200)
}

func TestUntrustedTextIsEscaped(t *testing.T) {
	st := newMemDemo(t)
	p := &model.Publication{
		Slug: "hostile", Type: model.TypeReport, Status: model.StatusPublished,
		Title:         `<script>alert("title")</script>`,
		Summary:       "Text <img src=x onerror=alert(1)> and [a link](javascript:alert(2)).\n\n<script>alert(3)</script>",
		Contributions: []model.Contribution{{Person: model.Person{Slug: "mira-kwon"}, Role: model.RoleAuthor}},
	}
	if err := st.CreatePublication(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, st)
	for _, target := range []string{"/publications/hostile", "/experts/mira-kwon", "/", "/publications/hostile/cite?style=apa"} {
		r := get(t, h, target)
		if r.status != 200 {
			t.Fatalf("GET %s: status %d", target, r.status)
		}
		for _, bad := range []string{"<script>alert", "onerror=", "javascript:"} {
			if strings.Contains(r.body, bad) {
				t.Errorf("GET %s: page carries %q", target, bad)
			}
		}
	}
	r := get(t, h, "/publications/hostile/cite?style=apa&format=html")
	if strings.Contains(r.body, "<script") {
		t.Errorf("HTML citation carries a script: %q", r.body)
	}
}

func TestStoreFailureIs500(t *testing.T) {
	st := newMemDemo(t)
	st.fail = errors.New("disk on fire")
	h := newHandler(t, st)
	for _, target := range []string{"/", "/publications/" + seedSlug, "/experts/sheila-a-smith", "/topics/security"} {
		r := get(t, h, target)
		if r.status != 500 {
			t.Errorf("GET %s: status %d, want 500", target, r.status)
		}
		if strings.Contains(r.body, "disk on fire") {
			t.Errorf("GET %s: the error's text leaked into the page", target)
		}
	}
}

// TestMalformedDateInDatabase corrupts the stored date behind the store's
// back, as a hand edit or an old import might, and checks that the pages
// that show it still render.
func TestMalformedDateInDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imprint.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.OpenDB(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for slug, issued := range map[string]string{
		seedSlug:          "2013-13-45/then",
		"intimate-rivals": "sometime in the 2010s",
	} {
		if _, err := db.ExecContext(t.Context(), `UPDATE publications SET issued = ? WHERE slug = ?`, issued, slug); err != nil {
			t.Fatal(err)
		}
	}
	h := newHandler(t, st)
	doc := getPage(t, h, "/publications/"+seedSlug, 200)
	if got := textOf(queryOne(t, doc, ".pub-date")); got != "2013-13-45/then" {
		t.Errorf("corrupt date shown as %q, want the stored text", got)
	}
	for _, target := range []string{"/publications/intimate-rivals", "/experts/sheila-a-smith", "/", "/topics/security"} {
		getPage(t, h, target, 200)
	}
	if r := get(t, h, "/publications/"+seedSlug+"/cite?style=apa&format=text"); r.status != 200 || !strings.Contains(r.body, "Smith") {
		t.Errorf("citation with a corrupt date: status %d, %q", r.status, r.body)
	}
}

func TestTrashedPublicationIsGone(t *testing.T) {
	st := newMemDemo(t)
	ctx := t.Context()
	trashed := &model.Publication{Slug: "withdrawn-report", Type: model.TypeReport, Title: "Withdrawn",
		Status: model.StatusPublished, DeletedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	scheduled := &model.Publication{Slug: "next-week", Type: model.TypeReport, Title: "Not yet",
		Status: model.StatusScheduled, PublishAt: time.Now().Add(7 * 24 * time.Hour)}
	for _, p := range []*model.Publication{trashed, scheduled} {
		if err := st.CreatePublication(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	h := newHandler(t, st)
	for _, tt := range []struct {
		target, heading string
		status          int
	}{
		{"/publications/withdrawn-report", "Publication removed", 410},
		{"/publications/withdrawn-report.json", "Publication removed", 410},
		{"/publications/withdrawn-report/cite", "Publication removed", 410},
		{"/publications/next-week", "Page not found", 404},
	} {
		t.Run(tt.target, func(t *testing.T) {
			doc := getPage(t, h, tt.target, tt.status)
			if got := textOf(queryOne(t, doc, "main h1")); got != tt.heading {
				t.Errorf("heading %q, want %q", got, tt.heading)
			}
		})
	}
}
