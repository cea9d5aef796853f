package search_test

import (
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
)

// PostgreSQL analyses each publication with the configuration of its
// language, and a language it has no configuration for with 'simple',
// which neither stems nor drops stop words; the query is analysed the same
// way for each publication. (SQLite stems every language as English.)
func TestPostgresLanguages(t *testing.T) {
	ctx := t.Context()
	st, err := postgres.Open(ctx, pgtest.SchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := map[string]int64{}
	for _, p := range []model.Publication{
		{Slug: "de", Language: "de-DE", Title: "Die Häuser der Stadt"},
		{Slug: "en", Language: "", Title: "The Houses of the City"},
		{Slug: "xx", Language: "tlh", Title: "The Houses of Qo'noS"},
	} {
		p.Type, p.Status = model.TypeReport, model.StatusPublished
		if err := st.CreatePublication(ctx, &p); err != nil {
			t.Fatal(err)
		}
		ids[p.Slug] = p.ID
	}
	idx := search.NewPostgres(st.DB())
	tests := []struct {
		text string
		want []string
	}{
		{"haus", []string{"de"}},  // German stem of Häuser
		{"house", []string{"en"}}, // English stem; 'simple' keeps "houses" whole
		{"houses", []string{"en", "xx"}},
		{"the", []string{"xx"}}, // an English stop word, kept by 'simple'
	}
	for _, tt := range tests {
		r, err := idx.Search(ctx, search.Query{Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, h := range r.Hits {
			got[h.ID] = true
		}
		if len(got) != len(tt.want) {
			t.Errorf("%q: %d hits, want %v", tt.text, len(got), tt.want)
		}
		for _, slug := range tt.want {
			if !got[ids[slug]] {
				t.Errorf("%q does not find %s", tt.text, slug)
			}
		}
	}
}
