package oaipmh

import "github.com/imprintpub/imprint/internal/model"

// DublinCore returns p's oai_dc record — the <oai_dc:dc> element a
// GetRecord response carries as its metadata — for other surfaces that
// serve or embed the same record (unAPI, a page's DC.* tags). base is the
// site's address without a trailing slash, as the record's identifier
// links to base + "/publications/" + slug. There is no XML declaration.
func DublinCore(p *model.Publication, base string) []byte {
	var x xmlWriter
	writeDC(&x, p, base)
	return x.buf.Bytes()
}
