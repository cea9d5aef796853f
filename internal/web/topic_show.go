package web

import (
	"net/http"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// topicShow serves GET /topics/{slug}: the topic, its narrower topics and
// the publications filed under it, newest first.
func (s *server) topicShow(w http.ResponseWriter, r *http.Request) {
	t, err := s.store.TopicBySlug(r.Context(), r.PathValue("slug"))
	switch {
	case isNotFound(err):
		s.notFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	all, err := s.store.ListTopics(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := listingView{Kind: "Topic", KindPlural: "topics", Name: t.Name}
	for _, o := range all {
		switch {
		case o.ID == t.ParentID && t.ParentID != 0:
			v.Parent = &linkView{Name: o.Name, URL: "/topics/" + o.Slug}
		case o.ParentID == t.ID:
			v.Children = append(v.Children, linkView{Name: o.Name, URL: "/topics/" + o.Slug})
		}
	}
	s.listing(w, r, "/topics/"+t.Slug, "topics", t.Description, store.PublicationQuery{TopicID: t.ID}, v)
}

// listing fills in the publications and description shared by the topic and
// region pages, and renders them.
func (s *server) listing(w http.ResponseWriter, r *http.Request, path, section, description string, q store.PublicationQuery, v listingView) {
	n := pageNumber(r)
	q.Status, q.Subtree = model.StatusPublished, true
	q.Limit, q.Offset = perPage, (n-1)*perPage
	res, err := s.store.ListPublications(r.Context(), q)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if n > 1 && len(res.Items) == 0 {
		s.notFound(w, r)
		return
	}
	if v.Description, err = s.md.render(description); err != nil {
		s.log.WarnContext(r.Context(), "description markdown", "path", path, "err", err)
	}
	v.Publications = s.cards(res.Items)
	v.Pager = pager(path, n, res.Total)
	s.render(w, r, http.StatusOK, "listing", page{
		Title:       v.Name,
		Description: s.md.plain(description, 300),
		Canonical:   s.absURL(r, path),
		Section:     section,
		// The sections "topics" and "regions" are the feed scopes of the
		// same names.
		Alternates: alternates(section, strings.TrimPrefix(path, "/"+section+"/"), v.Name),
		Data:       v,
	})
}
