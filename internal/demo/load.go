package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Store is the part of store.Store that loading needs.
type Store interface {
	PersonBySlug(ctx context.Context, slug string) (*model.Person, error)
	CreatePerson(ctx context.Context, p *model.Person) error
	TopicBySlug(ctx context.Context, slug string) (*model.Topic, error)
	CreateTopic(ctx context.Context, t *model.Topic) error
	RegionBySlug(ctx context.Context, slug string) (*model.Region, error)
	CreateRegion(ctx context.Context, r *model.Region) error
	PublicationBySlug(ctx context.Context, slug string) (*model.Publication, error)
	CreatePublication(ctx context.Context, p *model.Publication) error
	UpdatePublication(ctx context.Context, p *model.Publication) error
}

// SeedSlug is the slug of the publication the demo is built around.
const SeedSlug = "north-korea-in-japans-strategic-thinking"

// Stats counts what one Load created; records that already existed are
// left as they are and not counted.
type Stats struct {
	People, Topics, Regions, Publications int
	// Created are the IDs of the publications Load created (Generate
	// leaves it empty: it counts in bulk).
	Created []int64
}

// Load puts the demo content into st. It is idempotent: a record whose slug
// is already taken is left untouched, so running it against a database it
// has filled, or one an editor has since changed, changes nothing.
func Load(ctx context.Context, st Store) (Stats, error) {
	var stats Stats
	c, err := parseContent(contentJSON)
	if err != nil {
		return stats, err
	}
	for _, p := range c.People {
		created, err := ensure(ctx, "person", p.Slug, func(ctx context.Context) error {
			_, err := st.PersonBySlug(ctx, p.Slug)
			return err
		}, func(ctx context.Context) error {
			return st.CreatePerson(ctx, &model.Person{
				Slug: p.Slug, Given: p.Given, Family: p.Family, NonDroppingParticle: p.Particle,
				Literal: p.Literal, RoleLine: p.RoleLine, Bio: p.Bio,
			})
		})
		if err != nil {
			return stats, err
		}
		stats.People += created
	}

	topicIDs := map[string]int64{}
	for _, t := range c.Topics {
		created, err := ensure(ctx, "topic", t.Slug, func(ctx context.Context) error {
			got, err := st.TopicBySlug(ctx, t.Slug)
			if err == nil {
				topicIDs[t.Slug] = got.ID
			}
			return err
		}, func(ctx context.Context) error {
			m := &model.Topic{Slug: t.Slug, Name: t.Name, ParentID: topicIDs[t.Parent]}
			err := st.CreateTopic(ctx, m)
			topicIDs[t.Slug] = m.ID
			return err
		})
		if err != nil {
			return stats, err
		}
		stats.Topics += created
	}

	regionIDs := map[string]int64{}
	for _, r := range c.Regions {
		created, err := ensure(ctx, "region", r.Slug, func(ctx context.Context) error {
			got, err := st.RegionBySlug(ctx, r.Slug)
			if err == nil {
				regionIDs[r.Slug] = got.ID
			}
			return err
		}, func(ctx context.Context) error {
			m := &model.Region{Slug: r.Slug, Name: r.Name, ParentID: regionIDs[r.Parent]}
			err := st.CreateRegion(ctx, m)
			regionIDs[r.Slug] = m.ID
			return err
		})
		if err != nil {
			return stats, err
		}
		stats.Regions += created
	}

	// Related overrides may name publications later in the file, so they
	// are set in a second pass over the publications this run created.
	var fresh []*model.Publication
	for _, p := range c.Publications {
		m, err := p.model()
		if err != nil {
			return stats, err
		}
		created, err := ensure(ctx, "publication", p.Slug, func(ctx context.Context) error {
			_, err := st.PublicationBySlug(ctx, p.Slug)
			return err
		}, func(ctx context.Context) error {
			return st.CreatePublication(ctx, m)
		})
		if err != nil {
			return stats, err
		}
		if created == 1 {
			stats.Created = append(stats.Created, m.ID)
		}
		if created == 1 && len(p.Related) > 0 {
			for _, r := range p.Related {
				m.Related = append(m.Related, model.Ref{Slug: r})
			}
			fresh = append(fresh, m)
		}
		stats.Publications += created
	}
	for _, m := range fresh {
		if err := st.UpdatePublication(ctx, m); err != nil {
			return stats, fmt.Errorf("demo: related publications of %q: %w", m.Slug, err)
		}
	}
	return stats, nil
}

// ensure creates a record unless find reports that it exists; it returns 1
// when it created one.
func ensure(ctx context.Context, kind, slug string, find, create func(context.Context) error) (int, error) {
	err := find(ctx)
	switch {
	case err == nil:
		return 0, nil
	case !errors.Is(err, store.ErrNotFound):
		return 0, fmt.Errorf("demo: look up %s %q: %w", kind, slug, err)
	}
	if err := create(ctx); err != nil {
		return 0, fmt.Errorf("demo: create %s %q: %w", kind, slug, err)
	}
	return 1, nil
}

// model converts a publication of the content file to a model record, its
// references named by slug for the store to resolve.
func (p publication) model() (*model.Publication, error) {
	issued, err := model.ParseDate(p.Issued)
	if err != nil {
		return nil, fmt.Errorf("demo: publication %q: issued: %w", p.Slug, err)
	}
	m := &model.Publication{
		Slug:     p.Slug,
		Type:     model.Type(p.Type),
		Title:    p.Title,
		Subtitle: p.Subtitle,
		Issued:   issued,
		Venue: model.Venue{
			ContainerTitle: p.ContainerTitle, Volume: p.Volume, Issue: p.Issue, Number: p.Number,
			Pages: p.Pages, Publisher: p.Publisher, Place: p.Place, ISSN: p.ISSN, ISBN: p.ISBN,
		},
		DOI:      p.DOI,
		URL:      p.URL,
		FullText: p.FullText,
		Summary:  p.Summary,
		Language: p.Language,
		Status:   model.StatusPublished,
	}
	for _, c := range p.Contributors {
		m.Contributions = append(m.Contributions, model.Contribution{Person: model.Person{Slug: c.Person}, Role: model.Role(c.Role)})
	}
	for _, e := range p.Editors {
		m.Contributions = append(m.Contributions, model.Contribution{Person: model.Person{Slug: e}, Role: model.RoleEditor})
	}
	for _, t := range p.Topics {
		m.Topics = append(m.Topics, model.Topic{Slug: t})
	}
	for _, r := range p.Regions {
		m.Regions = append(m.Regions, model.Region{Slug: r})
	}
	return m, nil
}
