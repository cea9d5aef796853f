// Package importer brings references from reference managers (BibTeX,
// BibLaTeX, RIS, CSL-JSON) into the store as publications and people,
// matching what is already there so that importing the same file twice
// changes nothing.
//
// Matching: a publication is the stored one with the same DOI, or else
// with the same title, issued year and first contributor's family name
// (compared without case, accents or punctuation). A contributor is the
// stored person with the same family name and given name, or with a given
// name that differs only by initials ("S. A. Smith", "Sheila A. Smith")
// when exactly one stored person fits; otherwise a new person is created
// and the ambiguity noted.
//
// Updating: fields an entry carries replace the stored ones; fields it
// leaves empty keep theirs, so that a sparse RIS export never erases what
// editors wrote. A title that equals the stored title and subtitle joined
// keeps them apart. A publication is written only when something changed.
//
// Status: new publications are drafts unless Options.Publish is set, so
// that an editor reviews what a file brought in before readers see it
// (bibliographies of other people's work are imported as often as the
// organization's own); stored publications keep their status.
package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/bib/bibtex"
	"github.com/imprintpub/imprint/bib/csljson"
	"github.com/imprintpub/imprint/bib/ris"
	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Options control an import.
type Options struct {
	// Format is the input format; "" detects it from the content.
	Format bib.Format
	// SkipInvalid leaves invalid entries out, each reported in
	// Summary.Skipped, instead of failing the file.
	SkipInvalid bool
	// Topics are slugs of topics every imported publication is filed
	// under, in addition to those it has.
	Topics []string
	// Publish makes new publications published instead of drafts.
	Publish bool
	// DryRun does everything but commit: the summary says what an import
	// would do.
	DryRun bool
}

// Action is what an import did with one entry.
type Action string

// The actions of an import.
const (
	Created   Action = "created"
	Updated   Action = "updated"
	Unchanged Action = "unchanged"
	// Duplicate: the entry has the DOI of an earlier entry of the same
	// file and was not applied.
	Duplicate Action = "duplicate"
)

// Entry is the outcome for one imported entry.
type Entry struct {
	Key    string // the entry's key or id in the file
	Slug   string // of the publication created, updated or matched
	ID     int64  // of that publication (meaningless after a dry run)
	Action Action
	// Notes list what the publication could not keep (fields, names)
	// and people matched ambiguously.
	Notes []string
}

// Summary is the outcome of importing one file.
type Summary struct {
	File                        string
	Created, Updated, Unchanged int
	Duplicates                  int
	PeopleCreated               int
	Entries                     []Entry
	// Skipped are the invalid entries left out under SkipInvalid, with
	// file, line, entry and field where known.
	Skipped []*bib.Error
}

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

// ImportFile reads the references in data (name is used in messages) and
// imports them into st in one transaction: all of the file, or, when an
// entry is invalid and SkipInvalid is off, nothing. st must implement
// store.Transactor.
func ImportFile(ctx context.Context, st store.Store, name string, data []byte, opts Options) (*Summary, error) {
	tr, ok := st.(store.Transactor)
	if !ok {
		return nil, fmt.Errorf("import %s: the store (%T) cannot run an import in one transaction", name, st)
	}
	items, skipped, err := Read(ctx, name, data, opts.Format, opts.SkipInvalid)
	if err != nil {
		return nil, err
	}
	var sum *Summary
	err = tr.WithTx(ctx, func(tx store.Store) error {
		// WithTx may run this again after a deadlock: start afresh.
		sum = &Summary{File: name, Skipped: append([]*bib.Error(nil), skipped...)}
		if err := importItems(ctx, tx, sum, items, opts); err != nil {
			return err
		}
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, fmt.Errorf("import %s: nothing imported: %w", name, err)
	}
	return sum, nil
}

// Read parses references in any supported format; format "" detects it
// from the content. With skip, invalid entries are returned apart instead
// of failing.
func Read(ctx context.Context, name string, data []byte, format bib.Format, skip bool) ([]csl.Item, []*bib.Error, error) {
	if format == "" {
		format = bib.Detect(data)
	}
	var items []csl.Item
	var err error
	r := bytes.NewReader(data)
	switch format {
	case bib.BibTeX, bib.BibLaTeX:
		items, err = bibtex.Parse(ctx, r, &bibtex.Options{File: name, SkipInvalid: skip})
	case bib.RIS:
		items, err = ris.Parse(ctx, r, &ris.Options{File: name, SkipInvalid: skip})
	case bib.CSLJSON:
		// Fields other producers add (pandoc's other-ids) are no reason to
		// refuse a file; what the record cannot keep is noted per entry.
		items, err = csljson.Parse(ctx, r, &csljson.Options{File: name, SkipInvalid: skip, Lenient: true})
	case "":
		return nil, nil, fmt.Errorf("%s: cannot tell the format (not CSL-JSON, RIS or BibTeX)", name)
	default:
		return nil, nil, fmt.Errorf("%s: unknown format %q", name, format)
	}
	var list bib.ErrorList
	if skip && errors.As(err, &list) {
		return items, list, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return items, nil, nil
}

// importItems imports items through tx, filling sum.
func importItems(ctx context.Context, tx store.Store, sum *Summary, items []csl.Item, opts Options) error {
	topics := make([]model.Topic, 0, len(opts.Topics))
	for _, slug := range opts.Topics {
		t, err := tx.TopicBySlug(ctx, slug)
		if err != nil {
			return fmt.Errorf("topic %q: %w", slug, err)
		}
		topics = append(topics, model.Topic{ID: t.ID, Slug: t.Slug})
	}
	all, err := tx.ListPeople(ctx, store.PeopleQuery{})
	if err != nil {
		return err
	}
	ppl := newPeople(all)
	pubs, err := loadPublications(ctx, tx)
	if err != nil {
		return err
	}
	for i, it := range items {
		in, notes := model.FromCSL(it)
		bad := check(sum.File, i, it.ID, in)
		if bad != nil {
			if !opts.SkipInvalid {
				return bad
			}
			sum.Skipped = append(sum.Skipped, bad)
			continue
		}
		e := Entry{Key: it.ID, Notes: notes}
		if err := importOne(ctx, tx, sum, &e, in, ppl, pubs, topics, opts); err != nil {
			return &bib.Error{File: sum.File, Index: i, Entry: it.ID, Err: err}
		}
		sum.Entries = append(sum.Entries, e)
		switch e.Action {
		case Created:
			sum.Created++
		case Updated:
			sum.Updated++
		case Unchanged:
			sum.Unchanged++
		case Duplicate:
			sum.Duplicates++
		}
	}
	return nil
}

// check reports what would make the store refuse the publication an entry
// maps to, naming the entry's field rather than the record's.
func check(file string, index int, key string, p *model.Publication) *bib.Error {
	for _, c := range p.Contributions {
		person := c.Person
		person.Slug = "probe"
		if err := person.Validate(); err != nil {
			field := c.Role.CSLVariable()
			if ve, ok := model.AsValidationError(err); ok && len(ve.Fields) > 0 {
				err = fmt.Errorf("name %q: %s %s", strings.TrimSpace(person.DisplayName()), strings.ToLower(ve.Fields[0].Field), ve.Fields[0].Message)
			}
			return &bib.Error{File: file, Index: index, Entry: key, Field: field, Err: err}
		}
	}
	probe := *p
	probe.Slug = "probe"
	probe.Contributions = nil
	err := probe.Validate()
	if err == nil {
		return nil
	}
	ve, ok := model.AsValidationError(err)
	if !ok || len(ve.Fields) == 0 {
		return &bib.Error{File: file, Index: index, Entry: key, Err: err}
	}
	f := ve.Fields[0]
	return &bib.Error{File: file, Index: index, Entry: key, Field: cslField(f.Field), Err: errors.New(f.Message)}
}

// cslField names a publication field by the CSL variable it comes from.
func cslField(field string) string {
	switch field {
	case "Title":
		return "title"
	case "Issued":
		return "issued"
	case "DOI":
		return "DOI"
	case "URL":
		return "URL"
	case "Language":
		return "language"
	case "Type":
		return "type"
	case "Venue.ContainerTitle":
		return "container-title"
	case "Venue.Pages":
		return "page"
	case "Venue.Place":
		return "publisher-place"
	}
	if v, ok := strings.CutPrefix(field, "Venue."); ok {
		return strings.ToLower(v)
	}
	return field
}

// importOne creates, updates or leaves the publication in.
func importOne(ctx context.Context, tx store.Store, sum *Summary, e *Entry, in *model.Publication,
	ppl *people, pubs *pubIndex, topics []model.Topic, opts Options) error {
	contribs, err := resolvePeople(ctx, tx, sum, e, in.Contributions, ppl)
	if err != nil {
		return err
	}
	in.Contributions = contribs
	old, dupOf, err := pubs.match(ctx, in, topics)
	if err != nil {
		return err
	}
	if dupOf != "" {
		e.Action = Duplicate
		e.Notes = append(e.Notes, fmt.Sprintf("same DOI as entry %q of this file; not applied", dupOf))
		return nil
	}
	if old == nil {
		p := *in
		p.Slug = freeSlug(shortSlug(model.Slugify(plain(p.Title)), 80), pubs.taken)
		p.Topics = topics
		if opts.Publish {
			p.Status = model.StatusPublished
		}
		if err := tx.CreatePublication(ctx, &p); err != nil {
			return err
		}
		pubs.add(&p)
		pubs.touched[p.ID] = e.Key
		e.Slug, e.ID, e.Action = p.Slug, p.ID, Created
		return nil
	}
	merged := merge(old, in, topics)
	e.Slug, e.ID = old.Slug, old.ID
	pubs.touched[old.ID] = e.Key
	if reflect.DeepEqual(editable(old), editable(merged)) {
		e.Action = Unchanged
		return nil
	}
	if err := tx.UpdatePublication(ctx, merged); err != nil {
		return err
	}
	pubs.replace(old, merged)
	e.Action = Updated
	e.Notes = append(e.Notes, "changed: "+strings.Join(changed(editable(old), editable(merged)), ", "))
	return nil
}

// resolvePeople links each contributor to a stored person, creating those
// not found.
func resolvePeople(ctx context.Context, tx store.Store, sum *Summary, e *Entry, cs []model.Contribution, ppl *people) ([]model.Contribution, error) {
	out := make([]model.Contribution, 0, len(cs))
	for _, c := range cs {
		n := c.Person
		found, ambiguous := ppl.match(&n)
		if found == nil {
			if len(ambiguous) > 0 {
				e.Notes = append(e.Notes, fmt.Sprintf("%q could be any of %s; created a new person",
					n.DisplayName(), strings.Join(slugsOf(ambiguous), ", ")))
			}
			base := n.Slug
			if base == "" {
				base = "person"
			}
			n.Slug = freeSlug(shortSlug(base, 80), func(s string) bool { return ppl.slugs[s] })
			if err := tx.CreatePerson(ctx, &n); err != nil {
				return nil, fmt.Errorf("%s %q: %w", c.Role, n.DisplayName(), err)
			}
			ppl.add(&n)
			sum.PeopleCreated++
			found = &n
		}
		out = append(out, model.Contribution{Person: *found, Role: c.Role})
	}
	return out, nil
}

// merge returns old updated with what the entry in carries; see the
// package documentation. What a format cannot say does not count as a
// change: markup RIS cannot carry, a date range or day a format keeps only
// the start or year of, a generic type where the stored one is specific,
// a language written as a name ("chinese") for its tag.
func merge(old, in *model.Publication, topics []model.Topic) *model.Publication {
	m := *old
	if in.Type.CSLType() != old.Type.CSLType() && in.Type.CSLType() != "document" {
		m.Type = in.Type
	}
	if plain(in.Title) != plain(old.FullTitle()) {
		m.Title, m.Subtitle = in.Title, ""
	}
	if !in.Issued.IsZero() && !datePrefix(in.Issued, old.Issued) {
		m.Issued = in.Issued
	}
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&m.Venue.ContainerTitle, in.Venue.ContainerTitle}, {&m.Venue.Volume, in.Venue.Volume},
		{&m.Venue.Issue, in.Venue.Issue}, {&m.Venue.Number, in.Venue.Number}, {&m.Venue.Pages, in.Venue.Pages},
		{&m.Venue.Publisher, in.Venue.Publisher}, {&m.Venue.Place, in.Venue.Place}, {&m.Venue.ISSN, in.Venue.ISSN},
		{&m.Venue.ISBN, in.Venue.ISBN}, {&m.URL, in.URL}, {&m.Summary, in.Summary},
	} {
		if f.src != "" && !same(f.src, *f.dst) {
			*f.dst = f.src
		}
	}
	// RIS has one tag (SN) for ISSN and ISBN, which readers give to both.
	if in.Venue.ISSN != old.Venue.ISSN && (in.Venue.ISSN == in.Venue.ISBN || in.Venue.ISSN == old.Venue.ISBN) {
		m.Venue.ISSN = old.Venue.ISSN
	}
	if in.DOI != "" && !strings.EqualFold(in.DOI, old.DOI) {
		m.DOI = in.DOI
	}
	// The CSL view leaves English out; an entry without a language says
	// nothing about it.
	if in.Language != "" && langTag(in.Language) != langTag(old.Language) {
		m.Language = in.Language
	}
	if len(in.Contributions) > 0 {
		m.Contributions = in.Contributions
	}
	m.Topics = append([]model.Topic(nil), old.Topics...)
	for _, t := range topics {
		if !hasTopic(m.Topics, t.ID) {
			m.Topics = append(m.Topics, t)
		}
	}
	return &m
}

// dashes are the range marks that mean the same in a page range.
var dashes = strings.NewReplacer("--", "-", "–", "-", "—", "-")

// same reports whether two field values say the same, markup, spacing and
// range dashes aside ("1027 - 1031", "1027–1031").
func same(a, b string) bool {
	if a == b {
		return true
	}
	key := func(s string) string { return dashes.Replace(strings.Join(strings.Fields(plain(s)), "")) }
	return key(a) == key(b)
}

// datePrefix reports whether d says no more than stored and agrees with
// it: "1984" of a stored "1984/1986", "2013-09" of a stored "2013-09-14".
func datePrefix(d, stored model.Date) bool {
	if d == stored {
		return true
	}
	if d.Raw != "" || stored.Raw != "" || d.Circa != stored.Circa {
		return false
	}
	if !d.End.IsZero() && d.End != stored.End {
		return false
	}
	a, b := d.Start, stored.Start
	return a.Year == b.Year && (a.Month == 0 || a.Month == b.Month) &&
		(a.Day == 0 || a.Day == b.Day) && (a.Season == 0 || a.Season == b.Season)
}

// languageNames are the BibLaTeX language names (langid) that reference
// managers write in place of tags.
var languageNames = map[string]string{
	"english": "en", "american": "en", "british": "en", "german": "de", "ngerman": "de", "french": "fr",
	"spanish": "es", "italian": "it", "portuguese": "pt", "dutch": "nl", "russian": "ru", "polish": "pl",
	"chinese": "zh", "japanese": "ja", "korean": "ko", "arabic": "ar", "hebrew": "he", "latin": "la",
	"greek": "el", "swedish": "sv", "danish": "da", "norwegian": "no", "finnish": "fi", "turkish": "tr",
}

// langTag returns the primary language subtag of a tag or language name,
// "en" for none.
func langTag(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "en"
	}
	if t, ok := languageNames[s]; ok {
		return t
	}
	tag, _, _ := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	return tag
}

func hasTopic(ts []model.Topic, id int64) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}

// fields is what an import can change in a publication, for deciding
// whether it changed.
type fields struct {
	Type            model.Type
	Title, Subtitle string
	Issued          string
	Venue           model.Venue
	DOI, URL        string
	Language        string
	Summary         string
	People          []string
	Topics          []int64
}

// changed names the fields that differ between a and b, Venue's one by
// one.
func changed(a, b fields) []string {
	var out []string
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		x, y := va.Field(i), vb.Field(i)
		if name == "Venue" {
			for j := range x.NumField() {
				if x.Field(j).String() != y.Field(j).String() {
					out = append(out, x.Type().Field(j).Name)
				}
			}
			continue
		}
		if !reflect.DeepEqual(x.Interface(), y.Interface()) {
			out = append(out, name)
		}
	}
	return out
}

func editable(p *model.Publication) fields {
	f := fields{Type: p.Type, Title: p.Title, Subtitle: p.Subtitle, Issued: p.Issued.String(), Venue: p.Venue,
		DOI: p.DOI, URL: p.URL, Language: p.Language, Summary: p.Summary}
	for _, c := range p.Contributions {
		f.People = append(f.People, fmt.Sprintf("%s:%d", c.Role, c.Person.ID))
	}
	for _, t := range p.Topics {
		f.Topics = append(f.Topics, t.ID)
	}
	return f
}
