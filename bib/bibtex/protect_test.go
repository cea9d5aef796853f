package bibtex

import (
	"bytes"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/csl"
)

func TestProtectCase(t *testing.T) {
	const nc = `<span class="nocase">`
	tests := []struct{ in, want string }{
		{"The Philippines Rediscovers Its Alliance", "The " + nc + "Philippines</span> " + nc + "Rediscovers</span> " + nc + "Its</span> " + nc + "Alliance</span>"},
		{"a model of leptons", "a model of leptons"},
		{"Cost-Sharing fights", nc + "Cost-Sharing</span> fights"},
		{"LNG and energy", nc + "LNG</span> and energy"},
		{"Space: The frontier", "Space: " + nc + "The</span> frontier"},
		{"strain: efficient catalysts", "strain: " + nc + "efficient</span> catalysts"},
		{"a: 2 b", "a: 2 b"},
		{"on <i>De Anima</i>", "on <i>" + nc + "De</span> " + nc + "Anima</span></i>"},
		{"<i>De</i> anima", "<i>De</i> anima"},
		{"kept " + nc + "NASA Goddard</span> as is", "kept " + nc + "NASA Goddard</span> as is"},
		{"“Über” die Welt", "“Über” die " + nc + "Welt</span>"},
		{"1736–1739 in Georgia", "1736–1739 in " + nc + "Georgia</span>"},
		{"Twice-Born, Once Conceived:", nc + "Twice-Born</span>, " + nc + "Once</span> " + nc + "Conceived</span>:"},
		{"Aristotle's (“De Motu”)", "Aristotle's (“" + nc + "De</span> " + nc + "Motu</span>”)"},
		{"", ""},
	}
	for _, tc := range tests {
		got := protectCase(tc.in)
		if got != tc.want {
			t.Errorf("protectCase(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		if again := protectCase(got); again != got {
			t.Errorf("protectCase is not idempotent on %q: %q", got, again)
		}
	}
}

func TestWriteProtectCase(t *testing.T) {
	items := []csl.Item{
		{ID: "en", Type: "book", Vars: map[string]string{"title": "The Philippines Rediscovers Its Alliance"}},
		{ID: "de", Type: "book", Vars: map[string]string{"title": "Kritik der Urtheilskraft", "language": "de"}},
	}
	tests := []struct {
		flavor  Flavor
		protect bool
		want    []string
	}{
		{BibLaTeX, false, []string{"title = {The Philippines Rediscovers Its Alliance}", "title = {Kritik der Urtheilskraft}"}},
		{BibLaTeX, true, []string{"title = {The {Philippines} {Rediscovers} {Its} {Alliance}}", "title = {Kritik der Urtheilskraft}"}},
		{BibTeX, true, []string{"title = {The {Philippines} {Rediscovers} {Its} {Alliance}}", "title = {Kritik der {Urtheilskraft}}"}},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		if err := Write(&buf, items, &WriteOptions{Flavor: tc.flavor, ProtectCase: tc.protect}); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("flavour %d, protect %v: output lacks %q:\n%s", tc.flavor, tc.protect, w, buf.String())
			}
		}
	}
}
