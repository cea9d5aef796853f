package model

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func smith() Person {
	return Person{ID: 1, Slug: "sheila-a-smith", Given: "Sheila A.", Family: "Smith",
		RoleLine: "Senior Fellow for Japan Studies"}
}

// seed is the publication every page of the demo starts from.
func seed(t *testing.T) *Publication {
	return &Publication{
		ID: 7, Slug: "north-korea-in-japans-strategic-thinking", Type: TypeArticleJournal,
		Title:         "North Korea in Japan’s Strategic Thinking",
		Contributions: []Contribution{{Person: smith(), Role: RoleAuthor}},
		Issued:        mustDate(t, "2013-09/2013-10"),
		Venue:         Venue{ContainerTitle: "ASAN Forum", Volume: "1", Issue: "2"},
		URL:           "http://www.theasanforum.org/north-korea-in-japans-strategic-thinking/",
		Summary:       "Pyongyang's missile launches changed how Japan thinks about defense.",
		Language:      "en",
		Topics:        []Topic{{Slug: "security"}},
		Status:        StatusPublished,
	}
}

// The seed's CSL view is fixed by what citeproc-js was given to produce the
// reference citations; it is spelled out here, not in a golden file, so
// that -update cannot change it.
func TestSeedCSL(t *testing.T) {
	want := `{"type":"article-journal","title":"North Korea in Japan’s Strategic Thinking",
	 "author":[{"family":"Smith","given":"Sheila A."}],"container-title":"ASAN Forum",
	 "volume":"1","issue":"2","issued":{"date-parts":[[2013,9],[2013,10]]},
	 "URL":"http://www.theasanforum.org/north-korea-in-japans-strategic-thinking/"}`
	got, err := json.Marshal(seed(t).CSL())
	if err != nil {
		t.Fatal(err)
	}
	var gotM, wantM map[string]any
	if err := json.Unmarshal(got, &gotM); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &wantM); err != nil {
		t.Fatal(err)
	}
	if gotM["id"] != "north-korea-in-japans-strategic-thinking" {
		t.Errorf("id = %v, want the slug", gotM["id"])
	}
	delete(gotM, "id")
	if !reflect.DeepEqual(gotM, wantM) {
		t.Errorf("seed CSL\n got %s\nwant %s", got, want)
	}
}

func TestCSLGolden(t *testing.T) {
	lindsay := Person{Slug: "james-m-lindsay", Given: "James M.", Family: "Lindsay"}
	berg := Person{Slug: "thomas-van-der-berg", Given: "Thomas", Family: "Berg", NonDroppingParticle: "van der"}
	sato := Person{Slug: "sato-kenichi", Given: "健一", Family: "佐藤"}
	org := Person{Slug: "imprint-institute", Literal: "Imprint Institute"}
	tests := []struct {
		name string
		pub  Publication
	}{
		{"podcast", Publication{Slug: "us-japan-relations-podcast", Type: TypePodcast, Title: "U.S.-Japan Relations",
			Contributions: []Contribution{{lindsay, RoleHost}, {smith(), RoleGuest}},
			Issued:        mustDate(t, "2013-11-14"), Venue: Venue{ContainerTitle: "The World Next Week"}}},
		{"book", Publication{Slug: "intimate-rivals", Type: TypeBook, Title: "Intimate Rivals",
			Subtitle:      "Japanese Domestic Politics and a Rising China",
			Contributions: []Contribution{{smith(), RoleAuthor}}, Issued: mustDate(t, "2015"),
			Venue: Venue{Publisher: "Columbia University Press", Place: "New York", ISBN: "9780231167888"}}},
		{"chapter-circa", Publication{Slug: "origins", Type: TypeChapter, Title: "The Origins of the San Francisco System",
			Contributions: []Contribution{{sato, RoleAuthor}, {berg, RoleEditor}}, Issued: mustDate(t, "~1952"),
			Venue: Venue{ContainerTitle: "Alliances in Asia", Pages: "112-139", Publisher: "Imprint Institute"}}},
		{"event-moderator", Publication{Slug: "outlook", Type: TypeEvent, Title: "East Asia Security Outlook",
			Contributions: []Contribution{{lindsay, RoleModerator}, {smith(), RoleGuest}},
			Issued:        mustDate(t, "2024-01-18"), Venue: Venue{Place: "Washington, DC"}}},
		{"report-season-japanese", Publication{Slug: "report", Type: TypeReport, Title: "日本の防衛政策",
			Contributions: []Contribution{{org, RoleAuthor}}, Issued: mustDate(t, "Spring 2014"), Language: "ja",
			Venue: Venue{Number: "12", Publisher: "Imprint Institute"}, DOI: "10.1234/imprint.12"}},
		{"op-ed-season-range", Publication{ID: 9, Type: TypeOpEd, Title: "Op-ed", Issued: mustDate(t, "2014-spring/2014-summer")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.MarshalIndent(tt.pub.CSL(), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "csl-"+tt.name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("CSL of %s\n got %s\nwant %s", tt.name, got, want)
			}
		})
	}
}

func TestPublicationValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(p *Publication)
		fields []string // fields with errors; none means valid
	}{
		{"seed", func(p *Publication) {}, nil},
		{"bad slug", func(p *Publication) { p.Slug = "North Korea" }, []string{"Slug"}},
		{"no title, bad type", func(p *Publication) { p.Title = " "; p.Type = "blog" }, []string{"Type", "Title"}},
		{"role", func(p *Publication) { p.Contributions[0].Role = "ghost" }, []string{"Contributions[0].Role"}},
		{"person", func(p *Publication) { p.Contributions[0].Person = Person{} }, []string{"Contributions[0].Person"}},
		{"range backwards", func(p *Publication) {
			p.Issued = Date{Start: DatePart{Year: 2013, Month: 10}, End: DatePart{Year: 2013, Month: 9}}
		}, []string{"Issued"}},
		{"doi url", func(p *Publication) { p.DOI = "https://doi.org/10.1/x" }, []string{"DOI"}},
		{"url", func(p *Publication) { p.URL = "javascript:alert(1)" }, []string{"URL"}},
		{"status", func(p *Publication) { p.Status = "" }, []string{"Status"}},
		{"related self", func(p *Publication) { p.Related = []Ref{{Slug: p.Slug}} }, []string{"Related[0]"}},
		{"newline in title", func(p *Publication) { p.Title = "a\nb" }, []string{"Title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seed(t)
			tt.edit(p)
			err := p.Validate()
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			ve, ok := AsValidationError(err)
			if !ok {
				t.Fatalf("Validate() = %v, want a *ValidationError", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("fields with errors = %v, want %v (%v)", got, tt.fields, err)
			}
			if !strings.Contains(err.Error(), p.Slug) && p.Slug != "" {
				t.Errorf("error %q does not name the publication", err)
			}
		})
	}
}

func TestVenueLine(t *testing.T) {
	tests := []struct {
		v    Venue
		want string
	}{
		{Venue{ContainerTitle: "ASAN Forum", Volume: "1", Issue: "2"}, "ASAN Forum, Vol. 1, No. 2"},
		{Venue{ContainerTitle: "Maritime Asia", Pages: "112-139", Publisher: "OUP"}, "Maritime Asia, pp. 112–139"},
		{Venue{ContainerTitle: "Foreign Affairs", Pages: "7"}, "Foreign Affairs, p. 7"},
		{Venue{Publisher: "Columbia University Press", Place: "New York"}, "Columbia University Press"},
		{Venue{Publisher: "Imprint Institute", Number: "12"}, "Imprint Institute, No. 12"},
		{Venue{}, ""},
	}
	for _, tt := range tests {
		if got := tt.v.Line(); got != tt.want {
			t.Errorf("%+v.Line() = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestTypesAndRoles(t *testing.T) {
	tests := []struct {
		typ       Type
		csl, labl string
	}{
		{TypePodcast, "broadcast", "Podcast"},
		{TypeEvent, "event", "Event"},
		{TypeVideo, "motion_picture", "Video"},
		{TypeOpEd, "article-newspaper", "Op-Ed"},
		{TypeCommentary, "post-weblog", "Commentary"},
		{TypeReport, "report", "Report"},
		{"nonsense", "document", "nonsense"},
	}
	for _, tt := range tests {
		if got := tt.typ.CSLType(); got != tt.csl {
			t.Errorf("%s.CSLType() = %q, want %q", tt.typ, got, tt.csl)
		}
		if got := tt.typ.Label(); got != tt.labl {
			t.Errorf("%s.Label() = %q, want %q", tt.typ, got, tt.labl)
		}
	}
	all := Types()
	seen := map[Type]bool{}
	for _, ty := range all {
		if seen[ty] || !ty.Valid() {
			t.Errorf("Types() lists %q twice or invalid", ty)
		}
		seen[ty] = true
	}
	if len(all) != len(types) {
		t.Errorf("Types() has %d entries, want %d", len(all), len(types))
	}
	for r, want := range map[Role]string{RoleAuthor: "author", RoleHost: "host", RoleGuest: "guest",
		RoleModerator: "chair", RoleTranslator: "translator", RoleEditor: "editor", "x": "contributor"} {
		if got := r.CSLVariable(); got != want {
			t.Errorf("%s.CSLVariable() = %q, want %q", r, got, want)
		}
	}
}

func TestPublishedAndWithdrawn(t *testing.T) {
	trashed := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		status               Status
		deleted              time.Time
		published, withdrawn bool
	}{
		{StatusPublished, time.Time{}, true, false},
		{StatusPublished, trashed, false, true},
		{StatusDraft, trashed, false, false},
		{StatusScheduled, time.Time{}, false, false},
		{StatusReview, time.Time{}, false, false},
	} {
		p := &Publication{Status: tt.status, DeletedAt: tt.deleted}
		if p.IsPublished() != tt.published || p.IsWithdrawn() != tt.withdrawn {
			t.Errorf("%s, deleted %v: published %v withdrawn %v", tt.status, !tt.deleted.IsZero(), p.IsPublished(), p.IsWithdrawn())
		}
	}
}
