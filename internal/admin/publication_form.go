package admin

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// pubForm is the publication editor's form as entered: text fields as
// typed, so that a form sent back with errors shows exactly what the editor
// wrote.
type pubForm struct {
	Slug, Type, Title, Subtitle string
	Contributors                []contribRow
	Issued                      string // as typed; parsed with model.ParseDate
	Venue                       model.Venue
	DOI, URL, Language          string
	Topics                      map[int64]bool
	Regions                     map[int64]bool
	Related                     string // slugs, one a line, in order
	Summary, FullText           string
	FullTextPDF                 string // the hosted PDF's upload key, kept from the record
	RemovePDF                   bool
	PublishAt                   string // datetime-local, UTC
	// Version is the record's UpdatedAt when the form was shown, so that
	// a save over someone else's newer save is refused rather than lost.
	Version string
}

// contribRow is one contributor line: an existing person by slug, or the
// name of a new person to create with the publication.
type contribRow struct {
	Person                 string // slug (or a name the picker resolves)
	Name                   string // the existing person's display name, for the label
	Role                   string
	Given, Family, Literal string // a new person
}

// isEmpty reports whether the editor left the row blank.
func (c contribRow) isEmpty() bool {
	return c.Person == "" && c.Given == "" && c.Family == "" && c.Literal == ""
}

// isNew reports whether the row names a person to create.
func (c contribRow) isNew() bool {
	return c.Person == "" && (c.Given != "" || c.Family != "" || c.Literal != "")
}

// datetimeLocal is the layout of an <input type="datetime-local"> value.
const datetimeLocal = "2006-01-02T15:04"

// formFromPublication fills the form from a stored record.
func formFromPublication(p *model.Publication) *pubForm {
	f := &pubForm{
		Slug: p.Slug, Type: string(p.Type), Title: p.Title, Subtitle: p.Subtitle,
		Issued: p.Issued.String(), Venue: p.Venue, DOI: p.DOI, URL: p.URL, Language: p.Language,
		Summary: p.Summary, FullText: p.FullText, FullTextPDF: p.FullTextPDF,
		Topics: map[int64]bool{}, Regions: map[int64]bool{},
	}
	for _, c := range p.Contributions {
		f.Contributors = append(f.Contributors, contribRow{Person: c.Person.Slug, Name: c.Person.DisplayName(), Role: string(c.Role)})
	}
	for _, t := range p.Topics {
		f.Topics[t.ID] = true
	}
	for _, r := range p.Regions {
		f.Regions[r.ID] = true
	}
	var rel []string
	for _, r := range p.Related {
		rel = append(rel, r.Slug)
	}
	f.Related = strings.Join(rel, "\n")
	if !p.PublishAt.IsZero() {
		f.PublishAt = p.PublishAt.UTC().Format(datetimeLocal)
	}
	if !p.UpdatedAt.IsZero() {
		f.Version = strconv.FormatInt(p.UpdatedAt.UnixNano(), 10)
	}
	return f
}

// parsePubForm reads the editor's form from an already parsed request
// (url-encoded or multipart). Blank contributor rows are dropped, so that
// row i is Contributions[i] and the model's field errors land on the row
// they are about.
func parsePubForm(v url.Values) *pubForm {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := &pubForm{
		Slug: get("slug"), Type: get("type"), Title: get("title"), Subtitle: get("subtitle"),
		Issued: get("issued"),
		Venue: model.Venue{
			ContainerTitle: get("container_title"), Volume: get("volume"), Issue: get("issue"),
			Number: get("number"), Pages: get("pages"), Publisher: get("publisher"), Place: get("place"),
			ISSN: get("issn"), ISBN: get("isbn"),
		},
		DOI: get("doi"), URL: get("url"), Language: get("language"),
		Related: strings.TrimSpace(v.Get("related")),
		// Markdown keeps its own leading indentation and line breaks.
		Summary: strings.TrimRight(v.Get("summary"), " \t\r\n"), FullText: strings.TrimRight(v.Get("full_text"), " \t\r\n"),
		FullTextPDF: get("full_text_pdf"), RemovePDF: v.Get("remove_pdf") != "",
		PublishAt: get("publish_at"), Version: get("version"),
		Topics: idSet(v["topic"]), Regions: idSet(v["region"]),
	}
	f.DOI = normalizeDOI(f.DOI)
	persons, roles := v["c_person"], v["c_role"]
	given, family, literal := v["c_given"], v["c_family"], v["c_literal"]
	n := max(len(persons), len(roles), len(given), len(family), len(literal))
	at := func(s []string, i int) string {
		if i < len(s) {
			return strings.TrimSpace(s[i])
		}
		return ""
	}
	for i := range n {
		row := contribRow{Person: at(persons, i), Role: at(roles, i), Given: at(given, i), Family: at(family, i), Literal: at(literal, i)}
		if row.isEmpty() {
			continue
		}
		f.Contributors = append(f.Contributors, row)
	}
	return f
}

// normalizeDOI accepts a DOI as people paste it ("https://doi.org/10.…",
// "doi:10.…") and keeps the bare form the model stores.
func normalizeDOI(s string) string {
	for _, p := range []string{"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:", "DOI:"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return strings.TrimSpace(rest)
		}
	}
	return s
}

// idSet reads checkbox values; anything not a positive number is ignored,
// as no checkbox sends it.
func idSet(vals []string) map[int64]bool {
	out := map[int64]bool{}
	for _, s := range vals {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			out[id] = true
		}
	}
	return out
}

// rowOp applies a contributor row operation from a submit button ("up:2",
// "down:0", "remove:1", "add") and reports whether there was one. These
// buttons make the rows editable without JavaScript; nothing is saved.
func (f *pubForm) rowOp(op string) bool {
	kind, arg, _ := strings.Cut(op, ":")
	i, err := strconv.Atoi(arg)
	rows := f.Contributors
	switch kind {
	case "add":
		f.Contributors = append(rows, contribRow{Role: string(model.RoleAuthor)})
		return true
	case "up":
		if err == nil && i > 0 && i < len(rows) {
			rows[i-1], rows[i] = rows[i], rows[i-1]
		}
		return true
	case "down":
		if err == nil && i >= 0 && i+1 < len(rows) {
			rows[i], rows[i+1] = rows[i+1], rows[i]
		}
		return true
	case "remove":
		if err == nil && i >= 0 && i < len(rows) {
			f.Contributors = append(rows[:i:i], rows[i+1:]...)
		}
		return true
	}
	return false
}

// relatedSlugs reads the related list: one publication a line, by slug or
// by its public URL.
func relatedSlugs(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if i := strings.LastIndex(line, "/publications/"); i >= 0 {
			line = line[i+len("/publications/"):]
		}
		out = append(out, strings.Trim(line, "/"))
	}
	return out
}

// built is a publication made from the form, with the people it creates.
type built struct {
	Pub *model.Publication
	// NewPeople[i] is created before saving and becomes
	// Pub.Contributions[NewRows[i]].Person.
	NewPeople []model.Person
	NewRows   []int
}

// apply copies the form onto p (a copy of the stored record, or a new one)
// and returns the problems the model cannot see itself, by field path:
// a date that does not parse, a contributor that names no one, a schedule
// time that is not a time. Status is left to the caller.
func (s *server) apply(ctx context.Context, f *pubForm, p *model.Publication) (*built, formErrors, error) {
	errs := formErrors{}
	p.Slug = f.Slug
	if p.Slug == "" {
		p.Slug = model.Slugify(f.Title)
		if len(p.Slug) > model.MaxSlugLen {
			p.Slug = strings.TrimRight(p.Slug[:model.MaxSlugLen], "-")
		}
	}
	p.Type = model.Type(f.Type)
	p.Title, p.Subtitle = f.Title, f.Subtitle
	if d, err := model.ParseDate(f.Issued); err != nil {
		errs.add("Issued", dateProblem(err))
	} else {
		p.Issued = d
	}
	p.Venue = f.Venue
	p.DOI, p.URL, p.Language = f.DOI, f.URL, f.Language
	p.Summary, p.FullText = f.Summary, f.FullText
	p.FullTextPDF = f.FullTextPDF
	if f.RemovePDF {
		p.FullTextPDF = ""
	}
	b := &built{Pub: p}
	p.Contributions = nil
	for i, row := range f.Contributors {
		c := model.Contribution{Role: model.Role(row.Role)}
		switch {
		case row.Person != "":
			person, err := s.pickPerson(ctx, row.Person)
			if err != nil {
				return nil, nil, err
			}
			if person == nil {
				errs.add(fmt.Sprintf("Contributions[%d].Person", i), fmt.Sprintf("no person %q: pick one from the list, or leave this empty and fill in a new person's name", row.Person))
				c.Person = model.Person{Slug: row.Person}
			} else {
				c.Person = *person
			}
		case row.isNew():
			np := model.Person{Given: row.Given, Family: row.Family, Literal: row.Literal}
			b.NewPeople = append(b.NewPeople, np)
			b.NewRows = append(b.NewRows, i)
			c.Person = np
		}
		p.Contributions = append(p.Contributions, c)
	}
	p.Topics, p.Regions = nil, nil
	topics, err := s.store.ListTopics(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("topics: %w", err)
	}
	for _, t := range topics {
		if f.Topics[t.ID] {
			p.Topics = append(p.Topics, t)
		}
	}
	regions, err := s.store.ListRegions(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("regions: %w", err)
	}
	for _, r := range regions {
		if f.Regions[r.ID] {
			p.Regions = append(p.Regions, r)
		}
	}
	p.Related = nil
	for _, slug := range relatedSlugs(f.Related) {
		p.Related = append(p.Related, model.Ref{Slug: slug})
	}
	return b, errs, nil
}

// dateProblem turns a ParseDate error into a message for the form.
func dateProblem(err error) string {
	return err.Error() + `: write e.g. "2015", "March 2015", "2015-03-03", "Spring 2014", "2013-09/2013-10" or "circa 1990"`
}

// pickPerson finds the person a contributor row names: by slug, or else by
// a name matching exactly one person (the picker shows names). nil when
// there is no such person.
func (s *server) pickPerson(ctx context.Context, key string) (*model.Person, error) {
	if model.ValidSlug(key) {
		p, err := s.store.PersonBySlug(ctx, key)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("person %q: %w", key, err)
		}
	}
	people, err := s.store.ListPeople(ctx, store.PeopleQuery{Name: key, Limit: 5})
	if err != nil {
		return nil, fmt.Errorf("people named %q: %w", key, err)
	}
	var match *model.Person
	for i := range people {
		if strings.EqualFold(people[i].DisplayName(), key) {
			if match != nil {
				return nil, nil // two people share the name: the editor must pick by slug
			}
			match = &people[i]
		}
	}
	return match, nil
}

// parsePublishAt reads the schedule time, a datetime-local value in the
// site's time zone (UTC).
func parsePublishAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("is required to schedule: pick the date and time it goes live (UTC)")
	}
	for _, layout := range []string{datetimeLocal, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time such as 2026-03-01T09:00", s)
}

// uniquePersonSlug derives a free slug for a new person from their name:
// "jane-doe", then "jane-doe-2", ….
func uniquePersonSlug(ctx context.Context, st store.Store, p *model.Person) (string, error) {
	base := model.Slugify(p.DisplayName())
	if base == "" {
		base = "person"
	}
	if len(base) > model.MaxSlugLen-4 {
		base = strings.TrimRight(base[:model.MaxSlugLen-4], "-")
	}
	for n := 1; n < 1000; n++ {
		slug := base
		if n > 1 {
			slug = base + "-" + strconv.Itoa(n)
		}
		_, err := st.PersonBySlug(ctx, slug)
		if errors.Is(err, store.ErrNotFound) {
			return slug, nil
		}
		if err != nil {
			return "", fmt.Errorf("person slug %q: %w", slug, err)
		}
	}
	return "", fmt.Errorf("person slug %q: no free variant", base)
}

// newDraft is the record a new publication starts from.
func newDraft(userID int64) *model.Publication {
	return &model.Publication{Status: model.StatusDraft, CreatedBy: userID}
}
