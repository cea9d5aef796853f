package store

import "context"

// RelatedLists keeps each publication's "More on This Topic" list ranked
// ahead of time, so that a page reads it by key instead of ranking every
// publication that shares a term (internal/related fills it). It is
// separate from Store, like Harvester, so that a store serving pages only
// need not implement it; the SQL backends do.
type RelatedLists interface {
	// RelatedList returns the stored list of the publication, in rank
	// order, leaving out entries whose publication is no longer published
	// (a list computed before an unpublish must not show it). ok is false
	// when no list was stored for it, which differs from an empty list.
	RelatedList(ctx context.Context, publicationID int64) (entries []RelatedEntry, ok bool, err error)
	// SetRelatedList replaces the stored list of the publication; an
	// entry naming a publication that does not exist is ErrConflict and
	// the publication itself ErrNotFound.
	SetRelatedList(ctx context.Context, publicationID int64, list RankedList) error
	// RelatedTermCounts returns how many published publications carry
	// each of terms, and how many are published in all: what the weight
	// of a term is computed from.
	RelatedTermCounts(ctx context.Context, terms Terms) (*TermCounts, error)
	// RelatedNeighbours returns, by ID and in any status, the publications
	// whose list may change when those in q.IDs change (see
	// NeighbourQuery).
	RelatedNeighbours(ctx context.Context, q NeighbourQuery) ([]int64, error)
	// SetRelatedLists stores several lists in one transaction, as
	// SetRelatedList does each; a publication deleted meanwhile is
	// skipped.
	SetRelatedLists(ctx context.Context, lists map[int64]RankedList) error
	// RelatedCatalogue returns the facets of every publication at once,
	// so that many lists can be ranked from memory rather than with one
	// RelatedCandidates query each.
	RelatedCatalogue(ctx context.Context) (*Catalogue, error)
}

// Catalogue is every publication's facets, from one snapshot.
type Catalogue struct {
	// Publications holds every publication in any status, by ID, each
	// with all its terms in their stored order, without repeats.
	Publications []Facets
	// Published tells which of them are published.
	Published map[int64]bool
	// Overrides are the hand-picked related publications of each
	// publication, in the editor's order, whatever their status.
	Overrides map[int64][]int64
}

// RelatedEntry is one stored related publication and why it was chosen.
type RelatedEntry struct {
	ID int64
	// Score is the ranking score; overrides have 0.
	Score float64
	// Reasons is the explanation internal/related wrote, kept as it was.
	Reasons string
}

// RankedList is one publication's ranked list as stored.
type RankedList struct {
	Entries []RelatedEntry
	// Floor is the lowest score on shared terms, type and date among the
	// candidates the ranking kept to compare by text: a publication
	// scoring below it on those could not have entered the list. It is 0
	// when every candidate was kept, so that any may enter.
	Floor float64
}

// TermCounts are the published carriers of terms, by term.
type TermCounts struct {
	Total                   int // published publications
	Topics, Regions, People map[int64]int
}

// NeighbourQuery asks which lists a change to some publications may
// change.
type NeighbourQuery struct {
	// IDs are the changed publications: the lists naming one of them
	// and the publications that picked one of them by hand are
	// neighbours.
	IDs []int64
	// Every carrier of one of Terms is a neighbour.
	Terms Terms
	// A carrier of broad terms is a neighbour when its stored list's
	// Floor is at most the sum of the weights of the Broad terms it
	// carries plus Bonus, or when it has no stored list: a term carried
	// by thousands moves little in weight when one carrier changes, so
	// only the lists the changed publications could enter or leave need
	// ranking again.
	Broad []BroadTerm
	Bonus float64
}

// TermKind says which kind of term an ID names.
type TermKind int

// The kinds of terms.
const (
	TopicTerm TermKind = iota
	RegionTerm
	PersonTerm
)

// BroadTerm is a term with the most it can add to a score.
type BroadTerm struct {
	Kind   TermKind
	ID     int64
	Weight float64
}

// Terms are topic, region and person IDs.
type Terms struct {
	Topics, Regions, People []int64
}

// Text is what related-content ranking compares of two publications'
// wording.
type Text struct {
	ID       int64
	Title    string
	Subtitle string
	Summary  string // Markdown as stored
}

// Texts hands over publications' wording for text similarity. It is
// separate from Store, like RelatedLists; the SQL backends implement it.
type Texts interface {
	// PublicationTexts returns the text of the publications with the
	// given IDs, in any order; IDs that do not exist are left out.
	PublicationTexts(ctx context.Context, ids []int64) ([]Text, error)
}
