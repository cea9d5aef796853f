package meta

import (
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/internal/model"
)

func TestSplitPages(t *testing.T) {
	for _, tt := range []struct{ in, first, last string }{
		{"", "", ""},
		{"112-139", "112", "139"},
		{"112–139", "112", "139"},
		{"112--139", "112", "139"},
		{"e1012", "e1012", ""},
		{"3-5, 9-12", "3", "12"},
		{"3-5, 9", "3", "9"},
		{" 7 ", "7", ""},
	} {
		first, last := splitPages(tt.in)
		if first != tt.first || last != tt.last {
			t.Errorf("splitPages(%q) = %q, %q; want %q, %q", tt.in, first, last, tt.first, tt.last)
		}
	}
}

func TestDates(t *testing.T) {
	for _, tt := range []struct {
		parts         []int
		highwire, w3c string
	}{
		{nil, "", ""},
		{[]int{2015}, "2015", "2015"},
		{[]int{2015, 3}, "2015", "2015-03"},
		{[]int{2015, 3, 4}, "2015/03/04", "2015-03-04"},
		{[]int{2014, 13}, "2014", "2014"}, // a season
		{[]int{0}, "", ""},
	} {
		p := dateParts(tt.parts)
		if got := highwireDate(p); got != tt.highwire {
			t.Errorf("highwireDate(%v) = %q, want %q", tt.parts, got, tt.highwire)
		}
		if got := isoDate(p); got != tt.w3c {
			t.Errorf("isoDate(%v) = %q, want %q", tt.parts, got, tt.w3c)
		}
	}
}

func TestInvertedName(t *testing.T) {
	for _, tt := range []struct {
		name csl.Name
		want string
	}{
		{csl.Name{Family: "Smith", Given: "Sheila A."}, "Smith, Sheila A."},
		{csl.Name{Family: "Berg", Given: "Thomas", NonDroppingParticle: "van der"}, "van der Berg, Thomas"},
		{csl.Name{Family: "La Fontaine", Given: "Jean", DroppingParticle: "de"}, "La Fontaine, Jean de"},
		{csl.Name{Family: "King", Given: "Martin Luther", Suffix: "Jr."}, "King, Martin Luther, Jr."},
		{csl.Name{Family: "佐藤", Given: "健一"}, "佐藤, 健一"},
		{csl.Name{Family: "Plato"}, "Plato"},
		{csl.Name{Literal: "Imprint Institute, Inc."}, "Imprint Institute, Inc."},
	} {
		if got := invertedName(tt.name); got != tt.want {
			t.Errorf("invertedName(%+v) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func tagValues(ts []Tag, name string) []string {
	var out []string
	for _, t := range ts {
		if t.Name == name {
			out = append(out, t.Content)
		}
	}
	return out
}

func testPerson(slug, family, given string) model.Person {
	return model.Person{Slug: slug, Family: family, Given: given, RoleLine: "Fellow"}
}

var page = Page{
	URL:       "https://example.org/publications/x",
	SiteName:  "Example Institute",
	PersonURL: func(slug string) string { return "https://example.org/experts/" + slug },
}

// TestBuildByType covers the types and shapes the demo content lacks.
func TestBuildByType(t *testing.T) {
	for _, tt := range []struct {
		name      string
		p         model.Publication
		highwire  map[string][]string
		schema    string
		og        string
		coinsFmt  string
		coinsWant map[string][]string
	}{
		{
			name: "conference paper",
			p: model.Publication{Type: "paper-conference", Title: "Ships", Issued: model.Date{Start: model.DatePart{Year: 2020, Month: 5, Day: 2}},
				Venue:         model.Venue{ContainerTitle: "Proceedings of the Sea", Pages: "1-9"},
				Contributions: []model.Contribution{{Person: testPerson("b", "Bee", "Ann"), Role: model.RoleAuthor}, {Person: testPerson("a", "Ay", "Bo"), Role: model.RoleAuthor}}},
			highwire: map[string][]string{"citation_conference_title": {"Proceedings of the Sea"}, "citation_author": {"Bee, Ann", "Ay, Bo"},
				"citation_publication_date": {"2020/05/02"}, "citation_firstpage": {"1"}, "citation_lastpage": {"9"}},
			schema: "ScholarlyArticle", og: "article", coinsFmt: "info:ofi/fmt:kev:mtx:book",
			coinsWant: map[string][]string{"rft.genre": {"proceeding"}, "rft.btitle": {"Proceedings of the Sea"}, "rft.au": {"Bee, Ann", "Ay, Bo"}},
		},
		{
			name: "edited volume",
			p: model.Publication{Type: model.TypeBook, Title: "Seas", Issued: model.Date{Start: model.DatePart{Year: 2020}},
				Venue:         model.Venue{Publisher: "Oxford University Press", ISBN: "9780190000017"},
				Contributions: []model.Contribution{{Person: testPerson("e", "Editor", "Ed"), Role: model.RoleEditor}}},
			highwire: map[string][]string{"citation_author": {"Editor, Ed"}, "citation_isbn": {"9780190000017"}, "citation_publisher": {"Oxford University Press"}},
			schema:   "Book", og: "book", coinsFmt: "info:ofi/fmt:kev:mtx:book",
			coinsWant: map[string][]string{"rft.genre": {"book"}, "rft.btitle": {"Seas"}, "rft.isbn": {"9780190000017"}, "rft.au": {"Editor, Ed"}},
		},
		{
			name: "commentary by an organization in Japanese",
			p: model.Publication{Type: model.TypeCommentary, Title: "論評", Language: "ja", Issued: model.Date{Start: model.DatePart{Year: 2023, Season: model.Spring}},
				Contributions: []model.Contribution{{Person: model.Person{Slug: "o", Literal: "Imprint Institute"}, Role: model.RoleAuthor}}},
			highwire: map[string][]string{"citation_author": {"Imprint Institute"}, "citation_language": {"ja"}, "citation_publication_date": {"2023"}},
			schema:   "BlogPosting", og: "article", coinsFmt: "info:ofi/fmt:kev:mtx:dc",
			coinsWant: map[string][]string{"rft.creator": {"Imprint Institute"}, "rft.language": {"ja"}, "rft.title": {"論評"}},
		},
		{
			name: "thesis with an unreadable date",
			p: model.Publication{Type: "thesis", Title: "On Ports", Issued: model.Date{Raw: "sometime in the 1990s"},
				Venue: model.Venue{Publisher: "University of Somewhere"}},
			highwire: map[string][]string{"citation_dissertation_institution": {"University of Somewhere"}, "citation_publication_date": nil, "citation_author": nil},
			schema:   "Thesis", og: "article", coinsFmt: "info:ofi/fmt:kev:mtx:dc",
			coinsWant: map[string][]string{"rft.date": nil, "rft.publisher": {"University of Somewhere"}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.p.Slug = "x"
			s, err := Build(&tt.p, page)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.highwire {
				if got := tagValues(s.Highwire, name); !slices.Equal(got, want) {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			for _, set := range [][]Tag{s.Highwire, s.OpenGraph, s.Twitter} {
				for _, tag := range set {
					if strings.TrimSpace(tag.Content) == "" {
						t.Errorf("empty %s", tag.Name)
					}
				}
			}
			var ld map[string]any
			if err := json.Unmarshal(s.JSONLD, &ld); err != nil {
				t.Fatal(err)
			}
			if ld["@type"] != tt.schema {
				t.Errorf("@type %v, want %s", ld["@type"], tt.schema)
			}
			if got := tagValues(s.OpenGraph, "og:type"); !slices.Equal(got, []string{tt.og}) {
				t.Errorf("og:type %q, want %s", got, tt.og)
			}
			kev, err := url.ParseQuery(s.COinS)
			if err != nil {
				t.Fatal(err)
			}
			if kev.Get("rft_val_fmt") != tt.coinsFmt {
				t.Errorf("rft_val_fmt %q, want %s", kev.Get("rft_val_fmt"), tt.coinsFmt)
			}
			for k, want := range tt.coinsWant {
				if got := kev[k]; !slices.Equal(got, want) {
					t.Errorf("COinS %s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestHostedPDF checks where a hosted PDF of the full text is named:
// citation_pdf_url for Scholar, and the JSON-LD encoding of a text or the
// associated media of a recording.
func TestHostedPDF(t *testing.T) {
	const pdfURL = "https://example.org/files/sha256-" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + ".pdf"
	wantMedia := map[string]any{"@type": "MediaObject", "contentUrl": pdfURL, "encodingFormat": "application/pdf"}
	for _, tt := range []struct {
		name     string
		typ      model.Type
		pdfURL   string
		property string // the JSON-LD property holding the PDF; "" for none
	}{
		{"report", model.TypeReport, pdfURL, "encoding"},
		{"journal article", model.TypeArticleJournal, pdfURL, "encoding"},
		{"podcast episode", model.TypePodcast, pdfURL, "associatedMedia"},
		{"video", model.TypeVideo, pdfURL, "associatedMedia"},
		{"event", model.TypeEvent, pdfURL, ""},
		{"report without a PDF", model.TypeReport, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &model.Publication{Slug: "x", Type: tt.typ, Title: "T", Issued: model.Date{Start: model.DatePart{Year: 2024}}}
			pg := page
			pg.PDFURL = tt.pdfURL
			s, err := Build(p, pg)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			if tt.pdfURL != "" {
				want = []string{tt.pdfURL}
			}
			if got := tagValues(s.Highwire, "citation_pdf_url"); !slices.Equal(got, want) {
				t.Errorf("citation_pdf_url = %q, want %q", got, want)
			}
			var ld map[string]any
			if err := json.Unmarshal(s.JSONLD, &ld); err != nil {
				t.Fatal(err)
			}
			for _, prop := range []string{"encoding", "associatedMedia"} {
				got, ok := ld[prop].(map[string]any)
				switch {
				case prop == tt.property && !maps.Equal(got, wantMedia):
					t.Errorf("%s = %v, want %v", prop, ld[prop], wantMedia)
				case prop != tt.property && ok:
					t.Errorf("%s = %v, want none", prop, got)
				}
			}
		})
	}
}

func TestCOinSEncoding(t *testing.T) {
	p := &model.Publication{Slug: "x", Type: model.TypeArticleJournal, Title: "R&D = 1+1? 100% “sure”",
		Venue: model.Venue{ContainerTitle: "A;B/C#D"}}
	s, err := Build(p, page)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(s.COinS, " +#;") {
		t.Errorf("COinS has an unencoded character: %s", s.COinS)
	}
	kev, err := url.ParseQuery(s.COinS)
	if err != nil {
		t.Fatal(err)
	}
	if kev.Get("rft.atitle") != p.Title || kev.Get("rft.jtitle") != p.Venue.ContainerTitle {
		t.Errorf("decoded atitle %q jtitle %q", kev.Get("rft.atitle"), kev.Get("rft.jtitle"))
	}
	// Decoders that leave + alone (RFC 3986 rather than forms) read the
	// same text, since spaces are written %20.
	for _, pair := range strings.Split(s.COinS, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if k == "rft.atitle" {
			if got, err := url.PathUnescape(v); err != nil || got != p.Title {
				t.Errorf("path-unescaped atitle %q (%v)", got, err)
			}
		}
	}
}

func TestJSONLDIsSafeInScript(t *testing.T) {
	p := &model.Publication{Slug: "x", Type: model.TypeReport, Title: "</script><!-- & \u2028 end"}
	s, err := Build(p, Page{URL: "https://example.org/p?a=1&b=2", Description: "<b>bold</b>"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(s.JSONLD), "<>&\u2028") {
		t.Errorf("JSON-LD holds a raw <, >, & or U+2028: %s", s.JSONLD)
	}
	var ld map[string]any
	if err := json.Unmarshal(s.JSONLD, &ld); err != nil {
		t.Fatal(err)
	}
	if ld["name"] != p.Title || ld["url"] != "https://example.org/p?a=1&b=2" || ld["description"] != "<b>bold</b>" {
		t.Errorf("round trip: %v", ld)
	}
}

func TestDublinCoreFromRecord(t *testing.T) {
	rec := `<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>Fish &amp; Chips</dc:title><dc:creator>A</dc:creator><dc:creator>B</dc:creator><dc:subject> </dc:subject>
</oai_dc:dc>`
	got, err := dublinCore([]byte(rec))
	if err != nil {
		t.Fatal(err)
	}
	want := []Tag{{"DC.title", "Fish & Chips"}, {"DC.creator", "A"}, {"DC.creator", "B"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{`<oai_dc:dc xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>x</dc:tit>`, `<a><b>`} {
		if _, err := dublinCore([]byte(bad)); err == nil {
			t.Errorf("dublinCore(%q) read a malformed record", bad)
		}
	}
	p := &model.Publication{Slug: "x", Type: model.TypeReport, Title: "T"}
	if _, err := Build(p, Page{DublinCore: []byte("<a>")}); err == nil {
		t.Error("Build accepted a malformed Dublin Core record")
	}
}

// BenchmarkBuild measures the metadata of one journal article with two
// authors, without the Dublin Core record.
func BenchmarkBuild(b *testing.B) {
	p := &model.Publication{Slug: "x", Type: model.TypeArticleJournal, Title: "Sanctions and the Shape of North Korean Trade",
		Issued: model.Date{Start: model.DatePart{Year: 2020, Month: 6}},
		Venue:  model.Venue{ContainerTitle: "Asian Survey", Volume: "60", Issue: "3", Pages: "455-481"}, DOI: "10.1525/as.2020.60.3.455",
		Contributions: []model.Contribution{{Person: testPerson("t", "Berg", "Thomas"), Role: model.RoleAuthor}, {Person: testPerson("m", "Kwon", "Mira"), Role: model.RoleAuthor}},
		Topics:        []model.Topic{{Name: "Trade"}}, Regions: []model.Region{{Name: "North Korea"}}}
	for b.Loop() {
		if _, err := Build(p, page); err != nil {
			b.Fatal(err)
		}
	}
}
