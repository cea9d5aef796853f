package meta

import "github.com/imprintpub/imprint/internal/model"

// ogType is the Open Graph type of a publication: books and videos have
// their own, an event is a page about it, everything else reads as an
// article.
func (r *record) ogType() string {
	switch {
	case r.cslType == "book":
		return "book"
	case r.p.Type == model.TypeVideo || r.cslType == "motion_picture":
		return "video.other"
	case r.p.Type == model.TypeEvent || r.cslType == "event":
		return "website"
	}
	return "article"
}

// openGraph returns the og:* tags and those of the page's Open Graph type.
// Authors are given as the addresses of their pages, as the protocol asks,
// or by name when they have none.
func (r *record) openGraph() []Tag {
	var t tags
	typ := r.ogType()
	t.add("og:type", typ)
	t.add("og:title", r.v("title"))
	t.add("og:description", r.pg.Description)
	t.add("og:url", r.pg.URL)
	t.add("og:site_name", r.pg.SiteName)
	date := isoDate(r.date)
	switch typ {
	case "article":
		t.add("article:published_time", date)
		for _, a := range r.creators() {
			t.add("article:author", firstNonEmpty(a.url, a.display))
		}
		if len(r.topics) > 0 {
			t.add("article:section", r.topics[0])
		}
		for _, k := range r.topics {
			t.add("article:tag", k)
		}
	case "book":
		authors := r.creators()
		if len(authors) == 0 {
			authors = r.withRole("editor")
		}
		for _, a := range authors {
			t.add("book:author", firstNonEmpty(a.url, a.display))
		}
		t.add("book:isbn", r.v("ISBN"))
		t.add("book:release_date", date)
		for _, k := range r.topics {
			t.add("book:tag", k)
		}
	case "video.other":
		t.add("video:release_date", date)
		for _, k := range r.topics {
			t.add("video:tag", k)
		}
	}
	return t
}

// twitter returns a summary card; without an image it is the only kind
// that fits.
func (r *record) twitter() []Tag {
	var t tags
	t.add("twitter:card", "summary")
	t.add("twitter:title", r.v("title"))
	t.add("twitter:description", r.pg.Description)
	return t
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
