package admin

import (
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

// formValues is what a browser sends for f: the inverse of parsePubForm.
func formValues(f *pubForm) url.Values {
	v := url.Values{}
	set := func(k, s string) { v.Set(k, s) }
	set("slug", f.Slug)
	set("type", f.Type)
	set("title", f.Title)
	set("subtitle", f.Subtitle)
	set("issued", f.Issued)
	set("container_title", f.Venue.ContainerTitle)
	set("volume", f.Venue.Volume)
	set("issue", f.Venue.Issue)
	set("number", f.Venue.Number)
	set("pages", f.Venue.Pages)
	set("publisher", f.Venue.Publisher)
	set("place", f.Venue.Place)
	set("issn", f.Venue.ISSN)
	set("isbn", f.Venue.ISBN)
	set("doi", f.DOI)
	set("url", f.URL)
	set("language", f.Language)
	set("related", f.Related)
	set("summary", f.Summary)
	set("full_text", f.FullText)
	set("full_text_pdf", f.FullTextPDF)
	set("publish_at", f.PublishAt)
	set("version", f.Version)
	for _, c := range f.Contributors {
		v.Add("c_person", c.Person)
		v.Add("c_role", c.Role)
		v.Add("c_given", c.Given)
		v.Add("c_family", c.Family)
		v.Add("c_literal", c.Literal)
	}
	for id := range f.Topics {
		v.Add("topic", strconv.FormatInt(id, 10))
	}
	for id := range f.Regions {
		v.Add("region", strconv.FormatInt(id, 10))
	}
	return v
}

// newContentServer is a server over an SQLite store holding the demo
// content, for the form code that reads people and topics.
func newContentServer(t *testing.T) *server {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	return &server{store: st, now: time.Now}
}

// TestFormRoundTrip shows every stored publication of the demo in the
// editor's form, reads the form back as a browser sends it, and expects
// the same record.
func TestFormRoundTrip(t *testing.T) {
	s := newContentServer(t)
	ctx := t.Context()
	page, err := s.store.ListPublications(ctx, store.PublicationQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) < 3 {
		t.Fatalf("demo has %d publications", len(page.Items))
	}
	for _, item := range page.Items {
		want, err := s.store.Publication(ctx, item.ID)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(want.Slug, func(t *testing.T) {
			f := parsePubForm(formValues(formFromPublication(want)))
			got := *want
			got.Title, got.Contributions, got.Topics, got.Regions, got.Related = "", nil, nil, nil, nil
			got.Venue, got.Issued, got.Summary, got.FullText = model.Venue{}, model.Date{}, "", ""
			b, errs, err := s.apply(ctx, f, &got)
			if err != nil {
				t.Fatal(err)
			}
			if len(errs) > 0 {
				t.Fatalf("form errors: %v", errs)
			}
			if len(b.NewPeople) > 0 {
				t.Errorf("round trip creates people: %v", b.NewPeople)
			}
			compare := func(name string, g, w any) {
				t.Helper()
				if !reflect.DeepEqual(g, w) {
					t.Errorf("%s:\n got %#v\nwant %#v", name, g, w)
				}
			}
			compare("slug", got.Slug, want.Slug)
			compare("type", got.Type, want.Type)
			compare("title", got.FullTitle(), want.FullTitle())
			compare("issued", got.Issued, want.Issued)
			compare("venue", got.Venue, want.Venue)
			compare("doi/url/lang", []string{got.DOI, got.URL, got.Language}, []string{want.DOI, want.URL, want.Language})
			compare("summary", got.Summary, strings.TrimRight(want.Summary, " \t\r\n"))
			compare("full text", got.FullText, strings.TrimRight(want.FullText, " \t\r\n"))
			compare("contributions", got.Contributions, want.Contributions)
			compare("topics", ids(got.Topics), ids(want.Topics))
			compare("regions", rids(got.Regions), rids(want.Regions))
			var gr, wr []string
			for _, r := range got.Related {
				gr = append(gr, r.Slug)
			}
			for _, r := range want.Related {
				wr = append(wr, r.Slug)
			}
			compare("related", gr, wr)
		})
	}
}

// ids lists the topics' IDs sorted: the form sends a set.
func ids(ts []model.Topic) []int64 {
	var out []int64
	for _, t := range ts {
		out = append(out, t.ID)
	}
	slices.Sort(out)
	return out
}

func rids(rs []model.Region) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.ID)
	}
	slices.Sort(out)
	return out
}

// TestParsePubForm checks the reading of fields a browser sends in forms
// the round trip does not produce.
func TestParsePubForm(t *testing.T) {
	v := url.Values{
		"title":     {"  A title  "},
		"doi":       {"https://doi.org/10.1234/ABC"},
		"c_person":  {"", "jane-doe", ""},
		"c_role":    {"author", "editor", "author"},
		"c_given":   {"", "", "Ann"},
		"c_family":  {"", "", "Lee"},
		"c_literal": {"", "", ""},
		"topic":     {"3", "x", "-1", "7"},
		"related":   {"\n https://example.org/publications/other-one/ \n\nthird\n"},
		"summary":   {"  indented code\n\n"},
	}
	f := parsePubForm(v)
	if f.Title != "A title" {
		t.Errorf("title %q", f.Title)
	}
	if f.DOI != "10.1234/ABC" {
		t.Errorf("DOI %q", f.DOI)
	}
	wantRows := []contribRow{{Person: "jane-doe", Role: "editor"}, {Role: "author", Given: "Ann", Family: "Lee"}}
	if !reflect.DeepEqual(f.Contributors, wantRows) {
		t.Errorf("rows %#v, want %#v (the blank first row dropped)", f.Contributors, wantRows)
	}
	if !reflect.DeepEqual(f.Topics, map[int64]bool{3: true, 7: true}) {
		t.Errorf("topics %v", f.Topics)
	}
	if got := relatedSlugs(f.Related); !reflect.DeepEqual(got, []string{"other-one", "third"}) {
		t.Errorf("related %q", got)
	}
	if f.Summary != "  indented code" {
		t.Errorf("summary %q: Markdown indentation must stay", f.Summary)
	}
}

func TestRowOps(t *testing.T) {
	rows := func(names ...string) []contribRow {
		var out []contribRow
		for _, n := range names {
			out = append(out, contribRow{Person: n})
		}
		return out
	}
	for _, tc := range []struct {
		op   string
		want []contribRow
	}{
		{"up:1", rows("b", "a", "c")},
		{"up:0", rows("a", "b", "c")},
		{"down:1", rows("a", "c", "b")},
		{"down:2", rows("a", "b", "c")},
		{"remove:0", rows("b", "c")},
		{"remove:9", rows("a", "b", "c")},
		{"add", append(rows("a", "b", "c"), contribRow{Role: "author"})},
	} {
		f := &pubForm{Contributors: rows("a", "b", "c")}
		if !f.rowOp(tc.op) {
			t.Errorf("%s: not an operation", tc.op)
		}
		if !reflect.DeepEqual(f.Contributors, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.op, f.Contributors, tc.want)
		}
	}
	if (&pubForm{}).rowOp("") {
		t.Error("an empty op is an operation")
	}
}

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "/admin/"},
		{"/admin/publications?q=x", "/admin/publications?q=x"},
		{"//evil.example/", "/admin/"},
		{"/\\evil.example/", "/admin/"},
		{"https://evil.example/admin/", "/admin/"},
		{"javascript:alert(1)", "/admin/"},
		{"/admin/\r\nSet-Cookie: x", "/admin/"},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDiffLines(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want string
	}{
		{"a\nb\nc", "a\nb\nc", "=a =b =c"},
		{"a\nb\nc", "a\nx\nc", "=a -b +x =c"},
		{"", "new", "+new"},
		{"old", "", "-old"},
		{"a\nb\nc\nd", "a\nc\nd\ne", "=a -b =c =d +e"},
	} {
		var parts []string
		for _, l := range diffLines(splitLines(tc.a), splitLines(tc.b)) {
			parts = append(parts, l.Op+l.Text)
		}
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("diff %q → %q: got %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestParsePublishAt(t *testing.T) {
	got, err := parsePublishAt("2026-03-01T09:30")
	if err != nil || !got.Equal(time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"", "tomorrow", "2026-13-01T09:30"} {
		if _, err := parsePublishAt(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSnapshotRoundTrip reads back what a revision keeps, including a raw
// date the model could not parse when it was imported.
func TestSnapshotRoundTrip(t *testing.T) {
	for _, issued := range []model.Date{mustDate(t, "2013-09/2013-10"), {Raw: "Michaelmas term, 1990s"}, {}} {
		p := &model.Publication{ID: 7, Slug: "s", Title: "T", Type: model.TypeReport, Issued: issued, Status: model.StatusDraft,
			Contributions: []model.Contribution{{Person: model.Person{ID: 3, Slug: "a-b", Family: "B"}, Role: model.RoleAuthor}}}
		b, err := snapshot(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fromSnapshot(&store.Revision{ID: 1, Snapshot: b})
		if err != nil {
			t.Fatalf("%q: %v", issued.String(), err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("%q:\n got %+v\nwant %+v", issued.String(), got, p)
		}
	}
	if _, err := fromSnapshot(&store.Revision{ID: 2, Snapshot: []byte(`{"Title": 3}`)}); err == nil {
		t.Error("a broken snapshot was read")
	}
}

func mustDate(t *testing.T, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
