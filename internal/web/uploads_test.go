package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/upload"
)

// A well-formed upload key of each kind; the page tests need no file
// behind them.
var (
	testPDFKey   = "sha256-" + strings.Repeat("ab", 32) + ".pdf"
	testPhotoKey = "sha256-" + strings.Repeat("cd", 32) + ".jpg"
)

// TestHostedPDFLinks checks where "View full text" leads as a record
// gains a hosted PDF, and that the other ways to read it stay listed.
func TestHostedPDFLinks(t *testing.T) {
	const outside = "https://journal.example/article/7"
	for _, tt := range []struct {
		name      string
		p         model.Publication
		primary   string
		typ       string
		linkText  string
		more      []string // hrefs under "Also available"
		pdfMetaOK bool
	}{
		{
			name:    "PDF only",
			p:       model.Publication{FullTextPDF: testPDFKey},
			primary: "/files/" + testPDFKey, typ: "application/pdf", linkText: "View full text of article (PDF)", pdfMetaOK: true,
		},
		{
			name:    "PDF, outside URL and hosted text",
			p:       model.Publication{FullTextPDF: testPDFKey, URL: outside, FullText: "The text."},
			primary: "/files/" + testPDFKey, typ: "application/pdf", linkText: "View full text of article (PDF)",
			more: []string{outside, "/publications/pdf-test/full"}, pdfMetaOK: true,
		},
		{
			name:    "outside URL and hosted text",
			p:       model.Publication{URL: outside, FullText: "The text."},
			primary: outside, linkText: "View full text of article", more: []string{"/publications/pdf-test/full"},
		},
		{
			name:    "DOI only",
			p:       model.Publication{DOI: "10.1234/abc"},
			primary: "https://doi.org/10.1234/abc", linkText: "View full text of article",
		},
		{
			// The model allows any short extension; a key naming no PDF
			// is no PDF link.
			name:    "key of an image as the PDF",
			p:       model.Publication{FullTextPDF: testPhotoKey, URL: outside},
			primary: outside, linkText: "View full text of article",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemDemo(t)
			p := tt.p
			p.Slug, p.Type, p.Title, p.Status = "pdf-test", model.TypeReport, "A Report With a PDF", model.StatusPublished
			p.Issued = model.Date{Start: model.DatePart{Year: 2024, Month: 3}}
			p.Contributions = []model.Contribution{{Person: model.Person{Slug: "mira-kwon"}, Role: model.RoleAuthor}}
			if err := st.CreatePublication(t.Context(), &p); err != nil {
				t.Fatal(err)
			}
			doc := getPage(t, newHandler(t, st), "/publications/pdf-test", 200)

			link := queryOne(t, doc, ".full-text a")
			href, _ := attr(link, "href")
			typ, _ := attr(link, "type")
			if href != tt.primary || typ != tt.typ || textOf(link) != tt.linkText {
				t.Errorf("full text link %q (type %q) → %q; want %q (type %q) → %q", textOf(link), typ, href, tt.linkText, tt.typ, tt.primary)
			}
			var more []string
			for _, a := range queryAll(t, doc, ".full-text-more a") {
				h, _ := attr(a, "href")
				more = append(more, h)
			}
			if !slices.Equal(more, tt.more) {
				t.Errorf("also available: %q, want %q", more, tt.more)
			}

			m := readPageMeta(t, doc)
			pdfURL := "http://example.com/files/" + testPDFKey
			var wantPDF []string
			if tt.pdfMetaOK {
				wantPDF = []string{pdfURL}
			}
			if got := m.named["citation_pdf_url"]; !slices.Equal(got, wantPDF) {
				t.Errorf("citation_pdf_url %q, want %q", got, wantPDF)
			}
			enc, _ := m.jsonLD[0]["encoding"].(map[string]any)
			if tt.pdfMetaOK != (enc != nil) || (enc != nil && (enc["contentUrl"] != pdfURL || enc["encodingFormat"] != "application/pdf")) {
				t.Errorf("JSON-LD encoding %v; want the PDF: %v", enc, tt.pdfMetaOK)
			}
			// The DC tags come from the oai_dc record, which names the PDF
			// as a relation with its format.
			hasRelation := slices.Contains(m.named["DC.relation"], pdfURL)
			hasFormat := slices.Equal(m.named["DC.format"], []string{"application/pdf"})
			if hasRelation != tt.pdfMetaOK || hasFormat != tt.pdfMetaOK {
				t.Errorf("DC.relation %q, DC.format %q; want the PDF named: %v", m.named["DC.relation"], m.named["DC.format"], tt.pdfMetaOK)
			}
			if probs := emptyProblems(doc); len(probs) > 0 {
				t.Errorf("empty elements or attributes: %v", probs)
			}
		})
	}
}

func TestExpertPhoto(t *testing.T) {
	for _, tt := range []struct {
		name, photo, wantSrc string
	}{
		{"photo", testPhotoKey, "/files/" + testPhotoKey},
		{"no photo", "", ""},
		// A well-formed key whose extension names no image: no <img>.
		{"key of a PDF", testPDFKey, ""},
		{"key of a GIF", "sha256-" + strings.Repeat("ef", 32) + ".gif", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemDemo(t)
			person := &model.Person{Slug: "ann-lee", Given: "Ann", Family: "O’Lee <Jr>", RoleLine: "Fellow", Photo: tt.photo}
			if err := st.CreatePerson(t.Context(), person); err != nil {
				t.Fatal(err)
			}
			doc := getPage(t, newHandler(t, st), "/experts/ann-lee", 200)
			imgs := queryAll(t, doc, "main img")
			if tt.wantSrc == "" {
				if len(imgs) != 0 {
					t.Fatalf("%d images on the page, want none", len(imgs))
				}
				return
			}
			if len(imgs) != 1 {
				t.Fatalf("%d images on the page, want the portrait", len(imgs))
			}
			src, _ := attr(imgs[0], "src")
			alt, _ := attr(imgs[0], "alt")
			if src != tt.wantSrc || alt != "Ann O’Lee <Jr>" {
				t.Errorf("portrait src %q alt %q; want %q and the name", src, alt, tt.wantSrc)
			}
		})
	}
}

// TestHostedPDFServed mounts the site and the upload store the way the
// serve command does and follows the page's links to the stored files.
func TestHostedPDFServed(t *testing.T) {
	uploads, err := upload.Open(upload.Config{Dir: filepath.Join(t.TempDir(), "uploads")})
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pdfKey, err := uploads.Put(t.Context(), bytes.NewReader(pdf), "report.pdf", upload.PDF)
	if err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
		"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
	photoKey, err := uploads.Put(t.Context(), bytes.NewReader(png), "me.png", upload.Image)
	if err != nil {
		t.Fatal(err)
	}

	st := newMemDemo(t)
	p := &model.Publication{Slug: "served-pdf", Type: model.TypeReport, Title: "Served", Status: model.StatusPublished,
		FullTextPDF: pdfKey, Contributions: []model.Contribution{{Person: model.Person{Slug: "mira-kwon"}, Role: model.RoleAuthor}}}
	if err := st.CreatePublication(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePerson(t.Context(), &model.Person{Slug: "pictured", Given: "Pat", Family: "Doe", Photo: photoKey}); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", newHandler(t, st))
	mux.Handle("GET /files/", uploads.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, tt := range []struct {
		page, sel, attr, mediaType string
		body                       []byte
	}{
		{"/publications/served-pdf", ".full-text a", "href", "application/pdf", pdf},
		{"/experts/pictured", "main img.portrait", "src", "image/png", png},
	} {
		doc := getPage(t, newHandler(t, st), tt.page, 200)
		target, _ := attr(queryOne(t, doc, tt.sel), tt.attr)
		res, err := http.Get(srv.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != tt.mediaType || !bytes.Equal(body, tt.body) {
			t.Errorf("%s links %s: %d %s, %d bytes; want the stored %s", tt.page, target, res.StatusCode,
				res.Header.Get("Content-Type"), len(body), tt.mediaType)
		}
	}
	res, err := http.Get(srv.URL + "/publications/served-pdf")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("the site behind the mux: %d", res.StatusCode)
	}
}

// TestScraperReadsHostedPDF reads a page with a hosted PDF with
// html-metadata, as reference managers and crawlers do, and finds the
// PDF's address among its Highwire tags and JSON-LD.
func TestScraperReadsHostedPDF(t *testing.T) {
	node := requireScraper(t)
	st := newMemDemo(t)
	p := &model.Publication{Slug: "scraped-pdf", Type: model.TypeReport, Title: "Scraped", Status: model.StatusPublished,
		FullTextPDF: testPDFKey, Issued: model.Date{Start: model.DatePart{Year: 2024}},
		Contributions: []model.Contribution{{Person: model.Person{Slug: "mira-kwon"}, Role: model.RoleAuthor}}}
	if err := st.CreatePublication(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	r := get(t, newHandler(t, st), "/publications/scraped-pdf")
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
		HighwirePress map[string]any `json:"highwirePress"`
		JSONLD        map[string]any `json:"jsonLd"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("scraper output: %v\n%s", err, out)
	}
	want := "http://example.com/files/" + testPDFKey
	if got.HighwirePress["pdf_url"] != want {
		t.Errorf("Highwire pdf_url %v, want %s", got.HighwirePress["pdf_url"], want)
	}
	enc, _ := got.JSONLD["encoding"].(map[string]any)
	if enc["contentUrl"] != want {
		t.Errorf("JSON-LD encoding %v, want contentUrl %s", got.JSONLD["encoding"], want)
	}
}
