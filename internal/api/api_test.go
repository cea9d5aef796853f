package api

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/store"
)

// readPaths are reads of every endpoint that answers 200.
var readPaths = []string{
	"/api/v1/openapi.json",
	"/api/v1/publications",
	"/api/v1/publications?topic=security&limit=3",
	"/api/v1/publications/" + demo.SeedSlug,
	"/api/v1/experts",
	"/api/v1/experts/sheila-a-smith",
	"/api/v1/topics",
	"/api/v1/regions",
	"/api/v1/search?q=japan",
}

func TestCachingHeaders(t *testing.T) {
	f := newFixture(t, "sqlite")
	for _, path := range readPaths {
		rec := f.get(path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d", path, rec.Code)
			continue
		}
		h := rec.Header()
		etag := h.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
			t.Errorf("GET %s: ETag %q, want a strong quoted tag", path, etag)
		}
		cc := h.Get("Cache-Control")
		for _, want := range []string{"public", "max-age=60", "stale-while-revalidate=300"} {
			if !strings.Contains(cc, want) {
				t.Errorf("GET %s: Cache-Control %q lacks %s", path, cc, want)
			}
		}
		if got := h.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("GET %s: Access-Control-Allow-Origin %q", path, got)
		}
		if head := f.do(http.MethodHead, path); head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("ETag") != etag {
			t.Errorf("HEAD %s: %d with %d bytes, ETag %s", path, head.Code, head.Body.Len(), head.Header().Get("ETag"))
		}
		if again := f.get(path).Header().Get("ETag"); again != etag {
			t.Errorf("GET %s: ETag %s then %s for the same content", path, etag, again)
		}

		tests := []struct {
			ifNoneMatch string
			want        int
		}{
			{etag, http.StatusNotModified},
			{"W/" + etag, http.StatusNotModified},
			{`"other", ` + etag, http.StatusNotModified},
			{"*", http.StatusNotModified},
			{`"other"`, http.StatusOK},
		}
		for _, tc := range tests {
			rec := f.get(path, "If-None-Match", tc.ifNoneMatch)
			if rec.Code != tc.want {
				t.Errorf("GET %s If-None-Match %s: status %d, want %d", path, tc.ifNoneMatch, rec.Code, tc.want)
			}
			if tc.want == http.StatusNotModified {
				if rec.Body.Len() != 0 {
					t.Errorf("GET %s If-None-Match %s: 304 with a body", path, tc.ifNoneMatch)
				}
				if rec.Header().Get("ETag") != etag || rec.Header().Get("Cache-Control") != cc {
					t.Errorf("GET %s If-None-Match %s: 304 without the validators", path, tc.ifNoneMatch)
				}
			}
		}
	}
}

// TestETagChangesWithRecord checks that an edit reaches clients that
// revalidate: the old ETag no longer matches.
func TestETagChangesWithRecord(t *testing.T) {
	f := newFixture(t, "sqlite")
	paths := []string{"/api/v1/publications/" + demo.SeedSlug, "/api/v1/publications?limit=100", "/api/v1/experts/sheila-a-smith"}
	before := map[string]string{}
	for _, p := range paths {
		before[p] = f.get(p).Header().Get("ETag")
	}
	ctx := context.Background()
	p, err := f.store.PublicationBySlug(ctx, demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	p.Title += " Revisited"
	if err := f.store.UpdatePublication(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		rec := f.get(path, "If-None-Match", before[path])
		if rec.Code != http.StatusOK || rec.Header().Get("ETag") == before[path] {
			t.Errorf("GET %s after an edit: status %d, ETag %s unchanged", path, rec.Code, before[path])
		}
	}
	if !strings.Contains(f.get(paths[0]).Body.String(), "Revisited") {
		t.Errorf("the record does not show the edit")
	}
}

func TestErrors(t *testing.T) {
	f := newFixture(t, "sqlite")
	tests := []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/api/v1/nothing-here", http.StatusNotFound, "not_found"},
		{"GET", "/api/v1/publications/no-such-thing", http.StatusNotFound, "not_found"},
		{"GET", "/api/v1/experts/no-such-person", http.StatusNotFound, "not_found"},
		{"GET", "/api/v1/topics?depth=2", http.StatusBadRequest, "bad_parameter"},
		{"GET", "/api/v1/publications/" + demo.SeedSlug + "?fields=title", http.StatusBadRequest, "bad_parameter"},
		{"GET", "/api/v1/experts?cursor=17", http.StatusBadRequest, "bad_parameter"},
		{"GET", "/api/v1/experts?limit=500", http.StatusBadRequest, "bad_parameter"},
		{"GET", "/api/v1/search?q=japan&page=0", http.StatusBadRequest, "bad_parameter"},
		{"GET", "/api/v1/search?q=japan&topic=no-such-topic", http.StatusBadRequest, "bad_parameter"},
		{"GET", "/api/v1/search?query=japan", http.StatusBadRequest, "bad_parameter"},
		{"POST", "/api/v1/publications", http.StatusMethodNotAllowed, "method_not_allowed"},
		{"DELETE", "/api/v1/publications/" + demo.SeedSlug, http.StatusMethodNotAllowed, "method_not_allowed"},
	}
	for _, tc := range tests {
		rec := f.do(tc.method, tc.path)
		var e apiError
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
			t.Errorf("%s %s: body is not JSON: %v: %s", tc.method, tc.path, err, rec.Body)
			continue
		}
		if rec.Code != tc.status || e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s %s: %d %+v, want %d %s", tc.method, tc.path, rec.Code, e.Error, tc.status, tc.code)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s %s: error with Cache-Control %q", tc.method, tc.path, cc)
		}
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s %s: error unreadable across origins", tc.method, tc.path)
		}
	}
}

func TestExperts(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			people, err := f.store.ListPeople(context.Background(), store.PeopleQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, p := range people {
				want = append(want, p.Slug)
			}
			for _, limit := range []string{"1", "3", "100"} {
				var got []string
				path := "/api/v1/experts?limit=" + limit
				for path != "" {
					var page struct {
						Data  []expertView
						Links struct{ Next string }
					}
					f.getJSON(path, &page)
					for _, e := range page.Data {
						got = append(got, e.Slug)
					}
					path = strings.TrimPrefix(page.Links.Next, baseURL)
					if len(got) > 2*len(want) {
						t.Fatalf("limit %s: the walk does not end", limit)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("limit %s:\n got %v\nwant %v", limit, got, want)
				}
			}

			var e struct {
				Slug, Name, Family string
				RoleLine           string `json:"role_line"`
				Publications       []struct {
					Slug         string
					Contributors []struct{ Slug string }
				}
			}
			f.getJSON("/api/v1/experts/sheila-a-smith", &e)
			if e.Slug != "sheila-a-smith" || e.Name != "Sheila A. Smith" || e.Family != "Smith" || e.RoleLine == "" {
				t.Errorf("expert: %+v", e)
			}
			if len(e.Publications) == 0 || len(e.Publications) > expertPublications {
				t.Errorf("%d publications listed", len(e.Publications))
			}
			for _, p := range e.Publications {
				if p.Slug == draftSlug {
					t.Errorf("the expert's record lists the draft")
				}
				if !slices.ContainsFunc(p.Contributors, func(c struct{ Slug string }) bool { return c.Slug == "sheila-a-smith" }) {
					t.Errorf("%s listed without the expert among its contributors", p.Slug)
				}
			}
		})
	}
}

func TestTaxonomyTrees(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			ctx := context.Background()
			topics, err := f.store.ListTopics(ctx)
			if err != nil {
				t.Fatal(err)
			}
			regions, err := f.store.ListRegions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// want maps each slug to its parent's slug, "" at the top.
			parents := func(ids map[int64]string, parentOf map[string]int64) map[string]string {
				m := map[string]string{}
				for slug, pid := range parentOf {
					m[slug] = ids[pid]
				}
				return m
			}
			topicIDs, topicParent := map[int64]string{}, map[string]int64{}
			for _, tp := range topics {
				topicIDs[tp.ID], topicParent[tp.Slug] = tp.Slug, tp.ParentID
			}
			regionIDs, regionParent := map[int64]string{}, map[string]int64{}
			for _, g := range regions {
				regionIDs[g.ID], regionParent[g.Slug] = g.Slug, g.ParentID
			}
			for path, want := range map[string]map[string]string{
				"/api/v1/topics":  parents(topicIDs, topicParent),
				"/api/v1/regions": parents(regionIDs, regionParent),
			} {
				var tree termTree
				f.getJSON(path, &tree)
				got := map[string]string{}
				var visit func(parent string, nodes []*termNode)
				visit = func(parent string, nodes []*termNode) {
					for _, n := range nodes {
						if _, dup := got[n.Slug]; dup {
							t.Errorf("%s: %s twice", path, n.Slug)
						}
						got[n.Slug] = parent
						if n.Name == "" || !strings.HasPrefix(n.Links.HTML, baseURL+"/") {
							t.Errorf("%s: node %+v", path, n.termView)
						}
						visit(n.Slug, n.Children)
					}
				}
				visit("", tree.Data)
				if len(want) < 5 || !maps.Equal(got, want) {
					t.Errorf("%s: tree (child → parent)\n got %v\nwant %v", path, got, want)
				}
			}
		})
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	f := newFixture(t, "sqlite")
	for _, base := range []string{"example.org", "ftp://example.org", "https://"} {
		if _, err := New(f.store, Config{BaseURL: base}); err == nil {
			t.Errorf("BaseURL %q accepted", base)
		}
	}
	if _, err := New(nil, Config{}); err == nil {
		t.Error("a nil store accepted")
	}
}
