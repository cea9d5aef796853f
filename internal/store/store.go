// Package store declares how Imprint reads and writes its records, so that
// the same pages, admin and API run on embedded SQLite or on PostgreSQL.
// Backends implement Store; internal/store/storetest is the suite every
// backend must pass.
//
// Conventions every implementation keeps:
//   - a record that does not exist is reported with an error wrapping
//     ErrNotFound that names what was looked up; never (nil, nil);
//   - a write that would break uniqueness or remove a record still in use
//     wraps ErrConflict;
//   - a record that fails its model Validate method, or names a person,
//     topic, region or related publication that does not exist, is refused
//     with a *model.ValidationError naming the field;
//   - every write happens in one transaction: it happens entirely or not at
//     all;
//   - reads never fail because of a malformed stored value that the model
//     can represent (an unreadable date comes back as model.Date.Raw);
//   - "published" means what readers may see: status published and not in
//     the trash (see Lifecycle). Every list, count, related candidate,
//     harvest and sitemap entry keeps to it; Publication and
//     PublicationBySlug return any record, trashed ones with DeletedAt set.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/imprintpub/imprint/internal/model"
)

// Sentinel errors, wrapped with context by every backend; test with
// errors.Is.
var (
	// ErrNotFound: the record looked up does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write would duplicate a unique value (a slug) or
	// remove a record other records still use.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: a query parameter cannot be used, such as a cursor that
	// no list returned.
	ErrInvalid = errors.New("invalid")
)

// Store is everything Imprint keeps. It is safe for concurrent use.
type Store interface {
	Publications
	People
	Topics
	Regions
	// RelatedCandidates returns what related-content ranking needs for
	// the publication with the given ID: its own terms, its hand-picked
	// overrides, and the published publications that share at least one
	// topic, region or contributor with it. See internal/related.
	RelatedCandidates(ctx context.Context, publicationID int64) (*RelatedSet, error)
	// Close releases the database. The Store must not be used after.
	Close() error
}

// Publications reads and writes publications with their contributions,
// topics, regions and related overrides.
type Publications interface {
	// Publication returns the publication with the given ID, complete:
	// contributions with their people, topics, regions and related refs.
	Publication(ctx context.Context, id int64) (*model.Publication, error)
	// PublicationBySlug returns the publication with the given slug.
	PublicationBySlug(ctx context.Context, slug string) (*model.Publication, error)
	// PublicationsByID returns the publications with the given IDs, in the
	// order given; IDs that do not exist are left out.
	PublicationsByID(ctx context.Context, ids []int64) ([]model.Publication, error)
	// ListPublications returns one page of publications matching q, newest
	// first by issued date (then by ID, newest first).
	ListPublications(ctx context.Context, q PublicationQuery) (*PublicationPage, error)
	// PublicationKeys returns the key of every publication, trashed ones
	// included, by ID: what an import matches its entries by, read
	// without the rest of each record.
	PublicationKeys(ctx context.Context) ([]PublicationKey, error)
	// CreatePublication validates p, resolves its references by ID or slug,
	// inserts it and sets p.ID, the timestamps (PublishedAt when it is
	// published and PublishedAt is zero) and the resolved references.
	CreatePublication(ctx context.Context, p *model.Publication) error
	// UpdatePublication replaces the stored publication p.ID with p,
	// including its contributions, topics, regions and related overrides,
	// and updates the timestamps in p as CreatePublication does.
	UpdatePublication(ctx context.Context, p *model.Publication) error
	// DeletePublication removes the publication and its links; related
	// overrides pointing to it from other publications are dropped.
	DeletePublication(ctx context.Context, id int64) error
}

// People reads and writes people (experts, authors, organizations).
type People interface {
	// Person returns the person with the given ID.
	Person(ctx context.Context, id int64) (*model.Person, error)
	// PersonBySlug returns the person with the given slug.
	PersonBySlug(ctx context.Context, slug string) (*model.Person, error)
	// ListPeople returns people ordered by family name, given name, then
	// literal name; Limit 0 means all.
	ListPeople(ctx context.Context, q PeopleQuery) ([]model.Person, error)
	// CreatePerson validates and inserts p, setting p.ID and timestamps.
	CreatePerson(ctx context.Context, p *model.Person) error
	// UpdatePerson replaces the stored person p.ID with p.
	UpdatePerson(ctx context.Context, p *model.Person) error
	// DeletePerson removes a person; ErrConflict while they still
	// contribute to a publication.
	DeletePerson(ctx context.Context, id int64) error
}

// Topics reads and writes the topic tree.
type Topics interface {
	// Topic returns the topic with the given ID.
	Topic(ctx context.Context, id int64) (*model.Topic, error)
	// TopicBySlug returns the topic with the given slug.
	TopicBySlug(ctx context.Context, slug string) (*model.Topic, error)
	// ListTopics returns every topic, parents before their children and
	// siblings by name, so that a tree can be built in one pass.
	ListTopics(ctx context.Context) ([]model.Topic, error)
	// CreateTopic validates and inserts t, setting t.ID. The parent must
	// exist.
	CreateTopic(ctx context.Context, t *model.Topic) error
	// UpdateTopic replaces topic t.ID; a parent that would make a cycle is
	// a validation error on ParentID.
	UpdateTopic(ctx context.Context, t *model.Topic) error
	// DeleteTopic removes a topic; ErrConflict while it has children or
	// publications.
	DeleteTopic(ctx context.Context, id int64) error
}

// Regions reads and writes the region tree, with the same rules as Topics.
type Regions interface {
	// Region returns the region with the given ID.
	Region(ctx context.Context, id int64) (*model.Region, error)
	// RegionBySlug returns the region with the given slug.
	RegionBySlug(ctx context.Context, slug string) (*model.Region, error)
	// ListRegions returns every region, parents before their children and
	// siblings by name.
	ListRegions(ctx context.Context) ([]model.Region, error)
	// CreateRegion validates and inserts r, setting r.ID. The parent must
	// exist.
	CreateRegion(ctx context.Context, r *model.Region) error
	// UpdateRegion replaces region r.ID; a parent that would make a cycle
	// is a validation error on ParentID.
	UpdateRegion(ctx context.Context, r *model.Region) error
	// DeleteRegion removes a region; ErrConflict while it has children or
	// publications.
	DeleteRegion(ctx context.Context, id int64) error
}

// PublicationKey is what tells one publication from another when
// references arrive from outside (internal/importer): its DOI, and its
// title, year and first contributor.
type PublicationKey struct {
	ID              int64
	Slug            string
	DOI             string
	Title, Subtitle string
	Issued          model.Date
	// FirstFamily and FirstLiteral name the first contributor in byline
	// order, whatever their role: a person's family name, or an
	// organization's name; both "" when there is none.
	FirstFamily, FirstLiteral string
	Trashed                   bool
}

// DefaultLimit and MaxLimit bound list pages.
const (
	DefaultLimit = 20
	MaxLimit     = 500
)

// PublicationQuery selects publications. Zero fields do not filter.
type PublicationQuery struct {
	Type     model.Type
	Status   model.Status // "" for any status: public pages must ask for StatusPublished
	TopicID  int64
	RegionID int64
	PersonID int64 // contributed in any role
	// Subtree widens TopicID and RegionID to their descendants, so that
	// "Security" lists what is filed under "Alliances" too.
	Subtree bool
	// Trashed lists only publications in the trash; by default they are
	// left out of every list.
	Trashed bool
	// CreatedBy keeps publications created by that account.
	CreatedBy int64
	// Title keeps publications whose title or subtitle contains this text,
	// case-insensitively (the admin's list filter; readers use search).
	Title string
	// Limit is the page size: 0 means DefaultLimit, and it is capped at
	// MaxLimit.
	Limit int
	// Offset skips that many matches; ignored when Cursor is set.
	Offset int
	// Cursor continues after the last item of a previous page
	// (PublicationPage.NextCursor); stable while publications are added.
	Cursor string
}

// PublicationPage is one page of a publication list.
type PublicationPage struct {
	Items []model.Publication
	// Total counts every match, not only this page.
	Total int
	// NextCursor continues the list, "" on the last page.
	NextCursor string
}

// PeopleQuery pages through people.
type PeopleQuery struct {
	Limit  int // 0 for all
	Offset int
	// Name keeps people whose display name, family or given name contains
	// this text, case-insensitively (the admin's person picker).
	Name string
	// ORCID keeps the person with this bare ORCID iD.
	ORCID string
}

// Facets are the terms of one publication that related-content ranking
// matches on.
type Facets struct {
	ID      int64
	Slug    string
	Type    model.Type
	SortKey int // model.Date.SortKey of the issued date
	Topics  []int64
	Regions []int64
	People  []int64 // contributors in any role, without repeats
}

// RelatedSet is the input to related-content ranking for one publication.
type RelatedSet struct {
	Self Facets
	// Overrides are the hand-picked related publications that are
	// published, in the editor's order.
	Overrides []int64
	// Candidates are the other published publications sharing a term
	// with Self, by ID; their Topics, Regions and People hold only the
	// terms they share with Self.
	Candidates []Facets
	// Total is the number of published publications, and TopicCount,
	// RegionCount and PersonCount how many of them carry each of Self's
	// terms, so that terms carried by nearly everything can count less.
	Total       int
	TopicCount  map[int64]int
	RegionCount map[int64]int
	PersonCount map[int64]int
	// Texts, when set, holds the wording of Self and of the candidates
	// to compare by text similarity, by ID; stores leave it nil and
	// internal/related fills it from a Texts source.
	Texts map[int64]Text
}

// Harvester lists publications for metadata harvesting (OAI-PMH): the
// published ones and the tombstones of those deleted or unpublished, by
// the time they last changed. It is separate from Store so that a store
// which serves pages only need not implement it; the SQL backends do.
type Harvester interface {
	// Harvest returns one page of published publications and tombstones
	// matching q, oldest change first, ordered by (Datestamp, Slug).
	Harvest(ctx context.Context, q HarvestQuery) (*HarvestPage, error)
	// Tombstone returns the tombstone of the publication that was
	// published under slug and no longer is; ErrNotFound when there is
	// none (never published, or published again).
	Tombstone(ctx context.Context, slug string) (*Tombstone, error)
	// EarliestDatestamp returns the oldest change Harvest can return, or
	// the zero time when there is nothing to harvest.
	EarliestDatestamp(ctx context.Context) (time.Time, error)
	// Stamps returns the slug and last change of up to limit published
	// publications whose slug sorts after after, in slug order: what a
	// sitemap lists, without loading the records. limit is capped at
	// MaxStamps.
	Stamps(ctx context.Context, after string, limit int) ([]Stamp, error)
}

// MaxStamps bounds one call of Harvester.Stamps.
const MaxStamps = 50000

// Stamp is a published publication's slug and last change.
type Stamp struct {
	Slug      string
	UpdatedAt time.Time
}

// Tombstone is what remains of a published publication after it was
// deleted, unpublished or moved to another slug: enough for a harvester to
// learn that the record is gone.
type Tombstone struct {
	Slug          string
	PublicationID int64
	Type          model.Type
	Topics        []string // slugs of its topics when it went away
	Regions       []string // slugs of its regions
	DeletedAt     time.Time
}

// HarvestQuery selects publications and tombstones by change time and by
// set. Zero fields do not filter.
type HarvestQuery struct {
	// From and Until bound the change time, both inclusive.
	From, Until time.Time
	Type        model.Type
	// Topics and Regions keep items filed under any of these slugs; the
	// caller widens a topic to its subtree when it wants that. nil does
	// not filter; an empty, non-nil list matches nothing.
	Topics  []string
	Regions []string
	// After continues a list after the item with this key, exclusive.
	After *HarvestKey
	// Limit is the page size: 0 means DefaultLimit, capped at MaxLimit.
	Limit int
	// Count asks for HarvestPage.Total, which costs a pass over every
	// match: a harvest counts on its first page and carries the number.
	Count bool
}

// HarvestKey is the position of one item in a harvest list.
type HarvestKey struct {
	Datestamp time.Time
	Slug      string
}

// HarvestItem is a published publication or a tombstone.
type HarvestItem struct {
	Key HarvestKey
	// Publication is the complete record, nil for a tombstone.
	Publication *model.Publication
	// Tombstone is set when the publication is gone.
	Tombstone *Tombstone
}

// HarvestPage is one page of a harvest list.
type HarvestPage struct {
	Items []HarvestItem
	// Total counts every match of the query without After, when the
	// query asked to Count; 0 otherwise.
	Total int
	// More reports whether items follow the last one of this page.
	More bool
}
