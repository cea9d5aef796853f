package model

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/imprintpub/imprint/csl"
)

// Publication is one work the organization publishes or points to: a
// report, an article elsewhere, an op-ed, a book, a podcast episode, an
// event. It is the single record behind its page, its citations and every
// export.
type Publication struct {
	ID            int64
	Slug          string
	Type          Type
	Title         string
	Subtitle      string
	Contributions []Contribution // in byline order
	Issued        Date
	Venue         Venue
	DOI           string // bare, "10.1234/abc"
	URL           string // full text elsewhere
	FullText      string // Markdown hosted here
	// FullTextPDF is the content address of a hosted PDF of the full text
	// (an upload key, "sha256-<hex>.pdf"), "" when there is none.
	FullTextPDF string
	Summary     string // Markdown
	Language    string // BCP 47 tag, "" for English
	Topics      []Topic
	Regions     []Region
	Related     []Ref // hand-picked related publications, shown first in this order
	Status      Status
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt time.Time // zero while never published
	// PublishAt is when a scheduled publication goes live; zero unless
	// Status is StatusScheduled.
	PublishAt time.Time
	// DeletedAt is set while the publication is in the trash (a soft
	// delete an admin can undo); its public URL answers 410 Gone.
	DeletedAt time.Time
	// CreatedBy is the ID of the account that created the record, 0 when
	// it was imported or seeded; contributors may edit only their own.
	CreatedBy int64
}

// Contribution is one person's part in a publication.
type Contribution struct {
	Person Person
	Role   Role
}

// Ref names another record by ID or, when ID is 0, by slug; stores resolve
// it and fill in both.
type Ref struct {
	ID   int64
	Slug string
}

// FullTitle returns the title with its subtitle: "Title: Subtitle", or
// "Title? Subtitle" when the title ends in its own punctuation.
func (p *Publication) FullTitle() string {
	if p.Subtitle == "" {
		return p.Title
	}
	if strings.HasSuffix(p.Title, "?") || strings.HasSuffix(p.Title, "!") {
		return p.Title + " " + p.Subtitle
	}
	return p.Title + ": " + p.Subtitle
}

// Contributors returns the people with role r, in byline order.
func (p *Publication) Contributors(r Role) []Person {
	var out []Person
	for _, c := range p.Contributions {
		if c.Role == r {
			out = append(out, c.Person)
		}
	}
	return out
}

// IsPublished reports whether readers may see p.
func (p *Publication) IsPublished() bool {
	return p.Status == StatusPublished && p.DeletedAt.IsZero()
}

// IsWithdrawn reports whether p was public and is now in the trash: its
// address answers 410 Gone rather than 404.
func (p *Publication) IsWithdrawn() bool {
	return p.Status == StatusPublished && !p.DeletedAt.IsZero()
}

// CSL returns p as a CSL item: the one view of a publication that
// citations, exports and metadata read. Empty fields are left out. The
// summary is not mapped to "abstract": it is written for the page, not for
// a bibliography.
func (p *Publication) CSL() csl.Item {
	it := csl.Item{ID: p.Slug, Type: p.Type.CSLType()}
	if it.ID == "" {
		it.ID = "pub-" + strconv.FormatInt(p.ID, 10)
	}
	vars := map[string]string{}
	set := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			vars[k] = v
		}
	}
	set("title", p.FullTitle())
	set("container-title", p.Venue.ContainerTitle)
	set("volume", p.Venue.Volume)
	set("issue", p.Venue.Issue)
	set("number", p.Venue.Number)
	set("page", p.Venue.Pages)
	set("publisher", p.Venue.Publisher)
	if p.Type == TypeEvent {
		set("event-place", p.Venue.Place)
	} else {
		set("publisher-place", p.Venue.Place)
	}
	set("ISSN", p.Venue.ISSN)
	set("ISBN", p.Venue.ISBN)
	set("DOI", p.DOI)
	set("URL", p.URL)
	// CSL processors take a missing language as English; stating it only
	// otherwise keeps English items minimal and stops title-casing of
	// titles in other languages.
	if l := strings.ToLower(p.Language); l != "" && l != "en" && !strings.HasPrefix(l, "en-") {
		set("language", p.Language)
	}
	if len(vars) > 0 {
		it.Vars = vars
	}
	for _, c := range p.Contributions {
		if it.Names == nil {
			it.Names = map[string][]csl.Name{}
		}
		v := c.Role.CSLVariable()
		it.Names[v] = append(it.Names[v], c.Person.CSLName())
	}
	if d := p.Issued.CSL(); !d.IsZero() {
		it.Dates = map[string]csl.Date{"issued": d}
	}
	return it
}

// Validate reports every problem with p's fields at once. Contributors,
// topics, regions and related entries must name their record by ID or
// slug; whether it exists is for the store to check.
func (p *Publication) Validate() error {
	var v validator
	if !ValidSlug(p.Slug) {
		v.add("Slug", "must be lower-case letters, digits and single hyphens, at most "+strconv.Itoa(MaxSlugLen)+" characters")
	}
	if !p.Type.Valid() {
		v.add("Type", fmt.Sprintf("unknown type %q", p.Type))
	}
	if strings.TrimSpace(p.Title) == "" {
		v.add("Title", "is required")
	} else {
		checkLine(&v, "Title", p.Title, 1000)
	}
	checkLine(&v, "Subtitle", p.Subtitle, 1000)
	for i, c := range p.Contributions {
		field := fmt.Sprintf("Contributions[%d]", i)
		if !c.Role.Valid() {
			v.add(field+".Role", fmt.Sprintf("unknown role %q", c.Role))
		}
		if c.Person.ID == 0 && c.Person.Slug == "" {
			v.add(field+".Person", "names no person")
		}
	}
	p.Issued.validate(&v, "Issued")
	for _, f := range []struct{ name, val string }{
		{"Venue.ContainerTitle", p.Venue.ContainerTitle}, {"Venue.Volume", p.Venue.Volume},
		{"Venue.Issue", p.Venue.Issue}, {"Venue.Number", p.Venue.Number}, {"Venue.Pages", p.Venue.Pages},
		{"Venue.Publisher", p.Venue.Publisher}, {"Venue.Place", p.Venue.Place},
		{"Venue.ISSN", p.Venue.ISSN}, {"Venue.ISBN", p.Venue.ISBN}, {"DOI", p.DOI}, {"Language", p.Language},
	} {
		checkLine(&v, f.name, f.val, 1000)
	}
	if p.DOI != "" && !strings.HasPrefix(p.DOI, "10.") {
		v.add("DOI", "must be a bare DOI starting with \"10.\" (no https://doi.org/)")
	}
	if p.URL != "" {
		if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add("URL", "must be an absolute http or https URL")
		}
	}
	if !p.Status.Valid() {
		v.add("Status", fmt.Sprintf("must be one of %q, %q, %q or %q", StatusDraft, StatusReview, StatusScheduled, StatusPublished))
	}
	if p.Status == StatusScheduled && p.PublishAt.IsZero() {
		v.add("PublishAt", "a scheduled publication needs the time it goes live")
	}
	if p.FullTextPDF != "" && !validUploadKey(p.FullTextPDF) {
		v.add("FullTextPDF", "must be an upload key such as \"sha256-<64 hex digits>.pdf\"")
	}
	for i, t := range p.Topics {
		if t.ID == 0 && t.Slug == "" {
			v.add(fmt.Sprintf("Topics[%d]", i), "names no topic")
		}
	}
	for i, r := range p.Regions {
		if r.ID == 0 && r.Slug == "" {
			v.add(fmt.Sprintf("Regions[%d]", i), "names no region")
		}
	}
	for i, r := range p.Related {
		switch {
		case r.ID == 0 && r.Slug == "":
			v.add(fmt.Sprintf("Related[%d]", i), "names no publication")
		case (r.ID != 0 && r.ID == p.ID) || (r.ID == 0 && r.Slug == p.Slug):
			v.add(fmt.Sprintf("Related[%d]", i), "is the publication itself")
		}
	}
	return v.err("publication " + strconv.Quote(p.Slug))
}
