// Package demo holds the demo content that `imprint serve --demo` loads: a
// small research institute's publications on Asian security and economics,
// with their experts, topics and regions.
package demo

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/imprintpub/imprint/internal/model"
)

//go:embed content.json
var contentJSON []byte

// content mirrors content.json.
type content struct {
	People       []person      `json:"people"`
	Topics       []term        `json:"topics"`
	Regions      []term        `json:"regions"`
	Publications []publication `json:"publications"`
}

type person struct {
	Slug     string `json:"slug"`
	Given    string `json:"given"`
	Family   string `json:"family"`
	Particle string `json:"particle"`
	Literal  string `json:"literal"`
	RoleLine string `json:"role_line"`
	Bio      string `json:"bio"`
}

type term struct {
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Parent string `json:"parent"`
}

type contribution struct {
	Person string `json:"person"`
	Role   string `json:"role"`
}

type publication struct {
	Slug           string         `json:"slug"`
	Type           string         `json:"type"`
	Title          string         `json:"title"`
	Subtitle       string         `json:"subtitle"`
	Contributors   []contribution `json:"contributors"`
	Editors        []string       `json:"editors"` // editors of the container (a chapter's book)
	Issued         string         `json:"issued"`
	ContainerTitle string         `json:"container_title"`
	Volume         string         `json:"volume"`
	Issue          string         `json:"issue"`
	Pages          string         `json:"pages"`
	Number         string         `json:"number"`
	Publisher      string         `json:"publisher"`
	Place          string         `json:"place"`
	ISBN           string         `json:"isbn"`
	ISSN           string         `json:"issn"`
	DOI            string         `json:"doi"`
	URL            string         `json:"url"`
	Summary        string         `json:"summary"`
	FullText       string         `json:"full_text"`
	Language       string         `json:"language"`
	Topics         []string       `json:"topics"`
	Regions        []string       `json:"regions"`
	Related        []string       `json:"related"`
}

// parseContent decodes and checks content.json: unknown fields, duplicate
// slugs and references to undefined records are errors, with the record
// named.
func parseContent(data []byte) (*content, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c content
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("demo content: %w", err)
	}
	people := map[string]bool{}
	for i, p := range c.People {
		if p.Slug == "" || people[p.Slug] {
			return nil, fmt.Errorf("demo content: people[%d]: missing or duplicate slug %q", i, p.Slug)
		}
		people[p.Slug] = true
	}
	topics, err := checkTerms("topics", c.Topics)
	if err != nil {
		return nil, err
	}
	regions, err := checkTerms("regions", c.Regions)
	if err != nil {
		return nil, err
	}
	pubs := map[string]bool{}
	for i, p := range c.Publications {
		if p.Slug == "" || pubs[p.Slug] {
			return nil, fmt.Errorf("demo content: publications[%d]: missing or duplicate slug %q", i, p.Slug)
		}
		pubs[p.Slug] = true
	}
	for _, p := range c.Publications {
		where := "demo content: publication " + p.Slug
		if p.Title == "" || p.Type == "" {
			return nil, fmt.Errorf("%s: title and type are required", where)
		}
		if _, err := model.ParseDate(p.Issued); err != nil {
			return nil, fmt.Errorf("%s: issued: %w", where, err)
		}
		for _, ct := range p.Contributors {
			if !people[ct.Person] {
				return nil, fmt.Errorf("%s: contributor %q is not in people", where, ct.Person)
			}
		}
		for _, e := range p.Editors {
			if !people[e] {
				return nil, fmt.Errorf("%s: editor %q is not in people", where, e)
			}
		}
		for _, t := range p.Topics {
			if !topics[t] {
				return nil, fmt.Errorf("%s: topic %q is not in topics", where, t)
			}
		}
		for _, r := range p.Regions {
			if !regions[r] {
				return nil, fmt.Errorf("%s: region %q is not in regions", where, r)
			}
		}
		for _, r := range p.Related {
			if !pubs[r] || r == p.Slug {
				return nil, fmt.Errorf("%s: related %q is not another publication", where, r)
			}
		}
	}
	return &c, nil
}

// checkTerms checks that slugs are unique and that each parent is defined
// before its children, so that loading in file order never dangles.
func checkTerms(kind string, ts []term) (map[string]bool, error) {
	seen := map[string]bool{}
	for i, t := range ts {
		if t.Slug == "" || t.Name == "" || seen[t.Slug] {
			return nil, fmt.Errorf("demo content: %s[%d]: missing name or missing or duplicate slug %q", kind, i, t.Slug)
		}
		if t.Parent != "" && !seen[t.Parent] {
			return nil, fmt.Errorf("demo content: %s %q: parent %q is not defined before it", kind, t.Slug, t.Parent)
		}
		seen[t.Slug] = true
	}
	return seen, nil
}
