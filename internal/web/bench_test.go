package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkPublicationPage measures the seed page over SQLite: the store
// reads, three citations in two formats each, related ranking and the
// template.
func BenchmarkPublicationPage(b *testing.B) {
	st := newSQLiteDemoB(b)
	h, err := New(Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/publications/"+seedSlug, nil)
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkCiteText measures one plain-text citation in a style whose
// processor is already built.
func BenchmarkCiteText(b *testing.B) {
	st := newSQLiteDemoB(b)
	h, err := New(Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/publications/"+seedSlug+"/cite?style=apa&format=text", nil)
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
