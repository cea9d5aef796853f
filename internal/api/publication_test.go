package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
)

func TestPublicationListCursorWalk(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			want := map[string]model.Publication{}
			for _, p := range f.published() {
				want[p.Slug] = p
			}
			if len(want) < 30 {
				t.Fatalf("only %d published publications in the demo content", len(want))
			}
			for _, limit := range []int{1, 7, 35, 100} {
				slugs, pages := f.walk(fmt.Sprintf("/api/v1/publications?limit=%d", limit))
				if wantPages := (len(want) + limit - 1) / limit; pages != wantPages {
					t.Errorf("limit %d: %d pages, want %d", limit, pages, wantPages)
				}
				seen := map[string]bool{}
				prev := 1 << 62
				for _, s := range slugs {
					if seen[s] {
						t.Errorf("limit %d: %s listed twice", limit, s)
					}
					seen[s] = true
					p, ok := want[s]
					if !ok {
						t.Errorf("limit %d: %s listed but not published", limit, s)
						continue
					}
					if k := p.Issued.SortKey(); k > prev {
						t.Errorf("limit %d: %s (issued %s) after a later publication", limit, s, p.Issued)
					} else {
						prev = k
					}
				}
				if len(seen) != len(want) {
					t.Errorf("limit %d: %d publications listed, want %d", limit, len(seen), len(want))
				}
			}

			var first listPage
			f.getJSON("/api/v1/publications", &first)
			if first.Total == nil || *first.Total != len(want) {
				t.Errorf("total = %v, want %d", first.Total, len(want))
			}
			if len(first.Data) != DefaultLimit {
				t.Errorf("default page holds %d, want %d", len(first.Data), DefaultLimit)
			}
		})
	}
}

func TestPublicationListFilters(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			all := f.published()
			// Subtrees computed from the stored trees, not by the store's
			// filter under test.
			topics, err := f.store.ListTopics(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			security := map[string]bool{"security": true}
			for _, tp := range topics {
				for _, parent := range topics {
					if tp.ParentID == parent.ID && security[parent.Slug] {
						security[tp.Slug] = true
					}
				}
			}
			if len(security) < 2 {
				t.Fatalf("security has no subtopics in the demo content: %v", security)
			}
			hasTopic := func(p model.Publication, in map[string]bool) bool {
				return slices.ContainsFunc(p.Topics, func(t model.Topic) bool { return in[t.Slug] })
			}
			ym := func(p model.Publication) int { return p.Issued.Start.Year*100 + p.Issued.Start.Month }
			dated := func(p model.Publication) bool { return p.Issued.Raw == "" && p.Issued.Start.Year != 0 }
			tests := []struct {
				query string
				keep  func(model.Publication) bool
			}{
				{"type=report", func(p model.Publication) bool { return p.Type == model.TypeReport }},
				{"type=op-ed", func(p model.Publication) bool { return p.Type == model.TypeOpEd }},
				{"topic=security", func(p model.Publication) bool { return hasTopic(p, security) }},
				{"topic=alliances", func(p model.Publication) bool { return hasTopic(p, map[string]bool{"alliances": true}) }},
				{"region=japan", func(p model.Publication) bool {
					return slices.ContainsFunc(p.Regions, func(r model.Region) bool { return r.Slug == "japan" })
				}},
				{"expert=sheila-a-smith", func(p model.Publication) bool {
					return slices.ContainsFunc(p.Contributions, func(c model.Contribution) bool { return c.Person.Slug == "sheila-a-smith" })
				}},
				{"status=published", func(model.Publication) bool { return true }},
				{"from=2021", func(p model.Publication) bool { return dated(p) && p.Issued.Start.Year >= 2021 }},
				{"to=2015", func(p model.Publication) bool { return dated(p) && p.Issued.Start.Year <= 2015 }},
				{"from=2019&to=2021", func(p model.Publication) bool {
					return dated(p) && p.Issued.Start.Year >= 2019 && p.Issued.Start.Year <= 2021
				}},
				{"from=2020-06&to=2022-05", func(p model.Publication) bool { return dated(p) && ym(p) >= 202006 && ym(p) <= 202205 }},
				{"from=2019-05-20&to=2019-05-20", func(p model.Publication) bool {
					return dated(p) && p.Issued.Start == model.DatePart{Year: 2019, Month: 5, Day: 20}
				}},
				{"from=1990&to=1999", func(model.Publication) bool { return false }},
				{"to=2030", dated},
				{"to=1900", func(model.Publication) bool { return false }},
				{"to=1960", func(p model.Publication) bool { return dated(p) && p.Issued.Start.Year <= 1960 }},
				{"from=2024&to=2024", func(p model.Publication) bool { return dated(p) && p.Issued.Start.Year == 2024 }},
				{"type=report&topic=security&from=2018", func(p model.Publication) bool {
					return p.Type == model.TypeReport && hasTopic(p, security) && p.Issued.Start.Year >= 2018
				}},
			}
			for _, tc := range tests {
				var want []string
				for _, p := range all {
					if tc.keep(p) {
						want = append(want, p.Slug)
					}
				}
				slices.Sort(want)
				// Only these two may keep everything: the demo content has
				// no draft or undated publication for them to leave out.
				if len(want) == len(all) && tc.query != "status=published" && tc.query != "to=2030" {
					t.Errorf("%s: the filter keeps everything; the case tests nothing", tc.query)
				}
				for _, limit := range []int{2, 100} {
					got, _ := f.walk(fmt.Sprintf("/api/v1/publications?%s&limit=%d", tc.query, limit))
					slices.Sort(got)
					if !slices.Equal(got, want) {
						t.Errorf("%s limit %d:\n got %v\nwant %v", tc.query, limit, got, want)
					}
				}
			}

			// A cursor from a list without the bound still yields only
			// what the bound keeps, and all of it after the cursor.
			var newest listPage
			f.getJSON("/api/v1/publications?limit=3", &newest)
			got, _ := f.walk("/api/v1/publications?to=2016&limit=2&cursor=" + url.QueryEscape(newest.NextCursor))
			var want []string
			for _, p := range all {
				if dated(p) && p.Issued.Start.Year <= 2016 {
					want = append(want, p.Slug)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("to=2016 after a cursor of the unbounded list:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestPublicationListBadParameters(t *testing.T) {
	f := newFixture(t, "sqlite")
	tests := []struct{ query, param string }{
		{"limit=0", "limit"},
		{"limit=101", "limit"},
		{"limit=ten", "limit"},
		{"type=pamphlets", "type"},
		{"topic=no-such-topic", "topic"},
		{"topic=Not%20A%20Slug", "topic"},
		{"region=atlantis", "region"},
		{"expert=nobody-at-all", "expert"},
		{"status=draft", "status"},
		{"from=2015-13", "from"},
		{"from=15", "from"},
		{"to=2015-02-30", "to"},
		{"to=spring", "to"},
		{"from=2020&to=2019", "from"},
		{"cursor=not-a-cursor", "cursor"},
		{"sort=title", "sort"},
		{"limit=5&limit=6", "limit"},
	}
	for _, tc := range tests {
		rec := f.get("/api/v1/publications?" + tc.query)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400; body %s", tc.query, rec.Code, rec.Body)
			continue
		}
		var e apiError
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
			t.Errorf("%s: %v in %s", tc.query, err, rec.Body)
			continue
		}
		if e.Error.Code != "bad_parameter" || !strings.Contains(e.Error.Message, "parameter "+tc.param+":") {
			t.Errorf("%s: error %+v, want bad_parameter naming %q", tc.query, e.Error, tc.param)
		}
	}
}

func TestPublicationShow(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			var got struct {
				Slug         string `json:"slug"`
				Type         string `json:"type"`
				TypeLabel    string `json:"type_label"`
				Title        string `json:"title"`
				Contributors []struct {
					Slug, Name, Role string
					RoleLabel        string `json:"role_label"`
					Links            links
				} `json:"contributors"`
				Issued struct {
					Text, Value string
					Start, End  *partView
				} `json:"issued"`
				Venue struct {
					Line           string
					ContainerTitle string `json:"container_title"`
					Volume, Issue  string
				} `json:"venue"`
				Topics []termView `json:"topics"`
				Links  publicationLinks
				CSL    map[string]any `json:"csl"`
			}
			f.getJSON("/api/v1/publications/"+demo.SeedSlug, &got)
			if got.Slug != demo.SeedSlug || got.Type != "article-journal" || got.TypeLabel != "Journal Article" ||
				got.Title != "North Korea in Japan’s Strategic Thinking" {
				t.Errorf("record: %+v", got)
			}
			if len(got.Contributors) != 1 || got.Contributors[0].Slug != "sheila-a-smith" ||
				got.Contributors[0].Name != "Sheila A. Smith" || got.Contributors[0].Role != "author" ||
				got.Contributors[0].Links.Self != baseURL+"/api/v1/experts/sheila-a-smith" {
				t.Errorf("contributors: %+v", got.Contributors)
			}
			if got.Issued.Text != "September–October 2013" || got.Issued.Value != "2013-09/2013-10" ||
				*got.Issued.Start != (partView{Year: 2013, Month: 9}) || got.Issued.End == nil || *got.Issued.End != (partView{Year: 2013, Month: 10}) {
				t.Errorf("issued: %+v", got.Issued)
			}
			if got.Venue.ContainerTitle != "ASAN Forum" || got.Venue.Volume != "1" || got.Venue.Issue != "2" || got.Venue.Line == "" {
				t.Errorf("venue: %+v", got.Venue)
			}
			var topicSlugs []string
			for _, tp := range got.Topics {
				topicSlugs = append(topicSlugs, tp.Slug)
			}
			if !slices.Contains(topicSlugs, "alliances") || len(topicSlugs) != 3 {
				t.Errorf("topics: %v", topicSlugs)
			}
			page := baseURL + "/publications/" + demo.SeedSlug
			if got.Links.HTML != page || got.Links.CSLJSON != page+".json" || got.Links.BibTeX != page+".bib" ||
				got.Links.Self != baseURL+"/api/v1/publications/"+demo.SeedSlug {
				t.Errorf("links: %+v", got.Links)
			}
			if got.CSL["id"] != demo.SeedSlug || got.CSL["type"] != "article-journal" ||
				got.CSL["container-title"] != "ASAN Forum" || got.CSL["issued"] == nil || got.CSL["author"] == nil {
				t.Errorf("csl: %v", got.CSL)
			}

			for _, path := range []string{
				"/api/v1/publications/" + draftSlug,
				"/api/v1/publications/no-such-publication",
			} {
				rec := f.get(path)
				var e apiError
				if rec.Code != http.StatusNotFound || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code != "not_found" {
					t.Errorf("GET %s: %d %s, want a JSON 404", path, rec.Code, rec.Body)
				}
			}
		})
	}
}

// A publication in the trash answers 410 Gone and leaves the lists; put
// back, it answers again.
func TestTrashedPublicationIsGone(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			ctx := t.Context()
			p, err := f.store.PublicationBySlug(ctx, demo.SeedSlug)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.store.TrashPublication(ctx, p.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
			if rec := f.get("/api/v1/publications/" + demo.SeedSlug); rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), `"gone"`) {
				t.Errorf("trashed: %d %s, want 410 with code gone", rec.Code, rec.Body)
			}
			if rec := f.get("/api/v1/publications?limit=500"); strings.Contains(rec.Body.String(), demo.SeedSlug) {
				t.Error("the list still names the trashed publication")
			}
			if err := f.store.RestorePublication(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			if rec := f.get("/api/v1/publications/" + demo.SeedSlug); rec.Code != http.StatusOK {
				t.Errorf("restored: %d, want 200", rec.Code)
			}
		})
	}
}
