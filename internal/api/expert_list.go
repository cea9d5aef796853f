package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// expertView is a person as the API shows them.
type expertView struct {
	Slug                string `json:"slug"`
	Name                string `json:"name"`
	SortName            string `json:"sort_name"`
	Given               string `json:"given,omitempty"`
	Family              string `json:"family,omitempty"`
	DroppingParticle    string `json:"dropping_particle,omitempty"`
	NonDroppingParticle string `json:"non_dropping_particle,omitempty"`
	Suffix              string `json:"suffix,omitempty"`
	// Organization holds the whole name of an organization, whose name
	// has no parts.
	Organization string `json:"organization,omitempty"`
	RoleLine     string `json:"role_line,omitempty"`
	Bio          string `json:"bio,omitempty"`
	Links        struct {
		Self         string `json:"self"`
		HTML         string `json:"html"`
		Publications string `json:"publications"`
	} `json:"links"`
	// Publications are the newest published ones, on the detail endpoint
	// only; links.publications lists them all.
	Publications []publicationView `json:"publications,omitzero"`
}

func (s *server) expertView(r *http.Request, p *model.Person) expertView {
	v := expertView{
		Slug: p.Slug, Name: p.DisplayName(), SortName: p.SortName(),
		Given: p.Given, Family: p.Family, DroppingParticle: p.DroppingParticle,
		NonDroppingParticle: p.NonDroppingParticle, Suffix: p.Suffix,
		Organization: p.Literal, RoleLine: p.RoleLine, Bio: p.Bio,
	}
	l := s.personLinks(r, p.Slug)
	v.Links.Self, v.Links.HTML = l.Self, l.HTML
	v.Links.Publications = s.absURL(r, Prefix+"publications?expert="+url.QueryEscape(p.Slug))
	return v
}

type expertList struct {
	Data       []expertView `json:"data"`
	NextCursor string       `json:"next_cursor,omitempty"`
	Links      struct {
		Self string `json:"self"`
		Next string `json:"next,omitempty"`
	} `json:"links"`
}

// expertList serves GET /api/v1/experts: people by family name, paged.
// People change rarely and are few next to publications, so the cursor
// is a position in the list.
func (s *server) expertList(w http.ResponseWriter, r *http.Request) {
	p := s.params(w, r, "limit", "cursor")
	limit := p.number("limit", DefaultLimit, MaxLimit)
	offset := 0
	if c := p.get("cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "p"))
		if !strings.HasPrefix(c, "p") || err != nil || n < 1 {
			p.fail("cursor", fmt.Sprintf("%q is not one this API returned", c))
		}
		offset = n
	}
	if !p.ok() {
		return
	}
	// One more than asked tells whether a next page exists.
	people, err := s.store.ListPeople(r.Context(), store.PeopleQuery{Limit: limit + 1, Offset: offset})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	out := expertList{Data: make([]expertView, 0, min(limit, len(people)))}
	if len(people) > limit {
		people = people[:limit]
		out.NextCursor = "p" + strconv.Itoa(offset+limit)
	}
	for i := range people {
		out.Data = append(out.Data, s.expertView(r, &people[i]))
	}
	out.Links.Self = s.absURL(r, r.URL.RequestURI())
	if out.NextCursor != "" {
		q := r.URL.Query()
		q.Set("cursor", out.NextCursor)
		out.Links.Next = s.absURL(r, r.URL.Path+"?"+q.Encode())
	}
	s.writeJSON(w, r, out)
}
