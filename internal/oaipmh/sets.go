package oaipmh

import (
	"fmt"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// A set is a type ("type:report"), a topic or a region. Topics and
// regions nest: a set's spec is the path of slugs from the top of its tree
// ("topic:security:alliances"), and a record filed under a topic is in the
// sets of the topic's ancestors too, so that harvesting "topic:security"
// brings "topic:security:alliances" along. "type", "topic" and "region"
// are the roots.
type setEntry struct {
	spec, name string
}

// setTree is the repository's sets as of one request.
type setTree struct {
	list []setEntry
	// spec of each topic and region by slug
	topicSpec, regionSpec map[string]string
	// covers lists the slugs a topic or region set selects: its own and
	// its descendants'.
	covers map[string][]string
}

// term is a topic or a region.
type term struct {
	id, parent int64
	slug, name string
}

func (q *request) sets() (*setTree, error) {
	if q.tree != nil {
		return q.tree, nil
	}
	topics, err := q.h.store.ListTopics(q.ctx)
	if err != nil {
		return nil, fmt.Errorf("oaipmh: list topics: %w", err)
	}
	regions, err := q.h.store.ListRegions(q.ctx)
	if err != nil {
		return nil, fmt.Errorf("oaipmh: list regions: %w", err)
	}
	var tterms, rterms []term
	for _, t := range topics {
		tterms = append(tterms, term{t.ID, t.ParentID, t.Slug, t.Name})
	}
	for _, r := range regions {
		rterms = append(rterms, term{r.ID, r.ParentID, r.Slug, r.Name})
	}
	t := &setTree{topicSpec: map[string]string{}, regionSpec: map[string]string{}, covers: map[string][]string{}}
	t.list = append(t.list, setEntry{"type", "Publication types"})
	for _, ty := range model.Types() {
		t.list = append(t.list, setEntry{"type:" + string(ty), ty.Label()})
	}
	t.addTree("topic", "Topics", tterms, t.topicSpec)
	t.addTree("region", "Regions", rterms, t.regionSpec)
	q.tree = t
	return t, nil
}

// addTree lists the sets of one tree; terms come parents first, as the
// store lists them.
func (t *setTree) addTree(root, name string, terms []term, spec map[string]string) {
	t.list = append(t.list, setEntry{root, name})
	byID := make(map[int64]term, len(terms))
	for _, n := range terms {
		byID[n.id] = n
	}
	all := make([]string, 0, len(terms))
	for _, n := range terms {
		path := []string{n.slug}
		// The store refuses cycles; the bound guards against a corrupt
		// tree all the same.
		for p, depth := n.parent, 0; p != 0 && depth < 64; depth++ {
			parent, ok := byID[p]
			if !ok {
				break
			}
			path = append([]string{parent.slug}, path...)
			p = parent.parent
		}
		s := root + ":" + strings.Join(path, ":")
		spec[n.slug] = s
		t.list = append(t.list, setEntry{s, n.name})
		all = append(all, n.slug)
	}
	t.covers[root] = all
	for _, n := range terms {
		s := spec[n.slug]
		for _, m := range terms {
			if ms := spec[m.slug]; ms == s || strings.HasPrefix(ms, s+":") {
				t.covers[s] = append(t.covers[s], m.slug)
			}
		}
	}
}

// filter narrows hq to the set with the given spec.
func (t *setTree) filter(spec string, hq *store.HarvestQuery) *protoError {
	switch {
	case spec == "type":
		return nil // every record has a type
	case strings.HasPrefix(spec, "type:"):
		ty := model.Type(strings.TrimPrefix(spec, "type:"))
		if !ty.Valid() {
			return perr(errBadArgument, "no set %q: see ListSets", spec)
		}
		hq.Type = ty
		return nil
	}
	slugs, ok := t.covers[spec]
	if !ok {
		return perr(errBadArgument, "no set %q: see ListSets", spec)
	}
	slugs = append([]string{}, slugs...) // non-nil: an empty root set matches nothing
	if spec == "region" || strings.HasPrefix(spec, "region:") {
		hq.Regions = slugs
	} else {
		hq.Topics = slugs
	}
	return nil
}

// specs returns the sets a record's header names: its type and the most
// specific set of each topic and region. A tombstone's topic that was
// deleted since keeps a spec of its slug alone.
func (t *setTree) specs(typ model.Type, topics, regions []string) []string {
	out := []string{"type:" + string(typ)}
	for _, s := range topics {
		if spec, ok := t.topicSpec[s]; ok {
			out = append(out, spec)
		} else {
			out = append(out, "topic:"+s)
		}
	}
	for _, s := range regions {
		if spec, ok := t.regionSpec[s]; ok {
			out = append(out, spec)
		} else {
			out = append(out, "region:"+s)
		}
	}
	return out
}
