package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// term is what a topic or region page needs of its term; the two trees
// have the same shape and the same page.
type term struct {
	ID, ParentID            int64
	Slug, Name, Description string
}

// taxonomy is one term tree as the pages read it.
type taxonomy struct {
	kind, section string // "Topic", "topics"
	bySlug        func(ctx context.Context, slug string) (term, error)
	list          func(ctx context.Context) ([]term, error)
	filter        func(id int64) store.PublicationQuery
}

func (s *server) topics() taxonomy {
	return taxonomy{
		kind: "Topic", section: "topics",
		bySlug: func(ctx context.Context, slug string) (term, error) {
			t, err := s.store.TopicBySlug(ctx, slug)
			if err != nil {
				return term{}, err
			}
			return topicTerm(*t), nil
		},
		list: func(ctx context.Context) ([]term, error) {
			all, err := s.store.ListTopics(ctx)
			terms := make([]term, len(all))
			for i, t := range all {
				terms[i] = topicTerm(t)
			}
			return terms, err
		},
		filter: func(id int64) store.PublicationQuery { return store.PublicationQuery{TopicID: id} },
	}
}

func (s *server) regions() taxonomy {
	return taxonomy{
		kind: "Region", section: "regions",
		bySlug: func(ctx context.Context, slug string) (term, error) {
			r, err := s.store.RegionBySlug(ctx, slug)
			if err != nil {
				return term{}, err
			}
			return regionTerm(*r), nil
		},
		list: func(ctx context.Context) ([]term, error) {
			all, err := s.store.ListRegions(ctx)
			terms := make([]term, len(all))
			for i, r := range all {
				terms[i] = regionTerm(r)
			}
			return terms, err
		},
		filter: func(id int64) store.PublicationQuery { return store.PublicationQuery{RegionID: id} },
	}
}

func topicTerm(t model.Topic) term {
	return term{ID: t.ID, ParentID: t.ParentID, Slug: t.Slug, Name: t.Name, Description: t.Description}
}

func regionTerm(r model.Region) term {
	return term{ID: r.ID, ParentID: r.ParentID, Slug: r.Slug, Name: r.Name, Description: r.Description}
}

// topicShow serves GET /topics/{slug}: the topic, its narrower topics and
// the publications filed under it, newest first.
func (s *server) topicShow(w http.ResponseWriter, r *http.Request) { s.termShow(w, r, s.topics()) }

// regionShow serves GET /regions/{slug}: the region, the regions within it
// and the publications about it, newest first.
func (s *server) regionShow(w http.ResponseWriter, r *http.Request) { s.termShow(w, r, s.regions()) }

// termShow serves the page of one term of tax.
func (s *server) termShow(w http.ResponseWriter, r *http.Request, tax taxonomy) {
	t, err := tax.bySlug(r.Context(), r.PathValue("slug"))
	switch {
	case isNotFound(err):
		s.notFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	all, err := tax.list(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := "/" + tax.section + "/"
	v := listingView{Kind: tax.kind, KindPlural: tax.section, Name: t.Name}
	for _, o := range all {
		switch {
		case o.ID == t.ParentID && t.ParentID != 0:
			v.Parent = &linkView{Name: o.Name, URL: base + o.Slug}
		case o.ParentID == t.ID:
			v.Children = append(v.Children, linkView{Name: o.Name, URL: base + o.Slug})
		}
	}
	s.listing(w, r, base+t.Slug, tax.section, t.Description, tax.filter(t.ID), v)
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
	if v.Description, err = s.md.Render(description); err != nil {
		s.log.WarnContext(r.Context(), "description markdown", "path", path, "err", err)
	}
	v.Publications = s.cards(res.Items)
	v.Pager = pager(path, n, res.Total)
	s.render(w, r, http.StatusOK, "listing", page{
		Title:       v.Name,
		Description: s.md.Plain(description, 300),
		Canonical:   s.absURL(r, path),
		Section:     section,
		// The sections "topics" and "regions" are the feed scopes of the
		// same names.
		Alternates: alternates(section, strings.TrimPrefix(path, "/"+section+"/"), v.Name),
		Data:       v,
	})
}
