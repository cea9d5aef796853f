package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/bib/bibtex"
	"github.com/imprintpub/imprint/bib/ris"
	"github.com/imprintpub/imprint/csl"
)

// Media types of the record downloads.
const (
	bibtexType = "application/x-bibtex"
	risType    = "application/x-research-info-systems"
)

// recordFormat is one way to download a publication's record; each is
// written from the publication's CSL view, like every citation on the site.
type recordFormat struct {
	ext       string // URL suffix: "/publications/{slug}.bib"
	mediaType string
	label     string
	// inline: shown in the browser rather than saved (CSL-JSON, which
	// browsers display and tools fetch).
	inline bool
	write  func(*bytes.Buffer, csl.Item) error
}

var recordFormats = []recordFormat{
	// Classic BibTeX, ASCII with LaTeX accents: what DOI resolvers serve
	// under this media type and what every BibTeX style and manager reads.
	{".bib", bibtexType, "BibTeX", false, func(b *bytes.Buffer, it csl.Item) error {
		return bibtex.Write(b, []csl.Item{it}, &bibtex.WriteOptions{Flavor: bibtex.BibTeX, ProtectCase: true})
	}},
	{".ris", risType, "RIS", false, func(b *bytes.Buffer, it csl.Item) error {
		return ris.Write(b, []csl.Item{it})
	}},
	{".json", cslJSONType, "CSL-JSON", true, func(b *bytes.Buffer, it csl.Item) error {
		data, err := json.MarshalIndent(it, "", "  ")
		if err != nil {
			return err
		}
		b.Write(data)
		b.WriteByte('\n')
		return nil
	}},
}

// publicationRecord answers GET /publications/{slug} when it asks for the
// record rather than the page: a download suffix (.bib, .ris, .json), or
// an Accept header that prefers one of the record media types, as DOI
// resolvers do. It reports whether it answered. The page and the record
// share a URL, so the answer always varies with Accept.
func (s *server) publicationRecord(w http.ResponseWriter, r *http.Request, slug string) bool {
	for i := range recordFormats {
		if base, ok := strings.CutSuffix(slug, recordFormats[i].ext); ok {
			s.serveRecord(w, r, base, &recordFormats[i])
			return true
		}
	}
	w.Header().Add("Vary", "Accept")
	if f := negotiateRecord(r.Header.Get("Accept")); f != nil {
		s.serveRecord(w, r, slug, f)
		return true
	}
	return false
}

func (s *server) serveRecord(w http.ResponseWriter, r *http.Request, slug string, f *recordFormat) {
	p, ok := s.publication(w, r, slug)
	if !ok {
		return
	}
	var b bytes.Buffer
	// The same item /unapi serves, so that a record reads the same however
	// a reference manager fetched it.
	if err := f.write(&b, s.exportItem(r, p)); err != nil {
		s.serverError(w, r, fmt.Errorf("%s of publication %q: %w", f.label, p.Slug, err))
		return
	}
	disposition := "attachment"
	if f.inline {
		disposition = "inline"
	}
	w.Header().Set("Content-Type", f.mediaType+"; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": p.Slug + f.ext}))
	_, _ = w.Write(b.Bytes())
}

// downloadLink is a record download offered on the page.
type downloadLink struct {
	URL, Label, MediaType string
}

// recordDownloads lists the downloads of the publication with this slug.
func recordDownloads(slug string) []downloadLink {
	out := make([]downloadLink, len(recordFormats))
	for i, f := range recordFormats {
		out[i] = downloadLink{URL: "/publications/" + slug + f.ext, Label: f.label, MediaType: f.mediaType}
	}
	return out
}

// acceptRange is one media range of an Accept header with its weight.
type acceptRange struct {
	typ, sub string
	q        float64
}

// parseAccept reads an Accept header (RFC 9110, section 12.5.1); ranges
// it cannot read are left out.
func parseAccept(h string) []acceptRange {
	var out []acceptRange
	for _, part := range strings.Split(h, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		typ, sub, ok := strings.Cut(mt, "/")
		if !ok {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		out = append(out, acceptRange{typ, sub, q})
	}
	return out
}

// quality is the weight ranges give mediaType: that of the most specific
// range matching it, 0 when none does.
func quality(ranges []acceptRange, mediaType string) float64 {
	typ, sub, _ := strings.Cut(mediaType, "/")
	best, q := -1, 0.0
	for _, r := range ranges {
		spec := -1
		switch {
		case r.typ == typ && r.sub == sub:
			spec = 2
		case r.typ == typ && r.sub == "*":
			spec = 1
		case r.typ == "*" && r.sub == "*":
			spec = 0
		}
		if spec > best {
			best, q = spec, r.q
		}
	}
	return q
}

// negotiateRecord returns the record format an Accept header prefers to
// the page, or nil for the page. Only a record type named explicitly can
// win: a browser's "*/*" or "application/*" asks for nothing in
// particular, and HTML wins ties.
func negotiateRecord(accept string) *recordFormat {
	if accept == "" {
		return nil
	}
	ranges := parseAccept(accept)
	html := max(quality(ranges, "text/html"), quality(ranges, "application/xhtml+xml"))
	type offer struct {
		f *recordFormat
		q float64
	}
	var offers []offer
	for i := range recordFormats {
		f := &recordFormats[i]
		typ, sub, _ := strings.Cut(f.mediaType, "/")
		named := false
		for _, r := range ranges {
			if r.typ == typ && r.sub == sub {
				named = true
			}
		}
		if q := quality(ranges, f.mediaType); named && q > 0 && q > html {
			offers = append(offers, offer{f, q})
		}
	}
	if len(offers) == 0 {
		return nil
	}
	sort.SliceStable(offers, func(i, j int) bool { return offers[i].q > offers[j].q })
	return offers[0].f
}
