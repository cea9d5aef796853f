package oaipmh

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzQuery sends arbitrary query strings: every one gets a well-formed
// OAI-PMH answer with status 200, never a server error.
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{
		"verb=Identify", "verb=ListRecords&metadataPrefix=oai_dc&set=topic:security",
		"verb=GetRecord&identifier=oai:repo.example.org:japan-alliance&metadataPrefix=csl_json",
		"verb=ListIdentifiers&resumptionToken=dj1MaXN0SWRlbnRpZmllcnM", "verb=ListRecords&metadataPrefix=oai_dc&from=2013-01-01T00:00:00Z",
		"verb=%00&\x01=\xff", "verb=ListSets&verb=Identify", "verb=GetRecord&identifier=oai:repo.example.org:'%20OR%201=1--&metadataPrefix=oai_dc",
	} {
		f.Add(seed)
	}
	s := newSite(f, Config{PageSize: 2})
	s.fill()
	f.Fuzz(func(t *testing.T, query string) {
		r := httptest.NewRequest(http.MethodGet, "http://repo.example.org/oai", nil)
		r.URL.RawQuery = query
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%q: status %d: %s", query, w.Code, w.Body)
		}
		var resp response
		if err := xml.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%q: %v\n%s", query, err, w.Body)
		}
		if resp.ResponseDate == "" || !strings.HasSuffix(resp.Request.URL, "/oai") {
			t.Fatalf("%q: no responseDate or request:\n%s", query, w.Body)
		}
	})
}
