package cli

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
)

// TestServeMountsAPI checks that the site serves the JSON API beside the
// pages, from the same database.
func TestServeMountsAPI(t *testing.T) {
	site, err := openSite(context.Background(), siteConfig{location: filepath.Join(t.TempDir(), "imprint.db"), demo: true,
		adminEmail: "librarian@example.org", log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	h := site.handler
	tests := []struct {
		path   string
		status int
	}{
		{"/api/v1/publications/" + demo.SeedSlug, http.StatusOK},
		{"/api/v1/openapi.json", http.StatusOK},
		{"/api/v1/search?q=japan", http.StatusOK},
		{"/api/v1/publications/no-such-publication", http.StatusNotFound},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		var body map[string]any
		if rec.Code != tc.status || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
			t.Errorf("GET %s: %d %.200s, want %d with a JSON body", tc.path, rec.Code, rec.Body, tc.status)
		}
	}
	// The record's links lead to the site's page and downloads.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/publications/"+demo.SeedSlug, nil))
	var record struct{ Links map[string]string }
	if err := json.Unmarshal(rec.Body.Bytes(), &record); err != nil || len(record.Links) < 5 {
		t.Fatalf("record links: %v %v", record.Links, err)
	}
	for name, link := range record.Links {
		path := strings.TrimPrefix(link, "http://example.com")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("links.%s %s: status %d", name, link, rec.Code)
		}
	}

	// The page itself is still the site's.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/publications/"+demo.SeedSlug, nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") == "application/json; charset=utf-8" {
		t.Errorf("GET the publication page: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
