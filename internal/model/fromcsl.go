package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/csl"
)

// cslRoles maps the CSL name variables a publication can hold to roles, in
// byline order.
var cslRoles = []struct {
	variable string
	role     Role
}{
	{"author", RoleAuthor}, {"host", RoleHost}, {"guest", RoleGuest}, {"chair", RoleModerator},
	{"editor", RoleEditor}, {"translator", RoleTranslator},
}

// cslVars maps CSL variables to the publication field that keeps them.
var cslVars = map[string]func(p *Publication) *string{
	"title":           func(p *Publication) *string { return &p.Title },
	"container-title": func(p *Publication) *string { return &p.Venue.ContainerTitle },
	"volume":          func(p *Publication) *string { return &p.Venue.Volume },
	"issue":           func(p *Publication) *string { return &p.Venue.Issue },
	"number":          func(p *Publication) *string { return &p.Venue.Number },
	"page":            func(p *Publication) *string { return &p.Venue.Pages },
	"publisher":       func(p *Publication) *string { return &p.Venue.Publisher },
	"publisher-place": func(p *Publication) *string { return &p.Venue.Place },
	"event-place":     func(p *Publication) *string { return &p.Venue.Place },
	"ISSN":            func(p *Publication) *string { return &p.Venue.ISSN },
	"ISBN":            func(p *Publication) *string { return &p.Venue.ISBN },
	"DOI":             func(p *Publication) *string { return &p.DOI },
	"URL":             func(p *Publication) *string { return &p.URL },
	"language":        func(p *Publication) *string { return &p.Language },
	"abstract":        func(p *Publication) *string { return &p.Summary },
}

// FromCSL builds a draft publication from a CSL item, as an import from a
// reference manager does: the inverse of Publication.CSL for every field a
// publication keeps. Contributors come back as people named in full with
// a slug derived from the name ("" for names without Latin letters, which
// the importer must name). The abstract becomes the summary. What the
// record cannot keep — other name variables, other fields, an unknown type
// — is listed in the notes, one line each, so that an import can report
// it; nothing is dropped silently.
func FromCSL(it csl.Item) (*Publication, []string) {
	var notes []string
	p := &Publication{Slug: Slugify(it.ID), Type: Type(it.Type), Status: StatusDraft}
	if !p.Type.Valid() {
		notes = append(notes, fmt.Sprintf("type %q is not a CSL type; kept as \"document\"", it.Type))
		p.Type = "document"
	}
	for _, r := range cslRoles {
		for _, n := range it.Names[r.variable] {
			person := Person{Given: n.Given, Family: n.Family, DroppingParticle: n.DroppingParticle,
				NonDroppingParticle: n.NonDroppingParticle, Suffix: n.Suffix, Literal: n.Literal,
				ORCID: NormalizeORCID(n.ORCID)}
			if person.Family == "" && person.Literal == "" && person.Given != "" {
				// A lone given name ("Plato") is the name itself.
				person.Family, person.Given = person.Given, ""
			}
			person.Slug = Slugify(person.DisplayName())
			p.Contributions = append(p.Contributions, Contribution{Person: person, Role: r.role})
		}
	}
	for _, v := range sortedKeys(it.Names) {
		if !slicesContainsRole(v) {
			notes = append(notes, fmt.Sprintf("names in %q not kept: no matching role", v))
		}
	}
	for _, k := range sortedKeys(it.Vars) {
		v := strings.TrimSpace(it.Vars[k])
		field, ok := cslVars[k]
		switch {
		case v == "":
		case !ok:
			notes = append(notes, fmt.Sprintf("field %q not kept", k))
		case *field(p) != "":
			notes = append(notes, fmt.Sprintf("field %q not kept: its value is already set by another field", k))
		default:
			*field(p) = v
		}
	}
	p.DOI = trimDOI(p.DOI)
	for _, k := range sortedKeys(it.Dates) {
		if k != "issued" {
			notes = append(notes, fmt.Sprintf("date %q not kept", k))
			continue
		}
		var note string
		p.Issued, note = dateFromCSL(it.Dates[k])
		if note != "" {
			notes = append(notes, note)
		}
	}
	return p, notes
}

func slicesContainsRole(variable string) bool {
	for _, r := range cslRoles {
		if r.variable == variable {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// trimDOI removes the resolver prefixes reference managers often keep.
func trimDOI(s string) string {
	for _, prefix := range []string{"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"} {
		if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			return s[len(prefix):]
		}
	}
	return s
}

// dateFromCSL reads a CSL date; one the model cannot represent is kept as
// raw text with a note.
func dateFromCSL(d csl.Date) (Date, string) {
	if len(d.Parts) == 0 {
		text := d.Raw
		if text == "" {
			text = d.Literal
		}
		parsed, err := ParseDate(text)
		if err != nil {
			return Date{Raw: text}, ""
		}
		return parsed, ""
	}
	var out Date
	out.Circa = d.Circa
	parts := make([]DatePart, 0, 2)
	for _, ps := range d.Parts[:min(2, len(d.Parts))] {
		var dp DatePart
		dp.Year = ps[0]
		if len(ps) > 1 {
			if ps[1] >= 13 && ps[1] <= 16 {
				dp.Season = Season(ps[1] - 12)
			} else {
				dp.Month = ps[1]
			}
		}
		if len(ps) > 2 && dp.Season == NoSeason {
			dp.Day = ps[2]
		}
		parts = append(parts, dp)
	}
	out.Start = parts[0]
	if len(parts) > 1 && parts[1] != parts[0] {
		out.End = parts[1]
	}
	if d.Season != "" && out.Start.Month == 0 && out.End.IsZero() {
		if n, err := strconv.Atoi(d.Season); err == nil && n >= 1 && n <= 4 {
			out.Start.Season = Season(n)
		} else if se, ok := seasonNumbers[strings.ToLower(d.Season)]; ok {
			out.Start.Season = se
		}
	}
	var v validator
	out.validate(&v, "issued")
	if len(v.fields) > 0 {
		raw := out.String()
		return Date{Raw: raw}, fmt.Sprintf("date \"issued\" kept as text %q: %s", raw, v.fields[0].Message)
	}
	return out, ""
}
