package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/internal/model"
)

// publicationView is a publication as the API shows it. Field names are
// snake_case and empty optional fields are left out, as the OpenAPI
// document describes.
type publicationView struct {
	Slug         string            `json:"slug"`
	Type         string            `json:"type"`
	TypeLabel    string            `json:"type_label"`
	Title        string            `json:"title"`
	Subtitle     string            `json:"subtitle,omitempty"`
	FullTitle    string            `json:"full_title"`
	Contributors []contributorView `json:"contributors"`
	Issued       *dateView         `json:"issued,omitempty"`
	Venue        *venueView        `json:"venue,omitempty"`
	DOI          string            `json:"doi,omitempty"`
	URL          string            `json:"url,omitempty"`
	Language     string            `json:"language,omitempty"`
	Summary      string            `json:"summary,omitempty"`
	Topics       []termView        `json:"topics"`
	Regions      []termView        `json:"regions"`
	PublishedAt  *time.Time        `json:"published_at,omitempty"`
	UpdatedAt    time.Time         `json:"updated_at"`
	Links        publicationLinks  `json:"links"`
	// CSL is the CSL-JSON item every citation of the publication is made
	// from; only the single-publication endpoint includes it.
	CSL *csl.Item `json:"csl,omitempty"`
}

type contributorView struct {
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	RoleLabel string `json:"role_label"`
	Literal   bool   `json:"organization,omitempty"`
	Links     links  `json:"links"`
}

// dateView gives a date both as readers see it and as data.
type dateView struct {
	Text  string    `json:"text"`
	Value string    `json:"value"` // compact form: "2015-03-03", "2014-spring", "2013-09/2013-10"
	Start *partView `json:"start,omitempty"`
	End   *partView `json:"end,omitempty"`
	Circa bool      `json:"circa,omitempty"`
}

type partView struct {
	Year   int    `json:"year"`
	Month  int    `json:"month,omitempty"`
	Day    int    `json:"day,omitempty"`
	Season string `json:"season,omitempty"`
}

type venueView struct {
	Line           string `json:"line,omitempty"`
	ContainerTitle string `json:"container_title,omitempty"`
	Volume         string `json:"volume,omitempty"`
	Issue          string `json:"issue,omitempty"`
	Number         string `json:"number,omitempty"`
	Pages          string `json:"pages,omitempty"`
	Publisher      string `json:"publisher,omitempty"`
	Place          string `json:"place,omitempty"`
	ISSN           string `json:"issn,omitempty"`
	ISBN           string `json:"isbn,omitempty"`
}

type termView struct {
	Slug  string    `json:"slug"`
	Name  string    `json:"name"`
	Links termLinks `json:"links"`
}

// termLinks point to a topic's or region's page and to the API list of
// what is filed under it.
type termLinks struct {
	Publications string `json:"publications"`
	HTML         string `json:"html"`
}

// links point to the API record and the page readers see.
type links struct {
	Self string `json:"self"`
	HTML string `json:"html"`
}

type publicationLinks struct {
	Self    string `json:"self"`
	HTML    string `json:"html"`
	Cite    string `json:"cite"`
	Full    string `json:"full,omitempty"`
	CSLJSON string `json:"csl_json"`
	BibTeX  string `json:"bibtex"`
	RIS     string `json:"ris"`
}

func (s *server) publicationView(r *http.Request, p *model.Publication, withCSL bool) publicationView {
	slug := url.PathEscape(p.Slug)
	page := s.absURL(r, "/publications/"+slug)
	v := publicationView{
		Slug:         p.Slug,
		Type:         string(p.Type),
		TypeLabel:    p.Type.Label(),
		Title:        p.Title,
		Subtitle:     p.Subtitle,
		FullTitle:    p.FullTitle(),
		Contributors: make([]contributorView, 0, len(p.Contributions)),
		Issued:       newDateView(p.Issued),
		DOI:          p.DOI,
		URL:          p.URL,
		Language:     p.Language,
		Summary:      p.Summary,
		Topics:       make([]termView, 0, len(p.Topics)),
		Regions:      make([]termView, 0, len(p.Regions)),
		UpdatedAt:    p.UpdatedAt.UTC(),
		Links: publicationLinks{
			Self:    s.absURL(r, Prefix+"publications/"+slug),
			HTML:    page,
			Cite:    page + "/cite",
			CSLJSON: page + ".json",
			BibTeX:  page + ".bib",
			RIS:     page + ".ris",
		},
	}
	if p.FullText != "" {
		v.Links.Full = page + "/full"
	}
	if !p.PublishedAt.IsZero() {
		t := p.PublishedAt.UTC()
		v.PublishedAt = &t
	}
	if !p.Venue.IsZero() {
		pv := p.Venue
		v.Venue = &venueView{
			Line: pv.Line(), ContainerTitle: pv.ContainerTitle, Volume: pv.Volume, Issue: pv.Issue,
			Number: pv.Number, Pages: pv.Pages, Publisher: pv.Publisher, Place: pv.Place,
			ISSN: pv.ISSN, ISBN: pv.ISBN,
		}
	}
	for _, c := range p.Contributions {
		v.Contributors = append(v.Contributors, contributorView{
			Slug:      c.Person.Slug,
			Name:      c.Person.DisplayName(),
			Role:      string(c.Role),
			RoleLabel: c.Role.Label(),
			Literal:   c.Person.Literal != "",
			Links:     s.personLinks(r, c.Person.Slug),
		})
	}
	for _, t := range p.Topics {
		v.Topics = append(v.Topics, s.topicView(r, t.Slug, t.Name))
	}
	for _, g := range p.Regions {
		v.Regions = append(v.Regions, s.regionView(r, g.Slug, g.Name))
	}
	if withCSL {
		it := p.CSL()
		v.CSL = &it
	}
	return v
}

func (s *server) personLinks(r *http.Request, slug string) links {
	return links{
		Self: s.absURL(r, Prefix+"experts/"+url.PathEscape(slug)),
		HTML: s.absURL(r, "/experts/"+url.PathEscape(slug)),
	}
}

func (s *server) topicView(r *http.Request, slug, name string) termView {
	return termView{Slug: slug, Name: name, Links: termLinks{
		Publications: s.absURL(r, Prefix+"publications?topic="+url.QueryEscape(slug)),
		HTML:         s.absURL(r, "/topics/"+url.PathEscape(slug)),
	}}
}

func (s *server) regionView(r *http.Request, slug, name string) termView {
	return termView{Slug: slug, Name: name, Links: termLinks{
		Publications: s.absURL(r, Prefix+"publications?region="+url.QueryEscape(slug)),
		HTML:         s.absURL(r, "/regions/"+url.PathEscape(slug)),
	}}
}

func newDateView(d model.Date) *dateView {
	if d.IsZero() {
		return nil
	}
	v := &dateView{Text: d.Format(), Value: d.String(), Circa: d.Circa}
	if d.Raw == "" {
		v.Start = newPartView(d.Start)
		if d.IsRange() {
			v.End = newPartView(d.End)
		}
	}
	return v
}

func newPartView(p model.DatePart) *partView {
	if p.IsZero() {
		return nil
	}
	return &partView{Year: p.Year, Month: p.Month, Day: p.Day, Season: p.Season.String()}
}
