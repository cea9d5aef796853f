package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

// benchCount is how many publications the benchmarks add to the demo
// content: enough that a "to" bound in the past makes the list walk past
// thousands of newer ones.
const benchCount = 5000

// benchAPI returns the API over SQLite holding the demo content and
// benchCount more publications issued month by month from 2024 back.
func benchAPI(b *testing.B) http.Handler {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "imprint.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := demo.Load(ctx, st); err != nil {
		b.Fatal(err)
	}
	people := []string{"sheila-a-smith", "james-m-lindsay", "mira-kwon", "priya-raman"}
	topics := []string{"alliances", "trade", "energy", "diplomacy"}
	err = st.WithTx(ctx, func(tx store.Store) error {
		for i := range benchCount {
			p := &model.Publication{
				Slug: fmt.Sprintf("generated-report-%d", i), Type: model.TypeReport,
				Title:  fmt.Sprintf("Generated Report %d", i),
				Status: model.StatusPublished,
				Issued: model.Date{Start: model.DatePart{Year: 2024 - i/12/20, Month: 12 - i/20%12, Day: 1 + i%20}},
				Contributions: []model.Contribution{
					{Person: model.Person{Slug: people[i%len(people)]}, Role: "author"},
					{Person: model.Person{Slug: people[(i+1)%len(people)]}, Role: "author"},
				},
				Topics:  []model.Topic{{Slug: topics[i%len(topics)]}},
				Regions: []model.Region{{Slug: "japan"}},
				Venue:   model.Venue{Publisher: "Generated Institute", Number: fmt.Sprint(i)},
			}
			if err := tx.CreatePublication(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(st, Config{BaseURL: baseURL, Search: search.NewSQLite(st.DB())})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

func BenchmarkAPI(b *testing.B) {
	h := benchAPI(b)
	for _, path := range []string{
		"/api/v1/publications",
		"/api/v1/publications?limit=100",
		"/api/v1/publications?topic=security&region=japan&limit=50",
		"/api/v1/publications?to=2010",
		"/api/v1/publications?from=2020&to=2022",
		"/api/v1/publications/" + demo.SeedSlug,
		"/api/v1/experts/sheila-a-smith",
		"/api/v1/topics",
		"/api/v1/search?q=generated+report",
		"/api/v1/search?q=japan&type=report&from=2020",
	} {
		b.Run(strings.TrimPrefix(path, "/api/v1/"), func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
				}
			}
		})
	}
}
