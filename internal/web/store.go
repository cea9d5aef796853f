package web

import (
	"context"
	"errors"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Store is the part of store.Store the public pages read; any store.Store
// satisfies it.
type Store interface {
	PublicationBySlug(ctx context.Context, slug string) (*model.Publication, error)
	PublicationsByID(ctx context.Context, ids []int64) ([]model.Publication, error)
	ListPublications(ctx context.Context, q store.PublicationQuery) (*store.PublicationPage, error)
	RelatedCandidates(ctx context.Context, publicationID int64) (*store.RelatedSet, error)
	PersonBySlug(ctx context.Context, slug string) (*model.Person, error)
	ListPeople(ctx context.Context, q store.PeopleQuery) ([]model.Person, error)
	TopicBySlug(ctx context.Context, slug string) (*model.Topic, error)
	ListTopics(ctx context.Context) ([]model.Topic, error)
	RegionBySlug(ctx context.Context, slug string) (*model.Region, error)
	ListRegions(ctx context.Context) ([]model.Region, error)
}

var _ Store = store.Store(nil)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
