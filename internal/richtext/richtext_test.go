package richtext

import (
	"strings"
	"testing"
)

func TestPlain(t *testing.T) {
	md := NewMarkdown()
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short stays whole", "A **bold** claim.", 140, "A bold claim."},
		{"first sentence", "First sentence is long enough to keep. Second sentence goes on and on and on.", 50, "First sentence is long enough to keep."},
		{"abbreviation is not a sentence end", "Congress has taken a larger role in U.S. policy toward Asia and much else besides.", 60, "Congress has taken a larger role in U.S. policy toward Asia…"},
		{"word boundary", "one two three four five six seven eight nine ten", 20, "one two three four…"},
		{"no spaces", strings.Repeat("語", 30), 10, strings.Repeat("語", 10) + "…"},
		{"ideographic full stop", "防衛費を引き上げる方針を示した。本稿は議論を整理する。", 20, "防衛費を引き上げる方針を示した。"},
		{"markup dropped", "Text <img src=x onerror=alert(1)> [link](https://example.org) & more", 140, "Text link & more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := md.Plain(tt.in, tt.max); got != tt.want {
				t.Errorf("plain(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestSanitizeCitation(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Smith. <i>Title</i>. <b>2</b>`, `Smith. <i>Title</i>. <b>2</b>`},
		{`<span style="font-variant:small-caps;">Name</span>`, `<span class="csl-small-caps">Name</span>`},
		{`<span style="color:red">x</span><script>alert(1)</script>`, `<span>x</span>`},
		{`<a href="javascript:alert(1)">x</a> <a href="https://doi.org/10.1/x">doi</a>`, `x <a href="https://doi.org/10.1/x" rel="nofollow noreferrer">doi</a>`},
	}
	for _, tt := range tests {
		if got := string(Citation(tt.in)); got != tt.want {
			t.Errorf("Citation(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
