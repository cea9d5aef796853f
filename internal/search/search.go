// Package search is Imprint's full-text search over published
// publications: title, subtitle, contributor names, summary and full text,
// ranked in that order of weight with the newest first among equals,
// filtered and counted by type, topic, region and expert.
//
// The index lives in the store's database and is kept current by triggers
// the store's migrations install (0003_search.sql), inside the transaction
// of every write: an SQLite FTS5 table, or a PostgreSQL table of weighted
// tsvectors. This package only reads it, through an Index for the engine
// at hand. Readers' text never reaches SQL or a match expression as
// written: Parse reads it into terms, prefixes and phrases, and each engine
// builds its expression from those, quoting every token, as a bound
// parameter.
package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
)

// Index answers search queries. Implementations are safe for concurrent
// use.
type Index interface {
	// Search returns one page of the published publications matching q,
	// with facet counts over the ranked matches (see Result.Ranked).
	Search(ctx context.Context, q Query) (*Result, error)
	// Rebuild indexes every publication again from the stored records.
	// The triggers keep the index current on their own; Rebuild is for
	// repairs and after writes that bypassed them (a bulk copy).
	Rebuild(ctx context.Context) error
}

// ErrInvalid is wrapped by the errors of a query that cannot be run as
// asked (a date that cannot be read); the message says what to change.
var ErrInvalid = errors.New("invalid search")

// Engines Open knows.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Open returns the Index over db for engine (SQLite or Postgres), whose
// schema the store has migrated.
func Open(db *sql.DB, engine string) (Index, error) {
	switch engine {
	case SQLite:
		return NewSQLite(db), nil
	case Postgres:
		return NewPostgres(db), nil
	}
	return nil, fmt.Errorf("search: no index for database engine %q", engine)
}

// Page sizes.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	// MaxPage bounds how deep a reader can page: past it the ranking has
	// long stopped meaning anything, and each page costs more to skip to.
	MaxPage = 500
	// MaxFacetValues bounds how many values of one facet a result lists.
	MaxFacetValues = 12
	// RankWindow bounds how many matches a query ranks, lists and counts
	// by facet: the most recently added ones when more match. Ranking
	// every publication that has a common word costs time in proportion
	// to the catalogue; this keeps a query's cost bounded at any size.
	RankWindow = 1000
	// MaxCounted bounds how many matches the total counts; past it the
	// total is shown as "10,000+".
	MaxCounted = 10000
	// EstimateAbove: an engine that can estimate how many publications
	// match without reading them (PostgreSQL's planner) gives its
	// estimate as the total when it is above this, rather than count
	// them: counting reads every match, and a reader needs no exact
	// total of thousands.
	EstimateAbove = 2000
)

// Query is one search. Zero fields do not filter.
type Query struct {
	// Text is what the reader typed; see Parse. Text without a word lists
	// every publication the filters keep, newest first.
	Text string
	Type model.Type
	// Topic, Region and Expert are slugs; a publication matches when it
	// is filed under that topic or region itself, or the person
	// contributed to it in any role.
	Topic, Region, Expert string
	// From and To bound the issued date, both inclusive, as model.Date
	// SortKey values (YYYYMMDD); see DateBound.
	From, To int
	// Page counts from 1; 0 means 1.
	Page    int
	PerPage int // 0 means DefaultPerPage; capped at MaxPerPage
}

// Filtered reports whether q filters by anything but its text.
func (q Query) Filtered() bool {
	return q.Type != "" || q.Topic != "" || q.Region != "" || q.Expert != "" || q.From != 0 || q.To != 0
}

// normalize returns q with its paging in range.
func (q Query) normalize() Query {
	if q.PerPage <= 0 {
		q.PerPage = DefaultPerPage
	}
	q.PerPage = min(q.PerPage, MaxPerPage)
	q.Page = min(max(q.Page, 1), MaxPage)
	return q
}

// Result is one page of matches.
type Result struct {
	// Parsed is the query as understood, for showing it back.
	Parsed Parsed
	Hits   []Hit
	// Total counts every match, not only this page, up to MaxCounted.
	Total int
	// TotalCapped reports that more than MaxCounted publications
	// matched: Total is then a lower bound.
	TotalCapped bool
	// TotalEstimated reports that Total is the engine's estimate, to two
	// significant digits, not a count (see EstimateAbove).
	TotalEstimated bool
	// Ranked is how many of the matches were ranked, can be paged
	// through and are counted in Facets: Total, or RankWindow when more
	// matched.
	Ranked        int
	Page, PerPage int
	Facets        Facets
}

// TotalText writes Total for readers, with thousands separated: "1,234",
// or "10,000+" when more matched than were counted.
func (r *Result) TotalText() string {
	s := strconv.Itoa(r.Total)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if r.TotalCapped {
		s += "+"
	}
	return s
}

// Windowed reports whether more publications matched than were ranked:
// the hits and facets then cover the Ranked most recently added matches.
func (r *Result) Windowed() bool { return r.Ranked < r.Total || r.TotalCapped }

// Pages returns how many pages the ranked matches fill, at most MaxPage.
func (r *Result) Pages() int {
	n := min(r.Total, r.Ranked)
	if r.PerPage <= 0 || n <= 0 {
		return 0
	}
	return min((n+r.PerPage-1)/r.PerPage, MaxPage)
}

// Hit is one matching publication; the caller loads the record by ID.
type Hit struct {
	ID int64
	// Score is the engine's relevance, higher is better; comparable only
	// within one result. 0 when the query had no words.
	Score float64
	// Snippet is a passage of the summary or full text with the matched
	// words in <mark>, escaped: safe to write into a page as is.
	Snippet template.HTML
}

// Facets count the matches by facet value, most frequent first.
type Facets struct {
	Types   []FacetValue
	Topics  []FacetValue
	Regions []FacetValue
	Experts []FacetValue
}

// FacetValue is one value of a facet with the number of matches carrying
// it. Value is what a query filters on: a type, or a slug.
type FacetValue struct {
	Value string
	Name  string
	Count int
}

// DateBound reads the from or to bound of a date filter: a year ("2019"),
// a month ("2019-05") or a day ("2019-05-17"), as a SortKey. A to bound
// covers the whole year or month it names.
func DateBound(s string, upper bool) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	var y, m, d int
	parts := strings.Split(s, "-")
	bad := fmt.Errorf("%w: date %q: want a year, YYYY-MM or YYYY-MM-DD", ErrInvalid, s)
	if len(parts) > 3 {
		return 0, bad
	}
	for i, p := range parts {
		n, ok := digits(p)
		if !ok {
			return 0, bad
		}
		switch i {
		case 0:
			if len(p) != 4 {
				return 0, bad
			}
			y = n
		case 1:
			if n < 1 || n > 12 {
				return 0, bad
			}
			m = n
		case 2:
			if n < 1 || n > 31 {
				return 0, bad
			}
			d = n
		}
	}
	if upper {
		if m == 0 {
			m = 99 // past every month and season key
		}
		if d == 0 {
			d = 99
		}
	}
	return y*10000 + m*100 + d, nil
}

func digits(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
