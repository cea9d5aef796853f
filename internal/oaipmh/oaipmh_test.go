package oaipmh

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
)

// response is the part of an OAI-PMH response the tests read.
type response struct {
	XMLName      xml.Name `xml:"http://www.openarchives.org/OAI/2.0/ OAI-PMH"`
	ResponseDate string   `xml:"responseDate"`
	Request      struct {
		Verb           string `xml:"verb,attr"`
		MetadataPrefix string `xml:"metadataPrefix,attr"`
		URL            string `xml:",chardata"`
	} `xml:"request"`
	Errors []struct {
		Code string `xml:"code,attr"`
		Msg  string `xml:",chardata"`
	} `xml:"error"`
	Identify struct {
		BaseURL           string `xml:"baseURL"`
		EarliestDatestamp string `xml:"earliestDatestamp"`
		DeletedRecord     string `xml:"deletedRecord"`
		Granularity       string `xml:"granularity"`
	} `xml:"Identify"`
	Formats []string `xml:"ListMetadataFormats>metadataFormat>metadataPrefix"`
	Sets    []string `xml:"ListSets>set>setSpec"`
	Headers []header `xml:"ListIdentifiers>header"`
	Records []record `xml:"ListRecords>record"`
	Record  record   `xml:"GetRecord>record"`
	Token   *token   `xml:"ListIdentifiers>resumptionToken"`
	RToken  *token   `xml:"ListRecords>resumptionToken"`
}

type header struct {
	Status     string   `xml:"status,attr"`
	Identifier string   `xml:"identifier"`
	Datestamp  string   `xml:"datestamp"`
	Sets       []string `xml:"setSpec"`
}

type record struct {
	Header header `xml:"header"`
	DC     struct {
		Titles      []string `xml:"http://purl.org/dc/elements/1.1/ title"`
		Creators    []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		Identifiers []string `xml:"http://purl.org/dc/elements/1.1/ identifier"`
		Subjects    []string `xml:"http://purl.org/dc/elements/1.1/ subject"`
		Description string   `xml:"http://purl.org/dc/elements/1.1/ description"`
		Source      string   `xml:"http://purl.org/dc/elements/1.1/ source"`
	} `xml:"metadata>dc"`
	CSL struct {
		Type string `xml:"type,attr"`
		JSON string `xml:",chardata"`
	} `xml:"metadata>item"`
}

type token struct {
	Value            string `xml:",chardata"`
	Expiration       string `xml:"expirationDate,attr"`
	CompleteListSize string `xml:"completeListSize,attr"`
	Cursor           string `xml:"cursor,attr"`
}

// site is a repository under test, remembering every response so that
// they can all be validated against the schemas at the end.
type site struct {
	t      testing.TB
	store  *sqlstore.Store
	h      http.Handler
	cfg    Config
	bodies [][]byte
	now    time.Time // zero: the real clock
}

func newSite(t testing.TB, cfg Config) *site { return newSiteOn(t, "sqlite", cfg) }

// backends are the stores the harvest tests run on.
var backends = []string{"sqlite", "postgres"}

// newSiteOn opens a repository on an empty store of the given backend;
// PostgreSQL follows pgtest's rules (required under CI).
func newSiteOn(t testing.TB, backend string, cfg Config) *site {
	t.Helper()
	var st *sqlstore.Store
	var err error
	if backend == "postgres" {
		st, err = postgres.Open(context.Background(), pgtest.SchemaURL(t))
	} else {
		st, err = sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "imprint.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &site{t: t, store: st, cfg: cfg}
	s.reconfigure(cfg)
	t.Cleanup(s.validateAll)
	return s
}

func (s *site) reconfigure(cfg Config) {
	s.t.Helper()
	if cfg.AdminEmail == "" {
		cfg.AdminEmail = "librarian@example.org"
	}
	cfg.Now = func() time.Time {
		if s.now.IsZero() {
			return time.Now()
		}
		return s.now
	}
	h, err := New(s.store, cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/oai", h)
	mux.Handle("/oai/csl-json.xsd", h)
	s.h = mux
}

// get sends a GET with the query and decodes the response.
func (s *site) get(query string) *response {
	s.t.Helper()
	return s.do(httptest.NewRequest(http.MethodGet, "http://repo.example.org/oai?"+query, nil))
}

func (s *site) post(query string) *response {
	s.t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://repo.example.org/oai", strings.NewReader(query))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(r)
}

func (s *site) do(r *http.Request) *response {
	s.t.Helper()
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		s.t.Fatalf("%s %s: status %d: %s", r.Method, r.URL, w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		s.t.Errorf("Content-Type = %q", ct)
	}
	body := w.Body.Bytes()
	s.bodies = append(s.bodies, body)
	var resp response
	if err := xml.Unmarshal(body, &resp); err != nil {
		s.t.Fatalf("%s: %v\n%s", r.URL, err, body)
	}
	return &resp
}

// validateAll runs xmllint over every response the test received. The
// schemas are local copies, so no network is needed; xmllint itself is
// required (package libxml2-utils), never skipped.
func (s *site) validateAll() {
	t := s.t
	if len(s.bodies) == 0 {
		return
	}
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint is needed to validate responses (apt-get install libxml2-utils): %v", err)
	}
	dir := t.TempDir()
	args := []string{"--noout", "--nonet", "--schema", filepath.Join("testdata", "schema", "all.xsd")}
	for i, b := range s.bodies {
		name := filepath.Join(dir, fmt.Sprintf("response-%03d.xml", i))
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, name)
	}
	out, err := exec.Command(lint, args...).CombinedOutput()
	if err != nil {
		var bad []string
		for _, line := range strings.Split(string(out), "\n") {
			if !strings.HasSuffix(line, " validates") && line != "" {
				bad = append(bad, line)
			}
		}
		t.Errorf("responses do not validate against OAI-PMH.xsd (%v):\n%s", err, strings.Join(bad, "\n"))
		for i, b := range s.bodies {
			if strings.Contains(string(out), fmt.Sprintf("response-%03d.xml:", i)) {
				t.Logf("response-%03d.xml:\n%s", i, b)
			}
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// content fills the store: a topic and a region tree, two people, seven
// publications of which one is a draft and one is deleted after
// publication.
type content struct {
	pubs map[string]*model.Publication
}

func (s *site) fill() *content {
	t := s.t
	ctx := context.Background()
	st := s.store
	security := model.Topic{Slug: "security", Name: "Defense and Security"}
	must(t, st.CreateTopic(ctx, &security))
	must(t, st.CreateTopic(ctx, &model.Topic{Slug: "alliances", Name: "Alliances", ParentID: security.ID}))
	must(t, st.CreateTopic(ctx, &model.Topic{Slug: "economics", Name: "Economics & Trade"}))
	asia := model.Region{Slug: "asia", Name: "Asia"}
	must(t, st.CreateRegion(ctx, &asia))
	must(t, st.CreateRegion(ctx, &model.Region{Slug: "japan", Name: "Japan", ParentID: asia.ID}))
	must(t, st.CreateRegion(ctx, &model.Region{Slug: "europe", Name: "Europe"}))
	must(t, st.CreatePerson(ctx, &model.Person{Slug: "sheila-a-smith", Given: "Sheila A.", Family: "Smith"}))
	must(t, st.CreatePerson(ctx, &model.Person{Slug: "institute", Literal: "Institute <for> Studies & Co"}))

	c := &content{pubs: map[string]*model.Publication{}}
	add := func(slug string, typ model.Type, topics, regions []string, status model.Status) {
		d, _ := model.ParseDate("2013-09/2013-10")
		p := &model.Publication{Slug: slug, Type: typ, Title: "Title of " + slug + " <&> ]]>", Issued: d, Status: status,
			Contributions: []model.Contribution{{Person: model.Person{Slug: "sheila-a-smith"}, Role: model.RoleAuthor},
				{Person: model.Person{Slug: "institute"}, Role: model.RoleEditor}},
			Summary: "A *summary* with <script>alert(1)</script> & more.\x0b",
			Venue:   model.Venue{ContainerTitle: "ASAN Forum", Volume: "1", Issue: "2", Pages: "10-20", ISSN: "1234-5678"},
			DOI:     "10.1234/" + slug,
		}
		for _, t := range topics {
			p.Topics = append(p.Topics, model.Topic{Slug: t})
		}
		for _, r := range regions {
			p.Regions = append(p.Regions, model.Region{Slug: r})
		}
		must(t, st.CreatePublication(ctx, p))
		c.pubs[slug] = p
	}
	pub := model.StatusPublished
	add("japan-alliance", model.TypeArticleJournal, []string{"alliances"}, []string{"japan"}, pub)
	add("security-report", model.TypeReport, []string{"security"}, []string{"asia"}, pub)
	add("trade-podcast", model.TypePodcast, []string{"economics"}, []string{"europe"}, pub)
	add("plain-op-ed", model.TypeOpEd, nil, nil, pub)
	add("withdrawn", model.TypeReport, []string{"alliances"}, []string{"japan"}, pub)
	add("a-draft", model.TypeReport, []string{"alliances"}, nil, model.StatusDraft)
	add("last-event", model.TypeEvent, []string{"economics", "alliances"}, []string{"japan", "europe"}, pub)
	must(t, st.DeletePublication(ctx, c.pubs["withdrawn"].ID))
	return c
}

func ids(hs []header) []string {
	var out []string
	for _, h := range hs {
		id := strings.TrimPrefix(h.Identifier, "oai:repo.example.org:")
		if h.Status == "deleted" {
			id = "-" + id
		}
		out = append(out, id)
	}
	return out
}

func TestIdentify(t *testing.T) {
	s := newSite(t, Config{RepositoryName: "Imprint Institute"})
	r := s.get("verb=Identify")
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if r.Identify.BaseURL != "http://repo.example.org/oai" || r.Identify.DeletedRecord != "persistent" ||
		r.Identify.Granularity != "YYYY-MM-DDThh:mm:ssZ" {
		t.Errorf("Identify = %+v", r.Identify)
	}
	c := s.fill()
	r = s.post("verb=Identify")
	if want := datestamp(c.pubs["japan-alliance"].UpdatedAt); r.Identify.EarliestDatestamp != want {
		t.Errorf("earliestDatestamp = %q, want %q", r.Identify.EarliestDatestamp, want)
	}
}

func TestErrors(t *testing.T) {
	s := newSite(t, Config{})
	c := s.fill()
	future := time.Now().Add(48 * time.Hour).UTC().Format("2006-01-02")
	for _, tt := range []struct {
		query, code string
	}{
		{"", errBadVerb},
		{"verb=Frobnicate", errBadVerb},
		{"verb=Identify&verb=Identify", errBadVerb},
		{"verb=identify", errBadVerb},
		{"verb=Identify&set=x", errBadArgument},
		{"verb=ListRecords", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&foo=bar", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&from=2013", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&from=2013-02-30", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&from=2013-01-01T00:00:00", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&from=2013-01-01T00:00:00.5Z", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&from=2013-01-01&until=2013-01-01T00:00:00Z", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&from=2014-01-01&until=2013-01-01", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&set=topic:nope", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&set=type:nope", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&set=topic:alliances", errBadArgument}, // it is topic:security:alliances
		{"verb=ListRecords&metadataPrefix=marc21", errCannotDisseminateFormat},
		{"verb=ListRecords&metadataPrefix=%3Coai_dc%3E", errBadArgument},
		{"verb=ListRecords&metadataPrefix=", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&set=topic:", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&set=topic%20security", errBadArgument},
		{"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:a%20b", errBadArgument},
		{"verb=GetRecord&metadataPrefix=oai_dc&identifier=", errBadArgument},
		{"verb=ListRecords&metadataPrefix=oai_dc&until=1999-01-01", errNoRecordsMatch},
		{"verb=ListIdentifiers&metadataPrefix=oai_dc&from=" + future, errNoRecordsMatch},
		{"verb=ListIdentifiers&metadataPrefix=oai_dc&set=type:thesis", errNoRecordsMatch},
		{"verb=ListIdentifiers&resumptionToken=abc&metadataPrefix=oai_dc", errBadArgument},
		{"verb=ListIdentifiers&resumptionToken=abc", errBadResumptionToken},
		{"verb=ListIdentifiers&resumptionToken=", errBadResumptionToken},
		{"verb=ListSets&resumptionToken=abc", errBadResumptionToken},
		{"verb=GetRecord&metadataPrefix=oai_dc", errBadArgument},
		{"verb=GetRecord&identifier=oai:repo.example.org:japan-alliance", errBadArgument},
		{"verb=GetRecord&identifier=oai:repo.example.org:japan-alliance&metadataPrefix=mods", errCannotDisseminateFormat},
		{"verb=GetRecord&identifier=oai:repo.example.org:nothing&metadataPrefix=oai_dc", errIDDoesNotExist},
		{"verb=GetRecord&identifier=oai:repo.example.org:a-draft&metadataPrefix=oai_dc", errIDDoesNotExist},
		{"verb=GetRecord&identifier=oai:other.org:japan-alliance&metadataPrefix=oai_dc", errIDDoesNotExist},
		{"verb=GetRecord&identifier=japan-alliance&metadataPrefix=oai_dc", errIDDoesNotExist},
		{"verb=ListMetadataFormats&identifier=oai:repo.example.org:nothing", errIDDoesNotExist},
		{"verb=ListMetadataFormats&identifier=oai:repo.example.org:withdrawn", errNoMetadataFormats},
	} {
		for _, method := range []string{"GET", "POST"} {
			var r *response
			if method == "GET" {
				r = s.get(tt.query)
			} else {
				r = s.post(tt.query)
			}
			if len(r.Errors) != 1 || r.Errors[0].Code != tt.code || strings.TrimSpace(r.Errors[0].Msg) == "" {
				t.Errorf("%s %q: errors %+v, want one %s", method, tt.query, r.Errors, tt.code)
				continue
			}
			echoed := r.Request.Verb != ""
			if wantEcho := tt.code != errBadVerb && tt.code != errBadArgument; echoed != wantEcho {
				t.Errorf("%s %q: request element echoes the verb: %v, want %v", method, tt.query, echoed, wantEcho)
			}
			if r.Request.URL != "http://repo.example.org/oai" {
				t.Errorf("%s %q: request = %q", method, tt.query, r.Request.URL)
			}
		}
	}
	_ = c

	// A repository without sets says so.
	s.reconfigure(Config{NoSets: true})
	for _, q := range []string{"verb=ListSets", "verb=ListIdentifiers&metadataPrefix=oai_dc&set=type:report"} {
		if r := s.get(q); len(r.Errors) != 1 || r.Errors[0].Code != errNoSetHierarchy {
			t.Errorf("%q without sets: errors %+v", q, r.Errors)
		}
	}
	r := s.get("verb=ListIdentifiers&metadataPrefix=oai_dc")
	for _, h := range r.Headers {
		if len(h.Sets) != 0 {
			t.Errorf("header %s names sets %v in a repository without sets", h.Identifier, h.Sets)
		}
	}
}

func TestListSetsAndFormats(t *testing.T) {
	s := newSite(t, Config{})
	s.fill()
	r := s.get("verb=ListSets")
	for _, want := range []string{"type", "type:report", "type:podcast", "topic", "topic:security", "topic:security:alliances",
		"topic:economics", "region", "region:asia", "region:asia:japan", "region:europe"} {
		if !slices.Contains(r.Sets, want) {
			t.Errorf("ListSets lacks %q: %v", want, r.Sets)
		}
	}
	r = s.get("verb=ListMetadataFormats")
	if !slices.Equal(r.Formats, []string{"oai_dc", "csl_json"}) {
		t.Errorf("formats = %v", r.Formats)
	}
	r = s.get("verb=ListMetadataFormats&identifier=oai:repo.example.org:japan-alliance")
	if len(r.Formats) != 2 {
		t.Errorf("formats of a record = %v", r.Formats)
	}

	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://repo.example.org/oai/csl-json.xsd", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `targetNamespace="`+cslNamespace+`"`) {
		t.Errorf("schema: %d %s", w.Code, w.Body)
	}
}

func TestGetRecord(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) { testGetRecord(t, b) })
	}
}

func testGetRecord(t *testing.T, backend string) {
	s := newSiteOn(t, backend, Config{})
	c := s.fill()
	p := c.pubs["last-event"]
	r := s.get("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:last-event")
	if len(r.Errors) != 0 {
		t.Fatalf("errors %+v", r.Errors)
	}
	h := r.Record.Header
	if h.Identifier != "oai:repo.example.org:last-event" || h.Datestamp != datestamp(p.UpdatedAt) || h.Status != "" {
		t.Errorf("header = %+v", h)
	}
	wantSets := []string{"type:event", "topic:economics", "topic:security:alliances", "region:asia:japan", "region:europe"}
	if !slices.Equal(h.Sets, wantSets) {
		t.Errorf("sets = %v, want %v", h.Sets, wantSets)
	}
	dc := r.Record.DC
	if !slices.Equal(dc.Titles, []string{"Title of last-event <&> ]]>"}) || !slices.Equal(dc.Creators, []string{"Sheila A. Smith"}) ||
		!slices.Equal(dc.Subjects, []string{"Economics & Trade", "Alliances"}) || dc.Source != "ASAN Forum 1, no. 2: 10-20" ||
		dc.Description != "A summary with alert(1) & more." {
		t.Errorf("dc = %+v", dc)
	}
	for _, want := range []string{"http://repo.example.org/publications/last-event", "https://doi.org/10.1234/last-event", "urn:issn:1234-5678"} {
		if !slices.Contains(dc.Identifiers, want) {
			t.Errorf("dc:identifier lacks %q: %v", want, dc.Identifiers)
		}
	}

	r = s.post("verb=GetRecord&metadataPrefix=csl_json&identifier=oai:repo.example.org:japan-alliance")
	if r.Record.CSL.Type != "article-journal" {
		t.Errorf("csl type = %q", r.Record.CSL.Type)
	}
	var item map[string]any
	if err := json.Unmarshal([]byte(r.Record.CSL.JSON), &item); err != nil {
		t.Fatalf("csl_json record: %v\n%s", err, r.Record.CSL.JSON)
	}
	if item["title"] != "Title of japan-alliance <&> ]]>" || item["DOI"] != "10.1234/japan-alliance" || item["keyword"] != "Alliances" ||
		item["URL"] != "http://repo.example.org/publications/japan-alliance" || item["abstract"] != "A summary with alert(1) & more." {
		t.Errorf("csl item = %v", item)
	}
	if eds, _ := item["editor"].([]any); len(eds) != 1 {
		t.Errorf("csl editors = %v", item["editor"])
	}

	r = s.get("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:withdrawn")
	h = r.Record.Header
	if h.Status != "deleted" || !slices.Equal(h.Sets, []string{"type:report", "topic:security:alliances", "region:asia:japan"}) {
		t.Errorf("deleted header = %+v", h)
	}
	if r.Record.DC.Titles != nil {
		t.Errorf("a deleted record carries metadata: %+v", r.Record.DC)
	}
}

// harvest walks a list to its end and returns the identifiers in order,
// checking the tokens on the way. between runs after each page.
func (s *site) harvest(verb, query string, between func(page int)) []string {
	s.t.Helper()
	var got []string
	r := s.get("verb=" + verb + "&" + query)
	for page := 0; ; page++ {
		if len(r.Errors) != 0 {
			s.t.Fatalf("page %d: %+v", page, r.Errors)
		}
		tok := r.Token
		if verb == "ListRecords" {
			tok = r.RToken
			for _, rec := range r.Records {
				r.Headers = append(r.Headers, rec.Header)
			}
		}
		if tok != nil && tok.Cursor != fmt.Sprint(len(got)) {
			s.t.Errorf("page %d: cursor %s after %d items", page, tok.Cursor, len(got))
		}
		got = append(got, ids(r.Headers)...)
		if tok == nil || tok.Value == "" {
			return got
		}
		if tok.Expiration == "" || tok.CompleteListSize == "" {
			s.t.Errorf("token without expirationDate or completeListSize: %+v", tok)
		}
		if between != nil {
			between(page)
		}
		if page%2 == 0 {
			r = s.get("verb=" + verb + "&resumptionToken=" + url.QueryEscape(tok.Value))
		} else {
			r = s.post("verb=" + verb + "&resumptionToken=" + url.QueryEscape(tok.Value))
		}
	}
}

func TestHarvest(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) { testHarvest(t, b) })
	}
}

func testHarvest(t *testing.T, backend string) {
	s := newSiteOn(t, backend, Config{PageSize: 2})
	c := s.fill()
	all := []string{"japan-alliance", "security-report", "trade-podcast", "plain-op-ed", "last-event", "-withdrawn"}
	for _, verb := range []string{"ListIdentifiers", "ListRecords"} {
		for _, f := range []string{"oai_dc", "csl_json"} {
			if got := s.harvest(verb, "metadataPrefix="+f, nil); !slices.Equal(got, all) {
				t.Errorf("%s %s = %v, want %v", verb, f, got, all)
			}
		}
	}
	r := s.get("verb=ListIdentifiers&metadataPrefix=oai_dc")
	if r.Token == nil || r.Token.CompleteListSize != "6" || r.Token.Cursor != "0" {
		t.Errorf("first token = %+v", r.Token)
	}

	// Sets select subtrees; dates select by change time at either
	// granularity.
	first, last := c.pubs["japan-alliance"], c.pubs["last-event"]
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"set=topic:security", []string{"japan-alliance", "security-report", "last-event", "-withdrawn"}},
		{"set=topic:security:alliances", []string{"japan-alliance", "last-event", "-withdrawn"}},
		{"set=topic", []string{"japan-alliance", "security-report", "trade-podcast", "last-event", "-withdrawn"}},
		{"set=region:asia", []string{"japan-alliance", "security-report", "last-event", "-withdrawn"}},
		{"set=region:europe", []string{"trade-podcast", "last-event"}},
		{"set=type:report", []string{"security-report", "-withdrawn"}},
		{"set=type", all},
		{"from=" + first.UpdatedAt.Format("2006-01-02"), all},
		{"until=" + last.UpdatedAt.UTC().Format("2006-01-02"), all},
		{"from=" + datestamp(first.UpdatedAt) + "&until=" + datestamp(last.UpdatedAt), all[:len(all)-1]},
	} {
		if got := s.harvest("ListIdentifiers", "metadataPrefix=oai_dc&"+tt.query, nil); !slices.Equal(got, tt.want) &&
			!(strings.Contains(tt.query, "&until=") && slices.Equal(got, all)) {
			// The last case may include the tombstone when it was
			// written in the same second as the last record.
			t.Errorf("%s = %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestHarvestDuringChanges harvests while records are added, changed and
// deleted: every record published when the harvest began is listed
// exactly once, and what changed waits for the next harvest.
func TestHarvestDuringChanges(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) { testHarvestDuringChanges(t, b) })
	}
}

func testHarvestDuringChanges(t *testing.T, backend string) {
	s := newSiteOn(t, backend, Config{PageSize: 2})
	c := s.fill()
	ctx := context.Background()
	started := time.Now()
	got := s.harvest("ListRecords", "metadataPrefix=oai_dc", func(page int) {
		switch page {
		case 0:
			must(t, s.store.CreatePublication(ctx, &model.Publication{Slug: "new-one", Type: model.TypeReport,
				Title: "New", Status: model.StatusPublished}))
		case 1:
			p := c.pubs["japan-alliance"] // already harvested
			p.Title = "Changed"
			must(t, s.store.UpdatePublication(ctx, p))
			must(t, s.store.DeletePublication(ctx, c.pubs["security-report"].ID)) // harvested too
		}
	})
	seen := map[string]int{}
	for _, id := range got {
		seen[strings.TrimPrefix(id, "-")]++
	}
	for slug, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times in %v", slug, n, got)
		}
	}
	for _, slug := range []string{"japan-alliance", "security-report", "trade-podcast", "plain-op-ed", "last-event", "withdrawn"} {
		if seen[slug] != 1 {
			t.Errorf("%s missing from %v", slug, got)
		}
	}
	if seen["new-one"] != 0 {
		t.Errorf("a record added during the harvest is in it: %v", got)
	}
	// The next harvest, from when this one started, brings the changes.
	next := s.harvest("ListIdentifiers", "metadataPrefix=oai_dc&from="+datestamp(started), nil)
	for _, want := range []string{"new-one", "japan-alliance", "-security-report"} {
		if !slices.Contains(next, want) {
			t.Errorf("incremental harvest %v lacks %s", next, want)
		}
	}
}

func TestTokenExpires(t *testing.T) {
	s := newSite(t, Config{PageSize: 2, TokenLifetime: time.Hour})
	s.fill()
	s.now = time.Now()
	r := s.get("verb=ListIdentifiers&metadataPrefix=oai_dc")
	if r.Token == nil {
		t.Fatal("no token")
	}
	exp, err := time.Parse("2006-01-02T15:04:05Z", r.Token.Expiration)
	if err != nil || exp.Sub(s.now) > time.Hour || exp.Sub(s.now) < 59*time.Minute {
		t.Errorf("expirationDate %q (%v) is not an hour after %v", r.Token.Expiration, err, s.now)
	}
	s.now = s.now.Add(30 * time.Minute)
	if r2 := s.get("verb=ListIdentifiers&resumptionToken=" + url.QueryEscape(r.Token.Value)); len(r2.Errors) != 0 {
		t.Errorf("token refused before it expired: %+v", r2.Errors)
	}
	if r2 := s.get("verb=ListRecords&resumptionToken=" + url.QueryEscape(r.Token.Value)); len(r2.Errors) != 1 || r2.Errors[0].Code != errBadResumptionToken {
		t.Errorf("a ListIdentifiers token accepted by ListRecords: %+v", r2.Errors)
	}
	s.now = s.now.Add(2 * time.Hour)
	if r2 := s.get("verb=ListIdentifiers&resumptionToken=" + url.QueryEscape(r.Token.Value)); len(r2.Errors) != 1 || r2.Errors[0].Code != errBadResumptionToken {
		t.Errorf("expired token: %+v", r2.Errors)
	}
}

func TestHTTP(t *testing.T) {
	s := newSite(t, Config{})
	for _, tt := range []struct {
		method, ctype string
		want          int
	}{
		{http.MethodPut, "", http.StatusMethodNotAllowed},
		{http.MethodPost, "application/json", http.StatusUnsupportedMediaType},
	} {
		r := httptest.NewRequest(tt.method, "http://repo.example.org/oai", strings.NewReader("verb=Identify"))
		if tt.ctype != "" {
			r.Header.Set("Content-Type", tt.ctype)
		}
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.ctype, w.Code, tt.want)
		}
	}
	// The base URL follows a configured address, or X-Forwarded-Proto
	// only when trusted.
	r := httptest.NewRequest(http.MethodGet, "http://internal:8080/oai?verb=Identify", nil)
	r.Header.Set("X-Forwarded-Proto", "https")
	if got := s.do(r).Identify.BaseURL; got != "http://internal:8080/oai" {
		t.Errorf("untrusted proxy: baseURL %q", got)
	}
	s.reconfigure(Config{TrustForwardedProto: true})
	if got := s.do(r).Identify.BaseURL; got != "https://internal:8080/oai" {
		t.Errorf("trusted proxy: baseURL %q", got)
	}
	s.reconfigure(Config{BaseURL: "https://think.example.org/", RepositoryID: "think.example.org"})
	if got := s.do(r).Identify.BaseURL; got != "https://think.example.org/oai" {
		t.Errorf("configured: baseURL %q", got)
	}

	for _, cfg := range []Config{{AdminEmail: "nobody"}, {AdminEmail: "a@b.c", BaseURL: "ftp://x"}, {AdminEmail: "a@b.c", RepositoryID: "a b"}} {
		if _, err := New(s.store, cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

// TestHarvestUnderChurn harvests 240 records in pages of 17 while every
// page brings inserts, updates and deletions anywhere in the list: no
// identifier comes twice, and every record untouched since the harvest
// began comes exactly once.
func TestHarvestUnderChurn(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) { testHarvestUnderChurn(t, b) })
	}
}

func testHarvestUnderChurn(t *testing.T, backend string) {
	s := newSiteOn(t, backend, Config{PageSize: 17})
	ctx := context.Background()
	var pubs []*model.Publication
	for i := range 240 {
		p := &model.Publication{Slug: fmt.Sprintf("p-%03d", i), Type: model.TypeReport, Title: "T", Status: model.StatusPublished}
		must(t, s.store.CreatePublication(ctx, p))
		pubs = append(pubs, p)
	}
	touched := map[string]bool{}
	rng := rand.New(rand.NewPCG(5, 8))
	n := 0
	got := s.harvest("ListIdentifiers", "metadataPrefix=oai_dc", func(int) {
		for range 3 {
			p := pubs[rng.IntN(len(pubs))]
			if touched[p.Slug] {
				continue
			}
			touched[p.Slug] = true
			switch rng.IntN(3) {
			case 0:
				p.Title = "Changed"
				must(t, s.store.UpdatePublication(ctx, p))
			case 1:
				must(t, s.store.DeletePublication(ctx, p.ID))
			case 2:
				p.Status = model.StatusDraft
				must(t, s.store.UpdatePublication(ctx, p))
			}
		}
		n++
		must(t, s.store.CreatePublication(ctx, &model.Publication{Slug: fmt.Sprintf("new-%d", n), Type: model.TypeReport,
			Title: "New", Status: model.StatusPublished}))
	})
	seen := map[string]int{}
	for _, id := range got {
		seen[strings.TrimPrefix(id, "-")]++
	}
	for id, k := range seen {
		if k > 1 {
			t.Errorf("%s listed %d times", id, k)
		}
		if strings.HasPrefix(id, "new-") {
			t.Errorf("%s, added during the harvest, is in it", id)
		}
	}
	for _, p := range pubs {
		if !touched[p.Slug] && seen[p.Slug] != 1 {
			t.Errorf("%s, untouched, listed %d times", p.Slug, seen[p.Slug])
		}
	}
	if len(touched) == 0 || n < 10 {
		t.Fatalf("the harvest saw too little churn: %d records touched over %d pages", len(touched), n)
	}
}
