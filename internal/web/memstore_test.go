package web

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// memStore is an in-memory Store for handler tests that need records the
// real backends refuse to hold (a malformed date) or failures on demand. It
// also takes demo.Load, resolving references by slug as backends do.
type memStore struct {
	mu      sync.Mutex
	pubs    []*model.Publication
	people  []*model.Person
	topics  []*model.Topic
	regions []*model.Region
	// fail, when set, is returned by every read.
	fail error
}

func notFound(kind, slug string) error {
	return fmt.Errorf("%s %q: %w", kind, slug, store.ErrNotFound)
}

func (m *memStore) PublicationBySlug(_ context.Context, slug string) (*model.Publication, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	for _, p := range m.pubs {
		if p.Slug == slug {
			c := *p
			return &c, nil
		}
	}
	return nil, notFound("publication", slug)
}

func (m *memStore) PublicationsByID(_ context.Context, ids []int64) ([]model.Publication, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []model.Publication
	for _, id := range ids {
		for _, p := range m.pubs {
			if p.ID == id {
				out = append(out, *p)
			}
		}
	}
	return out, m.fail
}

// within reports whether id is want or, with subtree, below it.
func within(id, want int64, subtree bool, parent func(int64) int64) bool {
	for depth := 0; id != 0 && depth < 16; depth++ {
		if id == want {
			return true
		}
		if !subtree {
			return false
		}
		id = parent(id)
	}
	return false
}

func (m *memStore) ListPublications(_ context.Context, q store.PublicationQuery) (*store.PublicationPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	topicParent := func(id int64) int64 {
		for _, t := range m.topics {
			if t.ID == id {
				return t.ParentID
			}
		}
		return 0
	}
	regionParent := func(id int64) int64 {
		for _, r := range m.regions {
			if r.ID == id {
				return r.ParentID
			}
		}
		return 0
	}
	var match []model.Publication
	for _, p := range m.pubs {
		if q.Status != "" && p.Status != q.Status {
			continue
		}
		if q.PersonID != 0 && !slices.ContainsFunc(p.Contributions, func(c model.Contribution) bool { return c.Person.ID == q.PersonID }) {
			continue
		}
		if q.TopicID != 0 && !slices.ContainsFunc(p.Topics, func(t model.Topic) bool { return within(t.ID, q.TopicID, q.Subtree, topicParent) }) {
			continue
		}
		if q.RegionID != 0 && !slices.ContainsFunc(p.Regions, func(r model.Region) bool { return within(r.ID, q.RegionID, q.Subtree, regionParent) }) {
			continue
		}
		match = append(match, *p)
	}
	slices.SortStableFunc(match, func(a, b model.Publication) int {
		return cmp.Or(cmp.Compare(b.Issued.SortKey(), a.Issued.SortKey()), cmp.Compare(b.ID, a.ID))
	})
	limit := q.Limit
	if limit == 0 {
		limit = store.DefaultLimit
	}
	page := &store.PublicationPage{Total: len(match)}
	if q.Offset < len(match) {
		page.Items = match[q.Offset:min(len(match), q.Offset+limit)]
	}
	return page, nil
}

func (m *memStore) RelatedCandidates(_ context.Context, id int64) (*store.RelatedSet, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	facets := func(p *model.Publication) store.Facets {
		f := store.Facets{ID: p.ID, Slug: p.Slug, Type: p.Type, SortKey: p.Issued.SortKey()}
		for _, t := range p.Topics {
			f.Topics = append(f.Topics, t.ID)
		}
		for _, r := range p.Regions {
			f.Regions = append(f.Regions, r.ID)
		}
		for _, c := range p.Contributions {
			if !slices.Contains(f.People, c.Person.ID) {
				f.People = append(f.People, c.Person.ID)
			}
		}
		return f
	}
	set := &store.RelatedSet{TopicCount: map[int64]int{}, RegionCount: map[int64]int{}, PersonCount: map[int64]int{}}
	var self *model.Publication
	for _, p := range m.pubs {
		if p.ID == id {
			self = p
		}
	}
	if self == nil {
		return nil, notFound("publication", fmt.Sprint(id))
	}
	set.Self = facets(self)
	for _, r := range self.Related {
		set.Overrides = append(set.Overrides, r.ID)
	}
	for _, p := range m.pubs {
		if !p.IsPublished() {
			continue
		}
		set.Total++
		f := facets(p)
		shares := false
		for _, t := range f.Topics {
			if slices.Contains(set.Self.Topics, t) {
				set.TopicCount[t]++
				shares = true
			}
		}
		for _, r := range f.Regions {
			if slices.Contains(set.Self.Regions, r) {
				set.RegionCount[r]++
				shares = true
			}
		}
		for _, x := range f.People {
			if slices.Contains(set.Self.People, x) {
				set.PersonCount[x]++
				shares = true
			}
		}
		if shares && p.ID != id {
			set.Candidates = append(set.Candidates, f)
		}
	}
	return set, nil
}

func (m *memStore) PersonBySlug(_ context.Context, slug string) (*model.Person, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	for _, p := range m.people {
		if p.Slug == slug {
			c := *p
			return &c, nil
		}
	}
	return nil, notFound("person", slug)
}

func (m *memStore) ListPeople(context.Context, store.PeopleQuery) ([]model.Person, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []model.Person
	for _, p := range m.people {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b model.Person) int { return cmp.Compare(a.SortName(), b.SortName()) })
	return out, m.fail
}

func (m *memStore) TopicBySlug(_ context.Context, slug string) (*model.Topic, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	for _, t := range m.topics {
		if t.Slug == slug {
			c := *t
			return &c, nil
		}
	}
	return nil, notFound("topic", slug)
}

func (m *memStore) ListTopics(context.Context) ([]model.Topic, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []model.Topic
	for _, t := range m.topics {
		out = append(out, *t)
	}
	return out, m.fail
}

func (m *memStore) RegionBySlug(_ context.Context, slug string) (*model.Region, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	for _, r := range m.regions {
		if r.Slug == slug {
			c := *r
			return &c, nil
		}
	}
	return nil, notFound("region", slug)
}

func (m *memStore) ListRegions(context.Context) ([]model.Region, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []model.Region
	for _, r := range m.regions {
		out = append(out, *r)
	}
	return out, m.fail
}

// The writers below serve demo.Load.

func (m *memStore) CreatePerson(_ context.Context, p *model.Person) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := p.Validate(); err != nil {
		return err
	}
	p.ID = int64(len(m.people) + 1)
	c := *p
	m.people = append(m.people, &c)
	return nil
}

func (m *memStore) CreateTopic(_ context.Context, t *model.Topic) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t.ID = int64(len(m.topics) + 1)
	c := *t
	m.topics = append(m.topics, &c)
	return nil
}

func (m *memStore) CreateRegion(_ context.Context, r *model.Region) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r.ID = int64(len(m.regions) + 1)
	c := *r
	m.regions = append(m.regions, &c)
	return nil
}

// resolve fills p's references from the slugs they carry.
func (m *memStore) resolve(p *model.Publication) error {
	for i, c := range p.Contributions {
		i2 := slices.IndexFunc(m.people, func(x *model.Person) bool { return x.Slug == c.Person.Slug })
		if i2 < 0 {
			return notFound("person", c.Person.Slug)
		}
		p.Contributions[i].Person = *m.people[i2]
	}
	for i, t := range p.Topics {
		i2 := slices.IndexFunc(m.topics, func(x *model.Topic) bool { return x.Slug == t.Slug })
		if i2 < 0 {
			return notFound("topic", t.Slug)
		}
		p.Topics[i] = *m.topics[i2]
	}
	for i, r := range p.Regions {
		i2 := slices.IndexFunc(m.regions, func(x *model.Region) bool { return x.Slug == r.Slug })
		if i2 < 0 {
			return notFound("region", r.Slug)
		}
		p.Regions[i] = *m.regions[i2]
	}
	for i, r := range p.Related {
		i2 := slices.IndexFunc(m.pubs, func(x *model.Publication) bool { return x.Slug == r.Slug })
		if i2 < 0 {
			return notFound("publication", r.Slug)
		}
		p.Related[i] = model.Ref{ID: m.pubs[i2].ID, Slug: r.Slug}
	}
	return nil
}

func (m *memStore) CreatePublication(_ context.Context, p *model.Publication) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.resolve(p); err != nil {
		return err
	}
	p.ID = int64(len(m.pubs) + 1)
	c := *p
	m.pubs = append(m.pubs, &c)
	return nil
}

func (m *memStore) UpdatePublication(_ context.Context, p *model.Publication) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.resolve(p); err != nil {
		return err
	}
	for i, x := range m.pubs {
		if x.ID == p.ID {
			c := *p
			m.pubs[i] = &c
			return nil
		}
	}
	return notFound("publication", p.Slug)
}
