package cslstyles

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCounts(t *testing.T) {
	var indep, dep int
	for _, s := range List() {
		if s.Dependent {
			dep++
		} else {
			indep++
		}
	}
	if indep != 2858 || dep != 7999 {
		t.Errorf("List: %d independent, %d dependent styles; want 2858, 7999", indep, dep)
	}
	if n := len(Locales()); n != 62 {
		t.Errorf("Locales: %d, want 62", n)
	}
}

func TestListSortedAndParentsExist(t *testing.T) {
	list := List()
	if !slices.IsSortedFunc(list, func(a, b StyleInfo) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("List is not sorted by id")
	}
	ids := map[string]StyleInfo{}
	for _, s := range list {
		if s.Title == "" {
			t.Errorf("%s: empty title", s.ID)
		}
		ids[s.ID] = s
	}
	for _, s := range list {
		if !s.Dependent {
			continue
		}
		p, ok := ids[s.Parent]
		if !ok {
			t.Errorf("%s: parent %q is not bundled", s.ID, s.Parent)
		} else if p.Dependent {
			t.Errorf("%s: parent %q is itself dependent", s.ID, s.Parent)
		}
	}
}

func TestStyle(t *testing.T) {
	tests := []struct {
		query, wantID string
		dependent     bool
	}{
		{"apa", "apa", false},
		{"http://www.zotero.org/styles/apa", "apa", false},
		{"https://www.zotero.org/styles/modern-language-association", "modern-language-association", false},
		{" nature.csl ", "nature", false},
		{"chicago-fullnote-bibliography", "chicago-notes-bibliography", false},
		{"chicago-note-bibliography", "chicago-shortened-notes-bibliography", false},
		{"vancouver", "nlm-citation-sequence", false},
		{"vancouver-nlm", "vancouver-nlm", true},
		{"aaa", "american-anthropological-association", false},
	}
	idRe := regexp.MustCompile(`<id>([^<]*)</id>`)
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			id, err := Resolve(tt.query)
			if err != nil || id != tt.wantID {
				t.Fatalf("Resolve(%q) = %q, %v; want %q", tt.query, id, err, tt.wantID)
			}
			data, err := Style(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			m := idRe.FindSubmatch(data)
			if m == nil || !strings.HasSuffix(string(m[1]), "/"+tt.wantID) {
				t.Errorf("Style(%q) returned a style with <id> %q, want …/%s", tt.query, m, tt.wantID)
			}
			if got := bytes.Contains(data, []byte(`rel="independent-parent"`)); got != tt.dependent {
				t.Errorf("Style(%q): has independent-parent link = %v, want %v", tt.query, got, tt.dependent)
			}
			info, err := Info(tt.query)
			if err != nil || info.ID != tt.wantID || info.Dependent != tt.dependent {
				t.Errorf("Info(%q) = %+v, %v", tt.query, info, err)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	for _, q := range []string{"", "no-such-style", "apa/../ieee", "dependent/vancouver-nlm"} {
		_, err := Style(q)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("Style(%q): err = %v, want ErrNotFound", q, err)
			continue
		}
		if !strings.Contains(err.Error(), `"`+q+`"`) {
			t.Errorf("Style(%q): error %q does not name the id", q, err)
		}
	}
	for _, tag := range []string{"", "de", "xx-XX", "en-US.xml"} {
		if _, err := Locale(tag); !errors.Is(err, ErrNotFound) {
			t.Errorf("Locale(%q): err = %v, want ErrNotFound", tag, err)
		}
	}
}

func TestLocale(t *testing.T) {
	for _, tag := range []string{"en-US", "en-us", "de-DE", "sr-Latn-RS", "la", "zh-TW"} {
		data, err := Locale(tag)
		if err != nil {
			t.Errorf("Locale(%q): %v", tag, err)
			continue
		}
		if !bytes.Contains(data, []byte(`xml:lang="`)) || !bytes.Contains(bytes.ToLower(data), []byte(strings.ToLower(`xml:lang="`+tag+`"`))) {
			t.Errorf("Locale(%q) does not declare that language", tag)
		}
	}
}

// TestArchiveMatchesManifest fails when data/csl.zip and the checked-in
// data/manifest.sha256 disagree, i.e. one was regenerated without the
// other. It also checks the precomputed titles against the styles.
func TestArchiveMatchesManifest(t *testing.T) {
	f, err := os.Open("data/manifest.sha256")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		sum, path, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("manifest.sha256 line %d: malformed %q", line, sc.Text())
		}
		want[path] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	b, err := load()
	if err != nil {
		t.Fatal(err)
	}
	for path := range want {
		if _, ok := b.files[path]; !ok {
			t.Errorf("%s: in the manifest, not in the archive", path)
		}
	}
	// Decompress each block once rather than once per file.
	blocks := map[int][]byte{}
	for i, f := range b.blocks {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		blocks[i], err = io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
	}
	for path, e := range b.files {
		if e.offset+e.size > len(blocks[e.block]) {
			t.Errorf("%s: extends past the end of block %d", path, e.block)
			continue
		}
		data := blocks[e.block][e.offset : e.offset+e.size]
		sum := sha256.Sum256(data)
		switch w, ok := want[path]; {
		case !ok:
			t.Errorf("%s: in the archive, not in the manifest", path)
		case w != hex.EncodeToString(sum[:]):
			t.Errorf("%s: archive content differs from the manifest; regenerate with go generate ./cslstyles", path)
		}
		if id, ok := strings.CutSuffix(path[strings.LastIndexByte(path, '/')+1:], ".csl"); ok {
			var st struct {
				Title string `xml:"info>title"`
			}
			if err := xml.Unmarshal(data, &st); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			if info := b.list[b.styles[id]]; strings.Join(strings.Fields(st.Title), " ") != info.Title {
				t.Errorf("%s: indexed title %q, style has %q", path, info.Title, st.Title)
			}
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		query string
		first string   // the best suggestion
		among []string // also in the top five
	}{
		{"chicago notes bib", "chicago-notes-bibliography", nil},
		{"Chicago Notes", "chicago-notes", []string{"chicago-notes-bibliography"}},
		{"Harvard cite them right", "harvard-cite-them-right", nil},
		{"natur", "nature", nil},
		{"ieeee", "ieee", nil},
		{"chicago-fulnote-bibliography", "chicago-notes-bibliography", nil},
		{"modern-languag-association", "modern-language-association", nil},
		{"american political science", "american-political-science-association", nil},
		{"vancover", "nlm-citation-sequence", nil}, // through the old id "vancouver"
		{"http://www.zotero.org/styles/apaa", "", []string{"apa"}},
	}
	for _, tt := range tests {
		got := Suggest(tt.query, 5)
		if len(got) == 0 {
			t.Errorf("Suggest(%q) = nothing", tt.query)
			continue
		}
		if tt.first != "" && got[0] != tt.first {
			t.Errorf("Suggest(%q) = %q, want %q first", tt.query, got, tt.first)
		}
		for _, w := range tt.among {
			if !slices.Contains(got, w) {
				t.Errorf("Suggest(%q) = %q, want %q among them", tt.query, got, w)
			}
		}
	}
	if got := Suggest("zzqxjv", 5); len(got) != 0 {
		t.Errorf("Suggest of nonsense = %q, want nothing", got)
	}
	if got := Suggest("a", 3); len(got) > 3 {
		t.Errorf("Suggest(_, 3) returned %d ids", len(got))
	}
}

func BenchmarkStyleCold(b *testing.B) {
	bu, err := load()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := bu.read("styles/apa.csl"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadIndex(b *testing.B) {
	for b.Loop() {
		if _, err := readBundle(archive); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrent runs lookups from many goroutines, as a web server does;
// run with -race.
func TestConcurrent(t *testing.T) {
	ids := []string{"apa", "ieee", "vancouver", "nature", "vancouver-nlm", "modern-language-association"}
	errs := make(chan error, 4*len(ids))
	for i := 0; i < 4; i++ {
		for _, id := range ids {
			go func() {
				data, err := Style(id)
				if err == nil && len(data) == 0 {
					err = errors.New(id + ": empty")
				}
				if err == nil {
					_, err = Locale("fr-FR")
				}
				errs <- err
			}()
		}
	}
	for range 4 * len(ids) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
