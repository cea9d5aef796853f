package oaipmh

import (
	"bytes"
	"encoding/xml"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/imprintpub/imprint/internal/store/sqlite/sqlitetest"
)

var benchDB = flag.String("oai.db", "", "an existing SQLite database to benchmark on (such as the store benchmarks' -bench.db); default: 2,000 generated publications")

func benchHandler(b *testing.B) http.Handler {
	b.Helper()
	st := sqlitetest.Catalogue(b, *benchDB, 2000)
	h, err := New(st, Config{AdminEmail: "librarian@example.org"})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// benchGet answers query and returns the body, failing on an OAI-PMH
// error: a benchmark of error answers would measure nothing.
func benchGet(b *testing.B, h http.Handler, query string) []byte {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://example.org/oai?"+query, nil))
	if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte("<error ")) {
		b.Fatalf("%s: %d %s", query, w.Code, w.Body)
	}
	return w.Body.Bytes()
}

// BenchmarkListRecordsFirst is a harvest's first request: a page of 100
// records and the count of the whole list.
func BenchmarkListRecordsFirst(b *testing.B) {
	h := benchHandler(b)
	for b.Loop() {
		benchGet(b, h, "verb=ListRecords&metadataPrefix=oai_dc")
	}
}

// BenchmarkListRecordsNext continues a harvest with a resumption token.
func BenchmarkListRecordsNext(b *testing.B) {
	h := benchHandler(b)
	var resp response
	if err := xml.Unmarshal(benchGet(b, h, "verb=ListRecords&metadataPrefix=csl_json"), &resp); err != nil || resp.RToken == nil {
		b.Fatalf("no token: %v", err)
	}
	q := "verb=ListRecords&resumptionToken=" + url.QueryEscape(resp.RToken.Value)
	for b.Loop() {
		benchGet(b, h, q)
	}
}
