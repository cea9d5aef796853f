package cli

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeMountsAdmin checks that serve puts the editors' admin and the
// uploaded files beside the public site.
func TestServeMountsAdmin(t *testing.T) {
	dir := t.TempDir()
	site, err := openSite(context.Background(), siteConfig{location: filepath.Join(dir, "imprint.db"), demo: true,
		uploads: filepath.Join(dir, "uploads"), adminEmail: "librarian@example.org", log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	if len(site.jobs) == 0 {
		t.Error("no background job: scheduled publications would never go live")
	}
	for _, tt := range []struct {
		path     string
		status   int
		location string
		body     string
	}{
		{"/admin", http.StatusMovedPermanently, "/admin/", ""},
		{"/admin/", http.StatusSeeOther, "/admin/login", ""},
		{"/admin/login", http.StatusOK, "", `name="password"`},
		{"/files/sha256-0000000000000000000000000000000000000000000000000000000000000000.pdf", http.StatusNotFound, "", ""},
	} {
		rec := httptest.NewRecorder()
		site.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
		if rec.Code != tt.status {
			t.Errorf("GET %s: %d, want %d", tt.path, rec.Code, tt.status)
		}
		if loc := rec.Header().Get("Location"); tt.location != "" && !strings.HasPrefix(loc, tt.location) {
			t.Errorf("GET %s: Location %q, want %q…", tt.path, loc, tt.location)
		}
		if tt.body != "" && !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("GET %s: body lacks %s", tt.path, tt.body)
		}
	}
}
