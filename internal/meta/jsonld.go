package meta

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
)

// schemaTypes maps display types to schema.org types; CSL types not listed
// fall back to schemaByCSL, and anything else is a CreativeWork.
var schemaTypes = map[model.Type]string{
	model.TypePodcast:    "PodcastEpisode",
	model.TypeEvent:      "Event",
	model.TypeVideo:      "VideoObject",
	model.TypeOpEd:       "OpinionNewsArticle",
	model.TypeCommentary: "BlogPosting",
}

var schemaByCSL = map[string]string{
	"article":            "Article",
	"article-journal":    "ScholarlyArticle",
	"article-magazine":   "Article",
	"article-newspaper":  "NewsArticle",
	"paper-conference":   "ScholarlyArticle",
	"book":               "Book",
	"chapter":            "Chapter",
	"report":             "Report",
	"thesis":             "Thesis",
	"dataset":            "Dataset",
	"software":           "SoftwareSourceCode",
	"webpage":            "WebPage",
	"post-weblog":        "BlogPosting",
	"post":               "SocialMediaPosting",
	"review":             "Review",
	"review-book":        "Review",
	"map":                "Map",
	"legislation":        "Legislation",
	"motion_picture":     "Movie",
	"broadcast":          "Episode",
	"event":              "Event",
	"manuscript":         "Manuscript",
	"entry-encyclopedia": "CreativeWork",
}

// articleTypes are the schema.org types that take a headline.
var articleTypes = map[string]bool{
	"Article": true, "ScholarlyArticle": true, "NewsArticle": true, "OpinionNewsArticle": true,
	"BlogPosting": true, "SocialMediaPosting": true, "Report": true,
}

func (r *record) schemaType() string {
	if t, ok := schemaTypes[r.p.Type]; ok {
		return t
	}
	if t, ok := schemaByCSL[r.cslType]; ok {
		return t
	}
	return "CreativeWork"
}

// obj is a JSON-LD node that leaves out empty values, so that no property
// is ever written without one.
type obj map[string]any

func (o obj) set(k string, v any) obj {
	switch x := v.(type) {
	case string:
		if x = strings.TrimSpace(x); x == "" {
			return o
		}
		v = x
	case obj:
		if len(x) == 0 || (len(x) == 1 && x["@type"] != nil) {
			return o
		}
	case []obj:
		if len(x) == 0 {
			return o
		}
	case []string:
		if len(x) == 0 {
			return o
		}
	case nil:
		return o
	}
	o[k] = v
	return o
}

// agent describes a contributor: a Person with the job title of their role
// line, or an Organization for a name that is not a person's.
func agent(pp person) obj {
	if pp.name.Literal != "" {
		return obj{"@type": "Organization"}.set("name", pp.name.Literal).set("url", pp.url)
	}
	return obj{"@type": "Person"}.
		set("name", pp.display).
		set("givenName", join(" ", pp.name.Given, pp.name.DroppingParticle)).
		set("familyName", join(" ", pp.name.NonDroppingParticle, pp.name.Family)).
		set("honorificSuffix", pp.name.Suffix).
		set("jobTitle", pp.roleLine).
		set("url", pp.url)
}

func agents(ps []person) []obj {
	out := make([]obj, 0, len(ps))
	for _, pp := range ps {
		out = append(out, agent(pp))
	}
	return out
}

// jsonLD returns the schema.org description of the publication.
func (r *record) jsonLD() []byte {
	typ := r.schemaType()
	o := obj{"@context": "https://schema.org", "@type": typ}
	o.set("@id", r.pg.URL)
	o.set("name", r.v("title"))
	if articleTypes[typ] {
		o.set("headline", r.v("title"))
	}
	o.set("url", r.pg.URL)
	o.set("description", r.pg.Description)
	o.set("inLanguage", r.lang)
	o.set("keywords", strings.Join(r.topics, ", "))
	if r.v("DOI") != "" {
		o.set("identifier", obj{"@type": "PropertyValue", "propertyID": "DOI", "value": r.v("DOI")})
		o.set("sameAs", "https://doi.org/"+r.v("DOI"))
	}
	var contributors []person
	if typ == "Event" {
		r.event(o)
	} else {
		date := isoDate(r.date)
		o.set("datePublished", date)
		if typ == "VideoObject" {
			o.set("uploadDate", date)
		}
		o.set("author", agents(r.creators()))
		if typ != "Chapter" {
			// A chapter's editors edited the book; they go with it below.
			o.set("editor", agents(r.withRole("editor")))
		}
		o.set("translator", agents(r.withRole("translator")))
		for _, pp := range r.people {
			if pp.role == model.RoleGuest || pp.role == model.RoleModerator {
				contributors = append(contributors, pp)
			}
		}
		o.set("contributor", agents(contributors))
		if typ != "Chapter" {
			o.set("publisher", r.publisher())
			o.set("isbn", r.v("ISBN"))
		}
		o.set("pagination", r.pagesRaw)
		if typ != "Book" {
			o.set("pageStart", r.firstPg)
			o.set("pageEnd", r.lastPg)
		}
		if typ == "Report" {
			o.set("reportNumber", r.v("number"))
		}
		r.container(o, typ)
	}
	switch typ {
	case "Event":
		// An Event is not a CreativeWork: it has no file of its own.
	case "VideoObject", "PodcastEpisode", "Movie", "Episode":
		// Their encoding is the recording; a PDF (a transcript, the
		// slides) goes with it.
		o.set("associatedMedia", r.pdfEncoding())
	default:
		o.set("encoding", r.pdfEncoding())
	}
	var spatial []obj
	for _, g := range r.regions {
		spatial = append(spatial, obj{"@type": "Place", "name": g})
	}
	o.set("spatialCoverage", spatial)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// SetEscapeHTML (the default) writes <, > and & as \u escapes, so that
	// no title can close the script element the JSON stands in.
	enc.SetEscapeHTML(true)
	if err := enc.Encode(o); err != nil {
		// Every value is a string or a node of strings; encoding cannot
		// fail, and a page without JSON-LD is still a page.
		return nil
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// pdfEncoding describes the hosted PDF of the full text as a MediaObject,
// or nothing when there is none. For a text it is the work's encoding,
// schema.org's property for "this work, as a file"; for a recording it is
// associatedMedia, a file that goes with it.
func (r *record) pdfEncoding() obj {
	if strings.TrimSpace(r.pg.PDFURL) == "" {
		return nil
	}
	return obj{"@type": "MediaObject", "contentUrl": r.pg.PDFURL, "encodingFormat": "application/pdf"}
}

func (r *record) publisher() obj {
	return obj{"@type": "Organization"}.set("name", r.v("publisher")).
		set("location", r.v("publisher-place"))
}

// event fills in an Event: its date or dates, its place, and the people
// who spoke at it (a moderator and guests) as performers.
func (r *record) event(o obj) {
	o.set("startDate", isoDate(r.date))
	o.set("endDate", isoDate(r.endDate))
	if place := r.v("event-place"); place != "" {
		o.set("location", obj{"@type": "Place", "name": place, "address": place})
	}
	o.set("performer", agents(r.people))
	o.set("organizer", obj{"@type": "Organization"}.set("name", r.pg.SiteName))
}

// container describes what the publication is part of: the issue, volume
// and periodical of an article; the book of a chapter; the series of a
// podcast episode.
func (r *record) container(o obj, typ string) {
	title := r.v("container-title")
	switch {
	case typ == "Chapter":
		// The editors, publisher and ISBN of a chapter are its book's.
		book := obj{"@type": "Book"}.set("name", title).
			set("editor", agents(r.withRole("editor"))).
			set("publisher", r.publisher()).
			set("isbn", r.v("ISBN"))
		o.set("isPartOf", book)
	case typ == "PodcastEpisode":
		o.set("partOfSeries", obj{"@type": "PodcastSeries"}.set("name", title))
	case journalTypes[r.cslType] || typ == "OpinionNewsArticle" || typ == "NewsArticle":
		var part obj
		part = obj{"@type": "Periodical"}.set("name", title).set("issn", r.v("ISSN"))
		if len(part) == 1 {
			part = nil
		}
		if v := r.v("volume"); v != "" {
			vol := obj{"@type": "PublicationVolume", "volumeNumber": v}
			vol.set("isPartOf", part)
			part = vol
		}
		if n := r.v("issue"); n != "" {
			iss := obj{"@type": "PublicationIssue", "issueNumber": n}
			iss.set("isPartOf", part)
			part = iss
		}
		if part != nil {
			o.set("isPartOf", part)
		}
	case title != "":
		o.set("isPartOf", obj{"@type": "CreativeWork", "name": title})
	}
}
