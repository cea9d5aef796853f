package oaipmh

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/upload"
)

// format is a metadata format the repository disseminates.
type format struct {
	prefix, namespace string
	// schema is the XSD's address; "" for the one this handler serves.
	schema string
	write  func(x *xmlWriter, p *model.Publication, base string)
}

// cslSchemaFile is the csl_json schema's name under the handler's path.
const cslSchemaFile = "csl-json.xsd"

//go:embed schema/csl-json.xsd
var cslSchema []byte

const cslNamespace = "https://github.com/imprintpub/imprint/ns/csl-json/1.0"

// formats are oai_dc, which the protocol requires, and csl_json. CSL-JSON
// is the richer one because it is the record Imprint already cites from:
// the page's citations, its downloads and the API all read the same
// Publication.CSL(), so a harvester gets what the Cite dialog formats. It
// keeps what Dublin Core flattens: structured names with particles and
// roles (author, editor, host, guest, chair), partial and ranged dates,
// container, volume, issue, pages, DOI, ISBN and ISSN as separate fields;
// and reference managers and citation processors read it without a
// crosswalk. (MODS would say as much, but its schema is large and maps no
// better onto podcasts and events.)
var formats = []format{
	{"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", writeDC},
	{"csl_json", cslNamespace, "", writeCSL},
}

func formatByPrefix(prefix string) *format {
	for i := range formats {
		if formats[i].prefix == prefix {
			return &formats[i]
		}
	}
	return nil
}

// identifier returns the OAI identifier of the record with slug.
func (q *request) identifier(slug string) string { return "oai:" + q.repoID + ":" + slug }

// header writes a record's header.
func (q *request) header(x *xmlWriter, tree *setTree, it store.HarvestItem) {
	var slug string
	var specs []string
	if p := it.Publication; p != nil {
		slug = p.Slug
		x.open("header")
		x.elem("identifier", q.identifier(slug))
		x.elem("datestamp", datestamp(p.UpdatedAt))
		var topics, regions []string
		for _, t := range p.Topics {
			topics = append(topics, t.Slug)
		}
		for _, r := range p.Regions {
			regions = append(regions, r.Slug)
		}
		specs = tree.specs(p.Type, topics, regions)
	} else {
		t := it.Tombstone
		slug = t.Slug
		x.open("header", "status", "deleted")
		x.elem("identifier", q.identifier(slug))
		x.elem("datestamp", datestamp(t.DeletedAt))
		specs = tree.specs(t.Type, t.Topics, t.Regions)
	}
	if !q.h.cfg.NoSets {
		for _, s := range specs {
			x.elem("setSpec", s)
		}
	}
	x.close("header")
}

// record writes a header and, unless the record is deleted, its metadata.
func (q *request) record(x *xmlWriter, f *format, tree *setTree, it store.HarvestItem) {
	x.open("record")
	q.header(x, tree, it)
	if p := it.Publication; p != nil {
		x.open("metadata")
		f.write(x, p, q.base)
		x.close("metadata")
	}
	x.close("record")
}

// dcTypes maps display types to the DCMI Type Vocabulary; anything else is
// Text.
var dcTypes = map[model.Type]string{
	model.TypePodcast: "Sound", "broadcast": "Sound", "song": "Sound",
	model.TypeVideo: "MovingImage", "motion_picture": "MovingImage",
	model.TypeEvent: "Event", "performance": "Event",
	"dataset": "Dataset", "software": "Software",
	"map": "Image", "figure": "Image", "graphic": "Image",
}

// writeDC writes p as unqualified Dublin Core, following the DCMI's
// recommendations for each element: creators are the authors and hosts,
// other roles are contributors; dc:source is the container with its
// volume, issue and pages; identifiers are the page, the DOI as a URL and
// the ISBN and ISSN as URNs.
func writeDC(x *xmlWriter, p *model.Publication, base string) {
	x.open("oai_dc:dc", "xmlns:oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/",
		"xmlns:dc", "http://purl.org/dc/elements/1.1/",
		"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
		"xsi:schemaLocation", "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
	x.buf.WriteByte('\n')
	lang := p.Language
	x.elem("dc:title", p.FullTitle(), "xml:lang", lang)
	for _, c := range p.Contributions {
		name := c.Person.DisplayName()
		if c.Role == model.RoleAuthor || c.Role == model.RoleHost {
			x.elem("dc:creator", name)
		} else {
			x.elem("dc:contributor", name)
		}
	}
	for _, t := range p.Topics {
		x.elem("dc:subject", t.Name)
	}
	x.elem("dc:description", plainText(p.Summary), "xml:lang", lang)
	x.elem("dc:publisher", p.Venue.Publisher)
	x.elem("dc:date", p.Issued.String())
	dcType := dcTypes[p.Type]
	if dcType == "" {
		dcType = "Text"
	}
	x.elem("dc:type", dcType)
	x.elem("dc:type", p.Type.Label())
	x.elem("dc:identifier", pageURL(base, p))
	if p.DOI != "" {
		x.elem("dc:identifier", "https://doi.org/"+p.DOI)
	}
	if p.Venue.ISBN != "" {
		x.elem("dc:identifier", "urn:isbn:"+p.Venue.ISBN)
	}
	if p.Venue.ISSN != "" {
		x.elem("dc:identifier", "urn:issn:"+p.Venue.ISSN)
	}
	x.elem("dc:source", source(p.Venue))
	x.elem("dc:language", lang)
	x.elem("dc:relation", p.URL)
	if upload.KindOf(p.FullTextPDF) == upload.PDF {
		// The hosted PDF of the full text is a relation as the outside
		// full text is; dc:format says what kind of file it is.
		x.elem("dc:relation", base+upload.URLPath(p.FullTextPDF))
		x.elem("dc:format", "application/pdf")
	}
	for _, r := range p.Regions {
		x.elem("dc:coverage", r.Name)
	}
	x.close("oai_dc:dc")
}

// pageURL is the publication's page on the site.
func pageURL(base string, p *model.Publication) string { return base + "/publications/" + p.Slug }

// source cites the container a publication appeared in: "ASAN Forum 1,
// no. 2: 10–20".
func source(v model.Venue) string {
	if v.ContainerTitle == "" {
		return ""
	}
	s := v.ContainerTitle
	if v.Volume != "" {
		s += " " + v.Volume
	}
	if v.Issue != "" {
		if v.Volume != "" {
			s += ","
		}
		s += " no. " + v.Issue
	}
	if v.Pages != "" {
		s += ": " + v.Pages
	}
	return s
}

// writeCSL writes p's CSL-JSON with its summary as the abstract and its
// topics as keywords, which CSL() leaves out because a bibliography does
// not print them but a catalogue does.
func writeCSL(x *xmlWriter, p *model.Publication, base string) {
	it := p.CSL()
	if it.Vars == nil {
		it.Vars = map[string]string{}
	}
	if s := plainText(p.Summary); s != "" {
		it.Vars["abstract"] = s
	}
	var kw []string
	for _, t := range p.Topics {
		kw = append(kw, t.Name)
	}
	if len(kw) > 0 {
		it.Vars["keyword"] = strings.Join(kw, ", ")
	}
	if it.Vars["URL"] == "" {
		it.Vars["URL"] = pageURL(base, p)
	}
	b, err := json.Marshal(it)
	if err != nil {
		// Every field is a string, a name or a date: marshalling cannot
		// fail, and an empty object is still a valid record.
		b = []byte("{}")
	}
	x.open("csl:item", "xmlns:csl", cslNamespace, "xsi:schemaLocation", cslNamespace+" "+base+"/oai/"+cslSchemaFile, "type", it.Type)
	// encoding/json writes ">" as \u003e, so the JSON cannot end the
	// CDATA section early.
	x.cdata(string(b))
	x.close("csl:item")
}

var (
	md     = goldmark.New()
	strict = bluemonday.StrictPolicy()
)

// plainText reduces editors' Markdown to text on one line: Dublin Core
// and CSL-JSON carry no markup.
func plainText(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		buf.Reset()
		buf.WriteString(html.EscapeString(src))
	}
	return strings.Join(strings.Fields(html.UnescapeString(strict.Sanitize(buf.String()))), " ")
}
