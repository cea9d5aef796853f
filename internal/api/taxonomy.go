package api

import (
	"net/http"
)

// termNode is a topic or region with the terms filed under it.
type termNode struct {
	termView
	Description string      `json:"description,omitempty"`
	Children    []*termNode `json:"children"`
}

type termTree struct {
	Data []*termNode `json:"data"`
}

// term is what a tree is built from, for topics and regions alike.
type term struct {
	id, parentID            int64
	slug, name, description string
}

// buildTree nests terms listed parents first. A term whose parent is
// missing from the list is shown at the top rather than lost.
func buildTree(terms []term, view func(slug, name string) termView) []*termNode {
	nodes := make(map[int64]*termNode, len(terms))
	roots := []*termNode{}
	for _, t := range terms {
		n := &termNode{termView: view(t.slug, t.name), Description: t.description, Children: []*termNode{}}
		nodes[t.id] = n
		if parent, ok := nodes[t.parentID]; ok && t.parentID != 0 {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

// topicList serves GET /api/v1/topics: the topic tree.
func (s *server) topicList(w http.ResponseWriter, r *http.Request) {
	if !s.params(w, r).ok() {
		return
	}
	ts, err := s.store.ListTopics(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	terms := make([]term, len(ts))
	for i, t := range ts {
		terms[i] = term{t.ID, t.ParentID, t.Slug, t.Name, t.Description}
	}
	s.writeJSON(w, r, termTree{buildTree(terms, func(slug, name string) termView { return s.topicView(r, slug, name) })})
}

// regionList serves GET /api/v1/regions: the region tree.
func (s *server) regionList(w http.ResponseWriter, r *http.Request) {
	if !s.params(w, r).ok() {
		return
	}
	gs, err := s.store.ListRegions(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	terms := make([]term, len(gs))
	for i, g := range gs {
		terms[i] = term{g.ID, g.ParentID, g.Slug, g.Name, g.Description}
	}
	s.writeJSON(w, r, termTree{buildTree(terms, func(slug, name string) termView { return s.regionView(r, slug, name) })})
}
