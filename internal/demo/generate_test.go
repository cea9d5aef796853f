package demo

import (
	"reflect"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// generated lists every publication of st, oldest ID first.
func generated(t *testing.T, st store.Store) []model.Publication {
	t.Helper()
	var out []model.Publication
	page, err := st.ListPublications(t.Context(), store.PublicationQuery{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, page.Items...)
	for page.NextCursor != "" {
		page, err = st.ListPublications(t.Context(), store.PublicationQuery{Limit: store.MaxLimit, Cursor: page.NextCursor})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
	}
	return out
}

func TestGenerate(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			const n = 1200
			stats, err := Generate(t.Context(), st, Options{Count: n, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if stats.Publications != n || stats.People != n/50 || stats.Topics == 0 || stats.Regions == 0 {
				t.Errorf("stats = %+v, want %d publications and %d people", stats, n, n/50)
			}
			pubs := generated(t, st)
			if len(pubs) != n {
				t.Fatalf("%d publications stored, want %d", len(pubs), n)
			}
			types := map[model.Type]int{}
			words := map[string]int{}
			fullText, byYear := 0, map[int]int{}
			for _, p := range pubs {
				if !p.IsPublished() {
					t.Errorf("%s: status %q, want published", p.Slug, p.Status)
				}
				if k := len(p.Contributions); k < 1 || k > 4 {
					t.Errorf("%s: %d contributors, want 1 to 4", p.Slug, k)
				}
				if len(p.Topics) < 1 || len(p.Topics) > 3 {
					t.Errorf("%s: %d topics, want 1 to 3", p.Slug, len(p.Topics))
				}
				if y := p.Issued.Start.Year; y < 2001 || y > 2025 {
					t.Errorf("%s: issued %v, want 2001–2025", p.Slug, p.Issued)
				}
				if p.Type == model.TypeArticleJournal && (p.Venue.ContainerTitle == "" || p.DOI == "") {
					t.Errorf("%s: a journal article without journal or DOI: %+v", p.Slug, p.Venue)
				}
				if p.Type == model.TypePodcast && p.Contributions[0].Role != model.RoleHost {
					t.Errorf("%s: a podcast's first contributor is %s, want its host", p.Slug, p.Contributions[0].Role)
				}
				if p.FullText != "" {
					fullText++
				}
				types[p.Type]++
				byYear[p.Issued.Start.Year]++
				seen := map[string]bool{}
				for _, w := range strings.Fields(strings.ToLower(p.Title + " " + p.Summary)) {
					w = strings.Trim(w, ".,:’'")
					if !seen[w] {
						seen[w] = true
						words[w]++
					}
				}
			}
			// Think-tank proportions: commentary and op-eds lead, books
			// are few, every kind is there.
			if types[model.TypeCommentary] < types[model.TypeReport] || types[model.TypeBook] > types[model.TypeReport]/3 {
				t.Errorf("type proportions off: %v", types)
			}
			for _, s := range typeShares {
				if types[s.t] == 0 {
					t.Errorf("no %s generated: %v", s.t, types)
				}
			}
			if fullText < n/20 || fullText > n/2 {
				t.Errorf("%d of %d with full text, want some but not most", fullText, n)
			}
			if byYear[2024] <= byYear[2002] {
				t.Errorf("recent years should be busier: 2002 has %d, 2024 %d", byYear[2002], byYear[2024])
			}
			// Zipf: the commonest words are in most publications, and many
			// words of the vocabulary in only a few.
			if words["policy"] < n/2 {
				t.Errorf("policy is in %d of %d publications, want most", words["policy"], n)
			}
			rare := 0
			for _, w := range nouns {
				if c := words[w]; c > 0 && c < n/100 {
					rare++
				}
			}
			if rare < 10 {
				t.Errorf("only %d vocabulary words are in fewer than 1%% of publications", rare)
			}

			// Again: the same seed writes nothing new.
			again, err := Generate(t.Context(), st, Options{Count: n, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(again, Stats{}) {
				t.Errorf("second run created %+v, want nothing", again)
			}
		})
	}
}

func TestGenerateDeterministic(t *testing.T) {
	var first []string
	for run := range 2 {
		st := openStore(t)
		var progress []int
		_, err := Generate(t.Context(), st, Options{Count: 700, Seed: 42, Progress: func(done, total int) {
			if total != 700 {
				t.Errorf("progress total %d, want 700", total)
			}
			progress = append(progress, done)
		}})
		if err != nil {
			t.Fatal(err)
		}
		if len(progress) != 2 || progress[1] != 700 {
			t.Errorf("progress calls %v, want one per batch of %d ending at 700", progress, generateBatch)
		}
		var got []string
		for _, p := range generated(t, st) {
			var names []string
			for _, c := range p.Contributions {
				names = append(names, c.Person.DisplayName())
			}
			got = append(got, p.Slug+"|"+p.Title+"|"+p.Summary+"|"+p.Issued.String()+"|"+strings.Join(names, ","))
		}
		if run == 0 {
			first = got
			continue
		}
		if strings.Join(got, "\n") != strings.Join(first, "\n") {
			t.Error("the same seed generated different publications")
		}
	}
	other := openStore(t)
	if _, err := Generate(t.Context(), other, Options{Count: 700, Seed: 43}); err != nil {
		t.Fatal(err)
	}
	if p := generated(t, other); len(p) > 0 && len(first) > 0 && strings.HasPrefix(first[0], p[0].Slug+"|") {
		t.Errorf("seeds 42 and 43 both start with %s", p[0].Slug)
	}
}

func TestGenerateCount(t *testing.T) {
	st := openStore(t)
	for _, n := range []int{0, -1, MaxGenerate + 1} {
		if _, err := Generate(t.Context(), st, Options{Count: n}); err == nil || !strings.Contains(err.Error(), "count") {
			t.Errorf("Count %d: error %v, want one naming the count", n, err)
		}
	}
}
