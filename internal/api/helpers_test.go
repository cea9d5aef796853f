package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// backends are the stores every API test runs on; PostgreSQL follows
// pgtest's rules (required under CI).
var backends = []string{"sqlite", "postgres"}

// draftSlug is a publication the tests add as a draft: the API must never
// show it.
const draftSlug = "unreleased-draft-on-alliances"

const baseURL = "https://think.example.org"

// fixture is an API over a store holding the demo content and one draft.
type fixture struct {
	t     *testing.T
	store *sqlstore.Store
	srv   *server
	h     http.Handler
}

func newFixture(t *testing.T, backend string) *fixture {
	t.Helper()
	ctx := context.Background()
	var st *sqlstore.Store
	var err error
	if backend == "postgres" {
		st, err = postgres.Open(ctx, pgtest.SchemaURL(t))
	} else {
		st, err = sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	draft := &model.Publication{
		Slug: draftSlug, Type: model.TypeReport, Title: "An Unreleased Draft",
		Status:        model.StatusDraft,
		Issued:        model.Date{Start: model.DatePart{Year: 2022, Month: 5}},
		Contributions: []model.Contribution{{Person: model.Person{Slug: "sheila-a-smith"}, Role: "author"}},
		Topics:        []model.Topic{{Slug: "alliances"}},
	}
	if err := st.CreatePublication(ctx, draft); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(st.DB(), backend)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(st, Config{BaseURL: baseURL, Search: idx})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, store: st, srv: srv, h: srv.mux()}
}

// get requests path with the given header pairs.
func (f *fixture) get(path string, header ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(http.MethodGet, path, header...)
}

func (f *fixture) do(method, path string, header ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

// getJSON requests path, requires status 200 and decodes the body into v.
func (f *fixture) getJSON(path string, v any) {
	f.t.Helper()
	rec := f.get(path)
	if rec.Code != http.StatusOK {
		f.t.Fatalf("GET %s: status %d, body %s", path, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		f.t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		f.t.Fatalf("GET %s: %v in %s", path, err, rec.Body)
	}
}

// published returns every published publication, read without the store's
// status filter so that the test does not trust what it checks.
func (f *fixture) published() []model.Publication {
	f.t.Helper()
	var out []model.Publication
	q := store.PublicationQuery{Limit: store.MaxLimit}
	for {
		page, err := f.store.ListPublications(context.Background(), q)
		if err != nil {
			f.t.Fatal(err)
		}
		for _, p := range page.Items {
			if p.Status == model.StatusPublished {
				out = append(out, p)
			}
		}
		if page.NextCursor == "" {
			return out
		}
		q.Cursor = page.NextCursor
	}
}

// apiError is the error body every failure carries.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// listPage is the part of a list response the tests read.
type listPage struct {
	Data []struct {
		Slug         string `json:"slug"`
		Type         string `json:"type"`
		Contributors []struct {
			Slug string `json:"slug"`
		} `json:"contributors"`
	} `json:"data"`
	Total      *int   `json:"total"`
	NextCursor string `json:"next_cursor"`
	Links      struct {
		Self string `json:"self"`
		Next string `json:"next"`
	} `json:"links"`
}

// walk follows next links from path and returns the slugs in order, with
// the number of pages.
func (f *fixture) walk(path string) ([]string, int) {
	f.t.Helper()
	var slugs []string
	pages := 0
	for path != "" {
		var p listPage
		f.getJSON(path, &p)
		pages++
		if pages > 1000 {
			f.t.Fatalf("more than 1000 pages from %s", path)
		}
		for _, d := range p.Data {
			slugs = append(slugs, d.Slug)
		}
		if (p.NextCursor == "") != (p.Links.Next == "") {
			f.t.Errorf("next_cursor %q but links.next %q", p.NextCursor, p.Links.Next)
		}
		path = strings.TrimPrefix(p.Links.Next, baseURL)
	}
	return slugs, pages
}
