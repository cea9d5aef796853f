// Package meta maps a publication to the machine-readable descriptions a
// page carries for search engines and reference managers: Highwire Press
// citation_* tags (read by Google Scholar and Zotero), Dublin Core, a
// schema.org JSON-LD graph, Open Graph and Twitter card tags, and a COinS
// OpenURL ContextObject.
//
// Every vocabulary reads the same values: the publication's CSL item
// (Publication.CSL) for titles, containers, numbers, identifiers and dates,
// and its contributions, in byline order, for people. A tag whose value is
// blank is never produced.
package meta

import (
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/internal/model"
)

// Page says where a publication is shown and what the page adds to the
// record.
type Page struct {
	// URL is the absolute, canonical address of the publication's page.
	URL string
	// SiteName names the organization that runs the site.
	SiteName string
	// Description is the summary as plain text, as short as a search result
	// shows it; "" when there is none.
	Description string
	// FullTextURL is the absolute address of the full text as an HTML page
	// on this site; "" when the full text is not hosted here.
	FullTextURL string
	// PDFURL is the absolute address of the full text as a PDF file hosted
	// on this site (the publication's FullTextPDF, as internal/upload
	// serves it), "" when there is none. It becomes citation_pdf_url,
	// which Google Scholar indexes the full text from, and the JSON-LD
	// encoding of the work. The Dublin Core record names it too
	// (oaipmh.DublinCore), so the DC.* tags say so without help from here.
	PDFURL string
	// PersonURL returns the absolute address of a contributor's page, or ""
	// when the person has none; nil means no contributor has one.
	PersonURL func(slug string) string
	// DublinCore is the publication's oai_dc record (an <oai_dc:dc>
	// element, as internal/oaipmh writes it). Its elements become the DC.*
	// tags, so that the page and the OAI-PMH record cannot disagree; nil
	// means no DC.* tags.
	DublinCore []byte
}

// Tag is one <meta> element: Name is its name attribute (or property, for
// Open Graph) and Content its content.
type Tag struct {
	Name    string
	Content string
}

// Set is everything a publication page carries about the publication.
type Set struct {
	// Highwire holds the citation_* tags in the order Google Scholar reads
	// them; citation_author tags follow the byline.
	Highwire []Tag
	// DublinCore holds the DC.* tags; they need
	// <link rel="schema.DC" href="{DCSchema}">.
	DublinCore []Tag
	// OpenGraph holds og:*, article:*, book:* and video:* tags, written with
	// a property attribute.
	OpenGraph []Tag
	// Twitter holds the twitter:* card tags.
	Twitter []Tag
	// JSONLD is the schema.org description as JSON with <, > and & written
	// as \u escapes, so that it can stand inside a
	// <script type="application/ld+json"> element unchanged.
	JSONLD []byte
	// COinS is the OpenURL ContextObject in key/encoded-value form, for the
	// title attribute of a <span class="Z3988">.
	COinS string
}

// DCSchema is the namespace the DC.* tags name, for the page's
// <link rel="schema.DC">.
const DCSchema = "http://purl.org/dc/elements/1.1/"

// Build describes p, shown at pg, in every vocabulary. It returns an error
// only when the Dublin Core record in pg cannot be read.
func Build(p *model.Publication, pg Page) (*Set, error) {
	r := newRecord(p, pg)
	s := &Set{
		Highwire:  r.highwire(),
		OpenGraph: r.openGraph(),
		Twitter:   r.twitter(),
		JSONLD:    r.jsonLD(),
		COinS:     r.coins(),
	}
	if len(pg.DublinCore) > 0 {
		dc, err := dublinCore(pg.DublinCore)
		if err != nil {
			return s, err
		}
		s.DublinCore = dc
	}
	return s, nil
}

// person is one contributor as the vocabularies need them.
type person struct {
	name     csl.Name
	display  string
	roleLine string
	url      string
	role     model.Role
}

// record holds what every vocabulary reads, taken once from the CSL item
// and the contributions.
type record struct {
	p        *model.Publication
	pg       Page
	item     csl.Item
	cslType  string
	people   []person
	date     []int // year, month, day as known; nil when unknown
	endDate  []int
	lang     string
	topics   []string
	regions  []string
	firstPg  string
	lastPg   string
	pagesRaw string
}

func newRecord(p *model.Publication, pg Page) *record {
	r := &record{p: p, pg: pg, item: p.CSL()}
	r.cslType = r.item.Type
	for _, c := range p.Contributions {
		pp := person{name: c.Person.CSLName(), display: c.Person.DisplayName(), roleLine: c.Person.RoleLine, role: c.Role}
		if pg.PersonURL != nil && c.Person.Slug != "" {
			pp.url = pg.PersonURL(c.Person.Slug)
		}
		r.people = append(r.people, pp)
	}
	if d, ok := r.item.Dates["issued"]; ok && len(d.Parts) > 0 {
		r.date = dateParts(d.Parts[0])
		if len(d.Parts) > 1 {
			r.endDate = dateParts(d.Parts[1])
		}
	}
	// CSL leaves English unstated; the model says an empty language is
	// English, and these vocabularies want it said.
	r.lang = strings.TrimSpace(p.Language)
	if r.lang == "" {
		r.lang = "en"
	}
	for _, t := range p.Topics {
		if n := strings.TrimSpace(t.Name); n != "" {
			r.topics = append(r.topics, n)
		}
	}
	for _, g := range p.Regions {
		if n := strings.TrimSpace(g.Name); n != "" {
			r.regions = append(r.regions, n)
		}
	}
	r.pagesRaw = r.v("page")
	r.firstPg, r.lastPg = splitPages(r.pagesRaw)
	return r
}

// v returns a CSL variable of the item.
func (r *record) v(name string) string { return r.item.Vars[name] }

// creators are the people a work is by: its authors, and the hosts of a
// show. Everyone else contributed. This is the split Dublin Core and the
// OAI-PMH records make.
func (r *record) creators() []person {
	var out []person
	for _, pp := range r.people {
		if pp.role == model.RoleAuthor || pp.role == model.RoleHost {
			out = append(out, pp)
		}
	}
	return out
}

// withRole returns the contributors with role ro, in byline order.
func (r *record) withRole(ro model.Role) []person {
	var out []person
	for _, pp := range r.people {
		if pp.role == ro {
			out = append(out, pp)
		}
	}
	return out
}

// dateParts keeps a CSL date's year, month and day; months 13–16 are
// seasons, which none of these vocabularies can say, so the year stands
// alone then.
func dateParts(parts []int) []int {
	if len(parts) == 0 || parts[0] == 0 {
		return nil
	}
	out := []int{parts[0]}
	if len(parts) > 1 && parts[1] >= 1 && parts[1] <= 12 {
		out = append(out, parts[1])
		if len(parts) > 2 && parts[2] >= 1 && parts[2] <= 31 {
			out = append(out, parts[2])
		}
	}
	return out
}

// isoDate writes parts as W3C-DTF with the precision known: "2015",
// "2015-03", "2015-03-03".
func isoDate(parts []int) string {
	if len(parts) == 0 {
		return ""
	}
	s := pad(parts[0], 4)
	for _, n := range parts[1:] {
		s += "-" + pad(n, 2)
	}
	return s
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// splitPages returns the first and last page of a page range ("112-139",
// "112–139", "e1012"); a list of ranges ("3-5, 9") gives the first range's
// first page and the last range's last.
func splitPages(s string) (first, last string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	ranges := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '&' })
	split := func(rg string) (string, string) {
		rg = strings.TrimSpace(rg)
		for _, sep := range []string{"--", "–", "—", "-"} {
			if a, b, ok := strings.Cut(rg, sep); ok {
				return strings.TrimSpace(a), strings.TrimSpace(b)
			}
		}
		return rg, ""
	}
	first, last = split(ranges[0])
	if len(ranges) > 1 {
		a, b := split(ranges[len(ranges)-1])
		if b == "" {
			b = a
		}
		last = b
	}
	return first, last
}

// invertedName writes a name family first with a comma, "Berg, Thomas van
// der" becoming "van der Berg, Thomas", which readers of citation_author
// and rft.au split at the comma. An organization's name is kept whole.
func invertedName(n csl.Name) string {
	if n.Literal != "" {
		return n.Literal
	}
	family := join(" ", n.NonDroppingParticle, n.Family)
	given := join(" ", n.Given, n.DroppingParticle)
	s := join(", ", family, given)
	if n.Suffix != "" {
		s += ", " + n.Suffix
	}
	return s
}

func join(sep string, parts ...string) string {
	var b strings.Builder
	for _, s := range parts {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	return b.String()
}

// tags accumulates tags, leaving out blank values.
type tags []Tag

func (t *tags) add(name, content string) {
	if content = strings.Join(strings.Fields(content), " "); content != "" {
		*t = append(*t, Tag{Name: name, Content: content})
	}
}
