package feed_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/web"
)

// TestMountedOnSite checks that the public site sends the feed routes
// here, next to its own pages.
func TestMountedOnSite(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreateTopic(ctx, &model.Topic{Slug: "security", Name: "Security"}); err != nil {
		t.Fatal(err)
	}
	site, err := web.New(web.Config{Store: st, SiteName: "Imprint Institute"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, ctype string }{
		{"/feed.atom", "application/atom+xml; charset=utf-8"},
		{"/topics/security/feed.rss", "application/rss+xml; charset=utf-8"},
		{"/types/report/feed.json", "application/feed+json; charset=utf-8"},
		{"/sitemap.xml", "application/xml; charset=utf-8"},
		{"/robots.txt", "text/plain; charset=utf-8"},
	} {
		w := httptest.NewRecorder()
		site.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://example.org"+tt.path, nil))
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != tt.ctype {
			t.Errorf("%s: %d %q, want 200 %q", tt.path, w.Code, w.Header().Get("Content-Type"), tt.ctype)
		}
	}
	w := httptest.NewRecorder()
	site.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://example.org/topics/nope/feed.atom", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("feed of a missing topic: %d", w.Code)
	}
}
