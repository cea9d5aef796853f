package web

import (
	"net/http"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// homeLatest is how many publications the home page lists.
const homeLatest = 12

// home serves GET /: the latest publications, the topics, regions and
// experts.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	latest, err := s.store.ListPublications(ctx, store.PublicationQuery{Status: model.StatusPublished, Limit: homeLatest})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	topics, err := s.store.ListTopics(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	regions, err := s.store.ListRegions(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	people, err := s.store.ListPeople(ctx, store.PeopleQuery{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := homeView{
		Latest:  s.cards(latest.Items),
		Topics:  topicLinks(topLevelTopics(topics)),
		Regions: regionLinks(regions),
	}
	for _, p := range people {
		v.Experts = append(v.Experts, expertLink{Name: p.DisplayName(), Slug: p.Slug, RoleLine: p.RoleLine})
	}
	s.render(w, r, http.StatusOK, "home", page{
		Title:     "Latest research",
		Canonical: s.absURL(r, "/"),
		Section:   "home",
		Data:      v,
	})
}

// topLevelTopics keeps the broad topics first, each followed by its
// narrower ones, so that the list reads as an outline.
func topLevelTopics(ts []model.Topic) []model.Topic {
	children := map[int64][]model.Topic{}
	var roots []model.Topic
	for _, t := range ts {
		if t.ParentID == 0 {
			roots = append(roots, t)
		} else {
			children[t.ParentID] = append(children[t.ParentID], t)
		}
	}
	out := make([]model.Topic, 0, len(ts))
	var walk func(t model.Topic, depth int)
	walk = func(t model.Topic, depth int) {
		out = append(out, t)
		if depth < 8 { // a corrupt parent chain cannot loop forever
			for _, c := range children[t.ID] {
				walk(c, depth+1)
			}
		}
	}
	for _, t := range roots {
		walk(t, 0)
	}
	return out
}
