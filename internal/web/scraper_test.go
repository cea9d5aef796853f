package web

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// requireScraper returns the path of node once html-metadata is installed
// in testdata/scraper (npm ci --prefix internal/web/testdata/scraper). Where
// IMPRINT_REQUIRE_SCRAPER is set a missing scraper fails the test;
// elsewhere it is skipped with the reason.
func requireScraper(t *testing.T) string {
	t.Helper()
	msg := ""
	node, err := exec.LookPath("node")
	if err != nil {
		msg = "node is not on PATH"
	} else if _, err := os.Stat(filepath.Join("testdata", "scraper", "node_modules", "html-metadata")); err != nil {
		msg = "html-metadata is not installed: run npm ci --prefix internal/web/testdata/scraper"
	}
	if msg == "" {
		return node
	}
	if os.Getenv("IMPRINT_REQUIRE_SCRAPER") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// strs reads a scraped value that is one string or a list of them.
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// TestScraperReadsPublicationPage has html-metadata, the scraper Wikimedia's
// citation service uses, read publication pages, and checks what it finds
// in each vocabulary against the record.
func TestScraperReadsPublicationPage(t *testing.T) {
	node := requireScraper(t)
	st := newMemDemo(t)
	h := newHandler(t, st)
	for _, tt := range []struct {
		slug, date, journal, volume, issue, schemaType string
	}{
		{seedSlug, "2013", "ASAN Forum", "1", "2", "ScholarlyArticle"},
		{"sanctions-and-north-korean-trade", "2020", "Asian Survey", "60", "3", "ScholarlyArticle"},
		{"deterrence-on-the-korean-peninsula", "2018", "", "", "", "Report"},
		{"us-japan-relations-podcast", "2013/11/14", "", "", "", "PodcastEpisode"},
	} {
		t.Run(tt.slug, func(t *testing.T) {
			p, err := st.PublicationBySlug(t.Context(), tt.slug)
			if err != nil {
				t.Fatal(err)
			}
			r := get(t, h, "/publications/"+tt.slug)
			file := filepath.Join(t.TempDir(), "page.html")
			if err := os.WriteFile(file, []byte(r.body), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(t.Context(), node, filepath.Join("testdata", "scraper", "scrape.js"), file)
			cmd.Stderr = &testLogWriter{t}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("scraper: %v", err)
			}
			var got struct {
				HighwirePress map[string]any   `json:"highwirePress"`
				DublinCore    map[string]any   `json:"dublinCore"`
				JSONLD        map[string]any   `json:"jsonLd"`
				OpenGraph     map[string]any   `json:"openGraph"`
				Coins         []map[string]any `json:"coins"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("scraper output: %v\n%s", err, out)
			}
			hw := got.HighwirePress
			title := p.FullTitle()
			if hw["title"] != title || hw["publication_date"] != tt.date {
				t.Errorf("Highwire title %v date %v, want %q %q", hw["title"], hw["publication_date"], title, tt.date)
			}
			if w := wantAuthors(p); !slices.Equal(strs(hw["author"]), w) {
				t.Errorf("Highwire authors %q, want %q", strs(hw["author"]), w)
			}
			for key, want := range map[string]string{"journal_title": tt.journal, "volume": tt.volume, "issue": tt.issue} {
				if (want == "" && hw[key] != nil) || (want != "" && hw[key] != want) {
					t.Errorf("Highwire %s %v, want %q", key, hw[key], want)
				}
			}
			if got.DublinCore["title"] != title {
				t.Errorf("Dublin Core title %v", got.DublinCore["title"])
			}
			if got.JSONLD["@type"] != tt.schemaType || got.JSONLD["name"] != title {
				t.Errorf("JSON-LD @type %v name %v", got.JSONLD["@type"], got.JSONLD["name"])
			}
			if got.OpenGraph["title"] != title {
				t.Errorf("Open Graph title %v", got.OpenGraph["title"])
			}
			if len(got.Coins) != 1 {
				t.Fatalf("%d COinS read", len(got.Coins))
			}
			rft, _ := got.Coins[0]["rft"].(map[string]any)
			if rft["atitle"] != title && rft["btitle"] != title && rft["title"] != title {
				t.Errorf("COinS %v does not carry the title", rft)
			}
			if tt.journal != "" && (rft["jtitle"] != tt.journal || rft["volume"] != tt.volume || rft["issue"] != tt.issue) {
				t.Errorf("COinS venue %v %v %v", rft["jtitle"], rft["volume"], rft["issue"])
			}
		})
	}
}

type testLogWriter struct{ t *testing.T }

func (w *testLogWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }
