package meta

import (
	"net/url"
	"strings"
)

// coins returns the OpenURL 1.0 ContextObject (Z39.88-2004) in KEV form:
// the journal format for periodical articles, the book format for books,
// their chapters and reports, and the Dublin Core format for the rest
// (podcasts, events, videos…), which the other two cannot describe.
// Values are percent-encoded with spaces as %20, which decoders of either
// URL convention read back as spaces.
func (r *record) coins() string {
	var kv kev
	kv.add("ctx_ver", "Z39.88-2004")
	if u, err := url.Parse(r.pg.URL); err == nil && u.Host != "" {
		kv.add("rfr_id", "info:sid/"+u.Hostname()+":imprint")
	}
	if doi := r.v("DOI"); doi != "" {
		kv.add("rft_id", "info:doi/"+doi)
	}
	kv.add("rft_id", r.pg.URL)
	title, container := r.v("title"), r.v("container-title")
	date := isoDate(r.date)
	authors := r.creators()
	switch {
	case journalTypes[r.cslType]:
		kv.add("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal")
		kv.add("rft.genre", "article")
		kv.add("rft.atitle", title)
		kv.add("rft.jtitle", container)
		kv.add("rft.date", date)
		kv.add("rft.volume", r.v("volume"))
		kv.add("rft.issue", r.v("issue"))
		kv.add("rft.spage", r.firstPg)
		kv.add("rft.epage", r.lastPg)
		kv.add("rft.pages", r.pagesRaw)
		kv.add("rft.issn", r.v("ISSN"))
		kv.authors(authors)
	case r.cslType == "book" || bookPartTypes[r.cslType] || r.cslType == "report" || r.cslType == "paper-conference":
		kv.add("rft_val_fmt", "info:ofi/fmt:kev:mtx:book")
		switch {
		case r.cslType == "report":
			kv.add("rft.genre", "report")
			kv.add("rft.btitle", title)
		case r.cslType == "paper-conference":
			kv.add("rft.genre", "proceeding")
			kv.add("rft.atitle", title)
			kv.add("rft.btitle", container)
		case r.cslType == "book":
			kv.add("rft.genre", "book")
			kv.add("rft.btitle", title)
		default:
			kv.add("rft.genre", "bookitem")
			kv.add("rft.atitle", title)
			kv.add("rft.btitle", container)
		}
		kv.add("rft.date", date)
		kv.add("rft.pub", r.v("publisher"))
		kv.add("rft.place", r.v("publisher-place"))
		kv.add("rft.series", r.v("collection-title"))
		kv.add("rft.spage", r.firstPg)
		kv.add("rft.epage", r.lastPg)
		kv.add("rft.pages", r.pagesRaw)
		kv.add("rft.isbn", r.v("ISBN"))
		if len(authors) == 0 && r.cslType == "book" {
			authors = r.withRole("editor")
		}
		kv.authors(authors)
	default:
		kv.add("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc")
		kv.add("rft.title", title)
		for _, a := range authors {
			kv.add("rft.creator", invertedName(a.name))
		}
		for _, pp := range r.people {
			if pp.role != "author" && pp.role != "host" {
				kv.add("rft.contributor", invertedName(pp.name))
			}
		}
		kv.add("rft.date", date)
		kv.add("rft.type", r.p.Type.Label())
		kv.add("rft.source", container)
		kv.add("rft.publisher", r.v("publisher"))
		kv.add("rft.identifier", r.pg.URL)
		// Only the Dublin Core format has a language key.
		kv.add("rft.language", r.lang)
	}
	return kv.String()
}

// kev builds a key/encoded-value string in the order keys are added;
// repeated keys (rft.au, rft_id) keep their order, which for authors is
// the byline's.
type kev struct{ b strings.Builder }

func (k *kev) add(key, value string) {
	if value = strings.Join(strings.Fields(value), " "); value == "" {
		return
	}
	if k.b.Len() > 0 {
		k.b.WriteByte('&')
	}
	k.b.WriteString(key)
	k.b.WriteByte('=')
	k.b.WriteString(strings.ReplaceAll(url.QueryEscape(value), "+", "%20"))
}

// authors writes every author as rft.au, and the first also split into
// rft.aulast and rft.aufirst (or rft.aucorp for an organization), which
// resolvers match on.
func (k *kev) authors(ps []person) {
	for i, pp := range ps {
		if i == 0 {
			if pp.name.Literal != "" {
				k.add("rft.aucorp", pp.name.Literal)
			} else {
				k.add("rft.aulast", join(" ", pp.name.NonDroppingParticle, pp.name.Family))
				k.add("rft.aufirst", join(" ", pp.name.Given, pp.name.DroppingParticle))
			}
		}
		k.add("rft.au", invertedName(pp.name))
	}
}

func (k *kev) String() string { return k.b.String() }
