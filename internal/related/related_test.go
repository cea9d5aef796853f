package related

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

func ids(rs []Result) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestRank(t *testing.T) {
	// Self (1) is by person 100, on topics 10 and 11, about region 20.
	self := store.Facets{ID: 1, Type: "report", Topics: []int64{10, 11}, Regions: []int64{20}, People: []int64{100}}
	base := func() *store.RelatedSet {
		return &store.RelatedSet{
			Self:        self,
			Total:       20,
			TopicCount:  map[int64]int{10: 3, 11: 15},
			RegionCount: map[int64]int{20: 4},
			PersonCount: map[int64]int{100: 3},
			Candidates: []store.Facets{
				{ID: 2, Type: "op-ed", SortKey: 20200000, People: []int64{100}},
				{ID: 3, Type: "op-ed", SortKey: 20210000, Topics: []int64{10}},
				{ID: 4, Type: "op-ed", SortKey: 20220000, Regions: []int64{20}},
				{ID: 5, Type: "op-ed", SortKey: 20230000, Topics: []int64{11}}, // 11 is on 75 % of the catalogue
				{ID: 6, Type: "report", SortKey: 20100000, Regions: []int64{20}},
				{ID: 7, Type: "op-ed", SortKey: 20240000, Regions: []int64{20}},
			},
		}
	}
	tests := []struct {
		name string
		edit func(s *store.RelatedSet)
		n    int
		want []int64
	}{
		{"person over topic over region; same type before newer", func(*store.RelatedSet) {}, 10, []int64{2, 3, 6, 7, 4}},
		{"cut to n", func(*store.RelatedSet) {}, 2, []int64{2, 3}},
		{"overrides first, in order, without repeats", func(s *store.RelatedSet) { s.Overrides = []int64{7, 5, 7} }, 4, []int64{7, 5, 2, 3}},
		{"overrides alone fill n", func(s *store.RelatedSet) { s.Overrides = []int64{9, 8} }, 2, []int64{9, 8}},
		{"self never listed", func(s *store.RelatedSet) { s.Overrides = []int64{1}; s.Candidates = append(s.Candidates, self) }, 1, []int64{2}},
		{"no cut-off in a tiny catalogue", func(s *store.RelatedSet) { s.Total = 5; s.TopicCount[11] = 4 }, 10, []int64{2, 3, 5, 6, 7, 4}},
		{"rare topic beats a common person", func(s *store.RelatedSet) { s.PersonCount[100] = 10; s.TopicCount[10] = 1 }, 1, []int64{3}},
		{"nothing shared", func(s *store.RelatedSet) { s.Candidates = nil }, 3, []int64{}},
		{"n zero", func(*store.RelatedSet) {}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := base()
			tt.edit(set)
			got := Rank(set, tt.n, DefaultWeights)
			if tt.want == nil {
				if got != nil {
					t.Errorf("Rank = %v, want nil", got)
				}
				return
			}
			if !reflect.DeepEqual(ids(got), tt.want) {
				t.Errorf("Rank = %v, want %v", ids(got), tt.want)
			}
		})
	}
	got := Rank(base(), 1, DefaultWeights)[0]
	if got.Override || !reflect.DeepEqual(got.People, []int64{100}) || got.Score <= 0 {
		t.Errorf("explanation of the top result: %+v", got)
	}
}

func TestFind(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []*model.Person{{Slug: "smith", Family: "Smith"}, {Slug: "kwon", Family: "Kwon"}} {
		must(s.CreatePerson(ctx, p))
	}
	for _, tp := range []*model.Topic{{Slug: "alliances", Name: "Alliances"}, {Slug: "trade", Name: "Trade"}} {
		must(s.CreateTopic(ctx, tp))
	}
	mk := func(slug, year, person, topic string) *model.Publication {
		d, _ := model.ParseDate(year)
		p := &model.Publication{Slug: slug, Type: model.TypeReport, Title: slug, Issued: d, Status: model.StatusPublished,
			Contributions: []model.Contribution{{Person: model.Person{Slug: person}, Role: model.RoleAuthor}},
			Topics:        []model.Topic{{Slug: topic}}}
		must(s.CreatePublication(ctx, p))
		return p
	}
	page := mk("page", "2013", "smith", "alliances")
	mk("same-author", "2015", "smith", "trade")
	mk("same-topic", "2016", "kwon", "alliances")
	picked := mk("picked", "2010", "kwon", "trade")
	mk("filler-1", "2011", "kwon", "trade")
	mk("filler-2", "2012", "kwon", "trade")
	page.Related = []model.Ref{{ID: picked.ID}}
	must(s.UpdatePublication(ctx, page))

	got, err := Find(ctx, s, page.ID, 3)
	must(err)
	var slugs []string
	for _, p := range got {
		slugs = append(slugs, p.Slug)
		if len(p.Contributions) == 0 {
			t.Errorf("%s came back without its contributors", p.Slug)
		}
	}
	if want := []string{"picked", "same-author", "same-topic"}; !reflect.DeepEqual(slugs, want) {
		t.Errorf("Find = %v, want %v", slugs, want)
	}
	if _, err := Find(ctx, s, 9999, 3); err == nil {
		t.Error("Find of a missing publication succeeded")
	}
}
