package search

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		text      string
		want      string // Parsed.String
		match     string // the FTS5 expression
		tsq       string // the to_tsquery text
		truncated bool
	}{
		{"", "", "", "", false},
		{"Sanctions", "sanctions", `"sanctions"`, `'sanctions'`, false},
		{"energy security", "energy security", `"energy" "security"`, `'energy' & 'security'`, false},
		{`"energy security" policy`, `"energy security" policy`, `"energy security" "policy"`, `('energy' <-> 'security') & 'policy'`, false},
		{"sanct*", "sanct*", `"sanct"*`, `'sanct':*`, false},
		{"s*", "s", `"s"`, `'s'`, false},
		{`"prime merid"*`, `"prime merid"*`, `"prime merid"*`, `('prime' <-> 'merid':*)`, false},
		{`"unclosed phrase`, `"unclosed phrase"`, `"unclosed phrase"`, `('unclosed' <-> 'phrase')`, false},
		{"U.S.-led", "u s led", `"u" "s" "led"`, `'u' & 's' & 'led'`, false},
		{"title:x OR NEAR(a b)", "title x or near a b", `"title" "x" "or" "near" "a" "b"`, `'title' & 'x' & 'or' & 'near' & 'a' & 'b'`, false},
		{`'; DROP TABLE publications; --`, "drop table publications", `"drop" "table" "publications"`, `'drop' & 'table' & 'publications'`, false},
		{`a' & !b | c:*`, "a b c", `"a" "b" "c"`, `'a' & 'b' & 'c'`, false},
		{`""`, "", "", "", false},
		{"Économie 日本", "économie 日本", `"économie" "日本"`, `'économie' & '日本'`, false},
		{strings.Repeat("w ", 20), strings.TrimSpace(strings.Repeat("w ", MaxClauses)), "", "", true},
	}
	for _, tt := range tests {
		p := Parse(tt.text)
		if got := p.String(); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.text, got, tt.want)
		}
		if p.Truncated != tt.truncated {
			t.Errorf("Parse(%q).Truncated = %v, want %v", tt.text, p.Truncated, tt.truncated)
		}
		if tt.match != "" || tt.want == "" {
			if got := matchExpr(p); got != tt.match {
				t.Errorf("matchExpr(%q) = %s, want %s", tt.text, got, tt.match)
			}
			if got := tsquery(p); got != tt.tsq {
				t.Errorf("tsquery(%q) = %s, want %s", tt.text, got, tt.tsq)
			}
		}
	}
}

func TestParseLimits(t *testing.T) {
	p := Parse(strings.Repeat("é", MaxQueryBytes)) // two bytes each: cut in the middle of the text
	if !p.Truncated || len(p.Clauses) != 1 || len(p.Clauses[0].Words[0]) > MaxQueryBytes {
		t.Errorf("long word: %+v", p)
	}
	for _, w := range p.Clauses[0].Words {
		if !strings.HasPrefix(strings.Repeat("é", 300), w) {
			t.Errorf("word cut inside a character: %q", w)
		}
	}
	p = Parse(`"` + strings.Repeat("a ", 40) + `"`)
	if !p.Truncated || len(p.Clauses[0].Words) != MaxPhraseWords {
		t.Errorf("long phrase: %d words, truncated %v", len(p.Clauses[0].Words), p.Truncated)
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain & <b>", "plain &amp; &lt;b&gt;"},
		{"a " + markStart + "word" + markEnd + " b", "a <mark>word</mark> b"},
		{markStart + "<x>" + markEnd, "<mark>&lt;x&gt;</mark>"},
		{"open " + markStart + "never closed", "open <mark>never closed</mark>"},
		{markEnd + "stray" + markStart + markStart + "x" + markEnd + markEnd, "stray<mark>x</mark>"},
		{"## Heading: **North " + markStart + "Korea" + markEnd + "** and `code`", "Heading: North <mark>Korea</mark> and code"},
	}
	for _, tt := range tests {
		if got := string(highlight(tt.in)); got != tt.want {
			t.Errorf("highlight(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := string(leadSnippet("one two three four", 9)); got != "one two…" {
		t.Errorf("leadSnippet = %q", got)
	}
}

func TestDisplayName(t *testing.T) {
	join := func(parts ...string) string { return strings.Join(parts, nameSep) }
	tests := []struct{ in, want string }{
		{join("Thomas", "", "van der", "Berg", "", ""), "Thomas van der Berg"},
		{join("健一", "", "", "佐藤", "", ""), "佐藤健一"},
		{join("", "", "", "", "", "World Bank"), "World Bank"},
		{"two" + nameSep + "parts", "two parts"},
	}
	for _, tt := range tests {
		if got := displayName(tt.in); got != tt.want {
			t.Errorf("displayName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDateBound(t *testing.T) {
	tests := []struct {
		in    string
		upper bool
		want  int
		err   bool
	}{
		{"", false, 0, false},
		{"2019", false, 20190000, false},
		{"2019", true, 20199999, false},
		{"2019-05", true, 20190599, false},
		{"2019-05-17", false, 20190517, false},
		{"19", false, 0, true},
		{"2019-13", false, 0, true},
		{"2019-05-17-1", false, 0, true},
		{"1' OR 1=1", false, 0, true},
	}
	for _, tt := range tests {
		got, err := DateBound(tt.in, tt.upper)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("DateBound(%q, %v) = %d, %v; want %d, error %v", tt.in, tt.upper, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("DateBound(%q): %v does not wrap ErrInvalid", tt.in, err)
		}
	}
}
