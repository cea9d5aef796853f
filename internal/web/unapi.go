package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"

	"github.com/imprintpub/imprint/bib/bibtex"
	"github.com/imprintpub/imprint/bib/csljson"
	"github.com/imprintpub/imprint/bib/ris"
	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/oaipmh"
)

// unapiFormat is one record format /unapi serves.
type unapiFormat struct {
	Name  string `xml:"name,attr"`
	Type  string `xml:"type,attr"`
	Docs  string `xml:"docs,attr,omitempty"`
	write func(w io.Writer, s *server, r *http.Request, p *model.Publication) error
}

// unapiFormats are the records a publication can be had as. Zotero picks a
// format by name ("ris" before "bibtex"), so the names are the plain ones.
var unapiFormats = []unapiFormat{
	{Name: "ris", Type: "application/x-research-info-systems", Docs: "https://en.wikipedia.org/wiki/RIS_(file_format)",
		write: func(w io.Writer, s *server, r *http.Request, p *model.Publication) error {
			return ris.Write(w, []csl.Item{s.exportItem(r, p)})
		}},
	{Name: "bibtex", Type: "application/x-bibtex", Docs: "https://www.bibtex.org/Format/",
		write: func(w io.Writer, s *server, r *http.Request, p *model.Publication) error {
			return bibtex.Write(w, []csl.Item{s.exportItem(r, p)}, &bibtex.WriteOptions{Flavor: bibtex.BibTeX, ProtectCase: true})
		}},
	{Name: "biblatex", Type: "application/x-bibtex", Docs: "https://ctan.org/pkg/biblatex",
		write: func(w io.Writer, s *server, r *http.Request, p *model.Publication) error {
			return bibtex.Write(w, []csl.Item{s.exportItem(r, p)}, &bibtex.WriteOptions{Flavor: bibtex.BibLaTeX, ProtectCase: true})
		}},
	{Name: "csljson", Type: cslJSONType, Docs: "https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html",
		write: func(w io.Writer, s *server, r *http.Request, p *model.Publication) error {
			return csljson.Write(w, []csl.Item{s.exportItem(r, p)})
		}},
	{Name: "oai_dc", Type: "application/xml", Docs: "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
		write: func(w io.Writer, s *server, r *http.Request, p *model.Publication) error {
			if _, err := io.WriteString(w, xml.Header); err != nil {
				return err
			}
			_, err := w.Write(oaipmh.DublinCore(p, s.absURL(r, "")))
			return err
		}},
}

// unapiFormatList is the <formats> document of the unAPI specification.
type unapiFormatList struct {
	XMLName xml.Name      `xml:"formats"`
	ID      string        `xml:"id,attr,omitempty"`
	Formats []unapiFormat `xml:"format"`
}

// unapi serves GET /unapi as the unAPI 1 specification has it: without an
// id, the formats every record has (200); with an id only, that record's
// formats (300 Multiple Choices); with an id and a format, the record (200),
// or 404 for an unknown id and 406 for a format the record is not
// available in.
func (s *server) unapi(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, name := q.Get("id"), q.Get("format")
	if id == "" {
		if name != "" {
			http.Error(w, "unapi: a format needs an id", http.StatusBadRequest)
			return
		}
		s.unapiFormats(w, r, "", http.StatusOK)
		return
	}
	p, err := s.store.PublicationBySlug(r.Context(), id)
	switch {
	case isNotFound(err) || (err == nil && !p.IsPublished()):
		http.Error(w, fmt.Sprintf("unapi: no record has the id %q", id), http.StatusNotFound)
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "unapi", "id", id, "err", err)
		http.Error(w, "unapi: the record could not be read", http.StatusInternalServerError)
		return
	}
	if name == "" {
		s.unapiFormats(w, r, id, http.StatusMultipleChoices)
		return
	}
	var f *unapiFormat
	for i := range unapiFormats {
		if unapiFormats[i].Name == name {
			f = &unapiFormats[i]
		}
	}
	if f == nil {
		http.Error(w, fmt.Sprintf("unapi: record %q is not available as %q; GET /unapi?id=%s lists its formats", id, name, id), http.StatusNotAcceptable)
		return
	}
	var buf bytes.Buffer
	if err := f.write(&buf, s, r, p); err != nil {
		s.log.ErrorContext(r.Context(), "unapi", "id", id, "format", name, "err", err)
		http.Error(w, "unapi: the record could not be written", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", f.Type+"; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

func (s *server) unapiFormats(w http.ResponseWriter, r *http.Request, id string, status int) {
	b, err := xml.MarshalIndent(unapiFormatList{ID: id, Formats: unapiFormats}, "", "  ")
	if err != nil {
		s.log.ErrorContext(r.Context(), "unapi formats", "err", err)
		http.Error(w, "unapi: the format list could not be written", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(append(b, '\n'))
}

// exportItem is the record reference managers receive: the publication's
// CSL item, pointing at its page when the full text has no address of its
// own, so that a saved reference leads back here.
func (s *server) exportItem(r *http.Request, p *model.Publication) csl.Item {
	it := p.CSL()
	if it.Vars["URL"] == "" {
		vars := make(map[string]string, len(it.Vars)+1)
		for k, v := range it.Vars {
			vars[k] = v
		}
		vars["URL"] = s.absURL(r, "/publications/"+p.Slug)
		it.Vars = vars
	}
	return it
}
