package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateMeta = flag.Bool("update-meta", false, "rewrite testdata/meta/*.golden from the current pages")

// metaLinePrefixes pick out the lines of a publication page that
// internal/meta and the unAPI identifier produce.
var metaLinePrefixes = []string{
	`<meta name="citation_`, `<link rel="schema.DC"`, `<meta name="DC.`, `<meta property="`,
	`<meta name="twitter:`, `<link rel="unapi-server"`, `<script type="application/ld+json">`,
	`<div class="machine-metadata"`,
}

// metaLines returns the metadata of a page, one tag a line, with the
// JSON-LD indented so that a change reads as a small diff.
func metaLines(t *testing.T, body string) string {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(body, "\n") {
		for _, p := range metaLinePrefixes {
			if !strings.HasPrefix(line, p) {
				continue
			}
			if js, ok := strings.CutPrefix(line, `<script type="application/ld+json">`); ok {
				js = strings.TrimSuffix(js, "</script>")
				var out bytes.Buffer
				if err := json.Indent(&out, []byte(js), "", "  "); err != nil {
					t.Fatalf("JSON-LD: %v", err)
				}
				line = `<script type="application/ld+json">` + "\n" + out.String() + "\n</script>"
			}
			b.WriteString(line)
			b.WriteByte('\n')
			break
		}
	}
	return b.String()
}

// TestPublicationMetaGolden compares the metadata of one page of each type
// with testdata/meta/{slug}.golden; go test -run TestPublicationMetaGolden
// -update-meta rewrites them.
func TestPublicationMetaGolden(t *testing.T) {
	h := newHandler(t, newMemDemo(t))
	for _, slug := range []string{
		seedSlug, "inter-korean-summits-lessons", "freedom-of-navigation-explained", "tokyo-and-pyongyang-missile-test",
		"japans-new-defense-guidelines", "intimate-rivals", "maritime-asia-in-an-age-of-rivalry", "indian-ocean-ports",
		"us-japan-relations-podcast", "east-asia-security-outlook-event", "taiwan-strait-and-japan",
		"japan-defense-budget-doubling", "sanctions-and-north-korean-trade",
	} {
		t.Run(slug, func(t *testing.T) {
			r := get(t, h, "/publications/"+slug)
			if r.status != 200 {
				t.Fatalf("status %d", r.status)
			}
			got := metaLines(t, r.body)
			file := filepath.Join("testdata", "meta", slug+".golden")
			if *updateMeta {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update-meta to create it)", err)
			}
			if got != string(want) {
				t.Errorf("metadata of %s differs from %s (run with -update-meta to accept):\n%s", slug, file, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff lists the lines only one side has, in order, marked - and +.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	inGot, inWant := map[string]int{}, map[string]int{}
	for _, l := range gl {
		inGot[l]++
	}
	for _, l := range wl {
		inWant[l]++
	}
	var b strings.Builder
	for _, l := range wl {
		if inGot[l] == 0 {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range gl {
		if inWant[l] == 0 {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
