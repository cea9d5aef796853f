package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/bib/bibtex"
	"github.com/imprintpub/imprint/bib/csljson"
	"github.com/imprintpub/imprint/bib/ris"
	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/internal/model"
)

func getAccept(t *testing.T, h http.Handler, target, accept string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

// parseRecord reads a downloaded record back with the project's reader of
// its format.
func parseRecord(t *testing.T, mediaType, body string) []csl.Item {
	t.Helper()
	ctx := context.Background()
	var items []csl.Item
	var err error
	switch mediaType {
	case bibtexType:
		items, err = bibtex.Parse(ctx, strings.NewReader(body), nil)
	case risType:
		items, err = ris.Parse(ctx, strings.NewReader(body), nil)
	case cslJSONType:
		// A download is one item; /unapi writes an array of one.
		if !strings.HasPrefix(strings.TrimSpace(body), "[") {
			body = "[" + body + "]"
		}
		items, err = csljson.Parse(ctx, strings.NewReader(body), nil)
	default:
		t.Fatalf("no reader for %q", mediaType)
	}
	if err != nil {
		t.Fatalf("%s record does not read back: %v\n%s", mediaType, err, body)
	}
	return items
}

func TestPublicationDownloads(t *testing.T) {
	st := newMemDemo(t)
	h := newHandler(t, st)
	p, err := st.PublicationBySlug(context.Background(), seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	want := p.CSL()
	tests := []struct {
		ext, mediaType, disposition string
	}{
		{".bib", bibtexType, "attachment"},
		{".ris", risType, "attachment"},
		{".json", cslJSONType, "inline"},
	}
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			r := get(t, h, "/publications/"+seedSlug+tt.ext)
			if r.status != 200 {
				t.Fatalf("status %d", r.status)
			}
			if ct := r.header.Get("Content-Type"); ct != tt.mediaType+"; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			wantCD := tt.disposition + "; filename=" + seedSlug + tt.ext
			if cd := r.header.Get("Content-Disposition"); cd != wantCD {
				t.Errorf("Content-Disposition %q, want %q", cd, wantCD)
			}
			items := parseRecord(t, tt.mediaType, r.body)
			if len(items) != 1 {
				t.Fatalf("%d records, want 1", len(items))
			}
			got := items[0]
			for _, v := range []string{"title", "container-title", "volume", "issue", "URL"} {
				// BibTeX braces capitals so that readers keep their case;
				// they come back as nocase spans around the same text.
				if withoutNocase(got.Vars[v]) != want.Vars[v] {
					t.Errorf("%s %q, want %q", v, got.Vars[v], want.Vars[v])
				}
			}
			if a := got.Names["author"]; len(a) != 1 || a[0].Family != "Smith" || a[0].Given != "Sheila A." {
				t.Errorf("authors %+v", a)
			}
			if y := got.Dates["issued"]; len(y.Parts) == 0 || y.Parts[0][0] != 2013 {
				t.Errorf("issued %+v", y)
			}
		})
	}
}

func TestPublicationDownloadsNotFound(t *testing.T) {
	st := newMemDemo(t)
	draft := &model.Publication{Slug: "draft-report", Type: model.TypeReport, Title: "Unfinished", Status: model.StatusDraft}
	if err := st.CreatePublication(t.Context(), draft); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, st)
	for _, target := range []string{"/publications/no-such-thing.bib", "/publications/draft-report.ris", "/publications/draft-report.bib"} {
		if r := get(t, h, target); r.status != 404 {
			t.Errorf("GET %s: status %d, want 404", target, r.status)
		}
	}
	if r := getAccept(t, h, "/publications/draft-report", bibtexType); r.status != 404 || strings.Contains(r.body, "Unfinished") {
		t.Errorf("a draft's record by Accept: status %d", r.status)
	}
}

func TestPublicationNegotiation(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	tests := []struct {
		accept string
		want   string // media type of the answer
	}{
		{"", "text/html"},
		{browser, "text/html"},
		{"*/*", "text/html"},
		{"application/*", "text/html"},
		{bibtexType, bibtexType},
		{risType, risType},
		{cslJSONType, cslJSONType},
		{"text/html;q=0.5, " + bibtexType, bibtexType},
		{bibtexType + ";q=0.5, text/html", "text/html"},
		{bibtexType + ", text/html", "text/html"}, // a tie goes to the page
		{bibtexType + ";q=0.3, " + risType + ";q=0.8", risType},
		{bibtexType + ";q=0", "text/html"},
		{"text/html;q=0, " + cslJSONType + ";q=0.1", cslJSONType},
		{"text/*;q=0.2, " + risType + ";q=0.4", risType},
		{"text/html;level=1;q=0.2, " + risType + " ; q=0.4", risType},
		{"application/x-bibtex;q=bogus", "text/html"},
		{"garbage", "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			r := getAccept(t, h, "/publications/"+seedSlug, tt.accept)
			if r.status != 200 {
				t.Fatalf("status %d", r.status)
			}
			if ct := r.header.Get("Content-Type"); ct != tt.want+"; charset=utf-8" {
				t.Errorf("Content-Type %q, want %s", ct, tt.want)
			}
			if !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Accept") {
				t.Errorf("Vary %q does not name Accept", r.header.Values("Vary"))
			}
			if tt.want != "text/html" {
				if items := parseRecord(t, tt.want, r.body); len(items) != 1 {
					t.Errorf("%d records", len(items))
				}
			}
		})
	}
}

func TestPublicationPageLinksDownloads(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	doc := getPage(t, h, "/publications/"+seedSlug, 200)
	for _, tt := range []struct{ ext, mediaType, label string }{
		{".bib", bibtexType, "BibTeX"}, {".ris", risType, "RIS"}, {".json", cslJSONType, "CSL-JSON"},
	} {
		href := "/publications/" + seedSlug + tt.ext
		links := queryAll(t, doc, `.downloads a[href="`+href+`"]`)
		if len(links) != 1 {
			t.Errorf("%d download links to %s, want 1", len(links), href)
			continue
		}
		if typ, _ := attr(links[0], "type"); typ != tt.mediaType || textOf(links[0]) != tt.label {
			t.Errorf("link to %s: type %q, text %q", href, typ, textOf(links[0]))
		}
		if r := get(t, h, href); r.status != 200 {
			t.Errorf("GET %s: %d", href, r.status)
		}
	}
}

// TestPublicationDownloadsMatchUnAPI: a download is the record /unapi
// serves, the page's address standing in for a missing URL.
func TestPublicationDownloadsMatchUnAPI(t *testing.T) {
	st := newMemDemo(t)
	p := &model.Publication{Slug: "no-url-report", Type: model.TypeReport, Title: "A Report Hosted Nowhere Else",
		Status: model.StatusPublished}
	if err := st.CreatePublication(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, st)
	for _, tt := range []struct{ ext, unapi, mediaType string }{
		{".bib", "bibtex", bibtexType}, {".ris", "ris", risType}, {".json", "csljson", cslJSONType},
	} {
		dl := get(t, h, "/publications/"+p.Slug+tt.ext)
		items := parseRecord(t, tt.mediaType, dl.body)
		if len(items) != 1 || !strings.HasSuffix(items[0].Vars["URL"], "/publications/"+p.Slug) {
			t.Errorf("%s: URL of the record: %+v", tt.ext, items)
		}
		u := get(t, h, "/unapi?id="+p.Slug+"&format="+tt.unapi)
		want := parseRecord(t, tt.mediaType, u.body)
		if len(want) != 1 || want[0].Vars["URL"] != items[0].Vars["URL"] || want[0].Vars["title"] != items[0].Vars["title"] {
			t.Errorf("%s: download %+v, unAPI %+v", tt.ext, items, want)
		}
	}
}

// withoutNocase removes the nocase spans a BibTeX reader makes of protected
// words, leaving the text they hold.
func withoutNocase(s string) string {
	return strings.NewReplacer(`<span class="nocase">`, "", "</span>", "").Replace(s)
}
