package cli

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/store/storeopen"
)

// TestServeDemoStoresRelatedLists: the demo content's pages read their
// "More on This Topic" lists like any other page, instead of ranking them
// on their first reader's request.
func TestServeDemoStoresRelatedLists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imprint.db")
	site, err := openSite(context.Background(), siteConfig{location: path, demo: true,
		adminEmail: "librarian@example.org", log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	site.Close()
	st, err := storeopen.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seed, err := st.PublicationBySlug(t.Context(), demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	entries, found, err := st.RelatedList(t.Context(), seed.ID)
	if err != nil || !found || len(entries) == 0 {
		t.Errorf("stored related list of %s: %d entries, found %v, error %v", demo.SeedSlug, len(entries), found, err)
	}
}
